"""RDF serialisations and their media types, deterministic byte for byte (shared by CLI and server)."""

from __future__ import annotations

import json
from dataclasses import dataclass

from rdflib import Dataset, Graph

from .errors import InputError
from .load import bind_prefixes
from .vocab import DEFAULT_BASE, PREFIXES, resource_prefixes


@dataclass(frozen=True)
class RdfFormat:
    name: str
    rdflib_name: str
    media_type: str
    extension: str


RDF_FORMATS: dict[str, RdfFormat] = {
    f.name: f
    for f in (
        RdfFormat("ttl", "turtle", "text/turtle", "ttl"),
        RdfFormat("nt", "nt11", "application/n-triples", "nt"),
        RdfFormat("jsonld", "json-ld", "application/ld+json", "jsonld"),
        RdfFormat("xml", "pretty-xml", "application/rdf+xml", "rdf"),
        RdfFormat("trig", "trig", "application/trig", "trig"),
        RdfFormat("nq", "nquads", "application/n-quads", "nq"),
    )
}


def rdf_format(name: str) -> RdfFormat:
    try:
        return RDF_FORMATS[name]
    except KeyError:
        known = ", ".join(RDF_FORMATS)
        raise InputError(f"unknown RDF format {name!r}: choose one of {known}") from None


def canonical_graph(graph: Graph, base: str = DEFAULT_BASE) -> Graph:
    """A copy with the triples inserted in sorted order, so serialisers emit them in a stable order."""
    out = Graph(bind_namespaces="none")
    bind_prefixes(out, base)
    for triple in sorted(graph):
        out.add(triple)
    return out


def _jsonld_context(base: str) -> dict[str, str]:
    return {**PREFIXES, **resource_prefixes(base)}


def serialize_graph(graph: Graph, fmt: str, base: str = DEFAULT_BASE) -> bytes:
    """Serialise a graph (no named graphs) deterministically."""
    spec = rdf_format(fmt)
    if spec.name in ("trig", "nq"):
        ds = Dataset()
        bind_prefixes(ds, base)
        target = ds.graph(ds.default_context.identifier)
        for triple in graph:
            target.add(triple)
        return serialize_dataset(ds, spec.name, base)
    canon = canonical_graph(graph, base)
    if spec.name == "nt":
        lines = canon.serialize(format="nt11", encoding="utf-8").splitlines(keepends=True)
        return b"".join(sorted(line for line in lines if line.strip()))
    if spec.name == "jsonld":
        text = canon.serialize(format="json-ld", context=_jsonld_context(base), auto_compact=True, indent=1)
        return _stable_json(text)
    return canon.serialize(format=spec.rdflib_name, encoding="utf-8")


def serialize_dataset(dataset: Dataset, fmt: str = "trig", base: str = DEFAULT_BASE) -> bytes:
    """Serialise a dataset with its named graphs (TriG or N-Quads) deterministically."""
    spec = rdf_format(fmt)
    out = Dataset()
    bind_prefixes(out, base)
    for ctx in sorted(dataset.graphs(), key=lambda c: str(c.identifier)):
        if len(ctx) == 0:
            continue
        target = out.graph(ctx.identifier)
        for triple in sorted(ctx):
            target.add(triple)
    if spec.name == "nq":
        lines = out.serialize(format="nquads", encoding="utf-8").splitlines(keepends=True)
        return b"".join(sorted(line for line in lines if line.strip()))
    if spec.name != "trig":
        raise InputError(f"a dataset with named graphs is written as trig or nq, not {fmt}")
    return out.serialize(format="trig", encoding="utf-8")


def _stable_json(text: str) -> bytes:
    """Re-emit JSON-LD with sorted keys and sorted node list, so it does not depend on hash order."""
    doc = json.loads(text)
    if isinstance(doc, dict) and isinstance(doc.get("@graph"), list):
        doc["@graph"].sort(key=lambda node: str(node.get("@id", "")) if isinstance(node, dict) else "")
    return (json.dumps(doc, ensure_ascii=False, indent=1, sort_keys=True) + "\n").encode("utf-8")
