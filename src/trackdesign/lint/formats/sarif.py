"""SARIF 2.1.0, the format code-scanning services import."""

from __future__ import annotations

import json
from urllib.parse import quote

from trackdesign import __version__
from trackdesign.lint.registry import all_rules

LEVELS = {"error": "error", "warning": "warning", "info": "note"}


def render(findings, stream, **_):
    rules = all_rules()
    used = sorted({f.code for f in findings})
    index = {code: i for i, code in enumerate(used)}
    sarif = {
        "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
        "version": "2.1.0",
        "runs": [{
            "tool": {"driver": {
                "name": "trackdesign",
                "version": __version__,
                "rules": [{
                    "id": code,
                    "name": rules[code].name,
                    "shortDescription": {"text": rules[code].summary},
                    "fullDescription": {"text": rules[code].doc},
                    "defaultConfiguration": {"level": LEVELS[rules[code].severity]},
                } for code in used],
            }},
            "results": [{
                "ruleId": f.code,
                "ruleIndex": index[f.code],
                "level": LEVELS[f.severity],
                "message": {"text": f.message + (f" Hint: {f.hint}" if f.hint else "")},
                "locations": [{"physicalLocation": {
                    "artifactLocation": {"uri": quote(f.path.replace("\\", "/"))},  # a URI: no bare space, # or ?
                    "region": {"startLine": f.line, "startColumn": f.column},
                }}],
            } for f in findings],
        }],
    }
    json.dump(sarif, stream, indent=2, ensure_ascii=False)
    stream.write("\n")
