"""Terms: IRIs, prefixes and namespaces (the closed egov: namespace), rdflib <-> pyoxigraph terms."""
