"""Reuse, co-development and platform-use records: validation of bad records, and the links loading derives."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner
from rdflib import URIRef

from egovgraph.cli import main
from egovgraph.graph.derive import DERIVE_LINKS, RULES
from egovgraph.graph.load import Loaded, load
from egovgraph.graph.oxigraph import load_files
from egovgraph.graph.validate import Problem, validate
from egovgraph.vocab.namespaces import EGOV, graph_iri

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "cooperation"
ID = "https://w3id.org/egovgraph/id/"
WOHNGELD = URIRef(ID + "service/wohngeld-online")
BREMEN = URIRef(ID + "land/bremen")


def fixture(name: str) -> Path:
    return FIXTURES / name


def problems_of(name: str) -> list[Problem]:
    """The problems validation finds with one fixture file layered over the bundled data."""
    return validate(load(files=[fixture(name)]))


def line_of(name: str, text: str) -> int:
    """The 1-based line of the first line of a fixture containing ``text``."""
    lines = fixture(name).read_text(encoding="utf-8").splitlines()
    return next(i for i, line in enumerate(lines, 1) if text in line)


# Each bad fixture: the node, the property, the check and a piece of the message that names the fix.
BAD = [
    ("missing-solution.ttl", "reuse:test-reuse", "egov:solution", "shacl", "needs exactly one egov:solution"),
    ("missing-participant.ttl", "reuse:test-reuse", "egov:participant", "shacl", "egov:participant land:"),
    (
        "level-outside-scheme.ttl",
        "reuse:test-reuse",
        "egov:cooperationLevel",
        "shacl",
        "is one of level:whole-land, level:some-authorities",
    ),
    ("level-for-co-development.ttl", "reuse:test-reuse", "egov:cooperationLevel", "shacl", "the level of a reuse"),
    ("date-wrong-form.ttl", "reuse:test-reuse", "dct:date", "shacl", '"2024-06"^^xsd:gYearMonth'),
    ("date-not-a-month.ttl", "reuse:test-reuse", "dct:date", "datatype", "not a valid xsd:gYearMonth"),
    ("self-reuse.ttl", "reuse:test-reuse", "egov:participant", "cooperation", "egov:provider"),
    ("platform-use-of-a-service.ttl", "platformuse:test-use", "egov:solution", "shacl", "egov:SharedPlatform"),
]


@pytest.mark.parametrize(("name", "focus", "path", "check", "fix"), BAD, ids=[b[0] for b in BAD])
def test_a_bad_record_is_reported_with_file_line_node_and_fix(
    name: str, focus: str, path: str, check: str, fix: str
) -> None:
    problems = problems_of(name)
    assert problems, f"{name} should not validate"
    assert all(p.file.endswith(name) for p in problems), problems  # the bundled data stays valid
    matching = [p for p in problems if p.focus == focus and p.path == path and p.check == check]
    assert matching, problems
    problem = next((p for p in matching if fix in p.message), None)
    assert problem is not None, matching
    assert problem.line > 0
    # the line points into the record: at the property when the file has it, else at the record itself
    record_line = line_of(name, f"{focus} a ")
    assert record_line <= problem.line <= record_line + 9, problem


def test_good_records_are_valid() -> None:
    assert problems_of("good-reuse.ttl") == []
    assert problems_of("announced-reuse.ttl") == []


def test_the_cli_exits_1_and_names_the_fix(runner: CliRunner) -> None:
    result = runner.invoke(main, ["validate", str(fixture("self-reuse.ttl"))])
    assert result.exit_code == 1, result.output
    assert "self-reuse.ttl:" in result.output
    assert "reuse:test-reuse egov:participant" in result.output
    assert "land:schleswig-holstein is both egov:provider and egov:participant" in result.output


def test_a_level_iri_outside_the_scheme_is_an_undefined_reference() -> None:
    text = fixture("good-reuse.ttl").read_text(encoding="utf-8").replace("level:pilot", "level:pilott")
    tmp = FIXTURES.parent / "cooperation-typo.ttl"
    try:
        tmp.write_text(text, encoding="utf-8")
        problems = validate(load(files=[tmp]))
    finally:
        tmp.unlink()
    assert any("level:pilott, which is not defined anywhere" in p.message for p in problems), problems


# --------------------------------------------------------------------------- derived direct links


def graph_of(loaded: Loaded, name: str) -> URIRef:
    return graph_iri(Path(name).stem, loaded.base)


def test_a_reuse_derives_reused_by_in_its_own_graph() -> None:
    loaded = load(files=[fixture("good-reuse.ttl")])
    in_graph = loaded.dataset.graph(graph_of(loaded, "good-reuse.ttl"))
    assert (WOHNGELD, EGOV.reusedBy, BREMEN) in in_graph


def test_an_announced_reuse_derives_nothing() -> None:
    loaded = load(files=[fixture("announced-reuse.ttl")])
    assert (WOHNGELD, EGOV.reusedBy, BREMEN) not in loaded.union()


def test_bundled_records_derive_their_links(loaded: Loaded) -> None:
    graph = loaded.union()
    baugenehmigung = URIRef(ID + "service/digitale-baugenehmigung")
    reusers = set(graph.objects(baugenehmigung, EGOV.reusedBy))
    assert len(reusers) == 12 and URIRef(ID + "land/mecklenburg-vorpommern") not in reusers
    llmoin = URIRef(ID + "platform/llmoin")
    assert {str(o).rsplit("/", 1)[-1] for o in graph.objects(llmoin, EGOV.usedBy)} == {
        "bremen",
        "niedersachsen",
        "rheinland-pfalz",
        "sachsen-anhalt",
    }
    einbuergerung = URIRef(ID + "service/einbuergerung-digital")
    assert {URIRef(ID + "land/bayern"), URIRef(ID + "land/brandenburg")} <= set(
        graph.objects(einbuergerung, EGOV.developmentPartner)
    )


def test_every_derived_link_has_a_record_behind_it(loaded: Loaded) -> None:
    """Every egov:usedBy comes from a record; every record's link is there (nothing asserted by hand)."""
    graph = loaded.union()
    for cls, link, _ in RULES:
        for record in graph.subjects(URIRef(str(EGOV) + "solution"), None):
            if (record, URIRef("http://www.w3.org/1999/02/22-rdf-syntax-ns#type"), EGOV[cls]) not in graph:
                continue
            level = graph.value(record, EGOV.cooperationLevel)
            solution, land = graph.value(record, EGOV.solution), graph.value(record, EGOV.participant)
            derived = (solution, EGOV[link], land) in graph
            assert derived or str(level).endswith("/announced"), record
    used = set(graph.subject_objects(EGOV.usedBy))
    recorded = {
        (graph.value(r, EGOV.solution), graph.value(r, EGOV.participant))
        for r in graph.subjects(URIRef("http://www.w3.org/1999/02/22-rdf-syntax-ns#type"), EGOV.PlatformUse)
        if not str(graph.value(r, EGOV.cooperationLevel)).endswith("/announced")
    }
    assert used == recorded


def test_the_derivation_is_idempotent_and_the_same_in_both_engines(loaded: Loaded) -> None:
    store = load_files()
    before = len(store)
    store.update(DERIVE_LINKS)
    assert len(store) == before
    size = len(loaded.dataset)
    loaded.dataset.update(DERIVE_LINKS)
    assert len(loaded.dataset) == size
    links = {str(EGOV[link]) for _, link, _ in RULES}
    ox_links = {
        (str(q.subject.value), str(q.predicate.value), str(q.object.value), str(q.graph_name.value))
        for q in store
        if q.predicate.value in links
    }
    rdflib_links = {
        (str(s), str(p), str(o), str(g))
        for s, p, o, g in loaded.dataset.quads((None, None, None, None))
        if str(p) in links
    }
    assert ox_links == rdflib_links and ox_links
