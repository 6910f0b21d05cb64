"""CLI commands for SPARQL: query, queries, prefixes."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import click

from egovgraph.defaults import ALL_FORMATS, QUERY_TIMEOUT, ROW_LIMIT
from egovgraph.errors import EXIT_OK, EXIT_PROBLEMS

from . import count_option, data_option, main, seconds_option, translated


@main.command("query")
@click.argument("text", required=False, metavar="[QUERY]")
@click.option(
    "-f",
    "--file",
    "query_file",
    type=click.Path(path_type=Path, dir_okay=False, allow_dash=True),
    help="Read the query from FILE ('-' for standard input).",
)
@click.option("-n", "--name", metavar="NAME", help="Run the named query NAME (see: egovgraph queries).")
@click.option(
    "--format",
    "fmt",
    type=click.Choice(ALL_FORMATS),
    help="Result format; default table on a terminal, tsv when piped, ttl for CONSTRUCT/DESCRIBE.",
)
@click.option(
    "--bind",
    "binds",
    multiple=True,
    metavar="VAR=VALUE",
    help="Bind a variable: land:bremen, <https://...>, 2025, '\"text\"@de', plain text. Repeatable.",
)
@click.option(
    "--lang",
    type=click.Choice(["de", "en"]),
    default="de",
    show_default=True,
    help="Language of labels (and of the named queries' label columns).",
)
@click.option("--labels", "with_labels", is_flag=True, help="Show labels instead of IRIs in table and md output.")
@seconds_option("--timeout", default=QUERY_TIMEOUT, help="Stop the query after this many seconds.")
@count_option("--limit", default=ROW_LIMIT, help="Return at most N rows (a message says when more exist).")
@data_option
@click.option(
    "--dump",
    "dump",
    type=click.Path(path_type=Path, dir_okay=False),
    default=None,
    help="Query a dump file (.nq, .trig, .nt, .ttl, .jsonld) instead of the data directory.",
)
@click.option(
    "--store",
    "store_spec",
    metavar="STORE",
    help="embedded (default: the data in memory) or oxigraph:PATH (see: egovgraph load).",
)
@click.option("--endpoint", "endpoint_url", metavar="URL", help="Query a SPARQL 1.1 endpoint instead.")
@click.option(
    "--graph",
    "graph",
    metavar="IRI",
    help="With --endpoint: the named graph to query as the default graph (see: egovgraph publish).",
)
@click.option(
    "--user",
    metavar="USER",
    help="With --endpoint: user for Digest or Basic auth; the password comes from EGOVGRAPH_PASSWORD.",
)
@translated
def query_command(
    text: str | None,
    query_file: Path | None,
    name: str | None,
    fmt: str | None,
    binds: tuple[str, ...],
    lang: str,
    with_labels: bool,
    timeout: float,
    limit: int,
    data_dir: Path | None,
    dump: Path | None,
    store_spec: str | None,
    endpoint_url: str | None,
    graph: str | None,
    user: str | None,
) -> None:
    """Run a SPARQL query on the graph: from QUERY, a file (-f), a named query (-n) or stdin (-).

    Queries are read-only and local: SERVICE, FROM, LOAD and updates are refused. The common prefixes
    (egov:, rdfs:, org:, land:, person: ... see `egovgraph prefixes`) are declared for every query.
    Exit codes: 0 ok (ASK true), 1 ASK false, 2 bad query or input (nothing on stdout).

    \b
    Examples:
      egovgraph query -n leaders --bind land=land:bremen
      egovgraph query 'SELECT ?s ?label WHERE { ?s a egov:Land ; rdfs:label ?label }' --format csv
      egovgraph query -n planned --bind year=2025 --format md --labels
      echo 'ASK { land:bremen a egov:Land }' | egovgraph query -
      egovgraph query -n lands --store oxigraph:./egovgraph-store
      egovgraph query -n lands --endpoint http://localhost:7878/query --graph https://example.org/graph/egovgraph
    """
    from egovgraph.errors import InputError
    from egovgraph.sparql.results import check_format, default_format, render
    from egovgraph.sparql.run import prepare
    from egovgraph.sparql.text import read_query_file
    from egovgraph.sparql.values import parse_bind
    from egovgraph.stores.kinds import RemoteStore, Store, open_store_spec

    given = [x for x in (text, query_file, name) if x is not None]
    if len(given) != 1:
        raise InputError(
            "give the query as an argument, with -f FILE, with -n NAME or as '-' for standard "
            "input (exactly one of them); e.g. egovgraph query -n leaders"
        )
    if data_dir is not None and dump is not None:
        raise InputError("give either --data or --dump, not both")
    if endpoint_url is not None and (store_spec, dump, data_dir) != (None, None, None):
        raise InputError("--endpoint queries a remote store: leave out --store, --dump and --data")
    if endpoint_url is None and (graph is not None or user is not None):
        raise InputError("--graph and --user go with --endpoint URL")
    sparql: str | None = None
    if text is not None:
        sparql = sys.stdin.read() if text == "-" else text
    elif query_file is not None:
        sparql = read_query_file(query_file)
    values = dict(parse_bind(b) for b in binds)
    prepared = prepare(sparql, name=name, bind_values=values, lang=lang)
    fmt = fmt or default_format(prepared.form, terminal=sys.stdout.isatty())
    check_format(prepared.form, fmt)
    store: Store
    if endpoint_url is not None:
        from .store import endpoint_from_options

        store = RemoteStore(endpoint_from_options(endpoint_url, user=user), graph=graph)
    else:
        store = open_store_spec(store_spec, dump=dump, data_dir=data_dir)
    result = store.query(prepared, timeout=timeout, limit=limit)
    labels = store.labels(result.iris(), lang) if with_labels and fmt in ("table", "md") else None
    output = render(result, fmt, labels=labels)
    click.echo(output, nl=False)
    for note in store.notes(prepared, result):
        click.echo(note, err=True)
    if result.truncated:
        unit = "triples" if result.form in ("CONSTRUCT", "DESCRIBE") else "rows"
        click.echo(
            f"note: the result was capped at {limit} {unit}; there are more (raise --limit to see them)", err=True
        )
    if result.form == "ASK":
        sys.exit(EXIT_OK if result.boolean else EXIT_PROBLEMS)


@main.command("queries")
@click.option("--show", "show", metavar="NAME", help="Print the SPARQL of the named query NAME.")
@click.option(
    "--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True, help="Listing format."
)
@translated
def queries_command(show: str | None, fmt: str) -> None:
    """List the named queries with what they answer and their parameters.

    \b
    Examples:
      egovgraph queries
      egovgraph queries --show leaders
      egovgraph query -n leaders --bind land=land:hamburg
    """
    from egovgraph.sparql.library import named_queries, named_query

    if show is not None:
        click.echo(named_query(show).text, nl=False)
        return
    library = named_queries()
    if fmt == "json":
        doc = [
            {
                "name": q.name,
                "description": q.description,
                "params": [{"name": p.name, "meaning": p.meaning, "default": p.default} for p in q.params],
            }
            for q in library
        ]
        click.echo(json.dumps(doc, ensure_ascii=False, indent=1))
        return
    width = max(len(q.name) for q in library)
    for q in library:
        click.echo(f"{q.name.ljust(width)}  {q.description}")
        for p in q.params:
            if p.name != "lang":  # every query has it; --lang sets it
                click.echo(f"{' ' * width}    --bind {p.describe()}")
    click.echo("\nThe label columns follow --lang (de or en). Run one: egovgraph query -n NAME [--bind VAR=VALUE ...]")


@main.command("prefixes")
@translated
def prefixes_command() -> None:
    """List the prefixes declared for every query, as SPARQL PREFIX lines.

    \b
    Example:  egovgraph prefixes
    """
    from egovgraph.sparql.values import QUERY_PREFIXES

    width = max(len(p) for p in QUERY_PREFIXES) + 1
    for prefix, ns in QUERY_PREFIXES.items():
        click.echo(f"PREFIX {(prefix + ':').ljust(width)} <{ns}>")
