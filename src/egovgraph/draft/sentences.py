"""German sentence splitting that knows abbreviations, ordinals, initials and quotations.

Hand-written because the well-kept German splitters either download models (spaCy, Stanza) or, like
SoMaJo, need a compiled dependency and return tokens rather than spans of the original text; the
draft needs exact character spans, since every quote must occur verbatim in the kept text. A sentence
never ends inside a quotation („…“, “…”, »…«, "…"), so a quote and its attribution stay one sentence.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

__all__ = ["ABBREVIATIONS", "Sentence", "blocks", "split_sentences"]

#: Abbreviations (lower case, without the final period) after which a period does not end a sentence.
ABBREVIATIONS = frozenset(
    [
        "z",
        "b",
        "u",
        "a",
        "bzw",
        "ca",
        "dr",
        "prof",
        "nr",
        "abs",
        "art",
        "bspw",
        "ggf",
        "inkl",
        "evtl",
        "etc",
        "usw",
        "vgl",
        "d",
        "h",
        "o",
        "ä",
        "i",
        "d",
        "r",
        "s",
        "o",
        "ff",
        "f",
        "jh",
        "mio",
        "mrd",
        "tsd",
        "st",
        "str",
        "hr",
        "fr",
        "frau",
        "herr",
        "dipl",
        "ing",
        "mag",
        "med",
        "rer",
        "nat",
        "phil",
        "jur",
        "techn",
        "min",
        "max",
        "sog",
        "geb",
        "gegr",
        "ehem",
        "jan",
        "feb",
        "mär",
        "apr",
        "jun",
        "jul",
        "aug",
        "sep",
        "sept",
        "okt",
        "nov",
        "dez",
        "mo",
        "di",
        "mi",
        "do",
        "sa",
        "so",
        "zzgl",
        "inkl",
        "abb",
        "tab",
        "kap",
        "bd",
        "hrsg",
        "vs",
        "ebd",
        "u.a",
        "z.b",
        "d.h",
        "u.ä",
        "o.ä",
        "i.d.r",
        "v.a",
        "s.u",
        "s.o",
        "bzw.",
        "insb",
        "zb",
        "ua",
        "dh",
        "ggfs",
        "sen",
        "min.-präs",
        "mdl",
        "mdb",
        "mdep",
    ]
)
#: The German month names (the one list of the draft tool: dates, ordinals, time phrases).
MONTHS = (
    "Januar", "Februar", "März", "April", "Mai", "Juni",
    "Juli", "August", "September", "Oktober", "November", "Dezember",
)  # fmt: skip
#: Words after an ordinal ("1. Januar", "2. Quartal") that keep it inside the sentence.
_AFTER_ORDINAL = frozenset(
    (*MONTHS, "Quartal", "Halbjahr", "Mal", "Jahrhundert", "Jahrestag", "Platz", "Stelle", "Teil", "Kapitel",
     "Legislaturperiode", "Sitzung")
)  # fmt: skip
_OPEN_CLOSE = {"„": "“”", "“": "”", "»": "«", "«": "»", "‚": "‘’", "›": "‹", '"': '"'}
_END = re.compile(r"[.!?…]+")
_CLOSERS = "“”»«\"'‘’›‹)]"


@dataclass(frozen=True)
class Sentence:
    """A sentence as a span of the text; ``block`` counts the blocks (paragraphs, headings) from 0."""

    start: int
    end: int
    text: str
    block: int


def blocks(text: str) -> list[tuple[int, int]]:
    """Spans of the blocks of a text: runs of non-empty lines separated by blank lines. A line ending a
    sentence, or a short line without final punctuation (a heading), also ends a block, so a text pasted
    with single line breaks between its paragraphs keeps them; a line broken inside a sentence does not."""
    spans: list[tuple[int, int]] = []
    for match in re.finditer(r"[^\n]*\S[^\n]*(?:\n[^\n]*\S[^\n]*)*", text):
        start = match.start() + (len(match.group()) - len(match.group().lstrip()))
        end = match.start() + len(match.group().rstrip())
        current = start
        lines = list(re.finditer(r"[^\n]+", text[start:end]))
        for number, line in enumerate(lines):
            piece = line.group().rstrip()
            following = lines[number + 1].group().lstrip() if number + 1 < len(lines) else ""
            heading = (
                len(piece.split()) <= 6
                and start + line.start() == current  # a line of its own, not the end of a broken sentence
                and not piece.endswith(",")
                and following[:1].isupper()
            )
            ends_block = bool(re.search(r"[.!?…:“”\"»«)]$", piece)) or heading
            if line.end() == end - start or ends_block:
                stop = start + line.start() + len(piece)
                spans.append((current, stop))
                current = start + line.end()
                while current < end and text[current].isspace():
                    current += 1
        if current < end:
            spans.append((current, end))
    return [(s, e) for s, e in spans if text[s:e].strip()]


def _quote_depths(segment: str) -> list[int]:
    """Nesting depth of quotation marks before each character; all zeros if the quotes do not balance."""
    depths: list[int] = []
    stack: list[str] = []
    for i, ch in enumerate(segment):
        depths.append(len(stack))
        if stack and ch in stack[-1]:
            if ch == '"' and i + 1 < len(segment) and segment[i + 1].isalnum():
                stack.append(_OPEN_CLOSE[ch])  # a straight quote directly before a word opens
                continue
            stack.pop()
        elif ch in _OPEN_CLOSE and ch not in "‚'":
            if ch in "“«" and not (i + 1 < len(segment) and segment[i + 1].isalnum()):
                continue  # a closing mark without an opener
            stack.append(_OPEN_CLOSE[ch])
        elif ch == "‚" and i + 1 < len(segment) and segment[i + 1].isalnum():
            stack.append(_OPEN_CLOSE[ch])
    return depths if not stack else [0] * len(segment)


def _is_boundary(segment: str, end: int, punct: str) -> bool:
    """Whether the punctuation ending at ``end`` (exclusive) ends a sentence."""
    if end >= len(segment):
        return True
    if not segment[end].isspace():
        return False
    rest = segment[end:].lstrip()
    if not rest:
        return True
    nxt = rest[0]
    if not (nxt.isupper() or nxt.isdigit() or nxt in '„“"»«‚(–-'):
        return False
    if punct != ".":
        return True
    before = segment[: end - 1]
    word = re.search(r"([\w.]+)$", before)
    token = word.group(1) if word else ""
    if not token:
        return True
    if token.lower().rstrip(".") in ABBREVIATIONS:
        return False
    if len(token) == 1 and token.isalpha() and token.isupper():
        return False  # an initial: "A. Müller"
    if token.isdigit() and len(token) <= 3:
        next_word = re.match(r"[\w-]+", rest)
        if next_word and (next_word.group() in _AFTER_ORDINAL or next_word.group()[0].islower()):
            return False  # an ordinal: "am 1. Januar", "der 3. Teil"
    return True


def _split_block(text: str, start: int, end: int, block: int) -> list[Sentence]:
    segment = text[start:end]
    depths = _quote_depths(segment)
    out: list[Sentence] = []
    begin = 0
    for match in _END.finditer(segment):
        stop = match.end()
        while stop < len(segment) and segment[stop] in _CLOSERS:
            stop += 1
        if stop < len(segment) and depths[stop] > 0:
            continue  # inside a quotation
        if not _is_boundary(segment, stop, match.group()[-1]):
            continue
        piece = segment[begin:stop]
        if piece.strip():
            lead = len(piece) - len(piece.lstrip())
            out.append(Sentence(start + begin + lead, start + stop, piece.strip(), block))
        begin = stop
    piece = segment[begin:]
    if piece.strip():
        lead = len(piece) - len(piece.lstrip())
        s = start + begin + lead
        out.append(Sentence(s, s + len(piece.strip()), piece.strip(), block))
    return out


def split_sentences(text: str) -> list[Sentence]:
    """The sentences of a text in order; together they cover every non-space character exactly once."""
    out: list[Sentence] = []
    for number, (start, end) in enumerate(blocks(text)):
        out.extend(_split_block(text, start, end, number))
    return out
