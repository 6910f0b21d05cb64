"""Which label a resource shows: the one ranking of rdfs:label and skos:prefLabel by language.

Used wherever an IRI gets a human label: query tables (``--labels``), the server's pages and the store views.
"""

from __future__ import annotations

from collections.abc import Iterable

from egovgraph.vocab.iris import RDFS_LABEL, SKOS_PREFLABEL

#: The predicates that carry a label, in the order they are preferred.
LABEL_PREDICATES = (RDFS_LABEL, SKOS_PREFLABEL)
#: The languages labels are shown in.
LANGUAGES = ("de", "en")


def label_query(iris: Iterable[str] | None = None) -> str:
    """SPARQL for (?s ?p ?l) with every label of ``iris`` (None: of every IRI), for :func:`rank_labels`."""
    values = "" if iris is None else "VALUES ?s { " + " ".join(f"<{i}>" for i in iris if ">" not in i) + " } "
    predicates = " ".join(f"<{p}>" for p in LABEL_PREDICATES)
    return (
        f"SELECT ?s ?p ?l WHERE {{ {values}VALUES ?p {{ {predicates} }} ?s ?p ?l FILTER(isIRI(?s) && isLITERAL(?l)) }}"
    )


def rank_labels(
    found: Iterable[tuple[str, str, str | None, str]], languages: Iterable[str] = LANGUAGES
) -> dict[str, dict[str, str]]:
    """For each language, the label each IRI shows, from (IRI, predicate IRI, language tag, text).

    In a language: a label in that language, then one without a language, then any other; among those,
    rdfs:label before skos:prefLabel; among equals the smallest text (so the choice is deterministic).
    """
    langs = tuple(languages)
    labels: dict[str, dict[str, str]] = {lang: {} for lang in langs}
    ranks: dict[tuple[str, str], tuple[int, int, str]] = {}
    for iri, predicate, language, value in found:
        if predicate not in LABEL_PREDICATES:
            continue
        by_predicate = LABEL_PREDICATES.index(predicate)
        for lang in langs:
            rank = (0 if language == lang else 1 if not language else 2, by_predicate, value)
            key = (lang, iri)
            if key not in ranks or rank < ranks[key]:
                ranks[key] = rank
                labels[lang][iri] = value
    return labels
