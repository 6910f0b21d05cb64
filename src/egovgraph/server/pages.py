"""Server-rendered HTML pages: home, resource, class, query, ontology, not found.

Every piece of data goes through ``e()`` (html.escape) where it is written: labels and literals are text,
never markup. Links are only made to this server's paths and to http(s) IRIs. No scripts, no fonts, one
stylesheet from this server (the Content-Security-Policy allows nothing else).
"""

from __future__ import annotations

import html
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any
from urllib.parse import quote

if TYPE_CHECKING:
    from rdflib.term import Node

    from egovgraph.server.state import State
    from egovgraph.sparql.run import QueryResult

STYLE = """\
body{font:16px/1.5 system-ui,sans-serif;margin:0;color:#1d1d1f;background:#fff}
header,main,footer{max-width:72rem;margin:0 auto;padding:0 1rem}
header{display:flex;gap:1rem;align-items:baseline;border-bottom:1px solid #ddd;padding:.6rem 1rem}
header .brand{font-weight:700;margin-right:auto}
a{color:#0b57d0}a.ext::after{content:" \\2197";font-size:.8em}
table{border-collapse:collapse;width:100%;margin:1rem 0}
th,td{border-bottom:1px solid #e5e5e5;padding:.3rem .5rem;text-align:left;vertical-align:top}
th{background:#f6f6f6}code,pre,textarea{font-family:ui-monospace,monospace;font-size:.9em}
pre,blockquote{background:#f6f6f6;padding:.6rem;overflow-x:auto;white-space:pre-wrap}
blockquote{border-left:4px solid #bbb;margin:.5rem 0}
textarea{width:100%;min-height:12rem}.error{color:#a00;white-space:pre-wrap}
.meta{color:#666;font-size:.85em}.iri{color:#666;word-break:break-all}
dl.term dt{font-weight:600}ul.cols{columns:2}
"""

_TEXT: dict[str, dict[str, str]] = {
    "de": {
        "title": "egovgraph: Digitalisierung der Verwaltung in den Ländern",
        "intro": "Ein belegter Wissensgraph zur Digitalisierung der Verwaltung in den deutschen Ländern: "
        "Vorhaben, Verantwortliche, Portale, Technologien und EfA-Leistungen. Jede Aussage verweist "
        "auf ihre Quelle und ihren Beleg.",
        "home": "Start",
        "query": "Abfrage",
        "ontology": "Ontologie",
        "sparql": "SPARQL-Endpunkt",
        "counts": "Umfang",
        "triples": "Tripel",
        "entities": "Ressourcen",
        "classes": "Klassen",
        "graphs": "Benannte Graphen",
        "dumps": "Downloads",
        "void": "VoID/DCAT-Beschreibung",
        "class": "Klasse",
        "instances": "Instanzen",
        "properties": "Eigenschaften",
        "property": "Eigenschaft",
        "value": "Wert",
        "incoming": "Verweise auf diese Ressource",
        "evidence": "Quellen und Belege",
        "source": "Quelle",
        "formats": "Formate",
        "type": "Typ",
        "run": "Ausführen",
        "examples": "Benannte Abfragen als Beispiele",
        "result": "Ergebnis",
        "rows": "Zeilen",
        "truncated": "Das Ergebnis wurde gekürzt auf",
        "not_found": "Nicht gefunden",
        "none": "keine",
        "domain": "Domäne",
        "range": "Wertebereich",
        "subclass": "Unterklasse von",
        "language": "English",
        "instances_of": "Instanzen von",
        "graph": "Benannter Graph",
        "files": "Quelldatei",
        "subjects": "Ressourcen in diesem Graphen",
        "in_graphs": "In den benannten Graphen",
        "sources": "Quellen",
        "graph_query": "Abfrage auf diesem Graphen",
    },
    "en": {
        "title": "egovgraph: digital government of the German Länder",
        "intro": "A sourced knowledge graph of the German Länder's digital government: initiatives, officials, "
        "portals, technologies and EfA services. Every fact links to its source and evidence.",
        "home": "Home",
        "query": "Query",
        "ontology": "Ontology",
        "sparql": "SPARQL endpoint",
        "counts": "Size",
        "triples": "triples",
        "entities": "resources",
        "classes": "classes",
        "graphs": "named graphs",
        "dumps": "Downloads",
        "void": "VoID/DCAT description",
        "class": "Class",
        "instances": "instances",
        "properties": "Properties",
        "property": "Property",
        "value": "Value",
        "incoming": "Pointing here",
        "evidence": "Sources and evidence",
        "source": "Source",
        "formats": "Formats",
        "type": "Type",
        "run": "Run",
        "examples": "Named queries as examples",
        "result": "Result",
        "rows": "rows",
        "truncated": "The result was capped at",
        "not_found": "Not found",
        "none": "none",
        "domain": "Domain",
        "range": "Range",
        "subclass": "Subclass of",
        "language": "Deutsch",
        "instances_of": "Instances of",
        "graph": "Named graph",
        "files": "Source file",
        "subjects": "Resources in this graph",
        "in_graphs": "In the named graphs",
        "sources": "Sources",
        "graph_query": "Query this graph",
    },
}
_RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
_RDFS = "http://www.w3.org/2000/01/rdf-schema#"
_HAS_EVIDENCE = "https://w3id.org/egovgraph/ontology#hasEvidence"
_QUOTE = "https://w3id.org/egovgraph/ontology#quote"
_PROV_ENTITY = "http://www.w3.org/ns/prov#entity"
_SCHEMA_URL = "https://schema.org/url"
_XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"
_INCOMING_SHOWN = 500


def e(value: object) -> str:
    """Text as HTML (attribute-safe): the one way data enters a page."""
    return html.escape(str(value), quote=True)


def _t(lang: str, key: str) -> str:
    return _TEXT[lang][key]


def layout(state: State, lang: str, title: str, body: str, *, here: str = "/") -> str:
    other = "en" if lang == "de" else "de"
    sep = "&" if "?" in here else "?"
    nav = (
        f'<a class="brand" href="/?lang={lang}">egovgraph</a>'
        f'<a href="/query?lang={lang}">{e(_t(lang, "query"))}</a>'
        f'<a href="/ontology?lang={lang}">{e(_t(lang, "ontology"))}</a>'
        f'<a href="/sparql">SPARQL</a>'
        f'<a href="{e(here + sep + "lang=" + other)}" hreflang="{other}" lang="{other}">'
        f"{e(_t(lang, 'language'))}</a>"
    )
    return (
        f'<!DOCTYPE html>\n<html lang="{lang}">\n<head>\n<meta charset="utf-8">\n'
        f'<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f"<title>{e(title)}</title>\n"
        f'<link rel="stylesheet" href="/static/style.css">\n</head>\n<body>\n'
        f"<header>{nav}</header>\n<main>\n{body}\n</main>\n"
        f'<footer class="meta"><p>egovgraph · <a href="/.well-known/void">VoID</a> · CC BY 4.0</p></footer>\n'
        "</body>\n</html>\n"
    )


def compact(state: State, iri: str) -> str:
    """``prefix:local`` with the served prefixes (``land:`` follows ``--base-iri``), else the IRI."""
    from egovgraph.sparql.results import compact as compact_iri

    return compact_iri(iri, state.prefixes)


def name_of(state: State, iri: str, lang: str) -> str:
    return state.label(iri, lang) or compact(state, iri)


def link(state: State, iri: str, lang: str, text: str | None = None) -> str:
    """A link to an IRI shown by its label: this server's page where it has one, else the IRI itself."""
    shown = e(text if text is not None else name_of(state, iri, lang))
    local = state.local_path(iri)
    if local is not None:
        return f'<a href="{e(local)}?lang={lang}" title="{e(iri)}">{shown}</a>'
    if iri.startswith(("http://", "https://")):
        return f'<a class="ext" href="{e(iri)}" rel="nofollow noopener noreferrer" title="{e(iri)}">{shown}</a>'
    return f'<span title="{e(iri)}">{shown}</span>'


def class_link(state: State, iri: str, lang: str) -> str:
    if iri in state.class_counts:
        href = f"/class/{quote(compact(state, iri), safe=':')}?lang={lang}"
        return f'<a href="{e(href)}">{e(name_of(state, iri, lang))}</a>'
    return link(state, iri, lang)


def term(state: State, node: Node, lang: str) -> str:
    """One RDF term as HTML: a link for IRIs, the text of literals with their language or datatype."""
    from rdflib import BNode, Literal

    if isinstance(node, Literal):
        extra = ""
        if node.language:
            extra = f' <span class="meta">@{e(node.language)}</span>'
        elif node.datatype is not None and str(node.datatype) != _XSD_STRING:
            extra = f' <span class="meta">{e(compact(state, str(node.datatype)))}</span>'
        return f'<span lang="{e(node.language)}">{e(node)}</span>{extra}' if node.language else e(node) + extra
    if isinstance(node, BNode):
        rows = "".join(
            f"<li>{e(name_of(state, str(p), lang))}: {term(state, o, lang)}</li>"
            for p, o in sorted(state.graph.predicate_objects(node))
            if not isinstance(o, BNode)
        )
        return f"<ul>{rows}</ul>"
    return link(state, str(node), lang)


# --------------------------------------------------------------------------- pages


def home(state: State, lang: str, *, here: str = "/") -> str:
    from egovgraph.graph.load import ONTOLOGY_GRAPH

    entities = state.entities
    data_graphs = [g for g in state.graph_iris if not g.endswith("/" + ONTOLOGY_GRAPH)]
    counts = (
        f"<ul><li>{state.triples} {e(_t(lang, 'triples'))}</li>"
        f"<li>{entities} {e(_t(lang, 'entities'))}</li>"
        f"<li>{len(state.class_counts)} {e(_t(lang, 'classes'))}</li>"
        f"<li>{len(data_graphs)} {e(_t(lang, 'graphs'))}</li></ul>"
    )
    classes = sorted(state.class_counts.items(), key=lambda kv: (-kv[1], name_of(state, kv[0], lang)))
    rows = "".join(
        f"<tr><td>{class_link(state, iri, lang)}</td><td><code>{e(compact(state, iri))}</code></td><td>{n}</td></tr>"
        for iri, n in classes
    )
    dumps = "".join(
        f'<li><a href="/dumps/{e(name)}">{e(name)}</a> <span class="meta">({len(body):,} bytes)</span></li>'
        for name, body in state.files.items()
        if name != "void.ttl"
    )
    graphs = "".join(
        f"<tr><td>{graph_link(state, g, lang)}</td><td>{_files_of(state, g)}</td><td>{state.graph_sizes[g]}</td></tr>"
        for g in sorted(state.graph_iris)
    )
    body = (
        f"<h1>{e(_t(lang, 'title'))}</h1>\n<p>{e(_t(lang, 'intro'))}</p>\n"
        f"<h2>{e(_t(lang, 'counts'))}</h2>\n{counts}\n"
        f"<h2>{e(_t(lang, 'classes'))}</h2>\n<table><tr><th>{e(_t(lang, 'class'))}</th><th>IRI</th>"
        f"<th>{e(_t(lang, 'instances'))}</th></tr>{rows}</table>\n"
        f"<h2>{e(_t(lang, 'graphs').capitalize())}</h2>\n<table><tr><th>{e(_t(lang, 'graph'))}</th>"
        f"<th>{e(_t(lang, 'files'))}</th><th>{e(_t(lang, 'triples').capitalize())}</th></tr>{graphs}</table>\n"
        f"<h2>{e(_t(lang, 'dumps'))}</h2>\n<ul>{dumps}"
        f'<li><a href="/.well-known/void">{e(_t(lang, "void"))}</a></li></ul>\n'
        f'<p><a href="/query?lang={lang}">{e(_t(lang, "query"))}</a> · '
        f'<a href="/sparql">{e(_t(lang, "sparql"))}</a>: <code>/sparql</code> · '
        f'<a href="/ontology?lang={lang}">{e(_t(lang, "ontology"))}</a></p>'
    )
    return layout(state, lang, _t(lang, "title"), body, here=here)


def resource(state: State, iri: str, lang: str, *, here: str = "/") -> str:
    from rdflib import URIRef

    node = URIRef(iri)
    title = name_of(state, iri, lang)
    types = sorted(str(o) for o in state.graph.objects(node, URIRef(_RDF_TYPE)))
    local = state.local_path(iri) or ""
    formats = " · ".join(
        f'<a href="{e(local)}{suffix}">{name}</a>'
        for suffix, name in ((".ttl", "Turtle"), (".nt", "N-Triples"), (".jsonld", "JSON-LD"), (".rdf", "RDF/XML"))
    )
    by_predicate: dict[str, list[Node]] = {}
    for p, o in sorted(state.graph.predicate_objects(node)):
        if str(p) != _RDF_TYPE:
            by_predicate.setdefault(str(p), []).append(o)
    rows = "".join(
        f"<tr><th>{link(state, p, lang)}</th><td>{'<br>'.join(term(state, o, lang) for o in values)}</td></tr>"
        for p, values in sorted(by_predicate.items(), key=lambda kv: name_of(state, kv[0], lang).lower())
    )
    body = [f"<h1>{e(title)}</h1>", f'<p class="iri"><code>{e(iri)}</code></p>']
    if types:
        body.append(f"<p>{e(_t(lang, 'type'))}: {', '.join(class_link(state, t, lang) for t in types)}</p>")
    body.append(f'<p class="meta">{e(_t(lang, "formats"))}: {formats}</p>')
    in_graphs = state.subject_graphs.get(iri, ())
    if in_graphs:
        body.append(
            f'<p class="meta">{e(_t(lang, "in_graphs"))}: '
            f"{', '.join(graph_link(state, g, lang) for g in in_graphs)}</p>"
        )
    body.append(f"<h2>{e(_t(lang, 'properties'))}</h2>")
    body.append(f"<table><tr><th>{e(_t(lang, 'property'))}</th><th>{e(_t(lang, 'value'))}</th></tr>{rows}</table>")
    body.append(_evidence(state, node, lang))
    incoming = sorted(
        {(name_of(state, str(s), lang).lower(), str(s), str(p)) for s, p in state.graph.subject_predicates(node)}
    )
    if incoming:
        items = "".join(
            f"<li>{term(state, URIRef(s), lang)} <span class='meta'>{e(name_of(state, p, lang))}</span></li>"
            for _, s, p in incoming[:_INCOMING_SHOWN]
        )
        more = f"<p class='meta'>… {len(incoming) - _INCOMING_SHOWN}</p>" if len(incoming) > _INCOMING_SHOWN else ""
        body.append(f"<h2>{e(_t(lang, 'incoming'))}</h2><ul>{items}</ul>{more}")
    return layout(state, lang, title, "\n".join(body), here=here)


def _evidence(state: State, node: Node, lang: str) -> str:
    from rdflib import URIRef

    items = []
    for ev in sorted(state.graph.objects(node, URIRef(_HAS_EVIDENCE)), key=str):
        quotes = "".join(
            f"<blockquote>{term(state, q, lang)}</blockquote>"
            for q in sorted(state.graph.objects(ev, URIRef(_QUOTE)), key=str)
        )
        sources = []
        for src in sorted(state.graph.objects(ev, URIRef(_PROV_ENTITY)), key=str):
            urls = " ".join(link(state, str(u), lang, str(u)) for u in state.graph.objects(src, URIRef(_SCHEMA_URL)))
            graphs = "".join(
                f' <span class="meta">({e(_t(lang, "graph"))} {graph_link(state, g, lang)})</span>'
                for g in state.subject_graphs.get(str(src), ())
            )
            sources.append(f"{e(_t(lang, 'source'))}: {term(state, src, lang)} {urls}{graphs}")
        items.append(f"<li>{link(state, str(ev), lang)}{quotes}<p>{'<br>'.join(sources)}</p></li>")
    if not items:
        return ""
    return f"<h2>{e(_t(lang, 'evidence'))}</h2><ul>{''.join(items)}</ul>"


def class_page(state: State, iri: str, lang: str, *, here: str = "/") -> str:
    from rdflib import URIRef

    members = sorted(
        {str(s) for s in state.graph.subjects(URIRef(_RDF_TYPE), URIRef(iri)) if str(s).startswith(state.base + "id/")},
        key=lambda s: (name_of(state, s, lang).lower(), s),
    )
    comment = _text_in(state, iri, _RDFS + "comment", lang)
    items = "".join(f"<li>{link(state, s, lang)}</li>" for s in members)
    title = f"{_t(lang, 'instances_of')} {name_of(state, iri, lang)}"
    body = (
        f"<h1>{e(title)}</h1><p class='iri'>{link(state, iri, lang, iri)}</p>"
        + (f"<p>{e(comment)}</p>" if comment else "")
        + f"<p>{len(members)} {e(_t(lang, 'instances'))}</p><ul class='cols'>{items}</ul>"
    )
    return layout(state, lang, title, body, here=here)


def graph_link(state: State, iri: str, lang: str) -> str:
    """A link to a named graph's page, shown by its name (the source file's stem)."""
    return link(state, iri, lang, iri.rsplit("/", 1)[-1])


def _files_of(state: State, iri: str) -> str:
    from rdflib import URIRef

    paths = state.loaded.graph_files.get(URIRef(iri), ())
    return ", ".join(f"<code>{e(p.parent.name + '/' + p.name)}</code>" for p in paths)


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
    formats = " · ".join(
        f'<a href="/graph/{e(quote(name))}{suffix}">{label}</a>'
        for suffix, label in (
            (".ttl", "Turtle"),
            (".nt", "N-Triples"),
            (".jsonld", "JSON-LD"),
            (".rdf", "RDF/XML"),
            (".trig", "TriG"),
        )
    )
    query = quote(f"SELECT ?s ?p ?o WHERE {{ GRAPH <{iri}> {{ ?s ?p ?o }} }} LIMIT 100")
    body = [
        f"<h1>{e(_t(lang, 'graph'))} {e(name)}</h1>",
        f'<p class="iri"><code>{e(iri)}</code></p>',
        f"<p>{e(_t(lang, 'files')) + ': ' + _files_of(state, iri) + ' · ' if _files_of(state, iri) else ''}"
        f"{state.graph_sizes[iri]} {e(_t(lang, 'triples'))}"
        f" · {len(subjects)} {e(_t(lang, 'entities'))}</p>",
        f'<p class="meta">{e(_t(lang, "formats"))}: {formats} · '
        f'<a href="/query?query={e(query)}&amp;lang={lang}">{e(_t(lang, "graph_query"))}</a></p>',
    ]
    if sources:
        items = "".join(
            f"<li>{link(state, s, lang)} "
            + " ".join(link(state, str(u), lang, str(u)) for u in state.graph.objects(URIRef(s), URIRef(_SCHEMA_URL)))
            + "</li>"
            for s in sources
        )
        body.append(f"<h2>{e(_t(lang, 'sources'))}</h2><ul>{items}</ul>")
    items = "".join(f"<li>{link(state, s, lang)}</li>" for s in subjects)
    body.append(f"<h2>{e(_t(lang, 'subjects'))}</h2><ul class='cols'>{items}</ul>")
    return layout(state, lang, f"{_t(lang, 'graph')} {name}", "\n".join(body), here=here)


def _text_in(state: State, iri: str, predicate: str, lang: str) -> str:
    from rdflib import Literal, URIRef

    found = [o for o in state.graph.objects(URIRef(iri), URIRef(predicate)) if isinstance(o, Literal)]
    found.sort(key=lambda o: (o.language != lang, bool(o.language), str(o)))
    return str(found[0]) if found else ""


def query(
    state: State, lang: str, *, text: str = "", result: QueryResult | None = None, error: str = "", here: str = "/query"
) -> str:
    from egovgraph.sparql.library import named_queries

    examples = "".join(
        f'<li><a href="/query?name={e(quote(q.name))}&amp;lang={lang}">{e(q.name)}</a> — {e(q.description)}</li>'
        for q in named_queries()
    )
    body = [
        f"<h1>{e(_t(lang, 'query'))}</h1>",
        f'<form method="get" action="/query"><input type="hidden" name="lang" value="{lang}">'
        f'<textarea name="query" aria-label="SPARQL" spellcheck="false">{e(text)}</textarea>'
        f'<p><button type="submit">{e(_t(lang, "run"))}</button> '
        f'<span class="meta">SPARQL endpoint: <code>/sparql</code></span></p></form>',
    ]
    if error:
        body.append(f'<p class="error" role="alert">{e(error)}</p>')
    if result is not None:
        body.append(f"<h2>{e(_t(lang, 'result'))}</h2>{_result_table(state, result, lang)}")
    body.append(f"<h2>{e(_t(lang, 'examples'))}</h2><ul>{examples}</ul>")
    return layout(state, lang, _t(lang, "query"), "\n".join(body), here=here)


def _result_table(state: State, result: QueryResult, lang: str) -> str:
    from egovgraph.stores.oxigraph import to_rdflib

    if result.form == "ASK":
        return f"<p><strong>{'true' if result.boolean else 'false'}</strong></p>"
    variables: Iterable[str]
    rows: list[list[Any]]
    if result.form in ("CONSTRUCT", "DESCRIBE"):
        variables = ("subject", "predicate", "object")
        rows = [[t.subject, t.predicate, t.object] for t in result.triples]
    else:
        variables, rows = result.variables, [list(r) for r in result.solutions]
    head = "".join(f"<th>{e(v)}</th>" for v in variables)

    def cell(value: Any) -> str:
        node = to_rdflib(value)
        return "" if node is None else term(state, node, lang)

    cells = "".join("<tr>" + "".join(f"<td>{cell(c)}</td>" for c in row) + "</tr>" for row in rows)
    note = f"<p class='meta'>{e(_t(lang, 'truncated'))} {result.limit}.</p>" if result.truncated else ""
    return f"<p class='meta'>{len(rows)} {e(_t(lang, 'rows'))}</p><table><tr>{head}</tr>{cells}</table>{note}"


def ontology(state: State, lang: str, *, here: str = "/ontology") -> str:
    from rdflib import URIRef
    from rdflib.namespace import OWL, RDF, RDFS

    from egovgraph.server.state import ONTOLOGY_IRI

    sections = []
    for kind, title in (
        (OWL.Class, _t(lang, "classes")),
        (OWL.ObjectProperty, "Object properties"),
        (OWL.DatatypeProperty, "Datatype properties"),
    ):
        terms = sorted(str(s) for s in state.graph.subjects(RDF.type, kind) if str(s).startswith(ONTOLOGY_IRI + "#"))
        entries = []
        for iri in terms:
            local = iri.split("#", 1)[1]
            facts = []
            for pred, key in ((RDFS.subClassOf, "subclass"), (RDFS.domain, "domain"), (RDFS.range, "range")):
                values = [
                    link(state, str(o), lang)
                    for o in sorted(state.graph.objects(URIRef(iri), pred), key=str)
                    if isinstance(o, URIRef)
                ]
                if values:
                    facts.append(f"<dd>{e(_t(lang, key))}: {', '.join(values)}</dd>")
            if iri in state.class_counts:
                facts.append(
                    f"<dd>{class_link(state, iri, lang)}: {state.class_counts[iri]} {e(_t(lang, 'instances'))}</dd>"
                )
            comment = _text_in(state, iri, _RDFS + "comment", lang)
            entries.append(
                f'<dl class="term" id="{e(local)}"><dt>{e(name_of(state, iri, lang))} '
                f"<code>egov:{e(local)}</code></dt>"
                + (f"<dd>{e(comment)}</dd>" if comment else "")
                + "".join(facts)
                + "</dl>"
            )
        sections.append(f"<h2>{e(title)}</h2>" + "".join(entries))
    intro = _text_in(state, ONTOLOGY_IRI, _RDFS + "comment", lang)
    formats = " · ".join(
        f'<a href="/ontology{s}">{n}</a>'
        for s, n in ((".ttl", "Turtle"), (".nt", "N-Triples"), (".jsonld", "JSON-LD"), (".rdf", "RDF/XML"))
    )
    body = (
        f"<h1>{e(_t(lang, 'ontology'))}</h1><p class='iri'><code>{e(ONTOLOGY_IRI)}#</code></p>"
        f"<p>{e(intro)}</p><p class='meta'>{e(_t(lang, 'formats'))}: {formats}</p>" + "".join(sections)
    )
    return layout(state, lang, _t(lang, "ontology"), body, here=here)


def not_found(state: State, lang: str, message: str) -> str:
    body = (
        f"<h1>{e(_t(lang, 'not_found'))}</h1><p>{e(message)}</p>"
        f"<p><a href='/?lang={lang}'>{e(_t(lang, 'home'))}</a></p>"
    )
    return layout(state, lang, _t(lang, "not_found"), body)
