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
import re
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING, Any

from egovgraph.errors import EgovGraphError
from egovgraph.version import __version__
from egovgraph.views.payload import DEFAULT_MAX_NODES, SEED, SIZES, payload

if TYPE_CHECKING:
    import networkx as nx

#: The viewer's scripts, in the order they are joined into the page's one script.
VIEWER_SCRIPTS = ("viewer.js", "tables.js", "details.js", "search.js")


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
    script = "\n".join((folder / name).read_text(encoding="utf-8") for name in VIEWER_SCRIPTS)
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


def to_html(
    graph: nx.Graph,
    *,
    size_by: str = "auto",
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
<div id="tabs" role="tablist"></div>
<div id="main">
<section id="panel-graph" role="tabpanel"><div id="network"></div></section>
<section id="panel-matrix" role="tabpanel" hidden></section>
<section id="panel-nodes" role="tabpanel" hidden></section>
<section id="panel-edges" role="tabpanel" hidden></section>
<aside><div id="results" hidden></div><div id="legend"></div><div id="details" aria-live="polite"></div></aside>
</div>
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


__all__ = ["DEFAULT_MAX_NODES", "SEED", "SIZES", "payload", "script_json", "to_html", "vis_assets", "write_html"]
