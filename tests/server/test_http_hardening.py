"""`egovgraph serve` at the HTTP level under hostile and odd clients (issue 14, items 5-11): raw sockets on
loopback where a client library would hide the bug, the server's own log read back from its stderr.
"""

from __future__ import annotations

import gzip
import http.client
import re
import resource
import socket
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import h11
import httpx
import pytest
from hypothesis import given
from hypothesis import strategies as st
from rdflib import Graph, URIRef
from rdflib.compare import isomorphic
from rdflib.namespace import RDFS
from test_server import Server, _plain, running_server

SD_ENDPOINT = "<http://www.w3.org/ns/sparql-service-description#endpoint>"
SD = "http://www.w3.org/ns/sparql-service-description#"
DUMP = "/dumps/egovgraph.ttl"


@dataclass(frozen=True)
class Logged(Server):
    """A running server whose stderr goes to a file."""

    log: Path = field(default=Path())

    def lines(self) -> list[str]:
        return self.log.read_text(encoding="utf-8", errors="replace").splitlines()


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Logged]:
    tmp = tmp_path_factory.mktemp("hardening")
    log = tmp / "stderr.txt"
    with running_server(tmp, "--header-timeout", "1.5", "--body-timeout", "1.5", xss=False, log=log) as running:
        yield Logged(running.url, running.port, running.process, log)


@pytest.fixture(scope="module")
def proxied(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    with running_server(tmp_path_factory.mktemp("proxied"), "--forwarded-allow-ips", "127.0.0.1", xss=False) as s:
        yield s


# --------------------------------------------------------------------------- raw HTTP on loopback


@dataclass
class Exchange:
    """What came back on one connection: the responses (h11-parsed) and whether the server closed it."""

    responses: list[tuple[h11.Response, bytes]]
    closed: bool
    seconds: float

    @property
    def first(self) -> h11.Response:
        return self.responses[0][0]

    def header(self, name: str, index: int = 0) -> str | None:
        found = [v for k, v in self.responses[index][0].headers if k == name.lower().encode()]
        return found[0].decode() if found else None


def exchange(port: int, data: bytes, *, methods: tuple[str, ...] = ("GET",), wait: float = 5.0) -> Exchange:
    """Send ``data`` as is, read until the server closes the connection or ``wait`` seconds pass."""
    client = h11.Connection(h11.CLIENT)
    started = time.monotonic()
    chunks: list[bytes] = []
    closed = False
    with socket.create_connection(("127.0.0.1", port), timeout=wait) as sock:
        sock.sendall(data)
        deadline = started + wait
        while time.monotonic() < deadline:
            sock.settimeout(max(0.01, deadline - time.monotonic()))
            try:
                chunk = sock.recv(65536)
            except TimeoutError:
                break
            except ConnectionResetError:
                closed = True
                break
            if not chunk:
                closed = True
                break
            chunks.append(chunk)
    seconds = time.monotonic() - started
    return Exchange(_parse(client, b"".join(chunks), methods), closed, seconds)


def _parse(client: h11.Connection, data: bytes, methods: tuple[str, ...]) -> list[tuple[h11.Response, bytes]]:
    """The responses in ``data``, read as the answers to requests with ``methods`` (HEAD has no body)."""
    responses: list[tuple[h11.Response, bytes]] = []
    for method in methods:
        if client.our_state is h11.DONE and client.their_state is h11.DONE:
            client.start_next_cycle()
        if client.our_state is not h11.IDLE:
            break
        client.send(h11.Request(method=method, target="/", headers=[("Host", "x")]))
        client.send(h11.EndOfMessage())
        if data:  # (an empty receive_data would tell h11 the connection closed)
            client.receive_data(data)
            data = b""
        head, body = None, b""
        while True:
            event = client.next_event()
            if event is h11.NEED_DATA or isinstance(event, h11.ConnectionClosed) or event is h11.PAUSED:
                break
            if isinstance(event, h11.Response):
                head = event
            elif isinstance(event, h11.Data):
                body += event.data
            elif isinstance(event, h11.EndOfMessage):
                break
        if head is None:
            break
        responses.append((head, body))
    return responses


def test_exchange_reads_pipelined_answers(served: Logged) -> None:
    """The raw helper itself: two pipelined GETs on a kept-alive connection are two answers."""
    get = b"GET /static/style.css HTTP/1.1\r\nHost: x\r\n\r\n"
    seen = exchange(served.port, get + get, methods=("GET", "GET"), wait=1.0)
    assert [r.status_code for r, _ in seen.responses] == [200, 200] and not seen.closed


# --------------------------------------------------------------------------- 5: no Host, a malformed Host


@pytest.mark.parametrize(
    "request_head",
    [
        b"GET /sparql HTTP/1.0\r\nAccept: application/n-triples\r\n\r\n",  # HTTP/1.0: no Host at all
        b"GET /sparql HTTP/1.1\r\nHost: bad host\r\nAccept: application/n-triples\r\nConnection: close\r\n\r\n",
        b"GET /sparql HTTP/1.1\r\nHost: x/y@z\r\nAccept: application/n-triples\r\nConnection: close\r\n\r\n",
    ],
)
def test_service_description_without_a_usable_host_names_the_bound_address(served: Logged, request_head: bytes) -> None:
    seen = exchange(served.port, request_head, wait=5.0)
    assert seen.first.status_code == 200, seen.responses
    body = seen.responses[0][1].decode()
    endpoint = f"<http://127.0.0.1:{served.port}/sparql>"
    assert f"{endpoint} {SD_ENDPOINT} {endpoint} ." in body
    assert ":8000" not in body


# --------------------------------------------------------------------------- 6: proxy headers


POISON = [
    {"Forwarded": "proto=https;host=evil.example"},
    {"X-Forwarded-Proto": "https", "X-Forwarded-Host": "evil.example"},
]


@pytest.mark.parametrize("headers", POISON)
def test_proxy_headers_are_ignored_from_untrusted_clients(served: Logged, headers: dict[str, str]) -> None:
    reply = served.get("/sparql", headers={"Accept": "application/n-triples", **headers})
    assert reply.status_code == 200
    assert "evil.example" not in reply.text
    assert f"<{served.url}/sparql> {SD_ENDPOINT} <{served.url}/sparql>" in reply.text
    assert reply.headers["vary"] == "Accept"  # the headers cannot change this body, so it does not vary on them
    plain = served.get("/sparql", headers={"Accept": "application/n-triples"})
    assert plain.headers["etag"] == reply.headers["etag"]  # one cache entry, never a poisoned one


@pytest.mark.parametrize(
    ("headers", "origin"),
    [
        ({"X-Forwarded-Proto": "https", "X-Forwarded-Host": "data.example.org"}, "https://data.example.org"),
        (
            {"Forwarded": 'for=192.0.2.1;proto=https;host="egov.example.org:8443", for=10.0.0.1'},
            "https://egov.example.org:8443",
        ),
        ({"X-Forwarded-Proto": "gopher", "X-Forwarded-Host": "bad host/x"}, None),  # ignored: the Host header
    ],
)
def test_proxy_headers_from_a_trusted_proxy(proxied: Server, headers: dict[str, str], origin: str | None) -> None:
    reply = proxied.get("/sparql", headers={"Accept": "application/n-triples", **headers})
    endpoint = URIRef((origin or proxied.url) + "/sparql")
    sd = Graph().parse(data=reply.text, format="nt")
    assert (endpoint, URIRef(SD + "endpoint"), endpoint) in sd
    assert URIRef((origin or proxied.url) + "/.well-known/void") in set(sd.objects(None, RDFS.seeAlso))
    vary = {v.strip().lower() for v in reply.headers["vary"].split(",")}
    assert {"accept", "forwarded", "x-forwarded-proto", "x-forwarded-host"} <= vary


def test_forwarded_allow_ips_is_checked_before_loading(runner: object) -> None:
    from click.testing import CliRunner

    from egovgraph.cli import main

    assert isinstance(runner, CliRunner)
    result = runner.invoke(main, ["serve", "--forwarded-allow-ips", "10.0.0.1,not-an-ip", "--get", "/"])
    assert result.exit_code == 2
    assert "--forwarded-allow-ips: 'not-an-ip' is not an IP address or network" in result.output


def test_trusted_proxies() -> None:
    from egovgraph.server.http import proxy_networks, trusted

    networks = proxy_networks(["127.0.0.1, 10.0.0.0/8", "::1"])
    assert trusted("127.0.0.1", networks) and trusted("10.2.3.4", networks) and trusted("::1", networks)
    assert not trusted("192.0.2.1", networks) and not trusted(None, networks) and not trusted("x", networks)
    assert not trusted("127.0.0.1", proxy_networks([]))
    assert trusted("192.0.2.1", proxy_networks(["*"]))


# --------------------------------------------------------------------------- 7: Content-Length and chunked


def test_content_length_with_chunked_is_answered_and_closed(served: Logged) -> None:
    query = b"ASK { ?s ?p ?o }"
    smuggled = (
        b"POST /sparql HTTP/1.1\r\nHost: x\r\nContent-Type: application/sparql-query\r\n"
        b"Content-Length: 4\r\nTransfer-Encoding: chunked\r\n\r\n"
        + b"%x\r\n%s\r\n0\r\n\r\n" % (len(query), query)
        + b"GET /static/style.css HTTP/1.1\r\nHost: x\r\n\r\n"  # pipelined: must not be answered
    )
    seen = exchange(served.port, smuggled, methods=("POST", "GET"), wait=5.0)
    assert len(seen.responses) == 1, seen.responses
    assert seen.first.status_code == 400 and seen.header("connection") == "close"
    assert b"both Transfer-Encoding and Content-Length" in seen.responses[0][1]
    assert seen.closed and seen.seconds < 4
    served.alive()


def test_garbage_requests_are_logged_once_per_interval(served: Logged) -> None:
    for _ in range(3):
        seen = exchange(served.port, b"\x16\x03\x01 not http at all\r\n\r\n", wait=3.0)
        assert seen.first.status_code == 400 and seen.closed
    lines = [line for line in served.lines() if "Invalid HTTP request" in line]
    assert len(lines) == 1, lines
    served.alive()


# --------------------------------------------------------------------------- 8: timeouts, connection cap, descriptors


def test_trickled_headers_time_out_with_408(served: Logged) -> None:
    started = time.monotonic()
    with socket.create_connection(("127.0.0.1", served.port), timeout=5) as sock:
        sock.sendall(b"GET / HTTP/1.1\r\nHost: x\r\nX-Slow: ")
        data = b""
        for _ in range(40):  # a byte every 0.1 s: never a complete header
            try:
                sock.sendall(b"a")
            except OSError:
                break
            sock.settimeout(0.1)
            try:
                got = sock.recv(4096)
            except TimeoutError:
                continue
            except ConnectionResetError:
                break
            if not got:
                break
            data += got
        elapsed = time.monotonic() - started
    assert data.startswith(b"HTTP/1.1 408 "), data
    assert 1.3 < elapsed < 3.5, elapsed
    silent = exchange(served.port, b"", wait=5.0)  # a connection that never says anything
    assert silent.first.status_code == 408 and silent.closed and silent.seconds < 3.5
    lines = [line for line in served.lines() if "request headers did not arrive" in line]
    assert len(lines) == 1, lines  # two timeouts, one line per interval
    served.alive()


def test_trickled_headers_on_a_kept_alive_connection_time_out(served: Logged) -> None:
    """The timer runs again for a further request on the same connection, from its first byte."""
    first = b"GET /static/style.css HTTP/1.1\r\nHost: x\r\n\r\n"
    seen = exchange(served.port, first + b"GET / HTTP/1.1\r\nHost: x\r\nX-Slow: a", methods=("GET", "GET"))
    assert [r.status_code for r, _ in seen.responses] == [200, 408], seen.responses
    assert seen.closed and 1.3 < seen.seconds < 3.5, seen.seconds


def test_slow_body_times_out_with_408(served: Logged) -> None:
    head = b"POST /sparql HTTP/1.1\r\nHost: x\r\nContent-Type: application/sparql-query\r\nContent-Length: 100\r\n\r\n"
    seen = exchange(served.port, head + b"ASK {", methods=("POST",), wait=5.0)
    assert seen.first.status_code == 408 and seen.closed, seen.responses
    assert b"did not arrive within 1.5 s (5 bytes came)" in seen.responses[0][1]
    assert 1.3 < seen.seconds < 3.5
    served.alive()


def test_connections_over_the_cap_get_503(tmp_path: Path) -> None:
    log = tmp_path / "stderr.txt"
    with running_server(tmp_path, "--max-connections", "4", "--header-timeout", "5", xss=False, log=log) as server:
        idle = [socket.create_connection(("127.0.0.1", server.port)) for _ in range(4)]
        try:
            time.sleep(0.3)  # accepted: the four hold every slot
            refusals = [exchange(server.port, b"GET /static/style.css HTTP/1.1\r\nHost: x\r\n\r\n") for _ in range(3)]
            for seen in refusals:
                assert seen.first.status_code == 503 and seen.closed, seen.responses
                assert seen.header("retry-after") == "1" and seen.header("connection") == "close"
                assert b"4 connections open, its limit" in seen.responses[0][1]
        finally:
            for sock in idle:
                sock.close()
        time.sleep(0.3)
        server.alive()  # the slots are free again
        said = log.read_text()
    assert len([line for line in said.splitlines() if "refused" in line and "503" in line]) == 1, said
    assert "Traceback" not in said


def _trickle(port: int, stop: threading.Event, opened: list[socket.socket]) -> None:
    """Open a connection and send a header byte now and then until told to stop."""
    try:
        sock = socket.create_connection(("127.0.0.1", port), timeout=2)
    except OSError:
        return
    opened.append(sock)
    try:
        sock.sendall(b"GET / HTTP/1.1\r\nHost: x\r\nX-Slow: ")
        while not stop.wait(0.5):
            sock.sendall(b"a")
    except OSError:
        pass


def _probe(url: str) -> int | None:
    try:
        return httpx.get(url + "/static/style.css", timeout=5).status_code
    except httpx.TransportError:
        return None


def test_out_of_descriptors_the_server_stays_up_and_says_so_once(tmp_path: Path) -> None:
    """``ulimit -n 256`` and 300 trickling connections: refusals (503) instead of tracebacks, then service."""
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    if soft < 1024 <= hard or (soft < 1024 and hard == resource.RLIM_INFINITY):
        resource.setrlimit(resource.RLIMIT_NOFILE, (1024, hard))  # this process holds the 300 client ends

    def low_limit() -> None:
        resource.setrlimit(resource.RLIMIT_NOFILE, (256, 256))

    log = tmp_path / "stderr.txt"
    stop, opened = threading.Event(), []  # type: ignore[var-annotated]
    with running_server(tmp_path, "--header-timeout", "4", xss=False, log=log, preexec=low_limit) as server:
        threads = [threading.Thread(target=_trickle, args=(server.port, stop, opened)) for _ in range(300)]
        try:
            for thread in threads:
                thread.start()
            time.sleep(1.0)
            during = [_probe(server.url) for _ in range(5)]
            assert server.process.poll() is None
            time.sleep(4.0)  # the tricklers' headers time out
            stop.set()
            for thread in threads:
                thread.join(10)
            for sock in opened:
                sock.close()
            deadline = time.monotonic() + 15
            after = _probe(server.url)
            while after != 200 and time.monotonic() < deadline:
                time.sleep(0.5)
                after = _probe(server.url)
        finally:
            stop.set()
            for sock in opened:
                sock.close()
        assert server.process.poll() is None, "the server ended"
        assert after == 200
        said = log.read_text(errors="replace")
    assert all(status in (200, 503, None) for status in during), during
    assert 503 in during, (during, said)  # the cap answered, not a hanging accept loop
    assert "Traceback" not in said and "Exception in ASGI application" not in said, said[:2000]
    assert len(said.splitlines()) < 12, said[:2000]  # once per interval, not once per accept
    assert re.search(r"serving at most \d+ connections at once, not 256: the process may open 256", said), said


# --------------------------------------------------------------------------- 9: a client leaving mid-body


def test_client_leaving_mid_body_is_one_quiet_line(served: Logged) -> None:
    before = len(served.lines())
    with socket.create_connection(("127.0.0.1", served.port)) as sock:
        sock.sendall(
            b"POST /sparql HTTP/1.1\r\nHost: x\r\nContent-Type: application/sparql-query\r\n"
            b"Content-Length: 1000\r\n\r\nASK { ?s"
        )
        time.sleep(0.3)
    deadline = time.monotonic() + 5
    while len(served.lines()) == before and time.monotonic() < deadline:
        time.sleep(0.1)
    new = served.lines()[before:]
    assert len(new) == 1, new
    assert "left before sending the whole request body of POST /sparql" in new[0]
    assert "Traceback" not in served.log.read_text() and "Exception in ASGI" not in served.log.read_text()
    served.alive()


# --------------------------------------------------------------------------- 10: HEAD and 304


@pytest.mark.parametrize("path", [DUMP, "/.well-known/void", "/doc/id/land/bremen"])
def test_head_304_does_not_change_the_length(served: Logged, path: str) -> None:
    full = served.get(path, headers={"Accept-Encoding": "identity"})
    etag = full.headers["etag"]
    head = b"HEAD %s HTTP/1.1\r\nHost: x\r\nAccept-Encoding: identity\r\nIf-None-Match: %s\r\nConnection: close\r\n\r\n"
    seen = exchange(served.port, head % (path.encode(), etag.encode()), methods=("HEAD",), wait=1.0)
    assert seen.first.status_code == 304
    length = seen.header("content-length")
    assert length is None or int(length) == len(full.content), length  # RFC 9110 §8.6
    plain = exchange(
        served.port,
        b"HEAD %s HTTP/1.1\r\nHost: x\r\nAccept-Encoding: identity\r\nConnection: close\r\n\r\n" % path.encode(),
        methods=("HEAD",),
        wait=1.0,
    )
    assert plain.first.status_code == 200 and plain.header("content-length") == str(len(full.content))


# --------------------------------------------------------------------------- 11: protocol corners


def test_if_match_and_if_unmodified_since(served: Logged) -> None:
    full = served.get(DUMP, headers={"Accept-Encoding": "identity"})
    etag, modified = full.headers["etag"], full.headers["last-modified"]
    identity = {"Accept-Encoding": "identity"}
    assert served.get(DUMP, headers={**identity, "If-Match": etag}).status_code == 200
    assert served.get(DUMP, headers={**identity, "If-Match": '"other", ' + etag}).status_code == 200
    assert served.get(DUMP, headers={**identity, "If-Match": "*"}).status_code == 200
    _plain(served.get(DUMP, headers={**identity, "If-Match": '"other"'}), 412, "does not match the current ETag")
    _plain(served.get(DUMP, headers={**identity, "If-Match": "W/" + etag}), 412, "If-Match")  # strong comparison
    assert served.get(DUMP, headers={**identity, "If-Unmodified-Since": modified}).status_code == 200
    old = "Mon, 01 Jan 2001 00:00:00 GMT"
    _plain(served.get(DUMP, headers={**identity, "If-Unmodified-Since": old}), 412, "was modified at")
    # If-Match wins over If-Unmodified-Since (RFC 9110 §13.2.2)
    assert served.get(DUMP, headers={**identity, "If-Match": etag, "If-Unmodified-Since": old}).status_code == 200


def test_ranges_of_a_dump(served: Logged) -> None:
    whole = served.get(DUMP, headers={"Accept-Encoding": "identity"})
    size, etag = len(whole.content), whole.headers["etag"]
    assert whole.headers["accept-ranges"] == "bytes"
    for spec, start, end in (("0-99", 0, 99), ("100-", 100, size - 1), ("-50", size - 50, size - 1)):
        part = served.get(DUMP, headers={"Accept-Encoding": "identity", "Range": f"bytes={spec}"})
        assert part.status_code == 206, (spec, part.text)
        assert part.headers["content-range"] == f"bytes {start}-{end}/{size}"
        assert part.content == whole.content[start : end + 1]
    past = served.get(DUMP, headers={"Accept-Encoding": "identity", "Range": f"bytes={size}-"})
    _plain(past, 416, f"it has {size} bytes")
    assert past.headers["content-range"] == f"bytes */{size}"
    stale = served.get(DUMP, headers={"Accept-Encoding": "identity", "Range": "bytes=0-9", "If-Range": '"old"'})
    assert stale.status_code == 200 and stale.content == whole.content
    fresh = served.get(DUMP, headers={"Accept-Encoding": "identity", "Range": "bytes=0-9", "If-Range": etag})
    assert fresh.status_code == 206 and fresh.content == whole.content[:10]
    several = served.get(DUMP, headers={"Accept-Encoding": "identity", "Range": "bytes=0-9,20-29"})
    assert several.status_code == 200 and several.content == whole.content  # ignored, as RFC 9110 allows
    assert served.get("/", headers={"Range": "bytes=0-9"}).status_code == 200  # pages are not ranged


def test_preflight_allows_the_conditional_and_range_headers(served: Logged) -> None:
    pre = httpx.options(
        served.url + DUMP,
        headers={
            "Origin": "https://app.example",
            "Access-Control-Request-Method": "GET",
            "Access-Control-Request-Headers": "range, if-match",
        },
    )
    allowed = {h.strip().lower() for h in pre.headers["access-control-allow-headers"].split(",")}
    assert pre.status_code == 204 and {"range", "if-range", "if-match", "if-unmodified-since"} <= allowed
    part = served.get(DUMP, headers={"Range": "bytes=0-9", "Origin": "https://app.example"})
    assert "Content-Range" in part.headers["access-control-expose-headers"]


def test_gzip_for_the_dumps(served: Logged) -> None:
    connection = http.client.HTTPConnection("127.0.0.1", served.port, timeout=30)  # no automatic decoding
    try:
        connection.request("GET", DUMP, headers={"Accept-Encoding": "gzip"})
        packed = connection.getresponse()
        body = packed.read()
        connection.request("GET", DUMP, headers={"Accept-Encoding": "identity"})
        plain = connection.getresponse()
        plain_body = plain.read()
    finally:
        connection.close()
    assert packed.status == 200 and packed.getheader("content-encoding") == "gzip"
    assert "Accept-Encoding" in (packed.getheader("vary") or "")
    assert gzip.decompress(body) == plain_body and len(body) < len(plain_body) / 2
    assert plain.getheader("content-encoding") is None and "Accept-Encoding" in (plain.getheader("vary") or "")
    assert packed.getheader("etag") != plain.getheader("etag")  # two representations, two strong validators
    again = served.get(DUMP, headers={"Accept-Encoding": "gzip", "If-None-Match": packed.getheader("etag") or ""})
    assert again.status_code == 304 and again.headers["content-encoding"] == "gzip"
    refused = served.get(DUMP, headers={"Accept-Encoding": "gzip;q=0"})
    assert "content-encoding" not in refused.headers


@pytest.mark.parametrize(
    ("path", "params", "accept"),
    [
        ("/sparql", {"query": "ASK {}"}, "image/png"),
        ("/sparql", {"query": "ASK {}", "format": "docx"}, ""),
        ("/doc/id/land/bremen", {}, "image/png"),
        ("/.well-known/void", {}, "text/html"),
        ("/sparql", {"query": 'SELECT ("\\u0001" AS ?x) {}'}, "application/sparql-results+xml"),  # XML cannot
    ],
)
def test_406_varies_on_accept(served: Logged, path: str, params: dict[str, str], accept: str) -> None:
    reply = served.get(path, params=params, headers={"Accept": accept} if accept else {})
    assert reply.status_code == 406, reply.text
    assert "Accept" in reply.headers["vary"]


def test_ask_result_grammar(served: Logged) -> None:
    reply = served.get("/sparql", params={"query": "ASK {}"}, headers={"Accept": "text/turtle"})
    _plain(reply, 406, "for an ASK result")


@pytest.mark.parametrize(
    ("path", "fmt"),
    [("/doc/id/land/bremen.ttl", "html"), ("/ontology.ttl", "html"), ("/graph/reference.nt", "jsonld")],
)
def test_suffix_and_another_format_are_refused(served: Logged, path: str, fmt: str) -> None:
    reply = served.get(path, params={"format": fmt})
    _plain(reply, 406, f"{path} is the .{path.rsplit('.', 1)[1]} variant of ")
    assert f"format={fmt} asks for another one" in reply.text and "drop the suffix" in reply.text
    same = served.get(path, params={"format": path.rsplit(".", 1)[1]})  # the suffix's own format is fine
    assert same.status_code == 200 and not same.headers["content-type"].startswith("text/html")


@pytest.mark.parametrize(
    ("accept", "rdf_format", "media"),
    [
        ("", "turtle", "text/turtle"),
        ("application/n-triples", "nt", "application/n-triples"),
        ("application/ld+json", "json-ld", "application/ld+json"),
        ("application/rdf+xml", "xml", "application/rdf+xml"),
        ("text/html,application/xhtml+xml,*/*;q=0.8", "turtle", "text/turtle"),  # a browser: the file
    ],
)
def test_void_honours_accept(served: Logged, accept: str, rdf_format: str, media: str) -> None:
    turtle = Graph().parse(data=served.get("/.well-known/void").text, format="turtle")
    reply = served.get("/.well-known/void", headers={"Accept": accept} if accept else {})
    assert reply.status_code == 200 and reply.headers["content-type"].startswith(media)
    assert "Accept" in reply.headers["vary"]
    assert isomorphic(Graph().parse(data=reply.content, format=rdf_format), turtle)


@pytest.mark.parametrize(
    ("query", "found"),
    [
        ("\ufeffASK { ?s ?p ?o }", "found U+FEFF, a byte order mark (BOM),"),
        ("ASK { ?s ?p ?o }\x00", "found U+0000, a NUL character,"),
        ("ASK { ?s ?p \u200b?o }", "found U+200B, a zero-width space,"),
    ],
)
def test_invisible_characters_are_named(served: Logged, query: str, found: str) -> None:
    reply = served.get("/sparql", params={"query": query})
    _plain(reply, 400, found)
    assert "expected VERSION" not in reply.text


def test_invisible_characters_are_named_by_the_cli(runner: object, tmp_path: Path) -> None:
    from click.testing import CliRunner

    from egovgraph.cli import main

    assert isinstance(runner, CliRunner)
    path = tmp_path / "bom.rq"
    path.write_bytes(b"\xef\xbb\xbfASK { ?s ?p ?o }\n")  # saved by an editor that writes a BOM
    result = runner.invoke(main, ["query", "-f", str(path)])
    assert result.exit_code == 2 and "found U+FEFF, a byte order mark (BOM)" in result.output, result.output
    legal = runner.invoke(main, ["query", 'ASK { ?s ?p "a\x00b" } '])  # inside a string it is no error
    assert legal.exit_code in (0, 1), legal.output


# --------------------------------------------------------------------------- ranges as a property


@given(size=st.integers(0, 300), first=st.integers(0, 400), last=st.integers(0, 400) | st.none())
def test_a_range_is_the_slice(size: int, first: int, last: int | None) -> None:
    from egovgraph.server.http import Request, Response
    from egovgraph.server.transfer import conditional

    body = bytes(range(256)) * 2
    body = body[:size]
    spec = f"bytes={first}-{'' if last is None else last}"
    request = Request("GET", "/dumps/x", headers={"range": spec})
    original = Response(200, body, "text/plain", {"Accept-Ranges": "bytes"})
    try:
        answer = conditional(request, 0.0, original)
    except Exception as err:
        assert getattr(err, "http_status", None) == 416 and first >= size
        return
    if last is not None and last < first:
        assert answer.status == 200 and answer.body == body
    else:
        end = size - 1 if last is None else min(last, size - 1)
        assert answer.status == 206 and answer.body == body[first : end + 1]
        assert answer.headers["Content-Range"] == f"bytes {first}-{end}/{size}"
