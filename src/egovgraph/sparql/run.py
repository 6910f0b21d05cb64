"""Run SPARQL safely and fast: checked text, pyoxigraph evaluation, a deadline and a row cap.

``query()`` is what a notebook calls (``egovgraph.query(...)``); the CLI calls ``prepare``,
``open_store`` and ``execute`` separately so it can also look up labels in the same store.

The deadline is kept by :mod:`egovgraph.sparql.deadline` (a forked worker, killed when the time is up).
Relative IRIs in a query resolve against the graph's base IRI; FROM / FROM NAMED may name the store's
own named graphs (and then the default graph is what they name, not the union).
"""

from __future__ import annotations

import functools
from dataclasses import dataclass, field

from egovgraph.defaults import QUERY_TIMEOUT, ROW_LIMIT
from egovgraph.errors import EgovGraphError, QueryError, QueryTimeout
from egovgraph.graph.oxigraph import open_store
from egovgraph.sparql import deadline
from egovgraph.sparql.diagnose import check_regexes
from egovgraph.sparql.library import named_query
from egovgraph.sparql.text import QueryText, bind, check, check_graphs, syntax_error
from egovgraph.sparql.values import parse_value
from egovgraph.vocab.labels import label_query, rank_labels
from egovgraph.vocab.names import DEFAULT_BASE
from egovgraph.vocab.terms import to_rdflib

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Iterator, Mapping
    from typing import Any

    import pyoxigraph
    from rdflib import Graph
    from rdflib.term import Node

    from egovgraph.sparql.deadline import Outcome
    from egovgraph.vocab.terms import Term

DEFAULT_TIMEOUT, DEFAULT_LIMIT = QUERY_TIMEOUT, ROW_LIMIT
#: What the CLI's deadline message adds: how to allow more time.
TIMEOUT_ADVICE = " or allow more time with --timeout"

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
    check_regexes(checked)
    values.update(bind_values or {})
    return bind(checked, {k: _term(v, checked.prefixes) for k, v in values.items()})


def _term(value: object, prefixes: Mapping[str, str]) -> Any:
    import pyoxigraph as ox

    xsd = "http://www.w3.org/2001/XMLSchema#"
    if isinstance(value, ox.NamedNode | ox.Literal):
        return value
    if type(value).__module__.startswith("rdflib"):
        from egovgraph.vocab.terms import to_pyoxigraph_converter

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
    base_iri: str | None = DEFAULT_BASE,
) -> QueryResult:
    """Evaluate a prepared query on a store, stopped after ``timeout`` seconds, capped at ``limit`` rows.

    Relative IRIs resolve against ``base_iri``; FROM may name the store's named graphs, no others.
    """
    if timeout is not None and timeout <= 0:
        raise QueryError(f"timeout {timeout} must be a positive number of seconds")
    if limit is not None and limit < 1:
        raise QueryError(f"limit {limit} must be at least 1")
    if prepared.from_graphs:
        check_graphs(prepared, (g.value for g in store.named_graphs()))
    job = deadline.Job(prepared.text, limit, own_dataset=bool(prepared.from_graphs), base_iri=base_iri)
    outcome = deadline.run(store, job, timeout, advice=TIMEOUT_ADVICE)
    return result_of(outcome, prepared, limit, store=store)


def result_of(
    outcome: Outcome, prepared: QueryText, limit: int | None, *, store: pyoxigraph.Store | None = None
) -> QueryResult:
    """The QueryResult of an evaluation's (unpacked) outcome; syntax and engine errors become QueryErrors.

    An ("ok", ...) outcome is first passed through :func:`egovgraph.sparql.deadline.unpack` by the caller.
    """
    status, payload = outcome
    if status == "syntax":
        raise syntax_error(prepared, payload)
    if status == "error":
        raise QueryError(f"the query failed: {payload}")
    return ok_result(payload, prepared.form, limit, store=store)


def ok_result(
    payload: tuple[Any, ...], form: str, limit: int | None, *, store: pyoxigraph.Store | None = None
) -> QueryResult:
    """The QueryResult of a successful evaluation's payload (``form`` names a graph result's form)."""
    kind = payload[0]
    if kind == "ask":
        return QueryResult("ASK", boolean=payload[1], store=store)
    if kind == "select":
        return QueryResult(
            "SELECT", variables=payload[1], solutions=payload[2], truncated=payload[3], limit=limit, store=store
        )
    return QueryResult(form or "CONSTRUCT", triples=payload[1], truncated=payload[2], limit=limit, store=store)


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
    """The label each IRI shows in ``lang`` (:func:`egovgraph.vocab.labels.rank_labels`)."""
    if not iris:
        return {}
    rows = store.query(label_query(iris), use_default_graph_as_union=True)
    found = ((r[0].value, r[1].value, r[2].language, r[2].value) for r in rows)  # type: ignore[union-attr]
    return rank_labels(found, (lang,))[lang]
