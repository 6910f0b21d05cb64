"""End-to-end timing of ``egovgraph query -n NAME`` against two references; prints a Markdown table.

The floor is a minimal script that imports pyoxigraph, loads the same dump, runs the same query text
(the named query with its default bindings) and writes the rows as TSV; the rdflib reference is the same
script on rdflib (``Dataset.parse`` and ``Dataset.query``, rows written as TSV). Targets: egovgraph within
2.5x of the floor and at least 5x faster than rdflib. Every command runs as a fresh process
(``python -m egovgraph``, as the console script does); the figures are the median wall times of
``--repeat`` runs after a warm-up run, the commands run back to back in each round, and a ratio is the
median of the rounds' ratios (so that a busy moment on the machine hits both sides of a ratio alike).
Bytecode is cached (in a temporary PYTHONPYCACHEPREFIX) as it is for an installed package. rdflib is timed
on the bundled graph only (``--rdflib-graphs`` to change): on 100k triples it takes minutes per query.

    python benchmarks/bench_query.py                          # bundled graph and 100k synthetic triples
    python benchmarks/bench_query.py --graphs bundled,100k,1m # and 1M synthetic triples (join queries)

A script, never a unit test.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from egovgraph.sparql.library import named_queries  # noqa: E402
from egovgraph.sparql.run import prepare  # noqa: E402
from egovgraph.sparql.values import QUERY_PREFIXES  # noqa: E402
from synth import write as write_synthetic  # noqa: E402

#: The named queries whose answers join several patterns over the whole graph (the 1M target).
JOIN_QUERIES = (
    "leaders",
    "role-at",
    "initiatives",
    "efa-services",
    "shared-services",
    "technologies",
    "shared-technologies",
    "timeline",
    "coverage",
    "sources",
)

FLOOR = """\
import sys
import pyoxigraph as ox
store = ox.Store()
path = sys.argv[1]
store.bulk_load(path=path, format=ox.RdfFormat.from_extension(path.rsplit(".", 1)[1]))
prefixes = dict(line.split(" ", 1) for line in open(sys.argv[3], encoding="utf-8").read().splitlines())
result = store.query(open(sys.argv[2], encoding="utf-8").read(), prefixes=prefixes,
                     use_default_graph_as_union=True)
result.serialize(sys.stdout.buffer, ox.QueryResultsFormat.TSV)
"""

RDFLIB = """\
import sys
from rdflib import Dataset
path = sys.argv[1]
formats = {"trig": "trig", "nq": "nquads", "nt": "nt", "ttl": "turtle"}
dataset = Dataset(default_union=True)
dataset.parse(path, format=formats[path.rsplit(".", 1)[1]])
prefixes = dict(line.split(" ", 1) for line in open(sys.argv[3], encoding="utf-8").read().splitlines())
result = dataset.query(open(sys.argv[2], encoding="utf-8").read(), initNs=prefixes)
out = ["\\t".join("?" + str(v) for v in result.vars)]
for row in result:
    out.append("\\t".join("" if term is None else term.n3() for term in row))
sys.stdout.write("\\n".join(out) + "\\n")
"""


def timed(cmd: list[str], env: dict[str, str]) -> tuple[float, bytes]:
    started = time.perf_counter()
    done = subprocess.run(cmd, capture_output=True, env=env, check=False)
    elapsed = time.perf_counter() - started
    if done.returncode != 0:
        raise SystemExit(f"failed ({done.returncode}): {' '.join(cmd)}\n{done.stderr.decode()}")
    return elapsed, done.stdout


def bench(
    label: str,
    dump: Path | None,
    names: list[str],
    work: Path,
    repeat: int,
    env: dict[str, str],
    floor_dump: Path,
    with_rdflib: bool,
) -> list[str]:
    rows = []
    prefixes = work / "prefixes.txt"
    prefixes.write_text("\n".join(f"{p} {ns}" for p, ns in QUERY_PREFIXES.items()), encoding="utf-8")
    floor = work / "floor.py"
    floor.write_text(FLOOR, encoding="utf-8")
    rdflib_script = work / "rdflib_floor.py"
    rdflib_script.write_text(RDFLIB, encoding="utf-8")
    for name in names:
        text = work / f"{name}.rq"
        text.write_text(prepare(name=name).text, encoding="utf-8")
        ours = [
            sys.executable,
            "-m",
            "egovgraph",
            "query",
            "-n",
            name,
            "--format",
            "tsv",
            "--timeout",
            "3600",
            "--limit",
            "100000000",
        ]
        if dump is not None:
            ours += ["--dump", str(dump)]
        base = [sys.executable, str(floor), str(floor_dump), str(text), str(prefixes)]
        slow = [sys.executable, str(rdflib_script), str(floor_dump), str(text), str(prefixes)]
        _, ours_out = timed(ours, env)  # warm-up, and the answers to compare
        _, base_out = timed(base, env)
        ours_rows, base_rows = ours_out.count(b"\n") - 1, base_out.count(b"\n") - 1
        if ours_rows != base_rows:
            raise SystemExit(f"{name}: {ours_rows} rows from egovgraph but {base_rows} from the floor")
        if with_rdflib:
            slow_rows = timed(slow, env)[1].count(b"\n") - 1
            if slow_rows != ours_rows:
                raise SystemExit(f"{name}: {ours_rows} rows from egovgraph but {slow_rows} from rdflib")
        ours_t, base_t, slow_t = [], [], []
        for _ in range(repeat):
            ours_t.append(timed(ours, env)[0])
            base_t.append(timed(base, env)[0])
            if with_rdflib:
                slow_t.append(timed(slow, env)[0])
        o, b = statistics.median(ours_t), statistics.median(base_t)
        ratio = statistics.median(x / y for x, y in zip(ours_t, base_t, strict=True))
        if with_rdflib:
            s = statistics.median(slow_t)
            faster = statistics.median(y / x for x, y in zip(ours_t, slow_t, strict=True))
            vs_rdflib = f"{s * 1000:.0f} | {faster:.1f}"
        else:
            vs_rdflib = "– | –"
        rows.append(f"| {label} | {name} | {ours_rows} | {o * 1000:.0f} | {b * 1000:.0f} | {ratio:.2f} | {vs_rdflib} |")
        print(rows[-1], flush=True)
    return rows


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--repeat", type=int, default=21, help="timed runs per command on the bundled graph (default 21)"
    )
    parser.add_argument(
        "--repeat-synthetic", type=int, default=5, help="timed runs per command on the synthetic graphs (default 5)"
    )
    parser.add_argument(
        "--graphs",
        default="bundled,100k",
        help="comma-separated: bundled, 100k, 1m (1m runs the join queries; default bundled,100k)",
    )
    parser.add_argument("--query", action="append", help="only this named query (repeatable)")
    parser.add_argument(
        "--rdflib-graphs", default="bundled", help="comma-separated graphs also answered by rdflib (default bundled)"
    )
    args = parser.parse_args(argv)

    names = args.query or [q.name for q in named_queries()]
    with tempfile.TemporaryDirectory(prefix="egovgraph-bench-") as tmp:
        work = Path(tmp)
        env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
        env["PYTHONPYCACHEPREFIX"] = str(work / "pycache")
        subprocess.run(
            [sys.executable, "-m", "egovgraph", "build", "--out", str(work / "dist")],
            check=True,
            capture_output=True,
            env=env,
        )
        trig = work / "dist" / "egovgraph.trig"
        print(
            f"python {sys.version.split()[0]}, {os.cpu_count()} CPUs, median of {args.repeat} runs "
            f"(synthetic graphs: {args.repeat_synthetic})\n"
        )
        print("| graph | query | rows | egovgraph ms | floor ms | × floor | rdflib ms | × faster than rdflib |")
        print("|---|---|---:|---:|---:|---:|---:|---:|", flush=True)
        graphs = args.graphs.split(",")
        slow = set(args.rdflib_graphs.split(","))
        lines: list[str] = []
        if "bundled" in graphs:
            lines += bench("bundled (data files)", None, names, work, args.repeat, env, trig, "bundled" in slow)
            lines += bench("bundled (trig dump)", trig, names, work, args.repeat, env, trig, "bundled" in slow)
        sizes = [
            (key, size, names if key == "100k" else [n for n in names if n in JOIN_QUERIES])
            for key, size in (("100k", 100_000), ("1m", 1_000_000))
            if key in graphs
        ]
        for key, size, chosen in sizes:
            dump = work / f"synth-{size}.nq"
            started = time.perf_counter()
            quads = write_synthetic(size, dump)
            print(f"\n(generated {quads} quads in {time.perf_counter() - started:.1f} s)\n", file=sys.stderr)
            lines += bench(
                f"synthetic {quads // 1000}k", dump, chosen, work, args.repeat_synthetic, env, dump, key in slow
            )
        ratios = [float(line.split("|")[6]) for line in lines]
        print(f"\nagainst the floor: worst {max(ratios):.2f}x, median {statistics.median(ratios):.2f}x (target 2.5x)")
        faster = [float(line.split("|")[8]) for line in lines if line.split("|")[8].strip() != "–"]
        if faster:
            least, middle = min(faster), statistics.median(faster)
            print(f"against rdflib: at least {least:.1f}x faster, median {middle:.1f}x (target 5x)")


if __name__ == "__main__":
    main()
