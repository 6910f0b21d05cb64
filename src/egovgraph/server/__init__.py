"""HTTP for the graph: routes, content negotiation, the SPARQL endpoint, linked data, HTML pages."""
