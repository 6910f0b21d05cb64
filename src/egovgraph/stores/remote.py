"""A SPARQL 1.1 endpoint over HTTP: queries, updates and the Graph Store protocol, with a real deadline.

Only the standard library's HTTP client (Digest and Basic auth). Queries go as GET, or as a form POST
when long: a raw ``application/sparql-query`` body makes Virtuoso hang. Every request has a deadline
enforced here (the socket timeout and a check while reading), not left to the server. Errors name the
endpoint with any ``user:password@`` removed, and never contain the password. urllib (which pulls in
http.client, email and ssl) is imported when a request is made, not when this module is.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from egovgraph.errors import EndpointError

if TYPE_CHECKING:
    import urllib.error
    import urllib.request

    import pyoxigraph

    from egovgraph.stores.oxigraph import Term

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
    import urllib.parse

    parts = urllib.parse.urlsplit(url)
    if "@" not in parts.netloc:
        return url
    return urllib.parse.urlunsplit(parts._replace(netloc=parts.netloc.rsplit("@", 1)[1]))


@dataclass
class Endpoint:
    """A SPARQL endpoint (``url``), its update endpoint (default: the same) and optional credentials."""

    url: str
    update_url: str | None = None
    user: str | None = None
    password: str | None = field(default=None, repr=False)
    _opener: urllib.request.OpenerDirector = field(init=False, repr=False)
    _passwords: urllib.request.HTTPPasswordMgrWithDefaultRealm | None = field(init=False, repr=False, default=None)
    _digest: urllib.request.HTTPDigestAuthHandler | None = field(init=False, repr=False, default=None)

    def __post_init__(self) -> None:
        import urllib.parse
        import urllib.request

        for url in (self.url, self.update_url):
            if url is not None and urllib.parse.urlsplit(url).scheme not in ("http", "https"):
                raise EndpointError(
                    f"{redact(url)} is not an http(s) URL: give the SPARQL endpoint, e.g. http://localhost:8890/sparql"
                )
        handlers: list[urllib.request.BaseHandler] = []
        if self.user is not None:
            if self.password is None:
                raise EndpointError(
                    f"--user {self.user} needs a password: set the environment variable EGOVGRAPH_PASSWORD"
                )
            # urllib answers a challenge only for URLs registered here (or below them): a graph store URL
            # is added by put_graph, which is the first to know it
            self._passwords = urllib.request.HTTPPasswordMgrWithDefaultRealm()
            for url in (self.url, self.update_url):
                if url is not None:
                    self._passwords.add_password(None, url, self.user, self.password)
            self._digest = urllib.request.HTTPDigestAuthHandler(self._passwords)
            handlers += [self._digest, _basic_only()(self._passwords)]
        self._opener = urllib.request.build_opener(*handlers)

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
        import urllib.parse
        import urllib.request

        params = [
            ("query", text),
            *(("default-graph-uri", g) for g in default_graphs or []),
            *(("named-graph-uri", g) for g in named_graphs or []),
        ]
        encoded = urllib.parse.urlencode(params)
        if len(self.url) + len(encoded) < MAX_GET_URL:
            sep = "&" if "?" in self.url else "?"
            request = urllib.request.Request(f"{self.url}{sep}{encoded}", headers={"Accept": accept})
        else:
            request = urllib.request.Request(
                self.url,
                data=encoded.encode("ascii"),
                method="POST",
                headers={"Accept": accept, "Content-Type": "application/x-www-form-urlencoded"},
            )
        return self._send(request, timeout, self.display)

    # ------------------------------------------------------------------ writing

    def update(self, text: str, *, timeout: float | None = None) -> None:
        """A SPARQL Update, sent as a form POST to the update endpoint."""
        import urllib.parse
        import urllib.request

        url = self.update_url or self.url
        data = urllib.parse.urlencode([("update", text)]).encode("utf-8")
        request = urllib.request.Request(
            url, data=data, method="POST", headers={"Content-Type": "application/x-www-form-urlencoded"}
        )
        self._send(request, timeout, redact(url))

    def put_graph(self, store_url: str, graph: str, ntriples: bytes, *, timeout: float | None = None) -> None:
        """Replace a named graph with N-Triples through the SPARQL 1.1 Graph Store HTTP Protocol.

        A bodiless HEAD meets the store's auth challenge first and the PUT carries the answer: a server
        that refuses an unauthenticated request closes the connection while a large body is still being
        sent (Virtuoso does, for bodies from about 1 MB), and the upload would fail as a broken pipe.
        """
        import urllib.parse
        import urllib.request

        if urllib.parse.urlsplit(store_url).scheme not in ("http", "https"):
            raise EndpointError(
                f"{redact(store_url)} is not an http(s) URL: give the Graph Store endpoint, "
                "e.g. http://localhost:8890/sparql-graph-crud-auth"
            )
        if self._passwords is not None and self.user is not None and self.password is not None:
            self._passwords.add_password(None, store_url, self.user, self.password)
        where = redact(store_url)
        sep = "&" if "?" in store_url else "?"
        url = f"{store_url}{sep}{urllib.parse.urlencode([('graph', graph)])}"
        request = urllib.request.Request(
            url, data=ntriples, method="PUT", headers={"Content-Type": "application/n-triples"}
        )
        self._authorize_up_front(request, timeout, where)
        self._send(request, timeout, where)

    def _authorize_up_front(self, request: urllib.request.Request, timeout: float | None, where: str) -> None:
        """Meet the auth challenge of ``request``'s URL with a HEAD and put the answer on ``request``.

        Refused or missing credentials raise here, before any body is sent. A store that needs none, or
        that answers HEAD with another error (404, 405, 501), leaves ``request`` as it is.
        """
        import urllib.error
        import urllib.request

        probe = urllib.request.Request(request.full_url, method="HEAD")
        try:
            self._opener.open(probe, timeout=DEFAULT_REQUEST_TIMEOUT if timeout is None else timeout).close()
        except urllib.error.HTTPError as err:
            err.close()
            if err.code in (401, 403):
                raise self._http_error(err, where) from None
        except (OSError, ValueError):  # unreachable, too slow, broken: the request itself reports it
            return
        answer = probe.unredirected_hdrs.get("Authorization", "")
        if answer.startswith("Basic "):
            request.add_unredirected_header("Authorization", answer)
        elif answer.startswith("Digest ") and self._digest is not None:
            # the challenge's realm, nonce, qop, algorithm and opaque, as the probe's answer repeats them
            challenge = urllib.request.parse_keqv_list(urllib.request.parse_http_list(answer[len("Digest ") :]))
            digest = self._digest.get_authorization(request, challenge)  # the nonce again, the next count
            if digest:
                request.add_unredirected_header("Authorization", f"Digest {digest}")

    # ------------------------------------------------------------------ HTTP

    def _send(self, request: urllib.request.Request, timeout: float | None, where: str) -> tuple[bytes, str]:
        import urllib.error

        limit = DEFAULT_REQUEST_TIMEOUT if timeout is None else timeout
        deadline = time.monotonic() + limit
        try:
            with self._opener.open(request, timeout=limit) as response:
                chunks = []
                while chunk := response.read(1 << 16):
                    chunks.append(chunk)
                    if time.monotonic() > deadline:
                        raise TimeoutError
                ctype = response.headers.get_content_type() if response.headers.get("Content-Type") else ""
                return b"".join(chunks), ctype
        except urllib.error.HTTPError as err:
            raise self._http_error(err, where) from None
        except TimeoutError:
            raise self._timed_out(where, limit) from None
        except urllib.error.URLError as err:
            reason = err.reason
            if isinstance(reason, TimeoutError):
                raise self._timed_out(where, limit) from None
            why = reason.strerror if isinstance(reason, OSError) and reason.strerror else str(reason)
            raise EndpointError(
                self._clean(
                    f"cannot reach the SPARQL endpoint {where}: {why} (is the server running and the URL right?)"
                )
            ) from None
        except (OSError, ValueError) as err:  # connection reset, bad status line, broken chunking ...
            raise EndpointError(
                self._clean(f"the SPARQL endpoint {where} broke off the answer: {err or type(err).__name__}")
            ) from None

    @staticmethod
    def _timed_out(where: str, limit: float) -> EndpointError:
        return EndpointError(
            f"the SPARQL endpoint {where} did not answer within {limit:g} s: is it overloaded? "
            "allow more time with --timeout",
            timed_out=True,
        )

    def _http_error(self, err: urllib.error.HTTPError, where: str) -> EndpointError:
        if err.code in (401, 403):
            if self.user is None:
                return EndpointError(
                    f"the SPARQL endpoint {where} needs credentials (HTTP {err.code}): give "
                    "--user USER and set the environment variable EGOVGRAPH_PASSWORD",
                    status=err.code,
                )
            return EndpointError(
                f"the SPARQL endpoint {where} refused the credentials of user {self.user!r} "
                f"(HTTP {err.code}): check --user and EGOVGRAPH_PASSWORD, and that the user "
                "may run this (e.g. Virtuoso's SPARQL_UPDATE role)",
                status=err.code,
            )
        try:
            body = err.read(4096).decode("utf-8", "replace")
        except (OSError, ValueError):
            body = ""
        detail = self._clean(f"HTTP {err.code} {err.reason}: {_excerpt(body)}")
        return EndpointError(f"the SPARQL endpoint {where} answered {detail}", status=err.code, detail=detail)

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


def _basic_only() -> type[urllib.request.HTTPBasicAuthHandler]:
    """Basic auth that steps aside when the server asks for Digest (urllib's raises ValueError instead)."""
    import urllib.request

    class _BasicOnly(urllib.request.HTTPBasicAuthHandler):
        def http_error_401(self, req: urllib.request.Request, fp: Any, code: int, msg: str, headers: Any) -> Any:
            schemes = " ".join(headers.get_all("WWW-Authenticate") or []).lower()
            if "basic" not in schemes:
                return None
            return super().http_error_401(req, fp, code, msg, headers)

    return _BasicOnly


def _excerpt(text: str) -> str:
    text = " ".join(text.split())
    return (text[:QUOTED_BODY] + " …") if len(text) > QUOTED_BODY else (text or "(empty body)")
