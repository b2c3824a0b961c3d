"""Course and track ids: the stem of a spec's file name, in kebab-case."""

from __future__ import annotations

import re

ID_PATTERN = re.compile(r"^[a-z0-9]+(?:[-_.][a-z0-9]+)*$")


def slugify(text: str) -> str:
    """The kebab-case id a title would get: 'Deep Learning in Python' -> 'deep-learning-in-python'."""
    text = text.replace("’", "").replace("'", "")
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")
