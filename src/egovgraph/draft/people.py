"""Persons in a sentence (resolved to the article's or the graph's persons) and quoted speech with its speaker."""

from __future__ import annotations

import re
from collections.abc import Callable

from egovgraph.draft.lexicon import Lexicon, slug
from egovgraph.draft.model import Context, Facts, Person, Role, Statement
from egovgraph.draft.recognise import PersonMention, persons_in, quotes_in

__all__ = ["persons_of", "statements_of"]

_NAME_INTRODUCERS = (
    r"(?:Portal|Serviceportal|Plattform|Thema|Themas|Projekt|Projekts|Programm|Motto|Titel|Initiative|"
    r"Strategie|App|Leitfaden|Reihe|Serie|Marke|Stichwort|Begriff)\s*$"
)
_SPEECH_VERB = r"(?:so|[a-zäöüß]+t|[a-zäöüß]+te|fügt\s+hinzu)"
_CONTINUATION = r"^\s*(?:Und|Weiter|Außerdem|Zudem|Ferner|Sowie|Auch|Und weiter|(?:Sie|Er)\s+\w+(?:\s+\w+)?)\s*:\s*$"


def persons_of(facts: Facts, lex: Lexicon, text: str, index: int, land: str | None) -> list[tuple[PersonMention, str]]:
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
            exists = mention.name in lex.persons or key in set(lex.persons.values())
            facts.persons[key] = Person(key, mention.name, mention.given, mention.family, exists)
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


def statements_of(
    facts: Facts,
    lex: Lexicon,
    text: str,
    index: int,
    speakers: list[tuple[PersonMention, str]],
    ctx: Context,
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
    text: str, before: str, after: str, start: int, end: int, speakers: list[tuple[PersonMention, str]], ctx: Context
) -> str | None:
    """Who says a quote: "„…“, sagt X", "wie X erläutert", "X betont: „…“", "Und: „…“", a quote after X's."""
    attribution = re.match(r"\s*[,–-]?\s*(?:" + _SPEECH_VERB + r"\s+|wie\s+)", after)
    if attribution:
        offset = end + 1 + attribution.end()
        for mention, person in speakers:
            if offset <= mention.start <= offset + 12:
                return person
        pronoun = re.match(r"(?:sie|er)\b", after[attribution.end() :])
        named_before = [person for mention, person in speakers if mention.end <= start]
        last = named_before[-1] if named_before else ctx.mentioned or ctx.speaker
        if pronoun and last:
            return last  # "…“, sagt er": the person named last
    intro = re.search(r"(\S[^.!?]*?)\s*:\s*$", before)
    if intro:
        for mention, person in speakers:
            if mention.end <= start and mention.start >= intro.start(1):
                return person
        if re.match(_CONTINUATION, before[-30:].split(".")[-1]) and ctx.speaker:
            return ctx.speaker
    if not before.strip() and not re.match(r"\s*[,–-]", after) and ctx.block_speaker:
        return ctx.block_speaker  # a whole quoted sentence after the speaker's quote in the same paragraph
    return None
