"""Counts over a loaded build: per class, per Land, per source, and the Länder with no facts yet."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from rdflib import Graph, URIRef
from rdflib.namespace import ORG, PROV, RDF
from rdflib.term import Node

from egovgraph.graph.load import ONTOLOGY_GRAPH, Loaded
from egovgraph.vocab.namespaces import EGOV, ONTOLOGY_IRI, VOCAB, graph_iri

if TYPE_CHECKING:
    from egovgraph.sparql.run import QueryResult
    from egovgraph.stores.kinds import Store

#: Seconds each counting query on a store may take.
TIMEOUT = 600.0


@dataclass(frozen=True)
class Count:
    iri: str
    label: str
    count: int
    extra: dict[str, int] = field(default_factory=dict)


@dataclass(frozen=True)
class GraphStats:
    triples: int
    classes: list[Count]
    lands: list[Count]
    sources: list[Count]

    @property
    def lands_without_facts(self) -> list[Count]:
        return [land for land in self.lands if land.count == 0]

    def as_dict(self) -> dict[str, object]:
        def rows(counts: list[Count], key: str) -> list[dict[str, object]]:
            return [{"iri": c.iri, "label": c.label, key: c.count, **c.extra} for c in counts]

        return {
            "triples": self.triples,
            "classes": rows(self.classes, "instances"),
            "lands": rows(self.lands, "facts"),
            "sources": rows(self.sources, "facts"),
            "lands_without_facts": [c.iri for c in self.lands_without_facts],
        }


def label(graph: Graph, node: Node, lang: str = "de") -> str:
    """The node's rdfs:label in ``lang``, else in any language, else its IRI."""
    fallback = None
    for value in graph.objects(node, URIRef("http://www.w3.org/2000/01/rdf-schema#label")):
        if getattr(value, "language", None) == lang:
            return str(value)
        fallback = fallback or str(value)
    return fallback or str(node)


def land_of(graph: Graph, node: Node, lands: set[Node]) -> Node | None:
    """The Land an organisation belongs to, following org:subOrganizationOf / org:unitOf upwards."""
    seen: set[Node] = set()
    while node not in seen:
        if node in lands:
            return node
        seen.add(node)
        parent = graph.value(node, ORG.subOrganizationOf) or graph.value(node, ORG.unitOf)
        if parent is None:
            return None
        node = parent
    return None


def compute(loaded: Loaded, lang: str = "de") -> GraphStats:
    """Statistics of the data (the ontology's own triples are not counted as data)."""
    graph = loaded.union()
    onto = loaded.dataset.graph(graph_iri(ONTOLOGY_GRAPH, loaded.base))
    data_types = Counter(o for s, o in graph.subject_objects(RDF.type) if (s, RDF.type, o) not in onto)
    classes = [
        Count(str(cls), graph.namespace_manager.normalizeUri(str(cls)), n)
        for cls, n in sorted(data_types.items(), key=lambda kv: (-kv[1], str(kv[0])))
    ]
    lands = set(graph.subjects(RDF.type, EGOV.Land))
    territories = set(graph.subjects(RDF.type, EGOV.LandTerritory))
    facts = [f for f in set(graph.subjects(EGOV.hasEvidence, None)) if f not in lands and f not in territories]
    per_land: Counter[Node] = Counter()
    for fact in facts:
        touched = {land_of(graph, o, lands) for o in graph.objects(fact)}
        per_land.update(t for t in touched if t is not None)
    land_rows = [
        Count(str(land), label(graph, land, lang), per_land[land])
        for land in sorted(lands, key=lambda n: label(graph, n, lang))
    ]
    per_source: Counter[Node] = Counter()
    evidence_per_source: Counter[Node] = Counter()
    for source in graph.objects(None, PROV.entity):
        evidence_per_source[source] += 1
    for fact in set(graph.subjects(EGOV.hasEvidence, None)):
        for source in {s for ev in graph.objects(fact, EGOV.hasEvidence) for s in graph.objects(ev, PROV.entity)}:
            per_source[source] += 1
    source_rows = [
        Count(str(src), label(graph, src, lang), per_source[src], {"evidence": evidence_per_source[src]})
        for src in sorted(graph.subjects(RDF.type, EGOV.Source), key=lambda n: (-per_source[n], str(n)))
    ]
    return GraphStats(len(graph), classes, land_rows, source_rows)


# The same counts computed inside a store with SPARQL aggregates (a store may hold millions of triples).
# The ontology's own typed terms all live under the ontology and vocabulary namespaces.
_STORE_QUERIES = {
    "triples": "SELECT (COUNT(*) AS ?n) WHERE { SELECT DISTINCT ?s ?p ?o WHERE { ?s ?p ?o } }",
    "classes": f"""SELECT ?c (COUNT(DISTINCT ?s) AS ?n) WHERE {{ ?s a ?c
        FILTER(!STRSTARTS(STR(?s), "{ONTOLOGY_IRI}") && !STRSTARTS(STR(?s), "{VOCAB}")) }} GROUP BY ?c""",
    "lands": f"""SELECT ?land (COUNT(DISTINCT ?fact) AS ?n) WHERE {{
        ?land a <{EGOV.Land}> .
        OPTIONAL {{
          {{ SELECT DISTINCT ?o ?land WHERE {{
               ?land a <{EGOV.Land}> . ?o (<{ORG.subOrganizationOf}>|<{ORG.unitOf}>)* ?land }} }}
          ?fact ?p ?o ; <{EGOV.hasEvidence}> ?ev .
          FILTER NOT EXISTS {{ ?fact a <{EGOV.Land}> }} FILTER NOT EXISTS {{ ?fact a <{EGOV.LandTerritory}> }}
        }} }} GROUP BY ?land""",
    "sources": f"""SELECT ?src (COUNT(DISTINCT ?fact) AS ?n) WHERE {{ ?src a <{EGOV.Source}> .
        OPTIONAL {{ ?fact <{EGOV.hasEvidence}> ?ev . ?ev <{PROV.entity}> ?src }} }} GROUP BY ?src""",
    "evidence": f"SELECT ?src (COUNT(DISTINCT ?x) AS ?n) WHERE {{ ?x <{PROV.entity}> ?src }} GROUP BY ?src",
    "labels": f"""SELECT ?x ?label WHERE {{ {{ ?x a <{EGOV.Land}> }} UNION {{ ?x a <{EGOV.Source}> }}
        ?x <http://www.w3.org/2000/01/rdf-schema#label> ?label }}""",
}


def compute_store(store: Store, lang: str = "de") -> GraphStats:
    """:func:`compute` for a store (Oxigraph on disk, a SPARQL endpoint): the counting happens in the store."""
    from egovgraph.graph.load import new_graph

    def run(name: str) -> QueryResult:
        from egovgraph.sparql.run import prepare

        return store.query(prepare(_STORE_QUERIES[name]), timeout=TIMEOUT, limit=None)

    def counts(name: str) -> dict[str, int]:
        return {
            row[0].value: int(row[1].value) for row in run(name).solutions if row[0] is not None and row[1] is not None
        }

    names: dict[str, list[tuple[str | None, str]]] = {}
    for x, value in run("labels").solutions:
        if x is not None and value is not None:
            names.setdefault(x.value, []).append((getattr(value, "language", None), value.value))

    def name(iri: str) -> str:
        found = sorted(names.get(iri, []), key=lambda lv: (lv[0] != lang, lv[1]))
        return found[0][1] if found else iri

    prefixes = new_graph().namespace_manager
    triples = next(iter(counts_of(run("triples"))), 0)
    classes = [
        Count(c, prefixes.normalizeUri(c), n)
        for c, n in sorted(counts("classes").items(), key=lambda kv: (-kv[1], kv[0]))
    ]
    per_land = counts("lands")
    lands = [Count(land, name(land), n) for land, n in sorted(per_land.items(), key=lambda kv: name(kv[0]))]
    per_source, evidence = counts("sources"), counts("evidence")
    sources = [
        Count(src, name(src), n, {"evidence": evidence.get(src, 0)})
        for src, n in sorted(per_source.items(), key=lambda kv: (-kv[1], kv[0]))
    ]
    return GraphStats(triples, classes, lands, sources)


def counts_of(result: QueryResult) -> list[int]:
    return [int(row[0].value) for row in result.solutions if row[0] is not None]
