"""Honest states: empty views and filters that leave nothing say so and why; filters that cannot apply are refused."""

from __future__ import annotations

from pathlib import Path

import networkx as nx
import pytest
from click.testing import CliRunner
from rdflib import Graph

from egovgraph.cli import main
from egovgraph.errors import InputError
from egovgraph.graph.build import BuildResult
from egovgraph.graph.load import Loaded
from egovgraph.views.html import payload, to_html
from egovgraph.views.project import view
from egovgraph.views.states import cap_note, number
from viewdata import fixture_graph


@pytest.fixture(scope="module")
def small() -> Graph:
    return fixture_graph()


def test_an_empty_view_says_which_filter_left_nothing(small: Graph) -> None:
    g = view("entity", small, year=1999)
    assert g.number_of_nodes() == 0
    assert g.graph["note"] == "Diese Ansicht ist leer: keine Ressource passt zu Jahr 1999."
    assert g.graph["warning"] == "This view is empty: no resource matches year 1999."
    both = view("entity", small, year=2025, status="completed", lang="en")  # each matches, not together
    assert both.number_of_nodes() == 0
    assert both.graph["note"] == (
        "This view is empty: no resource matches all filters together (status completed; year 2025)."
    )


def test_a_filter_that_matches_no_service_is_named(small: Graph) -> None:
    g = view("efa", small, status="planned")
    assert g.number_of_nodes() == 4 and g.number_of_edges() == 0  # the Länder are still drawn
    assert g.graph["note"] == "Nichts zu zeigen außer den Ländern: keine EfA-Leistung passt zu Status geplant."
    assert g.graph["warning"] == "Nothing to show but the Länder: no EfA service matches status planned."
    tech = view("tech", small, year=1999, lang="en")
    assert tech.graph["note"] == "Nothing to show but the Länder: no initiative using a technology matches year 1999."


def test_views_that_show_something_carry_no_note(small: Graph) -> None:
    for name, filters in (("efa", {}), ("efa", {"land": "DE-AA"}), ("tech", {"status": "planned"}), ("entity", {})):
        g = view(name, small, **filters)  # type: ignore[arg-type]
        assert "note" not in g.graph and "warning" not in g.graph, (name, filters)
    assert "note" not in view("efa", small, land="DE-AA").graph  # a Land filter never hides the Länder


def test_a_class_no_service_can_have_is_refused_for_efa(small: Graph) -> None:
    with pytest.raises(InputError, match=r"--class egov:Portal does not apply to the efa view"):
        view("efa", small, cls="Portal")
    with pytest.raises(InputError, match="for Länder --land"):
        view("efa", small, cls="egov:Land")
    every = view("efa", small).number_of_edges()
    focus = view("efa", small, cls="FocusService")  # a subclass of egov:EfaService narrows the services
    assert 0 < focus.number_of_edges() < every
    assert view("efa", small, cls="cpsv:PublicService").number_of_edges() == every  # a superclass keeps them all


def test_the_cap_note_is_in_the_pages_language() -> None:
    assert number(41512, "de") == "41.512" and number(41512, "en") == "41,512"
    assert cap_note("de", shown=5000, total=41512, left_edges=1234).startswith(
        "Gezeigt werden die 5.000 am stärksten verbundenen von 41.512 Knoten: 36.512 Knoten und 1.234 Kanten fehlen."
    )
    g = nx.barabasi_albert_graph(1200, 2, seed=3)
    data, note = payload(g, max_nodes=1100)
    assert data["all_nodes"] == 1200 and len(data["nodes"]) == 1100
    assert note.startswith("Gezeigt werden die 1.100 am stärksten verbundenen von 1.200 Knoten")
    g.graph["lang"] = "en"
    assert payload(g, max_nodes=1100)[1].startswith("Showing the 1,100 best-connected of 1,200 nodes")


def test_the_page_shows_the_note(small: Graph) -> None:
    page = to_html(view("entity", small, year=1999))
    assert '<p class="note" id="note">Diese Ansicht ist leer: keine Ressource passt zu Jahr 1999.</p>' in page


def test_the_bundled_efa_view_with_status_planned(loaded: Loaded) -> None:
    g = view("efa", loaded, status="planned")
    assert g.number_of_nodes() == 16 and g.number_of_edges() == 0
    assert "keine EfA-Leistung passt zu Status geplant" in g.graph["note"]


# ---------------------------------------------------------------------------------------------- CLI


def test_cli_warns_on_an_empty_view_and_writes_a_page_that_says_so(runner: CliRunner, tmp_path: Path) -> None:
    out = tmp_path / "empty.html"
    result = runner.invoke(main, ["viz", "--view", "entity", "--year", "1999", "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert result.stdout == f"wrote {out} (0 nodes, 0 edges)\n"
    assert result.stderr == "warning: This view is empty: no resource matches year 1999.\n"
    assert "Diese Ansicht ist leer: keine Ressource passt zu Jahr 1999." in out.read_text(encoding="utf-8")


def test_cli_names_the_filter_that_matches_no_service(runner: CliRunner, tmp_path: Path) -> None:
    result = runner.invoke(main, ["viz", "--view", "efa", "--status", "planned", "-o", str(tmp_path / "x.html")])
    assert result.exit_code == 0, result.output
    assert "warning: Nothing to show but the Länder: no EfA service matches status planned." in result.stderr
    exported = runner.invoke(main, ["export", "--view", "efa", "--status", "planned", "--format", "json"])
    assert exported.exit_code == 0 and "no EfA service matches status planned" in exported.stderr
    assert '"warning": "Nothing to show but the Länder' in exported.stdout  # the export keeps the note


def test_cli_refuses_a_class_filter_efa_cannot_use(runner: CliRunner, tmp_path: Path) -> None:
    for command in (["viz", "-o", str(tmp_path / "x.html")], ["export", "--format", "json"], ["stats"]):
        result = runner.invoke(main, [*command, "--view", "efa", "--class", "Portal"])
        assert result.exit_code == 2, (command, result.output)
        assert "--class egov:Portal does not apply to the efa view" in result.stderr
    assert not (tmp_path / "x.html").exists()


def test_cli_says_when_the_cap_leaves_nodes_out(runner: CliRunner, tmp_path: Path) -> None:
    result = runner.invoke(main, ["viz", "--view", "entity", "--max-nodes", "100", "-o", str(tmp_path / "x.html")])
    assert result.exit_code == 0, result.output
    total = view("entity").number_of_nodes()
    assert f"warning: the page draws the 100 best-connected of {total:,} nodes" in result.stderr
    page = (tmp_path / "x.html").read_text(encoding="utf-8")
    assert f"Gezeigt werden die 100 am stärksten verbundenen von {number(total, 'de')} Knoten" in page
    quiet = runner.invoke(main, ["viz", "--view", "efa", "-o", str(tmp_path / "efa.html")])
    assert quiet.exit_code == 0 and quiet.stderr == ""


def test_the_tech_views_count_their_facts_alike_from_a_store(tmp_path: Path, built: BuildResult) -> None:
    from egovgraph.stores.kinds import open_store_spec

    store = open_store_spec(None, dump=built.out_dir / "egovgraph.trig")
    for name in ("tech", "tech-lands"):
        for options in ({"status": "planned", "year": 1999}, {"cls": "Person"}, {"land": "HB", "status": "ongoing"}):
            ours, theirs = view(name, store, **options), view(name, **options)  # type: ignore[arg-type]
            assert ours.graph.get("note") == theirs.graph.get("note"), (name, options)
            assert "facts_matched" not in ours.graph and "facts_matched" not in theirs.graph
    assert "note" not in view("tech", land="HB", status="ongoing").graph  # HB's ongoing facts use a technology
