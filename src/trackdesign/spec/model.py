"""The typed spec model: what a course and a track file may contain.

Pydantic validates (fast, all errors at once, each with its path) and gives us the JSON Schema
that `trackdesign schema` prints, so the schema can never drift from what the loader accepts.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Literal, Union

from pydantic import BaseModel, ConfigDict, Field, PrivateAttr, StringConstraints, model_validator

CourseId = Annotated[
    str,
    StringConstraints(pattern=r"^[a-z0-9]+(?:[-_.][a-z0-9]+)*$"),
    Field(description="A course id: the stem of a file in courses/ (kebab-case)."),
]
Text = Annotated[str, StringConstraints(min_length=1)]

Status = Literal["live", "in-development", "proposed", "retired", "external"]
STATUSES: tuple[str, ...] = Status.__args__  # type: ignore[attr-defined]

ResourceKind = Literal["course", "programme", "video", "book", "article", "project", "event", "activity"]
Cost = Literal["free", "paid"]


#: More hours than any course takes (a year of full-time study): a larger number is a typo, and an
#: unbounded one (`1e999` reads as infinity) would break every schedule computed from it.
MAX_HOURS = 2_000


def since(version: int) -> dict:
    """Mark a field as introduced in spec format `version` (checked by the loader, shown in the schema)."""
    return {"x-since-spec-version": version}


class _Spec(BaseModel):
    """Unknown keys are an error: a misspelt key must never be silently ignored."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=False, validate_default=False)


class PrerequisiteCourse(_Spec):
    """A requirement written as a mapping so that notes can hang on it."""

    course: CourseId
    notes: list[Text] = Field(default_factory=list, description="Designer notes on this requirement.")


class AnyOf(_Spec):
    """Alternatives: satisfying any one of them satisfies the group (each may itself be a group)."""

    any_of: list[Requirement] = Field(min_length=1)
    notes: list[Text] = Field(default_factory=list)


class AllOf(_Spec):
    """A group every part of which is needed: how an alternative made of several courses is written."""

    all_of: list[Requirement] = Field(min_length=1, json_schema_extra=since(3))
    notes: list[Text] = Field(default_factory=list)


#: One requirement: a course id, a course with notes, or a group, nested to any depth.
Requirement = Union[CourseId, PrerequisiteCourse, AnyOf, AllOf]
Prerequisite = Requirement  # the name older readers import
AnyOf.model_rebuild()
AllOf.model_rebuild()

REQUISITE_FIELDS = ("prerequisites", "corequisites", "strict_corequisites")


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


Decision = Literal["keep", "revise", "drop"]
DECISIONS: tuple[str, ...] = Decision.__args__  # type: ignore[attr-defined]


class ObjectiveReview(_Spec):
    objective: int = Field(ge=1, le=10_000, description="The objective's number in `objectives` (1 for the first).")
    decision: Decision | None = None
    comment: str | None = None


class Review(_Spec):
    """A reviewer's verdict, as applied from a review workbook (`trackdesign sheet import`)."""

    decision: Decision | None = None
    comment: str | None = None
    objectives: list[ObjectiveReview] = Field(default_factory=list)


class Course(_Spec):
    """One course: `courses/<id>.yaml`."""

    spec_version: int = Field(default=1, ge=1, description="Spec format version (1 to 3; 2 adds resource kinds and"
                              " stages, 3 corequisites, `all_of` and nested groups).")
    title: Text
    kind: ResourceKind = Field(default="course", json_schema_extra=since(2),
                               description="What the resource is: a course, a programme of courses, a video, a book, ...")
    url: str | None = None
    status: Status = "live"
    live_since: dt.date | None = None
    expected_live: dt.date | None = Field(default=None, description="For courses not yet live.")
    instructor: str | None = None
    provider: str | None = Field(default=None, description="Who offers it: a platform or an institution.")
    cost: Cost | None = Field(default=None, json_schema_extra=since(2), description="free or paid.")
    prefix: str | None = Field(default=None, json_schema_extra=since(3), description='Catalog prefix ("BW").')
    number: str | None = Field(default=None, json_schema_extra=since(3), description='Catalog number ("101").')
    canonical_name: str | None = Field(default=None, json_schema_extra=since(3),
                                       description="The name shared by equivalent courses of several institutions.")
    credit_hours: float | None = Field(default=None, ge=0, allow_inf_nan=False, json_schema_extra=since(3),
                                       description="Academic credit, unlike `hours` (of study).")
    description: str | None = Field(default=None, description="Marketing copy, quoted verbatim in reports.")
    objectives: list[Text] = Field(default_factory=list, description='Completes "Learner will be able to ...".')
    prerequisites: list[Requirement] = Field(
        default_factory=list, description="Each is needed before the course: a course id, `course` with notes,"
        " `any_of` (one of them) or `all_of` (every one), nested to any depth.")
    corequisites: list[Requirement] = Field(
        default_factory=list, json_schema_extra=since(3),
        description="Each is taken in the same term as the course, or earlier (same forms as prerequisites).")
    strict_corequisites: list[Requirement] = Field(
        default_factory=list, json_schema_extra=since(3),
        description="Each is taken in the same term as the course, never earlier (a lecture's lab).")
    tags: list[Text] = Field(default_factory=list)
    hours: float | None = Field(default=None, ge=0, le=MAX_HOURS, allow_inf_nan=False)
    difficulty: int | None = Field(default=None, ge=1, le=5, description="1 (introductory) to 5 (advanced).")
    slides: bool | None = Field(default=None, description="Whether slides are available for download.")
    notes: list[Text] = Field(default_factory=list, description="Designer notes, shown in the proposal.")
    chapters: list[Chapter] = Field(default_factory=list, description="The course outline.")
    outline_link: str | None = Field(default=None, description="Where the outline is written when `chapters` does"
                                     " not hold it (a document beside the proposal, or a page).")
    references: list[Reference] = Field(default_factory=list, description="What the outline is based on.")
    outline_notes: list[Text] = Field(default_factory=list, description="Notes shown at the end of the outline.")
    review: Review | None = Field(default=None, json_schema_extra=since(2),
                                  description="Reviewers' decisions and comments, from a review workbook.")

    @property
    def external(self) -> bool:
        """Someone else's resource: its title, id and objectives are not the designer's to change."""
        return self.status == "external"


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


class EntrySkill(_Spec):
    """Knowledge a track assumes that no single course stands for ("familiarity with machine learning")."""

    name: Text
    covers: list[Text] = Field(default_factory=list, description="Terms a course must teach to provide it.")


class Degree(_Spec):
    """What a university curriculum states beyond its courses (as CurricularAnalytics files keep it)."""

    plan: str | None = Field(default=None, description="The degree plan's name, when the stages are its terms.")
    type: str | None = Field(default=None, description='Degree type ("AA", "BS", ...).')
    system: Literal["semester", "quarter"] | None = Field(default=None, description="How the terms are counted.")
    cip: str | None = Field(default=None, description="Classification of Instructional Programs code.")
    additional_courses: list[CourseId] = Field(
        default_factory=list, description="Courses of the plan that are not part of the curriculum itself.")


class StageItem(_Spec):
    """A resource in a stage, with what the learner does with it there ("started", "completed")."""

    course: CourseId
    note: str | None = None


class Stage(_Spec):
    """A step or a month of a self-made curriculum: the resources taken in it, in order."""

    title: Text
    period: str | None = Field(default=None, description='When, in the author\'s words ("Month 1", "a few months").')
    description: str | None = None
    courses: list[Union[CourseId, StageItem]] = Field(min_length=1)
    notes: list[Text] = Field(default_factory=list)


def stage_item_id(item: CourseId | StageItem) -> str:
    return item if isinstance(item, str) else item.course


class Track(_Spec):
    """One track: `tracks/<id>.yaml`; its courses in the order a learner takes them."""

    spec_version: int = Field(default=1, ge=1, description="Spec format version (1 to 3; 2 adds stages and track"
                              " facts, 3 the degree).")
    title: Text
    kind: Literal["skill", "career", "specialization", "programme", "self-paced", "self-made"] = "skill"
    provider: str | None = Field(default=None, description="Who offers the track (shown in the task analysis).")
    url: str | None = Field(default=None, json_schema_extra=since(2))
    instructor: str | None = Field(default=None, json_schema_extra=since(2))
    focus: str | None = Field(default=None, json_schema_extra=since(2), description="What the track is about, in a phrase.")
    audience: str | None = Field(default=None, json_schema_extra=since(2), description="Who the track is for.")
    duration: str | None = Field(default=None, json_schema_extra=since(2),
                                 description='Duration as the provider states it ("about 7 months"); course count and hours are computed.')
    cost: Cost | None = Field(default=None, json_schema_extra=since(2))
    description: str | None = None
    entry_requirements: list[CourseId] = Field(default_factory=list, description="Courses assumed before the track starts.")
    entry_skills: list[EntrySkill] = Field(default_factory=list, json_schema_extra=since(2),
                                           description="Knowledge assumed before the track starts, beyond courses.")
    requirements: list[Requirement] = Field(default_factory=list)
    courses: Annotated[list[CourseId], Field(min_length=1)] | None = Field(
        default=None, description="In order; may be left out when `stages` lists them.")
    stages: list[Stage] = Field(default_factory=list, json_schema_extra=since(2),
                                description="Steps or months, each with its resources (self-made curricula).")
    degree: Degree | None = Field(default=None, json_schema_extra=since(3),
                                  description="A university curriculum's degree facts (type, term system, CIP).")
    compare_with: list[Text] = Field(default_factory=list, json_schema_extra=since(2),
                                     description="Track ids this track is compared with in `trackdesign build`.")
    portfolio: Portfolio | None = None
    competitors: list[Competitor] = Field(default_factory=list)
    bibliography: list[Reference] = Field(default_factory=list)
    notes: list[Text] = Field(default_factory=list)

    _course_paths: list[tuple] = PrivateAttr(default_factory=list)

    @model_validator(mode="after")
    def _courses_from_stages(self):
        """A staged track's course list is its stages' resources in order, each once."""
        if self.courses is None and self.stages:
            seen: dict[str, tuple] = {}
            for s, stage in enumerate(self.stages):
                for j, item in enumerate(stage.courses):
                    seen.setdefault(stage_item_id(item), ("stages", s, "courses", j))
            self.courses = list(seen)
            self._course_paths = list(seen.values())
        elif self.stages:
            missing = [stage_item_id(i) for st in self.stages for i in st.courses if stage_item_id(i) not in self.courses]
            if missing:
                raise ValueError(f"stages name {', '.join(map(repr, missing))}, not in the track's `courses`;"
                                 " list them there too, or leave `courses` out")
        if self.courses is None:
            raise ValueError("missing required key 'courses' (or 'stages' listing the courses)")
        if not self._course_paths:
            self._course_paths = [("courses", i) for i in range(len(self.courses))]
        return self

    def course_path(self, index: int) -> tuple:
        """Where the track's `index`th course is written (in `courses`, or in a stage)."""
        return self._course_paths[index]


def prerequisite_ids(item: Requirement) -> list[str]:
    """Every course id a requirement names, in the order written (a group's at any depth)."""
    if isinstance(item, str):
        return [item]
    if isinstance(item, PrerequisiteCourse):
        return [item.course]
    found: list[str] = []
    for part in item.any_of if isinstance(item, AnyOf) else item.all_of:
        found += [cid for cid in prerequisite_ids(part) if cid not in found]
    return found


def requirement_ids(item: Requirement, path: tuple):
    """(path, course id) for every course a requirement names, at any depth, as written."""
    if isinstance(item, str):
        yield path, item
    elif isinstance(item, PrerequisiteCourse):
        yield path, item.course
    else:
        key = "any_of" if isinstance(item, AnyOf) else "all_of"
        for k, part in enumerate(getattr(item, key)):
            yield from requirement_ids(part, (*path, key, k))
