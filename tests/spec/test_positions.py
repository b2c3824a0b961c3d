"""Where a spec's values are written: positions come from parsing the file again on first need
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
    real = catalog_module.load_located
    monkeypatch.setattr(catalog_module, "load_located", lambda text: parses.append(text) or real(text))

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
    assert spec.data_as_loaded()["objectives"][1] == "train a network"
    assert len(parses) == 1
