"""IRI conventions, prefixes and where the bundled files live, as plain strings (no rdflib import).

A leaf module: ``vocab`` wraps these in rdflib namespaces, ``load`` and ``oxstore`` plan their files from
here, and ``querytext`` declares the same prefixes for every query without paying for rdflib. The file functions
return :class:`pathlib.Path`; their ``*_text`` twins work on plain strings, so that ``egovgraph query``
does not import pathlib (which pulls in urllib.parse) on its way.
"""

from __future__ import annotations

import os

from egovgraph.errors import InputError

TYPE_CHECKING = False
if TYPE_CHECKING:
    from pathlib import Path

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
    "status": DEFAULT_BASE + "vocab/status/",
    "tech": DEFAULT_BASE + "vocab/technology/",
    "role": DEFAULT_BASE + "vocab/role/",
    "agr": DEFAULT_BASE + "vocab/agreement-type/",
    "count": DEFAULT_BASE + "vocab/count/",
    "yearpart": DEFAULT_BASE + "vocab/year-part/",
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
    "ozg",
)

#: Ontology files that are part of the published graph (shapes.ttl and external.ttl are for validation).
ONTOLOGY_FILES = ("egov.ttl", "vocabularies.ttl")
ONTOLOGY_GRAPH = "ontology"
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
    from pathlib import Path

    return Path(resource_root_text())


def resource_root_text() -> str:
    """:func:`resource_root` as a string."""
    here = os.path.dirname(os.path.dirname(os.path.realpath(__file__)))  # the egovgraph package
    packaged = os.path.join(here, "_resources")
    if os.path.isdir(os.path.join(packaged, "ontology")):
        return packaged
    checkout = os.path.dirname(os.path.dirname(here))
    if os.path.isdir(os.path.join(checkout, "ontology")):
        return checkout
    raise InputError("cannot find the bundled ontology/ and data/ directories: reinstall egovgraph")


def default_data_dir() -> Path:
    from pathlib import Path

    return Path(resource_root_text(), "data")


def default_ontology_dir() -> Path:
    from pathlib import Path

    return Path(resource_root_text(), "ontology")


def data_files(data_dir: Path) -> list[Path]:
    """The Turtle files of a data directory: ``reference/*.ttl`` then ``sources/*.ttl``, sorted."""
    from pathlib import Path

    return [Path(p) for p in data_files_text(str(data_dir))]


def data_files_text(data_dir: str) -> list[str]:
    """:func:`data_files` on strings (``data_dir`` as :class:`pathlib.Path` would print it, for the messages)."""
    if not os.path.exists(data_dir):
        raise InputError(f"data directory {data_dir} does not exist")
    if not os.path.isdir(data_dir):
        raise InputError(f"{data_dir} is not a directory: expected a data directory with reference/ and sources/")
    files = _ttl_files(data_dir, "reference") + _ttl_files(data_dir, "sources")
    if not files:
        raise InputError(f"data directory {data_dir} holds no Turtle files: expected reference/*.ttl and sources/*.ttl")
    return files


def _ttl_files(data_dir: str, sub: str) -> list[str]:
    """What ``sorted(Path(data_dir, sub).glob("*.ttl"))`` gives, as strings."""
    folder = os.path.join(data_dir, sub) if data_dir != "." else sub
    try:
        entries = os.listdir(folder)
    except OSError:
        return []
    return [os.path.join(folder, name) for name in sorted(entries) if name.endswith(".ttl")]


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
    from pathlib import Path

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


def file_plan_text(data_dir: str | None = None) -> list[tuple[str, str]]:
    """:func:`file_plan` of a data directory (no extra files) on strings; ``data_dir`` as Path prints it."""
    root = resource_root_text()
    data = os.path.join(root, "data") if data_dir is None else data_dir
    chosen = {(os.path.basename(os.path.dirname(path)), os.path.basename(path)): path for path in data_files_text(data)}
    plan = [(ONTOLOGY_GRAPH, os.path.join(root, "ontology", name)) for name in ONTOLOGY_FILES]
    plan += [
        (REFERENCE_GRAPH if key[0] == REFERENCE_GRAPH else stem(path), path) for key, path in sorted(chosen.items())
    ]
    return plan


def stem(path: str) -> str:
    """The final component without its suffix, as :attr:`pathlib.PurePath.stem` has it."""
    name = os.path.basename(path)
    dot = name.rfind(".")
    return name[:dot] if 0 < dot < len(name) - 1 else name


def suffix(path: str) -> str:
    """The suffix of the final component, as :attr:`pathlib.PurePath.suffix` has it."""
    name = os.path.basename(path)
    dot = name.rfind(".")
    return name[dot:] if 0 < dot < len(name) - 1 else ""
