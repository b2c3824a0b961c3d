"""Rows a reviewer adds to a review workbook are proposals, applied like any edit (diff first)."""

from __future__ import annotations

import openpyxl
import yaml

from test_sheets import TRACK, export, import_, set_cell, snapshot, specs  # noqa: F401 - the fixture
from trackdesign.spec.loader import load_catalog


def _add_row(ws, values: dict):
    headers = [c.value for c in ws[1]]
    ws.append([values.get(h) for h in headers])


def test_an_added_objective_is_appended_to_its_course_after_a_diff(specs, tmp_path):  # noqa: F811
    book_path = export(specs, tmp_path / "r.xlsx")
    wb = openpyxl.load_workbook(book_path)
    _add_row(wb["Objectives"], {"Course id": "deep-learning-with-pytorch",
                                "Objective": "compare the training loops of PyTorch and Keras",
                                "Decision": "keep", "Comment": "asked for by OB04's hint"})
    wb.save(book_path)
    before = snapshot(specs)
    dry = import_(specs, book_path, "--dry-run")
    assert dry.exit_code == 0, dry.output
    assert "+  - compare the training loops of PyTorch and Keras" in dry.output and snapshot(specs) == before
    result = import_(specs, book_path)
    assert result.exit_code == 0, result.output
    course = load_catalog(specs).course("deep-learning-with-pytorch")
    assert course.objectives[-1] == "compare the training loops of PyTorch and Keras"
    assert course.objectives[:-1] == yaml.safe_load(before["courses/deep-learning-with-pytorch.yaml"])["objectives"]
    assert course.review.objectives[-1].comment == "asked for by OB04's hint"
    text = (specs / "courses" / "deep-learning-with-pytorch.yaml").read_text()
    assert "# no slides available for download (see the note)" in text  # the author's comment is kept
    others = {k: v for k, v in snapshot(specs).items() if k != "courses/deep-learning-with-pytorch.yaml"}
    assert others == {k: v for k, v in before.items() if k != "courses/deep-learning-with-pytorch.yaml"}


def test_an_added_course_is_a_proposed_spec_placed_in_the_track(specs, tmp_path):  # noqa: F811
    book_path = export(specs, tmp_path / "r.xlsx")
    wb = openpyxl.load_workbook(book_path)
    _add_row(wb["Courses"], {"#": 3, "Course id": "transformers-in-python", "Title": "Transformers in Python",
                             "Hours": 4, "Prerequisites": "deep-learning-in-python",
                             "Comment": "attention is missing from the track"})
    wb.save(book_path)
    result = import_(specs, book_path)
    assert result.exit_code == 0, result.output
    assert "+++ b/courses/transformers-in-python.yaml" in result.output
    catalog = load_catalog(specs)
    assert not catalog.problems
    course = catalog.course("transformers-in-python")
    assert (course.status, course.hours, course.prerequisites) == ("proposed", 4, ["deep-learning-in-python"])
    assert course.review.comment == "attention is missing from the track"
    assert catalog.tracks[TRACK].model.courses[2] == "transformers-in-python"
    track_text = (specs / "tracks" / f"{TRACK}.yaml").read_text()
    assert "# The track specifications of the task analysis." in track_text


def test_an_added_row_that_cannot_be_applied_is_reported_and_nothing_is_written(specs, tmp_path):  # noqa: F811
    book_path = export(specs, tmp_path / "r.xlsx")
    wb = openpyxl.load_workbook(book_path)
    set_cell(wb["Courses"], 4, "Title", "A legitimate edit")
    _add_row(wb["Courses"], {"Course id": "intro-to-python-for-data-science", "Title": "Again"})
    _add_row(wb["Objectives"], {"Course id": "deep-learning-with-pytorch", "#": 1, "Objective": "do x"})
    _add_row(wb["Objectives"], {"Course id": "deep-learning-with-pytorch", "Objective": ""})
    wb.save(book_path)
    before = snapshot(specs)
    result = import_(specs, book_path)
    assert result.exit_code == 2
    assert "course 'intro-to-python-for-data-science' exists already" in result.output
    assert "row 'deep-learning-with-pytorch#1' also at row" in result.output
    assert "column 'Objective': cannot be empty" in result.output
    assert snapshot(specs) == before


def test_importing_a_workbook_twice_says_its_added_objective_is_there_already(specs, tmp_path):  # noqa: F811
    book_path = export(specs, tmp_path / "r.xlsx")
    count = len(load_catalog(specs).course("deep-learning-with-pytorch").objectives)
    wb = openpyxl.load_workbook(book_path)
    _add_row(wb["Objectives"], {"Course id": "deep-learning-with-pytorch", "#": count + 1,
                                "Objective": "compare the training loops of PyTorch and Keras"})
    wb.save(book_path)
    assert import_(specs, book_path).exit_code == 0
    again = import_(specs, book_path)
    assert again.exit_code == 2
    assert f"already has objective {count + 1} with this text: was this workbook imported already?" in again.output
