"""Where queries run: the embedded store, Oxigraph on disk, a remote SPARQL endpoint; publishing a build."""
