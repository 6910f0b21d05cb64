"""load -> validate -> dumps and a VoID/DCAT description, written atomically and deterministically."""

from __future__ import annotations

import hashlib
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import DCAT, DCTERMS, FOAF, PROV, RDF, RDFS, VOID

from .errors import InputError, ValidationFailed
from .files import write_all_atomic
from .formats import serialize_dataset, serialize_graph
from .load import ONTOLOGY_GRAPH, Loaded, load, new_graph
from .validate import validate
from .vocab import DEFAULT_BASE, EGOV, graph_iri, id_namespace

DUMP_NAME = "egovgraph"
DUMP_FORMATS = ("ttl", "nt", "jsonld", "trig")
DATA_LICENSE = URIRef("https://creativecommons.org/licenses/by/4.0/")
_MEDIA = {
    "ttl": "text/turtle",
    "nt": "application/n-triples",
    "jsonld": "application/ld+json",
    "trig": "application/trig",
}


@dataclass(frozen=True)
class BuildResult:
    """What a build wrote: the directory, each file, and the size of the graph."""

    out_dir: Path
    files: tuple[Path, ...]
    triples: int
    graphs: int


def build(
    out_dir: Path = Path("dist"),
    *,
    data_dir: Path | None = None,
    files: Sequence[Path] = (),
    base_iri: str = DEFAULT_BASE,
) -> BuildResult:
    """Load, validate and write the dumps and ``void.ttl``; nothing is written unless all succeeds."""
    out_dir = Path(out_dir)
    if out_dir.exists() and not out_dir.is_dir():
        raise InputError(f"{out_dir} exists and is not a directory: choose another --out")
    loaded = load(data_dir, files=files, base_iri=base_iri)
    problems = validate(loaded)
    if problems:
        raise ValidationFailed(list(problems))
    outputs = render(loaded)
    written = write_all_atomic(out_dir, outputs)
    return BuildResult(out_dir, written, len(loaded.union()), len(loaded.graph_files))


def render(loaded: Loaded) -> dict[str, bytes]:
    """Every output file of a build, by name, as bytes (pure: nothing is written)."""
    graph = loaded.union()
    outputs: dict[str, bytes] = {}
    for fmt in DUMP_FORMATS:
        if fmt == "trig":
            outputs[f"{DUMP_NAME}.trig"] = serialize_dataset(loaded.dataset, "trig", loaded.base)
        else:
            outputs[f"{DUMP_NAME}.{fmt}"] = serialize_graph(graph, fmt, loaded.base)
    digest = hashlib.sha256(outputs[f"{DUMP_NAME}.nt"]).hexdigest()
    outputs["void.ttl"] = serialize_graph(void_description(loaded, graph, digest), "ttl", loaded.base)
    return outputs


def dataset_iri(base: str = DEFAULT_BASE) -> URIRef:
    return URIRef(f"{base}dataset/{DUMP_NAME}")


def void_description(loaded: Loaded, graph: Graph, digest: str) -> Graph:
    """The VoID/DCAT description of a build: counts, classes, graphs, dumps, licence, examples."""
    base = loaded.base
    ds = dataset_iri(base)
    ids = str(id_namespace(base))
    g = new_graph(base)
    g.add((ds, RDF.type, VOID.Dataset))
    g.add((ds, RDF.type, DCAT.Dataset))
    g.add((ds, RDFS.label, Literal("egovgraph", lang="en")))
    g.add((ds, DCTERMS.title, Literal("egovgraph: Digitalisierung der Verwaltung in den Ländern", lang="de")))
    g.add((ds, DCTERMS.title, Literal("egovgraph: digital government of the German Länder", lang="en")))
    g.add((ds, DCTERMS.description, Literal(
        "Sourced knowledge graph of the German Länder's digital government: initiatives, officials, "
        "portals, technologies and the EfA services one Land builds and others reuse. Every fact links "
        "to its source and evidence.", lang="en")))
    g.add((ds, DCTERMS.license, DATA_LICENSE))
    g.add((ds, DCTERMS.identifier, Literal(f"sha256:{digest}")))
    g.add((ds, VOID.uriSpace, Literal(ids)))
    g.add((ds, VOID.sparqlEndpoint, URIRef(f"{base}sparql")))

    subjects = set(graph.subjects())
    entities = {s for s in subjects if isinstance(s, URIRef) and s.startswith(ids)}
    classes = Counter(o for s, o in graph.subject_objects(RDF.type) if s in entities)
    g.add((ds, VOID.triples, Literal(len(graph))))
    g.add((ds, VOID.entities, Literal(len(entities))))
    g.add((ds, VOID.distinctSubjects, Literal(len(subjects))))
    g.add((ds, VOID.properties, Literal(len(set(graph.predicates())))))
    g.add((ds, VOID.distinctObjects, Literal(len(set(graph.objects())))))
    g.add((ds, VOID.classes, Literal(len(set(graph.objects(None, RDF.type))))))
    for cls, count in sorted(classes.items(), key=lambda kv: str(kv[0])):
        part = URIRef(f"{ds}/class/{_slug(g, URIRef(str(cls)))}")
        g.add((ds, VOID.classPartition, part))
        g.add((part, VOID["class"], cls))
        g.add((part, VOID.entities, Literal(count)))

    vocabularies = sorted({_namespace_of(p) for p in graph.predicates()} - {""})
    for ns in vocabularies:
        g.add((ds, VOID.vocabulary, URIRef(ns)))

    for g_iri, paths in sorted(loaded.graph_files.items()):
        part = URIRef(f"{ds}/graph/{str(g_iri).rsplit('/', 1)[-1]}")
        g.add((ds, VOID.subset, part))
        g.add((part, RDF.type, VOID.Dataset))
        g.add((part, DCTERMS.identifier, Literal(str(g_iri))))
        g.add((part, VOID.triples, Literal(len(loaded.dataset.graph(g_iri)))))
        for path in paths:
            g.add((part, DCTERMS.description, Literal(f"{path.parent.name}/{path.name}")))
        if g_iri == graph_iri(ONTOLOGY_GRAPH, base):
            continue
        sources = set(loaded.dataset.graph(g_iri).subjects(RDF.type, EGOV.Source))
        for source in sorted(sources, key=str):
            g.add((part, DCTERMS.source, source))
            g.add((ds, DCTERMS.source, source))

    for fmt in DUMP_FORMATS:
        url = URIRef(f"{base}dumps/{DUMP_NAME}.{fmt}")
        dist = URIRef(f"{ds}/distribution/{fmt}")
        g.add((ds, VOID.dataDump, url))
        g.add((ds, DCAT.distribution, dist))
        g.add((dist, RDF.type, DCAT.Distribution))
        g.add((dist, DCAT.downloadURL, url))
        g.add((dist, DCAT.mediaType, URIRef(f"https://www.iana.org/assignments/media-types/{_MEDIA[fmt]}")))
        g.add((dist, DCTERMS["format"], Literal(_MEDIA[fmt])))
        g.add((dist, DCTERMS.license, DATA_LICENSE))

    for cls in (EGOV.Land, FOAF.Person, EGOV.Initiative, EGOV.EfaService, EGOV.Statement):
        members = sorted((s for s in graph.subjects(RDF.type, cls) if s in entities), key=str)
        if members:
            g.add((ds, VOID.exampleResource, members[0]))
    g.add((ds, PROV.wasGeneratedBy, URIRef(f"{ds}/build")))
    g.add((URIRef(f"{ds}/build"), RDF.type, PROV.Activity))
    g.add((URIRef(f"{ds}/build"), RDFS.label, Literal("egovgraph build", lang="en")))
    g.add((URIRef(f"{ds}/build"), PROV.used, URIRef(str(EGOV._NS).rstrip("#"))))
    g.add((ds, DCTERMS.conformsTo, URIRef(str(EGOV._NS).rstrip("#"))))
    return g


def _slug(g: Graph, term: URIRef) -> str:
    try:
        return g.namespace_manager.normalizeUri(term).replace(":", "-")
    except Exception:  # pragma: no cover
        return hashlib.sha1(str(term).encode()).hexdigest()[:12]


def _namespace_of(term: object) -> str:
    text = str(term)
    for sep in ("#", "/"):
        if sep in text:
            return text[: text.rfind(sep) + 1]
    return ""
