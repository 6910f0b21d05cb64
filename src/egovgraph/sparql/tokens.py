"""SPARQL text as tokens: the tokenizer the query checks and the --bind values share, and positions in a text.

A regular expression over the SPARQL 1.1 grammar's terminals (IRIs, strings, variables, prefixed names,
numbers, words); exact for what the checks look for (see :mod:`egovgraph.sparql.text`).
"""

from __future__ import annotations

import re
from functools import cache, lru_cache

PN_PREFIX = r"[^\W\d_](?:[\w.\-\u00B7]*[\w\-\u00B7])?"
_PLX = r"%[0-9A-Fa-f]{2}|\\[_~.\-!$&'()*+,;=/?#@%]"
PN_LOCAL = rf"(?:[\w:\u00B7]|{_PLX})(?:(?:[\w.:\-\u00B7]|{_PLX})*(?:[\w:\-\u00B7]|{_PLX}))?"
_TOKEN = re.compile(
    rf"""
    (?P<ws>\s+)
  | (?P<comment>\#[^\n\r]*)
  | (?P<iri><[^<>"{{}}|^`\\\x00-\x20]*>)
  | (?P<string>\"\"\"(?:(?:"|"")?(?:[^"\\]|\\.))*\"\"\"|'''(?:(?:'|'')?(?:[^'\\]|\\.))*'''
        |"(?:[^"\\\n\r]|\\.)*"|'(?:[^'\\\n\r]|\\.)*')
  | (?P<var>[?$][\w\u00B7]+)
  | (?P<bnode>_:[\w](?:[\w.\-\u00B7]*[\w\-\u00B7])?)
  | (?P<pname>(?:{PN_PREFIX})?:(?:{PN_LOCAL})?)
  | (?P<lang>@[A-Za-z]+(?:-[A-Za-z0-9]+)*)
  | (?P<number>\d+\.\d*(?:[eE][+-]?\d+)?|\.\d+(?:[eE][+-]?\d+)?|\d+(?:[eE][+-]?\d+)?)
  | (?P<word>[A-Za-z_][A-Za-z0-9_]*)
  | (?P<other>.)
    """,
    re.VERBOSE | re.DOTALL,
)
VARNAME = r"[\w\u00B7]+"


@cache
def pattern(regex: str) -> re.Pattern[str]:
    """A regular expression compiled on first use (compiling them all at import costs a millisecond)."""
    return re.compile(regex)


class Token(tuple[str, str, int]):
    """A token: its kind (a group name of the tokenizer), its text and its offset in the query."""

    __slots__ = ()

    def __new__(cls, kind: str, text: str, start: int) -> Token:
        return tuple.__new__(cls, (kind, text, start))

    @property
    def kind(self) -> str:
        return self[0]

    @property
    def text(self) -> str:
        return self[1]

    @property
    def start(self) -> int:
        return self[2]

    @property
    def upper(self) -> str:
        return self[1].upper()

    def __repr__(self) -> str:
        return f"Token(kind={self[0]!r}, text={self[1]!r}, start={self[2]!r})"


def tokenize(text: str) -> list[Token]:
    """The significant tokens of a SPARQL text (whitespace and comments dropped)."""
    return list(cached_tokens(text))


@lru_cache(maxsize=8)
def cached_tokens(text: str) -> tuple[Token, ...]:
    """:func:`tokenize`, remembered: checking and binding a query read the same text more than once."""
    new = tuple.__new__
    return tuple(
        new(Token, (m.lastgroup or "other", m.group(), m.start()))
        for m in _TOKEN.finditer(text)
        if m.lastgroup not in ("ws", "comment")
    )


def line_col(text: str, offset: int) -> tuple[int, int]:
    """1-based line and column (in characters) of an offset."""
    line = text.count("\n", 0, offset) + 1
    return line, offset - (text.rfind("\n", 0, offset) + 1) + 1


def offset_of(text: str, line: int, column: int) -> int:
    """The offset of a 1-based line and column, clamped to the text."""
    start = 0
    for _ in range(line - 1):
        nl = text.find("\n", start)
        if nl < 0:
            return len(text)
        start = nl + 1
    return min(start + column - 1, len(text))


def pointer(text: str, offset: int) -> str:
    """The line holding ``offset`` with a caret under the position, indented for an error message."""
    line_no, col = line_col(text, offset)
    line = text.split("\n")[line_no - 1].rstrip("\r")
    pad = "".join("\t" if ch == "\t" else " " for ch in line[: col - 1])
    gutter = f"{line_no} | "
    return f"  {gutter}{line}\n  {' ' * len(gutter)}{pad}^"


def position(text: str, offset: int) -> str:
    line, col = line_col(text, offset)
    return f"line {line}, column {col}"
