"""RDF serialisations and their media types, deterministic byte for byte (shared by CLI and server)."""

from __future__ import annotations

import json
from dataclasses import dataclass

from rdflib import BNode, Dataset, Graph, Literal
from rdflib.graph import DATASET_DEFAULT_GRAPH_ID
from rdflib.namespace import RDF

from egovgraph.errors import InputError
from egovgraph.graph.load import bind_prefixes
from egovgraph.vocab.iris import XSD_STRING
from egovgraph.vocab.namespaces import DEFAULT_BASE, PREFIXES, resource_prefixes


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
    if spec.name == "nt":
        # One line per triple, sorted afterwards: no sorted copy of the graph is needed first.
        lines = graph.serialize(format="nt11", encoding="utf-8").splitlines(keepends=True)
        return b"".join(sorted(line for line in lines if line.strip()))
    if spec.name == "jsonld":
        return jsonld_bytes(graph, base)
    return canonical_graph(graph, base).serialize(format=spec.rdflib_name, encoding="utf-8")


def serialize_dataset(dataset: Dataset, fmt: str = "trig", base: str = DEFAULT_BASE) -> bytes:
    """Serialise a dataset with its named graphs (TriG or N-Quads) deterministically."""
    spec = rdf_format(fmt)
    graphs = sorted((g for g in dataset.graphs() if len(g)), key=lambda g: str(g.identifier))
    if spec.name == "nq":
        lines: list[bytes] = []
        for g in graphs:
            name = g.identifier.n3().encode("utf-8")
            for line in canonical_graph(g, base).serialize(format="nt11", encoding="utf-8").splitlines():
                if line.strip():
                    lines.append(line.rstrip()[:-1].rstrip() + b" " + name + b" .\n")
        return b"".join(sorted(lines))
    if spec.name != "trig":
        raise InputError(f"a dataset with named graphs is written as trig or nq, not {fmt}")
    # rdflib's TriG writer orders graphs by store internals; write each graph as a Turtle block instead.
    header: list[str] = []
    blocks: list[str] = []
    for g in graphs:
        turtle = canonical_graph(g, base).serialize(format="turtle")
        body = [line for line in turtle.splitlines() if not line.startswith("@prefix ")]
        header.extend(line for line in turtle.splitlines() if line.startswith("@prefix "))
        # No re-indenting: a multi-line literal's own lines must stay byte for byte as they are.
        inner = "\n".join(body).strip("\n")
        label = "" if g.identifier == DATASET_DEFAULT_GRAPH_ID else g.identifier.n3() + " "
        blocks.append(f"{label}{{\n{inner}\n}}\n")
    prefixes = sorted(set(header))
    return ("\n".join(prefixes) + "\n\n" + "\n".join(blocks)).encode("utf-8")


def jsonld_bytes(graph: Graph, base: str = DEFAULT_BASE) -> bytes:
    """Flattened JSON-LD: one node object per subject, keys as compact IRIs, node ids absolute.

    Written by hand because rdflib's JSON-LD writer drops values in some cases (a plain and a
    language-tagged empty string on one subject); sorted throughout, so the bytes are stable.
    """
    context = _jsonld_context(base)
    by_ns = sorted(((ns, prefix) for prefix, ns in context.items()), key=lambda kv: -len(kv[0]))

    def key(iri: str) -> str:
        for ns, prefix in by_ns:
            local = iri[len(ns) :]
            if iri.startswith(ns) and local and all(c.isalnum() or c in "-_." for c in local):
                return f"{prefix}:{local}"
        return iri

    def node_id(term: object) -> str:
        return f"_:{term}" if isinstance(term, BNode) else str(term)

    def value(term: object) -> dict[str, str]:
        if isinstance(term, Literal):
            out = {"@value": str(term)}
            if term.language:
                out["@language"] = term.language
            elif term.datatype is not None and str(term.datatype) != XSD_STRING:
                out["@type"] = str(term.datatype)
            return out
        return {"@id": node_id(term)}

    nodes: dict[str, dict[str, list[object]]] = {}
    for s, p, o in sorted(graph):
        node = nodes.setdefault(node_id(s), {})
        if p == RDF.type and not isinstance(o, Literal):
            node.setdefault("@type", []).append(node_id(o))
        else:
            node.setdefault(key(str(p)), []).append(value(o))
    doc = {
        "@context": context,
        "@graph": [{"@id": ident, **props} for ident, props in sorted(nodes.items())],
    }
    return (json.dumps(doc, ensure_ascii=False, indent=1, sort_keys=True) + "\n").encode("utf-8")
