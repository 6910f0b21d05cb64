"""Conditional requests and byte ranges on a successful GET or HEAD (RFC 9110 §13 and §14).

Every such answer carries ``ETag`` and ``Last-Modified``. The preconditions are evaluated in the order of
RFC 9110 §13.2.2: ``If-Match``, else ``If-Unmodified-Since`` (412 when false); ``If-None-Match``, else
``If-Modified-Since`` (304 when the client's copy is current); then ``Range`` with ``If-Range``, for the
answers that say ``Accept-Ranges: bytes`` (the dumps): one range is answered 206, a range past the end
416, anything else (several ranges, other units, a malformed one) is ignored and the whole answer sent.
"""

from __future__ import annotations

import email.utils
import hashlib
import re

from egovgraph.errors import HttpError
from egovgraph.server.http import Request, Response

#: Headers a 304 keeps of the 200 it stands for (RFC 9110 §15.4.5), besides those every answer carries.
_KEPT_BY_304 = ("ETag", "Last-Modified", "Vary", "Content-Location", "Cache-Control", "Content-Encoding")
_RANGE = re.compile(r"bytes\s*=\s*(\d*)\s*-\s*(\d*)\s*", re.IGNORECASE)


def conditional(request: Request, modified: float, response: Response) -> Response:
    """Validators, preconditions and ranges for ``response`` (the answer to ``request``)."""
    if request.method not in ("GET", "HEAD") or response.status != 200:
        return response
    headers = dict(response.headers)  # the answer may be a cached one: never changed in place
    response = Response(response.status, response.body, response.media_type, headers)
    etag = headers.setdefault("ETag", '"' + hashlib.sha256(response.body).hexdigest()[:32] + '"')
    last_modified = headers.setdefault("Last-Modified", email.utils.formatdate(modified, usegmt=True))
    seconds = int(modified)
    if_match, unmodified_since = request.header("if-match"), request.header("if-unmodified-since")
    if if_match:
        if not _matches(if_match, etag, weak=False):
            raise HttpError(412, f"If-Match: {if_match} does not match the current ETag {etag} of {request.path}")
    elif unmodified_since:
        when = _date(unmodified_since)
        if when is not None and seconds > when:
            raise HttpError(
                412, f"{request.path} was modified at {last_modified}, after If-Unmodified-Since: {unmodified_since}"
            )
    if_none_match, modified_since = request.header("if-none-match"), request.header("if-modified-since")
    if if_none_match:
        current = _matches(if_none_match, etag, weak=True)
    else:
        when = _date(modified_since) if modified_since else None
        current = when is not None and seconds <= when
    if current:
        kept = {k: v for k, v in headers.items() if k in _KEPT_BY_304}
        return Response(304, b"", response.media_type, kept)
    ranged = request.method == "GET" and headers.get("Accept-Ranges") == "bytes" and request.header("range")
    if ranged and _if_range(request.header("if-range"), etag, last_modified):
        return _ranged(request, response)
    return response


def _matches(header: str, etag: str, *, weak: bool) -> bool:
    """Whether an If-Match / If-None-Match list names ``etag`` (weak comparison, or strong: no ``W/``)."""
    tags = [t.strip() for t in header.split(",")]
    if "*" in tags:
        return True
    if weak:
        return etag.removeprefix("W/") in {t.removeprefix("W/") for t in tags}
    return not etag.startswith("W/") and etag in tags


def _date(value: str) -> float | None:
    try:
        return email.utils.parsedate_to_datetime(value).timestamp()
    except (TypeError, ValueError, IndexError):
        return None


def _if_range(value: str, etag: str, last_modified: str) -> bool:
    """Whether the range may be sent: no If-Range, or one naming the current ETag (strongly) or date."""
    value = value.strip()
    if not value:
        return True
    if value.startswith(('"', "W/")):
        return _matches(value, etag, weak=False)
    return value == last_modified


def _ranged(request: Request, response: Response) -> Response:
    spec = request.header("range")
    m = _RANGE.fullmatch(spec)
    size = len(response.body)
    if m is None or not (m.group(1) or m.group(2)):
        return response  # several ranges, other units, malformed: RFC 9110 §14.2 lets the server send it all
    first, last = m.group(1), m.group(2)
    if first:
        start = int(first)
        if last and int(last) < start:
            return response
        end = min(int(last), size - 1) if last else size - 1
    else:
        start, end = max(0, size - int(last)), size - 1
        if int(last) == 0:
            start = size
    if start >= size:
        raise HttpError(
            416,
            f"Range: {spec} asks for bytes {request.path} does not have: it has {size} bytes (0-{size - 1})",
            {"Content-Range": f"bytes */{size}"},
        )
    headers = {**response.headers, "Content-Range": f"bytes {start}-{end}/{size}"}
    return Response(206, response.body[start : end + 1], response.media_type, headers)
