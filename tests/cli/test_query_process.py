"""``egovgraph query`` as a real process: the installed script gives the bytes and exit codes of the command
run in-process through CliRunner, stops a runaway query at its deadline and on Ctrl-C, and imports only what
a query needs.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from click.testing import CliRunner

from egovgraph.cli import main
from egovgraph.graph.build import BuildResult
from egovgraph.sparql.library import named_queries

EXE = Path(sys.executable).with_name("egovgraph")
RUNAWAY = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l }"
ENV = {**os.environ, "PYTHONIOENCODING": "utf-8"}


def fast(*args: str, stdin: str | None = None, timeout: float = 60) -> tuple[bytes, bytes, int]:
    """``egovgraph query ARGS`` as a real process (the installed script)."""
    done = subprocess.run(
        [str(EXE), "query", *args],
        input=None if stdin is None else stdin.encode(),
        capture_output=True,
        env=ENV,
        timeout=timeout,
        check=False,
    )
    return done.stdout, done.stderr, done.returncode


def slow(*args: str, stdin: str | None = None) -> tuple[bytes, bytes, int]:
    """``egovgraph query ARGS`` in-process through click's CliRunner."""
    result = CliRunner().invoke(main, ["query", *args], input=stdin, prog_name="egovgraph")
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        raise result.exception
    return result.stdout_bytes, result.stderr_bytes, result.exit_code


def same(*args: str, stdin: str | None = None) -> tuple[bytes, bytes, int]:
    """The process and the in-process command give byte-identical stdout and stderr and the same exit code."""
    ours = fast(*args, stdin=stdin)
    theirs = slow(*args, stdin=stdin)
    assert ours[2] == theirs[2], (ours, theirs)
    assert ours[1].decode() == theirs[1].decode()
    assert ours[0] == theirs[0]
    return ours


# --------------------------------------------------------------------------- the process


def test_help_and_module_entry_point() -> None:
    for cmd in ([str(EXE), "--help"], [sys.executable, "-m", "egovgraph", "query", "--help"]):
        done = subprocess.run(cmd, capture_output=True, text=True, env=ENV, timeout=60, check=False)
        assert done.returncode == 0 and "Usage:" in done.stdout and "Example" in done.stdout, done.stderr
    done = subprocess.run(
        [sys.executable, "-m", "egovgraph", "query", "ASK { land:bremen a egov:Land }"],
        capture_output=True,
        text=True,
        env=ENV,
        timeout=60,
        check=False,
    )
    assert (done.returncode, done.stdout, done.stderr) == (0, "true\n", "")


def test_a_select_imports_no_rdflib_and_no_other_stage(built: BuildResult) -> None:
    """A SELECT needs pyoxigraph and the sparql stage: not rdflib, the validator, the views or the server."""
    heavy = {"rdflib", "pyshacl", "networkx", "pyvis", "starlette", "uvicorn", "httpx", "jinja2"}
    trig = next(p for p in built.files if p.name == "egovgraph.trig")
    for extra in ([], ["--dump", str(trig)]):
        done = subprocess.run(
            [
                sys.executable,
                "-X",
                "importtime",
                str(EXE),
                "query",
                "-n",
                "leaders",
                "--bind",
                "land=land:bremen",
                *extra,
            ],
            capture_output=True,
            text=True,
            env=ENV,
            timeout=60,
            check=False,
        )
        assert done.returncode == 0 and done.stdout.count("\n") > 1, done.stderr
        imported = {
            line.rsplit("|", 1)[1].strip() for line in done.stderr.splitlines() if line.startswith("import time:")
        }
        assert "egovgraph.sparql.run" in imported and "pyoxigraph" in imported
        assert {name.split(".")[0] for name in imported} & heavy == set()
        stages = {name.split(".")[1] for name in imported if name.startswith("egovgraph.") and "." in name}
        assert stages <= {"cli", "errors", "defaults", "version", "vocab", "sparql", "stores", "graph"}, stages
        assert not {"egovgraph.cli.serve", "egovgraph.cli.viz", "egovgraph.cli.store"} & imported


# --------------------------------------------------------------------------- byte-identical answers

SELECT_FORMATS = ("tsv", "json", "csv", "xml", "md", "ttl")


@pytest.mark.parametrize("name", [q.name for q in named_queries()])
def test_every_named_query_in_every_format(name: str) -> None:
    for fmt in SELECT_FORMATS:
        out, err, code = same("-n", name, "--format", fmt)
        if fmt == "ttl":  # the named queries are SELECT queries: refused the same way
            assert code == 2 and err.startswith(b"error: format 'ttl'")
        else:
            assert code == 0 and out and not err


@pytest.mark.parametrize(
    "args",
    [
        ("-n", "leaders", "--bind", "land=land:bremen"),
        ("-n", "leaders", "--bind=land=land:hamburg", "--bind", "role=role:cdo", "--lang=en", "--format", "md"),
        ("-n", "planned", "--bind", "year=2025", "--format", "table"),
        ("-n", "statements", "--bind", "person=person:christian-pfromm", "--format", "json"),
        ("-n", "lands", "--lang", "en", "--format", "xml"),
        ("SELECT ?land ?code WHERE { ?land egov:isoCode ?code } ORDER BY ?code", "--format", "csv"),
        ('SELECT ?l WHERE { VALUES ?l { "a\\u001b[31mred" } }', "--format", "table"),
    ],
    ids=lambda a: " ".join(a),
)
def test_answers_with_bind_and_lang(args: tuple[str, ...]) -> None:
    out, _, code = same(*args)
    assert code == 0 and out


def test_ask_true_and_false() -> None:
    assert same("ASK { land:bremen a egov:Land }") == (b"true\n", b"", 0)
    assert same("ASK { land:bremen a egov:Ministry }", "--format", "json")[2] == 1
    assert same("ASK { land:bremen a egov:Ministry }", "--format", "xml")[2] == 1


@pytest.mark.parametrize("fmt", ["ttl", "nt", "jsonld", None])
def test_construct_and_describe(fmt: str | None) -> None:
    text = "CONSTRUCT { ?p foaf:name ?n } WHERE { ?m org:role role:cdo ; org:member ?p . ?p foaf:name ?n }"
    out, _, code = same(text, *(["--format", fmt] if fmt else []))
    assert code == 0 and b"Pfromm" in out
    if fmt is None:
        assert same("DESCRIBE land:bremen")[2] == 0


@pytest.mark.parametrize(
    "args,message",
    [
        (("SELECT ?s WHERE {\n  ?s ?p ?o .\n  BIND(?o AS 5)\n}",), "syntax error at line 3, column 14"),
        (("SELECT * WHERE { ?s a egv:Land }",), "unknown prefix 'egv:'"),
        (("-n", "leader"), "unknown named query 'leader'"),
        (("-n", "leaders", "--bind", "lnad=land:bremen"), "the query has no variable ?lnad"),
        (("-n", "leaders", "--bind", "land"), "expected NAME=VALUE"),
        (("SELECT * WHERE { SERVICE <http://127.0.0.1:9/x> { ?s ?p ?o } }",), "SERVICE is refused"),
        (
            ("INSERT DATA { <http://example.org/a> <http://example.org/b> <http://example.org/c> }",),
            "updates are refused",
        ),
        (("-f", "/nonexistent//q.rq"), "query file /nonexistent/q.rq does not exist"),
        (("-f", "./no-such-query.rq"), "query file no-such-query.rq does not exist"),
        ((), "exactly one of them"),
        (("ASK {}", "-n", "lands"), "exactly one of them"),
        (("-n", "lands", "--format", "ttl"), "format 'ttl' is for CONSTRUCT/DESCRIBE results"),
        (("DESCRIBE land:bremen", "--format", "csv"), "written as ttl, nt, jsonld"),
        (("  ",), "the query is empty"),
        (("-n", "lands", "--dump", "/nonexistent/x.trig"), "/nonexistent/x.trig does not exist"),
        (("-n", "lands", "--dump", __file__), "unknown RDF file extension '.py'"),
        (("-n", "lands", "--data", "/nonexistent/data/"), "data directory /nonexistent/data does not exist"),
        (("-n", "lands", "--data", "/tmp", "--dump", "x.trig"), "give either --data or --dump, not both"),
    ],
    ids=lambda a: " ".join(a) if isinstance(a, tuple) else None,
)
def test_errors(args: tuple[str, ...], message: str) -> None:
    out, err, code = same(*args)
    assert (out, code) == (b"", 2)
    assert err.startswith(b"error: ") and message in err.decode()


def test_truncation_note() -> None:
    out, err, code = same("-n", "lands", "--limit", "3")
    assert code == 0 and out.count(b"\n") == 4
    assert err == b"note: the result was capped at 3 rows; there are more (raise --limit to see them)\n"
    err = same("CONSTRUCT WHERE { ?s a egov:Land }", "--limit", "2")[1]
    assert err.startswith(b"note: the result was capped at 2 triples")


def test_timeout_message() -> None:
    out, err, code = same(RUNAWAY, "--timeout", "1")
    assert (out, code) == (b"", 2) and err.startswith(b"error: the query did not finish within 1 s")


def test_stdin_and_files(tmp_path: Path) -> None:
    assert same("-", stdin="ASK { land:hamburg a egov:Land }") == (b"true\n", b"", 0)
    assert same("-f", "-", stdin="SELECT ?code WHERE { land:hamburg egov:isoCode ?code }")[0] == b'?code\n"DE-HH"\n'
    path = tmp_path / "q.rq"
    path.write_bytes(b"# a comment\r\nSELECT ?code WHERE { land:hamburg egov:isoCode ?code }\r\n")
    assert same("-f", str(path))[0] == b'?code\n"DE-HH"\n'
    path.write_bytes(b"SELECT \xff")
    assert same("-f", str(path))[2] == 2


def test_dump_and_data_directory(built: BuildResult, data_copy: Path) -> None:
    trig = next(p for p in built.files if p.name == "egovgraph.trig")
    nt = next(p for p in built.files if p.name == "egovgraph.nt")
    expected = same("-n", "leaders", "--bind", "land=land:hamburg")[0]
    assert same("-n", "leaders", "--bind", "land=land:hamburg", "--dump", str(trig))[0] == expected
    assert same("-n", "leaders", "--bind", "land=land:hamburg", "--dump", str(nt))[0] == expected
    (data_copy / "sources" / "egovernment-bilanz-teil-3.ttl").unlink()
    assert same("-n", "leaders", "--data", str(data_copy) + "/")[0] != expected
    (data_copy / "sources" / "broken.ttl").write_text("land:x a egov:Land", encoding="utf-8")
    assert same("-n", "lands", "--data", str(data_copy))[2] == 2


# --------------------------------------------------------------------------- the deadline and Ctrl-C


@pytest.mark.slow
def test_runaway_query_ends_the_process_at_the_deadline() -> None:
    started = time.monotonic()
    proc = subprocess.Popen(
        [str(EXE), "query", RUNAWAY, "--timeout", "1"], stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=ENV
    )
    out, err = proc.communicate(timeout=30)
    assert time.monotonic() - started < 5
    assert (proc.returncode, out) == (2, b"")
    assert err == (
        b"error: the query did not finish within 1 s and was stopped: make it more selective "
        b"(fewer unconnected patterns, a LIMIT) or allow more time with --timeout\n"
    )
    with pytest.raises(ProcessLookupError):  # reaped, and nothing of it left running
        os.kill(proc.pid, 0)


@pytest.mark.slow
def test_interrupt_stops_a_runaway_query() -> None:
    proc = subprocess.Popen(
        [str(EXE), "query", RUNAWAY, "--timeout", "60"], stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=ENV
    )
    time.sleep(1.5)  # started, loaded, evaluating
    started = time.monotonic()
    proc.send_signal(signal.SIGINT)
    out, err = proc.communicate(timeout=30)
    assert time.monotonic() - started < 3
    assert (proc.returncode, out, err) == (130, b"", b"error: interrupted\n")
