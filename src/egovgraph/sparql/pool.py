"""The server's pool of long-lived query workers, with a lane for light queries.

``egovgraph.sparql.run.execute`` forks a :class:`~egovgraph.sparql.deadline.Worker` for every query; the
server instead forks N workers once, after the store is loaded (they see it copy-on-write), and sends
each query to an idle one. When a query passes its deadline only its worker is killed and a new one is
forked; a worker that dies on its own (the OOM killer) makes its query a clear error
(:class:`WorkerCrashed`, a 500) and is replaced too.

**The lane.** Heavy queries can occupy every general worker for seconds; ``lane`` more workers take only
queries that are light by their shape (:func:`light`: no aggregate, grouping, ordering, DISTINCT,
sub-select or path closure), so an ASK or a lookup is answered at once. A light query takes a general
worker when one is idle, else a lane worker; in the lane it has :data:`~egovgraph.defaults.LANE_BUDGET`
seconds, after which its lane worker is replaced and the query goes on in the general pool with the rest
of its time (a query that only looked light cannot hold the lane).

**Rendering in the worker.** :meth:`WorkerPool.answer` has the worker write the finished answer (SPARQL
JSON, XML, CSV, TSV, Turtle ...): the bytes cross the pipe once, and the server's one process only copies
them out. Serialising in the server's process was where most of its time went under load.

Workers never outlive the server: each keeps only its own two pipe ends (see ``Worker.fork``), so the
server's exit is an end of file on its request pipe; ``close()`` kills and reaps them all.
"""

from __future__ import annotations

import contextlib
import logging
import threading
import time
from collections import deque
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from typing import IO, TYPE_CHECKING, cast

from egovgraph.defaults import LANE_BUDGET
from egovgraph.errors import EgovGraphError, FormatUnavailable, PoolBusy, QueryTimeout, WorkerCrashed
from egovgraph.sparql import deadline
from egovgraph.sparql.deadline import Dataset, Job, Outcome, Worker, WorkerLost, describe, timeout_error
from egovgraph.sparql.run import QueryResult, ok_result, result_of
from egovgraph.sparql.text import QueryText
from egovgraph.sparql.tokens import tokenize
from egovgraph.sparql.values import QUERY_PREFIXES

if TYPE_CHECKING:
    import pyoxigraph

__all__ = ["Dataset", "Rendered", "WorkerPool", "light", "query_timeout"]

log = logging.getLogger("egovgraph.sparql.pool")

_HEAVY_WORDS = frozenset(
    {"COUNT", "SUM", "AVG", "MIN", "MAX", "GROUP_CONCAT", "SAMPLE", "GROUP", "ORDER", "DISTINCT", "REDUCED"}
)


def query_timeout(timeout: float) -> QueryTimeout:
    """The server's deadline error (no --timeout advice: the client cannot change the server's limit)."""
    return timeout_error(timeout)


def light(prepared: QueryText) -> bool:
    """Whether a query is light by its shape: no aggregate, grouping, ordering, DISTINCT, nested SELECT or
    ``*`` / ``+`` path closure. It may still be slow (the lane's time budget covers that)."""
    selects = 0
    before_kind = before_text = ""
    for kind, text, _ in tokenize(prepared.text):
        if kind == "word":
            word = text.upper()
            if word in _HEAVY_WORDS:
                return False
            selects += word == "SELECT"
        # after an IRI, a prefixed name, `a` or `)`: a path closure (p+, (p|q)*); else arithmetic or SELECT *
        elif (text == "*" or text == "+") and (before_kind in ("iri", "pname") or before_text in (")", "a")):
            return False
        before_kind, before_text = kind, text
    return selects <= 1


@dataclass(frozen=True)
class Rendered:
    """A finished answer, written by the worker: the body in the asked format."""

    form: str
    body: bytes
    truncated: bool
    limit: int | None
    #: Rows or triples in the answer (for ASK 1 when true, 0 when false).
    count: int = 0


#: Bytes an answer written by pyoxigraph's own serialiser may have; a larger one is written again the slow way,
#: collected row by row up to the row limit (so a huge result never sits whole in a worker's memory).
NATIVE_BOUND = 16 * 1024 * 1024


#: What separates two rows in pyoxigraph's JSON, CSV and TSV result documents. Counted as the answer is written
#: (it may also occur inside a value, never less often than there are rows, so the count is an upper bound).
_ROW_MARKS = {"json": b"},{", "csv": b"\n", "tsv": b"\n"}


class _Bounded:
    """A binary sink for pyoxigraph's serialiser that gives up past ``limit`` rows or ``NATIVE_BOUND`` bytes."""

    def __init__(self, fmt: str, limit: int | None) -> None:
        self.parts: list[bytes] = []
        self.size = 0
        self.mark, self.limit = _ROW_MARKS[fmt], limit
        self.marks = 0
        self._tail = b""

    def write(self, data: bytes) -> int:
        chunk = bytes(data)
        self.size += len(chunk)
        if self.size > NATIVE_BOUND:
            raise OverflowError("the answer is larger than NATIVE_BOUND")
        seen = self._tail + chunk
        self.marks += seen.count(self.mark) - self._tail.count(self.mark)
        self._tail = seen[-(len(self.mark) - 1) :] if len(self.mark) > 1 else b""
        if self.limit is not None and self.marks > self.limit + 1:  # more rows than the limit: collect them
            raise OverflowError("more rows than the limit")
        self.parts.append(chunk)
        return len(chunk)

    def flush(self) -> None:
        """Nothing is buffered."""


def handle(store: pyoxigraph.Store, job: Job, prefixes: Mapping[str, str]) -> Outcome:
    """In the worker: evaluate a job and write its answer in ``job.fmt``.

    SELECT answers in JSON, CSV and TSV and ASK answers in JSON are written by pyoxigraph's serialiser (in
    Rust, three times faster than writing them row by row in Python, which was most of a worker's time);
    when that answer has more rows than the limit, or is over ``NATIVE_BOUND``, the job is evaluated again
    and collected up to the limit. Everything else: :func:`evaluate`, then :func:`finish`.
    """
    if job.fmt is not None and (job.form, job.fmt) in _NATIVE:
        written = _native(store, job, prefixes)
        if written is not None:
            return written
    return finish(deadline.evaluate(store, job, prefixes), job)


_NATIVE = {("SELECT", "json"), ("SELECT", "csv"), ("SELECT", "tsv"), ("ASK", "json")}


def _native(store: pyoxigraph.Store, job: Job, prefixes: Mapping[str, str]) -> Outcome | None:
    import pyoxigraph as ox

    try:
        result = store.query(job.text, **deadline.query_options(job, prefixes))
        if isinstance(result, ox.QueryBoolean):
            body = result.serialize(format=ox.QueryResultsFormat.JSON)
            return ("rendered", ("ASK", body, False, int(bool(result))))
        if not isinstance(result, ox.QuerySolutions):
            return None
        sink = _Bounded(job.fmt or "", job.limit)
        native = getattr(ox.QueryResultsFormat, (job.fmt or "").upper())
        result.serialize(cast("IO[bytes]", sink), format=native)  # it only calls write() and flush()
    except Exception:  # a syntax error, an engine error, a result over the bound: the slow way says which
        return None
    body = b"".join(sink.parts)
    count = _rows(body, job.fmt or "")
    if job.limit is not None and count > job.limit:
        return None
    return ("rendered", ("SELECT", body, False, count))


def _rows(body: bytes, fmt: str) -> int:
    """The rows of a SPARQL JSON, CSV or TSV result document."""
    if fmt == "json":
        import json

        return len(json.loads(body)["results"]["bindings"])
    if fmt == "tsv":  # literals are written in Turtle syntax: a line break inside one is escaped
        return body.count(b"\n") - 1
    import csv
    import io

    return sum(1 for _ in csv.reader(io.StringIO(body.decode("utf-8"), newline=""))) - 1


def finish(outcome: Outcome, job: Job) -> Outcome:
    """In the worker: render an answer in ``job.fmt`` (or pack it for the pipe when there is no format)."""
    from egovgraph.sparql.results import encode

    status, payload = outcome
    if job.fmt is None or status != "ok":
        return deadline.pack(outcome)
    result = ok_result(payload, job.form, job.limit)
    try:
        body = encode(result, job.fmt, job.base_iri)
    except FormatUnavailable as err:
        return ("unavailable", str(err))
    count = int(bool(result.boolean)) if result.form == "ASK" else len(result)
    return ("rendered", (result.form, body, result.truncated, count))


class WorkerPool:
    """``size`` general and ``lane`` light-query workers evaluating queries on one store.

    Until ``start()`` (and where fork is not available) each query forks its own worker, as ``execute`` does.
    """

    def __init__(
        self,
        store: pyoxigraph.Store,
        size: int,
        *,
        lane: int = 0,
        prefixes: Mapping[str, str] = QUERY_PREFIXES,
        reopen: Callable[[], pyoxigraph.Store] | None = None,
        base_iri: str | None = None,
    ) -> None:
        if size < 1:
            raise EgovGraphError(f"the query worker pool needs at least 1 worker, not {size}")
        if lane < 0:
            raise EgovGraphError(f"the light-query lane cannot have {lane} workers")
        self.store, self.size, self.lane, self.prefixes = store, size, lane, dict(prefixes)
        self.reopen, self.base_iri = reopen, base_iri
        self._idle: deque[Worker] = deque()  # first in, first out: every worker gets used (and checked)
        self._lane_idle: deque[Worker] = deque()
        self._workers: dict[int, tuple[Worker, bool]] = {}  # pid -> the worker, whether it is the lane's
        self._cond = threading.Condition()
        self._running = False

    @property
    def running(self) -> bool:
        return self._running

    def pids(self) -> list[int]:
        """The process ids of the live workers, lane included (for tests and monitoring)."""
        with self._cond:
            return sorted(self._workers)

    def start(self) -> None:
        """Fork the workers (call it once the store is loaded, best before any thread is started)."""
        import gc

        if self._running or not deadline.FORK:
            return
        gc.freeze()  # keep the collector from touching (and so copying) the loaded objects in every worker
        self._running = True
        for in_lane in [False] * self.size + [True] * self.lane:
            self._respawn(in_lane)

    def close(self) -> None:
        """Kill and reap every worker; queries fork a worker each afterwards."""
        with self._cond:
            self._running = False
            workers = [worker for worker, _ in self._workers.values()]
            self._idle.clear()
            self._lane_idle.clear()
            self._workers.clear()
            self._cond.notify_all()
        for worker in workers:
            worker.end()

    @contextlib.contextmanager
    def serving(self) -> Iterator[WorkerPool]:
        self.start()
        try:
            yield self
        finally:
            self.close()

    def execute(
        self, prepared: QueryText, *, timeout: float, limit: int | None, dataset: Dataset = None
    ) -> QueryResult:
        """Evaluate a prepared query in a worker, stopped after ``timeout`` seconds, capped at ``limit`` rows."""
        outcome = deadline.unpack(self._outcome(prepared, self._job(prepared, limit, dataset, None), timeout))
        return result_of(outcome, prepared, limit)

    def answer(
        self, prepared: QueryText, fmt: str, *, timeout: float, limit: int | None, dataset: Dataset = None
    ) -> Rendered:
        """Like :meth:`execute`, but the worker writes the answer in ``fmt`` (a key of the media-type tables)."""
        outcome = self._outcome(prepared, self._job(prepared, limit, dataset, fmt), timeout)
        status, payload = outcome
        if status == "rendered":
            return Rendered(payload[0], payload[1], payload[2], limit, payload[3])
        if status == "unavailable":
            raise FormatUnavailable(payload)
        result_of(deadline.unpack(outcome), prepared, limit)  # raises the query's error
        raise WorkerCrashed(f"the query worker answered {status!r} where a rendered answer was expected")

    def _job(self, prepared: QueryText, limit: int | None, dataset: Dataset, fmt: str | None) -> Job:
        own = bool(prepared.from_graphs) and dataset is None
        return Job(prepared.text, limit, dataset, own, self.base_iri, fmt, prepared.form)

    # ------------------------------------------------------------------ scheduling

    def _outcome(self, prepared: QueryText, job: Job, timeout: float) -> Outcome:
        if not self._running:
            outcome = deadline.run(self.store, job, timeout, prefixes=self.prefixes)
            return finish(outcome, job) if job.fmt is not None else outcome  # unpacked: finish() renders it
        until = time.monotonic() + timeout  # the time limit counts from the request, waiting included
        lane_ok = self.lane > 0 and light(prepared)
        while True:
            worker, in_lane = self._take(lane_ok, until, timeout)
            try:
                outcome = worker.ask(job, min(until, time.monotonic() + LANE_BUDGET) if in_lane else until)
            except TimeoutError:
                self._replace(worker, in_lane)
                if in_lane and time.monotonic() < until:
                    lane_ok = False  # over the lane's budget: go on in the general pool
                    continue
                raise query_timeout(timeout) from None
            except WorkerLost:
                status = self._replace(worker, in_lane)
                raise WorkerCrashed(
                    f"the query process ended without an answer ({describe(status)}); it may have run "
                    "out of memory. A new one was started: the server keeps serving"
                ) from None
            self._give_back(worker, in_lane)
            return outcome

    def _take(self, lane_ok: bool, until: float, timeout: float) -> tuple[Worker, bool]:
        """An idle worker (a general one first; the lane's only for light queries) and whether it is the lane's.

        One that died while idle is replaced silently (no query was lost). :class:`PoolBusy` when none is
        free before ``until``.
        """
        dead = 0
        while True:
            with self._cond:
                while True:
                    if not self._running:
                        raise WorkerCrashed("the server is shutting down: no query worker is left")
                    if self._idle:
                        worker, in_lane = self._idle.popleft(), False
                        break
                    if lane_ok and self._lane_idle:
                        worker, in_lane = self._lane_idle.popleft(), True
                        break
                    left = until - time.monotonic()
                    if left <= 0:
                        raise PoolBusy(
                            f"all {self.size} query processes were busy with other queries for the whole "
                            f"time limit of {timeout:g} s: try again shortly"
                        )
                    self._cond.wait(min(0.5, left))
            status = worker.poll()
            if status is None:
                return worker, in_lane
            log.warning("query worker %d ended while idle (%s); starting a new one", worker.pid, describe(status))
            if self._forget(worker):
                worker.close_pipes()
            dead += 1
            if dead > 2 * (self.size + self.lane):  # new ones die too: do not fork forever
                raise WorkerCrashed(
                    f"{dead} query workers in a row ended before they were given a query "
                    f"(the last: {describe(status)}): the server cannot evaluate queries now"
                )
            self._respawn(in_lane)

    def _give_back(self, worker: Worker, in_lane: bool) -> None:
        with self._cond:
            if worker.pid in self._workers:
                (self._lane_idle if in_lane else self._idle).append(worker)
                self._cond.notify_all()
                return
        worker.end()  # closed meanwhile

    def _replace(self, worker: Worker, in_lane: bool) -> int:
        """Kill a worker, reap it and start another in its place; its exit status."""
        status = worker.end() if self._forget(worker) else -1
        self._respawn(in_lane)
        return status

    def _respawn(self, in_lane: bool) -> None:
        if not self._running:
            return
        worker = Worker.fork(self.store, prefixes=self.prefixes, reopen=self.reopen, handle=handle)
        with self._cond:
            if self._running:
                self._workers[worker.pid] = (worker, in_lane)
                (self._lane_idle if in_lane else self._idle).append(worker)
                self._cond.notify_all()
                return
        worker.end()  # closed while it was forked: it must not outlive the pool

    def _forget(self, worker: Worker) -> bool:
        """Take a worker out of the pool; False if it was not in it (close() ends it)."""
        with self._cond:
            return self._workers.pop(worker.pid, None) is not None
