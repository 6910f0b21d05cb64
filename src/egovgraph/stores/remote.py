"""A SPARQL 1.1 endpoint over HTTP: queries, updates and the Graph Store protocol, with a real deadline.

httpx is the client, with its Digest and Basic auth (the scheme the endpoint's challenge asks for).
Queries go as GET, or as a form POST when long: a raw ``application/sparql-query`` body makes Virtuoso
hang. Every request has a deadline enforced here (httpx's timeouts are per read; the whole answer is
checked against the deadline while it streams in), not left to the server. Errors name the endpoint
with any ``user:password@`` removed, and never contain the password. This module (and with it httpx,
some 40 ms to import) is loaded only when a command talks to an endpoint.
"""

from __future__ import annotations

import time
import urllib.parse
from collections.abc import Generator, Iterator
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import httpx

from egovgraph.errors import EndpointError

if TYPE_CHECKING:
    import pyoxigraph

    from egovgraph.vocab.terms import Term

#: Seconds a request may take when the caller gives no timeout (uploads, counts).
DEFAULT_REQUEST_TIMEOUT = 60.0
#: Longest query sent as GET; longer ones go as a form POST.
MAX_GET_URL = 4000
#: Characters of an error body quoted in a message.
QUOTED_BODY = 300
_SELECT_ACCEPT = "application/sparql-results+json"
_GRAPH_ACCEPT = "application/n-triples, text/plain;q=0.9, text/turtle;q=0.5"


def redact(url: str) -> str:
    """The URL without any user:password@ part."""
    parts = urllib.parse.urlsplit(url)
    if "@" not in parts.netloc:
        return url
    return urllib.parse.urlunsplit(parts._replace(netloc=parts.netloc.rsplit("@", 1)[1]))


class ChallengeAuth(httpx.Auth):
    """Digest or Basic auth, whichever the endpoint's challenge (``WWW-Authenticate``) asks for.

    The first 401 decides the scheme for the endpoint; Digest then reuses the challenge (httpx's
    DigestAuth keeps it), so later requests carry their answer up front.
    """

    requires_request_body = True

    def __init__(self, user: str, password: str) -> None:
        self._schemes: dict[str, httpx.Auth] = {
            "digest": httpx.DigestAuth(user, password),
            "basic": httpx.BasicAuth(user, password),
        }
        self._chosen: httpx.Auth | None = None

    def auth_flow(self, request: httpx.Request) -> Generator[httpx.Request, httpx.Response, None]:
        if self._chosen is not None:
            yield from self._chosen.auth_flow(request)
            return
        response = yield request
        if response.status_code != 401:
            return
        offered = response.headers.get("www-authenticate", "").lower()
        scheme = next((name for name in self._schemes if name in offered), None)
        if scheme is None:
            return
        self._chosen = self._schemes[scheme]
        yield from self._chosen.auth_flow(request)


@dataclass
class Endpoint:
    """A SPARQL endpoint (``url``), its update endpoint (default: the same) and optional credentials."""

    url: str
    update_url: str | None = None
    user: str | None = None
    password: str | None = field(default=None, repr=False)
    _client: httpx.Client = field(init=False, repr=False)

    def __post_init__(self) -> None:
        for url in (self.url, self.update_url):
            if url is not None and urllib.parse.urlsplit(url).scheme not in ("http", "https"):
                raise EndpointError(
                    f"{redact(url)} is not an http(s) URL: give the SPARQL endpoint, e.g. http://localhost:8890/sparql"
                )
        auth: httpx.Auth | None = None
        if self.user is not None:
            if self.password is None:
                raise EndpointError(
                    f"--user {self.user} needs a password: set the environment variable EGOVGRAPH_PASSWORD"
                )
            auth = ChallengeAuth(self.user, self.password)
        # trust_env=False: no proxy or .netrc from the environment between us and a store we were given
        self._client = httpx.Client(auth=auth, trust_env=False, follow_redirects=True)

    @property
    def display(self) -> str:
        return redact(self.url)

    # ------------------------------------------------------------------ reading

    def select(
        self,
        text: str,
        *,
        timeout: float | None,
        default_graphs: list[str] | None = None,
        named_graphs: list[str] | None = None,
    ) -> bool | tuple[tuple[str, ...], list[tuple[Term | None, ...]]]:
        """A SELECT or ASK query: a boolean, or (variables, rows of pyoxigraph terms)."""
        import pyoxigraph as ox

        body, ctype = self._query(text, _SELECT_ACCEPT, timeout, default_graphs, named_graphs)
        fmt = ox.QueryResultsFormat.from_media_type(ctype) if ctype else None
        if fmt is None:
            raise self._garbage(ctype, body, "SPARQL results")
        try:
            parsed = ox.parse_query_results(body, format=fmt)
            if isinstance(parsed, ox.QueryBoolean):
                return bool(parsed)
            variables = tuple(v.value for v in parsed.variables)
            return variables, [tuple(solution) for solution in parsed]
        except (SyntaxError, ValueError) as err:
            raise self._garbage(ctype, body, f"SPARQL results ({err})") from None

    def construct(
        self,
        text: str,
        *,
        timeout: float | None,
        default_graphs: list[str] | None = None,
        named_graphs: list[str] | None = None,
    ) -> list[pyoxigraph.Triple]:
        """A CONSTRUCT or DESCRIBE query: the triples."""
        import pyoxigraph as ox

        body, ctype = self._query(text, _GRAPH_ACCEPT, timeout, default_graphs, named_graphs)
        fmt = ox.RdfFormat.from_media_type(ctype) if ctype else None
        if fmt is None:
            raise self._garbage(ctype, body, "RDF")
        try:
            return [quad.triple for quad in ox.parse(body, format=fmt)]
        except (SyntaxError, ValueError) as err:
            raise self._garbage(ctype, body, f"RDF ({err})") from None

    def count(self, graph: str, *, timeout: float | None = None) -> int:
        """The number of triples in a named graph."""
        answer = self.select(f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH <{graph}> {{ ?s ?p ?o }} }}", timeout=timeout)
        try:
            assert not isinstance(answer, bool)
            return int(answer[1][0][0].value)  # type: ignore[union-attr]
        except (AssertionError, IndexError, AttributeError, ValueError):
            raise EndpointError(f"{self.display} did not answer a triple count: {answer!r}") from None

    def _query(
        self,
        text: str,
        accept: str,
        timeout: float | None,
        default_graphs: list[str] | None,
        named_graphs: list[str] | None = None,
    ) -> tuple[bytes, str]:
        params = [
            ("query", text),
            *(("default-graph-uri", g) for g in default_graphs or []),
            *(("named-graph-uri", g) for g in named_graphs or []),
        ]
        headers = {"Accept": accept}
        if len(self.url) + len(urllib.parse.urlencode(params)) < MAX_GET_URL:
            return self._send("GET", self.url, timeout, self.display, params=params, headers=headers)
        return self._send("POST", self.url, timeout, self.display, form=params, headers=headers)

    # ------------------------------------------------------------------ writing

    def update(self, text: str, *, timeout: float | None = None) -> None:
        """A SPARQL Update, sent as a form POST to the update endpoint."""
        url = self.update_url or self.url
        self._send("POST", url, timeout, redact(url), form=[("update", text)])

    def put_graph(self, store_url: str, graph: str, ntriples: bytes, *, timeout: float | None = None) -> None:
        """Replace a named graph with N-Triples through the SPARQL 1.1 Graph Store HTTP Protocol.

        A bodiless HEAD meets the store's auth challenge first, so the PUT carries its answer: a server
        that refuses an unauthenticated request closes the connection while a large body is still being
        sent (Virtuoso does, for bodies from about 1 MB), and the upload would fail as a broken pipe.
        """
        if urllib.parse.urlsplit(store_url).scheme not in ("http", "https"):
            raise EndpointError(
                f"{redact(store_url)} is not an http(s) URL: give the Graph Store endpoint, "
                "e.g. http://localhost:8890/sparql-graph-crud-auth"
            )
        where = redact(store_url)
        params = [("graph", graph)]
        try:  # on a connection of its own: some stores answer HEAD with a body, which would spoil the next answer
            self._send("HEAD", store_url, timeout, where, params=params, headers={"Connection": "close"})
        except EndpointError as err:
            if err.status in (401, 403):  # refused or missing credentials: before any body is sent
                raise
            # unreachable, too slow, or HEAD not supported (404, 405, 501): the PUT itself reports it
        headers = {"Content-Type": "application/n-triples"}
        self._send("PUT", store_url, timeout, where, params=params, content=ntriples, headers=headers)

    # ------------------------------------------------------------------ HTTP

    def _send(
        self,
        method: str,
        url: str,
        timeout: float | None,
        where: str,
        *,
        params: list[tuple[str, str]] | None = None,
        form: list[tuple[str, str]] | None = None,
        content: bytes | None = None,
        headers: dict[str, str] | None = None,
    ) -> tuple[bytes, str]:
        """One request under a deadline for the whole answer: (body, media type)."""
        limit = DEFAULT_REQUEST_TIMEOUT if timeout is None else timeout
        deadline = time.monotonic() + limit
        out_headers = dict(headers or {})
        body = content
        if form is not None:
            body = urllib.parse.urlencode(form).encode("utf-8")
            out_headers["Content-Type"] = "application/x-www-form-urlencoded"
        try:
            with self._client.stream(
                method,
                url,
                params=httpx.QueryParams(tuple(params or ())),
                content=body,
                headers=out_headers,
                timeout=limit,
            ) as response:
                chunks = _read(response.iter_bytes(1 << 16), deadline)
                if response.status_code >= 400:
                    raise self._http_error(response.status_code, response.reason_phrase, b"".join(chunks), where)
                ctype = response.headers.get("content-type", "").split(";", 1)[0].strip().lower()
                return b"".join(chunks), ctype
        except httpx.TimeoutException:
            raise self._timed_out(where, limit) from None
        except httpx.ConnectError as err:
            raise EndpointError(
                self._clean(
                    f"cannot reach the SPARQL endpoint {where}: {_reason(err)} "
                    "(is the server running and the URL right?)"
                )
            ) from None
        except httpx.HTTPError as err:  # connection reset, bad status line, broken chunking ...
            raise EndpointError(
                self._clean(f"the SPARQL endpoint {where} broke off the answer: {_reason(err)}")
            ) from None

    @staticmethod
    def _timed_out(where: str, limit: float) -> EndpointError:
        return EndpointError(
            f"the SPARQL endpoint {where} did not answer within {limit:g} s: is it overloaded? "
            "allow more time with --timeout",
            timed_out=True,
        )

    def _http_error(self, code: int, reason: str, body: bytes, where: str) -> EndpointError:
        if code in (401, 403):
            if self.user is None:
                return EndpointError(
                    f"the SPARQL endpoint {where} needs credentials (HTTP {code}): give "
                    "--user USER and set the environment variable EGOVGRAPH_PASSWORD",
                    status=code,
                )
            return EndpointError(
                f"the SPARQL endpoint {where} refused the credentials of user {self.user!r} "
                f"(HTTP {code}): check --user and EGOVGRAPH_PASSWORD, and that the user "
                "may run this (e.g. Virtuoso's SPARQL_UPDATE role)",
                status=code,
            )
        text = body[:4096].decode("utf-8", "replace")
        detail = self._clean(f"HTTP {code} {reason}: {_excerpt(text)}")
        return EndpointError(f"the SPARQL endpoint {where} answered {detail}", status=code, detail=detail)

    def _garbage(self, ctype: str, body: bytes, expected: str) -> EndpointError:
        return EndpointError(
            self._clean(
                f"the SPARQL endpoint {self.display} answered something that is not {expected} "
                f"(content type {ctype or 'none'}): {_excerpt(body.decode('utf-8', 'replace'))} "
                "— is the URL the SPARQL endpoint itself (e.g. .../sparql or .../query)?"
            )
        )

    def _clean(self, message: str) -> str:
        return message.replace(self.password, "***") if self.password else message


def _read(chunks: Iterator[bytes], deadline: float) -> list[bytes]:
    """The chunks of an answer, or TimeoutException once the deadline has passed while they arrive."""
    out = []
    for chunk in chunks:
        out.append(chunk)
        if time.monotonic() > deadline:
            raise httpx.ReadTimeout("the answer took longer than the deadline")
    return out


def _reason(err: httpx.HTTPError) -> str:
    """What went wrong, as the operating system or the protocol says it (never the request's URL)."""
    cause = err.__context__ or err.__cause__
    if isinstance(cause, OSError) and cause.strerror:
        return cause.strerror
    return str(err) or type(err).__name__


def _excerpt(text: str) -> str:
    text = " ".join(text.split())
    return (text[:QUOTED_BODY] + " …") if len(text) > QUOTED_BODY else (text or "(empty body)")
