"""The persistent Oxigraph store against raw pyoxigraph on disk, named query by named query, alternating.

``bench_scale.py`` measures raw pyoxigraph on disk (``floor-disk``) and the egovgraph store
(``oxigraph``) in two separate runs, each loading the dump into its own store; at 10M quads that is
hours on two cores and leaves the two sides measured at different times, under different load. This
script loads the dump once (``egovgraph.stores.kinds.load_oxigraph``, as ``egovgraph load`` does), opens the
store once, and for every named query times both sides on that same handle back to back, the order
swapped from one query to the next so that neither side always gets the warmer cache (a query that takes
less than ``REPEAT_BELOW`` seconds is measured again the other way round, and each side's faster figure
counts: at that scale whoever runs first pays for the cold cache):

- floor: raw pyoxigraph, ``store.query(text, prefixes=..., use_default_graph_as_union=True)``, every
  solution consumed;
- store: ``egovgraph.stores.kinds.OxStore.query(prepare(name=...), timeout=None, limit=None)`` (what
  ``egovgraph query -n NAME --store oxigraph:PATH`` evaluates), every solution materialised.

The figures are written to ``--json`` after every query, so a run that is stopped keeps what it measured.
Prints a Markdown table. A script, never a unit test:

    python benchmarks/bench_disk.py --size 100k
    python benchmarks/bench_disk.py --size 10m --work /var/tmp/disk10m --keep --json disk10m.json \\
        --queries lands,portals,leaders,...          # a chosen order (e.g. the quick ones first)
    python benchmarks/bench_disk.py --store /var/tmp/disk10m/store --json more.json --queries coverage
"""

from __future__ import annotations

import argparse
import json
import resource
import shutil
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
SIZES = {"100k": 100_000, "1m": 1_000_000, "10m": 10_000_000}
#: Queries faster than this (seconds, on both sides) are measured twice, in both orders; the faster counts.
REPEAT_BELOW = 2.0


def _floor(store: Any, text: str) -> tuple[float, int]:
    from egovgraph.sparql.text import QUERY_PREFIXES

    started = time.perf_counter()
    result = store.query(text, prefixes=dict(QUERY_PREFIXES), use_default_graph_as_union=True)
    rows = sum(1 for _ in result) if not isinstance(result, bool) else 1
    elapsed = time.perf_counter() - started
    del result
    return elapsed, rows


def _ours(opened: Any, name: str) -> tuple[float, int]:
    from egovgraph.sparql.run import prepare

    prepared = prepare(name=name)
    started = time.perf_counter()
    result = opened.query(prepared, timeout=None, limit=None)
    rows = len(result)
    elapsed = time.perf_counter() - started
    del result  # released outside the timing, as the floor's lazy answer needs no release
    return elapsed, rows


def _pair(opened: Any, name: str, text: str, *, store_first: bool) -> tuple[tuple[float, int], tuple[float, int]]:
    """(floor, store) figures of one query, measured one after the other in the order given."""
    if store_first:
        ours = _ours(opened, name)
        return _floor(opened.store, text), ours
    floor = _floor(opened.store, text)
    return floor, _ours(opened, name)


def measure(store_dir: Path, names: list[str], out: Path | None) -> dict[str, Any]:
    from egovgraph.stores.kinds import open_oxigraph

    started = time.perf_counter()
    opened = open_oxigraph(store_dir)
    results: dict[str, Any] = {
        "store": store_dir.name,
        "quads": len(opened.store),
        "open_s": time.perf_counter() - started,
        "queries": {},
    }
    for i, name in enumerate(names):
        from egovgraph.sparql.run import prepare

        text = prepare(name=name).text
        floor, ours = _pair(opened, name, text, store_first=i % 2 == 1)
        if max(floor[0], ours[0]) < REPEAT_BELOW:  # whoever ran first warmed the cache for the other: again,
            again = _pair(opened, name, text, store_first=i % 2 == 0)  # the other way round; the faster counts
            floor, ours = min(floor, again[0]), min(ours, again[1])
        results["queries"][name] = {
            "floor_s": floor[0],
            "store_s": ours[0],
            "floor_rows": floor[1],
            "store_rows": ours[1],
        }
        print(
            f"  {name}: floor {floor[0]:.3f} s, store {ours[0]:.3f} s ({ours[0] / max(floor[0], 1e-9):.2f}x), "
            f"rows {floor[1]} / {ours[1]}",
            file=sys.stderr,
            flush=True,
        )
        if out is not None:
            tmp = out.with_suffix(out.suffix + ".tmp")
            tmp.write_text(json.dumps(results, indent=1), encoding="utf-8")
            tmp.replace(out)
    results["peak_mib"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return results


def report(results: dict[str, Any]) -> str:
    lines = [
        f"{results['quads']:,} quads; store opened in {results['open_s']:.2f} s",
        "",
        "| query | rows | floor disk (s) | oxigraph store (s) | ratio |",
        "|---|--:|--:|--:|--:|",
    ]
    for name, q in results["queries"].items():
        rows = q["floor_rows"] if q["floor_rows"] == q["store_rows"] else f"{q['floor_rows']} ≠ {q['store_rows']}"
        lines.append(
            f"| {name} | {rows} | {q['floor_s']:.3f} | {q['store_s']:.3f} | "
            f"{q['store_s'] / max(q['floor_s'], 1e-9):.2f} |"
        )
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    where = parser.add_mutually_exclusive_group()
    where.add_argument("--size", choices=SIZES, default="100k", help="make a synthetic dump of this size")
    where.add_argument("--dump", type=Path, help="load this dump (.nq) instead")
    where.add_argument("--store", type=Path, help="use this loaded Oxigraph store as it is")
    parser.add_argument("--work", type=Path, help="directory for the dump and the store (default: a temporary one)")
    parser.add_argument("--keep", action="store_true", help="keep the dump and the store")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--queries", help="comma-separated named queries, in this order (default: all)")
    parser.add_argument("--json", type=Path, help="write the figures here (after every query)")
    args = parser.parse_args(argv)

    from egovgraph.sparql.library import named_queries

    names = args.queries.split(",") if args.queries else [q.name for q in named_queries()]
    work = args.work or Path(tempfile.mkdtemp(prefix="egovgraph-disk-"))
    work.mkdir(parents=True, exist_ok=True)
    store_dir = args.store
    try:
        if store_dir is None:
            from egovgraph.stores.kinds import load_oxigraph

            dump = args.dump
            if dump is None:
                sys.path.insert(0, str(HERE))
                from synth import write

                dump = work / f"synth-{args.size}.nq"
                started = time.perf_counter()
                quads = write(SIZES[args.size], dump, args.seed)
                print(f"wrote {quads:,} quads in {time.perf_counter() - started:.0f} s", file=sys.stderr, flush=True)
            store_dir = work / "store"
            started = time.perf_counter()
            load_oxigraph(store_dir, dump)
            print(f"loaded in {time.perf_counter() - started:.0f} s", file=sys.stderr, flush=True)
        print(report(measure(store_dir, names, args.json)))
    finally:
        if not args.keep and args.work is None:
            shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
