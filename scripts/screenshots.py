"""Regenerate docs/img/<view>.png: each view of the bundled data, drawn by Debian's headless Chromium.

    .venv/bin/python scripts/screenshots.py [--lang en]

Needs Playwright for Python and /usr/bin/chromium (never run 'playwright install').
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

from egovgraph.graph.load import load
from egovgraph.views.html import write_html
from egovgraph.views.project import VIEWS, view

ROOT = Path(__file__).resolve().parents[1]
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
]
#: The custom view shown in the docs: which Länder and organisations use which technology.
CUSTOM_QUERY = """SELECT ?source ?target WHERE {
  ?initiative egov:responsibleOrganisation ?source ; egov:usesTechnology ?target .
}"""


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Screenshot every view into docs/img/.")
    parser.add_argument("--lang", choices=["de", "en"], default="en")
    parser.add_argument("--out", type=Path, default=ROOT / "docs" / "img")
    args = parser.parse_args(argv)
    from playwright.sync_api import sync_playwright

    args.out.mkdir(parents=True, exist_ok=True)
    loaded = load()
    with tempfile.TemporaryDirectory() as tmp, sync_playwright() as p:
        browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS)
        for name in VIEWS:
            graph = view(name, loaded, lang=args.lang, query=CUSTOM_QUERY if name == "custom" else None)
            page_file = write_html(graph, Path(tmp) / f"{name}.html")
            page = browser.new_page(viewport={"width": 1400, "height": 900})
            page.route("**/*", lambda r: r.continue_() if r.request.url.startswith("file:") else r.abort())
            page.goto(page_file.as_uri())
            page.wait_for_selector("html[data-ready=true]", state="attached", timeout=120_000)
            page.wait_for_timeout(300)
            target = args.out / f"{name}.png"
            page.screenshot(path=str(target))
            page.close()
            print(f"wrote {target.relative_to(ROOT) if target.is_relative_to(ROOT) else target}")
        browser.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
