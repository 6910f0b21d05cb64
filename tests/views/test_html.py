"""HTML and exports without a browser: escaping, CSP, self-containment, determinism, locale, CLI."""

from __future__ import annotations

import csv
import io
import json
import os
import re
import subprocess
import sys
from pathlib import Path

import networkx as nx
import pytest
from click.testing import CliRunner
from rdflib import Graph

from egovgraph.cli import main
from egovgraph.errors import InputError
from egovgraph.graph.load import Loaded, load
from egovgraph.views.exports import EXPORT_FORMATS, csv_paths, export, export_bytes, to_csv
from egovgraph.views.html import payload, script_json, to_html, vis_assets, write_html
from egovgraph.views.project import VIEWS, view
from viewdata import XSS_IMG, XSS_SCRIPT, xss_graph

STATIC_VIEWS = [v for v in VIEWS if v != "custom"]
CUSTOM = "SELECT ?source ?target ?label WHERE { ?s egov:builtBy ?source ; egov:reusedBy ?target ; rdfs:label ?label }"


@pytest.fixture(scope="module")
def views(loaded: Loaded) -> dict[str, nx.Graph]:
    out = {name: view(name, loaded) for name in STATIC_VIEWS}
    out["custom"] = view("custom", loaded, query=CUSTOM)
    return out


def _data_block(page: str) -> str:
    match = re.search(r'<script type="application/json" id="egovgraph-data">(.*?)</script>', page, re.S)
    assert match, "no data block"
    return match.group(1)


# --------------------------------------------------------------------------------------------- HTML


def test_script_json_cannot_break_out_of_script() -> None:
    text = script_json({"a": "</script><script>x</script> & <!-- \u2028\u2029"})
    assert not re.search(r"[<>&\u2028\u2029]", text)
    assert json.loads(text) == {"a": "</script><script>x</script> & <!-- \u2028\u2029"}


def test_hostile_labels_stay_data() -> None:
    g = view("efa", xss_graph())
    page = to_html(g, title=XSS_SCRIPT, description=XSS_IMG)
    block = _data_block(page)
    assert XSS_IMG not in page and XSS_SCRIPT not in page
    outside_vis = page.replace(vis_assets()[0], "")
    assert "<img" not in page and outside_vis.count("<script") == 3  # data block, vis-network, viewer
    assert json.loads(block)["nodes"]
    assert f"<h1>{'&lt;/script&gt;&lt;script&gt;window.__pwned=2&lt;/script&gt;'}</h1>" in page
    viewer = page.rsplit("<script>", 1)[1]
    assert "innerHTML" not in viewer and "insertAdjacentHTML" not in viewer and "eval(" not in viewer


def test_page_is_self_contained_with_a_strict_csp(views: dict[str, nx.Graph]) -> None:
    page = to_html(views["efa"])
    csp = re.search(r'http-equiv="Content-Security-Policy" content="([^"]+)"', page)
    assert csp
    policy = csp.group(1).replace("&#x27;", "'")
    assert policy.startswith("default-src 'none'; script-src 'sha256-")
    assert "unsafe-inline" not in policy and "unsafe-eval" not in policy and "http" not in policy
    assert not re.search(r"<(script|link|img|iframe)[^>]*\s(src|href)=", page, re.I)
    assert "cdn.jsdelivr" not in page and "cdnjs.cloudflare" not in page  # pyvis' templates are not used
    js, css = vis_assets()
    assert js in page and css in page


@pytest.mark.parametrize("name", [*STATIC_VIEWS, "custom"])
def test_html_is_deterministic(name: str, views: dict[str, nx.Graph]) -> None:
    again = view(name, load(), query=CUSTOM if name == "custom" else None)
    assert to_html(views[name]) == to_html(again)


def test_large_graphs_get_a_python_layout_and_a_cap() -> None:
    g = nx.barabasi_albert_graph(700, 2, seed=1)
    data, note = payload(g, max_nodes=600)
    assert len(data["nodes"]) == 600 and not data["physics"]
    assert all("x" in n and "y" in n for n in data["nodes"])
    assert note.startswith("Showing the 600 best-connected of 700 nodes: 100 nodes and")
    assert "Showing the 600" in to_html(g, max_nodes=600)
    small, no_note = payload(nx.path_graph(5))
    assert small["physics"] and no_note == "" and "x" not in small["nodes"][0]
    with pytest.raises(InputError, match="unknown size"):
        payload(g, size_by="pagerank")


def test_sizes_follow_the_chosen_centrality() -> None:
    g = nx.star_graph(4)
    data, _ = payload(g, size_by="degree")
    sizes = {n["label"]: n["size"] for n in data["nodes"]}
    assert sizes["0"] == 40.0 and sizes["1"] == 8.0
    for kind in ("betweenness", "eigenvector", "none"):
        payload(g, size_by=kind)


def test_write_html_is_utf8_whatever_the_locale(tmp_path: Path) -> None:
    script = (
        "from egovgraph.views.project import view; from egovgraph.views.html import write_html; "
        f"write_html(view('efa'), {str(tmp_path / 'efa.html')!r})"
    )
    env = {k: v for k, v in os.environ.items() if not k.startswith(("LC_", "LANG", "PYTHONUTF8", "PYTHONIOENC"))}
    env.update(LC_ALL="C", LANG="C", PYTHONUTF8="0", PYTHONCOERCECLOCALE="0")
    subprocess.run([sys.executable, "-c", script], check=True, env=env)
    raw = (tmp_path / "efa.html").read_bytes()
    assert "Baden-Württemberg".encode() in raw and "Länder".encode() in raw
    raw.decode("utf-8")
    assert not list(tmp_path.glob(".*.tmp"))


def test_write_html_refuses_a_missing_directory(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="does not exist"):
        write_html(nx.path_graph(2), tmp_path / "missing" / "x.html")


# ------------------------------------------------------------------------------------------ exports


@pytest.mark.parametrize("fmt", EXPORT_FORMATS)
@pytest.mark.parametrize("name", [*STATIC_VIEWS, "custom"])
def test_every_view_exports_to_every_format(name: str, fmt: str, views: dict[str, nx.Graph], tmp_path: Path) -> None:
    g = views[name]
    written = export(g, fmt, tmp_path / f"{name}.{fmt}")
    if fmt == "csv":
        nodes_file, edges_file = csv_paths(tmp_path / f"{name}.csv")
        assert written == [nodes_file, edges_file]
        nodes = list(csv.DictReader(io.StringIO(nodes_file.read_text(encoding="utf-8"))))
        edges = list(csv.DictReader(io.StringIO(edges_file.read_text(encoding="utf-8"))))
        assert len(nodes) == g.number_of_nodes() and len(edges) == g.number_of_edges()
        assert {r["Id"] for r in nodes} == set(g.nodes)
        assert all(r["Label"] == g.nodes[r["Id"]]["label"] for r in nodes)
        return
    path = written[0]
    if fmt == "graphml":
        back = nx.read_graphml(path, force_multigraph=g.is_multigraph())
    elif fmt == "gexf":
        back = nx.read_gexf(path)
    else:
        back = nx.node_link_graph(json.loads(path.read_text(encoding="utf-8")), edges="edges")
    assert set(back.nodes) == set(g.nodes)
    assert back.number_of_edges() == g.number_of_edges()
    for node, data in g.nodes(data=True):
        assert back.nodes[node]["label"] == data["label"]
        if fmt != "gexf":  # GEXF keeps the label as the node's label, the class as an attribute
            assert back.nodes[node].get("class") == data["class"]
    assert export_bytes(g, fmt) == path.read_bytes()  # deterministic: no dates, sorted


def test_efa_export_keeps_the_edge_attributes(views: dict[str, nx.Graph]) -> None:
    g = views["efa"]
    back = nx.node_link_graph(json.loads(export_bytes(g, "json")), edges="edges")
    for u, v, data in g.edges(data=True):
        assert back.edges[u, v] == data
    _, edges_csv = to_csv(g)
    header = edges_csv.decode().splitlines()[0].split(",")
    assert header[:6] == ["Source", "Target", "Type", "Key", "Label", "Weight"]
    assert "services" in header and "themenfeld" in header


def test_csv_needs_a_file(views: dict[str, nx.Graph]) -> None:
    with pytest.raises(InputError, match="graphml, gexf or json"):
        export_bytes(views["efa"], "csv")
    with pytest.raises(InputError, match="unknown export format"):
        export(views["efa"], "dot", Path("x.dot"))


# ---------------------------------------------------------------------------------------------- CLI


def test_cli_viz_writes_the_page(runner: CliRunner, tmp_path: Path) -> None:
    out = tmp_path / "efa.html"
    result = runner.invoke(main, ["viz", "--view", "efa", "-o", str(out), "--lang", "en"])
    assert result.exit_code == 0, result.output
    assert f"wrote {out} (16 nodes" in result.output
    assert "EfA reuse between the Länder" in out.read_text(encoding="utf-8")


def test_cli_viz_custom_query_from_a_file(runner: CliRunner, tmp_path: Path) -> None:
    query = tmp_path / "reuse.rq"
    query.write_text(CUSTOM, encoding="utf-8")
    out = tmp_path / "custom.html"
    result = runner.invoke(main, ["viz", "--view", "custom", "-q", str(query), "-o", str(out)])
    assert result.exit_code == 0, result.output
    result = runner.invoke(main, ["viz", "--view", "custom", "-q", str(tmp_path / "nope.rq")])
    assert result.exit_code == 2 and "query file" in result.output


def test_cli_export_to_stdout_and_files(runner: CliRunner, tmp_path: Path) -> None:
    result = runner.invoke(main, ["export", "--view", "tech-lands", "--format", "json"])
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout_bytes)["graph"]["view"] == "tech-lands"
    result = runner.invoke(main, ["export", "--view", "tech", "--format", "csv", "-o", str(tmp_path / "t.csv")])
    assert result.exit_code == 0, result.output
    assert (tmp_path / "t-nodes.csv").is_file() and (tmp_path / "t-edges.csv").is_file()
    result = runner.invoke(main, ["export", "--view", "tech", "--format", "csv"])
    assert result.exit_code == 2 and "give a file with -o" in result.output


def test_cli_stats_view(runner: CliRunner) -> None:
    result = runner.invoke(main, ["stats", "--view", "efa"])
    assert result.exit_code == 0, result.output
    assert "provides most" in result.output and "reuses most" in result.output
    result = runner.invoke(main, ["stats", "--view", "tech-lands", "--format", "json"])
    data = json.loads(result.output)
    assert data["view"] == "tech-lands" and len(data["nodes"]) == 16


@pytest.mark.parametrize(
    "args",
    [
        ["viz", "--view", "efa", "--land", "Atlantis"],
        ["export", "--view", "efa", "--format", "json", "--year", "soon"],
        ["stats", "--view", "custom", "-q", "SELECT ?x WHERE { ?x ?y ?z }"],
    ],
)
def test_cli_bad_input_exits_2(runner: CliRunner, args: list[str]) -> None:
    result = runner.invoke(main, args)
    assert result.exit_code == 2, result.output
    assert result.output.startswith("error: ")


@pytest.mark.parametrize("command", ["viz", "export", "stats"])
def test_cli_help_has_an_example(runner: CliRunner, command: str) -> None:
    result = runner.invoke(main, [command, "--help"])
    assert result.exit_code == 0 and "Example" in result.output and "--view" in result.output


def test_fixture_graph_is_a_graph() -> None:
    assert isinstance(xss_graph(), Graph)


def test_unnamed_reusers_are_drawn_on_the_provider() -> None:
    from viewdata import fixture_graph

    data, _ = payload(view("efa", fixture_graph(), lang="en"))
    provider = next(n for n in data["nodes"] if n["label"] == "Deland")
    assert provider["display"] == "Deland\n(+11 unnamed)"
    assert ["unnamed_reuse", "Leistung drei: in 11 Ländern"] in provider["a"]
