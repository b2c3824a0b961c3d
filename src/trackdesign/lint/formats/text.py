"""Human-readable findings, coloured on a terminal, one line each plus an indented hint."""

from __future__ import annotations

import re
from collections import Counter

import click

COLOURS = {"error": "red", "warning": "yellow", "info": "blue"}
#: C0 and C1 control characters: spec text quoted in a message must not move a terminal's cursor,
#: retitle its window or colour what follows
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")


def printable(text: str) -> str:
    """`text` with its control characters (but tab and newline) written as escapes, as repr does."""
    return _CONTROL.sub(lambda m: f"\\x{ord(m.group()):02x}", text) if _CONTROL.search(text) else text


def render(findings, stream, color: bool = False, show_hints: bool = True, summary: bool = True):
    def style(text, **kw):
        return click.style(text, **kw) if color else text

    for f in findings:
        where = style(f"{printable(f.path)}:{f.line}:{f.column}:", bold=True)
        code = style(f.code, fg=COLOURS[f.severity], bold=True)
        fixable = style(" [*]", fg="green") if f.fixable else ""
        stream.write(f"{where} {code} {printable(f.message)}{fixable}\n")
        if show_hints and f.hint:
            stream.write(style(f"    hint: {printable(f.hint)}\n", dim=True))
    if summary:
        if not findings:
            stream.write(style("All checks passed.\n", fg="green"))
            return
        counts = Counter(f.severity for f in findings)
        parts = [f"{counts[s]} {s}{'s' if counts[s] != 1 else ''}" for s in ("error", "warning", "info") if counts[s]]
        fixable = sum(f.fixable for f in findings)
        line = f"Found {len(findings)} finding{'s' if len(findings) != 1 else ''} ({', '.join(parts)})."
        if fixable:
            line += f" {fixable} fixable with --fix."
        stream.write(style(line, bold=True) + "\n")
