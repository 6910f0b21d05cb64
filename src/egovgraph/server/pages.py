"""Server-rendered HTML pages: home, resource (with a Land's dossier), class, named graph, query, ontology,
not found.

The pages are Jinja2 templates (``server/templates``, package data) with autoescape on: every label and
literal is text, never markup. This module gathers what each page shows; the templates write it. Links
are only made to this server's paths and to http(s) IRIs. No scripts, no fonts, one stylesheet from this
server (the Content-Security-Policy allows nothing else).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from typing import TYPE_CHECKING, Any
from urllib.parse import quote

from markupsafe import Markup

from egovgraph.server.texts import TEXT
from egovgraph.views.dossier import Dossier
from egovgraph.views.dossier import land_dossier as build_dossier
from egovgraph.views.dossier_page import environment as dossier_templates
from egovgraph.views.dossier_page import section_context, web_link
from egovgraph.views.facts import Facts

if TYPE_CHECKING:
    import jinja2
    from rdflib.term import Node

    from egovgraph.server.state import State
    from egovgraph.sparql.run import QueryResult

_RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
_RDFS = "http://www.w3.org/2000/01/rdf-schema#"
_HAS_EVIDENCE = "https://w3id.org/egovgraph/ontology#hasEvidence"
_QUOTE = "https://w3id.org/egovgraph/ontology#quote"
_PROV_ENTITY = "http://www.w3.org/ns/prov#entity"
_SCHEMA_URL = "https://schema.org/url"
_XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"
_LAND = "https://w3id.org/egovgraph/ontology#Land"
_INCOMING_SHOWN = 500
_FORMATS = ((".ttl", "Turtle"), (".nt", "N-Triples"), (".jsonld", "JSON-LD"), (".rdf", "RDF/XML"))


@lru_cache(maxsize=1)
def environment() -> jinja2.Environment:
    """The Jinja2 environment of the server's pages: autoescape on for every template."""
    import jinja2

    return jinja2.Environment(
        loader=jinja2.PackageLoader("egovgraph.server", "templates"),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        keep_trailing_newline=True,
    )


def _t(lang: str, key: str) -> str:
    return TEXT[lang][key]


class Lookups:
    """What the templates ask about the graph (``h`` in them): names, local paths, kinds of term."""

    def __init__(self, state: State, lang: str) -> None:
        self.state, self.lang = state, lang

    # Each takes an IRI as text or as an rdflib term (str(...): rdflib terms hash unlike their text).
    def name(self, iri: str) -> str:
        return name_of(self.state, str(iri), self.lang)

    def compact(self, iri: str) -> str:
        return compact(self.state, str(iri))

    def local(self, iri: str) -> str | None:
        return self.state.local_path(str(iri))

    def class_href(self, iri: str) -> str | None:
        """The class page of ``iri`` if it has instances here, else None."""
        iri = str(iri)
        if iri not in self.state.class_counts:
            return None
        return f"/class/{quote(compact(self.state, iri), safe=':')}?lang={self.lang}"

    def files_of(self, iri: str) -> list[str]:
        """The source files of a named graph, as ``folder/name``."""
        from rdflib import URIRef

        return [p.parent.name + "/" + p.name for p in self.state.loaded.graph_files.get(URIRef(iri), ())]

    def text(self, node: Node) -> str:
        """A term's text as a plain string."""
        return str(node)

    def kind(self, node: Node) -> str:
        from rdflib import BNode, Literal

        return "literal" if isinstance(node, Literal) else "bnode" if isinstance(node, BNode) else "iri"

    def datatype(self, node: Node) -> str:
        """A literal's datatype as a CURIE ("" for plain strings)."""
        datatype = getattr(node, "datatype", None)
        return "" if datatype is None or str(datatype) == _XSD_STRING else compact(self.state, str(datatype))

    def bnode_pairs(self, node: Node) -> list[tuple[Node, Node]]:
        from rdflib import BNode

        return [(p, o) for p, o in sorted(self.state.graph.predicate_objects(node)) if not isinstance(o, BNode)]


def render(state: State, lang: str, template: str, title: str, *, here: str = "/", **context: Any) -> str:
    """A page: ``template`` (extending layout.html) with the navigation, texts and lookups filled in."""
    other = "en" if lang == "de" else "de"
    sep = "&" if "?" in here else "?"
    return (
        environment()
        .get_template(template)
        .render(
            lang=lang,
            other=other,
            switch=here + sep + "lang=" + other,
            title=title,
            t=TEXT[lang],
            h=Lookups(state, lang),
            **context,
        )
    )


def compact(state: State, iri: str) -> str:
    """``prefix:local`` with the served prefixes (``land:`` follows ``--base-iri``), else the IRI."""
    from egovgraph.sparql.results import compact as compact_iri

    return compact_iri(iri, state.prefixes)


def name_of(state: State, iri: str, lang: str) -> str:
    return state.label(iri, lang) or compact(state, iri)


# --------------------------------------------------------------------------- pages


def home(state: State, lang: str, *, here: str = "/") -> str:
    from egovgraph.graph.load import ONTOLOGY_GRAPH

    data_graphs = [g for g in state.graph_iris if not g.endswith("/" + ONTOLOGY_GRAPH)]
    classes = sorted(state.class_counts.items(), key=lambda kv: (-kv[1], name_of(state, kv[0], lang)))
    return render(
        state,
        lang,
        "home.html",
        _t(lang, "title"),
        here=here,
        triples=state.triples,
        entities=state.entities,
        classes=classes,
        data_graphs=len(data_graphs),
        graphs=[(g, state.graph_sizes[g]) for g in sorted(state.graph_iris)],
        dumps=[(name, len(body)) for name, body in state.files.items() if name != "void.ttl"],
    )


def resource(state: State, iri: str, lang: str, *, here: str = "/") -> str:
    from rdflib import URIRef

    node = URIRef(iri)
    by_predicate: dict[str, list[Node]] = {}
    for p, o in sorted(state.graph.predicate_objects(node)):
        if str(p) != _RDF_TYPE:
            by_predicate.setdefault(str(p), []).append(o)
    types = sorted(str(o) for o in state.graph.objects(node, URIRef(_RDF_TYPE)))
    incoming = sorted(
        {(name_of(state, str(s), lang).lower(), str(s), str(p)) for s, p in state.graph.subject_predicates(node)}
    )
    return render(
        state,
        lang,
        "resource.html",
        name_of(state, iri, lang),
        here=here,
        iri=iri,
        types=types,
        local=state.local_path(iri) or "",
        formats=_FORMATS,
        in_graphs=state.subject_graphs.get(iri, ()),
        dossier=land_dossier(state, iri, lang) if _LAND in types else "",
        properties=sorted(by_predicate.items(), key=lambda kv: name_of(state, kv[0], lang).lower()),
        evidence=_evidence(state, node),
        incoming=[(URIRef(s), p) for _, s, p in incoming[:_INCOMING_SHOWN]],
        more=max(0, len(incoming) - _INCOMING_SHOWN),
    )


def land_dossier(state: State, iri: str, lang: str) -> Markup | str:
    """The dossier section of a Land (the view's template), linking to this server's pages."""

    def href(target: str) -> str:
        local = state.local_path(target)
        return f"{local}?lang={lang}" if local is not None else web_link(target)

    # Loaded files never change while serving: their dossiers are kept; a store's are made each time.
    dossier = _dossier(state, iri, lang) if not state.served else _dossier.__wrapped__(state, iri, lang)
    html = dossier_templates().get_template("dossier_section.html").render(**section_context(dossier, href))
    return Markup(html.rstrip("\n"))


@lru_cache(maxsize=64)
def _dossier(state: State, iri: str, lang: str) -> Dossier:
    from rdflib import URIRef

    return build_dossier(Facts(state.graph, lang), URIRef(iri))


def _evidence(state: State, node: Node) -> list[tuple[str, list[Node], list[tuple[Node, list[str], tuple[str, ...]]]]]:
    """Each evidence record: its IRI, its quotes, and its sources with their web addresses and graphs."""
    from rdflib import URIRef

    items = []
    for ev in sorted(state.graph.objects(node, URIRef(_HAS_EVIDENCE)), key=str):
        quotes = sorted(state.graph.objects(ev, URIRef(_QUOTE)), key=str)
        sources = [
            (
                src,
                [str(u) for u in state.graph.objects(src, URIRef(_SCHEMA_URL))],
                tuple(state.subject_graphs.get(str(src), ())),
            )
            for src in sorted(state.graph.objects(ev, URIRef(_PROV_ENTITY)), key=str)
        ]
        items.append((str(ev), quotes, sources))
    return items


def class_page(state: State, iri: str, lang: str, *, here: str = "/") -> str:
    from rdflib import URIRef

    members = sorted(
        {str(s) for s in state.graph.subjects(URIRef(_RDF_TYPE), URIRef(iri)) if str(s).startswith(state.base + "id/")},
        key=lambda s: (name_of(state, s, lang).lower(), s),
    )
    title = f"{_t(lang, 'instances_of')} {name_of(state, iri, lang)}"
    comment = _text_in(state, iri, _RDFS + "comment", lang)
    return render(state, lang, "class.html", title, here=here, iri=iri, comment=comment, members=members)


def graph_page(state: State, iri: str, lang: str, *, here: str = "/") -> str:
    """A named graph: its source file, size, sources and the resources it says something about."""
    from rdflib import URIRef
    from rdflib.namespace import RDF

    from egovgraph.vocab.namespaces import EGOV

    graph = state.loaded.dataset.graph(URIRef(iri))
    name = iri.rsplit("/", 1)[-1]
    subjects = sorted(
        {str(s) for s in graph.subjects() if isinstance(s, URIRef)}, key=lambda s: (name_of(state, s, lang).lower(), s)
    )
    sources = sorted(str(s) for s in graph.subjects(RDF.type, EGOV.Source))
    return render(
        state,
        lang,
        "graph.html",
        f"{_t(lang, 'graph')} {name}",
        here=here,
        iri=iri,
        name=name,
        quoted=quote(name),
        size=state.graph_sizes[iri],
        subjects=subjects,
        formats=(*_FORMATS, (".trig", "TriG")),
        query=quote(f"SELECT ?s ?p ?o WHERE {{ GRAPH <{iri}> {{ ?s ?p ?o }} }} LIMIT 100"),
        sources=[(s, [str(u) for u in state.graph.objects(URIRef(s), URIRef(_SCHEMA_URL))]) for s in sources],
    )


def _text_in(state: State, iri: str, predicate: str, lang: str) -> str:
    from rdflib import Literal, URIRef

    found = [o for o in state.graph.objects(URIRef(iri), URIRef(predicate)) if isinstance(o, Literal)]
    found.sort(key=lambda o: (o.language != lang, bool(o.language), str(o)))
    return str(found[0]) if found else ""


@dataclass(frozen=True)
class _Table:
    """A query result as the query page shows it."""

    ask: bool | None
    variables: tuple[str, ...] = ()
    rows: tuple[tuple[Node | None, ...], ...] = ()
    truncated: bool = False
    limit: int | None = None


@dataclass(frozen=True)
class _Example:
    name: str
    quoted: str
    description: str


def query(
    state: State, lang: str, *, text: str = "", result: QueryResult | None = None, error: str = "", here: str = "/query"
) -> str:
    from egovgraph.sparql.library import named_queries

    examples = [_Example(q.name, quote(q.name), q.description) for q in named_queries()]
    table = _result_table(result) if result is not None else None
    return render(
        state, lang, "query.html", _t(lang, "query"), here=here, text=text, error=error, table=table, examples=examples
    )


def _result_table(result: QueryResult) -> _Table:
    from egovgraph.vocab.terms import to_rdflib

    if result.form == "ASK":
        return _Table(ask=bool(result.boolean))
    if result.form in ("CONSTRUCT", "DESCRIBE"):
        variables: tuple[str, ...] = ("subject", "predicate", "object")
        rows: list[list[Any]] = [[t.subject, t.predicate, t.object] for t in result.triples]
    else:
        variables, rows = tuple(result.variables), [list(r) for r in result.solutions]
    return _Table(
        ask=None,
        variables=variables,
        rows=tuple(tuple(to_rdflib(c) for c in row) for row in rows),
        truncated=result.truncated,
        limit=result.limit,
    )


@dataclass(frozen=True)
class _Term:
    """One term of the ontology page: its IRI and local name, comment, links and number of instances."""

    iri: str
    local: str
    comment: str
    facts: tuple[tuple[str, tuple[str, ...]], ...]
    count: int | None


def ontology(state: State, lang: str, *, here: str = "/ontology") -> str:
    from rdflib import URIRef
    from rdflib.namespace import OWL, RDF, RDFS

    from egovgraph.vocab.names import ONTOLOGY_IRI

    sections = []
    for kind, title in (
        (OWL.Class, _t(lang, "classes")),
        (OWL.ObjectProperty, "Object properties"),
        (OWL.DatatypeProperty, "Datatype properties"),
    ):
        terms = sorted(str(s) for s in state.graph.subjects(RDF.type, kind) if str(s).startswith(ONTOLOGY_IRI + "#"))
        entries = []
        for iri in terms:
            facts = []
            for pred, key in ((RDFS.subClassOf, "subclass"), (RDFS.domain, "domain"), (RDFS.range, "range")):
                values = tuple(
                    str(o) for o in sorted(state.graph.objects(URIRef(iri), pred), key=str) if isinstance(o, URIRef)
                )
                if values:
                    facts.append((key, values))
            entries.append(
                _Term(
                    iri=iri,
                    local=iri.split("#", 1)[1],
                    comment=_text_in(state, iri, _RDFS + "comment", lang),
                    facts=tuple(facts),
                    count=state.class_counts.get(iri),
                )
            )
        sections.append((title, entries))
    return render(
        state,
        lang,
        "ontology.html",
        _t(lang, "ontology"),
        here=here,
        ontology_iri=ONTOLOGY_IRI,
        intro=_text_in(state, ONTOLOGY_IRI, _RDFS + "comment", lang),
        formats=_FORMATS,
        sections=sections,
    )


def not_found(state: State, lang: str, message: str) -> str:
    return render(state, lang, "not_found.html", _t(lang, "not_found"), message=message)
