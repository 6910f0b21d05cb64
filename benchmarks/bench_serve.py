"""Load test of `egovgraph serve` on loopback, with Oxigraph server as the reference for the SPARQL mix.

Bounded: CLIENTS concurrent clients each send REQUESTS requests (default 50 x 200), and a run stops at
DEADLINE seconds (anything unfinished counts as an error). Only 127.0.0.1 is used.

    python benchmarks/bench_serve.py                 # full run: mix, named queries (cache on/off), Oxigraph
    python benchmarks/bench_serve.py --clients 10 --requests 50

Runs:
  egovgraph mix          named queries (SPARQL JSON), resource pages (HTML), resource Turtle (conneg), 1:1:1
  egovgraph sparql       the named queries only, result cache on (the default)
  egovgraph sparql/nc    the named queries only, --no-cache (every request evaluates the query)
  oxigraph sparql        the same query texts against `oxigraph serve-read-only` loaded with the same TriG dump
  virtuoso sparql        the same query texts (GET, default-graph-uri) against a private Virtuoso (virtuoso-t)
                         whose named graph holds the same build, loaded with egovgraph.stores.publish (INSERT DATA)

Virtuoso runs from the distribution's virtuoso.ini with only its database directory and two loopback ports
changed: it is started by `private_virtuoso` of tests/conftest_stores.py (imported by path), the same
code the store tests use. The process is stopped by its PID whatever happens. Skipped with a message
when virtuoso-t or isql-vt is missing, or with --no-virtuoso.
"""

from __future__ import annotations

import argparse
import asyncio
import importlib.util
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from types import ModuleType

import httpx

DEADLINE = 300.0
BIN = Path(sys.executable).parent
ROOT = Path(__file__).resolve().parent.parent
#: The named graph the build is published into on Virtuoso (queried with default-graph-uri).
VIRTUOSO_GRAPH = "https://example.org/graph/egovgraph"


@dataclass
class Outcome:
    name: str
    latencies: list[float] = field(default_factory=list)
    errors: Counter[str] = field(default_factory=Counter)
    seconds: float = 0.0

    def line(self) -> str:
        n = len(self.latencies)
        lat = sorted(self.latencies)
        p50 = statistics.median(lat) * 1000 if lat else float("nan")
        p99 = lat[min(len(lat) - 1, int(len(lat) * 0.99))] * 1000 if lat else float("nan")
        errors = sum(self.errors.values())
        detail = f" {dict(self.errors)}" if errors else ""
        return (
            f"{self.name:22s} {n:6d} ok {errors:4d} errors  {n / self.seconds:8.1f} req/s  "
            f"p50 {p50:7.1f} ms  p99 {p99:7.1f} ms{detail}"
        )

    @property
    def throughput(self) -> float:
        return len(self.latencies) / self.seconds if self.seconds else 0.0


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def wait_for(url: str, process: subprocess.Popen[bytes]) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise SystemExit(f"server exited: {process.stderr.read().decode() if process.stderr else ''}")
        try:
            httpx.get(url, timeout=2)
            return
        except httpx.TransportError:
            time.sleep(0.1)
    raise SystemExit(f"{url} did not answer within 60 s")


@contextmanager
def started(cmd: list[str], probe: str) -> Iterator[None]:
    process = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    try:
        wait_for(probe, process)
        yield
    finally:
        process.terminate()
        try:
            process.wait(10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def conftest_stores() -> ModuleType:
    """tests/conftest_stores.py, imported by path (tests/ is not a package; it needs pytest installed)."""
    spec = importlib.util.spec_from_file_location("conftest_stores", ROOT / "tests" / "conftest_stores.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # its dataclasses look their module up there
    spec.loader.exec_module(module)
    return module


@contextmanager
def virtuoso_loaded(root: Path) -> Iterator[str]:
    """A private Virtuoso on loopback ports with the build in VIRTUOSO_GRAPH; yields its base URL."""
    from egovgraph.stores.publish import build_triples, publish
    from egovgraph.stores.remote import Endpoint

    stores = conftest_stores()
    exe, isql_exe = shutil.which("virtuoso-t"), shutil.which("isql-vt") or shutil.which("isql")
    if exe is None or isql_exe is None or not stores.VIRTUOSO_INI.is_file():
        raise FileNotFoundError("virtuoso-t, isql-vt or the distribution's virtuoso.ini")
    with stores.private_virtuoso(root, exe, isql_exe) as (base, password):
        endpoint = Endpoint(base + "/sparql", update_url=base + "/sparql-auth", user="egovwriter", password=password)
        t0 = time.perf_counter()
        done = publish(endpoint, VIRTUOSO_GRAPH, triples=build_triples())
        print(
            f"virtuoso: published {done.triples} triples in {done.requests} INSERT DATA requests "
            f"({time.perf_counter() - t0:.1f} s)",
            flush=True,
        )
        yield base


def named_query_texts() -> list[str]:
    """Each named query with its defaults bound, and the PREFIX lines egovgraph declares implicitly."""
    from egovgraph.sparql.library import named_queries
    from egovgraph.sparql.run import prepare
    from egovgraph.sparql.text import QUERY_PREFIXES

    header = "".join(f"PREFIX {p}: <{ns}>\n" for p, ns in QUERY_PREFIXES.items())
    return [header + prepare(name=q.name).text for q in named_queries()]


def resources() -> list[str]:
    from egovgraph.graph.load import load

    loaded = load()
    ids = loaded.base + "id/"
    subjects = sorted({str(s) for s in loaded.union().subjects() if str(s).startswith(ids)})
    return ["/doc/id/" + s[len(ids) :] for s in subjects[:: max(1, len(subjects) // 200)]]


Request = tuple[str, str, dict[str, str], dict[str, str] | None]  # kind, path, headers, params


async def run(name: str, base: str, requests: list[list[Request]], deadline: float) -> Outcome:
    outcome = Outcome(name)
    limits = httpx.Limits(max_connections=len(requests), max_keepalive_connections=len(requests))
    async with httpx.AsyncClient(base_url=base, limits=limits, timeout=60) as client:

        async def worker(mine: list[Request]) -> None:
            for kind, path, headers, params in mine:
                t0 = time.perf_counter()
                try:
                    reply = await client.get(path, headers=headers, params=params)
                    if reply.status_code != 200:
                        outcome.errors[f"{kind} {reply.status_code}"] += 1
                        continue
                except httpx.HTTPError as err:
                    outcome.errors[f"{kind} {type(err).__name__}"] += 1
                    continue
                outcome.latencies.append(time.perf_counter() - t0)

        start = time.perf_counter()
        tasks = [asyncio.create_task(worker(mine)) for mine in requests]
        _, pending = await asyncio.wait(tasks, timeout=deadline)
        for task in pending:
            task.cancel()
        outcome.seconds = time.perf_counter() - start
        total = sum(len(m) for m in requests)
        missing = total - len(outcome.latencies) - sum(outcome.errors.values())
        if missing:
            outcome.errors["unfinished at deadline"] += missing
    return outcome


def plan(clients: int, per_client: int, kinds: list[list[Request]]) -> list[list[Request]]:
    """Each client cycles through the kinds (and through each kind's items), starting at its own offset."""
    out = []
    for c in range(clients):
        mine = []
        for i in range(per_client):
            kind = kinds[(c + i) % len(kinds)]
            mine.append(kind[(c * 7 + i) % len(kind)])
        out.append(mine)
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--clients", type=int, default=50)
    parser.add_argument("--requests", type=int, default=200, help="requests per client")
    parser.add_argument("--deadline", type=float, default=DEADLINE, help="seconds a run may take")
    parser.add_argument("--no-oxigraph", action="store_true")
    parser.add_argument("--no-virtuoso", action="store_true")
    args = parser.parse_args()

    queries = named_query_texts()
    accept_json = {"Accept": "application/sparql-results+json"}
    sparql: list[Request] = [("sparql", "/sparql", accept_json, {"query": q}) for q in queries]
    paths = resources()
    pages: list[Request] = [("html", p, {"Accept": "text/html"}, None) for p in paths]
    turtle: list[Request] = [("turtle", p, {"Accept": "text/turtle"}, None) for p in paths]
    print(
        f"{args.clients} clients x {args.requests} requests; {len(queries)} named queries, "
        f"{len(paths)} resources; loopback only"
    )
    results: list[Outcome] = []

    for label, extra, kinds in (
        ("egovgraph mix", [], [sparql, pages, turtle]),
        ("egovgraph sparql", [], [sparql]),
        ("egovgraph sparql/nc", ["--no-cache"], [sparql]),
    ):
        port = free_port()
        cmd = [str(BIN / "egovgraph"), "serve", "--port", str(port), *extra]
        with started(cmd, f"http://127.0.0.1:{port}/static/style.css"):
            # one warm-up round per server (first requests import modules, fill caches)
            asyncio.run(run("warm-up", f"http://127.0.0.1:{port}", [[r] for k in kinds for r in k], 60))
            outcome = asyncio.run(
                run(label, f"http://127.0.0.1:{port}", plan(args.clients, args.requests, kinds), args.deadline)
            )
        print(outcome.line(), flush=True)
        results.append(outcome)

    oxigraph = shutil.which("oxigraph") or str(BIN / "oxigraph")
    if args.no_oxigraph or not Path(oxigraph).exists():
        print("oxigraph: skipped (pip install oxigraph to compare)")
    else:
        results.append(bench_oxigraph(oxigraph, queries, args))
    if args.no_virtuoso:
        print("virtuoso: skipped (--no-virtuoso)")
    else:
        with tempfile.TemporaryDirectory() as tmp:
            try:
                with virtuoso_loaded(Path(tmp)) as base:
                    vt_sparql: list[Request] = [
                        ("sparql", "/sparql", accept_json, {"query": q, "default-graph-uri": VIRTUOSO_GRAPH})
                        for q in queries
                    ]
                    warm = asyncio.run(run("warm-up", base, [[r] for r in vt_sparql], 60))
                    if warm.errors:
                        print(f"virtuoso warm-up errors: {dict(warm.errors)}", flush=True)
                    outcome = asyncio.run(
                        run("virtuoso sparql", base, plan(args.clients, args.requests, [vt_sparql]), args.deadline)
                    )
                print(outcome.line(), flush=True)
                results.append(outcome)
            except FileNotFoundError as missing:
                print(f"virtuoso: skipped ({missing} not found; apt-get install virtuoso-opensource)")
    rates = {o.name: o.throughput for o in results}
    for reference in ("oxigraph sparql", "virtuoso sparql"):
        if rates.get(reference):
            for name in ("egovgraph sparql", "egovgraph sparql/nc"):
                print(f"{name} / {reference} throughput: {rates[name] / rates[reference]:.2f}")


def bench_oxigraph(oxigraph: str, queries: list[str], args: argparse.Namespace) -> Outcome:
    from egovgraph.graph.build import render
    from egovgraph.graph.load import load

    accept_json = {"Accept": "application/sparql-results+json"}
    with tempfile.TemporaryDirectory() as tmp:
        dump = Path(tmp) / "egovgraph.trig"
        dump.write_bytes(render(load())["egovgraph.trig"])
        subprocess.run(
            [oxigraph, "load", "--location", f"{tmp}/db", "--file", str(dump)],
            check=True,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        port = free_port()
        cmd = [
            oxigraph,
            "serve-read-only",
            "--location",
            f"{tmp}/db",
            "--bind",
            f"127.0.0.1:{port}",
            "--union-default-graph",
            "--timeout-s",
            "5",
        ]
        base = f"http://127.0.0.1:{port}"
        ox_sparql: list[Request] = [("sparql", "/query", accept_json, {"query": q}) for q in queries]
        with started(cmd, base + "/"):
            asyncio.run(run("warm-up", base, [[r] for r in ox_sparql], 60))
            outcome = asyncio.run(
                run("oxigraph sparql", base, plan(args.clients, args.requests, [ox_sparql]), args.deadline)
            )
    print(outcome.line(), flush=True)
    return outcome


if __name__ == "__main__":
    main()
