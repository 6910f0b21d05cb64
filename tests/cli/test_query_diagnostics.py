"""Issue 14's query side through the CLI: nesting, relative IRIs, FROM, and the query diagnostics."""

from __future__ import annotations

import pytest
from click.testing import CliRunner
from rdflib import Graph, Literal, URIRef
from test_query_cli import fails, invoke, ok, tsv_rows

from egovgraph.defaults import MAX_NESTING
from egovgraph.vocab.namespaces import DEFAULT_BASE

REFERENCE = DEFAULT_BASE + "graph/reference"


def test_deep_nesting_is_refused_before_the_engine(runner: CliRunner) -> None:
    text = "SELECT * WHERE " + "{" * 2500 + " ?s ?p ?o " + "}" * 2500
    fails(invoke(runner, text), f"deeper than the limit of {MAX_NESTING} levels")
    assert ok(invoke(runner, "SELECT * WHERE " + "{" * 40 + " ?s ?p ?o " + "}" * 40 + " LIMIT 1"))


def test_relative_iris_resolve_against_the_graphs_base(runner: CliRunner) -> None:
    graph = Graph().parse(data=ok(invoke(runner, "CONSTRUCT { <s> <p> 1 } WHERE {}")), format="turtle")
    assert set(graph) == {(URIRef(DEFAULT_BASE + "s"), URIRef(DEFAULT_BASE + "p"), Literal(1))}
    assert tsv_rows(ok(invoke(runner, "SELECT (<rel> AS ?x) {}"))) == [{"x": f"<{DEFAULT_BASE}rel>"}]


def test_from_a_local_graph(runner: CliRunner) -> None:
    text = "SELECT (COUNT(*) AS ?n) {} WHERE {{ ?s ?p ?o }}"
    only = int(tsv_rows(ok(invoke(runner, text.format(f"FROM <{REFERENCE}>"))))[0]["n"])
    everything = int(tsv_rows(ok(invoke(runner, text.format(""))))[0]["n"])
    assert 0 < only < everything


@pytest.mark.parametrize("iri", [DEFAULT_BASE + "graph/no-such-graph", "file:///etc/passwd"])
def test_from_an_iri_that_names_no_local_graph(runner: CliRunner, iri: str) -> None:
    fails(invoke(runner, f"SELECT * FROM <{iri}> WHERE {{ ?s ?p ?o }}"), "FROM / FROM NAMED is refused")


def test_unknown_egov_term_warns_with_the_nearest(runner: CliRunner) -> None:
    result = invoke(runner, "SELECT ?x WHERE { ?x a egov:Initiativ }")
    assert result.exit_code == 0 and result.stdout == "?x\n"
    assert result.stderr == (
        "warning: egov:Initiativ is not a term of the egov: ontology — did you mean egov:Initiative?\n"
    )
    assert invoke(runner, "SELECT ?x WHERE { ?x a egov:Initiative } LIMIT 1").stderr == ""


def test_missing_resource_gets_a_hint_on_an_empty_result(runner: CliRunner) -> None:
    result = invoke(runner, "SELECT ?p WHERE { land:bremn ?p ?o }")
    assert result.exit_code == 0 and result.stdout == "?p\n"
    assert result.stderr == "hint: land:bremn names no resource in this graph — did you mean land:bremen?\n"
    found = invoke(runner, "SELECT ?p WHERE { land:bremen ?p ?o } LIMIT 1")
    assert found.exit_code == 0 and found.stderr == ""


def test_invalid_regex_is_an_error_not_zero_rows(runner: CliRunner) -> None:
    err = fails(
        invoke(runner, 'SELECT ?l WHERE { ?s rdfs:label ?l FILTER(REGEX(?l, "(")) }'), "invalid regular expression"
    )
    assert 'invalid regular expression "(" in REGEX at line 1, column 53' in err
    fails(invoke(runner, 'SELECT ?l WHERE { ?s rdfs:label ?l FILTER(REGEX(?l, "a", "z")) }'), "with flags 'z'")
    fails(invoke(runner, 'SELECT (REPLACE("a", "[", "b") AS ?x) {}'), "in REPLACE")
    assert tsv_rows(ok(invoke(runner, 'SELECT (REGEX("a(", "a\\\\(") AS ?x) {}'))) == [{"x": "true"}]
