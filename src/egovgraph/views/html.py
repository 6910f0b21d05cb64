"""networkx -> one self-contained interactive HTML page (vis-network inlined; no request to any host).

The only module that touches pyvis: it reads the vis-network build pyvis ships, at write time. pyvis' own
templates are not used, because even its ``in_line`` mode loads Bootstrap from a CDN and switches
tooltips to innerHTML. Graph text goes into a JSON block escaped for ``<script>`` and is set as text by
the viewer; a Content-Security-Policy allows only the page's own scripts and styles (by hash).
"""

from __future__ import annotations

import base64
import hashlib
import html
import importlib.util
import json
import math
import re
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING, Any

from egovgraph import __version__
from egovgraph.defaults import SIZES
from egovgraph.errors import EgovGraphError, InputError

if TYPE_CHECKING:
    import networkx as nx

#: Above this many nodes only the best-connected are drawn (and the page says what was left out).
DEFAULT_MAX_NODES = 5000
#: Up to this many nodes the browser lays the graph out (seeded physics, stopped once stable);
#: above it the layout is computed in Python and physics is off.
PHYSICS_MAX_NODES = 500
SEED = 42
MIN_SIZE, MAX_SIZE = 8.0, 40.0
#: Longest line of a tooltip (the details panel shows everything).
TOOLTIP_CHARS = 300

#: Colour-blind-safe palette (Okabe-Ito, then Tableau); classes of ``facts.CLASS_ORDER`` come first.
PALETTE = (
    "#E69F00",
    "#56B4E9",
    "#009E73",
    "#F0E442",
    "#0072B2",
    "#D55E00",
    "#CC79A7",
    "#999999",
    "#4E79A7",
    "#F28E2B",
    "#59A14F",
    "#EDC948",
    "#B07AA1",
    "#FF9DA7",
    "#9C755F",
    "#BAB0AC",
)
SHAPES = (
    ("dot", "●"),
    ("diamond", "◆"),
    ("square", "■"),
    ("triangle", "▲"),
    ("star", "★"),
    ("triangleDown", "▼"),
    ("hexagon", "⬢"),
)
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
)

_UI: dict[str, dict[str, Any]] = {
    "de": {
        "search": "Suchen (Name oder IRI)",
        "all": "alle",
        "reset": "Zurücksetzen",
        "legend": "Legende",
        "details": "Details",
        "click": "Einen Knoten anklicken, um seine Angaben zu sehen.",
        "with_neighbours": " mit Nachbarn",
        "neighbours": "Nachbarn",
        "shown": "{shown} von {total} Knoten",
        "matching": "{n} Treffer",
        "size": "Knotengröße: {size}.",
        "unnamed": "{label}\n(+{n} ungenannt)",
        "facets": {"class_label": "Klasse", "land": "Land", "status": "Status"},
        "keys": {
            "label": "Name",
            "class_label": "Klasse",
            "land": "Land",
            "status": "Status",
            "year": "Jahr",
            "sources": "Quellen",
            "services": "Leistungen",
            "themenfeld": "Themenfeld",
            "technologies": "Technologien",
            "initiatives": "Vorhaben",
            "built": "entwickelt",
            "reused": "nachgenutzt",
            "unnamed_reuse": "ungenannte Nachnutzer",
            "predicate": "Prädikat",
            "weight": "Gewicht",
        },
        "sizes": {"degree": "Grad", "betweenness": "Betweenness", "eigenvector": "Eigenvektor", "none": "einheitlich"},
    },
    "en": {
        "search": "Search (name or IRI)",
        "all": "all",
        "reset": "Reset",
        "legend": "Legend",
        "details": "Details",
        "click": "Click a node to see what is known about it.",
        "with_neighbours": " with neighbours",
        "neighbours": "neighbours",
        "shown": "{shown} of {total} nodes",
        "matching": "{n} matching",
        "size": "Node size: {size}.",
        "unnamed": "{label}\n(+{n} unnamed)",
        "facets": {"class_label": "Class", "land": "Land", "status": "Status"},
        "keys": {
            "label": "name",
            "class_label": "class",
            "land": "Land",
            "status": "status",
            "year": "year",
            "sources": "sources",
            "services": "services",
            "themenfeld": "subject area",
            "technologies": "technologies",
            "initiatives": "initiatives",
            "built": "built",
            "reused": "reused",
            "unnamed_reuse": "unnamed reusers",
            "predicate": "predicate",
            "weight": "weight",
        },
        "sizes": {"degree": "degree", "betweenness": "betweenness", "eigenvector": "eigenvector", "none": "uniform"},
    },
}


@lru_cache(maxsize=1)
def vis_assets() -> tuple[str, str]:
    """The vis-network script and style shipped in the installed pyvis package (newest version)."""
    spec = importlib.util.find_spec("pyvis")
    if spec is None or not spec.submodule_search_locations:
        raise EgovGraphError("pyvis is not installed: install egovgraph with its dependencies")
    base = Path(next(iter(spec.submodule_search_locations))) / "templates" / "lib"
    found = sorted(base.glob("vis-*/vis-network.min.js"), key=lambda p: _version_key(p.parent.name))
    if not found:
        raise EgovGraphError(f"no vis-network build found under {base}: reinstall pyvis")
    js = found[-1].read_text(encoding="utf-8")
    css = (found[-1].parent / "vis-network.css").read_text(encoding="utf-8")
    for name, text in (("script", js), ("style", css)):
        if re.search(r"</(script|style)|<!--", text, re.IGNORECASE):
            raise EgovGraphError(f"the vis-network {name} in {found[-1].parent} cannot be inlined safely")
    return js, css


def _version_key(name: str) -> tuple[int, ...]:
    return tuple(int(p) for p in re.findall(r"\d+", name))


@lru_cache(maxsize=1)
def _viewer_assets() -> tuple[str, str]:
    folder = resources.files("egovgraph.views") / "assets"
    script = (folder / "viewer.js").read_text(encoding="utf-8")
    return script, (folder / "viewer.css").read_text(encoding="utf-8")


def script_json(value: Any) -> str:
    """JSON safe inside a ``<script>`` element: no ``<``, ``>``, ``&``, U+2028 or U+2029 left raw."""
    text = json.dumps(value, ensure_ascii=False, separators=(",", ":"), allow_nan=False)
    for raw, escaped in (
        ("<", "\\u003c"),
        (">", "\\u003e"),
        ("&", "\\u0026"),
        ("\u2028", "\\u2028"),
        ("\u2029", "\\u2029"),
    ):
        text = text.replace(raw, escaped)
    return text


def _sha256(text: str) -> str:
    return "'sha256-" + base64.b64encode(hashlib.sha256(text.encode("utf-8")).digest()).decode("ascii") + "'"


def _cap(g: nx.Graph, max_nodes: int | None) -> tuple[nx.Graph, str]:
    n = g.number_of_nodes()
    if max_nodes is None or n <= max_nodes:
        return g, ""
    if max_nodes < 1:
        raise InputError(f"max_nodes {max_nodes} is too small: give at least 1")
    degree = dict(g.degree())
    keep = sorted(g.nodes, key=lambda node: (-degree[node], str(node)))[:max_nodes]
    sub = g.subgraph(keep).copy()  # a copy: iterating a subgraph view is several times slower
    left_edges = g.number_of_edges() - sub.number_of_edges()
    note = (
        f"Showing the {max_nodes:,} best-connected of {n:,} nodes: {n - max_nodes:,} nodes and "
        f"{left_edges:,} edges are left out. Filter the view, or export it for Gephi to see them all."
    )
    return sub, note


def _sizes(g: nx.Graph, size_by: str, seed: int) -> dict[Any, float]:
    if size_by == "none":
        return dict.fromkeys(g.nodes, 14.0)
    from egovgraph.views.metrics import centrality

    values = centrality(g, size_by, seed=seed)
    low, high = min(values.values(), default=0.0), max(values.values(), default=0.0)
    if high <= low:
        return dict.fromkeys(g.nodes, 14.0)
    return {
        n: round(MIN_SIZE + (MAX_SIZE - MIN_SIZE) * math.sqrt((v - low) / (high - low)), 2) for n, v in values.items()
    }


def _classes(g: nx.Graph) -> list[tuple[str, str, int]]:
    """(class key, class label, count) in legend order: the ontology's main classes first, then by name."""
    from egovgraph.views.facts import CLASS_ORDER

    counts: dict[tuple[str, str], int] = {}
    for _, data in g.nodes(data=True):
        key = (str(data.get("class", "")), str(data.get("class_label") or data.get("class") or "—"))
        counts[key] = counts.get(key, 0) + 1
    known = [f"egov:{str(c).rsplit('#', 1)[-1]}" if "ontology#" in str(c) else str(c) for c in CLASS_ORDER]

    def order(item: tuple[tuple[str, str], int]) -> tuple[int, str, str]:
        (key, label), _ = item
        return (known.index(key) if key in known else len(known), label.casefold(), key)

    return [(key, label, n) for (key, label), n in sorted(counts.items(), key=order)]


def _facets(g: nx.Graph, lang: str) -> list[tuple[str, str, list[str]]]:
    out = []
    for key in ("class_label", "land", "status"):
        values = sorted({v for _, d in g.nodes(data=True) for v in _split(d.get(key))}, key=str.casefold)
        if len(values) >= 2 or (values and any(not _split(d.get(key)) for _, d in g.nodes(data=True))):
            out.append((key, _UI[lang]["facets"][key], values))
    return out


def _split(value: Any) -> list[str]:
    return [v for v in str(value).split("; ") if v] if value not in (None, "") else []


def _edge_title(data: dict[str, Any], ui: dict[str, Any]) -> str:
    lines = [_shorten(str(data["label"]))] if data.get("label") else []
    for key in ("predicate", "weight", "themenfeld", "technologies", "sources"):
        if data.get(key) not in (None, ""):
            lines.append(_shorten(f"{ui['keys'].get(key, key)}: {data[key]}"))
    return "\n".join(lines)


def _shorten(text: str, limit: int = TOOLTIP_CHARS) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def payload(
    graph: nx.Graph,
    *,
    size_by: str = "degree",
    max_nodes: int | None = DEFAULT_MAX_NODES,
    seed: int = SEED,
) -> tuple[dict[str, Any], str]:
    """The data the viewer draws (nodes, edges, classes, facets) and the note on what was left out."""
    if size_by not in SIZES:
        raise InputError(f"unknown size {size_by!r}: choose one of {', '.join(SIZES)}")
    lang = graph.graph.get("lang", "de") if graph.graph.get("lang") in _UI else "de"
    ui = _UI[lang]
    g, note = _cap(graph, max_nodes)
    ordered = sorted(g.nodes, key=str)
    index = {node: i for i, node in enumerate(ordered)}
    physics = len(ordered) <= PHYSICS_MAX_NODES
    positions: dict[Any, tuple[float, float]] = {}
    if not physics:
        from egovgraph.views.layout import radial_layout

        positions = radial_layout(g)
    sizes = _sizes(g, size_by, seed)
    classes = _classes(g)
    class_index = {(key, label): i for i, (key, label, _) in enumerate(classes)}
    facets = _facets(g, lang)
    facet_index = [{v: i for i, v in enumerate(values)} for _, _, values in facets]
    nodes = []
    for node in ordered:
        data = g.nodes[node]
        key = (str(data.get("class", "")), str(data.get("class_label") or data.get("class") or "—"))
        item: dict[str, Any] = {
            "id": index[node],
            "label": str(data.get("label", node)),
            "iri": str(data.get("iri", "")),
            "c": class_index[key],
            "size": sizes.get(node, 14.0),
            "f": [[facet_index[i][v] for v in _split(data.get(k))] for i, (k, _, _) in enumerate(facets)],
            "a": [[k, _plain(v)] for k, v in sorted(data.items()) if k not in ("label", "iri")],
        }
        unnamed = data.get("unnamed_reuse_count")
        if isinstance(unnamed, int) and not isinstance(unnamed, bool) and unnamed > 0:
            item["display"] = ui["unnamed"].replace("{label}", item["label"]).replace("{n}", str(unnamed))
        if positions:
            item["x"], item["y"] = positions[node]
        nodes.append(item)
    edges = []
    edge_items = (
        g.edges(keys=True, data=True) if g.is_multigraph() else ((u, v, "", d) for u, v, d in g.edges(data=True))
    )
    for u, v, _key, data in sorted(edge_items, key=lambda e: (index[e[0]], index[e[1]], str(e[2]))):
        weight = data.get("weight", 1)
        heavy = isinstance(weight, int | float) and weight > 1
        width = 1.0 + 2.0 * math.log2(float(weight)) if heavy else 1.0
        edges.append(
            {"from": index[u], "to": index[v], "width": round(min(width, 12.0), 2), "title": _edge_title(data, ui)}
        )
    ui_out = {k: v for k, v in ui.items() if k not in ("facets", "sizes", "unnamed")}
    ui_out["size"] = ui["size"].replace("{size}", ui["sizes"][size_by])
    data_out = {
        "view": str(graph.graph.get("view", "")),
        "lang": lang,
        "directed": g.is_directed(),
        "physics": physics,
        "seed": seed,
        "ui": ui_out,
        "tooltip_keys": list(TOOLTIP_KEYS),
        "classes": [
            {
                "key": key,
                "label": label,
                "count": n,
                "color": PALETTE[i % len(PALETTE)],
                "border": "#57606a",
                "shape": SHAPES[i % len(SHAPES)][0],
                "glyph": SHAPES[i % len(SHAPES)][1],
            }
            for i, (key, label, n) in enumerate(classes)
        ],
        "facets": [{"key": key, "label": label, "values": values} for key, label, values in facets],
        "nodes": nodes,
        "edges": edges,
    }
    return data_out, note


def _plain(value: Any) -> str | int | float:
    if isinstance(value, bool):
        return str(value).lower()
    if isinstance(value, int | float) and math.isfinite(value):
        return value
    return str(value)


def to_html(
    graph: nx.Graph,
    *,
    size_by: str = "degree",
    max_nodes: int | None = DEFAULT_MAX_NODES,
    title: str | None = None,
    description: str | None = None,
    seed: int = SEED,
) -> str:
    """The graph as one self-contained HTML page (pure: reads the vis-network files, writes nothing)."""
    vis_js, vis_css = vis_assets()
    viewer_js, viewer_css = _viewer_assets()
    data, note = payload(graph, size_by=size_by, max_nodes=max_nodes, seed=seed)
    csp = (
        "default-src 'none'; "
        f"script-src {_sha256(vis_js)} {_sha256(viewer_js)}; "
        f"style-src {_sha256(vis_css)} {_sha256(viewer_css)}; "
        "img-src data:; base-uri 'none'; form-action 'none'"
    )
    meta = graph.graph
    filters = str(meta.get("filters") or "")
    filters_line = (("Filter: " if data["lang"] == "de" else "Filters: ") + filters) if filters else ""
    fields = {
        "lang": data["lang"],
        "csp": csp,
        "version": __version__,
        "title": title if title is not None else str(meta.get("title") or "egovgraph"),
        "description": description if description is not None else str(meta.get("description") or ""),
        "filters": filters_line,
        "build": str(meta.get("build") or f"egovgraph {__version__}"),
        "note": note,
    }
    e = {k: html.escape(str(v), quote=True) for k, v in fields.items()}
    body = script_json(data)
    # An f-string inserts the inlined CSS and JS verbatim (str.format would read their braces).
    return f"""<!DOCTYPE html>
<html lang="{e["lang"]}">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="{e["csp"]}">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="generator" content="egovgraph {e["version"]}">
<title>{e["title"]}</title>
<style>{vis_css}</style>
<style>{viewer_css}</style>
</head>
<body>
<header>
<h1>{e["title"]}</h1>
<p class="description">{e["description"]}</p>
<p class="filters">{e["filters"]}</p>
<p class="build">{e["build"]}</p>
<p class="note" id="note">{e["note"]}</p>
</header>
<div id="controls"></div>
<div id="main"><div id="network"></div><aside><div id="legend"></div><div id="details"></div></aside></div>
<script type="application/json" id="egovgraph-data">{body}</script>
<script>{vis_js}</script>
<script>{viewer_js}</script>
</body>
</html>
"""


def write_html(graph: nx.Graph, path: str | Path, **options: Any) -> Path:
    """Write ``to_html(graph)`` to ``path`` atomically, as UTF-8 whatever the locale."""
    from egovgraph.graph.files import write_atomic

    return write_atomic(Path(path), to_html(graph, **options).encode("utf-8"))
