"""Where a spec's values are written: positions come from composing the file again on first need
(loading keeps none), so a file with many findings must be parsed once, not once per finding."""

from __future__ import annotations

import trackdesign.spec.catalog as catalog_module
from trackdesign.spec.loader import load_catalog

COURSE = """\
title: Deep Learning
objectives:
  - explain backpropagation
  - "train a network"
prerequisites: [intro-to-python]
"""


def test_a_spec_is_parsed_once_however_many_positions_are_asked(tmp_path, monkeypatch):
    (tmp_path / "courses").mkdir()
    (tmp_path / "courses" / "deep-learning.yaml").write_text(COURSE, encoding="utf-8")
    spec = load_catalog(tmp_path).courses["deep-learning"]
    parses = []
    real = catalog_module.Document
    monkeypatch.setattr(catalog_module, "Document", lambda text: parses.append(text) or real(text))

    asked = {
        ("title",): (1, 8),
        ("objectives", 0): (3, 5),
        ("objectives", 1): (4, 5),
        ("prerequisites", 0): (5, 17),
        ("prerequisites", 7): (5, 16),  # no such item: its list, the nearest place written
        (): (1, 1),
    }
    for _ in range(3):
        assert {path: spec.position(path) for path in asked} == asked
    assert spec.position(("objectives",), key=True) == (2, 1)
    assert spec.position(("objectives", 1, "x"), key=True) == (2, 1)  # no key below a list item: its list's
    assert spec.data_as_loaded()["objectives"][1] == "train a network"
    assert len(parses) == 1


def test_a_file_changed_since_loading_gives_its_positions_now_and_no_data(tmp_path):
    (tmp_path / "courses").mkdir()
    path = tmp_path / "courses" / "deep-learning.yaml"
    path.write_text(COURSE, encoding="utf-8")
    spec = load_catalog(tmp_path).courses["deep-learning"]
    path.write_text("# moved down\n" + COURSE, encoding="utf-8")
    assert spec.position(("objectives", 1)) == (5, 5)
    assert spec.data_as_loaded() is None


def test_a_file_that_no_longer_parses_gives_line_1_column_1(tmp_path):
    (tmp_path / "courses").mkdir()
    path = tmp_path / "courses" / "deep-learning.yaml"
    path.write_text(COURSE, encoding="utf-8")
    spec = load_catalog(tmp_path).courses["deep-learning"]
    path.write_text("title: [unclosed\n", encoding="utf-8")
    assert spec.position(("objectives", 1)) == (1, 1)
    assert spec.data_as_loaded() is None

