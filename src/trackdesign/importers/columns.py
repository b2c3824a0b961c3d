"""Columns of a course table (in a track list or a catalog spreadsheet) and the fields they fill.

Teams name columns differently ("Hours", "Duration", "Time"), so headers are matched to fields by
a few common names; a value is converted only where its meaning is plain ("4 hours", "90 min",
"beginner" is not a number of the 1-5 difficulty scale), and anything else is reported rather
than guessed. A column that no field holds (videos, exercises, XP, a count of chapters) is
reported once, with the line or row of its header.
"""

from __future__ import annotations

import re

from trackdesign.spec.model import STATUSES

#: field -> header names that mean it (lower case, without punctuation)
ALIASES = {
    "title": ("title", "course", "course title", "course name", "name", "resource"),
    "url": ("url", "link", "page", "course page", "web page"),
    "hours": ("hours", "duration", "time", "length", "hrs", "estimated hours", "duration hours"),
    "description": ("description", "about", "summary", "what you learn"),
    "instructor": ("instructor", "instructors", "author", "teacher"),
    "provider": ("provider", "platform", "offered by"),
    "status": ("status", "state"),
    "tags": ("tags", "topics", "keywords"),
    "difficulty": ("difficulty", "difficulty 1 5"),
    "chapters": ("chapters", "chapter titles", "outline"),
    "prerequisites": ("prerequisites", "prerequisite", "requires", "requirements"),
    "corequisites": ("corequisites", "corequisite", "coreqs", "concurrent"),
    "order": ("#", "no", "number", "order", "position", "step"),
    "track": ("track", "track title", "skill track", "career track"),
}
FIELD_OF = {alias: name for name, aliases in ALIASES.items() for alias in aliases}
STATUS_WORDS = {status: status for status in STATUSES} | {"new": "proposed", "in development": "in-development",
                                                          "existing": "live"}
HOURS = re.compile(r"^(\d+(?:[.,]\d+)?)\s*(h|hr|hrs|hour|hours|m|min|mins|minutes)?\.?$", re.I)


def field_of(header: str) -> str | None:
    """The field a column header names, or None."""
    key = re.sub(r"[^a-z0-9# ]+", " ", str(header).lower()).strip()
    key = re.sub(r"\s+", " ", key)
    return FIELD_OF.get(key)


def convert(field: str, value) -> tuple[object, str | None]:
    """(value for the spec field, or None; why the value was not taken, or None)."""
    if value is None or isinstance(value, float) and value != value or str(value).strip() == "":
        return None, None
    if field == "hours":
        return _hours(value)
    if field == "status":
        status = STATUS_WORDS.get(str(value).strip().lower())
        return (status, None) if status else (None, f"status {value!r} is none of {', '.join(STATUSES)}")
    if field == "difficulty":
        text = str(value).strip()
        if re.fullmatch(r"[1-5](?:\.0)?", text):
            return int(float(text)), None
        return None, f"difficulty {value!r} is not a number from 1 to 5"
    if field in ("tags", "chapters"):
        items = [part.strip() for part in re.split(r"[;\n]|,(?![^()]*\))", str(value)) if part.strip()]
        if field == "chapters":
            if all(re.fullmatch(r"\d+", i) for i in items):
                return None, f"chapters {value!r} is a count; a course's chapters are an outline of titles"
            return [{"title": item} for item in items], None
        return items, None
    if field == "order":
        text = str(value).strip().rstrip(".")
        return (int(float(text)), None) if re.fullmatch(r"\d+(?:\.0)?", text) else (None, f"order {value!r}"
                                                                                    " is not a number")
    return str(value).strip(), None


def _hours(value) -> tuple[float | None, str | None]:
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return (float(value), None) if value >= 0 else (None, f"hours {value!r} is negative")
    match = HOURS.match(str(value).strip())
    if not match:
        return None, f"hours {value!r} is not a number of hours (e.g. 4, 4 hours, 90 min)"
    number = float(match.group(1).replace(",", "."))
    unit = (match.group(2) or "h").lower()
    hours = number / 60 if unit.startswith("m") else number
    return (int(hours) if hours == int(hours) else round(hours, 2)), None


def column_problem(field: str, values: list) -> str | None:
    """Why a whole column cannot fill its field (a count of chapters), or None."""
    filled = [str(v).strip() for v in values if v is not None and str(v).strip()]
    if field == "chapters" and filled and all(re.fullmatch(r"\d+(?:\.0)?", v) for v in filled):
        return "it counts chapters, and a spec's chapters are an outline of titles"
    return None
