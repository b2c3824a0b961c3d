"""What the engine makes of a rule's `Problem` (see `trackdesign.spec.problems`): a `Finding`.

The engine turns a problem's spec and path into a file, line and column, stamps code and
severity, and a finding serialises in one place (`Finding.as_dict`) that every output format,
report and spreadsheet uses.
"""

from __future__ import annotations

from dataclasses import dataclass

SEVERITIES = ("info", "warning", "error")


def severity_rank(severity: str) -> int:
    return SEVERITIES.index(severity)


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
