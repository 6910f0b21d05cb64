"""The click-free ``egovgraph query`` (egovgraph._entry): same options, same bytes, same exit codes as click.

The fast path runs as the installed ``egovgraph`` script in a real process; the click path runs through
CliRunner on ``egovgraph.cli.main``. Every case first checks that the fast path really takes the
arguments (a deferred case would compare click with itself).
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import click
import pytest
from click.testing import CliRunner

from egovgraph._entry import DEFERRED, QUERY_OPTIONS, parse_query_args
from egovgraph.cli import main
from egovgraph.cli.query import query_command
from egovgraph.graph.build import BuildResult
from egovgraph.sparql.library import named_queries

EXE = Path(sys.executable).with_name("egovgraph")
RUNAWAY = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l }"
ENV = {**os.environ, "PYTHONIOENCODING": "utf-8"}


def fast(*args: str, stdin: str | None = None, timeout: float = 60) -> tuple[bytes, bytes, int]:
    """``egovgraph query ARGS`` through the fast path, as a real process."""
    assert parse_query_args(["query", *args]) is not None, f"the fast path defers {args}"
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
    """``egovgraph query ARGS`` through click."""
    result = CliRunner().invoke(main, ["query", *args], input=stdin, prog_name="egovgraph")
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        raise result.exception
    return result.stdout_bytes, result.stderr_bytes, result.exit_code


def same(*args: str, stdin: str | None = None) -> tuple[bytes, bytes, int]:
    """Both paths give byte-identical stdout and stderr and the same exit code; returns them."""
    ours = fast(*args, stdin=stdin)
    theirs = slow(*args, stdin=stdin)
    assert ours[2] == theirs[2], (ours, theirs)
    assert ours[1].decode() == theirs[1].decode()
    assert ours[0] == theirs[0]
    return ours


# --------------------------------------------------------------------------- the option table


def test_option_table_matches_the_click_command() -> None:
    params = {p.name: p for p in query_command.params}
    table = {dest: (flags, multiple, choices, default) for dest, flags, multiple, choices, default in QUERY_OPTIONS}
    assert set(params) == {"text"} | set(table) | set(DEFERRED)
    defaults = query_command.make_context("query", ["-n", "lands"]).params
    for dest, (flags, multiple, choices, default) in table.items():
        param = params[dest]
        assert isinstance(param, click.Option)
        assert (tuple(param.opts), tuple(param.secondary_opts)) == (flags, ())
        assert (param.multiple, param.is_flag, param.nargs) == (multiple, False, 1)
        assert (tuple(param.type.choices) if isinstance(param.type, click.Choice) else None) == choices
        if dest != "name":
            assert defaults[dest] == default, dest
    timeout, limit = params["timeout"].type, params["limit"].type
    assert isinstance(timeout, click.FloatRange) and (timeout.min, timeout.min_open, timeout.max) == (0, True, None)
    assert isinstance(limit, click.IntRange) and (limit.min, limit.min_open, limit.max) == (1, False, None)
    paths = {dest: params[dest].type for dest in ("query_file", "data_dir", "dump")}
    assert all(isinstance(t, click.Path) for t in paths.values())
    shape = {
        dest: (t.exists, t.file_okay, t.dir_okay, t.readable, t.allow_dash, t.resolve_path)  # type: ignore[attr-defined]
        for dest, t in paths.items()
    }
    assert shape == {
        "query_file": (False, True, False, True, True, False),
        "data_dir": (False, False, True, True, False, False),
        "dump": (False, True, False, True, False, False),
    }
    text = params["text"]
    assert isinstance(text, click.Argument) and (text.required, text.nargs) == (False, 1)
    for dest in DEFERRED:  # whatever they are, the fast path never sees them
        assert all(opt.startswith("--") for opt in params[dest].opts)


PARSED = [
    ["-n", "leaders"],
    ["-n", "leaders", "--bind", "land=land:bremen", "--bind=role=role:cio", "--lang=en", "--format", "json"],
    ["SELECT * WHERE { ?s ?p ?o }", "--limit", "3", "--timeout=2.5"],
    ["-", "--format=csv", "--limit", " 7"],
    ["-f", "-", "--timeout", "1e1"],
    ["-f", "/nonexistent//q.rq", "--dump", "x.trig"],
    ["--data", "/nonexistent", "-n", "lands", "-n", "leaders"],
    ["--name", "lands", "--file", "q.rq"],
    ["ASK {}", "--lang", "de", "--lang", "en", "--limit", "1_000"],
]


@pytest.mark.parametrize("args", PARSED, ids=lambda a: " ".join(a))
def test_parsed_options_are_what_click_passes(args: list[str]) -> None:
    ours = parse_query_args(["query", *args])
    assert ours is not None
    theirs: dict[str, Any] = query_command.make_context("query", list(args)).params
    for dest in DEFERRED:
        assert not theirs.pop(dest)
    for dest in ("query_file", "data_dir", "dump"):  # click makes them Paths; the fast path shows them so
        if ours[dest] is not None:
            ours[dest] = Path(ours[dest])
    assert theirs == ours


@pytest.mark.parametrize(
    "args",
    [
        ["--help"],
        ["-n", "lands", "-h"],
        ["-n", "lands", "--labels"],
        ["-n", "lands", "--store", "embedded"],
        ["-n", "lands", "--endpoint", "http://localhost:1/q"],
        ["-n", "lands", "--graph", "x"],
        ["-n", "lands", "--user", "u"],
        ["-n", "lands", "--bogus"],
        ["-n"],
        ["-n", "lands", "--limit"],
        ["-n", "lands", "--format", "bogus"],
        ["-n", "lands", "--format", "TSV"],
        ["-n", "lands", "--lang", "fr"],
        ["-n", "lands", "--limit", "0"],
        ["-n", "lands", "--limit", "x"],
        ["-n", "lands", "--limit", "2.5"],
        ["-n", "lands", "--timeout", "0"],
        ["-n", "lands", "--timeout", "-1"],
        ["-n", "lands", "--timeout", "nan"],
        ["-n", "lands", "--timeout", "inf"],
        ["-n", "lands", "--timeout", "soon"],
        ["-nlands"],
        ["-n", "lands", "--", "x"],
        ["ASK {}", "ASK {}"],
        ["-f", "."],
        ["-n", "lands", "--dump", "."],
        ["-n", "lands", "--data", __file__],
        ["-f", ""],
        ["-n", "lands", "--lab"],
    ],
    ids=lambda a: " ".join(a),
)
def test_what_the_fast_path_leaves_to_click(args: list[str]) -> None:
    assert parse_query_args(["query", *args]) is None


@pytest.mark.parametrize(
    "args",
    [
        ["query", "-n", "lands", "--format", "bogus"],
        ["query", "-n"],
        ["query", "--bogus"],
        ["query", "-f", "."],
        ["query", "--limit", "0", "-n", "lands"],
        ["prefixes"],
        ["--version"],
    ],
    ids=lambda a: " ".join(a),
)
def test_deferred_commands_are_clicks(args: list[str]) -> None:
    done = subprocess.run([str(EXE), *args], capture_output=True, env=ENV, timeout=60, check=False)
    theirs = CliRunner().invoke(main, args, prog_name="egovgraph")
    assert (done.returncode, done.stdout, done.stderr) == (theirs.exit_code, theirs.stdout_bytes, theirs.stderr_bytes)


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


def test_fast_path_imports_no_click_and_nothing_heavy(built: BuildResult) -> None:
    heavy = {
        "click",
        "rdflib",
        "urllib.request",
        "urllib.parse",
        "pathlib",
        "dataclasses",
        "inspect",
        "typing",
        "json",
        "csv",
        "difflib",
        "threading",
        "decimal",
        "egovgraph.cli",
        "egovgraph.stores.kinds",
    }
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
        assert imported & heavy == set()


def test_file_uri_is_what_pathlib_gives(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from egovgraph.stores.oxigraph import file_uri

    (tmp_path / "a b" / "é").mkdir(parents=True)
    (tmp_path / "a b" / "é" / "x%y~.ttl").write_text("", encoding="utf-8")
    (tmp_path / "link.ttl").symlink_to(tmp_path / "a b" / "é" / "x%y~.ttl")
    (tmp_path / "dirlink").symlink_to(tmp_path / "a b")
    monkeypatch.chdir(tmp_path)
    real_dirs: dict[str, str] = {}
    for path in (
        "a b/é/x%y~.ttl",
        "link.ttl",
        "dirlink/é/x%y~.ttl",
        "./dirlink/./é/../é/x%y~.ttl",
        "a b/é/",
        "missing.ttl",
        ".",
        "..",
        str(tmp_path / "link.ttl"),
    ):
        assert file_uri(path) == file_uri(path, real_dirs) == Path(path).resolve().as_uri(), path


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


# --------------------------------------------------------------------------- the deadline without a fork


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
