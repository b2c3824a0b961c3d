#!/usr/bin/env bash
# Set up, then run the whole test suite. pytest's "no tests collected" (5) counts as a failure here.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
status=0
.venv/bin/python -m pytest -q -rs "$@" || status=$?
if [ "$status" -eq 5 ]; then
  echo "no tests were collected" >&2
  exit 1
fi
exit "$status"
