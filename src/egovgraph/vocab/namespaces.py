"""Namespaces and IRI conventions; the project's own terms as a closed namespace."""

from __future__ import annotations

from rdflib import Namespace, URIRef
from rdflib.namespace import DefinedNamespace

from egovgraph.vocab.names import DEFAULT_BASE, PREFIXES, graph_iri_text, resource_prefixes

__all__ = ["DEFAULT_BASE", "EGOV", "PREFIXES", "graph_iri", "id_namespace", "resource_prefixes"]

VOCAB = Namespace(DEFAULT_BASE + "vocab/")
SHAPES = Namespace(DEFAULT_BASE + "shapes#")

SCHEMA = Namespace("https://schema.org/")
GEO = Namespace("http://www.w3.org/2003/01/geo/wgs84_pos#")
CPSV = Namespace("http://purl.org/vocab/cpsv#")
CV = Namespace("http://data.europa.eu/m8g/")
ADMS = Namespace("http://www.w3.org/ns/adms#")
SH = Namespace("http://www.w3.org/ns/shacl#")
STATUS = Namespace(DEFAULT_BASE + "vocab/status/")
TECH = Namespace(DEFAULT_BASE + "vocab/technology/")
ROLE = Namespace(DEFAULT_BASE + "vocab/role/")
AGREEMENT_TYPE = Namespace(DEFAULT_BASE + "vocab/agreement-type/")
COUNT = Namespace(DEFAULT_BASE + "vocab/count/")
YEAR_PART = Namespace(DEFAULT_BASE + "vocab/year-part/")
COOPERATION_LEVEL = Namespace(DEFAULT_BASE + "vocab/cooperation-level/")
CURATION = Namespace(DEFAULT_BASE + "vocab/curation/")  # issue 15: draft / reviewed


class EGOV(DefinedNamespace):
    """The egovgraph ontology terms; a typo is an AttributeError, and a test keeps it equal to egov.ttl."""

    _NS = Namespace(DEFAULT_BASE + "ontology#")
    _fail = True

    Agreement: URIRef
    AgreementType: URIRef
    CountQualifier: URIRef
    CurationStatus: URIRef
    EfaService: URIRef
    Evidence: URIRef
    FocusService: URIRef
    Funding: URIRef
    Initiative: URIRef
    Land: URIRef
    LandTerritory: URIRef
    Lebenslage: URIRef
    LocalAuthority: URIRef
    Ministry: URIRef
    OzgService: URIRef
    Portal: URIRef
    PriorityTopic: URIRef
    Source: URIRef
    Statement: URIRef
    Status: URIRef
    Strategy: URIRef
    Technology: URIRef
    Themenfeld: URIRef
    YearPart: URIRef
    accordingTo: URIRef
    agreementType: URIRef
    builtBy: URIRef
    concerns: URIRef
    countQualifier: URIRef
    curationStatus: URIRef
    developmentPartner: URIRef
    dueBy: URIRef
    gndId: URIRef
    hasEvidence: URIRef
    implementingLand: URIRef
    integratedInto: URIRef
    isoCode: URIRef
    leadLand: URIRef
    leadMinistry: URIRef
    lebenslage: URIRef
    note: URIRef
    ofTotal: URIRef
    operatedBy: URIRef
    ozgId: URIRef
    partnerLand: URIRef
    party: URIRef
    purpose: URIRef
    quantity: URIRef
    quote: URIRef
    regionalKey: URIRef
    responsibleOrganisation: URIRef
    reuseCount: URIRef
    reusedBy: URIRef
    sponsorLand: URIRef
    status: URIRef
    themenfeld: URIRef
    usesTechnology: URIRef
    yearPart: URIRef
    # issue 12: reuse, co-development and platform use as records of their own
    CoDevelopment: URIRef
    Cooperation: URIRef
    CooperationLevel: URIRef
    PlatformUse: URIRef
    Reuse: URIRef
    SharedPlatform: URIRef
    cooperationLevel: URIRef
    implements: URIRef
    participant: URIRef
    participantUnit: URIRef
    provider: URIRef
    solution: URIRef
    usedBy: URIRef


def id_namespace(base: str = DEFAULT_BASE) -> Namespace:
    """The namespace of resource IRIs (``<base>id/``)."""
    return Namespace(base + "id/")


def graph_iri(name: str, base: str = DEFAULT_BASE) -> URIRef:
    """The IRI of a named graph of the build (one per source file, plus ontology and reference)."""
    return URIRef(graph_iri_text(name, base))
