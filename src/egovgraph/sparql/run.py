"""Run SPARQL safely and fast: checked text, pyoxigraph evaluation, a deadline and a row cap.

``query()`` is what a notebook calls (``egovgraph.query(...)``); the CLI calls ``prepare``,
``open_store`` and ``execute`` separately so it can also look up labels in the same store.

The deadline: on Linux the query runs in a forked child process, which sees the loaded store
copy-on-write (forking costs a few milliseconds) and is killed when the time is up, so a runaway
query really stops — memory and CPU come back. pyoxigraph has no cancellation API and releases the GIL
while it evaluates, so a thread could be abandoned but never stopped; where fork is not available
(Windows, macOS) that is what happens, and the abandoned thread runs on in the background. The
``egovgraph query`` process (:mod:`egovgraph._entry`) needs neither: it calls ``execute(..., timeout=None)``
in a thread and ends itself at the deadline.
"""

from __future__ import annotations

import functools
import os
import sys
import time
from dataclasses import dataclass, field

from egovgraph.defaults import QUERY_TIMEOUT, ROW_LIMIT
from egovgraph.errors import EgovGraphError, QueryError, QueryTimeout
from egovgraph.sparql.library import named_query
from egovgraph.sparql.text import QUERY_PREFIXES, QueryText, bind, check, parse_value, syntax_error
from egovgraph.stores.oxigraph import open_store, to_rdflib

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Callable, Iterator, Mapping
    from typing import Any, TypeAlias

    import pyoxigraph
    from rdflib import Graph
    from rdflib.term import Node

    from egovgraph.stores.oxigraph import Term

    Outcome: TypeAlias = tuple[str, Any]

DEFAULT_TIMEOUT, DEFAULT_LIMIT = QUERY_TIMEOUT, ROW_LIMIT
_RDFS_LABEL = "http://www.w3.org/2000/01/rdf-schema#label"
_SKOS_PREFLABEL = "http://www.w3.org/2004/02/skos/core#prefLabel"
_FORK = sys.platform.startswith("linux") and hasattr(os, "fork")

__all__ = [
    "DEFAULT_LIMIT",
    "DEFAULT_TIMEOUT",
    "QueryResult",
    "QueryTimeout",
    "execute",
    "open_store",
    "prepare",
    "query",
]


@dataclass(frozen=True, eq=False)  # two answers are two answers
class QueryResult:
    """The answer to a query: rows for SELECT, a boolean for ASK, triples for CONSTRUCT and DESCRIBE.

    ``solutions`` and ``triples`` hold pyoxigraph terms; ``rows`` gives rdflib terms, ``to_dataframe()``
    plain Python values. ``truncated`` says the result was capped at ``limit``.
    """

    form: str
    variables: tuple[str, ...] = ()
    solutions: tuple[tuple[Term | None, ...], ...] = ()
    boolean: bool | None = None
    triples: tuple[pyoxigraph.Triple, ...] = ()
    truncated: bool = False
    limit: int | None = None
    store: pyoxigraph.Store | None = field(default=None, repr=False)

    @functools.cached_property
    def rows(self) -> list[dict[str, Node | None]]:
        """Each solution as a dict from variable name to rdflib term (``None`` where unbound)."""
        return [{var: to_rdflib(term) for var, term in zip(self.variables, row, strict=True)} for row in self.solutions]

    def __iter__(self) -> Iterator[dict[str, Node | None]]:
        return iter(self.rows)

    def __len__(self) -> int:
        return len(self.triples) if self.form in ("CONSTRUCT", "DESCRIBE") else len(self.solutions)

    def __bool__(self) -> bool:
        return bool(self.boolean) if self.form == "ASK" else len(self) > 0

    def graph(self) -> Graph:
        """The triples of a CONSTRUCT or DESCRIBE result as an rdflib graph with the project's prefixes."""
        from egovgraph.graph.load import new_graph

        g = new_graph()
        for t in self.triples:
            g.add((to_rdflib(t.subject), to_rdflib(t.predicate), to_rdflib(t.object)))  # type: ignore[arg-type]
        return g

    def values(self) -> list[dict[str, object]]:
        """Each solution with plain Python values: IRIs as str, literals as int, float, date, str ..."""
        return [{k: _python(v) for k, v in row.items()} for row in self.rows]

    def to_dataframe(self) -> Any:
        """The solutions as a pandas DataFrame (pandas is optional: ``pip install pandas``)."""
        import importlib

        try:
            pd = importlib.import_module("pandas")
        except ImportError:
            raise EgovGraphError(
                "to_dataframe() needs pandas: pip install pandas (or use .rows / .values() without it)"
            ) from None
        return pd.DataFrame(self.values(), columns=list(self.variables))

    def labels(self, lang: str = "de") -> dict[str, str]:
        """Labels of the IRIs in the result, from the store it was evaluated on."""
        if self.store is None:
            return {}
        return labels(self.store, self.iris(), lang)

    def iris(self) -> list[str]:
        """Every IRI in the result, in first-seen order."""
        import pyoxigraph as ox

        terms: list[Term | None] = [t for row in self.solutions for t in row]
        terms += [x for t in self.triples for x in (t.subject, t.predicate, t.object)]
        return list(dict.fromkeys(t.value for t in terms if isinstance(t, ox.NamedNode)))


def _python(term: Node | None) -> object:
    from rdflib import Literal

    if isinstance(term, Literal):
        value = term.toPython()
        return str(value) if isinstance(value, Literal) else value
    return None if term is None else str(term)


def prepare(
    sparql: str | None = None,
    *,
    name: str | None = None,
    bind_values: Mapping[str, object] | None = None,
    lang: str | None = None,
) -> QueryText:
    """Check a query (or load a named one) and bind its variables; nothing is evaluated yet."""
    if (sparql is None) == (name is None):
        raise QueryError("give either a SPARQL query or the name of a named query (not both)")
    values: dict[str, object] = {}
    if name is not None:
        named = named_query(name)
        sparql = named.text
        values.update(named.defaults())
        if lang is not None and named.param("lang") is not None:
            import pyoxigraph as ox

            values["lang"] = ox.Literal(lang)
    assert sparql is not None
    checked = check(sparql)
    values.update(bind_values or {})
    return bind(checked, {k: _term(v, checked.prefixes) for k, v in values.items()})


def _term(value: object, prefixes: Mapping[str, str]) -> Any:
    import pyoxigraph as ox

    xsd = "http://www.w3.org/2001/XMLSchema#"
    if isinstance(value, ox.NamedNode | ox.Literal):
        return value
    if type(value).__module__.startswith("rdflib"):
        from egovgraph.stores.oxigraph import to_pyoxigraph_converter

        return to_pyoxigraph_converter()(value)
    if isinstance(value, bool):
        return ox.Literal("true" if value else "false", datatype=ox.NamedNode(xsd + "boolean"))
    if isinstance(value, int):
        return ox.Literal(str(value), datatype=ox.NamedNode(xsd + "integer"))
    if isinstance(value, float):
        return ox.Literal(repr(value), datatype=ox.NamedNode(xsd + "double"))
    if isinstance(value, str):
        return parse_value(value, prefixes)
    from decimal import Decimal  # only now: loading the decimal module costs more than preparing a query

    if isinstance(value, Decimal):
        return ox.Literal(str(value), datatype=ox.NamedNode(xsd + "decimal"))
    raise QueryError(
        f"cannot bind a {type(value).__name__} ({value!r}): give a string in --bind syntax, a number, or an RDF term"
    )


def execute(
    prepared: QueryText,
    store: pyoxigraph.Store,
    *,
    timeout: float | None = DEFAULT_TIMEOUT,
    limit: int | None = DEFAULT_LIMIT,
) -> QueryResult:
    """Evaluate a prepared query on a store, stopped after ``timeout`` seconds, capped at ``limit`` rows."""
    if timeout is not None and timeout <= 0:
        raise QueryError(f"timeout {timeout} must be a positive number of seconds")
    if limit is not None and limit < 1:
        raise QueryError(f"limit {limit} must be at least 1")

    def evaluate() -> tuple[Any, ...]:
        return _evaluate(store, prepared.text, limit)

    outcome = _run_with_deadline(evaluate, timeout) if timeout is not None else _guarded(evaluate)
    return result_of(outcome, prepared, limit, store=store)


def result_of(
    outcome: Outcome, prepared: QueryText, limit: int | None, *, store: pyoxigraph.Store | None = None
) -> QueryResult:
    """The QueryResult of an evaluation's (unpacked) outcome; syntax and engine errors become QueryErrors."""
    status, payload = outcome
    if status == "syntax":
        raise syntax_error(prepared, payload)
    if status == "error":
        raise QueryError(f"the query failed: {payload}")
    kind = payload[0]
    if kind == "ask":
        return QueryResult("ASK", boolean=payload[1], store=store)
    if kind == "select":
        return QueryResult(
            "SELECT", variables=payload[1], solutions=payload[2], truncated=payload[3], limit=limit, store=store
        )
    return QueryResult(prepared.form or "CONSTRUCT", triples=payload[1], truncated=payload[2], limit=limit, store=store)


def query(
    sparql: str | None = None,
    *,
    name: str | None = None,
    graph: object = None,
    bind: Mapping[str, object] | None = None,
    lang: str | None = None,
    timeout: float | None = DEFAULT_TIMEOUT,
    limit: int | None = DEFAULT_LIMIT,
) -> QueryResult:
    """Run a SPARQL query, or the named query ``name``, on the bundled graph or ``graph``.

    ``graph`` may be a :class:`egovgraph.graph.load.Loaded` build, an rdflib Graph or Dataset, a pyoxigraph
    Store (fastest when you query many times), a dump file or a data directory. ``bind`` maps variable
    names to values (``"land:bremen"``, ``2025``, rdflib terms ...). Example::

        >>> import egovgraph
        >>> egovgraph.query(name="leaders", bind={"land": "land:bremen"}).to_dataframe()
    """
    prepared = prepare(sparql, name=name, bind_values=bind, lang=lang)
    return execute(prepared, open_store(graph), timeout=timeout, limit=limit)


def labels(store: pyoxigraph.Store, iris: list[str], lang: str = "de") -> dict[str, str]:
    """rdfs:label (or skos:prefLabel) of each IRI, preferring ``lang``, then any language."""
    import pyoxigraph as ox

    if not iris:
        return {}
    values = " ".join(f"<{iri}>" for iri in iris if ">" not in iri)
    text = (
        f"SELECT ?s ?l WHERE {{ VALUES ?s {{ {values} }} "
        f"?s <{_RDFS_LABEL}>|<{_SKOS_PREFLABEL}> ?l FILTER(isLITERAL(?l)) }}"
    )
    best: dict[str, tuple[int, str]] = {}
    for row in store.query(text, use_default_graph_as_union=True):  # type: ignore[union-attr]
        subject, label = row[0], row[1]
        assert isinstance(subject, ox.NamedNode) and isinstance(label, ox.Literal)
        rank = 0 if label.language == lang else 1 if not label.language else 2
        current = best.get(subject.value)
        if current is None or (rank, label.value) < current:
            best[subject.value] = (rank, label.value)
    return {iri: value for iri, (_, value) in best.items()}


# --------------------------------------------------------------------------- evaluation


def _evaluate(store: pyoxigraph.Store, text: str, limit: int | None) -> tuple[Any, ...]:
    """Evaluate and collect (up to limit + 1 rows) into plain picklable values."""
    import pyoxigraph as ox

    result = store.query(text, prefixes=dict(QUERY_PREFIXES), use_default_graph_as_union=True)
    if isinstance(result, ox.QueryBoolean):
        return ("ask", bool(result))
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


def _guarded(func: Callable[[], tuple[Any, ...]]) -> Outcome:
    """Run ``func`` and describe its outcome in picklable terms (it may run in another process)."""
    try:
        return ("ok", func())
    except SyntaxError as err:
        return ("syntax", str(err))
    except Exception as err:  # any engine failure becomes a message, never a stack trace
        return ("error", str(err) or type(err).__name__)


def _timeout_error(timeout: float) -> QueryTimeout:
    return QueryTimeout(
        f"the query did not finish within {timeout:g} s and was stopped: make it more selective "
        "(fewer unconnected patterns, a LIMIT) or allow more time with --timeout"
    )


def _run_with_deadline(func: Callable[[], tuple[Any, ...]], timeout: float) -> Outcome:
    return _run_forked(func, timeout) if _FORK else _run_threaded(func, timeout)


def _run_threaded(func: Callable[[], tuple[Any, ...]], timeout: float) -> Outcome:
    import threading

    box: list[Outcome] = []
    worker = threading.Thread(target=lambda: box.append(_guarded(func)), name="egovgraph-query", daemon=True)
    worker.start()
    worker.join(timeout)
    if worker.is_alive() or not box:
        raise _timeout_error(timeout)
    return box[0]


def _run_forked(func: Callable[[], tuple[Any, ...]], timeout: float) -> Outcome:
    import pickle
    import select
    import signal

    read_fd, write_fd = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child: evaluate, send the pickled outcome, leave without any cleanup of the parent's
        code = 0
        try:
            # If the parent dies before it can kill us, the alarm ends us a little after the deadline.
            signal.signal(signal.SIGALRM, signal.SIG_DFL)
            signal.setitimer(signal.ITIMER_REAL, timeout + 2)
            os.close(read_fd)
            data = pickle.dumps(_pack(_guarded(func)), protocol=pickle.HIGHEST_PROTOCOL)
            view = memoryview(data)
            while view:
                view = view[os.write(write_fd, view) :]
        except BaseException:
            code = 1
        finally:
            os._exit(code)
    os.close(write_fd)
    deadline = time.monotonic() + timeout
    chunks: list[bytes] = []
    finished = False
    try:
        while True:
            left = deadline - time.monotonic()
            if left <= 0:
                raise _timeout_error(timeout)
            ready, _, _ = select.select([read_fd], [], [], left)
            if not ready:
                continue
            chunk = os.read(read_fd, 1 << 20)
            if not chunk:
                break
            chunks.append(chunk)
        finished = True
    finally:
        os.close(read_fd)
        if not finished:
            os.kill(pid, signal.SIGKILL)
        _, status = os.waitpid(pid, 0)
    if not chunks:
        raise EgovGraphError(
            f"the query process ended without an answer (exit status {status}); it may have run out of memory"
        )
    return _unpack(pickle.loads(b"".join(chunks)))


# Pickling pyoxigraph terms goes through Python for each term; N-Triples text of the distinct terms
# and rows of indexes cross the pipe several times faster, and pyoxigraph parses them back in Rust.
_SUBJECT = "<urn:x-egovgraph:row> <urn:x-egovgraph:term> "


def _pack(outcome: Outcome) -> Outcome:
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


def _unpack(outcome: Outcome) -> Outcome:
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
