"""The custom view: edges from a SELECT (?source ?target, optional ?label ?weight) or a CONSTRUCT's triples."""

from __future__ import annotations

from collections import defaultdict
from typing import TYPE_CHECKING, Any

from rdflib import Graph, Literal
from rdflib.term import Node

from egovgraph.errors import InputError
from egovgraph.views.entity import node_id, triples_to_graph
from egovgraph.views.facts import Facts, Filters

if TYPE_CHECKING:
    import networkx as nx

    from egovgraph.stores.kinds import Store

#: Seconds a query on a store may take while a view is built from it.
TIMEOUT = 600.0


def _join(values: set[str]) -> str:
    return "; ".join(sorted(values))


def run_query(graph: Graph, text: str) -> Any:
    """Run a read-only SPARQL query on ``graph`` (the one place the custom view calls SPARQL)."""
    from rdflib.plugins.sparql import prepareQuery

    try:
        prepared = prepareQuery(text, initNs={k: str(v) for k, v in graph.namespaces()})
    except Exception as err:  # rdflib raises pyparsing errors and others
        raise InputError(f"the custom query does not parse: {err}") from None
    if _uses_remote(prepared.algebra) or getattr(prepared.algebra, "datasetClause", None):
        raise InputError("the custom query may not use SERVICE or FROM: it runs on the local graph only")
    try:
        return graph.query(prepared)
    except Exception as err:
        raise InputError(f"the custom query failed: {err}") from None


def _uses_remote(node: Any) -> bool:
    if getattr(node, "name", None) in ("ServiceGraphPattern",) or getattr(node, "name", None) == "Service":
        return True
    if isinstance(node, dict):
        return any(_uses_remote(v) for v in node.values())
    if isinstance(node, list | tuple):
        return any(_uses_remote(v) for v in node)
    return False


class _StoreAnswer:
    """A custom query's answer from a store, shaped like rdflib's result for :func:`custom_view`."""

    def __init__(self, result: Any) -> None:
        self.type = result.form
        self.vars = list(result.variables)
        self.rows = result.rows
        self.graph = result.graph() if result.form in ("CONSTRUCT", "DESCRIBE") else None
        self.iris = result.iris()

    def __iter__(self) -> Any:
        return iter(self.rows)


def store_answer(store: Store, text: str) -> _StoreAnswer:
    from egovgraph.sparql.run import prepare

    try:
        prepared = prepare(text)
    except InputError as err:
        raise InputError(f"the custom query: {err}") from None
    return _StoreAnswer(store.query(prepared, timeout=TIMEOUT, limit=None))


def custom_view(facts: Facts, text: str, filters: Filters, *, answer: Any = None) -> nx.Graph:
    """Edges from a SELECT (?source ?target, optional ?label ?weight) or the triples of a CONSTRUCT."""
    result = answer if answer is not None else run_query(facts.graph, text)
    if result.type == "CONSTRUCT":
        return triples_to_graph(facts, list(result.graph), filters)
    if result.type != "SELECT":
        raise InputError(f"the custom view needs a SELECT or a CONSTRUCT, not {result.type}")
    names = [str(v) for v in result.vars or ()]
    if "source" not in names or "target" not in names:
        raise InputError(
            f"the custom SELECT returns ?{' ?'.join(names) or '(nothing)'}: it must return ?source and "
            "?target (optional ?label and ?weight)"
        )
    import networkx as nx

    g = nx.DiGraph()
    labels: dict[tuple[str, str], set[str]] = defaultdict(set)
    weights: dict[tuple[str, str], float] = defaultdict(float)
    endpoints: dict[str, Node] = {}
    for row in result:
        src, dst = row["source"], row["target"]
        if src is None or dst is None:
            continue
        if not (facts.matches(src, filters) and facts.matches(dst, filters)):
            continue
        pair = (node_id(src), node_id(dst))
        endpoints[pair[0]], endpoints[pair[1]] = src, dst
        if "label" in names and row["label"] is not None:
            labels[pair].add(str(row["label"]))
        weight = row["weight"] if "weight" in names else None
        weights[pair] += float(weight) if isinstance(weight, Literal) and _is_number(weight) else 1.0
    for key in sorted(endpoints):
        g.add_node(key, **facts.node_attributes(endpoints[key]))
    for pair in sorted(weights):
        weight = weights[pair]
        g.add_edge(*pair, weight=int(weight) if weight.is_integer() else weight, label=_join(labels[pair]))
    return g


def _is_number(value: Literal) -> bool:
    try:
        float(value)
    except (TypeError, ValueError):
        return False
    return True


__all__ = ["TIMEOUT", "custom_view", "run_query", "store_answer"]
