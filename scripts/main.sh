#!/usr/bin/env bash
# The main job: install egovgraph into .venv (created if missing), build the graph from the bundled
# data into dist/ (dumps in Turtle, N-Triples, JSON-LD, TriG, and void.ttl) and write an HTML graph.
# Idempotent: run it again and dist/ is rebuilt byte-identically.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup-venv.sh
.venv/bin/egovgraph build --out dist
.venv/bin/egovgraph viz --view efa -o dist/efa.html
echo
echo "Done. Dumps, void.ttl and the HTML graph are in: $(pwd)/dist"
ls -1 dist
