"""RDF terms between rdflib and pyoxigraph: the one conversion, both ways.

rdflib is imported only when a conversion runs, so a module that merely names these functions costs nothing.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, TypeAlias

from egovgraph.errors import InputError
from egovgraph.vocab.iris import RDF_LANGSTRING, XSD_STRING

if TYPE_CHECKING:
    from rdflib.term import Node

Term: TypeAlias = Any  # a pyoxigraph NamedNode, BlankNode, Literal or Triple (the stubs have no common base)


def to_pyoxigraph_converter() -> Any:
    """A function from rdflib terms to pyoxigraph terms (IRIs and blank nodes cached)."""
    import pyoxigraph as ox
    from rdflib import BNode, Literal, URIRef

    cache: dict[Node, Term] = {}

    def convert(term: Node) -> Term:
        hit = cache.get(term)
        if hit is not None:
            return hit
        out: Term
        if isinstance(term, URIRef):
            out = ox.NamedNode(str(term))
        elif isinstance(term, BNode):
            try:
                out = ox.BlankNode(str(term))
            except ValueError:
                out = ox.BlankNode()
        elif isinstance(term, Literal):
            if term.language:
                return ox.Literal(str(term), language=term.language)
            if term.datatype is not None:
                return ox.Literal(str(term), datatype=ox.NamedNode(str(term.datatype)))
            return ox.Literal(str(term))
        else:
            raise InputError(f"cannot convert the RDF term {term!r} for SPARQL")
        cache[term] = out
        return out

    return convert


def to_rdflib(term: Term | None) -> Node | None:
    """A pyoxigraph term as an rdflib term (``None`` stays ``None``); xsd:string literals become plain."""
    import pyoxigraph as ox
    from rdflib import BNode, Literal, URIRef

    if term is None:
        return None
    if isinstance(term, ox.NamedNode):
        return URIRef(term.value)
    if isinstance(term, ox.BlankNode):
        return BNode(term.value)
    if isinstance(term, ox.Literal):
        if term.language:
            return Literal(term.value, lang=term.language)
        if term.datatype.value in (XSD_STRING, RDF_LANGSTRING):
            return Literal(term.value)
        return Literal(term.value, datatype=URIRef(term.datatype.value))
    raise InputError(f"cannot convert the RDF term {term!r} to rdflib (RDF-star triples are not supported)")
