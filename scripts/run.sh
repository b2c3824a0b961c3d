#!/usr/bin/env bash
# Set up, then run the main job on the example specs: lint them (findings are expected: the
# seed proposal has real problems, which is the point) without touching the network, then write
# their documents (proposal, task analysis, outlines) into reports/.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
status=0
.venv/bin/trackdesign lint --specs specs --no-links || status=$?
# exit 1 means "findings reported", which is the expected outcome on the seed's specs
[ "$status" -le 1 ] || exit "$status"
.venv/bin/trackdesign build --specs specs --out-dir reports
