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


# -- positions found from the lines (spec.positions), held to a parse's on every node ----------

import random  # noqa: E402
from pathlib import Path  # noqa: E402

from test_fastyaml import random_document, random_edit  # noqa: E402
from trackdesign.spec.positions import lines_of, locate  # noqa: E402
from trackdesign.spec.yamlload import decode  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
TRICKY = """\
# leading comment
title: Tricky   # trailing comment
description: |
  title: not a key
  - not an item
objectives:
- indentless one
-   spaced two
-
  nested: map
- 'it''s quoted'
- "double"
- [flow, list]
empty:
after_empty: x
chapters:
  # comment inside
  - title: First
    lessons:
      - title: L1
        objectives:
          - a
          - b
  -
    title: Second
    note: >-
      folded text
      with: colon
  - title: Third
    lessons: []
plain: first line
  continued line
last :   spaced key
"""


def _compare(text: str, tally: dict) -> None:
    try:
        full = load_located(text)
    except YamlError:
        return
    lines = lines_of(text)
    if lines is None:
        tally["refused"] += 1
        return
    for path in set(full.values) | set(full.keys):
        for key in (False, True):
            found = locate(lines, path, key)
            if found is None:
                tally["unsure"] += 1
            else:
                assert found == full.position(path, key), (text, path, key)
                tally["same"] += 1


def test_lines_place_every_node_of_a_tricky_spec_as_a_parse_does():
    tally = {"same": 0, "unsure": 0, "refused": 0}
    _compare(TRICKY, tally)
    assert tally["refused"] == 0 and tally["same"] >= 60
    lines = lines_of(TRICKY)
    assert locate(lines, ("objectives", 2, "nested")) == (10, 11)
    assert locate(lines, ("empty",)) == (14, 7)  # just after the colon, as PyYAML marks an empty value
    assert locate(lines, ("chapters", 1, "note"), key=True) == (26, 5)
    assert locate(lines, ("objectives", 5, 0)) is None  # inside a flow list: a parse places it
    assert locate(lines, ("nowhere",)) is None and locate(lines, ("objectives", 9)) is None


def test_lines_refuse_what_indentation_cannot_place():
    for text in ["a: 'open\nb: quote'\n", "a: [1,\nb]\n", "a: &x 1\nb: *x\n", "\ufeffa: 1\n", "--- \na: 1\n",
                 "a:\n\tb: 1\n", "a: 'closed'\nb: [x]\nc: \"open\n  quote\"\n", "a: \"x\"\nb: {c: 1,\n  d: 2}\n"]:
        assert lines_of(text) is None, text
    assert locate(lines_of('"quoted key": 1\n'), ("quoted key",)) is None


def test_lines_place_nodes_as_a_parse_does_in_every_example_spec_and_random_documents():
    """Every node's key and value position, by lines where they answer, equals load_located's,
    on the example specs, 2,000 seeded random documents and 2,000 seeded random edits of the
    example specs (quotes, brackets, dashes, colons and comments put in or taken out)."""
    tally = {"same": 0, "unsure": 0, "refused": 0}
    texts = [decode(f.read_bytes()) for f in sorted((ROOT / "specs").rglob("*.yaml"))]
    for text in texts:
        _compare(text, tally)
    assert tally["same"] > 1000 and tally["refused"] <= 2
    rng = random.Random(5)
    for _ in range(2000):
        _compare(random_document(rng), tally)
    pieces = list("|>-:?[]{},#'\"\n ") + ["  ", "\n  ", "- ", ": ", "\n- ", "\n    ", " #", "---"]
    for _ in range(2000):
        _compare(random_edit(rng, rng.choice(texts), pieces), tally)
    assert tally["same"] > 4 * tally["unsure"]  # the lines answer for most nodes even of edited specs


def test_a_lint_of_plain_specs_parses_none_again_for_positions(tmp_path, monkeypatch):
    import trackdesign.spec.catalog as catalog_module

    root = write_specs(tmp_path / "specs", {"stats": COURSE.replace("[understand medians]", "\n          - understand medians")})
    parses = []
    real = catalog_module.load_located
    monkeypatch.setattr(catalog_module, "load_located", lambda text: parses.append(1) or real(text))
    found = _ob01(load_catalog(root))
    assert [(line, column) for _, line, column, _ in found] == [(5, 5), (11, 13)] and parses == []


def test_every_item_of_a_long_list_is_placed_in_one_pass_over_it(monkeypatch):
    """A track of thousands of courses has a finding on each: each lookup goes on from where the
    last left off rather than scanning the list from its start (which took 13 s at 10,000)."""
    from trackdesign.spec import positions

    count = 2000
    text = "title: Everything\ncourses:\n" + "".join(f"  - course-{k}\n" for k in range(count))
    lines = lines_of(text)
    visits = []
    real = positions._next_content
    monkeypatch.setattr(positions, "_next_content", lambda lines, start: visits.append(1) or real(lines, start))
    assert [locate(lines, ("courses", k)) for k in range(count)] == [(3 + k, 5) for k in range(count)]
    assert len(visits) < 5 * count  # a few per item, not count * count / 2
    assert locate(lines, ("courses", count)) is None  # past the end: only a parse says where
