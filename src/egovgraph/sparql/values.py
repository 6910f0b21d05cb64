"""--bind values and terms in SPARQL syntax: ``land:bremen``, ``<https://…>``, ``"Text"@de``, ``2025``, plain text.

Hand-written because no library parses a single SPARQL term with errors as precise as these: pyoxigraph
parses a term only inside a query (``VALUES ?x { … }``), where an unknown prefix, a blank node or a bad
escape all come back as "expected UNDEF" at a column of the wrapping query; here each says what is wrong
with the value and what to give instead, and plain text that is no term becomes a string literal.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import TYPE_CHECKING

from egovgraph.errors import QueryError
from egovgraph.sparql.tokens import PN_LOCAL, PN_PREFIX, VARNAME, pattern
from egovgraph.vocab.iris import RDF_LANGSTRING, XSD, XSD_STRING
from egovgraph.vocab.names import all_prefixes

if TYPE_CHECKING:
    import pyoxigraph

#: Prefixes declared for every query: the project's namespaces and the resource namespaces.
QUERY_PREFIXES: dict[str, str] = all_prefixes()


def unknown_prefix(prefix: str, declared: Mapping[str, str], *, where: str = "") -> str:
    import difflib

    close = difflib.get_close_matches(prefix, list(declared), n=1, cutoff=0.6)
    hint = f" — did you mean '{close[0]}:'?" if close else "."
    return (
        f"unknown prefix '{prefix}:'{where}{hint} Declared prefixes: {', '.join(sorted(declared))}; "
        f"declare others with PREFIX {prefix}: <...>"
    )


_INTEGER = r"[+-]?\d+"
_DECIMAL = r"[+-]?\d*\.\d+"
_DOUBLE = r"[+-]?(?:\d+\.?\d*|\.\d+)[eE][+-]?\d+"
_LANGTAG = r"[A-Za-z]+(?:-[A-Za-z0-9]+)*"
_PNAME = rf"({PN_PREFIX})?:({PN_LOCAL})?"
_ABSOLUTE_IRI = r"[A-Za-z][A-Za-z0-9+.\-]*://\S+"
_BAD_IRI_CHARS = r'[<>"{}|^`\\\x00-\x20]'
_ESCAPES = {"t": "\t", "b": "\b", "n": "\n", "r": "\r", "f": "\f", '"': '"', "'": "'", "\\": "\\"}
_STRING_BODY = r'(?s)"((?:[^"\\]|\\.)*)"|\'((?:[^\'\\]|\\.)*)\''


def parse_bind(option: str) -> tuple[str, str]:
    """Split ``NAME=VALUE`` (the name may start with ? or $)."""
    name, sep, value = option.partition("=")
    name = name.strip().lstrip("?$")
    if not sep or not pattern(VARNAME).fullmatch(name):
        raise QueryError(f"--bind {option!r}: expected NAME=VALUE, e.g. --bind land=land:bremen or --bind year=2025")
    return name, value


def parse_value(text: str, prefixes: Mapping[str, str] | None = None) -> pyoxigraph.NamedNode | pyoxigraph.Literal:
    """A --bind value as an RDF term: <iri>, prefix:name, "literal"@lang, "x"^^type, 12, 1.5, true, or plain text.

    Plain text that is none of these becomes a string literal, so ``--bind lang=de`` binds "de".
    """
    import pyoxigraph as ox

    prefixes = QUERY_PREFIXES if prefixes is None else prefixes
    value = text.strip()
    if value.startswith("<") and value.endswith(">") and len(value) >= 2:
        return _iri(value[1:-1], text)
    if value[:1] in ('"', "'"):
        m = pattern(_STRING_BODY).match(value)
        if m is None:
            raise QueryError(f"bind value {text!r}: the string is not closed with {value[0]}")
        body = _unescape(m.group(1) if m.group(1) is not None else m.group(2), text)
        rest = value[m.end() :]
        if not rest:
            return ox.Literal(body)
        if rest.startswith("@") and pattern(_LANGTAG).fullmatch(rest[1:]):
            return ox.Literal(body, language=rest[1:].lower())
        if rest.startswith("^^"):
            datatype = parse_value(rest[2:], prefixes)
            if not isinstance(datatype, ox.NamedNode):
                raise QueryError(f"bind value {text!r}: the datatype after ^^ must be an IRI or prefix:name")
            if datatype.value == RDF_LANGSTRING:
                raise QueryError(f"bind value {text!r}: give a language tag with @ instead of ^^rdf:langString")
            return ox.Literal(body, datatype=datatype)
        raise QueryError(f"bind value {text!r}: unexpected {rest!r} after the string (expected @lang or ^^type)")
    if value in ("true", "false"):
        return ox.Literal(value, datatype=ox.NamedNode(XSD + "boolean"))
    for number, xsd_type in ((_INTEGER, "integer"), (_DECIMAL, "decimal"), (_DOUBLE, "double")):
        if pattern(number).fullmatch(value):
            return ox.Literal(value, datatype=ox.NamedNode(XSD + xsd_type))
    if value.startswith("_:"):
        raise QueryError(f"bind value {text!r}: blank nodes cannot be bound; use the resource's IRI")
    m = pattern(_PNAME).fullmatch(value)
    if m and not pattern(_ABSOLUTE_IRI).fullmatch(value):
        prefix = m.group(1) or ""
        if prefix not in prefixes:
            raise QueryError(f"bind value {text!r}: " + unknown_prefix(prefix, prefixes))
        local = re.sub(r"\\(.)", r"\1", m.group(2) or "")
        return _iri(prefixes[prefix] + local, text)
    if pattern(_ABSOLUTE_IRI).fullmatch(value):
        return _iri(value, text)
    return ox.Literal(text)


def _iri(value: str, original: str) -> pyoxigraph.NamedNode:
    import pyoxigraph as ox

    bad = pattern(_BAD_IRI_CHARS).search(value)
    if bad or ":" not in value:
        why = f"it contains {bad.group()!r}" if bad else "it is not absolute (no scheme such as https:)"
        raise QueryError(f"bind value {original!r}: not a valid IRI: {why}")
    try:
        return ox.NamedNode(value)
    except ValueError as err:
        raise QueryError(f"bind value {original!r}: not a valid IRI: {err}") from None


def _unescape(body: str, original: str) -> str:
    def repl(m: re.Match[str]) -> str:
        esc = m.group(1)
        if esc in _ESCAPES:
            return _ESCAPES[esc]
        if esc[0] in "uU":
            return chr(int(esc[1:], 16))
        raise QueryError(f"bind value {original!r}: unknown escape \\{esc}")

    return re.sub(r"\\(u[0-9A-Fa-f]{4}|U[0-9A-Fa-f]{8}|.)", repl, body, flags=re.DOTALL)


_ESCAPED = frozenset('\\"\n\r\t')


def escape_string(value: str) -> str:
    """A string as a double-quoted SPARQL/Turtle/N-Triples string literal body."""
    if _ESCAPED.isdisjoint(value):
        return value
    out = value.replace("\\", "\\\\").replace('"', '\\"')
    return out.replace("\n", "\\n").replace("\r", "\\r").replace("\t", "\\t")


def term_to_sparql(term: pyoxigraph.NamedNode | pyoxigraph.Literal) -> str:
    """A term in SPARQL syntax (the inverse of :func:`parse_value`)."""
    import pyoxigraph as ox

    if isinstance(term, ox.NamedNode):
        return f"<{term.value}>"
    body = f'"{escape_string(term.value)}"'
    if term.language:
        return f"{body}@{term.language}"
    if term.datatype.value == XSD_STRING:
        return body
    return f"{body}^^<{term.datatype.value}>"
