"""A small graph for the view, export and browser tests: the ontology plus a few facts made for them."""

from __future__ import annotations

import shutil
from pathlib import Path

from rdflib import Graph

from egovgraph.graph.load import ONTOLOGY_FILES, default_ontology_dir, new_graph, parse_graph

XSS_IMG = "<img src=x onerror=window.__pwned=1>"
XSS_SCRIPT = "</script><script>window.__pwned=2</script>"

FIXTURE_TTL = """
@prefix egov: <https://w3id.org/egovgraph/ontology#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
@prefix dct: <http://purl.org/dc/terms/> .
@prefix org: <http://www.w3.org/ns/org#> .
@prefix prov: <http://www.w3.org/ns/prov#> .
@prefix schema: <https://schema.org/> .
@prefix time: <http://www.w3.org/2006/time#> .
@prefix status: <https://w3id.org/egovgraph/vocab/status/> .
@prefix tech: <https://w3id.org/egovgraph/vocab/technology/> .
@prefix count: <https://w3id.org/egovgraph/vocab/count/> .
@prefix land: <https://w3id.org/egovgraph/id/land/> .
@prefix territory: <https://w3id.org/egovgraph/id/territory/> .
@prefix organisation: <https://w3id.org/egovgraph/id/organisation/> .
@prefix source: <https://w3id.org/egovgraph/id/source/> .
@prefix evidence: <https://w3id.org/egovgraph/id/evidence/> .
@prefix t: <https://w3id.org/egovgraph/id/time/> .
@prefix service: <https://w3id.org/egovgraph/id/service/> .
@prefix quantity: <https://w3id.org/egovgraph/id/quantity/> .
@prefix themenfeld: <https://w3id.org/egovgraph/id/themenfeld/> .
@prefix initiative: <https://w3id.org/egovgraph/id/initiative/> .

land:a a egov:Land ; rdfs:label "Aland"@de , "A-land"@en ; egov:isoCode "DE-AA" ; dct:spatial territory:a .
land:b a egov:Land ; rdfs:label "Beland"@de ; egov:isoCode "DE-BB" .
land:c a egov:Land ; rdfs:label "Celand"@de ; egov:isoCode "DE-CC" .
land:d a egov:Land ; rdfs:label "Deland"@de ; egov:isoCode "DE-DD" .
territory:a a egov:LandTerritory ; rdfs:label "Gebiet A"@de .
organisation:a-ministry a egov:Ministry ; rdfs:label "Ministerium A"@de ; org:subOrganizationOf land:a .
organisation:a-district a egov:LocalAuthority ; rdfs:label "Kreis A"@de ; schema:location territory:a .

source:one a egov:Source ; rdfs:label "Quelle eins"@de ; dct:issued "2024-12"^^xsd:gYearMonth ;
    schema:url <https://example.org/one> .
source:two a egov:Source ; rdfs:label "Quelle zwei"@de ; dct:issued "2023"^^xsd:gYear .
evidence:one a egov:Evidence ; prov:entity source:one ; egov:note "eins"@de .
evidence:two a egov:Evidence ; prov:entity source:two ; egov:note "zwei"@de .
t:2025 a time:Instant ; rdfs:label "2025"@de ; time:inXSDgYear "2025"^^xsd:gYear .

# Built by a ministry of A (counts as A), reused by B and C.
service:one a egov:EfaService , egov:FocusService ; rdfs:label "Leistung eins"@de ;
    egov:builtBy organisation:a-ministry ; egov:reusedBy land:b , land:c ;
    egov:themenfeld themenfeld:familie ; egov:hasEvidence evidence:one .
# Built by A's district (counts as A) and by B; reused by B (no self-loop) and C.
service:two a egov:EfaService ; rdfs:label "Leistung zwei"@de ;
    egov:builtBy organisation:a-district , land:b ; egov:reusedBy land:b , land:c ;
    egov:developmentPartner land:d ; egov:hasEvidence evidence:two .
# Unnamed reusers only: a count on the provider, never an edge.
service:three a egov:EfaService ; rdfs:label "Leistung drei"@de ;
    egov:builtBy land:d ; egov:reuseCount quantity:three ; egov:hasEvidence evidence:one .
quantity:three a schema:QuantitativeValue ; rdfs:label "in 11 Ländern"@de ; schema:value 11 ;
    egov:countQualifier count:exactly .
themenfeld:familie a egov:Themenfeld ; rdfs:label "Familie & Kind"@de .

initiative:a-ai a egov:Initiative ; rdfs:label "KI in A"@de ; egov:responsibleOrganisation land:a ;
    egov:status status:planned ; dct:temporal t:2025 ;
    egov:usesTechnology tech:artificial-intelligence , tech:api ; egov:hasEvidence evidence:one .
initiative:b-ai a egov:Initiative ; rdfs:label "KI in B"@de ; egov:responsibleOrganisation land:b ;
    egov:status status:completed ; egov:usesTechnology tech:artificial-intelligence ;
    egov:hasEvidence evidence:two .
initiative:c-api a egov:Initiative ; rdfs:label "API in C"@de ;
    egov:responsibleOrganisation organisation:a-ministry ;
    egov:status status:completed ; egov:usesTechnology tech:api ; egov:hasEvidence evidence:two .
"""


def fixture_graph(extra: str = "") -> Graph:
    """The ontology and vocabularies plus FIXTURE_TTL (and ``extra`` Turtle) as one graph."""
    g = new_graph()
    for triple in parse_graph([default_ontology_dir() / name for name in ONTOLOGY_FILES]):
        g.add(triple)
    g.parse(data=FIXTURE_TTL + extra, format="turtle")
    return g


def xss_graph() -> Graph:
    """The fixture with hostile labels on a Land, an initiative, a class-less node and a status."""
    extra = f"""
land:x a egov:Land ; rdfs:label {_turtle(XSS_IMG)}@de ; egov:isoCode "DE-XX" .
service:x a egov:EfaService ; rdfs:label {_turtle(XSS_SCRIPT)}@de ;
    egov:builtBy land:x ; egov:reusedBy land:a ; egov:hasEvidence evidence:one .
initiative:x a egov:Initiative ; rdfs:label {_turtle(XSS_SCRIPT)}@de ; egov:responsibleOrganisation land:x ;
    egov:usesTechnology tech:api ; egov:hasEvidence evidence:one .
"""
    return fixture_graph(extra)


def _turtle(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


#: Facts of the tech views whose Land, year and source are only found by following links: an
#: organisation chain through org:unitOf and org:subOrganizationOf, a district located in a Land's
#: territory, time spans nested in time spans, a year from an untyped source's dct:issued, builtBy and
#: operatedBy instead of a responsible organisation, labels from skos:prefLabel, foaf:name or only in
#: English, a class the ontology does not know, and a technology the data says something about.
CHAINS_TTL = """
@prefix skos: <http://www.w3.org/2004/02/skos/core#> .
@prefix foaf: <http://xmlns.com/foaf/0.1/> .
@prefix portal: <https://w3id.org/egovgraph/id/portal/> .

organisation:c-ministry a egov:Ministry ; rdfs:label "Ministerium C"@de ; org:subOrganizationOf land:c .
organisation:c-agency a org:Organization ; foaf:name "Amt C" ; org:subOrganizationOf organisation:c-ministry .
organisation:c-unit a org:OrganizationalUnit ; skos:prefLabel "Referat C"@de ; org:unitOf organisation:c-agency .
land:d dct:spatial territory:d .
territory:d a egov:LandTerritory ; rdfs:label "Gebiet D"@de .
organisation:d-district a egov:LocalAuthority ; rdfs:label "Kreis D"@de ; schema:location territory:d .

t:2023 a time:Instant ; time:inXSDgYear "2023"^^xsd:gYear .
t:2026 a time:Instant ; time:inXSDgYear "2026"^^xsd:gYear .
t:span a time:ProperInterval ; time:hasBeginning t:2023 ; time:hasEnd t:2026 .
t:nested a time:ProperInterval ; time:hasBeginning t:span .
source:three rdfs:label "Quelle drei"@de ; dct:issued "2022"^^xsd:gYear .
evidence:three a egov:Evidence ; prov:entity source:three .

initiative:c-unit-api a egov:Initiative ; rdfs:label "API im Referat C"@de , "API in unit C"@en ;
    egov:responsibleOrganisation organisation:c-unit ; egov:status status:in-progress ; dct:temporal t:span ;
    egov:usesTechnology tech:api , tech:e-file ; egov:hasEvidence evidence:one .
initiative:d-district-ai a egov:Initiative ; skos:prefLabel "KI im Kreis D"@de ;
    egov:responsibleOrganisation organisation:d-district ; egov:dueBy t:nested ; egov:status status:planned ;
    egov:usesTechnology tech:artificial-intelligence ; egov:hasEvidence evidence:three .
service:four a egov:EfaService ; rdfs:label "Leistung vier"@de ; egov:builtBy organisation:c-agency ;
    egov:usesTechnology tech:e-file ; prov:entity source:three .
portal:x a egov:Portal , schema:WebSite ; rdfs:label "Portal X"@en ; egov:operatedBy land:b ;
    egov:usesTechnology tech:e-payment ; egov:hasEvidence evidence:two .
tech:e-file egov:hasEvidence evidence:two .
"""


def chains_graph() -> Graph:
    """The fixture plus CHAINS_TTL."""
    return fixture_graph(CHAINS_TTL)


#: Agreements and a cooperation record for the efa view: one agreement between two Länder (an edge),
#: one that every Land signed (named on each Land, no edges), and B's reuse of service one at a level.
COOPERATION_TTL = """
@prefix agreement: <https://w3id.org/egovgraph/id/agreement/> .
@prefix level: <https://w3id.org/egovgraph/vocab/cooperation-level/> .
@prefix record: <https://w3id.org/egovgraph/id/cooperation/> .

agreement:a-c a egov:Agreement ; rdfs:label "Vereinbarung A-C"@de ; egov:party land:a , organisation:c-org ;
    egov:hasEvidence evidence:one .
organisation:c-org a egov:Ministry ; rdfs:label "Ministerium C"@de ; org:subOrganizationOf land:c .
agreement:all a egov:Agreement ; rdfs:label "Dachabkommen"@de ; egov:party land:a , land:b , land:c , land:d ;
    egov:hasEvidence evidence:two .
level:pilot rdfs:label "Pilot"@de , "pilot"@en .
record:b-one egov:solution service:one ; egov:participant land:b ; egov:cooperationLevel level:pilot .
"""


def reference_only(target: Path) -> Path:
    """A data directory with the bundled reference data and no source: every Land without facts."""
    data = target / "data"
    (data / "reference").mkdir(parents=True)
    for path in sorted((Path(__file__).resolve().parents[1] / "data" / "reference").glob("*.ttl")):
        shutil.copy(path, data / "reference" / path.name)
    return data
