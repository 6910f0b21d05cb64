"""The query, queries and prefixes commands through click's CliRunner, and a few through a real process."""

from __future__ import annotations

import csv
import io
import json
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
from click.testing import CliRunner, Result
from rdflib import Graph, Literal, URIRef, Variable
from rdflib.query import Result as SparqlResult

from egovgraph.cli import main
from egovgraph.graph.build import build
from egovgraph.sparql.library import named_queries
from egovgraph.sparql.text import QUERY_PREFIXES
from helpers import recording_listener

ID = "https://w3id.org/egovgraph/id/"
EXE = Path(sys.executable).with_name("egovgraph")
RUNAWAY = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l }"


def invoke(runner: CliRunner, *args: str, stdin: str | None = None) -> Result:
    return runner.invoke(main, ["query", *args], input=stdin)


def ok(result: Result) -> str:
    assert result.exit_code == 0, result.output
    return result.stdout


def fails(result: Result, message: str) -> str:
    """Exit 2, nothing on stdout, and ``message`` in the error on stderr."""
    assert result.exit_code == 2, result.output
    assert result.stdout == ""
    assert result.stderr.startswith("error: "), result.stderr
    assert message in result.stderr, result.stderr
    assert "Traceback" not in result.stderr
    return result.stderr


def tsv_rows(text: str) -> list[dict[str, str]]:
    lines = text.rstrip("\n").split("\n")
    header = [h.removeprefix("?") for h in lines[0].split("\t")]
    return [dict(zip(header, line.split("\t"), strict=True)) for line in lines[1:]]


# --------------------------------------------------------------------------- query: answers and formats


def test_named_query_defaults_to_tsv_when_piped(runner: CliRunner) -> None:
    rows = tsv_rows(ok(invoke(runner, "-n", "leaders", "--bind", "land=land:bremen")))
    assert rows and {r["land"] for r in rows} == {f"<{ID}land/bremen>"}
    assert {"<" + ID + "person/carola-heilemann-jeschke>"} <= {r["person"] for r in rows}
    assert '"Carola Heilemann-Jeschke"@de' in {r["personLabel"] for r in rows}


def test_lang_switches_the_label_language(runner: CliRunner) -> None:
    rows = tsv_rows(ok(invoke(runner, "-n", "lands", "--lang", "en")))
    assert '"Bavaria"@en' in {r["landLabel"] for r in rows}


def test_query_text_as_argument_in_csv(runner: CliRunner) -> None:
    text = "SELECT ?land ?code WHERE { ?land egov:isoCode ?code } ORDER BY ?code"
    out = ok(invoke(runner, text, "--format", "csv"))
    rows = list(csv.reader(io.StringIO(out, newline="")))
    assert rows[0] == ["land", "code"] and len(rows) == 17
    assert rows[1] == [ID + "land/brandenburg", "DE-BB"]


@pytest.mark.parametrize("fmt", ["json", "xml"])
def test_json_and_xml_parse_back_with_rdflib(runner: CliRunner, fmt: str) -> None:
    out = ok(invoke(runner, "-n", "statements", "--bind", "person=person:christian-pfromm", "--format", fmt))
    parsed = SparqlResult.parse(io.StringIO(out), format=fmt)
    assert [str(v) for v in parsed.vars] == ["person", "personLabel", "date", "statement", "text", "source"]
    texts = {str(row[Variable("text")]) for row in parsed.bindings}
    assert "insbesondere beim Roll-out von in Hamburg entwickelten Diensten" in texts


def test_markdown_with_labels(runner: CliRunner) -> None:
    out = ok(invoke(runner, "-n", "planned", "--bind", "land=land:bremen", "--format", "md", "--labels"))
    lines = out.splitlines()
    assert lines[0].startswith("| item | itemLabel | type |")
    assert any("| Bezahlung in Bürgerämtern mit PayPal |" in line for line in lines)  # the IRI became its label
    assert not any("initiative:bremen-paypal" in line for line in lines)


def test_table_with_and_without_labels(runner: CliRunner) -> None:
    out = ok(
        invoke(runner, "SELECT ?p WHERE { ?m org:role role:cdo ; org:member ?p } ORDER BY ?p", "--format", "table")
    )
    assert "person:christian-pfromm" in out and out.splitlines()[1].startswith("---")
    labelled = ok(
        invoke(
            runner,
            "SELECT ?p WHERE { ?m org:role role:cdo ; org:member ?p } ORDER BY ?p",
            "--format",
            "table",
            "--labels",
        )
    )
    assert "Christian Pfromm" in labelled and "person:christian-pfromm" not in labelled


@pytest.mark.parametrize("fmt,rdflib_format", [("ttl", "turtle"), ("nt", "nt"), ("jsonld", "json-ld")])
def test_construct_formats_parse_back(runner: CliRunner, fmt: str, rdflib_format: str) -> None:
    text = "CONSTRUCT { ?p foaf:name ?n } WHERE { ?m org:role role:cdo ; org:member ?p . ?p foaf:name ?n }"
    g = Graph().parse(data=ok(invoke(runner, text, "--format", fmt)), format=rdflib_format)
    assert (
        URIRef(ID + "person/christian-pfromm"),
        URIRef("http://xmlns.com/foaf/0.1/name"),
        Literal("Christian Pfromm"),
    ) in g


def test_construct_defaults_to_turtle(runner: CliRunner) -> None:
    out = ok(invoke(runner, "DESCRIBE land:bremen"))
    g = Graph().parse(data=out, format="turtle")
    assert (URIRef(ID + "land/bremen"), None, None) in g


def test_ask_exit_codes(runner: CliRunner) -> None:
    yes = invoke(runner, "ASK { land:bremen a egov:Land }")
    assert (yes.exit_code, yes.stdout) == (0, "true\n")
    no = invoke(runner, "ASK { land:bremen a egov:Ministry }")
    assert (no.exit_code, no.stdout) == (1, "false\n")
    as_json = invoke(runner, "ASK { land:bremen a egov:Ministry }", "--format", "json")
    assert as_json.exit_code == 1 and json.loads(as_json.stdout) == {"head": {}, "boolean": False}


def test_query_from_stdin_and_from_a_file(runner: CliRunner, tmp_path: Path) -> None:
    assert invoke(runner, "-", stdin="ASK { land:hamburg a egov:Land }").stdout == "true\n"
    assert invoke(runner, "-f", "-", stdin="ASK { land:hamburg a egov:Land }").stdout == "true\n"
    path = tmp_path / "q.rq"
    path.write_text("# a comment\nSELECT ?code WHERE { land:hamburg egov:isoCode ?code }\n", encoding="utf-8")
    assert tsv_rows(ok(invoke(runner, "-f", str(path)))) == [{"code": '"DE-HH"'}]


def test_limit_caps_rows_with_a_note(runner: CliRunner) -> None:
    result = invoke(runner, "-n", "lands", "--limit", "3")
    assert len(tsv_rows(ok(result))) == 3
    assert "capped at 3 rows" in result.stderr and "--limit" in result.stderr


def test_dump_and_data_directory(runner: CliRunner, data_copy: Path, tmp_path: Path) -> None:
    built = build(tmp_path / "dist", data_dir=data_copy)
    expected = ok(invoke(runner, "-n", "leaders", "--bind", "land=land:hamburg", "--data", str(data_copy)))
    for dump in (p for p in built.files if p.name in ("egovgraph.trig", "egovgraph.nt", "egovgraph.ttl")):
        assert ok(invoke(runner, "-n", "leaders", "--bind", "land=land:hamburg", "--dump", str(dump))) == expected
    (data_copy / "sources" / "egovernment-bilanz-teil-3.ttl").unlink()
    without = ok(invoke(runner, "-n", "leaders", "--bind", "land=land:bremen", "--data", str(data_copy)))
    assert "carola-heilemann-jeschke" not in without
    fails(invoke(runner, "-n", "lands", "--data", str(data_copy), "--dump", str(built.files[0])), "not both")


# --------------------------------------------------------------------------- query: errors and refusals


def test_syntax_error(runner: CliRunner) -> None:
    result = invoke(runner, "SELECT ?s WHERE {\n  ?s ?p ?o .\n  BIND(?o AS 5)\n}")
    err = fails(result, "syntax error at line 3, column 14")
    assert err.endswith("  3 |   BIND(?o AS 5)\n                   ^\n")


def test_unknown_prefix(runner: CliRunner) -> None:
    err = fails(invoke(runner, "SELECT * WHERE { ?s a egv:Land }"), "unknown prefix 'egv:'")
    assert "did you mean 'egov:'?" in err and "Declared prefixes: agr, agreement, amount, " in err


def test_unknown_named_query(runner: CliRunner) -> None:
    fails(invoke(runner, "-n", "leader"), "unknown named query 'leader' — did you mean 'leaders'")
    fails(runner.invoke(main, ["queries", "--show", "efa"]), "'efa-services'")


def test_bind_errors(runner: CliRunner) -> None:
    fails(invoke(runner, "-n", "leaders", "--bind", "lnad=land:bremen"), "the query has no variable ?lnad")
    fails(invoke(runner, "-n", "leaders", "--bind", "land"), "expected NAME=VALUE")
    fails(invoke(runner, "-n", "leaders", "--bind", "land=lnd:bremen"), "unknown prefix 'lnd:'")


def test_usage_errors(runner: CliRunner) -> None:
    fails(invoke(runner), "exactly one of them")
    fails(invoke(runner, "ASK {}", "-n", "lands"), "exactly one of them")
    fails(invoke(runner, "-n", "lands", "--format", "ttl"), "format 'ttl' is for CONSTRUCT/DESCRIBE results")
    fails(invoke(runner, "DESCRIBE land:bremen", "--format", "csv"), "written as ttl, nt, jsonld")
    fails(invoke(runner, "-f", "/nonexistent/q.rq"), "query file /nonexistent/q.rq does not exist")
    fails(invoke(runner, "  "), "the query is empty")
    assert invoke(runner, "-n", "lands", "--limit", "0").exit_code == 2
    assert invoke(runner, "-n", "lands", "--timeout", "0").exit_code == 2


@pytest.mark.parametrize(
    "text,message",
    [
        ("SELECT * WHERE { SERVICE <http://127.0.0.1:9/x> { ?s ?p ?o } }", "SERVICE is refused"),
        ("SELECT * FROM <file:///etc/passwd> WHERE { ?s ?p ?o }", "FROM / FROM NAMED is refused"),
        ("LOAD <file:///etc/passwd>", "LOAD is refused"),
        ("INSERT DATA { <http://example.org/a> <http://example.org/b> <http://example.org/c> }", "updates are refused"),
    ],
)
def test_refusals(runner: CliRunner, text: str, message: str) -> None:
    err = fails(invoke(runner, text), message)
    assert "line 1, column" in err


def test_runaway_query_times_out(runner: CliRunner) -> None:
    started = time.monotonic()
    fails(invoke(runner, RUNAWAY, "--timeout", "1"), "did not finish within 1 s and was stopped")
    assert time.monotonic() - started < 5


# --------------------------------------------------------------------------- queries and prefixes


def test_queries_lists_every_named_query_with_parameters(runner: CliRunner) -> None:
    out = ok(runner.invoke(main, ["queries"]))
    for q in named_queries():
        assert f"{q.name}  " in out and q.description in out
    assert "--bind land — the Land, e.g. land:bremen (optional)" in out
    assert "--bind lang" not in out and "follow --lang" in out
    doc = json.loads(ok(runner.invoke(main, ["queries", "--format", "json"])))
    assert len(doc) >= 15 and {"name", "description", "params"} <= set(doc[0])


def test_queries_show_prints_the_sparql(runner: CliRunner) -> None:
    out = ok(runner.invoke(main, ["queries", "--show", "leaders"]))
    assert out.startswith("# description: ") and "org:Membership" in out


def test_prefixes_lists_sparql_prefix_lines(runner: CliRunner) -> None:
    lines = ok(runner.invoke(main, ["prefixes"])).splitlines()
    assert len(lines) == len(QUERY_PREFIXES)
    parsed = {line.split()[1].rstrip(":"): line.split()[2].strip("<>") for line in lines}
    assert parsed == QUERY_PREFIXES
    assert lines[0] == "PREFIX egov:         <https://w3id.org/egovgraph/ontology#>"


@pytest.mark.parametrize("command", ["query", "queries", "prefixes"])
def test_help_has_an_example(runner: CliRunner, command: str) -> None:
    out = ok(runner.invoke(main, [command, "--help"]))
    assert "Example" in out and "egovgraph " in out


# --------------------------------------------------------------------------- real processes


def run_cli(*args: str, stdin: str | None = None, timeout: float = 60) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONIOENCODING": "utf-8"}
    return subprocess.run(
        [str(EXE), *args], input=stdin, capture_output=True, text=True, timeout=timeout, env=env, check=False
    )


def test_subprocess_named_query_piped_is_tsv() -> None:
    done = run_cli("query", "-n", "leaders", "--bind", "land=land:hamburg")
    assert done.returncode == 0, done.stderr
    rows = tsv_rows(done.stdout)
    assert {"<" + ID + "person/christian-pfromm>"} <= {r["person"] for r in rows}
    assert {r["role"] for r in rows} >= {"<https://w3id.org/egovgraph/vocab/role/cdo>"}


def test_subprocess_timeout_is_a_clear_error() -> None:
    started = time.monotonic()
    done = run_cli("query", RUNAWAY, "--timeout", "1", timeout=30)
    assert time.monotonic() - started < 10
    assert (done.returncode, done.stdout) == (2, "")
    assert done.stderr.startswith("error: the query did not finish within 1 s") and "Traceback" not in done.stderr


def test_subprocess_service_makes_no_connection() -> None:
    with recording_listener(3) as listener:
        service = f"<http://127.0.0.1:{listener.port}/sparql>"
        done = run_cli("query", f"SELECT * WHERE {{ SERVICE {service} {{ ?s ?p ?o }} }}")
    assert (done.returncode, done.stdout) == (2, "")
    assert "SERVICE is refused" in done.stderr
    assert listener.contacted == []


def test_subprocess_ask_exit_status_and_stdin() -> None:
    assert run_cli("query", "-", stdin="ASK { land:bremen a egov:Land }").returncode == 0
    assert run_cli("query", "-", stdin="ASK { land:bremen a egov:Ministry }").returncode == 1
