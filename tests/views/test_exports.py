"""GEXF exports are valid GEXF 1.2draft (the schema is read at test time) and carry the view's metadata."""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any
from xml.etree import ElementTree

import pytest
from click.testing import CliRunner
from hypothesis import given, settings
from hypothesis import strategies as st

from egovgraph.cli import main
from egovgraph.graph.load import Loaded
from egovgraph.views.exports import to_gexf
from egovgraph.views.project import view
from viewdata import xss_graph

SCHEMA = Path(__file__).resolve().parents[3] / "shared" / "schemas" / "gexf-1.2draft" / "gexf.xsd"
NS = {"g": "http://www.gexf.net/1.2draft"}


@pytest.fixture(scope="module")
def schema() -> Any:
    xmlschema = pytest.importorskip("xmlschema", reason="pip install -e '.[test]' (xmlschema validates GEXF)")
    if not SCHEMA.is_file():
        pytest.fail(f"the GEXF 1.2draft schema is missing at {SCHEMA}", pytrace=False)
    return xmlschema.XMLSchema(str(SCHEMA))


def _errors(schema: Any, data: bytes) -> list[str]:
    return [str(err.reason) for err in schema.iter_errors(data.decode("utf-8"))]


@pytest.mark.parametrize("name", ["efa", "entity", "tech", "tech-lands"])
def test_gexf_of_every_view_is_valid(name: str, loaded: Loaded, schema: Any) -> None:
    data = to_gexf(view(name, loaded))
    assert _errors(schema, data) == []
    hostile = to_gexf(view(name, xss_graph()))
    assert _errors(schema, hostile) == []


def test_the_schema_catches_what_networkx_writes(schema: Any, loaded: Loaded) -> None:
    import networkx as nx

    raw = "\n".join(nx.generate_gexf(view("efa", loaded))).encode("utf-8")
    assert any("name" in reason for reason in _errors(schema, raw))  # <graph name=""> is not GEXF 1.2draft


def test_gexf_carries_the_views_metadata(loaded: Loaded) -> None:
    g = view("efa", loaded, land="HB", lang="en")
    root = ElementTree.fromstring(to_gexf(g))
    meta = root.find("g:meta", NS)
    assert meta is not None and "lastmodifieddate" not in meta.attrib
    assert meta.findtext("g:creator", namespaces=NS) == g.graph["build"]
    description = meta.findtext("g:description", namespaces=NS) or ""
    assert description.startswith(g.graph["title"] + " — " + g.graph["description"])
    assert description.endswith("filters: Land: Bremen")
    assert meta.findtext("g:keywords", namespaces=NS) == "view: efa, lang: en, filters: Land: Bremen"
    assert to_gexf(g) == to_gexf(view("efa", loaded, land="HB", lang="en"))  # deterministic


def test_cli_export_gexf_is_valid(schema: Any, tmp_path: Path) -> None:
    out = tmp_path / "efa.gexf"
    result = CliRunner().invoke(main, ["export", "--view", "efa", "--format", "gexf", "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert _errors(schema, out.read_bytes()) == []
    stdout = CliRunner().invoke(main, ["export", "--view", "efa", "--format", "gexf"])
    assert stdout.stdout_bytes == out.read_bytes()


# XML 1.0 holds no control characters (the graph's validation refuses them too) and no lone surrogates.
_XML_TEXT = st.text(
    alphabet=st.characters(blacklist_categories=("Cc", "Cs"), blacklist_characters="\ufffe\uffff"), max_size=40
)


@settings(max_examples=60, deadline=None)
@given(labels=st.lists(_XML_TEXT, min_size=1, max_size=6), title=_XML_TEXT, filters=_XML_TEXT)
def test_gexf_round_trips_any_text_and_stays_valid(schema: Any, labels: list[str], title: str, filters: str) -> None:
    import networkx as nx

    g = nx.DiGraph(title=title, description="d", filters=filters, build="b", view="custom", lang="de")
    for i, label in enumerate(labels):
        g.add_node(f"n{i}", label=label, note=label)
    for i in range(len(labels) - 1):
        g.add_edge(f"n{i}", f"n{i + 1}", label=labels[i], weight=i + 1)
    data = to_gexf(g)
    assert _errors(schema, data) == []
    back = nx.read_gexf(io.BytesIO(data))
    assert [back.nodes[f"n{i}"]["label"] for i in range(len(labels))] == labels
    assert [back.nodes[f"n{i}"]["note"] for i in range(len(labels))] == labels
    root = ElementTree.fromstring(data)
    assert root.findtext("g:meta/g:creator", namespaces=NS) == "b"
