"""Serving a store without loading it: ``serve --store oxigraph:PATH`` and ``serve --endpoint URL``.

The pages and the linked-data handlers read an rdflib ``Graph`` (triple patterns: a resource's
properties, its incoming links, labels, instances of a class). :class:`StoreBackend` is a read-only
rdflib store answering each pattern from a :class:`Source`: a persistent pyoxigraph store
(:class:`OxigraphSource`, ``quads_for_pattern``) or a SPARQL endpoint (:class:`RemoteSource`, one
SELECT per pattern), so nothing is copied into memory. What the server states at start-up (triple,
entity and class counts, labels, named graphs and their sizes, the VoID description) is counted
inside the store with SPARQL aggregates (:mod:`egovgraph.stores.startup`); which graphs hold a resource is asked
when its page is shown (:class:`GraphsOf`).
"""

from __future__ import annotations

import contextlib
import functools
import threading
from collections.abc import Callable, Generator, Iterator, Mapping
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

from rdflib.store import Store as RdflibStore

from egovgraph.errors import EgovGraphError, StoreUnavailable
from egovgraph.sparql.values import escape_string

if TYPE_CHECKING:
    import pyoxigraph
    from rdflib import Graph, URIRef

    from egovgraph.sparql.pool import Rendered
    from egovgraph.sparql.run import QueryResult
    from egovgraph.sparql.text import QueryText
    from egovgraph.stores.remote import Endpoint
    from egovgraph.vocab.terms import Term

#: rdflib terms kept per served store (pyoxigraph term -> rdflib term), for the terms that repeat.
TERM_CACHE = 1 << 16
#: Resources whose named graphs are remembered (asked of the store when a page shows them).
GRAPHS_CACHE = 4096
#: Seconds one start-up count may take on a SPARQL endpoint.
LOOKUP_TIMEOUT = 600.0
#: Seconds one of a page's pattern lookups may take on a SPARQL endpoint once serving (or the query time limit).
PAGE_TIMEOUT = 30.0


Row = tuple["Term | None", ...]
Triple = tuple["Term", "Term", "Term"]


class Source(Protocol):
    """Where the served triples live: pattern lookups and SPARQL SELECT over the served dataset."""

    description: str

    def graph_names(self, base: str) -> frozenset[str]:
        """The named graphs served (their pages, ``default-graph-uri``)."""
        ...

    def triples(self, pattern: tuple[Term | None, Term | None, Term | None], graph: str | None) -> Iterator[Triple]:
        """The triples matching a pattern in a named graph, or (``None``) in the served default graph, once each."""
        ...

    def select(self, text: str) -> list[Row]:
        """The rows of a SELECT query over the served default graph (named graphs reachable with GRAPH)."""
        ...


class OxigraphSource:
    """A persistent pyoxigraph store; its default graph is served as the union of all its graphs."""

    def __init__(self, store: pyoxigraph.Store, path: Path) -> None:
        self.store, self.path = store, path
        self.description = f"the Oxigraph store {path}"

    def graph_names(self, base: str) -> frozenset[str]:
        import pyoxigraph as ox

        return frozenset(g.value for g in self.store.named_graphs() if isinstance(g, ox.NamedNode))

    def triples(self, pattern: tuple[Term | None, Term | None, Term | None], graph: str | None) -> Iterator[Triple]:
        import pyoxigraph as ox

        s, p, o = pattern
        if isinstance(s, ox.Literal) or (p is not None and not isinstance(p, ox.NamedNode)):
            return
        name = ox.NamedNode(graph) if graph is not None else None
        seen: set[Triple] | None = set() if graph is None else None
        for quad in self.store.quads_for_pattern(s, p, o, name):
            triple = (quad.subject, quad.predicate, quad.object)
            if seen is not None:
                if triple in seen:
                    continue
                seen.add(triple)
            yield triple

    def select(self, text: str) -> list[Row]:
        return [tuple(row) for row in self.store.query(text, use_default_graph_as_union=True)]  # type: ignore[union-attr]


class RemoteSource:
    """A SPARQL endpoint: ``graph`` (the graph ``egovgraph publish`` wrote) or its own default graph is served.

    With ``graph`` the served dataset has no named graphs; without it, the endpoint's named graphs under
    ``<base>graph/`` (a store loaded with the TriG dump) are served as they are. Each thread has its own
    HTTP client (Digest authentication counts its requests).
    """

    def __init__(self, endpoint: Endpoint, graph: str | None = None, *, timeout: float = LOOKUP_TIMEOUT) -> None:
        self.endpoint, self.graph, self.timeout = endpoint, graph, timeout
        self.description = f"the SPARQL endpoint {endpoint.display}" + (f" (graph <{graph}>)" if graph else "")
        self._local = threading.local()

    def client(self) -> Endpoint:
        """This thread's copy of the endpoint."""
        client = getattr(self._local, "client", None)
        if client is None:
            client = self._local.client = replace(self.endpoint)
        return client

    def graph_names(self, base: str) -> frozenset[str]:
        if self.graph is not None:
            return frozenset()
        prefix = sparql_string(base + "graph/")
        rows = self.select(
            f"SELECT DISTINCT ?g WHERE {{ GRAPH ?g {{ ?s ?p ?o }} FILTER(STRSTARTS(STR(?g), {prefix})) }}"
        )
        return frozenset(row[0].value for row in rows if row and row[0] is not None)

    def triples(self, pattern: tuple[Term | None, Term | None, Term | None], graph: str | None) -> Iterator[Triple]:
        import pyoxigraph as ox

        s, p, _ = pattern
        if (
            any(isinstance(t, ox.BlankNode) for t in pattern)
            or isinstance(s, ox.Literal)
            or (p is not None and not isinstance(p, ox.NamedNode))
        ):  # a store's blank node cannot be named in a query
            return
        names = ("?s", "?p", "?o")
        where = " ".join(str(t) if t is not None else names[i] for i, t in enumerate(pattern))
        if graph is not None:
            where = f"GRAPH <{graph}> {{ {where} }}"
        free = [names[i] for i, t in enumerate(pattern) if t is None]
        if not free:
            if self.client().select(f"ASK {{ {where} }}", timeout=self.timeout, default_graphs=self._default()):
                yield pattern
            return
        for row in self.select(f"SELECT DISTINCT {' '.join(free)} WHERE {{ {where} }}"):
            values = iter(row)
            triple = tuple(t if t is not None else next(values) for t in pattern)
            if all(t is not None for t in triple):
                yield triple  # type: ignore[misc]

    def select(self, text: str) -> list[Row]:
        answer = self.client().select(text, timeout=self.timeout, default_graphs=self._default())
        return [] if isinstance(answer, bool) else answer[1]

    def _default(self) -> list[str]:
        return [self.graph] if self.graph else []


class RemoteQueries:
    """The server's SPARQL evaluation on an endpoint: the query goes on with the served prefixes and dataset.

    In place of the worker pool (the endpoint does the work; a request thread waits for its answer). The
    time limit is enforced here; a query the endpoint refuses is a bad query (400), an endpoint that is
    down, refuses our credentials or answers garbage a bad gateway (:class:`StoreUnavailable`, 502).
    """

    running = True

    def __init__(self, source: RemoteSource, *, prefixes: Mapping[str, str], base: str | None = None) -> None:
        self.source, self.prefixes, self.base = source, dict(prefixes), base

    def execute(
        self,
        prepared: QueryText,
        *,
        timeout: float,
        limit: int | None,
        dataset: tuple[tuple[str, ...], tuple[str, ...]] | None = None,
    ) -> QueryResult:
        from egovgraph.errors import EndpointError
        from egovgraph.sparql.pool import query_timeout
        from egovgraph.stores.kinds import RemoteStore

        store = RemoteStore(self.source.client(), self.source.graph)
        try:
            return store.query(prepared, timeout=timeout, limit=limit, dataset=dataset, prefixes=self.prefixes)
        except EndpointError as err:
            if err.timed_out:
                raise query_timeout(timeout) from None
            if err.status is not None and 400 <= err.status < 500 and err.status not in (401, 403):
                from egovgraph.errors import QueryError

                raise QueryError(f"{self.source.endpoint.display} refused the query: {err.detail}") from None
            raise StoreUnavailable(str(err)) from None

    def answer(
        self,
        prepared: QueryText,
        fmt: str,
        *,
        timeout: float,
        limit: int | None,
        dataset: tuple[tuple[str, ...], tuple[str, ...]] | None = None,
    ) -> Rendered:
        """:meth:`execute`, written in ``fmt`` here (the pool's workers write it themselves)."""
        from egovgraph.sparql.pool import Rendered
        from egovgraph.sparql.results import encode

        result = self.execute(prepared, timeout=timeout, limit=limit, dataset=dataset)
        count = int(bool(result.boolean)) if result.form == "ASK" else len(result)
        return Rendered(result.form, encode(result, fmt, self.base), result.truncated, limit, count)

    def pids(self) -> list[int]:
        """No query processes: the endpoint evaluates."""
        return []

    @contextlib.contextmanager
    def serving(self) -> Iterator[RemoteQueries]:
        yield self


class StoreBackend(RdflibStore):
    """A read-only rdflib store over a :class:`Source`: a Graph with a served named graph's IRI as identifier
    sees that graph, a Graph with another IRI sees nothing, any other Graph the served default graph."""

    context_aware = True
    graph_aware = True

    def __init__(self, source: Source, graphs: frozenset[str]) -> None:
        super().__init__()
        from egovgraph.vocab.terms import to_pyoxigraph_converter, to_rdflib

        self.source, self.graphs = source, graphs
        self._convert = to_pyoxigraph_converter()
        # Predicates, classes and vocabulary terms repeat in almost every pattern answer: convert them once.
        self._to_rdflib = functools.lru_cache(maxsize=TERM_CACHE)(to_rdflib)
        self._prefixes: dict[str, Any] = {}

    def _graph_of(self, context: Any) -> str | bool | None:
        """The named graph a context stands for, None for the default graph, False for an unknown graph."""
        from rdflib import URIRef
        from rdflib.graph import DATASET_DEFAULT_GRAPH_ID

        identifier = getattr(context, "identifier", None)
        if identifier is None or not isinstance(identifier, URIRef) or identifier == DATASET_DEFAULT_GRAPH_ID:
            return None
        return str(identifier) if str(identifier) in self.graphs else False

    def triples(self, triple_pattern: Any, context: Any = None) -> Iterator[tuple[Any, Iterator[Any]]]:
        graph = self._graph_of(context)
        if graph is False:
            return
        try:
            terms = tuple(None if t is None else self._convert(t) for t in triple_pattern)
        except Exception:  # a term the store cannot hold (a path, a variable) matches nothing
            return
        to_rdflib = self._to_rdflib
        for s, p, o in self.source.triples(terms, graph):  # type: ignore[arg-type]
            yield (to_rdflib(s), to_rdflib(p), to_rdflib(o)), iter(())

    def __len__(self, context: Any = None) -> int:
        graph = self._graph_of(context)
        if isinstance(graph, bool):  # a graph the store does not serve
            return 0
        return triple_count(self.source, graph)

    def contexts(self, triple: Any = None) -> Generator[Any, None, None]:
        from rdflib import Graph, URIRef

        for iri in sorted(self.graphs):
            yield Graph(store=self, identifier=URIRef(iri))

    def add_graph(self, graph: Graph) -> None:
        """Asking for a graph changes nothing (read-only)."""

    def add(self, triple: Any, context: Any, quoted: bool = False) -> None:
        raise TypeError(f"{self.source.description} is served read-only")

    def remove(self, triple: Any, context: Any = None) -> None:
        raise TypeError(f"{self.source.description} is served read-only")

    def bind(self, prefix: str, namespace: Any, override: bool = True) -> None:
        if override or prefix not in self._prefixes:
            self._prefixes[prefix] = namespace

    def namespace(self, prefix: str) -> Any:
        return self._prefixes.get(prefix)

    def prefix(self, namespace: Any) -> str | None:
        return next((p for p, n in self._prefixes.items() if n == namespace), None)

    def namespaces(self) -> Iterator[tuple[str, Any]]:
        yield from self._prefixes.items()


class GraphsOf:
    """Which served named graphs hold triples about a resource, asked of the store when a page needs it."""

    def __init__(self, source: Source, graphs: frozenset[str]) -> None:
        self.source, self.graphs = source, graphs
        self._ask = functools.lru_cache(maxsize=GRAPHS_CACHE)(self._graphs_of)

    def get(self, iri: str, default: tuple[str, ...] = (), /) -> tuple[str, ...]:
        if not self.graphs or ">" in iri:
            return default
        return self._ask(iri) or default

    def _graphs_of(self, iri: str) -> tuple[str, ...]:
        rows = self.source.select(f"SELECT DISTINCT ?g WHERE {{ GRAPH ?g {{ <{iri}> ?p ?o }} }}")
        return tuple(sorted(g for g in (row[0].value for row in rows if row[0] is not None) if g in self.graphs))


def triple_count(source: Source, graph: str | None = None) -> int:
    """The distinct triples in a named graph, or (``None``) in the served default graph."""
    where = f"GRAPH <{graph}> {{ ?s ?p ?o }}" if graph is not None else "?s ?p ?o"
    return count(source, f"SELECT (COUNT(*) AS ?n) WHERE {{ SELECT DISTINCT ?s ?p ?o WHERE {{ {where} }} }}")


def count(source: Source, text: str) -> int:
    """The single number a COUNT query answers."""
    rows = source.select(text)
    try:
        return int(rows[0][0].value)  # type: ignore[union-attr]
    except (IndexError, AttributeError, TypeError, ValueError):
        raise EgovGraphError(f"{source.description} did not answer a count: {rows[:1]!r}") from None


def sparql_string(text: str) -> str:
    """A SPARQL string literal."""
    return '"' + escape_string(text) + '"'


def opener(path: Path) -> Callable[[], pyoxigraph.Store]:
    """What a query worker calls after the fork: its own read-only handle on the store."""

    def open_read_only() -> pyoxigraph.Store:
        import pyoxigraph as ox

        return ox.Store.read_only(str(path))

    return open_read_only


def modified(path: Path) -> float:
    """The newest modification time of the store's files."""
    return max((p.stat().st_mtime for p in Path(path).iterdir()), default=Path(path).stat().st_mtime)


def named(graphs: frozenset[str]) -> dict[URIRef, tuple[Path, ...]]:
    from rdflib import URIRef

    return {URIRef(g): () for g in sorted(graphs)}
