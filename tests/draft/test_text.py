"""The draft tool's text handling: decoding, page furniture out, sentence splitting (with property tests)."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from egovgraph.draft.clean import clean, decode
from egovgraph.draft.sentences import blocks, split_sentences
from egovgraph.errors import InputError

REPO = Path(__file__).resolve().parents[2]
FOUNDING = REPO / "data" / "texts" / "egovernment-bilanz-teil-3.txt"
SYNTHETIC = sorted((REPO / "benchmarks" / "data" / "draft").glob("synthetic-*.txt"))


def test_the_founding_article_loses_its_furniture_and_keeps_every_sentence() -> None:
    raw = FOUNDING.read_text(encoding="utf-8")
    cleaned = clean(raw)
    for furniture in (
        "Lesedauer",
        "Anbieter zum Thema",
        "©",
        "ziehen Bilanz",
        "(ID:",
        "Newsletter",
        "Einwilligung",
        "Wöchentlich die wichtigsten Infos",
    ):
        assert furniture not in cleaned.text, furniture
    assert cleaned.identifier == "50267739"
    kinds = {r.kind for r in cleaned.removed}
    assert kinds == {
        "reading time",
        "page element",
        "image credit",
        "image caption",
        "article id",
        "newsletter or consent",
    }
    # every line of the article proper is kept byte for byte
    for line in raw.splitlines():
        if line in ("Bremen", "Hamburg") or line.startswith(
            ("Von den 15", "In den Fachressorts", "Für 2025", "In Hamb")
        ):
            assert line.rstrip() in cleaned.text.splitlines(), line
    assert "Von Susanne Ehneß" in cleaned.text.splitlines()
    # each removal names its line in the original
    lines = raw.split("\n")
    for removal in cleaned.removed:
        assert removal.text in lines[removal.line - 1]


@pytest.mark.parametrize("path", SYNTHETIC, ids=lambda p: p.stem)
def test_synthetic_articles_lose_their_furniture(path: Path) -> None:
    cleaned = clean(path.read_text(encoding="utf-8"))
    for furniture in (
        "Lesedauer",
        "©",
        "Newsletter",
        "Einwilligung",
        "(ID:",
        "Anbieter zum Thema",
        "Lesen Sie auch",
        "Mehr zum Thema",
        "Bildergalerie",
        "Kommentar schreiben",
        "Anzeige\n",
        "Bildquelle",
        "Foto:",
    ):
        assert furniture not in cleaned.text, (path.name, furniture)
    assert cleaned.identifier is not None and cleaned.identifier.startswith("9999900")


def test_a_caption_is_removed_only_next_to_its_credit() -> None:
    text = "Bremen\n\nBremen baut aus.\nBremen baut aus. (© Foto)\n(© Foto)\n\nBremen baut aus.\n"
    cleaned = clean(text)
    assert cleaned.text == "Bremen\n\nBremen baut aus.\n"


def test_reading_time_is_cut_from_the_byline() -> None:
    assert clean("Von Anna Beispiel 12 min Lesedauer\n\nText.\n").text == "Von Anna Beispiel\n\nText.\n"


def test_an_article_sentence_mentioning_a_newsletter_stays() -> None:
    text = (
        "Das Land verschickt seit 2024 einen Newsletter an alle Kommunen, der über neue Online-Dienste, "
        "Fristen und Förderprogramme des Landes für die Digitalisierung der Verwaltung informiert.\n"
    )
    assert clean(text).text == text


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        (b"", "is empty"),
        (b"   \n\t\n", "is empty"),
        (b"\x89PNG\r\n\x1a\n\x00\x00", "binary"),
        ("Grüße".encode("latin-1"), "not UTF-8"),
        (b"Text mit \x07 Klingel", "control character"),
    ],
)
def test_bad_text_is_refused_with_the_reason(raw: bytes, message: str) -> None:
    with pytest.raises(InputError, match=message):
        decode(raw, "article.txt")


def test_decode_drops_a_bom_and_windows_newlines() -> None:
    assert decode("\ufeffA.\r\nB.\r\n".encode(), "x") == "A.\nB.\n"


def test_sentences_know_abbreviations_ordinals_initials_and_quotes() -> None:
    text = (
        "Am 1. Januar 2025 startet z. B. das Portal. Dr. A. Müller sagt: „Das ist gut. Sehr gut.“ "
        "Er geht u. a. nach Bremen! Der 3. Teil folgt? Ja."
    )
    assert [s.text for s in split_sentences(text)] == [
        "Am 1. Januar 2025 startet z. B. das Portal.",
        "Dr. A. Müller sagt: „Das ist gut. Sehr gut.“",
        "Er geht u. a. nach Bremen!",
        "Der 3. Teil folgt?",
        "Ja.",
    ]


def test_a_quote_and_its_attribution_are_one_sentence() -> None:
    text = "„Wir sind stolz. Es hat geklappt“, sagt die Bremer CIO. Danach folgt mehr."
    assert [s.text for s in split_sentences(text)] == [
        "„Wir sind stolz. Es hat geklappt“, sagt die Bremer CIO.",
        "Danach folgt mehr.",
    ]


def test_blocks_are_paragraphs_and_headings() -> None:
    text = "Titel\n\nBremen\n\nErster Satz. Zweiter Satz, der hier\numbrochen ist.\n\n\nHamburg\n"
    assert [text[s:e] for s, e in blocks(text)] == [
        "Titel",
        "Bremen",
        "Erster Satz. Zweiter Satz, der hier\numbrochen ist.",
        "Hamburg",
    ]
    assert [s.block for s in split_sentences(text)] == [0, 1, 2, 2, 3]


def test_a_text_with_single_line_breaks_keeps_its_headings_and_paragraphs() -> None:
    text = "Titel\nBremen\nBremen hat die E-Akte eingeführt.\nHamburg\nHamburg plant eine KI-Strategie.\n"
    assert [text[s:e] for s, e in blocks(text)] == [
        "Titel",
        "Bremen",
        "Bremen hat die E-Akte eingeführt.",
        "Hamburg",
        "Hamburg plant eine KI-Strategie.",
    ]


_ALPHABET = st.sampled_from([*'abcAB Ä.!?,:;–-„“”"»«‚‘()0123\n z', "z. B.", "Dr.", " 1. ", "\n\n"])


@settings(max_examples=300, deadline=None)
@given(st.lists(_ALPHABET, max_size=60).map("".join))
def test_splitting_never_loses_or_reorders_text(text: str) -> None:
    sentences = split_sentences(text)
    position = 0
    for sentence in sentences:
        assert sentence.start >= position
        assert text[position : sentence.start].strip() == ""  # only whitespace between sentences
        assert text[sentence.start : sentence.end] == sentence.text
        assert sentence.text == sentence.text.strip() and sentence.text
        position = sentence.end
    assert text[position:].strip() == ""


@settings(max_examples=200, deadline=None)
@given(
    st.lists(
        st.sampled_from(
            [
                "Satz eins.",
                "(© Bild)",
                "Anbieter zum Thema",
                "2 min Lesedauer",
                "\n",
                "\n\n",
                "Jetzt Newsletter abonnieren",
                "(ID:123)",
                "„Zitat hier.“",
                "Von Anna Beispiel",
            ]
        ),
        max_size=25,
    ).map(" ".join)
)
def test_cleaning_only_removes_lines_and_is_idempotent(text: str) -> None:
    cleaned = clean(text)
    kept = [line for line in cleaned.text.splitlines() if line]
    originals = [line.rstrip() for line in text.split("\n")]
    for line in kept:
        assert any(line in original for original in originals)
    assert clean(cleaned.text).text == cleaned.text
