"""RDF into a pyoxigraph Store for SPARQL: the data files directly, a dump, or an rdflib graph or build.

Reading the Turtle files straight into pyoxigraph keeps ``egovgraph query`` free of rdflib (a SELECT needs
pyoxigraph alone). The files go to the same named graphs as :func:`egovgraph.graph.load.load`; a test keeps
the two stores equal.
"""

from __future__ import annotations

import os
from pathlib import Path

from egovgraph.errors import DataSyntaxError, InputError
from egovgraph.vocab import names
from egovgraph.vocab.names import graph_iri_text
from egovgraph.vocab.terms import to_pyoxigraph_converter

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Iterator

    import pyoxigraph

_BULK_BYTES = 8_000_000


def file_plan(data_dir: Path | None = None) -> list[tuple[str, Path]]:
    """(graph IRI, file) for the ontology and every data file, as load() assigns them."""
    return [(graph_iri_text(name), path) for name, path in names.file_plan(data_dir)]


def file_uri(path: str | os.PathLike[str]) -> str:
    """The file: IRI of a file, as the base of the IRIs relative to it."""
    return Path(path).resolve().as_uri()


def load_files(data_dir: str | os.PathLike[str] | None = None) -> pyoxigraph.Store:
    """The ontology and the data files (default: the bundled data) in a new in-memory store."""
    import pyoxigraph as ox

    store = ox.Store()
    for name, path in names.file_plan(None if data_dir is None else Path(data_dir)):
        try:
            store.load(
                path=str(path),
                format=ox.RdfFormat.TURTLE,
                base_iri=file_uri(path),
                to_graph=ox.NamedNode(graph_iri_text(name)),
            )
        except (SyntaxError, ValueError, OSError):
            # Let load.py word the error exactly as `egovgraph validate` does (file, line, reason).
            from egovgraph.graph.load import parse_turtle

            parse_turtle(path)
            raise InputError(f"cannot read {path} as Turtle") from None
    return store


def dump_format(path: str | os.PathLike[str]) -> pyoxigraph.RdfFormat:
    """The RDF format of an existing dump file, from its extension; a clear error otherwise."""
    import pyoxigraph as ox

    if not os.path.isfile(path):
        shown = Path(path)
        raise InputError(f"{shown} does not exist" if not os.path.exists(path) else f"{shown} is not a file")
    extension = Path(path).suffix
    fmt = ox.RdfFormat.from_extension(extension.lstrip("."))
    if fmt is None:
        raise InputError(
            f"{Path(path)}: unknown RDF file extension {extension!r}: expected .nq, .trig, .nt, .ttl, .jsonld or .rdf"
        )
    return fmt


def load_dump(path: str | os.PathLike[str]) -> pyoxigraph.Store:
    """A dump of the graph (.nq, .trig, .nt, .ttl, .jsonld, .rdf) in a new in-memory store.

    A dump that would not fit in the memory available is refused (:func:`egovgraph.graph.memory.check_fits`).
    """
    import pyoxigraph as ox

    from egovgraph.graph.memory import check_fits

    fmt = dump_format(path)
    check_fits(path)
    store = ox.Store()
    # The bulk loader pays off for big dumps; for small ones a plain load starts faster.
    loader = store.bulk_load if os.stat(path).st_size > _BULK_BYTES else store.load
    try:
        loader(path=os.fspath(path), format=fmt, base_iri=file_uri(path))
    except SyntaxError as err:
        raise DataSyntaxError(Path(path), err.lineno, err.offset, str(err.msg or err)) from None
    except (ValueError, OSError) as err:
        raise InputError(f"cannot read {Path(path)}: {err}") from None
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
