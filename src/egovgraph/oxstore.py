"""RDF into a pyoxigraph Store for SPARQL: the data files directly, a dump, or an rdflib graph or build.

Reading the Turtle files straight into pyoxigraph keeps ``egovgraph query`` free of rdflib (whose import
alone costs more than loading and querying the bundled graph). The files go to the same named graphs
as :func:`egovgraph.load.load`; a test keeps the two stores equal.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

from . import names
from .errors import DataSyntaxError, InputError
from .names import graph_iri_text

if TYPE_CHECKING:
    import pyoxigraph
    from rdflib.term import Node

_XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"
_RDF_LANGSTRING = "http://www.w3.org/1999/02/22-rdf-syntax-ns#langString"
_BULK_BYTES = 8_000_000

Term = Any  # a pyoxigraph NamedNode, BlankNode, Literal or Triple (the stubs have no common base)


def file_plan(data_dir: Path | None = None) -> list[tuple[str, Path]]:
    """(graph IRI, file) for the ontology and every data file, as load() assigns them."""
    return [(graph_iri_text(name), path) for name, path in names.file_plan(data_dir)]


def load_files(data_dir: Path | None = None) -> pyoxigraph.Store:
    """The ontology and the data files (default: the bundled data) in a new in-memory store."""
    import pyoxigraph as ox

    store = ox.Store()
    for graph, path in file_plan(data_dir):
        try:
            store.load(path=path, format=ox.RdfFormat.TURTLE, base_iri=path.resolve().as_uri(),
                       to_graph=ox.NamedNode(graph))
        except (SyntaxError, ValueError, OSError):
            # Let load.py word the error exactly as `egovgraph validate` does (file, line, reason).
            from .load import parse_turtle

            parse_turtle(path)
            raise InputError(f"cannot read {path} as Turtle") from None
    return store


def dump_format(path: Path) -> pyoxigraph.RdfFormat:
    """The RDF format of an existing dump file, from its extension; a clear error otherwise."""
    import pyoxigraph as ox

    if not path.is_file():
        raise InputError(f"{path} does not exist" if not path.exists() else f"{path} is not a file")
    fmt = ox.RdfFormat.from_extension(path.suffix.lstrip("."))
    if fmt is None:
        raise InputError(f"{path}: unknown RDF file extension {path.suffix!r}: "
                         "expected .nq, .trig, .nt, .ttl, .jsonld or .rdf")
    return fmt


def load_dump(path: Path) -> pyoxigraph.Store:
    """A dump of the graph (.nq, .trig, .nt, .ttl, .jsonld, .rdf) in a new in-memory store."""
    import pyoxigraph as ox

    path = Path(path)
    fmt = dump_format(path)
    store = ox.Store()
    # The bulk loader pays off for big dumps; for small ones a plain load starts faster.
    loader = store.bulk_load if path.stat().st_size > _BULK_BYTES else store.load
    try:
        loader(path=path, format=fmt, base_iri=path.resolve().as_uri())
    except SyntaxError as err:
        raise DataSyntaxError(path, err.lineno, err.offset, str(err.msg or err)) from None
    except (ValueError, OSError) as err:
        raise InputError(f"cannot read {path}: {err}") from None
    return store


def open_store(graph: object = None, *, data_dir: Path | None = None) -> pyoxigraph.Store:
    """A store to query: an existing pyoxigraph Store, a dump or data directory, an rdflib graph or build.

    ``None`` means the bundled data (or ``data_dir``). rdflib graphs and :class:`egovgraph.load.Loaded`
    builds are copied term by term, keeping their named graphs.
    """
    import pyoxigraph as ox

    if isinstance(graph, ox.Store):
        return graph
    if graph is None:
        return load_files(data_dir)
    if isinstance(graph, str | Path):
        path = Path(graph)
        return load_files(path) if path.is_dir() else load_dump(path)
    store = ox.Store()
    store.bulk_extend(_quads_of(graph))
    return store


def _quads_of(graph: object) -> Iterator[pyoxigraph.Quad]:
    import pyoxigraph as ox
    from rdflib import Dataset, Graph
    from rdflib.graph import DATASET_DEFAULT_GRAPH_ID, ConjunctiveGraph

    from .load import Loaded

    if isinstance(graph, Loaded):
        graph = graph.dataset
    if not isinstance(graph, Graph):
        raise InputError(f"cannot query a {type(graph).__name__}: give an rdflib Graph or Dataset, a Loaded "
                         "build, a pyoxigraph Store, a dump file or a data directory")
    convert = to_pyoxigraph_converter()
    default = ox.DefaultGraph()
    if isinstance(graph, Dataset):
        for s, p, o, name in graph.quads((None, None, None, None)):
            target = default if name is None or name == DATASET_DEFAULT_GRAPH_ID else convert(name)
            yield ox.Quad(convert(s), convert(p), convert(o), target)
    elif isinstance(graph, ConjunctiveGraph):
        for s, p, o, ctx in graph.quads((None, None, None, None)):
            name = ctx.identifier if isinstance(ctx, Graph) else ctx
            target = default if name is None or name == DATASET_DEFAULT_GRAPH_ID else convert(name)
            yield ox.Quad(convert(s), convert(p), convert(o), target)
    else:
        for s, p, o in graph:
            yield ox.Quad(convert(s), convert(p), convert(o), default)


def to_pyoxigraph_converter() -> Any:
    """A function from rdflib terms to pyoxigraph terms (IRIs and blank nodes cached)."""
    import pyoxigraph as ox
    from rdflib import BNode, Literal, URIRef

    cache: dict[Node, Term] = {}

    def convert(term: Node) -> Term:
        hit = cache.get(term)
        if hit is not None:
            return hit
        out: Term
        if isinstance(term, URIRef):
            out = ox.NamedNode(str(term))
        elif isinstance(term, BNode):
            try:
                out = ox.BlankNode(str(term))
            except ValueError:
                out = ox.BlankNode()
        elif isinstance(term, Literal):
            if term.language:
                return ox.Literal(str(term), language=term.language)
            if term.datatype is not None:
                return ox.Literal(str(term), datatype=ox.NamedNode(str(term.datatype)))
            return ox.Literal(str(term))
        else:
            raise InputError(f"cannot convert the RDF term {term!r} for SPARQL")
        cache[term] = out
        return out

    return convert


def to_rdflib(term: Term | None) -> Node | None:
    """A pyoxigraph term as an rdflib term (``None`` stays ``None``); xsd:string literals become plain."""
    import pyoxigraph as ox
    from rdflib import BNode, Literal, URIRef

    if term is None:
        return None
    if isinstance(term, ox.NamedNode):
        return URIRef(term.value)
    if isinstance(term, ox.BlankNode):
        return BNode(term.value)
    if isinstance(term, ox.Literal):
        if term.language:
            return Literal(term.value, lang=term.language)
        if term.datatype.value in (_XSD_STRING, _RDF_LANGSTRING):
            return Literal(term.value)
        return Literal(term.value, datatype=URIRef(term.datatype.value))
    raise InputError(f"cannot convert the RDF term {term!r} to rdflib (RDF-star triples are not supported)")
