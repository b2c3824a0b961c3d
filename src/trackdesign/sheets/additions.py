"""Rows a reviewer adds to a review workbook: a proposed objective, or a proposed course.

The objective-count rule's hint is to add objectives, and reviewers propose courses, so an added
row on an editable sheet is a proposal applied like any edit: shown in the diff first, written
only when nothing conflicts, and never at the cost of what a spec says already. An objective is
appended to its course (or placed at the number the reviewer gave after the last one); a course
becomes a new spec with status `proposed`, listed in the track at the row's position.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import yaml

from trackdesign.analysis.requisites import atoms
from trackdesign.sheets.layout import COURSES, OBJECTIVES, needs_format_3, spec_form
from trackdesign.spec.ids import ID_PATTERN, slugify
from trackdesign.spec.yamledit import dump, insert_items, set_keys


@dataclass
class Addition:
    place: object  # importer.Place of the row
    sheet: str
    course: str
    values: dict[str, object] = field(default_factory=dict)  # header -> value in the spec's terms
    position: int | None = None  # "#": the objective's number, or the course's place in the track


def read_added(catalog, name: str, cells: dict, place, read_cell, problems: list) -> Addition | None:
    """An added row as a proposal, or None with what is wrong appended to `problems`.

    `read_cell(header)` returns the reviewer's value in the spec's terms (raising ValueError).
    """
    values = {}
    for header in cells:
        try:
            values[header] = read_cell(header)
        except ValueError as exc:
            problems.append((_at(place, header), str(exc)))
            return None
    position = _position(values.pop("#", None), place, problems)
    if position is False:
        return None
    if name == OBJECTIVES:
        course = str(values.pop("Course id") or "").strip()
        if course not in catalog.courses:
            problems.append((_at(place, "Course id"), f"added objective for {course or 'no course'!r}: give the id"
                             " of a course in the specs"))
            return None
        objectives = catalog.course(course).objectives
        existing = len(objectives)
        if position is not None and position <= existing:
            again = str(values.get("Objective") or "").strip() == objectives[position - 1].strip()
            problems.append((_at(place, "#"), f"{course} already has objective {position}"
                             + (" with this text: was this workbook imported already?" if again else
                                f"; to add one, leave # blank or number it after {existing}")))
            return None
        return Addition(place, name, course, values, position)
    values.pop("Status", None)
    course = str(values.pop("Course id") or "").strip() or slugify(str(values.get("Title") or ""))
    if not ID_PATTERN.match(course):
        problems.append((_at(place, "Course id"), f"added course {course!r}: a course id is lower-case letters,"
                         " digits and hyphens"))
        return None
    if course in catalog.courses:
        problems.append((_at(place, "Course id"), f"course {course!r} exists already; only new courses can be"
                         " added as rows (add an existing one to the track in its track file)"))
        return None
    unknown = [a for e in _prerequisites(values) for a in atoms(e) if a not in catalog.courses]
    if unknown:
        problems.append((_at(place, "Prerequisites"), f"unknown course id {unknown[0]!r}"))
        return None
    return Addition(place, name, course, values, position)


def _at(place, header: str):
    return type(place)(place.sheet, place.row, header)


def _position(value, place, problems) -> int | None | bool:
    if value in (None, ""):
        return None
    try:
        number = int(float(value))
    except (TypeError, ValueError):
        number = 0
    if number < 1:
        problems.append((_at(place, "#"), f"expected a number from 1 (or blank), got {value!r}"))
        return False
    return number


def _prerequisites(values: dict) -> list:
    """The expressions of an added row's Prerequisites cell."""
    from trackdesign.sheets.layout import parse_prerequisites

    return parse_prerequisites(values.get("Prerequisites") or "")


def plan_additions(catalog, track_id: str, additions: list[Addition], changes: dict, problems: list) -> None:
    """Add each proposal to `changes` ({file: (old text, new text)}), on top of the edits already there."""
    seen: dict[str, Addition] = {}
    for addition in additions:
        if addition.sheet == COURSES and addition.course in seen:
            problems.append((addition.place, f"course {addition.course!r} is added twice"))
            return
        seen[addition.course] = addition
    new_courses = [a for a in additions if a.sheet == COURSES]
    for addition in new_courses:
        path = catalog.root / "courses" / f"{addition.course}.yaml"
        if path.exists():
            problems.append((addition.place, f"{path.name} exists already"))
            return
        changes[path] = ("", _course_text(addition))
    if new_courses:
        _add_to_track(catalog, track_id, new_courses, changes, problems)
    by_course: dict[str, list[Addition]] = {}
    for addition in additions:
        if addition.sheet == OBJECTIVES:
            by_course.setdefault(addition.course, []).append(addition)
    for course, added in by_course.items():
        _add_objectives(catalog, course, added, changes, problems)


def _course_text(addition: Addition) -> str:
    v = addition.values
    data: dict = {"title": v.get("Title"), "status": "proposed"}
    for header, key in (("URL", "url"), ("Hours", "hours"), ("Description", "description")):
        if v.get(header) is not None:
            value = v[header]
            data[key] = int(value) if key == "hours" and float(value).is_integer() else value
    entries = _prerequisites(v)
    if entries:
        data["prerequisites"] = [spec_form(e) for e in entries]
    review = {k.lower(): v[k] for k in ("Decision", "Comment") if v.get(k) is not None}
    if review:
        data = {**data, "review": review}
    if review or needs_format_3(entries):
        data = {"spec_version": 3 if needs_format_3(entries) else 2, **data}
    return "# Proposed in a review workbook (`trackdesign sheet import`).\n" + dump(data)


def _add_to_track(catalog, track_id, added: list[Addition], changes: dict, problems: list) -> None:
    spec = catalog.tracks[track_id]
    if spec.model.stages:
        problems.append((added[0].place, f"track {track_id!r} lists its courses in stages; add the new course to a"
                         " stage in its track file"))
        return
    old = changes.get(spec.file, (spec.file.read_text(encoding="utf-8"),) * 2)
    count = len(spec.model.courses)
    items = [((a.position - 1) if a.position else count + k, a.course) for k, a in enumerate(added)]
    _change(spec.file, old, insert_items(old[1], "courses", items), added[0], changes, problems)


def _add_objectives(catalog, course: str, added: list[Addition], changes: dict, problems: list) -> None:
    spec = catalog.courses[course]
    old = changes.get(spec.file, (spec.file.read_text(encoding="utf-8"),) * 2)
    current = catalog.course(course).objectives
    added = sorted(added, key=lambda a: a.position or 10**6)
    for addition in added:
        if addition.values.get("Objective") in current:
            problems.append((addition.place, f"{course} has this objective already"))
            return
    items = [(len(current) + k, str(a.values["Objective"])) for k, a in enumerate(added)]
    text = insert_items(old[1], "objectives", items)
    if text is not None and any(a.values.get("Decision") or a.values.get("Comment") for a in added):
        text = _with_reviews(text, len(current), added)
    _change(spec.file, old, text, added[0], changes, problems)


def _change(file, old: tuple[str, str], text: str | None, addition: Addition, changes: dict, problems: list) -> None:
    if text is None:
        problems.append((addition.place, f"could not add this row to {file.name} without changing its other"
                         " content"))
    else:
        changes[file] = (old[0], text)


def _with_reviews(text: str, before: int, added: list[Addition]) -> str | None:
    """The reviewer's decision and comment on added objectives, under `review.objectives`."""
    data = yaml.safe_load(text)
    review = dict(data.get("review") or {})
    entries = list(review.get("objectives") or [])
    for number, addition in enumerate(added, before + 1):
        entry = {"objective": number, **{k.lower(): addition.values[k] for k in ("Decision", "Comment")
                                         if addition.values.get(k) is not None}}
        if len(entry) > 1:
            entries.append(entry)
    review["objectives"] = entries
    changes = {"review": review}
    if (data.get("spec_version") or 1) < 2:
        changes["spec_version"] = 2
    return set_keys(text, changes)
