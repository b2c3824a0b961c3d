"""`trackdesign sheet export`: a review workbook a reviewer can use without reading YAML.

Every text cell from a spec is written as text: a description starting with `=`, `+`, `-` or `@`
would otherwise be a formula in Excel or LibreOffice (formula injection). The hidden sheet
`_trackdesign` records what each editable cell held at export, so that import can tell the
reviewer's edits from changes made to the specs since.
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

from trackdesign import __version__
from trackdesign.sheets.layout import (COURSES, DECISION_CHOICES, EDITABLE_SHEETS, FORMAT, META_SHEET, OBJECTIVES,
                                       course_values, file_digest, objective_values)

RISKY = ("=", "+", "-", "@", "\t", "\r")
SEVERITY_FILLS = {"error": "F8D7DA", "warning": "FFF3CD", "info": "D1ECF1"}
#: One named style for long text: styling each cell on its own costs more than writing it.
WRAPPED = "trackdesign wrapped"
SNAPSHOT_CHUNK = 30_000


class _Sheet:
    """A streamed (write-only) sheet: headers first, then rows, each written out as it comes.

    `wrap` names the columns of long text; `editable` the ones a reviewer fills in (yellow).
    """

    def __init__(self, wb, title, headers, widths, editable=(), freeze="A2", wrap=()):
        from openpyxl.cell import WriteOnlyCell
        from openpyxl.styles import Font, PatternFill
        from openpyxl.utils import get_column_letter

        self.ws = wb.create_sheet(title)
        self._cell = WriteOnlyCell  # kept: append runs once per row
        self.wrap = [header in wrap for header in headers]
        self.rows = 1
        self.last = get_column_letter(len(headers))
        for i, width in enumerate(widths, 1):
            self.ws.column_dimensions[get_column_letter(i)].width = width
        self.ws.freeze_panes = freeze
        bold = Font(bold=True)
        cells = []
        for header in headers:
            cell = WriteOnlyCell(self.ws, header)
            cell.font = bold
            cell.fill = PatternFill("solid", fgColor="FFF2CC" if header in editable else "E7E6E6")
            cells.append(cell)
        self.ws.append(cells)

    def append(self, values, number_format=None):
        """One row; spec text that could be read as a formula is written as text (formula injection)."""
        cells = []
        for i, value in enumerate(values):
            risky = isinstance(value, str) and value.startswith(RISKY)
            if value is None or not (risky or self.wrap[i] or (number_format and i in number_format)):
                cells.append(value)
                continue
            cell = self._cell(self.ws, value)
            if self.wrap[i]:
                cell.style = WRAPPED
            if risky:
                cell.data_type = "s"  # text, never a formula
                cell.quotePrefix = True  # and shown and kept as text when a reviewer edits it
            if number_format and i in number_format:
                cell.number_format = number_format[i]
            cells.append(cell)
        self.ws.append(cells)
        self.rows += 1

    def finish(self):
        if self.rows > 1:
            self.ws.auto_filter.ref = f"A1:{self.last}{self.rows}"

    def decision_list(self, column: int):
        from openpyxl.utils import get_column_letter
        from openpyxl.worksheet.datavalidation import DataValidation

        letter = get_column_letter(column)
        check = DataValidation(type="list", formula1='"' + ",".join(DECISION_CHOICES) + '"', allow_blank=True,
                               showErrorMessage=True, errorTitle="Decision",
                               error="Choose " + ", ".join(DECISION_CHOICES) + ", or leave blank.")
        check.add(f"{letter}2:{letter}{max(self.rows, 2)}")
        self.ws.data_validations.append(check)


def _editable_sheet(wb, name):
    columns = EDITABLE_SHEETS[name]
    headers = [c.header for c in columns]
    sheet = _Sheet(wb, name, headers, [c.width for c in columns], editable={c.header for c in columns if c.editable},
                   freeze="C2", wrap={c.header for c in columns if c.wrap})
    return sheet, headers


def export_track(catalog, config, track_id: str, out: Path) -> dict:
    """Write the workbook for `track_id` to `out` (atomically); return counts for the summary."""
    import io

    from openpyxl import Workbook
    from openpyxl.styles import Alignment, NamedStyle

    from trackdesign.atomic import write_bytes
    from trackdesign.engine import lint
    from trackdesign.lint_cache import DIRECTORY
    from trackdesign.overlap import index_for

    spec = catalog.tracks[track_id]
    track = spec.model
    position = {cid: n for n, cid in reversed(list(enumerate(track.courses, 1)))}
    ids = [c for c in position if c in catalog.courses]
    ids.sort(key=position.get)
    # the table first: OV01's check in the lint below then reuses its scored pairs
    pairs = index_for(catalog).pairs_within(ids, 0.1, top=50)
    findings = lint(catalog, config, network=False, cache=DIRECTORY).findings
    wb = Workbook(write_only=True)
    wb.add_named_style(NamedStyle(WRAPPED, alignment=Alignment(wrap_text=True, vertical="top")))

    overview = _Sheet(wb, "Track", ["Field", "Value"], [22, 100], wrap={"Value"})
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
    sheet, headers = _editable_sheet(wb, COURSES)
    for cid in ids:
        course = catalog.course(cid)
        values = course_values(course)
        snapshot[COURSES][cid] = values
        cells = {"#": position[cid], "Course id": cid, "Status": course.status, **values}
        sheet.append([cells[h] for h in headers])
    sheet.decision_list(headers.index("Decision") + 1)
    sheet.finish()

    sheet, headers = _editable_sheet(wb, OBJECTIVES)
    for cid in ids:
        course = catalog.course(cid)
        for number in range(1, len(course.objectives) + 1):
            values = objective_values(course, number)
            snapshot[OBJECTIVES][f"{cid}#{number}"] = values
            cells = {"Course id": cid, "#": number, **values}
            sheet.append([cells[h] for h in headers])
    sheet.decision_list(headers.index("Decision") + 1)
    sheet.finish()

    mine = {catalog.courses[c].display for c in ids} | {spec.display}
    shown = [f for f in findings if f.path in mine]
    sheet = _Sheet(wb, "Findings", ["Severity", "Code", "Rule", "File", "Line", "Message", "Hint"],
                   [10, 7, 26, 50, 6, 80, 50], wrap={"Message", "Hint"})
    for f in shown:
        sheet.append((f.severity, f.code, f.name, f.path, f.line, f.message, f.hint))
    _colour_severity(sheet.ws, len(shown))
    sheet.finish()

    sheet = _Sheet(wb, "Overlap", ["Course", "Course", "Score", "Driven by", "Shared terms"], [34, 34, 8, 30, 60],
                   wrap={"Shared terms"})
    for p in pairs:
        sheet.append((p.a, p.b, round(p.score, 3), ", ".join(f"{n} {p.fields[n]:.2f}" for n in p.drivers),
                      ", ".join(p.terms)), number_format={2: "0.00"})
    sheet.finish()

    meta = wb.create_sheet(META_SHEET)
    meta.sheet_state = "hidden"
    files = {s.file.relative_to(catalog.root).as_posix(): file_digest(s.file)
             for s in [spec, *(catalog.courses[c] for c in ids)]}
    record = {"format": FORMAT, "tool": __version__, "track": track_id}
    meta.append(["workbook", json.dumps(record)])
    # one JSON document cut into cells (a cell holds at most 32,767 characters): a row per course
    # and objective would cost more to write than the sheets a reviewer reads
    document = json.dumps({"files": files, "sheets": snapshot}, ensure_ascii=False)
    for n, start in enumerate(range(0, len(document), SNAPSHOT_CHUNK)):
        meta.append(["snapshot", n, document[start:start + SNAPSHOT_CHUNK]])
    buffer = io.BytesIO()
    wb.save(buffer)
    write_bytes(out, buffer.getvalue())
    return {"courses": len(ids), "objectives": len(snapshot[OBJECTIVES]), "findings": len(shown),
            "overlaps": len(pairs)}


def _colour_severity(ws, rows: int):
    from openpyxl.formatting.rule import FormulaRule
    from openpyxl.styles import PatternFill

    if not rows:
        return
    area = f"A2:G{rows + 1}"
    for severity, colour in SEVERITY_FILLS.items():
        ws.conditional_formatting.add(area, FormulaRule(formula=[f'$A2="{severity}"'],
                                                        fill=PatternFill("solid", bgColor=colour)))
