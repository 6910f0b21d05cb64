"""The one copy of every default: time limits, row limits, the server's limits, formats and media types.

Plain values only (no imports beyond the standard library), so that the command line can show them in its
``--help`` without loading the library behind them.
"""

from __future__ import annotations

import os

# ---------------------------------------------------------------- queries (CLI, library and server)

#: Seconds one SPARQL query may run before it is stopped (the server answers 422 Unprocessable Content).
QUERY_TIMEOUT = 5.0
#: Rows (or triples) a SPARQL result is capped at; a message (the server: ``X-Result-Truncated``) says so.
ROW_LIMIT = 10_000
#: Rows shown in the HTML result table of the server's query page.
HTML_ROW_LIMIT = 1_000
#: Brackets ({, (, [) a query may nest; deeper is refused before any engine sees it (pyoxigraph's parser
#: recurses per level and overflows its stack at a few thousand).
MAX_NESTING = 200
#: Cells of the text table are cut to this many characters (the other formats never cut).
TABLE_CELL_WIDTH = 80

# ---------------------------------------------------------------- the server

#: Address the server binds to unless told otherwise (loopback only).
HOST = "127.0.0.1"
PORT = 8000
#: Bytes a request body (a POSTed query or form) may have; more is answered with 413.
MAX_BODY = 256 * 1024
#: Bytes of SPARQL answers kept in memory (``serve --cache-bytes``; the data never changes while serving);
#: 0 turns caching off. The least recently used answers go first.
RESULT_CACHE_BYTES = 64 * 1024 * 1024
#: Answers larger than this are not cached.
CACHE_MAX_BYTES = 2 * 1024 * 1024
#: Seconds an idle keep-alive connection stays open (short ones race with clients reusing them).
KEEP_ALIVE = 30
#: Seconds a client has to send a request's headers, counted from the connection (or from the first byte of a
#: further request on it); then it is answered 408 and closed. Connections over MAX_CONNECTIONS get 1 s.
HEADER_TIMEOUT = 10.0
#: Seconds a client has to send a request's body once its headers are in; then 408 and the connection closed.
BODY_TIMEOUT = 30.0
#: Connections served at once; a request on a further one is answered 503 (Retry-After) and that connection
#: closed. Lowered at start to half the descriptors the process may still open (RLIMIT_NOFILE), so that
#: the connections over the limit find a descriptor to be refused with.
MAX_CONNECTIONS = 256
#: Seconds a connection over MAX_CONNECTIONS has to send its headers (it is refused as soon as they are in).
OVER_CAPACITY_HEADER_TIMEOUT = 1.0
#: Descriptors kept for everything but connections (store, pipes to the query workers, logs) when
#: MAX_CONNECTIONS is fitted to the descriptor limit.
RESERVED_DESCRIPTORS = 32
#: Bytes of a request's start line and headers (more is a 400 from the HTTP parser).
MAX_HEADER_BYTES = 16 * 1024
#: Seconds between two log lines about the same condition (connection limit, no descriptors, timeouts).
LOG_INTERVAL = 60.0
#: Addresses (IPs or networks, comma-separated; ``*`` for any) whose ``Forwarded`` and ``X-Forwarded-*``
#: headers are believed: the reverse proxies in front of the server. None by default.
FORWARDED_ALLOW_IPS = ""
#: Threads answering requests (a SPARQL query waits in one of them for a query worker's answer).
THREADS = 32
#: Long-lived forked processes evaluating SPARQL queries (``--workers``): one per CPU, at least two, so a
#: slow query never holds up all others.
QUERY_WORKERS = max(2, os.cpu_count() or 2)
#: More query processes that take only queries light by their shape (``--lane-workers``), so an ASK or a
#: lookup need not wait behind heavy queries; 0 turns the lane off.
LANE_WORKERS = 1
#: Seconds a query may run in the light-query lane; past it the query goes on in the general workers.
LANE_BUDGET = 0.5

# ---------------------------------------------------------------- result formats and media types

#: Formats of SELECT and ASK results (``query --format``).
SELECT_FORMATS = ("table", "csv", "tsv", "json", "xml", "md")
#: Formats of CONSTRUCT and DESCRIBE results.
GRAPH_FORMATS = ("ttl", "nt", "jsonld")
ALL_FORMATS = SELECT_FORMATS + GRAPH_FORMATS
#: The Content-Type of a SELECT or ASK answer in each format the server writes.
RESULT_MEDIA_TYPES = {
    "json": "application/sparql-results+json; charset=utf-8",
    "xml": "application/sparql-results+xml; charset=utf-8",
    "csv": "text/csv; charset=utf-8",
    "tsv": "text/tab-separated-values; charset=utf-8",
}
#: The Content-Type of RDF (CONSTRUCT, DESCRIBE, resource descriptions) in each format the server writes.
GRAPH_MEDIA_TYPES = {
    "ttl": "text/turtle; charset=utf-8",
    "nt": "application/n-triples; charset=utf-8",
    "jsonld": "application/ld+json",
    "xml": "application/rdf+xml; charset=utf-8",
}

# ---------------------------------------------------------------- views

#: The views of ``egovgraph viz`` and ``egovgraph export``.
VIEWS = ("entity", "efa", "tech", "tech-lands", "custom")
#: File formats of ``egovgraph export``.
EXPORT_FORMATS = ("graphml", "gexf", "csv", "json")
#: What node size can stand for in the HTML page.
SIZES = ("auto", "degree", "betweenness", "eigenvector", "services", "none")
