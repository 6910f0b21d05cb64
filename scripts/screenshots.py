"""Regenerate docs/img/*.png: each view of the bundled data, and the pages that answer the analysts'
questions (docs/views.md), drawn by Debian's headless Chromium.

    .venv/bin/python scripts/screenshots.py [--lang en]

Needs Playwright for Python and /usr/bin/chromium (never run 'playwright install').
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

from egovgraph.graph.load import load
from egovgraph.views.dossier import dossier
from egovgraph.views.dossier_page import write_dossier
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
        shots: list[tuple[str, str, dict[str, object], str | None, str | None]] = [
            (name, name, {"query": CUSTOM_QUERY if name == "custom" else None}, None, None) for name in VIEWS
        ]
        shots += [
            ("efa-matrix", "efa", {}, "#tab-matrix", None),
            ("tech-lands-matrix", "tech-lands", {}, "#tab-matrix", None),
            ("persons", "entity", {"cls": ["foaf:Person"]}, "#tab-edges", None),
            ("bremen-2025", "entity", {"cls": ["Initiative"], "land": ["Bremen"], "year": ["2025"]}, None, "Bremen"),
            ("efa-edge", "efa", {}, None, None),
        ]
        for shot, name, options, tab, search in shots:
            graph = view(name, loaded, lang=args.lang, **options)  # type: ignore[arg-type]
            page_file = write_html(graph, Path(tmp) / f"{shot}.html")
            page = browser.new_page(viewport={"width": 1400, "height": 900})
            page.route("**/*", lambda r: r.continue_() if r.request.url.startswith("file:") else r.abort())
            page.goto(page_file.as_uri())
            page.wait_for_selector("html[data-ready=true]", state="attached", timeout=120_000)
            if tab:
                page.click(tab)
            if search:
                page.fill("#search", search)
                page.wait_for_selector("#results-list button.result", timeout=10_000)
                page.locator("#results-list button.result").last.click()
            if shot == "efa-edge":  # the details of the one named reuse
                page.evaluate(
                    "(() => { const G = window.egovgraph;"
                    " G.showEdge(G.payload.edges.findIndex(e => e.k.startsWith('reuse'))); })()"
                )
            page.wait_for_timeout(300)
            target = args.out / f"{shot}.png"
            page.screenshot(path=str(target))
            page.close()
            print(f"wrote {target.relative_to(ROOT) if target.is_relative_to(ROOT) else target}")
        # The Land dossier (no script: nothing to wait for but the load).
        dossier_file = write_dossier(dossier(loaded, "land:bremen", lang=args.lang), Path(tmp) / "land-bremen.html")
        page = browser.new_page(viewport={"width": 1400, "height": 900})
        page.route("**/*", lambda r: r.continue_() if r.request.url.startswith("file:") else r.abort())
        page.goto(dossier_file.as_uri())
        target = args.out / "land-bremen.png"
        page.screenshot(path=str(target))
        page.close()
        print(f"wrote {target.relative_to(ROOT) if target.is_relative_to(ROOT) else target}")
        browser.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
