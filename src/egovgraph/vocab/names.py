"""IRI conventions, prefixes and where the bundled files live, as plain strings (no rdflib import).

A leaf module: ``vocab.namespaces`` wraps these in rdflib namespaces, the loaders plan their files from
here, and the query checks declare the same prefixes for every query without importing rdflib.
"""

from __future__ import annotations

from pathlib import Path

from egovgraph.errors import InputError

#: The base all egovgraph IRIs are minted under; resources live under ``<base>id/``.
DEFAULT_BASE = "https://w3id.org/egovgraph/"

#: The prefixes declared for every serialisation and query, in a fixed order.
PREFIXES: dict[str, str] = {
    "egov": DEFAULT_BASE + "ontology#",
    "rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
    "rdfs": "http://www.w3.org/2000/01/rdf-schema#",
    "owl": "http://www.w3.org/2002/07/owl#",
    "xsd": "http://www.w3.org/2001/XMLSchema#",
    "skos": "http://www.w3.org/2004/02/skos/core#",
    "org": "http://www.w3.org/ns/org#",
    "foaf": "http://xmlns.com/foaf/0.1/",
    "schema": "https://schema.org/",
    "prov": "http://www.w3.org/ns/prov#",
    "dct": "http://purl.org/dc/terms/",
    "dcat": "http://www.w3.org/ns/dcat#",
    "void": "http://rdfs.org/ns/void#",
    "cpsv": "http://purl.org/vocab/cpsv#",
    "cv": "http://data.europa.eu/m8g/",
    "time": "http://www.w3.org/2006/time#",
    "geo": "http://www.w3.org/2003/01/geo/wgs84_pos#",
    "status": DEFAULT_BASE + "vocab/status/",
    "tech": DEFAULT_BASE + "vocab/technology/",
    "role": DEFAULT_BASE + "vocab/role/",
    "agr": DEFAULT_BASE + "vocab/agreement-type/",
    "count": DEFAULT_BASE + "vocab/count/",
    "yearpart": DEFAULT_BASE + "vocab/year-part/",
    "level": DEFAULT_BASE + "vocab/cooperation-level/",
    "curation": DEFAULT_BASE + "vocab/curation/",
}

#: The kinds of resources, each a path segment under ``<base>id/`` and a prefix of the same name.
RESOURCE_KINDS = (
    "land",
    "territory",
    "organisation",
    "person",
    "membership",
    "period",
    "initiative",
    "service",
    "portal",
    "strategy",
    "agreement",
    "funding",
    "amount",
    "statement",
    "topic",
    "themenfeld",
    "quantity",
    "source",
    "evidence",
    # issue 12: cooperation records (reuse, co-development, platform use) and shared platforms
    "reuse",
    "codevelopment",
    "platform",
    "platformuse",
    "ozg",
)

#: Ontology files that are part of the published graph (shapes.ttl and external.ttl are for validation).
ONTOLOGY_FILES = ("egov.ttl", "vocabularies.ttl")
ONTOLOGY_GRAPH = "ontology"
#: The IRI of the ontology (its terms are ``ONTOLOGY_IRI + "#" + name``).
ONTOLOGY_IRI = DEFAULT_BASE + "ontology"
REFERENCE_GRAPH = "reference"


def resource_prefixes(base: str = DEFAULT_BASE) -> dict[str, str]:
    """Prefixes for the resource namespaces (``land:``, ``person:``, ..., ``t:`` for time) under ``base``."""
    out = {kind: f"{base}id/{kind}/" for kind in RESOURCE_KINDS}
    out["t"] = f"{base}id/time/"
    return out


def all_prefixes(base: str = DEFAULT_BASE) -> dict[str, str]:
    """The vocabulary prefixes and the resource prefixes together."""
    return {**PREFIXES, **resource_prefixes(base)}


def graph_iri_text(name: str, base: str = DEFAULT_BASE) -> str:
    """The IRI of a named graph of the build (one per source file, plus ontology and reference)."""
    return f"{base}graph/{name}"


def resource_root() -> Path:
    """The directory holding ``ontology/`` and ``data/``: inside the installed wheel, else the checkout."""
    package = Path(__file__).resolve().parent.parent
    for root in (package / "_resources", package.parent.parent):
        if (root / "ontology").is_dir():
            return root
    raise InputError("cannot find the bundled ontology/ and data/ directories: reinstall egovgraph")


def default_data_dir() -> Path:
    return resource_root() / "data"


def default_ontology_dir() -> Path:
    return resource_root() / "ontology"


def data_files(data_dir: Path) -> list[Path]:
    """The Turtle files of a data directory: ``reference/*.ttl`` then ``sources/*.ttl``, sorted."""
    if not data_dir.exists():
        raise InputError(f"data directory {data_dir} does not exist")
    if not data_dir.is_dir():
        raise InputError(f"{data_dir} is not a directory: expected a data directory with reference/ and sources/")
    files = sorted((data_dir / "reference").glob("*.ttl")) + sorted((data_dir / "sources").glob("*.ttl"))
    if not files:
        raise InputError(f"data directory {data_dir} holds no Turtle files: expected reference/*.ttl and sources/*.ttl")
    return files


def graph_name(path: Path) -> str:
    """The named graph a data file goes to: ``reference`` for reference data, else the file's stem."""
    return REFERENCE_GRAPH if path.parent.name == REFERENCE_GRAPH else path.stem


def file_plan(
    data_dir: Path | None = None, files: tuple[Path, ...] | list[Path] = (), ontology_dir: Path | None = None
) -> list[tuple[str, Path]]:
    """(graph name, file) for the ontology and every data file, in load order.

    ``files`` are layered over the data directory: a file with the same name as a bundled one replaces
    it, any other is added; a directory adds all its data files.
    """
    data_dir = Path(data_dir) if data_dir is not None else default_data_dir()
    ontology_dir = Path(ontology_dir) if ontology_dir is not None else default_ontology_dir()
    chosen: dict[tuple[str, str], Path] = {}
    for path in data_files(data_dir):
        chosen[(path.parent.name, path.name)] = path
    for extra in files:
        extra = Path(extra)
        if extra.is_dir():
            for path in data_files(extra):
                chosen[(path.parent.name, path.name)] = path
            continue
        if extra.suffix != ".ttl":
            raise InputError(f"{extra}: expected a Turtle file ending in .ttl")
        key = (REFERENCE_GRAPH if extra.parent.name == REFERENCE_GRAPH else "sources", extra.name)
        chosen[key] = extra
    plan = [(ONTOLOGY_GRAPH, ontology_dir / name) for name in ONTOLOGY_FILES]
    plan += [
        (REFERENCE_GRAPH if key[0] == REFERENCE_GRAPH else path.stem, path) for key, path in sorted(chosen.items())
    ]
    return plan
