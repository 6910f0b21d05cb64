"""HTTP primitives of the server: request and response values, refusals, content and language negotiation.

Pure functions of header and field values; nothing here knows the graph.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from urllib.parse import parse_qsl, urlencode

from egovgraph.defaults import GRAPH_MEDIA_TYPES, RESULT_MEDIA_TYPES
from egovgraph.errors import HttpError

#: Query-string or form fields a request may carry.
MAX_FIELDS = 64


@dataclass(frozen=True)
class Request:
    """What a handler sees: method, decoded path, query (or form) fields, lower-case headers, body."""

    method: str
    path: str
    params: tuple[tuple[str, str], ...] = ()
    headers: Mapping[str, str] = field(default_factory=dict)
    body: bytes = b""

    def param(self, name: str) -> str | None:
        values = self.all(name)
        if len(values) > 1:
            raise HttpError(400, f"the parameter {name!r} is given {len(values)} times: give it once")
        return values[0] if values else None

    def all(self, name: str) -> list[str]:
        return [v for k, v in self.params if k == name]

    def header(self, name: str) -> str:
        return self.headers.get(name, "")


@dataclass
class Response:
    status: int
    body: bytes = b""
    media_type: str = "text/plain; charset=utf-8"
    headers: dict[str, str] = field(default_factory=dict)


def text(status: int, message: str, headers: Mapping[str, str] | None = None) -> Response:
    return Response(status, (message.rstrip("\n") + "\n").encode("utf-8"), headers=dict(headers or {}))


def html_response(status: int, page: str, headers: Mapping[str, str] | None = None) -> Response:
    out = {"Vary": "Accept, Accept-Language", **(headers or {})}
    return Response(status, page.encode("utf-8"), "text/html; charset=utf-8", out)


def redirect(location: str, status: int = 303) -> Response:
    return Response(status, f"See {location}\n".encode(), headers={"Location": location, "Vary": "Accept"})


# --------------------------------------------------------------------------- content negotiation


def parse_accept(header: str) -> list[tuple[str, float]]:
    """The media ranges of an Accept header with their q values (malformed q counts as 1)."""
    ranges: list[tuple[str, float]] = []
    for part in header.split(","):
        pieces = [p.strip() for p in part.split(";")]
        media = pieces[0].lower()
        if not media or "/" not in media:
            continue
        q = 1.0
        for p in pieces[1:]:
            if p.lower().startswith("q="):
                try:
                    q = max(0.0, min(1.0, float(p[2:])))
                except ValueError:
                    q = 1.0
        ranges.append((media, q))
    return ranges


def negotiate(accept: str, offers: Sequence[str]) -> str | None:
    """The offer the client prefers most (ties: the order of ``offers``), or None if none is acceptable."""
    if not accept.strip():
        return offers[0] if offers else None
    ranges = parse_accept(accept)
    best: tuple[float, int] | None = None
    chosen = None
    for index, offer in enumerate(offers):
        kind = offer.split("/")[0]
        quality, specificity = 0.0, -1
        for media, q in ranges:
            spec = 2 if media == offer else 1 if media == f"{kind}/*" else 0 if media == "*/*" else -1
            if spec > specificity:
                quality, specificity = q, spec
        if specificity >= 0 and quality > 0 and (best is None or (quality, -index) > best):
            best, chosen = (quality, -index), offer
    return chosen


#: Names the ``format`` parameter accepts, to media types.
FORMAT_NAMES = {
    "json": "application/sparql-results+json",
    "xml": "application/sparql-results+xml",
    "csv": "text/csv",
    "tsv": "text/tab-separated-values",
    "ttl": "text/turtle",
    "turtle": "text/turtle",
    "nt": "application/n-triples",
    "ntriples": "application/n-triples",
    "jsonld": "application/ld+json",
    "json-ld": "application/ld+json",
    "rdf": "application/rdf+xml",
    "rdfxml": "application/rdf+xml",
    "html": "text/html",
    "trig": "application/trig",
}
_GRAPH_NAMES = {
    "xml": "application/rdf+xml",
    "json": "application/ld+json",
    "rdf+xml": "application/rdf+xml",
    "n3": "text/turtle",
}
#: SELECT and ASK results: media type -> results.render format.
SELECT_MEDIA = {
    "application/sparql-results+json": "json",
    "application/sparql-results+xml": "xml",
    "text/csv": "csv",
    "text/tab-separated-values": "tsv",
    "application/json": "json",
    "application/xml": "xml",
    "text/xml": "xml",
    "text/html": "html",
}
#: RDF (CONSTRUCT, DESCRIBE, resource descriptions): media type -> formats.serialize_graph format.
GRAPH_MEDIA = {
    "text/turtle": "ttl",
    "application/n-triples": "nt",
    "application/ld+json": "jsonld",
    "application/rdf+xml": "xml",
    "application/x-turtle": "ttl",
    "text/plain": "nt",
    "application/json": "jsonld",
    "application/xml": "xml",
    "text/html": "html",
    "text/n3": "ttl",
    "text/rdf+n3": "ttl",
}
GRAPH_CONTENT_TYPES = GRAPH_MEDIA_TYPES
SELECT_CONTENT_TYPES = RESULT_MEDIA_TYPES
SUFFIXES = {".ttl": "ttl", ".nt": "nt", ".jsonld": "jsonld", ".rdf": "xml", ".html": "html"}
SUFFIX_OF = {v: k for k, v in SUFFIXES.items()}


def choose_format(request: Request, table: Mapping[str, str], *, what: str) -> str:
    """The format a request asks for: the ``format`` parameter, else the Accept header; 406 if none fits.

    ``format`` may repeat (SPARQLWrapper sends ``format=tsv&format=text/tab-separated-values``): the first
    value this answer can take wins. For RDF answers ``xml`` means RDF/XML and ``json`` JSON-LD.
    """
    wanted = request.all("format")
    if wanted:
        names = {**FORMAT_NAMES, **(_GRAPH_NAMES if table is GRAPH_MEDIA else {})}
        for value in wanted:
            media = names.get(value.lower(), value.split(";")[0].strip().lower())
            if media in table:
                return table[media]
        known = sorted({n for n, m in names.items() if m in table})
        raise HttpError(
            406,
            f"unknown format {wanted[0]!r} for {what}: use format= one of {', '.join(known)} "
            "(or a media type such as text/turtle)",
        )
    chosen = negotiate(request.header("accept"), list(table))
    if chosen is None:
        raise HttpError(
            406,
            f"none of the media types in Accept: {request.header('accept')!r} is available for "
            f"{what}: accept one of {', '.join(sorted(set(table)))} (or use ?format=)",
        )
    return table[chosen]


def here_of(request: Request) -> str:
    """The request's path and fields without ``lang`` (for the language switch)."""
    rest = urlencode([(k, v) for k, v in request.params if k != "lang"])
    return request.path + (f"?{rest}" if rest else "")


def choose_lang(request: Request) -> str:
    """de or en: the ``lang`` parameter, else the Accept-Language header, else German."""
    wanted = (request.param("lang") or "").lower()
    if wanted in ("de", "en"):
        return wanted
    best, best_q = "de", 0.0
    for tag, q in parse_accept(
        ",".join(
            f"{p.split(';')[0].strip()}/x;{';'.join(p.split(';')[1:])}"
            for p in request.header("accept-language").split(",")
            if p.strip()
        )
    ):
        primary = tag.split("/")[0].split("-")[0]
        if primary in ("de", "en") and q > best_q:
            best, best_q = primary, q
    return best


def utf8(data: bytes, where: str) -> str:
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as err:
        raise HttpError(
            400,
            f"the {where} is not UTF-8 (byte 0x{data[err.start]:02X} at offset {err.start}): "
            "send the query as UTF-8 text",
        ) from None


def parse_fields(data: bytes, where: str) -> tuple[tuple[str, str], ...]:
    """URL-encoded fields, strictly: not UTF-8 (raw or percent-encoded) is a 400, not a replacement character."""
    raw = utf8(data, where)
    try:
        return tuple(
            parse_qsl(raw, keep_blank_values=True, encoding="utf-8", errors="strict", max_num_fields=MAX_FIELDS)
        )
    except UnicodeDecodeError:
        raise HttpError(
            400,
            f"the {where} holds percent-encoded bytes that are not UTF-8: "
            "encode the query as UTF-8 before percent-encoding it",
        ) from None
    except ValueError:
        raise HttpError(400, f"the {where} has more than {MAX_FIELDS} fields") from None
