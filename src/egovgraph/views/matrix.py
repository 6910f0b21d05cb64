"""The matrix tab: Land x Land for efa (rows build, columns take part), Land x technology for the tech views.

An efa cell counts the services the row's Land builds and in which the column's Land takes part:
it reuses them (named), builds them too, or belongs to their development community. So for two
Länder the union of the services in their two cells is what ``query -n shared-services`` counts.
"""

from __future__ import annotations

from collections import defaultdict
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import networkx as nx

#: The efa kinds of link a matrix cell counts (agreements are not services).
SERVICE_KINDS = ("reuse", "codevelopment", "community")


def _split(value: Any, sep: str = "; ") -> list[str]:
    return [v for v in str(value).split(sep) if v] if value not in (None, "") else []


def efa_cells(g: nx.Graph) -> dict[tuple[Any, Any], dict[str, str]]:
    """(row Land, column Land) -> {service IRI: service name} from the efa view's edges."""
    cells: dict[tuple[Any, Any], dict[str, str]] = defaultdict(dict)
    items = g.edges(keys=True, data=True) if g.is_multigraph() else ((u, v, "", d) for u, v, d in g.edges(data=True))
    for u, v, _, data in items:
        kind = data.get("kind", "reuse")
        if kind not in SERVICE_KINDS:
            continue
        iris = _split(data.get("service_iris"), " ")
        names = _split(data.get("services"))
        named = dict(zip(iris, names, strict=False)) if len(iris) == len(names) else dict.fromkeys(iris, "")
        cells[(u, v)].update(named)
        if kind == "codevelopment":  # both build: each takes part in what the other builds
            cells[(v, u)].update(named)
    return cells


def matrix(g: nx.Graph, ordered: list[Any], index: dict[Any, int], view: str, ui: dict[str, Any]) -> Any:
    """The matrix of the view for the page (None for views without one)."""
    if view == "efa":
        lands = sorted((n for n in ordered), key=lambda n: str(g.nodes[n].get("label", n)).casefold())
        cells = efa_cells(g)
        grid = [[sorted(cells.get((a, b), {}).values()) if a != b else [] for b in lands] for a in lands]
        counts = [[len(cells.get((a, b), {})) if a != b else 0 for b in lands] for a in lands]
        cols = [{"label": str(g.nodes[n].get("label", n)), "node": index[n]} for n in lands]
        return _grid(ui["matrix"]["efa"], [index[n] for n in lands], cols, counts, grid, mark=False)
    if view not in ("tech", "tech-lands"):
        return None
    lands = sorted(
        (n for n in ordered if g.nodes[n].get("class") == "egov:Land"),
        key=lambda n: str(g.nodes[n].get("label", n)).casefold(),
    )
    uses: dict[tuple[Any, str], int] = defaultdict(int)
    tech_nodes: dict[str, Any] = {}
    if view == "tech":
        for u, v, data in g.edges(data=True):
            land, tech = (u, v) if g.nodes[u].get("bipartite") == 0 else (v, u)
            label = str(g.nodes[tech].get("label", tech))
            tech_nodes[label] = tech
            uses[(land, label)] += int(data.get("weight", 1))
    else:
        for land in lands:
            for label in _split(g.nodes[land].get("technologies")):
                uses[(land, label)] = 1
    techs = sorted({t for _, t in uses}, key=str.casefold)
    counts = [[uses.get((land, t), 0) for t in techs] for land in lands]
    grid = [[[] for _ in techs] for _ in lands]
    cols = [{"label": t, "node": index[tech_nodes[t]] if t in tech_nodes else None} for t in techs]
    return _grid(ui["matrix"][view], [index[n] for n in lands], cols, counts, grid, mark=view == "tech-lands")


def _grid(
    note: str, rows: list[int], cols: list[dict[str, Any]], counts: list[list[int]], items: list[Any], *, mark: bool
) -> dict[str, Any]:
    return {
        "note": note,
        "rows": rows,
        "cols": cols,
        "counts": counts,
        "items": items,
        "row_totals": [sum(r) for r in counts],
        "col_totals": [sum(r[j] for r in counts) for j in range(len(cols))],
        "total": sum(sum(r) for r in counts),
        "mark": mark,
    }


__all__ = ["SERVICE_KINDS", "efa_cells", "matrix"]
