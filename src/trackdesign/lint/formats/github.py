"""GitHub Actions workflow commands, so findings show as annotations on the pull request."""

from __future__ import annotations

LEVELS = {"error": "error", "warning": "warning", "info": "notice"}


def _escape(text: str, property_value: bool = False) -> str:
    text = text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")
    if property_value:
        text = text.replace(":", "%3A").replace(",", "%2C")
    return text


def render(findings, stream, **_):
    for f in findings:
        message = f.message + (f" (hint: {f.hint})" if f.hint else "")
        stream.write(
            f"::{LEVELS[f.severity]} file={_escape(f.path, True)},line={f.line},col={f.column},"
            f"title={_escape(f'{f.code} {f.name}', True)}::{_escape(message)}\n"
        )
