"""Views over a store without copying it: fetch with SPARQL only the part of the graph a view looks at.

The views (:mod:`egovgraph.views.project`) read an rdflib graph through :class:`egovgraph.views.facts.Facts`. For a
store that may hold millions of triples (an on-disk Oxigraph store, a remote endpoint, a big dump) a
view asks the store instead for its *slice*: the view's core resources (the EfA services, the
resources using a technology, a custom query's nodes), every resource within ``depth`` links of them
(evidence, sources, time spans, reusers), the chain of organisations up to each Land, all Länder and
sources, and the terms of the bundled ontology. The view code then runs unchanged on that slice, so a
view from a store equals the view from the same data in memory (tested), while the store never leaves
the engine as a whole. Only the entity view, which shows everything, fetches every triple.

The tech views are the exception to "fetch the neighbourhood": their core, every resource using a
technology, may be most of the store. Their slice holds the technologies, Länder, sources and statuses
with their neighbourhood; the facts themselves come in batches (:func:`fact_batches`): for each batch
only the triples :class:`egovgraph.views.facts.Facts` reads about a fact (labels, responsible organisation,
evidence -> source, and for the filters given type, status, time -> year) are added to the slice while
the view reads the batch, and dropped afterwards; the organisation chains up to the Länder and the
sources stay (there are few of them).
"""

from __future__ import annotations

from collections.abc import Generator, Iterable, Iterator
from typing import TYPE_CHECKING, Any

from rdflib.plugins.stores.memory import Memory

from egovgraph.views.facts import CHAIN, FACT_LINKS, FILTER_LINKS, RESPONSIBLE, TIME_LINKS, YEAR_LINKS

if TYPE_CHECKING:
    from rdflib import Graph, URIRef
    from rdflib.term import Node

    from egovgraph.sparql.run import QueryResult
    from egovgraph.stores.kinds import Store
    from egovgraph.views.facts import Filters

#: How many links from a core resource are followed (evidence -> source, time span -> instant).
DEPTH = 2
#: IRIs per VALUES block in one request (long queries go to a remote endpoint as a form POST).
BATCH = 400
#: Seconds each of the slice's queries may take.
TIMEOUT = 600.0
#: Facts of the tech views per batch (their triples are in the slice only while the view reads them).
FACT_BATCH = 4000

_RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
_EGOV = "https://w3id.org/egovgraph/ontology#"
_VOCAB = "https://w3id.org/egovgraph/vocab/"
_SUBCLASS = "http://www.w3.org/2000/01/rdf-schema#subClassOf"
_USES = _EGOV + "usesTechnology"
_ENTITY = "http://www.w3.org/ns/prov#entity"
#: Links from an organisation or territory towards its Land (what Facts.land_of follows).
_CHAIN = tuple(str(p) for p in CHAIN)
#: The core of each view: resources of these classes (and their subclasses), or objects of a property
#: (the technologies; the facts using them come in batches, see fact_batches).
_CORE_CLASSES = {"efa": (_EGOV + "EfaService", _EGOV + "SharedPlatform", _EGOV + "Agreement", _EGOV + "Cooperation")}
_CORE_OBJECTS = {"tech": (_USES,), "tech-lands": (_USES,)}
#: Resources every view may need whatever its core: Länder (and their territories), sources, statuses.
_ALWAYS = (_EGOV + "Land", _EGOV + "LandTerritory", _EGOV + "Source", _EGOV + "Status")
#: What a class filter matches a class by (besides its IRI), as Facts' resolve_filters does.
_CLASS_NAMES = (
    "http://www.w3.org/2000/01/rdf-schema#label",
    "http://www.w3.org/2004/02/skos/core#prefLabel",
    "http://www.w3.org/2004/02/skos/core#altLabel",
)


def view_slice(
    store: Store,
    view: str,
    *,
    nodes: Iterable[str] = (),
    classes: bool = False,
    timeout: float = TIMEOUT,
) -> Graph:
    """The part of ``store`` the view ``view`` reads, as an rdflib graph with the project's prefixes.

    ``nodes`` adds IRIs to the core (the custom view passes its query's nodes). ``classes`` (a class
    filter is given) adds one typed instance and the names of every class the store uses, so that the
    filter knows the same classes as in memory. For the tech views, add the facts with
    :func:`fact_batches`.
    """
    graph = _new_graph(batches=view in _CORE_OBJECTS)
    _add_ontology(graph)
    fetch = _Fetcher(store, graph, timeout)
    if view == "entity":
        fetch.everything()
        return graph
    fetch.predicate(_SUBCLASS)
    core = set(nodes)
    core |= fetch.instances(_with_subclasses(graph, _CORE_CLASSES.get(view, ())))
    for prop in _CORE_OBJECTS.get(view, ()):
        core |= fetch.objects(prop)
    core |= fetch.instances(_with_subclasses(graph, _ALWAYS))
    fetch.neighbourhood(core, DEPTH)
    fetch.chains()
    if classes:
        fetch.classes()
    return graph


#: What points at a Land's resources: the Land, its territory, and every organisation whose chain
#: (org:subOrganizationOf, org:unitOf, schema:location) leads to one of them.
_LAND_TARGETS = """
{ BIND(<LAND> AS ?target) } UNION { <LAND> dct:spatial ?target }
UNION { ?target (org:subOrganizationOf|org:unitOf|schema:location)+ <LAND> }
UNION { <LAND> dct:spatial ?territory . ?target (org:subOrganizationOf|org:unitOf|schema:location)+ ?territory }
"""


def land_slice(store: Store, land: str, *, timeout: float = TIMEOUT) -> Graph:
    """The part of ``store`` a Land dossier (:mod:`egovgraph.views.dossier`) reads about the Land ``land``.

    Its core is every resource with a link to the Land, its territory or one of its organisations
    (memberships, services, initiatives, strategies, portals) and the portals integrated into those;
    the slice adds what lies within ``DEPTH`` links of them, as ``view_slice`` does.
    """
    from egovgraph.sparql.run import prepare

    text = (
        "SELECT DISTINCT ?x WHERE { { ?x ?p ?target } UNION { ?x egov:integratedInto ?portal . "
        "?portal ?link ?target } " + _LAND_TARGETS.replace("LAND", land) + " FILTER(isIRI(?x)) }"
    )
    rows = store.query(prepare(text), timeout=timeout, limit=None).solutions
    core = {str(row[0].value) for row in rows if row[0] is not None} | {land}
    return view_slice(store, "custom", nodes=core, timeout=timeout)


def fact_batches(
    store: Store,
    graph: Graph,
    filters: Filters,
    *,
    prop: str = _USES,
    size: int | None = None,
    timeout: float = TIMEOUT,
) -> Iterator[list[URIRef]]:
    """The subjects of ``prop`` in ``store`` (IRIs, sorted), ``size`` (FACT_BATCH) at a time, for a view
    over ``graph``.

    While a batch is being read, ``graph`` (the slice of a tech view from :func:`view_slice`) holds
    everything :class:`egovgraph.views.facts.Facts` reads to label, place and source each of its facts and to
    match them against ``filters`` but the Land filter: the fact's ``prop`` and ``FACT_LINKS`` triples
    and its ``FILTER_LINKS`` for the filters given, its evidence's ``prov:entity``, its times down to
    their years, and (kept for later batches) its sources and the organisation chain up to the Land.
    Whether a fact is an egov:Source, and everything about one, is in the slice already. The batch's
    own triples are dropped before the next batch, so memory stays that of one batch.
    """
    from rdflib import URIRef

    held = graph.store
    if not isinstance(held, _BatchStore):
        raise TypeError("fact_batches needs the slice of a tech view from view_slice")
    links = [prop, *(str(p) for p in FACT_LINKS)]
    links += [str(p) for name, extra in FILTER_LINKS.items() if getattr(filters, name) for p in extra]
    fetch = _Fetcher(store, graph, timeout)
    facts = sorted(f for f in fetch.subjects(prop) if not _is_ontology(f))
    size = size or FACT_BATCH
    for start in range(0, len(facts), size):
        batch = facts[start : start + size]
        found = fetch.about(batch, links, extra=_EVIDENCE_SOURCES)
        found += fetch.closure(_iris(found, YEAR_LINKS), [str(p) for p in TIME_LINKS])
        fetch.keep_chains(_iris(found, RESPONSIBLE))
        fetch.describe(_iris(found, (URIRef(_ENTITY),)))
        held.hold(found)
        try:
            yield [URIRef(f) for f in batch]
        finally:
            held.hold(())


#: The evidence of a fact (?f) and what it cites, fetched with the fact's own triples: (template, pattern).
_EVIDENCE_SOURCES = (f"?e <{_ENTITY}> ?source", f"?f <{_EGOV}hasEvidence> ?e . ?e <{_ENTITY}> ?source")


def _iris(triples: Iterable[tuple[Node, Node, Node]], links: Iterable[Node]) -> set[str]:
    """The IRIs the triples link to through one of ``links``."""
    from rdflib import URIRef

    wanted = set(links)
    return {str(o) for _, p, o in triples if p in wanted and isinstance(o, URIRef)}


def _new_graph(*, batches: bool) -> Graph:
    """An empty graph with the project's prefixes; ``batches``: one that can hold a batch of facts."""
    from rdflib import Graph

    from egovgraph.graph.load import bind_prefixes, new_graph

    if not batches:
        return new_graph()
    graph = Graph(store=_BatchStore(), bind_namespaces="none")
    bind_prefixes(graph)
    return graph


class _BatchStore(Memory):
    """rdflib's in-memory store plus one batch of triples held apart and dropped at once.

    rdflib's stores keep the memory of a removed triple (empty index entries stay), so adding and
    removing the facts a batch at a time would grow with the whole store; a batch here is a plain dict
    indexed by subject, replaced by the next.
    """

    def __init__(self) -> None:
        super().__init__()
        self.batch: dict[Node, list[tuple[Node, Node]]] = {}
        self.batch_size = 0

    def hold(self, triples: Iterable[tuple[Node, Node, Node]]) -> None:
        """Hold these triples (those not in the store already) instead of the previous batch."""
        self.batch, self.batch_size = {}, 0
        for s, p, o in dict.fromkeys(triples):
            if next(Memory.triples(self, (s, p, o)), None) is None:
                self.batch.setdefault(s, []).append((p, o))
                self.batch_size += 1

    def triples(self, triple_pattern: Any, context: Any = None) -> Generator[Any, None, None]:
        yield from super().triples(triple_pattern, context)
        if not self.batch:
            return
        s, p, o = triple_pattern
        for subject in [s] if s is not None else list(self.batch):
            for pred, obj in self.batch.get(subject, ()):
                if (p is None or p == pred) and (o is None or o == obj):
                    yield (subject, pred, obj), iter(())

    def __len__(self, context: Any = None) -> int:
        return super().__len__(context) + self.batch_size


def _add_ontology(graph: Graph) -> None:
    """The bundled ontology and vocabularies: class and property labels, subclass axioms, statuses."""
    from egovgraph.graph.load import ONTOLOGY_FILES, parse_graph
    from egovgraph.vocab.names import default_ontology_dir

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
        self.chained: set[str] = set()

    def _run(self, text: str) -> QueryResult:
        from egovgraph.sparql.run import prepare

        return self.store.query(prepare(text), timeout=self.timeout, limit=None)

    def _add(self, result: QueryResult) -> list[tuple[str, str | None]]:
        """Add a CONSTRUCT result; return (predicate, object IRI or None) of each triple."""
        import pyoxigraph as ox

        out: list[tuple[str, str | None]] = []
        for triple in self._triples(result):
            self.graph.add(triple)
        for t in result.triples:
            out.append((t.predicate.value, t.object.value if isinstance(t.object, ox.NamedNode) else None))
        return out

    @staticmethod
    def _triples(result: QueryResult) -> list[tuple[Node, Node, Node]]:
        """The triples as rdflib terms, each distinct term converted once (predicates and objects repeat)."""
        from egovgraph.vocab.terms import to_rdflib

        terms: dict[object, Any] = {}

        def term(value: Any) -> Any:
            found = terms.get(value)
            if found is None:
                found = terms[value] = to_rdflib(value)
            return found

        return [(term(t.subject), term(t.predicate), term(t.object)) for t in result.triples]

    def everything(self) -> None:
        self._add(self._run("CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }"))

    def predicate(self, prop: str) -> None:
        """Every triple with this predicate (rdfs:subClassOf: the classes the store adds to the ontology's)."""
        self._add(self._run(f"CONSTRUCT {{ ?s <{prop}> ?o }} WHERE {{ ?s <{prop}> ?o }}"))

    def classes(self) -> None:
        """One typed instance of each class the store uses, and the names of those classes."""
        from rdflib import URIRef
        from rdflib.namespace import RDF

        result = self._run(
            f"SELECT ?c (SAMPLE(?s) AS ?x) WHERE {{ ?s <{_RDF_TYPE}> ?c FILTER(isIRI(?s) && isIRI(?c)) }} GROUP BY ?c"
        )
        named: set[str] = set()
        for cls, instance in result.solutions:
            if cls is None or instance is None:
                continue
            if (None, RDF.type, URIRef(cls.value)) not in self.graph:
                self.graph.add((URIRef(instance.value), RDF.type, URIRef(cls.value)))
            named.add(cls.value)
        for triple in self.about(sorted(named), list(_CLASS_NAMES)):
            self.graph.add(triple)

    def about(
        self,
        iris: list[str],
        props: list[str],
        *,
        extra: tuple[str, str] | None = None,
    ) -> list[tuple[Node, Node, Node]]:
        """The triples of these IRIs (?f) with these predicates, and those of ``extra`` (a CONSTRUCT
        template and a pattern on ?f); not added to the graph."""
        allowed = ", ".join(f"<{p}>" for p in props)
        template = "?f ?p ?o" + (f" . {extra[0]}" if extra else "")
        pattern = f"{{ ?f ?p ?o FILTER(?p IN ({allowed})) }}" + (f" UNION {{ {extra[1]} }}" if extra else "")
        out: list[tuple[Node, Node, Node]] = []
        todo = [i for i in iris if ">" not in i]
        for start in range(0, len(todo), BATCH):
            values = " ".join(f"<{i}>" for i in todo[start : start + BATCH])
            out += self._triples(
                self._run(f"CONSTRUCT {{ {template} }} WHERE {{ VALUES ?f {{ {values} }} {pattern} }}")
            )
        return out

    def closure(self, iris: Iterable[str], props: list[str]) -> list[tuple[Node, Node, Node]]:
        """The triples with these predicates of these IRIs and of every IRI they lead to through them."""
        from rdflib import URIRef

        out: list[tuple[Node, Node, Node]] = []
        seen: set[str] = set()
        todo = set(iris)
        while todo:
            seen |= todo
            found = self.about(sorted(todo), props)
            out += found
            todo = {str(o) for _, _, o in found if isinstance(o, URIRef)} - seen
        return out

    def keep_chains(self, iris: Iterable[str]) -> None:
        """Add the links of these organisations or territories, and of every one above, towards their Land."""
        from rdflib import URIRef

        todo = set(iris) - self.chained
        while todo:
            self.chained |= todo
            found = self.about(sorted(todo), list(_CHAIN))
            for triple in found:
                self.graph.add(triple)
            todo = {str(o) for _, _, o in found if isinstance(o, URIRef)} - self.chained

    def instances(self, classes: set[str]) -> set[str]:
        if not classes:
            return set()
        values = " ".join(f"<{c}>" for c in sorted(classes))
        result = self._run(f"SELECT DISTINCT ?s WHERE {{ VALUES ?c {{ {values} }} ?s a ?c FILTER(isIRI(?s)) }}")
        return {row[0].value for row in result.solutions if row[0] is not None}

    def subjects(self, prop: str) -> set[str]:
        result = self._run(f"SELECT DISTINCT ?s WHERE {{ ?s <{prop}> ?o FILTER(isIRI(?s)) }}")
        return {row[0].value for row in result.solutions if row[0] is not None}

    def objects(self, prop: str) -> set[str]:
        result = self._run(f"SELECT DISTINCT ?o WHERE {{ ?s <{prop}> ?o FILTER(isIRI(?o)) }}")
        return {row[0].value for row in result.solutions if row[0] is not None}

    def describe(self, iris: Iterable[str]) -> set[str]:
        """Fetch every triple of each IRI not fetched yet; return the IRIs they link to (not via rdf:type)."""
        todo = sorted(i for i in set(iris) if i not in self.described and ">" not in i)
        self.described.update(todo)
        linked: set[str] = set()
        for start in range(0, len(todo), BATCH):
            values = " ".join(f"<{i}>" for i in todo[start : start + BATCH])
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


def _is_ontology(iri: str) -> bool:
    return iri.startswith(_EGOV) or iri.startswith(_VOCAB)
