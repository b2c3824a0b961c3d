#!/usr/bin/env bash
# Create .venv (if missing) and install trackdesign with its test dependencies into it.
set -euo pipefail
cd "$(dirname "$0")/.."
PYTHON="${PYTHON:-python3}"
if [ ! -x .venv/bin/python ]; then
  "$PYTHON" -m venv .venv
fi
.venv/bin/python -m pip install --quiet --disable-pip-version-check --upgrade pip
.venv/bin/python -m pip install --quiet --disable-pip-version-check -e ".[test,semantic]"
# Bytecode for our own modules, as pip writes it for every package it installs from a wheel: an
# editable install leaves it to the first run, and where PYTHONDONTWRITEBYTECODE is set (as on
# this project's CI machines) every run would compile each module again (about 40 ms of start-up).
.venv/bin/python -m compileall -q src >/dev/null
