"""Shared fixtures: the loaded bundled graph, a build in a temporary directory, a CLI runner."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner

from egovgraph.graph.build import BuildResult, build
from egovgraph.graph.load import Loaded, default_data_dir, load

REPO = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="session")
def loaded() -> Loaded:
    """The bundled ontology and data, loaded once per test session."""
    return load()


@pytest.fixture(scope="session")
def graph(loaded: Loaded):  # type: ignore[no-untyped-def]
    """The union of all named graphs of the bundled build (an rdflib Graph)."""
    return loaded.union()


@pytest.fixture(scope="session")
def built(tmp_path_factory: pytest.TempPathFactory) -> BuildResult:
    """A complete build of the bundled data in a session-wide temporary directory."""
    return build(tmp_path_factory.mktemp("dist"))


@pytest.fixture
def runner() -> CliRunner:
    return CliRunner()


@pytest.fixture
def data_copy(tmp_path: Path) -> Iterator[Path]:
    """A writable copy of the bundled data directory, for tests that break it on purpose."""
    import shutil

    target = tmp_path / "data"
    shutil.copytree(default_data_dir(), target)
    yield target
