"""What a query probably got wrong, said before or after it runs: bad regexes, unknown terms, missing resources.

- :func:`check_regexes` (before): a REGEX or REPLACE whose pattern (or flags) is a literal the engine cannot
  compile is a :class:`QueryError` — the engine would quietly treat it as an error value and answer 0 rows.
- :func:`unknown_terms` (a warning): a term in the closed ``egov:`` namespace that the ontology does not
  define, with the nearest term ("did you mean egov:Initiative?").
- :func:`missing_resources` (a hint, when the answer is empty): an IRI under ``land:``, ``person:`` ... that
  names no resource in the graph, with the nearest one of its kind.

The CLI prints warnings and hints on stderr; the server sends them in ``X-Query-Warning`` (docs/serve.md).
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Callable, Iterable

from egovgraph.errors import QueryError
from egovgraph.sparql.text import QueryText
from egovgraph.sparql.tokens import Token, line_col, pointer, tokenize
from egovgraph.vocab.names import DEFAULT_BASE, resource_prefixes

TYPE_CHECKING = False
if TYPE_CHECKING:
    import pyoxigraph

#: The ontology's namespace: closed (every term is defined in ontology/egov.ttl).
EGOV_NS = DEFAULT_BASE + "ontology#"
_REGEX_ARGS = {"REGEX": (1, 2), "REPLACE": (1, 3)}  # the pattern's and the flags' argument positions


def check_regexes(prepared: QueryText) -> None:
    """Refuse a REGEX / REPLACE with a literal pattern or flags the engine cannot compile."""
    upper = prepared.original.upper()
    if "REGEX" not in upper and "REPLACE" not in upper:
        return
    tokens = tokenize(prepared.original)
    for i, tok in enumerate(tokens):
        if tok.kind != "word" or tok.upper not in _REGEX_ARGS or i + 1 >= len(tokens) or tokens[i + 1].text != "(":
            continue
        args = _arguments(tokens, i + 2)
        where, flags_at = _REGEX_ARGS[tok.upper]
        pattern_tok = _literal(args, where)
        if pattern_tok is None:
            continue
        flags_tok = _literal(args, flags_at)
        flags = _string_value(flags_tok) if flags_tok is not None else ""
        text = _string_value(pattern_tok)
        if not _compiles(text, flags):
            line, col = line_col(prepared.original, pattern_tok.start)
            reason = _python_reason(text, flags)
            raise QueryError(
                f"invalid regular expression {pattern_tok.text} in {tok.upper} at line {line}, column {col}"
                + (f" ({reason})" if reason else "")
                + (f" with flags {flags!r}" if flags else "")
                + ": the engine would treat every match as an error and answer no rows. Escape special "
                'characters with a double backslash, e.g. "\\\\("\n' + pointer(prepared.original, pattern_tok.start)
            )


def _arguments(tokens: tuple[Token, ...] | list[Token], start: int) -> list[list[Token]]:
    """The comma-separated arguments of a call whose '(' is just before ``start``."""
    args: list[list[Token]] = [[]]
    depth = 0
    for tok in tokens[start:]:
        if tok.text in ("(", "[", "{"):
            depth += 1
        elif tok.text in (")", "]", "}"):
            if depth == 0:
                break
            depth -= 1
        elif tok.text == "," and depth == 0:
            args.append([])
            continue
        args[-1].append(tok)
    return args


def _literal(args: list[list[Token]], index: int) -> Token | None:
    """The argument at ``index`` when it is one plain string literal."""
    if index < len(args) and len(args[index]) == 1 and args[index][0].kind == "string":
        return args[index][0]
    return None


def _string_value(tok: Token) -> str:
    quote = 3 if tok.text[:3] in ('"""', "'''") else 1
    body = tok.text[quote:-quote]
    escapes = {"t": "\t", "n": "\n", "r": "\r", "b": "\b", "f": "\f", '"': '"', "'": "'", "\\": "\\"}
    return re.sub(r"\\(.)", lambda m: escapes.get(m.group(1), m.group(0)), body)


def _compiles(text: str, flags: str) -> bool:
    """Ask the engine itself: REGEX with a pattern it cannot compile is an error (an unbound value)."""
    import pyoxigraph as ox

    from egovgraph.sparql.values import escape_string

    probe = f'SELECT (REGEX("", "{escape_string(text)}", "{escape_string(flags)}") AS ?ok) {{}}'
    solutions = ox.Store().query(probe)
    assert isinstance(solutions, ox.QuerySolutions)
    return all(row[0] is not None for row in solutions)


def _python_reason(text: str, flags: str) -> str:
    try:
        re.compile(text)
    except re.error as err:
        return str(err)
    return "" if not flags else "unknown flag"


# --------------------------------------------------------------------------- after the query


def iris_in(prepared: QueryText) -> list[str]:
    """Every IRI the query names (written as <...> or prefix:name), in first-seen order."""
    found: list[str] = []
    prefixes = prepared.prefixes
    previous, skip = "", 0
    for kind, text, _ in tokenize(prepared.text):
        if skip:  # the name and the IRI of a PREFIX declaration
            skip -= 1
            continue
        if previous == "PREFIX":
            previous, skip = "", 1
            continue
        if kind == "iri":
            found.append(text[1:-1])
        elif kind == "pname":
            prefix, local = text.split(":", 1)
            if prefix in prefixes:
                found.append(prefixes[prefix] + local.replace("\\", ""))
        previous = text.upper() if kind == "word" else ""
    return list(dict.fromkeys(found))


def unknown_terms(
    prepared: QueryText, exists: Callable[[list[str]], set[str]], of_kind: Callable[[str], Iterable[str]]
) -> list[str]:
    """A warning for each ``egov:`` term the query names that the ontology does not define.

    ``exists`` gives the IRIs (of those asked) the graph describes; ``of_kind`` the terms in a namespace.
    """
    if "egov:" not in prepared.text and EGOV_NS not in prepared.text:
        return []
    named = [iri for iri in iris_in(prepared) if iri.startswith(EGOV_NS) and iri != EGOV_NS]
    missing = [iri for iri in named if iri not in exists(named)] if named else []
    if not missing:
        return []
    names = sorted(t[len(EGOV_NS) :] for t in of_kind(EGOV_NS))
    warnings = []
    for iri in missing:
        name = iri[len(EGOV_NS) :]
        close = difflib.get_close_matches(name, names, n=1, cutoff=0.6)
        hint = f" — did you mean egov:{close[0]}?" if close else " (the ontology lists its terms: /ontology)"
        warnings.append(f"egov:{name} is not a term of the egov: ontology{hint}")
    return warnings


def missing_resources(
    prepared: QueryText,
    exists: Callable[[list[str]], set[str]],
    of_kind: Callable[[str], Iterable[str]],
    base: str = DEFAULT_BASE,
) -> list[str]:
    """A hint for each resource IRI (``land:``, ``person:`` ...) the query names that names no resource.

    ``exists`` gives the IRIs (of those asked) the graph has triples about; ``of_kind`` the resource IRIs
    under a namespace (for the nearest one).
    """
    spaces = resource_prefixes(base)
    named = [iri for iri in iris_in(prepared) if any(iri.startswith(ns) and iri != ns for ns in spaces.values())]
    if not named:
        return []
    there = exists(named)
    hints = []
    for iri in named:
        if iri in there:
            continue
        prefix, ns = max(((p, n) for p, n in spaces.items() if iri.startswith(n)), key=lambda pn: len(pn[1]))
        local = iri[len(ns) :]
        siblings = [s[len(ns) :] for s in of_kind(ns)]
        close = difflib.get_close_matches(local, siblings, n=1, cutoff=0.6)
        nearest = f" — did you mean {prefix}:{close[0]}?" if close else ""
        hints.append(f"{prefix}:{local} names no resource in this graph{nearest}")
    return hints


# --------------------------------------------------------------------------- on a pyoxigraph store


def store_exists(store: pyoxigraph.Store) -> Callable[[list[str]], set[str]]:
    def exists(iris: list[str]) -> set[str]:
        import pyoxigraph as ox

        found = set()
        for iri in iris:
            node = ox.NamedNode(iri)
            if next(iter(store.quads_for_pattern(node, None, None)), None) is not None:
                found.add(iri)
        return found

    return exists


def store_of_kind(store: pyoxigraph.Store) -> Callable[[str], list[str]]:
    def of_kind(ns: str) -> list[str]:
        from egovgraph.sparql.values import escape_string

        text = f'SELECT DISTINCT ?s WHERE {{ ?s ?p ?o FILTER(STRSTARTS(STR(?s), "{escape_string(ns)}")) }}'
        return [row[0].value for row in store.query(text, use_default_graph_as_union=True)]  # type: ignore[union-attr]

    return of_kind


def notes(
    prepared: QueryText,
    empty: bool,
    exists: Callable[[list[str]], set[str]],
    of_kind: Callable[[str], Iterable[str]],
    base: str = DEFAULT_BASE,
) -> list[str]:
    """The warnings (always) and hints (for an empty answer) on a query, each prefixed ``warning:`` / ``hint:``."""
    found = [f"warning: {w}" for w in unknown_terms(prepared, exists, of_kind)]
    if empty:
        found += [f"hint: {h}" for h in missing_resources(prepared, exists, of_kind, base)]
    return found
