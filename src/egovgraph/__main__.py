"""``python -m egovgraph``: the command line."""

from egovgraph.cli import main

main()
