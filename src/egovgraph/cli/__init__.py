"""The egovgraph command line: thin click commands over the library. Exit codes: 0 ok, 1 problems, 2 bad input.

The cli package is the only place that imports click, prints or exits; each submodule adds commands to
``main``, and is imported only when one of its commands runs (or ``--help`` lists them all).
"""

from __future__ import annotations

import importlib
import json
import sys
from collections.abc import Callable
from functools import wraps
from pathlib import Path
from typing import Any, TypeVar

import click

from egovgraph.errors import EXIT_OK, EXIT_PROBLEMS, EgovGraphError, ValidationFailed
from egovgraph.version import __version__

F = TypeVar("F", bound=Callable[..., Any])


def _fail(message: str, code: int) -> None:
    click.echo(f"error: {message}", err=True)
    sys.exit(code)


def translated(func: F) -> F:
    """Turn library errors into a message on stderr and the documented exit code."""

    @wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return func(*args, **kwargs)
        except ValidationFailed as err:
            for problem in err.problems:
                click.echo(str(problem), err=True)
            _fail(f"{err}; nothing was written", err.exit_code)
        except EgovGraphError as err:
            _fail(str(err), err.exit_code)
        except KeyboardInterrupt:
            _fail("interrupted", 130)

    return wrapper  # type: ignore[return-value]


data_option = click.option(
    "--data",
    "data_dir",
    type=click.Path(path_type=Path, file_okay=False),
    default=None,
    help="Data directory with reference/ and sources/ (default: the bundled data).",
)


def seconds_option(name: str, *, default: float, help: str) -> Callable[[F], F]:
    """An option of a positive number of seconds, with its default shown."""
    kind = click.FloatRange(min=0, min_open=True)
    return click.option(name, type=kind, default=default, show_default=True, metavar="SECONDS", help=help)


def count_option(name: str, *, default: int, help: str, minimum: int = 1, metavar: str = "N") -> Callable[[F], F]:
    """An option of a whole number of at least ``minimum``, with its default shown."""
    kind = click.IntRange(min=minimum)
    return click.option(name, type=kind, default=default, show_default=True, metavar=metavar, help=help)


base_option = click.option(
    "--base-iri",
    default=None,
    metavar="IRI",
    help="Base under which resource IRIs are minted (default https://w3id.org/egovgraph/).",
)


#: The commands that live in the submodules, and which submodule: importing it registers them on ``main``.
LAZY_COMMANDS = {
    "query": "query",
    "queries": "query",
    "prefixes": "query",
    "serve": "serve",
    "load": "store",
    "publish": "store",
    "synth": "store",
    "viz": "viz",
    "export": "viz",
    "stats": "viz",
    "draft": "draft",
}


class LazyGroup(click.Group):
    """A group whose commands in :data:`LAZY_COMMANDS` are imported when used (click's lazy-loading pattern).

    ``egovgraph query`` then imports the query commands alone, not the server's, the stores' or the views'.
    """

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted({*super().list_commands(ctx), *LAZY_COMMANDS})

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        if cmd_name not in self.commands and cmd_name in LAZY_COMMANDS:
            importlib.import_module(f"{__name__}.{LAZY_COMMANDS[cmd_name]}")
        return super().get_command(ctx, cmd_name)


@click.group(cls=LazyGroup, context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100})
@click.version_option(__version__, prog_name="egovgraph")
def main() -> None:
    """Build, validate and explore the egovgraph knowledge graph of the Länder's digital government.

    \b
    Exit codes: 0 success, 1 problems found (validation failed), 2 bad input or usage.
    Example:  egovgraph build --out dist
    """


@main.command()
@click.option(
    "--out",
    "out_dir",
    type=click.Path(path_type=Path),
    default=Path("dist"),
    show_default=True,
    help="Directory to write the dumps and void.ttl to.",
)
@data_option
@base_option
@translated
def build(out_dir: Path, data_dir: Path | None, base_iri: str | None) -> None:
    """Load, validate and write the dumps (ttl, nt, jsonld, trig) and void.ttl.

    Deterministic (two builds are byte-identical) and atomic: if anything fails, nothing is written.

    \b
    Example:  egovgraph build --out dist
    """
    from egovgraph.graph.build import build as run_build
    from egovgraph.vocab.namespaces import DEFAULT_BASE

    result = run_build(out_dir, data_dir=data_dir, base_iri=base_iri or DEFAULT_BASE)
    click.echo(f"built {result.triples} triples in {result.graphs} named graphs:")
    for path in result.files:
        click.echo(f"  {path}")


@main.command()
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
@data_option
@click.option(
    "--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True, help="Report format."
)
@translated
def validate(paths: tuple[Path, ...], data_dir: Path | None, fmt: str) -> None:
    """Validate the data: SHACL shapes, verbatim quotes, references, unique Land codes.

    PATHS (files or data directories) are checked together with the bundled data: a file with the
    name of a bundled one replaces it, any other is added. Each problem names file, line, focus
    node, property and what is wrong. Resources still marked as drafts (egovgraph draft) are listed
    per file with their lines: a notice, not a problem. Exit 0 valid, 1 invalid, 2 bad input.

    \b
    Example:  egovgraph validate data/sources/my-new-source.ttl
    """
    from egovgraph.graph.load import load
    from egovgraph.graph.validate import drafts
    from egovgraph.graph.validate import validate as run_validate

    loaded = load(data_dir, files=paths)
    problems = run_validate(loaded)
    notes = drafts(loaded)
    if fmt == "json":
        report = {
            "valid": not problems,
            "problems": [p.as_dict() for p in problems],
            "drafts": [n.as_dict() for n in notes],
        }
        click.echo(json.dumps(report, ensure_ascii=False, indent=1))
    else:
        for problem in problems:
            click.echo(str(problem))
        if notes:
            click.echo(f"notice: {len(notes)} draft resource(s) still to review (egov:curationStatus curation:draft):")
            for note in notes:
                click.echo(f"  {note}")
        click.echo(f"{len(problems)} problem(s) found" if problems else "valid: no problems found")
    sys.exit(EXIT_PROBLEMS if problems else EXIT_OK)


@main.command()
@click.option(
    "-o",
    "--out",
    "out_file",
    type=click.Path(path_type=Path, dir_okay=False),
    default=None,
    help="Write to this file (atomically) instead of standard output.",
)
@data_option
@translated
def docs(out_file: Path | None, data_dir: Path | None) -> None:
    """Write the ontology reference (every class, its properties, a real example) as Markdown.

    \b
    Example:  egovgraph docs -o docs/ontology.md
    """
    from egovgraph.graph.docs import ontology_markdown
    from egovgraph.graph.files import write_atomic
    from egovgraph.graph.load import load

    text = ontology_markdown(load(data_dir))
    if out_file is None:
        click.echo(text, nl=False)
        return
    write_atomic(out_file, text.encode("utf-8"))
    click.echo(f"wrote {out_file}")


__all__ = ["main", "translated"]
