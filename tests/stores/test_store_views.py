"""Views and stats from a store equal the views and stats of the same data in memory.

A view over a store fetches only its slice with SPARQL (egovgraph.views.slices); stats count inside the store.
Checked on the bundled data and on a bigger synthetic graph, for the embedded store (a dump), a
persistent Oxigraph store, a real Oxigraph server and a real Virtuoso (see store_servers.py).
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

import networkx as nx
import pytest
from click.testing import CliRunner, Result
from rdflib.namespace import RDF

from egovgraph.cli import main
from egovgraph.graph.build import DUMP_NAME, render
from egovgraph.graph.load import Loaded, load
from egovgraph.graph.stats import compute, compute_store
from egovgraph.graph.synth import generate
from egovgraph.stores.kinds import OxStore, embedded, load_oxigraph, open_oxigraph
from egovgraph.views.project import view
from egovgraph.vocab.namespaces import EGOV
from store_servers import Engine, oxigraph_server, virtuoso
from viewdata import chains_graph

__all__ = ["oxigraph_server", "virtuoso"]  # fixtures, imported for pytest

GRAPH = "https://example.org/graph/egovgraph-views"

#: (view, options): every view, with each kind of filter and both languages.
CASES: list[tuple[str, dict[str, Any]]] = [
    ("efa", {}),
    ("efa", {"land": ["bremen"]}),
    ("efa", {"status": ["completed"], "lang": "en"}),
    ("tech", {}),
    ("tech", {"year": ["2025"]}),
    ("tech-lands", {"land": ["HH", "Bremen"]}),
    ("tech", {"status": ["completed"], "lang": "en"}),
    ("tech", {"cls": ["Initiative"]}),
    ("tech", {"source": ["egovernment-bilanz-teil-3"]}),
    ("tech-lands", {"year": ["2024"], "lang": "en"}),
    ("tech", {"cls": ["Person"]}),
    ("efa", {"cls": ["Membership"]}),
    ("entity", {}),
    ("entity", {"land": ["hamburg"]}),
    ("entity", {"cls": ["Initiative"], "lang": "en"}),
    ("entity", {"source": ["egovernment-bilanz-teil-3"]}),
    ("custom", {"query": "SELECT ?source ?target WHERE { ?source egov:reusedBy ?target }"}),
    (
        "custom",
        {
            "query": "SELECT ?source ?target ?label (1 AS ?weight) WHERE { ?source egov:builtBy ?target ; "
            "rdfs:label ?label FILTER(LANG(?label) = 'de') }"
        },
    ),
    ("custom", {"query": "CONSTRUCT { ?s egov:builtBy ?o } WHERE { ?s egov:builtBy ?o }"}),
]


def comparable(g: nx.Graph) -> tuple[Any, ...]:
    """Everything of a view but the line saying which build or store it came from."""
    attrs = {k: v for k, v in g.graph.items() if k != "build"}
    edges = sorted((str(u), str(v), sorted(d.items())) for u, v, d in g.edges(data=True))
    return attrs, sorted((str(n), sorted(d.items())) for n, d in g.nodes(data=True)), edges


def dump_of(loaded: Loaded, path: Path) -> Path:
    path.write_bytes(render(loaded)[f"{DUMP_NAME}.trig"])
    return path


@pytest.fixture(scope="module")
def synthetic(tmp_path_factory: pytest.TempPathFactory) -> tuple[Loaded, Path]:
    """The bundled data plus a synthetic source (municipalities, services, officials, initiatives) and its dump."""
    work = tmp_path_factory.mktemp("synthetic-views")
    data = work / "data"
    shutil.copytree(load().data_dir, data)
    generate(data / "sources" / "synth.ttl", municipalities=120, services=25, seed=5, triples=4000)
    loaded = load(data)
    return loaded, dump_of(loaded, work / "synthetic.trig")


@pytest.fixture(scope="module")
def bundled(tmp_path_factory: pytest.TempPathFactory) -> tuple[Loaded, Path]:
    loaded = load()
    return loaded, dump_of(loaded, tmp_path_factory.mktemp("bundled-views") / "bundled.trig")


@pytest.fixture(scope="module")
def stores(
    bundled: tuple[Loaded, Path], synthetic: tuple[Loaded, Path], tmp_path_factory: pytest.TempPathFactory
) -> dict[str, tuple[Loaded, OxStore, OxStore]]:
    """For each data set: the data in memory, a persistent Oxigraph store and the embedded store of its dump."""
    out = {}
    for name, (loaded, dump) in (("bundled", bundled), ("synthetic", synthetic)):
        path = tmp_path_factory.mktemp(f"store-{name}") / "store"
        load_oxigraph(path, dump)
        out[name] = (loaded, open_oxigraph(path), embedded(dump))
    return out


@pytest.mark.parametrize(("name", "options"), CASES)
@pytest.mark.parametrize("data", ["bundled", "synthetic"])
def test_view_from_a_store_equals_the_view_in_memory(
    data: str,
    name: str,
    options: dict[str, Any],
    stores: dict[str, tuple[Loaded, OxStore, OxStore]],
) -> None:
    loaded, on_disk, in_memory = stores[data]
    expected = view(name, loaded, **options)
    assert expected.number_of_nodes() > 0 or options.get("land")
    assert comparable(view(name, on_disk, **options)) == comparable(expected)
    assert comparable(view(name, in_memory, **options)) == comparable(expected)


@pytest.mark.parametrize("data", ["bundled", "synthetic"])
def test_stats_counted_in_a_store_equal_the_stats_in_memory(data: str, request: pytest.FixtureRequest) -> None:
    loaded, dump = request.getfixturevalue(data)
    for lang in ("de", "en"):
        expected = compute(loaded, lang=lang).as_dict()
        assert compute_store(embedded(dump), lang=lang).as_dict() == expected


def test_a_store_view_says_which_store_it_came_from(bundled: tuple[Loaded, Path], tmp_path: Path) -> None:
    loaded, dump = bundled
    load_oxigraph(tmp_path / "store", dump)
    build = view("efa", open_oxigraph(tmp_path / "store")).graph["build"]
    assert build.startswith("egovgraph ") and f"the Oxigraph store {tmp_path / 'store'}" in build
    union = loaded.union()
    sources = len(set(union.subjects(RDF.type, EGOV.Source)))
    assert f", {len(union)} triples, {sources} sources, " in build


def test_the_slice_is_smaller_than_the_store(synthetic: tuple[Loaded, Path]) -> None:
    """The efa view reads services, reusers, evidence and sources, not the officials and initiatives."""
    from egovgraph.views.slices import view_slice

    _, dump = synthetic
    store = embedded(dump)
    total = len(store.store)
    sliced = len(view_slice(store, "efa"))
    assert sliced < total * 0.8, (sliced, total)
    assert len(view_slice(store, "entity")) >= sliced


#: Filters for the tech views on the chains fixture: each reads other links of a fact.
TECH_FILTERS: list[dict[str, Any]] = [
    {},
    {"lang": "en"},
    {"land": ["DE-CC"]},
    {"land": ["DE-DD", "DE-BB"]},
    {"cls": ["Initiative"]},
    {"cls": ["WebSite"]},
    {"cls": ["Portal", "EfaService"], "lang": "en"},
    {"status": ["planned"]},
    {"status": ["in-progress", "completed"]},
    {"source": ["one"]},
    {"source": ["two"], "land": ["DE-BB"]},
    {"year": ["2024"]},
    {"year": ["2023"], "status": ["planned"]},
    {"year": ["2022"]},
    {"year": ["2026"]},
]


@pytest.mark.parametrize("size", [1, 2, 4000])
@pytest.mark.parametrize("name", ["tech", "tech-lands"])
def test_tech_views_from_a_store_follow_every_link_in_batches(
    name: str,
    size: int,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Lands only reachable through chains, years through nested spans or a source, labels of every kind:
    the facts' batches (one fact at a time, two, all) hold what the view reads."""
    from egovgraph.views import slices

    monkeypatch.setattr(slices, "FACT_BATCH", size)
    graph = chains_graph()
    store = embedded(graph)
    for options in TECH_FILTERS:
        expected = view(name, graph, **options)
        assert expected.number_of_edges() > 0 or options.get("land") or name == "tech-lands", options
        assert comparable(view(name, store, **options)) == comparable(expected), options


def test_the_tech_slice_holds_one_batch_of_facts(synthetic: tuple[Loaded, Path]) -> None:
    """The tech views' slice holds technologies, Länder and sources; a batch adds its facts, then goes."""
    from rdflib import URIRef

    from egovgraph.views.facts import Filters
    from egovgraph.views.slices import fact_batches, view_slice
    from egovgraph.vocab.namespaces import EGOV

    _, dump = synthetic
    store = embedded(dump)
    sliced = view_slice(store, "tech")

    def using() -> set[URIRef]:
        return {
            s
            for s in sliced.subjects(EGOV.usesTechnology, None)  # type: ignore[misc]
            if not str(s).startswith(str(EGOV._NS))
        }

    before = len(sliced)
    assert not using()
    seen: list[URIRef] = []
    for batch in fact_batches(store, sliced, Filters(), size=10):
        assert 0 < len(batch) <= 10
        assert using() == set(batch)
        assert len(sliced) > before and sum(1 for _ in sliced) == len(sliced)
        seen += batch
    assert len(seen) > 100 and seen == sorted(seen, key=str)
    assert not using()
    assert len(sliced) - before < len(seen), (before, len(sliced))  # only chains and sources stay


# --------------------------------------------------------------------------- through the CLI


def cli(*args: str, env: dict[str, str] | None = None) -> Result:
    return CliRunner().invoke(main, list(args), env=env)


def ok(result: Result) -> str:
    assert result.exit_code == 0, result.output
    return result.stdout


def without_build(text: str) -> dict[str, Any]:
    doc: dict[str, Any] = json.loads(text)
    doc["graph"].pop("build")
    return doc


def test_cli_export_stats_and_viz_from_an_oxigraph_store(bundled: tuple[Loaded, Path], tmp_path: Path) -> None:
    _, dump = bundled
    spec = f"oxigraph:{tmp_path / 'store'}"
    ok(cli("load", "--store", spec, str(dump)))
    for name in ("efa", "tech", "entity"):
        expected = without_build(ok(cli("export", "--view", name, "--format", "json")))
        assert without_build(ok(cli("export", "--view", name, "--format", "json", "--store", spec))) == expected
        assert without_build(ok(cli("export", "--view", name, "--format", "json", "--dump", str(dump)))) == expected
    assert ok(cli("stats", "--store", spec)) == ok(cli("stats"))
    assert ok(cli("stats", "--format", "json", "--dump", str(dump), "--lang", "en")) == ok(
        cli("stats", "--format", "json", "--lang", "en")
    )
    assert ok(cli("stats", "--view", "efa", "--store", spec)) == ok(cli("stats", "--view", "efa"))
    out = ok(cli("viz", "--view", "tech", "--store", spec, "-o", str(tmp_path / "tech.html")))
    assert out.startswith(f"wrote {tmp_path / 'tech.html'} (")
    assert "the Oxigraph store" in (tmp_path / "tech.html").read_text(encoding="utf-8")


def test_cli_store_option_errors(tmp_path: Path) -> None:
    cases = [
        (("--store", "oxigraph:" + str(tmp_path / "none")), "there is no Oxigraph store at"),
        (("--store", "fuseki:x"), "unknown store 'fuseki:x'"),
        (("--endpoint", "http://127.0.0.1:9/sparql", "--store", "embedded"), "leave out --store"),
        (("--graph", "urn:x:g"), "--graph and --user go with --endpoint"),
        (("--dump", str(tmp_path / "missing.nq")), "does not exist"),
        (("--dump", str(tmp_path / "x.nq"), "--data", str(tmp_path)), "either --data or --dump"),
        (("--endpoint", "http://127.0.0.1:9/sparql"), "cannot reach the SPARQL endpoint http://127.0.0.1:9/sparql"),
    ]
    for command in (("stats",), ("stats", "--view", "efa"), ("export", "--view", "efa", "--format", "json")):
        for extra, message in cases:
            result = cli(*command, *extra)
            assert result.exit_code == 2, (command, extra, result.output)
            assert result.stdout == ""
            assert result.stderr.startswith("error: ") and message in result.stderr, (command, extra, result.stderr)
            assert "Traceback" not in result.output


# --------------------------------------------------------------------------- real SPARQL engines


def publish_to(engine: Engine, dump: Path) -> None:
    args = [
        "publish",
        "--dump",
        str(dump),
        "--endpoint",
        engine.query,
        "--update-endpoint",
        engine.update,
        "--graph",
        GRAPH,
    ]
    env = None
    if engine.user is not None:
        args += ["--user", engine.user]
        env = {"EGOVGRAPH_PASSWORD": engine.password or ""}
    ok(cli(*args, env=env))


@pytest.mark.parametrize("engine_name", ["oxigraph_server", "virtuoso"])
def test_views_and_stats_from_a_sparql_endpoint(
    engine_name: str,
    synthetic: tuple[Loaded, Path],
    request: pytest.FixtureRequest,
) -> None:
    engine: Engine = request.getfixturevalue(engine_name)
    loaded, dump = synthetic
    publish_to(engine, dump)
    where = ["--endpoint", engine.query, "--graph", GRAPH]
    for name in ("efa", "tech-lands"):
        expected = without_build(ok(cli("export", "--view", name, "--format", "json", "--data", str(loaded.data_dir))))
        got = without_build(ok(cli("export", "--view", name, "--format", "json", *where)))
        assert got == expected, name
    expected_stats = ok(cli("stats", "--format", "json", "--data", str(loaded.data_dir)))
    assert json.loads(ok(cli("stats", "--format", "json", *where))) == json.loads(expected_stats)


def test_view_from_python_over_an_endpoint(oxigraph_server: Engine, bundled: tuple[Loaded, Path]) -> None:
    from egovgraph.stores.kinds import RemoteStore
    from egovgraph.stores.remote import Endpoint

    loaded, dump = bundled
    publish_to(oxigraph_server, dump)
    store = RemoteStore(Endpoint(oxigraph_server.query), graph=GRAPH)
    assert comparable(view("efa", store, lang="en")) == comparable(view("efa", loaded, lang="en"))
    assert isinstance(embedded(dump), OxStore)


# --------------------------------------------------------------------------- too big for memory


def test_embedded_refuses_a_dump_that_does_not_fit(bundled: tuple[Loaded, Path]) -> None:
    import os
    import subprocess
    import sys

    from egovgraph.errors import MemoryLimitError
    from egovgraph.stores.memory import check_fits, parse_size

    _, dump = bundled
    check_fits(dump, available=dump.stat().st_size * 100)
    with pytest.raises(MemoryLimitError, match=r"would need about .*`egovgraph load --store oxigraph:"):
        check_fits(dump, available=dump.stat().st_size)
    env = {"EGOVGRAPH_MAX_MEMORY": "10K"}
    for command in (("query", "-n", "lands"), ("stats",), ("export", "--view", "efa", "--format", "json")):
        result = cli(*command, "--dump", str(dump), env=env)
        assert result.exit_code == 2 and result.stdout == "", result.output
        assert "more than the 10.0 KiB available" in result.stderr and "--store oxigraph:" in result.stderr
        assert ok(cli(*command, "--dump", str(dump), env={"EGOVGRAPH_MAX_MEMORY": "1G"}))
    done = subprocess.run(
        [sys.executable, "-m", "egovgraph", "query", "-n", "lands", "--dump", str(dump)],
        capture_output=True,
        text=True,
        env={**os.environ, **env},
        check=False,
    )
    assert done.returncode == 2 and done.stdout == "" and "more than the 10.0 KiB available" in done.stderr
    result = cli("stats", "--dump", str(dump), env={"EGOVGRAPH_MAX_MEMORY": "lots"})
    assert result.exit_code == 2 and "EGOVGRAPH_MAX_MEMORY='lots' is not a size" in result.stderr
    assert [parse_size(x) for x in ("1000", "2G", "512MiB", "1.5k", "3 GB")] == [1000, 2**31, 2**29, 1536, 3 * 2**30]
