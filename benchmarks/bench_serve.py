"""Load test of `egovgraph serve` on loopback against an Oxigraph server on the same data, in the same run.

Bounded: CLIENTS concurrent clients each send REQUESTS requests per run (default 20 x 100), each run
stops at DEADLINE seconds (anything unfinished counts as an error), the memory run sends LARGE queries.
Only 127.0.0.1 is used; both servers are child processes stopped by their PID at the end.

    python benchmarks/bench_serve.py
    python benchmarks/bench_serve.py --clients 10 --requests 50 --large 200

Runs (the same request texts go to both servers, SPARQL JSON results):
  unique     every request a query text not sent before (the named queries, each with a numbered comment):
             no answer can come from egovgraph's result cache
  repeated   the named query texts, cycled (egovgraph answers most from its cache)
  heavy mix  80 % ASK lookups, 20 % heavy counts (a cross join, about 0.25 s each), all distinct:
             the median ASK latency shows whether light queries wait behind heavy ones
  memory     LARGE distinct large answers (3 040 rows of a cross join, ``OFFSET i``) from 4 clients to
             egovgraph; its main process's resident memory before and after, against the cache bound

Both servers run at once and take turns (each run in --slices slices, egovgraph and Oxigraph alternating), so
that the drifting load of a shared machine falls on both alike.

Oxigraph: `oxigraph serve-read-only --union-default-graph` on a store loaded with the same TriG dump
(the `oxigraph` package of the test extra ships the binary). egovgraph: `egovgraph serve` with its
defaults (2 general query workers and 1 lane worker on 2 CPUs).
"""

from __future__ import annotations

import argparse
import asyncio
import json
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

import httpx

DEADLINE = 300.0
BIN = Path(sys.executable).parent
JSON = {"Accept": "application/sparql-results+json"}
HEAVY = "SELECT (COUNT(*) AS ?n) WHERE {{ ?a ?b ?c . ?d a egov:Land . ?e a egov:Land }} # heavy {}"
ASK = "ASK {{ <{}> ?p ?o }} # ask {}"
LARGE = "SELECT ?a ?b WHERE {{ ?a a egov:Land . ?b ?p ?o }} LIMIT 3040 OFFSET {}"
MIB = 1024 * 1024


@dataclass
class Outcome:
    name: str
    latencies: dict[str, list[float]] = field(default_factory=dict)
    errors: Counter[str] = field(default_factory=Counter)
    seconds: float = 0.0

    @property
    def ok(self) -> int:
        return sum(len(v) for v in self.latencies.values())

    @property
    def throughput(self) -> float:
        return self.ok / self.seconds if self.seconds else 0.0

    def median(self, kind: str) -> float:
        values = self.latencies.get(kind, [])
        return statistics.median(values) * 1000 if values else float("nan")

    def line(self) -> str:
        every = sorted(x for v in self.latencies.values() for x in v)
        p50 = statistics.median(every) * 1000 if every else float("nan")
        p99 = every[min(len(every) - 1, int(len(every) * 0.99))] * 1000 if every else float("nan")
        errors = sum(self.errors.values())
        detail = f" {dict(self.errors)}" if errors else ""
        return (
            f"{self.name:28s} {self.ok:6d} ok {errors:4d} errors  {self.throughput:8.1f} req/s  "
            f"p50 {p50:7.1f} ms  p99 {p99:7.1f} ms{detail}"
        )


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@contextmanager
def started(cmd: list[str], probe: str) -> Iterator[subprocess.Popen[bytes]]:
    process = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    try:
        deadline = time.monotonic() + 60
        while True:
            if process.poll() is not None:
                raise SystemExit(f"server exited: {process.stderr.read().decode() if process.stderr else ''}")
            try:
                httpx.get(probe, timeout=2)
                break
            except httpx.TransportError:
                if time.monotonic() > deadline:
                    raise SystemExit(f"{probe} did not answer within 60 s") from None
                time.sleep(0.1)
        yield process
    finally:
        process.terminate()
        try:
            process.wait(10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


Request = tuple[str, str]  # kind, query text


async def run(name: str, url: str, plan: list[list[Request]], deadline: float) -> Outcome:
    outcome = Outcome(name)
    limits = httpx.Limits(max_connections=len(plan), max_keepalive_connections=len(plan))
    async with httpx.AsyncClient(limits=limits, timeout=60) as client:

        async def client_loop(mine: list[Request]) -> None:
            for kind, text in mine:
                t0 = time.perf_counter()
                try:
                    reply = await client.get(url, headers=JSON, params={"query": text})
                    await reply.aread()
                except httpx.HTTPError as err:
                    outcome.errors[f"{kind} {type(err).__name__}"] += 1
                    continue
                if reply.status_code != 200:
                    outcome.errors[f"{kind} {reply.status_code}"] += 1
                    continue
                outcome.latencies.setdefault(kind, []).append(time.perf_counter() - t0)

        start = time.perf_counter()
        tasks = [asyncio.create_task(client_loop(mine)) for mine in plan]
        _, pending = await asyncio.wait(tasks, timeout=deadline)
        for task in pending:
            task.cancel()
        outcome.seconds = time.perf_counter() - start
        missing = sum(len(m) for m in plan) - outcome.ok - sum(outcome.errors.values())
        if missing:
            outcome.errors["unfinished at deadline"] += missing
    return outcome


def deal(requests: list[Request], clients: int) -> list[list[Request]]:
    return [requests[c::clients] for c in range(clients)]


def named_query_texts() -> list[str]:
    """Each named query with its defaults bound, and the PREFIX lines egovgraph declares implicitly."""
    from egovgraph.sparql.library import named_queries
    from egovgraph.sparql.run import prepare

    return [with_prefixes(prepare(name=q.name).text) for q in named_queries()]


def with_prefixes(text: str) -> str:
    from egovgraph.sparql.values import QUERY_PREFIXES

    return "".join(f"PREFIX {p}: <{ns}>\n" for p, ns in QUERY_PREFIXES.items()) + text


def resources() -> list[str]:
    from egovgraph.graph.load import load

    loaded = load()
    ids = loaded.base + "id/"
    return sorted({str(s) for s in loaded.union().subjects() if str(s).startswith(ids)})


def workloads(args: argparse.Namespace) -> dict[str, list[Request]]:
    named = named_query_texts()
    total = args.clients * args.requests
    unique = [("unique", f"{named[i % len(named)]}\n# unique {i}") for i in range(total)]
    repeated = [("repeated", named[i % len(named)]) for i in range(total)]
    iris = resources()
    mix = [
        ("heavy", with_prefixes(HEAVY.format(i))) if i % 5 == 4 else ("ask", ASK.format(iris[i % len(iris)], i))
        for i in range(total)
    ]
    return {"unique": unique, "repeated": repeated, "heavy mix": mix}


def rss(pid: int) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) * 1024
    return 0


def warm_up(url: str, loads: dict[str, list[Request]], args: argparse.Namespace) -> None:
    warm = [r for load in loads.values() for r in load[: 3 * len(named_query_texts())]]
    asyncio.run(run("warm-up", url, deal([(k, t + " # warm") for k, t in warm], args.clients), 120))


def merge(into: Outcome, part: Outcome) -> None:
    for kind, values in part.latencies.items():
        into.latencies.setdefault(kind, []).extend(values)
    into.errors.update(part.errors)
    into.seconds += part.seconds


def interleaved(
    urls: dict[str, str], loads: dict[str, list[Request]], args: argparse.Namespace
) -> dict[str, list[Outcome]]:
    """Each workload in SLICES slices, the servers taking turns slice by slice: the machine's load drifts
    (other jobs share its CPUs), and taking turns spreads the drift over both servers alike."""
    results: dict[str, list[Outcome]] = {name: [] for name in urls}
    for label, load in loads.items():
        totals = {name: Outcome(f"{name} {label}") for name in urls}
        for i in range(args.slices):
            part = load[i :: args.slices]
            for name, url in urls.items():
                merge(totals[name], asyncio.run(run(name, url, deal(part, args.clients), args.deadline)))
        for name in urls:
            print(totals[name].line(), flush=True)
            results[name].append(totals[name])
    return results


def oxigraph_server(tmp: Path) -> list[str]:
    from egovgraph.graph.build import render
    from egovgraph.graph.load import load

    oxigraph = shutil.which("oxigraph") or str(BIN / "oxigraph")
    if not Path(oxigraph).exists():
        raise SystemExit("the oxigraph server binary is missing: pip install oxigraph (the test extra)")
    dump = tmp / "egovgraph.trig"
    dump.write_bytes(render(load())["egovgraph.trig"])
    subprocess.run(
        [oxigraph, "load", "--location", str(tmp / "db"), "--file", str(dump)],
        check=True,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    return [oxigraph, "serve-read-only", "--location", str(tmp / "db"), "--union-default-graph", "--timeout-s", "5"]


def memory_run(url: str, pid: int, args: argparse.Namespace) -> None:
    status = httpx.get(url.replace("/sparql", "/status"), timeout=10).json()
    bound = status["cache"]["limit"]
    before = rss(pid)
    plan = deal([("large", LARGE.format(i)) for i in range(args.large)], 4)
    outcome = asyncio.run(run("egovgraph large answers", url, plan, args.deadline))
    after = rss(pid)
    cache = httpx.get(url.replace("/sparql", "/status"), timeout=10).json()["cache"]
    print(outcome.line(), flush=True)
    grown = after - before
    print(
        f"memory: main process {before / MIB:.0f} MiB before, {after / MIB:.0f} MiB after {args.large} distinct "
        f"large queries (+{grown / MIB:.0f} MiB); cache holds {cache['bytes'] / MIB:.1f} MiB in {cache['answers']} "
        f"answers, bound {bound / MIB:.0f} MiB; growth {'within' if grown < bound + 100 * MIB else 'OVER'} "
        f"the bound + 100 MiB",
        flush=True,
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--clients", type=int, default=20)
    parser.add_argument("--requests", type=int, default=100, help="requests per client and run")
    parser.add_argument("--large", type=int, default=600, help="distinct large queries of the memory run")
    parser.add_argument("--deadline", type=float, default=DEADLINE, help="seconds a run may take")
    parser.add_argument("--slices", type=int, default=5, help="turns the two servers take in each run")
    args = parser.parse_args()
    loads = workloads(args)
    print(f"{args.clients} clients x {args.requests} requests per run; loopback only", flush=True)

    port = free_port()
    url = f"http://127.0.0.1:{port}/sparql"
    with tempfile.TemporaryDirectory() as tmp:
        ox_port = free_port()
        ox_cmd = [*oxigraph_server(Path(tmp)), "--bind", f"127.0.0.1:{ox_port}"]
        ox_url = f"http://127.0.0.1:{ox_port}/query"
        ours_cmd = [str(BIN / "egovgraph"), "serve", "--port", str(port)]
        with started(ours_cmd, url.replace("/sparql", "/status")) as proc, started(ox_cmd, ox_url[: -len("query")]):
            for u in (url, ox_url):
                warm_up(u, loads, args)
            both = interleaved({"egovgraph": url, "oxigraph": ox_url}, loads, args)
            memory_run(url, proc.pid, args)
    ours, theirs = both["egovgraph"], both["oxigraph"]
    figures = {}
    for o, t in zip(ours, theirs, strict=True):
        label = o.name.removeprefix("egovgraph ")
        figures[label] = {"egovgraph": o.throughput, "oxigraph": t.throughput, "ratio": o.throughput / t.throughput}
        print(
            f"{label:10s} throughput egovgraph / oxigraph: {o.throughput:.1f} / {t.throughput:.1f} = "
            f"{figures[label]['ratio']:.2f}"
        )
    print(
        f"heavy mix  median ASK: egovgraph {ours[2].median('ask'):.1f} ms, oxigraph {theirs[2].median('ask'):.1f} ms; "
        f"median heavy: egovgraph {ours[2].median('heavy'):.0f} ms, oxigraph {theirs[2].median('heavy'):.0f} ms"
    )
    print(json.dumps(figures))


if __name__ == "__main__":
    main()
