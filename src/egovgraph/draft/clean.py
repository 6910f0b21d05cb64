"""Page furniture out of a copied article: captions and credits, reading time, newsletter and consent blocks.

Every rule removes whole lines (or, for the reading time, a marked tail of a line) and says what it removed,
so the curator can check that no sentence of the article went with it. The article's own lines are kept
byte for byte: the cleaned text is what ``validate`` checks the draft's quotes against.
"""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass

from egovgraph.errors import InputError

__all__ = ["Cleaned", "Removal", "clean", "decode"]


@dataclass(frozen=True)
class Removal:
    """One removed piece of furniture: its line in the original text, the rule, the text."""

    line: int
    kind: str
    text: str

    def __str__(self) -> str:
        return f"line {self.line}: {self.kind}: {self.text}"


@dataclass(frozen=True)
class Cleaned:
    """The article text without furniture, what was removed, and the metadata found in the furniture."""

    text: str
    removed: tuple[Removal, ...]
    identifier: str | None


_READING_TIME = re.compile(r"(?:\s*\b\d+\s*(?:min\.?|Min\.?|Minuten)\s+Lesedauer)+\s*$")  # ends a byline
_ARTICLE_ID = re.compile(r"^\s*\(\s*ID\s*:\s*([\w-]+)\s*\)\s*$")
_CREDIT = re.compile(r"\(?\s*©|\b(?:Bild|Foto|Fotos|Bildquelle|Quelle Bild|Grafik|Titelbild)\s*:\s*\S")
_CAPTION_SPLIT = re.compile(r"\s*\(\s*©.*$|\s*©.*$")
_STANDALONE = re.compile(
    r"^\s*(?:Anbieter zum Thema|Anzeige|Werbung|Bildergalerie(?: mit \d+ Bildern)?|Zur Bildergalerie|"
    r"Lesen Sie auch:?|Mehr zum Thema:?|Weitere Artikel:?|Das könnte Sie auch interessieren:?|"
    r"Artikel teilen|Teilen|Drucken|Empfehlen|Kommentar schreiben|Kommentare|Zum Artikel|Jetzt lesen|"
    r"Bildrechte|Alle Bilder)\s*$",
    re.IGNORECASE,
)
_CONSENT = re.compile(
    r"Newsletter|Einwilligung|Datenschutzerklärung|Datenschutzhinweis|Nutzungsbedingungen|Aufklappen für Details|"
    r"Marketingzwecken|Werbepartner|Cookie|jederzeit widerrufen|abonnieren|registrieren Sie sich",
    re.IGNORECASE,
)
_TEASER_WORDS = 20


def decode(raw: bytes, name: str) -> str:
    """The text of an article file: UTF-8 (a BOM is dropped), newlines normalised; refuses empty or binary."""
    if not raw.strip():
        raise InputError(f"{name} is empty: expected the text of an article (UTF-8)")
    if b"\x00" in raw:
        raise InputError(f"{name} is a binary file (it contains NUL bytes): expected the text of an article (UTF-8)")
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as err:
        line = raw[: err.start].count(b"\n") + 1
        raise InputError(
            f"{name} line {line}: not UTF-8 (byte 0x{raw[err.start]:02x} at offset {err.start}): save the text as UTF-8"
        ) from None
    text = text.removeprefix("\ufeff").replace("\r\n", "\n").replace("\r", "\n")
    bad = re.search(r"[\x01-\x08\x0b\x0c\x0e-\x1f\x7f]", text)
    if bad:
        line = text[: bad.start()].count("\n") + 1
        raise InputError(
            f"{name} line {line}: control character U+{ord(bad.group()):04X}: expected plain text (is it binary?)"
        )
    if not text.strip():
        raise InputError(f"{name} holds only whitespace: expected the text of an article")
    return text


def _blocks(lines: list[str]) -> list[list[int]]:
    """Indices of the lines of each block (a run of non-empty lines)."""
    blocks: list[list[int]] = []
    current: list[int] = []
    for i, line in enumerate(lines):
        if line.strip():
            current.append(i)
        elif current:
            blocks.append(current)
            current = []
    if current:
        blocks.append(current)
    return blocks


def clean(text: str) -> Cleaned:
    """Remove page furniture line by line; report each removal with its line number in ``text``."""
    lines = text.split("\n")
    kept = list(lines)
    removed: dict[int, Removal] = {}
    identifier: str | None = None

    def drop(i: int, kind: str) -> None:
        if i not in removed or removed[i].kind == "reading time":
            removed[i] = Removal(i + 1, kind, lines[i].strip())
            kept[i] = ""

    for block in _blocks(lines):
        captions = set()
        for i in block:
            if _CREDIT.search(lines[i]):
                caption = _CAPTION_SPLIT.sub("", lines[i]).strip()
                if caption and not re.match(r"^(Bild|Foto|Fotos|Bildquelle|Grafik|Titelbild)\s*:", caption):
                    captions.add(caption)
                drop(i, "image credit")
        for i in block:
            if i not in removed and lines[i].strip() in captions:
                drop(i, "image caption")
    for i, line in enumerate(lines):
        if i in removed:
            continue
        tail = _READING_TIME.search(line)
        if tail:
            removed[i] = Removal(i + 1, "reading time", tail.group().strip())
            line = kept[i] = line[: tail.start()].rstrip()
            if not line.strip():
                continue
        match = _ARTICLE_ID.match(line)
        if match:
            identifier = identifier or match.group(1)
            drop(i, "article id")
        elif _STANDALONE.match(line):
            drop(i, "page element")
        elif _CONSENT.search(line) and _looks_like_furniture(line):
            drop(i, "newsletter or consent")
    _drop_teasers(lines, kept, removed)
    return Cleaned(_tidy(kept), tuple(removed[i] for i in sorted(removed)), identifier)


def _looks_like_furniture(line: str) -> bool:
    """A consent word in a short line, or in a paragraph that speaks to the reader about their data."""
    words = len(line.split())
    if words <= _TEASER_WORDS:
        return True
    return bool(re.search(r"\b(ich|Ihre?n?|Sie)\b", line)) and bool(
        re.search(r"Einwilligung|Datenschutz|Nutzungsbedingungen|Newsletter", line)
    )


def _drop_teasers(lines: list[str], kept: list[str], removed: dict[int, Removal]) -> None:
    """A short line between two removed newsletter lines is the newsletter's teaser."""
    newsletter = sorted(i for i, r in removed.items() if r.kind == "newsletter or consent")
    for first, second in itertools.pairwise(newsletter):
        between = [i for i in range(first + 1, second) if lines[i].strip()]
        if all(len(lines[i].split()) <= _TEASER_WORDS and not lines[i].rstrip().endswith(".") for i in between):
            for i in between:
                if i not in removed:
                    removed[i] = Removal(i + 1, "newsletter or consent", lines[i].strip())
                    kept[i] = ""


def _tidy(kept: list[str]) -> str:
    """Join the kept lines: at most one blank line in a row, none at the start or end, a final newline."""
    out: list[str] = []
    for line in kept:
        if not line.strip():
            if out and out[-1] != "":
                out.append("")
            continue
        out.append(line.rstrip())
    while out and out[-1] == "":
        out.pop()
    return "\n".join(out) + "\n" if out else ""
