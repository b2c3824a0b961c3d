"""`trackdesign sheet import`: a reviewer's edits back into the YAML, and nothing else.

Each editable cell is compared three ways: as exported (recorded in the workbook), as the reviewer
left it, and as the spec says now. A cell the reviewer changed is an edit; if the spec changed the
same field since export, that is a conflict and nothing is written. Edits to fields nobody else
touched are merged even when the file changed elsewhere. A row the reviewer added is a proposal
(`additions.py`). Anything the import cannot apply exactly (renamed columns, deleted rows, wrong
types, formulas, unknown sheets) is reported with sheet, row and column, and then nothing is
written either.
"""

from __future__ import annotations

import copy
import datetime as dt
import json
import zipfile
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

from trackdesign.sheets.additions import plan_additions, read_added
from trackdesign.spec.model import MAX_HOURS
from trackdesign.spec.problems import Fix
from trackdesign.sheets.layout import (COURSES, DECISION_CHOICES, EDITABLE_SHEETS, FORMAT, KEY_COLUMNS,
                                       META_SHEET, OBJECTIVES, READONLY_SHEETS, course_values, file_digest,
                                       normalise, needs_format_3, objective_values, parse_prerequisites, spec_form)

MAX_UNPACKED = 200 * 1024 * 1024  # a review workbook is kilobytes; refuse zip bombs before parsing
#: Rows read from a sheet, and columns beyond the layout's: far more than a track's review holds, and
#: what keeps a sheet that declares A1:XFD1048576 (or holds a million rows) from costing gigabytes.
MAX_ROWS = 10_000
EXTRA_COLUMNS = 20


class WorkbookError(Exception):
    """The file cannot be read as a review workbook at all (exit 2)."""


@dataclass
class Place:
    sheet: str
    row: int | None = None
    column: str | None = None  # header

    def __str__(self) -> str:
        where = self.sheet + (f" row {self.row}" if self.row else "")
        return where + (f", column {self.column!r}" if self.column else "")


@dataclass
class Edit:
    place: Place
    course: str
    column: str
    objective: int | None
    old: object
    new: object


@dataclass
class Outcome:
    problems: list[tuple[Place, str]] = field(default_factory=list)
    conflicts: list[tuple[Place, str]] = field(default_factory=list)
    edits: list[Edit] = field(default_factory=list)
    changes: dict[Path, tuple[str, str]] = field(default_factory=dict)  # file -> (old text, new text)
    changed_since: list[str] = field(default_factory=list)  # files edited since export (merged)
    additions: list = field(default_factory=list)  # rows the reviewer added (sheets/additions.py)


def read_workbook(path: Path):
    """Open an untrusted workbook safely: size-checked, XML parsed by defusedxml, formulas kept as such."""
    import openpyxl
    import openpyxl.xml

    if not openpyxl.xml.DEFUSEDXML:
        raise WorkbookError("defusedxml is not installed; refusing to parse an untrusted workbook")
    try:
        with zipfile.ZipFile(path) as archive:
            unpacked = sum(info.file_size for info in archive.infolist())
    except (zipfile.BadZipFile, OSError) as exc:
        raise WorkbookError(f"{path}: not an xlsx workbook ({exc})") from None
    if unpacked > MAX_UNPACKED:
        raise WorkbookError(f"{path}: unpacks to {unpacked / 2**20:.0f} MB, more than a review workbook can be")
    try:
        # read-only: rows are parsed as they are read, without a cell object per cell kept (close it)
        return openpyxl.load_workbook(path, data_only=False, read_only=True)
    except Exception as exc:  # defusedxml's EntitiesForbidden, malformed XML, missing parts
        raise WorkbookError(f"{path}: cannot read the workbook safely ({_root_cause(exc)})") from None


def _meta(wb) -> tuple[dict, dict[str, dict[str, dict]]]:
    """The export's record and snapshot from the hidden sheet, every part checked for its shape: the
    sheet is as open to tampering as the rest of the workbook."""
    if META_SHEET not in wb.sheetnames:
        raise WorkbookError(f"no {META_SHEET!r} sheet: not a workbook written by `trackdesign sheet export`")
    rows, _ = bounded_rows(wb[META_SHEET], META_SHEET, 3)
    values = [[cell.value for cell in row] for row in rows]
    try:
        if not values or values[0][1] is None:
            raise ValueError("no record in its first row")
        record = json.loads(values[0][1])
        if not isinstance(record, dict):
            raise ValueError("the record is no mapping")
        if record.get("format") != FORMAT:
            raise WorkbookError(f"workbook layout {record.get('format')!r}; this trackdesign reads layout {FORMAT}:"
                                " export the workbook again (edits in it can be typed into the new one)")
        document = json.loads("".join(str(row[2]) for row in values[1:] if row[0] == "snapshot"))
        record["files"], sheets = _snapshot(document)
        if not isinstance(record.get("track"), str):
            raise ValueError("no track named")
        return record, sheets
    except (IndexError, TypeError, ValueError, KeyError, RecursionError) as exc:
        reason = "nested too deeply" if isinstance(exc, RecursionError) else str(exc)[:200]
        raise WorkbookError(f"the {META_SHEET!r} sheet is damaged ({reason}); export the workbook again") from None


def _snapshot(document) -> tuple[dict[str, str], dict[str, dict[str, dict]]]:
    """(spec file -> digest, sheet -> row key -> column -> value), or ValueError for any other shape."""
    if not isinstance(document, dict):
        raise ValueError("the snapshot is no mapping")
    files, sheets = document["files"], document["sheets"]
    if not isinstance(files, dict) or not all(isinstance(k, str) and isinstance(v, str) for k, v in files.items()):
        raise ValueError("the file list is not file: digest pairs")
    if any(Path(name).is_absolute() or ".." in Path(name).parts for name in files):
        raise ValueError("a file named outside the specs folder")
    if not isinstance(sheets, dict):
        raise ValueError("the sheets are no mapping")
    for rows in sheets.values():
        if not isinstance(rows, dict):
            raise ValueError("a sheet's rows are no mapping")
        for key, row in rows.items():
            if not isinstance(key, str) or not isinstance(row, dict) or not all(
                    isinstance(k, str) and (v is None or isinstance(v, (str, int, float))) for k, v in row.items()):
                raise ValueError(f"row {str(key)[:40]!r} is not column: value pairs")
    return files, sheets


def bounded_rows(ws, name: str, width: int) -> tuple[list[list], int | None]:
    """The first MAX_ROWS rows of a sheet, each as `width` cells, and the number of the first
    row beyond them that holds anything (None when there is none).

    The dimension a sheet declares is ignored, so one far cell cannot make every row and column
    up to it be read. A sheet whose XML cannot be read (truncated, malformed) is a WorkbookError.
    """
    try:
        ws.reset_dimensions()
        rows = [_padded(cells, width) for cells in ws.iter_rows(max_row=MAX_ROWS, max_col=width)]
        beyond, gap = None, None
        later = ws.iter_rows(min_row=MAX_ROWS + 1, max_col=width)
        for number, cells in enumerate(later, MAX_ROWS + 1):
            if cells is gap:  # the reader repeats one empty row for every row the sheet leaves out
                continue
            if any(c.value not in (None, "") for c in cells):
                beyond = number
                break
            gap = cells
        later.close()
    except WorkbookError:
        raise
    except Exception as exc:  # noqa: BLE001 - whatever the XML parser makes of a damaged sheet
        raise WorkbookError(f"sheet {name!r} cannot be read ({_root_cause(exc)}); export the workbook again"
                            " (edits in it can be typed into the new one)") from None
    return rows, beyond


def _padded(cells, width: int) -> list:
    row = list(cells[:width])
    row.extend([_EMPTY] * (width - len(row)))  # a read-only sheet may leave out trailing empty cells
    return row


def _root_cause(exc: BaseException) -> str:
    root = exc
    while root.__cause__ or root.__context__:  # openpyxl wraps the parser's error; name the cause
        root = root.__cause__ or root.__context__
    return f"{type(root).__name__}: {root}".split("\n")[0][:200]


def _cell_value(kind: str, cell):
    """The reviewer's value in the spec's terms, or raise ValueError with what was expected.

    Text columns take text only: a number, date or error (#REF!) there is what a spreadsheet made
    of what was typed, not what the reviewer meant, and is reported rather than turned into text.
    """
    value = cell.value
    if cell.data_type == "f":
        raise ValueError(f"holds a formula ({value}); type the value itself")
    if cell.data_type == "e":
        raise ValueError(f"holds the error {value}; type the value itself")
    if isinstance(value, (dt.date, dt.time, dt.timedelta)):
        raise ValueError(f"holds a date or time ({value}); expected {'a number of hours' if kind == 'number' else 'text'}")
    if kind not in ("number", "readonly") and isinstance(value, (int, float)):
        what = f"the value {str(value).upper()}" if isinstance(value, bool) else f"the number {value}"
        raise ValueError(f"holds {what}; expected text (type it with a leading apostrophe to keep it as text)")
    if kind == "number":
        if value is None or (isinstance(value, str) and not value.strip()):
            return None
        if isinstance(value, bool) or not isinstance(value, (int, float, str)):
            raise ValueError(f"expected a number of hours, got {value!r}")
        try:
            number = float(value)
        except ValueError:
            raise ValueError(f"expected a number of hours, got {value!r}") from None
        if not 0 <= number <= MAX_HOURS:  # false for nan too
            raise ValueError(f"expected a number of hours from 0 to {MAX_HOURS}, got {value!r}")
        return number
    text = normalise(kind, value)  # prerequisites: parsed and written canonically (ValueError if unreadable)
    if kind == "required-text" and text is None:
        raise ValueError("cannot be empty")
    if kind == "decision" and text is not None and text.lower() not in DECISION_CHOICES:
        raise ValueError(f"expected one of {', '.join(DECISION_CHOICES)} (or blank), got {text!r}")
    if kind == "decision" and text is not None:
        return text.lower()
    return text


def plan_import(catalog, wb) -> Outcome:
    """Everything the import would do, without writing: edits, file texts, problems and conflicts."""
    record, snapshot = _meta(wb)
    outcome = Outcome()
    track = record.get("track")
    if track not in catalog.tracks:
        outcome.problems.append((Place("Track"), f"the workbook is for track {track!r}, not in these specs"))
        return outcome
    for rel, digest in record.get("files", {}).items():
        file = catalog.root / rel
        if not file.is_file() or file_digest(file) != digest:
            outcome.changed_since.append(rel)
    for name in wb.sheetnames:
        if name not in EDITABLE_SHEETS and name not in READONLY_SHEETS and name != META_SHEET:
            outcome.problems.append((Place(name), "unknown sheet; its contents would not be applied"))
    for name, columns in EDITABLE_SHEETS.items():
        if name not in wb.sheetnames:
            outcome.problems.append((Place(name), "sheet missing (renamed or deleted)"))
            continue
        _read_sheet(catalog, track, wb[name], name, columns, snapshot.get(name, {}), outcome)
    if not outcome.problems and not outcome.conflicts:
        _to_texts(catalog, outcome)
        plan_additions(catalog, track, outcome.additions, outcome.changes, outcome.problems)
    return outcome


class _Empty:
    value = None
    data_type = "n"


_EMPTY = _Empty()


def _read_sheet(catalog, track: str, ws, name, columns, exported: dict[str, dict], outcome: Outcome):
    headers = [c.header for c in columns]
    width = len(headers) + EXTRA_COLUMNS
    rows, beyond = bounded_rows(ws, name, width)
    if beyond is not None:
        outcome.problems.append((Place(name, beyond), f"the sheet goes on past row {MAX_ROWS}; a review workbook"
                                 " has far fewer rows (was something pasted far below the table?)"))
    found = [c.value for c in rows[0]] if rows else [None] * width
    bad = False
    for i, header in enumerate(headers):
        if found[i] != header:
            outcome.problems.append((Place(name, 1, header), f"column {i + 1} is headed {found[i]!r}; expected"
                                     f" {header!r} (columns cannot be renamed, moved or deleted)"))
            bad = True
    for i in range(len(headers), len(found)):
        if found[i] not in (None, ""):
            outcome.problems.append((Place(name, 1, str(found[i])), "column added; it would not be applied"))
    if bad:
        return
    keys = KEY_COLUMNS[name]
    seen: dict[str, int] = {}
    for row, line in enumerate(rows[1:], 2):
        cells = {h: line[i] for i, h in enumerate(headers)}
        if all(c.value in (None, "") for c in cells.values()):
            continue
        key = "#".join(str(normalise("readonly", cells[k].value)) for k in keys)
        if key not in exported:  # an added row: a proposed course or objective
            kinds = {c.header: c.kind for c in columns}
            addition = read_added(catalog, name, cells, Place(name, row),
                                  lambda header: _cell_value(kinds[header], cells[header]), outcome.problems)
            if addition is not None:
                outcome.additions.append(addition)
            continue
        if key in seen:
            outcome.problems.append((Place(name, row, keys[0]), f"row {key!r} also at row {seen[key]}"))
            continue
        seen[key] = row
        course_id = key.split("#")[0]
        objective = int(key.split("#")[1]) if name == OBJECTIVES else None
        current_spec = catalog.course(course_id)
        if name == COURSES and current_spec is not None:
            _shown_unchanged(catalog, track, course_id, cells, Place(name, row), outcome)
        current = None
        if current_spec is not None:
            current = course_values(current_spec) if objective is None else objective_values(current_spec, objective)
        for column in columns:
            if not column.editable:
                continue
            place = Place(name, row, column.header)
            try:
                new = _cell_value(column.kind, cells[column.header])
            except ValueError as exc:
                outcome.problems.append((place, str(exc)))
                continue
            old = normalise(column.kind, exported[key].get(column.header))
            if new == old:
                continue
            now = None if current is None else normalise(column.kind, current.get(column.header))
            if current is None:
                outcome.conflicts.append((place, f"{'course' if objective is None else 'objective'} {key!r} no"
                                          " longer exists in the specs"))
            elif now != old and now != new:
                outcome.conflicts.append((place, f"changed in the spec since export: was {old!r}, the spec now"
                                          f" says {now!r}, the workbook says {new!r}"))
            elif now != new:
                outcome.edits.append(Edit(place, course_id, column.header, objective, old, new))
    for key, _ in exported.items():
        if key not in seen:
            outcome.problems.append((Place(name), f"row {key!r} was deleted; rows cannot be deleted (use the"
                                     " Decision column to propose dropping)"))


def _shown_unchanged(catalog, track: str, course_id: str, cells, place: Place, outcome: Outcome) -> None:
    """Status and # (the course's place in the track) are shown, not edited: a reviewer's change to
    either would be lost, so it is refused. Each is as exported while its spec file is unchanged since."""
    course, listing = catalog.courses[course_id], catalog.tracks[track]
    order = listing.model.courses
    for header, spec, value, advice in (
            ("Status", course, course.model.status, "put the change in a Comment"),
            ("#", listing, str(order.index(course_id) + 1) if course_id in order else None,
             "propose the new order in a Comment")):
        if value is None or spec.file.relative_to(catalog.root).as_posix() in outcome.changed_since:
            continue
        written = normalise("readonly", cells[header].value)
        if written != value:
            outcome.problems.append((Place(place.sheet, place.row, header), f"holds {written!r}, but {header} cannot be"
                                     f" edited in the workbook (the spec says {value!r}); {advice}"))


def _to_texts(catalog, outcome: Outcome):
    from trackdesign.lint.fix import edit_text, read_spec_text
    from trackdesign.spec.yamldoc import load_located

    by_course: dict[str, list[Edit]] = defaultdict(list)
    for edit in outcome.edits:
        by_course[edit.course].append(edit)
    for course_id, edits in by_course.items():
        spec = catalog.courses[course_id]
        text = read_spec_text(spec.file)
        data = load_located(text).data
        fixes = []
        review = copy.deepcopy(data.get("review") or {})
        for edit in edits:
            if edit.column in ("Decision", "Comment"):
                _review(review, edit)
                continue
            if edit.objective is not None:
                fixes.append((Fix("set", ("objectives", edit.objective - 1), edit.new), edit))
                continue
            key = {"Title": "title", "URL": "url", "Hours": "hours", "Description": "description",
                   "Prerequisites": "prerequisites"}[edit.column]
            value = edit.new
            if key == "hours" and value is not None and float(value).is_integer():
                value = int(value)
            if key == "prerequisites":
                value = _prerequisites(catalog, data.get("prerequisites") or [], value or "", edit, outcome,
                                       data.get("spec_version", 1))
                if value is None:
                    continue
                value = value or None
            if value is None:
                if key in data:
                    fixes.append((Fix("delete", (key,)), edit))
            else:
                fixes.append((Fix("set", (key,), value), edit))
        if review != (data.get("review") or {}):
            labels = [e for e in edits if e.column in ("Decision", "Comment")]
            if review:
                fixes.append((Fix("set", ("review",), review), labels[0]))
                if (data.get("spec_version") or 1) < 2:
                    fixes.append((Fix("set", ("spec_version",), 2), labels[0]))
            elif "review" in data:
                fixes.append((Fix("delete", ("review",)), labels[0]))
        if outcome.problems or not fixes:
            continue
        new_text, _, skipped = edit_text(text, fixes)
        for edit, reason in skipped:
            outcome.problems.append((edit.place, f"not applied: {reason}"))
        if new_text is not None and new_text != text:
            outcome.changes[spec.file] = (text, new_text)


def _review(review: dict, edit: Edit):
    key = edit.column.lower()
    if edit.objective is None:
        target = review
    else:
        entries = review.setdefault("objectives", [])
        target = next((e for e in entries if e.get("objective") == edit.objective), None)
        if target is None:
            target = {"objective": edit.objective}
            entries.append(target)
            entries.sort(key=lambda e: e.get("objective", 0))
    if edit.new is None:
        target.pop(key, None)
    else:
        target[key] = edit.new
    if edit.objective is not None and set(target) == {"objective"}:
        review["objectives"].remove(target)
    if not review.get("objectives", True):
        review.pop("objectives")


def _prerequisites(catalog, original: list, text: str, edit: Edit, outcome: Outcome, version=1):
    """The new prerequisite list, reusing the written form (with notes) of each entry that stays."""
    from trackdesign.analysis.requisites import atoms, expression
    from trackdesign.spec.model import Course

    entries = parse_prerequisites(text)
    unknown = [a for e in entries for a in atoms(e) if a not in catalog.courses]
    if unknown:
        outcome.problems.append((edit.place, f"unknown course id {unknown[0]!r}"))
        return None
    if needs_format_3(entries) and not (isinstance(version, int) and version >= 3):
        outcome.problems.append((edit.place, "'all of' and groups inside groups need `spec_version: 3` in the course"
                                 " file; add it there first"))
        return None
    parsed = Course.model_validate({"spec_version": 3, "title": "x", "prerequisites": original}).prerequisites
    kept = {expression(p): raw for p, raw in zip(parsed, original)}
    return [kept.get(e, spec_form(e)) for e in entries]


def diff(outcome: Outcome, root: Path) -> str:
    import difflib

    parts = []
    for file, (old, new) in sorted(outcome.changes.items()):
        name = file.relative_to(root).as_posix() if file.is_relative_to(root) else str(file)
        parts.extend(difflib.unified_diff(old.splitlines(keepends=True), new.splitlines(keepends=True),
                                          f"a/{name}", f"b/{name}"))
    return "".join(parts)


def apply(outcome: Outcome) -> None:
    """Write every changed spec file of `outcome`, each atomically."""
    from trackdesign.atomic import write_text

    for file, (_, new) in outcome.changes.items():
        write_text(file, new)
