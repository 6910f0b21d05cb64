"""The pool of forked query workers: in process on the bundled store, and inside a running server.

Checked: queries in parallel, a timed-out query leaves a parallel one alone and only its worker is
replaced, a killed worker is a 500 and is replaced, and no worker outlives the pool or the server.
"""

from __future__ import annotations

import os
import signal
import sys
import threading
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import httpx
import pytest
from test_server import SLOW, Server, running_server

from egovgraph.errors import PoolBusy, QueryError, QueryTimeout, WorkerCrashed
from egovgraph.graph.oxigraph import open_store
from egovgraph.sparql.pool import WorkerPool
from egovgraph.sparql.run import prepare
from store_servers import stop

pytestmark = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="the pool forks (Linux only)")

COUNT_LANDS = "SELECT (COUNT(DISTINCT ?l) AS ?n) WHERE { ?l a egov:Land }"


def children(pid: int) -> set[int]:
    """The live (not zombie) child processes of ``pid``, read from /proc."""
    found = set()
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue
        fields = stat.rsplit(")", 1)[1].split()
        if int(fields[1]) == pid and fields[0] != "Z":
            found.add(int(entry.name))
    return found


def alive(pid: int) -> bool:
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return False
    return stat.rsplit(")", 1)[1].split()[0] != "Z"


def gone(pids: set[int], within: float = 10.0) -> bool:
    deadline = time.monotonic() + within
    while time.monotonic() < deadline:
        if not any(alive(p) for p in pids):
            return True
        time.sleep(0.05)
    return False


# --------------------------------------------------------------------------- in process


@pytest.fixture(scope="module")
def pool() -> Iterator[WorkerPool]:
    with WorkerPool(open_store(), 2).serving() as running:
        yield running


def _count(pool: WorkerPool) -> int:
    result = pool.execute(prepare(COUNT_LANDS), timeout=10, limit=10)
    return int(result.solutions[0][0].value)


def test_pool_answers_like_execute(pool: WorkerPool) -> None:
    from egovgraph.sparql.run import execute

    for query in (
        COUNT_LANDS,
        "ASK { land:bremen a egov:Land }",
        "CONSTRUCT WHERE { land:bremen rdfs:label ?l }",
        "SELECT ?l WHERE { land:bremen rdfs:label ?l } ORDER BY ?l",
    ):
        prepared = prepare(query)
        ours = pool.execute(prepared, timeout=10, limit=100)
        theirs = execute(prepared, pool.store, timeout=10, limit=100)
        assert (ours.form, ours.variables, ours.solutions, ours.boolean, set(ours.triples)) == (
            theirs.form,
            theirs.variables,
            theirs.solutions,
            theirs.boolean,
            set(theirs.triples),
        )
    with pytest.raises(QueryError, match="syntax error"):
        pool.execute(prepare("SELECT * WHERE { ?s ?p ?o } LIMT 3"), timeout=10, limit=10)
    capped = pool.execute(prepare("SELECT * WHERE { ?s ?p ?o }"), timeout=10, limit=5)
    assert len(capped.solutions) == 5 and capped.truncated


def test_pool_runs_queries_in_parallel(pool: WorkerPool) -> None:
    with ThreadPoolExecutor(8) as threads:
        counts = list(threads.map(lambda _: _count(pool), range(40)))
    assert counts == [16] * 40
    assert len(pool.pids()) == 2


def _slow(pool: WorkerPool, timeout: float, failures: list[BaseException]) -> threading.Thread:
    """A started thread running SLOW in the pool; what it raises goes into ``failures``."""

    def run() -> None:
        try:
            pool.execute(prepare(SLOW), timeout=timeout, limit=10)
        except BaseException as err:
            failures.append(err)

    thread = threading.Thread(target=run)
    thread.start()
    return thread


def test_timeout_kills_only_its_worker(pool: WorkerPool) -> None:
    before = set(pool.pids())
    failures: list[BaseException] = []
    thread = _slow(pool, 1.5, failures)
    time.sleep(0.2)
    started = time.monotonic()
    while thread.is_alive():  # the other worker answers meanwhile, quickly
        t0 = time.monotonic()
        assert _count(pool) == 16
        assert time.monotonic() - t0 < 1.0
    thread.join()
    assert len(failures) == 1 and isinstance(failures[0], QueryTimeout)
    assert "did not finish within 1.5 s" in str(failures[0])
    assert time.monotonic() - started < 5
    after = set(pool.pids())
    assert len(after) == 2 and len(before & after) == 1  # one replaced, one kept
    assert _count(pool) == 16


def test_waiting_for_a_worker_counts_toward_the_limit(pool: WorkerPool) -> None:
    """With every worker busy, a query waits only as long as its own time limit, then is refused as busy."""
    failures: list[BaseException] = []
    threads = [_slow(pool, 5, failures) for _ in range(pool.size)]
    time.sleep(1.0)  # both workers are taken by SLOW now, for about 4 s more
    started = time.monotonic()
    with pytest.raises(PoolBusy, match=r"all 2 query processes were busy .* time limit of 0\.8 s"):
        pool.execute(prepare(COUNT_LANDS), timeout=0.8, limit=10)
    assert 0.75 < time.monotonic() - started < 2.0
    for thread in threads:
        thread.join()
    assert len(failures) == 2 and all(isinstance(f, QueryTimeout) for f in failures)
    assert _count(pool) == 16  # the replaced workers answer


def test_killed_worker_is_an_error_and_replaced(pool: WorkerPool) -> None:
    failures: list[BaseException] = []
    before = set(pool.pids())
    thread = _slow(pool, 30, failures)
    time.sleep(0.5)
    for pid in before:  # the one running SLOW and the idle one
        os.kill(pid, signal.SIGKILL)
    thread.join(10)
    assert not thread.is_alive()
    assert len(failures) == 1 and isinstance(failures[0], WorkerCrashed)
    assert "killed by SIGKILL" in str(failures[0])
    assert _count(pool) == 16  # the idle dead one is replaced without losing a query
    assert len(pool.pids()) == 2 and not set(pool.pids()) & before


def test_close_leaves_no_worker() -> None:
    own = WorkerPool(open_store(), 3)
    own.start()
    pids = set(own.pids())
    assert len(pids) == 3 and pids <= children(os.getpid())
    own.close()
    assert gone(pids)
    assert not pids & children(os.getpid())
    # closed: queries are still answered (one forked child each, as egovgraph query does)
    assert _count(own) == 16


# --------------------------------------------------------------------------- in a running server


@pytest.fixture(scope="module")
def pooled(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    with running_server(
        tmp_path_factory.mktemp("pooled"), "--workers", "2", "--lane-workers", "0", "--no-cache", timeout=3
    ) as running:
        yield running


def _ask(server: Server) -> httpx.Response:
    return server.get("/sparql", params={"query": COUNT_LANDS}, headers={"Accept": "application/json"})


def test_server_forks_the_workers_once(pooled: Server) -> None:
    workers = children(pooled.process.pid)
    assert len(workers) == 2
    with ThreadPoolExecutor(10) as threads:
        replies = list(threads.map(lambda _: _ask(pooled), range(60)))
    assert {r.status_code for r in replies} == {200}
    assert children(pooled.process.pid) == workers  # no fork per query


def test_server_timeout_leaves_a_parallel_query_alone(pooled: Server) -> None:
    before = children(pooled.process.pid)
    with ThreadPoolExecutor(1) as threads:
        slow = threads.submit(pooled.get, "/sparql", params={"query": SLOW})
        time.sleep(0.3)
        while not slow.done():
            t0 = time.monotonic()
            reply = _ask(pooled)
            assert reply.status_code == 200 and reply.json()["results"]["bindings"][0]["n"]["value"] == "17"
            assert time.monotonic() - t0 < 1.0
        late = slow.result()
        assert late.status_code == 422 and "did not finish within 3 s" in late.text
    after = children(pooled.process.pid)
    assert len(after) == 2 and len(before & after) == 1
    pooled.alive()


def test_server_killed_worker_is_a_500_then_recovers(pooled: Server) -> None:
    before = children(pooled.process.pid)
    with ThreadPoolExecutor(1) as threads:
        slow = threads.submit(pooled.get, "/sparql", params={"query": SLOW})
        time.sleep(0.5)
        for pid in before:
            os.kill(pid, signal.SIGKILL)
        reply = slow.result()
    assert reply.status_code == 500 and reply.headers["content-type"].startswith("text/plain")
    assert "ended without an answer (killed by SIGKILL)" in reply.text and "keeps serving" in reply.text
    assert _ask(pooled).status_code == 200
    pooled.alive()
    after = children(pooled.process.pid)
    assert len(after) == 2 and not after & before


@pytest.mark.parametrize("how", ["SIGTERM", "SIGKILL"])
def test_no_worker_outlives_the_server(tmp_path: Path, how: str) -> None:
    with running_server(tmp_path, "--workers", "2", "--lane-workers", "0") as running:
        assert _ask(running).status_code == 200
        workers = children(running.process.pid)
        assert len(workers) == 2
        if how == "SIGKILL":  # no shutdown code runs: the workers see the end of their pipes
            running.process.kill()
            running.process.wait(10)
        else:
            stop(running.process)
            assert running.process.returncode is not None
        assert gone(workers), [p for p in workers if alive(p)]


@pytest.mark.parametrize("fmt", ["json", "xml", "csv", "tsv"])
def test_workers_write_the_answer_the_server_used_to_write(pool: WorkerPool, fmt: str) -> None:
    """The worker writes the final document (issue 14, item 13): the same answer as rendering it here."""
    import io

    from rdflib.query import Result

    from egovgraph.sparql.results import render

    def parsed(body: bytes) -> object:
        result = Result.parse(io.BytesIO(body), format=fmt)
        return result.askAnswer if result.type == "ASK" else sorted(map(str, result.bindings))

    for text in (
        "SELECT ?l ?n WHERE { land:bremen rdfs:label ?l BIND(STRLEN(?l) AS ?n) } ORDER BY ?l",
        "ASK { land:bremen a egov:Land }",
    ):
        prepared = prepare(text)
        if prepared.form == "ASK" and fmt in ("csv", "tsv"):
            continue  # SPARQL defines no CSV or TSV for a boolean (rdflib cannot read ours back)
        written = pool.answer(prepared, fmt, timeout=10, limit=100)
        here = render(pool.execute(prepared, timeout=10, limit=100), fmt).encode("utf-8")
        assert parsed(written.body) == parsed(here)
    capped = pool.answer(prepare("SELECT * WHERE { ?s ?p ?o }"), fmt, timeout=10, limit=5)
    assert capped.truncated and capped.count == 5
    whole = pool.answer(prepare("SELECT * WHERE { ?s ?p ?o } LIMIT 7"), fmt, timeout=10, limit=100)
    assert not whole.truncated and whole.count == 7


def test_light_by_shape() -> None:
    from egovgraph.sparql.pool import light

    for text in (
        "ASK { land:bremen a egov:Land }",
        "SELECT * WHERE { ?s rdfs:label ?l } LIMIT 5",
        "SELECT ?x WHERE { ?x egov:year ?y FILTER(?y + 1 > 2020) }",
        "DESCRIBE land:bremen",
    ):
        assert light(prepare(text)), text
    for text in (
        COUNT_LANDS,
        "SELECT DISTINCT ?s WHERE { ?s ?p ?o }",
        "SELECT ?s WHERE { ?s ?p ?o } ORDER BY ?s",
        "SELECT ?s WHERE { ?s rdfs:subClassOf+ ?o }",
        "SELECT ?s WHERE { ?s (rdfs:subClassOf|a)* ?o }",
        "SELECT ?s WHERE { { SELECT ?s WHERE { ?s ?p ?o } } }",
    ):
        assert not light(prepare(text)), text
