"""The EfA network: the Länder and every link the graph knows between them, one edge per kind and pair.

Kinds (the edge key, also ``kind``): ``reuse`` (builder -> a reuser the source names, with the level
when a cooperation record gives one), ``codevelopment`` (two Länder that both build a service),
``community`` (builder -> a Land of the service's development community) and ``agreement`` (two Länder
that are parties of one agreement that not every Land signed; one that every Land signed would link
every pair, so it is named on the Länder instead). Unnamed reusers ("in 11 Ländern") are counts on the
provider, never edges.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from typing import TYPE_CHECKING

from rdflib import Literal, Namespace
from rdflib.namespace import PROV
from rdflib.term import Node

from egovgraph.views.facts import Facts, Filters
from egovgraph.vocab.namespaces import EGOV, PREFIXES, SCHEMA

if TYPE_CHECKING:
    import networkx as nx

#: The cooperation records of issue 12 (egov:Reuse ...: solution, participant, level). Their terms are
#: read from the open namespace so the view works before and after the ontology has them.
_RECORDS = Namespace(PREFIXES["egov"])
SOLUTION, PARTICIPANT, LEVEL = _RECORDS.solution, _RECORDS.participant, _RECORDS.cooperationLevel
KINDS = ("reuse", "codevelopment", "community", "agreement")
SEPARATOR = "; "


def _join(values: Iterable[str]) -> str:
    return SEPARATOR.join(sorted(set(values)))


class _Links:
    """The services (and what supports them) behind each (kind, from, to) link."""

    def __init__(self) -> None:
        self.services: dict[tuple[str, Node, Node], set[str]] = defaultdict(set)
        self.iris: dict[tuple[str, Node, Node], set[str]] = defaultdict(set)
        self.themen: dict[tuple[str, Node, Node], set[str]] = defaultdict(set)
        self.sources: dict[tuple[str, Node, Node], set[str]] = defaultdict(set)
        self.evidence: dict[tuple[str, Node, Node], set[str]] = defaultdict(set)
        self.levels: dict[tuple[str, Node, Node], set[str]] = defaultdict(set)

    def add(
        self,
        key: tuple[str, Node, Node],
        name: str,
        iri: str,
        themen: set[str],
        sources: set[str],
        evidence: set[str],
    ) -> None:
        self.services[key].add(name)
        self.iris[key].add(iri)
        self.themen[key] |= themen
        self.sources[key] |= sources
        self.evidence[key] |= evidence


def _evidence_lines(facts: Facts, node: Node, name: str) -> set[str]:
    """One line per piece of evidence: "<name>: <note or quote> (<source>)"."""
    out = set()
    for ev in facts.graph.objects(node, EGOV.hasEvidence):
        text = next((facts.label(v) for prop in (EGOV.note, EGOV.quote) for v in facts.graph.objects(ev, prop)), "")
        source = ", ".join(sorted(facts.label(s) for s in facts.graph.objects(ev, PROV.entity)))
        out.add(f"{name}: {text} ({source})" if text else f"{name} ({source})")
    return out


def _levels(facts: Facts, service: Node) -> dict[Node, set[str]]:
    """Cooperation levels per participating Land, from the records about ``service`` (if any)."""
    out: dict[Node, set[str]] = defaultdict(set)
    for record in facts.graph.subjects(SOLUTION, service):
        level = facts.graph.value(record, LEVEL)
        for land in facts.resolve_lands(facts.graph.objects(record, PARTICIPANT)):
            if level is not None:
                out[land].add(facts.label(level))
    return out


def efa_view(facts: Facts, filters: Filters) -> nx.MultiDiGraph:
    """Länder as nodes; an edge per kind of link and pair, with the services behind it."""
    import networkx as nx

    g = nx.MultiDiGraph()
    service_filters = filters.without_land()
    node_data: dict[Node, dict[str, set[str]]] = defaultdict(lambda: defaultdict(set))
    counts: dict[Node, int] = defaultdict(int)
    links = _Links()
    for service in sorted(facts.instances(EGOV.EfaService), key=str):
        if not facts.matches(service, service_filters):
            continue
        name = facts.label(service)
        builders = facts.resolve_lands(facts.graph.objects(service, EGOV.builtBy))
        reusers = facts.resolve_lands(facts.graph.objects(service, EGOV.reusedBy))
        partners = facts.resolve_lands(facts.graph.objects(service, EGOV.developmentPartner))
        levels = _levels(facts, service)
        themen = {facts.label(t) for t in facts.graph.objects(service, EGOV.themenfeld)}
        sources = {facts.label(s) for s in facts.sources_of(service)}
        evidence = _evidence_lines(facts, service, name)
        for builder in builders:
            node_data[builder]["built"].add(name)
            node_data[builder]["sources"] |= sources
            for qv in facts.graph.objects(service, EGOV.reuseCount):
                value = facts.graph.value(qv, SCHEMA.value)
                counts[builder] += int(value) if isinstance(value, Literal) and value.isnumeric() else 0
                node_data[builder]["unnamed_reuse"].add(f"{name}: {facts.label(qv)}")
            for partner in partners:
                node_data[builder]["development_partners"].add(facts.label(partner))
        for partner in partners:
            node_data[partner]["development_partner_of"].add(name)
        for reuser in reusers:
            node_data[reuser]["reused"].add(name)
            node_data[reuser]["sources"] |= sources
        ordered = sorted(builders, key=str)
        for builder in ordered:
            for reuser in sorted(reusers - {builder}, key=str):
                key = ("reuse", builder, reuser)
                links.add(key, name, str(service), themen, sources, evidence)
                links.levels[key] |= levels.get(reuser, set())
            for partner in sorted(partners - builders, key=str):
                links.add(("community", builder, partner), name, str(service), themen, sources, evidence)
        for i, a in enumerate(ordered):
            for b in ordered[i + 1 :]:
                links.add(("codevelopment", a, b), name, str(service), themen, sources, evidence)
    everyone = _agreements(facts, links, node_data, service_filters)
    chosen = filters.lands
    kept = [k for k in links.services if not chosen or k[1] in chosen or k[2] in chosen]
    keep_nodes = set(facts.lands) if not chosen else set(chosen) | {n for k in kept for n in k[1:]}
    for land in sorted(keep_nodes, key=facts.label):
        attrs = facts.node_attributes(land)
        data = node_data.get(land, {})
        attrs["services_built"] = len(data.get("built", ()))
        attrs["services_reused"] = len(data.get("reused", ()))
        attrs["unnamed_reuse_count"] = counts.get(land, 0)
        for field in ("built", "reused", "unnamed_reuse", "development_partners", "development_partner_of"):
            attrs[field] = _join(data.get(field, ()))
        attrs["agreements"] = _join(data.get("agreements", set()) | everyone)
        attrs["sources"] = _join(data.get("sources", ()))
        g.add_node(str(land), **attrs)
    for kind, a, b in sorted(kept, key=lambda k: (str(k[1]), str(k[2]), KINDS.index(k[0]))):
        key = (kind, a, b)
        services = _join(links.services[key])
        g.add_edge(
            str(a),
            str(b),
            key=kind,
            kind=kind,
            weight=len(links.services[key]),
            label=services,
            services=services,
            service_iris=" ".join(sorted(links.iris[key])),
            level=_join(links.levels[key]),
            themenfeld=_join(links.themen[key]),
            sources=_join(links.sources[key]),
            evidence="\n".join(sorted(links.evidence[key])),
        )
    return g


def _agreements(facts: Facts, links: _Links, node_data: dict[Node, dict[str, set[str]]], filters: Filters) -> set[str]:
    """Add agreement links between the Land parties; return the agreements every Land is party to."""
    everyone: set[str] = set()
    for agreement in sorted(facts.instances(EGOV.Agreement), key=str):
        if not facts.matches(agreement, filters):
            continue
        parties = sorted(facts.resolve_lands(facts.graph.objects(agreement, EGOV.party)), key=str)
        name = facts.label(agreement)
        if len(parties) >= len(facts.lands) > 1:
            everyone.add(name)
            continue
        for land in parties:
            node_data[land]["agreements"].add(name)
        sources = {facts.label(s) for s in facts.sources_of(agreement)}
        evidence = _evidence_lines(facts, agreement, name)
        themen = {facts.label(t) for t in facts.graph.objects(agreement, EGOV.themenfeld)}
        for i, a in enumerate(parties):
            for b in parties[i + 1 :]:
                links.add(("agreement", a, b), name, str(agreement), themen, sources, evidence)
    return everyone


__all__ = ["KINDS", "efa_view"]
