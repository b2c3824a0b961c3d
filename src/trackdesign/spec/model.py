"""The typed spec model: what a course and a track file may contain.

Pydantic validates (fast, all errors at once, each with its path) and gives us the JSON Schema
that `trackdesign schema` prints, so the schema can never drift from what the loader accepts.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Literal, Union

from pydantic import BaseModel, ConfigDict, Field, StringConstraints

CourseId = Annotated[
    str,
    StringConstraints(pattern=r"^[a-z0-9]+(?:[-_.][a-z0-9]+)*$"),
    Field(description="A course id: the stem of a file in courses/ (kebab-case)."),
]
Text = Annotated[str, StringConstraints(min_length=1)]

Status = Literal["live", "in-development", "proposed", "retired", "external"]
STATUSES: tuple[str, ...] = Status.__args__  # type: ignore[attr-defined]


class _Spec(BaseModel):
    """Unknown keys are an error: a misspelt key must never be silently ignored."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=False, validate_default=False)


class PrerequisiteCourse(_Spec):
    """A prerequisite written as a mapping so that notes can hang on it."""

    course: CourseId
    notes: list[Text] = Field(default_factory=list, description="Designer notes on this prerequisite.")


class AnyOf(_Spec):
    """A group of alternatives: completing any one of them satisfies the requirement."""

    any_of: list[CourseId] = Field(min_length=1)
    notes: list[Text] = Field(default_factory=list)


Prerequisite = Union[CourseId, PrerequisiteCourse, AnyOf]


class Reference(_Spec):
    citation: Text
    url: str | None = None
    note: str | None = None


class Lesson(_Spec):
    title: Text
    objectives: list[Text] = Field(default_factory=list)
    notes: list[Text] = Field(default_factory=list)
    references: list[Reference] = Field(default_factory=list)


class Chapter(_Spec):
    title: Text
    lessons: list[Lesson] = Field(default_factory=list)
    notes: list[Text] = Field(default_factory=list)


class Course(_Spec):
    """One course: `courses/<id>.yaml`."""

    spec_version: int = Field(default=1, ge=1, description="Spec format version (currently 1).")
    title: Text
    url: str | None = None
    status: Status = "live"
    live_since: dt.date | None = None
    expected_live: dt.date | None = Field(default=None, description="For courses not yet live.")
    instructor: str | None = None
    provider: str | None = None
    description: str | None = Field(default=None, description="Marketing copy, quoted verbatim in reports.")
    objectives: list[Text] = Field(default_factory=list, description='Completes "Learner will be able to ...".')
    prerequisites: list[Prerequisite] = Field(default_factory=list)
    tags: list[Text] = Field(default_factory=list)
    hours: float | None = Field(default=None, ge=0)
    difficulty: int | None = Field(default=None, ge=1, le=5, description="1 (introductory) to 5 (advanced).")
    slides: bool | None = Field(default=None, description="Whether slides are available for download.")
    notes: list[Text] = Field(default_factory=list, description="Designer notes, shown in the proposal.")
    chapters: list[Chapter] = Field(default_factory=list, description="The course outline.")
    references: list[Reference] = Field(default_factory=list, description="What the outline is based on.")
    outline_notes: list[Text] = Field(default_factory=list, description="Notes shown at the end of the outline.")


class Requirement(_Spec):
    """One "track specification" of the task analysis."""

    name: Text
    detail: str | None = None
    covers: list[Text] = Field(default_factory=list, description="Terms or tags the track's courses must teach.")


class InDevelopment(_Spec):
    """A course seen on a roadmap, not yet in the catalog."""

    title: Text
    instructor: str | None = None
    expected_live: dt.date | None = None
    url: str | None = None


class Portfolio(_Spec):
    relevant: list[CourseId] = Field(default_factory=list, description="Catalog courses relevant to the track.")
    in_development: list[InDevelopment] = Field(default_factory=list)
    source: str | None = Field(default=None, description="Where the in-development list comes from (a roadmap URL).")


class Competitor(_Spec):
    provider: Text
    title: Text
    url: str | None = None
    note: str | None = None


class Track(_Spec):
    """One track: `tracks/<id>.yaml`; its courses in the order a learner takes them."""

    spec_version: int = Field(default=1, ge=1, description="Spec format version (currently 1).")
    title: Text
    kind: Literal["skill", "career", "specialization", "programme", "self-paced"] = "skill"
    provider: str | None = Field(default=None, description="Who offers the track (shown in the task analysis).")
    description: str | None = None
    entry_requirements: list[CourseId] = Field(default_factory=list, description="Courses assumed before the track starts.")
    requirements: list[Requirement] = Field(default_factory=list)
    courses: list[CourseId] = Field(min_length=1)
    portfolio: Portfolio | None = None
    competitors: list[Competitor] = Field(default_factory=list)
    bibliography: list[Reference] = Field(default_factory=list)
    notes: list[Text] = Field(default_factory=list)


def prerequisite_ids(item: Prerequisite) -> list[str]:
    """The course ids a prerequisite entry names (one, or the alternatives of a group)."""
    if isinstance(item, str):
        return [item]
    if isinstance(item, PrerequisiteCourse):
        return [item.course]
    return list(item.any_of)
