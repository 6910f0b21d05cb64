"""`egovgraph build`: dumps that re-parse to the same graph, determinism, atomicity, rebasing, packaging."""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
import zipfile
from pathlib import Path

import pyoxigraph
import pytest
from click.testing import CliRunner
from rdflib import Dataset, Graph, URIRef
from rdflib.compare import isomorphic
from rdflib.namespace import RDF, VOID

from egovgraph.cli import main
from egovgraph.errors import ValidationFailed
from egovgraph.graph.build import BuildResult, build
from egovgraph.graph.load import Loaded

REPO = Path(__file__).resolve().parents[2]

DUMPS = {"egovgraph.ttl": "turtle", "egovgraph.nt": "nt", "egovgraph.jsonld": "json-ld"}
OXI = {
    "egovgraph.ttl": pyoxigraph.RdfFormat.TURTLE,
    "egovgraph.nt": pyoxigraph.RdfFormat.N_TRIPLES,
    "egovgraph.jsonld": pyoxigraph.RdfFormat.JSON_LD,
    "egovgraph.trig": pyoxigraph.RdfFormat.TRIG,
    "void.ttl": pyoxigraph.RdfFormat.TURTLE,
}


def test_build_writes_every_dump(built: BuildResult, graph: Graph) -> None:
    names = sorted(p.name for p in built.out_dir.iterdir())
    assert names == ["egovgraph.jsonld", "egovgraph.nt", "egovgraph.trig", "egovgraph.ttl", "void.ttl"]
    assert built.triples == len(graph)


@pytest.mark.parametrize("name", sorted(DUMPS))
def test_dump_reparses_isomorphic_to_the_build(built: BuildResult, graph: Graph, name: str) -> None:
    parsed = Graph().parse(built.out_dir / name, format=DUMPS[name])
    assert len(parsed) == len(graph)
    assert isomorphic(parsed, graph)


def test_trig_keeps_one_named_graph_per_source(built: BuildResult, loaded: Loaded) -> None:
    ds = Dataset()
    ds.parse(built.out_dir / "egovgraph.trig", format="trig")
    names = {g.identifier for g in ds.graphs() if len(g)}
    expected = set(loaded.graph_files)
    assert names == expected
    assert URIRef("https://w3id.org/egovgraph/graph/egovernment-bilanz-teil-3") in names
    assert URIRef("https://w3id.org/egovgraph/graph/reference") in names
    for g_iri in expected:
        assert isomorphic(ds.graph(g_iri), loaded.dataset.graph(g_iri)), g_iri


@pytest.mark.parametrize("name", sorted(OXI))
def test_second_parser_reads_every_dump(built: BuildResult, graph: Graph, name: str) -> None:
    quads = list(pyoxigraph.parse(path=str(built.out_dir / name), format=OXI[name]))
    assert quads
    if name.startswith("egovgraph."):
        assert len({(q.subject, q.predicate, q.object) for q in quads}) == len(graph)


def test_void_describes_the_build(built: BuildResult, graph: Graph) -> None:
    void = Graph().parse(built.out_dir / "void.ttl")
    ds = URIRef("https://w3id.org/egovgraph/dataset/egovgraph")
    assert (ds, RDF.type, VOID.Dataset) in void
    assert int(void.value(ds, VOID.triples)) == len(graph)
    assert int(void.value(ds, VOID.entities)) > 200
    assert URIRef("https://creativecommons.org/licenses/by/4.0/") in set(
        void.objects(ds, URIRef("http://purl.org/dc/terms/license"))
    )
    dumps = {str(o) for o in void.objects(ds, VOID.dataDump)}
    assert "https://w3id.org/egovgraph/dumps/egovgraph.ttl" in dumps
    examples = set(void.objects(ds, VOID.exampleResource))
    assert URIRef("https://w3id.org/egovgraph/id/land/baden-wuerttemberg") in examples
    nt_hash = hashlib.sha256((built.out_dir / "egovgraph.nt").read_bytes()).hexdigest()
    assert str(void.value(ds, URIRef("http://purl.org/dc/terms/identifier"))) == f"sha256:{nt_hash}"


def _cli_build(out: Path, seed: str) -> dict[str, bytes]:
    env = {**os.environ, "PYTHONHASHSEED": seed}
    subprocess.run(
        [sys.executable, "-m", "egovgraph", "build", "--out", str(out)], check=True, env=env, capture_output=True
    )
    return {p.name: p.read_bytes() for p in sorted(out.iterdir())}


def test_two_builds_are_byte_identical(tmp_path: Path) -> None:
    first = _cli_build(tmp_path / "a", "1")
    second = _cli_build(tmp_path / "b", "2")
    assert first.keys() == second.keys()
    for name in first:
        assert first[name] == second[name], name


def test_failed_build_writes_nothing(tmp_path: Path, data_copy: Path, runner: CliRunner) -> None:
    out = tmp_path / "dist"
    out.mkdir()
    (out / "egovgraph.ttl").write_text("previous build\n", encoding="utf-8")
    article = data_copy / "sources" / "egovernment-bilanz-teil-3.ttl"
    article.write_text(
        article.read_text(encoding="utf-8").replace("status:planned", "status:someday", 1), encoding="utf-8"
    )
    result = runner.invoke(main, ["build", "--data", str(data_copy), "--out", str(out)])
    assert result.exit_code == 1
    assert "status:someday" in result.output and "nothing was written" in result.output
    assert sorted(p.name for p in out.iterdir()) == ["egovgraph.ttl"]
    assert (out / "egovgraph.ttl").read_text(encoding="utf-8") == "previous build\n"
    with pytest.raises(ValidationFailed):
        build(tmp_path / "other", data_dir=data_copy)
    assert not (tmp_path / "other").exists()


def test_syntax_error_in_build_exits_2_and_writes_nothing(tmp_path: Path, data_copy: Path, runner: CliRunner) -> None:
    broken = data_copy / "sources" / "egovernment-bilanz-teil-1.ttl"
    broken.write_text(broken.read_text(encoding="utf-8") + "\nland:x land:y\n", encoding="utf-8")
    result = runner.invoke(main, ["build", "--data", str(data_copy), "--out", str(tmp_path / "d")])
    assert result.exit_code == 2
    assert f"{broken} line" in result.output
    assert not (tmp_path / "d").exists()


def test_out_is_a_file(tmp_path: Path, runner: CliRunner) -> None:
    target = tmp_path / "file"
    target.write_text("x", encoding="utf-8")
    result = runner.invoke(main, ["build", "--out", str(target)])
    assert result.exit_code == 2
    assert "not a directory" in result.output


def test_base_iri_rebases_every_resource(tmp_path: Path) -> None:
    result = build(tmp_path, base_iri="https://example.org/egov/")
    g = Graph().parse(result.out_dir / "egovgraph.nt", format="nt")
    bremen = URIRef("https://example.org/egov/id/land/bremen")
    assert (bremen, RDF.type, URIRef("https://w3id.org/egovgraph/ontology#Land")) in g
    stale = {str(t) for triple in g for t in triple if str(t).startswith("https://w3id.org/egovgraph/id/")}
    assert stale == set()


def test_build_from_another_directory(tmp_path: Path) -> None:
    subprocess.run(
        [sys.executable, "-m", "egovgraph", "build", "--out", "out"], cwd=tmp_path, check=True, capture_output=True
    )
    assert (tmp_path / "out" / "egovgraph.ttl").is_file()


def test_wheel_ships_ontology_and_data_and_builds_from_anywhere(tmp_path: Path) -> None:
    wheels = tmp_path / "wheels"
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "--quiet", "-w", str(wheels), str(REPO)],
        check=True,
        capture_output=True,
    )
    (wheel,) = wheels.glob("egovgraph-*.whl")
    with zipfile.ZipFile(wheel) as zf:
        names = set(zf.namelist())
        zf.extractall(tmp_path / "site")
    assert "egovgraph/_resources/ontology/egov.ttl" in names
    assert "egovgraph/_resources/ontology/shapes.ttl" in names
    assert "egovgraph/_resources/data/sources/egovernment-bilanz-teil-3.ttl" in names
    assert "egovgraph/_resources/data/texts/egovernment-bilanz-teil-3.txt" in names
    assert "egovgraph/py.typed" in names
    work = tmp_path / "elsewhere"
    work.mkdir()
    env = {**os.environ, "PYTHONPATH": str(tmp_path / "site")}
    code = "import egovgraph.graph.load as l; print(l.resource_root())"
    where = subprocess.run(
        [sys.executable, "-c", code], cwd=work, env=env, check=True, capture_output=True, text=True
    ).stdout.strip()
    assert where == str(tmp_path / "site" / "egovgraph" / "_resources")
    subprocess.run(
        [sys.executable, "-m", "egovgraph", "build", "--out", "dist"],
        cwd=work,
        env=env,
        check=True,
        capture_output=True,
    )
    assert (work / "dist" / "egovgraph.trig").is_file()


@pytest.mark.parametrize(
    "bad", ["example.org/egov/", "https://example.org/egov", "ftp://x/", "https://x/a b/", "https://x/#/"]
)
def test_bad_base_iri_is_refused(bad: str, runner: CliRunner, tmp_path: Path) -> None:
    result = runner.invoke(main, ["build", "--base-iri", bad, "--out", str(tmp_path / "d")])
    assert result.exit_code == 2
    assert "base IRI" in result.output
    assert not (tmp_path / "d").exists()
