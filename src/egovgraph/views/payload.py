"""What the page's viewer draws: nodes, edges, classes and kinds of link, facets, tables and the matrix.

Pure data (str, int, float, lists, dicts) that :mod:`egovgraph.views.html` embeds as JSON. Every text
from the graph stays a string here; the viewer sets it with ``textContent``.
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING, Any

from egovgraph.defaults import SIZES
from egovgraph.errors import InputError
from egovgraph.views.states import cap_note
from egovgraph.views.styles import EDGE_STYLES, LEVEL_DASHES, class_style
from egovgraph.views.texts import HIDDEN_KEYS, UI, key_label

if TYPE_CHECKING:
    import networkx as nx

#: Above this many nodes only the best-connected are drawn (and the page says what was left out).
DEFAULT_MAX_NODES = 5000
#: Up to this many nodes the browser lays the graph out (seeded physics, stopped once stable);
#: above it the layout is computed in Python and physics is off.
PHYSICS_MAX_NODES = 500
SEED = 42

MIN_SIZE, MAX_SIZE = 8.0, 40.0
#: Longest label drawn on the canvas (the details show the whole text).
LABEL_CHARS = 40
#: Longest line of a tooltip (the details panel shows everything).
TOOLTIP_CHARS = 300
TOOLTIP_KEYS = (
    "class_label",
    "land",
    "status",
    "year",
    "sources",
    "services",
    "themenfeld",
    "technologies",
    "initiatives",
    "built",
    "reused",
    "unnamed_reuse",
    "predicate",
    "level",
)
#: Numbers shown as columns of the node table when the view has them.
NUMBER_COLUMNS = ("services_built", "services_reused", "unnamed_reuse_count")


def shorten(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def split(value: Any) -> list[str]:
    if value is None or value == "":
        return []
    return [v for v in str(value).split("; ") if v]


def cap(g: nx.Graph, max_nodes: int | None, lang: str = "en") -> tuple[nx.Graph, str]:
    """At most ``max_nodes`` nodes, the best-connected, and a note in ``lang`` on what was left out ("" if nothing)."""
    n = g.number_of_nodes()
    if max_nodes is None or n <= max_nodes:
        return g, ""
    if max_nodes < 1:
        raise InputError(f"max_nodes {max_nodes} is too small: give at least 1")
    degree = dict(g.degree())
    keep = sorted(g.nodes, key=lambda node: (-degree[node], str(node)))[:max_nodes]
    sub = g.subgraph(keep).copy()  # a copy: iterating a subgraph view is several times slower
    left_edges = g.number_of_edges() - sub.number_of_edges()
    return sub, cap_note(lang, shown=max_nodes, total=n, left_edges=left_edges)


def _sizes(g: nx.Graph, size_by: str, seed: int) -> dict[Any, float]:
    if size_by == "none":
        return dict.fromkeys(g.nodes, 14.0)
    if size_by == "services":
        values = {
            n: float(_number(d.get("services_built")) + _number(d.get("services_reused")))
            for n, d in g.nodes(data=True)
        }
    else:
        from egovgraph.views.metrics import centrality

        values = centrality(g, size_by, seed=seed)
    low, high = min(values.values(), default=0.0), max(values.values(), default=0.0)
    if high <= low:
        return dict.fromkeys(g.nodes, 14.0)
    return {
        n: round(MIN_SIZE + (MAX_SIZE - MIN_SIZE) * math.sqrt((v - low) / (high - low)), 2) for n, v in values.items()
    }


def _number(value: Any) -> int:
    return value if isinstance(value, int) and not isinstance(value, bool) else 0


def _class_key(data: dict[str, Any]) -> tuple[str, str]:
    return (str(data.get("class", "")), str(data.get("class_label") or data.get("class") or "—"))


def _classes(g: nx.Graph) -> list[tuple[str, str, int]]:
    """(class key, class label, count) in legend order: the ontology's main classes first, then by name."""
    from egovgraph.views.facts import CLASS_ORDER

    counts: dict[tuple[str, str], int] = {}
    for _, data in g.nodes(data=True):
        key = _class_key(data)
        counts[key] = counts.get(key, 0) + 1
    known = [f"egov:{str(c).rsplit('#', 1)[-1]}" if "ontology#" in str(c) else str(c) for c in CLASS_ORDER]

    def order(item: tuple[tuple[str, str], int]) -> tuple[int, str, str]:
        (key, label), _ = item
        return (known.index(key) if key in known else len(known), label.casefold(), key)

    return [(key, label, n) for (key, label), n in sorted(counts.items(), key=order)]


def _facets(g: nx.Graph, lang: str) -> list[tuple[str, str, list[str]]]:
    out = []
    for key in ("class_label", "land", "status"):
        values = sorted({v for _, d in g.nodes(data=True) for v in split(d.get(key))}, key=str.casefold)
        if len(values) >= 2 or (values and any(not split(d.get(key)) for _, d in g.nodes(data=True))):
            out.append((key, UI[lang]["facets"][key], values))
    return out


def _plain(value: Any) -> str | int | float:
    if isinstance(value, bool):
        return str(value).lower()
    if isinstance(value, int | float) and math.isfinite(value):
        return value
    return str(value)


def _positions(g: nx.Graph, physics: bool) -> tuple[dict[Any, tuple[float, float]], set[Any]]:
    """Positions to draw (all nodes without physics) and the nodes fixed at their geography."""
    from egovgraph.views.geo import geo_positions

    coords = {
        n: (float(d["latitude"]), float(d["longitude"]))
        for n, d in g.nodes(data=True)
        if isinstance(d.get("latitude"), float) and isinstance(d.get("longitude"), float)
    }
    fixed = geo_positions(coords)
    if physics:
        return fixed, set(fixed)
    from egovgraph.views.layout import radial_layout

    if not fixed:
        return radial_layout(g), set()
    others = g.subgraph([n for n in g.nodes if n not in fixed]).copy()
    positions = dict(radial_layout(others)) if others.number_of_nodes() else {}
    if fixed and positions:  # the rest to the right of the map
        shift = max(x for x, _ in fixed.values()) + 200 - min(x for x, _ in positions.values())
        positions = {n: (round(x + shift, 1), y) for n, (x, y) in positions.items()}
    positions.update(fixed)
    return positions, set(fixed)


def _edge_items(g: nx.Graph) -> list[tuple[Any, Any, str, dict[str, Any]]]:
    if g.is_multigraph():
        return [(u, v, str(k), d) for u, v, k, d in g.edges(keys=True, data=True)]
    return [(u, v, "", d) for u, v, d in g.edges(data=True)]


def _kind(data: dict[str, Any], view: str) -> str:
    kind = str(data.get("kind") or "")
    if kind in EDGE_STYLES:
        return kind
    return "technology" if view in ("tech", "tech-lands") else "link"


def payload(
    graph: nx.Graph,
    *,
    size_by: str = "auto",
    max_nodes: int | None = DEFAULT_MAX_NODES,
    seed: int = SEED,
) -> tuple[dict[str, Any], str]:
    """The data the viewer draws and the note on what was left out."""
    if size_by not in SIZES:
        raise InputError(f"unknown size {size_by!r}: choose one of {', '.join(SIZES)}")
    view = str(graph.graph.get("view", ""))
    if size_by == "auto":
        size_by = "services" if view == "efa" else "degree"
    lang = graph.graph.get("lang", "de") if graph.graph.get("lang") in UI else "de"
    ui = UI[lang]
    g, note = cap(graph, max_nodes, lang)
    note = " ".join(part for part in (str(graph.graph.get("note") or ""), note) if part)  # honest states
    ordered = sorted(g.nodes, key=str)
    index = {node: i for i, node in enumerate(ordered)}
    physics = len(ordered) <= PHYSICS_MAX_NODES
    positions, fixed = _positions(g, physics)
    sizes = _sizes(g, size_by, seed)
    classes = _classes(g)
    class_index = {(key, label): i for i, (key, label, _) in enumerate(classes)}
    facets = _facets(g, lang)
    facet_index = [{v: i for i, v in enumerate(values)} for _, _, values in facets]
    keys: set[str] = set()
    degree = dict(g.degree())
    nodes = []
    for node in ordered:
        data = g.nodes[node]
        label = str(data.get("label", node))
        shown = [k for k, v in sorted(data.items()) if k not in HIDDEN_KEYS and v != ""]
        attrs = [[k, _plain(data[k])] for k in shown]
        keys.update(shown)
        item: dict[str, Any] = {
            "id": index[node],
            "label": label,
            "display": shorten(label, LABEL_CHARS),
            "iri": str(data.get("iri", "")),
            "c": class_index[_class_key(data)],
            "size": sizes.get(node, 14.0),
            "deg": degree[node],
            "f": [[facet_index[i][v] for v in split(data.get(k))] for i, (k, _, _) in enumerate(facets)],
            "a": attrs,
            "q": " ".join(str(data.get(k, "")) for k in ("alt_labels", "codes")).strip(),
        }
        unnamed = data.get("unnamed_reuse_count")
        if isinstance(unnamed, int) and not isinstance(unnamed, bool) and unnamed > 0:
            item["display"] = ui["unnamed"].replace("{label}", item["display"]).replace("{n}", str(unnamed))
        if node in positions:
            item["x"], item["y"] = positions[node]
        if node in fixed:
            item["fixed"] = True
        nodes.append(item)
    edges, kinds = _edges(g, index, view, lang, keys)
    ui_out = {k: v for k, v in ui.items() if k not in ("facets", "sizes", "unnamed", "matrix")}
    ui_out["size"] = ui["size"].replace("{size}", ui["sizes"][size_by])
    from egovgraph.views.matrix import matrix

    data_out = {
        "view": view,
        "lang": lang,
        "directed": g.is_directed(),
        "all_nodes": graph.number_of_nodes(),  # before the cap: the counter says "5.000 von 41.512"
        "physics": physics,
        "seed": seed,
        "ui": ui_out,
        "keys": {k: key_label(k, lang) for k in sorted(keys | {"class_label", "land", "weight", "kind"})},
        "tooltip_keys": list(TOOLTIP_KEYS),
        "columns": ["class_label", "land", *[c for c in NUMBER_COLUMNS if c in keys]],
        "classes": [
            {"key": key, "label": label, "count": n, "border": "#57606a", **class_style(key)._asdict()}
            for key, label, n in classes
        ],
        "kinds": kinds,
        "facets": [{"key": key, "label": label, "values": values} for key, label, values in facets],
        "nodes": nodes,
        "edges": edges,
        "matrix": matrix(g, ordered, index, view, ui),
    }
    return data_out, note


def _edges(
    g: nx.Graph, index: dict[Any, int], view: str, lang: str, keys: set[str]
) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """The edges (kind, width, label, attributes) and the kinds of link in legend order, with counts."""
    items = sorted(_edge_items(g), key=lambda e: (index[e[0]], index[e[1]], e[2]))
    levels = sorted({v for _, _, _, d in items if d.get("level") for v in split(d["level"])})
    kind_keys: list[str] = []
    counts: dict[str, int] = {}
    edges = []
    for u, v, _key, data in items:
        kind = _kind(data, view)
        style_key = kind
        if kind == "reuse" and data.get("level"):
            style_key = f"reuse:{split(data['level'])[0]}"
        if style_key not in counts:
            counts[style_key] = 0
            kind_keys.append(style_key)
        counts[style_key] += 1
        weight = data.get("weight", 1)
        heavy = isinstance(weight, int | float) and weight > 1
        width = 1.0 + 2.0 * math.log2(float(weight)) if heavy else 1.0
        names = [k for k, x in data.items() if x != "" and k not in ("label", "service_iris")]
        attrs = [[k, _plain(data[k])] for k in names]  # in the order the view set them: same data, same page
        keys.update(names)
        edges.append(
            {
                "from": index[u],
                "to": index[v],
                "k": style_key,
                "width": round(min(width, 12.0), 2),
                "label": str(data.get("label", "")),
                "a": attrs,
            }
        )
    kinds = []
    order = list(EDGE_STYLES)
    for style_key in sorted(kind_keys, key=lambda k: (order.index(k.split(":", 1)[0]), k)):
        base, _, level = style_key.partition(":")
        style = EDGE_STYLES[base]
        dashes = LEVEL_DASHES[levels.index(level) % len(LEVEL_DASHES)] if level else style.dashes
        label = style.de if lang == "de" else style.en
        kinds.append(
            {
                "key": style_key,
                "label": f"{label}: {level}" if level else label,
                "count": counts[style_key],
                "color": style.color,
                "dashes": list(dashes),
                "arrow": style.arrow and g.is_directed(),
            }
        )
    return edges, kinds


__all__ = [
    "DEFAULT_MAX_NODES",
    "LABEL_CHARS",
    "PHYSICS_MAX_NODES",
    "SEED",
    "SIZES",
    "TOOLTIP_CHARS",
    "cap",
    "payload",
    "shorten",
    "split",
]
