"""What the review workbook holds: its sheets, their columns, and how a spec value shows in a cell.

Export and import both read these definitions, so a column can never be written one way and read
another. Editable columns name the spec field they change; the rest are there to be read.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from trackdesign.spec.model import DECISIONS, prerequisite_ids

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
    """'a, b, any of (c | d)' for entries given as tuples of alternatives."""
    return ", ".join(a[0] if len(a) == 1 else "any of (" + " | ".join(a) + ")" for a in entries)


def format_prerequisites(items) -> str:
    """A course's prerequisites as one line a reviewer can edit."""
    return _written(tuple(prerequisite_ids(item)) for item in items)


GROUP = re.compile(r"^any\s+of\s*\((.*)\)$", re.I)


def parse_prerequisites(text: str) -> list[tuple[str, ...]]:
    """The inverse of `format_prerequisites`: one tuple of alternatives per entry. Raises ValueError."""
    entries, depth, current = [], 0, ""
    for char in text:
        depth += char == "("
        depth -= char == ")"
        if char == "," and depth == 0:
            entries.append(current)
            current = ""
        else:
            current += char
    entries.append(current)
    result = []
    for entry in (e.strip() for e in entries):
        if not entry:
            continue
        group = GROUP.match(entry)
        alternatives = [a.strip() for a in group.group(1).split("|")] if group else [entry]
        for alt in alternatives:
            if not re.fullmatch(r"[a-z0-9]+(?:[-_.][a-z0-9]+)*", alt):
                raise ValueError(f"{alt!r} is not a course id (write ids separated by commas,"
                                 " alternatives as 'any of (a | b)')")
        result.append(tuple(alternatives))
    return result


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
