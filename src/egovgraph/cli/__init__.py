"""The egovgraph command line: thin click commands over the library. Exit codes: 0 ok, 1 problems, 2 bad input.

The cli package is the only place that imports click, prints or exits; each submodule adds commands to
``main``.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Callable
from functools import wraps
from pathlib import Path
from typing import Any, TypeVar

import click

from egovgraph import __version__
from egovgraph.errors import EXIT_OK, EXIT_PROBLEMS, EgovGraphError, ValidationFailed

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
base_option = click.option(
    "--base-iri",
    default=None,
    metavar="IRI",
    help="Base under which resource IRIs are minted (default https://w3id.org/egovgraph/).",
)


@click.group(context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100})
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
    node, property and what is wrong. Exit 0 valid, 1 invalid, 2 bad input.

    \b
    Example:  egovgraph validate data/sources/my-new-source.ttl
    """
    from egovgraph.graph.load import load
    from egovgraph.graph.validate import validate as run_validate

    problems = run_validate(load(data_dir, files=paths))
    if fmt == "json":
        click.echo(
            json.dumps(
                {"valid": not problems, "problems": [p.as_dict() for p in problems]}, ensure_ascii=False, indent=1
            )
        )
    else:
        for problem in problems:
            click.echo(str(problem))
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


# Command groups of the other pipeline stages register themselves on ``main`` when imported. They
# import their libraries lazily inside each command, so this stays cheap.
from . import query, serve, store, viz  # noqa: E402, F401

__all__ = ["main", "translated"]
