"""Output formats for lint findings, one module each behind `render(findings, stream, **options)`."""

from __future__ import annotations

import importlib

FORMATS = ("text", "json", "github", "sarif")


def renderer(name: str):
    if name not in FORMATS:
        raise ValueError(name)
    return importlib.import_module(f"trackdesign.lint.formats.{name}").render
