#!/usr/bin/env bash
# Install with the dev tools, then lint, type-check and run every test (the slow corpus ones too).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh --dev
python3 -m ruff check .
python3 -m ruff format --check .
python3 -m mypy
python3 -m pytest --runslow "$@"
