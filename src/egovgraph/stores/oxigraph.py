"""RDF into a pyoxigraph Store for SPARQL: the data files directly, a dump, or an rdflib graph or build.

Reading the Turtle files straight into pyoxigraph keeps ``egovgraph query`` free of rdflib (whose import
alone costs more than loading and querying the bundled graph). The files go to the same named graphs
as :func:`egovgraph.graph.load.load`; a test keeps the two stores equal.
"""

from __future__ import annotations

import os

from egovgraph.errors import DataSyntaxError, InputError
from egovgraph.vocab import names
from egovgraph.vocab.names import graph_iri_text

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Iterator
    from pathlib import Path
    from typing import Any, TypeAlias

    import pyoxigraph
    from rdflib.term import Node

    Term: TypeAlias = Any  # a pyoxigraph NamedNode, BlankNode, Literal or Triple (the stubs have no common base)

_XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"
_RDF_LANGSTRING = "http://www.w3.org/1999/02/22-rdf-syntax-ns#langString"
_BULK_BYTES = 8_000_000
_URI_SAFE = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_.-~/"


def file_plan(data_dir: Path | None = None) -> list[tuple[str, Path]]:
    """(graph IRI, file) for the ontology and every data file, as load() assigns them."""
    return [(graph_iri_text(name), path) for name, path in names.file_plan(data_dir)]


def file_uri(path: str | os.PathLike[str], real_dirs: dict[str, str] | None = None) -> str:
    """``Path(path).resolve().as_uri()`` without importing pathlib (and with it urllib.parse).

    ``real_dirs`` caches the resolved directories while loading many files from few of them.
    """
    directory, name = os.path.split(os.fspath(path))
    if real_dirs is None or name in ("", ".", "..") or os.path.islink(path):
        real = os.path.realpath(path)
    else:
        if directory not in real_dirs:
            real_dirs[directory] = os.path.realpath(directory or ".")
        real = os.path.join(real_dirs[directory], name)
    raw = os.fsencode(real)
    if not raw.translate(None, _URI_SAFE):  # nothing to quote
        return "file://" + raw.decode("ascii")
    return "file://" + "".join(chr(b) if b in _URI_SAFE else f"%{b:02X}" for b in raw)


def _shown(path: str | os.PathLike[str]) -> str:
    """A path as the command line shows it (as a :class:`pathlib.Path` prints)."""
    from pathlib import Path

    return str(Path(path))


def load_files(data_dir: str | os.PathLike[str] | None = None) -> pyoxigraph.Store:
    """The ontology and the data files (default: the bundled data) in a new in-memory store."""
    import pyoxigraph as ox

    store = ox.Store()
    real_dirs: dict[str, str] = {}
    for name, path in names.file_plan_text(None if data_dir is None else _shown(data_dir)):
        try:
            store.load(
                path=path,
                format=ox.RdfFormat.TURTLE,
                base_iri=file_uri(path, real_dirs),
                to_graph=ox.NamedNode(graph_iri_text(name)),
            )
        except (SyntaxError, ValueError, OSError):
            # Let load.py word the error exactly as `egovgraph validate` does (file, line, reason).
            from pathlib import Path

            from egovgraph.graph.load import parse_turtle

            parse_turtle(Path(path))
            raise InputError(f"cannot read {_shown(path)} as Turtle") from None
    return store


def dump_format(path: str | os.PathLike[str]) -> pyoxigraph.RdfFormat:
    """The RDF format of an existing dump file, from its extension; a clear error otherwise."""
    import pyoxigraph as ox

    if not os.path.isfile(path):
        shown = _shown(path)
        raise InputError(f"{shown} does not exist" if not os.path.exists(path) else f"{shown} is not a file")
    extension = names.suffix(os.fspath(path))
    fmt = ox.RdfFormat.from_extension(extension.lstrip("."))
    if fmt is None:
        raise InputError(
            f"{_shown(path)}: unknown RDF file extension {extension!r}: expected .nq, .trig, .nt, .ttl, .jsonld or .rdf"
        )
    return fmt


def load_dump(path: str | os.PathLike[str]) -> pyoxigraph.Store:
    """A dump of the graph (.nq, .trig, .nt, .ttl, .jsonld, .rdf) in a new in-memory store.

    A dump that would not fit in the memory available is refused (:func:`egovgraph.stores.memory.check_fits`).
    """
    import pyoxigraph as ox

    from egovgraph.stores.memory import check_fits

    fmt = dump_format(path)
    check_fits(path)
    store = ox.Store()
    # The bulk loader pays off for big dumps; for small ones a plain load starts faster.
    loader = store.bulk_load if os.stat(path).st_size > _BULK_BYTES else store.load
    try:
        loader(path=os.fspath(path), format=fmt, base_iri=file_uri(path))
    except SyntaxError as err:
        from pathlib import Path

        raise DataSyntaxError(Path(path), err.lineno, err.offset, str(err.msg or err)) from None
    except (ValueError, OSError) as err:
        raise InputError(f"cannot read {_shown(path)}: {err}") from None
    return store


def open_store(graph: object = None, *, data_dir: str | os.PathLike[str] | None = None) -> pyoxigraph.Store:
    """A store to query: an existing pyoxigraph Store, a dump or data directory, an rdflib graph or build.

    ``None`` means the bundled data (or ``data_dir``). rdflib graphs and :class:`egovgraph.graph.load.Loaded`
    builds are copied term by term, keeping their named graphs.
    """
    import pyoxigraph as ox

    if isinstance(graph, ox.Store):
        return graph
    if graph is None:
        return load_files(data_dir)
    if isinstance(graph, str | os.PathLike):
        return load_files(graph) if os.path.isdir(graph) else load_dump(graph)
    store = ox.Store()
    store.bulk_extend(_quads_of(graph))
    return store


def _quads_of(graph: object) -> Iterator[pyoxigraph.Quad]:
    import pyoxigraph as ox
    from rdflib import Dataset, Graph
    from rdflib.graph import DATASET_DEFAULT_GRAPH_ID, ConjunctiveGraph

    from egovgraph.graph.load import Loaded

    if isinstance(graph, Loaded):
        graph = graph.dataset
    if not isinstance(graph, Graph):
        raise InputError(
            f"cannot query a {type(graph).__name__}: give an rdflib Graph or Dataset, a Loaded "
            "build, a pyoxigraph Store, a dump file or a data directory"
        )
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
