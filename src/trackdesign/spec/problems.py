"""What is wrong in a spec (`Problem`) and the safe edit that would mend it (`Fix`).

Loading and rules alike say what is wrong and where inside a spec (a path such as
`("prerequisites", 0)`); the lint engine turns that into a finding with file, line and column.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from trackdesign.spec.catalog import Spec

#: What loading finds wrong with a file, by kind: no YAML we read, a break of the spec format, an id
#: another file has. The lint rule reporting each kind says so (`found_by` in the rule registry).
NOT_YAML, OFF_FORMAT, DUPLICATE_ID = "not-yaml", "off-format", "duplicate-id"
LOADING = frozenset({NOT_YAML, OFF_FORMAT, DUPLICATE_ID})


@dataclass
class Fix:
    """A safe, mechanical edit of one spec file: delete the item at `path`, or set it to `value`.

    With `span` (start, end), only that part of the text at `path` is set to `value`: a URL
    inside a note, leaving the rest of the note (and any other URL it holds) as written.
    """

    action: str  # "delete" | "set"
    path: tuple
    value: Any = None
    expect: Any = None  # the value the fix assumes is there; a fix whose target moved is skipped
    span: tuple[int, int] | None = None


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
    kind: str | None = None  # for problems found while loading: one of LOADING
