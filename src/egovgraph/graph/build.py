"""load -> validate -> dumps and a VoID/DCAT description, written atomically and deterministically."""

from __future__ import annotations

import hashlib
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import DCAT, DCTERMS, FOAF, PROV, RDF, RDFS, VOID

from egovgraph.errors import InputError, ValidationFailed
from egovgraph.graph.files import write_all_atomic
from egovgraph.graph.formats import serialize_dataset, serialize_graph
from egovgraph.graph.load import ONTOLOGY_GRAPH, Loaded, load, new_graph
from egovgraph.graph.validate import validate
from egovgraph.vocab.namespaces import DEFAULT_BASE, EGOV, graph_iri, id_namespace

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


#: Classes whose first member (by IRI) is named as a VoID example resource.
EXAMPLE_CLASSES = (EGOV.Land, FOAF.Person, EGOV.Initiative, EGOV.EfaService, EGOV.Statement)


@dataclass(frozen=True)
class GraphPart:
    """One named graph of the dataset: its IRI, size, source files and the egov:Source resources in it."""

    iri: str
    triples: int
    files: tuple[str, ...] = ()
    sources: tuple[str, ...] = ()


@dataclass(frozen=True)
class VoidCounts:
    """The figures a VoID description states, counted in memory (:func:`void_counts`) or in a store."""

    triples: int
    entities: int
    subjects: int
    properties: int
    objects: int
    classes: int
    class_entities: dict[str, int]
    vocabularies: tuple[str, ...]
    graphs: tuple[GraphPart, ...]
    examples: tuple[str, ...]


def void_counts(loaded: Loaded, graph: Graph) -> VoidCounts:
    """The VoID figures of a loaded build (``graph`` is its union)."""
    ids = str(id_namespace(loaded.base))
    subjects = set(graph.subjects())
    entities = {s for s in subjects if isinstance(s, URIRef) and s.startswith(ids)}
    classes = Counter(str(o) for s, o in graph.subject_objects(RDF.type) if s in entities)
    ontology = graph_iri(ONTOLOGY_GRAPH, loaded.base)
    parts = tuple(
        GraphPart(
            str(g_iri),
            len(loaded.dataset.graph(g_iri)),
            tuple(f"{p.parent.name}/{p.name}" for p in paths),
            ()
            if g_iri == ontology
            else tuple(sorted(str(s) for s in loaded.dataset.graph(g_iri).subjects(RDF.type, EGOV.Source))),
        )
        for g_iri, paths in sorted(loaded.graph_files.items())
    )
    examples = []
    for cls in EXAMPLE_CLASSES:
        members = sorted(str(s) for s in graph.subjects(RDF.type, cls) if s in entities)
        if members:
            examples.append(members[0])
    return VoidCounts(
        triples=len(graph),
        entities=len(entities),
        subjects=len(subjects),
        properties=len(set(graph.predicates())),
        objects=len(set(graph.objects())),
        classes=len(set(graph.objects(None, RDF.type))),
        class_entities=dict(classes),
        vocabularies=tuple(sorted({namespace_of(p) for p in graph.predicates()} - {""})),
        graphs=parts,
        examples=tuple(examples),
    )


def void_description(loaded: Loaded, graph: Graph, digest: str) -> Graph:
    """The VoID/DCAT description of a build: counts, classes, graphs, dumps, licence, examples."""
    return void_graph(loaded.base, void_counts(loaded, graph), digest=digest)


def void_graph(base: str, counts: VoidCounts, *, digest: str | None, dumps: bool = True) -> Graph:
    """The VoID/DCAT description from its figures; ``digest`` (of the N-Triples) and the dumps when known."""
    ds = dataset_iri(base)
    g = new_graph(base)
    g.add((ds, RDF.type, VOID.Dataset))
    g.add((ds, RDF.type, DCAT.Dataset))
    g.add((ds, RDFS.label, Literal("egovgraph", lang="en")))
    g.add((ds, DCTERMS.title, Literal("egovgraph: Digitalisierung der Verwaltung in den Ländern", lang="de")))
    g.add((ds, DCTERMS.title, Literal("egovgraph: digital government of the German Länder", lang="en")))
    g.add(
        (
            ds,
            DCTERMS.description,
            Literal(
                "Sourced knowledge graph of the German Länder's digital government: initiatives, officials, "
                "portals, technologies and the EfA services one Land builds and others reuse. Every fact links "
                "to its source and evidence.",
                lang="en",
            ),
        )
    )
    g.add((ds, DCTERMS.license, DATA_LICENSE))
    if digest is not None:
        g.add((ds, DCTERMS.identifier, Literal(f"sha256:{digest}")))
    g.add((ds, VOID.uriSpace, Literal(str(id_namespace(base)))))
    g.add((ds, VOID.sparqlEndpoint, URIRef(f"{base}sparql")))

    g.add((ds, VOID.triples, Literal(counts.triples)))
    g.add((ds, VOID.entities, Literal(counts.entities)))
    g.add((ds, VOID.distinctSubjects, Literal(counts.subjects)))
    g.add((ds, VOID.properties, Literal(counts.properties)))
    g.add((ds, VOID.distinctObjects, Literal(counts.objects)))
    g.add((ds, VOID.classes, Literal(counts.classes)))
    for cls, count in sorted(counts.class_entities.items()):
        part = URIRef(f"{ds}/class/{_slug(g, URIRef(cls))}")
        g.add((ds, VOID.classPartition, part))
        g.add((part, VOID["class"], URIRef(cls)))
        g.add((part, VOID.entities, Literal(count)))
    for ns in counts.vocabularies:
        g.add((ds, VOID.vocabulary, URIRef(ns)))

    for graph_part in counts.graphs:
        part = URIRef(f"{ds}/graph/{graph_part.iri.rsplit('/', 1)[-1]}")
        g.add((ds, VOID.subset, part))
        g.add((part, RDF.type, VOID.Dataset))
        g.add((part, DCTERMS.identifier, Literal(graph_part.iri)))
        g.add((part, VOID.triples, Literal(graph_part.triples)))
        for name in graph_part.files:
            g.add((part, DCTERMS.description, Literal(name)))
        for source in graph_part.sources:
            g.add((part, DCTERMS.source, URIRef(source)))
            g.add((ds, DCTERMS.source, URIRef(source)))

    for fmt in DUMP_FORMATS if dumps else ():
        url = URIRef(f"{base}dumps/{DUMP_NAME}.{fmt}")
        dist = URIRef(f"{ds}/distribution/{fmt}")
        g.add((ds, VOID.dataDump, url))
        g.add((ds, DCAT.distribution, dist))
        g.add((dist, RDF.type, DCAT.Distribution))
        g.add((dist, DCAT.downloadURL, url))
        g.add((dist, DCAT.mediaType, URIRef(f"https://www.iana.org/assignments/media-types/{_MEDIA[fmt]}")))
        g.add((dist, DCTERMS["format"], Literal(_MEDIA[fmt])))
        g.add((dist, DCTERMS.license, DATA_LICENSE))

    for example in counts.examples:
        g.add((ds, VOID.exampleResource, URIRef(example)))
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


def namespace_of(term: object) -> str:
    """The namespace of an IRI: up to its last ``#`` or ``/``."""
    text = str(term)
    for sep in ("#", "/"):
        if sep in text:
            return text[: text.rfind(sep) + 1]
    return ""
