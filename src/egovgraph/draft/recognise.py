"""Rules over one sentence or clause: Länder, persons with roles, technologies and names, time, counts, status.

Each function looks at plain text and the :class:`~egovgraph.draft.lexicon.Lexicon`; none guesses beyond
what the words say (a status needs a verb or adverb that gives it, a time needs a phrase that names it).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from egovgraph.draft.lexicon import Lexicon, Pattern

__all__ = ["PersonMention", "Status", "clauses", "find", "lands_in", "persons_in", "quotes_in", "status_of"]

_NAME_PART = r"[A-ZÄÖÜ][a-zäöüßé]+(?:-\s?[A-ZÄÖÜ][a-zäöüßé]+)?"
NAME = rf"(?:(?:Dr|Prof)\.\s+)*({_NAME_PART})\s+((?:(?:von|van|de|zu)\s+)?{_NAME_PART})"
_NOT_NAMES = frozenset(
    [
        "Die",
        "Der",
        "Das",
        "Den",
        "Dem",
        "Des",
        "Ein",
        "Eine",
        "Einer",
        "Und",
        "Oder",
        "Im",
        "In",
        "Am",
        "An",
        "Auf",
        "Aus",
        "Bei",
        "Für",
        "Mit",
        "Nach",
        "Von",
        "Vor",
        "Zum",
        "Zur",
        "Als",
        "Auch",
        "Aber",
        "Wie",
        "So",
        "Sie",
        "Er",
        "Es",
        "Wir",
        "Ihr",
        "Land",
        "Stadt",
        "Freie",
        "Hansestadt",
        "Senat",
        "Bund",
        "Verwaltung",
    ]
)


@dataclass(frozen=True)
class PersonMention:
    """A person named (or referred to by role) in a text: span, name parts, role and Land when given."""

    start: int
    end: int
    given: str | None
    family: str | None
    role: str | None
    land: str | None

    @property
    def name(self) -> str | None:
        return f"{self.given} {self.family}" if self.given and self.family else None


Status = str  # planned | in-progress | completed | ongoing


def find(patterns: list[Pattern], text: str) -> list[tuple[int, str]]:
    """Positions and keys of every pattern found in ``text``, sorted by position, one per key."""
    hits: dict[str, int] = {}
    for pattern in patterns:
        match = pattern.regex.search(text)
        if match and (pattern.key not in hits or match.start() < hits[pattern.key]):
            hits[pattern.key] = match.start()
    return sorted((pos, key) for key, pos in hits.items())


def lands_in(text: str, lex: Lexicon) -> list[str]:
    """The Länder a text names (labels, official names, adjectives, bodies), in order of first mention."""
    hits = find(lex.lands, text) + find(lex.adjectives, text)
    hits += [(pos, lex.body_land[key]) for pos, key in find(lex.bodies, text) if key in lex.body_land]
    out: list[str] = []
    for _, key in sorted(hits):
        if key not in out:
            out.append(key)
    return out


def _land_near(text: str, lex: Lexicon) -> str | None:
    found = lands_in(text, lex)
    return found[0] if found else None


def _clean_name(part: str) -> str:
    return re.sub(r"-\s+", "-", part)


def persons_in(text: str, lex: Lexicon, known: dict[str, str] | None = None) -> list[PersonMention]:
    """Persons with a role ("CIO Carola Heilemann-Jeschke", "Anna Beispiel, CDO des Landes X"), role references
    ("die Bremer CIO"), and known persons by full or family name ("sagt Heilemann-Jeschke"); ``known`` adds the
    persons (full name -> slug) named earlier in the same text."""
    out: list[PersonMention] = []
    taken: list[tuple[int, int]] = []

    def add(mention: PersonMention) -> None:
        if not any(s < mention.end and mention.start < e for s, e in taken):
            out.append(mention)
            taken.append((mention.start, mention.end))

    for role in lex.roles:
        for match in role.regex.finditer(text):
            before = text[max(0, match.start() - 40) : match.start()]
            after = text[match.end() :]
            gap, named = _named_after(after, lex)
            land = _land_near(before[-25:] + " " + match.group() + after[:gap], lex)
            if named and named.group(1) not in _NOT_NAMES:
                end = match.end() + gap + named.end()
                add(PersonMention(match.start(), end, named.group(1), _clean_name(named.group(2)), role.key, land))
                continue
            reference = re.search(r"(?:\b(?:die|der|den|dem)\s+)?(?:[\w-]+\s+)?$", before)
            if reference and reference.group().strip() and land:
                start = match.start() - len(reference.group())
                add(PersonMention(start, match.end(), None, None, role.key, land))
    for match in re.finditer(NAME + r",\s+(?:(?:die|der)\s+)?([\w-]+(?:\s+[\w-]+){0,5})", text):
        tail = match.group(3)
        for role in lex.roles:
            rm = role.regex.search(tail)
            if rm and rm.start() <= 25 and match.group(1) not in _NOT_NAMES:
                land = _land_near(tail, lex)
                end = match.start(3) + rm.end()
                add(PersonMention(match.start(), end, match.group(1), _clean_name(match.group(2)), role.key, land))
                break
    names = {**lex.persons, **(known or {})}
    families = set(lex.families) | {name.partition(" ")[2] for name in names}
    for name in sorted(names, key=len, reverse=True):
        for match in re.finditer(r"(?<![\w-])" + re.escape(name).replace(r"\-", r"-\s?") + r"(?![\w-])", text):
            given, _, family = name.partition(" ")
            add(PersonMention(match.start(), match.end(), given, family, None, None))
    for family in sorted(families, key=len, reverse=True):
        for match in re.finditer(r"(?<![\w-])" + re.escape(family).replace(r"\-", r"-\s?") + r"(?![\w-])", text):
            add(PersonMention(match.start(), match.end(), None, family, None, None))
    return sorted(out, key=lambda m: m.start)


_QUALIFIER = r"\s+(?:des Landes|der Landesregierung|für|von|in|im|aus|der|des)\b"


def _named_after(after: str, lex: Lexicon) -> tuple[int, re.Match[str] | None]:
    """The name after a role word, directly ("CIO Anna Beispiel") or after a qualifier of up to four words
    ("CIO des Landes Sachsen Anna Beispiel", "Ministerin für Digitales Anna Beispiel"): the shortest reading."""
    named = re.match(r"\s+" + NAME, after)
    if (named and not re.match(r"\s+[A-ZÄÖÜ]", after[named.end() :])) or (named and not re.match(_QUALIFIER, after)):
        return 0, named
    keyword = re.match(_QUALIFIER, after)
    if not keyword:
        return 0, None
    gap = keyword.end()
    for _ in range(5):
        named = re.match(r"\s+" + NAME, after[gap:])
        if named and not re.match(r"\s+[A-ZÄÖÜ]", after[gap + named.end() :]) and not lands_in(named.group(), lex):
            return gap, named
        word = re.match(r"\s+[\w-]+", after[gap:])
        if not word:
            break
        gap += word.end()
    return 0, None


_OPENERS = {"„": "“”", "“": "”", "»": "«", "«": "»", '"': '"'}


def quotes_in(text: str) -> list[tuple[int, int]]:
    """Spans (inside the marks) of the double quotations of a text, outermost only."""
    out: list[tuple[int, int]] = []
    i = 0
    while i < len(text):
        ch = text[i]
        if ch in _OPENERS and (i + 1 < len(text) and (text[i + 1].isalnum() or text[i + 1] in "‚'")):
            closers = _OPENERS[ch]
            j = i + 1
            while j < len(text) and text[j] not in closers:
                j += 1
            if j < len(text):
                out.append((i + 1, j))
                i = j + 1
                continue
        i += 1
    return out


_ONGOING = (
    r"\b(?:"
    r"weiterhin|nach wie vor|bleibt|bleiben|auch künftig|auch in Zukunft|fortlaufend|kontinuierlich|dauerhaft|"
    r"setzt\s+(?:\w+\s+){0,3}auf|setzen\s+(?:\w+\s+){0,3}auf|bietet|anbietet|anbieten|bieten|"
    r"betreibt|betreiben|erfüllt|nutzt|nutzen"
    r")\b"
)
_IN_PROGRESS = (
    r"\b(?:"
    r"Fortschritte?|derzeit|aktuell|gegenwärtig|momentan|im Aufbau|arbeitet\s+an|arbeiten\s+an|"
    r"läuft|laufen|Roll-?out|schreitet\s+voran|befindet\s+sich|befinden\s+sich|"
    r"treib\w*\s+(?:\S+\s+){0,6}voran|vorangetrieben|in Vorbereitung|in Arbeit|im Gange"
    r")\b"
)
_COMPLETED = (
    r"\b(?:"
    r"wurden?|worden|konnten?|bereits|inzwischen|erfolgreich|abgeschlossen|"
    r"(?:ist|sind)\s+(?:\S+\s+){0,12}"
    r"(?:möglich|verfügbar|online|abgeschlossen|freigeschaltet|live|eingeführt|umgesetzt|gestartet|in Betrieb)"
    r"(?!-)"
    r")\b"
)
_PLANNED = (
    r"\b(?:"
    r"soll|sollen|sollte|sollten|will|wollen|wolle|plant|planen|geplant|"
    r"kündigt\s+(?:\S+\s+){0,8}an|angekündigt|künftig|zukünftig|vorgesehen|beabsichtigt|"
    r"auf der Agenda|nun folgt|als Nächstes|im nächsten Schritt|steht an|stehen an|Ziel ist"
    r")\b"
)
_PERFECT = (
    r"\b(?:hat|haben|habe)\b(?:\s+\S+){1,14}?\s+"
    r"(?:ge[a-zäöüß]+(?:t|en)|[a-zäöüß]+iert|(?:be|er|ver|zer|ent)[a-zäöüß]+t|[a-zäöüß]+ge[a-zäöüß]+(?:t|en))\b"
)
_SUBCLAUSE = r",\s+(?:um|damit|die|der|das|dass|wie|weil|sodass|wenn|ob|was|welche[rs]?|indem|bevor|nachdem|während)\b"
_INFINITIVE = r"[a-zäöüß]+(?:en|ern|eln)"
_VERB_END = r"(?!nicht\b|jetzt\b|bereits\b|den\b|einen\b)[a-zäöüß]{3,}(?:t|en)"
_PARTICIPLE = (
    r"(?:ge[a-zäöüß]+(?:t|en)|[a-zäöüß]+iert|(?:be|er|ver|zer|ent|emp|miss)[a-zäöüß]+t|[a-zäöüß]+ge[a-zäöüß]+(?:t|en))"
)


def _future(clause: str) -> bool | None:
    """True for "wird ... veröffentlichen" (future), False for "wird ... ausgebaut" (present passive), else None."""
    aux = re.search(r"\b(?:wird|werden|werde)\b", clause)
    if not aux:
        return None
    rest = clause[aux.end() :]
    cut = re.search(_SUBCLAUSE, rest)
    main = rest[: cut.start()] if cut else rest
    words = re.findall(r"[\wäöüß-]+", main)
    if not words:
        return None
    last = words[-1]
    if re.fullmatch(_PARTICIPLE, last) and not re.fullmatch(r"[a-zäöüß]+ieren", last):
        return False
    if re.fullmatch(_INFINITIVE, last) and last not in ("werden", "worden"):
        return True
    return None


def status_of(clause: str, *, deadline: bool = False) -> tuple[Status | None, bool]:
    """The status a clause gives, and whether the cue is strong (a tense or adverb) or only a present passive."""
    if re.search(_ONGOING, clause, re.IGNORECASE) and not re.search(r"\b(?:soll|sollen)\b", clause):
        strong = bool(re.search(r"\b(?:weiterhin|nach wie vor|auch künftig|setzt|setzen)\b", clause))
        other = re.search(_COMPLETED + "|" + _PLANNED, clause, re.IGNORECASE) or _future(clause)
        if strong or not other:  # "bietet … an" stands unless a tense says more ("werden … anbieten")
            return "ongoing", strong
    if re.search(_IN_PROGRESS, clause, re.IGNORECASE):
        return "in-progress", True
    future = _future(clause)
    planned = bool(re.search(_PLANNED, clause, re.IGNORECASE)) or future is True
    completed = bool(re.search(_COMPLETED, clause, re.IGNORECASE) or re.search(_PERFECT, clause))
    if planned and not (completed and re.search(r"\b(?:wurden?|konnten?)\b", clause)):
        intention = re.search(r"\b(?:soll|sollen|will|wollen|plant|planen)\b", clause, re.IGNORECASE)
        return ("in-progress" if deadline and future and not intention else "planned"), True
    if completed:
        return "completed", True
    if future is False:
        return None, False  # a present passive: the context decides
    return None, False


def clauses(sentence: str) -> list[tuple[int, int]]:
    """Spans of the clauses of a sentence that each carry their own status: split at ", und", ";", " – "
    or a comma when both sides have a status cue; quotations are never split."""
    quoted = quotes_in(sentence)

    def inside(pos: int) -> bool:
        return any(s - 1 <= pos <= e for s, e in quoted)

    cuts: list[tuple[int, int]] = []
    for match in re.finditer(r",\s+und\s+|;\s+|\s+–\s+(?!„)|,\s+(?=[a-zäöüß]+\s+[A-ZÄÖÜ])", sentence):
        attribution = match.start() > 0 and sentence[match.start() - 1] in '“”«»"'  # „…“, kündigt X an
        if (not inside(match.start()) or match.group().startswith(";")) and not attribution:
            cuts.append((match.start(), match.end()))
    for match in re.finditer(
        rf"(?<=\s)({_PARTICIPLE})\s+und\s+(?=(?:[\w-]+\s+){{1,16}}{_VERB_END}\.?(?:[“”\"]|$))", sentence
    ):
        cuts.append((match.end(1), match.end()))  # "... gestaltet und Prozesse optimiert."
    for match in re.finditer(r"\s+und\s+(?=(?:die|der|das)\s+(?:[a-zäöüß]+\s+)?[A-ZÄÖÜ][\w-]*ung\b)", sentence):
        if re.search(r"\b(?:die|der|das)\s+(?:[a-zäöüß]+\s+)?[A-ZÄÖÜ][\w-]*ung\b[^,]*$", sentence[: match.start()]):
            cuts.append((match.start(), match.end()))  # "die Digitalisierung ... und die Modernisierung ..."
    cuts.sort()
    spans: list[tuple[int, int]] = []
    begin = 0
    for start, end in cuts:
        left, right = sentence[begin:start], sentence[end:]
        long_enough = len(left.split()) >= 3 and len(right.split()) >= 3
        both = bool(status_of(left)[0] and status_of(right.split(",")[0])[0])
        if long_enough and (both or _always_cut(sentence[start:end])):
            spans.append((begin, start))
            begin = end
    spans.append((begin, len(sentence)))
    return spans


def _always_cut(separator: str) -> bool:
    """ ", und", ";" and a coordinating "und" found above separate clauses whatever their cues."""
    return bool(re.fullmatch(r",\s+und\s+|;\s+|\s*und\s+", separator))
