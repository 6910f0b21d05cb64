"""The synthetic generator: valid against the shapes with the bundled data, deterministic, atomic, a thin CLI."""

from __future__ import annotations

from pathlib import Path

import pyoxigraph as ox
import pytest
from click.testing import CliRunner

from egovgraph.cli import main
from egovgraph.errors import InputError
from egovgraph.graph.load import load
from egovgraph.graph.synth import FACTS_PER_SOURCE, generate, reference
from egovgraph.graph.validate import validate

EGOV = "https://w3id.org/egovgraph/ontology#"
ORG = "http://www.w3.org/ns/org#"
RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"


@pytest.fixture(scope="module")
def small(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("synth") / "synth.ttl"
    generate(path, municipalities=40, services=10, seed=7)
    return path


def _store(path: Path) -> ox.Store:
    store = ox.Store()
    store.load(path=path, format=ox.RdfFormat.from_extension(path.suffix.lstrip(".")))
    return store


def _count(store: ox.Store, cls: str) -> int:
    return len(list(store.quads_for_pattern(None, ox.NamedNode(RDF_TYPE), ox.NamedNode(cls))))


def test_small_output_validates_with_the_bundled_data(small: Path) -> None:
    loaded = load(files=[small])
    assert any(small in paths for paths in loaded.graph_files.values())
    problems = validate(loaded)
    assert problems == [], "\n".join(str(p) for p in problems[:20])


def test_validation_sees_the_synthetic_file(small: Path, tmp_path: Path) -> None:
    broken = tmp_path / "broken.ttl"
    lines = small.read_text(encoding="utf-8").splitlines(keepends=True)
    broken.write_text("".join(line for line in lines if "xmlns.com/foaf/0.1/name" not in line), encoding="utf-8")
    problems = validate(load(files=[broken]))
    assert problems and all(p.check == "shacl" for p in problems)


def test_the_graph_has_the_promised_shape(small: Path) -> None:
    store = _store(small)
    ref = reference()
    assert len(ref.lands) == 16
    assert _count(store, EGOV + "LocalAuthority") == 40
    assert _count(store, EGOV + "EfaService") == 10
    assert _count(store, EGOV + "Land") == 0  # the bundled Länder are reused, not redefined
    lands = {ox.NamedNode(x) for x in ref.lands}
    parents = list(store.quads_for_pattern(None, ox.NamedNode(ORG + "subOrganizationOf"), None))
    assert parents and all(q.object in lands for q in parents)
    for service in store.quads_for_pattern(None, ox.NamedNode(RDF_TYPE), ox.NamedNode(EGOV + "EfaService")):
        builders = list(store.quads_for_pattern(service.subject, ox.NamedNode(EGOV + "builtBy"), None))
        assert len(builders) == 1 and builders[0].object in lands
    reusers = {q.object for q in store.quads_for_pattern(None, ox.NamedNode(EGOV + "reusedBy"), None)}
    assert reusers & lands and reusers - lands  # Länder and municipalities
    assert _count(store, ORG + "Membership") > 0
    assert len(list(store.quads_for_pattern(None, ox.NamedNode(ORG + "memberDuring"), None))) > 0
    assert not any(isinstance(t, ox.BlankNode) for q in store for t in (q.subject, q.object))


def test_same_seed_same_bytes_other_seed_other_bytes(tmp_path: Path) -> None:
    a, b, c = tmp_path / "a.nt", tmp_path / "b.nt", tmp_path / "c.nt"
    generate(a, municipalities=30, services=5, seed=1)
    generate(b, municipalities=30, services=5, seed=1)
    generate(c, municipalities=30, services=5, seed=2)
    assert a.read_bytes() == b.read_bytes()
    assert a.read_bytes() != c.read_bytes()


@pytest.mark.slow
def test_target_size_and_quads(tmp_path: Path) -> None:
    path = tmp_path / "big.nq"
    done = generate(path, municipalities=100, services=20, seed=0, triples=30_000)
    assert 30_000 <= done.triples < 30_100
    store = _store(path)
    assert len(store) == done.triples
    assert len(list(store.named_graphs())) == done.sources >= done.initiatives // FACTS_PER_SOURCE
    assert not list(store.quads_for_pattern(None, None, None, ox.DefaultGraph()))


def test_bad_arguments_write_nothing(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="must not be negative"):
        generate(tmp_path / "x.nt", municipalities=-1, services=1)
    with pytest.raises(InputError, match=r"\.nt, \.ttl"):
        generate(tmp_path / "x.csv", municipalities=1, services=1)
    with pytest.raises(InputError, match="does not exist"):
        generate(tmp_path / "missing" / "x.nt", municipalities=1, services=1)
    assert list(tmp_path.iterdir()) == []


def test_a_failed_write_keeps_the_old_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "keep.nt"
    path.write_text("old\n", encoding="utf-8")

    def boom(*args: object, **kwargs: object) -> int:
        raise RuntimeError("disk full")

    monkeypatch.setattr("egovgraph.graph.synth._emit", boom)
    with pytest.raises(RuntimeError):
        generate(path, municipalities=3, services=1)
    assert path.read_text(encoding="utf-8") == "old\n"
    assert [p.name for p in tmp_path.iterdir()] == ["keep.nt"]


def test_cli_writes_the_file(tmp_path: Path) -> None:
    out = tmp_path / "cli.ttl"
    result = CliRunner().invoke(
        main, ["synth", "--municipalities", "5", "--services", "2", "--seed", "3", "-o", str(out)]
    )
    assert result.exit_code == 0, result.output
    assert "5 municipalities" in result.output
    lib = tmp_path / "lib.ttl"
    generate(lib, municipalities=5, services=2, seed=3)
    assert out.read_bytes() == lib.read_bytes()


@pytest.mark.parametrize(
    "args",
    [
        ["--municipalities", "-1", "--services", "2"],
        ["--municipalities", "1", "--services", "-2"],
        ["--municipalities", "1", "--services", "2", "--triples", "-5"],
        ["--municipalities", "many", "--services", "2"],
        ["--services", "2"],
    ],
)
def test_cli_bad_arguments_exit_2(tmp_path: Path, args: list[str]) -> None:
    result = CliRunner().invoke(main, ["synth", *args, "-o", str(tmp_path / "x.nt")])
    assert result.exit_code == 2, result.output
    assert not (tmp_path / "x.nt").exists()


def test_cli_bad_output_exit_2(tmp_path: Path) -> None:
    result = CliRunner().invoke(main, ["synth", "-m", "1", "-s", "1", "-o", str(tmp_path / "x.csv")])
    assert result.exit_code == 2
    assert "error:" in result.output and ".nq" in result.output
