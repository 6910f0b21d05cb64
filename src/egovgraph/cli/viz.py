"""CLI commands for views: viz (interactive HTML), export (Gephi, Cytoscape, spreadsheets) and stats."""

from __future__ import annotations

import json
import sys
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

import click

from egovgraph.defaults import EXPORT_FORMATS, SIZES, VIEWS

from . import data_option, main, translated
from .store import store_from_options, store_options

if TYPE_CHECKING:
    import networkx as nx

F = TypeVar("F", bound=Callable[..., Any])


def _view_options(default_view: str | None) -> Callable[[F], F]:
    """The options every view command shares: which view, the query, the filters, the language, the data."""
    return lambda func: _apply_view_options(func, default_view)


def _apply_view_options(func: F, default_view: str | None) -> F:
    decorators = [
        click.option(
            "--view",
            "view_name",
            type=click.Choice(VIEWS),
            default=default_view,
            show_default=default_view is not None,
            help="efa: Land-Land EfA reuse; tech: Länder and technologies (tech-lands: Land-Land "
            "projection); entity: all resources; custom: a SPARQL query (-q).",
        ),
        click.option(
            "-q",
            "--query",
            default=None,
            metavar="QUERY",
            help="For --view custom: a SELECT with ?source ?target [?label ?weight] or a "
            "CONSTRUCT, as text or a .rq file.",
        ),
        click.option(
            "--land",
            multiple=True,
            metavar="LAND",
            help="Only this Land (name, ISO code like DE-HB or HB, slug, CURIE); repeatable.",
        ),
        click.option(
            "--class",
            "cls",
            multiple=True,
            metavar="CLASS",
            help="Only resources of this class (egov:Initiative, Initiative); repeatable.",
        ),
        click.option(
            "--status",
            multiple=True,
            metavar="STATUS",
            help="Only this status (planned, in-progress, completed, ongoing); repeatable.",
        ),
        click.option(
            "--source",
            multiple=True,
            metavar="SOURCE",
            help="Only facts from this source (slug, CURIE or title); repeatable.",
        ),
        click.option(
            "--year",
            multiple=True,
            metavar="YEAR",
            help="Only facts about this year (or, without one, from a source of that year).",
        ),
        click.option(
            "--lang", type=click.Choice(["de", "en"]), default="de", show_default=True, help="Label language."
        ),
        data_option,
        store_options,
    ]
    for decorator in reversed(decorators):
        func = decorator(func)
    return func


view_options = _view_options("efa")


def _build_view(
    view_name: str,
    query: str | None,
    data_dir: Path | None,
    lang: str,
    where: dict[str, Any],
    **filters: tuple[str, ...],
) -> nx.Graph:
    from egovgraph.errors import InputError
    from egovgraph.graph.load import load
    from egovgraph.views.project import view

    if query is not None and "{" not in query and "\n" not in query:  # a file name, not a query
        path = Path(query)
        if not path.is_file():
            raise InputError(f"query file {path} does not exist: give a .rq file or the query text")
        query = path.read_text(encoding="utf-8")
    store = store_from_options(data_dir=data_dir, **where)
    return view(view_name, load(data_dir) if store is None else store, lang=lang, query=query, **filters)


@main.command()
@view_options
@click.option(
    "-o",
    "--out",
    "out",
    type=click.Path(path_type=Path, dir_okay=False),
    default=None,
    help="HTML file to write (default: VIEW.html).",
)
@click.option("--size-by", type=click.Choice(SIZES), default="degree", show_default=True, help="What node size shows.")
@click.option(
    "--max-nodes",
    type=click.IntRange(min=0),
    default=5000,
    show_default=True,
    help="Draw at most this many nodes (the best-connected); 0 draws all.",
)
@click.option("--title", default=None, help="Page title (default: the view's name).")
@translated
def viz(
    view_name: str,
    query: str | None,
    land: tuple[str, ...],
    cls: tuple[str, ...],
    status: tuple[str, ...],
    source: tuple[str, ...],
    year: tuple[str, ...],
    lang: str,
    data_dir: Path | None,
    out: Path | None,
    size_by: str,
    max_nodes: int,
    title: str | None,
    **where: Any,
) -> None:
    """Write a view as one self-contained interactive HTML file that works offline.

    Search, filters, a legend and details on click; no request leaves the page. From a store
    (--dump, --store, --endpoint) the view fetches only the part of the graph it shows, with SPARQL.

    \b
    Example:  egovgraph viz --view efa -o efa.html
              egovgraph viz --view entity --land Bremen --lang en -o bremen.html
              egovgraph viz --view efa --store oxigraph:./store -o efa.html
    """
    from egovgraph.views.html import write_html

    graph = _build_view(
        view_name, query, data_dir, lang, where, land=land, cls=cls, status=status, source=source, year=year
    )
    target = write_html(
        graph, out or Path(f"{view_name}.html"), size_by=size_by, max_nodes=max_nodes or None, title=title
    )
    click.echo(f"wrote {target} ({graph.number_of_nodes()} nodes, {graph.number_of_edges()} edges)")


@main.command()
@view_options
@click.option(
    "--format",
    "fmt",
    type=click.Choice(EXPORT_FORMATS),
    required=True,
    help="graphml/gexf for Gephi and Cytoscape, csv (nodes + edges tables), json (node-link).",
)
@click.option(
    "-o",
    "--out",
    "out",
    type=click.Path(path_type=Path),
    default=None,
    help="File to write (csv: OUT-nodes.csv and OUT-edges.csv); default: standard output.",
)
@translated
def export(
    view_name: str,
    query: str | None,
    land: tuple[str, ...],
    cls: tuple[str, ...],
    status: tuple[str, ...],
    source: tuple[str, ...],
    year: tuple[str, ...],
    lang: str,
    data_dir: Path | None,
    fmt: str,
    out: Path | None,
    **where: Any,
) -> None:
    """Export a view with all its attributes for Gephi, Cytoscape or a spreadsheet.

    \b
    Example:  egovgraph export --view efa --format gexf -o efa.gexf
              egovgraph export --view tech --format csv -o tech.csv
              egovgraph export --view efa --format json --endpoint http://localhost:7878/query --graph IRI
    """
    from egovgraph.errors import InputError
    from egovgraph.views.exports import export as write_export
    from egovgraph.views.exports import export_bytes

    graph = _build_view(
        view_name, query, data_dir, lang, where, land=land, cls=cls, status=status, source=source, year=year
    )
    if out is None:
        if fmt == "csv":
            raise InputError("CSV is two tables (nodes and edges): give a file with -o, e.g. -o view.csv")
        sys.stdout.buffer.write(export_bytes(graph, fmt))
        sys.stdout.flush()
        return
    for path in write_export(graph, fmt, out):
        click.echo(f"wrote {path}")


@main.command()
@_view_options(None)
@click.option(
    "--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True, help="Output format."
)
@click.option(
    "--top",
    type=click.IntRange(min=1),
    default=3,
    show_default=True,
    help="With --view: how many leaders to list per measure.",
)
@translated
def stats(
    view_name: str | None,
    query: str | None,
    land: tuple[str, ...],
    cls: tuple[str, ...],
    status: tuple[str, ...],
    source: tuple[str, ...],
    year: tuple[str, ...],
    lang: str,
    data_dir: Path | None,
    fmt: str,
    top: int,
    **where: Any,
) -> None:
    """Counts of the graph, or with --view the network metrics of a view.

    Without --view: instances per class, facts per Land and per source, the Länder with no facts yet
    (from a store, counted inside it with SPARQL).
    With --view: degrees, betweenness, eigenvector centrality, components and leaders; for the efa
    view, which Land provides most and which reuses most.

    \b
    Examples:  egovgraph stats --lang en
               egovgraph stats --view efa
               egovgraph stats --store oxigraph:./store
    """
    if view_name is None:
        if query or land or cls or status or source or year:
            from egovgraph.errors import InputError

            raise InputError("-q, --land, --class, --status, --source and --year filter a view: add --view")
        _graph_stats(data_dir, lang, fmt, where)
        return
    from egovgraph.views.metrics import network_metrics

    graph = _build_view(
        view_name, query, data_dir, lang, where, land=land, cls=cls, status=status, source=source, year=year
    )
    result = network_metrics(graph, top=top)
    if fmt == "json":
        click.echo(json.dumps({"view": view_name, **result.as_dict()}, ensure_ascii=False, indent=1))
        return
    click.echo(
        f"{graph.graph.get('title', view_name)}: {graph.number_of_nodes()} nodes, "
        f"{graph.number_of_edges()} edges, {len(result.components)} component(s)"
    )
    for title, leaders in result.leaders.items():
        names = ", ".join(f"{x.label} ({x.value:g})" for x in leaders) or "none"
        click.echo(f"  {title}: {names}")
    click.echo("\n  degree    in   out  betweenness  eigenvector  label")
    for row in result.nodes:
        eigen = "       n/a" if row.eigenvector is None else f"{row.eigenvector:11.4f}"
        click.echo(
            f"  {row.degree:6d} {row.in_degree:5d} {row.out_degree:5d}  {row.betweenness:11.4f} {eigen}  {row.label}"
        )
    click.echo("\nComponents (largest first): " + "; ".join(str(len(c)) for c in result.components))
    for note in result.notes:
        click.echo(f"note: {note}")


def _graph_stats(data_dir: Path | None, lang: str, fmt: str, where: dict[str, Any]) -> None:
    from egovgraph.graph.load import load
    from egovgraph.graph.stats import compute, compute_store

    store = store_from_options(data_dir=data_dir, **where)
    result = compute(load(data_dir), lang=lang) if store is None else compute_store(store, lang=lang)
    if fmt == "json":
        click.echo(json.dumps(result.as_dict(), ensure_ascii=False, indent=1))
        return
    click.echo(f"{result.triples} triples")
    click.echo("\nInstances per class:")
    for row in result.classes:
        click.echo(f"  {row.count:6d}  {row.label}")
    click.echo("\nFacts per Land:")
    for row in result.lands:
        click.echo(f"  {row.count:6d}  {row.label}")
    click.echo("\nFacts per source:")
    for row in result.sources:
        click.echo(f"  {row.count:6d}  {row.label}  ({row.extra.get('evidence', 0)} evidence)")
    missing = result.lands_without_facts
    click.echo("\nLänder with no facts yet: " + (", ".join(r.label for r in missing) if missing else "none"))
