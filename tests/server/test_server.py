"""`egovgraph serve` over real HTTP: a server subprocess on a free loopback port, real SPARQL clients
(SPARQLWrapper, rdflib's SPARQLStore), plain HTTP for content negotiation, dumps and every bad input.
"""

from __future__ import annotations

import http.client
import re
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest
from rdflib import Graph, Literal, Namespace, URIRef
from rdflib.namespace import DCTERMS, OWL, RDF, RDFS, VOID

from egovgraph.graph.load import Loaded
from egovgraph.vocab.namespaces import EGOV, graph_iri
from store_servers import stop

XSS_LABEL = "<img src=x onerror=window.__pwned=1>"
XSS_TTL = f"""\
@prefix egov: <https://w3id.org/egovgraph/ontology#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
<https://w3id.org/egovgraph/id/land/xss> a egov:Land ;
    rdfs:label "{XSS_LABEL}"@de , "{XSS_LABEL}"@en ;
    egov:isoCode "DE-XX" ;
    rdfs:seeAlso <https://w3id.org/egovgraph/id/land/bremen> .
"""
BREMEN = URIRef("https://w3id.org/egovgraph/id/land/bremen")
TIMEOUT = 1.0
SLOW = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l }"


@dataclass(frozen=True)
class Server:
    url: str
    port: int
    process: subprocess.Popen[bytes]

    def get(self, path: str, **kwargs: object) -> httpx.Response:
        return httpx.get(self.url + path, timeout=30, **kwargs)  # type: ignore[arg-type]

    def alive(self) -> None:
        """The server still answers a query (after a refusal)."""
        assert self.process.poll() is None, "the server process ended"
        reply = self.get("/sparql", params={"query": "ASK { ?s ?p ?o }"}, headers={"Accept": "application/json"})
        assert reply.status_code == 200 and reply.json()["boolean"] is True


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _xss_file(tmp: Path) -> Path:
    """The extra data file (in a directory named alike everywhere, so void.ttl names it alike)."""
    path = tmp / "extra" / "xss-labels.ttl"
    path.parent.mkdir(exist_ok=True)
    path.write_text(XSS_TTL, encoding="utf-8")
    return path


@contextmanager
def running_server(
    tmp: Path,
    *options: str,
    timeout: float = TIMEOUT,
    xss: bool = True,
    log: Path | None = None,
    preexec: Callable[[], None] | None = None,
) -> Iterator[Server]:
    """``egovgraph serve`` in a subprocess with a label holding markup layered over the bundled data
    (its stderr written to ``log`` if given; ``preexec`` runs in the child before it starts)."""
    extra = ["--file", str(_xss_file(tmp))] if xss else []
    port = free_port()
    cmd = [sys.executable, "-m", "egovgraph", "serve", "--port", str(port), *extra, "--timeout", str(timeout), *options]
    errors = log.open("wb") if log is not None else subprocess.PIPE
    process = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=errors, preexec_fn=preexec)
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            if process.poll() is not None:
                said = process.stderr.read() if process.stderr else log.read_bytes() if log else b""
                raise RuntimeError(f"the server ended: {said.decode()}")
            try:
                if httpx.get(url + "/static/style.css", timeout=2).status_code == 200:
                    break
            except httpx.TransportError:
                pass
            if time.monotonic() > deadline:
                raise RuntimeError("the server did not answer within 60 s")
            time.sleep(0.1)
        yield Server(url, port, process)
    finally:
        stop(process)
        if log is not None:
            errors.close()  # type: ignore[union-attr]


@pytest.fixture(scope="session")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    with running_server(tmp_path_factory.mktemp("serve")) as running:
        yield running


# --------------------------------------------------------------------------- SPARQL clients


def test_sparqlwrapper_select_json(server: Server) -> None:
    from SPARQLWrapper import JSON, SPARQLWrapper

    client = SPARQLWrapper(server.url + "/sparql")
    client.setQuery("SELECT (COUNT(DISTINCT ?l) AS ?n) WHERE { ?l a egov:Land FILTER(?l != land:xss) }")
    client.setReturnFormat(JSON)
    result = client.queryAndConvert()
    assert result["results"]["bindings"][0]["n"]["value"] == "16"  # type: ignore[index,call-overload]


@pytest.mark.parametrize("method", ["GET", "POST", "POSTDIRECTLY"])
def test_sparqlwrapper_methods_and_xml(server: Server, method: str) -> None:
    from SPARQLWrapper import GET, POST, POSTDIRECTLY, XML, SPARQLWrapper

    client = SPARQLWrapper(server.url + "/sparql")
    client.setMethod(POST if method != "GET" else GET)
    if method == "POSTDIRECTLY":
        client.setRequestMethod(POSTDIRECTLY)
    client.setQuery("SELECT ?label WHERE { land:bremen rdfs:label ?label FILTER(LANG(?label) = 'de') }")
    client.setReturnFormat(XML)
    doc = client.queryAndConvert()
    literals = [n.firstChild.data for n in doc.getElementsByTagName("literal")]  # type: ignore[union-attr]
    assert literals == ["Bremen"]


def test_sparqlwrapper_ask_csv_tsv(server: Server) -> None:
    from SPARQLWrapper import CSV, JSON, TSV, SPARQLWrapper

    client = SPARQLWrapper(server.url + "/sparql")
    client.setQuery("ASK { land:bremen a egov:Land }")
    client.setReturnFormat(JSON)
    assert client.queryAndConvert()["boolean"] is True  # type: ignore[index,call-overload]
    client.setQuery("SELECT ?land WHERE { VALUES ?land { land:bremen land:hamburg } }")
    client.setReturnFormat(CSV)
    assert client.queryAndConvert() == (  # type: ignore[comparison-overlap]
        b"land\r\nhttps://w3id.org/egovgraph/id/land/bremen\r\nhttps://w3id.org/egovgraph/id/land/hamburg\r\n"
    )
    client.setReturnFormat(TSV)
    assert client.queryAndConvert().splitlines()[1] == b"<https://w3id.org/egovgraph/id/land/bremen>"  # type: ignore[union-attr]


@pytest.mark.parametrize("fmt", ["turtle", "xml", "json-ld", "n3"])
def test_sparqlwrapper_construct(server: Server, fmt: str) -> None:
    from SPARQLWrapper import SPARQLWrapper

    client = SPARQLWrapper(server.url + "/sparql")
    client.setQuery("CONSTRUCT { land:bremen rdfs:label ?l } WHERE { land:bremen rdfs:label ?l }")
    client.setReturnFormat(fmt)
    result = client.queryAndConvert()
    graph = result if isinstance(result, Graph) else Graph().parse(data=result, format=fmt)
    assert (BREMEN, RDFS.label, Literal("Bremen", lang="de")) in graph


def test_sparqlwrapper_describe(server: Server) -> None:
    from SPARQLWrapper import TURTLE, SPARQLWrapper

    client = SPARQLWrapper(server.url + "/sparql")
    client.setQuery("DESCRIBE land:bremen")
    client.setReturnFormat(TURTLE)
    graph = Graph().parse(data=client.queryAndConvert(), format="turtle")
    assert (BREMEN, RDF.type, EGOV.Land) in graph


def test_rdflib_sparqlstore(server: Server, loaded: Loaded) -> None:
    from rdflib.plugins.stores.sparqlstore import SPARQLStore

    store = SPARQLStore(server.url + "/sparql", returnFormat="xml")
    rows = list(
        Graph(store).query(
            "SELECT ?label WHERE { <https://w3id.org/egovgraph/id/land/bremen> "
            "<http://www.w3.org/2000/01/rdf-schema#label> ?label }"
        )
    )
    assert {str(r[0]) for r in rows} >= {"Bremen"}  # type: ignore[index]
    # A graph with an identifier queries that named graph only (SPARQLStore sends default-graph-uri).
    name = graph_iri("egovernment-bilanz-teil-3")
    count = list(Graph(store, identifier=name).query("SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"))
    assert int(count[0][0]) == len(loaded.dataset.graph(name))  # type: ignore[index]
    store.close()


def test_default_and_named_graph_uri(server: Server, loaded: Loaded) -> None:
    name = str(graph_iri("egovernment-bilanz-teil-3"))
    count = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"
    accept = {"Accept": "application/sparql-results+json"}
    reply = server.get("/sparql", params={"query": count, "default-graph-uri": name}, headers=accept)
    assert int(reply.json()["results"]["bindings"][0]["n"]["value"]) == len(loaded.dataset.graph(URIRef(name)))
    graphs = server.get(
        "/sparql",
        params={"query": "SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } }", "named-graph-uri": name},
        headers=accept,
    )
    assert [b["g"]["value"] for b in graphs.json()["results"]["bindings"]] == [name]
    empty = server.get("/sparql", params={"query": count, "named-graph-uri": name}, headers=accept)
    assert empty.json()["results"]["bindings"][0]["n"]["value"] == "0"
    unknown = server.get("/sparql", params={"query": count, "default-graph-uri": "http://example.org/g"})
    assert unknown.status_code == 400 and "unknown graph <http://example.org/g>" in unknown.text
    server.alive()


@pytest.mark.parametrize(
    ("accept", "fmt", "media"),
    [
        ("application/sparql-results+json", None, "application/sparql-results+json"),
        ("application/sparql-results+xml", None, "application/sparql-results+xml"),
        ("text/csv", None, "text/csv"),
        ("text/tab-separated-values", None, "text/tab-separated-values"),
        ("*/*", None, "application/sparql-results+json"),
        ("text/html", "csv", "text/csv"),
        ("", "tsv", "text/tab-separated-values"),
        ("text/html", None, "text/html"),
    ],
)
def test_select_negotiation(server: Server, accept: str, fmt: str | None, media: str) -> None:
    params = {"query": "SELECT ?l WHERE { land:bremen rdfs:label ?l }", **({"format": fmt} if fmt else {})}
    reply = server.get("/sparql", params=params, headers={"Accept": accept} if accept else {})
    assert reply.status_code == 200, reply.text
    assert reply.headers["content-type"].split(";")[0] == media
    assert "Bremen" in reply.text
    assert "Accept" in reply.headers["vary"]


@pytest.mark.parametrize(
    ("accept", "rdf_format"),
    [
        ("text/turtle", "turtle"),
        ("application/n-triples", "nt"),
        ("application/ld+json", "json-ld"),
        ("application/rdf+xml", "xml"),
    ],
)
def test_construct_negotiation(server: Server, accept: str, rdf_format: str) -> None:
    reply = server.get(
        "/sparql", params={"query": "CONSTRUCT WHERE { land:bremen rdfs:label ?l }"}, headers={"Accept": accept}
    )
    assert reply.status_code == 200 and reply.headers["content-type"].startswith(accept)
    assert (BREMEN, RDFS.label, Literal("Bremen", lang="de")) in Graph().parse(data=reply.text, format=rdf_format)


def test_row_cap_is_reported(server: Server) -> None:
    reply = server.get("/sparql", params={"query": "SELECT * WHERE { ?s ?p ?o . ?x a egov:Land }", "format": "json"})
    assert reply.status_code == 200
    assert len(reply.json()["results"]["bindings"]) == 10_000
    assert reply.headers["x-result-truncated"] == "10000"


def test_cors(server: Server) -> None:
    reply = server.get("/sparql", params={"query": "ASK {}"}, headers={"Origin": "https://yasgui.example"})
    assert reply.headers["access-control-allow-origin"] == "*"
    pre = httpx.options(
        server.url + "/sparql",
        headers={
            "Origin": "https://yasgui.example",
            "Access-Control-Request-Method": "POST",
            "Access-Control-Request-Headers": "content-type",
        },
    )
    assert pre.status_code == 204
    assert "POST" in pre.headers["access-control-allow-methods"]
    assert "Content-Type" in pre.headers["access-control-allow-headers"]
    assert pre.headers["access-control-allow-origin"] == "*"


SD = Namespace("http://www.w3.org/ns/sparql-service-description#")
FORMATS = Namespace("http://www.w3.org/ns/formats/")


@pytest.mark.parametrize(
    ("accept", "rdf_format"),
    [
        ("text/turtle", "turtle"),
        ("application/n-triples", "nt"),
        ("application/ld+json", "json-ld"),
        ("application/rdf+xml", "xml"),
        ("", "turtle"),
    ],
)
def test_service_description(server: Server, accept: str, rdf_format: str) -> None:
    reply = server.get("/sparql", headers={"Accept": accept} if accept else {})
    assert reply.status_code == 200, reply.text
    assert reply.headers["content-type"].split(";")[0] == (accept or "text/turtle")
    assert "Accept" in reply.headers["vary"]
    sd = Graph().parse(data=reply.content, format=rdf_format)
    endpoint = URIRef(server.url + "/sparql")
    assert (endpoint, RDF.type, SD.Service) in sd
    assert (endpoint, SD.endpoint, endpoint) in sd
    assert set(sd.objects(endpoint, SD.supportedLanguage)) == {SD.SPARQL11Query}
    assert set(sd.objects(endpoint, SD.resultFormat)) == {
        FORMATS[n]
        for n in (
            "SPARQL_Results_JSON",
            "SPARQL_Results_XML",
            "SPARQL_Results_CSV",
            "SPARQL_Results_TSV",
            "Turtle",
            "N-Triples",
            "JSON-LD",
            "RDF_XML",
        )
    }
    assert set(sd.objects(endpoint, SD.feature)) == {SD.UnionDefaultGraph}  # no SERVICE, no dereferencing
    dataset = sd.value(endpoint, SD.defaultDataset)
    assert (dataset, RDF.type, SD.Dataset) in sd
    assert (dataset, RDFS.seeAlso, URIRef(server.url + "/.well-known/void")) in sd
    # the triple counts are the VoID's: the union as default graph, one named graph per source file
    void = Graph().parse(data=server.get("/.well-known/void").text, format="turtle")
    whole = next(void.subjects(RDF.type, VOID.Dataset, unique=True))
    counts = {
        str(void.value(part, DCTERMS.identifier)): void.value(part, VOID.triples).toPython()  # type: ignore[union-attr]
        for part in void.objects(whole, VOID.subset)
    }
    default = sd.value(dataset, SD.defaultGraph)
    assert sd.value(default, VOID.triples).toPython() == void.value(whole, VOID.triples).toPython()  # type: ignore[union-attr]
    named = {
        str(sd.value(n, SD.name)): sd.value(sd.value(n, SD.graph), VOID.triples).toPython()  # type: ignore[union-attr]
        for n in sd.objects(dataset, SD.namedGraph)
    }
    assert named == counts and len(named) > 20


def test_service_description_for_browsers(server: Server) -> None:
    page = server.get("/sparql", headers={"Accept": "text/html,application/xhtml+xml,*/*;q=0.8"})
    assert page.status_code == 200 and page.headers["content-type"].startswith("text/html")
    assert '<textarea name="query"' in page.text
    assert server.get("/sparql", params={"format": "nt"}).headers["content-type"].startswith("application/n-triples")


# --------------------------------------------------------------------------- linked data


def test_resource_iri_303_to_document(server: Server) -> None:
    reply = server.get("/id/land/bremen?lang=en", headers={"Accept": "text/turtle"})
    assert reply.status_code == 303
    assert reply.headers["location"] == "/doc/id/land/bremen?lang=en"
    assert "Accept" in reply.headers["vary"]
    followed = server.get("/id/land/bremen", headers={"Accept": "text/turtle"}, follow_redirects=True)
    assert followed.status_code == 200 and followed.headers["content-type"].startswith("text/turtle")


@pytest.mark.parametrize(
    ("accept", "media", "rdf_format", "suffix"),
    [
        ("text/turtle", "text/turtle", "turtle", ".ttl"),
        ("application/n-triples", "application/n-triples", "nt", ".nt"),
        ("application/ld+json", "application/ld+json", "json-ld", ".jsonld"),
        ("application/rdf+xml", "application/rdf+xml", "xml", ".rdf"),
        ("application/rdf+xml;q=0.5, text/turtle;q=0.9", "text/turtle", "turtle", ".ttl"),
        ("", "text/turtle", "turtle", ".ttl"),
    ],
)
def test_resource_conneg(server: Server, accept: str, media: str, rdf_format: str, suffix: str) -> None:
    reply = server.get("/doc/id/land/bremen", headers={"Accept": accept} if accept else {})
    assert reply.status_code == 200
    assert reply.headers["content-type"].split(";")[0] == media
    assert reply.headers["content-location"] == "/doc/id/land/bremen" + suffix
    assert "Accept" in reply.headers["vary"]
    graph = Graph().parse(data=reply.content, format=rdf_format)
    assert (BREMEN, RDF.type, EGOV.Land) in graph
    assert (BREMEN, RDFS.label, Literal("Bremen", lang="de")) in graph
    # incoming links are part of the description
    assert any(True for _ in graph.subject_predicates(BREMEN))
    # the suffix names the same variant
    direct = server.get("/doc/id/land/bremen" + suffix, headers={"Accept": "text/html"})
    assert direct.content == reply.content


def test_resource_html_and_format_override(server: Server) -> None:
    browser = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"
    page = server.get("/doc/id/land/bremen", headers={"Accept": browser})
    assert page.headers["content-type"].startswith("text/html")
    assert "<h1>Bremen</h1>" in page.text
    assert page.headers["content-location"] == "/doc/id/land/bremen.html"
    forced = server.get("/doc/id/land/bremen?format=nt", headers={"Accept": browser})
    assert forced.headers["content-type"].startswith("application/n-triples")


def _dossier_section(html: str) -> str:
    found = re.search(r'<section class="dossier".*?</section>', html, re.S)
    assert found, "no dossier on the page"
    return found.group(0)


def test_land_page_has_the_dossier_above_its_properties(server: Server, loaded: Loaded) -> None:
    from egovgraph.views.dossier import dossier

    page = server.get("/doc/id/land/bremen", headers={"Accept": "text/html"}).text
    section = _dossier_section(page)
    assert page.index(section) < page.index("<h2>Eigenschaften</h2>")
    expected = dossier(loaded, "land:bremen")
    assert section.count("<tr>", section.index('class="leaders"')) >= len(expected.leaders)
    assert section.count('<tr data-status="') >= len(expected.initiatives)
    assert 'href="/doc/id/person/carola-heilemann-jeschke?lang=de"' in section  # links stay on this server
    english = _dossier_section(server.get("/doc/id/land/bremen?lang=en", headers={"Accept": "text/html"}).text)
    assert "Leaders over time" in english
    assert 'class="dossier"' not in server.get("/doc/id/person/bernd-schloemer", headers={"Accept": "text/html"}).text
    assert "dossier" not in server.get("/doc/id/land/bremen", headers={"Accept": "text/turtle"}).text


def test_unknown_iri_is_404_with_a_page(server: Server) -> None:
    page = server.get("/id/land/atlantis", headers={"Accept": "text/html"})
    assert page.status_code == 404 and page.headers["content-type"].startswith("text/html")
    assert "land/atlantis" in page.text
    plain = server.get("/doc/id/land/atlantis", headers={"Accept": "text/turtle"})
    assert plain.status_code == 404 and plain.headers["content-type"].startswith("text/plain")
    assert "no resource <https://w3id.org/egovgraph/id/land/atlantis>" in plain.text


def test_ontology_and_vocabulary(server: Server) -> None:
    onto = server.get("/ontology", headers={"Accept": "text/turtle"})
    graph = Graph().parse(data=onto.text, format="turtle")
    assert (EGOV.Land, RDF.type, OWL.Class) in graph
    page = server.get("/ontology", headers={"Accept": "text/html"})
    assert 'id="Land"' in page.text
    assert server.get("/ontology.jsonld").headers["content-type"].startswith("application/ld+json")
    concept = server.get("/vocab/status/planned", follow_redirects=True, headers={"Accept": "text/turtle"})
    assert concept.status_code == 200, concept.text
    planned = URIRef("https://w3id.org/egovgraph/vocab/status/planned")
    assert (planned, RDF.type, None) in Graph().parse(data=concept.text, format="turtle")


def test_language_switch(server: Server) -> None:
    english = server.get(
        "/doc/id/initiative/bremen-fokusleistungen",
        headers={"Accept": "text/html", "Accept-Language": "en-GB,en;q=0.9,de;q=0.5"},
    )
    assert '<html lang="en">' in english.text and "Reuse or provision" in english.text
    assert "Accept-Language" in english.headers["vary"]
    german = server.get(
        "/doc/id/initiative/bremen-fokusleistungen?lang=de", headers={"Accept": "text/html", "Accept-Language": "en"}
    )
    assert '<html lang="de">' in german.text and "Nachnutzung oder Bereitstellung" in german.text


def test_pages(server: Server) -> None:
    home = server.get("/", headers={"Accept": "text/html"})
    assert home.status_code == 200 and "/dumps/egovgraph.ttl" in home.text and "/class/egov:Land" in home.text
    assert "script" not in home.text.lower()
    assert "default-src 'none'" in home.headers["content-security-policy"]
    cls = server.get("/class/egov:Land", headers={"Accept": "text/html"})
    assert cls.status_code == 200 and "/doc/id/land/bremen" in cls.text
    assert server.get("/class/egov:Nothing").status_code == 404
    query = server.get("/query", params={"name": "leaders"})
    assert query.status_code == 200 and "<table>" in query.text and "/doc/id/land/" in query.text
    bad = server.get("/query", params={"query": "SELECT WHERE {"})
    assert bad.status_code == 400 and 'class="error"' in bad.text


def test_markup_in_labels_is_text_everywhere(server: Server) -> None:
    escaped = "&lt;img src=x onerror=window.__pwned=1&gt;"
    for path in (
        "/doc/id/land/xss",
        "/doc/id/land/bremen",
        "/class/egov:Land",
        "/graph/xss-labels",
        "/query?query=SELECT+%3Fl+WHERE+%7B+land%3Axss+rdfs%3Alabel+%3Fl+%7D",
        "/sparql?query=SELECT+%3Fx+WHERE+%7B+%3Fx+a+egov%3ALand+%7D",
    ):
        page = server.get(path, headers={"Accept": "text/html"})
        assert page.status_code == 200, path
        assert "<img" not in page.text, path
        assert escaped in page.text, path


# --------------------------------------------------------------------------- named graphs

SCHLOEMER = "cio-de-schloemer"


@pytest.mark.parametrize(
    ("accept", "media", "rdf_format", "suffix"),
    [
        ("text/turtle", "text/turtle", "turtle", ".ttl"),
        ("application/n-triples", "application/n-triples", "nt", ".nt"),
        ("application/ld+json", "application/ld+json", "json-ld", ".jsonld"),
        ("application/rdf+xml", "application/rdf+xml", "xml", ".rdf"),
        ("", "text/turtle", "turtle", ".ttl"),
    ],
)
def test_named_graph_conneg(
    server: Server, loaded: Loaded, accept: str, media: str, rdf_format: str, suffix: str
) -> None:
    name = graph_iri(SCHLOEMER)
    reply = server.get(f"/graph/{SCHLOEMER}", headers={"Accept": accept} if accept else {})
    assert reply.status_code == 200
    assert reply.headers["content-type"].split(";")[0] == media
    assert reply.headers["content-location"] == f"/graph/{SCHLOEMER}{suffix}"
    assert "Accept" in reply.headers["vary"]
    graph = Graph().parse(data=reply.content, format=rdf_format)
    assert set(graph) == set(loaded.dataset.graph(name))  # exactly the graph's triples
    assert server.get(f"/graph/{SCHLOEMER}{suffix}", headers={"Accept": "text/html"}).content == reply.content


def test_named_graph_trig_keeps_the_name(server: Server, loaded: Loaded) -> None:
    from rdflib import Dataset

    name = graph_iri(SCHLOEMER)
    reply = server.get(f"/graph/{SCHLOEMER}", headers={"Accept": "application/trig"})
    assert reply.headers["content-type"].startswith("application/trig")
    dataset = Dataset().parse(data=reply.content, format="trig")
    assert len(dataset.graph(name)) == len(loaded.dataset.graph(name)) > 10
    assert server.get(f"/graph/{SCHLOEMER}.trig").content == reply.content


def test_named_graph_page(server: Server, loaded: Loaded) -> None:
    name = graph_iri(SCHLOEMER)
    page = server.get(f"/graph/{SCHLOEMER}", headers={"Accept": "text/html", "Accept-Language": "en"})
    assert page.status_code == 200 and page.headers["content-type"].startswith("text/html")
    assert page.headers["content-location"] == f"/graph/{SCHLOEMER}.html"
    assert f"<code>sources/{SCHLOEMER}.ttl</code>" in page.text
    assert f"{len(loaded.dataset.graph(name))} triples" in page.text
    assert '<a href="/doc/id/person/bernd-schloemer?lang=en"' in page.text and ">Bernd Schlömer</a>" in page.text
    assert "https://www.cio.de/" in page.text  # the source with its address
    # every graph the server names is listed on the home page and answers
    home = server.get("/", headers={"Accept": "text/html"})
    graphs = {str(g).rsplit("/", 1)[-1] for g in loaded.graph_files} | {"xss-labels"}
    for graph in graphs:
        assert f'href="/graph/{graph}?lang=de"' in home.text, graph
    assert server.get("/graph/ontology", headers={"Accept": "text/html"}).status_code == 200
    # resource pages link their graphs: in the header and next to each source in the evidence section
    person = server.get("/doc/id/person/bernd-schloemer", headers={"Accept": "text/html"}).text
    assert person.count(f'href="/graph/{SCHLOEMER}?lang=de"') >= 2
    # the graph IRI is a link wherever it is shown, e.g. in a query result
    result = server.get(
        "/sparql",
        params={"query": "SELECT DISTINCT ?g WHERE { GRAPH ?g { land:bremen ?p ?o } }"},
        headers={"Accept": "text/html"},
    )
    assert 'href="/graph/reference?lang=de"' in result.text


def test_unknown_named_graph(server: Server) -> None:
    _plain(
        server.get("/graph/nowhere", headers={"Accept": "text/plain"}),
        404,
        "no named graph <https://w3id.org/egovgraph/graph/nowhere>",
    )
    assert server.get("/graph/nowhere", headers={"Accept": "text/html"}).status_code == 404
    _plain(server.get(f"/graph/{SCHLOEMER}", headers={"Accept": "image/png"}), 406, "image/png")
    _plain(server.get(f"/graph/{SCHLOEMER}.docx"), 404, "no named graph")
    server.alive()


# --------------------------------------------------------------------------- --base-iri

REBASED = "https://data.example.org/egov/"


@pytest.fixture(scope="module")
def rebased(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    with running_server(tmp_path_factory.mktemp("rebased"), "--base-iri", REBASED) as running:
        yield running


def _rows(server: Server, query: str) -> list[dict[str, str]]:
    reply = server.get("/sparql", params={"query": query}, headers={"Accept": "application/sparql-results+json"})
    assert reply.status_code == 200, reply.text
    return [{k: v["value"] for k, v in b.items()} for b in reply.json()["results"]["bindings"]]


def test_rebased_prefixes_follow_the_base(rebased: Server) -> None:
    rows = _rows(rebased, "SELECT ?l WHERE { land:bremen rdfs:label ?l FILTER(LANG(?l) = 'de') }")
    assert rows == [{"l": "Bremen"}]
    iri = _rows(rebased, "SELECT ?x WHERE { BIND(person:someone AS ?x) }")[0]["x"]
    assert iri == REBASED + "id/person/someone"
    # the vocabularies are the project's terms: not rebased
    reply = rebased.get("/sparql", params={"query": "ASK { land:bremen a egov:Land }", "format": "json"})
    assert reply.json()["boolean"] is True
    assert (
        rebased.get("/id/land/bremen", headers={"Accept": "text/turtle"}).headers["location"] == "/doc/id/land/bremen"
    )
    graph = rebased.get("/graph/reference", headers={"Accept": "text/turtle"})
    assert (URIRef(REBASED + "id/land/bremen"), RDF.type, EGOV.Land) in Graph().parse(data=graph.text)
    # an IRI without a label is shown with the served prefix, as at the default base
    page = rebased.get("/doc/id/land/bremen", headers={"Accept": "text/html"}).text
    assert f'title="{REBASED}id/evidence/iso-3166-2-de">evidence:iso-3166-2-de</a>' in page
    assert f">{REBASED}id/evidence/" not in page


def test_rebased_named_queries_at_sparql(server: Server, rebased: Server) -> None:
    from egovgraph.sparql.library import named_queries
    from egovgraph.sparql.run import prepare

    answered = 0
    for named in named_queries():
        text = prepare(name=named.name).text  # with its defaults bound, no PREFIX lines
        default, ours = _rows(server, text), _rows(rebased, text)
        assert len(ours) == len(default), named.name
        values = " ".join(v for row in ours for v in row.values())
        assert "w3id.org/egovgraph/id/" not in values, named.name
        answered += bool(ours)
    assert answered >= 15
    bremen = prepare(name="leaders", bind_values={"land": "land:bremen"}).text  # bound with the default base
    assert _rows(rebased, bremen.replace("https://w3id.org/egovgraph/id/", REBASED + "id/"))


@pytest.mark.parametrize(
    ("name", "params"),
    [("leaders", {"land": "land:bremen"}), ("portals", {}), ("facts", {"fact": "person:christian-pfromm"})],
)
def test_rebased_named_queries_on_the_query_page(
    server: Server, rebased: Server, name: str, params: dict[str, str]
) -> None:
    pages = [
        s.get("/query", params={"name": name, **params}, headers={"Accept": "text/html"}) for s in (server, rebased)
    ]
    assert [p.status_code for p in pages] == [200, 200], pages[1].text
    counts = [p.text.split("<p class='meta'>", 1)[1].split("<", 1)[0] for p in pages]
    assert counts[0] == counts[1] and not counts[1].startswith("0 "), counts
    assert "/doc/id/" in pages[1].text


def test_rebased_dumps_are_the_rebased_build(rebased: Server, tmp_path: Path) -> None:
    from egovgraph.graph.build import render
    from egovgraph.graph.load import load

    outputs = render(load(files=[_xss_file(tmp_path)], base_iri=REBASED))
    for name in ("egovgraph.trig", "void.ttl"):
        path = "/.well-known/void" if name == "void.ttl" else f"/dumps/{name}"
        assert rebased.get(path).content == outputs[name], name


# --------------------------------------------------------------------------- dumps and VoID


@pytest.mark.parametrize(
    ("name", "media"),
    [
        ("egovgraph.ttl", "text/turtle"),
        ("egovgraph.nt", "application/n-triples"),
        ("egovgraph.jsonld", "application/ld+json"),
        ("egovgraph.trig", "application/trig"),
    ],
)
def test_dumps_with_validators(server: Server, name: str, media: str) -> None:
    reply = server.get(f"/dumps/{name}")
    assert reply.status_code == 200 and reply.headers["content-type"].startswith(media)
    etag, modified = reply.headers["etag"], reply.headers["last-modified"]
    assert etag.startswith('"') and modified.endswith("GMT")
    again = server.get(f"/dumps/{name}", headers={"If-None-Match": etag})
    assert again.status_code == 304 and again.content == b"" and again.headers["etag"] == etag
    assert server.get(f"/dumps/{name}", headers={"If-None-Match": '"other", ' + etag}).status_code == 304
    assert server.get(f"/dumps/{name}", headers={"If-None-Match": '"other"'}).status_code == 200
    assert server.get(f"/dumps/{name}", headers={"If-Modified-Since": modified}).status_code == 304
    old = "Mon, 01 Jan 2001 00:00:00 GMT"
    assert server.get(f"/dumps/{name}", headers={"If-Modified-Since": old}).status_code == 200
    head = httpx.head(server.url + f"/dumps/{name}")  # the same Accept-Encoding (gzip) as the GET
    assert head.status_code == 200 and head.content == b"" and head.headers["etag"] == etag
    assert int(head.headers["content-length"]) == reply.num_bytes_downloaded


def test_dumps_are_the_build(server: Server, tmp_path: Path) -> None:
    from egovgraph.graph.build import render
    from egovgraph.graph.load import load

    outputs = render(load(files=[_xss_file(tmp_path)]))
    for name in ("egovgraph.ttl", "egovgraph.nt", "egovgraph.jsonld", "egovgraph.trig"):
        assert server.get(f"/dumps/{name}").content == outputs[name], name
    assert server.get("/.well-known/void").content == outputs["void.ttl"]


def test_void(server: Server) -> None:
    reply = server.get("/.well-known/void")
    assert reply.status_code == 200 and reply.headers["content-type"].startswith("text/turtle")
    graph = Graph().parse(data=reply.text, format="turtle")
    assert any(graph.subjects(RDF.type, VOID.Dataset))
    assert server.get("/dataset/egovgraph").headers["location"] == "/.well-known/void"


# ------------------------------------------------------------- bad input: 4xx, a plain message, still serving


def _plain(reply: httpx.Response, status: int, words: str) -> None:
    assert reply.status_code == status, (reply.status_code, reply.text)
    assert reply.headers["content-type"].startswith("text/plain"), reply.headers
    assert words in reply.text, reply.text


def test_malformed_query(server: Server) -> None:
    _plain(server.get("/sparql", params={"query": "SELECT ?s WHERE { ?s ?p }"}), 400, "malformed query")
    _plain(server.get("/sparql", params={"query": "SELEC * WHERE { ?s ?p ?o }"}), 400, "malformed query")
    _plain(server.get("/sparql", params={"query": "SELECT * WHERE { ?s nope:x ?o }"}), 400, "nope")
    # GET /sparql without a query is the service description; without a query otherwise, a refusal
    _plain(server.get("/sparql", headers={"Accept": "application/sparql-results+json"}), 400, "no query")
    _plain(httpx.post(server.url + "/sparql", data={"format": "json"}), 400, "no query")
    _plain(
        httpx.post(server.url + "/sparql", content=b"", headers={"Content-Type": "application/sparql-query"}),
        400,
        "malformed query",
    )
    server.alive()


@pytest.mark.parametrize(
    "update",
    [
        "INSERT DATA { <urn:a> <urn:b> <urn:c> }",
        "DELETE WHERE { ?s ?p ?o }",
        "DROP ALL",
        "LOAD <http://example.org/data.ttl>",
        "CLEAR DEFAULT",
    ],
)
def test_update_in_query_is_malformed(server: Server, update: str) -> None:
    _plain(server.get("/sparql", params={"query": update}), 400, "refused")
    _plain(
        httpx.post(
            server.url + "/sparql", content=update.encode(), headers={"Content-Type": "application/sparql-query"}
        ),
        400,
        "refused",
    )
    server.alive()


def test_update_operation_is_forbidden(server: Server) -> None:
    _plain(
        httpx.post(server.url + "/sparql", data={"update": "INSERT DATA { <urn:a> <urn:b> <urn:c> }"}), 403, "read-only"
    )
    _plain(
        httpx.post(server.url + "/sparql", content=b"DROP ALL", headers={"Content-Type": "application/sparql-update"}),
        403,
        "read-only",
    )
    from SPARQLWrapper import POST, SPARQLWrapper

    client = SPARQLWrapper(server.url + "/sparql")
    client.setMethod(POST)
    client.setQuery("INSERT DATA { <urn:a> <urn:b> <urn:c> }")
    with pytest.raises(urllib.error.HTTPError) as caught:
        client.query()
    assert caught.value.code == 403
    server.alive()


@pytest.mark.parametrize(
    ("query", "words"),
    [
        ("SELECT * WHERE { SERVICE <http://127.0.0.1:9/sparql> { ?s ?p ?o } }", "SERVICE is refused"),
        ("SELECT * FROM <http://example.org/graph.ttl> WHERE { ?s ?p ?o }", "FROM / FROM NAMED is refused"),
        ("SELECT * FROM NAMED <file:///etc/passwd> WHERE { GRAPH ?g { ?s ?p ?o } }", "FROM / FROM NAMED is refused"),
    ],
)
def test_outside_addresses_are_refused(server: Server, query: str, words: str) -> None:
    _plain(server.get("/sparql", params={"query": query}), 400, words)
    server.alive()


def test_query_over_the_time_limit(server: Server) -> None:
    started = time.monotonic()
    reply = server.get("/sparql", params={"query": SLOW})
    _plain(reply, 422, f"did not finish within {TIMEOUT:g} s")
    assert time.monotonic() - started < TIMEOUT + 5
    server.alive()


def test_body_over_the_limit(server: Server) -> None:
    big = b"# " + b"x" * 300_000 + b"\nASK {}"
    _plain(
        httpx.post(server.url + "/sparql", content=big, headers={"Content-Type": "application/sparql-query"}),
        413,
        "limit",
    )
    server.alive()

    def chunks() -> Iterator[bytes]:  # no Content-Length: the limit holds while reading
        for _ in range(40):
            yield b"#" * 10_000

    _plain(
        httpx.post(server.url + "/sparql", content=chunks(), headers={"Content-Type": "application/sparql-query"}),
        413,
        "limit",
    )
    server.alive()


def test_unknown_format(server: Server) -> None:
    _plain(server.get("/sparql", params={"query": "ASK {}", "format": "docx"}), 406, "unknown format 'docx'")
    _plain(server.get("/sparql", params={"query": "ASK {}"}, headers={"Accept": "image/png"}), 406, "image/png")
    _plain(server.get("/sparql", params={"query": "CONSTRUCT WHERE { ?s ?p ?o }", "format": "csv"}), 406, "csv")
    _plain(server.get("/doc/id/land/bremen", headers={"Accept": "application/pdf"}), 406, "application/pdf")
    server.alive()


def test_wrong_method(server: Server) -> None:
    reply = httpx.request("DELETE", server.url + "/sparql")
    _plain(reply, 405, "not DELETE")
    assert "POST" in reply.headers["allow"] and "GET" in reply.headers["allow"]
    reply = httpx.post(server.url + "/dumps/egovgraph.ttl", content=b"x")
    _plain(reply, 405, "not POST")
    assert reply.headers["allow"].startswith("GET")
    _plain(httpx.put(server.url + "/", content=b"x"), 405, "not PUT")
    server.alive()


def test_unsupported_content_type(server: Server) -> None:
    _plain(
        httpx.post(server.url + "/sparql", content=b"ASK {}", headers={"Content-Type": "text/plain"}),
        415,
        "application/sparql-query",
    )
    server.alive()


def test_non_utf8(server: Server) -> None:
    body = "ASK { ?s rdfs:label 'Bücher' }".encode("latin-1")
    _plain(
        httpx.post(server.url + "/sparql", content=body, headers={"Content-Type": "application/sparql-query"}),
        400,
        "not UTF-8",
    )
    _plain(httpx.get(server.url + "/sparql?query=ASK%20%7B%20%3Fs%20%3Fp%20%22B%FCcher%22%20%7D"), 400, "not UTF-8")
    _plain(
        httpx.post(
            server.url + "/sparql",
            content=b"query=ASK+%7B%7D%FF",
            headers={"Content-Type": "application/x-www-form-urlencoded"},
        ),
        400,
        "not UTF-8",
    )
    server.alive()


@pytest.mark.parametrize(
    "path",
    [
        "/dumps/../../../../etc/passwd",
        "/dumps/..%2f..%2f..%2fetc%2fpasswd",
        "/doc/id/../../../etc/passwd",
        "/static/../../pyproject.toml",
        "/id/%2e%2e/%2e%2e/etc/passwd",
        "/dumps/%2e%2e",
        "/graph/../../etc/passwd",
        "/graph/%2e%2e",
        "/graph/..%2f..%2fpyproject.toml",
    ],
)
def test_path_traversal(server: Server, path: str) -> None:
    conn = http.client.HTTPConnection("127.0.0.1", server.port, timeout=10)  # sends the path as written
    conn.request("GET", path, headers={"Accept": "text/plain"})
    reply = conn.getresponse()
    body = reply.read().decode()
    conn.close()
    assert reply.status == 404, (path, reply.status, body)
    assert reply.getheader("content-type", "").startswith("text/plain")
    assert "root:" not in body and "[project]" not in body
    server.alive()


def test_raw_urllib_client(server: Server) -> None:
    request = urllib.request.Request(server.url + "/doc/id/land/bremen", headers={"Accept": "application/n-triples"})
    with urllib.request.urlopen(request, timeout=10) as reply:
        assert reply.headers["Content-Type"].startswith("application/n-triples")
        assert b"<https://w3id.org/egovgraph/id/land/bremen>" in reply.read()


# --------------------------------------------------------------------------- in process: negotiation, --get, settings


def test_negotiate() -> None:
    from egovgraph.server.app import negotiate

    offers = ["text/turtle", "text/html"]
    assert negotiate("", offers) == "text/turtle"
    assert negotiate("*/*", offers) == "text/turtle"
    assert negotiate("text/html,application/xhtml+xml,*/*;q=0.8", offers) == "text/html"
    assert negotiate("text/*;q=0.5, text/html;q=0.1", offers) == "text/turtle"
    assert negotiate("text/turtle;q=0", offers) is None
    assert negotiate("image/png", offers) is None


def test_cli_get(runner: object) -> None:
    from click.testing import CliRunner

    from egovgraph.cli import main

    cli = CliRunner()
    result = cli.invoke(main, ["serve", "--get", "/id/land/bremen"])
    assert result.exit_code == 0, result.output
    assert result.output.startswith("HTTP 303") and "location: /doc/id/land/bremen" in result.output
    result = cli.invoke(main, ["serve", "--get", "/doc/id/land/bremen", "--accept", "application/n-triples"])
    assert result.exit_code == 0 and "<https://w3id.org/egovgraph/id/land/bremen>" in result.output
    result = cli.invoke(main, ["serve", "--get", "/nowhere"])
    assert result.exit_code == 1 and result.output.startswith("HTTP 404")


def test_serve_help_shows_the_defaults() -> None:
    from click.testing import CliRunner

    from egovgraph import defaults
    from egovgraph.cli import main

    result = CliRunner().invoke(main, ["serve", "--help"], terminal_width=200)
    assert result.exit_code == 0, result.output
    flat = " ".join(result.output.split())
    for option, value in (
        ("--host", defaults.HOST),
        ("--port", defaults.PORT),
        ("--timeout", defaults.QUERY_TIMEOUT),
        ("--limit", defaults.ROW_LIMIT),
        ("--max-body", defaults.MAX_BODY),
        ("--header-timeout", defaults.HEADER_TIMEOUT),
        ("--body-timeout", defaults.BODY_TIMEOUT),
        ("--max-connections", defaults.MAX_CONNECTIONS),
    ):
        assert re.search(rf"{option}\b[^\[]*\[default: {re.escape(str(value))}", flat), (option, value)
    assert re.search(r"--forwarded-allow-ips\b[^\[]*\[default: \(none\)\]", flat)  # trusts no proxy


# --------------------------------------------------------------------------- serve --store oxigraph:PATH


@pytest.fixture(scope="module")
def on_disk(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    from egovgraph.stores.kinds import load_oxigraph

    root = tmp_path_factory.mktemp("oxigraph-served")
    load_oxigraph(root / "store")  # the bundled build, as `egovgraph load --store oxigraph:PATH` does
    with running_server(
        root, "--store", f"oxigraph:{root / 'store'}", "--workers", "2", "--lane-workers", "0", xss=False
    ) as running:
        yield running


def test_store_answers_sparql(on_disk: Server, loaded: Loaded) -> None:
    # the same triples as the loaded union (a triple two sources state is one triple of the union)
    count = _rows(on_disk, "SELECT (COUNT(*) AS ?n) WHERE { SELECT DISTINCT ?s ?p ?o WHERE { ?s ?p ?o } }")
    assert int(count[0]["n"]) == len(loaded.union())
    assert _rows(on_disk, "SELECT ?l WHERE { land:bremen rdfs:label ?l FILTER(LANG(?l) = 'de') }") == [{"l": "Bremen"}]
    name = str(graph_iri("egovernment-bilanz-teil-3"))
    reply = on_disk.get(
        "/sparql",
        params={"query": "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }", "default-graph-uri": name},
        headers={"Accept": "application/json"},
    )
    assert int(reply.json()["results"]["bindings"][0]["n"]["value"]) == len(loaded.dataset.graph(URIRef(name)))


def test_store_pages_match_the_loaded_graph(on_disk: Server, server: Server, loaded: Loaded) -> None:
    for path in ("/doc/id/land/berlin", f"/graph/{SCHLOEMER}", "/doc/id/person/bernd-schloemer"):
        ours, theirs = (s.get(path, headers={"Accept": "application/n-triples"}) for s in (on_disk, server))
        assert ours.status_code == 200, (path, ours.text)
        assert set(Graph().parse(data=ours.text, format="nt")) == set(Graph().parse(data=theirs.text, format="nt"))
    page = on_disk.get("/doc/id/land/bremen", headers={"Accept": "text/html"})
    assert "<h1>Bremen</h1>" in page.text and 'href="/graph/reference?lang=de"' in page.text
    loaded_page = server.get("/doc/id/land/bremen", headers={"Accept": "text/html"}).text
    assert _dossier_section(page.text) == _dossier_section(loaded_page)
    assert "/doc/id/land/bremen" in on_disk.get("/class/egov:Land", headers={"Accept": "text/html"}).text
    home = on_disk.get("/", headers={"Accept": "text/html"})
    assert home.status_code == 200 and f'href="/graph/{SCHLOEMER}?lang=de"' in home.text
    query = on_disk.get("/query", params={"name": "leaders", "land": "land:bremen"})
    assert query.status_code == 200 and "Carola Heilemann-Jeschke" in query.text
    void = Graph().parse(data=on_disk.get("/.well-known/void").text, format="turtle")
    assert any(void.subjects(RDF.type, VOID.Dataset))
    dataset = URIRef("https://w3id.org/egovgraph/dataset/egovgraph")  # its figures are counted in the store
    assert void.value(dataset, VOID.triples).toPython() == len(loaded.union())  # type: ignore[union-attr]
    parts = {
        str(void.value(part, DCTERMS.identifier)): void.value(part, VOID.triples).toPython()  # type: ignore[union-attr]
        for part in void.objects(dataset, VOID.subset)
    }
    assert parts == {str(g): len(loaded.dataset.graph(g)) for g in loaded.graph_files}
    _plain(on_disk.get("/dumps/egovgraph.ttl", headers={"Accept": "text/plain"}), 404, "Oxigraph store")


def test_store_workers_time_out_and_recover(on_disk: Server) -> None:
    from test_workers import children

    before = children(on_disk.process.pid)
    assert len(before) == 2
    _plain(on_disk.get("/sparql", params={"query": SLOW}), 422, "did not finish within")
    ask = on_disk.get("/sparql", params={"query": "ASK { land:bremen a egov:Land }", "format": "json"})
    assert ask.json()["boolean"] is True
    after = children(on_disk.process.pid)
    assert len(after) == 2 and len(before & after) == 1  # the new worker opened the store itself


def test_store_refusals() -> None:
    from click.testing import CliRunner

    from egovgraph.cli import main

    result = CliRunner().invoke(main, ["serve", "--store", "oxigraph:/nonexistent/store", "--get", "/"])
    assert result.exit_code == 2 and "there is no Oxigraph store at /nonexistent/store" in result.output
    result = CliRunner().invoke(main, ["serve", "--store", "postgres:x", "--get", "/"])
    assert result.exit_code == 2 and "unknown store 'postgres:x'" in result.output


def test_pages_are_autoescaped_templates_shipped_with_the_package() -> None:
    from importlib import resources

    from egovgraph.server.pages import environment
    from egovgraph.views.dossier_page import environment as view_environment

    shipped = {p.name for p in (resources.files("egovgraph.server") / "templates").iterdir()}
    assert {"layout.html", "home.html", "resource.html", "class.html", "graph.html", "query.html"} <= shipped
    assert {"ontology.html", "not_found.html", "_macros.html"} <= shipped
    assert {p.name for p in (resources.files("egovgraph.views") / "templates").iterdir()} >= {
        "dossier.html",
        "dossier_section.html",
    }
    for env in (environment(), view_environment()):
        assert env.autoescape is True
        assert str(env.from_string("{{ x }}").render(x="<b>&'\"")) == "&lt;b&gt;&amp;&#39;&#34;"
