"""The entity view: described resources as nodes, relations as edges; literals and web links as attributes.

By default evidence, sources and time nodes are folded into the attributes of the resources that point
to them (the evidence's note or quote with its source, the time's label under the property's name), so
the drawing shows the facts and not their bookkeeping; ``provenance=True`` draws them as nodes. With a
filter, the resources pointing to the selected ones are kept too (a person's memberships, with their
organisation, role and period), so "who holds which role since when" is one hop.
"""

from __future__ import annotations

from collections import defaultdict
from typing import TYPE_CHECKING

from rdflib import BNode, Literal
from rdflib.namespace import PROV, RDF, TIME
from rdflib.term import Node

from egovgraph.views.facts import Facts, Filters
from egovgraph.vocab.namespaces import EGOV

if TYPE_CHECKING:
    import networkx as nx

SEPARATOR = "; "
#: Classes whose instances are folded into attributes unless provenance is drawn.
FOLDED = (EGOV.Evidence, EGOV.Source, TIME.Instant, TIME.ProperInterval)

Triple = tuple[Node, Node, Node]


def entity_view(facts: Facts, filters: Filters, *, provenance: bool = False) -> nx.MultiDiGraph:
    """Resources as nodes, relations as edges keyed by predicate; literals and web links as attributes."""
    triples = [t for t in facts.graph if not facts.is_ontology(t[0])]
    return triples_to_graph(facts, triples, filters, provenance=provenance)


def node_id(node: Node) -> str:
    return f"_:{node}" if isinstance(node, BNode) else str(node)


class _Folder:
    """Decides which nodes are folded and what text they leave on the resources pointing to them."""

    def __init__(self, facts: Facts, filters: Filters, provenance: bool) -> None:
        self.facts = facts
        self.provenance = provenance
        self.asked = filters.classes
        self._folded: dict[Node, bool] = {}

    def folded(self, node: Node) -> bool:
        if self.provenance or isinstance(node, Literal):
            return False
        if node not in self._folded:
            types = self.facts.types(node)
            self._folded[node] = bool(types & set(FOLDED)) and not (types & self.asked)
        return self._folded[node]

    def text(self, prop: Node, node: Node) -> tuple[str, str]:
        """(attribute key, text) that a folded ``node`` leaves under ``prop`` on its subject."""
        facts = self.facts
        if prop == EGOV.hasEvidence:
            notes = facts.texts(node, (EGOV.note, EGOV.quote))
            sources = sorted(facts.label(s) for s in facts.graph.objects(node, PROV.entity))
            text = " ".join(notes) or facts.label(node)
            return "evidence", f"{text} ({', '.join(sources)})" if sources else text
        return facts.curie(prop), facts.label(node)


def _literal(facts: Facts, value: Literal) -> tuple[int, str]:
    """(rank, text): the page's language first, then the other, then untagged; no language tag shown."""
    language = value.language
    rank = 0 if language == facts.lang else (1 if language else 2)
    return rank, str(value)


def triples_to_graph(
    facts: Facts,
    triples: list[Triple],
    filters: Filters,
    *,
    provenance: bool = True,
) -> nx.MultiDiGraph:
    """The entity drawing of ``triples``: selected subjects, what they point to and, with a filter, what
    points to them."""
    import networkx as nx

    by_subject: dict[Node, list[tuple[Node, Node]]] = defaultdict(list)
    by_object: dict[Node, list[tuple[Node, Node]]] = defaultdict(list)
    for s, p, o in triples:
        if p != RDF.type:
            by_subject[s].append((p, o))
            if not isinstance(o, Literal):
                by_object[o].append((s, p))
    folder = _Folder(facts, filters, provenance)
    selected = {s for s in by_subject if facts.matches(s, filters) and not folder.folded(s)}
    filtered = any((filters.lands, filters.classes, filters.statuses, filters.sources, filters.years))
    if filtered:  # keep what points to the selection (memberships of persons), and where that points
        incoming = {
            s
            for o in selected
            for s, _ in by_object.get(o, ())
            if s not in selected and s in by_subject and not folder.folded(s) and not facts.is_ontology(s)
        }
        selected |= incoming
    g = nx.MultiDiGraph()
    edges: set[tuple[str, str, str, str]] = set()
    values: dict[str, dict[str, set[tuple[int, str]]]] = defaultdict(lambda: defaultdict(set))
    nodes: set[Node] = set(selected)
    for s in sorted(selected, key=node_id):
        for p, o in by_subject[s]:
            key = facts.curie(p)
            if isinstance(o, Literal):
                values[node_id(s)][key].add(_literal(facts, o))
            elif facts.is_web_link(o):
                values[node_id(s)][key].add((0, str(o)))
            elif folder.folded(o):
                attr, text = folder.text(p, o)
                values[node_id(s)][attr].add((0, text))
            else:
                nodes.add(o)
                edges.add((node_id(s), node_id(o), key, facts.label(p)))
    for node in sorted(nodes, key=node_id):
        attrs = facts.node_attributes(node)
        for key, found in sorted(values.get(node_id(node), {}).items()):
            attrs[key] = SEPARATOR.join(text for _, text in sorted(found))
        g.add_node(node_id(node), **attrs)
    for source, target, key, label in sorted(edges):
        g.add_edge(source, target, key=key, predicate=key, label=label, weight=1)
    return g


__all__ = ["FOLDED", "entity_view", "node_id", "triples_to_graph"]
