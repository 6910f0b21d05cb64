"""The server pages' texts in German and English, and their one stylesheet (served at /static/style.css)."""

from __future__ import annotations

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
ul.dossier-counts{display:flex;flex-wrap:wrap;gap:.4rem 1.2rem;list-style:none;padding:0}
.dossier-ids span{margin-right:1rem}.dossier-ids a{margin-right:.6rem;font-size:.85em;word-break:break-all}
a.cite{text-decoration:none;margin-right:.2rem;font-size:.85em}caption{text-align:left;font-weight:600}
.none{color:#666;font-style:italic}.empty{border-left:4px solid #b58900;padding:.4rem .8rem;background:#fdf6e3}
.tag{font-size:.75em;border:1px solid #999;border-radius:.3rem;padding:0 .3rem}
"""

TEXT: dict[str, dict[str, str]] = {
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
