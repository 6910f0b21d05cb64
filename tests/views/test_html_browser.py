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
from egovgraph.views.html import write_html
from egovgraph.views.project import view
from helpers import launch_chromium
from viewdata import XSS_IMG, XSS_SCRIPT, xss_graph

CUSTOM = "SELECT ?source ?target WHERE { ?s egov:builtBy ?source ; egov:usesTechnology|egov:themenfeld ?target }"
READY = "html[data-ready=true]"


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    yield from launch_chromium()


class Opened:
    """A page opened from file:// with every console error, page error and outside request recorded."""

    def __init__(self, browser: Any, path: Path) -> None:
        self.errors: list[str] = []
        self.requests: list[str] = []
        self.context = browser.new_context(viewport={"width": 1280, "height": 800})
        self.context.route("**/*", self._route)
        self.page = self.context.new_page()
        self.page.on("console", lambda m: self.errors.append(m.text) if m.type == "error" else None)
        self.page.on("pageerror", lambda e: self.errors.append(str(e)))
        self.page.goto(path.as_uri())
        self.page.wait_for_selector(READY, state="attached", timeout=60_000)

    def _route(self, route: Any) -> None:
        url = route.request.url
        if url.startswith("file://"):
            route.continue_()
        else:
            self.requests.append(url)
            route.abort()

    def js(self, expression: str, arg: Any = None) -> Any:
        return self.page.evaluate(expression, arg)

    def shown(self) -> int:
        return int(self.page.get_attribute("body", "data-shown") or -1)

    def visible_in_vis(self) -> int:
        return int(self.js("window.egovgraph.nodes.get({filter: n => !n.hidden}).length"))

    def close(self) -> None:
        self.context.close()


@pytest.fixture
def opened(browser: Any) -> Iterator[Any]:
    pages: list[Opened] = []

    def open_page(graph: nx.Graph, path: Path, **options: Any) -> Opened:
        write_html(graph, path, **options)
        page = Opened(browser, path)
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


def test_search_shows_matches_and_their_neighbours(loaded: Loaded, opened: Any, tmp_path: Path) -> None:
    graph = view("tech", loaded)
    page = opened(graph, tmp_path / "tech.html")
    term = "künstliche"
    matches = {n for n, d in graph.nodes(data=True) if term in f"{d['label']} {d['iri']}".lower()}
    assert matches
    page.page.fill("#search", term)
    expected = _expected(graph, matches)
    assert page.shown() == expected == page.visible_in_vis() < graph.number_of_nodes()
    assert int(page.page.get_attribute("body", "data-matched") or -1) == len(matches)
    page.page.uncheck("#with-neighbours")
    assert page.shown() == len(matches)
    page.page.click("#reset")
    assert page.shown() == graph.number_of_nodes() == page.visible_in_vis()
    assert page.errors == [] and page.requests == []


def test_filters_change_what_is_shown(loaded: Loaded, opened: Any, tmp_path: Path) -> None:
    graph = view("entity", loaded)
    page = opened(graph, tmp_path / "entity.html")
    lands = {n for n, d in graph.nodes(data=True) if d["class_label"] == "Land"}
    page.page.select_option("#filter-class_label", label="Land")
    assert page.shown() == _expected(graph, lands) == page.visible_in_vis()
    page.page.select_option("#filter-land", label="Bremen")
    both = {n for n in lands if graph.nodes[n]["land"] == "Bremen"}
    assert page.shown() == _expected(graph, both)
    page.page.click("#reset")
    assert page.shown() == graph.number_of_nodes()
    efa = view("efa", loaded)
    page = opened(efa, tmp_path / "efa.html")
    page.page.select_option("#filter-land", label="Mecklenburg-Vorpommern")
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
    page.page.fill("#search", "onerror")
    assert page.page.get_attribute("body", "data-matched") == "1"
    # Hover over the hostile node: vis-network shows the tooltip as text.
    index = sorted(graph.nodes, key=str).index("https://w3id.org/egovgraph/id/land/x")
    point = page.js(
        """(id) => { const net = window.egovgraph.network;
                     const dom = net.canvasToDOM(net.getPositions([id])[id]);
                     const box = document.getElementById('network').getBoundingClientRect();
                     return [box.left + dom.x, box.top + dom.y]; }""",
        index,
    )
    page.page.mouse.move(point[0], point[1])
    tooltip = page.page.locator("div.vis-tooltip")
    tooltip.wait_for(state="visible", timeout=5_000)
    assert tooltip.inner_text().startswith(XSS_IMG)
    page.page.mouse.click(point[0], point[1])
    assert XSS_IMG in page.page.locator("#details dd").all_inner_texts()
    assert page.js("document.querySelectorAll('img').length") == 0
    assert page.js("window.__pwned") is None
    assert page.errors == [] and page.requests == []


def test_large_graph_is_laid_out_in_python_and_capped(opened: Any, tmp_path: Path) -> None:
    graph = nx.barabasi_albert_graph(900, 2, seed=7)
    nx.set_node_attributes(graph, {n: f"Knoten {n}" for n in graph}, "label")
    page = opened(graph, tmp_path / "large.html", max_nodes=800)
    assert page.js("window.egovgraph.total") == 800 == page.shown()
    assert page.js("window.egovgraph.network.physics.physicsEnabled") is False
    assert page.page.locator("#note").inner_text().startswith("Showing the 800 best-connected of 900 nodes")
    assert page.errors == [] and page.requests == []
