"""Sentences -> drafted facts: persons and roles, statements with their speaker, initiatives with status and time.

One pass over the sentences in order keeps the context a reader keeps: the section's Land (a heading
"Bremen"), the Land last named in the paragraph, the last speaker (for "Und: „…“" and reported speech),
the year a paragraph speaks of ("Für 2025 …"), the last initiative ("Dazu gehöre auch …").
"""

from __future__ import annotations

import re
from collections.abc import Callable

from egovgraph.draft.lexicon import Lexicon, slug
from egovgraph.draft.model import Context, Facts, Initiative, Portal
from egovgraph.draft.people import persons_of, statements_of
from egovgraph.draft.phrases import quantities_in, times_in
from egovgraph.draft.recognise import clauses, find, lands_in, quotes_in, status_of
from egovgraph.draft.sentences import Sentence

__all__ = ["Facts", "draft_facts"]


_REPORTED = r"\b(?:gehöre|gehören|werde|wolle|sei|seien|habe|könne|solle|müsse)\b"
_PORTAL_NAMED = r"\b(?:Portal|Plattform)\s+„([^“”]+)[“”]"
_PORTAL_COMPOUND = r"(?<![\w-])((?:Service|Bürger|Unternehmens|Landes|Verwaltungs)portal(?:s)?\s+[A-ZÄÖÜ][\w-]+)"
_STRATEGY = r"\b\w*[Ss]trategie\b"


def _is_heading(sentence: Sentence, block_sentences: int) -> bool:
    text = sentence.text
    return block_sentences == 1 and len(text.split()) <= 6 and not re.search(r"[.!?:“”\"]$", text)


def draft_facts(sentences: list[Sentence], lex: Lexicon, *, source: str, year: int | None) -> Facts:
    """Draft the facts of the sentences of one source (``source`` is its slug, ``year`` its publication year)."""
    facts = Facts(sentences)
    per_block: dict[int, int] = {}
    for s in sentences:
        per_block[s.block] = per_block.get(s.block, 0) + 1
    ctx = Context()
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
        speakers = persons_of(
            facts, lex, text, index, sentence_lands[0] if sentence_lands else ctx.block_land or ctx.section
        )
        if speakers:
            ctx.mentioned = speakers[-1][1]
        quote_speakers = statements_of(facts, lex, text, index, speakers, ctx, unique)
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
        _portals(facts, lex, text, index, drafted, sentence_lands or ([ctx.section] if ctx.section else []), unique)
        placed = (
            bool(drafted or quote_speakers)
            or any(role.evidence[:1] == [index] for role in facts.roles.values())
            or any(p.evidence[:1] == [index] and not p.existing for p in facts.persons.values())
        )
        if sentence_lands:
            ctx.block_land = sentence_lands[-1]
        if not placed:
            facts.unplaced.append(index)
    return facts


def _initiative(
    facts: Facts,
    lex: Lexicon,
    clause: str,
    index: int,
    sentence_lands: list[str],
    ctx: Context,
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
    quoted = [clause[qs:qe] for qs, qe in quotes_in(clause) if len(clause[qs:qe].split()) >= 4]
    # in quoted speech the status is the speaker's, not that of the verb of saying ("betont", "erklärt")
    status, _strong = status_of(" ".join(quoted) if quoted else clause, deadline=due is not None)
    outside = re.sub(r"„[^“”]*[“”]", " ", clause)
    if status is None and quoted and re.search(r"\bkündig\w*\s+(?:\S+\s+){0,6}an\b|\bangekündigt\b", outside):
        status = "planned"  # "X kündigt an: „…“"
    if status is None and year is not None and any(int(t.instant[:4]) > year for t in times):
        status = "planned"  # a present tense about a later year: "Anfang 2026 veröffentlichen wir …"
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
    if status == "planned" and any(not t.due for t in times):  # a deadline does not set the paragraph's year
        ctx.block_year = next(int(t.instant[:4]) for t in times if not t.due)
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
