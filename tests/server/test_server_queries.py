"""Issue 14's query side over real HTTP on loopback: nesting, the byte-bounded cache, relative IRIs, FROM,
the light-query lane and the query diagnostics — plus the W3C SPARQL 1.1 Protocol tests these touch.

One server: one general worker and one lane worker, a small cache (so that a few answers fill it).
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor

import httpx
import pytest
from rdflib import Graph, Literal, URIRef
from test_server import SLOW, Server, running_server

from egovgraph.defaults import MAX_NESTING
from egovgraph.vocab.namespaces import DEFAULT_BASE

CACHE = 400_000
REFERENCE = DEFAULT_BASE + "graph/reference"
ONTOLOGY = DEFAULT_BASE + "graph/ontology"
JSON = {"Accept": "application/sparql-results+json"}
#: Light by its shape (no aggregate, no ORDER BY ...) but slow: it must not keep the lane.
LIGHT_BUT_SLOW = 'SELECT ?a WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i FILTER(STR(?c) = CONCAT(STR(?f), STR(?i), "x")) }'


@pytest.fixture(scope="module")
def lane(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    options = ("--workers", "1", "--lane-workers", "1", "--cache-bytes", str(CACHE))
    with running_server(tmp_path_factory.mktemp("queries"), *options, timeout=4, xss=False) as running:
        yield running


def _count(reply: httpx.Response) -> int:
    assert reply.status_code == 200, reply.text
    return int(reply.json()["results"]["bindings"][0]["n"]["value"])


# --------------------------------------------------------------------------- 1. deep nesting


def test_deep_nesting_is_a_400_naming_the_limit(lane: Server) -> None:
    text = "SELECT * WHERE " + "{" * 2500 + " ?s ?p ?o " + "}" * 2500
    reply = httpx.post(
        lane.url + "/sparql", content=text, headers={"Content-Type": "application/sparql-query"}, timeout=30
    )
    assert reply.status_code == 400
    assert f"deeper than the limit of {MAX_NESTING} levels" in reply.text
    fine = "SELECT * WHERE " + "{" * 50 + " ?s ?p ?o " + "}" * 50 + " LIMIT 1"
    assert lane.get("/sparql", params={"query": fine}, headers=JSON).status_code == 200
    lane.alive()


# --------------------------------------------------------------------------- 2. the cache, by bytes


def test_cache_is_bounded_by_bytes_and_reported(lane: Server) -> None:
    big = "SELECT ?s ?p ?o WHERE {{ ?s ?p ?o }} LIMIT 400 OFFSET {}"
    sizes = []
    for i in range(40):
        reply = lane.get("/sparql", params={"query": big.format(i * 7)}, headers=JSON)
        assert reply.status_code == 200
        sizes.append(len(reply.content))
    status = lane.get("/status").json()["cache"]
    assert status["limit"] == CACHE
    assert sum(sizes) > 2 * CACHE  # the answers would not all fit
    assert 0 < status["bytes"] <= CACHE and 0 < status["answers"] < 40
    hits = status["hits"]
    again = lane.get("/sparql", params={"query": big.format(39 * 7)}, headers=JSON)  # the last one is kept
    assert again.status_code == 200 and lane.get("/status").json()["cache"]["hits"] == hits + 1


# --------------------------------------------------------------------------- 3. relative IRIs


def test_query_content_type_construct_resolves_relative_iris(lane: Server) -> None:
    """W3C protocol test query_content_type_construct: CONSTRUCT { <s> <p> 1 } WHERE {}."""
    reply = lane.get("/sparql", params={"query": "CONSTRUCT { <s> <p> 1 } WHERE {}"}, headers={"Accept": "text/turtle"})
    assert reply.status_code == 200 and reply.headers["content-type"].startswith("text/turtle")
    graph = Graph().parse(data=reply.text, format="turtle")
    assert set(graph) == {(URIRef(DEFAULT_BASE + "s"), URIRef(DEFAULT_BASE + "p"), Literal(1))}


def test_query_content_type_describe_with_a_relative_iri(lane: Server) -> None:
    """W3C protocol test query_content_type_describe: DESCRIBE <s>."""
    reply = lane.get("/sparql", params={"query": "DESCRIBE <s>"}, headers={"Accept": "application/n-triples"})
    assert reply.status_code == 200 and reply.headers["content-type"].startswith("application/n-triples")


def test_relative_iri_in_a_projection(lane: Server) -> None:
    reply = lane.get("/sparql", params={"query": "SELECT (<rel> AS ?x) {}"}, headers=JSON)
    assert reply.status_code == 200
    assert reply.json()["results"]["bindings"] == [{"x": {"type": "uri", "value": DEFAULT_BASE + "rel"}}]


# --------------------------------------------------------------------------- 4. FROM / FROM NAMED


def test_from_a_local_graph_is_that_graph(lane: Server) -> None:
    counted = "SELECT (COUNT(*) AS ?n) {} WHERE {{ ?s ?p ?o }}"
    from_clause = _count(lane.get("/sparql", params={"query": counted.format(f"FROM <{REFERENCE}>")}, headers=JSON))
    by_protocol = _count(
        lane.get("/sparql", params={"query": counted.format(""), "default-graph-uri": REFERENCE}, headers=JSON)
    )
    everything = _count(lane.get("/sparql", params={"query": counted.format("")}, headers=JSON))
    assert 0 < from_clause == by_protocol < everything


def test_from_named_a_local_graph(lane: Server) -> None:
    text = f"SELECT DISTINCT ?g FROM NAMED <{REFERENCE}> WHERE {{ GRAPH ?g {{ ?s ?p ?o }} }}"
    reply = lane.get("/sparql", params={"query": text}, headers=JSON)
    assert reply.status_code == 200
    assert [b["g"]["value"] for b in reply.json()["results"]["bindings"]] == [REFERENCE]


@pytest.mark.parametrize(
    "clause",
    ["FROM <https://w3id.org/egovgraph/graph/no-such-graph>", "FROM <file:///etc/passwd>", "FROM NAMED <http://x/g>"],
)
def test_from_an_iri_that_names_no_local_graph_is_refused(lane: Server, clause: str) -> None:
    reply = lane.get("/sparql", params={"query": f"SELECT * {clause} WHERE {{ ?s ?p ?o }} LIMIT 1"}, headers=JSON)
    assert reply.status_code == 400 and "FROM / FROM NAMED is refused" in reply.text


def test_query_multiple_dataset_the_protocol_dataset_takes_precedence(lane: Server) -> None:
    """W3C protocol test query_multiple_dataset: default-graph-uri overrides the query's FROM."""
    text = f"SELECT (COUNT(*) AS ?n) FROM <{REFERENCE}> WHERE {{ ?s ?p ?o }}"
    reply = httpx.post(
        lane.url + "/sparql",
        params={"default-graph-uri": ONTOLOGY},
        content=text,
        headers={"Content-Type": "application/sparql-query", **JSON},
        timeout=30,
    )
    ontology = _count(
        lane.get("/sparql", params={"query": "SELECT (COUNT(*) AS ?n) { ?s ?p ?o }", "default-graph-uri": ONTOLOGY})
    )
    assert _count(reply) == ontology
    # an IRI that names no local graph is refused all the same
    text = "ASK FROM <https://w3id.org/egovgraph/graph/elsewhere> { ?s ?p ?o }"
    reply = lane.get("/sparql", params={"query": text, "default-graph-uri": ONTOLOGY}, headers=JSON)
    assert reply.status_code == 400 and "FROM / FROM NAMED is refused" in reply.text


# --------------------------------------------------------------------------- 12. the lane for light queries


def _timed_ask(server: Server) -> float:
    t0 = time.monotonic()
    reply = server.get("/sparql", params={"query": f"ASK {{ <{DEFAULT_BASE}id/land/bremen> ?p ?o }}"}, headers=JSON)
    assert reply.status_code == 200 and reply.json()["boolean"] is True
    return time.monotonic() - t0


def test_light_queries_pass_a_heavy_one(lane: Server) -> None:
    with ThreadPoolExecutor(1) as threads:
        heavy = threads.submit(lane.get, "/sparql", params={"query": SLOW})
        time.sleep(0.5)  # the general worker is busy with it
        assert not heavy.done()
        for _ in range(5):
            assert _timed_ask(lane) < 1.0
        assert not heavy.done()  # still running: the ASKs did not wait for it
        assert heavy.result().status_code == 422
    lane.alive()


def test_a_slow_light_query_does_not_keep_the_lane(lane: Server) -> None:
    with ThreadPoolExecutor(2) as threads:
        heavy = threads.submit(lane.get, "/sparql", params={"query": SLOW})
        time.sleep(0.3)
        sneaky = threads.submit(lane.get, "/sparql", params={"query": LIGHT_BUT_SLOW})
        time.sleep(1.2)  # past the lane's budget: it went back to wait for the general worker
        assert _timed_ask(lane) < 1.0
        assert heavy.result().status_code == 422
        assert sneaky.result().status_code in (422, 503)
    lane.alive()


# --------------------------------------------------------------------------- diagnostics


def test_unknown_egov_term_is_a_warning_with_the_nearest(lane: Server) -> None:
    reply = lane.get("/sparql", params={"query": "SELECT ?x WHERE { ?x a egov:Initiativ }"}, headers=JSON)
    assert reply.status_code == 200 and reply.json()["results"]["bindings"] == []
    assert reply.headers["X-Query-Warning"] == (
        "warning: egov:Initiativ is not a term of the egov: ontology - did you mean egov:Initiative?"
    )
    fine = lane.get("/sparql", params={"query": "SELECT ?x WHERE { ?x a egov:Initiative } LIMIT 1"}, headers=JSON)
    assert "X-Query-Warning" not in fine.headers


def test_missing_resource_is_a_hint_when_the_answer_is_empty(lane: Server) -> None:
    reply = lane.get("/sparql", params={"query": "ASK { land:bremn a egov:Land }"}, headers=JSON)
    assert reply.status_code == 200 and reply.json()["boolean"] is False
    assert reply.headers["X-Query-Warning"] == (
        "hint: land:bremn names no resource in this graph - did you mean land:bremen?"
    )
    found = lane.get("/sparql", params={"query": "ASK { land:bremen a egov:Land }"}, headers=JSON)
    assert found.json()["boolean"] is True and "X-Query-Warning" not in found.headers


def test_invalid_regex_is_a_400(lane: Server) -> None:
    reply = lane.get("/sparql", params={"query": 'SELECT ?l WHERE { ?s rdfs:label ?l FILTER(REGEX(?l, "(")) }'})
    assert reply.status_code == 400
    assert 'invalid regular expression "(" in REGEX at line 1, column 53' in reply.text
