"""The Land dossier: the library on a fixture graph and the bundled data, the page, the CLI end to end."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from click.testing import CliRunner
from rdflib import Graph

from egovgraph.cli import main
from egovgraph.errors import InputError
from egovgraph.graph.build import BuildResult
from egovgraph.graph.load import Loaded
from egovgraph.views.dossier import dossier
from egovgraph.views.dossier_page import dossier_html, write_dossier
from viewdata import XSS_IMG, XSS_SCRIPT, _turtle, fixture_graph, xss_graph

LEADERS_TTL = """
@prefix foaf: <http://xmlns.com/foaf/0.1/> .
@prefix role: <https://w3id.org/egovgraph/vocab/role/> .
@prefix person: <https://w3id.org/egovgraph/id/person/> .
@prefix membership: <https://w3id.org/egovgraph/id/membership/> .
@prefix period: <https://w3id.org/egovgraph/id/period/> .
@prefix portal: <https://w3id.org/egovgraph/id/portal/> .
@prefix strategy: <https://w3id.org/egovgraph/id/strategy/> .

person:old a foaf:Person ; rdfs:label "Alte Leitung"@de .
person:new a foaf:Person ; rdfs:label "Neue Leitung"@de .
person:minister a foaf:Person ; rdfs:label "Ministerin A"@de .
t:2021-05 a time:Instant ; rdfs:label "Mai 2021"@de ; time:inXSDgYear "2021"^^xsd:gYear ;
    time:inXSDgYearMonth "2021-05"^^xsd:gYearMonth .
t:2024-05-14 a time:Instant ; rdfs:label "14. Mai 2024"@de ; time:inXSDgYear "2024"^^xsd:gYear ;
    time:inXSDDate "2024-05-14"^^xsd:date .
membership:old a org:Membership ; rdfs:label "Alte Leitung, CIO"@de ; org:member person:old ;
    org:organization land:a ; org:role role:cio ; org:memberDuring period:old ; egov:hasEvidence evidence:two .
period:old a time:ProperInterval ; time:hasBeginning t:2021-05 ; time:hasEnd t:2024-05-14 .
membership:new a org:Membership ; rdfs:label "Neue Leitung, CIO"@de ; org:member person:new ;
    org:organization land:a ; org:role role:cio ; org:memberDuring period:new ; egov:hasEvidence evidence:one .
period:new a time:ProperInterval ; time:hasBeginning t:2024-05-14 .
membership:minister a org:Membership ; org:member person:minister ; org:organization organisation:a-ministry ;
    org:role role:minister ; egov:hasEvidence evidence:one .
membership:elsewhere a org:Membership ; org:member person:new ; org:organization land:b ; org:role role:cdo .

portal:a a egov:Portal ; rdfs:label "Portal A"@de ; egov:operatedBy land:a ; egov:hasEvidence evidence:one .
portal:a-sub a egov:Portal ; rdfs:label "Unterportal A"@de ; egov:integratedInto portal:a ;
    egov:hasEvidence evidence:two .
strategy:a a egov:Strategy ; rdfs:label "Strategie A"@de ; egov:responsibleOrganisation organisation:a-ministry ;
    egov:status status:in-progress ; egov:usesTechnology tech:api ; egov:hasEvidence evidence:one .
"""


@pytest.fixture(scope="module")
def fixture() -> Graph:
    return fixture_graph(LEADERS_TTL)


def test_leaders_over_time_with_their_dates(fixture: Graph) -> None:
    d = dossier(fixture, "DE-AA")
    rows = [(x.person.label, x.role.label if x.role else "", x.organisation.label, x.start, x.end) for x in d.leaders]
    assert rows == [
        ("Alte Leitung", "CIO", "Aland", "2021-05", "2024-05-14"),
        ("Neue Leitung", "CIO", "Aland", "2024-05-14", ""),
        (
            "Ministerin A",
            "Minister/Ministerin",
            "Ministerium A",
            "",
            "",
        ),  # the ministry counts as Aland, no dates known
    ]
    assert d.leaders[0].start_label == "Mai 2021" and d.leaders[0].sources[0].label == "Quelle zwei"
    assert all(x.person.label != "Neue Leitung" or x.organisation.label == "Aland" for x in d.leaders)


def test_services_by_the_lands_part_with_partners(fixture: Graph) -> None:
    a = dossier(fixture, "land:a")
    assert [(s.service.label, s.part) for s in a.services] == [("Leistung eins", "built"), ("Leistung zwei", "built")]
    two = a.services[1]
    assert [r.label for r in two.builders] == ["Aland", "Beland"]
    assert [r.label for r in two.partners] == ["Deland"]
    assert [r.label for r in two.reusers] == ["Beland", "Celand"]
    assert a.services[0].focus and not two.focus
    c = dossier(fixture, "Celand")
    assert [(s.service.label, s.part) for s in c.services] == [("Leistung eins", "reused"), ("Leistung zwei", "reused")]
    d = dossier(fixture, "DE-DD")
    assert [(s.service.label, s.part) for s in d.services] == [("Leistung drei", "built"), ("Leistung zwei", "partner")]
    assert d.services[0].reuse_counts == ("in 11 Ländern",)
    assert d.counts["services_built"] == 1 and d.counts["services_partner"] == 1


def test_initiatives_by_status_and_year_technologies_portals_strategies(fixture: Graph) -> None:
    a = dossier(fixture, "land:a")
    assert [(i.item.label, i.status_key, i.years) for i in a.initiatives] == [
        ("KI in A", "planned", (2025,)),
        ("API in C", "completed", (2023,)),  # its ministry is Aland's; the year is its source's
    ]
    assert [(key, counts) for key, _, counts in a.by_status] == [("planned", ((2025, 1),)), ("completed", ((2023, 1),))]
    assert [s.item.label for s in a.strategies] == ["Strategie A"]
    assert [(t.technology.iri.rsplit("/", 1)[-1], len(t.used_by)) for t in a.technologies] == [
        ("api", 3),
        ("artificial-intelligence", 1),
    ]
    assert [(p.portal.label, [r.label for r in p.integrated_into]) for p in a.portals] == [
        ("Portal A", []),
        ("Unterportal A", ["Portal A"]),
    ]
    assert [s.source.label for s in a.sources] == ["Quelle eins", "Quelle zwei"]
    assert a.sources[0].url == "https://example.org/one" and a.sources[0].issued == "2024-12"


def test_a_land_the_graph_knows_nothing_about_is_an_empty_dossier(fixture: Graph) -> None:
    lone = fixture_graph('land:z a egov:Land ; rdfs:label "Zetland"@de ; egov:isoCode "DE-ZZ" .')
    d = dossier(lone, "Zetland", lang="en")
    assert d.empty and d.leaders == () and d.services == () and d.sources == ()
    page = dossier_html(d)
    assert "holds nothing about Zetland" in page and "Nothing in the graph." in page


def test_bad_land_values_are_input_errors(fixture: Graph) -> None:
    with pytest.raises(InputError, match="unknown Land 'Atlantis'"):
        dossier(fixture, "Atlantis")
    with pytest.raises(InputError, match="unknown language"):
        dossier(fixture, "land:a", lang="fr")


def test_the_bundled_bremen_dossier(loaded: Loaded) -> None:
    d = dossier(loaded, "land:bremen")
    assert d.land.label == "Bremen" and d.identifiers["iso"] == "DE-HB"
    assert any(x.person.label == "Carola Heilemann-Jeschke" for x in d.leaders)
    assert any(s.service.label.startswith("Unterhaltsvorschuss") and s.part == "built" for s in d.services)
    assert {i.status_key for i in d.initiatives} >= {"planned", "completed"}
    assert "Serviceportal Bremen" in {p.portal.label for p in d.portals}
    assert sum(n for _, _, counts in d.by_status for _, n in counts) >= len(d.initiatives)
    cited = {s.iri for x in (*d.initiatives, *d.services, *d.leaders, *d.portals) for s in x.sources}
    assert cited <= {s.source.iri for s in d.sources}
    english = dossier(loaded, "HB", lang="en")
    assert english.counts == d.counts and english.lang == "en"


def test_the_page_is_self_contained_and_embeds_the_data(loaded: Loaded) -> None:
    d = dossier(loaded, "land:bremen")
    page = dossier_html(d)
    assert page.startswith('<!DOCTYPE html>\n<html lang="de">')
    assert "<title>Bremen: Dossier</title>" in page
    assert not re.search(r"<script(?! type=\"application/json\")", page)  # no script runs
    assert not re.search(r"(src|href)=\"(?!https?://|#)", page)  # only web links and anchors
    data = json.loads(re.search(r'id="egovgraph-dossier">(.*?)</script>', page, re.S).group(1))  # type: ignore[union-attr]
    assert data == json.loads(json.dumps(d.as_dict()))
    assert dossier_html(d) == page  # deterministic


def test_hostile_labels_and_addresses_stay_text(tmp_path: Path) -> None:
    extra = f"""
source:evil a egov:Source ; rdfs:label {_turtle(XSS_IMG)}@de ; schema:url <javascript:alert(1)> .
evidence:evil a egov:Evidence ; prov:entity source:evil ; egov:note "x"@de .
initiative:evil a egov:Initiative ; rdfs:label {_turtle(XSS_SCRIPT)}@de ; egov:responsibleOrganisation land:x ;
    egov:hasEvidence evidence:evil .
"""
    graph = xss_graph()
    graph.parse(data=_prefixes() + extra, format="turtle")
    d = dossier(graph, "DE-XX")
    page = dossier_html(d, title=XSS_SCRIPT)
    assert XSS_IMG not in page and XSS_SCRIPT not in page
    assert "&lt;img src=x onerror=window.__pwned=1&gt;" in page
    assert "javascript:" not in page
    write_dossier(d, tmp_path / "x.html")
    assert (tmp_path / "x.html").read_text(encoding="utf-8") == dossier_html(d)


def _prefixes() -> str:
    from viewdata import FIXTURE_TTL

    return "\n".join(line for line in FIXTURE_TTL.splitlines() if line.startswith("@prefix"))


# ---------------------------------------------------------------------------------------------- CLI


def test_cli_writes_the_dossier(runner: CliRunner, tmp_path: Path) -> None:
    out = tmp_path / "bremen.html"
    result = runner.invoke(main, ["viz", "--view", "land", "--land", "land:bremen", "-o", str(out), "--lang", "en"])
    assert result.exit_code == 0, result.output
    assert f"wrote {out} (dossier of Bremen:" in result.output
    page = out.read_text(encoding="utf-8")
    assert "<title>Bremen: dossier</title>" in page and "Leaders over time" in page


def test_cli_default_file_name_and_empty_warning(
    runner: CliRunner, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from viewdata import reference_only

    data = reference_only(tmp_path)
    monkeypatch.chdir(tmp_path)
    result = runner.invoke(main, ["viz", "--view", "land", "--land", "Saarland", "--data", str(data)])
    assert result.exit_code == 0, result.output
    page = (tmp_path / "saarland.html").read_text(encoding="utf-8")
    assert "warning: the graph holds nothing about Saarland" in result.stderr
    assert "Der Graph enthält zu Saarland außer den Stammdaten noch keine Angaben" in page


@pytest.mark.parametrize(
    "args,message",
    [
        ([], "exactly one --land"),
        (["--land", "HB", "--land", "HH"], "exactly one --land"),
        (["--land", "HB", "--year", "2024"], "--year does not apply to the land view"),
        (["--land", "HB", "--class", "Initiative", "--status", "planned"], "--class, --status do not apply"),
        (["--land", "Atlantis"], "unknown Land 'Atlantis'"),
    ],
)
def test_cli_refuses_what_the_dossier_cannot_do(
    runner: CliRunner, tmp_path: Path, args: list[str], message: str
) -> None:
    result = runner.invoke(main, ["viz", "--view", "land", *args, "-o", str(tmp_path / "x.html")])
    assert result.exit_code == 2, result.output
    assert message in result.stderr
    assert not (tmp_path / "x.html").exists()


def test_cli_warns_about_network_options(runner: CliRunner, tmp_path: Path) -> None:
    out = tmp_path / "hb.html"
    result = runner.invoke(main, ["viz", "--view", "land", "--land", "HB", "--max-nodes", "10", "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert result.stderr == "warning: --max-nodes does not apply to the land view (a page, not a network): ignored\n"
    assert out.is_file()


@pytest.mark.parametrize("command", [["export", "--format", "json"], ["stats"]])
def test_the_land_view_is_only_a_page(runner: CliRunner, command: list[str]) -> None:
    result = runner.invoke(main, [*command, "--view", "land", "--land", "HB"])
    assert result.exit_code == 2 and "egovgraph viz --view land" in result.stderr


def test_cli_dossier_from_a_dump_equals_the_one_from_the_data(
    runner: CliRunner, tmp_path: Path, built: BuildResult
) -> None:
    dump = built.out_dir / "egovgraph.trig"
    from_data, from_dump = tmp_path / "data.html", tmp_path / "dump.html"
    assert runner.invoke(main, ["viz", "--view", "land", "--land", "HB", "-o", str(from_data)]).exit_code == 0
    result = runner.invoke(main, ["viz", "--view", "land", "--land", "HB", "--dump", str(dump), "-o", str(from_dump)])
    assert result.exit_code == 0, result.output

    def data(path: Path) -> dict[str, object]:
        text = path.read_text(encoding="utf-8")
        found = re.search(r'id="egovgraph-dossier">(.*?)</script>', text, re.S)
        assert found
        return {k: v for k, v in json.loads(found.group(1)).items() if k != "build"}

    assert data(from_dump) == data(from_data)


def test_every_lands_dossier_from_a_store_equals_the_one_in_memory(loaded: Loaded, built: BuildResult) -> None:
    from dataclasses import replace

    from egovgraph.stores.kinds import open_store_spec
    from egovgraph.views.facts import Facts

    store = open_store_spec(None, dump=built.out_dir / "egovgraph.trig")
    for land in sorted(Facts(loaded.union()).lands, key=str):
        ours = dossier(store, str(land), lang="en")
        assert ours.build.endswith(store.description)
        assert replace(ours, build="") == replace(dossier(loaded, str(land), lang="en"), build=""), land
