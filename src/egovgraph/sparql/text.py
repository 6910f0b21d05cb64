"""SPARQL as text, before any engine sees it: declared prefixes, refusals, bound values, syntax errors.

The safety checks work on the token stream of the query, which is exact for what they look for:
SERVICE, FROM, LOAD and the update operations are reserved words of the SPARQL grammar, so a bare word
token with one of these names *is* that construct (or a syntax error), while the same letters inside
a string, an IRI, a comment, a variable or a prefixed name (``service:wohngeld-online``) are not.
This costs microseconds, where rdflib's parser would add a third of a second to every command; the
tests check these decisions against rdflib's parsed algebra. Nothing here imports rdflib.
"""

from __future__ import annotations

import os
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

from egovgraph.defaults import MAX_NESTING
from egovgraph.errors import InputError, QueryError, QueryRefused
from egovgraph.sparql.tokens import Token, cached_tokens, offset_of, pattern, pointer, position
from egovgraph.sparql.values import (
    QUERY_PREFIXES,
    term_to_sparql,
    unknown_prefix,
)

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Iterable, Mapping

    import pyoxigraph

QUERY_FORMS = ("SELECT", "CONSTRUCT", "DESCRIBE", "ASK")
UPDATE_WORDS = frozenset({"INSERT", "DELETE", "CLEAR", "DROP", "CREATE", "ADD", "MOVE", "COPY", "WITH", "USING"})


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
    tokens = cached_tokens(text)
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
                unknown_prefix(prefix, declared, where=f" at {position(text, start)}") + "\n" + pointer(text, start)
            )
    from_graphs = _from_graphs(text, tokens, declared) if "FROM" in words else ()
    form = next((w for w in words if w in QUERY_FORMS), "")
    variables = frozenset(variables_seen)
    return QueryText(
        original=text, form=form, variables=variables, prefixes=declared, text=text, from_graphs=from_graphs
    )


def _from_refused(text: str, offset: int) -> QueryRefused:
    return QueryRefused(
        f"FROM / FROM NAMED is refused ({position(text, offset)}): queries never load graphs from the web or "
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
        where = position(text, start)
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
                    f"{position(text, tok.start)}): write it flatter — the engine cannot evaluate deeper nesting "
                    "safely\n" + pointer(text, tok.start)
                )
        elif tok.text in _CLOSING.values():
            if not stack:
                raise QueryError(
                    f"syntax error at {position(text, tok.start)}: '{tok.text}' closes nothing\n"
                    + pointer(text, tok.start)
                )
            opened = stack.pop()
            if _CLOSING[opened.text] != tok.text:
                raise QueryError(
                    f"syntax error at {position(text, tok.start)}: expected '{_CLOSING[opened.text]}' to close the "
                    f"'{opened.text}' opened at {position(text, opened.start)}, found '{tok.text}'\n"
                    + pointer(text, tok.start)
                )
    if stack:
        opened = stack[-1]
        raise QueryError(
            f"syntax error at {position(text, opened.start)}: '{opened.text}' is never closed "
            f"(expected '{_CLOSING[opened.text]}')\n" + pointer(text, opened.start)
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
    tokens = cached_tokens(text)
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
    tokens = cached_tokens(query.original)
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


# --------------------------------------------------------------------------- engine syntax errors

_ENGINE_ERROR = r"(?s)error at (\d+):(\d+): (.*)"


def syntax_error(query: QueryText, message: str) -> QueryError:
    """Turn the engine's "error at L:C: expected ..." into line, column, caret and a readable expectation."""
    m = pattern(_ENGINE_ERROR).match(message.strip())
    if m is None:
        return QueryError(f"the query is not valid SPARQL: {message.strip()}")
    offset = query.original_offset(offset_of(query.text, int(m.group(1)), int(m.group(2))))
    detail = _expected(m.group(3))
    hidden = _invisible(query.original, offset)
    if hidden is not None:  # the engine's expectation would not say that an unseen character is in the way
        offset, char = hidden
        detail = f"found {_char_name(char)} which SPARQL does not allow here: remove it"
    return QueryError(
        f"syntax error at {position(query.original, offset)}: {detail}\n" + pointer(query.original, offset)
    )


#: Names of the characters a query most often carries unseen (copied from a file or a form).
_CHAR_NAMES = {"\ufeff": "a byte order mark (BOM)", "\x00": "a NUL character", "\u200b": "a zero-width space"}


def _invisible(text: str, before: int) -> tuple[int, str] | None:
    """The first control or format character (not tab or line break) at or before ``before``, if any."""
    for index, char in enumerate(text[: before + 1]):
        if char not in "\t\n\r" and unicodedata.category(char) in ("Cc", "Cf"):
            return index, char
    return None


def _char_name(char: str) -> str:
    known = unicodedata.name(char, "")
    name = _CHAR_NAMES.get(char) or (f"the character {known}" if known else "a control character")
    return f"U+{ord(char):04X}, {name},"


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

    if os.fspath(path) == "-":
        return sys.stdin.read()
    try:
        with open(path, encoding="utf-8") as handle:
            return handle.read()
    except FileNotFoundError:
        raise InputError(f"query file {Path(path)} does not exist") from None
    except UnicodeDecodeError:
        raise InputError(f"query file {Path(path)} is not UTF-8 text") from None
    except OSError as err:
        raise InputError(f"cannot read query file {Path(path)}: {err.strerror}") from None
