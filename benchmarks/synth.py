"""A synthetic egovgraph of a chosen size, shaped like the real one, as an N-Quads dump.

16 Länder with ministries, about 11,000 municipalities, hundreds of EfA services with builders and
reusing Länder, Themenfeld leads, digital leaders with periods, initiatives with status, time and
technologies, statements, sources and an evidence node for every fact; one named graph per source.
Deterministic for a given size and seed. Run ``python benchmarks/synth.py 100000 out.nq``.
"""

from __future__ import annotations

import argparse
import random
import sys
from collections.abc import Iterator
from pathlib import Path

BASE = "https://w3id.org/egovgraph/"
ID = BASE + "id/"
EGOV = BASE + "ontology#"
RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
RDFS_LABEL = "http://www.w3.org/2000/01/rdf-schema#label"
XSD = "http://www.w3.org/2001/XMLSchema#"
ORG = "http://www.w3.org/ns/org#"
PROV = "http://www.w3.org/ns/prov#"
DCT = "http://purl.org/dc/terms/"
TIME = "http://www.w3.org/2006/time#"
SCHEMA = "https://schema.org/"
FOAF = "http://xmlns.com/foaf/0.1/"

LANDS = [
    ("schleswig-holstein", "SH"), ("hamburg", "HH"), ("niedersachsen", "NI"), ("bremen", "HB"),
    ("nordrhein-westfalen", "NW"), ("hessen", "HE"), ("rheinland-pfalz", "RP"), ("baden-wuerttemberg", "BW"),
    ("bayern", "BY"), ("saarland", "SL"), ("berlin", "BE"), ("brandenburg", "BB"),
    ("mecklenburg-vorpommern", "MV"), ("sachsen", "SN"), ("sachsen-anhalt", "ST"), ("thueringen", "TH"),
]
THEMENFELDER = [
    "arbeit-und-ruhestand", "bauen-und-wohnen", "bildung", "ein-und-auswanderung", "engagement-und-hobby",
    "familie-und-kind", "forschung-und-foerderung", "gesundheit", "mobilitaet-und-reisen", "querschnitt",
    "recht-und-ordnung", "steuern-und-zoll", "umwelt", "unternehmensfuehrung-und-entwicklung",
]
TECHNOLOGIES = [f"tech-{i:02d}" for i in range(30)]
STATUSES = ["planned", "in-progress", "completed", "ongoing"]
ROLES = ["cio", "cdo", "minister", "state-secretary", "head-of-office"]
YEARS = list(range(2018, 2027))
MUNICIPALITIES = 11_000
SERVICES = 600


def iri(value: str) -> str:
    return f"<{value}>"


def lit(value: str, lang: str | None = None, datatype: str | None = None) -> str:
    text = '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'
    return text + (f"@{lang}" if lang else f"^^<{datatype}>" if datatype else "")


class Writer:
    """Collects N-Quads lines for the current source graph and counts them."""

    def __init__(self) -> None:
        self.count = 0
        self.graph = iri(BASE + "graph/reference")

    def quad(self, s: str, p: str, o: str) -> str:
        self.count += 1
        return f"{s} {iri(p)} {o} {self.graph} .\n"


def generate(target: int, seed: int = 0) -> Iterator[str]:
    """N-Quads lines until about ``target`` quads; the fixed skeleton comes first."""
    rnd = random.Random(seed)
    w = Writer()
    land_iris = [iri(f"{ID}land/{slug}") for slug, _ in LANDS]
    ministries: list[tuple[str, str]] = []

    def typed(s: str, cls: str, de: str, en: str | None = None) -> Iterator[str]:
        yield w.quad(s, RDF_TYPE, iri(cls))
        yield w.quad(s, RDFS_LABEL, lit(de, "de"))
        if en is not None:
            yield w.quad(s, RDFS_LABEL, lit(en, "en"))

    # reference data: Länder, ministries, years, Themenfelder, technologies
    for (slug, code), land in zip(LANDS, land_iris, strict=True):
        yield from typed(land, EGOV + "Land", slug.title(), slug.title())
        yield w.quad(land, EGOV + "isoCode", lit(f"DE-{code}"))
        yield w.quad(land, EGOV + "regionalKey", lit(f"{LANDS.index((slug, code)) + 1:02d}"))
        for k in range(3):
            ministry = iri(f"{ID}organisation/{slug}-ministerium-{k}")
            yield from typed(ministry, EGOV + "Ministry", f"Ministerium {k} {slug}", f"Ministry {k} {slug}")
            yield w.quad(ministry, ORG + "subOrganizationOf", land)
            ministries.append((ministry, land))
    for year in YEARS:
        t = iri(f"{ID}time/{year}")
        yield from typed(t, TIME + "Instant", str(year), str(year))
        yield w.quad(t, TIME + "inXSDgYear", lit(str(year), datatype=XSD + "gYear"))
    themen = [iri(f"{ID}themenfeld/{slug}") for slug in THEMENFELDER]
    for tf in themen:
        yield from typed(tf, EGOV + "Themenfeld", tf, tf)
    techs = [iri(f"{BASE}vocab/technology/{slug}") for slug in TECHNOLOGIES]
    for tech in techs:
        yield from typed(tech, EGOV + "Technology", tech, tech)

    source_no = 0
    facts_in_source = 0

    def evidence(fact: str) -> Iterator[str]:
        nonlocal source_no, facts_in_source
        if facts_in_source == 0:
            source_no += 1
            w.graph = iri(f"{BASE}graph/synth-{source_no:05d}")
            source = iri(f"{ID}source/synth-{source_no:05d}")
            yield from typed(source, EGOV + "Source", f"Quelle {source_no}", f"Source {source_no}")
            yield w.quad(source, SCHEMA + "url", iri(f"https://example.org/source/{source_no}"))
            yield w.quad(source, DCT + "issued", lit(f"{rnd.choice(YEARS)}-{rnd.randint(1, 12):02d}",
                                                     datatype=XSD + "gYearMonth"))
        facts_in_source = (facts_in_source + 1) % 200
        ev = iri(f"{ID}evidence/synth-{w.count}")
        yield w.quad(fact, EGOV + "hasEvidence", ev)
        yield w.quad(ev, RDF_TYPE, iri(EGOV + "Evidence"))
        yield w.quad(ev, PROV + "entity", iri(f"{ID}source/synth-{source_no:05d}"))
        yield w.quad(ev, EGOV + "note", lit(f"Synthetic fact {w.count}.", "en"))

    # Themenfeld leads
    for tf in themen:
        yield w.quad(tf, EGOV + "leadLand", rnd.choice(land_iris))
        for partner in rnd.sample(land_iris, 3):
            yield w.quad(tf, EGOV + "partnerLand", partner)
        yield from evidence(tf)
    # municipalities
    municipalities: list[tuple[str, str]] = []
    for i in range(MUNICIPALITIES):
        land = land_iris[i % 16]
        m = iri(f"{ID}organisation/gemeinde-{i:05d}")
        yield w.quad(m, RDF_TYPE, iri(EGOV + "LocalAuthority"))
        yield w.quad(m, RDFS_LABEL, lit(f"Gemeinde {i}", "de"))
        yield w.quad(m, ORG + "subOrganizationOf", land)
        municipalities.append((m, land))
    # EfA services, built by one or two Länder, reused by others
    for i in range(SERVICES):
        s = iri(f"{ID}service/synth-{i:04d}")
        yield from typed(s, EGOV + "EfaService", f"Leistung {i}", f"Service {i}")
        builders = rnd.sample(land_iris, rnd.choice((1, 1, 1, 2)))
        for b in builders:
            yield w.quad(s, EGOV + "builtBy", b)
        for r in rnd.sample([x for x in land_iris if x not in builders], rnd.randint(0, 10)):
            yield w.quad(s, EGOV + "reusedBy", r)
        yield w.quad(s, EGOV + "themenfeld", rnd.choice(themen))
        yield w.quad(s, EGOV + "usesTechnology", rnd.choice(techs))
        yield from evidence(s)
    # digital leaders with periods, and their statements
    for n in range(16 * 12):
        land = land_iris[n % 16]
        person = iri(f"{ID}person/synth-{n:04d}")
        yield from typed(person, FOAF + "Person", f"Person {n}", f"Person {n}")
        membership = iri(f"{ID}membership/synth-{n:04d}")
        org = land if n % 3 else rnd.choice([m for m, ml in ministries if ml == land])
        yield w.quad(membership, RDF_TYPE, iri(ORG + "Membership"))
        yield w.quad(membership, ORG + "member", person)
        yield w.quad(membership, ORG + "organization", org)
        yield w.quad(membership, ORG + "role", iri(f"{BASE}vocab/role/{rnd.choice(ROLES)}"))
        period = iri(f"{ID}period/synth-{n:04d}")
        start = rnd.choice(YEARS[:-1])
        yield w.quad(membership, ORG + "memberDuring", period)
        yield w.quad(period, TIME + "hasBeginning", iri(f"{ID}time/{start}"))
        if n % 2:
            yield w.quad(period, TIME + "hasEnd", iri(f"{ID}time/{rnd.choice([y for y in YEARS if y > start])}"))
        yield from evidence(membership)
        statement = iri(f"{ID}statement/synth-{n:04d}")
        yield w.quad(statement, RDF_TYPE, iri(EGOV + "Statement"))
        yield w.quad(statement, SCHEMA + "text", lit(f"Aussage {n}", "de"))
        yield w.quad(statement, PROV + "wasAttributedTo", person)
        yield from evidence(statement)
    # initiatives until the target size
    i = 0
    while w.count < target:
        owner, _ = rnd.choice(municipalities) if i % 4 == 0 else rnd.choice(ministries) if i % 4 == 1 else (
            rnd.choice(land_iris), None)
        init = iri(f"{ID}initiative/synth-{i:06d}")
        yield from typed(init, EGOV + "Initiative", f"Vorhaben {i}", f"Initiative {i}")
        yield w.quad(init, EGOV + "responsibleOrganisation", owner)
        yield w.quad(init, EGOV + "status", iri(f"{BASE}vocab/status/{rnd.choice(STATUSES)}"))
        yield w.quad(init, DCT + "temporal", iri(f"{ID}time/{rnd.choice(YEARS)}"))
        for tech in rnd.sample(techs, rnd.randint(1, 3)):
            yield w.quad(init, EGOV + "usesTechnology", tech)
        yield from evidence(init)
        i += 1


def write(target: int, path: Path, seed: int = 0) -> int:
    """Write the synthetic graph to ``path`` (N-Quads) and return the number of quads."""
    count = 0
    with path.open("w", encoding="utf-8") as out:
        for line in generate(target, seed):
            out.write(line)
            count += 1
    return count


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("triples", type=int, help="about how many quads to write, e.g. 100000")
    parser.add_argument("out", type=Path, help="the .nq file to write")
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args(argv)
    print(f"wrote {write(args.triples, args.out, args.seed)} quads to {args.out}", file=sys.stderr)


if __name__ == "__main__":
    main()
