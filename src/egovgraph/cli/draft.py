"""``egovgraph draft``: an article's text -> a draft source file for the curator, every fact tied to its sentence."""

from __future__ import annotations

from pathlib import Path

import click

from egovgraph.cli import data_option, main, translated


@main.command("draft")
@click.argument("text_file", metavar="TEXT.txt", type=click.Path(path_type=Path, dir_okay=False, exists=True))
@click.option(
    "--id", "slug", required=True, metavar="SLUG", help="The source's slug: source:SLUG, data/texts/SLUG.txt."
)
@click.option("--title", default=None, help="dct:title (default: the text's first line).")
@click.option("--author", default=None, help='dct:creator, a person\'s name (default: the byline "Von …").')
@click.option("--publisher", default=None, help="dct:publisher, an organisation's name (linked if the graph knows it).")
@click.option("--date", default=None, metavar="YYYY[-MM[-DD]]", help="dct:issued and the statements' dct:date.")
@click.option("--url", default=None, help="schema:url of the article.")
@click.option("--lang", default="de", show_default=True, help="Language tag of the quotes.")
@click.option(
    "-o",
    "--out",
    "out",
    default=None,
    metavar="FILE.ttl",
    help="Where the draft goes; '-' for standard output (default: DATA/sources/SLUG.ttl).",
)
@click.option(
    "--texts",
    "texts",
    type=click.Path(path_type=Path, file_okay=False),
    default=None,
    help="Directory for the cleaned text SLUG.txt (default: where validate finds it, see below).",
)
@click.option("--force", is_flag=True, help="Overwrite an existing draft or text.")
@data_option
@translated
def draft_command(
    text_file: Path,
    slug: str,
    title: str | None,
    author: str | None,
    publisher: str | None,
    date: str | None,
    url: str | None,
    lang: str,
    out: str | None,
    texts: Path | None,
    force: bool,
    data_dir: Path | None,
) -> None:
    """Draft a source file from an article's text: cleaned text, source node, facts with evidence.

    Removes page furniture (captions and credits, reading time, newsletter and consent blocks, "(ID:…)")
    and lists what it removed; keeps the cleaned text as SLUG.txt (the text validate checks quotes
    against); drafts Länder, persons with roles, quoted statements with their speaker, initiatives with
    status and time, technologies, Themenfelder, EfA services, portals and counts, each with the verbatim
    sentence as evidence and marked egov:curationStatus curation:draft. Sentences no rule could place are
    listed as comments at the end. The same text gives the same file.

    \b
    The cleaned text goes to --texts DIR; else, for -o DIR/sources/X.ttl, to DIR/texts/; for any other
    -o FILE, to texts/ beside FILE; without -o or with -o -, to DATA/texts/ (validate looks in all of
    these). Existing files are kept unless --force. Exit 0 drafted, 2 bad input (nothing written).

    \b
    Example:  egovgraph draft article.txt --id egovernment-bilanz-teil-4 --date 2024-12 -o t4.ttl
              egovgraph validate t4.ttl
    """
    from egovgraph.draft.run import check_date, check_slug, check_url, draft, plan_paths, without_file, write_draft
    from egovgraph.draft.write import Meta
    from egovgraph.errors import InputError
    from egovgraph.graph.load import default_data_dir, load

    if date is not None:
        check_date(date)
    if url is not None:
        check_url(url)
    if not lang.isascii() or not lang.replace("-", "").isalnum():
        raise InputError(f"--lang {lang!r} is not a language tag: expected e.g. de or en")
    data = data_dir if data_dir is not None else default_data_dir()
    if data_dir is None and texts is None and out in (None, "-") and "_resources" in data.parts:
        raise InputError(
            "the bundled data of an installed egovgraph is read-only: give -o FILE.ttl, --texts DIR or --data DIR"
        )
    target, text_path = plan_paths(out, slug, data, texts)
    loaded = load(data_dir)
    if target is not None and target.exists():
        if not force:
            raise InputError(f"{target} exists: pass --force to overwrite it (nothing was written)")
        loaded = without_file(loaded, target)
    check_slug(slug, loaded)
    raw = text_file.read_bytes()
    meta = Meta(slug, title or "", author, publisher, date, url, lang)
    shown = f"texts/{slug}.txt" if text_path.parent.name == "texts" else str(text_path)
    result = draft(raw, str(text_file), loaded, meta, text_path=shown)
    written = write_draft(result, target, text_path, force=force)
    for removal in result.removed:
        click.echo(f"removed {text_file} {removal}", err=True)
    for warning in result.warnings:
        click.echo(f"warning: {warning}", err=True)
    facts = result.facts
    click.echo(
        f"drafted {len(facts.initiatives)} initiative(s), {len(facts.statements)} statement(s), "
        f"{len(facts.roles)} person(s) with a role, Länder: {', '.join(facts.lands) or 'none'}; "
        f"{len(set(facts.unplaced) | set(facts.unattributed))} sentence(s) not placed",
        err=True,
    )
    if target is None:
        click.echo(result.turtle, nl=False)
    for path in written:
        click.echo(f"wrote {path}", err=True)
