"""What the review workbook holds: its sheets, their columns, and how a spec value shows in a cell.

Export and import both read these definitions, so a column can never be written one way and read
another. Editable columns name the spec field they change; the rest are there to be read.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from trackdesign.analysis.requisites import expression
from trackdesign.spec.model import DECISIONS

FORMAT = 2  # the workbook layout version, recorded in the workbook (2: the snapshot as chunked JSON)
META_SHEET = "_trackdesign"


@dataclass(frozen=True)
class Column:
    header: str
    width: int
    kind: str = "readonly"  # readonly | text | required-text | number | prerequisites | decision
    wrap: bool = False

    @property
    def editable(self) -> bool:
        return self.kind != "readonly"


COURSES = "Courses"
OBJECTIVES = "Objectives"
EDITABLE_SHEETS = {
    COURSES: (Column("#", 5), Column("Course id", 34), Column("Title", 40, "required-text", True),
              Column("Status", 13), Column("URL", 40, "text"), Column("Hours", 8, "number"),
              Column("Description", 60, "text", True), Column("Prerequisites", 40, "prerequisites", True),
              Column("Decision", 11, "decision"), Column("Comment", 40, "text", True)),
    OBJECTIVES: (Column("Course id", 34), Column("#", 5), Column("Objective", 70, "required-text", True),
                 Column("Decision", 11, "decision"), Column("Comment", 40, "text", True)),
}
READONLY_SHEETS = ("Track", "Findings", "Overlap", "Alignment")
KEY_COLUMNS = {COURSES: ("Course id",), OBJECTIVES: ("Course id", "#")}


def _written(entries) -> str:
    """'a, b, any of (c | all of (d & e))' for entries given as expressions."""
    return ", ".join(_shown(e) for e in entries)


def _shown(expr) -> str:
    if isinstance(expr, str):
        return expr
    word, sign = ("any of", " | ") if expr[0] == "any" else ("all of", " & ")
    return f"{word} (" + sign.join(_shown(p) for p in expr[1]) + ")"


def format_prerequisites(items) -> str:
    """A course's prerequisites as one line a reviewer can edit."""
    return _written(expression(item) for item in items)


ID = re.compile(r"[a-z0-9]+(?:[-_.][a-z0-9]+)*")
OPEN = re.compile(r"(any|all)\s+of\s*\(", re.I)


def parse_prerequisites(text: str) -> list:
    """The inverse of `format_prerequisites`: one expression (a course id, or ("any" | "all",
    parts)) per entry, groups nested as written. Raises ValueError."""
    text = text.strip()
    entries, at = [], 0
    while at < len(text):
        expr, at = _entry(text, at)
        entries.append(expr)
        at = _skip(text, at)
        if at < len(text):
            if text[at] != ",":
                raise ValueError(f"expected ',' between entries at {text[at:]!r}")
            at = _skip(text, at + 1)
    return entries


def spec_form(expr):
    """An expression as a spec writes it: an id, {"any_of": [...]} or {"all_of": [...]}."""
    if isinstance(expr, str):
        return expr
    return {"any_of" if expr[0] == "any" else "all_of": [spec_form(p) for p in expr[1]]}


def needs_format_3(entries) -> bool:
    """Whether written prerequisites use `all_of` or a group inside a group."""
    return any(not isinstance(e, str) and (e[0] == "all" or not all(isinstance(p, str) for p in e[1]))
               for e in entries)


def _skip(text: str, at: int) -> int:
    while at < len(text) and text[at].isspace():
        at += 1
    return at


def _entry(text: str, at: int):
    at = _skip(text, at)
    group = OPEN.match(text, at)
    if group is None:
        found = ID.match(text, at)
        if found is None:
            raise ValueError(f"{text[at:].split(',')[0].strip()!r} is not a course id (write ids separated by commas,"
                             " alternatives as 'any of (a | b)', courses needed together as 'all of (a & b)')")
        return found.group(0), found.end()
    op = group.group(1).lower()
    sign = "|" if op == "any" else "&"
    parts, at = [], group.end()
    while True:
        part, at = _entry(text, at)
        parts.append(part)
        at = _skip(text, at)
        if at < len(text) and text[at] == sign:
            at += 1
        elif at < len(text) and text[at] == ")":
            return (parts[0] if len(parts) == 1 else (op, tuple(parts))), at + 1
        else:
            raise ValueError(f"expected {sign!r} or ')' in {op} of (...) at {text[at:] or 'the end'!r}")


def course_values(course) -> dict[str, object]:
    """The editable cells of a course's row, as the spec says now."""
    review = course.review
    return {"Title": course.title, "URL": course.url, "Hours": course.hours, "Description": course.description,
            "Prerequisites": format_prerequisites(course.prerequisites),
            "Decision": review.decision if review else None, "Comment": review.comment if review else None}


def objective_values(course, number: int) -> dict[str, object] | None:
    """The editable cells of objective `number` (1-based), or None when the course has no such objective."""
    if number > len(course.objectives):
        return None
    found = next((r for r in (course.review.objectives if course.review else []) if r.objective == number), None)
    return {"Objective": course.objectives[number - 1], "Decision": found.decision if found else None,
            "Comment": found.comment if found else None}


def normalise(kind: str, value):
    """A cell's value as the spec would hold it: blank is None, numbers are floats, text is stripped."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if kind == "prerequisites":
        return _written(parse_prerequisites(str(value))) or None
    if kind == "number":
        return float(value)
    if isinstance(value, float) and value.is_integer() and kind != "number":
        value = int(value)
    return str(value).strip() if kind != "text" and kind != "required-text" else str(value).rstrip()


DECISION_CHOICES = DECISIONS


def file_digest(path) -> str:
    """The fingerprint the workbook records for a spec file at export and compares at import."""
    import hashlib

    return hashlib.sha256(path.read_bytes()).hexdigest()
