"""A deterministic layout in pure Python, linear in nodes and edges, for graphs too large for browser physics.

Each connected component is drawn as a radial tree around its best-connected node (breadth-first, each
subtree in a wedge proportional to its leaves); components are packed in rows, largest first. Ties are
broken by node id, so the same graph always gives the same positions.
"""

from __future__ import annotations

import math
from collections import deque
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import networkx as nx

#: Distance between neighbouring nodes on a ring, in vis-network pixels.
SPACING = 40.0


def radial_layout(g: nx.Graph, *, spacing: float = SPACING) -> dict[Any, tuple[float, float]]:
    """Positions for every node: components as radial trees, packed in rows."""
    neighbours: dict[Any, set[Any]] = {n: set() for n in g.nodes}
    for u, v in g.edges():
        if u != v:
            neighbours[u].add(v)
            neighbours[v].add(u)
    order = {n: i for i, n in enumerate(sorted(g.nodes, key=str))}
    adjacency = {n: sorted(vs, key=order.__getitem__) for n, vs in neighbours.items()}
    seen: set[Any] = set()
    placed: list[tuple[float, dict[Any, tuple[float, float]]]] = []
    for start in sorted(g.nodes, key=lambda n: (-len(adjacency[n]), order[n])):
        if start in seen:
            continue
        placed.append(_radial_component(start, adjacency, seen, spacing))
    return _pack(placed, spacing)


def _radial_component(
    root: Any,
    adjacency: dict[Any, list[Any]],
    seen: set[Any],
    spacing: float,
) -> tuple[float, dict[Any, tuple[float, float]]]:
    seen.add(root)
    bfs = [root]
    children: dict[Any, list[Any]] = {root: []}
    depth = {root: 0}
    queue = deque([root])
    while queue:
        node = queue.popleft()
        for nb in adjacency[node]:
            if nb not in seen:
                seen.add(nb)
                depth[nb] = depth[node] + 1
                children[node].append(nb)
                children[nb] = []
                bfs.append(nb)
                queue.append(nb)
    leaves = {n: 1 for n in bfs}
    for node in reversed(bfs):
        if children[node]:
            leaves[node] = sum(leaves[c] for c in children[node])
    per_depth: dict[int, int] = {}
    for node in bfs:
        per_depth[depth[node]] = per_depth.get(depth[node], 0) + 1
    radius = {0: 0.0}
    for d in range(1, max(per_depth) + 1):
        radius[d] = max(radius[d - 1] + spacing * 2, per_depth[d] * spacing / (2 * math.pi))
    wedge = {root: (0.0, 2 * math.pi)}
    pos: dict[Any, tuple[float, float]] = {}
    for node in bfs:
        lo, hi = wedge[node]
        angle = (lo + hi) / 2
        r = radius[depth[node]]
        pos[node] = (r * math.cos(angle), r * math.sin(angle))
        start = lo
        for child in children[node]:
            share = (hi - lo) * leaves[child] / leaves[node]
            wedge[child] = (start, start + share)
            start += share
    return radius[max(per_depth)] + spacing, pos


def _pack(
    placed: list[tuple[float, dict[Any, tuple[float, float]]]],
    spacing: float,
) -> dict[Any, tuple[float, float]]:
    area = sum((2 * r) ** 2 for r, _ in placed)
    width = max(math.sqrt(area) * 1.2, max((2 * r for r, _ in placed), default=spacing))
    out: dict[Any, tuple[float, float]] = {}
    x = y = row_height = 0.0
    for r, pos in placed:
        size = 2 * r
        if x > 0 and x + size > width:
            x, y, row_height = 0.0, y + row_height, 0.0
        cx, cy = x + r, y + r
        for node, (px, py) in pos.items():
            out[node] = (round(cx + px, 1), round(cy + py, 1))
        x += size
        row_height = max(row_height, size)
    return out
