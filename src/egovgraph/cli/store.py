"""CLI commands for stores: load and publish."""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

import click

from . import main, seconds_option, translated

if TYPE_CHECKING:
    from egovgraph.stores.kinds import Store
    from egovgraph.stores.remote import Endpoint

F = TypeVar("F", bound=Callable[..., Any])

#: The environment variable holding the password for --user (never a flag: flags show up in `ps`).
PASSWORD_VARIABLE = "EGOVGRAPH_PASSWORD"


def endpoint_from_options(url: str, *, update_url: str | None = None, user: str | None = None) -> Endpoint:
    """An Endpoint for --endpoint/--update-endpoint/--user, the password from EGOVGRAPH_PASSWORD."""
    from egovgraph.stores.remote import Endpoint

    password = os.environ.get(PASSWORD_VARIABLE) if user is not None else None
    return Endpoint(url, update_url=update_url, user=user, password=password)


def store_options(func: F) -> F:
    """--dump, --store, --endpoint, --graph and --user: where a command reads the graph from."""
    decorators = [
        click.option(
            "--dump",
            "dump",
            type=click.Path(path_type=Path, dir_okay=False),
            default=None,
            help="Read a dump file (.nq, .trig, .nt, .ttl, .jsonld) into memory instead of the data "
            "directory; only what is needed is copied out of it.",
        ),
        click.option(
            "--store",
            "store_spec",
            metavar="STORE",
            help="embedded (default: the data in memory) or oxigraph:PATH (see: egovgraph load).",
        ),
        click.option("--endpoint", "endpoint_url", metavar="URL", help="Read from a SPARQL 1.1 endpoint instead."),
        click.option(
            "--graph",
            "graph",
            metavar="IRI",
            help="With --endpoint: the named graph that holds the data (see: egovgraph publish).",
        ),
        click.option(
            "--user",
            metavar="USER",
            help="With --endpoint: user for Digest or Basic auth; the password comes from EGOVGRAPH_PASSWORD.",
        ),
    ]
    for decorator in reversed(decorators):
        func = decorator(func)
    return func


def store_from_options(
    *,
    data_dir: Path | None,
    dump: Path | None,
    store_spec: str | None,
    endpoint_url: str | None,
    graph: str | None,
    user: str | None,
) -> Store | None:
    """The store the options name, or None for the default (the data directory, read with rdflib)."""
    from egovgraph.errors import InputError
    from egovgraph.stores.kinds import RemoteStore, open_store_spec

    if data_dir is not None and dump is not None:
        raise InputError("give either --data or --dump, not both")
    if endpoint_url is not None:
        if (store_spec, dump, data_dir) != (None, None, None):
            raise InputError("--endpoint reads a remote store: leave out --store, --dump and --data")
        return RemoteStore(endpoint_from_options(endpoint_url, user=user), graph=graph)
    if graph is not None or user is not None:
        raise InputError("--graph and --user go with --endpoint URL")
    if dump is None and store_spec in (None, "embedded"):
        return None
    return open_store_spec(store_spec, dump=dump, data_dir=data_dir)


@main.command("load")
@click.argument("dump", required=False, type=click.Path(path_type=Path, dir_okay=False))
@click.option(
    "--store",
    "spec",
    required=True,
    metavar="oxigraph:PATH",
    help="The persistent store to (re)fill, e.g. oxigraph:./egovgraph-store.",
)
@click.option("--quiet", is_flag=True, help="No progress line.")
@translated
def load_command(dump: Path | None, spec: str, quiet: bool) -> None:
    """Load a dump (default: the bundled build) into a persistent Oxigraph store, replacing its content.

    Large files go through the bulk loader with a progress line; afterwards `egovgraph query --store
    oxigraph:PATH` opens the store instantly. Exit codes: 0 ok, 2 bad input or a locked store.

    \b
    Examples:
      egovgraph load --store oxigraph:./egovgraph-store
      egovgraph load --store oxigraph:./big-store municipalities.nq
      egovgraph query -n lands --store oxigraph:./egovgraph-store
    """
    from egovgraph.errors import InputError
    from egovgraph.stores.kinds import load_oxigraph

    kind, _, path = spec.partition(":")
    if kind != "oxigraph" or not path:
        raise InputError(f"--store {spec!r}: load fills a persistent store, give oxigraph:PATH")

    def progress(done: int, total: int, quads: int) -> None:
        share = f"{100 * done / total:5.1f}%" if total else ""
        click.echo(f"\rloading {share} {done / 1e6:,.1f} MB, {quads:,} quads", nl=False, err=True)

    count = load_oxigraph(Path(path), dump, progress=None if quiet else progress)
    if not quiet:
        click.echo("", err=True)
    click.echo(f"{count:,} quads in the Oxigraph store {path}")


@main.command("publish")
@click.option("--endpoint", "url", required=True, metavar="URL", help="The SPARQL endpoint (queries, counts).")
@click.option("--graph", "graph", required=True, metavar="IRI", help="The named graph to replace with the build.")
@click.option(
    "--update-endpoint", "update_url", metavar="URL", help="The SPARQL Update endpoint, if not the same as --endpoint."
)
@click.option(
    "--graph-store",
    "graph_store",
    metavar="URL",
    help="A Graph Store protocol endpoint (Virtuoso: .../sparql-graph-crud-auth): upload with one "
    "PUT instead of INSERT DATA batches.",
)
@click.option(
    "--user",
    metavar="USER",
    help=f"User for Digest or Basic auth; the password is read from the environment variable {PASSWORD_VARIABLE}.",
)
@click.option(
    "--dump", type=click.Path(path_type=Path, dir_okay=False), help="Publish this dump instead of the bundled build."
)
@seconds_option("--timeout", default=60.0, help="Give up on any single request after this many seconds.")
@translated
def publish_command(
    url: str,
    graph: str,
    update_url: str | None,
    graph_store: str | None,
    user: str | None,
    dump: Path | None,
    timeout: float,
) -> None:
    """Replace a named graph of a SPARQL store with the build, then verify the triple count.

    The triples go into a temporary graph first (one Graph Store PUT with --graph-store, else SPARQL
    Update INSERT DATA batches of 500 triples), are counted, and replace the target with MOVE: readers
    never see a half upload. Republishing replaces, it never duplicates. With --user, the credentials
    are checked before the upload starts. Exit codes: 0 ok, 2 failure. Virtuoso: see docs/stores.md.

    \b
    Examples:
      egovgraph publish --endpoint http://localhost:7878/query --update-endpoint http://localhost:7878/update \\
          --graph-store http://localhost:7878/store --graph https://example.org/graph/egovgraph
      EGOVGRAPH_PASSWORD=... egovgraph publish --endpoint http://localhost:8890/sparql-auth --user dba \\
          --graph https://example.org/graph/egovgraph
      EGOVGRAPH_PASSWORD=... egovgraph publish --endpoint http://localhost:8890/sparql --user egovwriter \\
          --update-endpoint http://localhost:8890/sparql-auth \\
          --graph-store http://localhost:8890/sparql-graph-crud-auth --graph https://example.org/graph/egovgraph
    """
    from egovgraph.stores.publish import build_triples, publish

    endpoint = endpoint_from_options(url, update_url=update_url, user=user)
    done = publish(endpoint, graph, triples=build_triples(dump), graph_store=graph_store, timeout=timeout)
    click.echo(
        f"published {done.triples:,} triples into <{done.graph}> at {endpoint.display} "
        f"({done.method}, {done.requests} upload request(s))"
    )


@main.command("synth")
@click.option(
    "--municipalities",
    "-m",
    type=click.IntRange(min=0),
    required=True,
    metavar="N",
    help="How many municipalities (egov:LocalAuthority), spread over the 16 Länder.",
)
@click.option(
    "--services",
    "-s",
    type=click.IntRange(min=0),
    required=True,
    metavar="M",
    help="How many EfA services, each built by one Land and reused by municipalities and Länder.",
)
@click.option("--seed", type=int, default=0, show_default=True, help="Random seed: the same seed gives the same file.")
@click.option(
    "--triples",
    type=click.IntRange(min=0),
    default=None,
    metavar="T",
    help="Add initiatives until the file holds about T triples (default: 2 per municipality).",
)
@click.option(
    "-o",
    "--output",
    "output",
    required=True,
    type=click.Path(path_type=Path, dir_okay=False),
    help="The file to write: .nt or .ttl (N-Triples) or .nq (N-Quads, a graph per source).",
)
@translated
def synth_command(municipalities: int, services: int, seed: int, triples: int | None, output: Path) -> None:
    """Write a synthetic graph that validates together with the bundled data, for scale tests.

    Reuses the bundled Länder, Themenfelder, years, technologies and roles; adds municipalities,
    ministries, EfA services with reuse, officials with dated roles and initiatives, each fact with
    evidence naming a synthetic source. Deterministic for a seed; written atomically (temp file, rename).
    Exit codes: 0 ok, 2 bad input.

    \b
    Examples:
      egovgraph synth --municipalities 11000 --services 600 --seed 1 -o synth.nt
      egovgraph synth -m 40 -s 10 -o extra.ttl && egovgraph validate extra.ttl
      egovgraph synth -m 11000 -s 600 --triples 1000000 -o big.nq && egovgraph load --store oxigraph:./big big.nq
    """
    from egovgraph.graph.synth import generate

    done = generate(output, municipalities=municipalities, services=services, seed=seed, triples=triples)
    click.echo(
        f"wrote {done.triples:,} triples to {done.path}: {done.municipalities:,} municipalities, "
        f"{done.services:,} services, {done.officials:,} officials, {done.initiatives:,} initiatives, "
        f"{done.sources:,} sources"
    )
