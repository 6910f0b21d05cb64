"""The networkx views: exact edges from the data, attributes, filters, custom queries, metrics, layout."""

from __future__ import annotations

import math
from typing import Any

import networkx as nx
import pytest
from rdflib import Graph
from rdflib.namespace import RDF

from egovgraph.errors import InputError
from egovgraph.graph.load import Loaded
from egovgraph.views.facts import Facts
from egovgraph.views.layout import radial_layout
from egovgraph.views.metrics import centrality, eigenvector, network_metrics
from egovgraph.views.project import VIEWS, view
from egovgraph.vocab.namespaces import EGOV
from viewdata import fixture_graph

ID = "https://w3id.org/egovgraph/id/"
A, B, C, D = (f"{ID}land/{x}" for x in "abcd")
AI = "https://w3id.org/egovgraph/vocab/technology/artificial-intelligence"
API = "https://w3id.org/egovgraph/vocab/technology/api"


@pytest.fixture(scope="module")
def small() -> Graph:
    return fixture_graph()


# ------------------------------------------------------------------------------------------ efa view


def test_efa_edges_on_the_fixture_are_exact(small: Graph) -> None:
    g = view("efa", small)
    assert isinstance(g, nx.DiGraph)
    edges = {(u, v): d for u, v, d in g.edges(data=True)}
    # one: A (via its ministry) -> B, C; two: A (via its district) and B -> B, C, without B -> B.
    assert set(edges) == {(A, B), (A, C), (B, C)}
    assert edges[(A, B)]["services"] == "Leistung eins; Leistung zwei"
    assert edges[(A, B)]["weight"] == 2
    assert edges[(A, C)]["weight"] == 2
    assert edges[(B, C)]["services"] == "Leistung zwei" and edges[(B, C)]["weight"] == 1
    assert edges[(A, B)]["themenfeld"] == "Familie & Kind"
    assert set(g.nodes) == {A, B, C, D}


def test_unnamed_counts_are_node_attributes_not_edges(small: Graph) -> None:
    g = view("efa", small)
    assert g.nodes[D]["unnamed_reuse_count"] == 11
    assert g.nodes[D]["unnamed_reuse"] == "Leistung drei: in 11 Ländern"
    assert g.out_degree(D) == 0
    assert all("Leistung drei" not in d["services"] for _, _, d in g.edges(data=True))
    assert g.nodes[D]["development_partner_of"] == "Leistung zwei"
    assert g.nodes[A]["services_built"] == 2 and g.nodes[C]["services_reused"] == 2


def _expected_efa_pairs(graph: Graph) -> dict[tuple[str, str], set[str]]:
    facts = Facts(graph)
    expected: dict[tuple[str, str], set[str]] = {}
    for service in facts.instances(EGOV.EfaService):
        builders = facts.resolve_lands(graph.objects(service, EGOV.builtBy))
        for reuser in graph.objects(service, EGOV.reusedBy):
            land = facts.land_of(reuser)
            for builder in builders:
                if land is not None and land != builder:
                    expected.setdefault((str(builder), str(land)), set()).add(str(service))
    return expected


def test_efa_view_of_the_bundled_data_has_an_edge_per_reuse(loaded: Loaded, graph: Graph) -> None:
    g = view("efa", loaded)
    expected = _expected_efa_pairs(graph)
    assert {(u, v) for u, v in g.edges} == set(expected)
    for (u, v), services in expected.items():
        assert set(g.edges[u, v]["service_iris"].split()) == services
        assert g.edges[u, v]["weight"] == len(services)
    assert {n for n, d in g.nodes(data=True) if d["class"] == "egov:Land"} == set(g.nodes)
    assert g.number_of_nodes() == 16
    for service in Facts(graph).instances(EGOV.EfaService):
        if (service, EGOV.reuseCount, None) in graph and (service, EGOV.reusedBy, None) not in graph:
            assert all(str(service) not in d["service_iris"] for _, _, d in g.edges(data=True))
            for builder in Facts(graph).resolve_lands(graph.objects(service, EGOV.builtBy)):
                assert Facts(graph).label(service) in g.nodes[str(builder)]["unnamed_reuse"]


def test_efa_land_filter_keeps_the_edges_touching_it(small: Graph) -> None:
    g = view("efa", small, land="Celand")
    assert set(g.edges) == {(A, C), (B, C)}
    assert set(g.nodes) == {A, B, C}
    assert g.graph["filters"] == "Land: Celand"
    assert set(view("efa", small, land=["DE-DD"]).nodes) == {D}


def test_efa_service_filters(small: Graph) -> None:
    assert set(view("efa", small, cls="FocusService").edges) == {(A, B), (A, C)}
    assert set(view("efa", small, source="two").edges) == {(A, B), (A, C), (B, C)}
    assert set(view("efa", small, source="source:one").edges) == {(A, B), (A, C)}
    assert set(view("efa", small, year=2024).edges) == {(A, B), (A, C)}  # service one's source is of 2024


# ----------------------------------------------------------------------------------------- tech views


def test_tech_view_is_bipartite_with_initiative_counts(small: Graph) -> None:
    g = view("tech", small)
    lands = {n for n, d in g.nodes(data=True) if d["bipartite"] == 0}
    techs = {n for n, d in g.nodes(data=True) if d["bipartite"] == 1}
    assert nx.is_bipartite(g) and techs == {AI, API}
    assert {A, B, C, D} <= lands
    assert g.edges[A, AI]["weight"] == 1 and g.edges[A, API]["weight"] == 2  # own + via its ministry
    assert g.edges[A, API]["initiatives"] == "API in C; KI in A"
    assert not g.has_edge(C, API)


def test_tech_lands_projection_counts_shared_technologies(small: Graph) -> None:
    bipartite = view("tech", small)
    g = view("tech-lands", small)
    lands = [n for n, d in bipartite.nodes(data=True) if d["bipartite"] == 0]
    reference = nx.bipartite.weighted_projected_graph(bipartite, lands)
    assert {frozenset(e) for e in g.edges} == {frozenset(e) for e in reference.edges}
    for u, v, data in g.edges(data=True):
        assert data["weight"] == reference.edges[u, v]["weight"]
    assert g.edges[A, B]["technologies"] == "Künstliche Intelligenz"


def test_tech_filters_by_status_year_and_land(small: Graph) -> None:
    completed = view("tech", small, status="completed")
    assert {frozenset(e) for e in completed.edges} == {frozenset((B, AI)), frozenset((A, API))}
    assert {frozenset(e) for e in view("tech", small, year="2025").edges} == {frozenset((A, AI)), frozenset((A, API))}
    only_b = view("tech", small, land="B")
    assert {frozenset(e) for e in only_b.edges} == {frozenset((B, AI))}


def test_tech_view_of_the_bundled_data(loaded: Loaded, graph: Graph) -> None:
    g = view("tech", loaded)
    facts = Facts(graph)
    expected: dict[frozenset[str], set[str]] = {}
    for fact, tech in graph.subject_objects(EGOV.usesTechnology):
        if not facts.is_ontology(fact):
            for land in facts.responsible_lands(fact):
                expected.setdefault(frozenset((str(land), str(tech))), set()).add(facts.label(fact))
    assert {frozenset(e) for e in g.edges} == set(expected)
    for land, tech, data in g.edges(data=True):
        names = expected[frozenset((land, tech))]
        assert data["weight"] == len(names) and data["initiatives"] == "; ".join(sorted(names))
        kinds = {g.nodes[land]["class"], g.nodes[tech]["class"]}
        assert kinds == {"egov:Land", "egov:Technology"}
    assert {n for n in g if g.nodes[n]["bipartite"] == 0} == {str(x) for x in graph.subjects(RDF.type, EGOV.Land)}


# ---------------------------------------------------------------------------------------- entity view


def test_entity_view_leaves_out_ontology_types_and_literals(loaded: Loaded, graph: Graph) -> None:
    g = view("entity", loaded)
    assert isinstance(g, nx.MultiDiGraph)
    subjects = {str(s) for s in graph.subjects()}
    for node, data in g.nodes(data=True):
        assert node in subjects  # every node is a described resource, never a literal or a bare URL
        assert data["label"]
    for u, _v, key, data in g.edges(keys=True, data=True):
        assert key == data["predicate"] != "rdf:type"
        assert data["label"]
        assert not u.startswith("https://w3id.org/egovgraph/ontology")
        assert not u.startswith("https://w3id.org/egovgraph/vocab/")
    bremen = g.nodes[f"{ID}land/bremen"]
    assert bremen["class"] == "egov:Land" and bremen["land"] == "Bremen" and bremen["iri"].endswith("bremen")


def test_entity_view_keeps_literals_and_web_links_as_attributes(small: Graph) -> None:
    g = view("entity", small)
    source = g.nodes[f"{ID}source/one"]
    assert source["schema:url"] == "https://example.org/one"
    assert source["dct:issued"] == "2024-12"
    assert "https://example.org/one" not in g
    assert g.has_edge(f"{ID}service/one", f"{ID}land/b", key="egov:reusedBy")
    assert g.edges[f"{ID}service/one", f"{ID}land/b", "egov:reusedBy"]["label"] == "nachgenutzt von"
    initiative = g.nodes[f"{ID}initiative/a-ai"]
    assert initiative["status"] == "geplant" and initiative["year"] == "2025" and initiative["land"] == "Aland"
    assert initiative["sources"] == "Quelle eins"


def test_entity_filters_select_resources_and_what_they_point_to(small: Graph) -> None:
    g = view("entity", small, cls="egov:Initiative", status="planned")
    assert f"{ID}initiative/a-ai" in g and f"{ID}initiative/b-ai" not in g
    assert AI in g and f"{ID}land/a" in g  # what the selected initiative points to
    assert all(u == f"{ID}initiative/a-ai" for u, _ in g.edges())
    g_en = view("entity", small, land="A-land", lang="en")
    assert g_en.nodes[f"{ID}land/a"]["label"] == "A-land"
    assert f"{ID}organisation/a-district" in g_en  # belongs to A through its territory


def test_labels_fall_back_to_other_languages(small: Graph) -> None:
    g = view("efa", small, lang="en")
    assert g.nodes[A]["label"] == "A-land" and g.nodes[B]["label"] == "Beland"


# --------------------------------------------------------------------------------------- custom view


def test_custom_select_with_label_and_weight(small: Graph) -> None:
    query = """SELECT ?source ?target ?label ?weight WHERE {
        ?s egov:builtBy ?source ; egov:reusedBy ?target ; rdfs:label ?label . BIND(2 AS ?weight) }"""
    g = view("custom", small, query=query)
    assert g.has_edge(f"{ID}organisation/a-ministry", B)
    assert g.edges[f"{ID}organisation/a-ministry", B] == {"weight": 2, "label": "Leistung eins"}
    assert g.nodes[B]["label"] == "Beland" and g.nodes[B]["class"] == "egov:Land"


def test_custom_construct_builds_an_entity_graph(small: Graph) -> None:
    query = "CONSTRUCT { ?b <urn:reuses> ?a } WHERE { ?s egov:builtBy ?a ; egov:reusedBy ?b }"
    g = view("custom", small, query=query)
    assert isinstance(g, nx.MultiDiGraph)
    assert g.has_edge(B, f"{ID}organisation/a-ministry", key="urn:reuses")


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("SELECT ?a WHERE { ?a ?b ?c }", "must return ?source and ?target"),
        ("ASK { ?a ?b ?c }", "needs a SELECT or a CONSTRUCT"),
        ("SELECT ?source ?target WHERE { ?source ?p ?target", "does not parse"),
        ("SELECT ?source ?target WHERE { SERVICE <http://example.org/sparql> { ?source ?p ?target } }", "SERVICE"),
        ("SELECT ?source ?target FROM <http://example.org/g> WHERE { ?source ?p ?target }", "FROM"),
    ],
)
def test_custom_query_errors(small: Graph, query: str, message: str) -> None:
    with pytest.raises(InputError, match=message.replace("?", r"\?")):
        view("custom", small, query=query)


def test_bad_view_and_filter_values_are_input_errors(small: Graph) -> None:
    with pytest.raises(InputError, match="unknown view 'graph'"):
        view("graph", small)
    with pytest.raises(InputError, match=r"unknown Land 'Atlantis'.*land:a"):
        view("efa", small, land="Atlantis")
    with pytest.raises(InputError, match="four digits"):
        view("efa", small, year="24")
    with pytest.raises(InputError, match="only used by the custom view"):
        view("efa", small, query="SELECT * {}")
    with pytest.raises(InputError, match="needs a query"):
        view("custom", small)


@pytest.mark.parametrize("name", [v for v in VIEWS if v != "custom"])
def test_every_view_describes_itself(loaded: Loaded, name: str) -> None:
    g = view(name, loaded, lang="en")
    assert g.graph["view"] == name and g.graph["title"] and g.graph["description"]
    assert g.graph["build"].startswith("egovgraph ") and "sha256:" in g.graph["build"]
    for _, data in g.nodes(data=True):
        assert all(isinstance(v, str | int | float) for v in data.values())


# ------------------------------------------------------------------------------------------- metrics


def test_metrics_of_the_efa_fixture(small: Graph) -> None:
    result = network_metrics(view("efa", small), top=1)
    rows = {r.id: r for r in result.nodes}
    assert rows[A].out_degree == 2 and rows[A].weighted_out == 4 and rows[C].in_degree == 2
    assert [x.id for x in result.leaders["provides most (weighted out-degree)"]] == [A]
    assert [x.id for x in result.leaders["reuses most (weighted in-degree)"]] == [C]
    assert [x.id for x in result.leaders["most reusers counted but not named"]] == [D]
    assert result.components == [sorted([A, B, C]), [D]]
    assert rows[D].eigenvector == 0.0 and rows[B].betweenness == 0.0  # A reaches C directly
    assert any("disconnected" in n for n in result.notes)


@pytest.mark.parametrize(
    "graph",
    [
        nx.Graph(),
        nx.path_graph(2),
        nx.star_graph(5),
        nx.DiGraph([(0, 1), (1, 2)]),
        nx.disjoint_union(nx.complete_graph(3), nx.path_graph(4)),
        nx.MultiDiGraph([(0, 1), (0, 1), (1, 0)]),
    ],
)
def test_eigenvector_is_safe_on_small_and_disconnected_graphs(graph: Any) -> None:
    values, _ = eigenvector(graph)
    assert set(values) == set(graph.nodes)
    assert all(v is not None and math.isfinite(v) and v >= 0 for v in values.values())
    assert set(centrality(graph, "betweenness")) == set(graph.nodes)
    network_metrics(graph)


def test_centrality_rejects_unknown_kinds() -> None:
    with pytest.raises(ValueError, match="unknown centrality"):
        centrality(nx.path_graph(3), "pagerank")


# -------------------------------------------------------------------------------------------- layout


def test_radial_layout_is_deterministic_and_finite() -> None:
    g = nx.disjoint_union_all([nx.balanced_tree(3, 3), nx.cycle_graph(7), nx.empty_graph(5)])
    first = radial_layout(g)
    shuffled = nx.Graph()
    shuffled.add_nodes_from(sorted(g.nodes, reverse=True))
    shuffled.add_edges_from(sorted(g.edges, reverse=True))
    assert radial_layout(shuffled) == first
    assert set(first) == set(g.nodes)
    assert all(math.isfinite(x) and math.isfinite(y) for x, y in first.values())
    assert len(set(first.values())) == len(first)
