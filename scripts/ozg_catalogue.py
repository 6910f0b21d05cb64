"""Convert the OZG catalogue extract of the OZG-Datenbank NRW (CSV) into data/reference/ozg-leistungen.ttl.

Usage::

    python scripts/ozg_catalogue.py DIR [-o data/reference/ozg-leistungen.ttl]

DIR holds ``ozg_subject.csv``, ``ozg_situation.csv`` and ``ozg_service_system.csv`` (the extract's
README describes them). The output is a SKOS concept scheme: every OZG-Leistung at
``<base>id/ozg/{OZG-ID}`` with its OZG ID, name, Lebenslage and the graph's own Themenfeld resource,
every Lebenslage as a top concept, and the dataset's provenance (repository, commit, licence, "as of
2019-12") as a source. The same CSVs always give the same bytes; the file is written atomically
(egovgraph's write_atomic). Bad input stops the conversion with the file, the line and what was
expected, and exit code 2. The CSVs are read with the standard library's csv module.
"""

from __future__ import annotations

import argparse
import csv
import re
import sys
import unicodedata
from dataclasses import dataclass
from pathlib import Path

from egovgraph.errors import InputError
from egovgraph.graph.files import write_atomic

BASE = "https://w3id.org/egovgraph/"

#: The dataset the CSVs were extracted from (see the extract's README).
REPOSITORY = "https://github.com/kdn-nrw/OZG-Datenbank-NRW"
DATA_FILE = "doc-dev/databases/symfony.data.sql"
COMMIT = "4edb4b27868ddeb44bb04edac5d07994726e02cd"
COPYRIGHT = "Copyright (c) 2020 Gert Hammes"
LICENCE = "https://opensource.org/license/mit"
AS_OF = "2019-12"

#: The catalogue's Themenfeld names and the graph's Themenfeld resources (data/reference/themenfelder.ttl).
THEMENFELDER = {
    "Arbeit & Ruhestand": "arbeit-und-ruhestand",
    "Bauen & Wohnen": "bauen-und-wohnen",
    "Bildung": "bildung",
    "Ein- & Auswanderung": "ein-und-auswanderung",
    "Engagement & Hobby": "engagement-und-hobby",
    "Familie & Kind": "familie-und-kind",
    "Forschung & Förderung": "forschung-und-foerderung",
    "Gesundheit": "gesundheit",
    "Mobilität & Reisen": "mobilitaet-und-reisen",
    "Querschnitt": "querschnittsleistungen",
    "Recht & Ordnung": "recht-und-ordnung",
    "Steuern & Zoll": "steuern-und-zoll",
    "Umwelt": "umwelt",
    "Unternehmensführung & -entwicklung": "unternehmensfuehrung-und-entwicklung",
}

COLUMNS = {
    "ozg_subject.csv": ("id", "name"),
    "ozg_situation.csv": ("id", "name", "subject_id"),
    "ozg_service_system.csv": ("id", "ozg_id", "name", "situation_id"),
}

NOTE = (
    "The OZG catalogue of the OZG-Datenbank NRW's seed data: each OZG service (Leistungsbündel) with its "
    "OZG ID, name and Lebenslage, each Lebenslage in one Themenfeld."
)

_OZG_ID = re.compile(r"^[0-9]{5}$")
_DB_ID = re.compile(r"^[0-9]+$")


class CatalogueError(Exception):
    """Bad input: the message names the file, the line and what was expected."""


@dataclass(frozen=True)
class Lage:
    slug: str
    name: str
    themenfeld: str


@dataclass(frozen=True)
class Leistung:
    ozg_id: str
    name: str
    lage: Lage


def slug(text: str) -> str:
    """An ASCII slug (ä→ae, ö→oe, ü→ue, ß→ss; everything else that is not a letter or digit → '-')."""
    text = text.lower()
    for umlaut, ascii_form in (("ä", "ae"), ("ö", "oe"), ("ü", "ue"), ("ß", "ss")):
        text = text.replace(umlaut, ascii_form)
    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    return re.sub(r"[^a-z0-9]+", "-", text).strip("-")


def read_rows(path: Path) -> list[tuple[int, dict[str, str]]]:
    """The rows of a CSV file with their line numbers, after checking the header has the needed columns."""
    if not path.is_file():
        raise CatalogueError(f"{path}: file not found: expected the CSV file {path.name} of the OZG extract")
    try:
        with path.open(encoding="utf-8", newline="") as handle:
            reader = csv.DictReader(handle)
            header = reader.fieldnames or []
            missing = [c for c in COLUMNS[path.name] if c not in header]
            if missing:
                raise CatalogueError(
                    f"{path}:1: the header lacks the column(s) {', '.join(missing)}: "
                    f"expected at least {', '.join(COLUMNS[path.name])}"
                )
            rows = []
            for row in reader:
                if None in row or any(value is None for value in row.values()):
                    raise CatalogueError(
                        f"{path}:{reader.line_num}: expected {len(header)} fields as in the header "
                        f"({', '.join(header)})"
                    )
                rows.append((reader.line_num, {k: (v or "").strip() for k, v in row.items() if k is not None}))
            return rows
    except UnicodeDecodeError as err:
        raise CatalogueError(f"{path}: not UTF-8 text ({err.reason} at byte {err.start})") from err
    except csv.Error as err:
        raise CatalogueError(f"{path}: not valid CSV: {err}") from err


def _db_id(path: Path, line: int, row: dict[str, str], column: str) -> str:
    value = row[column]
    if not _DB_ID.match(value):
        raise CatalogueError(f"{path}:{line}: column {column} is {value!r}: expected a database id (digits)")
    return value


def read_catalogue(directory: Path) -> list[Leistung]:
    """The OZG-Leistungen of the extract in ``directory``, sorted by OZG ID, each with its Lage and Themenfeld."""
    subjects: dict[str, str] = {}
    path = directory / "ozg_subject.csv"
    for line, row in read_rows(path):
        name = row["name"]
        if name not in THEMENFELDER:
            known = ", ".join(sorted(THEMENFELDER))
            raise CatalogueError(f"{path}:{line}: unknown Themenfeld {name!r}: expected one of {known}")
        subjects[_db_id(path, line, row, "id")] = THEMENFELDER[name]

    lagen: dict[str, Lage] = {}
    slugs: dict[str, int] = {}
    path = directory / "ozg_situation.csv"
    for line, row in read_rows(path):
        subject = _db_id(path, line, row, "subject_id")
        if subject not in subjects:
            raise CatalogueError(
                f"{path}:{line}: subject_id {subject} is not an id of ozg_subject.csv: expected one of its ids"
            )
        if not row["name"]:
            raise CatalogueError(f"{path}:{line}: the name is empty: expected the name of the Lebenslage")
        lage = Lage(slug(row["name"]), row["name"], subjects[subject])
        if lage.slug in slugs:
            raise CatalogueError(
                f"{path}:{line}: the Lebenslage {row['name']!r} gives the same IRI slug as line {slugs[lage.slug]}: "
                "expected distinct names"
            )
        slugs[lage.slug] = line
        lagen[_db_id(path, line, row, "id")] = lage

    leistungen: dict[str, Leistung] = {}
    lines: dict[str, int] = {}
    path = directory / "ozg_service_system.csv"
    for line, row in read_rows(path):
        ozg_id = row["ozg_id"]
        if not _OZG_ID.match(ozg_id):
            raise CatalogueError(f"{path}:{line}: ozg_id is {ozg_id!r}: expected a five-digit OZG ID such as 10478")
        if ozg_id in leistungen:
            raise CatalogueError(f"{path}:{line}: OZG ID {ozg_id} appears again (first on line {lines[ozg_id]})")
        situation = _db_id(path, line, row, "situation_id")
        if situation not in lagen:
            raise CatalogueError(
                f"{path}:{line}: situation_id {situation} is not an id of ozg_situation.csv: expected one of its ids"
            )
        if not row["name"]:
            raise CatalogueError(f"{path}:{line}: the name is empty: expected the name of the OZG-Leistung")
        leistungen[ozg_id] = Leistung(ozg_id, row["name"], lagen[situation])
        lines[ozg_id] = line
    if not leistungen:
        raise CatalogueError(f"{path}: no OZG-Leistungen: expected at least one data row")
    return [leistungen[k] for k in sorted(leistungen)]


def literal(text: str, lang: str | None = None) -> str:
    """A Turtle string literal, escaped."""
    escaped = (
        text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n").replace("\r", "\\r").replace("\t", "\\t")
    )
    return f'"{escaped}"' + (f"@{lang}" if lang else "")


HEADER = f"""@prefix egov:       <{BASE}ontology#> .
@prefix rdfs:       <http://www.w3.org/2000/01/rdf-schema#> .
@prefix skos:       <http://www.w3.org/2004/02/skos/core#> .
@prefix xsd:        <http://www.w3.org/2001/XMLSchema#> .
@prefix dct:        <http://purl.org/dc/terms/> .
@prefix prov:       <http://www.w3.org/ns/prov#> .
@prefix foaf:       <http://xmlns.com/foaf/0.1/> .
@prefix schema:     <https://schema.org/> .
@prefix themenfeld: <{BASE}id/themenfeld/> .
@prefix organisation: <{BASE}id/organisation/> .
@prefix source:     <{BASE}id/source/> .
@prefix evidence:   <{BASE}id/evidence/> .
@prefix ozg:        <{BASE}id/ozg/> .

# Reference data: the OZG catalogue (OZG-Leistungen with OZG ID, Lebenslage and Themenfeld) as of
# {AS_OF}, from the seed data of the OZG-Datenbank NRW ({REPOSITORY}, {DATA_FILE} at commit
# {COMMIT[:7]}; MIT licence, {COPYRIGHT}).
# Generated by scripts/ozg_catalogue.py from the CSV extract: do not edit by hand, run the script.

source:ozg-db-nrw a egov:Source , schema:Dataset ;
    rdfs:label "OZG-Datenbank NRW: OZG-Katalog (Stand Dezember 2019)"@de ,
        "OZG-Datenbank NRW: the OZG catalogue (as of December 2019)"@en ;
    dct:title "OZG-Datenbank NRW (Seed-Daten {DATA_FILE})"@de ;
    dct:publisher organisation:kdn-nrw ;
    dct:issued "{AS_OF}"^^xsd:gYearMonth ;
    dct:description "Stand der Katalogdaten: Dezember 2019 (Dump vom 20. Dezember 2019)."@de ,
        "The catalogue data is as of December 2019 (dump of 20 December 2019)."@en ;
    dct:license <{LICENCE}> ;
    dct:rights {literal("MIT License. " + COPYRIGHT)} ;
    schema:url <{REPOSITORY}> ;
    schema:version "{COMMIT}" ;
    schema:isBasedOn <{REPOSITORY}/blob/{COMMIT}/{DATA_FILE}> ;
    dct:language "de" .

organisation:kdn-nrw a foaf:Organization , schema:Organization ;
    rdfs:label "kdn-nrw (Herausgeber der OZG-Datenbank NRW auf GitHub)"@de ,
        "kdn-nrw (publisher of the OZG-Datenbank NRW on GitHub)"@en ;
    schema:url <https://github.com/kdn-nrw> .

evidence:ozg-db-nrw-katalog a egov:Evidence ;
    prov:entity source:ozg-db-nrw ;
    egov:note {literal(NOTE, "en")} .

ozg:katalog a skos:ConceptScheme ;
    rdfs:label "OZG-Katalog (OZG-Leistungen nach Lebenslagen)"@de , "OZG catalogue (OZG services by situation)"@en ;
    skos:prefLabel "OZG-Katalog (OZG-Leistungen nach Lebenslagen)"@de , "OZG catalogue (OZG services by situation)"@en ;
    dct:source source:ozg-db-nrw .
"""


def to_turtle(leistungen: list[Leistung]) -> str:
    """The catalogue as Turtle text, in a fixed order (Lebenslagen by IRI, OZG-Leistungen by OZG ID)."""
    parts = [HEADER]
    lagen = sorted({item.lage for item in leistungen}, key=lambda lage: lage.slug)
    for lage in lagen:
        name = literal(lage.name, "de")
        parts.append(
            f"\nozg:lebenslage-{lage.slug} a egov:Lebenslage , skos:Concept ;\n"
            f"    skos:inScheme ozg:katalog ; skos:topConceptOf ozg:katalog ;\n"
            f"    skos:prefLabel {name} ; rdfs:label {name} ;\n"
            f"    egov:themenfeld themenfeld:{lage.themenfeld} ;\n"
            f"    egov:hasEvidence evidence:ozg-db-nrw-katalog .\n"
        )
    for item in leistungen:
        name = literal(item.name, "de")
        parts.append(
            f"\nozg:{item.ozg_id} a egov:OzgService , skos:Concept ;\n"
            f"    skos:inScheme ozg:katalog ;\n"
            f"    skos:prefLabel {name} ; rdfs:label {name} ;\n"
            f'    egov:ozgId "{item.ozg_id}" ;\n'
            f"    egov:lebenslage ozg:lebenslage-{item.lage.slug} ;\n"
            f"    egov:themenfeld themenfeld:{item.lage.themenfeld} ;\n"
            f"    egov:hasEvidence evidence:ozg-db-nrw-katalog .\n"
        )
    return "".join(parts)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("directory", type=Path, help="the directory with the extract's CSV files")
    parser.add_argument(
        "-o",
        "--output",
        type=Path,
        default=Path(__file__).resolve().parent.parent / "data" / "reference" / "ozg-leistungen.ttl",
        help="the Turtle file to write (default: data/reference/ozg-leistungen.ttl)",
    )
    args = parser.parse_args(argv)
    try:
        leistungen = read_catalogue(args.directory)
        write_atomic(args.output, to_turtle(leistungen).encode("utf-8"))
    except (CatalogueError, InputError) as err:
        print(f"error: {err}", file=sys.stderr)
        return 2
    except OSError as err:
        print(f"error: cannot write {args.output}: {err.strerror}", file=sys.stderr)
        return 2
    lagen = len({item.lage for item in leistungen})
    print(f"wrote {args.output}: {len(leistungen)} OZG-Leistungen in {lagen} Lebenslagen")
    return 0


if __name__ == "__main__":
    sys.exit(main())
