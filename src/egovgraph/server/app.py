"""HTTP for the graph: SPARQL 1.1 Protocol, dereferenceable IRIs, HTML pages, dumps (the only layer that knows HTTP).

One route table (``ROUTES``) of pure handlers ``handler(request, state) -> Response`` — the linked-data
handlers in ``egovgraph.server.linkeddata``, the SPARQL ones in ``egovgraph.server.endpoint``, the state and the named
limits in ``egovgraph.server.state`` (re-exported here); ``dispatch`` applies the preconditions and ranges
(``egovgraph.server.transfer``) and turns errors into statuses, in one place. The ASGI layer (``App``)
only reads the request (body size and time limits, proxy headers only from trusted proxies, a connection
over the cap refused), runs the handler in a worker thread and adds the headers every answer carries
(CORS, CSP). ``serve`` runs it on uvicorn with the connection limits of ``egovgraph.server.connections``;
``egovgraph serve --get PATH`` calls the same app in process.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from egovgraph.defaults import (
    HOST,
    KEEP_ALIVE,
    LOG_INTERVAL,
    MAX_HEADER_BYTES,
    PORT,
    THREADS,
)
from egovgraph.errors import EgovGraphError, HttpError, InputError, ServerBusy
from egovgraph.server.endpoint import query_page, sparql, status
from egovgraph.server.http import (
    FORWARDED_HEADERS,
    Request,
    Response,
    choose_lang,
    host_port,
    html_response,
    negotiate,
    parse_fields,
    proxy_networks,
    text,
    trusted,
)
from egovgraph.server.linkeddata import (
    class_page,
    dataset,
    describe,
    description,
    dump,
    home,
    named_graph,
    ontology,
    see_other,
    stylesheet,
    void,
)
from egovgraph.server.ratelog import OVER_CAPACITY, RateLog
from egovgraph.server.state import CSP, Settings, State, build_state
from egovgraph.server.transfer import conditional
from egovgraph.vocab.names import ONTOLOGY_IRI

__all__ = [
    "CSP",
    "ONTOLOGY_IRI",
    "ROUTES",
    "App",
    "Settings",
    "State",
    "answer",
    "build_state",
    "create_app",
    "description",
    "dispatch",
    "negotiate",
    "serve",
]

if TYPE_CHECKING:
    from egovgraph.stores.view import RemoteSource

log = logging.getLogger("egovgraph.server.app")


# --------------------------------------------------------------------------- route table and dispatch

Handler = Callable[[Request, State], Response]


@dataclass(frozen=True)
class Route:
    pattern: re.Pattern[str]
    methods: tuple[str, ...]
    handler: Handler


def _route(path: str, methods: str, handler: Handler) -> Route:
    return Route(re.compile(path + r"\Z"), tuple(methods.split()), handler)


ROUTES: tuple[Route, ...] = (
    _route(r"/", "GET", home),
    _route(r"/static/style\.css", "GET", stylesheet),
    _route(r"/sparql", "GET POST", sparql),
    _route(r"/query", "GET", query_page),
    _route(r"/status", "GET", status),
    _route(r"/dumps/[^/]+", "GET", dump),
    _route(r"/\.well-known/void", "GET", void),
    _route(r"/ontology(\.(ttl|nt|jsonld|rdf|html))?", "GET", ontology),
    _route(r"/class(/.+)?", "GET", class_page),
    _route(r"/(id|vocab)/.+", "GET", see_other),
    _route(r"/dataset/egovgraph", "GET", dataset),
    _route(r"/graph/[^/]+", "GET", named_graph),
    _route(r"/doc/(id|vocab)/.+", "GET", describe),
)
_CORS_HEADERS = (
    "Accept, Accept-Language, Accept-Encoding, Content-Type, If-None-Match, If-Modified-Since, If-Match, "
    "If-Unmodified-Since, Range, If-Range"
)


def dispatch(request: Request, state: State) -> Response:
    """Find the route, check the method, run the handler, apply the preconditions and ranges; refusals become
    a status and a plain sentence."""
    try:
        response = conditional(request, state.modified, _dispatch(request, state))
    except EgovGraphError as err:  # the one place an error becomes a status (egovgraph.errors has the map)
        response = _refusal(request, state, err)
    except Exception:
        log.exception("internal error answering %s %s", request.method, request.path)
        response = text(500, "internal error: the server could not answer this request; it keeps serving")
    return _finish(response)


def _dispatch(request: Request, state: State) -> Response:
    for route in ROUTES:
        if route.pattern.match(request.path):
            allowed = (*route.methods, "HEAD", "OPTIONS") if "GET" in route.methods else (*route.methods, "OPTIONS")
            if request.method == "OPTIONS":
                return Response(
                    204,
                    headers={
                        "Allow": ", ".join(allowed),
                        "Access-Control-Allow-Methods": ", ".join(allowed),
                        "Access-Control-Allow-Headers": _CORS_HEADERS,
                        "Access-Control-Max-Age": "86400",
                    },
                )
            method = "GET" if request.method == "HEAD" else request.method
            if method not in route.methods:
                raise HttpError(
                    405,
                    f"{request.path} answers {', '.join(allowed)}, not {request.method}",
                    {"Allow": ", ".join(allowed)},
                )
            return route.handler(request, state)
    raise HttpError(
        404, f"nothing at {request.path}: see / for the pages, /sparql for queries and /dumps/ for the data"
    )


def _refusal(request: Request, state: State, err: EgovGraphError) -> Response:
    """An error as its status and plain sentence; a 404 for a browser as the not-found page."""
    if (
        err.http_status == 404
        and request.method in ("GET", "HEAD")
        and negotiate(request.header("accept"), ["text/plain", "text/html"]) == "text/html"
    ):
        from egovgraph.server import pages

        return html_response(404, pages.not_found(state, choose_lang(request), str(err)), err.headers)
    return text(err.http_status, err.http_text(), err.headers)


def _finish(response: Response) -> Response:
    """Headers every answer carries."""
    headers = {
        **response.headers,
        "Access-Control-Allow-Origin": "*",
        "Access-Control-Expose-Headers": "ETag, Last-Modified, Content-Location, Content-Range, X-Result-Truncated",
        "X-Content-Type-Options": "nosniff",
        "Content-Security-Policy": CSP,
        "Referrer-Policy": "no-referrer",
    }
    return Response(response.status, response.body, response.media_type, headers)


# --------------------------------------------------------------------------- ASGI


class App:
    """The ASGI application: reads a request (body limit and time limit, strict UTF-8 fields, proxy headers
    only from trusted proxies), answers it in a worker thread."""

    def __init__(self, state: State) -> None:
        self.state = state
        self.proxies = proxy_networks(state.settings.forwarded_allow_ips)
        self.rate_log = RateLog(log, logging.WARNING, LOG_INTERVAL)

    async def __call__(self, scope: dict[str, Any], receive: Any, send: Any) -> None:
        from starlette.concurrency import run_in_threadpool
        from starlette.requests import ClientDisconnect
        from starlette.requests import Request as StarletteRequest
        from starlette.responses import Response as StarletteResponse

        if scope["type"] != "http":
            return
        incoming = StarletteRequest(scope, receive)
        headers = {k.lower(): v for k, v in incoming.headers.items()}
        client = scope.get("client") or None
        if not trusted(client[0] if client else None, self.proxies):
            headers = {k: v for k, v in headers.items() if k not in FORWARDED_HEADERS}
        method, local = scope["method"].upper(), host_port(scope.get("server"))
        try:
            self._admit(scope, headers)
            params = parse_fields(scope.get("query_string", b""), "query string")
            body = await self._body(incoming, headers)
            request = Request(method, scope["path"], params, headers, body, local)
            response = await run_in_threadpool(dispatch, request, self.state)
        except ClientDisconnect:
            log.info(
                "%s left before sending the whole request body of %s %s; nothing answered",
                host_port(client) or "a client",
                method,
                scope["path"],
            )
            return
        except EgovGraphError as err:  # refused before the handler ran: the same map as in dispatch
            request = Request(method, scope["path"], (), headers, b"", local)
            response = _finish(_refusal(request, self.state, err))
        out = StarletteResponse(
            b"" if method == "HEAD" else response.body,
            response.status,
            headers=response.headers,
            media_type=response.media_type,
        )
        if method == "HEAD" and response.status >= 200 and response.status not in (204, 304):
            out.headers["content-length"] = str(len(response.body))  # a 304 has none (RFC 9110 §8.6)
        await out(scope, receive, send)

    def _admit(self, scope: dict[str, Any], headers: Mapping[str, str]) -> None:
        """Refuse what must not be read: a connection over the cap, a message framed twice."""
        cap = (scope.get("state") or {}).get(OVER_CAPACITY)
        if cap is not None:
            self.rate_log(
                "capacity",
                lambda n: f"refused {n} request(s) with 503: {cap} connections are open, the limit (--max-connections)",
            )
            raise ServerBusy(f"the server has {cap} connections open, its limit: try again in a moment")
        if "transfer-encoding" in headers and "content-length" in headers:
            # RFC 9112 §6.3: a request smuggling attempt, or a broken client; answer, then close
            raise HttpError(
                400,
                "the request has both Transfer-Encoding and Content-Length: send one of them "
                "(RFC 9112 section 6.3); the connection is closed",
                {"Connection": "close"},
            )

    async def _body(self, incoming: Any, headers: Mapping[str, str]) -> bytes:
        import anyio

        limit, seconds = self.state.settings.max_body, self.state.settings.body_timeout
        declared = headers.get("content-length", "")
        if declared.isdigit() and int(declared) > limit:
            raise HttpError(
                413,
                f"the request body has {int(declared)} bytes; the limit is {limit} bytes",
                {"Connection": "close"},
            )
        chunks: list[bytes] = []
        size = 0
        with anyio.move_on_after(seconds) as scope:
            async for chunk in incoming.stream():
                size += len(chunk)
                if size > limit:
                    raise HttpError(
                        413, f"the request body is over the limit of {limit} bytes", {"Connection": "close"}
                    )
                chunks.append(chunk)
        if scope.cancelled_caught:
            raise HttpError(
                408,
                f"the request body did not arrive within {seconds:g} s ({size} bytes came): the connection is closed",
                {"Connection": "close"},
            )
        return b"".join(chunks)


def create_app(
    data_dir: Path | None = None,
    *,
    files: Sequence[Path] = (),
    settings: Settings | None = None,
    oxigraph: Path | None = None,
    remote: RemoteSource | None = None,
) -> App:
    """The ASGI app over the bundled data (or ``data_dir`` plus ``files``, the Oxigraph store ``oxigraph``, or
    the SPARQL endpoint ``remote``)."""
    return App(build_state(data_dir, files=files, settings=settings, oxigraph=oxigraph, remote=remote))


def serve(app: App, *, host: str = HOST, port: int = PORT) -> None:
    """Run the app with uvicorn until interrupted."""
    import asyncio

    import anyio.to_thread
    import uvicorn

    from egovgraph.server.connections import (
        Limits,
        OncePerInterval,
        fit_connections,
        protocol_class,
        quiet_accept_errors,
    )

    _log_to_stderr()
    settings = app.state.settings
    limits = Limits(settings.header_timeout, fit_connections(settings.max_connections), LOG_INTERVAL)

    async def main() -> None:
        anyio.to_thread.current_default_thread_limiter().total_tokens = THREADS
        quiet_accept_errors(asyncio.get_running_loop(), limits)
        config = uvicorn.Config(
            app,
            host=host,
            port=port,
            http=protocol_class(limits),
            lifespan="off",
            log_level="warning",
            timeout_keep_alive=KEEP_ALIVE,
            h11_max_incomplete_event_size=MAX_HEADER_BYTES,
            proxy_headers=False,  # the app believes Forwarded / X-Forwarded-* only from --forwarded-allow-ips
            access_log=False,
        )
        logging.getLogger("uvicorn.error").addFilter(OncePerInterval(LOG_INTERVAL))  # after uvicorn's logging setup
        await uvicorn.Server(config).serve()

    try:
        with app.state.pool.serving():  # forked here, before uvicorn starts any thread
            anyio.run(main)
    except OSError as err:
        raise InputError(
            f"cannot listen on {host}:{port}: {err.strerror} (is another server running there? choose another --port)"
        ) from None


def _log_to_stderr() -> None:
    """The server's own lines (egovgraph.*) on stderr, in uvicorn's style."""
    logger = logging.getLogger("egovgraph")
    if not logger.handlers:
        handler = logging.StreamHandler()
        handler.setFormatter(logging.Formatter("%(levelname)s:  %(message)s"))
        logger.addHandler(handler)
        logger.setLevel(logging.INFO)


def answer(
    app: App, path: str, *, accept: str | None = None, method: str = "GET"
) -> tuple[int, list[tuple[str, str]], bytes]:
    """One request answered in process (``egovgraph serve --get PATH``): status, headers, body."""
    import anyio
    import httpx

    async def fetch() -> tuple[int, list[tuple[str, str]], bytes]:
        transport = httpx.ASGITransport(app=app)  # type: ignore[arg-type]
        async with httpx.AsyncClient(transport=transport, base_url="http://127.0.0.1") as client:
            headers = {"Accept": accept} if accept else {}
            reply = await client.request(method, path, headers=headers, follow_redirects=False)
            return reply.status_code, list(reply.headers.multi_items()), reply.content

    return anyio.run(fetch)
