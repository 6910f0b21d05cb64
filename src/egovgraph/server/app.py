"""HTTP for the graph: SPARQL 1.1 Protocol, dereferenceable IRIs, HTML pages, dumps (the only layer that knows HTTP).

One route table (``ROUTES``) of pure handlers ``handler(request, state) -> Response`` — the linked-data
handlers in ``egovgraph.server.linkeddata``, the SPARQL ones in ``egovgraph.server.endpoint``, the state and the named
limits in ``egovgraph.server.state`` (re-exported here); the ASGI layer (``App``) only reads the request
(with a body limit), runs the handler in a worker thread and adds the headers every answer carries
(CORS, CSP, validators). ``egovgraph serve --get PATH`` calls the same app in process.
"""

from __future__ import annotations

import email.utils
import hashlib
import logging
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from egovgraph.defaults import (
    HOST,
    KEEP_ALIVE,
    PORT,
    THREADS,
)
from egovgraph.errors import EgovGraphError, HttpError, InputError
from egovgraph.server.endpoint import query_page, sparql, status
from egovgraph.server.http import Request, Response, choose_lang, html_response, negotiate, parse_fields, text
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
from egovgraph.server.state import CSP, ONTOLOGY_IRI, Settings, State, build_state

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
_CORS_HEADERS = "Accept, Accept-Language, Content-Type, If-None-Match, If-Modified-Since"


def dispatch(request: Request, state: State) -> Response:
    """Find the route, check the method, run the handler; refusals become a status and a plain sentence."""
    try:
        response = _dispatch(request, state)
    except EgovGraphError as err:  # the one place an error becomes a status (egovgraph.errors has the map)
        response = _refusal(request, state, err)
    except Exception:
        log.exception("internal error answering %s %s", request.method, request.path)
        response = text(500, "internal error: the server could not answer this request; it keeps serving")
    return _finish(request, state, response)


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


def _finish(request: Request, state: State, response: Response) -> Response:
    """Headers every answer carries; conditional GET (ETag, Last-Modified) for the successful ones."""
    headers = {
        **response.headers,
        "Access-Control-Allow-Origin": "*",
        "Access-Control-Expose-Headers": "ETag, Last-Modified, Content-Location, X-Result-Truncated",
        "X-Content-Type-Options": "nosniff",
        "Content-Security-Policy": CSP,
        "Referrer-Policy": "no-referrer",
    }
    response = Response(response.status, response.body, response.media_type, headers)
    if request.method not in ("GET", "HEAD") or response.status != 200:
        return response
    etag = headers.setdefault("ETag", '"' + hashlib.sha256(response.body).hexdigest()[:32] + '"')
    headers["Last-Modified"] = email.utils.formatdate(state.modified, usegmt=True)
    if _not_modified(request, etag, state.modified):
        keep = ("ETag", "Last-Modified", "Vary", "Content-Location", "Access-Control-Allow-Origin")
        return Response(304, b"", response.media_type, {k: v for k, v in headers.items() if k in keep})
    return response


def _not_modified(request: Request, etag: str, modified: float) -> bool:
    match = request.header("if-none-match")
    if match:
        tags = {t.strip().removeprefix("W/") for t in match.split(",")}
        return "*" in tags or etag in tags
    since = request.header("if-modified-since")
    if since:
        try:
            when = email.utils.parsedate_to_datetime(since).timestamp()
        except (TypeError, ValueError, IndexError):
            return False
        return int(modified) <= when
    return False


# --------------------------------------------------------------------------- ASGI


class App:
    """The ASGI application: reads a request (body limit, strict UTF-8 fields), answers it in a worker thread."""

    def __init__(self, state: State) -> None:
        self.state = state

    async def __call__(self, scope: dict[str, Any], receive: Any, send: Any) -> None:
        from starlette.concurrency import run_in_threadpool
        from starlette.requests import Request as StarletteRequest
        from starlette.responses import Response as StarletteResponse

        if scope["type"] != "http":
            return
        incoming = StarletteRequest(scope, receive)
        headers = {k.lower(): v for k, v in incoming.headers.items()}
        method = scope["method"].upper()
        try:
            params = parse_fields(scope.get("query_string", b""), "query string")
            body = await self._body(incoming, headers)
            request = Request(method, scope["path"], params, headers, body)
            response = await run_in_threadpool(dispatch, request, self.state)
        except HttpError as err:
            request = Request(method, scope["path"], (), headers)
            response = _finish(request, self.state, text(err.status, err.message, err.headers))
        out = StarletteResponse(
            b"" if method == "HEAD" else response.body,
            response.status,
            headers=response.headers,
            media_type=response.media_type,
        )
        if method == "HEAD":
            out.headers["content-length"] = str(len(response.body))
        if response.status == 413:
            out.headers["connection"] = "close"
        await out(scope, receive, send)

    async def _body(self, incoming: Any, headers: Mapping[str, str]) -> bytes:
        limit = self.state.settings.max_body
        declared = headers.get("content-length", "")
        if declared.isdigit() and int(declared) > limit:
            raise HttpError(413, f"the request body has {int(declared)} bytes; the limit is {limit} bytes")
        chunks: list[bytes] = []
        size = 0
        async for chunk in incoming.stream():
            size += len(chunk)
            if size > limit:
                raise HttpError(413, f"the request body is over the limit of {limit} bytes")
            chunks.append(chunk)
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
    import anyio.to_thread
    import uvicorn

    async def main() -> None:
        anyio.to_thread.current_default_thread_limiter().total_tokens = THREADS
        config = uvicorn.Config(
            app,
            host=host,
            port=port,
            lifespan="off",
            log_level="warning",
            timeout_keep_alive=KEEP_ALIVE,
            access_log=False,
        )
        await uvicorn.Server(config).serve()

    try:
        with app.state.pool.serving():  # forked here, before uvicorn starts any thread
            anyio.run(main)
    except OSError as err:
        raise InputError(
            f"cannot listen on {host}:{port}: {err.strerror} (is another server running there? choose another --port)"
        ) from None


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
