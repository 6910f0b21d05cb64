"""The draft of one article: check the input, clean, split, recognise, write — and where the files go."""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass, field
from pathlib import Path

from egovgraph.draft.clean import Removal, clean, decode
from egovgraph.draft.facts import Facts, draft_facts
from egovgraph.draft.lexicon import lexicon, slug
from egovgraph.draft.sentences import split_sentences
from egovgraph.draft.write import Meta, turtle
from egovgraph.errors import InputError
from egovgraph.graph.files import write_all_atomic
from egovgraph.graph.load import Loaded

__all__ = ["Draft", "check_date", "check_slug", "check_url", "draft", "plan_paths", "without_file", "write_draft"]

_SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")


@dataclass(frozen=True)
class Draft:
    """A drafted source: the Turtle, the cleaned text, what was removed, warnings, the facts themselves."""

    turtle: str
    text: str
    removed: tuple[Removal, ...]
    warnings: tuple[str, ...]
    facts: Facts = field(repr=False)


def check_slug(value: str, loaded: Loaded) -> str:
    """An --id is an ASCII slug not used by a source of the graph yet."""
    if not _SLUG.match(value):
        raise InputError(
            f"--id {value!r} is not a slug: use lower-case ASCII letters, digits and single hyphens "
            f"(e.g. {slug(value) or 'egovernment-bilanz-teil-4'!r})"
        )
    if value in lexicon_sources(loaded):
        raise InputError(f"--id {value!r} collides with the existing source source:{value}: choose another id")
    return value


def without_file(loaded: Loaded, path: Path) -> Loaded:
    """The build without the graph of ``path`` (the draft being redrafted with --force), so it is not its own clash."""
    resolved = path.resolve()
    for graph, files in list(loaded.graph_files.items()):
        if any(f.resolve() == resolved for f in files):
            loaded.dataset.remove_graph(graph)
            del loaded.graph_files[graph]
    return loaded


def lexicon_sources(loaded: Loaded) -> set[str]:
    prefix = loaded.base + "id/source/"
    return {str(s)[len(prefix) :] for s in loaded.union().subjects() if str(s).startswith(prefix)}


def check_date(value: str) -> str:
    """A --date is YYYY, YYYY-MM or YYYY-MM-DD and a real date."""
    if re.fullmatch(r"\d{4}", value):
        return value
    if re.fullmatch(r"\d{4}-(0[1-9]|1[0-2])", value):
        return value
    try:
        if re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
            datetime.date.fromisoformat(value)
            return value
    except ValueError:
        pass
    raise InputError(f"--date {value!r} is not a date: expected YYYY, YYYY-MM or YYYY-MM-DD (e.g. 2024-12-05)")


def check_url(value: str) -> str:
    """A --url is an absolute http(s) IRI."""
    if not re.fullmatch(r"https?://[^\s<>\"{}|\\^`]+", value):
        raise InputError(f"--url {value!r} is not an http(s) address: expected e.g. https://www.example.org/article")
    return value


def _byline(sentences: list[str]) -> tuple[int, str] | None:
    for i, s in enumerate(sentences[:4]):
        m = re.fullmatch(
            r"(?:Von|Ein Beitrag von|Autor(?:in)?:)\s+((?:[A-ZÄÖÜ][\wäöüß.-]+\s+){0,2}[A-ZÄÖÜ][\wäöüß-]+)", s
        )
        if m:
            return i, m.group(1)
    return None


def draft(raw: bytes, name: str, loaded: Loaded, meta: Meta, *, text_path: str) -> Draft:
    """Draft the source file of an article (``raw`` as read from the file ``name``)."""
    cleaned = clean(decode(raw, name))
    if not cleaned.text.strip():
        raise InputError(f"{name}: nothing is left after removing page furniture: expected an article")
    lex = lexicon(loaded)
    sentences = split_sentences(cleaned.text)
    year = int(meta.date[:4]) if meta.date else None
    facts = draft_facts(sentences, lex, source=meta.slug, year=year)
    texts = [s.text for s in sentences]
    byline = _byline(texts)
    title = meta.title or texts[0]
    author = meta.author or (byline[1] if byline else None)
    author_slug = lex.persons.get(author, slug(author)) if author else None
    publisher_slug, new_publisher = None, False
    if meta.publisher:
        publisher_slug = lex.organisations.get(meta.publisher.lower())
        new_publisher = publisher_slug is None
        publisher_slug = publisher_slug or slug(meta.publisher)
    byline_index = byline[0] if byline and author == byline[1] else None
    full = Meta(
        meta.slug, title, author, meta.publisher, meta.date, meta.url, meta.lang, meta.identifier or cleaned.identifier
    )
    warnings: list[str] = []
    if not facts.lands:
        warnings.append(f"{name}: no sentence about a Land was found: the draft holds the source only")
    if not meta.date and facts.statements:
        warnings.append("no --date: the statements have no dct:date yet; add it before removing the draft mark")
    body = turtle(
        facts,
        lex,
        full,
        text=cleaned.text,
        text_path=text_path,
        author_slug=author_slug,
        publisher_slug=publisher_slug,
        new_publisher=new_publisher,
        byline=byline_index,
    )
    return Draft(body, cleaned.text, cleaned.removed, tuple(warnings), facts)


def plan_paths(out: str | None, slug_: str, data_dir: Path, texts: Path | None) -> tuple[Path | None, Path]:
    """Where the draft and the cleaned text go.

    Without ``-o`` the draft is ``DATA/sources/SLUG.ttl`` and the text ``DATA/texts/SLUG.txt``. With
    ``-o FILE`` the text goes where ``validate FILE`` looks for it: ``texts/`` beside a ``sources/``
    directory, else ``texts/`` beside FILE. ``-o -`` (standard output) keeps the text in ``DATA/texts/``.
    ``--texts DIR`` overrides all of these.
    """
    if out is None:
        target: Path | None = data_dir / "sources" / f"{slug_}.ttl"
    elif out == "-":
        target = None
    else:
        target = Path(out)
    if texts is not None:
        text_dir = texts
    elif target is None:
        text_dir = data_dir / "texts"
    elif target.parent.name == "sources":
        text_dir = target.parent.parent / "texts"
    else:
        text_dir = target.parent / "texts"
    return target, text_dir / f"{slug_}.txt"


def write_draft(result: Draft, target: Path | None, text_file: Path, *, force: bool) -> list[Path]:
    """Write the text (and the draft unless it goes to standard output); refuse to overwrite without force."""
    outputs: dict[Path, bytes] = {text_file: result.text.encode("utf-8")}
    if target is not None:
        if target.is_dir():
            raise InputError(f"{target} is a directory: give a file name, e.g. {target / 'my-source.ttl'}")
        outputs[target] = result.turtle.encode("utf-8")
    for path, data in outputs.items():
        if path.exists() and not force and path.read_bytes() != data:
            raise InputError(f"{path} exists: pass --force to overwrite it (nothing was written)")
        if not path.parent.is_dir():
            if path == text_file and path.parent.parent.is_dir():
                continue
            raise InputError(f"cannot write {path}: the directory {path.parent} does not exist")
    written: list[Path] = []
    for directory in sorted({p.parent for p in outputs}):
        directory.mkdir(exist_ok=True)
        group = {p.name: d for p, d in outputs.items() if p.parent == directory}
        written.extend(write_all_atomic(directory, group))
    return written
