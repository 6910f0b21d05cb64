"""The curator's draft tool: an article's text -> cleaned text + a draft source file, every fact tied to its sentence.

clean (page furniture out), sentences (splitting), lexicon (what to look for, read from the graph),
recognise (rules over a sentence), facts (the pass over all sentences), write (deterministic Turtle), run
(checks, paths, files). Depends only on vocab and graph.
"""
