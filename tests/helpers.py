"""Helpers shared by several test modules (imported as ``helpers``; pytest puts tests/ on the path)."""

from __future__ import annotations

import contextlib
import os
import socket
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

CHROMIUM = os.environ.get("EGOVGRAPH_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
]


def unavailable(reason: str) -> None:
    """Skip locally, but fail when CI is set: a browser test that did not run must not pass."""
    if os.environ.get("CI"):
        pytest.fail(f"{reason}; CI is set, so the browser tests must run", pytrace=False)
    pytest.skip(reason)


def launch_chromium() -> Iterator[Any]:
    """Debian's Chromium, headless, driven by Playwright (never a downloaded browser)."""
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        unavailable("playwright is not installed: pip install -e '.[test]' (never run 'playwright install')")
    if not Path(CHROMIUM).exists():
        unavailable(f"no Chromium at {CHROMIUM}: apt-get install chromium")
    with sync_playwright() as p:
        instance = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield instance
        instance.close()


@dataclass
class Listener:
    """A socket on 127.0.0.1 that records every connection made to it."""

    port: int
    contacted: list[object] = field(default_factory=list)


@contextlib.contextmanager
def recording_listener(timeout: float) -> Iterator[Listener]:
    """Listen on a free loopback port for ``timeout`` seconds; ``contacted`` lists the connections."""
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen()
    server.settimeout(timeout)
    listener = Listener(server.getsockname()[1])

    def accept() -> None:
        with contextlib.suppress(OSError):
            listener.contacted.append(server.accept())

    thread = threading.Thread(target=accept)
    thread.start()
    try:
        yield listener
        thread.join()
    finally:
        server.close()


class OfflinePage:
    """A page opened from file:// with every console error, page error and outside request recorded.

    ``ready`` is a selector to wait for (the page says it is interactive); outside requests are refused.
    """

    def __init__(self, browser: Any, path: Path, width: int = 1280, *, ready: str | None = None) -> None:
        self.errors: list[str] = []
        self.requests: list[str] = []
        self.context = browser.new_context(viewport={"width": width, "height": 800})
        self.context.route("**/*", self._route)
        self.page = self.context.new_page()
        self.page.on("console", lambda m: self.errors.append(m.text) if m.type == "error" else None)
        self.page.on("pageerror", lambda e: self.errors.append(str(e)))
        self.page.goto(path.as_uri())
        if ready is not None:
            self.page.wait_for_selector(ready, state="attached", timeout=60_000)

    def _route(self, route: Any) -> None:
        url = route.request.url
        if url.startswith("file://"):
            route.continue_()
        else:
            self.requests.append(url)
            route.abort()

    def js(self, expression: str, arg: Any = None) -> Any:
        return self.page.evaluate(expression, arg)
