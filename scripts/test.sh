#!/usr/bin/env bash
# The whole test suite: installs what the tests need (venv with test and dev extras, Debian's
# Chromium for the browser tests), checks ruff and mypy, then runs pytest. Idempotent.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup-venv.sh test,dev
if ! command -v chromium >/dev/null 2>&1; then
  echo "installing Debian's chromium for the browser tests ..."
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends chromium >/dev/null
fi
.venv/bin/ruff check .
.venv/bin/mypy
.venv/bin/python -m pytest -q "$@"
