"""Views over a store without copying it: fetch with SPARQL only the part of the graph a view looks at.

The views (:mod:`egovgraph.project`) read an rdflib graph through :class:`egovgraph.facts.Facts`. For a
store that may hold millions of triples (an on-disk Oxigraph store, a remote endpoint, a big dump) a
view asks the store instead for its *slice*: the view's core resources (the EfA services, the
resources using a technology, a custom query's nodes), every resource within ``depth`` links of them
(evidence, sources, time spans, reusers), the chain of organisations up to each Land, all Länder and
sources, and the terms of the bundled ontology. The view code then runs unchanged on that slice, so a
view from a store equals the view from the same data in memory (tested), while the store never leaves
the engine as a whole. Only the entity view, which shows everything, fetches every triple.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from rdflib import Graph

    from .sparql import QueryResult
    from .stores import Store

#: How many links from a core resource are followed (evidence -> source, time span -> instant).
DEPTH = 2
#: IRIs per VALUES block in one request (long queries go to a remote endpoint as a form POST).
BATCH = 400
#: Seconds each of the slice's queries may take.
TIMEOUT = 600.0

_RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
_EGOV = "https://w3id.org/egovgraph/ontology#"
_VOCAB = "https://w3id.org/egovgraph/vocab/"
#: Links from an organisation or territory towards its Land (what Facts.land_of follows).
_CHAIN = (
    "http://www.w3.org/ns/org#subOrganizationOf", "http://www.w3.org/ns/org#unitOf",
    "http://schema.org/location", "http://purl.org/dc/terms/spatial",
)
#: The core of each view: resources of these classes (and their subclasses), or subjects of a property.
_CORE_CLASSES = {"efa": (_EGOV + "EfaService",)}
_CORE_PROPERTIES = {"tech": (_EGOV + "usesTechnology",), "tech-lands": (_EGOV + "usesTechnology",)}
#: Resources every view may need whatever its core: Länder (and their territories) and sources.
_ALWAYS = (_EGOV + "Land", _EGOV + "LandTerritory", _EGOV + "Source")


def view_slice(store: Store, view: str, *, nodes: Iterable[str] = (), timeout: float = TIMEOUT) -> Graph:
    """The part of ``store`` the view ``view`` reads, as an rdflib graph with the project's prefixes.

    ``nodes`` adds IRIs to the core (the custom view passes its query's nodes).
    """
    from .load import new_graph

    graph = new_graph()
    _add_ontology(graph)
    fetch = _Fetcher(store, graph, timeout)
    if view == "entity":
        fetch.everything()
        return graph
    core = set(nodes)
    classes = _with_subclasses(graph, _CORE_CLASSES.get(view, ()))
    core |= fetch.instances(classes)
    for prop in _CORE_PROPERTIES.get(view, ()):
        core |= fetch.subjects_and_objects(prop)
    core |= fetch.instances(_with_subclasses(graph, _ALWAYS))
    fetch.neighbourhood(core, DEPTH)
    fetch.chains()
    return graph


def _add_ontology(graph: Graph) -> None:
    """The bundled ontology and vocabularies: class and property labels, subclass axioms, statuses."""
    from .load import ONTOLOGY_FILES, parse_graph
    from .names import default_ontology_dir

    directory = default_ontology_dir()
    for triple in parse_graph([directory / name for name in ONTOLOGY_FILES]):
        graph.add(triple)


def _with_subclasses(graph: Graph, classes: Iterable[str]) -> set[str]:
    from rdflib import URIRef
    from rdflib.namespace import RDFS

    out: set[str] = set()
    for cls in classes:
        out |= {str(c) for c in graph.transitive_subjects(RDFS.subClassOf, URIRef(cls))}
    return out


class _Fetcher:
    """Runs the slice's queries on a store and adds what they return to the graph."""

    def __init__(self, store: Store, graph: Graph, timeout: float) -> None:
        self.store, self.graph, self.timeout = store, graph, timeout
        self.described: set[str] = set()

    def _run(self, text: str) -> QueryResult:
        from .sparql import prepare

        return self.store.query(prepare(text), timeout=self.timeout, limit=None)

    def _add(self, result: QueryResult) -> list[tuple[str, str | None]]:
        """Add a CONSTRUCT result; return (predicate, object IRI or None) of each triple."""
        import pyoxigraph as ox

        from .oxstore import to_rdflib

        out: list[tuple[str, str | None]] = []
        for t in result.triples:
            self.graph.add((to_rdflib(t.subject), to_rdflib(t.predicate), to_rdflib(t.object)))  # type: ignore[arg-type]
            out.append((t.predicate.value, t.object.value if isinstance(t.object, ox.NamedNode) else None))
        return out

    def everything(self) -> None:
        self._add(self._run("CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }"))

    def instances(self, classes: set[str]) -> set[str]:
        if not classes:
            return set()
        values = " ".join(f"<{c}>" for c in sorted(classes))
        result = self._run(f"SELECT DISTINCT ?s WHERE {{ VALUES ?c {{ {values} }} ?s a ?c FILTER(isIRI(?s)) }}")
        return {row[0].value for row in result.solutions if row[0] is not None}

    def subjects_and_objects(self, prop: str) -> set[str]:
        result = self._run(f"SELECT DISTINCT ?s ?o WHERE {{ ?s <{prop}> ?o FILTER(isIRI(?s)) }}")
        return {t.value for row in result.solutions for t in row if t is not None and _is_iri(t)}

    def describe(self, iris: Iterable[str]) -> set[str]:
        """Fetch every triple of each IRI not fetched yet; return the IRIs they link to (not via rdf:type)."""
        todo = sorted(i for i in set(iris) if i not in self.described and ">" not in i)
        self.described.update(todo)
        linked: set[str] = set()
        for start in range(0, len(todo), BATCH):
            values = " ".join(f"<{i}>" for i in todo[start:start + BATCH])
            result = self._run(f"CONSTRUCT {{ ?s ?p ?o }} WHERE {{ VALUES ?s {{ {values} }} ?s ?p ?o }}")
            for p, o in self._add(result):
                if o is not None and p != _RDF_TYPE and not _is_ontology(o):
                    linked.add(o)
        return linked

    def neighbourhood(self, core: set[str], depth: int) -> None:
        frontier = core
        for _ in range(depth + 1):
            frontier = self.describe(frontier) - self.described

    def chains(self) -> None:
        """Describe every organisation or territory on the way from a fetched resource up to its Land."""
        from rdflib import URIRef

        while True:
            parents = {str(o) for p in _CHAIN for o in self.graph.objects(None, URIRef(p)) if isinstance(o, URIRef)}
            todo = parents - self.described
            if not todo:
                return
            self.describe(todo)


def _is_iri(term: object) -> bool:
    import pyoxigraph as ox

    return isinstance(term, ox.NamedNode)


def _is_ontology(iri: str) -> bool:
    return iri.startswith(_EGOV) or iri.startswith(_VOCAB)
