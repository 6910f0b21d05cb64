"""The server's settings, named limits and state: everything the handlers read, loaded once before serving.

The limits are named constants here (re-exported by ``egovgraph.server``); ``build_state`` loads the
graph, renders the dumps, opens the SPARQL store and prepares the query worker pool.
"""

from __future__ import annotations

import hashlib
import os
import threading
from collections import Counter, OrderedDict
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import quote

from .protocol import Response
from .vocab import DEFAULT_BASE

if TYPE_CHECKING:
    import pyoxigraph
    from rdflib import Graph

    from .load import Loaded
    from .workers import WorkerPool


#: Address the server binds to unless told otherwise (loopback only).
DEFAULT_HOST = "127.0.0.1"
DEFAULT_PORT = 8000
#: Seconds one SPARQL query may run before it is stopped (answered with 422 Unprocessable Content).
QUERY_TIMEOUT = 5.0
#: Rows (or triples) a SPARQL result is capped at; the header ``X-Result-Truncated`` says when it was.
ROW_LIMIT = 10_000
#: Rows shown in the HTML result table of the query page.
HTML_ROW_LIMIT = 1_000
#: Bytes a request body (a POSTed query or form) may have; more is answered with 413.
MAX_BODY = 256 * 1024
#: Answers to SPARQL queries kept in memory (the data never changes while serving); 0 turns caching off.
RESULT_CACHE_SIZE = 512
#: Answers larger than this are not cached.
CACHE_MAX_BYTES = 2 * 1024 * 1024
#: Seconds an idle keep-alive connection stays open (short ones race with clients reusing them).
KEEP_ALIVE = 30
#: Threads answering requests (a SPARQL query waits in one of them for a query worker's answer).
THREADS = 32
#: Long-lived forked processes evaluating SPARQL queries (``--workers``): one per CPU, at least two, so a
#: slow query never holds up all others.
QUERY_WORKERS = max(2, os.cpu_count() or 2)
CSP = ("default-src 'none'; style-src 'self'; img-src 'self'; form-action 'self'; base-uri 'none'; "
       "frame-ancestors 'none'")
ONTOLOGY_IRI = DEFAULT_BASE + "ontology"



# --------------------------------------------------------------------------- settings


@dataclass(frozen=True)
class Settings:
    """The named limits of a running server."""

    base_iri: str = DEFAULT_BASE
    timeout: float = QUERY_TIMEOUT
    row_limit: int = ROW_LIMIT
    max_body: int = MAX_BODY
    cache_size: int = RESULT_CACHE_SIZE
    workers: int = QUERY_WORKERS


# --------------------------------------------------------------------------- state


class _ResultCache:
    """A bounded LRU of finished answers, shared by the worker threads."""

    def __init__(self, size: int) -> None:
        self.size = size
        self._items: OrderedDict[tuple[object, ...], Response] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key: tuple[object, ...]) -> Response | None:
        if not self.size:
            return None
        with self._lock:
            hit = self._items.get(key)
            if hit is not None:
                self._items.move_to_end(key)
            return hit

    def put(self, key: tuple[object, ...], response: Response) -> None:
        if not self.size or len(response.body) > CACHE_MAX_BYTES:
            return
        with self._lock:
            self._items[key] = response
            while len(self._items) > self.size:
                self._items.popitem(last=False)


@dataclass(frozen=True, eq=False)
class State:
    """Everything the handlers read; built once at start, never changed while serving."""

    loaded: Loaded
    graph: Graph
    store: pyoxigraph.Store
    settings: Settings
    files: dict[str, bytes]
    etags: dict[str, str]
    modified: float
    labels: dict[str, dict[str, str]]
    class_counts: Counter[str]
    triples: int
    entities: int
    graph_iris: frozenset[str]
    prefixes: dict[str, str]
    graph_sizes: dict[str, int]
    subject_graphs: dict[str, tuple[str, ...]]
    cache: _ResultCache
    pool: WorkerPool

    @property
    def base(self) -> str:
        return self.loaded.base

    def label(self, iri: str, lang: str) -> str | None:
        return self.labels[lang].get(iri)

    def local_path(self, iri: str) -> str | None:
        """The path this server answers an IRI at, or None for IRIs it does not describe."""
        for prefix in {self.base, DEFAULT_BASE}:
            if iri.startswith(prefix):
                rel = iri[len(prefix):]
                if rel.startswith("ontology"):
                    return "/ontology" + rel[len("ontology"):]
                if rel.startswith(("id/", "vocab/")):
                    return "/doc/" + quote(rel, safe="/:@!$&'()*+,;=-._~")
                if rel.startswith("graph/") and iri in self.graph_iris:
                    return "/" + quote(rel, safe="/:@!$&'()*+,;=-._~")
        return None

    def iri_of(self, rel: str) -> str:
        """The IRI a base-relative path (``id/land/bremen``, ``vocab/status/planned``) stands for."""
        return (self.base if rel.startswith("id/") else DEFAULT_BASE) + rel


def build_state(
    data_dir: Path | None = None, *, files: Sequence[Path] = (), settings: Settings | None = None,
    oxigraph: Path | None = None,
) -> State:
    """Load the graph, render the dumps and open the SPARQL store once, before the first request.

    With ``oxigraph`` (a persistent store made by ``egovgraph load --store oxigraph:PATH``) nothing is
    loaded: the pages read that store through rdflib, SPARQL runs on it, and there are no dumps.
    """
    from rdflib import URIRef

    from .build import render
    from .load import iter_files, load
    from .oxstore import open_store

    settings = settings or Settings()
    if oxigraph is not None:
        if data_dir is not None or files:
            from .errors import InputError

            raise InputError("--data and --file choose the files to load: with --store oxigraph:PATH the "
                             "server serves that store as it is (load it with `egovgraph load --store`)")
        return _store_state(oxigraph, settings)
    loaded = load(data_dir, files=files, base_iri=settings.base_iri)
    graph_of_file = {path: str(g) for g, paths in loaded.graph_files.items() for path in paths}
    subject_graphs = {str(s): tuple(dict.fromkeys(graph_of_file[p] for p in paths))
                      for s, paths in loaded.subject_files.items() if isinstance(s, URIRef)}
    return _state(loaded, loaded.union(), open_store(loaded), settings, files=render(loaded),
                  modified=max(p.stat().st_mtime for p in iter_files(loaded)), subject_graphs=subject_graphs)


def _store_state(path: Path, settings: Settings) -> State:
    from rdflib import Dataset, Graph

    from . import storeview
    from .load import Loaded
    from .stores import open_oxigraph

    store = open_oxigraph(path).store
    graphs = storeview.graph_names(store)
    backend = storeview.OxigraphBackend(store, graphs)
    loaded = Loaded(dataset=Dataset(store=backend, default_union=True), base=settings.base_iri, data_dir=path,
                    graph_files=storeview.named(graphs), subject_files={})
    graph = Graph(store=backend)
    return _state(loaded, graph, store, settings, files={"void.ttl": storeview.void(loaded, graph, store)},
                  modified=storeview.modified(path), subject_graphs=storeview.subject_graphs(store),
                  reopen=storeview.opener(path))


def _state(loaded: Loaded, graph: Graph, store: pyoxigraph.Store, settings: Settings, *, files: dict[str, bytes],
           modified: float, subject_graphs: dict[str, tuple[str, ...]],
           reopen: Callable[[], pyoxigraph.Store] | None = None) -> State:
    from rdflib import Literal, URIRef
    from rdflib.namespace import RDF, RDFS, SKOS

    from .names import all_prefixes
    from .workers import WorkerPool

    etags = {name: '"' + hashlib.sha256(body).hexdigest()[:32] + '"' for name, body in files.items()}
    labels: dict[str, dict[str, str]] = {"de": {}, "en": {}}
    ranks: dict[tuple[str, str], tuple[int, str]] = {}
    for pred, pred_rank in ((RDFS.label, 0), (SKOS.prefLabel, 1)):
        for s, o in graph.subject_objects(pred):
            if not isinstance(s, URIRef) or not isinstance(o, Literal):
                continue
            for lang in ("de", "en"):
                rank = (pred_rank * 3 + (0 if o.language == lang else 1 if not o.language else 2), str(o))
                key = (lang, str(s))
                if key not in ranks or rank < ranks[key]:
                    ranks[key] = rank
                    labels[lang][str(s)] = str(o)
    ids = loaded.base + "id/"
    class_counts: Counter[str] = Counter(
        str(o) for s, o in graph.subject_objects(RDF.type) if isinstance(s, URIRef) and s.startswith(ids)
    )
    prefixes = all_prefixes(loaded.base)  # land:, person: ... follow --base-iri; the vocabularies do not
    return State(
        loaded=loaded, graph=graph, store=store, settings=settings, files=files, etags=etags,
        modified=modified, labels=labels, class_counts=class_counts, triples=len(graph),
        entities=sum(1 for s in subject_graphs if s.startswith(ids)),
        graph_iris=frozenset(str(g) for g in loaded.graph_files), prefixes=prefixes,
        graph_sizes={str(g): len(loaded.dataset.graph(g)) for g in loaded.graph_files}, subject_graphs=subject_graphs,
        cache=_ResultCache(settings.cache_size),
        pool=WorkerPool(store, settings.workers, prefixes=prefixes, reopen=reopen),
    )
