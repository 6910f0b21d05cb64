"""The named query library: ``queries/*.rq`` shipped in the package, each with a description and parameters.

A file starts with comment lines::

    # description: What the query answers, in one line.
    # param: land — the Land, e.g. land:bremen (optional)
    # param: lang — label language (default "de")

Parameters are variables of the query, bound with ``--bind NAME=VALUE`` (same value syntax); a
parameter marked ``(optional)`` is left unbound unless given, one with ``(default VALUE)`` is bound
to VALUE unless given.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from functools import cache

from egovgraph.errors import EgovGraphError, UnknownNamedQuery

TYPE_CHECKING = False
if TYPE_CHECKING:
    from pathlib import Path

_QUERY_DIR = os.path.join(os.path.dirname(os.path.realpath(__file__)), "queries")
_PARAM = r"(?P<name>\w+)\s*(?:—|–|--|-|:)\s*(?P<meaning>.*?)\s*\((?:default\s+(?P<default>.+)|optional)\)\s*$"


def __getattr__(name: str) -> Path:
    if name == "QUERY_DIR":  # where the named queries live (shipped inside the package by the wheel)
        from pathlib import Path

        return Path(_QUERY_DIR)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


@dataclass(frozen=True)
class Param:
    name: str
    meaning: str
    default: str | None = None

    def describe(self) -> str:
        when = f"default {self.default}" if self.default is not None else "optional"
        return f"{self.name} — {self.meaning} ({when})"


@dataclass(frozen=True)
class NamedQuery:
    name: str
    description: str
    params: tuple[Param, ...]
    text: str

    def defaults(self) -> dict[str, str]:
        """The parameters bound unless given, with their values in --bind syntax."""
        return {p.name: p.default for p in self.params if p.default is not None}

    def param(self, name: str) -> Param | None:
        return next((p for p in self.params if p.name == name), None)


def parse_named_query(name: str, text: str) -> NamedQuery:
    """Read the header comments of a named query file."""
    description = ""
    params: list[Param] = []
    for raw in text.splitlines():
        line = raw.strip()
        if not line.startswith("#"):
            if line:
                break
            continue
        body = line.lstrip("#").strip()
        key, sep, value = body.partition(":")
        if sep and key.strip() == "description":
            description = value.strip()
        elif sep and key.strip() == "param":
            m = re.match(_PARAM, value.strip())
            if m is None:
                raise EgovGraphError(
                    f"queries/{name}.rq: cannot read the parameter line {raw.strip()!r}: expected "
                    "'# param: NAME — meaning (default VALUE)' or '# param: NAME — meaning (optional)'"
                )
            params.append(Param(m["name"], m["meaning"], m["default"].strip() if m["default"] else None))
    if not description:
        raise EgovGraphError(f"queries/{name}.rq has no '# description: ...' line")
    return NamedQuery(name, description, tuple(params), text)


@cache
def named_queries() -> tuple[NamedQuery, ...]:
    """Every named query shipped with egovgraph, sorted by name."""
    found = [_read(name[:-3]) for name in os.listdir(_QUERY_DIR) if name.endswith(".rq")]
    return tuple(sorted(found, key=lambda q: q.name))


def _read(name: str) -> NamedQuery:
    with open(os.path.join(_QUERY_DIR, name + ".rq"), encoding="utf-8") as handle:
        return parse_named_query(name, handle.read())


def named_query(name: str) -> NamedQuery:
    """The named query ``name``, or an error suggesting the closest names."""
    if named_queries.cache_info().currsize == 0 and name + ".rq" in os.listdir(_QUERY_DIR):
        return _read(name)  # one file to read and parse, not the whole library
    library = {q.name: q for q in named_queries()}
    if name in library:
        return library[name]
    import difflib

    close = difflib.get_close_matches(name, list(library), n=3, cutoff=0.5)
    close += [n for n in library if name and name in n and n not in close][: 3 - len(close)]
    hint = f" — did you mean {' or '.join(repr(c) for c in close)}?" if close else ""
    raise UnknownNamedQuery(f"unknown named query {name!r}{hint} (egovgraph queries lists all {len(library)})")
