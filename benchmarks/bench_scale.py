"""Scale: load time, peak memory, every named query and the efa view, per store, against raw pyoxigraph.

For each size (100k and 1M quads; 10M with ``--sizes 100k,1m,10m``) a self-contained dump is made with
``benchmarks/synth.py`` (the bundled build plus ``egovgraph.synth`` output). Every measurement runs in
a fresh subprocess so that ``resource.getrusage(RUSAGE_SELF).ru_maxrss`` is the peak of that one job:

- ``floor-mem`` / ``floor-disk``: raw pyoxigraph, bulk-loading the dump into an in-memory / on-disk
  store, then every named query's text (default bindings) with ``use_default_graph_as_union``;
- ``embedded``: ``egovgraph.stores.embedded(dump)`` then every named query via ``prepare``/``execute``;
- ``oxigraph-load``: ``egovgraph.stores.load_oxigraph`` (what ``egovgraph load`` does);
- ``oxigraph``: reopen that store with ``open_oxigraph`` and run every named query;
- ``view-rdflib``: the old way, as a reference: copy the whole dump into an rdflib graph and build the
  ``efa`` view on it (skipped above 2M quads: it needs several GiB);
- ``view-embedded`` / ``view-oxigraph``: ``egovgraph.project.view("efa", store)`` on the embedded store
  (the dump in memory) / the persistent store: the view fetches its slice with SPARQL
  (``egovgraph.slices``), as ``egovgraph viz --view efa --dump FILE`` / ``--store oxigraph:PATH`` do.

Queries run without the timeout and row limit (``timeout=None, limit=None``), as the floor does; every
result is consumed. Prints Markdown tables. A script, never a unit test:

    python benchmarks/bench_scale.py                      # 100k and 1M
    python benchmarks/bench_scale.py --sizes 100k,1m,10m  # and 10M (long)
"""

from __future__ import annotations

import argparse
import json
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
SIZES = {"100k": 100_000, "1m": 1_000_000, "10m": 10_000_000}
#: Above this many quads the whole-graph rdflib view (the reference) is not attempted (it needs several GiB).
VIEW_LIMIT = 2_000_000


def _peak_mib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux


def _query_texts() -> dict[str, str]:
    from egovgraph.querylib import named_queries
    from egovgraph.sparql import prepare

    return {q.name: prepare(name=q.name).text for q in named_queries()}


def _floor_queries(store: Any) -> dict[str, dict[str, float]]:
    from egovgraph.querytext import QUERY_PREFIXES

    out = {}
    for name, text in _query_texts().items():
        started = time.perf_counter()
        result = store.query(text, prefixes=dict(QUERY_PREFIXES), use_default_graph_as_union=True)
        rows = sum(1 for _ in result) if not isinstance(result, bool) else 1
        out[name] = {"s": time.perf_counter() - started, "rows": rows}
    return out


def _store_queries(store: Any) -> dict[str, dict[str, float]]:
    from egovgraph.querylib import named_queries
    from egovgraph.sparql import prepare

    out = {}
    for q in named_queries():
        prepared = prepare(name=q.name)
        started = time.perf_counter()
        result = store.query(prepared, timeout=None, limit=None)
        rows = len(result)
        out[q.name] = {"s": time.perf_counter() - started, "rows": rows}
    return out


def _store_view(store: Any) -> dict[str, float]:
    from egovgraph.project import view

    started = time.perf_counter()
    result = view("efa", store)
    return {"copy_s": 0.0, "view_s": time.perf_counter() - started, "nodes": result.number_of_nodes(),
            "edges": result.number_of_edges(), "triples": 0}


def _efa_view(quads: Any) -> dict[str, float]:
    from rdflib import Graph

    from egovgraph.load import bind_prefixes
    from egovgraph.oxstore import to_rdflib
    from egovgraph.project import view

    started = time.perf_counter()
    graph = Graph(bind_namespaces="none")
    bind_prefixes(graph)
    graph.addN((to_rdflib(q.subject), to_rdflib(q.predicate), to_rdflib(q.object), graph)  # type: ignore[misc]
               for q in quads)
    copied = time.perf_counter()
    result = view("efa", graph)
    done = time.perf_counter()
    return {"copy_s": copied - started, "view_s": done - copied, "nodes": result.number_of_nodes(),
            "edges": result.number_of_edges(), "triples": len(graph)}


def child(mode: str, dump: Path, store_dir: Path) -> dict[str, Any]:
    """One measurement; runs in its own process."""
    import pyoxigraph as ox

    out: dict[str, Any] = {"mode": mode}
    started = time.perf_counter()
    if mode in ("floor-mem", "floor-disk"):
        store = ox.Store() if mode == "floor-mem" else ox.Store(str(store_dir))
        store.bulk_load(path=dump, format=ox.RdfFormat.N_QUADS)
        if mode == "floor-disk":
            store.flush()
        out["load_s"] = time.perf_counter() - started
        out["quads"] = len(store)
        out["load_peak_mib"] = _peak_mib()
        out["queries"] = _floor_queries(store)
    elif mode == "embedded":
        from egovgraph.stores import embedded

        emb = embedded(dump)
        out["load_s"] = time.perf_counter() - started
        out["quads"] = len(emb.store)
        out["load_peak_mib"] = _peak_mib()
        out["queries"] = _store_queries(emb)
    elif mode == "oxigraph-load":
        from egovgraph.stores import load_oxigraph

        out["quads"] = load_oxigraph(store_dir, dump)
        out["load_s"] = time.perf_counter() - started
        out["load_peak_mib"] = _peak_mib()
        out["disk_mib"] = sum(p.stat().st_size for p in store_dir.rglob("*") if p.is_file()) / 2**20
    elif mode == "oxigraph":
        from egovgraph.stores import open_oxigraph

        opened = open_oxigraph(store_dir)
        out["load_s"] = time.perf_counter() - started  # reopening, not loading
        out["quads"] = len(opened.store)
        out["load_peak_mib"] = _peak_mib()
        out["queries"] = _store_queries(opened)
    elif mode == "view-rdflib":
        out["view"] = _efa_view(ox.parse(path=dump, format=ox.RdfFormat.N_QUADS))
    elif mode == "view-embedded":
        from egovgraph.stores import embedded

        emb = embedded(dump)
        out["load_s"] = time.perf_counter() - started
        out["view"] = _store_view(emb)
    elif mode == "view-oxigraph":
        from egovgraph.stores import open_oxigraph

        out["view"] = _store_view(open_oxigraph(store_dir))
    else:
        raise SystemExit(f"unknown mode {mode}")
    out["total_s"] = time.perf_counter() - started
    out["peak_mib"] = _peak_mib()
    return out


def run(mode: str, dump: Path, store_dir: Path) -> dict[str, Any]:
    cmd = [sys.executable, str(Path(__file__).resolve()), "--child", mode, str(dump), str(store_dir)]
    done = subprocess.run(cmd, capture_output=True, check=False, text=True)
    if done.returncode != 0:
        raise SystemExit(f"{mode} failed ({done.returncode}):\n{done.stderr}")
    result: dict[str, Any] = json.loads(done.stdout)
    print(f"  {mode}: {result['total_s']:.1f} s, peak {result['peak_mib']:.0f} MiB", file=sys.stderr)
    return result


def measure(label: str, target: int, work: Path, seed: int) -> dict[str, Any]:
    sys.path.insert(0, str(HERE))
    from synth import write

    dump = work / f"synth-{label}.nq"
    started = time.perf_counter()
    quads = write(target, dump, seed)
    print(f"{label}: wrote {quads:,} quads ({dump.stat().st_size / 2**20:.0f} MiB) in "
          f"{time.perf_counter() - started:.1f} s", file=sys.stderr)
    store_dir, floor_dir = work / f"store-{label}", work / f"floor-{label}"
    results: dict[str, Any] = {"quads": quads, "mib": dump.stat().st_size / 2**20}
    for mode, directory in (("floor-mem", floor_dir), ("floor-disk", floor_dir), ("embedded", store_dir),
                            ("oxigraph-load", store_dir), ("oxigraph", store_dir), ("view-embedded", store_dir),
                            ("view-oxigraph", store_dir)):
        results[mode] = run(mode, dump, directory)
    if quads <= VIEW_LIMIT:
        results["view-rdflib"] = run("view-rdflib", dump, store_dir)
    shutil.rmtree(floor_dir, ignore_errors=True)
    shutil.rmtree(store_dir, ignore_errors=True)
    dump.unlink()
    return results


def report(all_results: dict[str, dict[str, Any]]) -> str:
    lines = ["## Load", "", "| size | store | load (s) | peak memory (MiB) | on disk (MiB) |", "|---|---|--:|--:|--:|"]
    names = {"floor-mem": "pyoxigraph in memory (floor)", "floor-disk": "pyoxigraph on disk (floor)",
             "embedded": "embedded", "oxigraph-load": "oxigraph store: `egovgraph load`",
             "oxigraph": "oxigraph store: reopen"}
    for label, res in all_results.items():
        for mode, name in names.items():
            r = res[mode]
            disk = f"{r['disk_mib']:.0f}" if "disk_mib" in r else ""
            lines.append(f"| {label} ({res['quads']:,} quads) | {name} | {r['load_s']:.2f} | "
                         f"{r['load_peak_mib']:.0f} | {disk} |")
    lines += ["", "## Named queries (seconds; ratio = store / floor of the same kind)", "",
              "| size | query | rows | floor mem | embedded | ratio | floor disk | oxigraph store | ratio |",
              "|---|---|--:|--:|--:|--:|--:|--:|--:|"]
    for label, res in all_results.items():
        for name in sorted(res["embedded"]["queries"]):
            fm, fd = res["floor-mem"]["queries"][name], res["floor-disk"]["queries"][name]
            em, ox_ = res["embedded"]["queries"][name], res["oxigraph"]["queries"][name]
            lines.append(f"| {label} | {name} | {em['rows']} | {fm['s']:.3f} | {em['s']:.3f} | "
                         f"{em['s'] / max(fm['s'], 1e-4):.2f} | {fd['s']:.3f} | {ox_['s']:.3f} | "
                         f"{ox_['s'] / max(fd['s'], 1e-4):.2f} |")
    lines += ["", "## The efa view", "",
              "| size | how | load (s) | copy (s) | view (s) | peak memory (MiB) | nodes | edges |",
              "|---|---|--:|--:|--:|--:|--:|--:|"]
    for label, res in all_results.items():
        for mode, name in (("view-rdflib", "whole dump copied into rdflib (reference)"),
                           ("view-embedded", "embedded store, slice by SPARQL"),
                           ("view-oxigraph", "oxigraph store, slice by SPARQL")):
            if mode in res:
                v = res[mode]["view"]
                load = f"{res[mode]['load_s']:.1f}" if "load_s" in res[mode] else ""
                lines.append(f"| {label} | {name} | {load} | {v['copy_s']:.1f} | {v['view_s']:.1f} | "
                             f"{res[mode]['peak_mib']:.0f} | {v['nodes']} | {v['edges']} |")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--sizes", default="100k,1m", help="comma-separated: 100k, 1m, 10m")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--json", type=Path, help="also write the raw figures as JSON")
    parser.add_argument("--child", nargs=3, metavar=("MODE", "DUMP", "STORE"), help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        mode, dump, store = args.child
        print(json.dumps(child(mode, Path(dump), Path(store))))
        return
    labels = [s.strip().lower() for s in args.sizes.split(",") if s.strip()]
    unknown = [s for s in labels if s not in SIZES]
    if unknown:
        parser.error(f"unknown size(s) {', '.join(unknown)}: choose from {', '.join(SIZES)}")
    results = {}
    with tempfile.TemporaryDirectory(prefix="egovgraph-scale-") as tmp:
        for label in labels:
            results[label] = measure(label, SIZES[label], Path(tmp), args.seed)
    if args.json:
        args.json.write_text(json.dumps(results, indent=1), encoding="utf-8")
    print(report(results))


if __name__ == "__main__":
    main()
