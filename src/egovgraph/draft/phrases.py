"""Time phrases ("bis Jahresende 2024", "Anfang 2025", "in diesem Jahr") and counts ("zwölf von 15 Fokusleistungen").

A time phrase maps to the slug of a shared instant of data/reference/time.ttl (``2024-end``, ``2025-start``);
a count to a value, a total, a unit and a qualifier of the count scheme.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from egovgraph.draft.sentences import MONTHS

__all__ = ["Quantity", "Time", "quantities_in", "times_in"]


@dataclass(frozen=True)
class Time:
    """A time phrase mapped to a shared instant (``2025``, ``2024-end``); ``due`` for a deadline ("bis")."""

    instant: str
    due: bool
    phrase: str


@dataclass(frozen=True)
class Quantity:
    """A count as the source gives it: value, total ("12 von 15"), what is counted, qualifier."""

    value: int | None
    total: int | None
    unit: str
    qualifier: str
    phrase: str


_NUMBERS = {
    w: n
    for n, w in enumerate(
        [
            "null",
            "ein",
            "zwei",
            "drei",
            "vier",
            "fünf",
            "sechs",
            "sieben",
            "acht",
            "neun",
            "zehn",
            "elf",
            "zwölf",
            "dreizehn",
            "vierzehn",
            "fünfzehn",
            "sechzehn",
            "siebzehn",
            "achtzehn",
            "neunzehn",
            "zwanzig",
        ]
    )
} | {"eine": 1, "einer": 1, "dreißig": 30, "vierzig": 40, "fünfzig": 50, "hundert": 100}
_NUM = r"(\d{1,3}(?:\.\d{3})*|" + "|".join(sorted(_NUMBERS, key=len, reverse=True)) + r")"
_QUALIFIERS = (
    (r"mehr als|über|rund \d|mindestens", "more-than"),
    (r"rund|etwa|ca\.|circa|knapp|fast|nahezu|gut", "about"),
)
_UNIT = (
    r"([A-ZÄÖÜ][\w-]*(?:leistungen|dienste|länder|kommunen|behörden|verfahren|anträge|services|portale|"
    r"projekte|vorhaben|ämter|Leistungen|Länder|Kommunen|Behörden|Dienste)|"
    r"Länder|Leistungen|Kommunen|Behörden|Dienste|Projekte|Vorhaben)"
)


def _number(text: str) -> int:
    return int(text.replace(".", "")) if text[0].isdigit() else _NUMBERS[text.lower()]


def quantities_in(text: str) -> list[Quantity]:
    """Counts: "zwölf von 15 Fokusleistungen", "Von den 15 Fokusleistungen ... zwölf Leistungen", "in elf Ländern"."""
    out: list[Quantity] = []
    flags = re.IGNORECASE
    for m in re.finditer(rf"(?<![\w.]){_NUM}\s+(?:der|von)\s+(?:den\s+|insgesamt\s+)?{_NUM}\s+{_UNIT}", text, flags):
        out.append(Quantity(_number(m.group(1)), _number(m.group(2)), m.group(3), "exactly", m.group()))
    if not out:
        head = re.search(rf"\bVon\s+(?:den|insgesamt)\s+{_NUM}\s+{_UNIT}\b.*?(?<![\w.]){_NUM}\s+(\w+)", text, flags)
        if head and head.group(4)[0].isupper():
            out.append(Quantity(_number(head.group(3)), _number(head.group(1)), head.group(2), "exactly", head.group()))
    if not out:
        for m in re.finditer(
            rf"(?:\b(mehr als|über|rund|etwa|ca\.|circa|knapp|fast|nahezu|mindestens)\s+)?(?<![\w.]){_NUM}\s+"
            rf"(?:(?:weitere|neue|zusätzliche|andere)\s+)?{_UNIT}",
            text,
        ):
            value = _number(m.group(2))
            if 1900 <= value <= 2100:
                continue
            qualifier = "exactly"
            for rx, name in _QUALIFIERS:
                if m.group(1) and re.fullmatch(rx, m.group(1)):
                    qualifier = name
                    break
            out.append(Quantity(value, None, m.group(3), qualifier, m.group()))
    return out


_YEAR = r"(20\d\d|19\d\d)"


def times_in(text: str, year: int | None = None) -> list[Time]:
    """Time phrases with the instant they name, as slugs of data/reference/time.ttl (``2024-end``)."""
    out: list[Time] = []
    used: list[tuple[int, int]] = []

    def add(match: re.Match[str], instant: str, due: bool) -> None:
        if not any(s < match.end() and match.start() < e for s, e in used):
            out.append(Time(instant, due, match.group()))
            used.append((match.start(), match.end()))

    rules: list[tuple[str, str]] = [
        (rf"\b[Bb]is\s+(?:zum\s+)?(?:Jahresende|Ende)\s+(?:des\s+Jahres\s+)?{_YEAR}", "{0}-end!"),
        (rf"\b[Bb]is\s+(?:Anfang|Jahresbeginn)\s+{_YEAR}", "{0}-start!"),
        (rf"\b[Bb]is\s+(?:(?:spätestens|zum\s+Jahr)\s+)?{_YEAR}", "{0}!"),
        (rf"\b{_YEAR}\s*/\s*(?:20)?(\d\d)\b", "{0}-{1}"),
        (rf"\b(?:Anfang|Jahresbeginn|zu\s+Beginn(?:\s+des\s+Jahres)?)\s+{_YEAR}", "{0}-start"),
        (rf"\b(?:Ende|Jahresende|zum\s+Jahresende)\s+{_YEAR}", "{0}-end"),
        (rf"\bFrühjahr\s+{_YEAR}", "{0}-spring"),
        (rf"\b({'|'.join(MONTHS)})\s+{_YEAR}", "month"),
        (rf"(?<![\w/.-]){_YEAR}(?![\w/-])", "{0}"),
    ]
    for rx, form in rules:
        for match in re.finditer(rx, text):
            groups = match.groups()
            if form == "month":
                add(match, f"{groups[1]}-{MONTHS.index(groups[0]) + 1:02d}", False)
                continue
            if form == "{0}-{1}":
                add(match, f"{groups[0]}-{groups[0][:2]}{groups[1]}", False)
                continue
            due = form.endswith("!")
            add(match, form.rstrip("!").format(*groups), due)
    if year is not None:
        for rx, form in (
            (r"\b[Bb]is\s+(?:zum\s+)?Jahresende\b(?!\s+\d)", f"{year}-end!"),
            (r"\b[Zz]u\s+Jahresbeginn\b|\bAnfang\s+des\s+Jahres\b", f"{year}-start"),
            (r"\b(?:in\s+diesem|im\s+laufenden)\s+Jahr\b", f"{year}"),
            (r"\bim\s+kommenden\s+Jahr\b|\bnächstes\s+Jahr\b", f"{year + 1}"),
        ):
            for match in re.finditer(rx, text):
                add(match, form.rstrip("!"), form.endswith("!"))
    return out
