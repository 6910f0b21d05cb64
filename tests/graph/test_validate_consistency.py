"""Bad input beyond SHACL: a date in the wrong form, a period that ends before it begins, an instant named for
another date, an OZG ID the catalogue does not know. Each is reported with file, line, node and the fix."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import RDF, TIME, XSD

from egovgraph.cli import main
from egovgraph.graph.consistency import form_hint, periods_in_order
from egovgraph.graph.load import load
from egovgraph.graph.validate import validate

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "validate"


def line_of(path: Path, text: str) -> int:
    """The 1-based number of the first line of ``path`` that starts with ``text``."""
    return next(i for i, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1) if line.startswith(text))


def shown(path: Path) -> str:
    """A file as validation names it: relative to the working directory when it is below it."""
    try:
        return str(path.resolve().relative_to(Path.cwd()))
    except ValueError:
        return str(path)


def report(runner: CliRunner, path: Path) -> tuple[int, str]:
    result = runner.invoke(main, ["validate", str(path)])
    return result.exit_code, result.output


def test_a_german_date_is_reported_with_the_date_it_should_be(runner: CliRunner) -> None:
    path = FIXTURES / "date-in-wrong-form.ttl"
    code, out = report(runner, path)
    assert code == 1, out
    line = line_of(path, "    dct:issued")
    assert f"{shown(path)}:{line}: source:bad-input dct:issued: " in out
    assert 'write the date as YYYY-MM-DD: "2025-07-05"^^xsd:date [datatype]' in out


@pytest.mark.parametrize(
    ("value", "datatype", "fix"),
    [
        ("2024-7-5", XSD.date, 'YYYY-MM-DD, e.g. "2024-07-05"^^xsd:date'),
        ("2024/07", XSD.gYearMonth, 'YYYY-MM, e.g. "2024-07"^^xsd:gYearMonth'),
        ("'24", XSD.gYear, 'YYYY, e.g. "2024"^^xsd:gYear'),
        ("1.2.2025", XSD.date, '"2025-02-01"^^xsd:date'),
    ],
)
def test_each_date_type_names_its_form(value: str, datatype: URIRef, fix: str) -> None:
    assert form_hint(Literal(value, datatype=datatype)).endswith(fix)


def test_a_period_ending_before_it_begins_is_reported(runner: CliRunner) -> None:
    path = FIXTURES / "end-before-start.ttl"
    code, out = report(runner, path)
    assert code == 1, out
    line = line_of(path, "    time:hasEnd")
    assert f"{shown(path)}:{line}: period:bad-input time:hasEnd: ends (2023-05-04) before it begins (2024-07)" in out
    assert "swap time:hasBeginning and time:hasEnd" in out


def test_periods_are_compared_at_the_coarser_precision() -> None:
    """Begin 2024-07 and end 2024 overlap at year precision: not a reversed period."""
    graph = Graph()
    t = "https://w3id.org/egovgraph/id/time/"
    for name, value, predicate in (("2024-07", "2024-07", TIME.inXSDgYearMonth), ("2024", "2024", TIME.inXSDgYear)):
        graph.add((URIRef(t + name), RDF.type, TIME.Instant))
        graph.add((URIRef(t + name), predicate, Literal(value)))
    period = URIRef("https://w3id.org/egovgraph/id/period/p")
    graph.add((period, RDF.type, TIME.ProperInterval))
    graph.add((period, TIME.hasBeginning, URIRef(t + "2024-07")))
    graph.add((period, TIME.hasEnd, URIRef(t + "2024")))
    assert list(periods_in_order(graph)) == []
    graph.set((period, TIME.hasEnd, URIRef(t + "2023")))
    graph.add((URIRef(t + "2023"), TIME.inXSDgYear, Literal("2023")))
    assert [f[3] for f in periods_in_order(graph)] == ["period"]


def test_an_instant_named_for_another_date_is_reported(runner: CliRunner) -> None:
    path = FIXTURES / "instant-named-for-another-date.ttl"
    code, out = report(runner, path)
    assert code == 1, out
    line = line_of(path, "    time:inXSDDate")
    assert f"{shown(path)}:{line}: t:2025-07-05 time:inXSDDate: the instant is named for 2025-07-05" in out
    assert 'write time:inXSDDate "2025-07-05"' in out


def test_an_unknown_ozg_id_is_reported_once_with_a_suggestion(runner: CliRunner) -> None:
    path = FIXTURES / "unknown-ozg-id.ttl"
    code, out = report(runner, path)
    assert code == 1, out
    line = line_of(path, "    egov:concerns ozg:10999")
    assert (
        f"{shown(path)}:{line}: initiative:bad-input egov:concerns: refers to ozg:10999, but the OZG catalogue" in out
    )
    assert "did you mean ozg:" in out
    literal_line = line_of(path, '    egov:ozgId "99999"')
    assert f'{shown(path)}:{literal_line}: initiative:bad-input-literal egov:ozgId: egov:ozgId "99999"' in out
    problems = validate(load(files=[path]))
    # Only the specific OZG problem, not the generic "not defined anywhere" one as well.
    assert sorted(p.check for p in problems) == ["ozg-id", "ozg-id"]


def test_a_known_ozg_id_passes(tmp_path: Path) -> None:
    text = (FIXTURES / "unknown-ozg-id.ttl").read_text(encoding="utf-8")
    text = text.replace("ozg:10999", "ozg:10478").replace('egov:ozgId "99999" ;', "")
    path = tmp_path / "sources" / "known-ozg-id.ttl"
    path.parent.mkdir(parents=True)
    path.write_text(text, encoding="utf-8")
    assert validate(load(files=[path])) == []
