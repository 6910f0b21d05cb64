"""Views -> files for Gephi, Cytoscape and spreadsheets: GraphML, GEXF, CSV (nodes + edges), node-link JSON.

Every export carries the same node and edge attributes as the view; output is deterministic (sorted,
no timestamps) and written atomically as UTF-8 whatever the locale.
"""

from __future__ import annotations

import csv
import io
import json
import re
from pathlib import Path
from typing import TYPE_CHECKING, Any

from egovgraph.defaults import EXPORT_FORMATS
from egovgraph.errors import InputError
from egovgraph.graph.files import write_atomic

if TYPE_CHECKING:
    import networkx as nx


def _sorted_copy(g: nx.Graph) -> nx.Graph:
    """A copy with nodes and edges in sorted order and only exportable attribute values (str, int, float)."""
    out = g.__class__()
    out.graph.update({k: _scalar(v) for k, v in sorted(g.graph.items())})
    for node in sorted(g.nodes, key=str):
        out.add_node(node, **{k: _scalar(v) for k, v in sorted(g.nodes[node].items())})
    if g.is_multigraph():
        ordered = sorted(g.edges(keys=True, data=True), key=lambda e: (str(e[0]), str(e[1]), str(e[2])))
        for u, v, key, data in ordered:
            out.add_edge(u, v, key=key, **{k: _scalar(x) for k, x in sorted(data.items())})
    else:
        for u, v, data in sorted(g.edges(data=True), key=lambda e: (str(e[0]), str(e[1]))):
            out.add_edge(u, v, **{k: _scalar(x) for k, x in sorted(data.items())})
    return out


def _scalar(value: Any) -> str | int | float:
    if isinstance(value, bool):
        return str(value).lower()
    if isinstance(value, int | float):
        return value
    if value is None:
        return ""
    return str(value)


def to_graphml(g: nx.Graph) -> bytes:
    import networkx as nx

    buffer = io.BytesIO()
    nx.write_graphml(_sorted_copy(g), buffer, encoding="utf-8", prettyprint=True, named_key_ids=True)
    return buffer.getvalue()


def to_gexf(g: nx.Graph) -> bytes:
    import networkx as nx

    copy = _sorted_copy(g)
    if copy.is_multigraph():
        # GEXF names parallel edges by id; networkx takes it from the key.
        for u, v, key in list(copy.edges(keys=True)):
            copy.edges[u, v, key]["id"] = f"{u} {key} {v}"
    text = "\n".join(nx.generate_gexf(copy, encoding="utf-8", prettyprint=True)) + "\n"
    # The only non-deterministic part of networkx' GEXF is today's date; the attribute is optional.
    return re.sub(r' lastmodifieddate="[^"]*"', "", text, count=1).encode("utf-8")


def to_json(g: nx.Graph) -> bytes:
    """Node-link JSON (networkx ``node_link_data``, edges under "edges"), sorted and indented."""
    import networkx as nx

    try:
        data = nx.node_link_data(_sorted_copy(g), edges="edges")
    except TypeError:  # networkx < 3.4 names the argument "link"
        data = nx.node_link_data(_sorted_copy(g), link="edges")
    return (json.dumps(data, ensure_ascii=False, indent=1, sort_keys=True) + "\n").encode("utf-8")


def to_csv(g: nx.Graph) -> tuple[bytes, bytes]:
    """Two tables for Gephi's spreadsheet import: nodes (Id, Label, ...) and edges (Source, Target, ...)."""
    copy = _sorted_copy(g)
    node_keys = sorted({k for _, d in copy.nodes(data=True) for k in d} - {"label"})
    nodes = io.StringIO()
    writer = csv.writer(nodes, lineterminator="\n")
    writer.writerow(["Id", "Label", *node_keys])
    for node, data in copy.nodes(data=True):
        writer.writerow([node, data.get("label", node), *(data.get(k, "") for k in node_keys)])
    edge_items = (
        [(u, v, k, d) for u, v, k, d in copy.edges(keys=True, data=True)]
        if copy.is_multigraph()
        else [(u, v, "", d) for u, v, d in copy.edges(data=True)]
    )
    edge_keys = sorted({k for *_, d in edge_items for k in d} - {"label", "weight"})
    edges = io.StringIO()
    writer = csv.writer(edges, lineterminator="\n")
    kind = "Directed" if copy.is_directed() else "Undirected"
    writer.writerow(["Source", "Target", "Type", "Key", "Label", "Weight", *edge_keys])
    for u, v, key, data in edge_items:
        writer.writerow(
            [u, v, kind, key, data.get("label", ""), data.get("weight", 1), *(data.get(k, "") for k in edge_keys)]
        )
    return nodes.getvalue().encode("utf-8"), edges.getvalue().encode("utf-8")


def csv_paths(path: Path) -> tuple[Path, Path]:
    """``out.csv`` -> ``out-nodes.csv`` and ``out-edges.csv`` (a directory gets nodes.csv, edges.csv)."""
    path = Path(path)
    if path.is_dir():
        return path / "nodes.csv", path / "edges.csv"
    stem = path.name[:-4] if path.name.endswith(".csv") else path.name
    return path.with_name(f"{stem}-nodes.csv"), path.with_name(f"{stem}-edges.csv")


def export(g: nx.Graph, fmt: str, path: Path) -> list[Path]:
    """Write the view in ``fmt`` to ``path`` (CSV: two files beside it); returns the files written."""
    if fmt not in EXPORT_FORMATS:
        raise InputError(f"unknown export format {fmt!r}: choose one of {', '.join(EXPORT_FORMATS)}")
    if fmt == "csv":
        nodes_path, edges_path = csv_paths(path)
        nodes, edges = to_csv(g)
        return [write_atomic(nodes_path, nodes), write_atomic(edges_path, edges)]
    return [write_atomic(Path(path), export_bytes(g, fmt))]


def export_bytes(g: nx.Graph, fmt: str) -> bytes:
    """The view as one document in ``fmt`` (graphml, gexf or json; CSV is two tables, see ``to_csv``)."""
    writers = {"graphml": to_graphml, "gexf": to_gexf, "json": to_json}
    if fmt not in writers:
        raise InputError(f"format {fmt!r} cannot be written as one document: choose graphml, gexf or json")
    return writers[fmt](g)
