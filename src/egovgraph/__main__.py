"""``python -m egovgraph``: the command line."""

from egovgraph._entry import main

main()
