"""`trackdesign sheet export`: a review workbook a reviewer can use without reading YAML.

Every text cell from a spec is written as text: a description starting with `=`, `+`, `-` or `@`
would otherwise be a formula in Excel or LibreOffice (formula injection). The hidden sheet
`_trackdesign` records what each editable cell held at export, so that import can tell the
reviewer's edits from changes made to the specs since. Written with XlsxWriter, row by row: it
streams cells to the file where openpyxl builds every cell as an object first.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from pathlib import Path

from trackdesign import __version__
from trackdesign.sheets.layout import (COURSES, DECISION_CHOICES, EDITABLE_SHEETS, FORMAT, META_SHEET, OBJECTIVES,
                                       course_values, file_digest, objective_values)

RISKY = ("=", "+", "-", "@", "\t", "\r")
SEVERITY_FILLS = {"error": "#F8D7DA", "warning": "#FFF3CD", "info": "#D1ECF1"}
SNAPSHOT_CHUNK = 30_000
#: What one spreadsheet cell holds (Excel and LibreOffice alike).
CELL_LIMIT = 32_767
#: The spec field behind each editable column, to point at it when its text cannot fit in a cell.
FIELD_OF = {"Title": ("title",), "URL": ("url",), "Description": ("description",), "Comment": ("review",)}


#: Characters a cell does not give back as written: C0 controls other than tab and line feed, and
#: U+FFFE/F. Written, they become `_x0001_`-style escapes (a carriage return too: XML readers would
#: turn it into a line feed) that come back from the review as literal text.
UNWRITABLE = re.compile("[\x00-\x08\x0b-\x1f\ufffe\uffff]")


class UnfitCell(ValueError):
    """Spec text a cell cannot hold as it is (too long, or with control characters): written
    anyway, it would come back from the review changed."""


class _Formats:
    """One cell format per combination used (wrapped, kept as text, number format), made once."""

    def __init__(self, wb):
        self._wb, self._made = wb, {}

    def get(self, wrap: bool = False, text: bool = False, number: str | None = None, fill: str | None = None,
            bold: bool = False):
        key = (wrap, text, number, fill, bold)
        if key not in self._made:
            properties = {"valign": "top"} if wrap else {}
            if wrap:
                properties["text_wrap"] = True
            if text:
                properties["quote_prefix"] = True  # shown and kept as text when a reviewer edits it
            if number:
                properties["num_format"] = number
            if fill:
                properties.update(bg_color=fill, pattern=1)
            if bold:
                properties["bold"] = True
            self._made[key] = self._wb.add_format(properties) if properties else None
        return self._made[key]


class _Sheet:
    """A streamed sheet: headers first, then rows, each written out as it comes.

    `wrap` names the columns of long text; `editable` the ones a reviewer fills in (yellow). Cells
    are written by type: text always as text (a description starting with `=` is never a formula,
    a URL never a hyperlink object), numbers as numbers, blanks not at all.
    """

    def __init__(self, wb, formats: _Formats, title, headers, widths, editable=(), freeze=(1, 0), wrap=()):
        self.ws = wb.add_worksheet(title)
        self._formats = formats
        self.wrap = [header in wrap for header in headers]
        self._wrapped = formats.get(wrap=True)
        self.columns = len(headers)
        self.rows = 1
        for i, width in enumerate(widths):
            self.ws.set_column(i, i, width)
        self.ws.freeze_panes(*freeze)
        for i, header in enumerate(headers):
            fill = "#FFF2CC" if header in editable else "#E7E6E6"
            self.ws.write_string(0, i, header, formats.get(fill=fill, bold=True))

    def append(self, values, number_format=None):
        """One row; spec text that could be read as a formula is written as text (formula injection)."""
        ws, row, wrap = self.ws, self.rows, self.wrap
        for i, value in enumerate(values):
            if value is None:
                continue
            if isinstance(value, str):
                if value.startswith(RISKY):
                    ws.write_string(row, i, value, self._formats.get(wrap=wrap[i], text=True))
                else:
                    ws.write_string(row, i, value, self._wrapped if wrap[i] else None)
            elif isinstance(value, bool):
                ws.write_boolean(row, i, value)
            elif isinstance(value, (int, float)):
                number = number_format.get(i) if number_format else None
                ws.write_number(row, i, value, self._formats.get(number=number) if number else None)
            else:
                ws.write_string(row, i, str(value), self._wrapped if wrap[i] else None)
        self.rows += 1

    def finish(self):
        if self.rows > 1:
            self.ws.autofilter(0, 0, self.rows - 1, self.columns - 1)

    def decision_list(self, column: int):
        """A drop-down list of decisions on `column` (0-based) of every data row."""
        self.ws.data_validation(1, column, max(self.rows - 1, 1), column, {
            "validate": "list", "source": list(DECISION_CHOICES), "ignore_blank": True, "error_title": "Decision",
            "error_message": "Choose " + ", ".join(DECISION_CHOICES) + ", or leave blank."})


def _editable_sheet(wb, formats, name):
    columns = EDITABLE_SHEETS[name]
    headers = [c.header for c in columns]
    sheet = _Sheet(wb, formats, name, headers, [c.width for c in columns],
                   editable={c.header for c in columns if c.editable}, freeze=(1, 2),
                   wrap={c.header for c in columns if c.wrap})
    return sheet, headers


def workbook_bytes(catalog, config, track_id: str, cache: Path | None = None) -> tuple[bytes, dict]:
    """The workbook for `track_id` as xlsx bytes, and counts for the summary; its lint findings
    come from the lint cache in `cache` when it has them."""
    import io

    from trackdesign.lint.engine import lint
    from trackdesign.documents.prepare import track_overlaps

    track = catalog.tracks[track_id].model
    position = {cid: n for n, cid in reversed(list(enumerate(track.courses, 1)))}
    ids = [c for c in position if c in catalog.courses]
    ids.sort(key=position.get)

    _, pairs = track_overlaps(catalog, config, ids, top=50, subject=track.title)
    findings = lint(catalog, config, network=False, cache=cache).findings
    buffer = io.BytesIO()
    counts = _write_workbook(buffer, catalog, track_id, ids, position, pairs, findings)
    return buffer.getvalue(), counts


def _write_workbook(buffer, catalog, track_id: str, ids: list[str], position: dict, pairs, findings) -> dict:
    """Write the workbook into `buffer` and return its counts."""
    import xlsxwriter

    spec = catalog.tracks[track_id]
    track = spec.model
    # constant memory: each row goes out as it is finished; text is never turned into formulas,
    # numbers or hyperlinks behind our back
    wb = xlsxwriter.Workbook(buffer, {"constant_memory": True, "strings_to_formulas": False,
                                      "strings_to_numbers": False, "strings_to_urls": False})
    formats = _Formats(wb)

    # every sheet made up front, in the order a reviewer reads them (constant memory writes rows
    # in order within a sheet, but sheets may be filled in any order)
    overview = _Sheet(wb, formats, "Track", ["Field", "Value"], [22, 100], wrap={"Value"})
    courses, course_headers = _editable_sheet(wb, formats, COURSES)
    objectives, objective_headers = _editable_sheet(wb, formats, OBJECTIVES)
    found = _Sheet(wb, formats, "Findings", ["Severity", "Code", "Rule", "File", "Line", "Message", "Hint"],
                   [10, 7, 26, 50, 6, 80, 50], wrap={"Message", "Hint"})
    overlap = _Sheet(wb, formats, "Overlap", ["Course", "Course", "Score", "Flagged", "Driven by", "Most similar"],
                     [34, 34, 8, 28, 30, 90], wrap={"Flagged", "Most similar"})
    _alignment_sheet(wb, formats, catalog, track_id)
    meta = wb.add_worksheet(META_SHEET)
    meta.hide()

    facts = [("Track id", track_id), ("Title", track.title), ("Kind", track.kind), ("Provider", track.provider),
             ("Description", track.description), ("Courses", len(track.courses)),
             ("Exported", dt.datetime.now(dt.timezone.utc).strftime("%Y-%m-%d %H:%M UTC")),
             ("How to review", "Edit the yellow columns of Courses and Objectives (titles, URLs, hours, descriptions,"
              " prerequisites, objectives, decision, comment), then run `trackdesign sheet import` on this file."
              " Do not rename sheets or columns, or delete rows.")]
    for fact in facts:
        overview.append(fact)
    overview.finish()

    snapshot: dict[str, dict] = {COURSES: {}, OBJECTIVES: {}}
    for cid in ids:
        course = catalog.course(cid)
        values = course_values(course)
        _fits(catalog.courses[cid], values, lambda header: FIELD_OF.get(header, ()))
        snapshot[COURSES][cid] = values
        cells = {"#": position[cid], "Course id": cid, "Status": course.status, **values}
        courses.append([cells[h] for h in course_headers])
    courses.decision_list(course_headers.index("Decision"))
    courses.finish()

    for cid in ids:
        course = catalog.course(cid)
        for number in range(1, len(course.objectives) + 1):
            values = objective_values(course, number)
            _fits(catalog.courses[cid], values, lambda header: ("objectives", number - 1) if header == "Objective"
                  else ("review",))
            snapshot[OBJECTIVES][f"{cid}#{number}"] = values
            cells = {"Course id": cid, "#": number, **values}
            objectives.append([cells[h] for h in objective_headers])
    objectives.decision_list(objective_headers.index("Decision"))
    objectives.finish()

    files = {s.file.relative_to(catalog.root).as_posix(): file_digest(s.file)
             for s in [spec, *(catalog.courses[c] for c in ids)]}
    record = {"format": FORMAT, "tool": __version__, "track": track_id}
    meta.write_string(0, 0, "workbook")
    meta.write_string(0, 1, json.dumps(record))
    # one JSON document cut into cells (a cell holds at most 32,767 characters): a row per course
    # and objective would cost more to write than the sheets a reviewer reads
    document = json.dumps({"files": files, "sheets": snapshot}, ensure_ascii=False)
    for n, start in enumerate(range(0, len(document), SNAPSHOT_CHUNK), 1):
        meta.write_string(n, 0, "snapshot")
        meta.write_number(n, 1, n - 1)
        meta.write_string(n, 2, document[start:start + SNAPSHOT_CHUNK])

    mine = {catalog.courses[c].display for c in ids} | {spec.display}
    shown = [f for f in findings if f.path in mine]
    for f in shown:
        found.append((f.severity, f.code, f.name, f.path, f.line, f.message, f.hint))
    _colour_severity(wb, found.ws, len(shown))
    found.finish()
    for p in pairs:
        flagged = ("yes: builds on it and repeats it" if p.sequel else "yes") if p.flagged else (
            "no: builds on it" if p.sequel else "no")
        overlap.append((p.a, p.b, round(p.score, 3), flagged, ", ".join(f"{n} {p.fields[n]:.2f}" for n in p.drivers),
                        "\n".join(str(u) for u in p.similar)), number_format={2: "0.00"})
    overlap.finish()
    wb.close()
    return {"courses": len(ids), "objectives": len(snapshot[OBJECTIVES]), "findings": len(shown),
            "overlaps": len(pairs)}


def _alignment_sheet(wb, formats, catalog, track_id: str) -> None:
    """The alignment matrix of the task analysis: terms by courses, gaps red, idle courses amber."""
    from trackdesign.analysis.alignment import LEGEND, alignment

    matrix = alignment(catalog, track_id)
    idle = set(matrix.idle)
    headers = ["Specification", "Term", *(f"{c['number']}. {c['title']}" for c in matrix.courses)]
    sheet = _Sheet(wb, formats, "Alignment", headers, [30, 18, *([14] * len(matrix.courses))], freeze=(1, 2),
                   wrap=set(headers))
    red, amber = formats.get(fill="#FDEAEA"), formats.get(fill="#FFF4E0")
    for k in idle:
        sheet.ws.write_string(0, k + 2, headers[k + 2], formats.get(fill="#FFF4E0", bold=True))
    for row in matrix.rows:
        fill = None if row.served else red
        sheet.ws.write_string(sheet.rows, 0, row.requirement, fill)
        sheet.ws.write_string(sheet.rows, 1, row.term + ("" if row.served else " (not served by any course)"), fill)
        for k, cell in enumerate(row.cells):
            look = fill or (amber if k in idle else None)
            if cell.level:
                sheet.ws.write_string(sheet.rows, k + 2, cell.level, look)
            elif look:
                sheet.ws.write_blank(sheet.rows, k + 2, None, look)
        sheet.rows += 1
    notes = [f"{key}: {text}" for key, text in LEGEND] + [
        "Red rows: terms no course serves. Amber columns: courses that serve none of these terms."]
    if not matrix.rows:
        notes.insert(0, "No track requirement names terms to cover (`covers`), so there is nothing to align.")
    for offset, note in enumerate(notes, 1):
        sheet.ws.write_string(sheet.rows + offset, 0, note)


def _fits(spec, values: dict, path_of) -> None:
    """Refuse, naming the place, text of an editable cell that would not come back as it went out."""
    for header, value in values.items():
        if not isinstance(value, str):
            continue
        if len(value) > CELL_LIMIT:
            line, _ = spec.position(path_of(header))
            raise UnfitCell(f"{spec.display}:{line}: the {header.lower()} is {len(value):,} characters long; a"
                            f" spreadsheet cell holds at most {CELL_LIMIT:,}, so it cannot be reviewed in a"
                            " workbook without being cut (shorten it, or review this course in the YAML)")
        bad = UNWRITABLE.search(value)
        if bad:
            line, _ = spec.position(path_of(header))
            raise UnfitCell(f"{spec.display}:{line}: the {header.lower()} holds the control character"
                            f" U+{ord(bad.group()):04X}, which a spreadsheet cell cannot hold (remove it from"
                            " the spec, then export again)")


def _colour_severity(wb, ws, rows: int):
    if not rows:
        return
    for severity, colour in SEVERITY_FILLS.items():
        ws.conditional_format(1, 0, rows, 6, {"type": "formula", "criteria": f'=$A2="{severity}"',
                                              "format": wb.add_format({"bg_color": colour})})
