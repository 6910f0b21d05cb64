"""The direct links a cooperation record qualifies, derived when the graph is loaded (one SPARQL update).

A reuse, co-development or platform use is a resource of its own (``egov:Reuse`` ...) with the solution,
provider, participating Land, level, date and evidence. Simple questions ("who reuses what") should not
need to know that, so loading adds the direct link the record qualifies, in the record's own named
graph (its source), the way PROV-O pairs ``prov:wasInfluencedBy`` with ``prov:qualifiedInfluence``.
Each link is added once: to the graph of the first record (by graph IRI) that gives it, and not at all
when a source already states it, so the union of the graphs and the store count the same triples.

- ``egov:Reuse``         -> ``<solution> egov:reusedBy <participant>``
- ``egov:CoDevelopment`` -> ``<solution> egov:developmentPartner <participant>``
- ``egov:PlatformUse``   -> ``<solution> egov:usedBy <participant>``

An announced reuse or platform use (``level:announced``) gives no link: nothing is in use yet. The rule is
SPARQL text so that the rdflib load and the pyoxigraph store of ``egovgraph query`` apply the very same
one; it imports nothing, and the stores layer may use it without pulling in rdflib.
"""

from __future__ import annotations

TYPE_CHECKING = False
if TYPE_CHECKING:
    from rdflib import Dataset

__all__ = ["DERIVE_LINKS", "derive_links"]

_EGOV = "https://w3id.org/egovgraph/ontology#"
_ANNOUNCED = "https://w3id.org/egovgraph/vocab/cooperation-level/announced"

#: (record class, derived property, whether an announced record counts) — the table the update is made of.
RULES: tuple[tuple[str, str, bool], ...] = (
    ("Reuse", "reusedBy", False),
    ("CoDevelopment", "developmentPartner", True),
    ("PlatformUse", "usedBy", False),
)


def _rule(record_class: str, link: str, announced_counts: bool) -> str:
    guard = (
        ""
        if announced_counts
        else f"\n        FILTER NOT EXISTS {{ ?record <{_EGOV}cooperationLevel> <{_ANNOUNCED}> }}"
    )
    return (
        f"INSERT {{ GRAPH ?g {{ ?solution <{_EGOV}{link}> ?land }} }}\n"
        "WHERE {\n"
        "  {\n"
        "    SELECT ?solution ?land (MIN(STR(?recordGraph)) AS ?first) WHERE {\n"
        f"      GRAPH ?recordGraph {{\n        ?record a <{_EGOV}{record_class}> ;\n"
        f"          <{_EGOV}solution> ?solution ;\n          <{_EGOV}participant> ?land .{guard}\n      }}\n"
        "    }\n"
        "    GROUP BY ?solution ?land\n"
        "  }\n"
        f"  FILTER NOT EXISTS {{ GRAPH ?any {{ ?solution <{_EGOV}{link}> ?land }} }}\n"
        "  BIND(IRI(?first) AS ?g)\n"
        "}"
    )


#: The SPARQL 1.1 update that adds every derived link (idempotent: running it twice changes nothing).
DERIVE_LINKS = " ;\n".join(_rule(*rule) for rule in RULES)


def derive_links(dataset: Dataset) -> None:
    """Add the direct links of every cooperation record to ``dataset``, each in its record's graph."""
    dataset.update(DERIVE_LINKS)
