"""The words of the HTML page in German and English: controls, tabs, attribute and property names.

Attribute keys of the views (``services_built``) and the CURIEs of properties (``egov:purpose``,
``dct:title``) are shown by their human names: the ontology's own labels for ``egov:`` terms, the
labels of :mod:`egovgraph.views.styles` for the reused vocabularies'.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any

from egovgraph.views.styles import REUSED_LABELS

UI: dict[str, dict[str, Any]] = {
    "de": {
        "search": "Suchen (Name, Kürzel, Code, IRI)",
        "results": "Treffer",
        "no_results": "Keine Treffer.",
        "all": "alle",
        "reset": "Zurücksetzen",
        "legend": "Legende",
        "legend_hint": "Eine Klasse anklicken, um ihre Knoten auszuwählen.",
        "links": "Verbindungen",
        "details": "Details",
        "click": "Einen Knoten oder eine Kante anklicken (oder in Tabelle und Suche wählen), um die Angaben zu sehen.",
        "with_neighbours": " mit Nachbarn",
        "neighbours": "Nachbarn",
        "shown": "{shown} von {total} Knoten",
        "matching": "{n} Treffer",
        "size": "Knotengröße: {size}.",
        "unnamed": "{label}\n(+{n} ungenannt)",
        "tab_graph": "Netz",
        "tab_matrix": "Matrix",
        "tab_nodes": "Knoten",
        "tab_edges": "Kanten",
        "from": "von",
        "to": "nach",
        "kind": "Art",
        "total": "Summe",
        "edge": "Kante",
        "show": "im Netz zeigen",
        "sort": "sortieren",
        "services_in_cell": "{n} Leistungen",
        "facets": {"class_label": "Klasse", "land": "Land", "status": "Status"},
        "sizes": {
            "degree": "Zahl der Verbindungen",
            "betweenness": "Betweenness",
            "eigenvector": "Eigenvektor",
            "services": "entwickelte und nachgenutzte EfA-Leistungen",
            "none": "einheitlich",
        },
        "matrix": {
            "efa": (
                "Zeilen entwickeln, Spalten beteiligen sich: jede Zelle zählt die Leistungen, die das Land der "
                "Zeile entwickelt und die das Land der Spalte nachnutzt, mitentwickelt oder in der "
                "Entwicklergemeinschaft begleitet."
            ),
            "tech": "Zeilen: Länder, Spalten: Technologien; jede Zelle zählt die Vorhaben des Landes mit ihr.",
            "tech-lands": "Zeilen: Länder, Spalten: Technologien; ● das Land nutzt die Technologie in einem Vorhaben.",
        },
    },
    "en": {
        "search": "Search (name, abbreviation, code, IRI)",
        "results": "Results",
        "no_results": "No results.",
        "all": "all",
        "reset": "Reset",
        "legend": "Legend",
        "legend_hint": "Click a class to select its nodes.",
        "links": "Links",
        "details": "Details",
        "click": "Click a node or an edge (or pick one in the tables or the search) to see what is known.",
        "with_neighbours": " with neighbours",
        "neighbours": "neighbours",
        "shown": "{shown} of {total} nodes",
        "matching": "{n} matching",
        "size": "Node size: {size}.",
        "unnamed": "{label}\n(+{n} unnamed)",
        "tab_graph": "Network",
        "tab_matrix": "Matrix",
        "tab_nodes": "Nodes",
        "tab_edges": "Edges",
        "from": "from",
        "to": "to",
        "kind": "kind",
        "total": "total",
        "edge": "edge",
        "show": "show in network",
        "sort": "sort",
        "services_in_cell": "{n} services",
        "facets": {"class_label": "Class", "land": "Land", "status": "Status"},
        "sizes": {
            "degree": "number of links",
            "betweenness": "betweenness",
            "eigenvector": "eigenvector",
            "services": "EfA services built and reused",
            "none": "uniform",
        },
        "matrix": {
            "efa": (
                "Rows build, columns take part: each cell counts the services the row's Land builds and the "
                "column's Land reuses, co-builds or follows in the development community."
            ),
            "tech": "Rows: Länder, columns: technologies; each cell counts the Land's initiatives using it.",
            "tech-lands": "Rows: Länder, columns: technologies; ● the Land uses the technology in an initiative.",
        },
    },
}

#: The views' own attribute keys, by their names on the page.
KEYS: dict[str, tuple[str, str]] = {
    "label": ("Name", "name"),
    "iri": ("IRI", "IRI"),
    "class": ("Klasse (CURIE)", "class (CURIE)"),
    "class_label": ("Klasse", "class"),
    "land": ("Land", "Land"),
    "status": ("Status", "status"),
    "year": ("Jahr", "year"),
    "sources": ("Quellen", "sources"),
    "evidence": ("Belege", "evidence"),
    "services": ("Leistungen", "services"),
    "service_iris": ("Leistungen (IRI)", "services (IRI)"),
    "themenfeld": ("Themenfeld", "subject area"),
    "technologies": ("Technologien", "technologies"),
    "initiatives": ("Vorhaben", "initiatives"),
    "built": ("entwickelt", "builds"),
    "reused": ("nutzt nach", "reuses"),
    "services_built": ("Zahl entwickelter Leistungen", "services built"),
    "services_reused": ("Zahl nachgenutzter Leistungen", "services reused"),
    "unnamed_reuse": ("ungenannte Nachnutzer", "unnamed reusers"),
    "unnamed_reuse_count": ("Zahl ungenannter Nachnutzer", "number of unnamed reusers"),
    "development_partners": ("Entwicklergemeinschaft", "development community"),
    "development_partner_of": ("in der Entwicklergemeinschaft von", "in the development community of"),
    "agreements": ("Vereinbarungen", "agreements"),
    "alt_labels": ("auch genannt", "also called"),
    "codes": ("Codes (ISO 3166-2, Länderschlüssel)", "codes (ISO 3166-2, state key)"),
    "latitude": ("Breite (WGS84)", "latitude (WGS84)"),
    "longitude": ("Länge (WGS84)", "longitude (WGS84)"),
    "bipartite": ("Seite (0 Land, 1 Technologie)", "side (0 Land, 1 technology)"),
    "predicate": ("Beziehung", "relation"),
    "weight": ("Gewicht", "weight"),
    "kind": ("Art", "kind"),
    "level": ("Stufe", "level"),
    "degree": ("Verbindungen", "links"),
}

#: Keys never shown as a row of the details (shown otherwise, or internal).
HIDDEN_KEYS = ("label", "iri", "class")


@lru_cache(maxsize=2)
def ontology_labels(lang: str) -> dict[str, str]:
    """CURIE -> label of every ``egov:`` term in ``lang`` (from the ontology files)."""
    from rdflib.namespace import RDFS

    from egovgraph.graph.load import parse_graph
    from egovgraph.vocab.names import ONTOLOGY_FILES, default_ontology_dir

    graph = parse_graph([default_ontology_dir() / name for name in ONTOLOGY_FILES])
    out: dict[str, str] = {}
    for term, label in graph.subject_objects(RDFS.label):
        language = getattr(label, "language", None)
        try:
            curie = graph.namespace_manager.curie(term, generate=False)  # type: ignore[arg-type]
        except (KeyError, ValueError):
            continue
        if language == lang or (language in ("de", "en") and curie not in out):
            out[curie] = str(label)
    return out


def key_label(key: str, lang: str) -> str:
    """The page's name for an attribute key or a property CURIE (the key itself when none is known)."""
    index = 0 if lang == "de" else 1
    if key in KEYS:
        return KEYS[key][index]
    if key in REUSED_LABELS:
        return REUSED_LABELS[key][index]
    return ontology_labels(lang).get(key, key)


__all__ = ["HIDDEN_KEYS", "KEYS", "UI", "key_label", "ontology_labels"]
