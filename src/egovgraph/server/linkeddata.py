"""Linked-data handlers: home, stylesheet, dumps, VoID, resource descriptions (303 and conneg), named graphs,
ontology and class pages. Pure functions ``handler(request, state) -> Response``, listed in ``server.ROUTES``.

Cool URIs: a resource IRI ``<base>id/<kind>/<slug>`` is served at ``/id/<kind>/<slug>``, which answers
``303 See Other`` to its description ``/doc/id/<kind>/<slug>``; the description negotiates its format
(``Vary: Accept``; ``?format=ttl|nt|jsonld|rdf|html`` or a ``.ttl``/``.nt``/``.jsonld``/``.rdf``/``.html``
suffix overrides) and names the variant in ``Content-Location``. Vocabulary concepts (``/vocab/...``)
work the same way; the ontology (a hash namespace) answers at ``/ontology`` directly; a named graph
``<base>graph/NAME`` at ``/graph/NAME``.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING
from urllib.parse import quote, urlencode

from egovgraph.errors import HttpError
from egovgraph.server.http import (
    GRAPH_CONTENT_TYPES,
    GRAPH_MEDIA,
    SUFFIX_OF,
    SUFFIXES,
    Request,
    Response,
    choose_format,
    choose_lang,
    here_of,
    html_response,
    redirect,
)
from egovgraph.server.state import State

if TYPE_CHECKING:
    from rdflib import Graph
    from rdflib.term import Node


def home(request: Request, state: State) -> Response:
    from egovgraph.server import pages

    return html_response(200, pages.home(state, choose_lang(request), here=here_of(request)))


def stylesheet(request: Request, state: State) -> Response:
    from egovgraph.server.pages import STYLE

    return Response(200, STYLE.encode("utf-8"), "text/css; charset=utf-8")


def dump(request: Request, state: State) -> Response:
    name = request.path.rsplit("/", 1)[-1]
    if name not in state.files or name == "void.ttl":
        listed = ", ".join(n for n in state.files if n != "void.ttl")
        if not listed:
            raise HttpError(
                404,
                f"no dump {request.path!r}: this server serves {state.served or 'a store'}, which "
                "has no dumps (make them with egovgraph build)",
            )
        raise HttpError(404, f"no dump {request.path!r}: the dumps are {listed} under /dumps/")
    return _file(state, name)


def void(request: Request, state: State) -> Response:
    return _file(state, "void.ttl")


def _file(state: State, name: str) -> Response:
    from egovgraph.graph.formats import RDF_FORMATS

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
    rel = request.path[len("/doc/") :]
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
        from egovgraph.server import pages

        return html_response(200, pages.resource(state, iri, choose_lang(request), here=here_of(request)), headers)
    return rdf_response(description(state, iri), fmt, state, headers)


#: Named graphs additionally come as TriG (the graph keeps its name).
_GRAPH_DOC_MEDIA = {**GRAPH_MEDIA, "application/trig": "trig"}
_GRAPH_SUFFIXES = {**SUFFIXES, ".trig": "trig"}


def named_graph(request: Request, state: State) -> Response:
    """A named graph of the build (one per source file): its triples by content negotiation, or its HTML page."""
    name, forced = request.path[len("/graph/") :], None
    graphs = state.base + "graph/"
    if graphs + name not in state.graph_iris:
        for suffix, fmt in _GRAPH_SUFFIXES.items():
            if name.endswith(suffix) and graphs + name[: -len(suffix)] in state.graph_iris:
                name, forced = name[: -len(suffix)], fmt
                break
    iri = graphs + name
    if iri not in state.graph_iris:
        raise HttpError(
            404, f"no named graph <{iri}> in this build: the home page / lists the graphs (one per source file)"
        )
    fmt = forced or choose_format(request, _GRAPH_DOC_MEDIA, what=f"the named graph <{iri}>")
    suffix = next(s for s, f in _GRAPH_SUFFIXES.items() if f == fmt)
    headers = {"Vary": "Accept, Accept-Language", "Content-Location": f"/graph/{quote(name)}{suffix}"}
    if fmt == "html":
        from egovgraph.server import pages

        return html_response(200, pages.graph_page(state, iri, choose_lang(request), here=here_of(request)), headers)
    from rdflib import Dataset, URIRef

    triples = state.loaded.dataset.graph(URIRef(iri))
    if fmt != "trig":
        return rdf_response(triples, fmt, state, headers)
    from egovgraph.graph.formats import serialize_dataset
    from egovgraph.graph.load import bind_prefixes

    named = Dataset()
    bind_prefixes(named, state.base)
    target = named.graph(URIRef(iri))
    for triple in triples:
        target.add(triple)
    return Response(200, serialize_dataset(named, "trig", state.base), "application/trig; charset=utf-8", headers)


def ontology(request: Request, state: State) -> Response:
    """The ontology (a hash namespace: every egov: term is described here)."""
    suffix = request.path[len("/ontology") :]
    fmt = SUFFIXES[suffix] if suffix else choose_format(request, GRAPH_MEDIA, what="the ontology")
    headers = {"Vary": "Accept, Accept-Language", "Content-Location": "/ontology" + SUFFIX_OF[fmt]}
    if fmt == "html":
        from egovgraph.server import pages

        return html_response(200, pages.ontology(state, choose_lang(request), here=here_of(request)), headers)
    return rdf_response(state.ontology, fmt, state, headers)


def class_page(request: Request, state: State) -> Response:
    """The instances of one class: ``/class/egov:Land`` (or ``/class?iri=...``)."""
    from egovgraph.server import pages

    name = request.path[len("/class/") :] if request.path.startswith("/class/") else request.param("iri") or ""
    iri = name
    prefix, sep, local = name.partition(":")
    if sep and prefix in state.prefixes and not local.startswith("//"):
        iri = state.prefixes[prefix] + local
    if iri not in state.class_counts:
        raise HttpError(404, f"no class {name!r} has instances here: the home page lists the classes")
    return html_response(200, pages.class_page(state, iri, choose_lang(request), here=here_of(request)))


def rdf_response(graph: Graph, fmt: str, state: State, headers: Mapping[str, str]) -> Response:
    from egovgraph.graph.formats import serialize_graph

    return Response(200, serialize_graph(graph, fmt, state.base), GRAPH_CONTENT_TYPES[fmt], dict(headers))


def _exists(state: State, iri: str) -> bool:
    from rdflib import URIRef

    node = URIRef(iri)
    return (node, None, None) in state.graph or (None, None, node) in state.graph


def _known(state: State, rel: str, request: Request) -> str:
    iri = state.iri_of(rel)
    if ".." in rel.split("/") or not _exists(state, iri):
        raise HttpError(
            404, f"no resource <{iri}> in this graph: the home page / lists the classes and their instances"
        )
    return iri


def description(state: State, iri: str) -> Graph:
    """What the server says about a resource: its triples (blank nodes followed) and the triples pointing at it."""
    from rdflib import BNode, URIRef

    from egovgraph.graph.load import new_graph

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
