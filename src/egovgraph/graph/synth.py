"""A synthetic egovgraph of a chosen size that validates against the shapes, for scale tests and benchmarks.

The 16 real Länder, the Themenfelder, the year instants, technologies and roles are taken from the
bundled reference data and vocabularies (their IRIs are reused, not redefined); the generator adds
municipalities in each Land, ministries, EfA services built by one Land and reused by municipalities
and Länder, officials with dated memberships, initiatives with statuses and technologies, and for
every fact an evidence node naming a synthetic source. No blank nodes; the same arguments and seed
give a byte-identical file. N-Triples (``.nt``, or ``.ttl``: N-Triples is valid Turtle) or N-Quads
(``.nq``, one named graph per synthetic source), written to a temporary file and renamed into place.
"""

from __future__ import annotations

import os
import random
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TextIO

from egovgraph.errors import InputError
from egovgraph.vocab.names import DEFAULT_BASE, PREFIXES, default_data_dir, default_ontology_dir

#: The file extensions ``generate`` writes, and whether each holds quads.
FORMATS = {".nt": False, ".ttl": False, ".nq": True}
#: Facts (evidence nodes) per synthetic source.
FACTS_PER_SOURCE = 200
#: At most this many municipalities reuse one service.
MAX_MUNICIPAL_REUSERS = 30
MINISTRIES_PER_LAND = 2

_RDF = PREFIXES["rdf"]
_TYPE = _RDF + "type"
_LABEL = PREFIXES["rdfs"] + "label"
_EGOV = PREFIXES["egov"]
_ORG = PREFIXES["org"]
_TIME = PREFIXES["time"]
_DCT = PREFIXES["dct"]
_XSD = PREFIXES["xsd"]
_PROV = PREFIXES["prov"]
_SCHEMA = PREFIXES["schema"]
_FOAF = PREFIXES["foaf"]
_ID = DEFAULT_BASE + "id/"
_STATUSES = ("planned", "in-progress", "completed", "ongoing")

_PLACE_HEADS = ("Neu", "Alt", "Ober", "Unter", "Groß", "Klein", "Hohen", "Nieder", "Bad ", "Sankt ")
_PLACE_STEMS = ("berg", "bach", "feld", "au", "heim", "hausen", "dorf", "stein", "brück", "wald", "hof", "roda")
_SERVICES = (
    "Wohngeld",
    "Elterngeld",
    "Bauantrag",
    "Ummeldung",
    "Gewerbeanmeldung",
    "Kfz-Zulassung",
    "Führerschein",
    "Hundesteuer",
    "Fischereischein",
    "Aufenthaltstitel",
    "BAföG",
    "Eheschließung",
    "Unterhaltsvorschuss",
    "Parkausweis",
    "Baumfällung",
    "Sondernutzung",
    "Waffenschein",
)
_TOPICS = (
    "E-Akte",
    "Online-Terminvergabe",
    "Bürgerportal",
    "Digitale Schule",
    "Open Data",
    "Registermodernisierung",
    "Breitbandausbau",
    "KI-Assistent",
    "E-Rechnung",
    "Serviceportal",
)
_GIVEN = ("Anna", "Jonas", "Lea", "Paul", "Marie", "Felix", "Sophie", "Lukas", "Emma", "Tim", "Hanna", "Jörg")
_FAMILY = (
    "Müller",
    "Schmidt",
    "Schneider",
    "Fischer",
    "Weber",
    "Meyer",
    "Wagner",
    "Becker",
    "Schulz",
    "Hoffmann",
    "Koch",
    "Richter",
    "Klein",
    "Wolf",
)


@dataclass(frozen=True)
class Reference:
    """The IRIs of the bundled reference data and vocabularies the synthetic facts point to."""

    lands: tuple[str, ...]
    themenfelder: tuple[str, ...]
    technologies: tuple[str, ...]
    roles: tuple[str, ...]
    years: tuple[tuple[int, str], ...]


@dataclass(frozen=True)
class Synthesised:
    """What ``generate`` wrote."""

    path: Path
    triples: int
    municipalities: int
    services: int
    officials: int
    initiatives: int
    sources: int


def reference() -> Reference:
    """Read the Länder, Themenfelder, year instants, technologies and roles from the bundled files."""
    import pyoxigraph as ox

    def subjects(path: Path, cls: str) -> list[str]:
        quads = ox.parse(path=str(path), format=ox.RdfFormat.TURTLE)
        return sorted(
            {
                q.subject.value
                for q in quads
                if q.predicate.value == _TYPE and q.object.value == cls and isinstance(q.subject, ox.NamedNode)
            }
        )

    data, onto = default_data_dir() / "reference", default_ontology_dir()
    years = [
        (int(iri.rsplit("/", 1)[1]), iri)
        for iri in subjects(data / "time.ttl", _TIME + "Instant")
        if iri.rsplit("/", 1)[1].isdigit()
    ]
    return Reference(
        lands=tuple(subjects(data / "laender.ttl", _EGOV + "Land")),
        themenfelder=tuple(subjects(data / "themenfelder.ttl", _EGOV + "Themenfeld")),
        technologies=tuple(subjects(onto / "vocabularies.ttl", _EGOV + "Technology")),
        roles=tuple(subjects(onto / "vocabularies.ttl", _ORG + "Role")),
        years=tuple(sorted(years)),
    )


def _iri(value: str) -> str:
    return f"<{value}>"


def _lit(value: str, lang: str | None = None, datatype: str | None = None) -> str:
    text = value.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n").replace("\r", "\\r")
    return f'"{text}"' + (f"@{lang}" if lang else f"^^<{datatype}>" if datatype else "")


class _Writer:
    """Writes statements, counts them, and hands out evidence nodes (one per fact) and sources."""

    def __init__(self, out: TextIO, rnd: random.Random, years: tuple[tuple[int, str], ...], quads: bool) -> None:
        self.out, self.rnd, self.years, self.quads = out, rnd, years, quads
        self.count = self.facts = self.sources = 0
        self.graph = ""

    def add(self, s: str, p: str, o: str) -> None:
        self.count += 1
        self.out.write(f"{s} <{p}> {o}{self.graph} .\n")

    def typed(self, s: str, cls: str, de: str, en: str | None = None) -> None:
        self.add(s, _TYPE, _iri(cls))
        self.add(s, _LABEL, _lit(de, "de"))
        if en is not None:
            self.add(s, _LABEL, _lit(en, "en"))

    def evidence(self, fact: str, note: str) -> None:
        """Link ``fact`` to a new evidence node naming the current synthetic source."""
        if self.facts and self.facts % FACTS_PER_SOURCE == 0:
            self.new_source()
        self.facts += 1
        ev = _iri(f"{_ID}evidence/synth-{self.facts:08d}")
        self.add(fact, _EGOV + "hasEvidence", ev)
        self.add(ev, _TYPE, _iri(_EGOV + "Evidence"))
        self.add(ev, _PROV + "entity", _iri(f"{_ID}source/synth-{self.sources:06d}"))
        self.add(ev, _EGOV + "note", _lit(note, "en"))

    def new_source(self) -> None:
        self.sources += 1
        n = self.sources
        if self.quads:
            self.graph = f" <{DEFAULT_BASE}graph/synth-{n:06d}>"
        source = _iri(f"{_ID}source/synth-{n:06d}")
        self.typed(source, _EGOV + "Source", f"Synthetische Quelle {n}")
        self.add(source, _DCT + "title", _lit(f"Synthetischer Bericht {n}", "de"))
        self.add(source, _SCHEMA + "url", _iri(f"https://example.org/egovgraph-synth/source/{n}"))
        year, _ = self.rnd.choice(self.years)
        self.add(source, _DCT + "issued", _lit(f"{year}-{self.rnd.randint(1, 12):02d}", datatype=_XSD + "gYearMonth"))


def generate(
    path: Path,
    *,
    municipalities: int,
    services: int,
    seed: int = 0,
    officials: int | None = None,
    initiatives: int | None = None,
    triples: int | None = None,
) -> Synthesised:
    """Write a synthetic graph to ``path`` (.nt, .ttl or .nq); deterministic for the arguments and seed.

    ``officials`` defaults to 4 per Land plus one per 20 municipalities; ``initiatives`` to 10 per
    Land plus 2 per municipality, or, with ``triples``, as many as reach about that many statements.
    """
    path = Path(path)
    for name, value in (
        ("municipalities", municipalities),
        ("services", services),
        ("officials", officials),
        ("initiatives", initiatives),
        ("triples", triples),
    ):
        if value is not None and value < 0:
            raise InputError(f"{name} {value} must not be negative")
    if path.suffix not in FORMATS:
        raise InputError(
            f"{path}: cannot write {path.suffix or 'a file without extension'!r}: give a .nt, .ttl "
            "(N-Triples) or .nq (N-Quads) file name"
        )
    if not path.parent.is_dir():
        raise InputError(f"cannot write {path}: the directory {path.parent} does not exist")
    ref = reference()
    if officials is None:
        officials = 4 * len(ref.lands) + municipalities // 20
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as out:
            writer = _Writer(out, random.Random(seed), ref.years, FORMATS[path.suffix])
            made = _emit(writer, ref, municipalities, services, officials, initiatives, triples)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return Synthesised(path, writer.count, municipalities, services, officials, made, writer.sources)


def _emit(
    w: _Writer,
    ref: Reference,
    municipalities: int,
    services: int,
    officials: int,
    initiatives: int | None,
    triples: int | None,
) -> int:
    """Write every resource; returns the number of initiatives written."""
    rnd = w.rnd
    w.new_source()
    lands = [_iri(x) for x in ref.lands]
    ministries = list(_ministries(w, lands))
    towns = list(_municipalities(w, lands, municipalities))
    _services(w, ref, lands, towns, services)
    _officials(w, ref, lands + ministries + towns, officials)
    owners = lands + ministries + towns
    wanted = (
        initiatives
        if initiatives is not None
        else (None if triples is not None else 10 * len(lands) + 2 * municipalities)
    )
    i = 0
    while (i < wanted) if wanted is not None else (w.count < (triples or 0)):
        init = _iri(f"{_ID}initiative/synth-{i:07d}")
        topic = rnd.choice(_TOPICS)
        w.typed(init, _EGOV + "Initiative", f"{topic} {i}", f"{topic} {i}")
        owner = lands[i % len(lands)] if i < 10 * len(lands) else rnd.choice(owners)
        w.add(init, _EGOV + "responsibleOrganisation", owner)
        w.add(init, _EGOV + "status", _iri(f"{DEFAULT_BASE}vocab/status/{rnd.choice(_STATUSES)}"))
        w.add(init, _DCT + "temporal", _iri(rnd.choice(ref.years)[1]))
        for tech in rnd.sample(ref.technologies, rnd.randint(1, 3)):
            w.add(init, _EGOV + "usesTechnology", _iri(tech))
        if rnd.random() < 0.3:
            w.add(init, _EGOV + "themenfeld", _iri(rnd.choice(ref.themenfelder)))
        w.evidence(init, f"Synthetic initiative {i}.")
        i += 1
    return i


def _ministries(w: _Writer, lands: list[str]) -> Iterator[str]:
    for n, land in enumerate(lands):
        for k in range(MINISTRIES_PER_LAND):
            ministry = _iri(f"{_ID}organisation/synth-ministerium-{n + 1:02d}-{k}")
            w.typed(
                ministry,
                _EGOV + "Ministry",
                f"Ministerium {k + 1} des Landes {n + 1}",
                f"Ministry {k + 1} of Land {n + 1}",
            )
            w.add(ministry, _ORG + "subOrganizationOf", land)
            w.evidence(ministry, f"Synthetic ministry {k + 1} of Land {n + 1}.")
            yield ministry


def _municipalities(w: _Writer, lands: list[str], count: int) -> Iterator[str]:
    for i in range(count):
        town = _iri(f"{_ID}organisation/synth-gemeinde-{i:06d}")
        name = w.rnd.choice(_PLACE_HEADS) + w.rnd.choice(_PLACE_STEMS)
        w.typed(town, _EGOV + "LocalAuthority", f"Gemeinde {name.strip()} ({i})")
        w.add(town, _ORG + "subOrganizationOf", lands[w.rnd.randrange(len(lands))])
        w.evidence(town, f"Synthetic municipality {i}.")
        yield town


def _services(w: _Writer, ref: Reference, lands: list[str], towns: list[str], count: int) -> None:
    rnd = w.rnd
    for i in range(count):
        service = _iri(f"{_ID}service/synth-{i:05d}")
        name = rnd.choice(_SERVICES)
        w.typed(service, _EGOV + "EfaService", f"{name} digital ({i})", f"{name} online ({i})")
        builder = rnd.choice(lands)
        w.add(service, _EGOV + "builtBy", builder)
        for land in rnd.sample([x for x in lands if x != builder], rnd.randint(0, 10)):
            w.add(service, _EGOV + "reusedBy", land)
        for town in rnd.sample(towns, rnd.randint(0, min(len(towns), MAX_MUNICIPAL_REUSERS))):
            w.add(service, _EGOV + "reusedBy", town)
        w.add(service, _EGOV + "themenfeld", _iri(rnd.choice(ref.themenfelder)))
        w.add(service, _EGOV + "usesTechnology", _iri(rnd.choice(ref.technologies)))
        w.evidence(service, f"Synthetic EfA service {i}.")


def _officials(w: _Writer, ref: Reference, organisations: list[str], count: int) -> None:
    rnd = w.rnd
    years = ref.years
    for n in range(count):
        person = _iri(f"{_ID}person/synth-{n:06d}")
        name = f"{rnd.choice(_GIVEN)} {rnd.choice(_FAMILY)}"
        w.typed(person, _FOAF + "Person", f"{name} ({n})", f"{name} ({n})")
        w.add(person, _FOAF + "name", _lit(name))
        w.evidence(person, f"Synthetic official {n}.")
        # the first official of each Land heads its digitalisation: every Land has a dated role
        org = organisations[n] if n < len(ref.lands) else rnd.choice(organisations)
        role = _iri(rnd.choice(ref.roles))
        membership = _iri(f"{_ID}membership/synth-{n:06d}")
        w.typed(membership, _ORG + "Membership", f"{name}, Funktion {n}", f"{name}, role {n}")
        w.add(membership, _ORG + "member", person)
        w.add(membership, _ORG + "organization", org)
        w.add(membership, _ORG + "role", role)
        start = rnd.randrange(len(years) - 1)
        end = rnd.randrange(start + 1, len(years)) if rnd.random() < 0.5 else None
        period = _iri(f"{_ID}period/synth-{n:06d}")
        label = f"{years[start][0]}–{years[end][0]}" if end is not None else f"seit {years[start][0]}"
        w.typed(period, _TIME + "ProperInterval", label)
        w.add(period, _TIME + "hasBeginning", _iri(years[start][1]))
        if end is not None:
            w.add(period, _TIME + "hasEnd", _iri(years[end][1]))
        w.add(membership, _ORG + "memberDuring", period)
        w.evidence(membership, f"Synthetic role {n}.")
