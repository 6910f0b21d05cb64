"""Ontology and data files -> one RDF dataset with a named graph per source; parse errors name file and line."""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from rdflib import Dataset, Graph, URIRef
from rdflib.term import Node

from egovgraph.errors import DataSyntaxError, InputError
from egovgraph.vocab.names import (
    ONTOLOGY_FILES,
    ONTOLOGY_GRAPH,
    REFERENCE_GRAPH,
    data_files,
    default_data_dir,
    default_ontology_dir,
    file_plan,
    graph_name,
    resource_root,
)
from egovgraph.vocab.namespaces import DEFAULT_BASE, PREFIXES, graph_iri, resource_prefixes

__all__ = [
    "ONTOLOGY_FILES",
    "ONTOLOGY_GRAPH",
    "REFERENCE_GRAPH",
    "Loaded",
    "bind_prefixes",
    "data_files",
    "default_data_dir",
    "default_ontology_dir",
    "graph_name",
    "load",
    "new_graph",
    "parse_graph",
    "parse_turtle",
    "resource_root",
]


Triple = tuple[Node, Node, Node]


@dataclass(frozen=True)
class Loaded:
    """A loaded build: the dataset plus where each named graph and each subject came from."""

    dataset: Dataset
    base: str
    data_dir: Path
    graph_files: dict[URIRef, tuple[Path, ...]]
    subject_files: dict[Node, tuple[Path, ...]] = field(repr=False)

    def union(self) -> Graph:
        """All graphs (ontology, reference data, sources) as one plain graph."""
        g = new_graph(self.base)
        for ctx in self.dataset.graphs():
            for triple in ctx:
                g.add(triple)
        return g

    def data_graph_iris(self) -> list[URIRef]:
        """The named graphs holding data (everything but the ontology), sorted."""
        onto = graph_iri(ONTOLOGY_GRAPH, self.base)
        return sorted(g for g in self.graph_files if g != onto)


def new_graph(base: str = DEFAULT_BASE) -> Graph:
    """An empty graph with the project's prefixes bound (and no others)."""
    g = Graph(bind_namespaces="none")
    bind_prefixes(g, base)
    return g


def bind_prefixes(g: Graph, base: str = DEFAULT_BASE) -> None:
    # rdflib's RDF/XML writer needs the xml prefix bound for xml:lang, even without other defaults.
    g.bind("xml", "http://www.w3.org/XML/1998/namespace", override=True, replace=True)
    for prefix, ns in {**PREFIXES, **resource_prefixes(base)}.items():
        g.bind(prefix, ns, override=True, replace=True)


def parse_turtle(path: Path, base: str = DEFAULT_BASE) -> list[Triple]:
    """Parse one Turtle file into rdflib triples, rebased to ``base``; syntax errors name line and column."""
    import pyoxigraph

    if not path.is_file():
        raise InputError(f"{path} does not exist" if not path.exists() else f"{path} is not a file")
    try:
        raw = path.read_bytes()
    except OSError as err:
        raise InputError(f"cannot read {path}: {err.strerror}") from err
    try:
        quads = list(pyoxigraph.parse(raw, format=pyoxigraph.RdfFormat.TURTLE, base_iri=path.resolve().as_uri()))
    except SyntaxError as err:
        reason = _syntax_reason(str(err.msg or err))
        raise DataSyntaxError(path, err.lineno, err.offset, reason) from None
    except ValueError as err:  # invalid UTF-8 and similar encoding problems
        raise DataSyntaxError(path, None, None, f"{err} (expected UTF-8 Turtle)") from None
    if not quads:
        raise DataSyntaxError(path, None, None, "the file holds no triples (expected Turtle statements)")
    convert = _converter(base)
    return [(convert(q.subject), convert(q.predicate), convert(q.object)) for q in quads]


def _syntax_reason(message: str) -> str:
    # pyoxigraph says "Parser error at line 6 between columns 1 and 5: A dot is expected ... (file, line 6)";
    # the position is reported separately, so keep the reason only.
    reason = message.split(": ", 1)[1] if message.startswith("Parser error at") and ": " in message else message
    if reason.endswith(")") and " line " in reason and "(" in reason:
        reason = reason[: reason.rfind("(")].rstrip()
    return reason


def _converter(base: str) -> Callable[[object], Node]:
    old = DEFAULT_BASE + "id/"
    new = base + "id/"
    cache: dict[str, URIRef] = {}

    def iri(value: str) -> URIRef:
        term = cache.get(value)
        if term is None:
            term = URIRef(new + value[len(old) :] if base != DEFAULT_BASE and value.startswith(old) else value)
            cache[value] = term
        return term

    def convert(term: object) -> Node:
        import pyoxigraph

        from egovgraph.stores.oxigraph import to_rdflib

        if isinstance(term, pyoxigraph.NamedNode):
            return iri(term.value)
        converted = to_rdflib(term)
        assert converted is not None
        return converted

    return convert


def check_base_iri(base_iri: str) -> None:
    """A base IRI is an absolute http(s) IRI ending in '/', without spaces or fragments."""
    from urllib.parse import urlsplit

    parts = urlsplit(base_iri)
    if parts.scheme not in ("http", "https") or not parts.netloc or not base_iri.endswith("/"):
        raise InputError(f"base IRI {base_iri!r} must be an http(s) IRI ending in '/' (e.g. https://example.org/egov/)")
    if any(c in base_iri for c in ' <>"{}|\\^`#?'):
        raise InputError(f"base IRI {base_iri!r} must not contain spaces, '#', '?' or characters not allowed in IRIs")


def load(
    data_dir: Path | None = None,
    *,
    files: Sequence[Path] = (),
    base_iri: str = DEFAULT_BASE,
    ontology_dir: Path | None = None,
) -> Loaded:
    """Load the ontology and the data of ``data_dir`` (default: the bundled data) into one dataset.

    ``files`` are layered over the data directory: a file with the same name as a bundled one replaces
    it, any other is added. Each source file becomes a named graph; reference data and the ontology get
    one graph each.
    """
    check_base_iri(base_iri)
    data_dir = Path(data_dir) if data_dir is not None else default_data_dir()
    plan = file_plan(data_dir, list(files), ontology_dir)
    return _assemble(plan, base_iri, data_dir)


@contextmanager
def _quiet_literal_conversion() -> Iterator[None]:
    """rdflib logs a traceback for every ill-typed literal; validation reports those properly instead."""
    logger = logging.getLogger("rdflib.term")
    level = logger.level
    logger.setLevel(logging.CRITICAL)
    try:
        yield
    finally:
        logger.setLevel(level)


def _assemble(plan: Iterable[tuple[str, Path]], base: str, data_dir: Path) -> Loaded:
    with _quiet_literal_conversion():
        return _assemble_quietly(plan, base, data_dir)


def _assemble_quietly(plan: Iterable[tuple[str, Path]], base: str, data_dir: Path) -> Loaded:
    ds = Dataset(default_union=True)
    bind_prefixes(ds, base)
    graph_files: dict[URIRef, list[Path]] = {}
    subject_files: dict[Node, list[Path]] = {}
    for name, path in plan:
        g_iri = graph_iri(name, base)
        triples = parse_turtle(path, base)
        graph = ds.graph(g_iri)
        graph.addN((s, p, o, graph) for s, p, o in triples)
        graph_files.setdefault(g_iri, []).append(path)
        for s, _, _ in triples:
            seen = subject_files.setdefault(s, [])
            if not seen or seen[-1] != path:
                seen.append(path)
    return Loaded(
        dataset=ds,
        base=base,
        data_dir=data_dir,
        graph_files={k: tuple(v) for k, v in graph_files.items()},
        subject_files={k: tuple(dict.fromkeys(v)) for k, v in subject_files.items()},
    )


def parse_graph(paths: Iterable[Path], base: str = DEFAULT_BASE) -> Graph:
    """Parse Turtle files into one plain graph (used for the shapes and the external axioms)."""
    g = new_graph(base)
    for path in paths:
        for triple in parse_turtle(path, base):
            g.add(triple)
    return g


def iter_files(loaded: Loaded) -> Iterator[Path]:
    """Every file the build was loaded from, in load order."""
    for paths in loaded.graph_files.values():
        yield from paths
