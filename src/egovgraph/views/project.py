"""RDF -> networkx views for analysts: the entity graph, Land-Land EfA links, Land-technology, custom.

Every view is a networkx graph whose nodes and edges carry plain attributes (str, int, float) so that
it exports to GraphML, GEXF, CSV and JSON unchanged. Node ids are IRIs; ``label``, ``class``,
``class_label``, ``land``, ``status``, ``sources`` and ``year`` are set on every node that has them.
Graph attributes ``view``, ``title``, ``description``, ``build`` and ``filters`` say what is shown.
"""

from __future__ import annotations

import hashlib
from collections import defaultdict
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from rdflib import BNode, Graph, Literal
from rdflib.namespace import RDF
from rdflib.term import Node

from egovgraph import __version__
from egovgraph.defaults import VIEWS
from egovgraph.errors import InputError
from egovgraph.views.facts import Facts, Filters, resolve_filters
from egovgraph.vocab.namespaces import EGOV, SCHEMA

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
        "Eine Kante führt vom entwickelnden Land zu jedem Land, das die EfA-Leistung nachnutzt; das "
        'Gewicht zählt die Leistungen. Ungenannte Nachnutzer ("11 Länder") stehen beim Anbieter.',
        "An edge leads from the Land that builds an EfA service to each Land that reuses it; the weight "
        'counts the services. Unnamed reusers ("11 Länder") are shown on the provider, not as edges.',
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
) -> nx.Graph:
    """The named view of ``graph`` (default: the bundled data) as a networkx graph, filtered.

    Filters take IRIs, CURIEs (``land:bremen``), slugs (``bremen``), ISO codes (``DE-HB``) or labels;
    values of one filter are alternatives, different filters must all hold. ``graph`` may also be a
    store (:mod:`egovgraph.stores.kinds`: an Oxigraph store on disk, a SPARQL endpoint): the view then fetches
    only the part of the graph it reads (:mod:`egovgraph.views.slices`).
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
            answer = _store_answer(store, query)
            nodes = answer.iris
        union = view_slice(store, name, nodes=nodes, classes=bool(cls))
        build = store_build_info(store)
    else:
        union = _union(graph)  # type: ignore[arg-type]
    facts = Facts(union, lang)
    filters = resolve_filters(facts, land=land, cls=cls, status=status, source=source, year=year)
    if store is not None and name in ("tech", "tech-lands"):
        from egovgraph.views.slices import fact_batches

        batches = fact_batches(store, union, filters)
    if name == "custom":
        result = custom_view(facts, query or "", filters, answer=answer)
    elif name == "entity":
        result = entity_view(facts, filters)
    elif name == "efa":
        result = efa_view(facts, filters)
    elif name == "tech":
        result = tech_view(facts, filters, batches=batches)
    else:
        result = tech_lands_view(tech_view(facts, filters, batches=batches))
    _describe(result, name, facts, filters, build)
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

    def count(where: str) -> int:  # two plain counts: half the time of one pass testing every triple
        row = store.query(
            prepare(f"SELECT (COUNT(*) AS ?n) WHERE {{ {where} }}"), timeout=TIMEOUT, limit=None
        ).solutions[0]
        return int(row[0].value) if row[0] is not None else 0

    triples, sources = count("?s ?p ?o"), count(f"?s a <{EGOV.Source}>")
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


# --------------------------------------------------------------------------------------- entity view


def entity_view(facts: Facts, filters: Filters) -> nx.MultiDiGraph:
    """Resources as nodes, relations as edges keyed by predicate; literals and web links as attributes."""
    triples = [t for t in facts.graph if not facts.is_ontology(t[0])]
    return _triples_to_graph(facts, triples, filters)


def _triples_to_graph(
    facts: Facts,
    triples: list[tuple[Node, Node, Node]],
    filters: Filters,
) -> nx.MultiDiGraph:
    by_subject: dict[Node, list[tuple[Node, Node]]] = defaultdict(list)
    for s, p, o in triples:
        if p != RDF.type:
            by_subject[s].append((p, o))
    selected = sorted((s for s in by_subject if facts.matches(s, filters)), key=str)
    g = _new("multidi")
    edges: list[tuple[str, str, str, str]] = []
    literals: dict[str, dict[str, list[str]]] = defaultdict(lambda: defaultdict(list))
    nodes: set[Node] = set(selected)
    for s in selected:
        for p, o in by_subject[s]:
            key = facts.curie(p)
            if isinstance(o, Literal):
                literals[_node_id(s)][key].append(_literal_text(o))
            elif facts.is_web_link(o):
                literals[_node_id(s)][key].append(str(o))
            else:
                nodes.add(o)
                edges.append((_node_id(s), _node_id(o), key, facts.label(p)))
    for node in sorted(nodes, key=_node_id):
        attrs = facts.node_attributes(node)
        for key, values in sorted(literals.get(_node_id(node), {}).items()):
            attrs[key] = _ATTRIBUTE_SEPARATOR.join(sorted(set(values)))
        g.add_node(_node_id(node), **attrs)
    for source, target, key, label in sorted(set(edges)):
        g.add_edge(source, target, key=key, predicate=key, label=label, weight=1)
    return g


def _node_id(node: Node) -> str:
    return f"_:{node}" if isinstance(node, BNode) else str(node)


def _literal_text(value: Literal) -> str:
    return f"{value}@{value.language}" if value.language else str(value)


# ------------------------------------------------------------------------------------------ efa view


def efa_view(facts: Facts, filters: Filters) -> nx.DiGraph:
    """Länder as nodes; an edge builder -> reuser with the services, their number and Themenfelder."""
    g = _new("di")
    service_filters = filters.without_land()
    lands = facts.lands
    node_data: dict[Node, dict[str, set[str]]] = defaultdict(lambda: defaultdict(set))
    counts: dict[Node, int] = defaultdict(int)
    edge_data: dict[tuple[Node, Node], dict[str, set[str]]] = defaultdict(lambda: defaultdict(set))
    for service in sorted(facts.instances(EGOV.EfaService), key=str):
        if not facts.matches(service, service_filters):
            continue
        name = facts.label(service)
        builders = facts.resolve_lands(facts.graph.objects(service, EGOV.builtBy))
        reusers = facts.resolve_lands(facts.graph.objects(service, EGOV.reusedBy))
        partners = facts.resolve_lands(facts.graph.objects(service, EGOV.developmentPartner))
        themen = {facts.label(t) for t in facts.graph.objects(service, EGOV.themenfeld)}
        sources = {facts.label(s) for s in facts.sources_of(service)}
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
        for builder in builders:
            for reuser in reusers:
                if builder == reuser:
                    continue
                edge = edge_data[(builder, reuser)]
                edge["services"].add(name)
                edge["service_iris"].add(str(service))
                edge["themenfeld"] |= themen
                edge["sources"] |= sources
    chosen = filters.lands
    kept_edges = {k: v for k, v in edge_data.items() if not chosen or k[0] in chosen or k[1] in chosen}
    keep_nodes = set(lands) if not chosen else set(chosen) | {n for pair in kept_edges for n in pair}
    for land in sorted(keep_nodes, key=facts.label):
        attrs = facts.node_attributes(land)
        data = node_data.get(land, {})
        attrs["services_built"] = len(data.get("built", ()))
        attrs["services_reused"] = len(data.get("reused", ()))
        attrs["unnamed_reuse_count"] = counts.get(land, 0)
        for key in ("built", "reused", "unnamed_reuse", "development_partners", "development_partner_of"):
            attrs[key] = _join(data.get(key, ()))
        attrs["sources"] = _join(data.get("sources", ()))
        g.add_node(str(land), **attrs)
    for (builder, reuser), edge in sorted(kept_edges.items(), key=lambda kv: (str(kv[0][0]), str(kv[0][1]))):
        services = _join(edge["services"])
        g.add_edge(
            str(builder),
            str(reuser),
            weight=len(edge["services"]),
            label=services,
            services=services,
            service_iris=" ".join(sorted(edge["service_iris"])),
            themenfeld=_join(edge["themenfeld"]),
            sources=_join(edge["sources"]),
        )
    return g


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
    for batch in batches:
        for fact in batch:
            if facts.is_ontology(fact) or not facts.matches(fact, filters.without_land()):
                continue
            owners = facts.responsible_lands(fact)
            if filters.lands:
                owners &= filters.lands
            for land in owners:
                for tech in facts.graph.objects(fact, EGOV.usesTechnology):
                    links[(land, tech)].add(facts.label(fact))
                    link_sources[(land, tech)] |= {facts.label(s) for s in facts.sources_of(fact)}
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
        g.add_node(land, **{k: v for k, v in bipartite.nodes[land].items() if k != "bipartite"})
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


# --------------------------------------------------------------------------------------- custom view


def run_query(graph: Graph, text: str) -> Any:
    """Run a read-only SPARQL query on ``graph`` (the one place the custom view calls SPARQL)."""
    from rdflib.plugins.sparql import prepareQuery

    try:
        prepared = prepareQuery(text, initNs={k: str(v) for k, v in graph.namespaces()})
    except Exception as err:  # rdflib raises pyparsing errors and others
        raise InputError(f"the custom query does not parse: {err}") from None
    if _uses_remote(prepared.algebra) or getattr(prepared.algebra, "datasetClause", None):
        raise InputError("the custom query may not use SERVICE or FROM: it runs on the local graph only")
    try:
        return graph.query(prepared)
    except Exception as err:
        raise InputError(f"the custom query failed: {err}") from None


def _uses_remote(node: Any) -> bool:
    if getattr(node, "name", None) in ("ServiceGraphPattern",) or getattr(node, "name", None) == "Service":
        return True
    if isinstance(node, dict):
        return any(_uses_remote(v) for v in node.values())
    if isinstance(node, list | tuple):
        return any(_uses_remote(v) for v in node)
    return False


class _StoreAnswer:
    """A custom query's answer from a store, shaped like rdflib's result for :func:`custom_view`."""

    def __init__(self, result: Any) -> None:
        self.type = result.form
        self.vars = list(result.variables)
        self.rows = result.rows
        self.graph = result.graph() if result.form in ("CONSTRUCT", "DESCRIBE") else None
        self.iris = result.iris()

    def __iter__(self) -> Any:
        return iter(self.rows)


def _store_answer(store: Store, text: str) -> _StoreAnswer:
    from egovgraph.sparql.run import prepare

    try:
        prepared = prepare(text)
    except InputError as err:
        raise InputError(f"the custom query: {err}") from None
    return _StoreAnswer(store.query(prepared, timeout=TIMEOUT, limit=None))


def custom_view(facts: Facts, text: str, filters: Filters, *, answer: Any = None) -> nx.Graph:
    """Edges from a SELECT (?source ?target, optional ?label ?weight) or the triples of a CONSTRUCT."""
    result = answer if answer is not None else run_query(facts.graph, text)
    if result.type == "CONSTRUCT":
        return _triples_to_graph(facts, list(result.graph), filters)
    if result.type != "SELECT":
        raise InputError(f"the custom view needs a SELECT or a CONSTRUCT, not {result.type}")
    names = [str(v) for v in result.vars or ()]
    if "source" not in names or "target" not in names:
        raise InputError(
            f"the custom SELECT returns ?{' ?'.join(names) or '(nothing)'}: it must return ?source and "
            "?target (optional ?label and ?weight)"
        )
    g = _new("di")
    labels: dict[tuple[str, str], set[str]] = defaultdict(set)
    weights: dict[tuple[str, str], float] = defaultdict(float)
    endpoints: dict[str, Node] = {}
    for row in result:
        src, dst = row["source"], row["target"]
        if src is None or dst is None:
            continue
        if not (facts.matches(src, filters) and facts.matches(dst, filters)):
            continue
        pair = (_node_id(src), _node_id(dst))
        endpoints[pair[0]], endpoints[pair[1]] = src, dst
        if "label" in names and row["label"] is not None:
            labels[pair].add(str(row["label"]))
        weight = row["weight"] if "weight" in names else None
        weights[pair] += float(weight) if isinstance(weight, Literal) and _is_number(weight) else 1.0
    for node_id in sorted(endpoints):
        g.add_node(node_id, **facts.node_attributes(endpoints[node_id]))
    for pair in sorted(weights):
        weight = weights[pair]
        g.add_edge(*pair, weight=int(weight) if weight.is_integer() else weight, label=_join(labels[pair]))
    return g


def _is_number(value: Literal) -> bool:
    try:
        float(value)
    except (TypeError, ValueError):
        return False
    return True


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
