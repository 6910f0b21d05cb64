"""SPARQL as text, before any engine sees it: tokens, declared prefixes, refusals, --bind values, errors.

The safety checks work on the token stream of the query, which is exact for what they look for:
SERVICE, FROM, LOAD and the update operations are reserved words of the SPARQL grammar, so a bare word
token with one of these names *is* that construct (or a syntax error), while the same letters inside
a string, an IRI, a comment, a variable or a prefixed name (``service:wohngeld-online``) are not.
This costs microseconds, where rdflib's parser would add a third of a second to every command; the
tests check these decisions against rdflib's parsed algebra. Nothing here imports rdflib.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, field
from functools import cache, lru_cache

from egovgraph.defaults import MAX_NESTING
from egovgraph.errors import InputError, QueryError, QueryRefused
from egovgraph.vocab.names import all_prefixes

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Iterable, Mapping

    import pyoxigraph

#: Prefixes declared for every query: the project's namespaces and the resource namespaces.
QUERY_PREFIXES: dict[str, str] = all_prefixes()

XSD = "http://www.w3.org/2001/XMLSchema#"
XSD_STRING = XSD + "string"
RDF_LANGSTRING = "http://www.w3.org/1999/02/22-rdf-syntax-ns#langString"

QUERY_FORMS = ("SELECT", "CONSTRUCT", "DESCRIBE", "ASK")
UPDATE_WORDS = frozenset({"INSERT", "DELETE", "CLEAR", "DROP", "CREATE", "ADD", "MOVE", "COPY", "WITH", "USING"})

_PN_PREFIX = r"[^\W\d_](?:[\w.\-\u00B7]*[\w\-\u00B7])?"
_PLX = r"%[0-9A-Fa-f]{2}|\\[_~.\-!$&'()*+,;=/?#@%]"
_PN_LOCAL = rf"(?:[\w:\u00B7]|{_PLX})(?:(?:[\w.:\-\u00B7]|{_PLX})*(?:[\w:\-\u00B7]|{_PLX}))?"
_TOKEN = re.compile(
    rf"""
    (?P<ws>\s+)
  | (?P<comment>\#[^\n\r]*)
  | (?P<iri><[^<>"{{}}|^`\\\x00-\x20]*>)
  | (?P<string>\"\"\"(?:(?:"|"")?(?:[^"\\]|\\.))*\"\"\"|'''(?:(?:'|'')?(?:[^'\\]|\\.))*'''
        |"(?:[^"\\\n\r]|\\.)*"|'(?:[^'\\\n\r]|\\.)*')
  | (?P<var>[?$][\w\u00B7]+)
  | (?P<bnode>_:[\w](?:[\w.\-\u00B7]*[\w\-\u00B7])?)
  | (?P<pname>(?:{_PN_PREFIX})?:(?:{_PN_LOCAL})?)
  | (?P<lang>@[A-Za-z]+(?:-[A-Za-z0-9]+)*)
  | (?P<number>\d+\.\d*(?:[eE][+-]?\d+)?|\.\d+(?:[eE][+-]?\d+)?|\d+(?:[eE][+-]?\d+)?)
  | (?P<word>[A-Za-z_][A-Za-z0-9_]*)
  | (?P<other>.)
    """,
    re.VERBOSE | re.DOTALL,
)
_VARNAME = r"[\w\u00B7]+"


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
    return list(_tokens(text))


@lru_cache(maxsize=8)
def _tokens(text: str) -> tuple[Token, ...]:
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


def _where(text: str, offset: int) -> str:
    line, col = line_col(text, offset)
    return f"line {line}, column {col}"


@dataclass(frozen=True)
class Binding:
    """A variable bound before evaluation: its name, the term and the term in SPARQL syntax."""

    name: str
    term: pyoxigraph.NamedNode | pyoxigraph.Literal
    sparql: str


@dataclass(frozen=True)
class QueryText:
    """A checked query: its form, variables and declared prefixes, ready for an engine."""

    original: str
    form: str
    variables: frozenset[str]
    prefixes: Mapping[str, str]
    bindings: tuple[Binding, ...] = ()
    text: str = ""
    inserted_at: int = -1
    inserted: str = field(default="", repr=False)
    #: The graphs the query names with FROM / FROM NAMED: (IRI, offset in ``original``), in order.
    from_graphs: tuple[tuple[str, int], ...] = ()

    def original_offset(self, offset: int) -> int:
        """Map an offset in ``text`` (with injected bindings) back to the user's ``original``."""
        if self.inserted_at < 0 or offset < self.inserted_at:
            return offset
        return max(self.inserted_at, offset - len(self.inserted))


def check(text: str, extra_prefixes: Mapping[str, str] | None = None) -> QueryText:
    """Tokenise a query, refuse what it must not do and check its prefixes; no engine involved."""
    if not text.strip():
        raise QueryError("the query is empty: give a SPARQL query, e.g. 'SELECT * WHERE { ?s ?p ?o } LIMIT 10'")
    tokens = _tokens(text)
    _refuse(text, tokens)
    _balanced(text, tokens)
    declared = dict(QUERY_PREFIXES if extra_prefixes is None else {**QUERY_PREFIXES, **extra_prefixes})
    # One pass over plain tuples (kind, text, start): this runs for every request the server gets.
    words: list[str] = []
    used: list[tuple[str, int]] = []
    variables_seen: set[str] = set()
    after_prefix = False
    count = len(tokens)
    for i, (kind, tok_text, start) in enumerate(tokens):
        if kind == "word":
            word = tok_text.upper()
            words.append(word)
            if word == "PREFIX":
                if i + 2 < count and tokens[i + 1][0] == "pname":
                    declared[tokens[i + 1][1][:-1]] = tokens[i + 2][1][1:-1]
                after_prefix = True
                continue
        elif kind == "pname" and not after_prefix:
            used.append((tok_text.split(":", 1)[0], start))
        elif kind == "var":
            variables_seen.add(tok_text[1:])
        after_prefix = False
    for prefix, start in used:
        if prefix not in declared:
            raise QueryError(
                _unknown_prefix(prefix, declared, where=f" at {_where(text, start)}") + "\n" + pointer(text, start)
            )
    from_graphs = _from_graphs(text, tokens, declared) if "FROM" in words else ()
    form = next((w for w in words if w in QUERY_FORMS), "")
    variables = frozenset(variables_seen)
    return QueryText(
        original=text, form=form, variables=variables, prefixes=declared, text=text, from_graphs=from_graphs
    )


def _from_refused(text: str, offset: int) -> QueryRefused:
    return QueryRefused(
        f"FROM / FROM NAMED is refused ({_where(text, offset)}): queries never load graphs from the web or "
        "the file system. Every source is already loaded as a named graph; restrict a pattern "
        "to one with GRAPH <https://w3id.org/egovgraph/graph/NAME> { ... }.\n" + pointer(text, offset)
    )


def _from_graphs(text: str, tokens: tuple[Token, ...], declared: Mapping[str, str]) -> tuple[tuple[str, int], ...]:
    """The IRIs after FROM and FROM NAMED; a FROM followed by anything but a named graph's IRI is refused."""
    found = []
    for i, tok in enumerate(tokens):
        if tok.kind != "word" or tok.upper != "FROM":
            continue
        j = i + 2 if i + 1 < len(tokens) and tokens[i + 1].upper == "NAMED" else i + 1
        target = tokens[j] if j < len(tokens) else None
        iri = None
        if target is not None and target.kind == "iri":
            iri = target.text[1:-1]
        elif target is not None and target.kind == "pname" and target.text.split(":", 1)[0] in declared:
            prefix, local = target.text.split(":", 1)
            iri = declared[prefix] + local
        if iri is None or not pattern(_GRAPH_IRI).fullmatch(iri):
            raise _from_refused(text, tok.start)
        found.append((iri, tok.start))
    return tuple(found)


#: The shape of the build's named graphs (``BASE graph/NAME``): only such IRIs may follow FROM, and only
#: those the store has (:func:`check_graphs`, where the graphs are known).
_GRAPH_IRI = r"https?://[^/?#\s]+/(?:[^?#\s]*/)?graph/[\w.\-]+"


def check_graphs(query: QueryText, graphs: Iterable[str]) -> None:
    """Allow FROM / FROM NAMED for the local named ``graphs`` only; any other IRI is refused (never loaded)."""
    local = set(graphs)
    for iri, offset in query.from_graphs:
        if iri not in local:
            raise _from_refused(query.original, offset)


def _refuse(text: str, tokens: Iterable[Token]) -> None:
    for kind, tok_text, start in tokens:
        if kind != "word":
            continue
        word = tok_text.upper()
        if word not in _REFUSED_WORDS:
            continue
        where = _where(text, start)
        if word == "SERVICE":
            reason = (
                f"SERVICE is refused ({where}): queries never reach the network. "
                "Remove the SERVICE block and query the local graph."
            )
        elif word == "LOAD":
            reason = (
                f"LOAD is refused ({where}): queries never read files or the network, and egovgraph query is read-only."
            )
        elif word in UPDATE_WORDS:
            reason = (
                f"updates are refused ({word} at {where}): egovgraph query is read-only. "
                "Change the data in data/sources/*.ttl and rebuild instead."
            )
        else:
            continue
        raise QueryRefused(reason + "\n" + pointer(text, start))


_REFUSED_WORDS = UPDATE_WORDS | {"SERVICE", "LOAD"}


_CLOSING = {"(": ")", "{": "}", "[": "]"}


def _balanced(text: str, tokens: Iterable[Token]) -> None:
    """Unbalanced brackets, found exactly on tokens (the engine reports them far from where they are)."""
    stack: list[Token] = []
    for tok in tokens:
        if tok.kind != "other":
            continue
        if tok.text in _CLOSING:
            stack.append(tok)
            if len(stack) > MAX_NESTING:
                raise QueryError(
                    f"the query nests brackets deeper than the limit of {MAX_NESTING} levels (at "
                    f"{_where(text, tok.start)}): write it flatter — the engine cannot evaluate deeper nesting "
                    "safely\n" + pointer(text, tok.start)
                )
        elif tok.text in _CLOSING.values():
            if not stack:
                raise QueryError(
                    f"syntax error at {_where(text, tok.start)}: '{tok.text}' closes nothing\n"
                    + pointer(text, tok.start)
                )
            opened = stack.pop()
            if _CLOSING[opened.text] != tok.text:
                raise QueryError(
                    f"syntax error at {_where(text, tok.start)}: expected '{_CLOSING[opened.text]}' to close the "
                    f"'{opened.text}' opened at {_where(text, opened.start)}, found '{tok.text}'\n"
                    + pointer(text, tok.start)
                )
    if stack:
        opened = stack[-1]
        raise QueryError(
            f"syntax error at {_where(text, opened.start)}: '{opened.text}' is never closed "
            f"(expected '{_CLOSING[opened.text]}')\n" + pointer(text, opened.start)
        )


def _unknown_prefix(prefix: str, declared: Mapping[str, str], *, where: str = "") -> str:
    import difflib

    close = difflib.get_close_matches(prefix, list(declared), n=1, cutoff=0.6)
    hint = f" — did you mean '{close[0]}:'?" if close else "."
    return (
        f"unknown prefix '{prefix}:'{where}{hint} Declared prefixes: {', '.join(sorted(declared))}; "
        f"declare others with PREFIX {prefix}: <...>"
    )


def bind(query: QueryText, values: Mapping[str, pyoxigraph.NamedNode | pyoxigraph.Literal]) -> QueryText:
    """Bind variables by joining a VALUES row at the start of the query's WHERE group."""
    if not values:
        return query
    bindings = []
    for name, term in values.items():
        if name not in query.variables:
            import difflib

            have = ", ".join(f"?{v}" for v in sorted(query.variables)) or "none"
            close = difflib.get_close_matches(name, list(query.variables), n=1, cutoff=0.6)
            hint = f" — did you mean ?{close[0]}?" if close else ""
            raise QueryError(f"--bind {name}: the query has no variable ?{name}{hint} (its variables: {have})")
        bindings.append(Binding(name, term, term_to_sparql(term)))
    at = _where_group(query)
    values_clause = (
        " VALUES (" + " ".join(f"?{b.name}" for b in bindings) + ") { (" + " ".join(b.sparql for b in bindings) + ") } "
    )
    text = query.original[: at + 1] + values_clause + query.original[at + 1 :]
    bound = QueryText(
        original=query.original,
        form=query.form,
        variables=query.variables,
        prefixes=query.prefixes,
        bindings=tuple(bindings),
        text=text,
        inserted_at=at + 1,
        inserted=values_clause,
    )
    return QueryText(
        bound.original,
        bound.form,
        bound.variables,
        bound.prefixes,
        bound.bindings,
        constant_filters(bound),
        bound.inserted_at,
        bound.inserted,
        query.from_graphs,
    )


def constant_filters(prepared: QueryText) -> str:
    """The query text with bound variables written as constants inside FILTER expressions.

    Virtuoso does not let a FILTER inside OPTIONAL see a variable bound outside it (the VALUES row
    that ``--bind`` adds), so ``OPTIONAL { ?x rdfs:label ?l FILTER(LANG(?l) = ?lang) }`` would never
    match. The VALUES row stays (for projections); writing the constant into the filter is equivalent
    under standard semantics, so every engine gets the same text. ``BOUND(?var)`` is left alone.
    """
    constants = {b.name: b.sparql for b in prepared.bindings}
    if not constants:
        return prepared.text
    text = prepared.text
    tokens = _tokens(text)
    edits: list[tuple[int, int, str]] = []
    depth, inside = 0, False
    for i, tok in enumerate(tokens):
        if not inside:
            if tok.kind == "word" and tok.upper == "FILTER":
                inside, depth = True, 0
            continue
        if tok.text in ("(", "{"):
            depth += 1
        elif tok.text in (")", "}"):
            depth -= 1
            if depth <= 0:
                inside = False
        elif (
            tok.kind == "var"
            and tok.text[1:] in constants
            and tok.start >= prepared.inserted_at + len(prepared.inserted)
            and not (i >= 2 and tokens[i - 2].upper == "BOUND")
        ):
            edits.append((tok.start, tok.start + len(tok.text), constants[tok.text[1:]]))
    for start, end, value in reversed(edits):
        text = text[:start] + value + text[end:]
    return text


def _where_group(query: QueryText) -> int:
    """The offset of the '{' that opens the query's outermost WHERE group."""
    tokens = _tokens(query.original)
    start = next((i for i, t in enumerate(tokens) if t.kind == "word" and t.upper == query.form), None)
    if start is None:
        raise QueryError("--bind needs a SELECT, CONSTRUCT, DESCRIBE or ASK query")
    i = start + 1
    if query.form == "CONSTRUCT":
        if i < len(tokens) and tokens[i].kind == "word" and tokens[i].upper == "WHERE":
            raise QueryError(
                "--bind cannot be used with the short form CONSTRUCT WHERE { ... }: "
                "write CONSTRUCT { template } WHERE { pattern }"
            )
        depth = 0
        for j in range(i, len(tokens)):  # skip the template
            if tokens[j].text == "{":
                depth += 1
            elif tokens[j].text == "}":
                depth -= 1
                if depth == 0:
                    i = j + 1
                    break
    parens = 0
    for tok in tokens[i:]:
        if tok.text == "(":
            parens += 1
        elif tok.text == ")":
            parens -= 1
        elif tok.text == "{" and parens == 0:
            return tok.start
    raise QueryError(f"--bind needs a WHERE {{ ... }} clause to bind in; this {query.form} query has none")


# --------------------------------------------------------------------------- --bind values

_INTEGER = r"[+-]?\d+"
_DECIMAL = r"[+-]?\d*\.\d+"
_DOUBLE = r"[+-]?(?:\d+\.?\d*|\.\d+)[eE][+-]?\d+"
_LANGTAG = r"[A-Za-z]+(?:-[A-Za-z0-9]+)*"
_PNAME = rf"({_PN_PREFIX})?:({_PN_LOCAL})?"
_ABSOLUTE_IRI = r"[A-Za-z][A-Za-z0-9+.\-]*://\S+"
_BAD_IRI_CHARS = r'[<>"{}|^`\\\x00-\x20]'
_ESCAPES = {"t": "\t", "b": "\b", "n": "\n", "r": "\r", "f": "\f", '"': '"', "'": "'", "\\": "\\"}
_STRING_BODY = r'(?s)"((?:[^"\\]|\\.)*)"|\'((?:[^\'\\]|\\.)*)\''


def parse_bind(option: str) -> tuple[str, str]:
    """Split ``NAME=VALUE`` (the name may start with ? or $)."""
    name, sep, value = option.partition("=")
    name = name.strip().lstrip("?$")
    if not sep or not pattern(_VARNAME).fullmatch(name):
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
            raise QueryError(f"bind value {text!r}: " + _unknown_prefix(prefix, prefixes))
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


# --------------------------------------------------------------------------- engine syntax errors

_ENGINE_ERROR = r"(?s)error at (\d+):(\d+): (.*)"


def syntax_error(query: QueryText, message: str) -> QueryError:
    """Turn the engine's "error at L:C: expected ..." into line, column, caret and a readable expectation."""
    m = pattern(_ENGINE_ERROR).match(message.strip())
    if m is None:
        return QueryError(f"the query is not valid SPARQL: {message.strip()}")
    offset = query.original_offset(offset_of(query.text, int(m.group(1)), int(m.group(2))))
    detail = _expected(m.group(3))
    return QueryError(f"syntax error at {_where(query.original, offset)}: {detail}\n" + pointer(query.original, offset))


def _expected(raw: str) -> str:
    raw = raw.strip()
    if not raw.startswith("expected"):
        return raw
    items = _split_expected(raw.removeprefix("expected one of").removeprefix("expected").strip())
    sentences = [i for i in items if " " in i and not i.startswith(("'", '"', "["))]
    if sentences:
        return "; ".join(dict.fromkeys(sentences))
    readable = [i for i in items if not i.startswith("[")]
    if not readable:
        return "unexpected text here"
    shown = readable[:12]
    more = f" (or {len(readable) - len(shown)} more)" if len(readable) > len(shown) else ""
    return "expected " + (shown[0] if len(shown) == 1 else "one of " + ", ".join(shown)) + more


def _split_expected(raw: str) -> list[str]:
    """Split the engine's comma-separated expectation list, keeping bracketed character classes whole."""
    items, depth, quote, current = [], 0, "", []
    for ch in raw:
        if quote:
            current.append(ch)
            if ch == quote:
                quote = ""
            continue
        if ch in "\"'":
            quote = ch
        elif ch == "[":
            depth += 1
        elif ch == "]":
            depth -= 1
        elif ch == "," and depth == 0:
            items.append("".join(current).strip())
            current = []
            continue
        current.append(ch)
    items.append("".join(current).strip())
    return [i for i in items if i]


def read_query_file(path: str | os.PathLike[str]) -> str:
    """The text of a query file ('-' for standard input); a clear InputError when it cannot be read."""
    import sys

    from egovgraph.stores.oxigraph import _shown

    if os.fspath(path) == "-":
        return sys.stdin.read()
    try:
        with open(path, encoding="utf-8") as handle:
            return handle.read()
    except FileNotFoundError:
        raise InputError(f"query file {_shown(path)} does not exist") from None
    except UnicodeDecodeError:
        raise InputError(f"query file {_shown(path)} is not UTF-8 text") from None
    except OSError as err:
        raise InputError(f"cannot read query file {_shown(path)}: {err.strerror}") from None
