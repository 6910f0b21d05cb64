"""The server's settings, named limits and state: everything the handlers read, loaded once before serving.

The limits are named constants here (re-exported by ``egovgraph.server.app``); ``build_state`` loads the
graph, renders the dumps, opens the SPARQL store and prepares the query worker pool.
"""

from __future__ import annotations

import hashlib
import threading
import time
from collections import Counter, OrderedDict
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Protocol
from urllib.parse import quote

from egovgraph.defaults import (
    BODY_TIMEOUT,
    CACHE_MAX_BYTES,
    HEADER_TIMEOUT,
    LANE_WORKERS,
    MAX_BODY,
    MAX_CONNECTIONS,
    QUERY_TIMEOUT,
    QUERY_WORKERS,
    RESULT_CACHE_BYTES,
    ROW_LIMIT,
)
from egovgraph.server.http import Response
from egovgraph.vocab.labels import rank_labels
from egovgraph.vocab.names import ONTOLOGY_IRI
from egovgraph.vocab.namespaces import DEFAULT_BASE

if TYPE_CHECKING:
    from rdflib import Graph

    from egovgraph.graph.load import Loaded
    from egovgraph.sparql.pool import WorkerPool
    from egovgraph.stores.startup import StartupFacts
    from egovgraph.stores.view import RemoteQueries, RemoteSource, Source


CSP = (
    "default-src 'none'; style-src 'self'; img-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'"
)


# --------------------------------------------------------------------------- settings


@dataclass(frozen=True)
class Settings:
    """The named limits of a running server."""

    base_iri: str = DEFAULT_BASE
    timeout: float = QUERY_TIMEOUT
    row_limit: int = ROW_LIMIT
    max_body: int = MAX_BODY
    cache_bytes: int = RESULT_CACHE_BYTES
    workers: int = QUERY_WORKERS
    #: The reverse proxies whose Forwarded / X-Forwarded-* headers are believed (IPs, networks, "*").
    forwarded_allow_ips: tuple[str, ...] = ()
    header_timeout: float = HEADER_TIMEOUT
    body_timeout: float = BODY_TIMEOUT
    max_connections: int = MAX_CONNECTIONS
    lane_workers: int = LANE_WORKERS


# --------------------------------------------------------------------------- state


#: What one cached answer costs beyond its body and key text (the Response, its headers, the dict entry).
_ENTRY_OVERHEAD = 1024


class ResultCache:
    """A least-recently-used store of finished answers bounded by bytes, shared by the request threads.

    An answer costs its body, its key's text and :data:`_ENTRY_OVERHEAD`; answers over ``CACHE_MAX_BYTES``
    (or over the whole bound) are not kept. ``limit`` 0 turns caching off.
    """

    def __init__(self, limit: int) -> None:
        self.limit = limit
        self.bytes = 0
        self.hits = self.misses = 0
        self._items: OrderedDict[tuple[object, ...], tuple[Response, int]] = OrderedDict()
        self._lock = threading.Lock()

    def __len__(self) -> int:
        return len(self._items)

    def get(self, key: tuple[object, ...]) -> Response | None:
        if not self.limit:
            return None
        with self._lock:
            hit = self._items.get(key)
            if hit is None:
                self.misses += 1
                return None
            self._items.move_to_end(key)
            self.hits += 1
            return hit[0]

    def put(self, key: tuple[object, ...], response: Response) -> None:
        cost = len(response.body) + _key_size(key) + _ENTRY_OVERHEAD
        if not self.limit or len(response.body) > CACHE_MAX_BYTES or cost > self.limit:
            return
        with self._lock:
            old = self._items.pop(key, None)
            if old is not None:
                self.bytes -= old[1]
            self._items[key] = (response, cost)
            self.bytes += cost
            while self.bytes > self.limit:
                _, (_, freed) = self._items.popitem(last=False)
                self.bytes -= freed

    def status(self) -> dict[str, int]:
        """The figures /status reports: bytes held, the bound, answers, hits and misses."""
        with self._lock:
            return {
                "bytes": self.bytes,
                "limit": self.limit,
                "answers": len(self._items),
                "hits": self.hits,
                "misses": self.misses,
            }


def _key_size(key: tuple[object, ...]) -> int:
    return sum(
        len(part) if isinstance(part, str) else sum(len(p) for p in part) if isinstance(part, tuple) else 8
        for part in key
    )


class GraphLookup(Protocol):
    """The named graphs holding triples about a resource (a dict, or a lookup in a store)."""

    def get(self, iri: str, default: tuple[str, ...], /) -> tuple[str, ...]: ...


@dataclass(frozen=True, eq=False)
class State:
    """Everything the handlers read; built once at start, never changed while serving."""

    loaded: Loaded
    graph: Graph
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
    subject_graphs: GraphLookup
    ontology: Graph
    cache: ResultCache
    pool: WorkerPool | RemoteQueries
    #: What is served when it is not the loaded files: "the Oxigraph store PATH", "the SPARQL endpoint URL".
    served: str = ""
    #: The terms the ontology defines (for the warnings on unknown egov: terms).
    terms: frozenset[str] = frozenset()

    @property
    def base(self) -> str:
        return self.loaded.base

    def label(self, iri: str, lang: str) -> str | None:
        return self.labels[lang].get(iri)

    def local_path(self, iri: str) -> str | None:
        """The path this server answers an IRI at, or None for IRIs it does not describe."""
        for prefix in {self.base, DEFAULT_BASE}:
            if iri.startswith(prefix):
                rel = iri[len(prefix) :]
                if rel.startswith("ontology"):
                    return "/ontology" + rel[len("ontology") :]
                if rel.startswith(("id/", "vocab/")):
                    return "/doc/" + quote(rel, safe="/:@!$&'()*+,;=-._~")
                if rel.startswith("graph/") and iri in self.graph_iris:
                    return "/" + quote(rel, safe="/:@!$&'()*+,;=-._~")
        return None

    def iri_of(self, rel: str) -> str:
        """The IRI a base-relative path (``id/land/bremen``, ``vocab/status/planned``) stands for."""
        return (self.base if rel.startswith("id/") else DEFAULT_BASE) + rel


def build_state(
    data_dir: Path | None = None,
    *,
    files: Sequence[Path] = (),
    settings: Settings | None = None,
    oxigraph: Path | None = None,
    remote: RemoteSource | None = None,
) -> State:
    """Load the graph, render the dumps and open the SPARQL store once, before the first request.

    With ``oxigraph`` (a persistent store made by ``egovgraph load --store oxigraph:PATH``) or ``remote`` (a
    SPARQL endpoint) nothing is loaded: the pages read that store through rdflib, SPARQL runs on it, the
    counts are made inside it, and there are no dumps.
    """
    from rdflib import URIRef
    from rdflib.namespace import RDF

    from egovgraph.graph.build import render
    from egovgraph.graph.load import ONTOLOGY_GRAPH, iter_files, load
    from egovgraph.graph.oxigraph import open_store
    from egovgraph.sparql.pool import WorkerPool
    from egovgraph.vocab.namespaces import graph_iri

    settings = settings or Settings()
    if oxigraph is not None or remote is not None:
        if data_dir is not None or files:
            from egovgraph.errors import InputError

            raise InputError(
                "--data and --file choose the files to load: with --store or --endpoint the server "
                "serves that store as it is (load it with `egovgraph load --store` or "
                "`egovgraph publish`)"
            )
        return _store_state(settings, oxigraph=oxigraph, remote=remote)
    loaded = load(data_dir, files=files, base_iri=settings.base_iri)
    graph = loaded.union()
    graph_of_file = {path: str(g) for g, paths in loaded.graph_files.items() for path in paths}
    subject_graphs = {
        str(s): tuple(dict.fromkeys(graph_of_file[p] for p in paths))
        for s, paths in loaded.subject_files.items()
        if isinstance(s, URIRef)
    }
    ids = loaded.base + "id/"
    store = open_store(loaded)
    ontology = graph.__class__()
    for triple in loaded.dataset.graph(graph_iri(ONTOLOGY_GRAPH, loaded.base)):
        if str(triple[0]).startswith(ONTOLOGY_IRI):
            ontology.add(triple)
    outputs = render(loaded)
    return State(
        loaded=loaded,
        graph=graph,
        settings=settings,
        files=outputs,
        etags=_etags(outputs),
        modified=max(p.stat().st_mtime for p in iter_files(loaded)),
        labels=_labels(graph),
        class_counts=Counter(
            str(o) for s, o in graph.subject_objects(RDF.type) if isinstance(s, URIRef) and s.startswith(ids)
        ),
        triples=len(graph),
        entities=sum(1 for s in subject_graphs if s.startswith(ids)),
        graph_iris=frozenset(str(g) for g in loaded.graph_files),
        prefixes=_prefixes(loaded.base),
        graph_sizes={str(g): len(loaded.dataset.graph(g)) for g in loaded.graph_files},
        subject_graphs=subject_graphs,
        ontology=ontology,
        terms=frozenset(str(s) for s in ontology.subjects()),
        cache=ResultCache(settings.cache_bytes),
        pool=WorkerPool(
            store,
            settings.workers,
            lane=settings.lane_workers,
            prefixes=_prefixes(loaded.base),
            base_iri=loaded.base,
        ),
    )


def _store_state(settings: Settings, *, oxigraph: Path | None, remote: RemoteSource | None) -> State:
    from rdflib import Dataset, Graph

    from egovgraph.graph.build import void_graph
    from egovgraph.graph.formats import serialize_graph
    from egovgraph.graph.load import Loaded
    from egovgraph.sparql.pool import WorkerPool
    from egovgraph.stores import view as storeview
    from egovgraph.stores.kinds import open_oxigraph
    from egovgraph.stores.startup import startup_facts
    from egovgraph.vocab.terms import to_rdflib

    source: Source
    if oxigraph is not None:
        store = open_oxigraph(oxigraph).store
        source = storeview.OxigraphSource(store, oxigraph)
        pool: WorkerPool | RemoteQueries = WorkerPool(
            store,
            settings.workers,
            lane=settings.lane_workers,
            prefixes=_prefixes(settings.base_iri),
            reopen=storeview.opener(oxigraph),
            base_iri=settings.base_iri,
        )
        modified = storeview.modified(oxigraph)
    else:
        assert remote is not None
        source = remote
        pool = storeview.RemoteQueries(remote, prefixes=_prefixes(settings.base_iri), base=settings.base_iri)
        modified = time.time()
    facts: StartupFacts = startup_facts(source, settings.base_iri)
    if remote is not None:  # the counts may take long on a big store; a page's lookups may not
        remote.timeout = max(settings.timeout, storeview.PAGE_TIMEOUT)
    backend = storeview.StoreBackend(source, facts.graphs)
    loaded = Loaded(
        dataset=Dataset(store=backend, default_union=True),
        base=settings.base_iri,
        data_dir=oxigraph or Path("."),
        graph_files=storeview.named(facts.graphs),
        subject_files={},
    )
    ontology = Graph()
    for triple in facts.ontology:
        ontology.add(tuple(to_rdflib(t) for t in triple))  # type: ignore[arg-type]
    void = void_graph(settings.base_iri, facts.void, digest=None, dumps=False)
    files = {"void.ttl": serialize_graph(void, "ttl", settings.base_iri)}
    return State(
        loaded=loaded,
        graph=Graph(store=backend),
        settings=settings,
        files=files,
        etags=_etags(files),
        modified=modified,
        labels=facts.labels,
        class_counts=Counter(facts.class_counts),
        triples=facts.triples,
        entities=facts.entities,
        graph_iris=facts.graphs,
        prefixes=_prefixes(settings.base_iri),
        graph_sizes=facts.graph_sizes,
        subject_graphs=storeview.GraphsOf(source, facts.graphs),
        ontology=ontology,
        # An endpoint's data may change under the server (a new `egovgraph publish`): its answers are not kept.
        cache=ResultCache(0 if remote is not None else settings.cache_bytes),
        pool=pool,
        served=source.description,
        terms=frozenset(str(s) for s in ontology.subjects()),
    )


def _etags(files: dict[str, bytes]) -> dict[str, str]:
    return {name: '"' + hashlib.sha256(body).hexdigest()[:32] + '"' for name, body in files.items()}


def _labels(graph: Graph) -> dict[str, dict[str, str]]:
    from rdflib import Literal, URIRef
    from rdflib.namespace import RDFS, SKOS

    return rank_labels(
        (str(s), str(pred), o.language, str(o))
        for pred in (RDFS.label, SKOS.prefLabel)
        for s, o in graph.subject_objects(pred)
        if isinstance(s, URIRef) and isinstance(o, Literal)
    )


def _prefixes(base: str) -> dict[str, str]:
    """The served prefixes: land:, person: ... follow --base-iri; the vocabularies do not."""
    from egovgraph.vocab.names import all_prefixes

    return all_prefixes(base)
