"""Validation catches each kind of mistake with a message naming file, line, node and property."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from egovgraph.cli import main
from egovgraph.errors import DataSyntaxError, InputError
from egovgraph.graph.load import load
from egovgraph.graph.validate import validate

PREFIXES = """@prefix egov: <https://w3id.org/egovgraph/ontology#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix prov: <http://www.w3.org/ns/prov#> .
@prefix owl: <http://www.w3.org/2002/07/owl#> .
@prefix initiative: <https://w3id.org/egovgraph/id/initiative/> .
@prefix evidence: <https://w3id.org/egovgraph/id/evidence/> .
@prefix source: <https://w3id.org/egovgraph/id/source/> .
@prefix land: <https://w3id.org/egovgraph/id/land/> .
@prefix status: <https://w3id.org/egovgraph/vocab/status/> .
"""

GOOD_INITIATIVE = (
    PREFIXES
    + """
initiative:test a egov:Initiative ;
    rdfs:label "Testvorhaben"@de ;
    egov:responsibleOrganisation land:bremen ;
    egov:status status:planned ;
    egov:hasEvidence evidence:test .

evidence:test a egov:Evidence ;
    prov:entity source:egovernment-bilanz-teil-3 ;
    egov:quote "2025 soll Paypal hinzukommen."@de .
"""
)


def write(tmp_path: Path, text: str, name: str = "test-source.ttl") -> Path:
    path = tmp_path / "sources" / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def run_validate(runner: CliRunner, *args: str) -> tuple[int, str]:
    result = runner.invoke(main, ["validate", *args])
    return result.exit_code, result.output


def test_bundled_data_is_valid(loaded) -> None:  # type: ignore[no-untyped-def]
    assert validate(loaded) == []


def test_cli_reports_valid_bundled_data(runner: CliRunner) -> None:
    code, out = run_validate(runner)
    assert code == 0, out
    assert "valid" in out


def test_a_good_new_file_is_valid(tmp_path: Path, runner: CliRunner) -> None:
    code, out = run_validate(runner, str(write(tmp_path, GOOD_INITIATIVE)))
    assert code == 0, out


def test_syntax_error_names_file_line_and_expectation(tmp_path: Path, runner: CliRunner) -> None:
    text = GOOD_INITIATIVE.replace("egov:status status:planned ;", "egov:status status:planned")
    path = write(tmp_path, text)
    code, out = run_validate(runner, str(path))
    assert code == 2
    line = text.splitlines().index("    egov:hasEvidence evidence:test .") + 1
    assert f"{path} line {line}" in out
    assert "expected" in out.lower() or "dot" in out.lower()
    with pytest.raises(DataSyntaxError) as info:
        load(files=[path])
    assert info.value.line == line


def test_shacl_violation_names_focus_and_path(tmp_path: Path, runner: CliRunner) -> None:
    text = GOOD_INITIATIVE.replace("    egov:status status:planned ;\n", "    egov:status land:bremen ;\n")
    path = write(tmp_path, text)
    code, out = run_validate(runner, str(path))
    assert code == 1, out
    line = text.splitlines().index("    egov:status land:bremen ;") + 1
    assert f"{path}:{line}: initiative:test egov:status:" in out
    assert "status scheme" in out


def test_missing_status_is_reported(tmp_path: Path) -> None:
    text = GOOD_INITIATIVE.replace("    egov:status status:planned ;\n", "")
    problems = validate(load(files=[write(tmp_path, text)]))
    assert [(p.focus, p.path, p.check) for p in problems] == [("initiative:test", "egov:status", "shacl")]


def test_wrong_quote_is_reported_with_where_it_differs(tmp_path: Path, runner: CliRunner) -> None:
    text = GOOD_INITIATIVE.replace("2025 soll Paypal hinzukommen.", "2026 soll Paypal hinzukommen.")
    path = write(tmp_path, text)
    code, out = run_validate(runner, str(path))
    assert code == 1, out
    assert "evidence:test egov:quote: quote does not occur verbatim" in out
    assert "differs at" in out


def test_quote_whitespace_differences_are_tolerated(tmp_path: Path) -> None:
    text = GOOD_INITIATIVE.replace("2025 soll Paypal hinzukommen.", "2025  soll\\nPaypal hinzukommen.")
    assert validate(load(files=[write(tmp_path, text)])) == []


def test_unknown_term_suggests_the_right_one(tmp_path: Path) -> None:
    text = GOOD_INITIATIVE.replace("egov:responsibleOrganisation", "egov:responsibleOrganization")
    problems = validate(load(files=[write(tmp_path, text)]))
    messages = [p.message for p in problems if p.check == "term"]
    assert messages == [
        "unknown term egov:responsibleOrganization (not in ontology/egov.ttl) — did you mean "
        "egov:responsibleOrganisation?"
    ]


def test_undefined_reference_suggests_a_defined_iri(tmp_path: Path) -> None:
    text = GOOD_INITIATIVE.replace("Organisation land:bremen", "Organisation land:bremn")
    problems = [p for p in validate(load(files=[write(tmp_path, text)])) if p.check == "reference"]
    assert len(problems) == 1
    assert "land:bremn, which is not defined" in problems[0].message
    assert "did you mean land:bremen?" in problems[0].message


def test_missing_evidence_is_a_violation(tmp_path: Path) -> None:
    text = GOOD_INITIATIVE.replace("    egov:hasEvidence evidence:test .", "    .").replace(
        "evidence:test a egov:Evidence", "evidence:unused a egov:Evidence"
    )
    problems = validate(load(files=[write(tmp_path, text)]))
    checks = sorted((p.focus, p.check) for p in problems)
    assert ("initiative:test", "shacl") in checks
    assert ("evidence:unused", "orphan") in checks


def test_duplicate_land_code_is_reported(tmp_path: Path) -> None:
    text = PREFIXES + '\nland:bremen egov:isoCode "DE-HH" .\n'
    problems = [p for p in validate(load(files=[write(tmp_path, text)])) if p.check == "unique"]
    assert any("DE-HH" in p.message and "land:hamburg" in p.message for p in problems), problems


def test_blank_nodes_are_refused(tmp_path: Path) -> None:
    text = GOOD_INITIATIVE.replace(
        "egov:hasEvidence evidence:test .", 'egov:hasEvidence evidence:test ; rdfs:seeAlso [ rdfs:label "x"@de ] .'
    )
    problems = [p for p in validate(load(files=[write(tmp_path, text)])) if p.check == "blank-node"]
    assert problems and problems[0].focus == "initiative:test"


def test_ill_typed_literal_is_reported(tmp_path: Path) -> None:
    text = GOOD_INITIATIVE.replace(
        "egov:hasEvidence evidence:test .",
        "egov:hasEvidence evidence:test ; <http://purl.org/dc/terms/issued> "
        '"2024-13"^^<http://www.w3.org/2001/XMLSchema#gYearMonth> .',
    )
    problems = [p for p in validate(load(files=[write(tmp_path, text)])) if p.check == "datatype"]
    assert problems and "2024-13" in problems[0].message


def test_json_report(tmp_path: Path, runner: CliRunner) -> None:
    text = GOOD_INITIATIVE.replace("status:planned", "status:someday")
    result = runner.invoke(main, ["validate", "--format", "json", str(write(tmp_path, text))])
    assert result.exit_code == 1
    report = json.loads(result.output)
    assert report["valid"] is False
    assert {"file", "line", "focus", "path", "message", "check"} <= set(report["problems"][0])


def test_missing_data_directory(runner: CliRunner, tmp_path: Path) -> None:
    result = runner.invoke(main, ["validate", "--data", str(tmp_path / "nowhere")])
    assert result.exit_code == 2
    assert "does not exist" in result.output


def test_data_directory_without_files(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="holds no Turtle files"):
        load(tmp_path)


def test_empty_file(tmp_path: Path, runner: CliRunner) -> None:
    path = write(tmp_path, "")
    result = runner.invoke(main, ["validate", str(path)])
    assert result.exit_code == 2
    assert str(path) in result.output and "no triples" in result.output


def test_non_utf8_file(tmp_path: Path, runner: CliRunner) -> None:
    path = tmp_path / "sources" / "latin1.ttl"
    path.parent.mkdir(parents=True)
    path.write_bytes(PREFIXES.encode() + 'land:bremen rdfs:label "Br\xe9men"@de .\n'.encode("latin-1"))
    result = runner.invoke(main, ["validate", str(path)])
    assert result.exit_code == 2
    assert str(path) in result.output


def test_a_replaced_bundled_file_is_checked_instead_of_the_original(data_copy: Path) -> None:
    article = data_copy / "sources" / "egovernment-bilanz-teil-3.ttl"
    text = article.read_text(encoding="utf-8")
    article.write_text(text.replace("zwölf Leistungen nachnutzen", "elf Leistungen nachnutzen"), encoding="utf-8")
    problems = validate(load(files=[article]))
    assert [p.focus for p in problems if p.check == "quote"] == ["evidence:teil-3-hb-fokusleistungen"]


def test_validate_does_not_change_source_files(data_copy: Path, runner: CliRunner) -> None:
    before = {p: p.read_bytes() for p in data_copy.rglob("*") if p.is_file()}
    result = runner.invoke(main, ["validate", "--data", str(data_copy)])
    assert result.exit_code == 0, result.output
    assert {p: p.read_bytes() for p in data_copy.rglob("*") if p.is_file()} == before


def test_control_characters_are_reported(tmp_path: Path) -> None:
    text = GOOD_INITIATIVE.replace('"Testvorhaben"@de', '"Test\\u001fvorhaben"@de')
    problems = [p for p in validate(load(files=[write(tmp_path, text)])) if p.check == "datatype"]
    assert problems and "U+001F" in problems[0].message
