"""Edits change the value they mean to change and not one byte more: `lint --fix`, `links --fix` and
`sheet import` on files with CRLF line ends, a byte-order mark, flow style, anchors and folded text."""

from __future__ import annotations

import shutil
from pathlib import Path

import openpyxl
import pytest
from click.testing import CliRunner
from hostile_server import HostileServer

from trackdesign.cli import cli
from trackdesign.lint.fix import edit_text
from trackdesign.spec.problems import Fix

HEAD = "\ufeff# reviewed 2019\r\n"
PROSE_URL = "https://e.org/p?utm_source=a"
LONGER_URL = "https://e.org/p?utm_source=ab"


def write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(text.encode("utf-8"))
    return path


def course_text(url: str = "https://www.example.org/course", notes: str = "") -> str:
    """A course file using every layout a fix must keep: BOM, CRLF, comments, quotes, flow style,
    anchors and aliases, folded and literal text."""
    return (HEAD
            + "title: Deep Learning with Keras   # the working title\r\n"
            + f'url: "{url}"\r\n'
            + "tags: &tags [keras, 'deep learning',  neural networks]\r\n"
            + "description: >-\r\n"
            + "  A folded description that goes on\r\n"
            + "  over two lines.\r\n"
            + "\r\n"
            + "objectives:\r\n"
            + "  - &build build neural networks with keras\r\n"
            + "  - tune them   # in chapter 3\r\n"
            + "notes:\r\n"
            + f"  - {notes or 'a plain note'}\r\n"
            + "  - |\r\n"
            + "    literal text\r\n"
            + "    kept as written\r\n"
            + "outline_notes: [*build]\r\n")


def specs_folder(tmp_path: Path, courses: dict[str, str], track: list[str]) -> Path:
    root = tmp_path / "specs"
    for cid, text in courses.items():
        write(root / "courses" / f"{cid}.yaml", text)
    write(root / "tracks" / "t.yaml", "title: Keras Track\ncourses: [" + ", ".join(track) + "]\n")
    return root


def test_fix_edits_one_url_in_prose_and_not_a_longer_one_that_starts_the_same(tmp_path):
    note = f"compare {PROSE_URL} with {LONGER_URL}."
    text = course_text(url="https://www.example.org/course?utm_source=x&id=7", notes=note)
    root = specs_folder(tmp_path, {"keras": text}, ["keras"])
    result = CliRunner().invoke(cli, ["lint", "--specs", str(root), "--no-links", "--select", "LK07", "--fix"])
    assert "Fixed 3 findings." in result.output, result.output
    expected = (text.replace(note, "compare https://e.org/p with https://e.org/p.")
                .replace("course?utm_source=x&id=7", "course?id=7"))
    assert (root / "courses" / "keras.yaml").read_bytes() == expected.encode("utf-8")


def test_fix_removes_a_redundant_prerequisite_from_a_flow_list_and_nothing_else(tmp_path):
    keras = course_text().replace("outline_notes: [*build]\r\n",
                                  "prerequisites: [python-basics, python-intermediate,  numpy]   # order matters\r\n"
                                  "outline_notes: [*build]\r\n")
    root = specs_folder(tmp_path, {
        "keras": keras,
        "python-basics": "title: Python Basics\n",
        "python-intermediate": "title: Python Intermediate\nprerequisites: [python-basics]\n",
        "numpy": "title: NumPy\n",
    }, ["python-basics", "python-intermediate", "numpy", "keras"])
    result = CliRunner().invoke(cli, ["lint", "--specs", str(root), "--no-links", "--select", "PR01", "--fix"])
    assert "Fixed 1 finding." in result.output, result.output
    expected = keras.replace("[python-basics, python-intermediate,  numpy]", "[python-intermediate,  numpy]")
    assert (root / "courses" / "keras.yaml").read_bytes() == expected.encode("utf-8")


@pytest.fixture(scope="module")
def hostile():
    server = HostileServer().start()
    yield server
    server.stop()


def test_links_fix_follows_a_permanent_redirect_in_prose_only_where_the_finding_is(tmp_path, hostile):
    moved, kept = hostile.url("old5"), hostile.url("old5/keep")
    text = course_text(url=hostile.url("ok"), notes=f"see {moved} and {kept} for more")
    root = specs_folder(tmp_path, {"keras": text}, ["keras"])
    write(root / "trackdesign.toml", f'[links]\ncache = "{tmp_path / "links.sqlite"}"\nread_timeout = 1\n')
    result = CliRunner().invoke(cli, ["links", "--specs", str(root), "--fix"])
    assert "Fixed 1 link." in result.output, result.output
    expected = text.replace(f"see {moved} and", f"see {hostile.url('new5')} and")
    assert (root / "courses" / "keras.yaml").read_bytes() == expected.encode("utf-8")


def test_an_edit_that_would_change_an_alias_too_is_skipped_not_forced():
    text = course_text()
    new, done, skipped = edit_text(text, [(Fix("set", ("objectives", 0), "train neural networks"), "label")])
    assert new is None and done == [] and "could not edit the file in place" in skipped[0][1]


@pytest.mark.parametrize("fix,old,new", [
    (Fix("set", ("title",), "Keras in Depth"), "title: Deep Learning with Keras   #",
     "title: Keras in Depth   #"),
    (Fix("set", ("url",), "https://example.org/x"), 'url: "https://www.example.org/course"',
     'url: "https://example.org/x"'),
    (Fix("set", ("tags", 1), "machine learning"), "'deep learning'", "'machine learning'"),
    (Fix("delete", ("tags", 2)), ",  neural networks]", "]"),
    (Fix("delete", ("objectives", 1)), "  - tune them   # in chapter 3\r\n", ""),
    (Fix("set", ("notes", 1), "literal text\nrewritten\n"), "    literal text\r\n    kept as written\r\n",
     "    literal text\r\n    rewritten\r\n"),
    (Fix("set", ("hours",), 4), "outline_notes: [*build]\r\n", "outline_notes: [*build]\r\nhours: 4\r\n"),
    (Fix("delete", ("description",)), "description: >-\r\n  A folded description that goes on\r\n  over two lines.\r\n",
     ""),
])
def test_each_kind_of_edit_touches_only_its_value(fix, old, new):
    text = course_text()
    edited, done, skipped = edit_text(text, [(fix, "label")])
    assert skipped == [] and done == ["label"]
    assert text.count(old) == 1 and edited == text.replace(old, new)


# --- sheet import -------------------------------------------------------------------------------------

def headers(ws) -> list:
    return [c.value for c in ws[1]]


def set_cell(ws, key: str, header: str, value) -> None:
    columns = headers(ws)
    row = next(r for r in range(2, ws.max_row + 1) if ws.cell(row=r, column=columns.index("Course id") + 1).value == key)
    ws.cell(row=row, column=columns.index(header) + 1).value = value


def test_sheet_import_changes_only_the_cells_edited(tmp_path):
    text = course_text()
    root = specs_folder(tmp_path, {"keras": text, "numpy": "title: NumPy\r\nhours: 3   # measured\r\n"},
                        ["numpy", "keras"])
    book = tmp_path / "review.xlsx"
    runner = CliRunner()
    assert runner.invoke(cli, ["sheet", "export", "t", "--specs", str(root), "-o", str(book)]).exit_code == 0
    wb = openpyxl.load_workbook(book)
    set_cell(wb["Courses"], "keras", "Title", "Keras in Depth")
    set_cell(wb["Courses"], "keras", "Description", "A new description, folded as the old one was, and a good"
                                                     " deal longer than it, so that it must wrap.")
    set_cell(wb["Courses"], "numpy", "Hours", 4.5)
    wb.save(book)
    before = (root / "courses" / "keras.yaml").read_bytes().decode("utf-8")
    result = runner.invoke(cli, ["sheet", "import", str(book), "--specs", str(root)])
    assert result.exit_code == 0, result.output
    after = (root / "courses" / "keras.yaml").read_bytes().decode("utf-8")
    head, _, rest = before.partition("description: >-\r\n")
    _, _, tail = rest.partition("\r\n\r\n")
    assert after.startswith(head.replace("Deep Learning with Keras", "Keras in Depth") + "description: >-\r\n  A new")
    assert after.endswith("\r\n\r\n" + tail)  # everything after the description as it was
    assert (root / "courses" / "numpy.yaml").read_bytes() == b"title: NumPy\r\nhours: 4.5   # measured\r\n"
    from trackdesign.spec.loader import load_catalog

    course = load_catalog(root).courses["keras"].model
    assert course.description.startswith("A new description") and course.title == "Keras in Depth"
    assert course.tags == ["keras", "deep learning", "neural networks"] and course.outline_notes == [
        "build neural networks with keras"]


def test_sheet_import_keeps_a_review_added_beside_anchors_and_crlf(tmp_path):
    text = course_text()
    root = specs_folder(tmp_path, {"keras": text}, ["keras"])
    book = tmp_path / "review.xlsx"
    runner = CliRunner()
    assert runner.invoke(cli, ["sheet", "export", "t", "--specs", str(root), "-o", str(book)]).exit_code == 0
    wb = openpyxl.load_workbook(book)
    set_cell(wb["Courses"], "keras", "Decision", "revise")
    wb.save(book)
    result = runner.invoke(cli, ["sheet", "import", str(book), "--specs", str(root)])
    assert result.exit_code == 0, result.output
    after = (root / "courses" / "keras.yaml").read_bytes().decode("utf-8")
    assert after == text.replace(HEAD, HEAD + "spec_version: 2\r\n") + "review:\r\n  decision: revise\r\n"
    shutil.rmtree(root)
