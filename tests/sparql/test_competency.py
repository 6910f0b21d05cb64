"""Competency questions: what researchers ask of the graph, with the exact answers the sources give."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from click.testing import CliRunner
from rdflib import Graph, Literal, URIRef

from egovgraph.cli import main
from egovgraph.graph.oxigraph import open_store
from egovgraph.sparql.run import execute, prepare
from egovgraph.vocab.namespaces import PREFIXES

HEADER = (
    "\n".join(f"PREFIX {p}: <{ns}>" for p, ns in PREFIXES.items())
    + """
PREFIX land: <https://w3id.org/egovgraph/id/land/>
PREFIX person: <https://w3id.org/egovgraph/id/person/>
PREFIX initiative: <https://w3id.org/egovgraph/id/initiative/>
PREFIX service: <https://w3id.org/egovgraph/id/service/>
PREFIX portal: <https://w3id.org/egovgraph/id/portal/>
PREFIX themenfeld: <https://w3id.org/egovgraph/id/themenfeld/>
PREFIX source: <https://w3id.org/egovgraph/id/source/>
"""
)

# The start and end of a membership as xsd:date strings, at the precision the source gives:
# a year-month starts on its first day, a year on 1 January; an end of year ends on 31 December.
PERIOD = """
  OPTIONAL { ?m org:memberDuring/time:hasBeginning ?b .
    OPTIONAL { ?b time:inXSDDate ?bd } OPTIONAL { ?b time:inXSDgYearMonth ?bm } ?b time:inXSDgYear ?by . }
  OPTIONAL { ?m org:memberDuring/time:hasEnd ?e .
    OPTIONAL { ?e time:inXSDDate ?ed } OPTIONAL { ?e time:inXSDgYearMonth ?em } ?e time:inXSDgYear ?ey . }
  BIND(COALESCE(STR(?bd), CONCAT(STR(?bm), "-01"), CONCAT(STR(?by), "-01-01"), "0000-01-01") AS ?start)
  BIND(COALESCE(STR(?ed), CONCAT(STR(?em), "-31"), CONCAT(STR(?ey), "-12-31"), "9999-12-31") AS ?end)
"""


def local(term: object) -> str:
    if isinstance(term, URIRef):
        return str(term).rstrip("/").rsplit("/", 1)[-1].rsplit("#", 1)[-1]
    if isinstance(term, Literal):
        return str(term)
    return "" if term is None else str(term)


def answer(graph: Graph, query: str) -> set[tuple[str, ...]]:
    return {tuple(local(v) for v in row) for row in graph.query(HEADER + query)}  # type: ignore[union-attr]


def holder(role: str, land: str, day: str) -> str:
    return f"""SELECT ?name WHERE {{
      ?m org:role role:{role} ; org:organization land:{land} ; org:member/foaf:name ?name .
      {PERIOD}
      FILTER("{day}" >= ?start && "{day}" <= ?end) }}"""


QUESTIONS: list[tuple[str, str, set[tuple[str, ...]]]] = [
    (
        "who is Bremen's CIO",
        "SELECT ?name WHERE { ?m org:organization land:bremen ; org:role role:cio ; org:member/foaf:name ?name }",
        {("Carola Heilemann-Jeschke",)},
    ),
    (
        "who is Hamburg's CDO and since when",
        "SELECT ?name ?since WHERE { ?m org:organization land:hamburg ; org:role role:cdo ;"
        " org:member/foaf:name ?name ;"
        " org:memberDuring/time:hasBeginning/time:inXSDgYear ?since }",
        {("Christian Pfromm", "2018")},
    ),
    (
        "who was CIO of Nordrhein-Westfalen on 1 June 2024",
        holder("cio", "nordrhein-westfalen", "2024-06-01"),
        {("Daniel Sieveke",)},
    ),
    (
        "nobody is recorded as CIO of Nordrhein-Westfalen on 1 May 2024",
        holder("cio", "nordrhein-westfalen", "2024-05-01"),
        set(),
    ),
    ("Thüringen's CIO in 2024 but not in 2025", holder("cio", "thueringen", "2024-12-31"), {("Hartmut Schubert",)}),
    ("Thüringen's CIO in March 2025", holder("cio", "thueringen", "2025-03-01"), set()),
    ("Thüringen's CIO in July 2025 (since June 2025)", holder("cio", "thueringen", "2025-07-01"), {("Milen Starke",)}),
    ("Rheinland-Pfalz's CIO in June 2024", holder("cio", "rheinland-pfalz", "2024-06-15"), {("Fedor Ruhose",)}),
    ("Rheinland-Pfalz's CIO in September 2024", holder("cio", "rheinland-pfalz", "2024-09-01"), {("Denis Alt",)}),
    ("Hessen's CIO in February 2025", holder("cio", "hessen", "2025-02-01"), {("Ralf Stettner",)}),
    ("Hessen's CIO in June 2025", holder("cio", "hessen", "2025-06-01"), {("Louisa Solonar-Unterasinger",)}),
    (
        "Mecklenburg-Vorpommern's CIO in June 2025",
        holder("cio", "mecklenburg-vorpommern", "2025-06-15"),
        {("Ina-Maria Ulbrich",)},
    ),
    (
        "nobody is CIO of Mecklenburg-Vorpommern in September 2025",
        holder("cio", "mecklenburg-vorpommern", "2025-09-01"),
        set(),
    ),
    (
        "who was CIO of Sachsen-Anhalt in November 2021 (since October 2021)",
        holder("cio", "sachsen-anhalt", "2021-11-15"),
        {("Bernd Schlömer",)},
    ),
    (
        "what is planned for 2025 and by whom",
        "SELECT ?x ?land WHERE { ?x egov:status status:planned ; egov:responsibleOrganisation ?land ;"
        " dct:temporal/time:inXSDgYear ?y . FILTER(STR(?y) = '2025') }",
        {
            ("bremen-paypal-buergeraemter", "bremen"),
            ("bremen-konsolidierung-2025", "bremen"),
            ("bremen-schwerpunkte-2025", "bremen"),
            ("hamburg-ende-zu-ende-digitalisierung", "hamburg"),
            ("hamburg-registermodernisierung", "hamburg"),
            ("hamburg-digitalstrategie-2025", "hamburg"),
            ("hessen-novelle-egovernment-gesetz", "hessen"),
            ("mecklenburg-vorpommern-cio-neubesetzung", "mecklenburg-vorpommern"),
            ("it-planungsrat-gemeinsame-efa-finanzierung-2025", "it-planungsrat"),
        },
    ),
    (
        "what Hamburg plans for the start of 2025",
        "SELECT ?x WHERE { ?x egov:responsibleOrganisation land:hamburg ; dct:temporal ?t ."
        " ?t time:inXSDgYear ?y ; egov:yearPart yearpart:start . FILTER(STR(?y) = '2025') }",
        {("hamburg-digitalstrategie-2025",)},
    ),
    (
        "which Länder reuse Schleswig-Holstein's online housing benefit",
        "SELECT ?reuser WHERE { service:wohngeld-online egov:builtBy land:schleswig-holstein ; egov:reusedBy ?reuser }",
        {("mecklenburg-vorpommern",), ("hessen",), ("nordrhein-westfalen",)},
    ),
    (
        "services with a count of reusers but no names",
        "SELECT ?service ?n ?q WHERE { ?service egov:reuseCount ?c . ?c egov:countQualifier ?q ."
        " OPTIONAL { ?c schema:value ?n } }",
        {
            ("kfz-zulassung", "11", "exactly"),
            ("breitband-portal", "", "almost-all"),
            ("aufenthalt-digital", "12", "exactly"),
            ("unterhaltsvorschuss-online", "13", "exactly"),
        },
    ),
    (
        "at which level and from when Sachsen-Anhalt reuses Aufenthalt Digital, and through which authority",
        "SELECT ?level ?date ?unit WHERE { ?r a egov:Reuse ; egov:solution service:aufenthalt-digital ;"
        " egov:participant land:sachsen-anhalt ; egov:cooperationLevel ?level ; dct:date ?date ;"
        " egov:participantUnit ?unit }",
        {("some-authorities", "2023-08", "landkreis-harz")},
    ),
    (
        "which Länder piloted Unterhaltsvorschuss Online besides Bremen, and when",
        "SELECT ?land ?date WHERE { ?r a egov:Reuse ; egov:solution service:unterhaltsvorschuss-online ;"
        " egov:participant ?land ; egov:cooperationLevel level:pilot ; dct:date ?date }",
        {("hamburg", "2021-05-05"), ("nordrhein-westfalen", "2021-05-05")},
    ),
    (
        "which Länder use the AI assistant LLMoin from Hamburg",
        "SELECT ?land WHERE { <https://w3id.org/egovgraph/id/platform/llmoin> egov:provider land:hamburg ;"
        " egov:usedBy ?land }",
        {("bremen",), ("niedersachsen",), ("rheinland-pfalz",), ("sachsen-anhalt",)},
    ),
    (
        "who develops the digital naturalisation application with Nordrhein-Westfalen, and how",
        "SELECT ?land ?level WHERE { ?r a egov:CoDevelopment ; egov:solution service:einbuergerung-digital ;"
        " egov:provider land:nordrhein-westfalen ; egov:participant ?land ; egov:cooperationLevel ?level }",
        {("bayern", "joint-development"), ("brandenburg", "support")},
    ),
    (
        "which Länder joined the Beteiligungsportal's developer community",
        "SELECT ?land WHERE { service:beteiligungsportal egov:developmentPartner ?land }",
        {("nordrhein-westfalen",), ("hessen",), ("sachsen-anhalt",)},
    ),
    (
        "the source and evidence of Bremen's PayPal plan",
        "SELECT ?quote ?url WHERE { initiative:bremen-paypal-buergeraemter egov:hasEvidence ?e ."
        " ?e egov:quote ?quote ; prov:entity ?s . ?s schema:url ?url }",
        {("2025 soll Paypal hinzukommen.", "die-egovernment-bilanz-teil-3-a-c9f0a4b022712f79be86df0e4c00b1c7")},
    ),
    (
        "which technologies Bremen and Hamburg share",
        "SELECT DISTINCT ?tech WHERE { ?a egov:responsibleOrganisation land:bremen ; egov:usesTechnology ?tech ."
        " ?b egov:responsibleOrganisation land:hamburg ; egov:usesTechnology ?tech }",
        # once-only: the joint Bundesrat initiative ELFE of Bremen, Hamburg, Schleswig-Holstein and Thüringen
        {("artificial-intelligence",), ("once-only",)},
    ),
    (
        "which Länder use AI (by label KI)",
        "SELECT DISTINCT ?land WHERE { ?tech skos:altLabel 'KI'@de . ?x egov:usesTechnology ?tech ;"
        " egov:responsibleOrganisation ?land . ?land a egov:Land }",
        {("baden-wuerttemberg",), ("bremen",), ("hamburg",)},
    ),
    (
        "statements by Christian Pfromm",
        "SELECT ?s WHERE { ?s a egov:Statement ; prov:wasAttributedTo person:christian-pfromm }",
        {("pfromm-rollout",), ("pfromm-zugang",), ("pfromm-agenda",)},
    ),
    (
        "the Themenfeld Bremen leads, with its federal ministry",
        "SELECT ?tf ?ministry WHERE { ?tf egov:leadLand land:bremen ; egov:leadMinistry ?ministry }",
        {("familie-und-kind", "bmfsfj")},
    ),
    (
        "Themenfelder led by two Länder",
        "SELECT ?tf WHERE { ?tf egov:leadLand ?a , ?b FILTER(STR(?a) < STR(?b)) }",
        {("mobilitaet-und-reisen",), ("umwelt",)},
    ),
    (
        "which portal was integrated into which",
        "SELECT ?a ?b WHERE { ?a egov:integratedInto ?b }",
        {
            ("einheitlicher-ansprechpartner-bremen", "serviceportal-bremen"),
            ("servicekonto-schleswig-holstein", "serviceportal-schleswig-holstein"),
        },
    ),
    (
        "Bremen's focus-service target: how many, of how many, by when",
        "SELECT ?n ?total ?year ?part WHERE { initiative:bremen-fokusleistungen egov:quantity ?q ; egov:dueBy ?t ."
        " ?q schema:value ?n ; egov:ofTotal ?total . ?t time:inXSDgYear ?year ; egov:yearPart ?part }",
        {("12", "15", "2024", "end")},
    ),
    (
        "Baden-Württemberg's OZG funding by period",
        "SELECT ?value ?cur ?period WHERE { ?f a egov:Funding ; schema:funder land:baden-wuerttemberg ;"
        " schema:amount ?a ; dct:temporal ?period . ?a schema:value ?value ; schema:currency ?cur }",
        {("80000000", "EUR", "2023-2024"), ("40000000", "EUR", "2025-2026")},
    ),
    (
        "the agreements Bremen's CIO says Bremen fulfils, with their types",
        "SELECT ?agreement ?type WHERE { initiative:bremen-efa-verpflichtungen egov:concerns ?agreement ."
        " ?agreement egov:agreementType ?type }",
        {("ozg-dachabkommen", "dachabkommen"), ("einzelvereinbarung-familie-und-kind", "einzelvereinbarung")},
    ),
    (
        "when the Dachabkommen was concluded and how many parties it has",
        "SELECT ?date (COUNT(?p) AS ?n) WHERE { <https://w3id.org/egovgraph/id/agreement/ozg-dachabkommen>"
        " dct:issued ?date ; egov:party ?p } GROUP BY ?date",
        {("2021-01-30", "17")},
    ),
    (
        "what Bremen completed in 2024",
        "SELECT ?x WHERE { ?x egov:responsibleOrganisation land:bremen ; egov:status status:completed ;"
        " dct:temporal/time:inXSDgYear ?y FILTER(STR(?y) = '2024') }",
        {
            # "in diesem Jahr" of the December 2024 article: the appointment infrastructure, the pick-up
            # station and the specialist departments' projects with their examples.
            ("bremen-online-terminvergabe",),
            ("bremen-abholstation",),
            ("bremen-fachressorts",),
            ("bremen-kartenzahlung-buergeraemter",),
            ("bremen-digitale-sozial-und-jugendhilfe",),
            ("bremen-integration-einheitlicher-ansprechpartner",),
        },
    ),
    (
        "the priority topic Bremen sponsors",
        "SELECT ?topic WHERE { ?topic egov:sponsorLand land:bremen }",
        {("digitale-anwendungen",)},
    ),
    (
        "the identifiers of Bremen",
        "SELECT ?iso ?key ?gnd ?wd ?gn WHERE { land:bremen egov:isoCode ?iso ; egov:regionalKey ?key ;"
        " egov:gndId ?gnd ;"
        " owl:sameAs ?wd , ?gn FILTER(STRSTARTS(STR(?wd), 'http://www.wikidata.org/entity/'))"
        " FILTER(STRSTARTS(STR(?gn), 'https://sws.geonames.org/')) }",
        {("DE-HB", "04", "4008135-7", "Q1209", "2944387")},
    ),
    (
        "persons holding two roles",
        "SELECT ?name WHERE { ?m1 org:member ?p . ?m2 org:member ?p . ?p foaf:name ?name FILTER(STR(?m1) < STR(?m2)) }",
        {
            ("Anke Pörksen",),
            ("Bernd Schlömer",),
            ("Christian Pfromm",),
            ("Daniel Sieveke",),
            ("Denis Alt",),
            ("Dirk Schrödter",),
            ("Elena Yorgova-Ramanauskas",),
            ("Fedor Ruhose",),
            ("Hartmut Schubert",),
            ("Ina-Maria Ulbrich",),
            ("Martina Klement",),
            ("Milen Starke",),
            ("Ralf Stettner",),
            ("Stefan Krebs",),
            ("Thomas Popp",),
        },
    ),
]


@pytest.mark.parametrize(("question", "query", "expected"), QUESTIONS, ids=[q[0] for q in QUESTIONS])
def test_competency_question(graph: Graph, question: str, query: str, expected: set[tuple[str, ...]]) -> None:
    assert answer(graph, query) == expected


def test_at_least_twenty_questions() -> None:
    assert len(QUESTIONS) >= 20


def test_the_efa_network_as_the_issue_asks(runner: CliRunner, tmp_path: Path) -> None:
    """Issue 12's measures, with the project's own named queries and the efa view on the bundled data."""
    store = open_store()
    services = {row["service"] for row in execute(prepare(name="efa-services"), store).rows}
    assert len(services) >= 20
    pairs = {(row["landA"], row["landB"]) for row in execute(prepare(name="shared-services"), store).rows}
    assert len(pairs) >= 25
    result = runner.invoke(main, ["viz", "--view", "efa", "-o", str(tmp_path / "efa.html")])
    assert result.exit_code == 0, result.output
    drawn = re.search(r"\((\d+) nodes, (\d+) edges\)", result.output)
    assert drawn and int(drawn.group(2)) >= 30, result.output


def test_reuse_shows_level_and_date_wherever_the_source_gives_them(graph: Graph) -> None:
    store = open_store()
    rows = execute(prepare(name="reuse"), store).rows
    shown = {(row["record"], row["level"], str(row["date"]) if row.get("date") is not None else None) for row in rows}
    recorded = {
        (URIRef(str(r)), URIRef(str(level)), str(date) if date else None)
        for r, level, date in graph.query(
            HEADER + "SELECT ?r ?level ?date WHERE { ?r egov:solution ?s ; egov:cooperationLevel ?level ."
            " OPTIONAL { ?r dct:date ?date } }"
        )
    }
    assert shown == recorded
    assert sum(1 for _, _, date in recorded if date) >= 40


def test_every_fact_of_the_founding_article_has_a_verbatim_quote(graph: Graph) -> None:
    rows = answer(
        graph,
        """SELECT ?fact WHERE { ?fact egov:hasEvidence ?e .
        ?e prov:entity source:egovernment-bilanz-teil-3 FILTER NOT EXISTS { ?e egov:quote ?q } }""",
    )
    assert rows == set()


def test_all_sixteen_laender_carry_distinct_identifiers(graph: Graph) -> None:
    rows = answer(
        graph,
        """SELECT ?land ?iso ?key ?gnd ?wd ?gn WHERE { ?land a egov:Land ; egov:isoCode ?iso ;
        egov:regionalKey ?key ; egov:gndId ?gnd ; owl:sameAs ?wd , ?gn ; dct:spatial ?territory .
        ?territory a egov:LandTerritory .
        FILTER(STRSTARTS(STR(?wd), 'http://www.wikidata.org/entity/Q'))
        FILTER(STRSTARTS(STR(?gn), 'https://sws.geonames.org/')) }""",
    )
    assert len(rows) == 16
    for column in range(1, 6):
        assert len({row[column] for row in rows}) == 16
    assert sorted(row[2] for row in rows) == [f"{n:02d}" for n in range(1, 17)]
