"""The ``egovgraph`` command: ``egovgraph query`` answered without click, everything else by the click CLI.

Starting click costs more than loading and querying the bundled graph, so ``egovgraph query`` with only
the options in :data:`QUERY_OPTIONS` (and valid values) is parsed and run here, importing no more than the
library modules it needs. Anything else (help, ``--labels``, ``--store``, ``--endpoint``, an unknown option, a
missing or invalid value, any other command) goes to :data:`egovgraph.cli.main` unchanged, so click keeps
writing the usage errors. Library errors become ``error: MESSAGE`` on stderr and the error's exit code, as
:func:`egovgraph.cli.translated` does; tests keep both paths byte-identical.

The process is one-shot, which allows what the library must not do. The store loads in a thread while the
query is read and checked (pyoxigraph loads and evaluates without holding the GIL); the query is evaluated
in a thread while the main thread waits, and at the deadline (or on Ctrl-C) the main thread writes the
error and ends the whole process with ``os._exit``, which stops the evaluation as surely as killing a
forked child and costs nothing up front; once the answer is written and flushed the process leaves with
``os._exit`` too, without tearing the interpreter down. The library (``egovgraph.query``, the server, the
click command run in-process) keeps the forked child, since it must never end the process it runs in.
"""

from __future__ import annotations

import os
import sys

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Callable
    from typing import IO, Any, NoReturn

    import pyoxigraph

    from egovgraph.sparql.run import QueryResult
    from egovgraph.sparql.text import QueryText

#: The result formats of ``egovgraph query --format``.
FORMATS = ("table", "csv", "tsv", "json", "xml", "md", "ttl", "nt", "jsonld")
#: The options of ``egovgraph query`` handled here: destination, option strings, repeatable, choices and
#: default. Kept in step with :func:`egovgraph.cli.query.query_command` by a test.
QUERY_OPTIONS: tuple[tuple[str, tuple[str, ...], bool, tuple[str, ...] | None, object], ...] = (
    ("query_file", ("-f", "--file"), False, None, None),
    ("name", ("-n", "--name"), False, None, None),
    ("fmt", ("--format",), False, FORMATS, None),
    ("binds", ("--bind",), True, None, ()),
    ("lang", ("--lang",), False, ("de", "en"), "de"),
    ("timeout", ("--timeout",), False, None, 5.0),
    ("limit", ("--limit",), False, None, 10_000),
    ("data_dir", ("--data",), False, None, None),
    ("dump", ("--dump",), False, None, None),
)
#: The parameters of ``egovgraph query`` that send the command to click.
DEFERRED = ("with_labels", "store_spec", "endpoint_url", "graph", "user")
_ANSI = r"\033\[[0-?]*[ -/]*[@-~]"  # what click.echo strips when the stream is not a terminal


def main(argv: list[str] | None = None) -> None:
    """Run ``egovgraph ARGS``: the fast ``query`` when it can, else the click command line."""
    args = sys.argv[1:] if argv is None else list(argv)
    options = parse_query_args(args) if args[:1] == ["query"] else None
    if options is None:
        from egovgraph.cli import main as cli

        if argv is None:
            cli()
        else:
            cli(args)
        return
    code = run_query(options)
    # The answer is written and flushed: leave without tearing the interpreter down (freeing the store and
    # every module costs a few milliseconds, and nothing is left to clean up).
    try:
        sys.stdout.flush()
        sys.stderr.flush()
    except BrokenPipeError:
        code = 1
    os._exit(code)


def parse_query_args(args: list[str]) -> dict[str, Any] | None:
    """The options of ``query ARGS`` as click would pass them, or None when click should handle them."""
    table = {flag: (dest, multiple) for dest, flags, multiple, _, _ in QUERY_OPTIONS for flag in flags}
    values: dict[str, Any] = {dest: [] if multiple else default for dest, _, multiple, _, default in QUERY_OPTIONS}
    values["text"] = None
    i = 1
    while i < len(args):
        arg = args[i]
        i += 1
        if arg == "-" or not arg.startswith("-"):
            if values["text"] is not None:
                return None  # click: "Got unexpected extra argument"
            values["text"] = arg
            continue
        opt, eq, value = arg.partition("=") if arg.startswith("--") else (arg, "", "")
        spec = table.get(opt)
        if spec is None:
            return None  # help, an option left to click, an unknown one, "--", "-nNAME" ...
        if not eq:
            if i >= len(args):
                return None  # click: "Option requires an argument"
            value = args[i]
            i += 1
        dest, multiple = spec
        converted = _convert(dest, value)
        if converted is None:
            return None
        if multiple:
            values[dest].append(converted)
        else:
            values[dest] = converted  # given twice, the last one counts, as in click
    values["binds"] = tuple(values["binds"])
    return values


def _convert(dest: str, value: str) -> object:
    """The value as click's parameter type converts it, or None where click might refuse it."""
    choices = next(c for d, _, _, c, _ in QUERY_OPTIONS if d == dest)
    if choices is not None:
        return value if value in choices else None
    if dest == "timeout":
        import _thread

        try:
            seconds = float(value)
        except ValueError:
            return None
        return seconds if 0 < seconds <= _thread.TIMEOUT_MAX else None  # not nan, not inf
    if dest == "limit":
        try:
            number = int(value)
        except ValueError:
            return None
        return number if number >= 1 else None
    if dest in ("query_file", "dump", "data_dir"):
        if dest == "query_file" and value == "-":
            return value
        if not value:
            return None
        try:
            st = os.stat(value)
        except OSError:
            return value  # click.Path(exists=False) lets it through; reading it says what is wrong
        import stat

        if stat.S_ISDIR(st.st_mode) if dest != "data_dir" else stat.S_ISREG(st.st_mode):
            return None
        return value if os.access(value, os.R_OK) else None
    return value


def run_query(o: dict[str, Any]) -> int:
    """Run ``egovgraph query`` with parsed options; the exit code."""
    from egovgraph.errors import EgovGraphError, ValidationFailed

    try:
        return _query(o)
    except ValidationFailed as err:  # as egovgraph.cli.translated words it
        for problem in err.problems:
            echo(str(problem), sys.stderr)
        echo(f"error: {err}; nothing was written", sys.stderr)
        return err.exit_code
    except EgovGraphError as err:
        echo(f"error: {err}", sys.stderr)
        return err.exit_code
    except KeyboardInterrupt:
        echo("error: interrupted", sys.stderr)
        return 130
    except BrokenPipeError:  # click exits 1 when the reader went away (egovgraph query ... | head)
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return 1


def _query(o: dict[str, Any]) -> int:
    """egovgraph.cli.query.query_command for the embedded store."""
    from egovgraph.errors import InputError

    text, query_file, name = o["text"], o["query_file"], o["name"]
    if len([x for x in (text, query_file, name) if x is not None]) != 1:
        raise InputError(
            "give the query as an argument, with -f FILE, with -n NAME or as '-' for standard "
            "input (exactly one of them); e.g. egovgraph query -n leaders"
        )
    if o["data_dir"] is not None and o["dump"] is not None:
        raise InputError("give either --data or --dump, not both")
    # The store loads (in Rust, without the GIL) while the query is read and prepared; its errors are
    # raised after the query's, in the order of the click command.
    import pyoxigraph  # noqa: F401  (imported here, so that the loading thread starts straight into Rust)

    from egovgraph.stores.oxigraph import open_store

    loading = Background(lambda: open_store(o["dump"], data_dir=o["data_dir"]))
    from egovgraph.sparql.results import check_format, default_format, render
    from egovgraph.sparql.run import prepare
    from egovgraph.sparql.text import parse_bind, read_query_file

    sparql: str | None = None
    if text is not None:
        sparql = sys.stdin.read() if text == "-" else text
    elif query_file is not None:
        sparql = read_query_file(query_file)
    values = dict(parse_bind(b) for b in o["binds"])
    prepared = prepare(sparql, name=name, bind_values=values, lang=o["lang"])
    fmt = o["fmt"] or default_format(prepared.form, terminal=sys.stdout.isatty())
    check_format(prepared.form, fmt)
    store = loading.result()
    limit = o["limit"]
    result = evaluate(prepared, store, timeout=o["timeout"], limit=limit)
    echo(render(result, fmt), sys.stdout, nl=False)
    if result.truncated:
        unit = "triples" if result.form in ("CONSTRUCT", "DESCRIBE") else "rows"
        echo(f"note: the result was capped at {limit} {unit}; there are more (raise --limit to see them)", sys.stderr)
    if result.form == "ASK":
        return 0 if result.boolean else 1
    return 0


def evaluate(prepared: QueryText, store: pyoxigraph.Store, *, timeout: float, limit: int) -> QueryResult:
    """Evaluate under the deadline of egovgraph.sparql.deadline (a QueryTimeout past it); Ctrl-C ends the process."""
    from egovgraph.sparql.run import execute

    try:
        return execute(prepared, store, timeout=timeout, limit=limit)
    except KeyboardInterrupt:
        _end("error: interrupted", 130)


class Background:
    """A function running in a thread of its own (pyoxigraph releases the GIL while it loads and evaluates)."""

    def __init__(self, func: Callable[[], Any]) -> None:
        import _thread

        self._done = _thread.allocate_lock()
        self._done.acquire()
        self._outcome: tuple[bool, Any] = (False, None)
        _thread.start_new_thread(self._run, (func,))

    def _run(self, func: Callable[[], Any]) -> None:
        try:
            self._outcome = (True, func())
        except BaseException as err:  # handed to the main thread
            self._outcome = (False, err)
        finally:
            self._done.release()

    def wait(self, timeout: float = -1) -> bool:
        """Whether it finished within ``timeout`` seconds (default: wait for it); Ctrl-C ends the process."""
        try:
            finished = self._done.acquire(timeout=timeout)
        except KeyboardInterrupt:
            _end("error: interrupted", 130)
        if finished:
            self._done.release()
        return finished

    def result(self) -> Any:
        """What the function returned, or the error it raised, raised here."""
        self.wait()
        ok, value = self._outcome
        if not ok:
            raise value
        return value


def _end(message: str, code: int) -> NoReturn:
    """Write the message and end the process at once, the evaluating thread with it; nothing on stdout."""
    echo(message, sys.stderr)
    os._exit(code)


def echo(text: str, stream: IO[str], *, nl: bool = True) -> None:
    """Write as click.echo does: ANSI codes stripped off a terminal, UTF-8 where the stream says ASCII, flushed."""
    if nl:
        text += "\n"
    if not text:
        stream.flush()
        return
    if "\x1b" in text and not _isatty(stream):
        import re

        text = re.sub(_ANSI, "", text)
    if _ascii(stream):
        buffer = getattr(stream, "buffer", None)
        if buffer is not None:
            stream.flush()
            buffer.write(text.encode("utf-8", "replace"))
            buffer.flush()
            return
    stream.write(text)
    stream.flush()


def _isatty(stream: IO[str]) -> bool:
    try:
        return stream.isatty()
    except Exception:
        return False


def _ascii(stream: IO[str]) -> bool:
    import codecs

    try:
        return codecs.lookup(getattr(stream, "encoding", None) or "ascii").name == "ascii"
    except LookupError:
        return False
