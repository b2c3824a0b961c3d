"""What a rule reports (`Problem`) and what the engine makes of it (`Finding`).

Rules say what is wrong and where inside a spec (a path such as `("prerequisites", 0)`); the engine
turns that into a file, line and column, stamps code and severity, and serialises it in one place
(`Finding.as_dict`) that every output format, report and spreadsheet uses.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from trackdesign.spec.catalog import Spec

SEVERITIES = ("info", "warning", "error")


def severity_rank(severity: str) -> int:
    return SEVERITIES.index(severity)


@dataclass
class Fix:
    """A safe, mechanical edit of one spec file: delete the item at `path`, or set it to `value`."""

    action: str  # "delete" | "set"
    path: tuple
    value: Any = None
    expect: Any = None  # the value the fix assumes is there; a fix whose target moved is skipped


@dataclass
class Problem:
    """A rule's report: what is wrong, in which spec, at which path inside it."""

    spec: "Spec | None"
    message: str
    path: tuple = ()
    hint: str | None = None
    key: bool = False  # point at the key rather than its value
    fix: Fix | None = None
    related: list[str] = field(default_factory=list)  # other files or ids involved
    file: str | None = None  # for problems in files that did not load as specs
    line: int | None = None
    column: int | None = None


@dataclass(frozen=True)
class Finding:
    code: str
    name: str
    severity: str
    path: str
    line: int
    column: int
    message: str
    hint: str | None = None
    subject: str | None = None  # the course or track id
    fixable: bool = False
    related: tuple[str, ...] = ()

    def sort_key(self):
        return (self.path, self.line, self.column, self.code, self.message)

    def as_dict(self) -> dict:
        return {
            "code": self.code,
            "name": self.name,
            "severity": self.severity,
            "path": self.path,
            "line": self.line,
            "column": self.column,
            "message": self.message,
            "hint": self.hint,
            "subject": self.subject,
            "fixable": self.fixable,
            "related": list(self.related),
        }
