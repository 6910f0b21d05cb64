"""The page's data without a browser: class styles, geography, the matrix, tables, search keys, labels."""

from __future__ import annotations

import json
import re
from itertools import combinations
from typing import Any

import networkx as nx
import pytest
from click.testing import CliRunner

from egovgraph.cli import main
from egovgraph.graph.load import Loaded
from egovgraph.views.geo import MIN_DISTANCE, geo_positions, project
from egovgraph.views.html import payload, to_html
from egovgraph.views.matrix import efa_cells
from egovgraph.views.project import view
from egovgraph.views.styles import CLASS_STYLES, EDGE_STYLES, class_style
from egovgraph.views.texts import key_label
from viewdata import XSS_IMG, XSS_SCRIPT, xss_graph


def _shared_services(runner: CliRunner) -> dict[frozenset[str], int]:
    result = runner.invoke(main, ["query", "-n", "shared-services", "--format", "json"])
    assert result.exit_code == 0, result.output
    rows = json.loads(result.output)["results"]["bindings"]
    return {frozenset((r["landA"]["value"], r["landB"]["value"])): int(r["services"]["value"]) for r in rows}


def test_matrix_cells_and_totals_match_shared_services(loaded: Loaded) -> None:
    g = view("efa", loaded)
    shared = _shared_services(CliRunner())
    cells = efa_cells(g)
    lands = list(g.nodes)
    for a, b in combinations(lands, 2):
        union = set(cells.get((a, b), {})) | set(cells.get((b, a), {}))
        assert len(union) == shared.get(frozenset((a, b)), 0), (a, b)
    data, _ = payload(g)
    m = data["matrix"]
    assert len(m["rows"]) == len(m["cols"]) == 16
    assert all(len(row) == 16 for row in m["counts"])
    assert m["row_totals"] == [sum(r) for r in m["counts"]]
    assert m["col_totals"] == [sum(r[j] for r in m["counts"]) for j in range(16)]
    assert m["total"] == sum(m["row_totals"]) == sum(m["col_totals"]) >= sum(shared.values())
    assert all(m["counts"][i][i] == 0 for i in range(16))


def test_each_class_has_one_fixed_style_across_views_and_languages(loaded: Loaded) -> None:
    styles = list(CLASS_STYLES.values())
    assert len(set(styles)) == len(styles)  # no two classes share colour and shape
    seen: dict[str, tuple[str, str]] = {}
    for name in ("entity", "efa", "tech", "tech-lands"):
        for lang in ("de", "en"):
            data, _ = payload(view(name, loaded, lang=lang))
            for cls in data["classes"]:
                style = (cls["color"], cls["shape"])
                assert seen.setdefault(cls["key"], style) == style, cls["key"]
                assert not re.fullmatch(r"[a-z]+:[A-Za-z]+", cls["label"]), cls  # a label, not a CURIE
    assert class_style("ex:Unknown") == class_style("ex:Unknown") not in styles


def test_reused_classes_and_properties_have_labels_in_both_languages(loaded: Loaded) -> None:
    for lang, person, membership in (("de", "Person", "Mitgliedschaft / Rolle"), ("en", "person", "membership / role")):
        labels = {d["class"]: d["class_label"] for _, d in view("entity", loaded, lang=lang).nodes(data=True)}
        assert labels["foaf:Person"] == person and labels["org:Membership"] == membership
    assert key_label("services_built", "de") == "Zahl entwickelter Leistungen"
    assert key_label("egov:purpose", "en") != "egov:purpose" and key_label("dct:title", "de") == "Titel"


def test_lands_are_fixed_at_their_geography(loaded: Loaded) -> None:
    for name in ("efa", "tech-lands", "tech"):
        data, _ = payload(view(name, loaded))
        lands = {n["label"]: n for n in data["nodes"] if "latitude" in dict(n["a"])}
        assert len(lands) == 16 and all(n["fixed"] for n in lands.values())
        assert lands["Schleswig-Holstein"]["y"] < lands["Bayern"]["y"]  # north is up
        assert lands["Nordrhein-Westfalen"]["x"] < lands["Sachsen"]["x"]  # west is left
        others = [n for n in data["nodes"] if n["label"] not in lands]
        assert all("fixed" not in n for n in others)  # technologies may move
        for a, b in combinations(lands.values(), 2):
            assert ((a["x"] - b["x"]) ** 2 + (a["y"] - b["y"]) ** 2) ** 0.5 >= MIN_DISTANCE - 1


def test_projection_shrinks_longitudes_for_germany() -> None:
    x1, y1 = project(51.0, 10.0)
    x2, y2 = project(52.0, 11.0)
    assert y2 < y1 and 0.6 < (x2 - x1) / (y1 - y2) < 0.65  # cos 51° = 0.629
    assert geo_positions({}) == {}
    same = geo_positions({"a": (50.0, 10.0), "b": (50.0, 10.0)})
    assert same["a"] != same["b"]


def test_efa_page_styles_each_kind_of_link_and_sizes_by_services(loaded: Loaded) -> None:
    data, _ = payload(view("efa", loaded))
    kinds = {k["key"]: k for k in data["kinds"]}
    assert {"reuse", "codevelopment", "community"} <= set(kinds)
    assert len({(k["color"], tuple(k["dashes"])) for k in kinds.values()}) == len(kinds)
    assert sum(k["count"] for k in kinds.values()) == len(data["edges"]) == view("efa", loaded).number_of_edges()
    assert "entwickelte und nachgenutzte EfA-Leistungen" in data["ui"]["size"]
    sizes = {n["label"]: n["size"] for n in data["nodes"]}
    built = {d["label"]: d["services_built"] + d["services_reused"] for _, d in view("efa", loaded).nodes(data=True)}
    ranked = sorted(built, key=lambda n: (built[n], sizes[n]))
    assert [sizes[n] for n in ranked] == sorted(sizes.values())
    assert set(EDGE_STYLES) >= {k.split(":")[0] for k in kinds}


def test_reuse_levels_get_their_own_legend_entry() -> None:
    from viewdata import COOPERATION_TTL, fixture_graph

    data, _ = payload(view("efa", fixture_graph(COOPERATION_TTL)))
    keys = [k["key"] for k in data["kinds"]]
    assert "reuse:Pilot" in keys and "reuse" in keys and "agreement" in keys
    level = next(k for k in data["kinds"] if k["key"] == "reuse:Pilot")
    assert level["label"] == "nutzt nach (namentlich): Pilot" and level["dashes"] != []


def test_labels_are_cut_on_the_canvas_and_kept_whole(loaded: Loaded) -> None:
    g = nx.Graph()
    g.add_node("x", label="W" * 5778)
    g.add_node("y", label="short")
    g.add_edge("x", "y")
    data, _ = payload(g)
    long = next(n for n in data["nodes"] if n["iri"] == "" and n["label"].startswith("W"))
    assert len(long["display"]) == 40 and long["display"].endswith("…") and len(long["label"]) == 5778


def test_search_keys_hold_other_names_and_codes(loaded: Loaded) -> None:
    data, _ = payload(view("entity", loaded))
    by_label = {n["label"]: n for n in data["nodes"]}
    assert "DE-HB" in by_label["Bremen"]["q"] and "04" in by_label["Bremen"]["q"]
    assert any("KI" in n["q"].split("; ") for n in data["nodes"])


def test_hostile_labels_stay_data_in_the_matrix_and_tables() -> None:
    g = view("efa", xss_graph())
    page = to_html(g)
    data, _ = payload(g)
    assert XSS_IMG in [c["label"] for c in data["matrix"]["cols"]]
    assert any(XSS_SCRIPT in item for row in data["matrix"]["items"] for cell in row for item in cell)
    assert XSS_IMG not in page and XSS_SCRIPT not in page and "<img" not in page
    viewer = page.rsplit("<script>", 1)[1]
    assert "innerHTML" not in viewer and "insertAdjacentHTML" not in viewer and "outerHTML" not in viewer


@pytest.mark.parametrize("name", ["efa", "entity"])
def test_cli_viz_writes_the_tabs(name: str, tmp_path: Any) -> None:
    out = tmp_path / f"{name}.html"
    args = ["viz", "--view", name, "-o", str(out)] + (["--with-provenance"] if name == "entity" else [])
    result = CliRunner().invoke(main, args)
    assert result.exit_code == 0, result.output
    text = out.read_text(encoding="utf-8")
    assert 'role="tablist"' in text and 'id="panel-nodes"' in text and 'id="panel-edges"' in text
