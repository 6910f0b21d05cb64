"""Every file the project writes gets the user's umask (0644 under umask 022) and is still written atomically."""

from __future__ import annotations

import os
import stat
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner

from egovgraph.cli import main
from egovgraph.graph.files import current_umask, file_mode, open_atomic_text, write_all_atomic, write_atomic


@pytest.fixture(params=[0o022, 0o077, 0o002])
def umask(request: pytest.FixtureRequest) -> Iterator[int]:
    old = os.umask(request.param)
    try:
        yield request.param
    finally:
        os.umask(old)


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_the_umask_is_read_without_changing_it(umask: int) -> None:
    assert current_umask() == umask
    assert current_umask() == umask
    assert file_mode() == 0o666 & ~umask


def test_atomic_writers_honour_the_umask(umask: int, tmp_path: Path) -> None:
    expected = {0o022: 0o644, 0o077: 0o600, 0o002: 0o664}[umask]
    one = write_atomic(tmp_path / "one.txt", b"one\n")
    with open_atomic_text(tmp_path / "two.txt") as handle:
        handle.write("zwei\n")
    many = write_all_atomic(tmp_path / "out", {"a.ttl": b"a", "b.nt": b"b"})
    for path in (one, tmp_path / "two.txt", *many):
        assert _mode(path) == expected, path
    # the same mode open() gives a new file
    plain = tmp_path / "plain.txt"
    plain.write_bytes(b"x")
    assert _mode(plain) == expected
    assert sorted(p.name for p in tmp_path.iterdir()) == ["one.txt", "out", "plain.txt", "two.txt"]


def test_a_failed_text_write_leaves_the_old_file(tmp_path: Path) -> None:
    target = tmp_path / "keep.txt"
    target.write_text("old\n", encoding="utf-8")
    with pytest.raises(RuntimeError), open_atomic_text(target) as handle:
        handle.write("half")
        raise RuntimeError("disk full")
    assert target.read_text(encoding="utf-8") == "old\n"
    assert [p.name for p in tmp_path.iterdir()] == ["keep.txt"]


@pytest.mark.parametrize("mask,expected", [(0o022, 0o644), (0o077, 0o600)])
def test_every_command_writes_files_with_the_umask(mask: int, expected: int, tmp_path: Path) -> None:
    runner = CliRunner()
    commands = [
        (["viz", "--view", "efa", "-o", str(tmp_path / "efa.html")], ["efa.html"]),
        (["viz", "--view", "land", "--land", "HB", "-o", str(tmp_path / "hb.html")], ["hb.html"]),
        (["export", "--view", "efa", "--format", "gexf", "-o", str(tmp_path / "efa.gexf")], ["efa.gexf"]),
        (
            ["export", "--view", "efa", "--format", "csv", "-o", str(tmp_path / "efa.csv")],
            ["efa-nodes.csv", "efa-edges.csv"],
        ),
        (["synth", "-m", "2", "-s", "1", "-o", str(tmp_path / "synth.nt")], ["synth.nt"]),
        (["docs", "-o", str(tmp_path / "ontology.md")], ["ontology.md"]),
        (["build", "--out", str(tmp_path / "dist")], []),
    ]
    old = os.umask(mask)
    try:
        for args, names in commands:
            result = runner.invoke(main, args)
            assert result.exit_code == 0, (args, result.output)
            for name in names:
                assert _mode(tmp_path / name) == expected, name
        result = runner.invoke(main, ["load", "--store", f"oxigraph:{tmp_path / 'store'}", "--quiet"])
        assert result.exit_code == 0, result.output
    finally:
        os.umask(old)
    built = sorted((tmp_path / "dist").iterdir())
    assert built and all(_mode(p) == expected for p in built), [(p.name, oct(_mode(p))) for p in built]
    store = [p for p in (tmp_path / "store").rglob("*") if p.is_file()]  # written by pyoxigraph itself
    assert store and all(_mode(p) == expected for p in store), [(p.name, oct(_mode(p))) for p in store]
    assert not [p for p in tmp_path.rglob(".*.tmp")]
