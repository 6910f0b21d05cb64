"""Honest states in a real headless Chromium: the empty page and the capped counter say what is shown."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import networkx as nx
import pytest

from egovgraph.views.html import write_html
from egovgraph.views.project import view
from helpers import launch_chromium
from viewdata import fixture_graph

READY = "html[data-ready=true]"


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    yield from launch_chromium()


def _open(browser: Any, path: Path) -> tuple[Any, Any, list[str]]:
    context = browser.new_context(viewport={"width": 1280, "height": 800})
    problems: list[str] = []
    context.route(
        "**/*",
        lambda r: r.continue_() if r.request.url.startswith("file://") else (problems.append(r.request.url), r.abort()),
    )
    page = context.new_page()
    page.on("console", lambda m: problems.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: problems.append(str(e)))
    page.goto(path.as_uri())
    page.wait_for_selector(READY, state="attached", timeout=60_000)
    return context, page, problems


@pytest.mark.parametrize(
    "lang,expected",
    [
        ("de", "Diese Ansicht ist leer: keine Ressource passt zu Jahr 1999."),
        ("en", "This view is empty: no resource matches year 1999."),
    ],
)
def test_the_empty_page_says_so_and_why(browser: Any, tmp_path: Path, lang: str, expected: str) -> None:
    path = write_html(view("entity", fixture_graph(), year=1999, lang=lang), tmp_path / f"empty-{lang}.html")
    context, page, problems = _open(browser, path)
    assert page.inner_text("#note") == expected
    assert page.inner_text("#shown") == ("0 von 0 Knoten" if lang == "de" else "0 of 0 nodes")
    assert page.get_attribute("body", "data-shown") == "0"
    assert problems == []
    context.close()


def test_the_counter_honours_the_cap_in_the_pages_language(browser: Any, tmp_path: Path) -> None:
    graph = nx.barabasi_albert_graph(1200, 2, seed=5)
    path = write_html(graph, tmp_path / "capped.html", max_nodes=1100)
    context, page, problems = _open(browser, path)
    assert page.inner_text("#shown") == "1.100 von 1.200 Knoten"
    assert page.inner_text("#note").startswith("Gezeigt werden die 1.100 am stärksten verbundenen von 1.200 Knoten")
    graph.graph["lang"] = "en"
    english = write_html(graph, tmp_path / "capped-en.html", max_nodes=1100)
    context2, page2, problems2 = _open(browser, english)
    assert page2.inner_text("#shown") == "1,100 of 1,200 nodes"
    assert problems == [] and problems2 == []
    context.close()
    context2.close()
