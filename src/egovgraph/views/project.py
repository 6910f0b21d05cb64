"""RDF -> networkx views for analysts: the entity graph, Land-Land EfA links, Land-technology, custom.

Every view is a networkx graph whose nodes and edges carry plain attributes (str, int, float) so that
it exports to GraphML, GEXF, CSV and JSON unchanged. Node ids are IRIs; ``label``, ``class``,
``class_label``, ``land``, ``status``, ``sources`` and ``year`` are set on every node that has them.
Graph attributes ``view``, ``title``, ``description``, ``build`` and ``filters`` say what is shown;
``note`` and ``warning`` (:mod:`egovgraph.views.states`) say why a view is empty or shows only Länder.
"""

from __future__ import annotations

import hashlib
from collections import defaultdict
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from rdflib import BNode, Graph
from rdflib.namespace import RDF
from rdflib.term import Node

from egovgraph.defaults import VIEWS
from egovgraph.errors import InputError
from egovgraph.version import __version__
from egovgraph.views.custom import custom_view, run_query, store_answer
from egovgraph.views.efa import efa_view
from egovgraph.views.entity import entity_view
from egovgraph.views.facts import Facts, Filters, resolve_filters
from egovgraph.views.states import FACTS_MATCHED, FactCount, annotate, check_filters
from egovgraph.vocab.namespaces import EGOV

if TYPE_CHECKING:
    import networkx as nx

    from egovgraph.graph.load import Loaded
    from egovgraph.stores.kinds import Store

#: The views ``view()`` knows; ``tech-lands`` is the Land-Land projection of ``tech``.

_ATTRIBUTE_SEPARATOR = "; "
#: Seconds a query on a store may take while a view is built from it.
TIMEOUT = 600.0

_TITLES = {
    "entity": ("Entitätsgraph", "Entity graph"),
    "efa": ("EfA-Nachnutzung zwischen den Ländern", "EfA reuse between the Länder"),
    "tech": ("Länder und Technologien", "Länder and technologies"),
    "tech-lands": ("Länder mit gemeinsamen Technologien", "Länder sharing technologies"),
    "custom": ("Eigene Abfrage", "Custom query"),
}
_DESCRIPTIONS = {
    "entity": (
        "Alle beschriebenen Ressourcen als Knoten, jede Beziehung als Kante mit ihrem Prädikat; "
        "Literale sind Attribute. Die Ontologie selbst und rdf:type sind ausgelassen.",
        "Every described resource as a node and every relation as an edge with its predicate; "
        "literals are attributes. The ontology's own triples and rdf:type are left out.",
    ),
    "efa": (
        "Die Länder an ihrem geografischen Ort und jede Verbindung, die der Graph kennt: namentliche "
        "Nachnutzung (vom entwickelnden zum nachnutzenden Land), gemeinsame Entwicklung, "
        "Entwicklergemeinschaft, Nutzung gemeinsamer Plattformen und gemeinsame Vereinbarungen; das Gewicht "
        "zählt die Leistungen. "
        'Ungenannte Nachnutzer ("11 Länder") stehen beim Anbieter.',
        "The Länder at their place on the map and every link the graph knows: named reuse (from the Land "
        "that builds to the Land that reuses), co-development, development community, use of shared platforms "
        'and joint agreements; the weight counts the services. Unnamed reusers ("11 Länder") are shown on the '
        "provider.",
    ),
    "tech": (
        "Länder und die Technologien ihrer Vorhaben, Strategien und Leistungen; das Gewicht zählt die Vorhaben.",
        "Länder and the technologies of their initiatives, strategies and services; the weight counts the initiatives.",
    ),
    "tech-lands": (
        "Zwei Länder sind verbunden, wenn ihre Vorhaben dieselbe Technologie nutzen; das Gewicht zählt "
        "die gemeinsamen Technologien.",
        "Two Länder are linked when their initiatives use the same technology; the weight counts the "
        "shared technologies.",
    ),
    "custom": (
        "Kanten aus einer SPARQL-Abfrage (?source ?target, optional ?label ?weight, oder CONSTRUCT).",
        "Edges from a SPARQL query (?source ?target, optional ?label ?weight, or a CONSTRUCT).",
    ),
}


def view(
    name: str,
    graph: Graph | Loaded | Store | None = None,
    *,
    lang: str = "de",
    query: str | None = None,
    land: Iterable[str] | str = (),
    cls: Iterable[str] | str = (),
    status: Iterable[str] | str = (),
    source: Iterable[str] | str = (),
    year: Iterable[int | str] | int | str = (),
    with_provenance: bool = False,
) -> nx.Graph:
    """The named view of ``graph`` (default: the bundled data) as a networkx graph, filtered.

    Filters take IRIs, CURIEs (``land:bremen``), slugs (``bremen``), ISO codes (``DE-HB``) or labels;
    values of one filter are alternatives, different filters must all hold. ``graph`` may also be a
    store (:mod:`egovgraph.stores.kinds`: an Oxigraph store on disk, a SPARQL endpoint): the view then fetches
    only the part of the graph it reads (:mod:`egovgraph.views.slices`). ``with_provenance`` draws the
    entity view's evidence, sources and times as nodes instead of folding them into attributes.
    """
    if name not in VIEWS:
        raise InputError(f"unknown view {name!r}: choose one of {', '.join(VIEWS)}")
    if lang not in ("de", "en"):
        raise InputError(f"unknown language {lang!r}: choose de or en")
    if name == "custom" and not query:
        raise InputError("the custom view needs a query: a SELECT with ?source ?target or a CONSTRUCT")
    if name != "custom" and query:
        raise InputError(f"a query is only used by the custom view, not by {name!r}: add --view custom")
    answer: Any = None
    build: str | None = None
    batches: Iterable[Iterable[Node]] | None = None
    store = _as_store(graph)
    if store is not None:
        from egovgraph.views.slices import view_slice

        nodes: list[str] = []
        if query:
            answer = store_answer(store, query)
            nodes = answer.iris
        union = view_slice(store, name, nodes=nodes, classes=bool(cls))
        build = store_build_info(store)
    else:
        union = _union(graph)  # type: ignore[arg-type]
    facts = Facts(union, lang)
    filters = resolve_filters(facts, land=land, cls=cls, status=status, source=source, year=year)
    check_filters(name, facts, filters)  # honest states: refuse a filter the view cannot use
    if store is not None and name in ("tech", "tech-lands"):
        from egovgraph.views.slices import fact_batches

        batches = fact_batches(store, union, filters)
    if name == "custom":
        result = custom_view(facts, query or "", filters, answer=answer)
    elif name == "entity":
        result = entity_view(facts, filters, provenance=with_provenance)
    elif name == "efa":
        result = efa_view(facts, filters)
    elif name == "tech":
        result = tech_view(facts, filters, batches=batches)
    else:
        bipartite = tech_view(facts, filters, batches=batches)
        result = tech_lands_view(bipartite)
        result.graph[FACTS_MATCHED] = bipartite.graph[FACTS_MATCHED]
    _describe(result, name, facts, filters, build)
    # honest states: say when the view is empty or its core matched nothing, and why
    annotate(result, name, facts, filters)
    return result


def _as_store(graph: object) -> Store | None:
    """``graph`` if it is a store (it answers ``query`` and is no rdflib graph), else None."""
    if graph is not None and not isinstance(graph, Graph) and hasattr(graph, "query"):
        return graph  # type: ignore[return-value]
    return None


def _union(graph: Graph | Loaded | None) -> Graph:
    if graph is None:
        from egovgraph.graph.load import load

        return load().union()
    if isinstance(graph, Graph):
        return graph
    return graph.union()


def _describe(g: nx.Graph, name: str, facts: Facts, filters: Filters, build: str | None) -> None:
    index = 0 if facts.lang == "de" else 1
    g.graph.update(
        view=name,
        lang=facts.lang,
        title=_TITLES[name][index],
        description=_DESCRIPTIONS[name][index],
        build=build or build_info(facts.graph),
        filters=filters.describe(facts),
    )


def build_info(graph: Graph) -> str:
    """Which build a view comes from: version, size and a digest of the triples (deterministic)."""
    digest = hashlib.sha256()
    for line in sorted(_nt_line(s, p, o) for s, p, o in graph):
        digest.update(line.encode("utf-8"))
    sources = len(set(graph.subjects(RDF.type, EGOV.Source)))
    short = digest.hexdigest()[:12]
    return f"egovgraph {__version__}, {len(graph)} triples, {sources} sources, data sha256:{short}"


def store_build_info(store: Store) -> str:
    """Which store a view comes from: version, size and the store (a digest would mean reading it all)."""
    from egovgraph.sparql.run import prepare

    def count(where: str) -> int:
        row = store.query(
            prepare(f"SELECT (COUNT(*) AS ?n) WHERE {{ {where} }}"), timeout=TIMEOUT, limit=None
        ).solutions[0]
        return int(row[0].value) if row[0] is not None else 0

    # distinct triples, as the loaded union has them (a triple two sources state counts once)
    triples = count("SELECT DISTINCT ?s ?p ?o WHERE { ?s ?p ?o }")
    sources = count(f"SELECT DISTINCT ?s WHERE {{ ?s a <{EGOV.Source}> }}")
    return f"egovgraph {__version__}, {triples} triples, {sources} sources, {store.description}"


def _nt_line(s: Node, p: Node, o: Node) -> str:
    def term(node: Node) -> str:
        return "_:b" if isinstance(node, BNode) else node.n3()

    return f"{term(s)} {term(p)} {term(o)} .\n"


def _new(kind: str) -> nx.Graph:
    import networkx as nx

    factories: dict[str, type[nx.Graph]] = {
        "multidi": nx.MultiDiGraph,
        "di": nx.DiGraph,
        "undirected": nx.Graph,
    }
    return factories[kind]()


def _join(values: Iterable[str]) -> str:
    return _ATTRIBUTE_SEPARATOR.join(sorted(set(values)))


# ----------------------------------------------------------------------------------------- tech views


def tech_view(facts: Facts, filters: Filters, *, batches: Iterable[Iterable[Node]] | None = None) -> nx.Graph:
    """Bipartite: Länder (bipartite=0) and technologies (bipartite=1), weighted by the initiatives.

    The facts are the subjects of egov:usesTechnology in the graph, or, from a store, the ``batches``
    of :func:`egovgraph.views.slices.fact_batches` (each batch's triples are in the graph while it is read).
    """
    g = _new("undirected")
    links: dict[tuple[Node, Node], set[str]] = defaultdict(set)
    link_sources: dict[tuple[Node, Node], set[str]] = defaultdict(set)
    if batches is None:
        batches = [sorted(set(facts.graph.subjects(EGOV.usesTechnology, None)), key=str)]
    count = FactCount(facts, filters)  # honest states: which filter left no fact (views.states)
    for batch in batches:
        for fact in batch:
            if facts.is_ontology(fact) or not count.see(fact):
                continue
            owners = facts.responsible_lands(fact)
            if filters.lands:
                owners &= filters.lands
            for land in owners:
                for tech in facts.graph.objects(fact, EGOV.usesTechnology):
                    links[(land, tech)].add(facts.label(fact))
                    link_sources[(land, tech)] |= {facts.label(s) for s in facts.sources_of(fact)}
    g.graph[FACTS_MATCHED] = count
    lands = filters.lands or facts.lands
    techs = {tech for _, tech in links}
    for land in sorted(lands, key=facts.label):
        g.add_node(str(land), bipartite=0, **facts.node_attributes(land))
    for tech in sorted(techs, key=facts.label):
        g.add_node(str(tech), bipartite=1, **facts.node_attributes(tech))
    for (land, tech), names in sorted(links.items(), key=lambda kv: (str(kv[0][0]), str(kv[0][1]))):
        g.add_edge(
            str(land),
            str(tech),
            weight=len(names),
            label=_join(names),
            initiatives=_join(names),
            sources=_join(link_sources[(land, tech)]),
        )
    return g


def tech_lands_view(bipartite: nx.Graph) -> nx.Graph:
    """The Land-Land projection of the tech view: linked by shared technologies, weight = how many."""
    g = _new("undirected")
    lands = [n for n, d in bipartite.nodes(data=True) if d.get("bipartite") == 0]
    for land in lands:
        attrs = {k: v for k, v in bipartite.nodes[land].items() if k != "bipartite"}
        uses = sorted(str(bipartite.nodes[t].get("label", t)) for t in bipartite.neighbors(land))
        g.add_node(land, **attrs, technologies=_join(uses))
    shared: dict[tuple[str, str], set[str]] = defaultdict(set)
    for tech, data in bipartite.nodes(data=True):
        if data.get("bipartite") != 1:
            continue
        users = sorted(bipartite.neighbors(tech))
        for i, a in enumerate(users):
            for b in users[i + 1 :]:
                shared[(a, b)].add(str(data.get("label", tech)))
    for (a, b), names in sorted(shared.items()):
        g.add_edge(a, b, weight=len(names), label=_join(names), technologies=_join(names))
    return g


__all__ = [
    "VIEWS",
    "build_info",
    "custom_view",
    "efa_view",
    "entity_view",
    "run_query",
    "store_build_info",
    "tech_lands_view",
    "tech_view",
    "view",
]
