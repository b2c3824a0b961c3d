"""`trackdesign import table`: a catalog kept as CSV, xlsx or JSON lines, into course and track specs.

Tables are read with pandas (imported when a table is read), every cell as text, so that a code
like "0042" or a date-like title is kept as written. Columns are mapped by name (`--id code
--title name ...`), else by the names teams usually give them (`columns.py`): hours, tags,
status and chapters fill those fields, and a track column with an order column writes track
files. Every column that nothing maps is reported, once. Prerequisites (and corequisites) may be a
list, an expression ("A and (B or C)") or a tree of all/any nodes as in the UCSD catalog, read
exactly by `trackdesign.importers.expressions`; a row whose requirement the spec cannot say is
reported and left out, never imported weaker.
"""

from __future__ import annotations

import json
import string
from pathlib import Path

from trackdesign.importers import Imported
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
    """(row number as a spreadsheet or editor shows it, {column: value}) for each data row.

    CSV and xlsx go through pandas; JSON lines are read line by line, so that a line that is not
    JSON is reported with its number instead of failing the whole file.
    """
    suffix = path.suffix.lower()
    try:
        if suffix == ".jsonl":
            yield from _json_lines(path)
            return
        if suffix not in (".csv", ".tsv", ".xlsx", ".xlsm"):
            raise TableError(f"{path}: expected a .csv, .tsv, .xlsx or .jsonl file")
        frame = _frame(path, suffix)
    except (OSError, UnicodeDecodeError) as exc:
        raise TableError(f"{path}: cannot read: {exc}") from None
    for number, record in enumerate(frame.to_dict(orient="records"), 2):
        yield number, {str(k): (None if v is None or v != v else v) for k, v in record.items()}


def _frame(path: Path, suffix: str):
    import pandas as pd

    if suffix in (".csv", ".tsv"):
        try:
            return pd.read_csv(path, sep="\t" if suffix == ".tsv" else ",", dtype=str, keep_default_na=False,
                               encoding="utf-8-sig", skip_blank_lines=False)
        except (pd.errors.ParserError, pd.errors.EmptyDataError) as exc:
            raise TableError(f"{path}: not a readable table: {str(exc).strip()}") from None
    from trackdesign.sheets.importer import WorkbookError, read_workbook

    try:
        book = read_workbook(path)  # size-checked, XML through defusedxml: an untrusted file
    except WorkbookError as exc:
        raise TableError(str(exc)) from None
    try:
        values = list(book.worksheets[0].values)
    finally:
        book.close()
    header = [str(h).strip() if h is not None else "" for h in (values[0] if values else [])]
    return pd.DataFrame([list(r)[:len(header)] for r in values[1:]], columns=header, dtype=object)


def _json_lines(path: Path):
    with open(path, encoding="utf-8") as handle:
        for number, line in enumerate(handle, 1):
            if line.strip():
                try:
                    yield number, json.loads(line)
                except json.JSONDecodeError as exc:
                    yield number, ValueError(f"not JSON: {exc.msg}")


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
