"""The Land dossier page in a real headless Chromium (Debian's, driven by Playwright; no browser is downloaded).

Locally these tests skip with the reason when Chromium or Playwright is missing; with CI set they fail.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from egovgraph.graph.load import Loaded, load
from egovgraph.views.dossier import dossier
from egovgraph.views.dossier_page import write_dossier
from helpers import OfflinePage, launch_chromium
from viewdata import XSS_IMG, XSS_SCRIPT, xss_graph


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    yield from launch_chromium()


class Opened(OfflinePage):
    """An offline dossier page (it runs no script, so nothing to wait for)."""

    def clean(self) -> None:
        assert self.errors == [], self.errors
        assert self.requests == [], self.requests
        assert self.js("window.__pwned") is None


@pytest.fixture
def opened(browser: Any) -> Iterator[Any]:
    pages: list[Opened] = []

    def open_page(path: Path, width: int = 1280) -> Opened:
        page = Opened(browser, path, width)
        pages.append(page)
        return page

    yield open_page
    for page in pages:
        page.context.close()


@pytest.mark.parametrize("lang", ["de", "en"])
def test_bremen_dossier_renders_offline(lang: str, loaded: Loaded, opened: Any, tmp_path: Path) -> None:
    d = dossier(loaded, "land:bremen", lang=lang)
    page = opened(write_dossier(d, tmp_path / f"bremen-{lang}.html"))
    assert page.js("document.documentElement.lang") == lang
    assert page.page.locator("h1").inner_text() == ("Bremen: Dossier" if lang == "de" else "Bremen: dossier")
    headings = page.page.locator("h2").all_inner_texts()
    assert len(headings) == 7
    assert page.page.locator("table.leaders tbody tr").count() == len(d.leaders)
    assert page.page.locator("table.services tbody tr").count() == len(d.services)
    assert page.page.locator("table.activities").first.locator("tbody tr").count() == len(d.initiatives)
    assert page.page.locator("table.portals tbody tr").count() == len(d.portals)
    assert page.page.locator("ol.sources li").count() == len(d.sources)
    # the status x year table adds up to the initiatives (each counted once per year it names)
    totals = [int(t) for t in page.page.locator("table.by-status tbody td:last-child").all_inner_texts()]
    assert sum(totals) == sum(max(1, len(i.years)) for i in d.initiatives)
    # a citation jumps to its source in the list
    page.page.locator("table.services a.cite").first.click()
    assert page.js("location.hash").startswith("#source-")
    assert page.js("document.querySelector(location.hash).tagName") == "LI"
    # the stylesheet applies (the Content-Security-Policy allows it by hash) and no script runs
    assert page.js("getComputedStyle(document.querySelector('th')).textAlign") == "left"
    assert page.js("document.scripts.length") == 1
    assert page.js("JSON.parse(document.getElementById('egovgraph-dossier').textContent).land.label") == "Bremen"
    page.clean()


def test_dossier_of_a_land_with_no_facts_says_so(opened: Any, tmp_path: Path) -> None:
    from viewdata import reference_only

    bare = load(reference_only(tmp_path))
    page = opened(write_dossier(dossier(bare, "Saarland", lang="en"), tmp_path / "saarland.html"))
    status = page.page.locator("[role=status]")
    assert status.inner_text().startswith("The graph holds nothing about Saarland yet")
    assert page.page.locator("p.none").count() >= 5
    page.clean()


def test_dossier_stacks_on_a_small_screen(opened: Any, tmp_path: Path, loaded: Loaded) -> None:
    page = opened(write_dossier(dossier(loaded, "HB"), tmp_path / "hb.html"), width=390)
    assert page.js("document.documentElement.scrollWidth") <= 390  # wide tables scroll inside themselves
    page.clean()


def test_hostile_labels_are_text(opened: Any, tmp_path: Path) -> None:
    page = opened(write_dossier(dossier(xss_graph(), "DE-XX"), tmp_path / "x.html", title=XSS_SCRIPT))
    assert page.page.locator("h1").inner_text() == XSS_SCRIPT
    assert XSS_IMG in page.page.locator("main").inner_text()
    assert page.js("document.querySelectorAll('img').length") == 0
    page.clean()
