"""What the views need to know about a resource: label, class, Land, status, sources, year; and filters.

A ``Facts`` wraps the union graph once so that every view labels, classifies and filters alike.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from functools import cached_property

from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, FOAF, ORG, PROV, RDF, RDFS, SKOS, TIME
from rdflib.term import Node

from egovgraph.errors import InputError
from egovgraph.vocab.namespaces import EGOV, ONTOLOGY_IRI, SCHEMA, VOCAB

#: The class shown for a resource with several types: the first of these it has, else the first by name.
CLASS_ORDER = (
    EGOV.Land,
    EGOV.FocusService,
    EGOV.EfaService,
    EGOV.Initiative,
    EGOV.Strategy,
    EGOV.Agreement,
    EGOV.Portal,
    EGOV.Funding,
    EGOV.Ministry,
    EGOV.LocalAuthority,
    EGOV.Statement,
    EGOV.Technology,
    EGOV.Themenfeld,
    EGOV.PriorityTopic,
    EGOV.Status,
    EGOV.Source,
    EGOV.Evidence,
    EGOV.LandTerritory,
    FOAF.Person,
    ORG.Membership,
    ORG.OrganizationalUnit,
    ORG.FormalOrganization,
    ORG.Organization,
    FOAF.Organization,
)
#: Links from a fact to the organisation responsible for it, in order of preference.
RESPONSIBLE = (EGOV.responsibleOrganisation, EGOV.builtBy, EGOV.operatedBy)
#: Links from an organisation or territory towards its Land, in order of preference (``land_of``).
CHAIN = (ORG.subOrganizationOf, ORG.unitOf, SCHEMA.location, DCTERMS.spatial)
#: Links from a fact to a time (``years_of``), and from a time to its year or its ends.
YEAR_LINKS = (DCTERMS.temporal, EGOV.dueBy)
TIME_LINKS = (TIME.inXSDgYear, TIME.hasBeginning, TIME.hasEnd)
#: Where a label comes from, in order of preference (``label``).
LABELS = (RDFS.label, SKOS.prefLabel, FOAF.name)
#: What ``label``, ``responsible_lands`` and ``sources_of`` read about a resource itself (beyond it: the
#: organisation chain, the evidence's prov:entity); ``sources_of`` also asks whether it is an egov:Source.
FACT_LINKS = (*LABELS, *RESPONSIBLE, EGOV.hasEvidence, PROV.entity)
#: What ``matches`` reads about a resource itself for each filter (by field of Filters) besides
#: FACT_LINKS: types, status, times (down to their years, else the sources' dct:issued). The Land
#: filter reads every link (``lands_of``).
FILTER_LINKS = {"classes": (RDF.type,), "statuses": (EGOV.status,), "sources": (), "years": YEAR_LINKS}
_MAX_YEARS = 50


@dataclass(frozen=True)
class Filters:
    """Resolved filters: IRIs of Länder, classes, statuses and sources, and years; empty means any."""

    lands: frozenset[Node] = field(default_factory=frozenset)
    classes: frozenset[Node] = field(default_factory=frozenset)
    statuses: frozenset[Node] = field(default_factory=frozenset)
    sources: frozenset[Node] = field(default_factory=frozenset)
    years: frozenset[int] = field(default_factory=frozenset)

    def without_land(self) -> Filters:
        return replace(self, lands=frozenset())

    def describe(self, facts: Facts) -> str:
        """The filters as one line for titles and exports ("" when there are none)."""
        parts = []
        for name, values in (
            ("Land", self.lands),
            ("class", self.classes),
            ("status", self.statuses),
            ("source", self.sources),
        ):
            if values:
                parts.append(f"{name}: " + ", ".join(sorted(facts.label(v) for v in values)))
        if self.years:
            parts.append("year: " + ", ".join(str(y) for y in sorted(self.years)))
        return "; ".join(parts)


class Facts:
    """Lookups over the union graph (ontology + vocabularies + data) in one label language."""

    def __init__(self, graph: Graph, lang: str = "de") -> None:
        self.graph = graph
        self.lang = lang
        self._labels: dict[Node, str] = {}
        self._land_of: dict[Node, Node | None] = {}

    # ------------------------------------------------------------------ naming
    def curie(self, node: Node) -> str:
        if isinstance(node, URIRef):
            try:
                return self.graph.namespace_manager.curie(node, generate=False)
            except (KeyError, ValueError):
                return str(node)
        return f"_:{node}" if isinstance(node, BNode) else str(node)

    def label(self, node: Node) -> str:
        """rdfs:label (or skos:prefLabel, foaf:name) in the language, else in another, else the CURIE."""
        cached = self._labels.get(node)
        if cached is not None:
            return cached
        if isinstance(node, Literal):
            return str(node)
        candidates: list[tuple[int, str]] = []
        for rank, prop in enumerate(LABELS):
            for value in self.graph.objects(node, prop):
                language = getattr(value, "language", None)
                order = 0 if language == self.lang else (1 if language in ("de", "en") else 2)
                candidates.append((order * 10 + rank, str(value)))
        found = min(candidates)[1] if candidates else self.curie(node)
        self._labels[node] = found
        return found

    # ------------------------------------------------------------------ kinds of node
    def is_ontology(self, node: Node) -> bool:
        """Whether the node is a term of the ontology or a vocabulary (its triples stay out of views)."""
        text = str(node)
        return isinstance(node, URIRef) and (
            text.startswith(str(EGOV._NS)) or text.startswith(str(VOCAB)) or text == str(ONTOLOGY_IRI)
        )

    def is_web_link(self, node: Node) -> bool:
        """An IRI the graph does not describe (a web page, a Wikidata item): an attribute, not a node."""
        return isinstance(node, URIRef) and (node, None, None) not in self.graph

    @cached_property
    def _superclasses(self) -> dict[Node, set[Node]]:
        direct: dict[Node, set[Node]] = {}
        for sub, sup in self.graph.subject_objects(RDFS.subClassOf):
            direct.setdefault(sub, set()).add(sup)
        closed: dict[Node, set[Node]] = {}
        for cls in direct:
            seen: set[Node] = set()
            todo = [cls]
            while todo:
                for sup in direct.get(todo.pop(), ()):
                    if sup not in seen:
                        seen.add(sup)
                        todo.append(sup)
            closed[cls] = seen
        return closed

    def types(self, node: Node) -> set[Node]:
        """The node's classes including their superclasses."""
        direct = set(self.graph.objects(node, RDF.type))
        out = set(direct)
        for cls in direct:
            out |= self._superclasses.get(cls, set())
        return out

    def main_class(self, node: Node) -> Node | None:
        direct = set(self.graph.objects(node, RDF.type))
        for cls in CLASS_ORDER:
            if cls in direct:
                return cls
        own = sorted((c for c in direct if str(c).startswith(str(EGOV._NS))), key=str)
        return own[0] if own else (min(direct, key=str) if direct else None)

    def instances(self, cls: Node) -> set[Node]:
        subs = {c for c, sups in self._superclasses.items() if cls in sups} | {cls}
        return {s for c in subs for s in self.graph.subjects(RDF.type, c)}

    @cached_property
    def lands(self) -> frozenset[Node]:
        return frozenset(self.graph.subjects(RDF.type, EGOV.Land))

    @cached_property
    def _territory_land(self) -> dict[Node, Node]:
        return {t: land for land in self.lands for t in self.graph.objects(land, DCTERMS.spatial)}

    # ------------------------------------------------------------------ Land, status, sources, years
    def land_of(self, node: Node) -> Node | None:
        """The Land an organisation or territory belongs to (org:subOrganizationOf, org:unitOf, location)."""
        if node not in self._land_of:
            self._land_of[node] = self._find_land(node)
        return self._land_of[node]

    def _find_land(self, node: Node) -> Node | None:
        seen: set[Node] = set()
        while node not in seen:
            if node in self.lands:
                return node
            if node in self._territory_land:
                return self._territory_land[node]
            seen.add(node)
            parent = next((p for p in (self.graph.value(node, link) for link in CHAIN) if p), None)
            if parent is None:
                return None
            node = parent
        return None

    def resolve_lands(self, nodes: Iterable[Node]) -> set[Node]:
        return {land for land in (self.land_of(n) for n in nodes) if land is not None}

    def responsible_lands(self, fact: Node) -> set[Node]:
        """The Länder responsible for an initiative, strategy or service (responsible org or builder)."""
        for prop in RESPONSIBLE:
            found = self.resolve_lands(self.graph.objects(fact, prop))
            if found:
                return found
        return set()

    def lands_of(self, node: Node) -> set[Node]:
        """Every Land a resource is about: itself, its parent, or any Land or organisation it points to."""
        own = self.land_of(node)
        if own is not None:
            return {own}
        if isinstance(node, Literal):
            return set()
        return self.resolve_lands(o for o in self.graph.objects(node) if not isinstance(o, Literal))

    def statuses_of(self, node: Node) -> set[Node]:
        return set(self.graph.objects(node, EGOV.status))

    def sources_of(self, node: Node) -> set[Node]:
        evidence = self.graph.objects(node, EGOV.hasEvidence)
        out = {s for ev in evidence for s in self.graph.objects(ev, PROV.entity)}
        out |= set(self.graph.objects(node, PROV.entity))
        if (node, RDF.type, EGOV.Source) in self.graph:
            out.add(node)
        return out

    def years_of(self, node: Node) -> set[int]:
        """The years a fact refers to (dct:temporal, egov:dueBy), else the years of its sources."""
        years: set[int] = set()
        for prop in YEAR_LINKS:
            for when in self.graph.objects(node, prop):
                years |= self._years_of_time(when)
        if years or isinstance(node, Literal) or node in self.lands or node in self._territory_land:
            return years
        for source in self.sources_of(node):
            for issued in self.graph.objects(source, DCTERMS.issued):
                year = _year(issued)
                if year is not None:
                    years.add(year)
        return years

    def _years_of_time(self, when: Node) -> set[int]:
        own = {y for y in (_year(v) for v in self.graph.objects(when, TIME.inXSDgYear)) if y is not None}
        if own:
            return own
        begin = self.graph.value(when, TIME.hasBeginning)
        end = self.graph.value(when, TIME.hasEnd)
        first = min(self._years_of_time(begin), default=None) if begin is not None else None
        last = max(self._years_of_time(end), default=None) if end is not None else None
        if first is not None and last is not None and 0 <= last - first <= _MAX_YEARS:
            return set(range(first, last + 1))
        return {y for y in (first, last) if y is not None}

    # ------------------------------------------------------------------ attributes and filters
    def node_attributes(self, node: Node) -> dict[str, str | int | float]:
        """The attributes every view sets on a node; empty strings where a value is unknown."""
        if isinstance(node, Literal):
            return {
                "label": str(node),
                "iri": "",
                "class": "literal",
                "class_label": "literal",
                "land": "",
                "status": "",
                "sources": "",
                "year": "",
            }
        cls = self.main_class(node)
        return {
            "label": self.label(node),
            "iri": str(node) if isinstance(node, URIRef) else "",
            "class": self.curie(cls) if cls is not None else "",
            "class_label": self.label(cls) if cls is not None else "",
            "land": _labels(self, self.lands_of(node)),
            "status": _labels(self, self.statuses_of(node)),
            "sources": _labels(self, self.sources_of(node)),
            "year": "; ".join(str(y) for y in sorted(self.years_of(node))),
        }

    def matches(self, node: Node, filters: Filters) -> bool:
        """Whether a resource passes every filter given (a filter it has no value for excludes it)."""
        if filters.lands and not (self.lands_of(node) & filters.lands):
            return False
        if filters.classes and not (self.types(node) & filters.classes):
            return False
        if filters.statuses and not (self.statuses_of(node) & filters.statuses):
            return False
        if filters.sources and not (self.sources_of(node) & filters.sources):
            return False
        return not (filters.years and not (self.years_of(node) & filters.years))


def _labels(facts: Facts, nodes: Iterable[Node]) -> str:
    return "; ".join(sorted({facts.label(n) for n in nodes}))


def _year(value: Node) -> int | None:
    text = str(value)
    return int(text[:4]) if len(text) >= 4 and text[:4].isdigit() else None


def resolve_filters(
    facts: Facts,
    *,
    land: Iterable[str] | str = (),
    cls: Iterable[str] | str = (),
    status: Iterable[str] | str = (),
    source: Iterable[str] | str = (),
    year: Iterable[int | str] | int | str = (),
) -> Filters:
    """Turn what a user typed (IRI, CURIE, slug, ISO code or label) into the IRIs to filter on."""
    classes = {c for c in facts.graph.objects(None, RDF.type)} | set(facts._superclasses)
    classes |= {c for sups in facts._superclasses.values() for c in sups}
    return Filters(
        lands=_resolve(facts, "Land", _values(land), facts.lands, with_iso=True),
        classes=_resolve(facts, "class", _values(cls), {c for c in classes if isinstance(c, URIRef)}),
        statuses=_resolve(facts, "status", _values(status), facts.instances(EGOV.Status)),
        sources=_resolve(facts, "source", _values(source), facts.instances(EGOV.Source)),
        years=frozenset(_parse_year(y) for y in _values(year)),
    )


def _values(value: Iterable[int | str] | int | str) -> list[str]:
    if isinstance(value, str | int):
        return [str(value)]
    return [str(v) for v in value]


def _parse_year(text: str) -> int:
    if not (text.isdigit() and len(text) == 4):
        raise InputError(f"year {text!r} is not a year: give four digits, e.g. 2024")
    return int(text)


def _resolve(
    facts: Facts,
    kind: str,
    wanted: list[str],
    candidates: Iterable[Node],
    *,
    with_iso: bool = False,
) -> frozenset[Node]:
    if not wanted:
        return frozenset()
    names: dict[str, set[Node]] = {}
    for node in candidates:
        keys = {str(node), facts.curie(node), str(node).rstrip("/").rsplit("/", 1)[-1].rsplit("#", 1)[-1]}
        for prop in (RDFS.label, SKOS.prefLabel, SKOS.altLabel):
            keys |= {str(v) for v in facts.graph.objects(node, prop)}
        if with_iso:
            for code in facts.graph.objects(node, EGOV.isoCode):
                keys |= {str(code), str(code).split("-")[-1]}
        for key in keys:
            names.setdefault(key.casefold(), set()).add(node)
    out: set[Node] = set()
    for text in wanted:
        found = names.get(text.strip().casefold())
        if not found:
            choices = sorted({facts.curie(n) for nodes in names.values() for n in nodes})
            shown = ", ".join(choices[:20]) + (", ..." if len(choices) > 20 else "")
            raise InputError(f"unknown {kind} {text!r}: give an IRI, CURIE, short name or label: {shown}")
        out |= found
    return frozenset(out)
