"""`egovgraph stats`: counts per class, per Land, per source, and the Länder with no facts yet."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

from click.testing import CliRunner

from egovgraph.cli import main
from egovgraph.graph.load import load
from egovgraph.graph.stats import compute


def only_the_founding_article(data_copy: Path) -> Path:
    keep = {"egovernment-bilanz-teil-3.ttl", "egovernment-bilanz.ttl"}
    for path in (data_copy / "sources").glob("*.ttl"):
        if path.name not in keep:
            path.unlink()
    shutil.rmtree(data_copy / "texts", ignore_errors=True)
    return data_copy


def test_founding_article_alone_covers_two_laender(data_copy: Path, runner: CliRunner) -> None:
    data = only_the_founding_article(data_copy)
    # The article refers to the two agreements described by another source: add stand-ins.
    (data / "sources" / "agreements.ttl").write_text(
        "@prefix egov: <https://w3id.org/egovgraph/ontology#> .\n"
        "@prefix agreement: <https://w3id.org/egovgraph/id/agreement/> .\n"
        "agreement:ozg-dachabkommen a egov:Agreement .\n"
        "agreement:einzelvereinbarung-familie-und-kind a egov:Agreement .\n",
        encoding="utf-8",
    )
    stats = compute(load(data), lang="de")
    facts = {row.label: row.count for row in stats.lands}
    assert facts["Bremen"] > 0 and facts["Hamburg"] > 0
    assert len(stats.lands_without_facts) == 14
    assert {row.label for row in stats.lands_without_facts} >= {"Bayern", "Thüringen", "Saarland"}
    result = runner.invoke(main, ["stats", "--data", str(data), "--format", "json"])
    assert result.exit_code == 0, result.output
    report = json.loads(result.output)
    assert len(report["lands_without_facts"]) == 14
    instances = {row["label"]: row["instances"] for row in report["classes"]}
    assert instances["egov:Statement"] == 7
    assert instances["egov:Land"] == 16


def test_bundled_stats(runner: CliRunner) -> None:
    result = runner.invoke(main, ["stats", "--lang", "en"])
    assert result.exit_code == 0, result.output
    assert "Instances per class:" in result.output
    assert "Facts per Land:" in result.output and "Bremen" in result.output
    assert "The eGovernment review, part 3: Bremen and Hamburg" in result.output
    assert "Länder with no facts yet: none" in result.output


def test_facts_per_source_count_the_founding_article(runner: CliRunner) -> None:
    report = json.loads(runner.invoke(main, ["stats", "--format", "json"]).output)
    by_iri = {row["iri"]: row for row in report["sources"]}
    article = by_iri["https://w3id.org/egovgraph/id/source/egovernment-bilanz-teil-3"]
    assert article["evidence"] == 20
    assert article["facts"] >= 30


def test_filters_without_a_view_are_refused(runner: CliRunner) -> None:
    result = runner.invoke(main, ["stats", "--land", "HB"])
    assert result.exit_code == 2
    assert "add --view" in result.output
