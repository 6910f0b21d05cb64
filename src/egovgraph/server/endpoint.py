"""SPARQL 1.1 Protocol handlers: the query operation at /sparql, its Service Description, the query page.

Queries are checked by ``sparql.prepare`` and evaluated by the query worker pool (``egovgraph.sparql.pool``);
answers are cached by query text, format and dataset (the data never changes while serving).
"""

from __future__ import annotations

import hashlib
from typing import TYPE_CHECKING, Any

from egovgraph.defaults import HTML_ROW_LIMIT
from egovgraph.errors import EgovGraphError, HttpError
from egovgraph.server.http import (
    FORWARDED_VARY,
    GRAPH_CONTENT_TYPES,
    GRAPH_MEDIA,
    SELECT_CONTENT_TYPES,
    SELECT_MEDIA,
    Request,
    Response,
    choose_format,
    choose_lang,
    here_of,
    html_response,
    negotiate,
    origin,
    parse_fields,
    utf8,
)
from egovgraph.server.linkeddata import rdf_response
from egovgraph.server.state import State
from egovgraph.sparql.text import check_graphs

if TYPE_CHECKING:
    from rdflib import Graph

    from egovgraph.sparql.pool import Dataset, Rendered
    from egovgraph.sparql.run import QueryResult
    from egovgraph.sparql.text import QueryText


def query_page(request: Request, state: State) -> Response:
    """The query form, the named queries as examples (``?name=leaders&land=land:bremen``), the result as a table."""
    from egovgraph.server import pages
    from egovgraph.sparql.run import prepare

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
        check_graphs(prepared, state.graph_iris)
        result = _execute(state, prepared, None, limit=HTML_ROW_LIMIT)
    except EgovGraphError as err:  # shown on the query page, with the status of egovgraph.errors' map
        page = pages.query(state, lang, here=here_of(request), text=sparql_text or "", error=str(err))
        return html_response(err.http_status, page)
    return html_response(200, pages.query(state, lang, here=here_of(request), text=shown, result=result))


def _named_values(request: Request, state: State, name: str) -> dict[str, object]:
    """The parameters of a named query given as fields, read with the served prefixes (``land:`` follows the base)."""
    from egovgraph.sparql.library import named_query
    from egovgraph.sparql.values import parse_value

    values: dict[str, object] = {}
    for param in named_query(name).params:
        value = request.param(param.name)
        if value and not (param.name == "lang" and value in ("de", "en")):  # lang= also switches the page
            values[param.name] = parse_value(value, state.prefixes)
    return values


def sparql(request: Request, state: State) -> Response:
    """The SPARQL 1.1 Protocol query operation (read-only)."""
    from egovgraph.sparql.run import prepare

    request = _sparql_request(request, state)
    if request.all("update"):
        raise HttpError(403, "the endpoint is read-only: SPARQL Update is not accepted (send a query instead)")
    query_text = request.param("query")
    if query_text is None:
        if request.method == "GET" and (
            request.all("format") or negotiate(request.header("accept"), list(GRAPH_MEDIA))
        ):
            return service_description(request, state)
        raise HttpError(
            400,
            "no query: give it as ?query=... (GET), as a form field query=... or as an "
            "application/sparql-query body (POST); GET /sparql without a query answers the "
            "service description (RDF or HTML)",
        )
    # The answer is a function of these fields alone (the data never changes), so the cache is looked up
    # before the query is even checked: a hit costs a dictionary lookup.
    key = (query_text, request.header("accept"), *(tuple(request.all(f)) for f in _RESULT_FIELDS))
    cached = state.cache.get(key)
    if cached is not None:
        return cached
    prepared = prepare(query_text)
    graph_form = prepared.form in ("CONSTRUCT", "DESCRIBE")
    fmt = choose_format(
        request,
        GRAPH_MEDIA if graph_form else SELECT_MEDIA,
        what=f"{'an' if prepared.form == 'ASK' else 'a'} {prepared.form} result",
    )
    dataset = _dataset(request, state)
    # FROM may name the local graphs only; the protocol's default-graph-uri / named-graph-uri take precedence
    check_graphs(prepared, state.graph_iris)
    if fmt == "html":
        from egovgraph.server import pages

        lang = choose_lang(request)
        result = _execute(state, prepared, dataset, limit=HTML_ROW_LIMIT)
        return html_response(200, pages.query(state, lang, here=here_of(request), text=query_text, result=result))
    rendered = state.pool.answer(
        prepared, fmt, timeout=state.settings.timeout, limit=state.settings.row_limit, dataset=dataset
    )
    response = _response(rendered, fmt)
    found = notes(state, prepared, empty=rendered.count == 0)
    if found:
        response.headers["X-Query-Warning"] = header_text(" | ".join(found))
    response.headers["Vary"] = "Accept"
    response.headers["ETag"] = '"' + hashlib.sha256(response.body).hexdigest()[:32] + '"'
    state.cache.put(key, response)
    return response


_RESULT_FIELDS = ("format", "default-graph-uri", "named-graph-uri")
_SD = "http://www.w3.org/ns/sparql-service-description#"
_FORMATS = "http://www.w3.org/ns/formats/"
#: The W3C format IRIs (https://www.w3.org/ns/formats/) of the result formats /sparql answers.
RESULT_FORMATS = (
    "SPARQL_Results_JSON",
    "SPARQL_Results_XML",
    "SPARQL_Results_CSV",
    "SPARQL_Results_TSV",
    "Turtle",
    "N-Triples",
    "JSON-LD",
    "RDF_XML",
)


def service_description(request: Request, state: State) -> Response:
    """GET /sparql without a query: the SPARQL 1.1 Service Description (RDF), or the query page for browsers."""
    fmt = choose_format(request, GRAPH_MEDIA, what="the service description of /sparql")
    if fmt == "html":
        from egovgraph.server import pages

        page = pages.query(state, choose_lang(request), here=here_of(request))
        return html_response(200, page, {"Vary": "Accept, Accept-Language", "Content-Location": "/query"})
    graph = _service_graph(state, origin(request) + "/sparql")
    # the endpoint's IRI follows the proxy's headers where they are believed: a cache must keep them apart
    vary = {"Vary": "Accept, " + FORWARDED_VARY if state.settings.forwarded_allow_ips else "Accept"}
    if fmt in ("ttl", "xml"):  # with the sd: and formats: prefixes (the dump writer binds only the project's)
        body = graph.serialize(format="turtle" if fmt == "ttl" else "xml", encoding="utf-8")
        return Response(200, body, GRAPH_CONTENT_TYPES[fmt], vary)
    return rdf_response(graph, fmt, state, vary)


def _service_graph(state: State, endpoint: str) -> Graph:
    from rdflib import BNode, Literal, Namespace, URIRef
    from rdflib.namespace import RDF, RDFS, VOID

    from egovgraph.graph.build import dataset_iri
    from egovgraph.graph.load import new_graph

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
    g.add((default, VOID.triples, Literal(state.triples)))
    for iri in sorted(state.graph_iris):
        named, graph = BNode("named-" + iri.rsplit("/", 1)[-1]), BNode("graph-" + iri.rsplit("/", 1)[-1])
        g.add((dataset, sd.namedGraph, named))
        g.add((named, RDF.type, sd.NamedGraph))
        g.add((named, sd.name, URIRef(iri)))
        g.add((named, sd.graph, graph))
        g.add((graph, RDF.type, sd.Graph))
        g.add((graph, VOID.triples, Literal(state.graph_sizes[iri])))
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
        return Request(
            request.method,
            request.path,
            (*request.params, ("query", utf8(request.body, "body"))),
            request.headers,
            request.body,
        )
    if ctype == "application/x-www-form-urlencoded":
        fields = parse_fields(request.body, "form body")
        return Request(request.method, request.path, (*request.params, *fields), request.headers, request.body)
    raise HttpError(
        415,
        f"unsupported Content-Type {ctype or '(none)'!r}: POST the query as "
        "application/sparql-query or as an application/x-www-form-urlencoded form",
    )


def _dataset(request: Request, state: State) -> Dataset:
    default, named = tuple(request.all("default-graph-uri")), tuple(request.all("named-graph-uri"))
    if not default and not named:
        return None
    for iri in (*default, *named):
        if iri not in state.graph_iris:
            known = ", ".join(sorted(state.graph_iris))
            raise HttpError(
                400,
                f"unknown graph <{iri}> in default-graph-uri/named-graph-uri: "
                + (
                    f"the graphs are {known}"
                    if known
                    else "this server serves no named graphs (its default graph only)"
                ),
            )
    return default, named


def _execute(state: State, prepared: Any, dataset: Dataset, *, limit: int) -> QueryResult:
    """Evaluate in the pool of query workers (a timeout, a bad query, a busy pool or a lost worker raise
    the errors whose statuses egovgraph.errors defines)."""
    return state.pool.execute(prepared, timeout=state.settings.timeout, limit=limit, dataset=dataset)


def _response(rendered: Rendered, fmt: str) -> Response:
    headers: dict[str, str] = {}
    if rendered.truncated:
        headers["X-Result-Truncated"] = str(rendered.limit)
    graph_form = rendered.form in ("CONSTRUCT", "DESCRIBE")
    media = GRAPH_CONTENT_TYPES[fmt] if graph_form else SELECT_CONTENT_TYPES[fmt]
    return Response(200, rendered.body, media, headers)


def notes(state: State, prepared: QueryText, *, empty: bool) -> list[str]:
    """What egovgraph.sparql.diagnose says about a query, looked up in the state (no query runs for it)."""
    from egovgraph.sparql.diagnose import EGOV_NS
    from egovgraph.sparql.diagnose import notes as diagnose

    def exists(iris: list[str]) -> set[str]:
        return {iri for iri in iris if iri in state.terms or state.subject_graphs.get(iri, ())}

    def of_kind(ns: str) -> list[str]:
        if ns == EGOV_NS:
            return sorted(state.terms)
        return sorted({iri for labels in state.labels.values() for iri in labels if iri.startswith(ns)})

    return diagnose(prepared, empty, exists, of_kind, state.base)


def header_text(text: str) -> str:
    """Text as an HTTP header value: one line, ASCII (a dash for the em dash, escapes for the rest)."""
    flat = " ".join(text.replace("\u2014", "-").split())
    return flat.encode("ascii", "backslashreplace").decode("ascii")


def status(request: Request, state: State) -> Response:
    """GET /status: the server's limits and load as JSON (the result cache's bytes, the query workers)."""
    import json

    settings = state.settings
    doc = {
        "cache": state.cache.status(),
        "workers": {"general": settings.workers, "lane": settings.lane_workers, "pids": len(state.pool.pids())},
        "limits": {"timeout": settings.timeout, "rows": settings.row_limit, "body": settings.max_body},
        "triples": state.triples,
    }
    body = json.dumps(doc, indent=1).encode("utf-8")
    return Response(200, body, "application/json", {"Cache-Control": "no-store"})
