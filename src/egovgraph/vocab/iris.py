"""The IRIs of the standard vocabularies' terms that code names, as plain strings built from the prefixes.

For the modules that must not import rdflib (the query path) and for SPARQL text; the project's own terms
are ``EGOV.<name>`` of :mod:`egovgraph.vocab.namespaces` (a closed namespace: a typo fails).
"""

from __future__ import annotations

from egovgraph.vocab.names import PREFIXES

RDF = PREFIXES["rdf"]
RDFS = PREFIXES["rdfs"]
XSD = PREFIXES["xsd"]
SKOS = PREFIXES["skos"]
PROV = PREFIXES["prov"]
SCHEMA = PREFIXES["schema"]

RDF_TYPE = RDF + "type"
RDF_LANGSTRING = RDF + "langString"
RDFS_LABEL = RDFS + "label"
RDFS_COMMENT = RDFS + "comment"
RDFS_SUBCLASS_OF = RDFS + "subClassOf"
XSD_STRING = XSD + "string"
SKOS_PREFLABEL = SKOS + "prefLabel"
SKOS_ALTLABEL = SKOS + "altLabel"
PROV_ENTITY = PROV + "entity"
SCHEMA_URL = SCHEMA + "url"
