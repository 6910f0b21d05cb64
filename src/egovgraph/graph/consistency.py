"""Checks SHACL cannot express: well-formed typed literals, periods that end before they begin, time
instants whose IRI and value disagree, and OZG IDs the OZG catalogue does not know.

Each check yields ``(node, predicate, message, check)`` findings; :mod:`egovgraph.graph.validate` turns
them into located problems (file, line), so this module needs nothing but the graph.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterator

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import RDF, RDFS, TIME, XSD
from rdflib.term import Node

from egovgraph.vocab.namespaces import EGOV

Finding = tuple[Node, Node | None, str, str]

#: Where the OZG catalogue lives in the bundled data, for the messages.
CATALOGUE_FILE = "data/reference/ozg-leistungen.ttl"

_INSTANT_SLUG = re.compile(r"^(?P<date>[0-9]{4}(-[0-9]{2}(-[0-9]{2})?)?)$")
_PRECISIONS = ((TIME.inXSDDate, 10), (TIME.inXSDgYearMonth, 7), (TIME.inXSDgYear, 4))


_LEXICAL = {
    XSD.gYear: re.compile(r"^-?[0-9]{4,}(Z|[+-][0-9]{2}:[0-9]{2})?$"),
    XSD.gYearMonth: re.compile(r"^-?[0-9]{4,}-(0[1-9]|1[0-2])(Z|[+-][0-9]{2}:[0-9]{2})?$"),
    XSD.date: re.compile(r"^-?[0-9]{4,}-(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])(Z|[+-][0-9]{2}:[0-9]{2})?$"),
    XSD.integer: re.compile(r"^[+-]?[0-9]+$"),
    XSD.decimal: re.compile(r"^[+-]?([0-9]+(\.[0-9]*)?|\.[0-9]+)$"),
    XSD.boolean: re.compile(r"^(true|false|1|0)$"),
}


#: How to write a date of each type, for the message about one in the wrong form.
FORMS = {
    XSD.date: ': write the date as YYYY-MM-DD, e.g. "2024-07-05"^^xsd:date',
    XSD.gYearMonth: ': write the month as YYYY-MM, e.g. "2024-07"^^xsd:gYearMonth',
    XSD.gYear: ': write the year as YYYY, e.g. "2024"^^xsd:gYear',
}


def well_typed(literal: Literal) -> bool:
    """Whether a typed literal's lexical form is valid for its XSD datatype (unknown types pass)."""
    pattern = _LEXICAL.get(literal.datatype) if literal.datatype is not None else None
    if pattern is None:
        return not getattr(literal, "ill_typed", False)
    text = str(literal)
    if not pattern.match(text):
        return False
    if literal.datatype == XSD.date:
        import datetime

        try:
            datetime.date.fromisoformat(text[:10] if not text.startswith("-") else "0001-01-01")
        except ValueError:
            return False
    return True


_GERMAN_DATE = re.compile(r"^(?P<d>[0-9]{1,2})\.(?P<m>[0-9]{1,2})\.(?P<y>[0-9]{4})$")


def form_hint(literal: Literal) -> str:
    """How a malformed date should be written: the value itself when it is a German date (5.7.2024)."""
    german = _GERMAN_DATE.match(str(literal))
    if german and literal.datatype == XSD.date:
        fixed = f"{german['y']}-{int(german['m']):02d}-{int(german['d']):02d}"
        return f': write the date as YYYY-MM-DD: "{fixed}"^^xsd:date'
    return FORMS.get(literal.datatype, "") if literal.datatype is not None else ""


def instant_value(graph: Graph, instant: Node) -> str | None:
    """The most precise value of a time instant as text ("2024", "2024-07" or "2024-07-05"), if any."""
    for predicate, _ in _PRECISIONS:
        value = graph.value(instant, predicate)
        if isinstance(value, Literal):
            return str(value)
    return None


def periods_in_order(graph: Graph) -> Iterator[Finding]:
    """A period must not end before it begins (compared at the coarser of the two precisions)."""
    for period in sorted(graph.subjects(RDF.type, TIME.ProperInterval), key=str):
        begin, end = graph.value(period, TIME.hasBeginning), graph.value(period, TIME.hasEnd)
        if begin is None or end is None:
            continue
        start, stop = instant_value(graph, begin), instant_value(graph, end)
        if start is None or stop is None:
            continue
        length = min(len(start), len(stop))
        if stop[:length] < start[:length]:
            yield (
                period,
                TIME.hasEnd,
                f"ends ({stop}) before it begins ({start}): swap time:hasBeginning and time:hasEnd, "
                "or correct the instant that is wrong",
                "period",
            )


def instants_match_their_iris(graph: Graph, time_ns: str) -> Iterator[Finding]:
    """A time instant named for a date (t:2024-07-05) carries that date, at that precision."""
    for instant in sorted(graph.subjects(RDF.type, TIME.Instant), key=str):
        if not isinstance(instant, URIRef) or not str(instant).startswith(time_ns):
            continue
        match = _INSTANT_SLUG.match(str(instant)[len(time_ns) :])
        if match is None:
            continue  # t:2024-end, t:2022-spring: a part of a year, not a date
        named = match.group("date")
        for predicate, length in _PRECISIONS:
            value = graph.value(instant, predicate)
            if isinstance(value, Literal) and len(named) >= length and str(value) != named[:length]:
                yield (
                    instant,
                    predicate,
                    f"the instant is named for {named}, but its value is {value}: "
                    f'write {predicate.n3(graph.namespace_manager)} "{named[:length]}" '
                    f"(or use the instant named for {value})",
                    "date",
                )


def known_ozg_ids(graph: Graph, ozg_ns: str) -> Iterator[Finding]:
    """Every OZG service a fact refers to (an ``id/ozg/`` IRI, or an ``egov:ozgId``) is in the OZG catalogue."""
    catalogue = {s for s in graph.subjects(RDF.type, EGOV.OzgService) if isinstance(s, URIRef)}
    known_ids = sorted(str(s)[len(ozg_ns) :] for s in catalogue if str(s).startswith(ozg_ns))

    def hint(ozg_id: str) -> str:
        guess = difflib.get_close_matches(ozg_id, known_ids, n=1, cutoff=0.6)
        if not guess:
            return ""
        label = graph.value(URIRef(ozg_ns + guess[0]), RDFS.label)
        return f" — did you mean ozg:{guess[0]}" + (f" ({label})" if label is not None else "") + "?"

    fix = f"the OZG catalogue ({CATALOGUE_FILE}, as of 2019-12) has no OZG-Leistung with this ID"
    reported: set[tuple[Node, Node]] = set()
    for s, p, o in sorted(graph, key=lambda t: (str(t[0]), str(t[1]), str(t[2]))):
        if isinstance(o, URIRef) and str(o).startswith(ozg_ns) and p != RDF.type:
            local = str(o)[len(ozg_ns) :]
            if not re.fullmatch(r"[0-9]+", local) or o in catalogue or (s, o) in reported:
                continue
            reported.add((s, o))
            yield (s, p, f"refers to ozg:{local}, but {fix}: use the OZG ID of the catalogue{hint(local)}", "ozg-id")
        elif p == EGOV.ozgId and isinstance(o, Literal) and s not in catalogue and str(o) not in known_ids:
            yield (s, p, f'egov:ozgId "{o}": {fix}: use the OZG ID of the catalogue{hint(str(o))}', "ozg-id")
