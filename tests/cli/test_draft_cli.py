"""`egovgraph draft` end to end: clean text, draft, validate, determinism, refusals, bad input, the review workflow."""

from __future__ import annotations

import json
import os
import re
from pathlib import Path

import pytest
from click.testing import CliRunner, Result
from rdflib import Graph

from egovgraph.cli import main

REPO = Path(__file__).resolve().parents[2]
FOUNDING = REPO / "data" / "texts" / "egovernment-bilanz-teil-3.txt"
SYNTHETIC = REPO / "benchmarks" / "data" / "draft" / "synthetic-sachsen-thueringen.txt"


def run(runner: CliRunner, *args: str | Path) -> Result:
    return runner.invoke(main, [str(a) for a in args])


def files(directory: Path) -> list[str]:
    return sorted(str(p.relative_to(directory)) for p in directory.rglob("*") if p.is_file())


def test_draft_then_validate_passes_and_lists_the_drafts(tmp_path: Path, runner: CliRunner) -> None:
    out = tmp_path / "t3.ttl"
    result = run(runner, "draft", FOUNDING, "--id", "test-teil-3", "-o", out)
    assert result.exit_code == 0, result.output
    assert "removed" in result.stderr and "image credit: (© kebox - stock.adobe.com)" in result.stderr
    assert "reading time: 2 min Lesedauer" in result.stderr
    assert "warning: no --date" in result.stderr
    text = (tmp_path / "texts" / "test-teil-3.txt").read_text(encoding="utf-8")
    assert "Newsletter" not in text and "©" not in text and "Lesedauer" not in text
    assert "Von den 15 Fokusleistungen wird die Freie Hansestadt Bremen (FHB)" in text
    graph = Graph().parse(out, format="turtle")
    assert len(graph) > 100
    body = out.read_text(encoding="utf-8")
    assert (
        "# Sentences no rule could place" in body and "# line 5: In diesem Artikel: Bremen und Hamburg." in body
    )  # lines of the kept text
    checked = run(runner, "validate", out)
    assert checked.exit_code == 0, checked.output
    assert "valid: no problems found" in checked.output
    assert re.search(r"notice: \d+ draft resource\(s\) still to review", checked.output)
    assert re.search(r"t3\.ttl:\d+: statement:\S+ \(egov:Statement\) \[draft\]", checked.output)
    report = json.loads(run(runner, "validate", out, "--format", "json").output)
    assert report["valid"] and any(d["kind"] == "egov:Initiative" and d["line"] for d in report["drafts"])


def test_the_draft_is_deterministic(tmp_path: Path, runner: CliRunner) -> None:
    outputs = []
    for name in ("a", "b"):
        (tmp_path / name).mkdir()
        out = tmp_path / name / "d.ttl"
        assert run(runner, "draft", SYNTHETIC, "--id", "synthetic-a", "--date", "2024-12", "-o", out).exit_code == 0
        outputs.append((out.read_bytes(), (tmp_path / name / "texts" / "synthetic-a.txt").read_bytes()))
    assert outputs[0] == outputs[1]


def test_existing_files_are_kept_unless_force(tmp_path: Path, runner: CliRunner) -> None:
    out = tmp_path / "d.ttl"
    assert run(runner, "draft", SYNTHETIC, "--id", "synthetic-a", "-o", out).exit_code == 0
    out.write_text("# edited by the curator\n", encoding="utf-8")
    refused = run(runner, "draft", SYNTHETIC, "--id", "synthetic-a", "-o", out)
    assert refused.exit_code == 2
    assert "exists: pass --force" in refused.stderr
    assert out.read_text(encoding="utf-8") == "# edited by the curator\n"
    forced = run(runner, "draft", SYNTHETIC, "--id", "synthetic-a", "-o", out, "--force")
    assert forced.exit_code == 0, forced.output
    assert out.read_text(encoding="utf-8").startswith("@prefix egov:")


def test_files_honour_the_umask(tmp_path: Path, runner: CliRunner) -> None:
    previous = os.umask(0o027)
    try:
        assert run(runner, "draft", SYNTHETIC, "--id", "synthetic-a", "-o", tmp_path / "d.ttl").exit_code == 0
    finally:
        os.umask(previous)
    assert (tmp_path / "d.ttl").stat().st_mode & 0o777 == 0o640
    assert (tmp_path / "texts" / "synthetic-a.txt").stat().st_mode & 0o777 == 0o640


@pytest.mark.parametrize(
    ("content", "args", "message"),
    [
        (b"", (), "is empty"),
        (b"\x00\x01binary\x00", (), "binary"),
        ("Grüße aus Bremen".encode("latin-1"), (), "not UTF-8"),
        (b"Bremen wurde digital.", ("--id", "Not A Slug"), "is not a slug"),
        (b"Bremen wurde digital.", ("--id", "egovernment-bilanz-teil-3"), "collides with the existing source"),
        (b"Bremen wurde digital.", ("--date", "2024-13"), "is not a date"),
        (b"Bremen wurde digital.", ("--date", "2024-02-30"), "is not a date"),
        (b"Bremen wurde digital.", ("--date", "gestern"), "is not a date"),
        (b"Bremen wurde digital.", ("--url", "www.example.org"), "is not an http(s) address"),
    ],
)
def test_bad_input_is_refused_and_nothing_is_written(
    tmp_path: Path, runner: CliRunner, content: bytes, args: tuple[str, ...], message: str
) -> None:
    source = tmp_path / "in.txt"
    source.write_bytes(content)
    options = list(args) if "--id" in args else ["--id", "new-source", *args]
    result = run(runner, "draft", source, *options, "-o", tmp_path / "out.ttl")
    assert result.exit_code == 2, result.output
    assert result.stderr.startswith("error: ") and message in result.stderr, result.stderr
    assert files(tmp_path) == ["in.txt"]


def test_a_text_about_no_land_gives_a_source_only_draft_and_a_warning(tmp_path: Path, runner: CliRunner) -> None:
    source = tmp_path / "in.txt"
    source.write_text("Ein Titel\n\nDas Wetter war gut. Es wurde viel gebaut.\n", encoding="utf-8")
    result = run(runner, "draft", source, "--id", "kein-land", "-o", tmp_path / "out.ttl")
    assert result.exit_code == 0, result.output
    assert "warning: " in result.stderr and "no sentence about a Land" in result.stderr
    graph = Graph().parse(tmp_path / "out.ttl", format="turtle")
    subjects = {str(s) for s in graph.subjects()}
    assert subjects == {"https://w3id.org/egovgraph/id/source/kein-land"}
    assert run(runner, "validate", tmp_path / "out.ttl").exit_code == 0


def test_stdout_and_a_texts_directory(tmp_path: Path, runner: CliRunner) -> None:
    result = run(runner, "draft", SYNTHETIC, "--id", "synthetic-a", "-o", "-", "--texts", tmp_path / "kept")
    assert result.exit_code == 0, result.output
    assert len(Graph().parse(data=result.stdout, format="turtle")) > 50
    assert files(tmp_path) == ["kept/synthetic-a.txt"]


def test_the_curators_workflow_into_a_data_directory(data_copy: Path, runner: CliRunner) -> None:
    """draft (into DATA/sources and DATA/texts) -> validate lists drafts -> remove the marks -> validate, no drafts."""
    result = run(
        runner,
        "draft",
        SYNTHETIC,
        "--id",
        "synthetic-a",
        "--date",
        "2024-12",
        "--data",
        data_copy,
        "--publisher",
        "Testverlag",
        "--url",
        "https://example.org/teil-a",
    )
    assert result.exit_code == 0, result.output
    draft_file = data_copy / "sources" / "synthetic-a.ttl"
    assert (data_copy / "texts" / "synthetic-a.txt").is_file()
    first = run(runner, "validate", "--data", data_copy)
    assert first.exit_code == 0 and "draft resource(s)" in first.output, first.output
    reviewed = draft_file.read_text(encoding="utf-8").replace(" ;\n    egov:curationStatus curation:draft .", " .")
    assert not [line for line in reviewed.splitlines() if "curation:draft" in line and not line.startswith("#")]
    draft_file.write_text(reviewed, encoding="utf-8")
    second = run(runner, "validate", "--data", data_copy)
    assert second.exit_code == 0, second.output
    assert "draft resource" not in second.output
    # redrafting the same id into the data directory needs --force and is then no clash with itself
    again = run(runner, "draft", SYNTHETIC, "--id", "synthetic-a", "--data", data_copy)
    assert again.exit_code == 2 and "exists" in again.stderr
    forced = run(runner, "draft", SYNTHETIC, "--id", "synthetic-a", "--date", "2024-12", "--data", data_copy, "--force")
    assert forced.exit_code == 0, forced.output


def test_a_reviewed_statement_without_a_date_is_a_problem(tmp_path: Path, runner: CliRunner) -> None:
    out = tmp_path / "d.ttl"
    assert run(runner, "draft", SYNTHETIC, "--id", "synthetic-a", "-o", out).exit_code == 0
    out.write_text(
        out.read_text(encoding="utf-8").replace(" ;\n    egov:curationStatus curation:draft .", " ."), encoding="utf-8"
    )
    checked = run(runner, "validate", out)
    assert checked.exit_code == 1
    assert "a statement needs exactly one dct:date" in checked.output


def test_help_has_an_example(runner: CliRunner) -> None:
    result = run(runner, "draft", "--help")
    assert result.exit_code == 0 and "Example:" in result.output and "--force" in result.output
