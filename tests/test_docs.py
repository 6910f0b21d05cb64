"""Docs stay true to the code: generated reference up to date, every command documented with an example."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import click
import pytest
from click.testing import CliRunner

from egovgraph.cli import main
from egovgraph.graph.docs import ontology_markdown
from egovgraph.graph.load import Loaded

REPO = Path(__file__).resolve().parents[1]
COMMANDS = sorted(main.commands)


def test_ontology_reference_is_up_to_date(loaded: Loaded) -> None:
    committed = (REPO / "docs" / "ontology.md").read_text(encoding="utf-8")
    assert committed == ontology_markdown(loaded), "run: egovgraph docs -o docs/ontology.md"


def test_ontology_reference_documents_every_class_with_an_example(loaded: Loaded) -> None:
    text = ontology_markdown(loaded)
    for cls in ("egov:Land", "egov:Initiative", "egov:EfaService", "org:Membership", "egov:Statement"):
        section = text.split(f"### `{cls}`", 1)[1].split("\n### ", 1)[0]
        assert "Example: `" in section and "```turtle" in section, cls


@pytest.mark.parametrize("name", COMMANDS)
def test_every_command_has_help_with_an_example(name: str) -> None:
    result = CliRunner().invoke(main, [name, "--help"])
    assert result.exit_code == 0, result.output
    assert "Example" in result.output
    assert f"egovgraph {name}" in result.output


@pytest.mark.parametrize("name", COMMANDS)
def test_every_command_is_in_the_readme(name: str) -> None:
    assert f"egovgraph {name}" in (REPO / "README.md").read_text(encoding="utf-8")


def test_readme_test_command_is_what_ci_runs() -> None:
    ci = (REPO / ".ci" / "run").read_text(encoding="utf-8")
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    assert "exec bash scripts/test.sh" in ci
    assert "bash scripts/test.sh" in readme and "bash scripts/main.sh" in readme


def test_help_is_fast_and_imports_nothing_heavy() -> None:
    code = (
        "import sys; from egovgraph.cli import main; "
        "heavy = [m for m in ('pyshacl', 'pyvis', 'pyoxigraph', 'networkx', 'rdflib.plugins.sparql') "
        "if m in sys.modules]; print(heavy)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout.strip()
    assert out == "[]"


def test_main_group_is_click() -> None:
    assert isinstance(main, click.Group)
