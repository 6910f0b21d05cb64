"""Publish a build into a named graph of a remote store, replacing it, and check the triple count.

The triples go first into a fresh temporary graph — with one Graph Store protocol PUT (``graph_store``
given; the auth challenge is met before the body is sent) or with SPARQL Update ``INSERT DATA``
batches of fewer than 1,000 triples (Virtuoso refuses bigger ones) — are counted there, and then replace
the target with ``MOVE GRAPH <tmp> TO GRAPH <target>``. Readers therefore see the old graph until the
MOVE. How atomic the MOVE is depends on the store: Oxigraph runs each update request as one transaction
(readers see the old or the new graph, never a mix); Virtuoso runs it as a sequence of row operations
without isolation, so for a moment a reader may see the target empty or partly filled — but never a mix
of an unfinished upload, and a failed upload leaves the old graph untouched.
"""

from __future__ import annotations

import contextlib
import uuid
from dataclasses import dataclass
from pathlib import Path

from egovgraph.errors import EgovGraphError, InputError, PublishError
from egovgraph.stores.remote import Endpoint

#: Triples per INSERT DATA request (Virtuoso refuses one of about 1,000 or more).
BATCH = 500


@dataclass(frozen=True)
class Published:
    graph: str
    triples: int
    method: str
    requests: int


def build_triples(dump: Path | None = None) -> list[str]:
    """The distinct triples of a dump (default: the bundled build), all graphs merged, as N-Triples lines."""
    from egovgraph.stores.kinds import _bundled_build
    from egovgraph.stores.oxigraph import load_dump, open_store

    if dump is None:
        import pyoxigraph as ox

        store = ox.Store()
        store.load(_bundled_build(), format=ox.RdfFormat.TRIG)
    else:
        store = load_dump(Path(dump)) if Path(dump).is_file() or not Path(dump).is_dir() else open_store(dump)
    lines = {f"{quad.triple} ." for quad in store}
    return sorted(lines)


def publish(
    endpoint: Endpoint,
    graph: str,
    *,
    triples: list[str],
    graph_store: str | None = None,
    batch: int = BATCH,
    timeout: float | None = None,
) -> Published:
    """Replace ``graph`` at ``endpoint`` with ``triples`` (N-Triples lines) and verify the count."""
    if not graph.startswith(("http://", "https://", "urn:")) or any(c in graph for c in '<>" {}|\\^`'):
        raise InputError(
            f"--graph {graph!r} is not an absolute IRI: give one such as https://example.org/graph/egovgraph"
        )
    if not 0 < batch < 1000:
        raise InputError(f"batch {batch} must be between 1 and 999 triples (Virtuoso refuses 1,000 or more)")
    if graph_store is None and len(triples) > batch and any("_:" in t for t in triples):
        raise InputError(
            "the triples contain blank nodes, which INSERT DATA batches would split: "
            "publish with --graph-store URL (one Graph Store protocol PUT) instead"
        )
    temporary = f"urn:x-egovgraph:upload:{uuid.uuid4()}"
    requests = 0
    try:
        if graph_store is not None:  # a PUT replaces the graph: its credentials are checked first, here
            endpoint.put_graph(graph_store, temporary, "\n".join([*triples, ""]).encode("utf-8"), timeout=timeout)
            requests, method = 1, "graph-store"
        else:
            endpoint.update(f"DROP SILENT GRAPH <{temporary}>", timeout=timeout)
            for start in range(0, len(triples), batch):
                chunk = "\n".join(triples[start : start + batch])
                endpoint.update(f"INSERT DATA {{ GRAPH <{temporary}> {{\n{chunk}\n}} }}", timeout=timeout)
                requests += 1
            method = "update"
        uploaded = endpoint.count(temporary, timeout=timeout)
        if uploaded != len(triples):
            raise PublishError(
                f"the upload to {endpoint.display} holds {uploaded} triples, not {len(triples)}; "
                f"the graph <{graph}> was left unchanged"
            )
        endpoint.update(f"MOVE SILENT GRAPH <{temporary}> TO GRAPH <{graph}>", timeout=timeout)
    except BaseException:
        with contextlib.suppress(EgovGraphError):
            endpoint.update(f"DROP SILENT GRAPH <{temporary}>", timeout=timeout)
        raise
    final = endpoint.count(graph, timeout=timeout)
    if final != len(triples):
        raise PublishError(
            f"after publishing, <{graph}> at {endpoint.display} holds {final} triples, "
            f"not {len(triples)}: publish again, or check what else writes to that graph"
        )
    return Published(graph, final, method, requests)
