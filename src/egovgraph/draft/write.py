"""Drafted facts -> Turtle, written by hand in a fixed order so the same text always gives the same bytes.

The layout follows the hand-curated sources (data/sources/egovernment-bilanz-teil-3.ttl): the source node,
then sentence by sentence its evidence and the facts it supports, the time instants the reference data
lacks, and, as comments at the end, the sentences no rule could place.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from egovgraph.draft.lexicon import Lexicon
from egovgraph.draft.model import Facts, Initiative
from egovgraph.draft.phrases import Quantity
from egovgraph.draft.sentences import MONTHS
from egovgraph.vocab.names import PREFIXES, resource_prefixes

__all__ = ["Meta", "literal", "turtle"]

#: The prefixes a draft declares: the vocabularies it writes and the resource namespaces (the project's own).
_VOCABULARIES = (
    "egov", "rdfs", "xsd", "dct", "prov", "foaf", "org", "schema", "time",
    "status", "tech", "role", "count", "yearpart", "curation",
)  # fmt: skip
_RESOURCES = (
    "land", "organisation", "person", "membership", "initiative", "service", "portal", "strategy",
    "statement", "themenfeld", "quantity", "source", "evidence", "t",
)  # fmt: skip
_PREFIXES = tuple((p, PREFIXES[p]) for p in _VOCABULARIES) + tuple((p, resource_prefixes()[p]) for p in _RESOURCES)
_PARTS = {"start": ("Anfang {}", "early {}"), "end": ("Ende {}", "end of {}"), "spring": ("Frühjahr {}", "spring {}")}
_MONTHS_EN = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
]


@dataclass(frozen=True)
class Meta:
    """What the curator says about the source (``--title``, ``--author`` ...), or what the text's head gives."""

    slug: str
    title: str
    author: str | None = None
    publisher: str | None = None
    date: str | None = None
    url: str | None = None
    lang: str = "de"
    identifier: str | None = None


def literal(text: str, lang: str | None = None) -> str:
    """A Turtle string literal: whitespace collapsed (quotes are compared whitespace-insensitively), escaped."""
    text = re.sub(r"\s+", " ", text).strip()
    escaped = text.replace("\\", "\\\\").replace('"', '\\"')
    return f'"{escaped}"' + (f"@{lang}" if lang else "")


def _date(value: str) -> str:
    kind = {4: "gYear", 7: "gYearMonth"}.get(len(value), "date")
    return f'"{value}"^^xsd:{kind}'


def _block(subject: str, types: str, props: list[tuple[str, str]]) -> str:
    lines = [f"{subject} a {types} ;"]
    for i, (p, o) in enumerate(props):
        lines.append(f"    {p} {o}" + (" ." if i == len(props) - 1 else " ;"))
    return "\n".join(lines) + "\n"


def _short(text: str, limit: int = 110) -> str:
    text = re.sub(r"^(?:Und|Weiter|Zudem)\s*:\s+", "", re.sub(r"\s+", " ", text).strip())
    text = text.strip('„“”"').strip()
    text = text.rstrip('.,;:–- “”"')
    if len(text) <= limit:
        return text
    cut = text[:limit].rsplit(" ", 1)[0]
    return cut + " …"


def _quantity(key: str, q: Quantity, lang: str) -> str:
    label = f"{q.value} von {q.total} {q.unit}" if q.total is not None else f"{q.value} {q.unit}"
    props = [("rdfs:label", literal(label, "de"))]
    if q.value is not None:
        props.append(("schema:value", str(q.value)))
    if q.total is not None:
        props.append(("egov:ofTotal", str(q.total)))
    props += [
        ("schema:unitText", literal(q.unit, lang)),
        ("egov:countQualifier", f"count:{q.qualifier}"),
        ("egov:curationStatus", "curation:draft"),
    ]
    return _block(f"quantity:{key}", "schema:QuantitativeValue", props)


def _initiative(i: Initiative, evidence: str, lang: str, strategies: set[str]) -> list[str]:
    kind = "strategy" if i.strategy else "initiative"
    props = [("rdfs:label", literal(_short(i.text), lang))]
    props.append(("egov:responsibleOrganisation", " , ".join(f"land:{land}" for land in i.lands)))
    props.append(("egov:status", f"status:{i.status}"))
    if i.temporal:
        props.append(("dct:temporal", f"t:{i.temporal}"))
    if i.due:
        props.append(("egov:dueBy", f"t:{i.due}"))
    if i.techs:
        props.append(("egov:usesTechnology", " , ".join(f"tech:{t}" for t in i.techs)))
    if i.themenfelder:
        props.append(("egov:themenfeld", " , ".join(f"themenfeld:{t}" for t in i.themenfelder)))
    concerns = [f"portal:{p}" for p in i.portals] + [f"service:{s}" for s in i.services]
    if concerns:
        props.append(("egov:concerns", " , ".join(concerns)))
    if i.quantity is not None:
        props.append(("egov:quantity", f"quantity:{i.slug}"))
    if i.according_to:
        props.append(("egov:accordingTo", f"person:{i.according_to}"))
    if i.part_of and not i.strategy and i.part_of not in strategies:
        props.append(("dct:isPartOf", f"initiative:{i.part_of}"))
    props += [("egov:hasEvidence", evidence), ("egov:curationStatus", "curation:draft")]
    out = [_block(f"{kind}:{i.slug}", "egov:Strategy" if i.strategy else "egov:Initiative", props)]
    if i.quantity is not None:
        out.append(_quantity(i.slug, i.quantity, lang))
    return out


def _instant(key: str) -> str | None:
    """A time instant (or interval) of the reference data's kind, for a key the reference data lacks."""
    m = re.fullmatch(r"(\d{4})(?:-(start|end|spring|\d\d))?", key)
    if m:
        year, part = m.group(1), m.group(2)
        props = [("time:inXSDgYear", f'"{year}"^^xsd:gYear')]
        de, en = year, year
        if part in _PARTS:
            de, en = _PARTS[part][0].format(year), _PARTS[part][1].format(year)
            props.append(("egov:yearPart", f"yearpart:{part}"))
        elif part:
            de, en = f"{MONTHS[int(part) - 1]} {year}", f"{_MONTHS_EN[int(part) - 1]} {year}"
            props.append(("time:inXSDgYearMonth", f'"{year}-{part}"^^xsd:gYearMonth'))
        props = [
            ("rdfs:label", f"{literal(de, 'de')} , {literal(en, 'en')}"),
            *props,
            ("egov:curationStatus", "curation:draft"),
        ]
        return _block(f"t:{key}", "time:Instant", props)
    m = re.fullmatch(r"(\d{4})-(\d{4})", key)
    if m:
        label = f"{m.group(1)}/{m.group(2)}"
        return _block(
            f"t:{key}",
            "time:ProperInterval",
            [
                ("rdfs:label", f"{literal(label, 'de')} , {literal(label, 'en')}"),
                ("time:hasBeginning", f"t:{m.group(1)}"),
                ("time:hasEnd", f"t:{m.group(2)}"),
                ("egov:curationStatus", "curation:draft"),
            ],
        )
    return None


def turtle(
    facts: Facts,
    lex: Lexicon,
    meta: Meta,
    *,
    text: str,
    text_path: str,
    author_slug: str | None,
    publisher_slug: str | None,
    new_publisher: bool,
    byline: int | None,
) -> str:
    """The draft source file."""
    lang = meta.lang
    out = [f"@prefix {p}: <{ns}> ." for p, ns in _PREFIXES]
    out.append("")
    out.append(f"# Draft of {literal(meta.title)}, written by `egovgraph draft` from {text_path}.")
    out.append("# Every resource below carries egov:curationStatus curation:draft: check it against its quote,")
    out.append(
        "# correct or delete it, then remove the mark (see docs/curation.md). Quotes are verbatim from the text."
    )
    out.append("")
    props = [("rdfs:label", literal(meta.title, lang)), ("dct:title", literal(meta.title, lang))]
    if author_slug:
        props.append(("dct:creator", f"person:{author_slug}"))
    if publisher_slug:
        props.append(("dct:publisher", f"organisation:{publisher_slug}"))
    if meta.date:
        props.append(("dct:issued", _date(meta.date)))
    if meta.identifier:
        props.append(("dct:identifier", literal(meta.identifier)))
    if meta.url:
        props.append(("schema:url", f"<{meta.url}>"))
    props.append(("dct:language", literal(lang)))
    if facts.lands:
        props.append(("schema:about", " , ".join(f"land:{land}" for land in facts.lands)))
    props.append(("egov:curationStatus", "curation:draft"))
    out.append(_block(f"source:{meta.slug}", "egov:Source , schema:NewsArticle", props))
    if new_publisher and publisher_slug and meta.publisher:
        out.append(
            _block(
                f"organisation:{publisher_slug}",
                "foaf:Organization",
                [("rdfs:label", literal(meta.publisher, "de")), ("egov:curationStatus", "curation:draft")],
            )
        )
    if author_slug and f"person/{author_slug}" not in lex.subjects and meta.author:
        given, _, family = meta.author.rpartition(" ")
        evidence = f"evidence:{meta.slug}-byline"
        person = [("rdfs:label", literal(meta.author, "de")), ("foaf:name", literal(meta.author))]
        if given:
            person += [("foaf:givenName", literal(given)), ("foaf:familyName", literal(family))]
        person += [("egov:hasEvidence", evidence), ("egov:curationStatus", "curation:draft")]
        out.append(_block(f"person:{author_slug}", "foaf:Person", person))
        if byline is not None:
            quote = ("egov:quote", literal(facts.sentences[byline].text, lang))
        else:
            quote = ("egov:note", literal("Named as the author by the curator (egovgraph draft --author).", "en"))
        out.append(
            _block(
                evidence,
                "egov:Evidence",
                [("prov:entity", f"source:{meta.slug}"), quote, ("egov:curationStatus", "curation:draft")],
            )
        )
    out.extend(_sentences(facts, lex, meta, text))
    needed = sorted({t for i in facts.initiatives for t in (i.temporal, i.due) if t})
    needed += sorted({part for t in needed if (m := re.fullmatch(r"(\d{4})-(\d{4})", t)) for part in m.groups()})
    missing = [t for t in dict.fromkeys(needed) if t not in lex.instants]
    if missing:
        out.append("# Time instants data/reference/time.ttl lacks: move them there when the draft is accepted.")
        out.extend(block for t in sorted(missing) if (block := _instant(t)))
    if facts.unplaced or facts.unattributed:
        out.append("# Sentences no rule could place (no Land, no status cue, or a quote without speaker):")
        for index in sorted(set(facts.unplaced) | set(facts.unattributed)):
            s = facts.sentences[index]
            line = text[: s.start].count("\n") + 1
            out.append(f"# line {line}: " + re.sub(r"\s+", " ", s.text))
        out.append("")
    return "\n".join(out).rstrip("\n") + "\n"


def _sentences(facts: Facts, lex: Lexicon, meta: Meta, text: str) -> list[str]:
    lang = meta.lang
    out: list[str] = []
    strategies = {i.slug for i in facts.initiatives if i.strategy}
    by_sentence: dict[int, list[str]] = {}
    defined_persons: set[str] = set()
    for index, sentence in enumerate(facts.sentences):
        evidence = f"evidence:{meta.slug}-s{index + 1:02d}"
        blocks: list[str] = []
        for person in facts.persons.values():
            if person.evidence and person.evidence[0] == index and not person.existing:
                blocks.append(
                    _block(
                        f"person:{person.slug}",
                        "foaf:Person",
                        [
                            ("rdfs:label", literal(person.name, "de")),
                            ("foaf:name", literal(person.name)),
                            ("foaf:givenName", literal(person.given)),
                            ("foaf:familyName", literal(person.family)),
                            ("egov:hasEvidence", evidence),
                            ("egov:curationStatus", "curation:draft"),
                        ],
                    )
                )
                defined_persons.add(person.slug)
        for role in facts.roles.values():
            if role.evidence[0] != index:
                continue
            key = f"membership:{role.person}-{role.role}-{role.land}"
            if role.existing:
                blocks.append(f"{key} egov:hasEvidence {evidence} .\n")
                continue
            name = facts.persons[role.person].name if role.person in facts.persons else role.person
            shown_role = role.role.upper() if len(role.role) <= 3 else role.role
            label = f"{name}, {shown_role} ({lex.land_labels.get(role.land, role.land)})"
            blocks.append(
                _block(
                    key,
                    "org:Membership",
                    [
                        ("rdfs:label", literal(label, "de")),
                        ("org:member", f"person:{role.person}"),
                        ("org:organization", f"land:{role.land}"),
                        ("org:role", f"role:{role.role}"),
                        ("egov:hasEvidence", evidence),
                        ("egov:curationStatus", "curation:draft"),
                    ],
                )
            )
        for st in facts.statements:
            if st.sentence != index:
                continue
            family = facts.persons[st.speaker].family if st.speaker in facts.persons else st.speaker
            props = [
                ("rdfs:label", literal(f"{family}: {_short(st.text, 80)}", "de")),
                ("schema:text", literal(st.text, lang)),
                ("prov:wasAttributedTo", f"person:{st.speaker}"),
            ]
            if meta.date:
                props.append(("dct:date", _date(meta.date)))
            about = [f"{'strategy' if a in strategies else 'initiative'}:{a}" for a in st.about]
            if about:
                props.append(("schema:about", " , ".join(about)))
            props += [("egov:hasEvidence", evidence), ("egov:curationStatus", "curation:draft")]
            blocks.append(_block(f"statement:{st.slug}", "egov:Statement", props))
        for initiative in facts.initiatives:
            if initiative.sentence == index:
                blocks.extend(_initiative(initiative, evidence, lang, strategies))
        for portal in facts.portals.values():
            if portal.sentence == index and f"portal/{portal.slug}" not in lex.subjects:
                props = [("rdfs:label", literal(portal.label, "de"))]
                if portal.integrated_into:
                    props.append(("egov:integratedInto", f"portal:{portal.integrated_into}"))
                props += [("egov:hasEvidence", evidence), ("egov:curationStatus", "curation:draft")]
                blocks.append(_block(f"portal:{portal.slug}", "egov:Portal", props))
        if blocks:
            line = text[: sentence.start].count("\n") + 1
            out.append(f"# line {line}")
            out.append(
                _block(
                    evidence,
                    "egov:Evidence",
                    [
                        ("prov:entity", f"source:{meta.slug}"),
                        ("egov:quote", literal(sentence.text, lang)),
                        ("egov:curationStatus", "curation:draft"),
                    ],
                )
            )
            by_sentence[index] = blocks
            out.extend(blocks)
    return out
