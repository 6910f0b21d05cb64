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

#: The page of one Land (egovgraph.views.dossier), which only viz writes.
_DOSSIER = "land"


def _view_options(default_view: str | None) -> Callable[[F], F]:
    """The options every view command shares: which view, the query, the filters, the language, the data."""
    return lambda func: _apply_view_options(func, default_view)


def _apply_view_options(func: F, default_view: str | None) -> F:
    decorators = [
        click.option(
            "--view",
            "view_name",
            type=click.Choice((*VIEWS, _DOSSIER)),
            default=default_view,
            show_default=default_view is not None,
            help="efa: Land-Land EfA reuse; tech: Länder and technologies (tech-lands: Land-Land "
            "projection); entity: all resources; custom: a SPARQL query (-q); land: the dossier of one "
            "Land (--land, viz only).",
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
    **filters: Any,
) -> nx.Graph:
    from egovgraph.errors import InputError
    from egovgraph.graph.load import load
    from egovgraph.views.project import view

    if view_name == _DOSSIER:
        raise InputError(
            "the land view is a page, not a network: write it with `egovgraph viz --view land --land LAND`"
        )
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
@click.option(
    "--size-by",
    type=click.Choice(SIZES),
    default="auto",
    show_default=True,
    help="What node size shows (auto: services built and reused for efa, else degree).",
)
@click.option(
    "--with-provenance",
    is_flag=True,
    help="entity view: draw evidence, sources and times as nodes (default: folded into attributes).",
)
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
    with_provenance: bool,
    max_nodes: int,
    title: str | None,
    **where: Any,
) -> None:
    """Write a view as one self-contained interactive HTML file that works offline.

    The Länder at their geography, tabs with a matrix (efa, tech views) and tables of nodes and edges,
    search, filters, a legend and details on click; no request leaves the page. From a store
    (--dump, --store, --endpoint) the view fetches only the part of the graph it shows, with SPARQL.

    With --view land, the dossier of one Land (--land): leaders over time, EfA services built and reused
    with their partners, initiatives by status and year, technologies, portals, strategies, sources.

    \b
    Example:  egovgraph viz --view efa -o efa.html
              egovgraph viz --view land --land land:bremen -o bremen.html
              egovgraph viz --view entity --land Bremen --lang en -o bremen-entities.html
              egovgraph viz --view efa --store oxigraph:./store -o efa.html
    """
    from egovgraph.views.html import write_html

    if view_name == _DOSSIER:
        context = click.get_current_context()
        for name, flag in (("size_by", "--size-by"), ("max_nodes", "--max-nodes")):
            if context.get_parameter_source(name) is not click.core.ParameterSource.DEFAULT:
                click.echo(
                    f"warning: {flag} does not apply to the land view (a page, not a network): ignored", err=True
                )
        _write_dossier(query, land, cls, status, source, year, lang, data_dir, out, title, where)
        return
    graph = _build_view(
        view_name,
        query,
        data_dir,
        lang,
        where,
        land=land,
        cls=cls,
        status=status,
        source=source,
        year=year,
        with_provenance=with_provenance,
    )
    target = write_html(
        graph, out or Path(f"{view_name}.html"), size_by=size_by, max_nodes=max_nodes or None, title=title
    )
    click.echo(f"wrote {target} ({graph.number_of_nodes()} nodes, {graph.number_of_edges()} edges)")
    _warn(graph)
    if max_nodes and graph.number_of_nodes() > max_nodes:
        click.echo(
            f"warning: the page draws the {max_nodes:,} best-connected of {graph.number_of_nodes():,} nodes; "
            "filter the view, export it, or give --max-nodes 0 to draw all",
            err=True,
        )


def _warn(graph: nx.Graph) -> None:
    """Say on stderr why a view is empty or shows only the Länder (egovgraph.views.states)."""
    warning = graph.graph.get("warning")
    if warning:
        click.echo(f"warning: {warning}", err=True)


def _write_dossier(
    query: str | None,
    land: tuple[str, ...],
    cls: tuple[str, ...],
    status: tuple[str, ...],
    source: tuple[str, ...],
    year: tuple[str, ...],
    lang: str,
    data_dir: Path | None,
    out: Path | None,
    title: str | None,
    where: dict[str, Any],
) -> None:
    """``viz --view land``: the dossier page of one Land."""
    from egovgraph.errors import InputError
    from egovgraph.graph.load import load
    from egovgraph.views.dossier import dossier
    from egovgraph.views.dossier_page import write_dossier

    unused = [
        name
        for name, value in (
            ("-q", query),
            ("--class", cls),
            ("--status", status),
            ("--source", source),
            ("--year", year),
        )
        if value
    ]
    if unused:
        raise InputError(
            f"{', '.join(unused)} {'does' if len(unused) == 1 else 'do'} not apply to the land view: it shows "
            "everything the graph knows about one Land; filter a network view instead (e.g. --view entity)"
        )
    if len(land) != 1:
        raise InputError("the land view needs exactly one --land, e.g. --view land --land land:bremen")
    store = store_from_options(data_dir=data_dir, **where)
    result = dossier(load(data_dir) if store is None else store, land[0], lang=lang)
    slug = result.land.iri.rstrip("/").rsplit("/", 1)[-1]
    target = write_dossier(result, out or Path(f"{slug}.html"), title=title)
    counts = ", ".join(f"{n} {key.replace('_', ' ')}" for key, n in result.counts.items())
    click.echo(f"wrote {target} (dossier of {result.land.label}: {counts})")
    if result.empty:
        click.echo(
            f"warning: the graph holds nothing about {result.land.label} beyond its reference data; the page says so",
            err=True,
        )


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
    _warn(graph)
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
    _warn(graph)
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
    from egovgraph.views.stats import compute, compute_store

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
