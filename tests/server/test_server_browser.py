"""The pages of a running `egovgraph serve` in a real headless Chromium (Debian's, driven by Playwright).

Locally these tests skip with the reason when Chromium or Playwright is missing; with CI set they fail.
Only 127.0.0.1 is reachable: every other request is recorded and aborted.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from test_server import XSS_LABEL, Server, running_server

from helpers import launch_chromium


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    yield from launch_chromium()


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    with running_server(tmp_path_factory.mktemp("serve-browser")) as running:
        yield running


class Opened:
    """A page of the server with every console error, page error and outside request recorded."""

    def __init__(self, browser: Any, server: Server, path: str, *, locale: str = "de-DE") -> None:
        self.errors: list[str] = []
        self.outside: list[str] = []
        self.server = server
        self.context = browser.new_context(locale=locale)
        self.context.route("**/*", self._route)
        self.page = self.context.new_page()
        self.page.on("console", lambda m: self.errors.append(m.text) if m.type == "error" else None)
        self.page.on("pageerror", lambda err: self.errors.append(str(err)))
        self.response = self.page.goto(server.url + path)

    def _route(self, route: Any) -> None:
        url = route.request.url
        if url.startswith(self.server.url + "/"):
            route.continue_()
        else:
            self.outside.append(url)
            route.abort()

    def js(self, expression: str) -> Any:
        return self.page.evaluate(expression)

    def text(self, selector: str) -> str:
        return str(self.page.inner_text(selector))

    def clean(self) -> None:
        assert self.errors == [], self.errors
        assert self.outside == [], self.outside
        assert self.js("window.__pwned") is None

    def close(self) -> None:
        self.context.close()


@pytest.fixture
def opener(browser: Any, site: Server) -> Iterator[Any]:
    opened: list[Opened] = []

    def open_page(path: str, **kwargs: Any) -> Opened:
        page = Opened(browser, site, path, **kwargs)
        opened.append(page)
        return page

    yield open_page
    for page in opened:
        page.close()


def test_home_page_renders(opener: Any) -> None:
    page = opener("/")
    assert page.response.status == 200
    assert "Digitalisierung der Verwaltung" in page.text("h1")
    assert page.page.locator("a[href='/dumps/egovgraph.ttl']").count() == 1
    # the stylesheet from this server applies (CSP allows 'self')
    assert page.js("getComputedStyle(document.querySelector('th')).textAlign") == "left"
    assert page.js("document.scripts.length") == 0
    page.clean()


def test_resource_page_shows_labels(opener: Any) -> None:
    page = opener("/id/land/bremen")  # 303 to /doc/id/land/bremen, then HTML by the browser's Accept
    assert page.page.url.endswith("/doc/id/land/bremen")
    assert page.text("h1") == "Bremen"
    table = page.text("main table")
    assert "Freie Hansestadt Bremen" in table
    # property names are labels, not bare IRIs
    assert "http://www.w3.org/2000/01/rdf-schema#label" not in table
    assert page.text("main").count("Quelle") >= 1
    page.page.click("a[hreflang=en]")
    assert page.js("document.documentElement.lang") == "en"
    page.clean()


def test_markup_in_a_label_is_text(opener: Any) -> None:
    for path in (
        "/doc/id/land/xss",
        "/doc/id/land/bremen",
        "/class/egov:Land",
        "/graph/xss-labels",
        "/query?query=SELECT+%3Fl+WHERE+%7B+land%3Axss+rdfs%3Alabel+%3Fl+%7D",
    ):
        page = opener(path)
        assert page.response.status == 200, path
        assert XSS_LABEL in page.text("main"), path
        assert page.js("document.querySelectorAll('main img').length") == 0, path
        page.clean()
    page = opener("/doc/id/land/xss")
    assert page.text("h1") == XSS_LABEL
    assert page.js("document.title") == XSS_LABEL


def test_query_page_runs_a_query(opener: Any) -> None:
    page = opener("/query?lang=en", locale="en-GB")
    page.page.fill("textarea[name=query]", "SELECT ?land WHERE { ?land a egov:Land ; egov:isoCode 'DE-HB' }")
    page.page.click("button[type=submit]")
    page.page.wait_for_selector("main table a")
    assert page.text("main table").count("Bremen") == 1
    page.page.click("main table a")
    assert page.page.url.split("?")[0].endswith("/doc/id/land/bremen")
    page.clean()


def test_named_graph_page(opener: Any) -> None:
    home = opener("/?lang=en", locale="en-GB")
    home.page.click("a[href='/graph/cio-de-schloemer?lang=en']")
    assert home.page.url.endswith("/graph/cio-de-schloemer?lang=en")
    assert home.text("h1") == "Named graph cio-de-schloemer"
    assert "sources/cio-de-schloemer.ttl" in home.text("main")
    home.page.click("main ul.cols a:text('Bernd Schlömer')")
    assert home.page.url.split("?")[0].endswith("/doc/id/person/bernd-schloemer")
    home.page.click("main a[href='/graph/cio-de-schloemer?lang=en'] >> nth=0")  # back from the resource page
    assert home.text("h1") == "Named graph cio-de-schloemer"
    home.clean()


def test_unknown_iri_page(opener: Any) -> None:
    page = opener("/id/land/atlantis")
    assert page.response.status == 404
    assert "atlantis" in page.text("main")
    page.errors = [m for m in page.errors if "status of 404" not in m]  # the 404 itself is logged
    page.clean()
