"""Honest states of a view: filters that cannot apply are refused, empty results and caps are said.

``check_filters`` runs before a view is built and refuses a filter the view cannot use (a class that no
resource of the view's core can have). ``annotate`` runs after: when the view is empty, or its core
resources (the EfA services of efa, the facts using a technology of tech) all fell to the filters, it
says which filter left nothing, in the page's language (graph attribute ``note``) and in English for the
command line (``warning``). ``cap_note`` says what the node cap left out, in the page's language.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import fields, replace
from typing import TYPE_CHECKING

from rdflib.namespace import RDFS
from rdflib.term import Node

from egovgraph.errors import InputError
from egovgraph.views.facts import Facts, Filters
from egovgraph.vocab.namespaces import EGOV

if TYPE_CHECKING:
    import networkx as nx

#: Per language: the name of each filter (by field of Filters) and the sentences of the notes.
TEXT: dict[str, dict[str, str]] = {
    "de": {
        "lands": "Land",
        "classes": "Klasse",
        "statuses": "Status",
        "sources": "Quelle",
        "years": "Jahr",
        "none_efa": "keine EfA-Leistung",
        "none_tech": "kein Vorhaben mit Technologie",
        "none_entity": "keine Ressource",
        "empty": "Diese Ansicht ist leer: {why}",
        "empty_plain": "Diese Ansicht ist leer: der Graph enthält nichts, was sie zeigen könnte.",
        "empty_query": "Diese Ansicht ist leer: die Abfrage liefert keine Kanten{filters}.",
        "none_for": "{none} passt zu {filter}",
        "none_together": "{none} passt zu allen Filtern zusammen ({filters})",
        "no_core": "Nichts zu zeigen außer den Ländern: {why}.",
        "cap": "Gezeigt werden die {shown} am stärksten verbundenen von {total} Knoten: {nodes} Knoten und {edges} "
        "Kanten fehlen. Filtern Sie die Ansicht oder exportieren Sie sie für Gephi, um alle zu sehen.",
    },
    "en": {
        "lands": "Land",
        "classes": "class",
        "statuses": "status",
        "sources": "source",
        "years": "year",
        "none_efa": "no EfA service",
        "none_tech": "no initiative using a technology",
        "none_entity": "no resource",
        "empty": "This view is empty: {why}",
        "empty_plain": "This view is empty: the graph holds nothing it could show.",
        "empty_query": "This view is empty: the query returns no edges{filters}.",
        "none_for": "{none} matches {filter}",
        "none_together": "{none} matches all filters together ({filters})",
        "no_core": "Nothing to show but the Länder: {why}.",
        "cap": "Showing the {shown} best-connected of {total} nodes: {nodes} nodes and {edges} edges are left out. "
        "Filter the view, or export it for Gephi to see them all.",
    },
}
#: The views whose core is the EfA services, and those whose core is the facts using a technology.
_EFA, _TECH = ("efa",), ("tech", "tech-lands")
#: Graph attribute holding the tech views' FactCount (read and dropped by annotate).
FACTS_MATCHED = "facts_matched"


class FactCount:
    """The facts a tech view reads that pass the filters (but the Land's), and each filter alone.

    The tech views count while they read, since from a store their facts are in the graph only batch by
    batch; each filter alone is counted only when several are given (to say which one left nothing).
    """

    def __init__(self, facts: Facts, filters: Filters) -> None:
        self.facts, self.filters = facts, filters.without_land()
        given = [f.name for f in fields(Filters) if f.name != "lands" and getattr(filters, f.name)]
        self.matched = 0
        self.alone: dict[str, int] = dict.fromkeys(given, 0) if len(given) > 1 else {}

    def see(self, fact: Node) -> bool:
        """Count ``fact``; whether it passes the filters."""
        for name in self.alone:
            self.alone[name] += self.facts.matches(fact, _only(self.filters, name))
        passed = self.facts.matches(fact, self.filters)
        self.matched += passed
        return passed

    def __str__(self) -> str:  # what an export of tech_view's graph, not passed through view(), shows
        return str(self.matched)


def number(value: int, lang: str) -> str:
    """A count with the language's thousands separator: 41.512 (de), 41,512 (en)."""
    text = f"{value:,}"
    return text.replace(",", ".") if lang == "de" else text


def cap_note(lang: str, *, shown: int, total: int, left_edges: int) -> str:
    """What the node cap left out, in the page's language (numbers grouped as the language does)."""
    text = TEXT[lang if lang in TEXT else "en"]["cap"]
    values = {"shown": shown, "total": total, "nodes": total - shown, "edges": left_edges}
    for key, value in values.items():
        text = text.replace("{" + key + "}", number(value, lang))
    return text


def check_filters(name: str, facts: Facts, filters: Filters) -> None:
    """Refuse a filter the view cannot use: for efa, a class no EfA service can have."""
    if name in _EFA and filters.classes:
        related = _related_classes(facts, EGOV.EfaService)
        useless = sorted(facts.curie(c) for c in filters.classes if c not in related)
        if len(useless) == len(filters.classes):
            raise InputError(
                f"--class {', '.join(useless)} does not apply to the efa view: it links Länder through EfA "
                "services, so a class can only narrow the services (e.g. --class egov:FocusService); for other "
                f"resources use --view entity --class {useless[0]}, for Länder --land"
            )


def _related_classes(facts: Facts, cls: Node) -> set[Node]:
    """``cls`` with its superclasses and subclasses (a filter on any of them can select its instances)."""
    up = {c for c in facts.graph.transitive_objects(cls, RDFS.subClassOf) if c is not None}
    down = {c for c in facts.graph.transitive_subjects(RDFS.subClassOf, cls) if c is not None}
    return up | down


def annotate(g: nx.Graph, name: str, facts: Facts, filters: Filters) -> None:
    """Say on the view when it is empty or its core matched nothing, and which filter did it."""
    count = g.graph.pop(FACTS_MATCHED, None)
    note = _note(g, name, facts, filters, count)
    if note:
        english = facts if facts.lang == "en" else Facts(facts.graph, "en")  # filter values by English labels
        g.graph["note"], g.graph["warning"] = note, _note(g, name, english, filters, count)


def _note(g: nx.Graph, name: str, facts: Facts, filters: Filters, count: FactCount | None) -> str:
    """The note in the language of ``facts`` ("" when there is nothing to say).

    ``count``: what a tech view counted while it read its facts; the other views' cores are counted here.
    """
    lang = facts.lang
    active = [f.name for f in fields(Filters) if getattr(filters, f.name)]
    if g.number_of_nodes() == 0:
        if name == "custom":
            return _text(lang, "empty_query").replace("{filters}", _with_filters(facts, filters, active, lang))
        if not active:
            return _text(lang, "empty_plain")
        return _text(lang, "empty").replace("{why}", _why(facts, name, filters, active, lang, count) + ".")
    core_filters = [f for f in active if f != "lands"]
    if name in (*_EFA, *_TECH) and core_filters:
        found = count.matched if count is not None else _core_count(facts, name, filters.without_land())
        if found:
            return ""
        return _text(lang, "no_core").replace("{why}", _why(facts, name, filters, core_filters, lang, count))
    return ""


def _text(lang: str, key: str) -> str:
    return TEXT[lang if lang in TEXT else "en"][key]


def _core_kind(name: str) -> str:
    return "efa" if name in _EFA else "tech" if name in _TECH else "entity"


def _describe_filter(facts: Facts, filters: Filters, field: str, lang: str) -> str:
    """One filter as "Status geplant" / "year 1999" in ``lang`` (values by their labels)."""
    values = getattr(filters, field)
    shown = sorted(str(v) for v in values) if field == "years" else sorted(facts.label(v) for v in values)
    return f"{_text(lang, field)} {', '.join(shown)}"


def _with_filters(facts: Facts, filters: Filters, active: list[str], lang: str) -> str:
    if not active:
        return ""
    return " (" + "; ".join(_describe_filter(facts, filters, f, lang) for f in active) + ")"


def _why(facts: Facts, name: str, filters: Filters, active: list[str], lang: str, count: FactCount | None) -> str:
    """Which filter leaves nothing: each one that matches no core resource alone, else all together."""
    core = _text(lang, "none_" + _core_kind(name))

    def none_for(field: str) -> str:
        described = _describe_filter(facts, filters, field, lang)
        return _text(lang, "none_for").replace("{none}", core).replace("{filter}", described)

    if len(active) == 1:  # the one filter left nothing: no need to try it alone
        return none_for(active[0])
    if count is not None:
        alone = [f for f in active if count.alone.get(f, 1) == 0]
    else:
        alone = [f for f in active if _core_count(facts, name, _only(filters, f)) == 0]
    if alone:
        return "; ".join(none_for(f) for f in alone)
    together = "; ".join(_describe_filter(facts, filters, f, lang) for f in active)
    return _text(lang, "none_together").replace("{none}", core).replace("{filters}", together)


def _only(filters: Filters, field: str) -> Filters:
    empty = Filters()
    return replace(empty, **{field: getattr(filters, field)})


def _core_count(facts: Facts, name: str, filters: Filters) -> int:
    """How many of the view's core resources in the graph pass ``filters`` (efa: services; tech: facts)."""
    if name in _EFA:
        core: Iterable[Node] = facts.instances(EGOV.EfaService)
    elif name in _TECH:
        core = set(facts.graph.subjects(EGOV.usesTechnology, None))
    else:
        core = {s for s in facts.graph.subjects() if not facts.is_ontology(s)}
    return sum(1 for node in core if not facts.is_ontology(node) and facts.matches(node, filters))


__all__ = ["FACTS_MATCHED", "TEXT", "FactCount", "annotate", "cap_note", "check_filters", "number"]
