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
from viewdata import COOPERATION_TTL, fixture_graph

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
    assert isinstance(g, nx.MultiDiGraph)
    edges = {(u, v, k): d for u, v, k, d in g.edges(keys=True, data=True)}
    # one: A (via its ministry) -> B, C; two: A (via its district) and B build it -> B, C (no B -> B),
    # so A and B develop it together; D is in two's development community.
    assert set(edges) == {
        (A, B, "reuse"),
        (A, C, "reuse"),
        (B, C, "reuse"),
        (A, B, "codevelopment"),
        (A, D, "community"),
        (B, D, "community"),
    }
    assert edges[(A, B, "reuse")]["services"] == "Leistung eins; Leistung zwei"
    assert edges[(A, B, "reuse")]["weight"] == 2 and edges[(A, C, "reuse")]["weight"] == 2
    assert edges[(B, C, "reuse")]["services"] == "Leistung zwei" and edges[(B, C, "reuse")]["weight"] == 1
    assert edges[(A, B, "reuse")]["themenfeld"] == "Familie & Kind"
    assert edges[(A, B, "codevelopment")]["services"] == "Leistung zwei"
    assert all(d["kind"] == k for (_, _, k), d in edges.items())
    assert edges[(A, B, "reuse")]["evidence"] == "Leistung eins: eins (Quelle eins)\nLeistung zwei: zwei (Quelle zwei)"
    assert edges[(A, B, "reuse")]["sources"] == "Quelle eins; Quelle zwei"
    assert set(g.nodes) == {A, B, C, D}


def test_efa_agreements_and_reuse_levels(small: Graph) -> None:
    g = view("efa", fixture_graph(COOPERATION_TTL))
    agreements = {(u, v) for u, v, k in g.edges(keys=True) if k == "agreement"}
    assert agreements == {(A, C)}  # the ministry counts for C; the agreement of all four draws no edge
    assert g.edges[A, C, "agreement"]["services"] == "Vereinbarung A-C"
    assert g.nodes[B]["agreements"] == "Dachabkommen"
    assert g.nodes[A]["agreements"] == "Dachabkommen; Vereinbarung A-C"
    assert g.edges[A, B, "reuse"]["level"] == "Pilot" and g.edges[A, C, "reuse"]["level"] == ""
    assert {k for _, _, k in view("efa", fixture_graph(COOPERATION_TTL), cls="EfaService").edges(keys=True)} == {
        "reuse",
        "codevelopment",
        "community",
    }


def test_unnamed_counts_are_node_attributes_not_edges(small: Graph) -> None:
    g = view("efa", small)
    assert g.nodes[D]["unnamed_reuse_count"] == 11
    assert g.nodes[D]["unnamed_reuse"] == "Leistung drei: in 11 Ländern"
    assert g.out_degree(D) == 0
    assert all("Leistung drei" not in d["services"] for _, _, d in g.edges(data=True))
    assert g.nodes[D]["development_partner_of"] == "Leistung zwei"
    assert g.nodes[A]["services_built"] == 2 and g.nodes[C]["services_reused"] == 2


def _expected_links(graph: Graph) -> dict[tuple[str, str, str], set[str]]:
    """Every link of the EfA services, computed directly from the triples."""
    facts = Facts(graph)
    expected: dict[tuple[str, str, str], set[str]] = {}
    for service in facts.instances(EGOV.EfaService):
        builders = facts.resolve_lands(graph.objects(service, EGOV.builtBy))
        reusers = facts.resolve_lands(graph.objects(service, EGOV.reusedBy))
        partners = facts.resolve_lands(graph.objects(service, EGOV.developmentPartner))
        for builder in builders:
            for land, kind in [(r, "reuse") for r in reusers] + [(p, "community") for p in partners - builders]:
                if land != builder:
                    expected.setdefault((str(builder), str(land), kind), set()).add(str(service))
            for other in builders:
                if str(builder) < str(other):
                    expected.setdefault((str(builder), str(other), "codevelopment"), set()).add(str(service))
    return expected


def test_efa_view_of_the_bundled_data_draws_every_link(loaded: Loaded, graph: Graph) -> None:
    g = view("efa", loaded)
    expected = _expected_links(graph)
    drawn = {(u, v, k) for u, v, k in g.edges(keys=True) if k != "agreement"}
    assert drawn == set(expected)
    for (u, v, k), services in expected.items():
        assert set(g.edges[u, v, k]["service_iris"].split()) == services
        assert g.edges[u, v, k]["weight"] == len(services)
    assert {n for n, d in g.nodes(data=True) if d["class"] == "egov:Land"} == set(g.nodes)
    assert g.number_of_nodes() == 16
    for service in Facts(graph).instances(EGOV.EfaService):
        if (service, EGOV.reuseCount, None) in graph and (service, EGOV.reusedBy, None) not in graph:
            reuse = [d for _, _, k, d in g.edges(keys=True, data=True) if k == "reuse"]
            assert all(str(service) not in d["service_iris"] for d in reuse)
            for builder in Facts(graph).resolve_lands(graph.objects(service, EGOV.builtBy)):
                assert Facts(graph).label(service) in g.nodes[str(builder)]["unnamed_reuse"]


def test_efa_land_filter_keeps_the_edges_touching_it(small: Graph) -> None:
    g = view("efa", small, land="Celand")
    assert set(g.edges(keys=True)) == {(A, C, "reuse"), (B, C, "reuse")}
    assert set(g.nodes) == {A, B, C}
    assert g.graph["filters"] == "Land: Celand"
    assert set(view("efa", small, land=["DE-DD"]).nodes) == {A, B, D}


def test_efa_service_filters(small: Graph) -> None:
    def pairs(**filters: Any) -> set[tuple[str, str]]:
        return {(u, v) for u, v, k in view("efa", small, **filters).edges(keys=True) if k == "reuse"}

    assert pairs(cls="FocusService") == {(A, B), (A, C)}
    assert pairs(source="two") == {(A, B), (A, C), (B, C)}
    assert pairs(source="source:one") == {(A, B), (A, C)}
    assert pairs(year=2024) == {(A, B), (A, C)}  # service one's source is of 2024


def test_lands_carry_their_coordinates(loaded: Loaded) -> None:
    g = view("efa", loaded)
    where = {d["label"]: (d["latitude"], d["longitude"]) for _, d in g.nodes(data=True)}
    assert len(where) == 16
    assert where["Schleswig-Holstein"][0] > where["Bayern"][0]
    assert where["Nordrhein-Westfalen"][1] < where["Sachsen"][1]
    assert all(47 < lat < 55.1 and 5.8 < lon < 15.1 for lat, lon in where.values())


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
    g = view("entity", small, with_provenance=True)
    source = g.nodes[f"{ID}source/one"]
    assert source["schema:url"] == "https://example.org/one"
    assert source["dct:issued"] == "2024-12"
    assert "https://example.org/one" not in g
    assert g.has_edge(f"{ID}service/one", f"{ID}land/b", key="egov:reusedBy")
    assert g.edges[f"{ID}service/one", f"{ID}land/b", "egov:reusedBy"]["label"] == "nachgenutzt von"
    initiative = g.nodes[f"{ID}initiative/a-ai"]
    assert initiative["status"] == "geplant" and initiative["year"] == "2025" and initiative["land"] == "Aland"
    assert initiative["sources"] == "Quelle eins"


def test_entity_view_folds_evidence_sources_and_times(small: Graph, loaded: Loaded) -> None:
    g = view("entity", small)
    assert not any(d["class"] in ("egov:Evidence", "egov:Source", "time:Instant") for _, d in g.nodes(data=True))
    initiative = g.nodes[f"{ID}initiative/a-ai"]
    assert initiative["evidence"] == "eins (Quelle eins)"
    assert initiative["dct:temporal"] == "2025"
    assert initiative["sources"] == "Quelle eins"
    drawn = view("entity", small, with_provenance=True)
    assert drawn.has_edge(f"{ID}initiative/a-ai", f"{ID}evidence/one", key="egov:hasEvidence")
    assert f"{ID}time/2025" in drawn and f"{ID}time/2025" not in g
    sources = view("entity", small, cls="Source")  # asked for: shown
    assert f"{ID}source/one" in sources
    full = view("entity", loaded)
    assert full.number_of_nodes() < view("entity", loaded, with_provenance=True).number_of_nodes()
    assert all(d["class"] != "egov:Evidence" for _, d in full.nodes(data=True))


def test_entity_literals_show_the_page_language_first_without_tags(small: Graph) -> None:
    de = view("entity", small, cls="Land", land="Aland")
    en = view("entity", small, cls="Land", land="Aland", lang="en")
    assert de.nodes[A]["rdfs:label"] == "Aland; A-land" and en.nodes[A]["rdfs:label"] == "A-land; Aland"


def test_persons_view_shows_memberships_and_roles(loaded: Loaded) -> None:
    g = view("entity", loaded, cls="foaf:Person")
    persons = {n for n, d in g.nodes(data=True) if d["class"] == "foaf:Person"}
    memberships = {n for n, d in g.nodes(data=True) if d["class"] == "org:Membership"}
    assert persons and memberships
    linked = {v for u, v, k in g.edges(keys=True) if k == "org:member" and u in memberships}
    assert linked and linked <= persons
    roles = {k for u, _, k in g.edges(keys=True) if u in memberships}
    assert {"org:role", "org:organization"} <= roles
    periods = [d["org:memberDuring"] for n, d in g.nodes(data=True) if n in memberships and "org:memberDuring" in d]
    assert any(p.startswith("seit ") for p in periods)  # "since when", folded from the period
    assert all(d["class_label"] != d["class"] for _, d in g.nodes(data=True))  # every class has a label


def test_entity_filters_select_resources_and_what_they_point_to(small: Graph) -> None:
    g = view("entity", small, cls="egov:Initiative", status="planned")
    assert f"{ID}initiative/a-ai" in g and f"{ID}initiative/b-ai" not in g
    assert AI in g and f"{ID}land/a" in g  # what the selected initiative points to
    assert all(u == f"{ID}initiative/a-ai" for u, _ in g.edges())  # nothing points to it
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
    # A: reuse to B (2 services) and C (2), co-development with B, community with D; only reuse is weighed.
    assert rows[A].out_degree == 4 and rows[A].weighted_out == 4 and rows[C].in_degree == 2
    assert rows[B].weighted_in == 2 and rows[C].weighted_in == 3 and rows[D].weighted_in == 0
    assert [x.id for x in result.leaders["provides most (weighted out-degree)"]] == [A]
    assert [x.id for x in result.leaders["reuses most (weighted in-degree)"]] == [C]
    assert [x.id for x in result.leaders["most reusers counted but not named"]] == [D]
    assert result.components == [sorted([A, B, C, D])]  # D is in the development community of two
    assert rows[B].betweenness == 0.0  # A reaches C directly


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
