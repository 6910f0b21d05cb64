"""A Land dossier: what the graph knows about one Land, as plain data for a page, a served page or JSON.

Leaders over time (``org:Membership`` with ``org:memberDuring``), the EfA services it builds, reuses or
helps develop with their partners, its initiatives and strategies by status and year, the technologies
they use, its portals and every source behind all of it. Built from the graph as docs/model.md describes
it; a part the graph does not have yet is an empty list, never an error.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import asdict, dataclass, field
from typing import TYPE_CHECKING, Any

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, ORG, OWL, RDF, TIME
from rdflib.term import Node

from egovgraph.errors import InputError
from egovgraph.views.facts import Facts, resolve_filters
from egovgraph.vocab.namespaces import EGOV, SCHEMA

if TYPE_CHECKING:
    from egovgraph.graph.load import Loaded
    from egovgraph.stores.kinds import Store

#: The order statuses are listed in (the rest follow by label).
STATUS_ORDER = ("planned", "in-progress", "ongoing", "completed")
#: The literal values of a time instant, most precise first (what a period's start and end show).
_PRECISION = (TIME.inXSDDate, TIME.inXSDgYearMonth, TIME.inXSDgYear)
_IDENTIFIERS = ((EGOV.isoCode, "iso"), (EGOV.regionalKey, "regional_key"), (EGOV.gndId, "gnd"))
#: Seconds each query of a dossier's slice of a store may take.
_STORE_TIMEOUT = 600.0


@dataclass(frozen=True)
class Ref:
    """A resource as the dossier shows it: its IRI and its label in the dossier's language."""

    iri: str
    label: str


@dataclass(frozen=True)
class Leader:
    """One role held: who, which role, in which organisation, from when to when (ISO text, "" if unknown)."""

    person: Ref
    role: Ref | None
    organisation: Ref
    start: str
    start_label: str
    end: str
    end_label: str
    sources: tuple[Ref, ...]


@dataclass(frozen=True)
class Service:
    """An EfA service and the Land's part in it: built, reused or development partner."""

    service: Ref
    part: str
    focus: bool
    builders: tuple[Ref, ...]
    partners: tuple[Ref, ...]
    reusers: tuple[Ref, ...]
    reuse_counts: tuple[str, ...]
    themenfelder: tuple[Ref, ...]
    sources: tuple[Ref, ...]


@dataclass(frozen=True)
class Activity:
    """An initiative or strategy of the Land: its status, years, technologies, organisation, sources."""

    item: Ref
    status: Ref | None
    status_key: str
    years: tuple[int, ...]
    when: str
    organisations: tuple[Ref, ...]
    technologies: tuple[Ref, ...]
    sources: tuple[Ref, ...]


@dataclass(frozen=True)
class Portal:
    """A portal the Land operates, or one integrated into such a portal."""

    portal: Ref
    operators: tuple[Ref, ...]
    integrated_into: tuple[Ref, ...]
    sources: tuple[Ref, ...]


@dataclass(frozen=True)
class Technology:
    """A technology and the Land's initiatives, strategies, services and portals using it."""

    technology: Ref
    used_by: tuple[Ref, ...]


@dataclass(frozen=True)
class SourceEntry:
    """A source behind the dossier, with its web address and date where the graph has them."""

    source: Ref
    url: str
    issued: str


@dataclass(frozen=True)
class Dossier:
    """Everything the dossier page shows about one Land, in one language."""

    land: Ref
    lang: str
    identifiers: dict[str, str]
    same_as: tuple[str, ...]
    leaders: tuple[Leader, ...]
    services: tuple[Service, ...]
    initiatives: tuple[Activity, ...]
    #: Status key -> (status label, {year or 0 for "no year": number of initiatives}).
    by_status: tuple[tuple[str, str, tuple[tuple[int, int], ...]], ...]
    strategies: tuple[Activity, ...]
    technologies: tuple[Technology, ...]
    portals: tuple[Portal, ...]
    sources: tuple[SourceEntry, ...]
    build: str = ""
    counts: dict[str, int] = field(default_factory=dict)

    def as_dict(self) -> dict[str, Any]:
        """The dossier as JSON-ready data (what the page embeds)."""
        return asdict(self)

    @property
    def empty(self) -> bool:
        """Whether the graph knows nothing about the Land beyond its reference data."""
        return not (self.leaders or self.services or self.initiatives or self.strategies or self.portals)


def dossier(
    graph: Graph | Loaded | Store | None,
    land: str,
    *,
    lang: str = "de",
) -> Dossier:
    """The dossier of ``land`` (IRI, CURIE, slug, ISO code or name) in ``graph`` (default: the bundled data).

    ``graph`` may be a store (an embedded or on-disk Oxigraph store, a dump, an endpoint): the dossier
    then fetches with SPARQL only what links to the Land and what lies around that (``_store_slice``).
    """
    if lang not in ("de", "en"):
        raise InputError(f"unknown language {lang!r}: choose de or en")
    build = ""
    if graph is not None and not isinstance(graph, Graph) and hasattr(graph, "query"):
        from egovgraph.views.project import store_build_info

        union, lands = _store_slice(graph, land, lang)  # type: ignore[arg-type]
        build = store_build_info(graph)  # type: ignore[arg-type]
    else:
        if graph is None:
            from egovgraph.graph.load import load

            union = load().union()
        else:
            union = graph if isinstance(graph, Graph) else graph.union()
        lands = resolve_filters(Facts(union, lang), land=land).lands
    facts = Facts(union, lang)
    if len(lands) != 1:
        names = ", ".join(sorted(facts.label(x) for x in lands))
        raise InputError(f"{land!r} names {len(lands)} Länder ({names}): give one, e.g. land:bremen or DE-HB")
    if not build:
        from egovgraph.views.project import build_info

        build = build_info(union)
    return land_dossier(facts, next(iter(lands)), build=build)


def _store_slice(store: Store, land: str, lang: str) -> tuple[Graph, frozenset[Node]]:
    """The part of a store a dossier reads (:func:`egovgraph.views.slices.land_slice`), and the Land."""
    from egovgraph.views.slices import land_slice, view_slice

    around = view_slice(store, "custom")  # the Länder, sources and statuses with their neighbourhood
    lands = resolve_filters(Facts(around, lang), land=land).lands
    if len(lands) != 1:
        return around, lands
    return land_slice(store, str(next(iter(lands))), timeout=_STORE_TIMEOUT), lands


def land_dossier(facts: Facts, land: Node, *, build: str = "") -> Dossier:
    """The dossier of the Land ``land`` from the lookups ``facts`` (the graph and the language)."""
    g = facts.graph
    if land not in facts.lands:
        raise InputError(f"{facts.curie(land)} is not a Land (egov:Land) of this graph")
    builder = _Builder(facts, land)
    services = builder.services()
    initiatives = builder.activities(EGOV.Initiative)
    strategies = builder.activities(EGOV.Strategy)
    portals = builder.portals()
    technologies = builder.technologies([*initiatives, *strategies], services, portals)
    identifiers = {key: str(v) for prop, key in _IDENTIFIERS for v in sorted(g.objects(land, prop), key=str)[:1]}
    same_as = tuple(sorted(str(o) for o in g.objects(land, OWL.sameAs) if _is_web(o)))
    leaders = builder.leaders()
    return Dossier(
        land=builder.ref(land),
        lang=facts.lang,
        identifiers=identifiers,
        same_as=same_as,
        leaders=leaders,
        services=services,
        initiatives=initiatives,
        by_status=_by_status(initiatives),
        strategies=strategies,
        technologies=technologies,
        portals=portals,
        sources=builder.source_entries(),
        build=build,
        counts={
            "leaders": len(leaders),
            "services_built": sum(1 for s in services if s.part == "built"),
            "services_reused": sum(1 for s in services if s.part == "reused"),
            "services_partner": sum(1 for s in services if s.part == "partner"),
            "initiatives": len(initiatives),
            "strategies": len(strategies),
            "technologies": len(technologies),
            "portals": len(portals),
        },
    )


class _Builder:
    """Collects the parts of one Land's dossier and every source they cite."""

    def __init__(self, facts: Facts, land: Node) -> None:
        self.facts, self.g, self.land = facts, facts.graph, land
        self.cited: set[Node] = set(facts.sources_of(land))

    def ref(self, node: Node) -> Ref:
        return Ref(str(node), self.facts.label(node))

    def refs(self, nodes: Iterable[Node]) -> tuple[Ref, ...]:
        return tuple(sorted({self.ref(n) for n in nodes}, key=lambda r: (r.label.casefold(), r.iri)))

    def sources(self, *nodes: Node) -> tuple[Ref, ...]:
        found = {s for n in nodes for s in self.facts.sources_of(n)}
        self.cited |= found
        return self.refs(found)

    def of_land(self, node: Node) -> bool:
        return self.facts.land_of(node) == self.land

    # ------------------------------------------------------------------ leaders
    def leaders(self) -> tuple[Leader, ...]:
        rows = []
        for membership in set(self.g.subjects(RDF.type, ORG.Membership)):
            organisations = [o for o in self.g.objects(membership, ORG.organization) if self.of_land(o)]
            person = self.g.value(membership, ORG.member)
            if not organisations or person is None:
                continue
            role = self.g.value(membership, ORG.role)
            period = self.g.value(membership, ORG.memberDuring)
            start = self._instant(period, TIME.hasBeginning)
            end = self._instant(period, TIME.hasEnd)
            for organisation in organisations:
                rows.append(
                    Leader(
                        person=self.ref(person),
                        role=self.ref(role) if role is not None else None,
                        organisation=self.ref(organisation),
                        start=start[0],
                        start_label=start[1],
                        end=end[0],
                        end_label=end[1],
                        sources=self.sources(membership),
                    )
                )
        # Earliest start first (unknown starts last), then by person.
        return tuple(
            sorted(
                rows, key=lambda r: (r.start == "", r.start, r.person.label.casefold(), r.role.label if r.role else "")
            )
        )

    def _instant(self, period: Node | None, link: URIRef) -> tuple[str, str]:
        """(ISO text at its precision, label in the language) of a period's start or end; ("", "") if none."""
        when = self.g.value(period, link) if period is not None else None
        if when is None:
            return "", ""
        for prop in _PRECISION:
            value = self.g.value(when, prop)
            if isinstance(value, Literal):
                label = self.facts.label(when)
                return str(value), label if label != self.facts.curie(when) else str(value)
        return "", self.facts.label(when)

    # ------------------------------------------------------------------ services
    def services(self) -> tuple[Service, ...]:
        out = []
        for service in self.facts.instances(EGOV.EfaService):
            builders = self.facts.resolve_lands(self.g.objects(service, EGOV.builtBy))
            reusers = self.facts.resolve_lands(self.g.objects(service, EGOV.reusedBy))
            partners = self.facts.resolve_lands(self.g.objects(service, EGOV.developmentPartner))
            if self.land in builders:
                part = "built"
            elif self.land in reusers:
                part = "reused"
            elif self.land in partners:
                part = "partner"
            else:
                continue
            out.append(
                Service(
                    service=self.ref(service),
                    part=part,
                    focus=(service, RDF.type, EGOV.FocusService) in self.g,
                    builders=self.refs(builders),
                    partners=self.refs(partners),
                    reusers=self.refs(reusers),
                    reuse_counts=tuple(sorted(self.facts.label(q) for q in self.g.objects(service, EGOV.reuseCount))),
                    themenfelder=self.refs(self.g.objects(service, EGOV.themenfeld)),
                    sources=self.sources(service),
                )
            )
        order = {"built": 0, "reused": 1, "partner": 2}
        return tuple(sorted(out, key=lambda s: (order[s.part], s.service.label.casefold(), s.service.iri)))

    # ------------------------------------------------------------------ initiatives, strategies
    def activities(self, cls: URIRef) -> tuple[Activity, ...]:
        out = []
        for item in self.facts.instances(cls):
            if self.land not in self._lands_responsible(item):
                continue
            status = self.g.value(item, EGOV.status)
            times = [t for prop in (DCTERMS.temporal, EGOV.dueBy) for t in self.g.objects(item, prop)]
            out.append(
                Activity(
                    item=self.ref(item),
                    status=self.ref(status) if status is not None else None,
                    status_key=str(status).rstrip("/").rsplit("/", 1)[-1] if status is not None else "",
                    years=tuple(sorted(self.facts.years_of(item))),
                    when=", ".join(sorted({self.facts.label(t) for t in times})),
                    organisations=self.refs(self.g.objects(item, EGOV.responsibleOrganisation)),
                    technologies=self.refs(self.g.objects(item, EGOV.usesTechnology)),
                    sources=self.sources(item),
                )
            )
        return tuple(sorted(out, key=_activity_order))

    def _lands_responsible(self, item: Node) -> set[Node]:
        """The Länder responsible for a fact; without a responsible organisation, the Länder it names."""
        return self.facts.responsible_lands(item) or self.facts.lands_of(item)

    # ------------------------------------------------------------------ portals, technologies
    def portals(self) -> tuple[Portal, ...]:
        portals = self.facts.instances(EGOV.Portal)
        own = {p for p in portals if self.land in self.facts.responsible_lands(p)}
        integrated = {p for p in portals if set(self.g.objects(p, EGOV.integratedInto)) & own}
        return tuple(
            sorted(
                (
                    Portal(
                        portal=self.ref(p),
                        operators=self.refs(self.g.objects(p, EGOV.operatedBy)),
                        integrated_into=self.refs(self.g.objects(p, EGOV.integratedInto)),
                        sources=self.sources(p),
                    )
                    for p in own | integrated
                ),
                key=lambda p: (p.portal.label.casefold(), p.portal.iri),
            )
        )

    def technologies(
        self, activities: Iterable[Activity], services: Iterable[Service], portals: Iterable[Portal]
    ) -> tuple[Technology, ...]:
        users: dict[Node, set[Node]] = defaultdict(set)
        items = [a.item for a in activities] + [s.service for s in services] + [p.portal for p in portals]
        for ref in items:
            for tech in self.g.objects(URIRef(ref.iri), EGOV.usesTechnology):
                users[tech].add(URIRef(ref.iri))
        return tuple(
            sorted(
                (Technology(self.ref(t), self.refs(nodes)) for t, nodes in users.items()),
                key=lambda t: (-len(t.used_by), t.technology.label.casefold()),
            )
        )

    def source_entries(self) -> tuple[SourceEntry, ...]:
        out = []
        for source in self.cited:
            url = self.g.value(source, SCHEMA.url)
            issued = self.g.value(source, DCTERMS.issued)
            out.append(SourceEntry(self.ref(source), str(url) if _is_web(url) else "", str(issued or "")))
        return tuple(sorted(out, key=lambda s: (s.source.label.casefold(), s.source.iri)))


def _is_web(node: Node | None) -> bool:
    """Whether a value is a web address (the only links a page makes: no ``javascript:`` or ``data:``)."""
    return isinstance(node, URIRef | Literal) and str(node).startswith(("https://", "http://"))


def _activity_order(item: Activity) -> tuple[int, int, str]:
    rank = STATUS_ORDER.index(item.status_key) if item.status_key in STATUS_ORDER else len(STATUS_ORDER)
    return (rank, min(item.years, default=9999), item.item.label.casefold())


def _by_status(initiatives: Iterable[Activity]) -> tuple[tuple[str, str, tuple[tuple[int, int], ...]], ...]:
    """Per status (in STATUS_ORDER): the number of initiatives per year (0: no year given)."""
    counts: dict[tuple[str, str], Counter[int]] = defaultdict(Counter)
    for item in initiatives:
        key = (item.status_key, item.status.label if item.status is not None else "")
        for year in item.years or (0,):
            counts[key][year] += 1
    ordered = sorted(
        counts.items(),
        key=lambda kv: (STATUS_ORDER.index(kv[0][0]) if kv[0][0] in STATUS_ORDER else len(STATUS_ORDER), kv[0][1]),
    )
    return tuple((key, label, tuple(sorted(years.items()))) for (key, label), years in ordered)


__all__ = [
    "Activity",
    "Dossier",
    "Leader",
    "Portal",
    "Ref",
    "Service",
    "SourceEntry",
    "Technology",
    "dossier",
    "land_dossier",
]
