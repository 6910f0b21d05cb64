"""Where queries run: the built graph in memory, a persistent Oxigraph store on disk, or a SPARQL endpoint.

Every store answers a prepared query with the same :class:`egovgraph.sparql.run.QueryResult` (pyoxigraph
terms), so ``egovgraph query`` prints the same bytes whichever store it asks. ``open_store_spec`` turns
the command-line spelling (``embedded``, ``oxigraph:PATH``) into a store; :class:`RemoteStore` talks
the SPARQL 1.1 protocol (GET, or a form POST for long queries: never the query as a raw POST body,
which Virtuoso never answers) through :mod:`egovgraph.stores.remote`, which enforces the timeout itself.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any, Protocol

from egovgraph.errors import InputError, StoreError
from egovgraph.graph.oxigraph import dump_format
from egovgraph.sparql.text import QueryText
from egovgraph.sparql.values import QUERY_PREFIXES
from egovgraph.vocab.labels import label_query, rank_labels

if TYPE_CHECKING:
    import pyoxigraph

    from egovgraph.sparql.run import QueryResult
    from egovgraph.stores.remote import Endpoint

#: Bytes of input between two progress reports while loading a dump.
PROGRESS_EVERY = 4_000_000
_DECLARED = re.compile(r"\bPREFIX\s+([A-Za-z][\w.-]*)?:", re.IGNORECASE)

Progress = Callable[[int, int, int], None]  # (bytes read, total bytes, quads loaded)


class Store(Protocol):
    """What a command needs from a store: evaluate a checked query, and label IRIs."""

    description: str

    def query(self, prepared: QueryText, *, timeout: float | None, limit: int | None) -> QueryResult: ...

    def labels(self, iris: list[str], lang: str = "de") -> dict[str, str]: ...

    def notes(self, prepared: QueryText, result: QueryResult) -> list[str]: ...


@dataclass
class OxStore:
    """A pyoxigraph store: the built graph in memory (embedded) or a persistent store on disk (oxigraph)."""

    store: pyoxigraph.Store
    description: str = "the embedded graph"

    def query(self, prepared: QueryText, *, timeout: float | None, limit: int | None) -> QueryResult:

        from egovgraph.sparql.run import execute

        return execute(prepared, self.store, timeout=timeout, limit=limit)

    def labels(self, iris: list[str], lang: str = "de") -> dict[str, str]:
        from egovgraph.sparql.run import labels

        return labels(self.store, iris, lang)

    def notes(self, prepared: QueryText, result: QueryResult) -> list[str]:
        """Warnings on unknown egov: terms, hints on resource IRIs that name nothing (an empty result)."""
        from egovgraph.sparql import diagnose

        store = self.store
        return diagnose.notes(prepared, not result, diagnose.store_exists(store), diagnose.store_of_kind(store))


def embedded(source: object = None, *, data_dir: Path | None = None) -> OxStore:
    """The built graph in memory: the bundled data, ``data_dir``, a dump, an rdflib graph or a Store.

    A dump that would not fit in the memory available is refused (:func:`egovgraph.graph.memory.check_fits`).
    """
    from egovgraph.graph.oxigraph import open_store

    return OxStore(open_store(source, data_dir=data_dir))


def open_oxigraph(path: Path, *, create: bool = False) -> OxStore:
    """A persistent Oxigraph store at ``path`` (created when ``create``; read-only otherwise)."""
    import pyoxigraph as ox

    path = Path(path)
    if path.exists() and not path.is_dir():
        raise StoreError(
            f"{path} is a file, not an Oxigraph store directory: give a directory, e.g. "
            "--store oxigraph:./egovgraph-store"
        )
    empty = not path.exists() or not any(path.iterdir())
    if not empty and not (path / "CURRENT").is_file():
        raise StoreError(
            f"{path} is not an Oxigraph store (no CURRENT file in it): give an empty or new "
            "directory to `egovgraph load --store oxigraph:PATH`"
        )
    if empty and not create:
        raise StoreError(
            f"there is no Oxigraph store at {path}: load one first with `egovgraph load --store oxigraph:{path}`"
        )
    try:
        store = ox.Store(str(path)) if create else ox.Store.read_only(str(path))
    except OSError as err:
        if "lock" in str(err).lower():
            raise StoreError(
                f"the Oxigraph store {path} is locked by another process (a running "
                "`egovgraph load` or `oxigraph serve`?): stop it or wait until it ends"
            ) from None
        raise StoreError(f"cannot open the Oxigraph store {path}: {err}") from None
    return OxStore(store, description=f"the Oxigraph store {path}")


def load_oxigraph(path: Path, dump: Path | None = None, *, progress: Progress | None = None) -> int:
    """Replace the content of the Oxigraph store at ``path`` with a dump (default: the bundled build).

    Uses the bulk loader (no transaction: a failed load leaves a partial store, so load again).
    Returns the number of quads in the store afterwards.
    """
    import io

    import pyoxigraph as ox

    target = open_oxigraph(path, create=True).store
    if dump is None:
        data, fmt, base, name = bundled_build(), ox.RdfFormat.TRIG, None, "the bundled build"
        total = len(data)
        stream: IO[bytes] = io.BytesIO(data)
    else:
        dump = Path(dump)
        found = dump_format(dump)
        fmt, base, name, total = found, dump.resolve().as_uri(), str(dump), dump.stat().st_size
        stream = dump.open("rb")
    counted = _Counting(stream, total, progress)
    try:
        target.clear()
        quads = ox.parse(counted, format=fmt, base_iri=base)  # type: ignore[arg-type]  # a binary reader
        target.bulk_extend(counted.count(quads))
        target.flush()
    except SyntaxError as err:
        raise InputError(f"{name}: {err}; the store {path} is incomplete: fix the file and load again") from None
    except OSError as err:
        raise StoreError(f"loading {name} into {path} failed: {err}") from None
    finally:
        stream.close()
    counted.report(force=True)
    return len(target)


def bundled_build() -> bytes:
    from egovgraph.graph.build import DUMP_NAME, render
    from egovgraph.graph.load import load

    return render(load())[f"{DUMP_NAME}.trig"]


class _Counting:
    """A binary reader that reports progress as the parser consumes it."""

    def __init__(self, raw: IO[bytes], total: int, progress: Progress | None) -> None:
        self.raw, self.total, self.progress = raw, total, progress
        self.done = self.quads = self._last = 0

    def read(self, size: int = -1) -> bytes:
        chunk = self.raw.read(size)
        self.done += len(chunk)
        self.report()
        return chunk

    def readinto(self, buffer: Any) -> int:
        chunk = self.read(len(buffer))
        buffer[: len(chunk)] = chunk
        return len(chunk)

    def count(self, quads: Iterator[pyoxigraph.Quad]) -> Iterator[pyoxigraph.Quad]:
        for quad in quads:
            self.quads += 1
            yield quad

    def report(self, *, force: bool = False) -> None:
        if self.progress is not None and (force or self.done - self._last >= PROGRESS_EVERY):
            self._last = self.done
            self.progress(self.done, self.total, self.quads)


def open_store_spec(spec: str | None, *, dump: Path | None = None, data_dir: Path | None = None) -> Store:
    """The store named on the command line: ``None`` or ``embedded`` (with --dump/--data), ``oxigraph:PATH``."""
    if spec is None or spec == "embedded":
        return embedded(dump, data_dir=data_dir)
    kind, _, rest = spec.partition(":")
    if kind == "oxigraph" and rest:
        if dump is not None or data_dir is not None:
            raise InputError(
                "--dump and --data choose what the embedded store holds: with --store "
                "oxigraph:PATH, load the data once with `egovgraph load --store oxigraph:PATH FILE`"
            )
        return open_oxigraph(Path(rest))
    raise InputError(
        f"unknown store {spec!r}: give 'embedded' or 'oxigraph:PATH' (for a SPARQL endpoint use --endpoint URL)"
    )


@dataclass
class RemoteStore:
    """A SPARQL 1.1 endpoint, read through the protocol; ``graph`` is the default graph queries see."""

    endpoint: Endpoint
    graph: str | None = None
    description: str = field(init=False)

    def __post_init__(self) -> None:
        self.description = f"the SPARQL endpoint {self.endpoint.display}"

    def query(
        self,
        prepared: QueryText,
        *,
        timeout: float | None,
        limit: int | None,
        dataset: tuple[tuple[str, ...], tuple[str, ...]] | None = None,
        prefixes: Mapping[str, str] = QUERY_PREFIXES,
    ) -> QueryResult:
        """Evaluate on the endpoint; ``dataset`` (default graphs, named graphs) replaces ``graph``, ``prefixes``
        are declared where the query uses them without declaring them."""
        from egovgraph.errors import QueryError
        from egovgraph.sparql.run import QueryResult

        if limit is not None and limit < 1:
            raise QueryError(f"limit {limit} must be at least 1")
        if dataset is None:  # FROM goes to no endpoint: what it would do there (load? dereference?) is its own
            from egovgraph.sparql.text import check_graphs

            check_graphs(prepared, ())
        text = with_prefixes(prepared.text, prefixes)
        graphs, named = (list(dataset[0]), list(dataset[1])) if dataset else ([self.graph] if self.graph else [], [])
        if prepared.form in ("CONSTRUCT", "DESCRIBE"):
            triples = self.endpoint.construct(text, timeout=timeout, default_graphs=graphs, named_graphs=named)
            truncated = limit is not None and len(triples) > limit
            return QueryResult(
                prepared.form,
                triples=tuple(triples[:limit] if truncated else triples),
                truncated=truncated,
                limit=limit,
            )
        answer = self.endpoint.select(text, timeout=timeout, default_graphs=graphs, named_graphs=named)
        if isinstance(answer, bool):
            return QueryResult("ASK", boolean=answer)
        variables, rows = answer
        truncated = limit is not None and len(rows) > limit
        return QueryResult(
            "SELECT",
            variables=variables,
            solutions=tuple(rows[:limit] if truncated else rows),
            truncated=truncated,
            limit=limit,
        )

    def labels(self, iris: list[str], lang: str = "de") -> dict[str, str]:
        if not iris:
            return {}
        answer = self.endpoint.select(
            label_query(iris), timeout=None, default_graphs=[self.graph] if self.graph else []
        )
        rows = answer[1] if isinstance(answer, tuple) else []
        found = ((s.value, p.value, o.language, o.value) for s, p, o in rows if s and p and o)
        return rank_labels(found, (lang,))[lang]

    def notes(self, prepared: QueryText, result: QueryResult) -> list[str]:
        """None: finding out what an endpoint's graph defines would cost round trips of its own."""
        return []


def with_prefixes(text: str, prefixes: Mapping[str, str] = QUERY_PREFIXES) -> str:
    """The query with PREFIX lines for the prefixes (default: the project's) it does not declare itself."""
    declared = {m.group(1) or "" for m in _DECLARED.finditer(text)}
    lines = [f"PREFIX {p}: <{ns}>" for p, ns in prefixes.items() if p not in declared]
    return "\n".join([*lines, text])
