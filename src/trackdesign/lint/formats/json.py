"""Findings as a JSON list, for scripts and editors."""

from __future__ import annotations

import json


def render(findings, stream, **_):
    json.dump([finding.as_dict() for finding in findings], stream, indent=2, ensure_ascii=False)
    stream.write("\n")
