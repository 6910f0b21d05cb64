"""Time to build each view and write its HTML at 500, 5,000 and 50,000 nodes, the HTML size, and the time
until the page is interactive in headless Chromium. A script that prints a Markdown table; not a test.

    .venv/bin/python benchmarks/bench_views.py [--sizes 500 5000 50000] [--no-browser]
    .venv/bin/python benchmarks/bench_views.py --store DIR [--views efa tech tech-lands]

With ``--store``, each view is instead built from an Oxigraph store on disk (``egovgraph load --store
oxigraph:DIR DUMP``, e.g. a dump of ``benchmarks/synth.py``), as ``egovgraph export --store
oxigraph:DIR`` does: every view in a fresh process, printing its wall time and peak memory (ru_maxrss).

The data is synthetic: per unit an initiative (of an organisation of one of 16 Länder, with a status, a
technology and a year), its evidence and an EfA service built by one Land and reused by two, so the
entity view has about four nodes per unit. "interactive" is the time from opening the file until the
page has drawn (physics off) or finished stabilising (small graphs).
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, ORG, PROV, RDF, RDFS, TIME, XSD

from egovgraph.graph.load import ONTOLOGY_FILES, default_ontology_dir, new_graph, parse_graph
from egovgraph.views.html import DEFAULT_MAX_NODES, write_html
from egovgraph.views.project import view
from egovgraph.vocab.namespaces import EGOV, STATUS, TECH

ID = "https://w3id.org/egovgraph/id/"
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
]
STATUSES = [STATUS["planned"], STATUS["in-progress"], STATUS["completed"], STATUS["ongoing"]]


def synthetic(nodes: int) -> Graph:
    """About ``nodes`` entity-view nodes: four per unit plus Länder, sources, years and technologies."""
    g = new_graph()
    for triple in parse_graph([default_ontology_dir() / name for name in ONTOLOGY_FILES]):
        g.add(triple)
    lands = [URIRef(f"{ID}land/l{i}") for i in range(16)]
    for i, land in enumerate(lands):
        g.add((land, RDF.type, EGOV.Land))
        g.add((land, RDFS.label, Literal(f"Land {i}", lang="de")))
    techs = [URIRef(f"{TECH}t{i}") for i in range(20)]
    for i, tech in enumerate(techs):
        g.add((tech, RDF.type, EGOV.Technology))
        g.add((tech, RDFS.label, Literal(f"Technologie {i}", lang="de")))
    years = [URIRef(f"{ID}time/{y}") for y in range(2020, 2027)]
    for year in years:
        g.add((year, RDF.type, TIME.Instant))
        g.add((year, TIME.inXSDgYear, Literal(year.rsplit("/", 1)[1], datatype=XSD.gYear)))
    units = max(1, nodes // 4)
    sources = [URIRef(f"{ID}source/s{i}") for i in range(max(1, units // 50))]
    for i, source in enumerate(sources):
        g.add((source, RDF.type, EGOV.Source))
        g.add((source, RDFS.label, Literal(f"Quelle {i}", lang="de")))
    for i in range(units):
        land = lands[i % 16]
        org, initiative = URIRef(f"{ID}organisation/o{i}"), URIRef(f"{ID}initiative/i{i}")
        evidence, service = URIRef(f"{ID}evidence/e{i}"), URIRef(f"{ID}service/s{i}")
        g.add((org, RDF.type, ORG.Organization))
        g.add((org, RDFS.label, Literal(f"Behörde {i}", lang="de")))
        g.add((org, ORG.subOrganizationOf, land))
        g.add((initiative, RDF.type, EGOV.Initiative))
        g.add((initiative, RDFS.label, Literal(f"Vorhaben {i}", lang="de")))
        g.add((initiative, EGOV.responsibleOrganisation, org))
        g.add((initiative, EGOV.status, STATUSES[i % 4]))
        g.add((initiative, EGOV.usesTechnology, techs[i % 20]))
        g.add((initiative, DCTERMS.temporal, years[i % len(years)]))
        g.add((initiative, EGOV.hasEvidence, evidence))
        g.add((evidence, RDF.type, EGOV.Evidence))
        g.add((evidence, PROV.entity, sources[i % len(sources)]))
        g.add((service, RDF.type, EGOV.EfaService))
        g.add((service, RDFS.label, Literal(f"Leistung {i}", lang="de")))
        g.add((service, EGOV.builtBy, land))
        g.add((service, EGOV.reusedBy, lands[(i + 1 + i // 16) % 16]))
        g.add((service, EGOV.reusedBy, lands[(i + 5) % 16]))
        g.add((service, EGOV.hasEvidence, evidence))
    return g


def _timed(func: Any) -> tuple[Any, float]:
    start = time.perf_counter()
    result = func()
    return result, time.perf_counter() - start


def interactive_seconds(browser: Any, path: Path) -> float:
    page = browser.new_page(viewport={"width": 1280, "height": 800})
    page.route("**/*", lambda r: r.continue_() if r.request.url.startswith("file:") else r.abort())
    start = time.perf_counter()
    page.goto(path.as_uri(), timeout=300_000)
    page.wait_for_selector("html[data-ready=true]", state="attached", timeout=300_000)
    elapsed = time.perf_counter() - start
    page.close()
    return elapsed


def store_view(store_dir: str, name: str) -> dict[str, Any]:
    """One view from the Oxigraph store at ``store_dir``; run in a fresh process by ``store_views``."""
    from egovgraph.stores.kinds import open_oxigraph

    graph, seconds = _timed(lambda: view(name, open_oxigraph(Path(store_dir))))
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return {
        "view": name,
        "s": seconds,
        "peak_mib": peak,
        "nodes": graph.number_of_nodes(),
        "edges": graph.number_of_edges(),
    }


def store_views(store_dir: Path, names: list[str]) -> None:
    """Print a Markdown table: each view from the store, in its own process, one after the other."""
    print("| view | seconds | peak MiB | nodes | edges |\n|---|--:|--:|--:|--:|")
    for name in names:
        done = subprocess.run(
            [sys.executable, str(Path(__file__).resolve()), "--child-store", str(store_dir), name],
            capture_output=True,
            text=True,
            check=False,
        )
        if done.returncode != 0:
            raise SystemExit(f"{name} failed ({done.returncode}):\n{done.stderr}")
        r = json.loads(done.stdout)
        print(f"| {name} | {r['s']:.1f} | {r['peak_mib']:.0f} | {r['nodes']:,} | {r['edges']:,} |", flush=True)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--sizes", type=int, nargs="+", default=[500, 5000, 50000])
    parser.add_argument("--no-browser", action="store_true", help="skip the time-to-interactive column")
    parser.add_argument("--store", type=Path, help="build the views from this Oxigraph store instead")
    parser.add_argument("--views", nargs="+", default=["efa", "tech", "tech-lands"], help="with --store")
    parser.add_argument("--child-store", nargs=2, metavar=("DIR", "VIEW"), help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child_store:
        print(json.dumps(store_view(*args.child_store)))
        return 0
    if args.store:
        store_views(args.store, args.views)
        return 0
    browser = None
    playwright = None
    if not args.no_browser:
        from playwright.sync_api import sync_playwright

        playwright = sync_playwright().start()
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
    print(
        "| target nodes | view | nodes | edges | build view s | HTML nodes | write HTML s | HTML MiB | interactive s |"
    )
    print("|---:|---|---:|---:|---:|---:|---:|---:|---:|")
    with tempfile.TemporaryDirectory() as tmp:
        for size in args.sizes:
            data, _ = _timed(lambda s=size: synthetic(s))
            for name in ("entity", "efa", "tech", "tech-lands"):
                graph, build_s = _timed(lambda n=name, d=data: view(n, d))
                caps: list[int | None] = [DEFAULT_MAX_NODES]
                if graph.number_of_nodes() > DEFAULT_MAX_NODES:
                    caps.append(None)
                for cap in caps:
                    path = Path(tmp) / f"{name}-{size}-{cap}.html"
                    _, write_s = _timed(lambda g=graph, p=path, c=cap: write_html(g, p, max_nodes=c))
                    drawn = min(graph.number_of_nodes(), cap or graph.number_of_nodes())
                    seconds = f"{interactive_seconds(browser, path):.2f}" if browser is not None else "—"
                    mib = path.stat().st_size / 2**20
                    print(
                        f"| {size:,} | {name} | {graph.number_of_nodes():,} | {graph.number_of_edges():,} | "
                        f"{build_s:.2f} | {drawn:,} | {write_s:.2f} | {mib:.1f} | {seconds} |",
                        flush=True,
                    )
            del data
    if browser is not None and playwright is not None:
        browser.close()
        playwright.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
