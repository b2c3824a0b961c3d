"""CurricularAnalytics CSV files: a curriculum, or a degree plan whose terms become a track's stages.

The format (as CurricularAnalytics.jl reads and writes it): a few `key,value` rows (Curriculum,
Degree Plan, Institution, Degree Type, System Type, CIP), a `Courses` row, a header row, one row per
course (Course ID, Course Name, Prefix, Number, Prerequisites, Corequisites, Strict-Corequisites,
Credit Hours, Institution, Canonical Name, Term), and in a degree plan an `Additional Courses`
section. Requisites name course ids of the same file, separated by `;` (or `,` in older files).

Import turns each row into a course spec and the file into a track; export writes a track back.
What the other side cannot hold is reported, never dropped silently: learning-outcome sections on
import; alternatives (`any_of`), requisites outside the track, missing credit hours on export.
"""

from __future__ import annotations

import csv
import io
import math
import re
from dataclasses import dataclass
from pathlib import Path

from trackdesign.importers import Imported, UnreadableText, read_text
from trackdesign.spec.ids import slugify

HEADER = ["Course ID", "Course Name", "Prefix", "Number", "Prerequisites", "Corequisites", "Strict-Corequisites",
          "Credit Hours", "Institution", "Canonical Name", "Term"]
REQUISITE_COLUMNS = (("Prerequisites", "prerequisites"), ("Corequisites", "corequisites"),
                     ("Strict-Corequisites", "strict_corequisites"))
FACTS = ("Curriculum", "Degree Plan", "Institution", "Degree Type", "System Type", "CIP")
SECTIONS_LEFT_OUT = ("Course Learning Outcomes", "Curriculum Learning Outcomes")
TERM = re.compile(r"^term\s+(\d+)$", re.I)


class FormatError(ValueError):
    """The file is not a CurricularAnalytics curriculum or degree plan (exit 2)."""


@dataclass
class _Row:
    line: int
    cells: dict[str, str]
    additional: bool


def read(path: Path) -> Imported:
    """A CurricularAnalytics CSV file as course specs and one track, with a report of what was left
    out (learning-outcome sections, courses of a termed curriculum without a term). Raises FormatError."""
    try:
        text = read_text(path)
    except UnreadableText as exc:
        raise FormatError(str(exc)) from None
    except OSError as exc:
        raise FormatError(f"{path}: cannot read: {exc.strerror or exc}") from None
    return parse(text, str(path))


def parse(text: str, name: str = "<csv>") -> Imported:
    facts: dict[str, str] = {}
    rows: list[_Row] = []
    notes: list[tuple[int, str]] = []
    header: list[str] | None = None
    section = "facts"
    reader = csv.reader(io.StringIO(text))
    for cells in reader:
        line = reader.line_num
        cells = [c.strip() for c in cells]
        if not any(cells) or cells[0].startswith("#"):
            continue
        first = cells[0]
        if section == "facts":
            if first == "Courses":
                section = "header"
            elif first in facts:
                raise FormatError(f"{name}:{line}: {first!r} is given a second time; keep one")
            elif first in FACTS:
                facts[first] = cells[1] if len(cells) > 1 else ""
            else:
                raise FormatError(f"{name}:{line}: expected one of {', '.join(FACTS)} or 'Courses', got {first!r}")
            continue
        if first in ("Additional Courses", *SECTIONS_LEFT_OUT):
            if first in SECTIONS_LEFT_OUT:
                notes.append((line, f"section {first!r} (trackdesign keeps no learning outcomes)"))
                section = "skip"
            else:
                section = "additional header"
            continue
        if section in ("header", "additional header"):
            missing = [h for h in HEADER[:-1] if h not in cells]
            if missing:
                raise FormatError(f"{name}:{line}: the course header lacks {', '.join(missing)}")
            header = cells
            section = "additional" if section == "additional header" else "courses"
            continue
        if section in ("courses", "additional") and header is not None:
            if any(cells[len(header):]):
                raise FormatError(f"{name}:{line}: {len(cells)} cells, but the course header names {len(header)}")
            rows.append(_Row(line, dict(zip(header, cells + [""] * (len(header) - len(cells)))),
                             section == "additional"))
    if "Curriculum" not in facts or not facts["Curriculum"]:
        raise FormatError(f"{name}:1: expected a 'Curriculum,<name>' row first")
    if header is None:
        raise FormatError(f"{name}: no 'Courses' section with a course header")
    return _specs(facts, rows, notes, name)


def _specs(facts: dict[str, str], rows: list[_Row], notes, name: str) -> Imported:
    plan = "Degree Plan" in facts
    ids: dict[str, str] = {}  # the file's Course ID -> spec id
    taken: set[str] = set()
    for row in rows:
        key = row.cells["Course ID"]
        if not key:
            raise FormatError(f"{name}:{row.line}: a course without a Course ID")
        if key in ids:
            raise FormatError(f"{name}:{row.line}: Course ID {key!r} is used twice")
        code = " ".join(p for p in (row.cells["Prefix"], row.cells["Number"]) if p)
        cid = slugify(code) if row.cells["Prefix"] and row.cells["Number"] else slugify(row.cells["Course Name"])
        if not cid or cid in taken:
            cid = f"{cid or 'course'}-{slugify(key)}"
        if cid in taken:
            raise FormatError(f"{name}:{row.line}: Course ID {key!r} gives the id {cid!r} a course already has")
        ids[key] = cid
        taken.add(cid)
    courses: dict[str, dict] = {}
    terms: dict[int, list[str]] = {}
    without: list[int] = []  # lines of courses with no term
    for row in rows:
        cid = ids[row.cells["Course ID"]]
        courses[cid] = _course(row, ids, name)
        term = row.cells.get("Term", "")
        if term and (not term.isdigit() or int(term) < 1):
            raise FormatError(f"{name}:{row.line}: Term {term!r}: expected a term number (1, 2, ...)")
        if term:
            terms.setdefault(int(term), []).append(cid)
        else:
            without.append(row.line)
    if plan and without:
        raise FormatError(f"{name}:{without[0]}: a degree plan's course needs a term (1, 2, ...)")
    if terms and without:
        notes.append((without[0], f"the term of {len(without)} course(s): they have none, so are in no stage"))
    title = facts["Curriculum"]
    track_id = slugify(f"{title} {facts['Degree Plan']}" if plan and facts["Degree Plan"] else title) or "curriculum"
    track: dict = {"spec_version": 3, "title": title, "kind": "programme"}
    if facts.get("Institution"):
        track["provider"] = facts["Institution"]
    degree = {"plan": facts.get("Degree Plan") or None, "type": facts.get("Degree Type") or None,
              "system": (facts.get("System Type") or "").lower() or None, "cip": facts.get("CIP") or None,
              "additional_courses": [ids[r.cells["Course ID"]] for r in rows if r.additional]}
    order = [cid for n in sorted(terms) for cid in terms[n]]
    degree["additional_courses"].sort(key=lambda cid: order.index(cid) if cid in order else len(order))
    if degree["system"] not in (None, "semester", "quarter"):
        raise FormatError(f"{name}: System Type {facts['System Type']!r}: expected semester or quarter")
    degree = {k: v for k, v in degree.items() if v}
    if degree:
        track["degree"] = degree
    if not terms or without:  # a track's order is its stages' when every course has a term
        staged = [cid for n in sorted(terms) for cid in terms[n]]
        track["courses"] = staged + [cid for cid in ids.values() if cid not in staged]
    if terms:
        track["stages"] = [{"title": f"Term {n}", "courses": terms[n]} for n in sorted(terms)]
    result = Imported(courses=courses, tracks={track_id: track})
    result.lines.update({("courses", ids[r.cells["Course ID"]]): r.line for r in rows})
    result.lines[("tracks", track_id)] = 1
    for line, message in notes:
        result.report.add(line, "not placed", message)
    return result


def _course(row: _Row, ids: dict[str, str], name: str) -> dict:
    cells = row.cells
    spec: dict = {"spec_version": 3, "title": cells["Course Name"] or cells["Course ID"]}
    for key, column in (("prefix", "Prefix"), ("number", "Number"), ("canonical_name", "Canonical Name"),
                        ("provider", "Institution")):
        if cells.get(column):
            spec[key] = cells[column]
    hours = cells["Credit Hours"]
    if hours:
        try:
            value = float(hours)
        except ValueError:
            value = math.nan
        if not 0 <= value < math.inf:
            raise FormatError(f"{name}:{row.line}: Credit Hours {hours!r}: expected a number, 0 or more")
        spec["credit_hours"] = int(value) if value.is_integer() else value
    for column, key in REQUISITE_COLUMNS:
        named = [p.strip() for p in re.split(r"[;,]", cells[column]) if p.strip()]
        unknown = [p for p in named if p not in ids]
        if unknown:
            raise FormatError(f"{name}:{row.line}: {column} name Course ID {unknown[0]!r}, which no row has")
        if named:
            spec[key] = list(dict.fromkeys(ids[p] for p in named))
    return spec


# --- export ----------------------------------------------------------------------------------------

def write(catalog, track_id: str, plan: bool | None = None) -> tuple[str, list[str]]:
    """The track as a CurricularAnalytics CSV: a degree plan when its `degree` names one (or when
    `plan` says so; its stages are the terms), else a curriculum (with a Term column if the track
    has stages). Also returns what the format could not hold (a requirement it would weaken, a
    missing credit-hour count)."""
    track = catalog.tracks[track_id].model
    degree = track.degree
    plan = bool(degree and degree.plan) if plan is None else plan
    if plan and not track.stages:
        raise FormatError(f"track {track_id!r} has no stages to write as a degree plan's terms")
    additional = set(degree.additional_courses) if degree and plan else set()
    tail = [c for c in track.courses if c in additional]
    order = [c for c in track.courses if c not in additional] + tail
    number = {cid: str(k) for k, cid in enumerate(order, 1)}
    term = {}
    for s, stage in enumerate(track.stages):
        found = TERM.match(stage.title)
        for item in stage.courses:
            term.setdefault(item if isinstance(item, str) else item.course, int(found.group(1)) if found else s + 1)
    termed = bool(track.stages)
    problems: list[str] = []
    width = len(HEADER) if termed else len(HEADER) - 1
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")

    def fact(key, value):
        writer.writerow([key, value or ""] + [""] * (width - 2))
    fact("Curriculum", track.title)
    if plan:
        fact("Degree Plan", degree.plan if degree and degree.plan else track.title)
    fact("Institution", track.provider)
    fact("Degree Type", degree.type if degree else None)
    fact("System Type", degree.system if degree else None)
    fact("CIP", degree.cip if degree else None)
    fact("Courses", None)
    writer.writerow(HEADER[:width])
    for cid in order:
        if tail and cid == tail[0]:
            fact("Additional Courses", None)
            writer.writerow(HEADER[:width])
        writer.writerow(_row(catalog, track, cid, number, term.get(cid) if termed else None, plan, problems))
    return out.getvalue(), problems


def _row(catalog, track, cid: str, number: dict[str, str], term, plan: bool, problems: list[str]) -> list[str]:
    course = catalog.course(cid)
    termed = bool(track.stages)
    if course is None:
        problems.append(f"{cid}: no course spec")
        return [number[cid], cid] + [""] * (len(HEADER) - (2 if termed else 3))
    cells = [number[cid], course.title, course.prefix or "", course.number or ""]
    for _, key in REQUISITE_COLUMNS:
        named: list[str] = []
        for item in getattr(course, key):
            for atom in _flat(item, cid, key, problems):
                if atom not in number:
                    problems.append(f"{cid}: {key[:-1].replace('_', ' ')} {atom!r} is not in the track")
                elif number[atom] not in named:
                    named.append(number[atom])
        cells.append(";".join(named))
    if course.credit_hours is None:
        problems.append(f"{cid}: no credit_hours")
    cells += [_number(course.credit_hours), course.provider or track.provider or "", course.canonical_name or ""]
    if termed:
        if plan and not term:
            problems.append(f"{cid}: in no stage, so in no term")
        cells.append(str(term) if term else "")
    return cells


def _flat(item, cid: str, key: str, problems: list[str]) -> list[str]:
    """The courses a requirement needs, each of them: one course or an `all_of` of them; an
    `any_of` with several alternatives is reported (the format has no alternatives)."""
    if isinstance(item, str):
        return [item]
    if hasattr(item, "course"):
        return [item.course]
    parts = item.all_of if hasattr(item, "all_of") else item.any_of
    if hasattr(item, "any_of") and len(parts) > 1:
        from trackdesign.analysis.requisites import describe, expression

        problems.append(f"{cid}: {key[:-1].replace('_', ' ')} '{describe(expression(item))}' offers alternatives,"
                        " which the format cannot say")
        return []
    return [atom for part in parts for atom in _flat(part, cid, key, problems)]


def _number(value) -> str:
    if value is None:
        return ""
    return str(int(value)) if float(value).is_integer() else str(value)
