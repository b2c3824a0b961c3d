"""Findings as a JSON list, for scripts and editors."""

from __future__ import annotations

import json


def render(findings, stream, **_):
    json.dump([f.as_dict() for f in findings], stream, indent=2, ensure_ascii=False)
    stream.write("\n")
