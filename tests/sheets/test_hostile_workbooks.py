"""Hostile review workbooks, real xlsx files made from an export with openpyxl or by rewriting its
parts: each is refused or reported with its sheet, row and column, exits 1 or 2 as documented,
writes nothing, and prints no traceback."""

from __future__ import annotations

import re
import shutil
import zipfile
from pathlib import Path

import openpyxl
import pytest
from click.testing import CliRunner

from trackdesign.cli import cli

ROOT = Path(__file__).resolve().parents[2]
TRACK = "deep-learning-in-python"
COURSES_PART = "Courses"  # sheets are named; `part_of` finds the XML part that holds each
META_PART = "_trackdesign"


@pytest.fixture(scope="module")
def exported(tmp_path_factory):
    folder = tmp_path_factory.mktemp("export")
    shutil.copytree(ROOT / "specs", folder / "specs")
    book = folder / "review.xlsx"
    result = CliRunner().invoke(cli, ["sheet", "export", TRACK, "--specs", str(folder / "specs"), "-o", str(book)])
    assert result.exit_code == 0, result.output
    with zipfile.ZipFile(book) as archive:
        assert 'name="_trackdesign"' in archive.read("xl/workbook.xml").decode()
    return folder


@pytest.fixture
def specs(tmp_path, exported):
    shutil.copytree(exported / "specs", tmp_path / "specs")
    return tmp_path / "specs"


def snapshot(specs: Path) -> dict[str, bytes]:
    return {p.relative_to(specs).as_posix(): p.read_bytes() for p in sorted(specs.rglob("*.yaml"))}


def parts_of(book: Path) -> dict[str, bytes]:
    with zipfile.ZipFile(book) as archive:
        return {name: archive.read(name) for name in archive.namelist()}


def part_of(parts: dict[str, bytes], sheet: str) -> str:
    """The archive member holding `sheet`, as the workbook and its relationships say."""
    workbook = parts["xl/workbook.xml"].decode("utf-8")
    rid = re.search(rf'<sheet name="{re.escape(sheet)}"[^>]*r:id="([^"]+)"', workbook).group(1)
    rels = parts["xl/_rels/workbook.xml.rels"].decode("utf-8")
    target = re.search(rf'<Relationship Id="{rid}"[^>]*Target="([^"]+)"', rels) or re.search(
        rf'<Relationship [^>]*Target="([^"]+)"[^>]*Id="{rid}"', rels)
    return "xl/" + target.group(1).removeprefix("/xl/")


def rewrite(source: Path, target: Path, sheet: str, change) -> Path:
    """A copy of the workbook with one sheet's XML changed by `change(text) -> text`."""
    parts = parts_of(source)
    part = part_of(parts, sheet)
    parts[part] = change(parts[part].decode("utf-8")).encode("utf-8")
    with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in parts.items():
            archive.writestr(name, data)
    return target


def append_rows(xml: str, rows: str) -> str:
    return xml.replace("</sheetData>", rows + "</sheetData>")


def inline(ref: str, text: str) -> str:
    return f'<c r="{ref}" t="inlineStr"><is><t>{text}</t></is></c>'


def far_cell(xml: str) -> str:
    xml = re.sub(r'<dimension ref="[^"]*"/>', '<dimension ref="A1:XFD1048576"/>', xml)
    return append_rows(xml, f'<row r="1048576">{inline("XFD1048576", "far")}</row>')


def far_row(xml: str) -> str:
    xml = re.sub(r'<dimension ref="[^"]*"/>', '<dimension ref="A1:XFD1048576"/>', xml)
    return append_rows(xml, f'<row r="1048576">{inline("B1048576", "pasted-far-below")}</row>')


def many_rows(count: int):
    def change(xml: str) -> str:
        return append_rows(xml, "".join(f'<row r="{r}">{inline(f"B{r}", f"junk-{r}")}</row>'
                                        for r in range(20, 20 + count)))
    return change


def meta_cell(value: str):
    """The hidden sheet with its first record cell (B1) replaced."""
    def change(xml: str) -> str:
        return re.sub(r'(<c r="B1"[^>]*>).*?</c>', lambda m: inline("B1", value), xml, count=1, flags=re.S)
    return change


def meta_snapshot(value: str):
    """The hidden sheet with its snapshot replaced by `value` (one row)."""
    def change(xml: str) -> str:
        xml = re.sub(r'<row r="([2-9]|\d\d+)".*?</row>', "", xml, flags=re.S)
        return append_rows(xml, f'<row r="2">{inline("A2", "snapshot")}{inline("C2", value)}</row>')
    return change


def record(**fields) -> str:
    import json

    base = {"format": 2, "track": TRACK}
    base.update(fields)
    return json.dumps(base).replace("&", "&amp;").replace("<", "&lt;")


def cell_in_courses(header: str, write):
    """An openpyxl edit of the first course row's cell under `header`."""
    def edit(wb):
        ws = wb["Courses"]
        column = [c.value for c in ws[1]].index(header) + 1
        write(ws.cell(row=2, column=column))
    return edit


def set_value(value, data_type=None):
    def write(cell):
        cell.value = value
        if data_type:
            cell.data_type = data_type
    return write


# (name, how: ("xml", part, change) | ("book", edit) | ("bytes", make), exit status, what the message says)
CASES = [
    ("declared A1:XFD1048576, one far cell", ("xml", COURSES_PART, far_cell), 0, ""),
    ("a row pasted far below the table", ("xml", COURSES_PART, far_row), 2, "past row 10000"),
    ("hidden sheet declaring A1:XFD1048576", ("xml", META_PART, far_cell), 0, ""),
    ("twenty thousand junk rows", ("xml", COURSES_PART, many_rows(20_000)), 2, "past row 10000"),
    ("truncated sheet XML", ("xml", COURSES_PART, lambda x: x[: len(x) // 2]), 2, "sheet 'Courses' cannot be read"),
    ("malformed sheet XML", ("xml", COURSES_PART, lambda x: x.replace("</row>", "</rowx>", 1)), 2, "cannot be read"),
    ("an XML entity bomb", ("xml", COURSES_PART, lambda x: x.replace(
        "<worksheet", '<!DOCTYPE w [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">]><worksheet',
        1)), 2, "cannot"),
    ("an external entity", ("xml", COURSES_PART, lambda x: x.replace(
        "<worksheet", '<!DOCTYPE w [<!ENTITY e SYSTEM "file:///etc/passwd">]><worksheet', 1)), 2, "cannot"),
    ("a shared string index out of range", ("xml", COURSES_PART, lambda x: x.replace(
        "</sheetData>", '<row r="30"><c r="B30" t="s"><v>99999</v></c></row></sheetData>')), 2, ""),
    ("a control character in a cell", ("xml", COURSES_PART, lambda x: x.replace(
        "</sheetData>", '<row r="30"><c r="B30" t="inlineStr"><is><t>a&#1;b</t></is></c></row></sheetData>')), 2, ""),
    ("the record is a list", ("xml", META_PART, meta_cell("[1, 2, 3]")), 2, "is damaged"),
    ("the record is not JSON", ("xml", META_PART, meta_cell("{not json")), 2, "is damaged"),
    ("the record nested 100,000 deep", ("xml", META_PART, meta_cell("[" * 100_000 + "]" * 100_000)), 2,
     "is damaged"),
    ("another layout", ("xml", META_PART, meta_cell(record(format=99))), 2, "workbook layout 99"),
    ("no track named", ("xml", META_PART, meta_cell(record(track=["x"]))), 2, "is damaged"),
    ("the snapshot is a list", ("xml", META_PART, meta_snapshot("[]")), 2, "is damaged"),
    ("the snapshot's rows are not mappings", ("xml", META_PART, meta_snapshot(
        '{"files": {}, "sheets": {"Courses": {"x": [1, 2]}}}')), 2, "is damaged"),
    ("the snapshot's sheets are a list", ("xml", META_PART, meta_snapshot('{"files": {}, "sheets": [1]}')), 2,
     "is damaged"),
    ("the snapshot nested 100,000 deep", ("xml", META_PART, meta_snapshot("[" * 100_000 + "]" * 100_000)), 2,
     "is damaged"),
    ("the snapshot names a file outside the specs", ("xml", META_PART, meta_snapshot(
        '{"files": {"../../../../etc/passwd": "x"}, "sheets": {}}')), 2, "outside the specs folder"),
    ("the hidden sheet deleted", ("book", lambda wb: wb.remove(wb["_trackdesign"])), 2, "no '_trackdesign' sheet"),
    ("the hidden sheet emptied", ("book", lambda wb: wb["_trackdesign"].delete_rows(1, 500)), 2, "no record"),
    ("a date in Title", ("book", cell_in_courses("Title", set_value(__import__("datetime").datetime(2020, 1, 1)))), 2,
     "column 'Title': holds a date or time"),
    ("a number in Description", ("book", cell_in_courses("Description", set_value(42))), 2,
     "column 'Description': holds the number 42; expected text"),
    ("an error cell in Title", ("book", cell_in_courses("Title", set_value("#REF!", "e"))), 2,
     "column 'Title': holds the error #REF!"),
    ("a formula in Title", ("book", cell_in_courses("Title", set_value("=1+1"))), 2, "column 'Title': holds a formula"),
    ("a boolean in URL", ("book", cell_in_courses("URL", set_value(True))), 2, "column 'URL': holds the value TRUE"),
    ("a date in Hours", ("book", cell_in_courses("Hours", set_value(__import__("datetime").date(2020, 1, 1)))), 2,
     "column 'Hours': holds a date or time"),
    ("infinite hours", ("book", cell_in_courses("Hours", set_value("inf"))), 2, "column 'Hours': expected a number"),
    ("hours nan", ("book", cell_in_courses("Hours", set_value("nan"))), 2, "column 'Hours': expected a number"),
    ("hours 1e308", ("book", cell_in_courses("Hours", set_value(1e308))), 2, "column 'Hours': expected a number"),
    ("a renamed header", ("book", lambda wb: setattr(wb["Courses"].cell(row=1, column=3), "value", "Name")), 2,
     "column 3 is headed 'Name'"),
    ("the Courses sheet deleted", ("book", lambda wb: wb.remove(wb["Courses"])), 2, "Courses: sheet missing"),
    ("an unknown sheet added", ("book", lambda wb: wb.create_sheet("Mine")), 2, "Mine: unknown sheet"),
    ("a Status edited, which is shown, not applied", ("book", cell_in_courses("Status", set_value("retired"))), 2,
     "column 'Status': holds 'retired', but Status cannot be edited in the workbook"),
    ("a course renumbered, which is shown, not applied", ("book", cell_in_courses("#", set_value(7))), 2,
     "column '#': holds '7', but # cannot be edited in the workbook (the spec says '1'); propose the new order"),
    ("a row key edited", ("book", cell_in_courses("Course id", set_value("no-such-course"))), 2,
     "row 'deep-learning-in-python' was deleted"),
    ("a row added with a date for its id", ("xml", COURSES_PART, lambda x: x.replace(
        "</sheetData>", '<row r="30"><c r="B30" t="d"><v>2020-01-01T00:00:00</v></c><c r="C30" t="inlineStr"><is>'
                        "<t>New</t></is></c></row></sheetData>")), 2, "Courses row 30, column 'Course id': holds a date"),
    ("not a zip file", ("bytes", lambda book: b"PK\x03\x04 but not really a zip"), 2, "not an xlsx workbook"),
    ("an empty file", ("bytes", lambda book: b""), 2, "not an xlsx workbook"),
    ("a zip bomb", ("bytes", "bomb"), 2, "unpacks to"),
    ("a zip without the workbook part", ("bytes", "no-workbook"), 2, "cannot read the workbook safely"),
]


def make(case, exported: Path, target: Path) -> Path:
    how = case[1]
    source = exported / "review.xlsx"
    if how[0] == "xml":
        return rewrite(source, target, how[1], how[2])
    if how[0] == "book":
        wb = openpyxl.load_workbook(source)
        how[1](wb)
        wb.save(target)
        return target
    if how[1] == "bomb":
        with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as archive:
            for name, data in parts_of(source).items():
                archive.writestr(name, data)
            archive.writestr("xl/media/zeros.bin", b"\0" * (210 << 20))
        return target
    if how[1] == "no-workbook":
        with zipfile.ZipFile(target, "w") as archive:
            for name, data in parts_of(source).items():
                if name != "xl/workbook.xml":
                    archive.writestr(name, data)
        return target
    target.write_bytes(how[1](source))
    return target


def test_the_corpus_has_thirty_workbooks():
    assert len(CASES) >= 30


@pytest.mark.parametrize("case", CASES, ids=[c[0] for c in CASES])
def test_a_hostile_workbook_is_refused_or_reported_and_nothing_is_written(tmp_path, specs, exported, case):
    name, _, status, said = case
    book = make(case, exported, tmp_path / "hostile.xlsx")
    before = snapshot(specs)
    result = CliRunner().invoke(cli, ["sheet", "import", str(book), "--specs", str(specs)])
    assert result.exception is None or isinstance(result.exception, SystemExit), repr(result.exception)
    assert "Traceback" not in result.output and "internal error" not in result.output, result.output
    assert result.exit_code == status, result.output
    assert said in result.output, result.output
    assert snapshot(specs) == before
    if status == 2 and "column '" in said:  # a cell problem names the sheet and row too
        assert re.search(r"Courses row \d+, column", result.output)


def test_a_million_row_sheet_prints_a_bounded_number_of_lines(tmp_path, specs, exported):
    book = rewrite(exported / "review.xlsx", tmp_path / "big.xlsx", COURSES_PART, many_rows(30_000))
    result = CliRunner().invoke(cli, ["sheet", "import", str(book), "--specs", str(specs)])
    assert result.exit_code == 2
    lines = result.output.splitlines()
    assert len(lines) <= 60 and any(line.endswith(" more") for line in lines)


@pytest.mark.slow
def test_a_sheet_of_a_million_rows_is_refused_within_bounds(tmp_path, specs, exported):
    book = rewrite(exported / "review.xlsx", tmp_path / "million.xlsx", COURSES_PART, many_rows(1_000_000))
    result = CliRunner().invoke(cli, ["sheet", "import", str(book), "--specs", str(specs)])
    assert result.exit_code == 2 and len(result.output.splitlines()) <= 60
    assert "past row 10000" in result.output
