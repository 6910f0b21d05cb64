"""SPARQL result formats: SPARQL 1.1 CSV, TSV, JSON and XML, a Markdown table and an aligned text table.

Pure functions from a :class:`egovgraph.sparql.run.QueryResult` to text, shared by the CLI and the server.
CONSTRUCT and DESCRIBE results are RDF and go through :func:`egovgraph.graph.formats.serialize_graph`.
"""

from __future__ import annotations

from egovgraph.defaults import GRAPH_FORMATS, SELECT_FORMATS, TABLE_CELL_WIDTH
from egovgraph.errors import FormatUnavailable, InputError
from egovgraph.sparql.tokens import pattern
from egovgraph.sparql.values import QUERY_PREFIXES, escape_string
from egovgraph.vocab.iris import XSD, XSD_STRING

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Mapping, Sequence
    from typing import Any

    from egovgraph.sparql.run import QueryResult

_SPARQL_RESULTS_NS = "http://www.w3.org/2005/sparql-results#"
_LOCAL = r"[\w\-]([\w\-.]*[\w\-])?"
_TSV_SHORT = {  # compiled on first use, with querytext.pattern
    XSD + "integer": r"[+-]?\d+",
    XSD + "decimal": r"[+-]?\d*\.\d+",
    XSD + "double": r"[+-]?(\d+\.?\d*|\.\d+)[eE][+-]?\d+",
    XSD + "boolean": r"true|false",
}


_XML_INVALID = "[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]"


def escape(text: str) -> str:
    """Text as XML character data (xml.sax.saxutils would pull in urllib and http.client).

    A carriage return becomes a character reference, else XML parsers turn it into a line feed;
    the control characters XML 1.0 cannot carry at all are an error.
    """
    bad = pattern(_XML_INVALID).search(text)
    if bad:
        raise FormatUnavailable(
            f"the result holds the control character U+{ord(bad.group()):04X}, which XML cannot "
            "carry: ask for the json, tsv or csv format"
        )
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\r", "&#13;")


def quoteattr(text: str) -> str:
    """Text as a double-quoted XML attribute value."""
    out = escape(text).replace('"', "&quot;")
    return '"' + out.replace("\n", "&#10;").replace("\t", "&#9;") + '"'


def formats_for(form: str) -> tuple[str, ...]:
    return GRAPH_FORMATS if form in ("CONSTRUCT", "DESCRIBE") else SELECT_FORMATS


def default_format(form: str, *, terminal: bool) -> str:
    """ttl for graphs; for rows an aligned table on a terminal and TSV when piped."""
    if form in ("CONSTRUCT", "DESCRIBE"):
        return "ttl"
    return "table" if terminal else "tsv"


def check_format(form: str, fmt: str) -> None:
    allowed = formats_for(form)
    if fmt not in allowed:
        kind = "CONSTRUCT/DESCRIBE" if fmt in GRAPH_FORMATS else "SELECT and ASK"
        raise InputError(
            f"format {fmt!r} is for {kind} results; a {form or 'this'} query is written as " + ", ".join(allowed)
        )


def render(result: QueryResult, fmt: str, *, labels: Mapping[str, str] | None = None) -> str:
    """The result in ``fmt``; ``labels`` (IRI -> label) replace IRIs in the table and Markdown formats."""
    check_format(result.form, fmt)
    if result.form in ("CONSTRUCT", "DESCRIBE"):
        from egovgraph.graph.formats import serialize_graph

        return serialize_graph(result.graph(), fmt).decode("utf-8")
    if result.form == "ASK":
        return _render_boolean(bool(result.boolean), fmt)
    rows = result.solutions
    variables = result.variables
    if fmt == "json":
        return to_json(variables, rows)
    if fmt == "xml":
        return to_xml(variables, rows)
    if fmt == "csv":
        return to_csv(variables, rows)
    if fmt == "tsv":
        return to_tsv(variables, rows)
    shown: dict[Any, str] = {}
    cells = [[shown[t] if t in shown else shown.setdefault(t, display(t, labels)) for t in row] for row in rows]
    return to_markdown(variables, cells) if fmt == "md" else to_table(variables, cells)


def encode(result: QueryResult, fmt: str, base: str | None = None) -> bytes:
    """A result as the bytes of a document in ``fmt``: a SPARQL result format, or RDF for CONSTRUCT and DESCRIBE
    (:func:`egovgraph.graph.formats.serialize_graph`, with the prefixes of ``base``)."""
    if result.form in ("CONSTRUCT", "DESCRIBE"):
        from egovgraph.graph.formats import serialize_graph
        from egovgraph.vocab.names import DEFAULT_BASE

        return serialize_graph(result.graph(), fmt, base or DEFAULT_BASE)
    return render(result, fmt).encode("utf-8")


def _render_boolean(value: bool, fmt: str) -> str:
    word = "true" if value else "false"
    if fmt == "json":
        import json

        return json.dumps({"head": {}, "boolean": value}) + "\n"
    if fmt == "xml":
        return (
            f'<?xml version="1.0" encoding="utf-8"?>\n<sparql xmlns="{_SPARQL_RESULTS_NS}">\n'
            f"  <head/>\n  <boolean>{word}</boolean>\n</sparql>\n"
        )
    return word + "\n"


_KINDS = {"NamedNode": "uri", "BlankNode": "bnode", "Literal": "literal"}


def _kind(term: Any) -> str:
    kind = _KINDS.get(type(term).__name__)
    if kind is None:
        raise InputError(f"cannot write the RDF term {term!r} in a result table (RDF-star triples are not supported)")
    return kind


def to_json(variables: Sequence[str], rows: Sequence[Sequence[Any]]) -> str:
    """SPARQL 1.1 Query Results JSON Format."""
    import json

    cache: dict[Any, dict[str, str]] = {}

    def entry(term: Any) -> dict[str, str]:
        hit = cache.get(term)
        if hit is None:
            kind = _kind(term)
            hit = {"type": kind, "value": term.value}
            if kind == "literal":
                if term.language:
                    hit["xml:lang"] = term.language
                elif term.datatype.value != XSD_STRING:
                    hit["datatype"] = term.datatype.value
            cache[term] = hit
        return hit

    bindings = [
        {var: entry(term) for var, term in zip(variables, row, strict=True) if term is not None} for row in rows
    ]
    doc = {"head": {"vars": list(variables)}, "results": {"bindings": bindings}}
    return json.dumps(doc, ensure_ascii=False, indent=1) + "\n"


def to_xml(variables: Sequence[str], rows: Sequence[Sequence[Any]]) -> str:
    """SPARQL Query Results XML Format."""
    out = ['<?xml version="1.0" encoding="utf-8"?>', f'<sparql xmlns="{_SPARQL_RESULTS_NS}">', "  <head>"]
    out += [f"    <variable name={quoteattr(v)}/>" for v in variables]
    out += ["  </head>", "  <results>"]
    for row in rows:
        out.append("    <result>")
        for var, term in zip(variables, row, strict=True):
            if term is None:
                continue
            kind = _kind(term)
            if kind == "literal":
                attr = (
                    f" xml:lang={quoteattr(term.language)}"
                    if term.language
                    else ""
                    if term.datatype.value == XSD_STRING
                    else f" datatype={quoteattr(term.datatype.value)}"
                )
                value = f"<literal{attr}>{escape(term.value)}</literal>"
            else:
                value = f"<{kind}>{escape(term.value)}</{kind}>"
            out.append(f"      <binding name={quoteattr(var)}>{value}</binding>")
        out.append("    </result>")
    out += ["  </results>", "</sparql>"]
    return "\n".join(out) + "\n"


def to_csv(variables: Sequence[str], rows: Sequence[Sequence[Any]]) -> str:
    """SPARQL 1.1 CSV: plain values (IRIs, lexical forms, _:blank), CRLF line ends, quoted where needed."""
    import csv
    import io

    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\r\n")
    writer.writerow(variables)
    for row in rows:
        writer.writerow(["" if t is None else f"_:{t.value}" if _kind(t) == "bnode" else t.value for t in row])
    return buf.getvalue()


def to_tsv(variables: Sequence[str], rows: Sequence[Sequence[Any]]) -> str:
    """SPARQL 1.1 TSV: ?variables in the header, RDF terms in SPARQL/Turtle syntax."""
    cache: dict[Any, str] = {None: ""}
    get = cache.get
    lines = ["\t".join(f"?{v}" for v in variables)]
    for row in rows:
        cells = []
        for term in row:
            cell = get(term)
            if cell is None:
                cell = cache[term] = tsv_term(term)
            cells.append(cell)
        lines.append("\t".join(cells))
    return "\n".join(lines) + "\n"


def tsv_term(term: Any) -> str:
    kind = _kind(term)
    value = term.value
    if kind == "uri":
        return f"<{value}>"
    if kind == "bnode":
        return f"_:{value}"
    language = term.language
    if language:
        return f'"{escape_string(value)}"@{language}'
    datatype = term.datatype.value
    if datatype == XSD_STRING:
        return f'"{escape_string(value)}"'
    short = _TSV_SHORT.get(datatype)
    if short is not None and pattern(short).fullmatch(value):
        return str(value)
    return f'"{escape_string(value)}"^^<{datatype}>'


def compact(iri: str, prefixes: Mapping[str, str] = QUERY_PREFIXES) -> str:
    """``prefix:local`` for an IRI in a declared namespace (the longest one), else the IRI itself."""
    best = ""
    for prefix, ns in prefixes.items():
        if iri.startswith(ns) and len(ns) > len(prefixes.get(best, "")) and pattern(_LOCAL).fullmatch(iri[len(ns) :]):
            best = prefix
    return f"{best}:{iri[len(prefixes[best]) :]}" if best else iri


def display(term: Any, labels: Mapping[str, str] | None = None) -> str:
    """A term as a person reads it: a label or prefix:name for IRIs, the text of literals."""
    if term is None:
        return ""
    kind = _kind(term)
    if kind == "uri":
        return labels.get(term.value, compact(term.value)) if labels else compact(term.value)
    if kind == "bnode":
        return f"_:{term.value}"
    return str(term.value)


def to_table(variables: Sequence[str], cells: Sequence[Sequence[str]]) -> str:
    """Aligned columns for a terminal; long cells are cut at TABLE_CELL_WIDTH characters."""

    def fit(text: str) -> str:
        text = " ".join(text.split())
        return text if len(text) <= TABLE_CELL_WIDTH else text[: TABLE_CELL_WIDTH - 1] + "…"

    body = [[fit(c) for c in row] for row in cells]
    widths = [max([len(v)] + [len(row[i]) for row in body]) for i, v in enumerate(variables)]

    def line(values: Sequence[str]) -> str:
        return "  ".join(v.ljust(w) for v, w in zip(values, widths, strict=True)).rstrip()

    out = [line(variables), line(["-" * w for w in widths])] + [line(row) for row in body]
    out.append(f"({len(body)} row{'s' if len(body) != 1 else ''})")
    return "\n".join(out) + "\n"


def to_markdown(variables: Sequence[str], cells: Sequence[Sequence[str]]) -> str:
    """A GitHub-flavoured Markdown table."""

    def cell(text: str) -> str:
        text = text.replace("\\", "\\\\").replace("|", "\\|")
        return "<br>".join(text.splitlines()) if "\n" in text or "\r" in text else text

    out = ["| " + " | ".join(cell(v) for v in variables) + " |", "|" + "|".join("---" for _ in variables) + "|"]
    out += ["| " + " | ".join(cell(c) for c in row) + " |" for row in cells]
    return "\n".join(out) + "\n"
