"""A pool of long-lived forked query workers: the server's SPARQL evaluation without a fork per query.

``egovgraph.sparql.run.execute`` forks a child for every query so that a runaway query can be killed; the
fork and the pipe cost about 12 ms, ten times the evaluation of a typical query. The server instead
forks N workers once, after the store is loaded (they see it copy-on-write), and sends each query to an
idle one over a pipe. The answer is the packed outcome ``sparql.execute`` uses (``_guarded``,
``_pack``, ``_unpack``). When a query passes its deadline only its worker is killed (SIGKILL) and a new
one is forked; a worker that dies on its own (the OOM killer) makes its query a clear error
(:class:`WorkerCrashed`, a 500) and is replaced too.

Workers never outlive the server: each keeps only its own two pipe ends (every other inherited file
descriptor, the listening socket included, is closed), so the server's exit is an end-of-file on its
request pipe and the worker leaves; an alarm set for each query ends a worker a little after the
deadline even if nobody is left to kill it; ``close()`` kills and reaps them all.
"""

from __future__ import annotations

import contextlib
import functools
import logging
import os
import pickle
import queue
import select
import signal
import struct
import sys
import threading
import time
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, NoReturn, cast

from egovgraph.errors import EgovGraphError, PoolBusy, QueryTimeout, WorkerCrashed
from egovgraph.sparql.run import QueryResult, _evaluate, _guarded, _pack, _unpack, execute, result_of
from egovgraph.sparql.text import QUERY_PREFIXES, QueryText

if TYPE_CHECKING:
    import pyoxigraph

#: Seconds past its query's deadline after which a worker ends itself (if the server could not kill it).
ALARM_GRACE = 2.0
_FORK = sys.platform.startswith("linux") and hasattr(os, "fork")
_HEADER = struct.Struct("!Q")

log = logging.getLogger("egovgraph.sparql.pool")

#: The protocol dataset of a query: (default graph IRIs, named graph IRIs), or None for the union of all.
Dataset = tuple[tuple[str, ...], tuple[str, ...]] | None


def query_timeout(timeout: float) -> QueryTimeout:
    return QueryTimeout(
        f"the query did not finish within {timeout:g} s and was stopped: make it more selective "
        "(fewer unconnected patterns, a LIMIT)"
    )


class ScopedStore:
    """The store as one query sees it: the server's prefixes and the protocol's RDF dataset.

    ``sparql._evaluate`` calls ``store.query(text, prefixes=QUERY_PREFIXES, use_default_graph_as_union=True)``;
    this wrapper swaps in the prefixes of the served base IRI (``land:`` follows ``--base-iri``) and, for
    ``default-graph-uri`` / ``named-graph-uri``, the requested graphs instead of the union.
    """

    def __init__(self, store: pyoxigraph.Store, prefixes: Mapping[str, str], dataset: Dataset = None) -> None:
        self.store, self.prefixes, self.dataset = store, dict(prefixes), dataset

    def query(self, query: str, **options: Any) -> Any:
        import pyoxigraph as ox

        options["prefixes"] = self.prefixes
        if self.dataset is None:
            return self.store.query(query, **options)
        default, named = self.dataset
        options.pop("use_default_graph_as_union", None)
        return self.store.query(
            query,
            default_graph=[ox.NamedNode(g) for g in default],
            named_graphs=[ox.NamedNode(g) for g in named] if named else None,
            **options,
        )


@dataclass(frozen=True)
class _Worker:
    pid: int
    requests: int  # the pipe end the server writes queries to
    answers: int  # the pipe end the server reads answers from


class WorkerPool:
    """N forked workers evaluating queries on one store; ``execute`` is ``sparql.execute`` without the fork.

    Until ``start()`` (and where fork is not available) ``execute`` falls back to ``sparql.execute``.
    """

    def __init__(
        self,
        store: pyoxigraph.Store,
        size: int,
        *,
        prefixes: Mapping[str, str] = QUERY_PREFIXES,
        reopen: Callable[[], pyoxigraph.Store] | None = None,
    ) -> None:
        if size < 1:
            raise EgovGraphError(f"the query worker pool needs at least 1 worker, not {size}")
        self.store, self.size, self.prefixes, self.reopen = store, size, dict(prefixes), reopen
        self._idle: queue.SimpleQueue[_Worker] = queue.SimpleQueue()
        self._workers: dict[int, _Worker] = {}
        self._lock = threading.Lock()
        self._running = False

    @property
    def running(self) -> bool:
        return self._running

    def pids(self) -> list[int]:
        """The process ids of the live workers (for tests and monitoring)."""
        with self._lock:
            return sorted(self._workers)

    def start(self) -> None:
        """Fork the workers (call it once the store is loaded, best before any thread is started)."""
        import gc

        if self._running or not _FORK:
            return
        gc.freeze()  # keep the collector from touching (and so copying) the loaded objects in every worker
        self._running = True
        for _ in range(self.size):
            self._respawn()

    def close(self) -> None:
        """Kill and reap every worker; ``execute`` falls back to ``sparql.execute`` afterwards."""
        with self._lock:
            self._running = False
            workers = list(self._workers.values())
            self._workers.clear()
        for worker in workers:
            self._end(worker)

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
        if not self._running:
            from egovgraph.errors import QueryError

            try:
                return execute(
                    prepared,
                    cast("pyoxigraph.Store", ScopedStore(self.store, self.prefixes, dataset)),
                    timeout=timeout,
                    limit=limit,
                )
            except QueryTimeout:
                raise query_timeout(timeout) from None
            except QueryError:
                raise
            except EgovGraphError as err:  # the forked child of sparql.execute ended without an answer
                raise WorkerCrashed(str(err)) from None
        deadline = time.monotonic() + timeout  # the time limit counts from the request, waiting included
        worker = self._take(deadline, timeout)
        left = max(deadline - time.monotonic(), 0.001)
        message = pickle.dumps((prepared.text, limit, dataset, left), protocol=pickle.HIGHEST_PROTOCOL)
        return result_of(_unpack(pickle.loads(self._ask(worker, message, deadline, timeout))), prepared, limit)

    # ------------------------------------------------------------------ server side

    def _ask(self, worker: _Worker, message: bytes, deadline: float, timeout: float) -> bytes:
        try:
            _send(worker.requests, message)
            answer = _receive(worker.answers, deadline=deadline)
        except TimeoutError:
            self._replace(worker)
            raise query_timeout(timeout) from None
        except OSError:  # a broken pipe: the worker was already gone
            answer = None
        if answer is None:
            status = self._replace(worker)
            raise WorkerCrashed(
                f"the query process ended without an answer ({_describe(status)}); it may have run "
                "out of memory. A new one was started: the server keeps serving"
            )
        self._idle.put(worker)
        return answer

    def _take(self, deadline: float, timeout: float) -> _Worker:
        """An idle worker; one that died while idle is replaced silently (no query was lost).

        :class:`PoolBusy` when none is free before ``deadline`` (every worker is busy with other queries).
        """
        dead = 0
        while True:
            left = deadline - time.monotonic()
            if left <= 0:
                raise PoolBusy(
                    f"all {self.size} query processes were busy with other queries for the whole time "
                    f"limit of {timeout:g} s: try again shortly"
                )
            try:
                worker = self._idle.get(timeout=min(0.5, left))
            except queue.Empty:
                if not self._running:
                    raise WorkerCrashed("the server is shutting down: no query worker is left") from None
                continue
            with self._lock:
                if worker.pid not in self._workers:  # ended by close()
                    continue
            try:
                pid, status = os.waitpid(worker.pid, os.WNOHANG)
            except ChildProcessError:
                pid, status = worker.pid, -1
            if pid == 0:
                return worker
            log.warning("query worker %d ended while idle (%s); starting a new one", worker.pid, _describe(status))
            if self._forget(worker):
                self._close_pipes(worker)
            dead += 1
            if dead > 2 * self.size:  # new ones die too: do not fork forever
                raise WorkerCrashed(
                    f"{dead} query workers in a row ended before they were given a query "
                    f"(the last: {_describe(status)}): the server cannot evaluate queries now"
                )
            self._respawn()

    def _replace(self, worker: _Worker) -> int:
        """Kill a worker, reap it and start another in its place; its exit status."""
        status = self._end(worker) if self._forget(worker) else -1
        self._respawn()
        return status

    def _respawn(self) -> None:
        if not self._running:
            return
        worker = self._spawn()
        with self._lock:
            if self._running:
                self._workers[worker.pid] = worker
                self._idle.put(worker)
                return
        self._end(worker)  # closed while it was forked: it must not outlive the pool

    def _forget(self, worker: _Worker) -> bool:
        """Take a worker out of the pool; False if it was not in it (close() ends it)."""
        with self._lock:
            return self._workers.pop(worker.pid, None) is not None

    @staticmethod
    def _close_pipes(worker: _Worker) -> None:
        for fd in (worker.requests, worker.answers):
            with contextlib.suppress(OSError):
                os.close(fd)

    @classmethod
    def _end(cls, worker: _Worker) -> int:
        cls._close_pipes(worker)
        with contextlib.suppress(ProcessLookupError):
            os.kill(worker.pid, signal.SIGKILL)
        try:
            return os.waitpid(worker.pid, 0)[1]
        except ChildProcessError:  # already reaped (by _take)
            return -1

    def _spawn(self) -> _Worker:
        request_read, request_write = os.pipe()
        answer_read, answer_write = os.pipe()
        pid = os.fork()
        if pid == 0:  # the worker: never returns, never runs the server's cleanup
            try:
                _serve(self.store, self.prefixes, request_read, answer_write, self.reopen)
            finally:
                os._exit(1)
        os.close(request_read)
        os.close(answer_write)
        return _Worker(pid, request_write, answer_read)


def _describe(status: int) -> str:
    if status < 0:
        return "exit status unknown"
    if os.WIFSIGNALED(status):
        number = os.WTERMSIG(status)
        try:
            name = signal.Signals(number).name
        except ValueError:
            name = str(number)
        return f"killed by {name}"
    return f"exit status {os.WEXITSTATUS(status) if os.WIFEXITED(status) else status}"


# ------------------------------------------------------------------ pipe framing


def _send(fd: int, message: bytes) -> None:
    view = memoryview(_HEADER.pack(len(message)) + message)
    while view:
        view = view[os.write(fd, view) :]


def _receive(fd: int, *, deadline: float | None = None) -> bytes | None:
    """One framed message; None at end of file; TimeoutError when the deadline passes first."""
    buffer = bytearray()
    wanted = _HEADER.size
    length: int | None = None
    while True:
        if deadline is not None:
            left = deadline - time.monotonic()
            if left <= 0:
                raise TimeoutError
            ready, _, _ = select.select([fd], [], [], left)
            if not ready:
                continue
        chunk = os.read(fd, max(1 << 16, wanted - len(buffer)))
        if not chunk:
            return None
        buffer += chunk
        if length is None and len(buffer) >= _HEADER.size:
            (length,) = _HEADER.unpack_from(buffer)
            wanted = _HEADER.size + length
        if length is not None and len(buffer) >= wanted:
            return bytes(buffer[_HEADER.size : wanted])


# ------------------------------------------------------------------ worker side


def _serve(
    store: pyoxigraph.Store,
    prefixes: Mapping[str, str],
    requests: int,
    answers: int,
    reopen: Callable[[], pyoxigraph.Store] | None = None,
) -> NoReturn:
    """The worker's loop: read a query, evaluate it under an alarm, send the packed outcome; leave at EOF.

    ``reopen`` gives the worker its own handle on an on-disk store (the server's descriptors are closed).
    """
    _close_all_but((requests, answers))
    if reopen is not None:
        store = reopen()
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C reaches the whole group: the server ends us
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    signal.signal(signal.SIGALRM, signal.SIG_DFL)
    while True:
        message = _receive(requests)
        if message is None:  # the server closed the pipe or ended
            os._exit(0)
        text, limit, dataset, timeout = pickle.loads(message)
        scoped = cast("pyoxigraph.Store", ScopedStore(store, prefixes, dataset))
        signal.setitimer(signal.ITIMER_REAL, timeout + ALARM_GRACE)  # ends us if the server cannot
        outcome = _pack(_guarded(functools.partial(_evaluate, scoped, text, limit)))
        signal.setitimer(signal.ITIMER_REAL, 0)
        _send(answers, pickle.dumps(outcome, protocol=pickle.HIGHEST_PROTOCOL))


def _close_all_but(keep: Sequence[int]) -> None:
    """Close every inherited descriptor except stdio and ``keep``: other workers' pipes, sockets."""
    low = 3
    for fd in sorted(keep):
        os.closerange(low, fd)
        low = fd + 1
    os.closerange(low, os.sysconf("SC_OPEN_MAX"))
