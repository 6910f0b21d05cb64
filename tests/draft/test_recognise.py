"""The draft tool's rules: Länder, persons with roles, speakers, status, time, counts, technologies; the writer."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from rdflib import Graph

from egovgraph.draft.facts import draft_facts
from egovgraph.draft.lexicon import Lexicon, lexicon
from egovgraph.draft.phrases import quantities_in, times_in
from egovgraph.draft.recognise import clauses, find, lands_in, persons_in, status_of
from egovgraph.draft.sentences import split_sentences
from egovgraph.draft.write import Meta, literal, turtle
from egovgraph.graph.load import Loaded


@pytest.fixture(scope="module")
def lex(loaded: Loaded) -> Lexicon:
    return lexicon(loaded)


@pytest.mark.parametrize(
    ("text", "lands"),
    [
        ("Die Freie Hansestadt Bremen (FHB) stellt bereit.", ["bremen"]),
        ("sagt die Bremer CIO", ["bremen"]),
        ("Innerbremisch wird ausgebaut", ["bremen"]),
        ("Die sächsische Staatsregierung und Niedersachsen", ["sachsen", "niedersachsen"]),
        ("Sachsen-Anhalt und Bremerhaven", ["sachsen-anhalt"]),
        ("Hamburgs CDO und der Freistaat Thüringen", ["hamburg", "thueringen"]),
        ("In NRW und Rheinland-Pfalz", ["nordrhein-westfalen", "rheinland-pfalz"]),
        ("Die Bundesländer insgesamt", []),
    ],
)
def test_laender_by_label_official_name_abbreviation_and_adjective(lex: Lexicon, text: str, lands: list[str]) -> None:
    assert lands_in(text, lex) == lands


def test_persons_with_role_before_and_after_the_name(lex: Lexicon) -> None:
    found = persons_in("kommentiert CIO Carola Heilemann- Jeschke.", lex)
    assert [(m.name, m.role) for m in found] == [("Carola Heilemann-Jeschke", "cio")]
    found = persons_in("Anna Beispiel, Staatssekretärin für Digitales des Landes Hessen, sagt", lex)
    assert [(m.name, m.role, m.land) for m in found] == [("Anna Beispiel", "state-secretary", "hessen")]
    found = persons_in("Die bayerische Digitalministerin Eva Muster", lex)
    assert [(m.name, m.role, m.land) for m in found] == [("Eva Muster", "minister", "bayern")]
    reference = persons_in("sagt die Bremer CIO.", lex)
    assert [(m.name, m.role, m.land) for m in reference] == [(None, "cio", "bremen")]
    assert persons_in("Der Ministerpräsident Max Muster", lex) == []


def test_a_known_person_is_found_by_family_name(lex: Lexicon) -> None:
    found = persons_in("„…“, betont Pfromm.", lex)
    assert [(m.family, m.given) for m in found] == [("Pfromm", None)]


@pytest.mark.parametrize(
    ("clause", "status"),
    [
        ("In 2024 konnte die FHB eine Infrastruktur bereitstellen", "completed"),
        ("Das Portal wurde in das Serviceportal integriert", "completed"),
        ("So ist die Bezahlung nun mit Kreditkarte möglich", "completed"),
        ("Wir haben den Zugang nutzerfreundlicher gestaltet", "completed"),
        ("2025 soll Paypal hinzukommen", "planned"),
        ("Hamburg wird zu Jahresbeginn eine Digitalstrategie veröffentlichen", "planned"),
        ("Das Land plant eine KI-Strategie", "planned"),
        ("Zudem wolle Hamburg weiterhin auf KI setzen", "ongoing"),
        ("Das Land setzt auf offene Schnittstellen", "ongoing"),
        ("Derzeit wird das E-Payment eingeführt", "in-progress"),
        ("In Hamburg gab es Fortschritte bei den Diensten", "in-progress"),
        ("Bremen ist eine Stadt an der Weser", None),
    ],
)
def test_status_from_the_verbs(clause: str, status: str | None) -> None:
    assert status_of(clause)[0] == status


def test_a_future_with_a_deadline_is_in_progress_an_intention_stays_planned() -> None:
    assert status_of("Bremen wird bis Jahresende 2024 zwölf Leistungen nachnutzen", deadline=True)[0] == "in-progress"
    assert status_of("Bis Ende 2025 sollen 200 Leistungen online sein", deadline=True)[0] == "planned"


@pytest.mark.parametrize(
    ("text", "year", "expected"),
    [
        ("bis Jahresende 2024", None, [("2024-end", True)]),
        ("Bis Ende 2026 will Bayern", None, [("2026-end", True)]),
        ("Anfang 2025 startet", None, [("2025-start", False)]),
        ("im Frühjahr 2025", None, [("2025-spring", False)]),
        ("im März 2025", None, [("2025-03", False)]),
        ("in 2024 und 2023/2024", None, [("2023-2024", False), ("2024", False)]),
        ("zu Jahresbeginn", 2025, [("2025-start", False)]),
        ("in diesem Jahr", 2024, [("2024", False)]),
        ("in diesem Jahr", None, []),
        ("24/7-Abholstation, Teil 3", None, []),
    ],
)
def test_time_phrases(text: str, year: int | None, expected: list[tuple[str, bool]]) -> None:
    assert sorted((t.instant, t.due) for t in times_in(text, year)) == sorted(expected)


def test_counts() -> None:
    (q,) = quantities_in("Von den 15 Fokusleistungen wird Bremen zwölf Leistungen nachnutzen")
    assert (q.value, q.total, q.unit, q.qualifier) == (12, 15, "Fokusleistungen", "exactly")
    (q,) = quantities_in("neun von 15 Fokusleistungen")
    assert (q.value, q.total) == (9, 15)
    (q,) = quantities_in("mehr als 200 Leistungen")
    assert (q.value, q.total, q.qualifier) == (200, None, "more-than")
    assert quantities_in("2025 Leistungen") == []  # a year, not a count
    (q,) = quantities_in("an elf weitere Länder ausgeliefert")
    assert (q.value, q.unit) == (11, "Länder")


def test_technologies_from_labels_altlabels_and_compounds(lex: Lexicon) -> None:
    text = (
        "KI-Lösungen, künstlicher Intelligenz, Robotic Process Automation, ein API-Ökosystem, ‚Once Only‘, "
        "die Modernisierung der Register, Verwaltungsprozesse systematisch optimiert, noch nutzerfreundlicher"
    )
    assert {key for _, key in find(lex.techs, text)} == {
        "artificial-intelligence",
        "rpa",
        "api",
        "once-only",
        "register-modernisation",
        "process-optimisation",
        "usability",
    }


def test_clauses_split_where_each_side_has_its_own_status() -> None:
    sentence = "So ist die Bezahlung nun möglich – 2025 soll Paypal hinzukommen."
    assert [sentence[s:e] for s, e in clauses(sentence)] == [
        "So ist die Bezahlung nun möglich",
        "2025 soll Paypal hinzukommen.",
    ]
    sentence = "Hamburg wird eine Strategie veröffentlichen, die die wichtigsten Weichenstellungen enthält."
    assert len(clauses(sentence)) == 1


def test_speakers_attribution_continuation_and_role_reference(lex: Lexicon) -> None:
    text = (
        "Titel\n\nBremen\n\n"
        "„Wir haben die Online-Terminvergabe eingeführt“, sagt CIO Anna Beispiel. Und: „Wir werden weiter ausbauen.“ "
        "„Die Register werden modernisiert, das ist wichtig“, sagt die Bremer CIO.\n\n"
        "Otto Muster, CDO des Landes Hessen, betont: „Wir setzen weiterhin auf offene Schnittstellen.“ "
        "„Das war ein gutes Jahr für die Verwaltung“, ergänzt er.\n"
    )
    facts = draft_facts(split_sentences(text), lex, source="t", year=2024)
    said = [(s.text, s.speaker) for s in facts.statements]
    assert said == [
        ("Wir haben die Online-Terminvergabe eingeführt", "anna-beispiel"),
        ("Wir werden weiter ausbauen.", "anna-beispiel"),
        ("Die Register werden modernisiert, das ist wichtig", "anna-beispiel"),
        ("Wir setzen weiterhin auf offene Schnittstellen.", "otto-muster"),
        ("Das war ein gutes Jahr für die Verwaltung", "otto-muster"),
    ]
    assert {(r.person, r.role, r.land) for r in facts.roles.values()} == {
        ("anna-beispiel", "cio", "bremen"),
        ("otto-muster", "cdo", "hessen"),
    }


def test_a_text_without_any_land_drafts_nothing(lex: Lexicon) -> None:
    facts = draft_facts(
        split_sentences("Titel\n\nDas Wetter war gut. Es wurde viel gebaut.\n"), lex, source="t", year=None
    )
    assert not facts.initiatives and not facts.statements and not facts.lands
    assert len(facts.unplaced) == 2


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet=st.characters(codec="utf-8", exclude_categories=("Cs",)), max_size=80))
def test_literals_always_parse_back_to_the_text_with_whitespace_collapsed(text: str) -> None:
    graph = Graph().parse(data=f"<urn:a> <urn:b> {literal(text, 'de')} .", format="turtle")
    (value,) = list(graph.objects())
    assert str(value) == " ".join(text.split())


_WORDS = st.sampled_from(
    [
        "Bremen",
        "Hamburg",
        "wird",
        "soll",
        "wurde",
        "2025",
        "bis Jahresende 2024",
        "„",
        "“",
        "KI",
        "sagt",
        "CIO",
        "Anna",
        "Beispiel",
        ",",
        ".",
        "\n\n",
        "Portal",
        "„Schöne Grüße“",
        "\\",
        '"',
        "Von",
        "zwölf von 15 Leistungen",
        "Dazu gehöre",
        "Serviceportal Bremen",
        "weiterhin",
        "laut",
        "Und:",
        "Digitalstrategie",
        "veröffentlichen",
    ]
)


@settings(max_examples=60, deadline=None)
@given(st.lists(_WORDS, min_size=1, max_size=40).map(" ".join))
def test_the_writer_always_writes_turtle_that_parses(lex: Lexicon, text: str) -> None:
    sentences = split_sentences(text)
    facts = draft_facts(sentences, lex, source="prop", year=2024)
    body = turtle(
        facts,
        lex,
        Meta("prop", 'Titel "x"'),
        text=text,
        text_path="texts/prop.txt",
        author_slug=None,
        publisher_slug=None,
        new_publisher=False,
        byline=None,
    )
    graph = Graph().parse(data=body, format="turtle")
    assert len(graph) > 0
