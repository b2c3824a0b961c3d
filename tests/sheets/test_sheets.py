"""Review workbooks: real xlsx files written, edited with openpyxl as a reviewer would, imported back."""

from __future__ import annotations

import json
import shutil
import sys
import zipfile
from pathlib import Path

import openpyxl
import pytest
import yaml
from click.testing import CliRunner

from helpers import write_specs
from trackdesign.cli import cli

ROOT = Path(__file__).resolve().parents[2]
TRACK = "deep-learning-in-python"


@pytest.fixture
def specs(tmp_path):
    target = tmp_path / "specs"
    shutil.copytree(ROOT / "specs", target)
    return target


def export(specs: Path, out: Path, track: str = TRACK):
    result = CliRunner().invoke(cli, ["sheet", "export", track, "--specs", str(specs), "-o", str(out)])
    assert result.exit_code == 0, result.output
    return out


def import_(specs: Path, book: Path, *extra):
    return CliRunner().invoke(cli, ["sheet", "import", str(book), "--specs", str(specs), *extra])


def row_of(ws, key: str, column: str = "Course id") -> int:
    headers = [c.value for c in ws[1]]
    col = headers.index(column) + 1
    return next(r for r in range(2, ws.max_row + 1) if ws.cell(row=r, column=col).value == key)


def set_cell(ws, row: int, header: str, value):
    headers = [c.value for c in ws[1]]
    ws.cell(row=row, column=headers.index(header) + 1).value = value


def snapshot(specs: Path) -> dict[str, str]:
    return {p.relative_to(specs).as_posix(): p.read_text(encoding="utf-8") for p in sorted(specs.rglob("*.yaml"))}


def test_workbook_has_the_sheets_a_reviewer_needs(specs, tmp_path):
    book = openpyxl.load_workbook(export(specs, tmp_path / "review.xlsx"))
    assert book.sheetnames == ["Track", "Courses", "Objectives", "Findings", "Overlap", "Alignment", "_trackdesign"]
    assert book["_trackdesign"].sheet_state == "hidden"
    courses = book["Courses"]
    assert [c.value for c in courses[1]] == ["#", "Course id", "Title", "Status", "URL", "Hours", "Description",
                                             "Prerequisites", "Decision", "Comment"]
    assert courses.max_row == 9 and courses.freeze_panes == "C2" and courses.auto_filter.ref
    assert courses.cell(row=row_of(courses, "deep-learning-in-python"), column=8).value == (
        "intro-to-python-for-data-science, intermediate-python-for-data-science, supervised-learning-with-scikit-learn")
    lists = [v for v in courses.data_validations.dataValidation if v.type == "list"]
    assert lists and '"keep,revise,drop"' == lists[0].formula1
    assert courses.column_dimensions["G"].width >= 40
    description = courses.cell(row=row_of(courses, "deep-learning-in-python"), column=7)
    assert description.alignment.wrap_text and not courses.cell(row=2, column=2).alignment.wrap_text
    assert courses.cell(row=1, column=3).font.b and courses.cell(row=1, column=3).fill.fgColor.rgb.endswith("FFF2CC")
    findings = book["Findings"]
    assert findings.max_row > 10 and findings.conditional_formatting
    assert findings.cell(row=2, column=6).alignment.wrap_text
    assert book["Objectives"].max_row == 21  # 20 objectives of the track's courses
    matrix = book["Alignment"]  # the task analysis's matrix: terms by courses in track order
    assert [c.value for c in matrix[1]][:3] == ["Specification", "Term", "1. Deep Learning in Python"]
    rows = {row[1].value: [c.value for c in row[2:]] for row in matrix.iter_rows(min_row=2, max_row=4)}
    assert rows == {"keras": ["M", "m", "M", None, "M", "M", "I", "D"],
                    "pytorch": [None] * 6 + ["M", None], "tensorflow": [None] * 7 + ["D"]}
    assert matrix.cell(row=1, column=6).fill.fgColor.rgb.endswith("FFF4E0")  # course 4 serves none of them


def test_no_edits_change_nothing(specs, tmp_path):
    before = snapshot(specs)
    result = import_(specs, export(specs, tmp_path / "r.xlsx"))
    assert result.exit_code == 0, result.output
    assert "applied 0 edit(s)" in result.output and snapshot(specs) == before


def test_reviewer_edits_land_exactly_where_made_with_comments_intact(specs, tmp_path):
    book_path = export(specs, tmp_path / "r.xlsx")
    before = snapshot(specs)
    wb = openpyxl.load_workbook(book_path)
    courses, objectives = wb["Courses"], wb["Objectives"]
    row = row_of(courses, "deep-learning-in-python")
    set_cell(courses, row, "Title", "Introduction to Deep Learning in Python")
    set_cell(courses, row, "Prerequisites", "intermediate-python-for-data-science, supervised-learning-with-scikit-learn")
    set_cell(courses, row, "Decision", "revise")
    set_cell(courses, row, "Comment", "Rename, as the designer suggests.")
    set_cell(courses, row_of(courses, "deep-learning-with-pytorch"), "Hours", 4)
    orow = next(r for r in range(2, objectives.max_row + 1)
                if objectives.cell(row=r, column=1).value == "deep-learning-in-python" and objectives.cell(row=r, column=2).value == 1)
    set_cell(objectives, orow, "Objective", "explain the fundamental concepts and terminology used in deep learning")
    set_cell(objectives, orow, "Decision", "keep")
    wb.save(book_path)

    dry = import_(specs, book_path, "--dry-run")
    assert dry.exit_code == 0, dry.output
    assert "+title: Introduction to Deep Learning in Python" in dry.output and snapshot(specs) == before

    result = import_(specs, book_path)
    assert result.exit_code == 0, result.output
    after = snapshot(specs)
    changed = {name for name in before if before[name] != after[name]}
    assert changed == {"courses/deep-learning-in-python.yaml", "courses/deep-learning-with-pytorch.yaml"}
    old = yaml.safe_load(before["courses/deep-learning-in-python.yaml"])
    new = yaml.safe_load(after["courses/deep-learning-in-python.yaml"])
    assert new.pop("title") == "Introduction to Deep Learning in Python"
    assert new.pop("objectives")[0].startswith("explain the fundamental")
    assert new.pop("prerequisites") == ["intermediate-python-for-data-science", "supervised-learning-with-scikit-learn"]
    assert new.pop("review") == {"decision": "revise", "comment": "Rename, as the designer suggests.",
                                 "objectives": [{"objective": 1, "decision": "keep"}]}
    assert new.pop("spec_version") == 2
    for key in ("title", "objectives", "prerequisites"):
        old.pop(key)
    assert new == old  # nothing else moved
    comments = [l for l in before["courses/deep-learning-in-python.yaml"].splitlines() if l.lstrip().startswith("#")]
    assert comments and all(c in after["courses/deep-learning-in-python.yaml"] for c in comments)
    assert yaml.safe_load(after["courses/deep-learning-with-pytorch.yaml"])["hours"] == 4
    lint = CliRunner().invoke(cli, ["lint", str(specs), "--no-links", "--select", "SP"])
    assert lint.exit_code == 0, lint.output


def test_stale_workbook_is_refused_cell_by_cell_but_untouched_fields_merge(specs, tmp_path):
    book_path = export(specs, tmp_path / "r.xlsx")
    wb = openpyxl.load_workbook(book_path)
    courses = wb["Courses"]
    set_cell(courses, row_of(courses, "deep-learning-with-pytorch"), "Title", "PyTorch for Deep Learning")
    wb.save(book_path)
    spec = specs / "courses" / "deep-learning-with-pytorch.yaml"
    original = spec.read_text(encoding="utf-8")
    spec.write_text(original.replace("title: Deep Learning with PyTorch", "title: Deep Learning with PyTorch 2"))
    before = snapshot(specs)
    result = import_(specs, book_path)
    assert result.exit_code == 1
    assert "Courses row" in result.output and "'Title'" in result.output and "Deep Learning with PyTorch 2" in result.output
    assert snapshot(specs) == before

    # the spec changed elsewhere (its URL), the reviewer edited the title: merged
    spec.write_text(original.replace("url: https://www.datacamp.com/courses/deep-learning-with-pytorch",
                                     "url: https://www.datacamp.com/courses/pytorch"))
    result = import_(specs, book_path)
    assert result.exit_code == 0, result.output
    assert "merged with changes made to 1 file(s) since export" in result.output
    data = yaml.safe_load(spec.read_text())
    assert data["title"] == "PyTorch for Deep Learning" and data["url"].endswith("/courses/pytorch")


HOSTILE = {"title": "+SUM(1,2)", "description": "=HYPERLINK(\"http://127.0.0.1/x\",\"click\")",
           "objectives": ["-2+3 is what this teaches", "@cmd run"]}


def test_export_neutralises_formula_injection_and_round_trips_the_text(tmp_path):
    specs = write_specs(tmp_path / "specs", courses={"a": HOSTILE}, tracks={"t": {"title": "T", "courses": ["a"]}})
    book_path = export(specs, tmp_path / "r.xlsx", "t")
    with zipfile.ZipFile(book_path) as archive:
        sheets = [archive.read(n).decode() for n in archive.namelist() if n.startswith("xl/worksheets/sheet")]
    assert not any("<f>" in xml or "<f " in xml for xml in sheets)
    wb = openpyxl.load_workbook(book_path)
    cell = wb["Courses"].cell(row=2, column=7)
    assert cell.value == HOSTILE["description"] and cell.data_type == "s" and cell.quotePrefix
    assert wb["Courses"].cell(row=2, column=3).data_type == "s"
    before = snapshot(specs)
    assert import_(specs, book_path).exit_code == 0 and snapshot(specs) == before


def sheet_values(path: Path) -> dict[str, list[tuple]]:
    book = openpyxl.load_workbook(path)
    return {ws.title: [row for row in ws.iter_rows(values_only=True) if row[0] != "Exported"] for ws in book}


def test_text_longer_than_a_cell_holds_is_refused_with_its_place(tmp_path):
    long_course = {"title": "Long", "status": "live", "description": "word " * 7000, "objectives": ["Explain x."]}
    specs = write_specs(tmp_path / "specs", courses={"a": long_course}, tracks={"t": {"title": "T", "courses": ["a"]}})
    result = CliRunner().invoke(cli, ["sheet", "export", "t", "--specs", str(specs), "-o", str(tmp_path / "r.xlsx")])
    assert result.exit_code == 2
    assert "courses/a.yaml:3: the description is 35,000 characters long" in result.output
    assert not (tmp_path / "r.xlsx").exists()


def test_a_control_character_a_cell_cannot_hold_is_refused_not_mangled(tmp_path):
    specs = write_specs(tmp_path / "specs", courses={
        "a": 'title: Control\nstatus: live\nobjectives:\n  - Explain x.\n  - "Compare a\\x01b."\n'},
        tracks={"t": {"title": "T", "courses": ["a"]}})
    result = CliRunner().invoke(cli, ["sheet", "export", "t", "--specs", str(specs), "-o", str(tmp_path / "r.xlsx")])
    assert result.exit_code == 2
    assert "courses/a.yaml:5: the objective holds the control character U+0001" in result.output
    assert not (tmp_path / "r.xlsx").exists()


@pytest.mark.parametrize("damage,expected", [
    (lambda wb: setattr(wb["Courses"].cell(row=1, column=3), "value", "Name"),
     "Courses row 1, column 'Title': column 3 is headed 'Name'"),
    (lambda wb: wb["Courses"].delete_rows(3), "was deleted; rows cannot be deleted"),
    (lambda wb: set_cell(wb["Courses"], 2, "Hours", "four"), "Courses row 2, column 'Hours': expected a number of hours"),
    (lambda wb: set_cell(wb["Courses"], 2, "Title", "=UPPER(C3)"), "column 'Title': holds a formula"),
    (lambda wb: set_cell(wb["Courses"], 2, "Decision", "maybe"), "expected one of keep, revise, drop"),
    (lambda wb: set_cell(wb["Courses"], 2, "Prerequisites", "Deep Learning"), "is not a course id"),
    (lambda wb: set_cell(wb["Courses"], 2, "Prerequisites", "no-such-course"), "unknown course id 'no-such-course'"),
    (lambda wb: set_cell(wb["Objectives"], 2, "Course id", "renamed"), "added objective for 'renamed'"),
    (lambda wb: wb.create_sheet("Notes"), "Notes: unknown sheet"),
    (lambda wb: set_cell(wb["Courses"], 2, "Prerequisites", "any of (deep-learning-in-python"), "expected '|' or ')'"),
    (lambda wb: set_cell(wb["Courses"], 2, "Prerequisites", "all of (deep-learning-in-python & deep-learning-with-pytorch)"),
     "need `spec_version: 3`"),
], ids=["renamed column", "deleted row", "wrong type", "formula", "bad decision", "bad prerequisite",
        "unknown prerequisite", "edited key", "unknown sheet", "unclosed group", "newer form in an older file"])
def test_workbook_problems_are_reported_with_place_and_nothing_is_written(specs, tmp_path, damage, expected):
    book_path = export(specs, tmp_path / "r.xlsx")
    wb = openpyxl.load_workbook(book_path)
    set_cell(wb["Courses"], 4, "Title", "A legitimate edit")
    damage(wb)
    wb.save(book_path)
    before = snapshot(specs)
    result = import_(specs, book_path)
    assert result.exit_code == 2, result.output
    assert expected in result.output and "nothing was written" in result.output
    assert "Traceback" not in result.output and snapshot(specs) == before


def test_entity_bomb_in_a_workbook_is_refused(specs, tmp_path):
    book_path = export(specs, tmp_path / "r.xlsx")
    bomb = tmp_path / "bomb.xlsx"
    entities = "".join(f'<!ENTITY e{i} "{"&e%d;" % (i - 1) * 10 if i else "lol"}">' for i in range(10))
    with zipfile.ZipFile(book_path) as src, zipfile.ZipFile(bomb, "w") as dst:
        for item in src.infolist():
            data = src.read(item.filename)
            if item.filename == "xl/worksheets/sheet2.xml":  # the Courses sheet, strings inline
                text = data.decode()
                data = (f"<!DOCTYPE worksheet [{entities}]>" + text.replace("<t>Deep Learning", "<t>&e9;", 1)).encode()
                assert b"&e9;" in data
            dst.writestr(item, data)
    before = snapshot(specs)
    result = import_(specs, bomb)
    assert result.exit_code == 2, result.output
    assert "cannot read the workbook safely" in result.output and "Forbidden" in result.output
    assert "Traceback" not in result.output
    assert snapshot(specs) == before


def test_a_workbook_of_another_layout_is_refused(specs, tmp_path):
    path = export(specs, tmp_path / "r.xlsx")
    book = openpyxl.load_workbook(path)
    meta = book["_trackdesign"]
    meta["B1"].value = json.dumps({**json.loads(meta["B1"].value), "format": 1})
    book.save(path)
    before = snapshot(specs)
    result = import_(specs, path)
    assert result.exit_code == 2 and "workbook layout 1" in result.output and "export the workbook again" in result.output
    assert "Traceback" not in result.output and snapshot(specs) == before


def test_not_a_workbook_is_a_clear_error(specs, tmp_path):
    fake = tmp_path / "r.xlsx"
    fake.write_text("title,url\n")
    result = import_(specs, fake)
    assert result.exit_code == 2 and "not an xlsx workbook" in result.output


def test_nested_requirements_show_and_come_back_exactly(tmp_path):
    nested = {"any_of": ["a", {"all_of": ["b", "c"]}]}
    specs = write_specs(tmp_path / "specs", courses={
        "a": {"title": "Course A"}, "b": {"title": "Course B"}, "c": {"title": "Course C"},
        "d": "spec_version: 3\ntitle: Course D  # as the catalog says\nprerequisites:\n  - any_of: [a, {all_of: [b, c]}]\n",
    }, tracks={"t": {"title": "T", "courses": ["a", "b", "c", "d"]}})
    book_path = export(specs, tmp_path / "r.xlsx", "t")
    wb = openpyxl.load_workbook(book_path)
    courses = wb["Courses"]
    headers = [c.value for c in courses[1]]
    cell = courses.cell(row=row_of(courses, "d"), column=headers.index("Prerequisites") + 1)
    assert cell.value == "any of (a | all of (b & c))"
    before = snapshot(specs)
    assert import_(specs, book_path).exit_code == 0 and snapshot(specs) == before
    cell.value = "any of (a | all of (b & c)), all of (a & b)"
    wb.save(book_path)
    result = import_(specs, book_path)
    assert result.exit_code == 0, result.output
    text = (specs / "courses" / "d.yaml").read_text(encoding="utf-8")
    assert "# as the catalog says" in text
    assert yaml.safe_load(text)["prerequisites"] == [nested, {"all_of": ["a", "b"]}]


def test_a_status_changed_in_the_spec_since_export_is_not_taken_for_a_reviewer_s_edit(tmp_path):
    from helpers import write_specs

    root = write_specs(tmp_path / "specs", courses={"a": {"title": "A", "status": "proposed"}},
                       tracks={"t": {"title": "T", "courses": ["a"]}})
    book = tmp_path / "review.xlsx"
    assert CliRunner().invoke(cli, ["sheet", "export", "t", "--specs", str(root), "-o", str(book)]).exit_code == 0
    spec = root / "courses" / "a.yaml"
    spec.write_text(spec.read_text().replace("proposed", "live"))
    result = CliRunner().invoke(cli, ["sheet", "import", str(book), "--specs", str(root)])
    assert result.exit_code == 0 and "Status" not in result.output, result.output
