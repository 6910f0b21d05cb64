"""Sentences -> drafted facts: persons and roles, statements with their speaker, initiatives with status and time.

One pass over the sentences in order keeps the context a reader keeps: the section's Land (a heading
"Bremen"), the Land last named in the paragraph, the last speaker (for "Und: „…“" and reported speech),
the year a paragraph speaks of ("Für 2025 …"), the last initiative ("Dazu gehöre auch …").
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field

from egovgraph.draft.lexicon import Lexicon, slug
from egovgraph.draft.recognise import (
    PersonMention,
    Quantity,
    clauses,
    find,
    lands_in,
    persons_in,
    quantities_in,
    quotes_in,
    status_of,
    times_in,
)
from egovgraph.draft.sentences import Sentence

__all__ = ["Facts", "Initiative", "Person", "Role", "Statement", "draft_facts"]


@dataclass
class Person:
    slug: str
    name: str
    given: str
    family: str
    existing: bool
    evidence: list[int] = field(default_factory=list)


@dataclass
class Role:
    person: str
    role: str
    land: str
    existing: bool
    evidence: list[int] = field(default_factory=list)


@dataclass
class Statement:
    slug: str
    text: str
    speaker: str
    sentence: int
    about: list[str] = field(default_factory=list)


@dataclass
class Portal:
    slug: str
    label: str
    land: str | None
    sentence: int
    integrated_into: str | None = None


@dataclass
class Initiative:
    slug: str
    sentence: int
    text: str
    lands: list[str]
    status: str
    temporal: str | None = None
    due: str | None = None
    techs: list[str] = field(default_factory=list)
    themenfelder: list[str] = field(default_factory=list)
    services: list[str] = field(default_factory=list)
    portals: list[str] = field(default_factory=list)
    quantity: Quantity | None = None
    according_to: str | None = None
    part_of: str | None = None
    strategy: bool = False


@dataclass
class Facts:
    """What the rules drafted from the sentences, and the sentences they could not place."""

    sentences: list[Sentence]
    persons: dict[str, Person] = field(default_factory=dict)
    roles: dict[tuple[str, str, str], Role] = field(default_factory=dict)
    statements: list[Statement] = field(default_factory=list)
    initiatives: list[Initiative] = field(default_factory=list)
    portals: dict[str, Portal] = field(default_factory=dict)
    unplaced: list[int] = field(default_factory=list)
    unattributed: list[int] = field(default_factory=list)
    skipped: set[int] = field(default_factory=set)

    @property
    def lands(self) -> list[str]:
        found = {land for i in self.initiatives for land in i.lands} | {r.land for r in self.roles.values()}
        return sorted(found)


_NAME_INTRODUCERS = (
    r"(?:Portal|Serviceportal|Plattform|Thema|Themas|Projekt|Projekts|Programm|Motto|Titel|Initiative|"
    r"Strategie|App|Leitfaden|Reihe|Serie|Marke|Stichwort|Begriff)\s*$"
)
_SPEECH_VERB = r"(?:so|[a-zäöüß]+t|[a-zäöüß]+te|fügt\s+hinzu)"
_CONTINUATION = r"^\s*(?:Und|Weiter|Außerdem|Zudem|Ferner|Sowie|Auch|Und weiter|(?:Sie|Er)\s+\w+(?:\s+\w+)?)\s*:\s*$"
_REPORTED = r"\b(?:gehöre|gehören|werde|wolle|sei|seien|habe|könne|solle|müsse)\b"
_PORTAL_NAMED = r"\b(?:Portal|Plattform)\s+„([^“”]+)[“”]"
_PORTAL_COMPOUND = r"(?<![\w-])((?:Service|Bürger|Unternehmens|Landes|Verwaltungs)portal(?:s)?\s+[A-ZÄÖÜ][\w-]+)"
_STRATEGY = r"\b\w*[Ss]trategie\b"


class _Context:
    def __init__(self) -> None:
        self.section: str | None = None
        self.block = -1
        self.block_land: str | None = None
        self.block_year: int | None = None
        self.speaker: str | None = None
        self.block_speaker: str | None = None
        self.last: Initiative | None = None


def _is_heading(sentence: Sentence, block_sentences: int) -> bool:
    text = sentence.text
    return block_sentences == 1 and len(text.split()) <= 6 and not re.search(r"[.!?:“”\"]$", text)


def draft_facts(sentences: list[Sentence], lex: Lexicon, *, source: str, year: int | None) -> Facts:
    """Draft the facts of the sentences of one source (``source`` is its slug, ``year`` its publication year)."""
    facts = Facts(sentences)
    per_block: dict[int, int] = {}
    for s in sentences:
        per_block[s.block] = per_block.get(s.block, 0) + 1
    ctx = _Context()
    slugs: set[str] = set()

    def unique(kind: str, base: str) -> str:
        candidate, n = base, 2
        while candidate in slugs or f"{kind}/{candidate}" in lex.subjects:
            candidate, n = f"{base}-{n}", n + 1
        slugs.add(candidate)
        return candidate

    for index, sentence in enumerate(sentences):
        if sentence.block != ctx.block:
            ctx.block, ctx.block_land, ctx.block_year, ctx.block_speaker = sentence.block, None, None, None
        text = sentence.text
        if index == 0 or (
            re.fullmatch(r"(?:Von|Ein Beitrag von|Autor(?:in)?:)\s+" + r"[\w.\- ]+", text) and len(text.split()) <= 6
        ):
            facts.skipped.add(index)
            continue
        if _is_heading(sentence, per_block[sentence.block]):
            facts.skipped.add(index)
            found = lands_in(text, lex)
            if len(found) == 1:
                ctx.section = found[0]
            continue
        sentence_lands = lands_in(text, lex)
        placed = False
        speakers = _persons(
            facts, lex, text, index, sentence_lands[0] if sentence_lands else ctx.block_land or ctx.section
        )
        placed |= bool(speakers)
        quote_speakers = _statements(facts, lex, text, index, speakers, ctx, unique)
        placed |= bool(quote_speakers)
        spans = clauses(text)
        drafted: list[Initiative] = []
        for start, end in spans:
            clause = text[start:end]
            initiative = _initiative(
                facts,
                lex,
                clause,
                index,
                sentence_lands,
                ctx,
                year,
                spans,
                text,
                quote_speakers,
                start,
                end,
                source,
                unique,
            )
            if initiative is not None:
                drafted.append(initiative)
        for statement in facts.statements:
            if statement.sentence == index:
                statement.about = [i.slug for i in drafted]
        _portals(facts, lex, text, index, drafted, sentence_lands or [ctx.section] if ctx.section else [], unique)
        placed |= bool(drafted)
        if sentence_lands:
            ctx.block_land = sentence_lands[-1]
        if not placed:
            facts.unplaced.append(index)
    return facts


def _persons(facts: Facts, lex: Lexicon, text: str, index: int, land: str | None) -> list[tuple[PersonMention, str]]:
    """Register the persons of a sentence; return each mention with the person slug it resolves to."""
    out: list[tuple[PersonMention, str]] = []
    known = {p.name: p.slug for p in facts.persons.values()}
    for mention in persons_in(text, lex, known):
        person = _resolve(facts, lex, mention, land)
        if person is None:
            continue
        if person in facts.persons and index not in facts.persons[person].evidence:
            facts.persons[person].evidence.append(index)
        out.append((mention, person))
        role_land = mention.land or land
        if mention.role and role_land and mention.name:
            key = (person, mention.role, role_land)
            if key not in facts.roles:
                existing = f"{person}-{mention.role}-{role_land}" in lex.memberships
                facts.roles[key] = Role(person, mention.role, role_land, existing)
            facts.roles[key].evidence.append(index)
    return out


def _resolve(facts: Facts, lex: Lexicon, mention: PersonMention, land: str | None) -> str | None:
    if mention.name:
        key = lex.persons.get(mention.name) or slug(mention.name)
        if key not in facts.persons:
            assert mention.given and mention.family
            facts.persons[key] = Person(
                key,
                mention.name,
                mention.given,
                mention.family,
                mention.name in lex.persons or f"person/{key}" in lex.subjects,
            )
        return key
    if mention.family:
        local = [p.slug for p in facts.persons.values() if p.family == mention.family]
        known = local or lex.families.get(mention.family, [])
        return known[0] if len(set(known)) == 1 else None
    if mention.role and (mention.land or land):
        where = mention.land or land
        local = [r.person for r in facts.roles.values() if r.role == mention.role and r.land == where]
        known = local or lex.holders.get((where or "", mention.role), [])
        return known[0] if len(set(known)) == 1 else None
    return None


def _statements(
    facts: Facts,
    lex: Lexicon,
    text: str,
    index: int,
    speakers: list[tuple[PersonMention, str]],
    ctx: _Context,
    unique: Callable[[str, str], str],
) -> dict[tuple[int, int], str]:
    """Quoted speech of a sentence with its speaker; returns the quote spans with their speaker."""
    found: dict[tuple[int, int], str] = {}
    for start, end in quotes_in(text):
        quote = text[start:end]
        before, after = text[: start - 1], text[end + 1 :]
        if len(quote.split()) < 4 or re.search(_NAME_INTRODUCERS, before):
            continue
        speaker = _speaker(text, before, after, start, end, speakers, ctx)
        if speaker is None:
            facts.unattributed.append(index)
            continue
        found[(start, end)] = speaker
        ctx.speaker = ctx.block_speaker = speaker
        make = unique
        family = facts.persons[speaker].family if speaker in facts.persons else speaker.rsplit("-", 1)[-1]
        words = [w for w in re.findall(r"[A-Za-zÄÖÜäöüß]{5,}", quote)][:2]
        base = slug(family + "-" + "-".join(words)) if words else slug(family)
        facts.statements.append(Statement(make("statement", base), quote, speaker, index))
    return found


def _speaker(
    text: str, before: str, after: str, start: int, end: int, speakers: list[tuple[PersonMention, str]], ctx: _Context
) -> str | None:
    """Who says a quote: "„…“, sagt X", "wie X erläutert", "X betont: „…“", "Und: „…“", a quote after X's."""
    attribution = re.match(r"\s*[,–-]?\s*(?:" + _SPEECH_VERB + r"\s+|wie\s+)", after)
    if attribution:
        offset = end + 1 + attribution.end()
        for mention, person in speakers:
            if offset <= mention.start <= offset + 12:
                return person
        pronoun = re.match(r"(?:sie|er)\b", after[attribution.end() :])
        if pronoun and ctx.speaker:
            return ctx.speaker
    intro = re.search(r"(\S[^.!?]*?)\s*:\s*$", before)
    if intro:
        for mention, person in speakers:
            if mention.end <= start and mention.start >= len(before) - len(intro.group(1)) - 1:
                return person
        if re.match(_CONTINUATION, before[-30:].split(".")[-1]) and ctx.speaker:
            return ctx.speaker
    if not before.strip() and not re.match(r"\s*[,–-]", after) and ctx.block_speaker:
        return ctx.block_speaker  # a whole quoted sentence after the speaker's quote in the same paragraph
    return None


def _initiative(
    facts: Facts,
    lex: Lexicon,
    clause: str,
    index: int,
    sentence_lands: list[str],
    ctx: _Context,
    year: int | None,
    spans: list[tuple[int, int]],
    text: str,
    quote_speakers: dict[tuple[int, int], str],
    start: int,
    end: int,
    source: str,
    unique: Callable[[str, str], str],
) -> Initiative | None:
    times = times_in(clause)
    clause_year = next((int(t.instant[:4]) for t in times), None)
    context_year = clause_year or ctx.block_year or year
    times = times_in(clause, context_year)
    parts = {t.instant[:4] for t in times if len(t.instant) > 4 and not t.instant[5:].isdigit()}
    times = [t for t in times if t.instant not in parts]
    due = next((t.instant for t in times if t.due), None)
    status, _strong = status_of(clause, deadline=due is not None)
    continuation = re.match(r"\s*(?:Dazu|Hierzu|Darunter)\s+(?:gehör|zähl)\w*|\s*Hinzu\s+komm\w*", clause)
    if continuation and ctx.last is not None:
        status = status or ctx.last.status
    if status is None and len(spans) > 1:  # a clause without its own cue shares its sentence's
        siblings = [status_of(text[s:e]) for s, e in spans if (s, e) != (start, end)]
        status = next((st for st, sg in siblings if st and sg), None)
    passive = re.search(r"\b(?:wird|werden)\b", clause)  # a present passive takes the paragraph's status
    if status is None and passive and ctx.last is not None and ctx.last.sentence >= index - 2:
        status = ctx.last.status
    if status is None:
        return None
    speaker = next((p for (qs, qe), p in quote_speakers.items() if qs < end and start < qe), None)
    lands = lands_in(clause, lex)
    if not lands and speaker:
        lands = sorted({r.land for r in facts.roles.values() if r.person == speaker})[:1]
    if not lands and continuation and ctx.last is not None:
        lands = ctx.last.lands
    if not lands:
        lands = (
            sentence_lands[:1] or ([ctx.block_land] if ctx.block_land else []) or ([ctx.section] if ctx.section else [])
        )
    if not lands:
        return None
    lands = lands[:1] + [
        land for land in lands[1:] if re.search(r"\bund\s+" + re.escape(lex.land_labels.get(land, land)), clause)
    ]
    temporal = next((t.instant for t in times if not t.due), None)
    if temporal is None and status == "planned" and due is None and ctx.block_year:
        temporal = str(ctx.block_year)
    if clause_year and status == "planned":
        ctx.block_year = clause_year
    according = speaker
    laut = re.search(r"\blaut\s+", clause)
    if according is None and (laut or re.search(_REPORTED, clause)):
        according = ctx.speaker
    words = [w for w in re.findall(r"[A-Za-zÄÖÜäöüß][\wäöüß-]{4,}", clause) if not re.fullmatch(r"[a-zäöüß]+", w)]
    base = slug(f"{source}-{lands[0]}-" + "-".join(words[:3]))
    make = unique
    initiative = Initiative(
        make("initiative", base),
        index,
        clause.strip(),
        lands,
        status,
        temporal,
        due,
        techs=[k for _, k in find(lex.techs, clause)],
        themenfelder=[k for _, k in find(lex.themenfelder, clause)],
        services=[k for _, k in find(lex.services, clause)],
        portals=[k for _, k in find(lex.portals, clause)],
        quantity=next(iter(quantities_in(clause)), None),
        according_to=according,
        part_of=ctx.last.slug if continuation and ctx.last is not None else None,
        strategy=bool(
            re.search(_STRATEGY, clause)
            and re.search(r"veröffentlich|vorleg|beschließ|beschlossen|verabschied|erarbeit", clause)
        ),
    )
    facts.initiatives.append(initiative)
    ctx.last = initiative
    return initiative


def _portals(
    facts: Facts,
    lex: Lexicon,
    text: str,
    index: int,
    drafted: list[Initiative],
    lands: list[str],
    unique: Callable[[str, str], str],
) -> None:
    """New portals named in a sentence ("das Portal „X“", "Serviceportal Bremen"), linked to its initiatives."""
    named = [(m.start(1), m.group(1)) for m in re.finditer(_PORTAL_NAMED, text)]
    named += [(m.start(1), m.group(1)) for m in re.finditer(_PORTAL_COMPOUND, text)]
    known = {key for _, key in find(lex.portals, text)}
    found: list[str] = []
    for _, label in sorted(named):
        label = re.sub(r"^(\w+portal)s\b", r"\1", label)
        if find(lex.portals, label):
            continue
        land = lands_in(label, lex)
        where = land[0] if land else (lands[0] if lands else None)
        key = slug(label) if land or where is None else slug(f"{label}-{where}")
        if key not in facts.portals:
            facts.portals[key] = Portal(key, label, where, index)
        found.append(key)
    integrated = re.search(r"(?:Portal|Plattform)\s+„([^“”]+)[“”].*?\bin\s+(?:das|die|den)\s+(.+?)\s+integriert", text)
    if integrated:
        inner, outer = slug(integrated.group(1)), integrated.group(2)
        outer_keys = [k for k in facts.portals if facts.portals[k].label == outer] + [
            k for _, k in find(lex.portals, outer)
        ]
        for key in facts.portals:
            if key.startswith(inner) and outer_keys:
                facts.portals[key].integrated_into = outer_keys[0]
    for initiative in drafted:
        for key in found + sorted(known):
            mentioned = (key in facts.portals and facts.portals[key].label in initiative.text) or key in known
            if mentioned and key not in initiative.portals:
                initiative.portals.append(key)
