"""RDF -> networkx views, metrics, layout, exports, and the offline HTML page with its assets."""
