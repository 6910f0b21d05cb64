"""Connections under load: a time limit on a request's headers, a cap on open connections, quiet logs.

uvicorn's HTTP/1.1 protocol (h11) arms no timer before the first request of a connection, nor while its
headers trickle in, and asyncio's accept loop logs a traceback for every failed ``accept()`` once the
descriptors run out. ``protocol_class`` adds the timer and marks connections over the cap (the ASGI app
answers their requests 503, see ``egovgraph.server.app``); ``quiet_accept_errors`` turns the accept
loop's complaints into one line per interval. Everything else (keep-alive, header size, parsing) is
uvicorn's own, configured in ``egovgraph.server.app.serve``.
"""

from __future__ import annotations

import asyncio
import logging
import os
import resource
import time
from dataclasses import dataclass, field
from typing import Any

import h11
from uvicorn.protocols.http.h11_impl import H11Protocol

from egovgraph.defaults import OVER_CAPACITY_HEADER_TIMEOUT, RESERVED_DESCRIPTORS
from egovgraph.server.ratelog import OVER_CAPACITY, RateLog

log = logging.getLogger("egovgraph.server.connections")


def _times(count: int, interval: float) -> str:
    return "" if count == 1 else f" ({count} times in the last {interval:g} s)"


def descriptor_room() -> tuple[int, int]:
    """The process's descriptor limit (RLIMIT_NOFILE, soft) and how many it may still open."""
    soft, _hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    try:
        used = len(os.listdir("/proc/self/fd"))
    except OSError:
        used = RESERVED_DESCRIPTORS
    if soft == resource.RLIM_INFINITY:
        return soft, 1 << 20
    return soft, max(0, soft - used - RESERVED_DESCRIPTORS)


def fit_connections(wanted: int) -> int:
    """``wanted`` connections, lowered to half the descriptors left: the other half is for refusing more."""
    soft, room = descriptor_room()
    fitted = max(1, min(wanted, room // 2))
    if fitted < wanted:
        log.warning(
            "serving at most %d connections at once, not %d: the process may open %d descriptors "
            "(ulimit -n); raise it to serve more",
            fitted,
            wanted,
            soft,
        )
    return fitted


@dataclass
class Limits:
    """What the protocol enforces, and the counters its log lines report."""

    header_timeout: float
    max_connections: int
    interval: float
    rate_log: RateLog = field(init=False)

    def __post_init__(self) -> None:
        self.rate_log = RateLog(log, logging.WARNING, self.interval)


_TIMEOUT_BODY = b"the request's headers did not arrive in time; the connection is closed\n"
_TIMEOUT_RESPONSE = (
    b"HTTP/1.1 408 Request Timeout\r\ncontent-type: text/plain; charset=utf-8\r\n"
    b"content-length: " + str(len(_TIMEOUT_BODY)).encode() + b"\r\nconnection: close\r\n\r\n" + _TIMEOUT_BODY
)


def protocol_class(limits: Limits) -> type[asyncio.Protocol]:
    """uvicorn's h11 protocol with a header timer and a mark on the connections over the cap."""

    class Protocol(H11Protocol):
        _header_timer: asyncio.TimerHandle | None = None

        def connection_made(self, transport: asyncio.Transport) -> None:  # type: ignore[override]
            super().connection_made(transport)
            self._timeout = limits.header_timeout
            if len(self.connections) > limits.max_connections:
                # the scope's state is a copy of this dict: the app answers this connection's request 503
                self.app_state = {**self.app_state, OVER_CAPACITY: limits.max_connections}
                self._timeout = min(self._timeout, OVER_CAPACITY_HEADER_TIMEOUT)
            self._arm()

        def data_received(self, data: bytes) -> None:
            if self._header_timer is None and self.conn.their_state is h11.IDLE:
                self._arm()  # the first bytes of a further request on a kept-alive connection
            super().data_received(data)
            if self.conn.their_state is not h11.IDLE:  # the headers are in (or the request failed)
                self._disarm()

        def on_response_complete(self) -> None:
            super().on_response_complete()
            if not self.transport.is_closing() and self.conn.their_state is h11.IDLE and self.conn.trailing_data[0]:
                self._arm()  # part of a pipelined request is waiting: its headers are on the clock too

        def connection_lost(self, exc: Exception | None) -> None:
            self._disarm()
            super().connection_lost(exc)

        def _arm(self) -> None:
            self._disarm()
            self._header_timer = self.loop.call_later(self._timeout, self._headers_late)

        def _disarm(self) -> None:
            if self._header_timer is not None:
                self._header_timer.cancel()
                self._header_timer = None

        def _headers_late(self) -> None:
            self._header_timer = None
            if self.transport.is_closing() or self.conn.their_state is not h11.IDLE:
                return
            self.transport.write(_TIMEOUT_RESPONSE)
            self.transport.close()
            timeout = self._timeout
            limits.rate_log(
                "header-timeout",
                lambda n: (
                    f"closed a connection whose request headers did not arrive within {timeout:g} s"
                    + _times(n, limits.interval)
                ),
            )

    return Protocol


def quiet_accept_errors(loop: asyncio.AbstractEventLoop, limits: Limits) -> None:
    """Log asyncio's "socket.accept() out of system resource" once per interval, without a traceback."""
    default = loop.get_exception_handler()

    def handler(loop: asyncio.AbstractEventLoop, context: dict[str, Any]) -> None:
        if context.get("message") == "socket.accept() out of system resource":
            exc = context.get("exception")
            reason = getattr(exc, "strerror", None) or str(exc)
            limits.rate_log(
                "accept",
                lambda n: (
                    f"cannot accept connections: {reason} (descriptor limit "
                    f"{resource.getrlimit(resource.RLIMIT_NOFILE)[0]}); retrying" + _times(n, limits.interval)
                ),
            )
            return
        if default is not None:
            default(loop, context)
        else:
            loop.default_exception_handler(context)

    loop.set_exception_handler(handler)


class OncePerInterval(logging.Filter):
    """Let uvicorn's lines about bad clients (``Invalid HTTP request received.``) through once per interval."""

    def __init__(self, interval: float, messages: tuple[str, ...] = ("Invalid HTTP request received.",)) -> None:
        super().__init__()
        self.interval, self.messages = interval, messages
        self._last: dict[str, float] = {}
        self._counts: dict[str, int] = {}

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        if message not in self.messages:
            return True
        now = time.monotonic()
        self._counts[message] = self._counts.get(message, 0) + 1
        last = self._last.get(message)
        if last is not None and now - last < self.interval:
            return False
        count, self._counts[message], self._last[message] = self._counts[message], 0, now
        record.msg, record.args = message + _times(count, self.interval), None
        return True
