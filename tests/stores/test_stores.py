"""The three stores give the same answers: embedded, a persistent Oxigraph store, and real SPARQL engines.

Oxigraph server and Virtuoso run as private child processes on loopback (see store_servers.py).
"""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from egovgraph.cli import main
from egovgraph.errors import EndpointError, StoreError
from egovgraph.sparql.library import named_queries
from egovgraph.sparql.run import prepare
from egovgraph.sparql.text import constant_filters
from egovgraph.stores.kinds import RemoteStore, embedded, open_oxigraph
from egovgraph.stores.publish import build_triples, publish
from egovgraph.stores.remote import Endpoint
from store_servers import Engine, free_port, http_server, oxigraph_server, silent_server, virtuoso

pytestmark = pytest.mark.stores

__all__ = ["oxigraph_server", "virtuoso"]  # fixtures, imported for pytest

GRAPH = "https://example.org/graph/egovgraph"
NAMES = [q.name for q in named_queries()]
SECRET = "s3cr3t-never-shown"
#: Named queries where Virtuoso 7.2 answers differently, and why (compared by row count only).
VIRTUOSO_DEVIATIONS = {
    "timeline": "Virtuoso's COALESCE over an OPTIONAL xsd:gYearMonth gives the year for one time node",
}
#: Named queries Virtuoso answers wrongly, compared on the Oxigraph server only (a known gap, docs/stores.md).
VIRTUOSO_WRONG = {
    "land-profile": "Virtuoso drops the rows of the services branch (VALUES or BIND next to a property path "
    "inside a UNION); the Oxigraph server gives the embedded answer",
}


def cli(*args: str, env: dict[str, str] | None = None) -> Result:
    return CliRunner().invoke(main, list(args), env=env)


def ok(result: Result) -> str:
    assert result.exit_code == 0, result.output
    return result.stdout


def clean_failure(result: Result, *must_contain: str) -> str:
    """Exit 2, a one-line error naming what failed, no traceback, no password."""
    assert result.exit_code == 2, result.output
    assert result.exception is None or isinstance(result.exception, SystemExit), repr(result.exception)
    message = result.stderr
    assert message.startswith("error: "), message
    assert "Traceback" not in result.output
    assert SECRET not in result.output
    for text in must_contain:
        assert text in message, message
    return message


@pytest.fixture(scope="module")
def embedded_tsv() -> dict[str, str]:
    return {name: ok(cli("query", "-n", name, "--format", "tsv")) for name in NAMES}


# --------------------------------------------------------------------------- embedded and oxigraph store


@pytest.fixture(scope="module")
def oxigraph_path(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("oxstore") / "store"
    out = ok(cli("load", "--store", f"oxigraph:{path}"))
    assert "quads in the Oxigraph store" in out
    return path


def test_oxigraph_store_gives_the_embedded_answers(oxigraph_path: Path, embedded_tsv: dict[str, str]) -> None:
    for name in NAMES:
        assert (
            ok(cli("query", "-n", name, "--format", "tsv", "--store", f"oxigraph:{oxigraph_path}"))
            == embedded_tsv[name]
        ), name


def test_oxigraph_store_reload_replaces(oxigraph_path: Path, tmp_path: Path) -> None:
    dump = tmp_path / "one.nt"
    dump.write_text("<urn:a> <urn:b> <urn:c> .\n")
    path = tmp_path / "store"
    assert ok(cli("load", "--store", f"oxigraph:{path}", str(dump))).startswith("1 quads")
    assert ok(cli("load", "--store", f"oxigraph:{path}", str(dump), "--quiet")).startswith("1 quads")
    out = ok(cli("query", "SELECT ?s ?p ?o WHERE { ?s ?p ?o }", "--format", "csv", "--store", f"oxigraph:{path}"))
    assert out.splitlines() == ["s,p,o", "urn:a,urn:b,urn:c"]


def test_load_shows_progress(tmp_path: Path) -> None:
    result = cli("load", "--store", f"oxigraph:{tmp_path / 's'}")
    assert "loading 100.0%" in result.stderr and "quads" in result.stderr


def test_oxigraph_store_refusals(tmp_path: Path) -> None:
    clean_failure(
        cli("query", "-n", "lands", "--store", f"oxigraph:{tmp_path / 'none'}"), "no Oxigraph store", "egovgraph load"
    )
    (tmp_path / "junk").mkdir()
    (tmp_path / "junk" / "notes.txt").write_text("hello")
    clean_failure(cli("load", "--store", f"oxigraph:{tmp_path / 'junk'}"), "is not an Oxigraph store")
    (tmp_path / "file").write_text("x")
    clean_failure(cli("query", "-n", "lands", "--store", f"oxigraph:{tmp_path / 'file'}"), "is a file")
    clean_failure(cli("query", "-n", "lands", "--store", "sqlite:x"), "unknown store")
    clean_failure(cli("load", "--store", "embedded"), "oxigraph:PATH")


def test_locked_oxigraph_store_is_refused(tmp_path: Path) -> None:
    import pyoxigraph as ox

    path = tmp_path / "store"
    holder = ox.Store(str(path))  # a writer holds the lock, like a running `oxigraph serve`
    try:
        clean_failure(cli("load", "--store", f"oxigraph:{path}"), "locked")
    finally:
        del holder
    with pytest.raises(StoreError, match="no Oxigraph store"):
        open_oxigraph(tmp_path / "missing")


def test_bound_filters_are_written_as_constants() -> None:
    prepared = prepare(
        "SELECT ?x WHERE { OPTIONAL { ?x ?p ?l FILTER(LANG(?l) = ?lang && BOUND(?lang)) } }",
        bind_values={"lang": "'de'"},
    )
    text = prepared.text
    assert constant_filters(prepared) == text, "prepare() already writes bound values into filters"
    assert 'FILTER(LANG(?l) = "de" && BOUND(?lang))' in text
    assert 'VALUES (?lang) { ("de") }' in text


# --------------------------------------------------------------------------- Oxigraph server


def publish_cli(engine: Engine, *extra: str) -> Result:
    args = ["publish", "--endpoint", engine.query, "--update-endpoint", engine.update, "--graph", GRAPH, *extra]
    env = None
    if engine.user is not None:
        args += ["--user", engine.user]
        env = {"EGOVGRAPH_PASSWORD": engine.password or ""}
    return cli(*args, env=env)


def assert_same_answers(
    engine: Engine, embedded_tsv: dict[str, str], deviations: dict[str, str], wrong: frozenset[str] = frozenset()
) -> None:
    for name in NAMES:
        if name in wrong:
            continue
        out = ok(cli("query", "-n", name, "--format", "tsv", "--endpoint", engine.query, "--graph", GRAPH))
        if name in deviations:
            assert len(out.splitlines()) == len(embedded_tsv[name].splitlines()), name
        else:
            assert out == embedded_tsv[name], name


def test_oxigraph_server_publish_query_republish(oxigraph_server: Engine, embedded_tsv: dict[str, str]) -> None:
    triples = len(build_triples())
    out = ok(publish_cli(oxigraph_server, "--graph-store", oxigraph_server.graph_store or ""))
    assert f"published {triples:,} triples" in out and "graph-store" in out
    assert_same_answers(oxigraph_server, embedded_tsv, {})
    out = ok(publish_cli(oxigraph_server))  # again, with INSERT DATA batches: replaces, no duplicates
    assert f"published {triples:,} triples" in out and "update" in out
    endpoint = Endpoint(oxigraph_server.query)
    assert endpoint.count(GRAPH) == triples
    leftovers = endpoint.select("SELECT ?g WHERE { GRAPH ?g { } }", timeout=5)
    assert not isinstance(leftovers, bool)
    assert [row[0].value for row in leftovers[1]] == [GRAPH]  # type: ignore[union-attr]


def test_remote_store_from_python(oxigraph_server: Engine) -> None:
    ok(publish_cli(oxigraph_server))
    store = RemoteStore(Endpoint(oxigraph_server.query), graph=GRAPH)
    local = embedded()
    for name in ("lands", "leaders"):
        prepared = prepare(name=name)
        remote_rows = store.query(prepared, timeout=10, limit=None).rows
        assert remote_rows == local.query(prepared, timeout=10, limit=None).rows
    ask = store.query(prepare("ASK { land:bremen a egov:Land }"), timeout=5, limit=None)
    assert ask.form == "ASK" and ask.boolean is True
    graph = store.query(prepare("CONSTRUCT { land:bremen ?p ?o } WHERE { land:bremen ?p ?o }"), timeout=5, limit=3)
    assert len(graph) == 3 and graph.truncated
    labels = store.labels(["https://w3id.org/egovgraph/id/land/bremen"], "de")
    assert labels == {"https://w3id.org/egovgraph/id/land/bremen": "Bremen"}


# --------------------------------------------------------------------------- Virtuoso


def test_virtuoso_publish_query_republish(virtuoso: Engine, embedded_tsv: dict[str, str]) -> None:
    triples = len(build_triples())
    out = ok(publish_cli(virtuoso))
    assert f"published {triples:,} triples" in out
    assert_same_answers(virtuoso, embedded_tsv, VIRTUOSO_DEVIATIONS, frozenset(VIRTUOSO_WRONG))
    ok(publish_cli(virtuoso))
    assert Endpoint(virtuoso.query).count(GRAPH) == triples


def test_virtuoso_refuses_wrong_credentials(virtuoso: Engine) -> None:
    result = cli(
        "publish",
        "--endpoint",
        virtuoso.query,
        "--update-endpoint",
        virtuoso.update,
        "--graph",
        GRAPH,
        "--user",
        virtuoso.user or "",
        env={"EGOVGRAPH_PASSWORD": SECRET},
    )
    clean_failure(result, virtuoso.update, "refused the credentials", "EGOVGRAPH_PASSWORD")
    result = cli("publish", "--endpoint", virtuoso.query, "--update-endpoint", virtuoso.update, "--graph", GRAPH)
    clean_failure(result, virtuoso.update, "needs credentials")


def uploads_left(engine: Engine) -> list[str]:
    """Temporary upload graphs still in the store: a publish, finished or failed, leaves none."""
    answer = Endpoint(engine.query).select(
        "SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } FILTER(STRSTARTS(STR(?g), 'urn:x-egovgraph:upload:')) }",
        timeout=30,
    )
    assert not isinstance(answer, bool)
    return [row[0].value for row in answer[1]]  # type: ignore[union-attr]


def test_virtuoso_graph_store_publish_query_republish(virtuoso: Engine, embedded_tsv: dict[str, str]) -> None:
    """One Graph Store PUT to /sparql-graph-crud-auth (Digest auth) per publish; republishing replaces."""
    assert virtuoso.graph_store is not None and virtuoso.graph_store.endswith("/sparql-graph-crud-auth")
    triples = len(build_triples())
    out = ok(publish_cli(virtuoso, "--graph-store", virtuoso.graph_store))
    assert f"published {triples:,} triples" in out and "(graph-store, 1 upload request(s))" in out
    assert_same_answers(virtuoso, embedded_tsv, VIRTUOSO_DEVIATIONS, frozenset(VIRTUOSO_WRONG))
    out = ok(publish_cli(virtuoso, "--graph-store", virtuoso.graph_store))
    assert f"published {triples:,} triples" in out and "(graph-store, 1 upload request(s))" in out
    assert Endpoint(virtuoso.query).count(GRAPH) == triples
    assert uploads_left(virtuoso) == []


@pytest.fixture(scope="module")
def large_dump(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("large") / "large.nt"
    ok(cli("synth", "--municipalities", "500", "--services", "30", "--triples", "60000", "-o", str(path)))
    # sent unauthenticated, a body of 1 MB or more never got Virtuoso's 401 back: it closed the connection
    # while the body was being sent, so the auth challenge must be met before the body goes out
    assert path.stat().st_size > 8_000_000
    return path


def test_virtuoso_graph_store_takes_a_large_build_in_one_put(virtuoso: Engine, large_dump: Path) -> None:
    triples = len(build_triples(large_dump))
    out = ok(publish_cli(virtuoso, "--graph-store", virtuoso.graph_store or "", "--dump", str(large_dump)))
    assert f"published {triples:,} triples" in out and "(graph-store, 1 upload request(s))" in out
    assert Endpoint(virtuoso.query).count(GRAPH) == triples
    assert uploads_left(virtuoso) == []


def test_virtuoso_graph_store_refuses_wrong_credentials(virtuoso: Engine, large_dump: Path) -> None:
    """Refused before the body is sent: the error names the Graph Store URL, never the password."""
    store = virtuoso.graph_store or ""
    before = Endpoint(virtuoso.query).count(GRAPH)
    upload = [
        "publish",
        "--endpoint",
        virtuoso.query,
        "--update-endpoint",
        virtuoso.update,
        "--graph-store",
        store,
        "--graph",
        GRAPH,
        "--dump",
        str(large_dump),
    ]
    result = cli(*upload, "--user", virtuoso.user or "", env={"EGOVGRAPH_PASSWORD": SECRET})
    clean_failure(result, store, "refused the credentials", "EGOVGRAPH_PASSWORD")
    clean_failure(cli(*upload), store, "needs credentials", "--user")
    assert Endpoint(virtuoso.query).count(GRAPH) == before
    assert uploads_left(virtuoso) == []


def test_virtuoso_batches_stay_under_its_limit(virtuoso: Engine) -> None:
    endpoint = Endpoint(virtuoso.query, update_url=virtuoso.update, user=virtuoso.user, password=virtuoso.password)
    lines = [f'<urn:s:{i}> <urn:p> "{i}" .' for i in range(2500)]
    done = publish(endpoint, "urn:x-test:batches", triples=lines)
    assert (done.triples, done.requests) == (2500, 5)


# --------------------------------------------------------------------------- endpoints that misbehave


def test_endpoint_down() -> None:
    url = f"http://127.0.0.1:{free_port()}/sparql"
    clean_failure(cli("query", "-n", "lands", "--endpoint", url), f"cannot reach the SPARQL endpoint {url}")


def test_endpoint_too_slow() -> None:
    with silent_server() as url:
        message = clean_failure(
            cli("query", "-n", "lands", "--endpoint", url, "--timeout", "0.5"), url, "did not answer within 0.5 s"
        )
    assert "--timeout" in message


def test_endpoint_answers_garbage() -> None:
    with http_server(200, b"<html>Welcome to my homepage</html>", {"Content-Type": "text/html"}) as url:
        clean_failure(cli("query", "-n", "lands", "--endpoint", url), url, "not SPARQL results", "text/html")
    with http_server(
        200, b'{"head": {"vars": ["x"]}, "results": ', {"Content-Type": "application/sparql-results+json"}
    ) as url:
        clean_failure(cli("query", "-n", "lands", "--endpoint", url), url, "not SPARQL results")


def test_endpoint_refuses_credentials() -> None:
    with http_server(401, b"no", {"WWW-Authenticate": 'Basic realm="x"'}) as url:
        message = clean_failure(
            cli("query", "-n", "lands", "--endpoint", url, "--user", "alice", env={"EGOVGRAPH_PASSWORD": SECRET}),
            url,
            "refused the credentials",
            "'alice'",
        )
        assert SECRET not in message
        clean_failure(cli("query", "-n", "lands", "--endpoint", url), "needs credentials")
    with http_server(401, b"no", {"WWW-Authenticate": 'Digest realm="x", nonce="abc", qop="auth"'}) as url:
        clean_failure(
            cli("query", "-n", "lands", "--endpoint", url, "--user", "alice", env={"EGOVGRAPH_PASSWORD": SECRET}),
            url,
            "refused the credentials",
        )


def test_password_in_url_is_never_shown() -> None:
    port = free_port()
    result = cli("query", "-n", "lands", "--endpoint", f"http://bob:{SECRET}@127.0.0.1:{port}/sparql")
    clean_failure(result, f"http://127.0.0.1:{port}/sparql")


def test_user_without_password_and_bad_options() -> None:
    result = cli(
        "query",
        "-n",
        "lands",
        "--endpoint",
        "http://127.0.0.1:9/sparql",
        "--user",
        "alice",
        env={"EGOVGRAPH_PASSWORD": None},
    )  # type: ignore[dict-item]
    clean_failure(result, "EGOVGRAPH_PASSWORD")
    clean_failure(cli("query", "-n", "lands", "--endpoint", "ftp://x/sparql"), "not an http(s) URL")
    clean_failure(cli("query", "-n", "lands", "--graph", GRAPH), "--endpoint")
    clean_failure(cli("publish", "--endpoint", "http://127.0.0.1:9/q", "--graph", "not an iri"), "absolute IRI")


def test_endpoint_error_type() -> None:
    with pytest.raises(EndpointError, match="cannot reach"):
        Endpoint(f"http://127.0.0.1:{free_port()}/sparql").select("ASK {}", timeout=2)
