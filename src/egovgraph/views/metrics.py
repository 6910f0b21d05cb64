"""Network metrics of a view: degrees, betweenness, eigenvector centrality, components, leaders.

Eigenvector centrality is undefined across components and fails to converge on some small graphs, so it
is computed per connected component of the undirected graph (values compare within a component only).
Betweenness is exact up to ``EXACT_BETWEENNESS_NODES`` nodes and sampled (seeded) above.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import networkx as nx

#: Above this many nodes betweenness is estimated from a seeded sample of source nodes.
EXACT_BETWEENNESS_NODES = 1000
BETWEENNESS_SAMPLE = 300
CENTRALITIES = ("degree", "betweenness", "eigenvector")


@dataclass(frozen=True)
class NodeMetrics:
    id: str
    label: str
    degree: int
    in_degree: int
    out_degree: int
    weighted_in: float
    weighted_out: float
    betweenness: float
    eigenvector: float | None
    component: int


@dataclass(frozen=True)
class Leader:
    id: str
    label: str
    value: float


@dataclass(frozen=True)
class NetworkMetrics:
    """Per-node metrics (sorted by degree, then label), components (largest first) and the leaders."""

    directed: bool
    nodes: list[NodeMetrics]
    components: list[list[str]]
    leaders: dict[str, list[Leader]]
    notes: list[str] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        return {
            "directed": self.directed,
            "nodes": [asdict(n) for n in self.nodes],
            "components": self.components,
            "leaders": {k: [asdict(x) for x in v] for k, v in self.leaders.items()},
            "notes": self.notes,
        }


def _simple_undirected(g: nx.Graph) -> nx.Graph:
    """The graph as a simple undirected graph, parallel and reverse edges summed into ``weight``."""
    import networkx as nx

    out = nx.Graph()
    out.add_nodes_from(g.nodes)
    for u, v, data in g.edges(data=True):
        if u == v:
            continue
        weight = float(data.get("weight", 1) or 1)
        if out.has_edge(u, v):
            out[u][v]["weight"] += weight
        else:
            out.add_edge(u, v, weight=weight)
    return out


def components(g: nx.Graph) -> list[list[str]]:
    """Connected components (weakly, for directed graphs), largest first, members sorted."""
    import networkx as nx

    parts = nx.weakly_connected_components(g) if g.is_directed() else nx.connected_components(g)
    return sorted((sorted(map(str, c)) for c in parts), key=lambda c: (-len(c), c[0] if c else ""))


def eigenvector(g: nx.Graph) -> tuple[dict[Any, float | None], list[str]]:
    """Eigenvector centrality per connected component of the undirected graph; notes on what failed."""
    import networkx as nx

    simple = _simple_undirected(g)
    values: dict[Any, float | None] = {}
    notes: list[str] = []
    for part in nx.connected_components(simple):
        if len(part) < 2:
            values.update(dict.fromkeys(part, 0.0))
            continue
        sub = simple.subgraph(part)
        try:
            values.update(nx.eigenvector_centrality(sub, max_iter=1000, tol=1e-9, weight="weight"))
        except nx.PowerIterationFailedConvergence:
            values.update(dict.fromkeys(part, None))
            notes.append(f"eigenvector centrality did not converge for a component of {len(part)} nodes")
    if len(values) and nx.number_connected_components(simple) > 1:
        notes.append("the graph is disconnected: eigenvector centrality compares nodes within one component")
    return values, notes


def betweenness(g: nx.Graph, *, seed: int = 0) -> tuple[dict[Any, float], list[str]]:
    """Normalised betweenness (directed if the graph is); sampled with ``seed`` on large graphs."""
    import networkx as nx

    n = g.number_of_nodes()
    if n <= EXACT_BETWEENNESS_NODES:
        return nx.betweenness_centrality(g, normalized=True), []
    k = min(n, BETWEENNESS_SAMPLE)
    note = f"betweenness estimated from {k} of {n} source nodes (seed {seed})"
    return nx.betweenness_centrality(g, k=k, normalized=True, seed=seed), [note]


def centrality(g: nx.Graph, kind: str, *, seed: int = 0) -> dict[Any, float]:
    """One centrality per node, for sizing nodes: degree, betweenness or eigenvector."""
    if kind == "degree":
        return {n: float(d) for n, d in g.degree()}
    if kind == "betweenness":
        return betweenness(g, seed=seed)[0]
    if kind == "eigenvector":
        return {n: v or 0.0 for n, v in eigenvector(g)[0].items()}
    raise ValueError(f"unknown centrality {kind!r}: choose one of {', '.join(CENTRALITIES)}")


def network_metrics(g: nx.Graph, *, seed: int = 0, top: int = 3) -> NetworkMetrics:
    """Degrees, betweenness, eigenvector centrality, components and who provides and reuses most."""
    directed = g.is_directed()
    between, notes = betweenness(g, seed=seed)
    eigen, eigen_notes = eigenvector(g)
    notes += eigen_notes
    parts = components(g)
    part_of = {node: i for i, part in enumerate(parts) for node in part}
    rows = []
    for node, data in g.nodes(data=True):
        w_in = float(g.in_degree(node, weight="weight") if directed else g.degree(node, weight="weight"))
        w_out = float(g.out_degree(node, weight="weight")) if directed else w_in
        rows.append(
            NodeMetrics(
                id=str(node),
                label=str(data.get("label", node)),
                degree=int(g.degree(node)),
                in_degree=int(g.in_degree(node)) if directed else int(g.degree(node)),
                out_degree=int(g.out_degree(node)) if directed else int(g.degree(node)),
                weighted_in=w_in,
                weighted_out=w_out,
                betweenness=round(between.get(node, 0.0), 6),
                eigenvector=None if eigen.get(node) is None else round(float(eigen[node] or 0.0), 6),
                component=part_of[str(node)],
            )
        )
    rows.sort(key=lambda r: (-r.degree, r.label, r.id))
    leaders: dict[str, list[Leader]] = {}
    if directed:
        leaders["provides most (weighted out-degree)"] = _leaders(rows, lambda r: r.weighted_out, top)
        leaders["reuses most (weighted in-degree)"] = _leaders(rows, lambda r: r.weighted_in, top)
    else:
        leaders["most connected (weighted degree)"] = _leaders(rows, lambda r: r.weighted_in, top)
    for attribute, title in (
        ("services_built", "builds most services"),
        ("unnamed_reuse_count", "most reusers counted but not named"),
    ):
        values = {str(n): d.get(attribute) for n, d in g.nodes(data=True)}
        if any(isinstance(v, int | float) and v for v in values.values()):
            leaders[title] = _leaders(rows, lambda r, a=values: float(a.get(r.id) or 0), top)
    leaders["highest betweenness"] = _leaders(rows, lambda r: r.betweenness, top)
    return NetworkMetrics(directed, rows, parts, leaders, notes)


def _leaders(rows: list[NodeMetrics], key: Any, top: int) -> list[Leader]:
    """The nodes with the highest positive values; ties at the cut are all kept."""
    ranked = sorted((r for r in rows if key(r) > 0), key=lambda r: (-key(r), r.label, r.id))
    if not ranked:
        return []
    cut = key(ranked[min(top, len(ranked)) - 1])
    return [Leader(r.id, r.label, float(key(r))) for r in ranked if key(r) >= cut]
