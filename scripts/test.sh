#!/usr/bin/env bash
# The whole test suite: installs what the tests need (venv with test and dev extras, Debian's
# Chromium for the browser tests, Debian's Virtuoso for the store tests; the Oxigraph server comes with
# the test extra), checks ruff and mypy, then runs pytest. Idempotent.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup-venv.sh test,dev
if ! command -v chromium >/dev/null 2>&1; then
  echo "installing Debian's chromium for the browser tests ..."
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends chromium >/dev/null
fi
if ! command -v virtuoso-t >/dev/null 2>&1; then
  # The preseeded password only protects the package's own system database, which the tests never use:
  # they start a private Virtuoso with its own database and a random password.
  echo "installing Debian's virtuoso-opensource for the store tests ..."
  apt-get update -qq
  echo "virtuoso-opensource-7 virtuoso-opensource-7/dba-password password dba" | debconf-set-selections
  echo "virtuoso-opensource-7 virtuoso-opensource-7/dba-password-again password dba" | debconf-set-selections
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq virtuoso-opensource >/dev/null
fi
.venv/bin/ruff check .
.venv/bin/ruff format --check .
.venv/bin/mypy
.venv/bin/python -m pytest -q "$@"
