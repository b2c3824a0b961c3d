"""`trackdesign sheet export`: a review workbook a reviewer can use without reading YAML.

Every text cell from a spec is written as text: a description starting with `=`, `+`, `-` or `@`
would otherwise be a formula in Excel or LibreOffice (formula injection). The hidden sheet
`_trackdesign` records what each editable cell held at export, so that import can tell the
reviewer's edits from changes made to the specs since.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from pathlib import Path

from trackdesign import __version__
from trackdesign.sheets.layout import (COURSES, DECISION_CHOICES, EDITABLE_SHEETS, FORMAT, META_SHEET, OBJECTIVES,
                                       course_values, objective_values)

RISKY = ("=", "+", "-", "@", "\t", "\r")
SEVERITY_FILLS = {"error": "F8D7DA", "warning": "FFF3CD", "info": "D1ECF1"}


def _put(ws, row: int, column: int, value, wrap: bool = False):
    from openpyxl.styles import Alignment

    cell = ws.cell(row=row, column=column)
    cell.value = value
    if isinstance(value, str) and value.startswith(RISKY):
        cell.data_type = "s"  # text, never a formula
        cell.quotePrefix = True  # and shown and kept as text when a reviewer edits it
    if wrap:
        cell.alignment = Alignment(wrap_text=True, vertical="top")
    return cell


def _table(ws, headers, widths, editable=(), freeze="A2"):
    from openpyxl.styles import Font, PatternFill
    from openpyxl.utils import get_column_letter

    for i, (header, width) in enumerate(zip(headers, widths), 1):
        cell = ws.cell(row=1, column=i, value=header)
        cell.font = Font(bold=True)
        cell.fill = PatternFill("solid", fgColor="FFF2CC" if header in editable else "E7E6E6")
        ws.column_dimensions[get_column_letter(i)].width = width
    ws.freeze_panes = freeze


def _finish(ws):
    if ws.max_row > 1:
        ws.auto_filter.ref = ws.dimensions


def _decision_list(ws, column: int, rows: int):
    from openpyxl.utils import get_column_letter
    from openpyxl.worksheet.datavalidation import DataValidation

    letter = get_column_letter(column)
    check = DataValidation(type="list", formula1='"' + ",".join(DECISION_CHOICES) + '"', allow_blank=True,
                           showErrorMessage=True, errorTitle="Decision",
                           error="Choose " + ", ".join(DECISION_CHOICES) + ", or leave blank.")
    check.add(f"{letter}2:{letter}{max(rows + 1, 2)}")
    ws.add_data_validation(check)


def export_track(catalog, config, track_id: str, findings, out: Path) -> dict:
    """Write the workbook for `track_id` to `out` (atomically); return counts for the summary."""
    from openpyxl import Workbook

    from trackdesign.atomic import write_bytes
    from trackdesign.overlap import index_for

    spec = catalog.tracks[track_id]
    track = spec.model
    position = {cid: n for n, cid in reversed(list(enumerate(track.courses, 1)))}
    ids = [c for c in position if c in catalog.courses]
    ids.sort(key=position.get)
    wb = Workbook(write_only=False)
    overview = wb.active
    overview.title = "Track"
    _table(overview, ["Field", "Value"], [22, 100])
    facts = [("Track id", track_id), ("Title", track.title), ("Kind", track.kind), ("Provider", track.provider),
             ("Description", track.description), ("Courses", len(track.courses)),
             ("Exported", dt.datetime.now(dt.timezone.utc).strftime("%Y-%m-%d %H:%M UTC")),
             ("How to review", "Edit the yellow columns of Courses and Objectives (titles, URLs, hours, descriptions,"
              " prerequisites, objectives, decision, comment), then run `trackdesign sheet import` on this file."
              " Do not rename sheets or columns, or delete rows.")]
    for row, (name, value) in enumerate(facts, 2):
        _put(overview, row, 1, name)
        _put(overview, row, 2, value, wrap=True)

    snapshot: dict[str, dict] = {COURSES: {}, OBJECTIVES: {}}
    columns = EDITABLE_SHEETS[COURSES]
    ws = wb.create_sheet(COURSES)
    _table(ws, [c.header for c in columns], [c.width for c in columns],
           editable={c.header for c in columns if c.editable}, freeze="C2")
    for row, cid in enumerate(ids, 2):
        course = catalog.course(cid)
        values = course_values(course)
        snapshot[COURSES][cid] = values
        cells = {"#": position[cid], "Course id": cid, "Status": course.status, **values}
        for i, column in enumerate(columns, 1):
            _put(ws, row, i, cells[column.header], wrap=column.wrap)
    _decision_list(ws, [c.header for c in columns].index("Decision") + 1, len(ids))
    _finish(ws)

    columns = EDITABLE_SHEETS[OBJECTIVES]
    ws = wb.create_sheet(OBJECTIVES)
    _table(ws, [c.header for c in columns], [c.width for c in columns],
           editable={c.header for c in columns if c.editable}, freeze="C2")
    row = 1
    for cid in ids:
        course = catalog.course(cid)
        for number in range(1, len(course.objectives) + 1):
            row += 1
            values = objective_values(course, number)
            snapshot[OBJECTIVES][f"{cid}#{number}"] = values
            cells = {"Course id": cid, "#": number, **values}
            for i, column in enumerate(columns, 1):
                _put(ws, row, i, cells[column.header], wrap=column.wrap)
    _decision_list(ws, [c.header for c in columns].index("Decision") + 1, row - 1)
    _finish(ws)

    mine = {catalog.courses[c].display for c in ids} | {spec.display}
    shown = [f for f in findings if f.path in mine]
    ws = wb.create_sheet("Findings")
    _table(ws, ["Severity", "Code", "Rule", "File", "Line", "Message", "Hint"], [10, 7, 26, 50, 6, 80, 50])
    for row, f in enumerate(shown, 2):
        for i, value in enumerate((f.severity, f.code, f.name, f.path, f.line, f.message, f.hint), 1):
            _put(ws, row, i, value, wrap=i >= 6)
    _colour_severity(ws, len(shown))
    _finish(ws)

    ws = wb.create_sheet("Overlap")
    _table(ws, ["Course", "Course", "Score", "Driven by", "Shared terms"], [34, 34, 8, 30, 60])
    pairs = index_for(catalog).pairs_within(ids, 0.1)[:50]
    for row, p in enumerate(pairs, 2):
        values = (p.a, p.b, round(p.score, 3), ", ".join(f"{n} {p.fields[n]:.2f}" for n in p.drivers),
                  ", ".join(p.terms))
        for i, value in enumerate(values, 1):
            cell = _put(ws, row, i, value, wrap=i == 5)
            if i == 3:
                cell.number_format = "0.00"
    _finish(ws)

    meta = wb.create_sheet(META_SHEET)
    meta.sheet_state = "hidden"
    files = {s.file.relative_to(catalog.root).as_posix(): hashlib.sha256(s.file.read_bytes()).hexdigest()
             for s in [spec, *(catalog.courses[c] for c in ids)]}
    record = {"format": FORMAT, "tool": __version__, "track": track_id}
    meta.append(["workbook", json.dumps(record)])
    for rel, digest in files.items():  # a row each: one cell holds at most 32,767 characters
        meta.append(["file", rel, digest])
    for sheet, rows in snapshot.items():
        for key, values in rows.items():
            meta.append([sheet, key, json.dumps(values, ensure_ascii=False)])
    import io

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
