"""`trackdesign import table`: a catalog kept as CSV, xlsx or JSON lines, into course and track specs.

Every CSV cell is read as text, so that a code like "0042" or a date-like title is kept as
written. Columns are mapped by name (`--id code
--title name ...`), else by the names teams usually give them (`columns.py`): hours, tags,
status and chapters fill those fields, and a track column with an order column writes track
files. Every column that nothing maps is reported, once. Prerequisites (and corequisites) may be a
list, an expression ("A and (B or C)") or a tree of all/any nodes as in the UCSD catalog, read
exactly by `trackdesign.importers.expressions`; a row whose requirement the spec cannot say is
reported and left out, never imported weaker.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import string
from pathlib import Path

from trackdesign.importers import Imported, UnreadableText, read_text
from trackdesign.importers import columns as cols
from trackdesign.importers.expressions import CO, PRE, ExpressionError, Requirements, requirements
from trackdesign.spec.ids import slugify

#: the fields a column can fill, in the order a spec lists them; id and title come first
FIELDS = ("id", "title", "url", "status", "instructor", "provider", "description", "prerequisites", "corequisites",
          "tags", "hours", "difficulty", "chapters", "track", "order")


class TableError(Exception):
    """The file cannot be read as a table (exit 2)."""


def course_id(code) -> str:
    return slugify(str(code))


def rows(path: Path):
    """(line or row where a record starts, {column: value}) for each record with anything in it; a
    record that cannot be read is an exception in place of its values, reported with its line.

    CSV is read with the csv module, so a quoted cell's line breaks leave later lines numbered as an
    editor numbers them and a row wider than the header is refused, not shifted; xlsx is read row
    by row as its XML holds them; JSON lines line by line.
    """
    suffix = path.suffix.lower()
    if suffix not in (".csv", ".tsv", ".xlsx", ".xlsm", ".jsonl"):
        raise TableError(f"{path}: expected a .csv, .tsv, .xlsx or .jsonl file")
    try:
        if suffix == ".jsonl":
            records = _json_lines(path)
        elif suffix in (".csv", ".tsv"):
            records = _csv_records(path, "\t" if suffix == ".tsv" else ",")
        else:
            records = _xlsx_records(path)
        for number, record in records:
            if isinstance(record, Exception) or any(not _blank(v) for v in record.values()):
                yield number, record
    except OSError as exc:
        raise TableError(f"{path}: cannot read: {exc.strerror or exc}") from None


def _blank(value) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _text(path: Path) -> str:
    try:
        return read_text(path)
    except UnreadableText as exc:
        raise TableError(str(exc)) from None


def _header(path: Path, cells) -> list[str]:
    """Column names, each once: a name written twice leaves no way to know which column is meant."""
    header = [str(c).strip() if c is not None else "" for c in cells]
    while header and not header[-1]:
        header.pop()
    header = [name or f"column {k}" for k, name in enumerate(header, 1)]
    twice = next((name for k, name in enumerate(header) if name in header[:k]), None)
    if twice:
        raise TableError(f"{path}:1: column {twice!r} appears twice in the header; rename one")
    return header


def _record(header: list[str], cells) -> dict | ValueError:
    cells = list(cells)
    if any(not _blank(v) for v in cells[len(header):]):
        return ValueError(f"{len(cells)} cells, but the header names {len(header)} columns")
    return dict(zip(header, cells))


def _csv_records(path: Path, delimiter: str):
    reader = csv.reader(io.StringIO(_text(path), newline=""), delimiter=delimiter, strict=True)
    start = 1
    try:
        header = _header(path, next(reader, []))
        if not header:
            raise TableError(f"{path}: no header row naming the columns")
        start = reader.line_num + 1
        for cells in reader:
            yield start, _record(header, cells)
            start = reader.line_num + 1
    except csv.Error as exc:  # an unclosed quote, a cell over the csv module's limit (128 KiB)
        raise TableError(f"{path}:{start}: not a readable table: {exc}") from None


def _xlsx_records(path: Path):
    """The first sheet's rows as its XML holds them: the dimension a sheet declares is ignored, so
    one far cell cannot make every row and column up to it be read."""
    from trackdesign.sheets.importer import WorkbookError, read_workbook

    try:
        book = read_workbook(path)  # size-checked, XML through defusedxml: an untrusted file
    except WorkbookError as exc:
        raise TableError(str(exc)) from None
    try:
        sheet = book.worksheets[0]
        sheet.reset_dimensions()
        rows = sheet.iter_rows()
        header = _header(path, [c.value for c in next(rows, ())])
        if not header:
            raise TableError(f"{path}: the first sheet, {sheet.title!r}, has no header row naming the columns")
        for number, cells in enumerate(rows, 2):
            yield number, _record(header, map(_xlsx_value, cells))
    except WorkbookError as exc:
        raise TableError(str(exc)) from None
    finally:
        book.close()


class Unreadable(str):
    """Why a workbook cell's value is not what was typed (a formula, an error, a date): a row with
    one in a column that is imported is reported, never imported as the text the cell shows."""


def _xlsx_value(cell):
    if cell.data_type == "f":
        return Unreadable(f"holds a formula ({cell.value}); paste its value instead")
    if cell.data_type == "e":
        return Unreadable(f"holds the error {cell.value}")
    if isinstance(cell.value, (dt.date, dt.time, dt.timedelta)):
        return Unreadable(f"holds a date or time ({cell.value}); format the column as text and type it again")
    return cell.value


def _json_lines(path: Path):
    for number, line in enumerate(_text(path).split("\n"), 1):
        if line.strip():
            try:
                record = json.loads(line)
            except json.JSONDecodeError as exc:
                yield number, ValueError(f"not JSON: {exc.msg}")
                continue
            yield number, record if isinstance(record, dict) else ValueError(
                f"expected a JSON object of column values, got {type(record).__name__}")


def import_rows(path: Path, mapping: dict[str, str | None], url_template: str | None = None) -> Imported:
    """Courses (and tracks, with a track column) from the rows of `path`; what is left out is reported."""
    result = Imported()
    report = result.report
    members: dict[str, list[tuple[float, int, str]]] = {}  # track title -> (order, row, course id)
    read = list(rows(path))
    headers = list(dict.fromkeys(k for _, row in read if not isinstance(row, Exception) for k in row))
    columns = _columns(headers, mapping, url_template, report)  # JSON lines: the keys of every row
    if headers and "id" not in columns and "title" not in columns:
        raise TableError(f"{path}: no column gives the courses' ids or titles (columns: {', '.join(headers)});"
                         f" name one with --id or --title")
    for name, header in list(columns.items()):
        why = cols.column_problem(name, [row.get(header) for _, row in read if not isinstance(row, Exception)])
        if why:
            del columns[name]
            report.add(1, "no field", f"column {header!r} is not imported: {why}")
    for number, row in read:
        if isinstance(row, Exception):
            report.add(number, "not placed", f"row not read: {row}")
            continue
        problem = _row(number, row, columns, url_template, result, members)
        if problem:
            report.add(number, "not placed", f"row not read: {problem}")
    for title, entries in members.items():
        track_id = slugify(title)
        result.tracks[track_id] = {"title": title, "kind": "skill",
                                   "courses": list(dict.fromkeys(cid for _, _, cid in sorted(entries)))}
        result.lines[("tracks", track_id)] = min(row for _, row, _ in entries)
    return result


def _columns(headers: list[str], mapping: dict, url_template: str | None, report) -> dict[str, str]:
    """field -> column: as the options name them, else as the header says (hours, tags...); each
    column nothing maps is reported once."""
    chosen: dict[str, str] = {}
    for name in FIELDS:
        given = mapping.get(name)
        if given in headers:
            chosen[name] = given
    for header in headers:
        name = cols.field_of(header)
        if name and name not in chosen and header not in chosen.values() and (name in FIELDS):
            chosen[name] = header
    used = set(chosen.values()) | _template_fields(url_template)
    for header in headers:
        if header not in used:
            report.add(1, "no field", f"column {header!r} is not imported: no option or field maps it")
    return chosen


def _template_fields(template: str | None) -> set[str]:
    if not template:
        return set()
    try:
        return {name for _, name, _, _ in string.Formatter().parse(template) if name}
    except ValueError:
        return set()


def _row(number: int, row: dict, columns: dict[str, str], url_template, result: Imported, members) -> str | None:
    """Add one row's course (or its place in a track); a problem that keeps it out, or None."""
    for header in columns.values():
        if isinstance(row.get(header), Unreadable):
            return f"column {header!r} {row[header]}"

    def cell(name):
        value = row.get(columns[name]) if name in columns else None
        return None if value is None or (isinstance(value, str) and not value.strip()) else value

    code = cell("id") if "id" in columns else cell("title")
    if code is None:
        return f"no value in the id column {columns.get('id', 'id')!r}"
    cid = course_id(code)
    if not cid:
        return f"id {code!r} gives no usable course id"
    track = cell("track")
    if track is not None:
        order, problem = cols.convert("order", cell("order"))
        if problem:
            return problem
        members.setdefault(str(track).strip(), []).append((order if order is not None else float("inf"), number, cid))
    if cid in result.courses:
        return None if track is not None else f"duplicate id {code!r} (course {cid!r} already imported)"
    title = cell("title")
    if title is None:
        result.report.add(number, "generated", f"{cid}: no title given; the title is the id {str(code)!r}")
    spec: dict = {"title": str(title).strip() if title is not None else str(code), "status": "live"}
    url = cell("url")
    if url is None and url_template:
        try:
            url = url_template.format(**row)
        except (KeyError, IndexError, ValueError) as exc:
            result.report.add(number, "not placed", f"--url-template needs column {exc}")
    if url:
        spec["url"] = str(url).strip()
    for name in ("status", "instructor", "provider", "description", "tags", "hours", "difficulty", "chapters"):
        value, problem = cols.convert(name, cell(name))
        if problem:
            result.report.add(number, "not placed", f"{cid}: {problem}")
        elif value is not None:
            spec[name] = value
    try:
        found = Requirements()
        for name, kind in (("prerequisites", PRE), ("corequisites", CO)):
            raw = _cell(cell(name))
            found.extend(requirements(raw, kind))
    except ExpressionError as exc:
        return f"{name} {raw!r}: {exc}"
    if found.version > 1:
        spec = {"spec_version": found.version, **spec}
    spec.update(found.fields())
    result.courses[cid] = spec
    result.lines[("courses", cid)] = number
    return None


def _cell(raw):
    """A cell as written, with JSON lists and trees in text cells read as such."""
    if isinstance(raw, str) and raw.strip().startswith(("[", "{")):
        try:
            return json.loads(raw)
        except json.JSONDecodeError:
            pass
    return raw
