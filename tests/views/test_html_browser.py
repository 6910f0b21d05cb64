"""The HTML pages in a real headless Chromium (Debian's, driven by Playwright; no browser is downloaded).

Locally these tests skip with the reason when Chromium or Playwright is missing; with CI set they fail.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import networkx as nx
import pytest

from egovgraph.graph.load import Loaded
from egovgraph.views.html import payload, write_html
from egovgraph.views.project import view
from helpers import OfflinePage, launch_chromium
from viewdata import XSS_IMG, XSS_SCRIPT, xss_graph

pytestmark = pytest.mark.browser

CUSTOM = "SELECT ?source ?target WHERE { ?s egov:builtBy ?source ; egov:usesTechnology|egov:themenfeld ?target }"
READY = "html[data-ready=true]"


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    yield from launch_chromium()


class Opened(OfflinePage):
    """An offline view page, once it says it is interactive."""

    def __init__(self, browser: Any, path: Path, width: int = 1280) -> None:
        super().__init__(browser, path, width, ready=READY)

    def shown(self) -> int:
        return int(self.page.get_attribute("body", "data-shown") or -1)

    def search(self, term: str) -> None:
        """Type into the search box and wait for the debounced answer."""
        self.js("document.body.removeAttribute('data-search-latency')")
        self.page.fill("#search", term)
        self.page.wait_for_selector("body[data-search-latency]", state="attached", timeout=5_000)
        self.settle()

    def settle(self) -> None:
        """Wait until the drawing has followed the last search or filter (it runs after the answer)."""
        self.page.wait_for_selector("body:not([data-drawing])", state="attached", timeout=10_000)

    def position(self, index: int) -> tuple[float, float]:
        """Where node ``index`` is drawn on the screen."""
        point = self.js(
            """(id) => { const net = window.egovgraph.network;
                         const dom = net.canvasToDOM(net.getPositions([id])[id]);
                         const box = document.getElementById('network').getBoundingClientRect();
                         return [box.left + dom.x, box.top + dom.y]; }""",
            index,
        )
        return float(point[0]), float(point[1])

    def visible_in_vis(self) -> int:
        return int(self.js("window.egovgraph.nodes.get({filter: n => !n.hidden}).length"))

    def close(self) -> None:
        self.context.close()


@pytest.fixture
def opened(browser: Any) -> Iterator[Any]:
    pages: list[Opened] = []

    def open_page(graph: nx.Graph, path: Path, width: int = 1280, **options: Any) -> Opened:
        write_html(graph, path, **options)
        page = Opened(browser, path, width)
        pages.append(page)
        return page

    yield open_page
    for page in pages:
        page.close()


def _expected(graph: nx.Graph, matches: set[Any], neighbours: bool = True) -> int:
    shown = set(matches)
    if neighbours:
        undirected = graph.to_undirected(as_view=True)
        for node in matches:
            shown |= set(undirected.neighbors(node))
    return len(shown)


@pytest.mark.parametrize("name", ["efa", "tech", "tech-lands", "entity", "custom"])
def test_each_view_renders_offline(name: str, loaded: Loaded, opened: Any, tmp_path: Path) -> None:
    graph = view(name, loaded, query=CUSTOM if name == "custom" else None)
    page = opened(graph, tmp_path / f"{name}.html")
    assert page.page.locator("#network canvas").count() == 1
    assert page.js("window.egovgraph.total") == graph.number_of_nodes()
    assert page.js("window.egovgraph.network.body.nodeIndices.length") == graph.number_of_nodes()
    assert page.js("window.egovgraph.network.body.edgeIndices.length") == graph.number_of_edges()
    assert page.shown() == graph.number_of_nodes() == page.visible_in_vis()
    assert page.page.locator("h1").inner_text() == graph.graph["title"]
    assert page.page.locator("#legend li").count() >= 1
    assert page.errors == []
    assert page.requests == []


def _search_hits(graph: nx.Graph, term: str) -> set[Any]:
    """What the page's search matches: label, other names, codes (and their short form), IRI, edge labels."""
    data, _ = payload(graph)
    ordered = sorted(graph.nodes, key=str)
    hits = set()
    for node, item in zip(ordered, data["nodes"], strict=True):
        codes = " ".join(c + " " + c.split("-")[-1] for c in item["q"].replace(";", " ").split())
        if term in f"{item['label']} {codes} {item['iri']}".lower():
            hits.add(node)
    for edge in data["edges"]:
        if term in edge["label"].lower():
            hits |= {ordered[edge["from"]], ordered[edge["to"]]}
    return hits


def test_search_shows_matches_and_their_neighbours(loaded: Loaded, opened: Any, tmp_path: Path) -> None:
    graph = view("tech", loaded)
    page = opened(graph, tmp_path / "tech.html")
    term = "künstliche"
    matches = _search_hits(graph, term)
    assert matches
    page.search(term)
    expected = _expected(graph, matches)
    assert page.shown() == expected == page.visible_in_vis() < graph.number_of_nodes()
    assert int(page.page.get_attribute("body", "data-matched") or -1) == len(matches)
    page.page.uncheck("#with-neighbours")
    page.settle()
    assert page.shown() == len(matches)
    page.page.click("#reset")
    page.settle()
    assert page.shown() == graph.number_of_nodes() == page.visible_in_vis()
    assert page.errors == [] and page.requests == []


def test_search_finds_other_names_codes_and_edge_labels(loaded: Loaded, opened: Any, tmp_path: Path) -> None:
    page = opened(view("tech", loaded), tmp_path / "tech.html")
    page.search("KI")  # the altLabel of artificial intelligence
    results = page.page.locator("#results-list button.result").all_inner_texts()
    assert any(r.startswith("Künstliche Intelligenz") for r in results)
    efa = opened(view("efa", loaded), tmp_path / "efa.html")
    for term, land in (("DE-HB", "Bremen"), ("hb", "Bremen"), ("04", "Bremen")):
        efa.search(term)
        assert efa.page.locator("#results-list button.result").first.inner_text().startswith(land)
    efa.search("wohngeld")  # an edge's services
    texts = efa.page.locator("#results-list button.result").all_inner_texts()
    assert "Schleswig-Holstein" in " ".join(texts) and "Mecklenburg-Vorpommern" in " ".join(texts)
    assert int(efa.page.get_attribute("body", "data-search-latency") or 999) < 400
    assert page.errors == [] and efa.errors == [] and efa.requests == []


def test_filters_change_what_is_shown(loaded: Loaded, opened: Any, tmp_path: Path) -> None:
    graph = view("entity", loaded)
    page = opened(graph, tmp_path / "entity.html")
    lands = {n for n, d in graph.nodes(data=True) if d["class_label"] == "Land"}
    page.page.select_option("#filter-class_label", label="Land")
    page.settle()
    assert page.shown() == _expected(graph, lands) == page.visible_in_vis()
    page.page.select_option("#filter-land", label="Bremen")
    page.settle()
    both = {n for n in lands if graph.nodes[n]["land"] == "Bremen"}
    assert page.shown() == _expected(graph, both)
    page.page.click("#reset")
    page.settle()
    assert page.shown() == graph.number_of_nodes()
    efa = view("efa", loaded)
    page = opened(efa, tmp_path / "efa.html")
    page.page.select_option("#filter-land", label="Mecklenburg-Vorpommern")
    page.settle()
    mv = {n for n, d in efa.nodes(data=True) if d["land"] == "Mecklenburg-Vorpommern"}
    assert page.shown() == _expected(efa, mv) == page.visible_in_vis()
    assert page.errors == [] and page.requests == []


@pytest.mark.parametrize("name", ["efa", "entity"])
def test_hostile_labels_show_as_text_and_run_nothing(name: str, opened: Any, tmp_path: Path) -> None:
    graph = view(name, xss_graph())
    page = opened(graph, tmp_path / f"xss-{name}.html", title=XSS_SCRIPT)
    assert page.js("window.__pwned") is None
    assert page.page.locator("h1").inner_text() == XSS_SCRIPT
    assert page.js("document.querySelectorAll('img').length") == 0
    assert page.js("document.scripts.length") == 3
    land_options = page.page.locator("#filter-land option").all_inner_texts()
    assert XSS_IMG in land_options
    page.search("onerror")
    assert page.page.get_attribute("body", "data-matched") == "1"
    assert XSS_IMG in page.page.locator("#results-list button.result").first.inner_text()
    page.page.click("#reset")
    page.settle()
    # Hover over the hostile node: vis-network shows the tooltip as text.
    index = sorted(graph.nodes, key=str).index("https://w3id.org/egovgraph/id/land/x")
    point = page.position(index)
    page.page.mouse.move(point[0], point[1])
    tooltip = page.page.locator("div.vis-tooltip")
    tooltip.wait_for(state="visible", timeout=5_000)
    assert tooltip.inner_text().startswith(XSS_IMG)
    page.page.mouse.click(point[0], point[1])
    assert page.page.locator("#details-title").inner_text() == XSS_IMG
    for tab in ("#tab-nodes", "#tab-edges") + (("#tab-matrix",) if name == "efa" else ()):
        page.page.click(tab)
        assert XSS_IMG in page.page.locator("#main").inner_text()
    page.page.click("#tab-nodes")
    page.page.locator("#node-table tbody button.link", has_text=XSS_IMG).first.click()
    assert page.page.locator("#details-title").inner_text() == XSS_IMG
    page.page.click("#tab-edges")
    page.page.locator("#edge-table tbody button.link").first.click()
    assert page.js("document.body.getAttribute('data-details')").startswith("edge:")
    assert page.js("document.querySelectorAll('img').length") == 0
    assert page.js("window.__pwned") is None
    assert page.errors == [] and page.requests == []


def test_large_graph_is_laid_out_in_python_and_capped(opened: Any, tmp_path: Path) -> None:
    graph = nx.barabasi_albert_graph(900, 2, seed=7)
    nx.set_node_attributes(graph, {n: f"Knoten {n}" for n in graph}, "label")
    page = opened(graph, tmp_path / "large.html", max_nodes=800)
    assert page.js("window.egovgraph.total") == 800 == page.shown()
    assert page.js("window.egovgraph.network.physics.physicsEnabled") is False
    assert page.page.locator("#note").inner_text().startswith("Gezeigt werden die 800 am stärksten verbundenen von 900")
    assert page.errors == [] and page.requests == []


# ------------------------------------------------------------------- the views that answer the questions


def _index(graph: nx.Graph, label: str) -> int:
    ordered = sorted(graph.nodes, key=str)
    return next(i for i, n in enumerate(ordered) if graph.nodes[n]["label"] == label)


@pytest.mark.parametrize("name", ["efa", "tech-lands"])
def test_lands_are_drawn_at_their_geography(name: str, loaded: Loaded, opened: Any, tmp_path: Path) -> None:
    graph = view(name, loaded)
    page = opened(graph, tmp_path / f"{name}.html")
    where = {label: page.position(_index(graph, label)) for label in ("Schleswig-Holstein", "Bayern", "Sachsen")}
    where["Nordrhein-Westfalen"] = page.position(_index(graph, "Nordrhein-Westfalen"))
    assert where["Schleswig-Holstein"][1] < where["Bayern"][1]  # north of
    assert where["Nordrhein-Westfalen"][0] < where["Sachsen"][0]  # west of
    box = page.js(
        "(() => { const b = document.getElementById('network').getBoundingClientRect();"
        " return [b.left, b.top, b.right, b.bottom]; })()"
    )
    assert all(box[0] <= x <= box[2] and box[1] <= y <= box[3] for x, y in where.values())
    assert page.errors == [] and page.requests == []


def test_matrix_tab_has_the_cells_and_totals_of_shared_services(loaded: Loaded, opened: Any, tmp_path: Path) -> None:
    from click.testing import CliRunner

    from egovgraph.cli import main

    graph = view("efa", loaded)
    page = opened(graph, tmp_path / "efa.html")
    page.page.click("#tab-matrix")
    assert page.page.get_attribute("#tab-matrix", "aria-selected") == "true"
    cells = page.js(
        """Array.from(document.querySelectorAll('#matrix td[data-count]')).map(td => [td.dataset.row,
           td.dataset.col, Number(td.dataset.count),
           td.querySelector('button') ? td.querySelector('button').title : ''])"""
    )
    assert len(cells) == 16 * 16
    by_pair = {(r, c): (n, set(filter(None, t.split("\n")))) for r, c, n, t in cells}
    result = CliRunner().invoke(main, ["query", "-n", "shared-services"])
    assert result.exit_code == 0, result.output
    rows = [line.split("\t") for line in result.output.splitlines()[1:]]
    assert rows
    for row in rows:
        a, b, count = row[1].split('"')[1], row[3].split('"')[1], int(row[4])
        assert len(by_pair[(a, b)][1] | by_pair[(b, a)][1]) == count, (a, b)
    row_totals = page.js(
        "Array.from(document.querySelectorAll('#matrix td[data-total=row]')).map(td => Number(td.textContent))"
    )
    sums: dict[str, int] = {}
    for r, _c, n, _t in cells:
        sums[r] = sums.get(r, 0) + n
    assert sorted(row_totals) == sorted(sums.values())
    grand = int(page.page.locator("#matrix td[data-total=all]").inner_text())
    assert grand == sum(n for _, _, n, _ in cells)
    page.page.locator("#matrix button.cell").first.click()
    assert page.js("document.body.getAttribute('data-details')").startswith("cell:")
    assert page.errors == [] and page.requests == []


def _clear_edge(graph: nx.Graph, page: Any) -> tuple[str, str, dict[str, Any]]:
    """The edge whose midpoint lies farthest from every other edge (the one a click there hits)."""
    ordered = sorted(graph.nodes, key=str)
    at = {n: page.position(i) for i, n in enumerate(ordered)}
    segments = [(u, v) for u, v in graph.edges()]

    def distance(p: tuple[float, float], a: tuple[float, float], b: tuple[float, float]) -> float:
        (px, py), (ax, ay), (bx, by) = p, a, b
        dx, dy = bx - ax, by - ay
        t = max(0.0, min(1.0, ((px - ax) * dx + (py - ay) * dy) / ((dx * dx + dy * dy) or 1.0)))
        return float(((px - ax - t * dx) ** 2 + (py - ay - t * dy) ** 2) ** 0.5)

    best: tuple[float, str, str, dict[str, Any]] | None = None
    for u, v, data in graph.edges(data=True):
        if graph.number_of_edges(u, v) + graph.number_of_edges(v, u) != 1:
            continue
        mid = ((at[u][0] + at[v][0]) / 2, (at[u][1] + at[v][1]) / 2)
        others = [distance(mid, at[a], at[b]) for a, b in segments if {a, b} != {u, v}]
        nodes = [((mid[0] - x) ** 2 + (mid[1] - y) ** 2) ** 0.5 for x, y in at.values()]
        clearance = min(others + nodes)
        if best is None or clearance > best[0]:
            best = (clearance, u, v, data)
    assert best is not None and best[0] > 12, "no edge can be clicked alone"
    return best[1], best[2], best[3]


def test_clicking_an_edge_lists_its_services_with_evidence_and_sources(
    loaded: Loaded, opened: Any, tmp_path: Path
) -> None:
    graph = view("efa", loaded)
    page = opened(graph, tmp_path / "efa.html")
    u, v, edge = _clear_edge(graph, page)
    a, b = page.position(_index(graph, graph.nodes[u]["label"])), page.position(_index(graph, graph.nodes[v]["label"]))
    page.page.mouse.click((a[0] + b[0]) / 2, (a[1] + b[1]) / 2)
    source, target = graph.nodes[u]["label"], graph.nodes[v]["label"]
    assert page.page.locator("#details-title").inner_text() == f"{source} → {target}"
    text = page.page.locator("#details").inner_text()
    assert all(name in text for name in edge["services"].split("; ")) and "Quellen" in text
    assert all(src in text for src in edge["sources"].split("; "))
    if edge.get("evidence"):
        assert "Belege" in text
    page.page.locator("#details button.link", has_text=target).first.click()
    assert page.page.locator("#details-title").inner_text() == target
    assert page.page.locator("#details ul.neighbours li").count() == graph.degree(v)
    assert page.errors == [] and page.requests == []


def edge_target(graph: nx.Graph, data: dict[str, Any]) -> str:
    return next(v for _, v, d in graph.edges(data=True) if d is data)


def test_details_read_like_a_page(loaded: Loaded, opened: Any, tmp_path: Path) -> None:
    graph = view("entity", loaded, cls="Land", land="Bremen", lang="en")
    page = opened(graph, tmp_path / "bremen.html")
    page.search("bremen")
    page.js(
        """Array.from(document.querySelectorAll('#results-list button.result'))
           .find(b => b.firstChild.textContent === 'Bremen').click()"""
    )
    details = page.page.locator("#details")
    assert page.page.locator("#details-title").inner_text() == "Bremen"
    terms = details.locator("dt").all_inner_texts()
    assert "codes (ISO 3166-2, state key)" in terms and "egov:isoCode" not in terms
    assert not any("@de" in t or "@en" in t for t in details.locator("dd").all_inner_texts())
    links = details.locator("a").evaluate_all("as => as.map(a => a.href)")
    assert any(h.startswith("http://www.wikidata.org/entity/") for h in links)
    assert details.locator("ul.neighbours li").count() >= 1
    assert page.errors == [] and page.requests == []


def test_legend_click_selects_the_class(loaded: Loaded, opened: Any, tmp_path: Path) -> None:
    graph = view("entity", loaded)
    page = opened(graph, tmp_path / "entity.html")
    page.page.locator("#legend button.legend-class", has_text="Land (16)").click()
    assert page.page.locator("#filter-class_label option:checked").inner_text() == "Land"
    assert page.page.get_attribute("body", "data-matched") == "16"
    assert page.errors == [] and page.requests == []


def test_layout_stacks_on_a_small_screen(loaded: Loaded, opened: Any, tmp_path: Path) -> None:
    page = opened(view("efa", loaded), tmp_path / "efa.html", width=390)
    net = page.js(
        "(() => { const b = document.getElementById('network').getBoundingClientRect();"
        " return [b.width, b.bottom]; })()"
    )
    aside = page.js("document.querySelector('aside').getBoundingClientRect().top")
    assert net[0] >= 350 and aside >= net[1] - 1
    assert page.js("document.documentElement.scrollWidth") <= 400  # nothing wider than the screen
    assert page.errors == [] and page.requests == []


def test_keyboard_reaches_controls_and_every_node(loaded: Loaded, opened: Any, tmp_path: Path) -> None:
    graph = view("efa", loaded)
    page = opened(graph, tmp_path / "efa.html")
    keys = page.page.keyboard
    for _ in range(10):
        keys.press("Tab")
        if page.js("document.activeElement.id") == "search":
            break
    assert page.js("document.activeElement.id") == "search"
    keys.type("Bremen")
    page.page.wait_for_selector("body[data-search-latency]", state="attached")
    keys.press("ArrowDown")
    assert page.js("document.activeElement.className") == "result"
    keys.press("Enter")
    assert page.page.locator("#details-title").inner_text() == "Bremen"
    page.page.focus("#tab-graph")
    keys.press("ArrowRight")
    keys.press("ArrowRight")
    assert page.js("document.activeElement.id") == "tab-nodes"
    for _ in range(12):
        keys.press("Tab")
        if page.js("document.activeElement.closest('#node-table tbody') !== null"):
            break
    keys.press("Enter")
    assert page.js("document.body.getAttribute('data-details')").startswith("node:")
    rows = page.page.locator("#node-table tbody tr").count()
    assert rows == graph.number_of_nodes()  # every node is one Tab stop in the table
    page.page.locator("#node-table thead button.sort").first.click()
    assert page.page.get_attribute("#node-table thead th >> nth=0", "aria-sort") == "ascending"
    assert page.errors == [] and page.requests == []
