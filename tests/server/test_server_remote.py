"""`egovgraph serve --endpoint URL`: the server in front of a real SPARQL engine (Oxigraph server, Virtuoso).

Private Oxigraph servers — one with the TriG dump loaded (named graphs as in the build, the default graph
their union), one with the build published into one graph — and the session's private Virtuoso.
Our server runs as a subprocess on loopback; its answers are compared with the in-memory server's and
the embedded store's.
"""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import httpx
import pyoxigraph as ox
import pytest
from rdflib import Graph, URIRef
from rdflib.namespace import VOID
from test_server import SLOW, Server, _plain, running_server

from egovgraph.graph.build import render
from egovgraph.graph.load import Loaded
from egovgraph.sparql.library import named_queries
from egovgraph.sparql.run import prepare
from egovgraph.stores.kinds import embedded
from egovgraph.stores.publish import build_triples, publish
from egovgraph.stores.remote import Endpoint
from egovgraph.vocab.namespaces import graph_iri
from store_servers import Engine, free_port, oxigraph_exe, running_oxigraph, stop, virtuoso

__all__ = ["virtuoso"]  # a fixture, imported for pytest

GRAPH = "https://example.org/graph/served"
SECRET = "s3cr3t-never-shown"
SCHLOEMER = "egovernment-bilanz-teil-3"
PAGES = ("/doc/id/land/berlin", "/doc/id/person/bernd-schloemer", "/doc/id/land/bremen.ttl", "/ontology.nt")


@pytest.fixture(scope="module")
def engine(tmp_path_factory: pytest.TempPathFactory, loaded: Loaded) -> Iterator[Engine]:
    """A private Oxigraph server with the build's named graphs (its default graph their union)."""
    root = tmp_path_factory.mktemp("remote-served")
    dump = root / "egovgraph.trig"
    dump.write_bytes(render(loaded)["egovgraph.trig"])
    # --timeout-s: the engine also stops the runaway query our server gave up on
    with running_oxigraph(root, oxigraph_exe(), "--union-default-graph", "--timeout-s", "20", data=dump) as running:
        yield running


@pytest.fixture(scope="module")
def named(engine: Engine, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    """Our server over the engine's own default graph and named graphs."""
    with running_server(tmp_path_factory.mktemp("named"), "--endpoint", engine.query, xss=False) as running:
        yield running


@pytest.fixture(scope="module")
def plain(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Engine]:
    """A private Oxigraph server as installed (its default graph is its own), the build published into GRAPH."""
    with running_oxigraph(tmp_path_factory.mktemp("plain"), oxigraph_exe(), "--timeout-s", "20") as running:
        publish(
            Endpoint(running.query, update_url=running.update),
            GRAPH,
            triples=build_triples(),
            graph_store=running.graph_store,
        )
        yield running


@pytest.fixture(scope="module")
def flat(plain: Engine, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    """Our server over the one graph `egovgraph publish` wrote."""
    with running_server(
        tmp_path_factory.mktemp("flat"), "--endpoint", plain.query, "--graph", GRAPH, xss=False
    ) as running:
        yield running


@pytest.fixture(scope="module")
def local(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    """The in-memory server over the same bundled data, to compare with."""
    with running_server(tmp_path_factory.mktemp("local"), xss=False) as running:
        yield running


def _solutions(body: bytes) -> list[tuple[str, ...]]:
    parsed = ox.parse_query_results(body, format=ox.QueryResultsFormat.JSON)
    assert isinstance(parsed, ox.QuerySolutions)
    return sorted(tuple("" if t is None else str(t) for t in row) for row in parsed)


def _triples(reply: httpx.Response) -> set[tuple[object, ...]]:
    assert reply.status_code == 200, (reply.status_code, reply.text)
    return set(Graph().parse(data=reply.text, format="nt"))


@pytest.mark.parametrize("mode", ["named", "flat"])
def test_every_named_query_gives_the_embedded_answer(mode: str, request: pytest.FixtureRequest) -> None:
    served: Server = request.getfixturevalue(mode)
    store = embedded()
    for query in named_queries():
        prepared = prepare(name=query.name)
        reply = served.get(
            "/sparql", params={"query": prepared.text}, headers={"Accept": "application/sparql-results+json"}
        )
        assert reply.status_code == 200, (query.name, reply.text)
        expected = store.query(prepared, timeout=30, limit=None)
        assert _solutions(reply.content) == sorted(
            tuple("" if t is None else str(t) for t in row) for row in expected.solutions
        ), query.name


@pytest.mark.parametrize("mode", ["named", "flat"])
def test_pages_match_the_in_memory_server(mode: str, request: pytest.FixtureRequest, local: Server) -> None:
    served: Server = request.getfixturevalue(mode)
    for path in PAGES:
        accept = {"Accept": "application/n-triples"}
        theirs, ours = served.get(path, headers=accept), local.get(path, headers=accept)
        if path.endswith(".ttl"):
            assert theirs.status_code == 200 and theirs.headers["content-type"].startswith("text/turtle")
            assert set(Graph().parse(data=theirs.text, format="turtle")) == set(
                Graph().parse(data=ours.text, format="turtle")
            ), path
        else:
            assert _triples(theirs) == _triples(ours), path
    for path in ("/", "/doc/id/land/bremen", "/class/egov:Land", "/ontology", "/query?name=leaders&land=land:bremen"):
        theirs = served.get(path, headers={"Accept": "text/html"})
        assert theirs.status_code == 200, (path, theirs.text)
    assert "<h1>Bremen</h1>" in served.get("/doc/id/land/bremen", headers={"Accept": "text/html"}).text
    assert "/doc/id/land/bremen" in served.get("/class/egov:Land", headers={"Accept": "text/html"}).text
    assert "Carola Heilemann-Jeschke" in served.get("/query", params={"name": "leaders", "land": "land:bremen"}).text
    # the counts on the home page are the in-memory server's
    home, memory = (s.get("/", headers={"Accept": "text/html"}).text for s in (served, local))
    for count in memory.split("<h2>", 3)[1].split("<li>")[1:4]:
        assert "<li>" + count.split("</li>")[0] in home
    assert served.get("/id/land/bremen", follow_redirects=False).status_code == 303
    _plain(served.get("/doc/id/land/atlantis", headers={"Accept": "text/plain"}), 404, "no resource")
    _plain(served.get("/dumps/egovgraph.ttl", headers={"Accept": "text/plain"}), 404, "SPARQL endpoint")


def _void(server: Server) -> Graph:
    reply = server.get("/.well-known/void")
    assert reply.status_code == 200
    return Graph().parse(data=reply.text, format="turtle")


def test_void_is_counted_in_the_store(named: Server, flat: Server, local: Server, loaded: Loaded) -> None:
    def figures(void: Graph) -> dict[str, object]:
        return {
            str(p): o.toPython()
            for p in (
                VOID.triples,
                VOID.entities,
                VOID.distinctSubjects,
                VOID.properties,
                VOID.distinctObjects,
                VOID.classes,
            )
            for o in void.objects(URIRef("https://w3id.org/egovgraph/dataset/egovgraph"), p)
        }

    expected = figures(_void(local))
    assert expected[str(VOID.triples)] == len(loaded.union())
    assert figures(_void(named)) == expected and figures(_void(flat)) == expected
    # with the build's named graphs: one subset per graph, sized as in memory; not with one published graph
    sizes = {str(g): len(loaded.dataset.graph(g)) for g in loaded.graph_files}
    subsets = {
        str(o): t.toPython()
        for part in _void(named).objects(None, VOID.subset)  # type: ignore[union-attr]
        for o in _void(named).objects(part, URIRef("http://purl.org/dc/terms/identifier"))
        for t in _void(named).objects(part, VOID.triples)
    }
    assert subsets == sizes
    assert not list(_void(flat).objects(None, VOID.subset))
    assert not list(_void(flat).objects(None, VOID.dataDump))  # no dumps served


def test_named_graphs_are_served_when_the_endpoint_has_them(named: Server, flat: Server, local: Server) -> None:
    path = f"/graph/{SCHLOEMER}"
    accept = {"Accept": "application/n-triples"}
    assert _triples(named.get(path, headers=accept)) == _triples(local.get(path, headers=accept))
    page = named.get("/doc/id/land/bremen", headers={"Accept": "text/html"}).text
    assert 'href="/graph/reference?lang=de"' in page  # the graphs holding the resource, asked of the store
    name = str(graph_iri(SCHLOEMER))
    reply = named.get(
        "/sparql",
        params={"query": "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }", "default-graph-uri": name},
        headers={"Accept": "application/json"},
    )
    memory = local.get(
        "/sparql",
        params={"query": "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }", "default-graph-uri": name},
        headers={"Accept": "application/json"},
    )
    assert reply.json() == memory.json()
    _plain(flat.get(path, headers={"Accept": "text/plain"}), 404, "no named graph")
    _plain(flat.get("/sparql", params={"query": "ASK {}", "default-graph-uri": name}), 400, "no named graphs")


def test_results_formats_prefixes_and_limits(flat: Server, local: Server) -> None:
    query = "SELECT ?l WHERE { land:bremen rdfs:label ?l } ORDER BY ?l"  # prefixes the endpoint does not know
    for accept in ("text/csv", "text/tab-separated-values", "application/sparql-results+xml"):
        theirs, ours = (s.get("/sparql", params={"query": query}, headers={"Accept": accept}) for s in (flat, local))
        assert theirs.status_code == 200 and theirs.text == ours.text, accept
    construct = "CONSTRUCT { land:bremen ?p ?o } WHERE { land:bremen ?p ?o }"
    theirs, ours = (
        s.get("/sparql", params={"query": construct}, headers={"Accept": "application/n-triples"})
        for s in (flat, local)
    )
    assert _triples(theirs) == _triples(ours)
    ask = flat.get("/sparql", params={"query": "ASK { land:bremen a egov:Land }", "format": "json"})
    assert ask.json()["boolean"] is True


def test_answers_follow_the_endpoint(plain: Engine, tmp_path: Path) -> None:
    """The endpoint's data may change while serving (a republish): /sparql is not answered from a cache."""
    graph = "https://example.org/graph/changing"
    endpoint = Endpoint(plain.query, update_url=plain.update)
    endpoint.update(f"INSERT DATA {{ GRAPH <{graph}> {{ <urn:x:a> <urn:x:p> 1 }} }}")
    with running_server(tmp_path, "--endpoint", plain.query, "--graph", graph, xss=False) as served:
        count = {"query": "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }", "format": "csv"}
        assert served.get("/sparql", params=count).text.split() == ["n", "1"]
        endpoint.update(f"INSERT DATA {{ GRAPH <{graph}> {{ <urn:x:a> <urn:x:p> 2 }} }}")
        assert served.get("/sparql", params=count).text.split() == ["n", "2"]


def test_form_posts_and_refusals(flat: Server) -> None:
    query = "SELECT ?l WHERE { land:bremen rdfs:label ?l } ORDER BY ?l"
    form = httpx.post(flat.url + "/sparql", data={"query": query}, headers={"Accept": "text/csv"}, timeout=30)
    assert form.status_code == 200 and "Bremen" in form.text
    _plain(flat.get("/sparql", params={"query": "SELECT ?s WHERE { ?s ?p }"}), 400, "malformed query")
    _plain(httpx.post(flat.url + "/sparql", data={"update": "CLEAR ALL"}, timeout=30), 403, "read-only")


def test_a_slow_query_is_stopped(engine: Engine, tmp_path: Path) -> None:
    with running_server(tmp_path, "--endpoint", engine.query, timeout=1.0, xss=False) as served:
        _plain(served.get("/sparql", params={"query": SLOW}), 422, "did not finish within 1 s")
        served.alive()


def test_an_endpoint_that_goes_away(tmp_path: Path, loaded: Loaded) -> None:
    root = tmp_path / "engine"
    root.mkdir()
    with running_oxigraph(root, oxigraph_exe()) as private:
        publish(
            Endpoint(private.query, update_url=private.update),
            GRAPH,
            triples=build_triples(),
            graph_store=private.graph_store,
        )
        with running_server(tmp_path / "ours", "--endpoint", private.query, "--graph", GRAPH, xss=False) as served:
            assert served.get("/doc/id/land/bremen", headers={"Accept": "text/html"}).status_code == 200
            cached = served.get("/sparql", params={"query": "ASK { ?s ?p ?o }", "format": "json"})
            assert cached.status_code == 200
            assert private.process is not None
            stop(private.process)
            reply = served.get("/sparql", params={"query": "SELECT * WHERE { ?s ?p ?o } LIMIT 1"})
            _plain(reply, 502, "cannot reach the SPARQL endpoint " + private.query)
            _plain(served.get("/doc/id/land/berlin", headers={"Accept": "text/plain"}), 502, "did not answer")
            assert served.process.poll() is None  # it keeps serving what needs no store
            assert served.get("/static/style.css").status_code == 200


def _serve(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    """``egovgraph serve ARGS`` with ``env`` (and without EGOVGRAPH_PASSWORD unless ``env`` gives it)."""
    base = {k: v for k, v in os.environ.items() if k != "EGOVGRAPH_PASSWORD"}
    return subprocess.run(
        [sys.executable, "-m", "egovgraph", "serve", *args],
        capture_output=True,
        text=True,
        timeout=60,
        env={**base, **(env or {})},
    )


def test_refusals_at_start() -> None:
    down = f"http://127.0.0.1:{free_port()}/sparql"
    done = _serve("--endpoint", down, "--user", "someone", "--get", "/", env={"EGOVGRAPH_PASSWORD": SECRET})
    assert done.returncode == 2 and f"cannot reach the SPARQL endpoint {down}" in done.stderr, done.stderr
    assert SECRET not in done.stderr + done.stdout and "Traceback" not in done.stderr
    done = _serve("--endpoint", down, "--user", "someone", "--get", "/")
    assert done.returncode == 2 and "EGOVGRAPH_PASSWORD" in done.stderr
    for args, words in (
        (["--endpoint", down, "--store", "oxigraph:x"], "either --store or --endpoint"),
        (["--graph", GRAPH], "--graph and --user go with --endpoint"),
        (["--endpoint", down, "--data", "."], "--data and --file"),
        (["--endpoint", "ftp://example.org/sparql"], "not an http(s) URL"),
    ):
        done = _serve(*args, "--get", "/")
        assert done.returncode == 2 and words in done.stderr, (args, done.stderr)


def test_an_endpoint_answering_garbage_is_refused_at_start(engine: Engine) -> None:
    not_sparql = engine.query.rsplit("/", 1)[0] + "/"  # the engine's HTML start page
    done = _serve("--endpoint", not_sparql, "--get", "/")
    assert done.returncode == 2 and "is not SPARQL results" in done.stderr and "Traceback" not in done.stderr


# --------------------------------------------------------------------------- Virtuoso


def test_virtuoso_behind_the_server(virtuoso: Engine, local: Server, tmp_path: Path) -> None:
    endpoint = Endpoint(virtuoso.query, update_url=virtuoso.update, user=virtuoso.user, password=virtuoso.password)
    publish(endpoint, GRAPH, triples=build_triples())
    with running_server(tmp_path, "--endpoint", virtuoso.query, "--graph", GRAPH, xss=False) as served:
        for path in PAGES[:2]:
            accept = {"Accept": "application/n-triples"}
            assert _triples(served.get(path, headers=accept)) == _triples(local.get(path, headers=accept)), path
        assert "<h1>Bremen</h1>" in served.get("/doc/id/land/bremen", headers={"Accept": "text/html"}).text
        store = embedded()
        for name in ("lands", "leaders", "shared-services"):
            prepared = prepare(name=name)
            reply = served.get(
                "/sparql", params={"query": prepared.text}, headers={"Accept": "application/sparql-results+json"}
            )
            assert reply.status_code == 200, (name, reply.text)
            expected = store.query(prepared, timeout=30, limit=None)
            assert len(_solutions(reply.content)) == len(expected.solutions), name
        void = _void(served)
        assert next(void.objects(None, VOID.triples)).toPython() == endpoint.count(GRAPH)  # type: ignore[union-attr]


def test_remote_queries_map_the_endpoint_failures() -> None:
    """What the server's SPARQL evaluation makes of an endpoint's refusal, error, silence (real HTTP on loopback)."""
    from contextlib import AbstractContextManager

    from test_stores import http_server, silent_server

    from egovgraph.errors import QueryError, QueryTimeout, StoreUnavailable
    from egovgraph.stores.view import RemoteQueries, RemoteSource

    prepared = prepare("SELECT * WHERE { ?s ?p ?o } LIMIT 1")

    def failure(endpoint: AbstractContextManager[str], timeout: float = 5) -> tuple[BaseException, str]:
        with endpoint as url:
            try:
                RemoteQueries(RemoteSource(Endpoint(url)), prefixes={}).execute(prepared, timeout=timeout, limit=10)
            except Exception as err:
                return err, url
        raise AssertionError("the query did not fail")

    err, url = failure(http_server(400, b"Virtuoso 37000 Error SP030: SPARQL compiler: syntax error", {}))
    assert isinstance(err, QueryError) and f"{url} refused the query: HTTP 400" in str(err) and "SP030" in str(err)
    err, url = failure(http_server(500, b"internal error", {}))
    assert isinstance(err, StoreUnavailable) and f"{url} answered HTTP 500" in str(err)
    err, url = failure(http_server(401, b"no", {"WWW-Authenticate": 'Basic realm="x"'}))
    assert isinstance(err, StoreUnavailable) and "needs credentials" in str(err)
    err, url = failure(silent_server(), timeout=1)
    assert isinstance(err, QueryTimeout) and "did not finish within 1 s" in str(err)
