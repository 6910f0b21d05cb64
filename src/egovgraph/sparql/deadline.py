"""Execution under a deadline: the one way egovgraph stops a SPARQL query.

pyoxigraph has no cancellation API and releases the GIL while it evaluates, so a thread running a query
can be abandoned but never stopped. A query therefore runs in a forked :class:`Worker` process, which
sees the loaded store copy-on-write, gets the query over a pipe and sends back the outcome; at the
deadline the worker is killed (SIGKILL), so a runaway query really stops and its memory and CPU come back.
The same worker serves both uses:

- :func:`run` forks one worker for one query (``egovgraph.sparql.run.execute``: the library and the CLI;
  forking costs a few milliseconds);
- the server's pool (:mod:`egovgraph.sparql.pool`) forks N workers once and asks each many queries.

Where fork is not available (Windows, macOS) :func:`run` evaluates in a thread that is abandoned at the
deadline and runs on in the background. Nothing here ends the process it runs in; Ctrl-C (a
KeyboardInterrupt while waiting) kills the worker on its way out. A worker never outlives its parent for
long: an alarm set for each query ends it a little after the deadline, and an end of file on its request
pipe (the parent's exit) makes it leave.
"""

from __future__ import annotations

import contextlib
import os
import pickle
import select
import signal
import struct
import sys
import time
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, NoReturn

from egovgraph.errors import QueryTimeout, WorkerCrashed
from egovgraph.sparql.values import QUERY_PREFIXES

if TYPE_CHECKING:
    from collections.abc import Callable, Mapping, Sequence

    import pyoxigraph

    from egovgraph.vocab.terms import Term

#: What an evaluation ended with: ("ok", payload), ("syntax", message), ("error", message), or a packed or
#: rendered form of "ok" (see :func:`pack`); plain values that cross a pipe.
Outcome = tuple[str, Any]

#: Whether queries run in forked workers (Linux); elsewhere in abandoned threads.
FORK = sys.platform.startswith("linux") and hasattr(os, "fork")
#: Seconds past its query's deadline after which a worker ends itself (if nobody could kill it).
ALARM_GRACE = 2.0
_HEADER = struct.Struct("!Q")

#: The protocol dataset of a query: (default graph IRIs, named graph IRIs), or None for the union of all.
Dataset = tuple[tuple[str, ...], tuple[str, ...]] | None


@dataclass(frozen=True)
class Job:
    """One evaluation as it crosses the pipe: the query text and how to evaluate and collect it.

    ``own_dataset``: the query names its graphs (FROM / FROM NAMED), so the default graph is not the union.
    ``dataset`` (the protocol's default-graph-uri / named-graph-uri) takes precedence over FROM.
    ``fmt``: the worker renders the answer in this format itself (see ``handle`` of :meth:`Worker.fork`);
    ``form`` is the query form (SELECT, CONSTRUCT ...) for that.
    """

    text: str
    limit: int | None
    dataset: Dataset = None
    own_dataset: bool = False
    base_iri: str | None = None
    fmt: str | None = None
    form: str = ""


def timeout_error(timeout: float, advice: str = "") -> QueryTimeout:
    """The error of a query stopped at its deadline; ``advice`` adds how to allow more time."""
    return QueryTimeout(
        f"the query did not finish within {timeout:g} s and was stopped: make it more selective "
        f"(fewer unconnected patterns, a LIMIT){advice}"
    )


# --------------------------------------------------------------------------- evaluation


def evaluate(store: pyoxigraph.Store, job: Job, prefixes: Mapping[str, str] = QUERY_PREFIXES) -> Outcome:
    """Evaluate in this process and describe the outcome in plain values; never raises for a bad query."""
    try:
        return ("ok", _collect(store, job, prefixes))
    except SyntaxError as err:
        return ("syntax", str(err))
    except Exception as err:  # any engine failure becomes a message, never a stack trace
        return ("error", str(err) or type(err).__name__)


def query_options(job: Job, prefixes: Mapping[str, str]) -> dict[str, Any]:
    """The keyword arguments of ``pyoxigraph.Store.query`` for a job: prefixes, base IRI, dataset."""
    import pyoxigraph as ox

    options: dict[str, Any] = {"prefixes": dict(prefixes), "base_iri": job.base_iri}
    if job.dataset is not None:
        default, named = job.dataset
        options["default_graph"] = [ox.NamedNode(g) for g in default]
        options["named_graphs"] = [ox.NamedNode(g) for g in named] if named else None
    elif not job.own_dataset:
        options["use_default_graph_as_union"] = True
    return options


def _collect(store: pyoxigraph.Store, job: Job, prefixes: Mapping[str, str]) -> tuple[Any, ...]:
    """Evaluate and collect (up to limit + 1 rows) into plain picklable values."""
    import pyoxigraph as ox

    result = store.query(job.text, **query_options(job, prefixes))
    if isinstance(result, ox.QueryBoolean):
        return ("ask", bool(result))
    limit = job.limit
    cap = None if limit is None else limit + 1
    if isinstance(result, ox.QuerySolutions):
        variables = tuple(v.value for v in result.variables)
        rows: list[tuple[Term | None, ...]] = []
        for solution in result:
            rows.append(tuple(solution))
            if cap is not None and len(rows) >= cap:
                break
        truncated = limit is not None and len(rows) > limit
        return ("select", variables, tuple(rows[:limit] if truncated else rows), truncated)
    triples: list[pyoxigraph.Triple] = []
    for triple in result:
        triples.append(triple)
        if cap is not None and len(triples) >= cap:
            break
    truncated = limit is not None and len(triples) > limit
    return ("graph", tuple(triples[:limit] if truncated else triples), truncated)


# Pickling pyoxigraph terms goes through Python for each term; N-Triples text of the distinct terms
# and rows of indexes cross the pipe several times faster, and pyoxigraph parses them back in Rust.
_SUBJECT = "<urn:x-egovgraph:row> <urn:x-egovgraph:term> "


def pack(outcome: Outcome) -> Outcome:
    """An outcome made cheap to pickle (terms as N-Triples text); :func:`unpack` is its inverse."""
    import pyoxigraph as ox

    status, payload = outcome
    if status != "ok" or payload[0] == "ask":
        return outcome
    if payload[0] == "graph":
        return ("ok-graph", ("".join(f"{t} .\n" for t in payload[1]), payload[2]))
    index: dict[Any, int] = {}
    table: list[str] = []
    rows = []
    for row in payload[2]:
        ids = []
        for term in row:
            if term is None:
                ids.append(-1)
                continue
            if isinstance(term, ox.Triple):
                return outcome  # RDF-star terms: plain pickling
            i = index.get(term)
            if i is None:
                i = index[term] = len(table)
                table.append(f"{_SUBJECT}{term} .\n")
            ids.append(i)
        rows.append(ids)
    return ("ok-select", (payload[1], "".join(table), rows, payload[3]))


def unpack(outcome: Outcome) -> Outcome:
    """The outcome :func:`pack` was given (other outcomes are returned as they are)."""
    import pyoxigraph as ox

    status, payload = outcome
    if status == "ok-graph":
        text, truncated = payload
        triples = tuple(q.triple for q in ox.parse(text.encode("utf-8"), format=ox.RdfFormat.N_TRIPLES))
        return ("ok", ("graph", triples, truncated))
    if status == "ok-select":
        variables, text, rows, truncated = payload
        terms = [q.object for q in ox.parse(text.encode("utf-8"), format=ox.RdfFormat.N_TRIPLES)]
        solutions = tuple(tuple(None if i < 0 else terms[i] for i in row) for row in rows)
        return ("ok", ("select", variables, solutions, truncated))
    return outcome


# --------------------------------------------------------------------------- one query, one deadline


def run(
    store: pyoxigraph.Store,
    job: Job,
    timeout: float | None,
    *,
    prefixes: Mapping[str, str] = QUERY_PREFIXES,
    advice: str = "",
) -> Outcome:
    """Evaluate ``job`` stopped after ``timeout`` seconds (None: no limit, in this process).

    :class:`QueryTimeout` (its message ends with ``advice``) at the deadline; :class:`WorkerCrashed` when
    the worker ended without an answer (out of memory).
    """
    if timeout is None:
        return evaluate(store, job, prefixes)
    if not FORK:
        return _run_threaded(store, job, timeout, prefixes, advice)
    worker = Worker.fork(store, prefixes=prefixes, isolate=False)
    try:
        return unpack(worker.ask(job, time.monotonic() + timeout))
    except TimeoutError:
        raise timeout_error(timeout, advice) from None
    except WorkerLost:
        raise WorkerCrashed(
            f"the query process ended without an answer ({describe(worker.end())}); it may have run out of memory"
        ) from None
    finally:
        worker.end()


def _run_threaded(
    store: pyoxigraph.Store, job: Job, timeout: float, prefixes: Mapping[str, str], advice: str
) -> Outcome:
    import threading

    box: list[Outcome] = []
    thread = threading.Thread(
        target=lambda: box.append(evaluate(store, job, prefixes)), name="egovgraph-query", daemon=True
    )
    thread.start()
    thread.join(timeout)
    if thread.is_alive() or not box:
        raise timeout_error(timeout, advice)
    return box[0]


# --------------------------------------------------------------------------- the worker process


class WorkerLost(Exception):
    """A worker ended without answering (killed, out of memory)."""


@dataclass(frozen=True)
class Worker:
    """A forked process evaluating jobs on the store it was forked with; killed to stop a query."""

    pid: int
    requests: int  # the pipe end the parent writes jobs to
    answers: int  # the pipe end the parent reads outcomes from

    @classmethod
    def fork(
        cls,
        store: pyoxigraph.Store,
        *,
        prefixes: Mapping[str, str] = QUERY_PREFIXES,
        reopen: Callable[[], pyoxigraph.Store] | None = None,
        handle: Callable[[pyoxigraph.Store, Job, Mapping[str, str]], Outcome] | None = None,
        isolate: bool = True,
    ) -> Worker:
        """Fork a worker. ``isolate`` closes every inherited descriptor but its pipes (a long-lived worker
        must not hold the server's sockets); ``reopen`` then gives it its own handle on an on-disk store.
        ``handle`` evaluates a job in the worker and gives what is sent back (default: :func:`evaluate`,
        then :func:`pack`)."""
        request_read, request_write = os.pipe()
        answer_read, answer_write = os.pipe()
        pid = os.fork()
        if pid == 0:  # the worker: never returns, never runs the parent's cleanup
            try:
                os.close(request_write)
                os.close(answer_read)
                if isolate:
                    _close_all_but((request_read, answer_write))
                    if reopen is not None:
                        store = reopen()
                _serve(store, prefixes, request_read, answer_write, handle)
            finally:
                os._exit(1)
        os.close(request_read)
        os.close(answer_write)
        return cls(pid, request_write, answer_read)

    def ask(self, job: Job, deadline: float) -> Outcome:
        """Send a job and wait for its outcome until ``deadline`` (a ``time.monotonic()`` value).

        TimeoutError at the deadline (the worker is still busy: end it); :class:`WorkerLost` if it ended
        (:meth:`end` then reaps it and tells its exit status).
        """
        left = max(deadline - time.monotonic(), 0.001)
        try:
            _send(self.requests, pickle.dumps((job, left), protocol=pickle.HIGHEST_PROTOCOL))
            answer = _receive(self.answers, deadline=deadline)
        except TimeoutError:
            raise
        except OSError:  # a broken pipe: the worker was already gone
            answer = None
        if answer is None:
            raise WorkerLost(f"worker {self.pid} ended without an answer")
        outcome: Outcome = pickle.loads(answer)
        return outcome

    def poll(self) -> int | None:
        """None while the worker lives, else its exit status (it is reaped)."""
        try:
            pid, status = os.waitpid(self.pid, os.WNOHANG)
        except ChildProcessError:
            return -1
        return None if pid == 0 else status

    def close_pipes(self) -> None:
        for fd in (self.requests, self.answers):
            with contextlib.suppress(OSError):
                os.close(fd)

    def end(self) -> int:
        """Kill and reap the worker; its exit status (-1 when it was reaped before)."""
        self.close_pipes()
        with contextlib.suppress(ProcessLookupError):
            os.kill(self.pid, signal.SIGKILL)
        try:
            return os.waitpid(self.pid, 0)[1]
        except ChildProcessError:
            return -1


def describe(status: int) -> str:
    """An exit status in words: "killed by SIGKILL", "exit status 1"."""
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


def _serve(
    store: pyoxigraph.Store,
    prefixes: Mapping[str, str],
    requests: int,
    answers: int,
    handle: Callable[[pyoxigraph.Store, Job, Mapping[str, str]], Outcome] | None,
) -> NoReturn:
    """The worker's loop: read a job, evaluate it under an alarm, send the outcome; leave at EOF."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C reaches the whole group: the parent ends us
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    signal.signal(signal.SIGALRM, signal.SIG_DFL)
    while True:
        message = _receive(requests)
        if message is None:  # the parent closed the pipe or ended
            os._exit(0)
        job, timeout = pickle.loads(message)
        signal.setitimer(signal.ITIMER_REAL, timeout + ALARM_GRACE)  # ends us if the parent cannot
        outcome = handle(store, job, prefixes) if handle is not None else pack(evaluate(store, job, prefixes))
        signal.setitimer(signal.ITIMER_REAL, 0)
        _send(answers, pickle.dumps(outcome, protocol=pickle.HIGHEST_PROTOCOL))


def _close_all_but(keep: Sequence[int]) -> None:
    """Close every inherited descriptor except stdio and ``keep``: other workers' pipes, sockets."""
    low = 3
    for fd in sorted(keep):
        os.closerange(low, fd)
        low = fd + 1
    os.closerange(low, os.sysconf("SC_OPEN_MAX"))


# --------------------------------------------------------------------------- pipe framing


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
