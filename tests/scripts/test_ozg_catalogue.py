"""scripts/ozg_catalogue.py: the OZG catalogue extract (CSV) becomes a SKOS scheme, deterministically; bad CSV
stops it with file, line and what was expected; any name survives the Turtle escaping."""

from __future__ import annotations

import csv
import importlib.util
import os
import subprocess
import sys
from pathlib import Path
from types import ModuleType

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import RDF, SKOS

from egovgraph.vocab.namespaces import EGOV

ROOT = Path(__file__).resolve().parents[2]
SCRIPT = ROOT / "scripts" / "ozg_catalogue.py"
OZG = "https://w3id.org/egovgraph/id/ozg/"
THEMENFELD = "https://w3id.org/egovgraph/id/themenfeld/"


def load_script() -> ModuleType:
    spec = importlib.util.spec_from_file_location("ozg_catalogue", SCRIPT)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules["ozg_catalogue"] = module
    spec.loader.exec_module(module)
    return module


ozg_catalogue = load_script()


def write_csv(path: Path, header: list[str], rows: list[list[str]]) -> None:
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\r\n")
        writer.writerow(header)
        writer.writerows(rows)


def extract(directory: Path, services: list[list[str]] | None = None) -> Path:
    """A small extract in the shape of the real one: two Themenfelder, three Lagen, four OZG-Leistungen."""
    directory.mkdir(parents=True, exist_ok=True)
    write_csv(directory / "ozg_subject.csv", ["id", "name"], [["1", "Familie & Kind"], ["10", "Querschnitt"]])
    write_csv(
        directory / "ozg_situation.csv",
        ["id", "name", "subject_id", "subject_name"],
        [
            ["3", "Adoption & Pflegekinder", "1", "Familie & Kind"],
            ["26", "Geburt", "1", "Familie & Kind"],
            ["38", "Querschnitt Bürger", "10", "Querschnitt"],
        ],
    )
    header = [
        "id",
        "ozg_id",
        "name",
        "situation_id",
        "situation_name",
        "subject_id",
        "subject_name",
        "leika_service_count",
    ]
    write_csv(
        directory / "ozg_service_system.csv",
        header,
        services
        if services is not None
        else [
            ["7", "10001", "Adoption", "3", "Adoption & Pflegekinder", "1", "Familie & Kind", "4"],
            ["9", "10557", "Geburtsurkunde", "26", "Geburt", "1", "Familie & Kind", "2"],
            ["8", "10000", "Elterngeld", "26", "Geburt", "1", "Familie & Kind", "3"],
            ["40", "10400", 'Auskunft "Melderegister"', "38", "Querschnitt Bürger", "10", "Querschnitt", "1"],
        ],
    )
    return directory


def run(*args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src") + os.pathsep + os.environ.get("PYTHONPATH", "")}
    return subprocess.run([sys.executable, str(SCRIPT), *args], capture_output=True, text=True, env=env, check=False)


def test_the_extract_becomes_a_skos_scheme_with_ozg_ids_lebenslagen_and_themenfelder(tmp_path: Path) -> None:
    out = tmp_path / "ozg.ttl"
    done = run(str(extract(tmp_path / "csv")), "-o", str(out))
    assert done.returncode == 0, done.stderr
    assert "4 OZG-Leistungen in 3 Lebenslagen" in done.stdout
    graph = Graph().parse(out, format="turtle")
    services = set(graph.subjects(RDF.type, EGOV.OzgService))
    assert services == {URIRef(OZG + i) for i in ("10000", "10001", "10400", "10557")}
    geburtsurkunde = URIRef(OZG + "10557")
    assert graph.value(geburtsurkunde, EGOV.ozgId) == Literal("10557")
    assert graph.value(geburtsurkunde, SKOS.prefLabel) == Literal("Geburtsurkunde", lang="de")
    assert graph.value(geburtsurkunde, EGOV.lebenslage) == URIRef(OZG + "lebenslage-geburt")
    assert graph.value(geburtsurkunde, EGOV.themenfeld) == URIRef(THEMENFELD + "familie-und-kind")
    assert graph.value(URIRef(OZG + "10400"), EGOV.themenfeld) == URIRef(THEMENFELD + "querschnittsleistungen")
    assert graph.value(URIRef(OZG + "10400"), SKOS.prefLabel) == Literal('Auskunft "Melderegister"', lang="de")
    lagen = set(graph.subjects(RDF.type, EGOV.Lebenslage))
    assert {graph.value(lage, SKOS.topConceptOf) for lage in lagen} == {URIRef(OZG + "katalog")}
    source = URIRef("https://w3id.org/egovgraph/id/source/ozg-db-nrw")
    text = out.read_text(encoding="utf-8")
    assert "4edb4b27868ddeb44bb04edac5d07994726e02cd" in text and "Copyright (c) 2020 Gert Hammes" in text
    assert str(graph.value(source, URIRef("http://purl.org/dc/terms/issued"))) == "2019-12"


def test_the_output_is_the_same_bytes_whatever_the_row_order(tmp_path: Path) -> None:
    first, second = tmp_path / "a.ttl", tmp_path / "b.ttl"
    assert run(str(extract(tmp_path / "one")), "-o", str(first)).returncode == 0
    rows = [
        ["40", "10400", 'Auskunft "Melderegister"', "38", "Querschnitt Bürger", "10", "Querschnitt", "1"],
        ["8", "10000", "Elterngeld", "26", "Geburt", "1", "Familie & Kind", "3"],
        ["9", "10557", "Geburtsurkunde", "26", "Geburt", "1", "Familie & Kind", "2"],
        ["7", "10001", "Adoption", "3", "Adoption & Pflegekinder", "1", "Familie & Kind", "4"],
    ]
    assert run(str(extract(tmp_path / "two", rows)), "-o", str(second)).returncode == 0
    assert first.read_bytes() == second.read_bytes()
    again = tmp_path / "c.ttl"
    assert run(str(tmp_path / "two"), "-o", str(again)).returncode == 0
    assert again.read_bytes() == second.read_bytes()


@pytest.mark.parametrize(
    ("file", "rows", "message"),
    [
        (
            "ozg_service_system.csv",
            [["7", "1001", "Adoption", "3", "", "", "", ""]],
            "ozg_service_system.csv:2: ozg_id is '1001': expected a five-digit OZG ID",
        ),
        (
            "ozg_service_system.csv",
            [["7", "10001", "A", "3", "", "", "", ""], ["8", "10001", "B", "3", "", "", "", ""]],
            "ozg_service_system.csv:3: OZG ID 10001 appears again (first on line 2)",
        ),
        (
            "ozg_service_system.csv",
            [["7", "10001", "Adoption", "77", "", "", "", ""]],
            "ozg_service_system.csv:2: situation_id 77 is not an id of ozg_situation.csv",
        ),
        (
            "ozg_service_system.csv",
            [["7", "10001", "Adoption"]],
            "ozg_service_system.csv:2: expected 8 fields as in the header",
        ),
        ("ozg_service_system.csv", [], "ozg_service_system.csv: no OZG-Leistungen"),
    ],
)
def test_bad_rows_stop_the_conversion_with_file_line_and_expectation(
    tmp_path: Path, file: str, rows: list[list[str]], message: str
) -> None:
    directory = extract(tmp_path / "csv", rows)
    out = tmp_path / "ozg.ttl"
    done = run(str(directory), "-o", str(out))
    assert done.returncode == 2
    assert message in done.stderr, done.stderr
    assert not out.exists()  # nothing half-written


def test_an_unknown_themenfeld_or_missing_column_is_refused(tmp_path: Path) -> None:
    directory = extract(tmp_path / "csv")
    write_csv(directory / "ozg_subject.csv", ["id", "name"], [["1", "Familie und Kinder"]])
    done = run(str(directory), "-o", str(tmp_path / "x.ttl"))
    assert done.returncode == 2 and "ozg_subject.csv:2: unknown Themenfeld 'Familie und Kinder'" in done.stderr
    write_csv(directory / "ozg_subject.csv", ["id", "title"], [["1", "Familie & Kind"]])
    done = run(str(directory), "-o", str(tmp_path / "x.ttl"))
    assert done.returncode == 2 and "ozg_subject.csv:1: the header lacks the column(s) name" in done.stderr
    write_csv(directory / "ozg_subject.csv", ["id", "name"], [["1", "Familie & Kind"], ["10", "Querschnitt"]])
    (directory / "ozg_situation.csv").unlink()
    done = run(str(directory), "-o", str(tmp_path / "x.ttl"))
    assert done.returncode == 2 and "ozg_situation.csv: file not found" in done.stderr


def test_a_missing_output_directory_is_a_clear_error(tmp_path: Path) -> None:
    done = run(str(extract(tmp_path / "csv")), "-o", str(tmp_path / "nowhere" / "ozg.ttl"))
    assert done.returncode == 2 and "does not exist" in done.stderr


def test_a_new_file_follows_the_umask(tmp_path: Path) -> None:
    out = tmp_path / "ozg.ttl"
    old = os.umask(0o027)
    try:
        assert run(str(extract(tmp_path / "csv")), "-o", str(out)).returncode == 0
    finally:
        os.umask(old)
    assert out.stat().st_mode & 0o777 == 0o640


@settings(max_examples=60, deadline=None)
@given(st.text(min_size=1, max_size=40).filter(lambda s: s.strip() == s and s.strip()))
def test_any_name_round_trips_through_the_turtle(name: str) -> None:
    item = ozg_catalogue.Leistung("10478", name, ozg_catalogue.Lage("geburt", "Geburt", "familie-und-kind"))
    graph = Graph().parse(data=ozg_catalogue.to_turtle([item]), format="turtle")
    assert graph.value(URIRef(OZG + "10478"), SKOS.prefLabel) == Literal(name, lang="de")


@given(st.text(max_size=30))
def test_slugs_are_ascii_iri_safe(text: str) -> None:
    slug = ozg_catalogue.slug(text)
    assert all(c.isascii() and (c.isalnum() or c == "-") for c in slug)
    assert not slug.startswith("-") and not slug.endswith("-")
