"""What the server states about a served store at start-up, counted inside it with SPARQL aggregates.

Triple, entity and class counts, labels, named graphs and their sizes, the ontology's own triples and the
VoID figures: one query each, so that ``serve --store`` and ``serve --endpoint`` never read every triple.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from egovgraph.graph.build import EXAMPLE_CLASSES, GraphPart, VoidCounts, namespace_of
from egovgraph.stores.view import Row, Source, Triple, count, sparql_string, triple_count
from egovgraph.vocab.iris import RDF_TYPE
from egovgraph.vocab.labels import label_query, rank_labels
from egovgraph.vocab.names import ONTOLOGY_GRAPH, ONTOLOGY_IRI
from egovgraph.vocab.namespaces import EGOV, graph_iri, id_namespace


@dataclass(frozen=True)
class StartupFacts:
    """What the server states about a store, counted inside it."""

    graphs: frozenset[str]
    labels: dict[str, dict[str, str]]
    class_counts: dict[str, int]
    triples: int
    entities: int
    graph_sizes: dict[str, int]
    ontology: list[Triple]
    void: VoidCounts


def startup_facts(source: Source, base: str) -> StartupFacts:
    """Counts, labels, classes, graphs and the VoID figures of a store, each one SPARQL query."""
    graphs = source.graph_names(base)
    ids = sparql_string(str(id_namespace(base)))
    entity = f"isIRI(?s) && STRSTARTS(STR(?s), {ids})"
    labels = rank_labels(
        (row[0].value, row[1].value, row[2].language, row[2].value)  # type: ignore[union-attr]
        for row in source.select(label_query())
        if None not in row
    )
    class_counts = _counts(
        source,
        f"SELECT ?c (COUNT(*) AS ?n) WHERE {{ SELECT DISTINCT ?s ?c WHERE {{ "
        f"?s a ?c FILTER({entity}) }} }} GROUP BY ?c",
    )
    sizes = _counts(source, "SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g") if graphs else {}
    graph_sizes = {g: sizes.get(g, 0) for g in graphs}
    triples = triple_count(source)
    entities = count(source, f"SELECT (COUNT(DISTINCT ?s) AS ?n) WHERE {{ ?s ?p ?o FILTER({entity}) }}")
    onto = str(graph_iri(ONTOLOGY_GRAPH, base))
    where = f"GRAPH <{onto}> {{ ?s ?p ?o }}" if onto in graphs else "?s ?p ?o"
    ontology = [
        (s, p, o)
        for s, p, o in source.select(
            f"SELECT ?s ?p ?o WHERE {{ {where} FILTER(STRSTARTS(STR(?s), {sparql_string(ONTOLOGY_IRI)})) }}"
        )
        if s is not None and p is not None and o is not None
    ]
    sources: dict[str, list[str]] = {}
    if graphs:
        for row in source.select(f"SELECT DISTINCT ?g ?src WHERE {{ GRAPH ?g {{ ?src a <{EGOV.Source}> }} }}"):
            g, src = row[0], row[1]
            if g is not None and src is not None and g.value in graphs and g.value != onto:
                sources.setdefault(g.value, []).append(src.value)
    firsts = dict(
        _pairs(
            source.select(
                "SELECT ?c (MIN(STR(?s)) AS ?first) WHERE { VALUES ?c { "
                + " ".join(f"<{c}>" for c in EXAMPLE_CLASSES)
                + f" }} ?s a ?c FILTER({entity}) }} GROUP BY ?c"
            )
        )
    )
    void = VoidCounts(
        triples=triples,
        entities=entities,
        subjects=count(source, "SELECT (COUNT(DISTINCT ?s) AS ?n) WHERE { ?s ?p ?o }"),
        properties=count(source, "SELECT (COUNT(DISTINCT ?p) AS ?n) WHERE { ?s ?p ?o }"),
        objects=count(source, "SELECT (COUNT(DISTINCT ?o) AS ?n) WHERE { ?s ?p ?o }"),
        classes=count(source, f"SELECT (COUNT(DISTINCT ?c) AS ?n) WHERE {{ ?s <{RDF_TYPE}> ?c }}"),
        class_entities=class_counts,
        vocabularies=tuple(
            sorted(
                {
                    namespace_of(row[0].value)
                    for row in source.select("SELECT DISTINCT ?p WHERE { ?s ?p ?o }")
                    if row[0] is not None
                }
                - {""}
            )
        ),
        graphs=tuple(GraphPart(g, graph_sizes[g], (), tuple(sorted(sources.get(g, ())))) for g in sorted(graphs)),
        examples=tuple(firsts[str(c)] for c in EXAMPLE_CLASSES if str(c) in firsts),
    )
    return StartupFacts(graphs, labels, class_counts, triples, entities, graph_sizes, ontology, void)


def _counts(source: Source, text: str) -> dict[str, int]:
    return {key: int(value) for key, value in _pairs(source.select(text))}


def _pairs(rows: list[Row]) -> Iterator[tuple[str, str]]:
    """The lexical values of the first two columns, for the rows where both are bound."""
    for row in rows:
        first, second = row[0], row[1]
        if first is not None and second is not None:
            yield first.value, second.value
