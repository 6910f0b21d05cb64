"""Scale: load time, peak memory, every named query and the efa view, per store, against raw pyoxigraph.

For each size (100k and 1M quads; 10M with ``--sizes 100k,1m,10m``) a self-contained dump is made with
``benchmarks/synth.py`` (the bundled build plus ``egovgraph.graph.synth`` output). Every measurement runs in
a fresh subprocess so that ``resource.getrusage(RUSAGE_SELF).ru_maxrss`` is the peak of that one job:

- ``floor-mem`` / ``floor-disk``: raw pyoxigraph, bulk-loading the dump into an in-memory / on-disk
  store, then every named query's text (default bindings) with ``use_default_graph_as_union``;
- ``embedded``: ``egovgraph.stores.kinds.embedded(dump)`` then every named query via ``prepare``/``execute``;
- ``oxigraph-load``: ``egovgraph.stores.kinds.load_oxigraph`` (what ``egovgraph load`` does);
- ``oxigraph``: reopen that store with ``open_oxigraph`` and run every named query;
- ``view-rdflib``: the old way, as a reference: copy the whole dump into an rdflib graph and build the
  ``efa`` view on it (skipped above 2M quads: it needs several GiB);
- ``view-embedded`` / ``view-oxigraph``: ``egovgraph.views.project.view("efa", store)`` on the embedded store
  (the dump in memory) / the persistent store: the view fetches its slice with SPARQL
  (``egovgraph.views.slices``), as ``egovgraph viz --view efa --dump FILE`` / ``--store oxigraph:PATH`` do;
- ``oxigraph-server`` / ``virtuoso``: a SPARQL server on loopback, read through
  ``egovgraph.stores.kinds.RemoteStore`` (what ``--endpoint URL --graph IRI`` does). The dump is first written
  as N-Triples (graph names dropped, as ``egovgraph publish`` merges a build into one graph) and
  bulk-loaded into the one graph ``GRAPH``, which queries get as ``default-graph-uri``. Oxigraph server:
  ``oxigraph load --graph`` (its time and peak memory, from ``wait4``), then ``oxigraph serve-read-only``.
  Virtuoso: a private ``virtuoso-t`` (``tests/store_servers.py``, with ``VIRTUOSO_SETTINGS``) and its
  bulk loader (``ld_dir``, ``rdf_loader_run``, ``checkpoint``) through isql. The server's own peak
  memory is its ``VmHWM`` after loading, after the queries and after the view; the queries and the view
  run in fresh client processes ``remote-queries`` / ``view-remote``.

Queries run without the row limit (``limit=None``) and, in process, without the timeout, as the floor
does; every result is consumed. Row counts that differ from the in-memory floor's are flagged. Prints
Markdown tables. A script, never a unit test:

    python benchmarks/bench_scale.py                      # 100k and 1M, every engine
    python benchmarks/bench_scale.py --sizes 100k,1m,10m  # and 10M (long)
    python benchmarks/bench_scale.py --engines floor,oxigraph-server,virtuoso
    python benchmarks/bench_scale.py --sizes 10m --engines virtuoso --query-timeout 900 --json v.json
    python benchmarks/bench_scale.py --from-json a.json v.json   # one report from earlier runs
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from types import ModuleType
from typing import Any

HERE = Path(__file__).resolve().parent
BIN = Path(sys.executable).parent
SIZES = {"100k": 100_000, "1m": 1_000_000, "10m": 10_000_000}
#: Above this many quads the whole-graph rdflib view (the reference) is not attempted (it needs several GiB).
VIEW_LIMIT = 2_000_000
#: What ``--engines`` chooses from, and the in-process measurements (child modes) of each.
ENGINES = {
    "floor": ("floor-mem", "floor-disk", "view-rdflib"),
    "embedded": ("embedded", "view-embedded"),
    "oxigraph": ("oxigraph-load", "oxigraph", "view-oxigraph"),
    "oxigraph-server": (),
    "virtuoso": (),
}
SERVERS = ("oxigraph-server", "virtuoso")
#: The graph the servers hold the dump in; queries name it as their default graph.
GRAPH = "https://example.org/graph/egovgraph-scale"
#: Seconds a query or a load may take on a server (no limit is the point: the floor has none either).
SERVER_TIMEOUT = 4 * 3600.0
#: The environment variable that passes ``--query-timeout`` to the query clients.
QUERY_TIMEOUT_ENV = "BENCH_SCALE_QUERY_TIMEOUT"
#: Virtuoso's ini beyond the distribution's: buffers as its comments advise for 4 GB of memory (the
#: default, 10,000 buffers of 8 KiB, makes 10M loads disk-bound), and no row cap or time limit (with
#: them Virtuoso returns a cut result without an error).
VIRTUOSO_SETTINGS = {
    "Parameters": {"NumberOfBuffers": "340000", "MaxDirtyBuffers": "250000"},
    "SPARQL": {"ResultSetMaxRows": "1000000000", "MaxQueryExecutionTime": "0", "MaxQueryCostEstimationTime": "0"},
}


def _peak_mib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux


def _query_texts() -> dict[str, str]:
    from egovgraph.sparql.library import named_queries
    from egovgraph.sparql.run import prepare

    return {q.name: prepare(name=q.name).text for q in named_queries()}


def _floor_queries(store: Any) -> dict[str, dict[str, float]]:
    from egovgraph.sparql.values import QUERY_PREFIXES

    out = {}
    for name, text in _query_texts().items():
        started = time.perf_counter()
        result = store.query(text, prefixes=dict(QUERY_PREFIXES), use_default_graph_as_union=True)
        rows = sum(1 for _ in result) if not isinstance(result, bool) else 1
        out[name] = {"s": time.perf_counter() - started, "rows": rows}
        del result  # as for the stores: nothing of this query is released in the next one's time
    return out


def _store_queries(store: Any, timeout: float | None = None) -> dict[str, dict[str, float]]:
    from egovgraph.errors import EndpointError
    from egovgraph.sparql.library import named_queries
    from egovgraph.sparql.run import prepare

    out: dict[str, dict[str, Any]] = {}
    for q in named_queries():
        prepared = prepare(name=q.name)
        started = time.perf_counter()
        try:
            result = store.query(prepared, timeout=timeout, limit=None)
        except EndpointError as err:  # only with --query-timeout: the server gave up or was given up on
            out[q.name] = {"s": time.perf_counter() - started, "rows": -1, "error": str(err)[:200]}
            continue
        rows = len(result)
        out[q.name] = {"s": time.perf_counter() - started, "rows": rows}
        # Free the answer outside the timing: otherwise the next query pays for releasing this one
        # (about a second for 800,000 rows at 10M), which the floor, consuming lazily, never holds.
        del result
    return out


def _store_view(store: Any) -> dict[str, float]:
    from egovgraph.views.project import view

    started = time.perf_counter()
    result = view("efa", store)
    return {
        "copy_s": 0.0,
        "view_s": time.perf_counter() - started,
        "nodes": result.number_of_nodes(),
        "edges": result.number_of_edges(),
        "triples": 0,
    }


def _efa_view(quads: Any) -> dict[str, float]:
    from rdflib import Graph

    from egovgraph.graph.load import bind_prefixes
    from egovgraph.views.project import view
    from egovgraph.vocab.terms import to_rdflib

    started = time.perf_counter()
    graph = Graph(bind_namespaces="none")
    bind_prefixes(graph)
    graph.addN(
        (to_rdflib(q.subject), to_rdflib(q.predicate), to_rdflib(q.object), graph)  # type: ignore[misc]
        for q in quads
    )
    copied = time.perf_counter()
    result = view("efa", graph)
    done = time.perf_counter()
    return {
        "copy_s": copied - started,
        "view_s": done - copied,
        "nodes": result.number_of_nodes(),
        "edges": result.number_of_edges(),
        "triples": len(graph),
    }


def _remote(url: str, graph: str) -> Any:
    from egovgraph.stores.kinds import RemoteStore
    from egovgraph.stores.remote import Endpoint

    return RemoteStore(Endpoint(url), graph=graph)


def child(mode: str, dump_arg: str, store_arg: str) -> dict[str, Any]:
    """One measurement; runs in its own process. Remote modes get the query URL and the graph IRI instead."""
    import pyoxigraph as ox

    dump, store_dir = Path(dump_arg), Path(store_arg)
    out: dict[str, Any] = {"mode": mode}
    started = time.perf_counter()
    if mode == "remote-queries":
        timeout = float(os.environ.get(QUERY_TIMEOUT_ENV) or SERVER_TIMEOUT)
        out["queries"] = _store_queries(_remote(dump_arg, store_arg), timeout=timeout)
    elif mode == "view-remote":
        out["view"] = _store_view(_remote(dump_arg, store_arg))
    elif mode in ("floor-mem", "floor-disk"):
        store = ox.Store() if mode == "floor-mem" else ox.Store(str(store_dir))
        store.bulk_load(path=dump, format=ox.RdfFormat.N_QUADS)
        if mode == "floor-disk":
            store.flush()
        out["load_s"] = time.perf_counter() - started
        out["quads"] = len(store)
        out["load_peak_mib"] = _peak_mib()
        out["queries"] = _floor_queries(store)
    elif mode == "embedded":
        from egovgraph.stores.kinds import embedded

        emb = embedded(dump)
        out["load_s"] = time.perf_counter() - started
        out["quads"] = len(emb.store)
        out["load_peak_mib"] = _peak_mib()
        out["queries"] = _store_queries(emb)
    elif mode == "oxigraph-load":
        from egovgraph.stores.kinds import load_oxigraph

        out["quads"] = load_oxigraph(store_dir, dump)
        out["load_s"] = time.perf_counter() - started
        out["load_peak_mib"] = _peak_mib()
        out["disk_mib"] = sum(p.stat().st_size for p in store_dir.rglob("*") if p.is_file()) / 2**20
    elif mode == "oxigraph":
        from egovgraph.stores.kinds import open_oxigraph

        opened = open_oxigraph(store_dir)
        out["load_s"] = time.perf_counter() - started  # reopening, not loading
        out["quads"] = len(opened.store)
        out["load_peak_mib"] = _peak_mib()
        out["queries"] = _store_queries(opened)
    elif mode == "view-rdflib":
        out["view"] = _efa_view(ox.parse(path=dump, format=ox.RdfFormat.N_QUADS))
    elif mode == "view-embedded":
        from egovgraph.stores.kinds import embedded

        emb = embedded(dump)
        out["load_s"] = time.perf_counter() - started
        out["view"] = _store_view(emb)
    elif mode == "view-oxigraph":
        from egovgraph.stores.kinds import open_oxigraph

        out["view"] = _store_view(open_oxigraph(store_dir))
    else:
        raise SystemExit(f"unknown mode {mode}")
    out["total_s"] = time.perf_counter() - started
    out["peak_mib"] = _peak_mib()
    return out


def run(mode: str, dump: Path | str, store_dir: Path | str) -> dict[str, Any]:
    cmd = [sys.executable, str(Path(__file__).resolve()), "--child", mode, str(dump), str(store_dir)]
    done = subprocess.run(cmd, capture_output=True, check=False, text=True)
    if done.returncode != 0:
        raise SystemExit(f"{mode} failed ({done.returncode}):\n{done.stderr}")
    result: dict[str, Any] = json.loads(done.stdout)
    print(f"  {mode}: {result['total_s']:.1f} s, peak {result['peak_mib']:.0f} MiB", file=sys.stderr)
    return result


def measure(label: str, target: int, work: Path, seed: int, engines: list[str]) -> dict[str, Any]:
    sys.path.insert(0, str(HERE))
    from synth import write

    dump = work / f"synth-{label}.nq"
    started = time.perf_counter()
    quads = write(target, dump, seed)
    print(
        f"{label}: wrote {quads:,} quads ({dump.stat().st_size / 2**20:.0f} MiB) in "
        f"{time.perf_counter() - started:.1f} s",
        file=sys.stderr,
    )
    store_dir, floor_dir = work / f"store-{label}", work / f"floor-{label}"
    results: dict[str, Any] = {"quads": quads, "mib": dump.stat().st_size / 2**20}
    for engine in engines:
        for mode in ENGINES[engine]:
            if mode != "view-rdflib" or quads <= VIEW_LIMIT:
                results[mode] = run(mode, dump, floor_dir if mode.startswith("floor") else store_dir)
    shutil.rmtree(floor_dir, ignore_errors=True)
    shutil.rmtree(store_dir, ignore_errors=True)
    if any(engine in SERVERS for engine in engines):
        nt = work / f"synth-{label}.nt"
        results["ntriples"] = to_ntriples(dump, nt)
        for engine in engines:
            if engine in SERVERS:
                server_dir = work / f"{engine}-{label}"
                server_dir.mkdir()
                measure_server = oxigraph_server if engine == "oxigraph-server" else virtuoso
                results[engine], results[f"view-{engine}"] = measure_server(nt, server_dir)
                shutil.rmtree(server_dir, ignore_errors=True)
        nt.unlink()
    dump.unlink()
    return results


def to_ntriples(dump: Path, nt: Path) -> dict[str, float]:
    """The dump's quads as triples (graph names dropped), for loading into one graph of a server."""
    import pyoxigraph as ox

    started = time.perf_counter()
    triples = 0

    def stream() -> Any:
        nonlocal triples
        for quad in ox.parse(path=dump, format=ox.RdfFormat.N_QUADS):
            triples += 1
            yield quad.triple

    ox.serialize(stream(), output=nt, format=ox.RdfFormat.N_TRIPLES)
    seconds = time.perf_counter() - started
    print(f"  n-triples: {triples:,} triples in {seconds:.1f} s", file=sys.stderr)
    return {"s": seconds, "triples": triples}


def store_servers() -> ModuleType:
    """tests/store_servers.py, imported by path as benchmarks/bench_serve.py does (it needs pytest)."""
    spec = importlib.util.spec_from_file_location("store_servers", HERE.parent / "tests" / "store_servers.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # its dataclasses look their module up there
    spec.loader.exec_module(module)
    return module


def hwm_mib(pid: int) -> float:
    """The peak resident memory of a running process (VmHWM), in MiB."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024  # kB
    raise RuntimeError(f"no VmHWM for process {pid}")


def disk_mib(directory: Path, pattern: str = "*") -> float:
    return sum(p.stat().st_size for p in directory.rglob(pattern) if p.is_file()) / 2**20


def count(url: str) -> int:
    from egovgraph.stores.remote import Endpoint

    return Endpoint(url).count(GRAPH, timeout=SERVER_TIMEOUT)


def remote_phase(engine: str, url: str, pid: int, load: dict[str, Any]) -> tuple[dict[str, Any], dict[str, Any]]:
    """The named queries, then the efa view, each from a fresh client; the server's peak memory after each."""
    load["triples"] = count(url)
    load["server_load_mib"] = hwm_mib(pid)
    print(
        f"  {engine}: {load['triples']:,} triples, loaded in {load['load_s']:.1f} s (peak "
        f"{load['load_peak_mib']:.0f} MiB), server peak {load['server_load_mib']:.0f} MiB",
        file=sys.stderr,
    )
    queries = run("remote-queries", url, GRAPH)
    load |= {"queries": queries["queries"], "server_peak_mib": hwm_mib(pid), "query_s": queries["total_s"]}
    view = run("view-remote", url, GRAPH)
    view["server_peak_mib"] = hwm_mib(pid)
    return load, view


def oxigraph_server(nt: Path, work: Path) -> tuple[dict[str, Any], dict[str, Any]]:
    """`oxigraph load` into ``GRAPH`` (timed, peak memory from wait4), then `oxigraph serve-read-only`."""
    stores = store_servers()
    exe, location, log = str(BIN / "oxigraph"), work / "db", work / "server.log"
    started = time.perf_counter()
    with log.open("wb") as out:
        loader = subprocess.Popen(
            [exe, "load", "--location", str(location), "--file", str(nt), "--graph", GRAPH],
            stdout=out,
            stderr=subprocess.STDOUT,
        )
    _, status, usage = os.wait4(loader.pid, 0)
    loader.returncode = os.waitstatus_to_exitcode(status)
    if loader.returncode != 0:
        raise SystemExit(f"oxigraph load failed ({loader.returncode}):\n{log.read_text()[-3000:]}")
    load: dict[str, Any] = {
        "load_s": time.perf_counter() - started,
        "load_peak_mib": usage.ru_maxrss / 1024,
        "disk_mib": disk_mib(location),
    }
    port = stores.free_port()
    with log.open("ab") as out:
        limit = os.environ.get(QUERY_TIMEOUT_ENV)
        server = subprocess.Popen(
            [
                exe,
                "serve-read-only",
                "--location",
                str(location),
                "--bind",
                f"127.0.0.1:{port}",
                *(["--timeout-s", str(round(float(limit)))] if limit else []),
            ],
            stdout=out,
            stderr=subprocess.STDOUT,
        )
    try:
        url = f"http://127.0.0.1:{port}/query"
        stores.wait_until_answers(url + stores.ASK, server, log)
        load["server_start_mib"] = hwm_mib(server.pid)
        return remote_phase("oxigraph-server", url, server.pid, load)
    finally:
        stores.stop(server)


def virtuoso(nt: Path, work: Path) -> tuple[dict[str, Any], dict[str, Any]]:
    """A private Virtuoso; its bulk loader reads the N-Triples into ``GRAPH`` (timed up to the checkpoint)."""
    stores = store_servers()
    exe, isql_exe = shutil.which("virtuoso-t"), shutil.which("isql-vt") or shutil.which("isql")
    if exe is None or isql_exe is None or not stores.VIRTUOSO_INI.is_file():
        raise SystemExit(
            "virtuoso: virtuoso-t, isql-vt or the distribution's virtuoso.ini is missing "
            "(apt-get install virtuoso-opensource), or leave it out of --engines"
        )
    with stores.virtuoso_instance(work, exe, isql_exe, allowed_dirs=[nt.parent], settings=VIRTUOSO_SETTINGS) as vt:

        def sql(text: str) -> str:
            return str(stores.isql(isql_exe, vt.sql_port, vt.dba_password, text, timeout=SERVER_TIMEOUT))

        start_mib = hwm_mib(vt.pid)
        started = time.perf_counter()
        sql(f"ld_dir('{nt.parent}', '{nt.name}', '{GRAPH}');")
        sql("rdf_loader_run();")
        sql("checkpoint;")
        load: dict[str, Any] = {"load_s": time.perf_counter() - started, "server_start_mib": start_mib}
        failed = sql("SELECT ll_file, ll_error FROM DB.DBA.LOAD_LIST WHERE ll_state <> 2 OR ll_error IS NOT NULL;")
        if "\n0 Rows." not in failed:
            raise SystemExit(f"virtuoso: the bulk loader failed:\n{failed}")
        load["load_peak_mib"] = hwm_mib(vt.pid)
        load["disk_mib"] = disk_mib(work, "virtuoso*.db")
        return remote_phase("virtuoso", vt.base + "/sparql", vt.pid, load)


def _mib(record: dict[str, Any], key: str) -> str:
    return f"{record[key]:.0f}" if key in record else ""


def report(all_results: dict[str, dict[str, Any]]) -> str:
    lines = [
        "## Load",
        "",
        "| size | store | load (s) | peak memory (MiB) | server peak after the queries (MiB) | on disk (MiB) |",
        "|---|---|--:|--:|--:|--:|",
    ]
    names = {
        "floor-mem": "pyoxigraph in memory (floor)",
        "floor-disk": "pyoxigraph on disk (floor)",
        "embedded": "embedded",
        "oxigraph-load": "oxigraph store: `egovgraph load`",
        "oxigraph": "oxigraph store: reopen",
        "oxigraph-server": "Oxigraph server: `oxigraph load`",
        "virtuoso": "Virtuoso: bulk loader",
    }
    for label, res in all_results.items():
        if "ntriples" in res:
            lines.append(
                f"| {label} ({res['quads']:,} quads) | N-Triples for the servers (not in their load) | "
                f"{res['ntriples']['s']:.2f} | | | |"
            )
        for mode, name in names.items():
            if mode in res:
                r = res[mode]
                lines.append(
                    f"| {label} ({res['quads']:,} quads) | {name} | {r['load_s']:.2f} | "
                    f"{r['load_peak_mib']:.0f} | {_mib(r, 'server_peak_mib')} | {_mib(r, 'disk_mib')} |"
                )
    engines = [
        (mode, name)
        for mode, name in (
            ("embedded", "embedded"),
            ("oxigraph", "oxigraph store"),
            ("oxigraph-server", "Oxigraph server"),
            ("virtuoso", "Virtuoso"),
        )
        if any(mode in res for res in all_results.values())
    ]
    has_floor = any("floor-mem" in res for res in all_results.values())
    has_disk = any("floor-disk" in res for res in all_results.values())
    head = "| size | query | rows |" + (" floor mem |" if has_floor else "") + (" floor disk |" if has_disk else "")
    for _, name in engines:
        head += f" {name} |" + (" ratio |" if has_floor else "")
    lines += [
        "",
        "## Named queries (seconds; ratio = store / in-memory floor; rows as the first column unless "
        "flagged ⚠; 'gave up' = past --query-timeout)",
        "",
        head,
        "|---|---|--:|" + "--:|" * (head.count("|") - 4),
    ]
    for label, res in all_results.items():
        measured = [mode for mode in ("floor-mem", *(m for m, _ in engines)) if mode in res]
        if not measured:
            continue
        for name in sorted(res[measured[0]]["queries"]):
            answered = [res[mode]["queries"][name]["rows"] for mode in measured]
            rows = next((n for n in answered if n >= 0), -1)  # the first that answered: the floor if measured
            line = f"| {label} | {name} | {rows} |"
            floor = res["floor-mem"]["queries"][name]["s"] if "floor-mem" in res else None
            if has_floor:
                line += f" {floor:.3f} |" if floor is not None else " |"
            if has_disk:
                line += f" {res['floor-disk']['queries'][name]['s']:.3f} |" if "floor-disk" in res else " |"
            for mode, _ in engines:
                q = res[mode]["queries"][name] if mode in res else None
                failed = q is not None and "error" in q
                if q is None:
                    cell = ""
                elif failed:
                    cell = f"> {q['s']:.0f} (gave up)"
                else:
                    cell = f"{q['s']:.3f}" + ("" if q["rows"] == rows else f" ⚠ {q['rows']} rows")
                line += f" {cell} |"
                if has_floor:
                    usable = q is not None and not failed and floor is not None
                    line += f" {q['s'] / max(floor or 0.0, 1e-4):.2f} |" if q is not None and usable else " |"
            lines.append(line)
    lines += [
        "",
        "## The efa view",
        "",
        "| size | how | load (s) | copy (s) | view (s) | peak memory (MiB) | server peak (MiB) | nodes | edges |",
        "|---|---|--:|--:|--:|--:|--:|--:|--:|",
    ]
    for label, res in all_results.items():
        for mode, name in (
            ("view-rdflib", "whole dump copied into rdflib (reference)"),
            ("view-embedded", "embedded store, slice by SPARQL"),
            ("view-oxigraph", "oxigraph store, slice by SPARQL"),
            ("view-oxigraph-server", "Oxigraph server, slice by SPARQL"),
            ("view-virtuoso", "Virtuoso, slice by SPARQL"),
        ):
            if mode in res:
                v = res[mode]["view"]
                load = f"{res[mode]['load_s']:.1f}" if "load_s" in res[mode] else ""
                lines.append(
                    f"| {label} | {name} | {load} | {v['copy_s']:.1f} | {v['view_s']:.1f} | "
                    f"{res[mode]['peak_mib']:.0f} | {_mib(res[mode], 'server_peak_mib')} | {v['nodes']} | "
                    f"{v['edges']} |"
                )
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--sizes", default="100k,1m", help="comma-separated: 100k, 1m, 10m")
    parser.add_argument("--engines", default=",".join(ENGINES), help=f"comma-separated: {', '.join(ENGINES)}")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument(
        "--query-timeout",
        type=float,
        metavar="SECONDS",
        help="servers only: give up a named query after this long (default: no limit)",
    )
    parser.add_argument("--json", type=Path, help="also write the raw figures as JSON")
    parser.add_argument(
        "--from-json",
        type=Path,
        nargs="+",
        metavar="JSON",
        help="measure nothing: print the report of earlier --json files (merged by size)",
    )
    parser.add_argument("--child", nargs=3, metavar=("MODE", "DUMP", "STORE"), help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        mode, dump, store = args.child
        print(json.dumps(child(mode, dump, store)))
        return
    if args.from_json:
        merged: dict[str, dict[str, Any]] = {}
        for path in args.from_json:
            for label, res in json.loads(path.read_text(encoding="utf-8")).items():
                merged.setdefault(label, {}).update(res)
        print(report(merged))
        return
    labels = [s.strip().lower() for s in args.sizes.split(",") if s.strip()]
    unknown = [s for s in labels if s not in SIZES]
    if unknown:
        parser.error(f"unknown size(s) {', '.join(unknown)}: choose from {', '.join(SIZES)}")
    engines = [e.strip().lower() for e in args.engines.split(",") if e.strip()]
    unknown = [e for e in engines if e not in ENGINES]
    if unknown or not engines:
        parser.error(f"unknown engine(s) {', '.join(unknown)}: choose from {', '.join(ENGINES)}")
    if args.query_timeout:
        os.environ[QUERY_TIMEOUT_ENV] = str(args.query_timeout)
    results = {}
    with tempfile.TemporaryDirectory(prefix="egovgraph-scale-") as tmp:
        for label in labels:
            results[label] = measure(label, SIZES[label], Path(tmp), args.seed, engines)
    if args.json:
        args.json.write_text(json.dumps(results, indent=1), encoding="utf-8")
    print(report(results))


if __name__ == "__main__":
    main()
