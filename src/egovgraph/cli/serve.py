"""CLI command for publishing: serve."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from egovgraph.defaults import (
    BODY_TIMEOUT,
    CACHE_MAX_BYTES,
    FORWARDED_ALLOW_IPS,
    HEADER_TIMEOUT,
    HOST,
    LANE_BUDGET,
    LANE_WORKERS,
    MAX_BODY,
    MAX_CONNECTIONS,
    MAX_NESTING,
    PORT,
    QUERY_TIMEOUT,
    RESULT_CACHE_BYTES,
    ROW_LIMIT,
)

from . import base_option, count_option, data_option, main, seconds_option, translated


@main.command(
    epilog=f"Limits without an option: queries nest brackets at most {MAX_NESTING} levels deep (deeper is a "
    f"400 before any engine sees it); answers over {CACHE_MAX_BYTES} bytes are not cached."
)
@click.option("--host", default=HOST, show_default=True, help="Address to bind (loopback unless told otherwise).")
@click.option("--port", type=click.IntRange(1, 65535), default=PORT, show_default=True, help="Port to listen on.")
@base_option
@data_option
@click.option(
    "--file",
    "files",
    multiple=True,
    type=click.Path(path_type=Path, exists=True),
    help="Extra Turtle file (or data directory) layered over the data. Repeatable.",
)
@seconds_option(
    "--timeout",
    default=QUERY_TIMEOUT,
    help="Time limit of a SPARQL request, waiting for a query worker included "
    "(422 when the query runs over it, 503 when no worker became free).",
)
@count_option("--limit", default=ROW_LIMIT, help="Cap SPARQL results at N rows or triples.")
@count_option("--max-body", default=MAX_BODY, metavar="BYTES", help="Largest request body accepted (413 above).")
@seconds_option(
    "--header-timeout",
    default=HEADER_TIMEOUT,
    help="Time a client has to send a request's headers (408 and the connection closed after it).",
)
@seconds_option(
    "--body-timeout",
    default=BODY_TIMEOUT,
    help="Time a client has to send a request's body once the headers are in (408 after it).",
)
@count_option(
    "--max-connections",
    default=MAX_CONNECTIONS,
    metavar="N",
    help="Connections served at once; requests on more are answered 503 with Retry-After "
    "(lowered to fit the descriptor limit, ulimit -n).",
)
@click.option(
    "--forwarded-allow-ips",
    default=FORWARDED_ALLOW_IPS,
    show_default="none",
    metavar="IPS",
    help="Comma-separated IPs or networks of the reverse proxies whose Forwarded / X-Forwarded-Proto / "
    "X-Forwarded-Host headers are believed (for the Service Description's IRIs); * for any client.",
)
@click.option(
    "--store",
    "store_spec",
    metavar="oxigraph:PATH",
    help="Serve a persistent Oxigraph store (made by `egovgraph load --store oxigraph:PATH`) instead "
    "of loading the data files; it has no dumps.",
)
@click.option(
    "--endpoint",
    "endpoint_url",
    metavar="URL",
    help="Serve a SPARQL 1.1 endpoint (Virtuoso, Fuseki, Oxigraph server ...) instead: pages and "
    "/sparql read it; it has no dumps.",
)
@click.option(
    "--graph", metavar="IRI", help="With --endpoint: the named graph that holds the data (see: egovgraph publish)."
)
@click.option(
    "--user",
    metavar="USER",
    help="With --endpoint: user for Digest or Basic auth; the password comes from EGOVGRAPH_PASSWORD.",
)
@click.option(
    "--workers",
    type=click.IntRange(min=1),
    default=None,
    metavar="N",
    help="Forked processes evaluating SPARQL queries [default: the CPU count, at least 2]; "
    "with --endpoint the endpoint evaluates them.",
)
@count_option(
    "--lane-workers",
    default=LANE_WORKERS,
    minimum=0,
    metavar="N",
    help="More query processes for queries light by their shape (no aggregate, ORDER BY, DISTINCT, "
    f"sub-select or path closure), so they need not wait behind heavy ones; {LANE_BUDGET:g} s each "
    "there, then they go on in the general workers. 0: no lane.",
)
@count_option(
    "--cache-bytes",
    default=RESULT_CACHE_BYTES,
    minimum=0,
    metavar="BYTES",
    help=f"Bytes of SPARQL answers kept in memory (least recently used go first; answers over "
    f"{CACHE_MAX_BYTES} bytes are never kept); 0 turns the cache off. GET /status reports its size.",
)
@click.option("--no-cache", is_flag=True, help="Do not keep SPARQL answers in memory (--cache-bytes 0).")
@click.option(
    "--get",
    "get_path",
    metavar="PATH",
    help="Answer one request for PATH in process, print status, headers and body, and exit.",
)
@click.option("--accept", metavar="TYPE", help="Accept header of the --get request (e.g. text/turtle).")
@translated
def serve(
    host: str,
    port: int,
    base_iri: str | None,
    data_dir: Path | None,
    files: tuple[Path, ...],
    timeout: float,
    limit: int,
    max_body: int,
    header_timeout: float,
    body_timeout: float,
    max_connections: int,
    forwarded_allow_ips: str,
    store_spec: str | None,
    endpoint_url: str | None,
    graph: str | None,
    user: str | None,
    workers: int | None,
    lane_workers: int,
    cache_bytes: int,
    no_cache: bool,
    get_path: str | None,
    accept: str | None,
) -> None:
    """Serve the graph over HTTP: SPARQL endpoint, linked-data pages, dumps.

    \b
    /sparql                SPARQL 1.1 Protocol (GET, POST; read-only)
    /id/KIND/SLUG          303 to /doc/id/KIND/SLUG (HTML, Turtle, N-Triples, JSON-LD, RDF/XML by Accept)
    /query                 query form with the named queries as examples
    /ontology              the ontology (HTML or RDF)
    /dumps/egovgraph.ttl   dumps (.ttl .nt .jsonld .trig), with ETag and Last-Modified
    /.well-known/void      VoID/DCAT description
    /status                limits and load as JSON (result cache bytes, query workers)
    With --get the exit code is 0 for a 1xx-3xx answer and 1 for 4xx/5xx.

    \b
    Examples:
      egovgraph serve --port 8000
      egovgraph serve --workers 4 --timeout 10
      egovgraph serve --store oxigraph:./egovgraph-store
      egovgraph serve --endpoint http://localhost:8890/sparql --graph https://example.org/egovgraph
      egovgraph serve --get /id/land/bremen --accept text/turtle
      curl -H 'Accept: text/csv' 'http://127.0.0.1:8000/sparql?query=ASK{?s?p?o}'
    """
    from egovgraph.errors import InputError
    from egovgraph.server.app import Settings, answer, create_app
    from egovgraph.server.app import serve as run_server
    from egovgraph.server.http import proxy_networks
    from egovgraph.vocab.namespaces import DEFAULT_BASE

    proxies = tuple(p.strip() for p in forwarded_allow_ips.split(",") if p.strip())
    proxy_networks(proxies)  # a wrong address is refused before the data is loaded
    settings = Settings(
        base_iri=base_iri or DEFAULT_BASE,
        timeout=timeout,
        row_limit=limit,
        max_body=max_body,
        cache_bytes=0 if no_cache else cache_bytes,
        workers=workers or Settings.workers,
        forwarded_allow_ips=proxies,
        header_timeout=header_timeout,
        body_timeout=body_timeout,
        max_connections=max_connections,
        lane_workers=lane_workers,
    )
    oxigraph, remote = None, None
    if store_spec is not None and store_spec != "embedded":
        kind, _, rest = store_spec.partition(":")
        if kind != "oxigraph" or not rest:
            raise InputError(
                f"unknown store {store_spec!r}: give oxigraph:PATH (a store made by "
                "`egovgraph load --store oxigraph:PATH`) or embedded (for a SPARQL endpoint use "
                "--endpoint URL)"
            )
        oxigraph = Path(rest)
    if endpoint_url is not None:
        from egovgraph.stores.view import RemoteSource

        from .store import endpoint_from_options

        if oxigraph is not None:
            raise InputError("give either --store or --endpoint, not both")
        remote = RemoteSource(endpoint_from_options(endpoint_url, user=user), graph)
    elif graph is not None or user is not None:
        raise InputError("--graph and --user go with --endpoint URL")
    app = create_app(data_dir, files=files, settings=settings, oxigraph=oxigraph, remote=remote)
    if get_path is not None:
        if not get_path.startswith("/"):
            get_path = "/" + get_path
        status, headers, body = answer(app, get_path, accept=accept)
        click.echo(f"HTTP {status}")
        for name, value in headers:
            click.echo(f"{name}: {value}")
        click.echo("")
        sys.stdout.flush()
        sys.stdout.buffer.write(body)
        sys.stdout.buffer.flush()
        sys.exit(0 if status < 400 else 1)
    click.echo(f"egovgraph serving http://{host}:{port}/ (SPARQL at /sparql); Ctrl-C stops it", err=True)
    run_server(app, host=host, port=port)
