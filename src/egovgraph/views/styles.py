"""How every page draws a class or a kind of link: one colour and shape per class, defined once.

The same class looks the same on every page and in both languages (the style is keyed by the class's
CURIE, never by its label or its rank on a page), and no two classes share a colour and shape. The
reused vocabularies' classes and properties get German and English labels here, since their own
ontologies are not part of the build.
"""

from __future__ import annotations

import hashlib
from typing import NamedTuple


class Style(NamedTuple):
    """A node style: fill colour, vis-network shape and the glyph the legend shows for it."""

    color: str
    shape: str
    glyph: str


_GLYPHS = {
    "dot": "●",
    "diamond": "◆",
    "square": "■",
    "triangle": "▲",
    "star": "★",
    "triangleDown": "▼",
    "hexagon": "⬢",
}

#: Colour-blind-safe colours (Okabe-Ito first, then Tableau 10).
COLORS = (
    "#E69F00",
    "#56B4E9",
    "#009E73",
    "#F0E442",
    "#0072B2",
    "#D55E00",
    "#CC79A7",
    "#999999",
    "#4E79A7",
    "#F28E2B",
    "#59A14F",
    "#EDC948",
    "#B07AA1",
    "#FF9DA7",
    "#9C755F",
    "#BAB0AC",
)
SHAPES = tuple(_GLYPHS)


def _style(color: int, shape: str) -> Style:
    return Style(COLORS[color], shape, _GLYPHS[shape])


#: The fixed style of each class the views show (by CURIE). Main classes get the clearest colours.
CLASS_STYLES: dict[str, Style] = {
    "egov:Land": _style(4, "hexagon"),
    "egov:LandTerritory": _style(4, "square"),
    "egov:EfaService": _style(0, "dot"),
    "egov:FocusService": _style(0, "star"),
    "egov:Initiative": _style(2, "triangle"),
    "egov:Strategy": _style(2, "diamond"),
    "egov:Agreement": _style(6, "square"),
    "egov:Portal": _style(1, "diamond"),
    "egov:Funding": _style(11, "star"),
    "egov:Ministry": _style(5, "triangleDown"),
    "egov:LocalAuthority": _style(5, "square"),
    "egov:Statement": _style(12, "dot"),
    "egov:Technology": _style(3, "diamond"),
    "egov:Themenfeld": _style(10, "square"),
    "egov:PriorityTopic": _style(10, "diamond"),
    "egov:Status": _style(15, "square"),
    "egov:Source": _style(7, "square"),
    "egov:Evidence": _style(15, "dot"),
    "egov:CountQualifier": _style(15, "triangle"),
    "egov:YearPart": _style(15, "diamond"),
    "egov:AgreementType": _style(6, "diamond"),
    "foaf:Person": _style(13, "dot"),
    "org:Membership": _style(13, "triangleDown"),
    "org:OrganizationalUnit": _style(5, "dot"),
    "org:FormalOrganization": _style(8, "hexagon"),
    "org:Organization": _style(8, "dot"),
    "foaf:Organization": _style(8, "square"),
    "cv:PublicOrganisation": _style(8, "triangle"),
    "time:Instant": _style(14, "dot"),
    "time:ProperInterval": _style(14, "square"),
    "schema:QuantitativeValue": _style(9, "dot"),
    "schema:MonetaryAmount": _style(9, "star"),
    "schema:Periodical": _style(7, "diamond"),
    "skos:Concept": _style(15, "hexagon"),
    "skos:ConceptScheme": _style(15, "star"),
    "literal": _style(7, "dot"),
}

#: German and English labels of the reused vocabularies' terms the views show (classes and properties).
REUSED_LABELS: dict[str, tuple[str, str]] = {
    "foaf:Person": ("Person", "person"),
    "foaf:Organization": ("Organisation", "organisation"),
    "foaf:name": ("Name", "name"),
    "org:Membership": ("Mitgliedschaft / Rolle", "membership / role"),
    "org:Organization": ("Organisation", "organisation"),
    "org:FormalOrganization": ("Formale Organisation", "formal organisation"),
    "org:OrganizationalUnit": ("Organisationseinheit", "organisational unit"),
    "org:member": ("Mitglied", "member"),
    "org:organization": ("Organisation", "organisation"),
    "org:role": ("Rolle", "role"),
    "org:memberDuring": ("Zeitraum", "during"),
    "org:subOrganizationOf": ("gehört zu", "part of"),
    "org:unitOf": ("Einheit von", "unit of"),
    "cv:PublicOrganisation": ("Öffentliche Organisation", "public organisation"),
    "time:Instant": ("Zeitpunkt", "instant"),
    "time:ProperInterval": ("Zeitraum", "interval"),
    "time:hasBeginning": ("Beginn", "beginning"),
    "time:hasEnd": ("Ende", "end"),
    "time:inXSDgYear": ("Jahr", "year"),
    "time:inXSDgYearMonth": ("Monat", "month"),
    "time:inXSDDate": ("Datum", "date"),
    "schema:QuantitativeValue": ("Mengenangabe", "quantity"),
    "schema:MonetaryAmount": ("Geldbetrag", "amount of money"),
    "schema:Periodical": ("Zeitschrift", "periodical"),
    "schema:value": ("Wert", "value"),
    "schema:unitText": ("Einheit", "unit"),
    "schema:currency": ("Währung", "currency"),
    "schema:amount": ("Betrag", "amount"),
    "schema:funder": ("Geldgeber", "funder"),
    "schema:url": ("Adresse", "address"),
    "schema:text": ("Text", "text"),
    "schema:about": ("über", "about"),
    "schema:location": ("Ort", "location"),
    "schema:position": ("Position", "position"),
    "skos:Concept": ("Begriff", "concept"),
    "skos:ConceptScheme": ("Begriffsschema", "concept scheme"),
    "skos:prefLabel": ("Name", "name"),
    "skos:altLabel": ("auch", "also called"),
    "skos:definition": ("Definition", "definition"),
    "skos:inScheme": ("im Schema", "in scheme"),
    "skos:related": ("verwandt mit", "related to"),
    "skos:broader": ("Oberbegriff", "broader"),
    "rdfs:label": ("Name", "name"),
    "rdfs:comment": ("Beschreibung", "description"),
    "rdfs:seeAlso": ("siehe auch", "see also"),
    "owl:sameAs": ("dasselbe wie", "same as"),
    "dct:title": ("Titel", "title"),
    "dct:description": ("Beschreibung", "description"),
    "dct:creator": ("Autor", "creator"),
    "dct:publisher": ("Herausgeber", "publisher"),
    "dct:issued": ("erschienen", "issued"),
    "dct:date": ("Datum", "date"),
    "dct:temporal": ("Zeit", "time"),
    "dct:spatial": ("Gebiet", "territory"),
    "dct:isPartOf": ("Teil von", "part of"),
    "dct:identifier": ("Kennung", "identifier"),
    "dct:license": ("Lizenz", "licence"),
    "prov:entity": ("Quelle", "source"),
    "prov:wasAttributedTo": ("zugeschrieben", "attributed to"),
    "geo:lat": ("Breite", "latitude"),
    "geo:long": ("Länge", "longitude"),
}


def class_style(curie: str) -> Style:
    """The style of a class: its fixed entry, or one derived from its CURIE that no fixed class uses."""
    fixed = CLASS_STYLES.get(curie)
    if fixed is not None:
        return fixed
    taken = set(CLASS_STYLES.values())
    free = [_style(c, s) for c in range(len(COLORS)) for s in SHAPES if _style(c, s) not in taken]
    digest = int(hashlib.sha256(curie.encode("utf-8")).hexdigest(), 16)
    return free[digest % len(free)]


def reused_label(curie: str, lang: str) -> str | None:
    """The label of a reused vocabulary's term in ``lang`` (None when the views do not know it)."""
    labels = REUSED_LABELS.get(curie)
    return None if labels is None else labels[0 if lang == "de" else 1]


class EdgeStyle(NamedTuple):
    """How a kind of link is drawn: colour, dash pattern (empty: solid), arrow and its two labels."""

    color: str
    dashes: tuple[int, ...]
    arrow: bool
    de: str
    en: str


#: The kinds of link the Land-level views draw, each with its own style and legend entry.
EDGE_STYLES: dict[str, EdgeStyle] = {
    "reuse": EdgeStyle("#0072B2", (), True, "nutzt nach (namentlich)", "reuses (named)"),
    "codevelopment": EdgeStyle("#D55E00", (8, 4), False, "entwickeln gemeinsam", "develop together"),
    "community": EdgeStyle("#009E73", (2, 4), True, "Entwicklergemeinschaft", "development community"),
    "agreement": EdgeStyle("#CC79A7", (12, 4, 2, 4), False, "gemeinsame Vereinbarung", "joint agreement"),
    "technology": EdgeStyle("#8c959f", (), False, "gemeinsame Technologie", "shared technology"),
    "link": EdgeStyle("#8c959f", (), True, "Beziehung", "relation"),
}
#: Dash patterns for reuse at a level (the content's cooperation levels), in the order levels appear.
LEVEL_DASHES = ((10, 3), (4, 3), (1, 3), (14, 3, 3, 3), (6, 6), (2, 2))


__all__ = [
    "CLASS_STYLES",
    "COLORS",
    "EDGE_STYLES",
    "LEVEL_DASHES",
    "REUSED_LABELS",
    "SHAPES",
    "EdgeStyle",
    "Style",
    "class_style",
    "reused_label",
]
