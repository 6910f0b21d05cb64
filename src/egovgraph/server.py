"""HTTP for the graph: SPARQL 1.1 Protocol, dereferenceable IRIs, HTML pages, dumps (the only module that knows HTTP).

One route table (``ROUTES``) of pure handlers ``handler(request, state) -> Response``; the ASGI layer
(``App``) only reads the request (with a body limit), runs the handler in a worker thread and adds the
headers every answer carries (CORS, CSP, validators). ``egovgraph serve --get PATH`` calls the same app
in process.

Cool URIs: a resource IRI ``<base>id/<kind>/<slug>`` is served at ``/id/<kind>/<slug>``, which answers
``303 See Other`` to its description ``/doc/id/<kind>/<slug>``; the description negotiates its format
(``Vary: Accept``; ``?format=ttl|nt|jsonld|rdf|html`` or a ``.ttl``/``.nt``/``.jsonld``/``.rdf``/``.html``
suffix overrides) and names the variant in ``Content-Location``. Vocabulary concepts (``/vocab/...``)
work the same way; the ontology (a hash namespace) answers at ``/ontology`` directly.
"""

from __future__ import annotations

import email.utils
import hashlib
import logging
import os
import re
import threading
from collections import Counter, OrderedDict
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import quote, urlencode

from .errors import EgovGraphError, InputError
from .protocol import (
    GRAPH_CONTENT_TYPES,
    GRAPH_MEDIA,
    SELECT_CONTENT_TYPES,
    SELECT_MEDIA,
    SUFFIX_OF,
    SUFFIXES,
    HttpError,
    Request,
    Response,
    choose_format,
    choose_lang,
    here_of,
    html_response,
    negotiate,
    parse_fields,
    redirect,
    text,
    utf8,
)
from .vocab import DEFAULT_BASE

if TYPE_CHECKING:
    import pyoxigraph
    from rdflib import Graph
    from rdflib.term import Node

    from .load import Loaded
    from .sparql import QueryResult
    from .workers import Dataset, WorkerPool

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

log = logging.getLogger("egovgraph.server")


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
    data_dir: Path | None = None, *, files: Sequence[Path] = (), settings: Settings | None = None
) -> State:
    """Load the graph, render the dumps and open the SPARQL store once, before the first request."""
    from rdflib import Literal, URIRef
    from rdflib.namespace import RDF, RDFS, SKOS

    from .build import render
    from .load import iter_files, load
    from .names import all_prefixes
    from .oxstore import open_store
    from .workers import WorkerPool

    settings = settings or Settings()
    loaded = load(data_dir, files=files, base_iri=settings.base_iri)
    graph = loaded.union()
    rendered = render(loaded)
    etags = {name: '"' + hashlib.sha256(body).hexdigest()[:32] + '"' for name, body in rendered.items()}
    modified = max(p.stat().st_mtime for p in iter_files(loaded))
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
    graph_of_file = {path: str(g) for g, paths in loaded.graph_files.items() for path in paths}
    subject_graphs = {str(s): tuple(dict.fromkeys(graph_of_file[p] for p in paths))
                      for s, paths in loaded.subject_files.items() if isinstance(s, URIRef)}
    store = open_store(loaded)
    prefixes = all_prefixes(loaded.base)  # land:, person: ... follow --base-iri; the vocabularies do not
    return State(
        loaded=loaded, graph=graph, store=store, settings=settings, files=rendered, etags=etags,
        modified=modified, labels=labels, class_counts=class_counts,
        graph_iris=frozenset(str(g) for g in loaded.graph_files), prefixes=prefixes,
        graph_sizes={str(g): len(loaded.dataset.graph(g)) for g in loaded.graph_files}, subject_graphs=subject_graphs,
        cache=_ResultCache(settings.cache_size),
        pool=WorkerPool(store, settings.workers, prefixes=prefixes),
    )


# --------------------------------------------------------------------------- handlers


def home(request: Request, state: State) -> Response:
    from . import pages

    return html_response(200, pages.home(state, choose_lang(request), here=here_of(request)))


def stylesheet(request: Request, state: State) -> Response:
    from .pages import STYLE

    return Response(200, STYLE.encode("utf-8"), "text/css; charset=utf-8")


def dump(request: Request, state: State) -> Response:
    name = request.path.rsplit("/", 1)[-1]
    if name not in state.files or name == "void.ttl":
        listed = ", ".join(n for n in state.files if n != "void.ttl")
        raise HttpError(404, f"no dump {request.path!r}: the dumps are {listed} under /dumps/")
    return _file(state, name)


def void(request: Request, state: State) -> Response:
    return _file(state, "void.ttl")


def _file(state: State, name: str) -> Response:
    from .formats import RDF_FORMATS

    suffix = name.rsplit(".", 1)[-1]
    media = RDF_FORMATS[suffix].media_type if suffix in RDF_FORMATS else "application/octet-stream"
    if media.startswith(("text/", "application/n-")) or suffix == "trig":
        media += "; charset=utf-8"
    return Response(200, state.files[name], media, {"ETag": state.etags[name]})


def see_other(request: Request, state: State) -> Response:
    """``/id/...`` and ``/vocab/...`` name things, not documents: 303 to their description."""
    rel = request.path.lstrip("/")
    _known(state, rel, request)
    query = urlencode(request.params)
    return redirect("/doc/" + quote(rel, safe="/:@!$&'()*+,;=-._~") + (f"?{query}" if query else ""))


def dataset(request: Request, state: State) -> Response:
    return redirect("/.well-known/void")


def describe(request: Request, state: State) -> Response:
    """The description of one resource: HTML or RDF by content negotiation."""
    rel = request.path[len("/doc/"):]
    forced = None
    iri = state.iri_of(rel)
    if not _exists(state, iri):
        for suffix, fmt in SUFFIXES.items():
            if rel.endswith(suffix) and _exists(state, state.iri_of(rel[: -len(suffix)])):
                rel, forced = rel[: -len(suffix)], fmt
                break
    iri = _known(state, rel, request)
    fmt = forced or choose_format(request, GRAPH_MEDIA, what=f"the description of <{iri}>")
    location = "/doc/" + quote(rel, safe="/:@!$&'()*+,;=-._~") + SUFFIX_OF[fmt]
    headers = {"Vary": "Accept, Accept-Language", "Content-Location": location}
    if fmt == "html":
        from . import pages

        return html_response(200, pages.resource(state, iri, choose_lang(request), here=here_of(request)), headers)
    return _rdf(description(state, iri), fmt, state, headers)


#: Named graphs additionally come as TriG (the graph keeps its name).
_GRAPH_DOC_MEDIA = {**GRAPH_MEDIA, "application/trig": "trig"}
_GRAPH_SUFFIXES = {**SUFFIXES, ".trig": "trig"}


def named_graph(request: Request, state: State) -> Response:
    """A named graph of the build (one per source file): its triples by content negotiation, or its HTML page."""
    name, forced = request.path[len("/graph/"):], None
    graphs = state.base + "graph/"
    if graphs + name not in state.graph_iris:
        for suffix, fmt in _GRAPH_SUFFIXES.items():
            if name.endswith(suffix) and graphs + name[: -len(suffix)] in state.graph_iris:
                name, forced = name[: -len(suffix)], fmt
                break
    iri = graphs + name
    if iri not in state.graph_iris:
        raise HttpError(404, f"no named graph <{iri}> in this build: the home page / lists the graphs "
                             "(one per source file)")
    fmt = forced or choose_format(request, _GRAPH_DOC_MEDIA, what=f"the named graph <{iri}>")
    suffix = next(s for s, f in _GRAPH_SUFFIXES.items() if f == fmt)
    headers = {"Vary": "Accept, Accept-Language", "Content-Location": f"/graph/{quote(name)}{suffix}"}
    if fmt == "html":
        from . import pages

        return html_response(200, pages.graph_page(state, iri, choose_lang(request), here=here_of(request)), headers)
    from rdflib import Dataset, URIRef

    triples = state.loaded.dataset.graph(URIRef(iri))
    if fmt != "trig":
        return _rdf(triples, fmt, state, headers)
    from .formats import serialize_dataset
    from .load import bind_prefixes

    named = Dataset()
    bind_prefixes(named, state.base)
    target = named.graph(URIRef(iri))
    for triple in triples:
        target.add(triple)
    return Response(200, serialize_dataset(named, "trig", state.base), "application/trig; charset=utf-8", headers)


def ontology(request: Request, state: State) -> Response:
    """The ontology (a hash namespace: every egov: term is described here)."""
    from .load import ONTOLOGY_GRAPH
    from .vocab import graph_iri

    suffix = request.path[len("/ontology"):]
    fmt = SUFFIXES[suffix] if suffix else choose_format(request, GRAPH_MEDIA, what="the ontology")
    headers = {"Vary": "Accept, Accept-Language", "Content-Location": "/ontology" + SUFFIX_OF[fmt]}
    if fmt == "html":
        from . import pages

        return html_response(200, pages.ontology(state, choose_lang(request), here=here_of(request)), headers)
    onto = state.loaded.dataset.graph(graph_iri(ONTOLOGY_GRAPH, state.base))
    egov = state.graph.__class__()
    for triple in onto:
        if str(triple[0]).startswith(ONTOLOGY_IRI):
            egov.add(triple)
    return _rdf(egov, fmt, state, headers)


def class_page(request: Request, state: State) -> Response:
    """The instances of one class: ``/class/egov:Land`` (or ``/class?iri=...``)."""
    from . import pages

    name = request.path[len("/class/"):] if request.path.startswith("/class/") else request.param("iri") or ""
    iri = name
    prefix, sep, local = name.partition(":")
    if sep and prefix in state.prefixes and not local.startswith("//"):
        iri = state.prefixes[prefix] + local
    if iri not in state.class_counts:
        raise HttpError(404, f"no class {name!r} has instances here: the home page lists the classes")
    return html_response(200, pages.class_page(state, iri, choose_lang(request), here=here_of(request)))


def query_page(request: Request, state: State) -> Response:
    """The query form, the named queries as examples (``?name=leaders&land=land:bremen``), the result as a table."""
    from . import pages
    from .sparql import prepare

    lang = choose_lang(request)
    sparql_text, name = request.param("query"), request.param("name")
    if not sparql_text and not name:
        return html_response(200, pages.query(state, lang, here=here_of(request)))
    try:
        if sparql_text:
            prepared = prepare(sparql_text)
        else:
            prepared = prepare(name=name, lang=lang, bind_values=_named_values(request, state, name or ""))
        shown = sparql_text or prepared.text
        result = _execute(state, prepared, None, limit=HTML_ROW_LIMIT)
    except (HttpError, InputError) as err:
        status, message = (err.status, err.message) if isinstance(err, HttpError) else (400, str(err))
        page = pages.query(state, lang, here=here_of(request), text=sparql_text or "", error=message)
        return html_response(status, page)
    return html_response(200, pages.query(state, lang, here=here_of(request), text=shown, result=result))


def _named_values(request: Request, state: State, name: str) -> dict[str, object]:
    """The parameters of a named query given as fields, read with the served prefixes (``land:`` follows the base)."""
    from .querylib import named_query
    from .querytext import parse_value

    values: dict[str, object] = {}
    for param in named_query(name).params:
        value = request.param(param.name)
        if value and not (param.name == "lang" and value in ("de", "en")):  # lang= also switches the page
            values[param.name] = parse_value(value, state.prefixes)
    return values


def sparql(request: Request, state: State) -> Response:
    """The SPARQL 1.1 Protocol query operation (read-only)."""
    from .sparql import prepare

    request = _sparql_request(request, state)
    if request.all("update"):
        raise HttpError(403, "the endpoint is read-only: SPARQL Update is not accepted (send a query instead)")
    query_text = request.param("query")
    if query_text is None:
        if request.method == "GET" and (request.all("format") or negotiate(request.header("accept"),
                                                                              list(GRAPH_MEDIA))):
            return service_description(request, state)
        raise HttpError(400, "no query: give it as ?query=... (GET), as a form field query=... or as an "
                             "application/sparql-query body (POST); GET /sparql without a query answers the "
                             "service description (RDF or HTML)")
    # The answer is a function of these fields alone (the data never changes), so the cache is looked up
    # before the query is even checked: a hit costs a dictionary lookup.
    key = (query_text, request.header("accept"), *(tuple(request.all(f)) for f in _RESULT_FIELDS))
    cached = state.cache.get(key)
    if cached is not None:
        return cached
    try:
        prepared = prepare(query_text)
    except InputError as err:
        raise HttpError(400, f"malformed query: {err}") from None
    graph_form = prepared.form in ("CONSTRUCT", "DESCRIBE")
    fmt = choose_format(request, GRAPH_MEDIA if graph_form else SELECT_MEDIA, what=f"a {prepared.form} result")
    dataset = _dataset(request, state)
    if fmt == "html":
        from . import pages

        lang = choose_lang(request)
        result = _execute(state, prepared, dataset, limit=HTML_ROW_LIMIT)
        return html_response(200, pages.query(state, lang, here=here_of(request), text=query_text, result=result))
    result = _execute(state, prepared, dataset, limit=state.settings.row_limit)
    response = _render_result(result, fmt, state)
    response.headers["Vary"] = "Accept"
    response.headers["ETag"] = '"' + hashlib.sha256(response.body).hexdigest()[:32] + '"'
    state.cache.put(key, response)
    return response


_RESULT_FIELDS = ("format", "default-graph-uri", "named-graph-uri")
_SD = "http://www.w3.org/ns/sparql-service-description#"
_FORMATS = "http://www.w3.org/ns/formats/"
#: The W3C format IRIs (https://www.w3.org/ns/formats/) of the result formats /sparql answers.
RESULT_FORMATS = ("SPARQL_Results_JSON", "SPARQL_Results_XML", "SPARQL_Results_CSV", "SPARQL_Results_TSV",
                  "Turtle", "N-Triples", "JSON-LD", "RDF_XML")


def service_description(request: Request, state: State) -> Response:
    """GET /sparql without a query: the SPARQL 1.1 Service Description (RDF), or the query page for browsers."""
    fmt = choose_format(request, GRAPH_MEDIA, what="the service description of /sparql")
    if fmt == "html":
        from . import pages

        page = pages.query(state, choose_lang(request), here=here_of(request))
        return html_response(200, page, {"Vary": "Accept, Accept-Language", "Content-Location": "/query"})
    graph = _service_graph(state, _origin(request) + "/sparql")
    if fmt in ("ttl", "xml"):  # with the sd: and formats: prefixes (the dump writer binds only the project's)
        body = graph.serialize(format="turtle" if fmt == "ttl" else "xml", encoding="utf-8")
        return Response(200, body, GRAPH_CONTENT_TYPES[fmt], {"Vary": "Accept"})
    return _rdf(graph, fmt, state, {"Vary": "Accept"})


def _origin(request: Request) -> str:
    """``http://host:port`` as the client addressed this server (the Host header), for absolute IRIs."""
    host = request.header("host")
    if not re.fullmatch(r"[A-Za-z0-9.\-]+(:\d{1,5})?|\[[0-9A-Fa-f:.]+\](:\d{1,5})?", host):
        host = f"{DEFAULT_HOST}:{DEFAULT_PORT}"
    return f"http://{host}"


def _service_graph(state: State, endpoint: str) -> Graph:
    from rdflib import BNode, Literal, Namespace, URIRef
    from rdflib.namespace import RDF, RDFS, VOID

    from .build import dataset_iri
    from .load import new_graph

    sd, formats = Namespace(_SD), Namespace(_FORMATS)
    g = new_graph(state.base)
    g.bind("sd", sd)
    g.bind("formats", formats)
    service = URIRef(endpoint)
    g.add((service, RDF.type, sd.Service))
    g.add((service, sd.endpoint, service))
    g.add((service, sd.supportedLanguage, sd.SPARQL11Query))
    for name in RESULT_FORMATS:
        g.add((service, sd.resultFormat, formats[name]))
    # True here: the default graph is the union of the named graphs. Not: SERVICE (BasicFederatedQuery),
    # FROM dereferencing (DereferencesURIs), a required dataset, empty graphs.
    g.add((service, sd.feature, sd.UnionDefaultGraph))
    g.add((service, sd.defaultEntailmentRegime, URIRef("http://www.w3.org/ns/entailment/Simple")))
    dataset = dataset_iri(state.base)
    g.add((service, sd.defaultDataset, dataset))
    g.add((dataset, RDF.type, sd.Dataset))
    g.add((dataset, RDF.type, VOID.Dataset))
    g.add((dataset, RDFS.seeAlso, URIRef(endpoint[: -len("/sparql")] + "/.well-known/void")))
    g.add((dataset, VOID.sparqlEndpoint, service))
    default = BNode("defaultGraph")
    g.add((dataset, sd.defaultGraph, default))
    g.add((default, RDF.type, sd.Graph))
    g.add((default, VOID.triples, Literal(len(state.graph))))
    for iri in sorted(state.graph_iris):
        named, graph = BNode("named-" + iri.rsplit("/", 1)[-1]), BNode("graph-" + iri.rsplit("/", 1)[-1])
        g.add((dataset, sd.namedGraph, named))
        g.add((named, RDF.type, sd.NamedGraph))
        g.add((named, sd.name, URIRef(iri)))
        g.add((named, sd.graph, graph))
        g.add((graph, RDF.type, sd.Graph))
        g.add((graph, VOID.triples, Literal(len(state.loaded.dataset.graph(URIRef(iri))))))
    return g


def _sparql_request(request: Request, state: State) -> Request:
    """Fold a POST body into the request's fields (the protocol's three ways of sending a query)."""
    if request.method != "POST":
        return request
    ctype = request.header("content-type").split(";")[0].strip().lower()
    if ctype == "application/sparql-update":
        raise HttpError(403, "the endpoint is read-only: SPARQL Update is not accepted (send a query instead)")
    if ctype == "application/sparql-query":
        if request.all("query"):
            raise HttpError(400, "the query is both in the body and in ?query=: give it once")
        return Request(request.method, request.path, (*request.params, ("query", utf8(request.body, "body"))),
                       request.headers, request.body)
    if ctype == "application/x-www-form-urlencoded":
        fields = parse_fields(request.body, "form body")
        return Request(request.method, request.path, (*request.params, *fields), request.headers, request.body)
    raise HttpError(415, f"unsupported Content-Type {ctype or '(none)'!r}: POST the query as "
                         "application/sparql-query or as an application/x-www-form-urlencoded form")


def _dataset(request: Request, state: State) -> Dataset:
    default, named = tuple(request.all("default-graph-uri")), tuple(request.all("named-graph-uri"))
    if not default and not named:
        return None
    for iri in (*default, *named):
        if iri not in state.graph_iris:
            known = ", ".join(sorted(state.graph_iris))
            raise HttpError(400, f"unknown graph <{iri}> in default-graph-uri/named-graph-uri: "
                                 f"the graphs are {known}")
    return default, named


def _execute(state: State, prepared: Any, dataset: Dataset, *, limit: int) -> QueryResult:
    """Evaluate in the pool of query workers; a timeout, a bad query and a lost worker become refusals."""
    from .sparql import QueryTimeout
    from .workers import WorkerCrashed

    try:
        return state.pool.execute(prepared, timeout=state.settings.timeout, limit=limit, dataset=dataset)
    except QueryTimeout as err:  # the request is refused as too costly: a 4xx (see docs/serve.md)
        raise HttpError(422, str(err)) from None
    except InputError as err:
        raise HttpError(400, f"malformed query: {err}") from None
    except WorkerCrashed as err:
        raise HttpError(500, str(err)) from None


def _render_result(result: QueryResult, fmt: str, state: State) -> Response:
    from .results import render

    headers: dict[str, str] = {}
    if result.truncated:
        headers["X-Result-Truncated"] = str(result.limit)
    if result.form in ("CONSTRUCT", "DESCRIBE"):
        return _rdf(result.graph(), fmt, state, headers)
    try:
        body = render(result, fmt)
    except InputError as err:
        raise HttpError(406, str(err).replace("--format", "format=")) from None
    return Response(200, body.encode("utf-8"), SELECT_CONTENT_TYPES[fmt], headers)


def _rdf(graph: Graph, fmt: str, state: State, headers: Mapping[str, str]) -> Response:
    from .formats import serialize_graph

    return Response(200, serialize_graph(graph, fmt, state.base), GRAPH_CONTENT_TYPES[fmt], dict(headers))


def _exists(state: State, iri: str) -> bool:
    from rdflib import URIRef

    node = URIRef(iri)
    return (node, None, None) in state.graph or (None, None, node) in state.graph


def _known(state: State, rel: str, request: Request) -> str:
    iri = state.iri_of(rel)
    if ".." in rel.split("/") or not _exists(state, iri):
        raise HttpError(404, f"no resource <{iri}> in this graph: the home page / lists the classes "
                             "and their instances")
    return iri


def description(state: State, iri: str) -> Graph:
    """What the server says about a resource: its triples (blank nodes followed) and the triples pointing at it."""
    from rdflib import BNode, URIRef

    from .load import new_graph

    node = URIRef(iri)
    out = new_graph(state.base)
    todo: list[Node] = [node]
    seen: set[Node] = set()
    while todo:
        subject = todo.pop()
        if subject in seen:
            continue
        seen.add(subject)
        for p, o in state.graph.predicate_objects(subject):
            out.add((subject, p, o))
            if isinstance(o, BNode):
                todo.append(o)
    for s, p in state.graph.subject_predicates(node):
        out.add((s, p, node))
    return out


# --------------------------------------------------------------------------- route table and dispatch

Handler = Callable[[Request, State], Response]


@dataclass(frozen=True)
class Route:
    pattern: re.Pattern[str]
    methods: tuple[str, ...]
    handler: Handler


def _route(path: str, methods: str, handler: Handler) -> Route:
    return Route(re.compile(path + r"\Z"), tuple(methods.split()), handler)


ROUTES: tuple[Route, ...] = (
    _route(r"/", "GET", home),
    _route(r"/static/style\.css", "GET", stylesheet),
    _route(r"/sparql", "GET POST", sparql),
    _route(r"/query", "GET", query_page),
    _route(r"/dumps/[^/]+", "GET", dump),
    _route(r"/\.well-known/void", "GET", void),
    _route(r"/ontology(\.(ttl|nt|jsonld|rdf|html))?", "GET", ontology),
    _route(r"/class(/.+)?", "GET", class_page),
    _route(r"/(id|vocab)/.+", "GET", see_other),
    _route(r"/dataset/egovgraph", "GET", dataset),
    _route(r"/graph/[^/]+", "GET", named_graph),
    _route(r"/doc/(id|vocab)/.+", "GET", describe),
)
_CORS_HEADERS = "Accept, Accept-Language, Content-Type, If-None-Match, If-Modified-Since"


def dispatch(request: Request, state: State) -> Response:
    """Find the route, check the method, run the handler; refusals become a status and a plain sentence."""
    try:
        response = _dispatch(request, state)
    except HttpError as err:
        response = _error(request, state, err)
    except EgovGraphError as err:
        response = text(400, str(err))
    except Exception:
        log.exception("internal error answering %s %s", request.method, request.path)
        response = text(500, "internal error: the server could not answer this request; it keeps serving")
    return _finish(request, state, response)


def _dispatch(request: Request, state: State) -> Response:
    for route in ROUTES:
        if route.pattern.match(request.path):
            allowed = (*route.methods, "HEAD", "OPTIONS") if "GET" in route.methods else (*route.methods, "OPTIONS")
            if request.method == "OPTIONS":
                return Response(204, headers={
                    "Allow": ", ".join(allowed), "Access-Control-Allow-Methods": ", ".join(allowed),
                    "Access-Control-Allow-Headers": _CORS_HEADERS, "Access-Control-Max-Age": "86400"})
            method = "GET" if request.method == "HEAD" else request.method
            if method not in route.methods:
                raise HttpError(405, f"{request.path} answers {', '.join(allowed)}, not {request.method}",
                                {"Allow": ", ".join(allowed)})
            return route.handler(request, state)
    raise HttpError(404, f"nothing at {request.path}: see / for the pages, /sparql for queries and /dumps/ "
                         "for the data")


def _error(request: Request, state: State, err: HttpError) -> Response:
    if err.status == 404 and request.method in ("GET", "HEAD") and \
            negotiate(request.header("accept"), ["text/plain", "text/html"]) == "text/html":
        from . import pages

        return html_response(404, pages.not_found(state, choose_lang(request), err.message), err.headers)
    return text(err.status, err.message, err.headers)


def _finish(request: Request, state: State, response: Response) -> Response:
    """Headers every answer carries; conditional GET (ETag, Last-Modified) for the successful ones."""
    headers = {**response.headers, "Access-Control-Allow-Origin": "*",
               "Access-Control-Expose-Headers": "ETag, Last-Modified, Content-Location, X-Result-Truncated",
               "X-Content-Type-Options": "nosniff", "Content-Security-Policy": CSP,
               "Referrer-Policy": "no-referrer"}
    response = Response(response.status, response.body, response.media_type, headers)
    if request.method not in ("GET", "HEAD") or response.status != 200:
        return response
    etag = headers.setdefault("ETag", '"' + hashlib.sha256(response.body).hexdigest()[:32] + '"')
    headers["Last-Modified"] = email.utils.formatdate(state.modified, usegmt=True)
    if _not_modified(request, etag, state.modified):
        keep = ("ETag", "Last-Modified", "Vary", "Content-Location", "Access-Control-Allow-Origin")
        return Response(304, b"", response.media_type, {k: v for k, v in headers.items() if k in keep})
    return response


def _not_modified(request: Request, etag: str, modified: float) -> bool:
    match = request.header("if-none-match")
    if match:
        tags = {t.strip().removeprefix("W/") for t in match.split(",")}
        return "*" in tags or etag in tags
    since = request.header("if-modified-since")
    if since:
        try:
            when = email.utils.parsedate_to_datetime(since).timestamp()
        except (TypeError, ValueError, IndexError):
            return False
        return int(modified) <= when
    return False


# --------------------------------------------------------------------------- ASGI


class App:
    """The ASGI application: reads a request (body limit, strict UTF-8 fields), answers it in a worker thread."""

    def __init__(self, state: State) -> None:
        self.state = state

    async def __call__(self, scope: dict[str, Any], receive: Any, send: Any) -> None:
        from starlette.concurrency import run_in_threadpool
        from starlette.requests import Request as StarletteRequest
        from starlette.responses import Response as StarletteResponse

        if scope["type"] != "http":
            return
        incoming = StarletteRequest(scope, receive)
        headers = {k.lower(): v for k, v in incoming.headers.items()}
        method = scope["method"].upper()
        try:
            params = parse_fields(scope.get("query_string", b""), "query string")
            body = await self._body(incoming, headers)
            request = Request(method, scope["path"], params, headers, body)
            response = await run_in_threadpool(dispatch, request, self.state)
        except HttpError as err:
            request = Request(method, scope["path"], (), headers)
            response = _finish(request, self.state, text(err.status, err.message, err.headers))
        out = StarletteResponse(b"" if method == "HEAD" else response.body, response.status,
                                headers=response.headers, media_type=response.media_type)
        if method == "HEAD":
            out.headers["content-length"] = str(len(response.body))
        if response.status == 413:
            out.headers["connection"] = "close"
        await out(scope, receive, send)

    async def _body(self, incoming: Any, headers: Mapping[str, str]) -> bytes:
        limit = self.state.settings.max_body
        declared = headers.get("content-length", "")
        if declared.isdigit() and int(declared) > limit:
            raise HttpError(413, f"the request body has {int(declared)} bytes; the limit is {limit} bytes")
        chunks: list[bytes] = []
        size = 0
        async for chunk in incoming.stream():
            size += len(chunk)
            if size > limit:
                raise HttpError(413, f"the request body is over the limit of {limit} bytes")
            chunks.append(chunk)
        return b"".join(chunks)


def create_app(
    data_dir: Path | None = None, *, files: Sequence[Path] = (), settings: Settings | None = None
) -> App:
    """The ASGI app over the bundled data (or ``data_dir`` plus ``files``)."""
    return App(build_state(data_dir, files=files, settings=settings))


def serve(app: App, *, host: str = DEFAULT_HOST, port: int = DEFAULT_PORT) -> None:
    """Run the app with uvicorn until interrupted."""
    import anyio.to_thread
    import uvicorn

    async def main() -> None:
        anyio.to_thread.current_default_thread_limiter().total_tokens = THREADS
        config = uvicorn.Config(app, host=host, port=port, lifespan="off", log_level="warning",
                                timeout_keep_alive=KEEP_ALIVE, access_log=False)
        await uvicorn.Server(config).serve()

    try:
        with app.state.pool.serving():  # forked here, before uvicorn starts any thread
            anyio.run(main)
    except OSError as err:
        raise InputError(f"cannot listen on {host}:{port}: {err.strerror} (is another server running there? "
                         "choose another --port)") from None


def answer(
    app: App, path: str, *, accept: str | None = None, method: str = "GET"
) -> tuple[int, list[tuple[str, str]], bytes]:
    """One request answered in process (``egovgraph serve --get PATH``): status, headers, body."""
    import anyio
    import httpx

    async def fetch() -> tuple[int, list[tuple[str, str]], bytes]:
        transport = httpx.ASGITransport(app=app)  # type: ignore[arg-type]
        async with httpx.AsyncClient(transport=transport, base_url="http://127.0.0.1") as client:
            headers = {"Accept": accept} if accept else {}
            reply = await client.request(method, path, headers=headers, follow_redirects=False)
            return reply.status_code, list(reply.headers.multi_items()), reply.content

    return anyio.run(fetch)
