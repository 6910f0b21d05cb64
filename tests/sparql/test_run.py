"""SPARQL library: named queries and their answers, engines agreeing, safety, errors, deadline, formats."""

from __future__ import annotations

import csv
import io
import json
import re
import time
import xml.etree.ElementTree as ET
from collections import Counter
from pathlib import Path
from typing import Any

import pyoxigraph as ox
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from rdflib import Graph, Literal, URIRef
from rdflib.query import Result

from egovgraph.errors import EgovGraphError, InputError, QueryError, QueryRefused, QueryTimeout, UnknownNamedQuery
from egovgraph.graph.load import Loaded, load
from egovgraph.graph.oxigraph import file_plan, load_dump, open_store
from egovgraph.sparql import deadline, results
from egovgraph.sparql import run as sparql
from egovgraph.sparql.library import named_queries, named_query, parse_named_query
from egovgraph.sparql.run import QueryResult, execute, prepare, query
from egovgraph.sparql.text import check
from egovgraph.sparql.tokens import tokenize
from egovgraph.sparql.values import QUERY_PREFIXES, parse_bind, parse_value, term_to_sparql
from egovgraph.vocab.terms import to_rdflib
from helpers import recording_listener

ID = "https://w3id.org/egovgraph/id/"
EGOV = "https://w3id.org/egovgraph/ontology#"
ROLE = "https://w3id.org/egovgraph/vocab/role/"
TECH = "https://w3id.org/egovgraph/vocab/technology/"
LEVEL = "https://w3id.org/egovgraph/vocab/cooperation-level/"
TEIL3 = URIRef(ID + "source/egovernment-bilanz-teil-3")
# Cross join of every triple with itself four times: never finishes on the bundled graph.
RUNAWAY = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l }"


def iri(kind: str, slug: str) -> URIRef:
    return URIRef(f"{ID}{kind}/{slug}")


@pytest.fixture(scope="module")
def store() -> ox.Store:
    """The bundled data loaded straight into pyoxigraph, shared by the tests of this module."""
    return open_store()


def run(store: ox.Store, name: str, **bind: object) -> list[dict[str, Any]]:
    """A named query's rows as dicts of rdflib terms."""
    return execute(prepare(name=name, bind_values=bind), store).rows


def pick(rows: list[dict[str, Any]], *columns: str) -> set[tuple[Any, ...]]:
    return {tuple(row[c] for c in columns) for row in rows}


# --------------------------------------------------------------------------- the named query library


def test_library_has_at_least_15_described_queries_with_declared_parameters() -> None:
    library = named_queries()
    assert len(library) >= 15
    for q in library:
        assert q.description and not q.description.endswith(":"), q.name
        assert q.text.lstrip().startswith("# description:"), q.name
        checked = check(q.text)
        assert checked.form == "SELECT", q.name
        assert q.param("lang") is not None, f"{q.name}: every named query takes lang (set by --lang)"
        for p in q.params:
            assert p.name in checked.variables, f"{q.name}: parameter {p.name} is not a variable of the query"
            if p.default is not None:
                parse_value(p.default)  # defaults use the --bind syntax


def test_every_named_query_has_an_answer_test() -> None:
    assert {q.name for q in named_queries()} == set(EXPECTED)


def test_header_parsing_and_its_errors() -> None:
    q = parse_named_query(
        "x",
        '# description: Things.\n# param: a — an a (default "de")\n'
        "# param: b - a b, e.g. (x) (optional)\nSELECT * WHERE { ?a ?b ?c }\n",
    )
    assert q.description == "Things."
    assert [(p.name, p.meaning, p.default) for p in q.params] == [("a", "an a", '"de"'), ("b", "a b, e.g. (x)", None)]
    with pytest.raises(EgovGraphError, match="no '# description"):
        parse_named_query("x", "SELECT * WHERE {}")
    with pytest.raises(EgovGraphError, match="cannot read the parameter line"):
        parse_named_query("x", "# description: d\n# param: a without default\nSELECT * WHERE {}")


def test_unknown_named_query_suggests_close_names() -> None:
    with pytest.raises(UnknownNamedQuery, match=r"unknown named query 'leader' — did you mean 'leaders'"):
        named_query("leader")
    with pytest.raises(UnknownNamedQuery, match="'shared-services'"):
        named_query("shared-service")
    with pytest.raises(UnknownNamedQuery, match="egovgraph queries lists all"):
        named_query("zzzzzz")


# --------------------------------------------------------------------------- every named query's answer


def check_lands(store: ox.Store) -> None:
    rows = run(store, "lands")
    assert len(rows) == 16
    bremen = next(r for r in rows if r["land"] == iri("land", "bremen"))
    assert (str(bremen["landLabel"]), str(bremen["isoCode"]), str(bremen["regionalKey"])) == ("Bremen", "DE-HB", "04")
    assert [str(r["regionalKey"]) for r in rows] == [f"{i:02d}" for i in range(1, 17)]
    assert str(run(store, "lands", lang="en")[8]["landLabel"]) == "Bavaria"


def check_leaders(store: ox.Store) -> None:
    rows = run(store, "leaders")
    found = pick(rows, "land", "person", "role", "source")
    assert (iri("land", "bremen"), iri("person", "carola-heilemann-jeschke"), URIRef(ROLE + "cio"), TEIL3) in found
    assert (iri("land", "hamburg"), iri("person", "christian-pfromm"), URIRef(ROLE + "cdo"), TEIL3) in found
    bremen = run(store, "leaders", land="land:bremen")
    assert bremen and {r["land"] for r in bremen} == {iri("land", "bremen")}
    assert str(bremen[0]["personLabel"]) == "Carola Heilemann-Jeschke"
    cdos = run(store, "leaders", role="role:cdo")
    assert {r["role"] for r in cdos} == {URIRef(ROLE + "cdo")}
    assert iri("person", "christian-pfromm") in {r["person"] for r in cdos}
    # The new detail: role label, start, end, and each source with its date.
    rp = run(store, "leaders", land="land:rheinland-pfalz", role="role:cio", lang="en")
    assert pick(rp, "person", "from", "until") >= {
        (iri("person", "fedor-ruhose"), None, Literal("2024-07")),
        (iri("person", "denis-alt"), Literal("2024-07"), None),
    }
    assert {str(r["roleLabel"]) for r in rp} == {"chief information officer"}
    alt = {(r["source"], r["sourceDate"]) for r in rp if r["person"] == iri("person", "denis-alt")}
    assert (iri("source", "kommune21-rlp-alt"), Literal("2024-11-18")) in alt
    # year: a period overlapping it, or an undated membership whose source is of that year.
    in_2025 = {r["person"] for r in run(store, "leaders", land="land:rheinland-pfalz", role="role:cio", year=2025)}
    assert in_2025 == {iri("person", "denis-alt")}
    assert not run(store, "leaders", land="land:bremen", role="role:cio", year=2023)


def check_role_at(store: ox.Store) -> None:
    rows = run(store, "role-at")  # default date 2024-12: the founding article's month
    held = pick(rows, "land", "person", "role")
    assert (iri("land", "bremen"), iri("person", "carola-heilemann-jeschke"), URIRef(ROLE + "cio")) in held
    assert (iri("land", "hamburg"), iri("person", "christian-pfromm"), URIRef(ROLE + "cdo")) in held
    only = run(store, "role-at", role="role:cio", land="land:bremen", date="2024-12-01")
    assert pick(only, "person", "basis") == {(iri("person", "carola-heilemann-jeschke"), Literal("source date"))}
    # The article (December 2024) says nothing about 2023: no period, no source of that time.
    assert not run(store, "role-at", role="role:cio", land="land:bremen", date=2023)
    # An open end is reported with the date of the latest source that names the role.
    popp = run(store, "role-at", role="role:cio", land="land:sachsen", date="2025-09")
    assert pick(popp, "person", "from", "asOf", "basis") == {
        (iri("person", "thomas-popp"), Literal("2018-08-01"), Literal("2024-12"), Literal("period, no known end"))
    }
    ended = run(store, "role-at", role="role:cio", land="land:thueringen", date="2024-12-15")
    assert pick(ended, "person", "until", "asOf", "basis") == {
        (iri("person", "hartmut-schubert"), Literal("2024-12"), None, Literal("period"))
    }


def check_initiatives(store: ox.Store) -> None:
    rows = run(store, "initiatives", land="land:bremen", status="status:planned", year=2025)
    found = {r["initiative"] for r in rows}
    assert {
        iri("initiative", "bremen-paypal-buergeraemter"),
        iri("initiative", "bremen-konsolidierung-2025"),
        iri("initiative", "bremen-schwerpunkte-2025"),
    } <= found
    assert all(r["landOf"] == iri("land", "bremen") and str(r["when"]) == "2025" for r in rows)
    assert all(r["status"] == URIRef("https://w3id.org/egovgraph/vocab/status/planned") for r in rows)
    paying = {r["initiative"] for r in run(store, "initiatives", land="land:bremen", technology="tech:e-payment")}
    assert {
        iri("initiative", "bremen-paypal-buergeraemter"),
        iri("initiative", "bremen-kartenzahlung-buergeraemter"),
    } <= paying
    everything = run(store, "initiatives")
    assert iri("initiative", "hamburg-registermodernisierung") in {r["initiative"] for r in everything}


def check_planned(store: ox.Store) -> None:
    rows = run(store, "planned")  # default year 2025
    items = {r["item"]: r for r in rows}
    assert iri("initiative", "bremen-paypal-buergeraemter") in items
    assert iri("initiative", "hamburg-registermodernisierung") in items
    strategy = items[iri("strategy", "hamburg-digitalstrategie-2025")]
    assert strategy["type"] == URIRef(EGOV + "Strategy") and str(strategy["whenLabel"]) == "Anfang 2025"
    assert iri("initiative", "bremen-online-terminvergabe") not in items  # completed in 2024
    assert all(str(r["when"]) == "2025" for r in rows)
    hamburg = run(store, "planned", land="land:hamburg", lang="en")
    assert {r["landOf"] for r in hamburg} == {iri("land", "hamburg")}
    assert Literal("Register modernisation", lang="en") in {r["itemLabel"] for r in hamburg}


def check_efa_services(store: ox.Store) -> None:
    rows = run(store, "efa-services")
    found = pick(rows, "service", "builtBy", "reusedBy")
    wohngeld = (
        iri("service", "wohngeld-online"),
        iri("land", "schleswig-holstein"),
        iri("land", "mecklenburg-vorpommern"),
    )
    assert wohngeld in found
    uvo = [r for r in rows if r["service"] == iri("service", "unterhaltsvorschuss-online")]
    assert uvo and uvo[0]["builtBy"] == iri("land", "bremen")
    assert uvo[0]["themenfeld"] == iri("themenfeld", "familie-und-kind")
    kfz = next(r for r in rows if r["service"] == iri("service", "kfz-zulassung"))
    assert kfz["reuseCount"].toPython() == 11
    bremen = run(store, "efa-services", land="land:bremen")
    assert {r["service"] for r in bremen} >= {iri("service", "unterhaltsvorschuss-online")}
    assert iri("service", "kfz-zulassung") not in {r["service"] for r in bremen}
    # Bremen took part in the Wohngeld 'Pilotlabor' (a co-development record, level support).
    assert iri("service", "wohngeld-online") in {r["service"] for r in bremen}
    named = {r["service"]: r["namedReusers"].toPython() for r in rows}
    assert named[iri("service", "digitale-baugenehmigung")] == 12 and named[iri("service", "kfz-zulassung")] == 0
    assert named[iri("service", "wohngeld-online")] == 3  # MV, Hessen and (over 350 offices) NRW
    assert Literal("Familie & Kind", lang="de") in {r["themenfeldLabel"] for r in uvo}


def check_shared_services(store: ox.Store) -> None:
    rows = run(store, "shared-services")
    pairs = {(r["landA"], r["landB"]): r["services"].toPython() for r in rows}
    assert pairs[(iri("land", "mecklenburg-vorpommern"), iri("land", "schleswig-holstein"))] >= 1
    assert all(str(a) < str(b) for a, b in pairs)
    sh = run(store, "shared-services", land="land:schleswig-holstein")
    assert sh and all(iri("land", "schleswig-holstein") in (r["landA"], r["landB"]) for r in sh)


def check_technologies(store: ox.Store) -> None:
    rows = run(store, "technologies", land="land:bremen")
    uses = {r["technology"]: r["uses"].toPython() for r in rows}
    assert uses[URIRef(TECH + "e-payment")] >= 2  # card payment and PayPal in the citizens' offices
    assert URIRef(TECH + "rpa") in uses
    assert {r["land"] for r in rows} == {iri("land", "bremen")}
    ai = run(store, "technologies", technology="tech:artificial-intelligence")
    assert {iri("land", "bremen"), iri("land", "hamburg")} <= {r["land"] for r in ai}


def check_shared_technologies(store: ox.Store) -> None:
    rows = run(store, "shared-technologies")
    ai = {r["land"] for r in rows if r["technology"] == URIRef(TECH + "artificial-intelligence")}
    assert {iri("land", "bremen"), iri("land", "hamburg")} <= ai
    assert all(r["lands"].toPython() >= 2 for r in rows)
    assert iri("land", "bremen") in {
        r["land"] for r in run(store, "shared-technologies", min=1) if r["technology"] == URIRef(TECH + "rpa")
    }


def check_themenfeld_leads(store: ox.Store) -> None:
    rows = run(store, "themenfeld-leads", themenfeld="themenfeld:familie-und-kind")
    found = pick(rows, "relation", "organisation")
    assert (URIRef(EGOV + "leadLand"), iri("land", "bremen")) in found
    assert (URIRef(EGOV + "leadMinistry"), iri("organisation", "bmfsfj")) in found
    assert (URIRef(EGOV + "partnerLand"), iri("land", "hamburg")) in found
    led = run(store, "themenfeld-leads", land="land:bremen")
    assert iri("themenfeld", "familie-und-kind") in {r["themenfeld"] for r in led}


def check_timeline(store: ox.Store) -> None:
    rows = run(store, "timeline", land="land:bremen")
    events = pick(rows, "when", "event", "item")
    assert (Literal("2025"), Literal("in"), iri("initiative", "bremen-paypal-buergeraemter")) in events
    assert (Literal("2024"), Literal("due by"), iri("initiative", "bremen-fokusleistungen")) in events
    assert [str(r["when"]) for r in rows] == sorted(str(r["when"]) for r in rows)
    assert {r["land"] for r in rows} == {iri("land", "bremen")}


def check_facts(store: ox.Store) -> None:
    rows = run(store, "facts", source="source:egovernment-bilanz-teil-3")
    assert {r["source"] for r in rows} == {TEIL3}
    assert {str(r["kind"]) for r in rows} == {"quote"}  # the founding article's text is at hand
    paypal = [r for r in rows if r["fact"] == iri("initiative", "bremen-paypal-buergeraemter")]
    assert [str(r["text"]) for r in paypal] == ["2025 soll Paypal hinzukommen."]
    pfromm = run(store, "facts", fact="person:christian-pfromm")
    assert iri("evidence", "teil-3-hh-rollout") in {r["evidence"] for r in pfromm}


def check_statements(store: ox.Store) -> None:
    rows = run(store, "statements", person="person:carola-heilemann-jeschke")
    assert {r["statement"] for r in rows} == {
        iri("statement", f"heilemann-jeschke-{s}")
        for s in ("verpflichtungen", "terminvergabe", "schwerpunkte-2025", "serviceportal")
    }
    assert all(r["source"] == TEIL3 and str(r["date"]) == "2024-12" for r in rows)
    assert any(str(r["text"]).startswith("In 2024 konnte die FHB") for r in rows)


def check_coverage(store: ox.Store) -> None:
    from egovgraph.views.stats import compute

    rows = run(store, "coverage")
    assert len(rows) == 16
    counts = {str(r["land"]): r["facts"].toPython() for r in rows}
    expected = {c.iri: c.count for c in compute(load()).lands}  # the Python implementation of the same count
    assert counts == expected
    assert counts[ID + "land/bremen"] >= 20


def check_lands_without_facts(store: ox.Store) -> None:
    from egovgraph.views.stats import compute

    rows = run(store, "lands-without-facts")
    assert {str(r["land"]) for r in rows} == {c.iri for c in compute(load()).lands_without_facts}


def check_sources(store: ox.Store) -> None:
    from egovgraph.views.stats import compute

    rows = {r["source"]: r for r in run(store, "sources")}
    teil3 = rows[TEIL3]
    assert str(teil3["issued"]) == "2024-12"
    assert str(teil3["url"]).startswith("https://www.egovernment.de/die-egovernment-bilanz-teil-3")
    by_stats = {c.iri: (c.count, c.extra["evidence"]) for c in compute(load()).sources}
    assert {str(s): (r["facts"].toPython(), r["evidence"].toPython()) for s, r in rows.items()} == by_stats


def check_portals(store: ox.Store) -> None:
    rows = run(store, "portals", land="land:bremen")
    found = pick(rows, "portal", "integratedInto")
    assert (iri("portal", "einheitlicher-ansprechpartner-bremen"), iri("portal", "serviceportal-bremen")) in found
    main = next(r for r in rows if r["portal"] == iri("portal", "serviceportal-bremen"))
    assert main["operator"] == iri("land", "bremen")


def check_priority_topics(store: ox.Store) -> None:
    rows = run(store, "priority-topics", lang="en")
    expected = (iri("topic", "digitale-anwendungen"), iri("land", "bremen"), Literal("Digital applications", lang="en"))
    assert expected in pick(rows, "topic", "sponsor", "topicLabel")


def check_land_profile(store: ox.Store) -> None:
    rows = run(store, "land-profile", land="land:thueringen")
    kinds = {str(r["kind"]) for r in rows}
    assert {"leader", "initiative", "portal", "source", "themenfeld"} <= kinds
    leaders = pick([r for r in rows if str(r["kind"]) == "leader"], "item", "detail", "from", "until")
    assert (iri("person", "hartmut-schubert"), URIRef(ROLE + "cio"), None, Literal("2024-12")) in leaders
    assert (iri("person", "milen-starke"), URIRef(ROLE + "cio"), Literal("2025-06"), None) in leaders
    assert (iri("portal", "thavel"),) in pick([r for r in rows if str(r["kind"]) == "portal"], "item")
    bremen = run(store, "land-profile", land="land:bremen")
    assert {r["land"] for r in run(store, "land-profile")} == {r["land"] for r in run(store, "lands")}
    built = pick([r for r in bremen if str(r["kind"]) == "service built"], "item")
    assert built and all(str(r["kind"]) != "leader" or r["item"] != iri("person", "milen-starke") for r in bremen)
    techs = {r["item"] for r in bremen if str(r["kind"]) == "technology"}
    assert URIRef("https://w3id.org/egovgraph/vocab/technology/digital-processing") in techs
    strategies = {r["item"] for r in run(store, "land-profile", land="land:saarland") if str(r["kind"]) == "strategy"}
    assert iri("strategy", "saarland-einfach-und-modern-fuer-alle") in strategies


def check_themenfelder_without_lead(store: ox.Store) -> None:
    rows = run(store, "themenfelder-without-lead", lang="en")
    assert pick(rows, "themenfeld", "themenfeldLabel") == {
        (iri("themenfeld", "engagement-und-hobby"), Literal("Volunteering & hobbies", lang="en")),
        (iri("themenfeld", "querschnittsleistungen"), Literal("Cross-cutting services", lang="en")),
    }


def check_quantities(store: ox.Store) -> None:
    rows = run(store, "quantities")
    fokus = next(r for r in rows if r["quantity"] == iri("quantity", "bremen-fokusleistungen"))
    assert (fokus["subject"], fokus["value"].toPython(), fokus["ofTotal"].toPython()) == (
        iri("initiative", "bremen-fokusleistungen"),
        12,
        15,
    )


def check_reuse(store: ox.Store) -> None:
    rows = run(store, "reuse", lang="en")
    harz = [r for r in rows if r["record"] == iri("reuse", "aufenthalt-digital-sachsen-anhalt")]
    assert pick(harz, "solution", "provider", "participant", "unit", "level") == {
        (
            iri("service", "aufenthalt-digital"),
            iri("land", "brandenburg"),
            iri("land", "sachsen-anhalt"),
            iri("organisation", "landkreis-harz"),
            URIRef(LEVEL + "some-authorities"),
        )
    }
    assert {(str(r["date"]), str(r["unitLabel"]), str(r["levelLabel"])) for r in harz} == {
        ("2023-08", "District of Harz", "some authorities")
    }
    assert pick(harz, "source") == {
        (iri("source", "mik-brandenburg-100-auslaenderbehoerde"),),
        (iri("source", "dv-100-auslaenderbehoerde-2023-09"),),
    }
    assert {str(r["sourceDate"]) for r in harz} == {"2023-09-05", "2023-09-25"}
    assert {r["kind"] for r in rows} == {URIRef(EGOV + k) for k in ("Reuse", "CoDevelopment", "PlatformUse")}
    hessen = run(store, "reuse", land="land:hessen", service="service:wohngeld-online")
    assert pick(hessen, "participant", "level") == {(iri("land", "hessen"), URIRef(LEVEL + "whole-land"))}
    assert all(r.get("date") is None for r in hessen)  # the page gives no date
    pilots = run(store, "reuse", level="level:pilot")
    assert pilots and all(r["level"] == URIRef(LEVEL + "pilot") for r in pilots)
    assert (iri("service", "unterhaltsvorschuss-online"), iri("land", "hamburg")) in pick(
        pilots, "solution", "participant"
    )
    platforms = run(store, "reuse", kind="egov:PlatformUse")
    assert {r["solution"] for r in platforms} == {
        iri("platform", "llmoin"),
        iri("platform", "online-service-infrastruktur"),
    }


EXPECTED = {
    "lands": check_lands,
    "leaders": check_leaders,
    "role-at": check_role_at,
    "initiatives": check_initiatives,
    "planned": check_planned,
    "efa-services": check_efa_services,
    "shared-services": check_shared_services,
    "technologies": check_technologies,
    "shared-technologies": check_shared_technologies,
    "themenfeld-leads": check_themenfeld_leads,
    "timeline": check_timeline,
    "facts": check_facts,
    "statements": check_statements,
    "coverage": check_coverage,
    "lands-without-facts": check_lands_without_facts,
    "sources": check_sources,
    "portals": check_portals,
    "priority-topics": check_priority_topics,
    "quantities": check_quantities,
    "reuse": check_reuse,
    "land-profile": check_land_profile,
    "themenfelder-without-lead": check_themenfelder_without_lead,
}


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_named_query_answers(store: ox.Store, name: str) -> None:
    EXPECTED[name](store)


def test_lands_without_facts_on_data_with_only_the_founding_article(data_copy: Path) -> None:
    for path in (data_copy / "sources").glob("*.ttl"):
        if path.name not in ("egovernment-bilanz-teil-3.ttl", "egovernment-bilanz.ttl"):
            path.unlink()
    small = open_store(data_dir=data_copy)
    gaps = {r["land"] for r in run(small, "lands-without-facts")}
    assert len(gaps) == 14 and iri("land", "bremen") not in gaps and iri("land", "hamburg") not in gaps
    coverage = {r["land"]: r["facts"].toPython() for r in run(small, "coverage")}
    assert {land for land, n in coverage.items() if n == 0} == gaps


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_engines_agree_on_every_named_query(store: ox.Store, loaded: Loaded, name: str) -> None:
    """pyoxigraph and rdflib's own SPARQL engine give the same rows (as multisets) for the same text."""
    prepared = prepare(name=name)
    ours = Counter(tuple(row.values()) for row in execute(prepared, store).rows)
    theirs = Counter(tuple(row) for row in loaded.dataset.query(prepared.text, initNs=QUERY_PREFIXES))
    assert ours == theirs


def test_store_from_files_equals_store_from_the_rdflib_build(store: ox.Store, loaded: Loaded) -> None:
    converted = open_store(loaded)
    assert {str(g) for g in loaded.graph_files} == {g for g, _ in file_plan()}

    def quads(s: ox.Store) -> Counter[tuple[str, ...]]:
        return Counter(
            (str(q.subject), str(q.predicate), str(q.object), str(q.graph_name))
            for q in s
            if not isinstance(q.subject, ox.BlankNode) and not isinstance(q.object, ox.BlankNode)
        )

    assert len(store) == len(converted)
    assert quads(store) == quads(converted)


def test_graph_arguments_give_the_same_answer(store: ox.Store, loaded: Loaded, graph: Graph, tmp_path: Path) -> None:
    expected = run(store, "leaders", land="land:hamburg")
    dump = tmp_path / "g.nq"
    store.dump(output=str(dump), format=ox.RdfFormat.N_QUADS)
    for source in (loaded, graph, store, dump, str(dump), loaded.dataset):
        assert query(name="leaders", graph=source, bind={"land": "land:hamburg"}).rows == expected, type(source)
    with pytest.raises(InputError, match="cannot query a dict"):
        query("ASK {}", graph={})


# --------------------------------------------------------------------------- Python API


def test_query_returns_rows_values_and_ask_booleans() -> None:
    result = query("SELECT ?code WHERE { land:bremen egov:isoCode ?code ; egov:regionalKey ?key }")
    assert result.variables == ("code",) and len(result) == 1 and result
    assert result.rows == [{"code": Literal("DE-HB")}]
    assert list(result) == result.rows
    numbers = query("SELECT ?n WHERE { quantity:bremen-fokusleistungen schema:value ?n }")
    assert numbers.values() == [{"n": 12}]
    assert query("ASK { land:bremen a egov:Land }").boolean is True
    no = query("ASK { land:bremen a egov:Ministry }")
    assert no.boolean is False and not no


def test_bind_accepts_python_values_and_terms() -> None:
    text = "SELECT ?x WHERE { }"
    assert query(text, bind={"x": 2025}).rows[0]["x"] == Literal(2025)
    assert query(text, bind={"x": True}).rows[0]["x"] == Literal(True)
    assert query(text, bind={"x": 1.5}).rows[0]["x"] == Literal(1.5)
    assert query(text, bind={"x": URIRef(ID + "land/bremen")}).rows[0]["x"] == URIRef(ID + "land/bremen")
    assert query(text, bind={"x": Literal("Bremen", lang="de")}).rows[0]["x"] == Literal("Bremen", lang="de")
    assert query(text, bind={"x": "land:bremen"}).rows[0]["x"] == URIRef(ID + "land/bremen")
    with pytest.raises(QueryError, match="cannot bind a list"):
        query(text, bind={"x": [1]})


def test_construct_and_describe_give_graphs() -> None:
    result = query("CONSTRUCT { ?p foaf:name ?n } WHERE { ?m org:role role:cdo ; org:member ?p . ?p foaf:name ?n }")
    assert result.form == "CONSTRUCT"
    g = result.graph()
    name = URIRef("http://xmlns.com/foaf/0.1/name")
    assert (iri("person", "christian-pfromm"), name, Literal("Christian Pfromm")) in g
    described = query("DESCRIBE person:christian-pfromm")
    assert described.form == "DESCRIBE" and len(described) >= 5


def test_to_dataframe_uses_pandas_when_installed() -> None:
    result = query(name="lands")
    try:
        import pandas  # noqa: F401
    except ImportError:
        with pytest.raises(EgovGraphError, match="pip install pandas"):
            result.to_dataframe()
        return
    frame = result.to_dataframe()
    assert list(frame.columns) == list(result.variables) and len(frame) == 16
    assert frame.loc[frame["isoCode"] == "DE-HB", "regionalKey"].item() == "04"


def test_package_exposes_query_lazily() -> None:
    import egovgraph

    try:
        egovgraph.query  # type: ignore[attr-defined]  # noqa: B018
    except AttributeError:
        pytest.skip("egovgraph/__init__.py does not expose query yet (lines proposed to the lead)")
    assert egovgraph.query is sparql.query  # type: ignore[attr-defined]
    assert egovgraph.query(name="lands", limit=2).truncated  # type: ignore[attr-defined]


def test_labels_come_from_the_store(store: ox.Store) -> None:
    result = execute(prepare("SELECT ?p WHERE { ?m org:role role:cdo ; org:member ?p }"), store)
    labels = result.labels("de")
    assert labels[ID + "person/christian-pfromm"] == "Christian Pfromm"
    assert sparql.labels(store, [ID + "land/bavaria-does-not-exist", ID + "land/bayern"], "en") == {
        ID + "land/bayern": "Bavaria"
    }


# --------------------------------------------------------------------------- limits and the deadline


def test_result_is_capped_at_the_limit(store: ox.Store) -> None:
    capped = execute(prepare(name="lands"), store, limit=5)
    assert len(capped) == 5 and capped.truncated and capped.limit == 5
    whole = execute(prepare(name="lands"), store, limit=16)
    assert len(whole) == 16 and not whole.truncated
    graph = execute(prepare("CONSTRUCT WHERE { ?s a egov:Land }"), store, limit=3)
    assert len(graph) == 3 and graph.truncated


def test_a_runaway_query_is_stopped_at_the_deadline(store: ox.Store) -> None:
    started = time.monotonic()
    with pytest.raises(QueryTimeout, match=r"did not finish within 1 s and was stopped"):
        execute(prepare(RUNAWAY), store, timeout=1)
    assert time.monotonic() - started < 5
    assert execute(prepare(name="lands"), store, timeout=1).rows  # the store is still fine


def test_the_thread_fallback_also_keeps_the_deadline(monkeypatch: pytest.MonkeyPatch) -> None:
    small = ox.Store()
    for i in range(150):
        small.add(
            ox.Quad(ox.NamedNode(f"http://example.org/{i}"), ox.NamedNode("http://example.org/p"), ox.Literal(str(i)))
        )
    monkeypatch.setattr(deadline, "FORK", False)
    three_way = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"  # finite: 3.4M rows
    with pytest.raises(QueryTimeout):
        execute(prepare(three_way), small, timeout=0.05)
    assert execute(prepare("ASK { ?s ?p ?o }"), small, timeout=5).boolean is True


def test_engine_errors_become_query_errors(store: ox.Store) -> None:
    with pytest.raises(QueryError, match="syntax error at line 1"):
        execute(prepare("SELECT ?x WHERE { ?x ?y }"), store)
    with pytest.raises(QueryError, match="timeout 0 must be a positive number"):
        execute(prepare(name="lands"), store, timeout=0)
    with pytest.raises(QueryError, match="limit 0 must be at least 1"):
        execute(prepare(name="lands"), store, limit=0)


# --------------------------------------------------------------------------- safety


REFUSED = {
    "SELECT * WHERE { SERVICE <http://127.0.0.1:9/x> { ?s ?p ?o } }": "SERVICE is refused",
    "select * where { ?s ?p ?o OPTIONAL { service silent <http://example.org/sparql> { ?s ?q ?r } } }": (
        "SERVICE is refused"
    ),
    "SELECT * WHERE { FILTER EXISTS { SERVICE ?endpoint { ?s ?p ?o } } }": "SERVICE is refused",
    "SELECT * FROM <file:///etc/passwd> WHERE { ?s ?p ?o }": "FROM / FROM NAMED is refused",
    "SELECT * FROM NAMED <http://example.org/g> WHERE { GRAPH ?g { ?s ?p ?o } }": "FROM / FROM NAMED is refused",
    "CONSTRUCT { ?s ?p ?o } FROM <https://example.org/remote.ttl> WHERE { ?s ?p ?o }": "FROM / FROM NAMED",
    "DESCRIBE ?s FROM <http://example.org/x> WHERE { ?s ?p ?o }": "FROM / FROM NAMED is refused",
    "LOAD <http://example.org/data.ttl>": "LOAD is refused",
    "LOAD SILENT <file:///etc/passwd> INTO GRAPH <http://example.org/g>": "LOAD is refused",
    "INSERT DATA { <http://example.org/a> <http://example.org/b> <http://example.org/c> }": "updates are refused",
    "DELETE WHERE { ?s ?p ?o }": "updates are refused",
    "PREFIX ex: <http://example.org/> DELETE { ?s ?p ?o } INSERT { ?s ex:q ?o } WHERE { ?s ?p ?o }": (
        "updates are refused"
    ),
    "CLEAR ALL": "updates are refused",
    "DROP GRAPH <http://example.org/g>": "updates are refused",
    "WITH <http://example.org/g> DELETE { ?s ?p ?o } WHERE { ?s ?p ?o }": "updates are refused",
}
ALLOWED = [
    'SELECT ?from WHERE { ?from rdfs:label "SERVICE FROM LOAD INSERT" }',
    "SELECT * WHERE { ?s ?p <http://example.org/SERVICE#FROM> }",
    "SELECT * WHERE { ?s a service:wohngeld-online } # SERVICE <http://example.org/> FROM <file:///x>",
    "SELECT ?service ?load WHERE { ?service egov:builtBy ?load }",
    "PREFIX from: <http://example.org/from#> SELECT * WHERE { ?s from:load ?o }",
    "SELECT * WHERE { ?s rdfs:comment '''multi\nline SERVICE\n''' }",
    "SELECT * WHERE { GRAPH <https://w3id.org/egovgraph/graph/egovernment-bilanz-teil-3> { ?s ?p ?o } }",
]


@pytest.mark.parametrize("text", list(REFUSED))
def test_refusals(text: str) -> None:
    with pytest.raises(QueryRefused, match=REFUSED[text]) as err:
        check(text)
    assert "line 1, column" in str(err.value) and "^" in str(err.value)


@pytest.mark.parametrize("text", ALLOWED)
def test_the_same_words_elsewhere_are_allowed(text: str) -> None:
    check(text)


def _rdflib_says_unsafe(text: str) -> bool:
    """The oracle: rdflib's parsed algebra has a SERVICE, a dataset clause, or is an update."""
    from rdflib.plugins.sparql import algebra
    from rdflib.plugins.sparql.parser import parseQuery, parseUpdate

    prologue = "".join(f"PREFIX {p}: <{ns}>\n" for p, ns in QUERY_PREFIXES.items())
    try:
        tree = algebra.translateQuery(parseQuery(prologue + text))
    except Exception:
        parseUpdate(prologue + text)
        return True
    found: list[str] = []

    def visit(node: Any) -> None:
        if getattr(node, "name", None) == "ServiceGraphPattern":
            found.append("service")

    algebra.traverse(tree.algebra, visitPre=visit)
    return bool(found) or bool(tree.algebra.get("datasetClause"))


@pytest.mark.parametrize("text", list(REFUSED) + ALLOWED)
def test_refusals_agree_with_rdflibs_parsed_algebra(text: str) -> None:
    try:
        check(text)
        ours = False
    except QueryRefused:
        ours = True
    assert ours == _rdflib_says_unsafe(text)


def test_service_never_reaches_the_network(store: ox.Store) -> None:
    """A real listener on localhost: if the refusal failed, pyoxigraph would connect to it."""
    with recording_listener(1.5) as listener, pytest.raises(QueryRefused):
        query(f"SELECT * WHERE {{ SERVICE <http://127.0.0.1:{listener.port}/sparql> {{ ?s ?p ?o }} }}", graph=store)
    assert listener.contacted == []


# --------------------------------------------------------------------------- errors


def test_syntax_error_shows_line_column_caret_and_expectation() -> None:
    with pytest.raises(QueryError) as err:
        query("SELECT ?s WHERE {\n  ?s ?p ?o .\n  BIND(?o AS 5)\n}")
    assert str(err.value) == (
        'syntax error at line 3, column 14: expected one of "$", "?", NOT\n  3 |   BIND(?o AS 5)\n                   ^'
    )


def test_unbalanced_brackets_are_pointed_at() -> None:
    with pytest.raises(QueryError) as err:
        query("SELECT * WHERE {\n  ?s ?p ?o .\n  FILTER(?o > 5\n}")
    assert str(err.value) == (
        "syntax error at line 4, column 1: expected ')' to close the '(' opened at line 3, "
        "column 9, found '}'\n  4 | }\n      ^"
    )
    with pytest.raises(QueryError, match=r"line 1, column 16: '\{' is never closed"):
        query("SELECT * WHERE { ?s ?p ?o")
    with pytest.raises(QueryError, match=r"line 1, column 28: '\}' closes nothing"):
        query("SELECT * WHERE { ?s ?p ?o }}")


def test_syntax_error_positions_ignore_injected_bindings() -> None:
    text = "SELECT ?x WHERE { ?x ?p ?o . BIND(?o AS 5) }"
    with pytest.raises(QueryError) as err:
        query(text, bind={"x": "land:bremen"})
    assert str(err.value).startswith("syntax error at line 1, column 41:")
    assert str(err.value).endswith(f"  1 | {text}\n" + " " * 46 + "^")


def test_unknown_prefix_names_it_and_lists_the_declared_ones() -> None:
    with pytest.raises(QueryError) as err:
        query("SELECT ?s WHERE {\n  ?s egv:status ?o }")
    message = str(err.value)
    assert message.startswith("unknown prefix 'egv:' at line 2, column 6 — did you mean 'egov:'?")
    assert "Declared prefixes: " in message and "egov, evidence" in message
    with pytest.raises(QueryError, match=r"Declared prefixes: .*zz"):
        query("PREFIX zz: <http://example.org/> SELECT * WHERE { ?s yy:p zz:o }")


def test_bind_errors() -> None:
    with pytest.raises(QueryError, match=r"--bind lnad: the query has no variable \?lnad — did you mean \?land\?"):
        prepare(name="leaders", bind_values={"lnad": "land:bremen"})
    with pytest.raises(QueryError, match="expected NAME=VALUE"):
        parse_bind("land")
    with pytest.raises(QueryError, match="unknown prefix 'lnd:'"):
        parse_value("lnd:bremen")
    with pytest.raises(QueryError, match="blank nodes cannot be bound"):
        parse_value("_:b0")
    with pytest.raises(QueryError, match="not closed"):
        parse_value('"open')
    with pytest.raises(QueryError, match="not a valid IRI"):
        parse_value("<not an iri>")
    with pytest.raises(QueryError, match="short form CONSTRUCT WHERE"):
        prepare("CONSTRUCT WHERE { ?s ?p ?o }", bind_values={"s": 1})
    with pytest.raises(QueryError, match="needs a WHERE"):
        prepare("DESCRIBE ?x", bind_values={"x": "land:bremen"})
    with pytest.raises(QueryError, match="either a SPARQL query or the name"):
        prepare()
    with pytest.raises(QueryError, match="the query is empty"):
        prepare("  \n")


def test_bind_values() -> None:
    xsd = "http://www.w3.org/2001/XMLSchema#"
    cases = {
        "land:bremen": ox.NamedNode(ID + "land/bremen"),
        "<https://example.org/a>": ox.NamedNode("https://example.org/a"),
        "https://example.org/b?c=d": ox.NamedNode("https://example.org/b?c=d"),
        "2025": ox.Literal("2025", datatype=ox.NamedNode(xsd + "integer")),
        "-1.5": ox.Literal("-1.5", datatype=ox.NamedNode(xsd + "decimal")),
        "1e3": ox.Literal("1e3", datatype=ox.NamedNode(xsd + "double")),
        "true": ox.Literal("true", datatype=ox.NamedNode(xsd + "boolean")),
        '"Bremen"@DE': ox.Literal("Bremen", language="de"),
        "'x\\ty'": ox.Literal("x\ty"),
        '"2024-12"^^xsd:gYearMonth': ox.Literal("2024-12", datatype=ox.NamedNode(xsd + "gYearMonth")),
        "de": ox.Literal("de"),
        "2024-12": ox.Literal("2024-12"),
        "Carola Heilemann-Jeschke": ox.Literal("Carola Heilemann-Jeschke"),
        "12:30": ox.Literal("12:30"),
    }
    for text, term in cases.items():
        assert parse_value(text) == term, text
    assert parse_bind("?year=2025") == ("year", "2025")
    assert parse_bind("q=a=b") == ("q", "a=b")


_lang = st.sampled_from(["de", "en", "de-at"])
_datatype = st.sampled_from(["http://www.w3.org/2001/XMLSchema#" + t for t in ("integer", "date", "gYear", "anyURI")])
_text = st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=40)
_iri = st.from_regex(r"https://example\.org/[a-z0-9_\-]{0,12}(#[a-z]{1,5})?", fullmatch=True)
_terms = st.one_of(
    _iri.map(ox.NamedNode),
    _text.map(ox.Literal),
    st.builds(lambda v, lang: ox.Literal(v, language=lang), _text, _lang),
    st.builds(lambda v, dt: ox.Literal(v, datatype=ox.NamedNode(dt)), _text, _datatype),
)


@given(_terms)
def test_bind_values_round_trip_through_sparql_syntax(term: Any) -> None:
    assert parse_value(term_to_sparql(term)) == term


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(_terms)
def test_bound_values_reach_the_engine_unchanged(term: Any) -> None:
    """The escaping is right for a real SPARQL parser: what is bound is what comes back."""
    result = execute(prepare("SELECT ?x WHERE { }", bind_values={"x": term}), ox.Store(), timeout=None)
    assert result.solutions == ((term,),)


@given(st.text(max_size=30))
def test_any_bind_text_is_a_term_or_a_clear_error(text: str) -> None:
    try:
        term = parse_value(text)
    except QueryError as err:
        assert "bind value" in str(err)
        return
    assert isinstance(term, ox.NamedNode | ox.Literal)


def test_tokenizer_keeps_strings_iris_and_prefixed_names_whole() -> None:
    tokens = tokenize('SELECT ?x WHERE { ?x a service:wohngeld-online ; rdfs:label "a \\" SERVICE" } # FROM')
    kinds = [(t.kind, t.text) for t in tokens]
    assert ("pname", "service:wohngeld-online") in kinds
    assert ("string", '"a \\" SERVICE"') in kinds
    assert not any(t.kind == "word" and t.upper in ("SERVICE", "FROM") for t in tokens)


# --------------------------------------------------------------------------- result formats


def _sample(store: ox.Store) -> QueryResult:
    return execute(
        prepare(
            "SELECT ?s ?label ?n ?date ?none WHERE { { VALUES (?s ?label ?n ?date) { "
            '(land:bremen "Bremen, \\"FHB\\"\\tHB\\nline 2"@de 12 "2024-12"^^xsd:gYearMonth) } } UNION { '
            'BIND(BNODE() AS ?s) BIND("a,b|c" AS ?label) BIND(1.5 AS ?n) BIND("x" AS ?date) } } '
            "ORDER BY DESC(isIRI(?s))"
        ),
        store,
    )


def _terms_of(result: QueryResult) -> list[tuple[Any, ...]]:
    return [tuple(to_rdflib(t) for t in row) for row in result.solutions]


def test_json_and_xml_parse_back_with_rdflib(store: ox.Store) -> None:
    result = _sample(store)
    for fmt in ("json", "xml"):
        text = results.render(result, fmt)
        parsed = Result.parse(io.StringIO(text), format=fmt)
        assert [str(v) for v in parsed.vars] == list(result.variables)
        back = [tuple(row.get(v) for v in parsed.vars) for row in parsed.bindings]
        expected = _terms_of(result)
        assert back[0] == expected[0]
        assert back[1][1:] == expected[1][1:]  # a parser may relabel the blank node
    doc = json.loads(results.render(result, "json"))
    assert doc["results"]["bindings"][0]["label"] == {
        "type": "literal",
        "value": 'Bremen, "FHB"\tHB\nline 2',
        "xml:lang": "de",
    }
    assert doc["results"]["bindings"][1]["s"]["type"] == "bnode"
    root = ET.fromstring(results.render(result, "xml"))
    ns = {"r": "http://www.w3.org/2005/sparql-results#"}
    assert [v.get("name") for v in root.findall("r:head/r:variable", ns)] == list(result.variables)


def test_csv_by_column(store: ox.Store) -> None:
    text = results.render(_sample(store), "csv")
    assert text.endswith("\r\n") and text.split("\r\n")[0] == "s,label,n,date,none"
    rows = list(csv.reader(io.StringIO(text, newline="")))
    assert rows[0] == ["s", "label", "n", "date", "none"]
    assert rows[1] == [ID + "land/bremen", 'Bremen, "FHB"\tHB\nline 2', "12", "2024-12", ""]
    assert rows[2][0].startswith("_:") and rows[2][1:] == ["a,b|c", "1.5", "x", ""]


def test_tsv_by_column_and_with_rdflib(store: ox.Store) -> None:
    result = _sample(store)
    text = results.render(result, "tsv")
    lines = text.rstrip("\n").split("\n")
    assert lines[0] == "?s\t?label\t?n\t?date\t?none"
    assert lines[1].split("\t") == [
        f"<{ID}land/bremen>",
        '"Bremen, \\"FHB\\"\\tHB\\nline 2"@de',
        "12",
        '"2024-12"^^<http://www.w3.org/2001/XMLSchema#gYearMonth>',
        "",
    ]
    parsed = Result.parse(io.StringIO(text), format="tsv")
    back = [tuple(row.get(v) for v in parsed.vars) for row in parsed.bindings]
    assert [r[1:] for r in back] == [r[1:] for r in _terms_of(result)]


def test_markdown_and_table(store: ox.Store) -> None:
    result = _sample(store)
    md = results.render(result, "md").splitlines()
    assert md[0] == "| s | label | n | date | none |" and md[1] == "|---|---|---|---|---|"
    assert md[2] == '| land:bremen | Bremen, "FHB"\tHB<br>line 2 | 12 | 2024-12 |  |'
    assert "a,b\\|c" in md[3]
    table = results.render(result, "table", labels={ID + "land/bremen": "Bremen (Land)"}).splitlines()
    assert table[0].split() == ["s", "label", "n", "date", "none"]
    assert table[2].split("  ")[0] == "Bremen (Land)" and 'Bremen, "FHB" HB line 2' in table[2]
    assert table[-1] == "(2 rows)"
    assert table[2].index("Bremen, ") == table[0].index("label")  # aligned columns


def test_ask_in_every_select_format(store: ox.Store) -> None:
    yes = execute(prepare("ASK { land:bremen a egov:Land }"), store)
    for fmt in ("table", "tsv", "csv", "md"):
        assert results.render(yes, fmt) == "true\n"
    assert Result.parse(io.StringIO(results.render(yes, "json")), format="json").askAnswer is True
    no = execute(prepare("ASK { land:bremen a egov:Ministry }"), store)
    assert Result.parse(io.StringIO(results.render(no, "xml")), format="xml").askAnswer is False


@pytest.mark.parametrize("fmt,rdflib_format", [("ttl", "turtle"), ("nt", "nt"), ("jsonld", "json-ld")])
def test_graph_formats_parse_back(store: ox.Store, fmt: str, rdflib_format: str) -> None:
    result = execute(prepare("DESCRIBE initiative:bremen-paypal-buergeraemter"), store)
    parsed = Graph().parse(data=results.render(result, fmt), format=rdflib_format)
    assert set(parsed) == set(result.graph())
    assert len(parsed) == len(result) >= 6


def test_formats_are_checked_against_the_query_form() -> None:
    with pytest.raises(InputError, match="format 'ttl' is for CONSTRUCT/DESCRIBE results"):
        results.check_format("SELECT", "ttl")
    with pytest.raises(InputError, match="written as ttl, nt, jsonld"):
        results.check_format("CONSTRUCT", "csv")
    assert results.default_format("SELECT", terminal=True) == "table"
    assert results.default_format("SELECT", terminal=False) == "tsv"
    assert results.default_format("DESCRIBE", terminal=True) == "ttl"
    assert results.compact(ID + "land/bremen") == "land:bremen"
    assert results.compact("http://example.org/x") == "http://example.org/x"


_bnode = st.from_regex(r"b[a-z0-9]{1,8}", fullmatch=True).map(ox.BlankNode)
_cell = st.one_of(st.none(), _terms, _bnode)


_XML_CANNOT = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


@settings(max_examples=80, deadline=None)
@given(st.lists(st.tuples(_cell, _cell), max_size=5))
def test_results_round_trip_through_json_xml_tsv_and_csv(rows: list[tuple[Any, Any]]) -> None:
    variables = ("a", "b")
    expected = [tuple(to_rdflib(t) for t in row) for row in rows]
    xml_safe = not any(t is not None and _XML_CANNOT.search(t.value) for row in rows for t in row)
    writers = [("json", results.to_json), ("tsv", results.to_tsv)] + ([("xml", results.to_xml)] if xml_safe else [])
    for fmt, write in writers:
        parsed = Result.parse(io.StringIO(write(variables, rows)), format=fmt)
        back = [tuple(row.get(v) for v in parsed.vars) for row in parsed.bindings]
        assert back == expected, fmt
    if not xml_safe:
        with pytest.raises(InputError, match="which XML cannot carry"):
            results.to_xml(variables, rows)
    table = list(csv.reader(io.StringIO(results.to_csv(variables, rows), newline="")))
    assert table[1:] == [
        ["" if t is None else f"_:{t.value}" if isinstance(t, ox.BlankNode) else t.value for t in row] for row in rows
    ]


def test_dump_errors(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="does not exist"):
        load_dump(tmp_path / "missing.nq")
    odd = tmp_path / "graph.xyz"
    odd.write_text("x")
    with pytest.raises(InputError, match="unknown RDF file extension"):
        load_dump(odd)
    bad = tmp_path / "bad.nt"
    bad.write_text("<http://example.org/a> <http://example.org/b> .\n")
    with pytest.raises(InputError, match=r"bad\.nt line 1"):
        load_dump(bad)


def test_broken_data_file_is_reported_like_load_does(data_copy: Path) -> None:
    broken = data_copy / "sources" / "egovernment-bilanz-teil-3.ttl"
    broken.write_text(
        broken.read_text(encoding="utf-8").replace("a egov:Source", "a egov:Source ;;; ]", 1), encoding="utf-8"
    )
    with pytest.raises(InputError, match=r"egovernment-bilanz-teil-3\.ttl line"):
        open_store(data_dir=data_copy)
