"""Serving a persistent Oxigraph store (``serve --store oxigraph:PATH``): the pages read it through rdflib.

The pages and the linked-data handlers read an rdflib ``Graph`` (triple patterns: a resource's
properties, its incoming links, labels, instances of a class). :class:`OxigraphBackend` is a
read-only rdflib store answering each pattern from the pyoxigraph store (``quads_for_pattern``, counts
by SPARQL), so nothing is copied into memory: the union of all graphs, or one named graph. SPARQL
goes to the query workers, each of which opens the store read-only for itself after the fork.
"""

from __future__ import annotations

import functools
import hashlib
from collections.abc import Callable, Generator, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

from rdflib.store import Store as RdflibStore

if TYPE_CHECKING:
    import pyoxigraph
    from rdflib import Graph, URIRef

#: rdflib terms kept per served store (pyoxigraph term -> rdflib term), for the terms that repeat.
TERM_CACHE = 1 << 16


class OxigraphBackend(RdflibStore):
    """A read-only rdflib store over a pyoxigraph Store: a Graph with a named graph's IRI as identifier sees
    that graph, any other Graph the union of all graphs (each triple once)."""

    context_aware = True
    graph_aware = True

    def __init__(self, store: pyoxigraph.Store, graphs: frozenset[str]) -> None:
        super().__init__()
        from .oxstore import to_pyoxigraph_converter, to_rdflib

        self.ox, self.graphs = store, graphs
        self._convert = to_pyoxigraph_converter()
        # Predicates, classes and vocabulary terms repeat in almost every pattern answer: convert them once.
        self._to_rdflib = functools.lru_cache(maxsize=TERM_CACHE)(to_rdflib)
        self._prefixes: dict[str, Any] = {}

    def _graph_of(self, context: Any) -> pyoxigraph.NamedNode | None:
        import pyoxigraph as ox

        identifier = getattr(context, "identifier", None)
        return ox.NamedNode(str(identifier)) if identifier is not None and str(identifier) in self.graphs else None

    def triples(self, triple_pattern: Any, context: Any = None) -> Iterator[tuple[Any, Iterator[Any]]]:
        to_rdflib = self._to_rdflib
        s, p, o = triple_pattern
        try:
            terms = [None if t is None else self._convert(t) for t in (s, p, o)]
        except Exception:  # a term the store cannot hold (a path, a variable) matches nothing
            return
        graph = self._graph_of(context)
        seen: set[tuple[Any, ...]] | None = set() if graph is None else None
        for quad in self.ox.quads_for_pattern(terms[0], terms[1], terms[2], graph):
            triple = (to_rdflib(quad.subject), to_rdflib(quad.predicate), to_rdflib(quad.object))
            if seen is not None:
                if triple in seen:
                    continue
                seen.add(triple)
            yield triple, iter(())

    def __len__(self, context: Any = None) -> int:
        graph = self._graph_of(context)
        where = f"GRAPH <{graph.value}> {{ ?s ?p ?o }}" if graph is not None else "?s ?p ?o"
        distinct = "" if graph is not None else "DISTINCT "
        result: Any = self.ox.query(f"SELECT (COUNT({distinct}*) AS ?n) WHERE {{ {where} }}",
                                    use_default_graph_as_union=True)
        return int(next(iter(result))[0].value)

    def contexts(self, triple: Any = None) -> Generator[Any, None, None]:
        from rdflib import Graph, URIRef

        for iri in sorted(self.graphs):
            yield Graph(store=self, identifier=URIRef(iri))

    def add_graph(self, graph: Graph) -> None:
        """Asking for a graph changes nothing (read-only)."""

    def add(self, triple: Any, context: Any, quoted: bool = False) -> None:
        raise TypeError("the Oxigraph store is served read-only")

    def remove(self, triple: Any, context: Any = None) -> None:
        raise TypeError("the Oxigraph store is served read-only")

    def bind(self, prefix: str, namespace: Any, override: bool = True) -> None:
        if override or prefix not in self._prefixes:
            self._prefixes[prefix] = namespace

    def namespace(self, prefix: str) -> Any:
        return self._prefixes.get(prefix)

    def prefix(self, namespace: Any) -> str | None:
        return next((p for p, n in self._prefixes.items() if n == namespace), None)

    def namespaces(self) -> Iterator[tuple[str, Any]]:
        yield from self._prefixes.items()


def opener(path: Path) -> Callable[[], pyoxigraph.Store]:
    """What a query worker calls after the fork: its own read-only handle on the store."""
    def open_read_only() -> pyoxigraph.Store:
        import pyoxigraph as ox

        return ox.Store.read_only(str(path))

    return open_read_only


def graph_names(store: pyoxigraph.Store) -> frozenset[str]:
    import pyoxigraph as ox

    return frozenset(g.value for g in store.named_graphs() if isinstance(g, ox.NamedNode))


def subject_graphs(store: pyoxigraph.Store) -> dict[str, tuple[str, ...]]:
    """Each IRI subject and the named graphs holding triples about it (one pass over the store)."""
    import pyoxigraph as ox

    found: dict[str, dict[str, None]] = {}
    for quad in store.quads_for_pattern(None, None, None, None):
        if isinstance(quad.subject, ox.NamedNode) and isinstance(quad.graph_name, ox.NamedNode):
            found.setdefault(quad.subject.value, {})[quad.graph_name.value] = None
    return {s: tuple(sorted(gs)) for s, gs in found.items()}


def modified(path: Path) -> float:
    """The newest modification time of the store's files."""
    return max((p.stat().st_mtime for p in Path(path).iterdir()), default=Path(path).stat().st_mtime)


def void(loaded: Any, graph: Graph, store: pyoxigraph.Store) -> bytes:
    """The VoID description of the served store (as ``egovgraph build`` writes it, without file names).

    Its ``dcterms:identifier`` is the SHA-256 of the store's sorted, distinct N-Triples as pyoxigraph
    writes them (``egovgraph build`` hashes rdflib's N-Triples, so the two need not be equal).
    """
    from .build import void_description
    from .formats import serialize_graph

    lines = sorted({f"{q.subject} {q.predicate} {q.object} .\n" for q in store.quads_for_pattern(None, None, None)})
    digest = hashlib.sha256("".join(lines).encode("utf-8")).hexdigest()
    return serialize_graph(void_description(loaded, graph, digest), "ttl", loaded.base)


def named(graphs: frozenset[str]) -> dict[URIRef, tuple[Path, ...]]:
    from rdflib import URIRef

    return {URIRef(g): () for g in sorted(graphs)}
