"""Property tests: any labels and values survive every dump format, read back by rdflib and pyoxigraph."""

from __future__ import annotations

from pathlib import Path

import pyoxigraph
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from rdflib import Dataset, Graph, Literal, URIRef
from rdflib.compare import isomorphic
from rdflib.namespace import RDFS, XSD

from egovgraph.errors import DataSyntaxError
from egovgraph.graph.formats import serialize_dataset, serialize_graph
from egovgraph.graph.load import parse_turtle

ID = "https://w3id.org/egovgraph/id/"
# Control characters other than tab and newline are refused by validation (RDF/XML cannot carry them).
texts = st.text(alphabet=st.characters(blacklist_categories=("Cs", "Cc"), whitelist_characters="\t\n"), max_size=40)
slugs = st.from_regex(r"[a-z][a-z0-9-]{0,15}", fullmatch=True)
values = st.one_of(
    st.builds(lambda t, lang: Literal(t, lang=lang), texts, st.sampled_from(["de", "en"])),
    st.builds(Literal, texts),
    st.builds(lambda n: Literal(n, datatype=XSD.integer), st.integers(-(10**12), 10**12)),
)
triples = st.lists(st.tuples(slugs, values), min_size=1, max_size=15)


def make_graph(rows: list[tuple[str, Literal]]) -> Graph:
    g = Graph()
    for slug, value in rows:
        g.add((URIRef(f"{ID}initiative/{slug}"), RDFS.label, value))
    return g


@settings(max_examples=80, deadline=None)
@given(triples)
def test_graph_formats_round_trip(rows: list[tuple[str, Literal]]) -> None:
    g = make_graph(rows)
    for fmt, rdflib_name, oxi in (
        ("ttl", "turtle", pyoxigraph.RdfFormat.TURTLE),
        ("nt", "nt", pyoxigraph.RdfFormat.N_TRIPLES),
        ("jsonld", "json-ld", pyoxigraph.RdfFormat.JSON_LD),
        ("xml", "xml", pyoxigraph.RdfFormat.RDF_XML),
    ):
        data = serialize_graph(g, fmt)
        assert isomorphic(Graph().parse(data=data, format=rdflib_name), g), fmt
        assert len({(q.subject, q.predicate, q.object) for q in pyoxigraph.parse(data, format=oxi)}) == len(g), fmt
        assert serialize_graph(g, fmt) == data, f"{fmt} is not deterministic"


@settings(max_examples=40, deadline=None)
@given(triples, triples)
def test_trig_round_trips_named_graphs(first: list[tuple[str, Literal]], second: list[tuple[str, Literal]]) -> None:
    ds = Dataset()
    for name, rows in (("a", first), ("b", second)):
        target = ds.graph(URIRef(f"https://w3id.org/egovgraph/graph/{name}"))
        for triple in make_graph(rows):
            target.add(triple)
    data = serialize_dataset(ds, "trig")
    back = Dataset()
    back.parse(data=data, format="trig")
    for name in ("a", "b"):
        iri = URIRef(f"https://w3id.org/egovgraph/graph/{name}")
        assert isomorphic(back.graph(iri), ds.graph(iri))
    quads = list(pyoxigraph.parse(data, format=pyoxigraph.RdfFormat.TRIG))
    assert len(quads) == sum(len(g) for g in ds.graphs())


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.text(max_size=200))
def test_the_turtle_loader_either_parses_or_names_the_file(tmp_path: Path, text: str) -> None:
    path = tmp_path / "any.ttl"
    path.write_text("@prefix ex: <http://example.org/> .\n" + text, encoding="utf-8")
    try:
        parse_turtle(path)
    except DataSyntaxError as err:
        assert str(err).startswith(str(path))
        assert err.reason
