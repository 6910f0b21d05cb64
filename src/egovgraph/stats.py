"""Counts over a loaded build: per class, per Land, per source, and the Länder with no facts yet."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from rdflib import Graph, URIRef
from rdflib.namespace import ORG, PROV, RDF
from rdflib.term import Node

from .load import ONTOLOGY_GRAPH, Loaded
from .vocab import EGOV, graph_iri


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
    data_types = Counter(
        o for s, o in graph.subject_objects(RDF.type) if (s, RDF.type, o) not in onto
    )
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
