"""Every error egovgraph raises on purpose: the one map from an error to its exit code and HTTP status.

``str(err)`` is the sentence a user reads, on the command line and over HTTP alike. The CLI turns an error
into that sentence on stderr and ``exit_code`` (in ``egovgraph.cli``); the server into ``http_status``,
``headers`` and ``http_text()`` as a plain-text body (in ``egovgraph.server.app``). Nothing else
translates errors, and no message is rewritten on its way.

Exit codes: 0 ok, 1 problems found (validation failed, ASK answered false), 2 bad input, usage, or a store
that does not answer.
"""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType

TYPE_CHECKING = False
if TYPE_CHECKING:
    from pathlib import Path

EXIT_OK = 0
EXIT_PROBLEMS = 1
EXIT_USAGE = 2

_NO_HEADERS: Mapping[str, str] = MappingProxyType({})


class EgovGraphError(Exception):
    """Base of every error egovgraph raises on purpose."""

    exit_code = EXIT_USAGE
    http_status = 500
    #: HTTP headers the refusal carries (e.g. Retry-After on a busy server).
    headers: Mapping[str, str] = _NO_HEADERS

    def http_text(self) -> str:
        """The plain-text body of the HTTP answer: the sentence, where needed with what it is about."""
        return str(self)


# ------------------------------------------------------------------ bad input (exit 2, HTTP 4xx)


class InputError(EgovGraphError):
    """Bad input: a missing file or directory, an empty file, a wrong option value."""

    http_status = 400


class DataSyntaxError(InputError):
    """A data or ontology file that cannot be parsed."""

    def __init__(self, path: Path, line: int | None, column: int | None, reason: str) -> None:
        self.path, self.line, self.column, self.reason = path, line, column, reason

    def __repr__(self) -> str:
        return (
            f"{type(self).__qualname__}(path={self.path!r}, line={self.line!r}, column={self.column!r}, "
            f"reason={self.reason!r})"
        )

    def __str__(self) -> str:
        where = str(self.path)
        if self.line is not None:
            where += f" line {self.line}"
            if self.column is not None:
                where += f", column {self.column}"
        return f"{where}: {self.reason}"


class MemoryLimitError(InputError):
    """A dump too big for the memory available to an in-memory store."""


class FormatUnavailable(InputError):
    """A result format that cannot carry this result (HTTP: not acceptable)."""

    http_status = 406


class QueryError(InputError):
    """A query that cannot be run as written; the message says where and what to do."""

    def http_text(self) -> str:
        return f"malformed query: {self}"


class QueryRefused(QueryError):
    """A query that asks for something egovgraph never does (network, files, updates)."""


class UnknownNamedQuery(InputError):
    """A named query that does not exist; the message suggests the closest names."""


class QueryTimeout(QueryError):
    """The query ran past its deadline and was stopped (HTTP: refused as too costly, a 4xx)."""

    http_status = 422

    def http_text(self) -> str:
        return str(self)


class HttpError(InputError):
    """A refusal of the server itself: the status and the plain sentence the client reads."""

    def __init__(self, status: int, message: str, headers: Mapping[str, str] | None = None) -> None:
        super().__init__(message)
        self.http_status = status
        self.message = message
        self.headers = dict(headers or {})

    @property
    def status(self) -> int:
        return self.http_status


# ------------------------------------------------------------------ problems found (exit 1)


class ValidationFailed(EgovGraphError):
    """The graph does not pass validation; ``problems`` lists why."""

    exit_code = EXIT_PROBLEMS
    http_status = 422

    def __init__(self, problems: list[object]) -> None:
        self.problems = problems
        super().__init__(f"validation failed with {len(problems)} problem(s)")


# ------------------------------------------------------------------ failures outside the request (exit 2, HTTP 5xx)


class StoreError(EgovGraphError):
    """A store that cannot be opened, is locked, or is not an Oxigraph store."""


class EndpointError(EgovGraphError):
    """A SPARQL endpoint that is down, too slow, refuses the credentials or answers garbage.

    ``status`` is the HTTP status the endpoint answered (None when it gave none), ``timed_out`` says it
    did not answer in time, ``detail`` is the endpoint's own words (an excerpt of its error body).
    """

    http_status = 502

    def __init__(self, message: str, *, status: int | None = None, timed_out: bool = False, detail: str = "") -> None:
        super().__init__(message)
        self.status, self.timed_out, self.detail = status, timed_out, detail or message

    def http_text(self) -> str:
        return f"the store behind this server did not answer: {self}"


class StoreUnavailable(EgovGraphError):
    """The SPARQL endpoint behind the server is down, refuses its credentials or answers garbage."""

    http_status = 502


class PublishError(EgovGraphError):
    """The upload did not end with the expected triples in the target graph."""

    http_status = 502


class WorkerCrashed(EgovGraphError):
    """The worker evaluating a query ended without an answer (killed, out of memory): a server error."""

    http_status = 500


class PoolBusy(EgovGraphError):
    """No query worker became free within the query's time limit: the server is busy (503, retry)."""

    http_status = 503
    headers: Mapping[str, str] = MappingProxyType({"Retry-After": "1"})
