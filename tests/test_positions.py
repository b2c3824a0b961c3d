"""Where a finding points: specs do not keep positions from loading, they read them again from their
file when a finding needs one, so the line must still be the one the designer wrote."""

from __future__ import annotations

from helpers import write_specs
from trackdesign.config import Config
from trackdesign.engine import lint
from trackdesign.spec.loader import load_catalog
from trackdesign.spec.yamlload import YamlError, load_located

COURSE = """\
title: Statistics in Python
# a comment line, so that lines and indexes differ
objectives:
  - compute a mean
  - understand variance
chapters:
  - title: Averages
    lessons:
      - title: Means
        objectives: [understand medians]
"""


def _ob01(catalog):
    config = Config().with_overrides(select=["OB01"])
    return [(f.path.rsplit("/", 1)[-1], f.line, f.column, f.message) for f in lint(catalog, config).findings]


def test_findings_point_at_the_lines_written(tmp_path):
    root = write_specs(tmp_path / "specs", {"stats": COURSE})
    found = _ob01(load_catalog(root))
    assert [(path, line, column) for path, line, column, _ in found] == [("stats.yaml", 5, 5), ("stats.yaml", 10, 22)]


def test_a_file_changed_after_loading_gives_the_lines_it_has_now(tmp_path):
    root = write_specs(tmp_path / "specs", {"stats": COURSE})
    catalog = load_catalog(root)
    (root / "courses" / "stats.yaml").write_text("# moved down by two lines\n\n" + COURSE, encoding="utf-8")
    assert [line for _, line, _, _ in _ob01(catalog)] == [7, 12]


def test_a_file_gone_after_loading_gives_line_one_not_a_crash(tmp_path):
    root = write_specs(tmp_path / "specs", {"stats": COURSE})
    catalog = load_catalog(root)
    (root / "courses" / "stats.yaml").unlink()
    found = _ob01(catalog)
    assert [(line, column) for _, line, column, _ in found] == [(1, 1), (1, 1)]
    assert all("understand" in message for *_, message in found)


def test_loading_without_positions_reads_the_same_data_and_errors():
    text = COURSE + "tags: [stats, 'yes', 2019-06-28, 3.5]\nhours: 4\n"
    full, lean = load_located(text), load_located(text, positions=False)
    assert (lean.data, lean.strings) == (full.data, full.strings)
    assert full.values and not lean.values and not lean.keys
    duplicate = "title: A\nchapters:\n  - title: C\n    title: D\n"
    errors = []
    for positions in (True, False):
        try:
            load_located(duplicate, positions=positions)
        except YamlError as exc:
            errors.append((exc.message, exc.line, exc.column))
    assert errors == [("duplicate key 'title' (first defined at line 3)", 4, 5)] * 2
