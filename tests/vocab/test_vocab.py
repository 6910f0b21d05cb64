"""The ontology: a closed namespace that matches egov.ttl, every term documented, every used term defined."""

from __future__ import annotations

import pytest
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import OWL, RDF, RDFS, SKOS

from egovgraph.graph.load import Loaded, default_ontology_dir, parse_graph
from egovgraph.vocab.namespaces import EGOV, PREFIXES

ONTOLOGY = parse_graph([default_ontology_dir() / "egov.ttl"])
TERMS = sorted({s for s in ONTOLOGY.subjects() if isinstance(s, URIRef) and s.startswith(str(EGOV._NS))})


def test_closed_namespace_equals_the_ontology() -> None:
    declared = {str(EGOV._NS) + name for name in EGOV.__annotations__}
    assert declared == {str(t) for t in TERMS}


def test_typo_in_a_term_fails_loudly() -> None:
    with pytest.raises(AttributeError):
        _ = EGOV.Initative  # type: ignore[attr-defined]


def test_ontology_header() -> None:
    onto = URIRef("https://w3id.org/egovgraph/ontology")
    assert (onto, RDF.type, OWL.Ontology) in ONTOLOGY
    for prop in (
        OWL.versionIRI,
        URIRef("http://purl.org/dc/terms/license"),
        URIRef("http://purl.org/dc/terms/creator"),
    ):
        assert ONTOLOGY.value(onto, prop) is not None, prop
    assert {lbl.language for lbl in ONTOLOGY.objects(onto, RDFS.label)} == {"de", "en"}


@pytest.mark.parametrize("term", TERMS, ids=lambda t: t.split("#")[1])
def test_every_term_has_labels_comment_and_an_alignment(term: URIRef) -> None:
    labels = {lbl.language for lbl in ONTOLOGY.objects(term, RDFS.label) if isinstance(lbl, Literal)}
    assert labels == {"de", "en"}
    assert ONTOLOGY.value(term, RDFS.comment) is not None
    kinds = set(ONTOLOGY.objects(term, RDF.type))
    assert kinds & {OWL.Class, OWL.ObjectProperty, OWL.DatatypeProperty}
    if OWL.Class in kinds:
        assert ONTOLOGY.value(term, RDFS.subClassOf) is not None, "classes specialise a reused class"


def test_every_egov_term_used_in_the_data_is_defined(graph: Graph) -> None:
    used = {t for triple in graph for t in triple if isinstance(t, URIRef) and t.startswith(str(EGOV._NS))}
    assert used <= set(TERMS), used - set(TERMS)


def test_schema_org_in_one_form_only(graph: Graph) -> None:
    forms = {
        str(t)[: len("https://schema.org/")]
        for triple in graph
        for t in triple
        if isinstance(t, URIRef) and "schema.org/" in str(t)
    }
    assert forms == {"https://schema.org/"}
    assert PREFIXES["schema"] == "https://schema.org/"


def test_technology_scheme_has_german_and_english_labels_and_abbreviations(graph: Graph) -> None:
    techs = set(graph.subjects(RDF.type, EGOV.Technology))
    assert len(techs) >= 10
    for tech in techs:
        assert {lbl.language for lbl in graph.objects(tech, SKOS.prefLabel)} >= {"de", "en"}, tech
    alt = {str(a) for t in techs for a in graph.objects(t, SKOS.altLabel)}
    assert {"KI", "RPA", "API"} <= alt


def test_no_blank_nodes_in_data(loaded: Loaded) -> None:
    from rdflib import BNode

    assert not [t for t in loaded.union() if any(isinstance(x, BNode) for x in t)]
