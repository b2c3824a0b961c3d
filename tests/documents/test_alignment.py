"""The alignment matrix: levels from the Bloom levels of matching objectives, gaps and idle courses."""

from __future__ import annotations

from pathlib import Path

from helpers import write_specs
from test_reports import GOLDEN, ROOT, _check_golden

from trackdesign.analysis.alignment import Matrix, alignment, letter
from trackdesign.documents import prepare
from trackdesign.documents.render import render
from trackdesign.spec.loader import load_catalog


def to_text(matrix: Matrix) -> str:
    """A plain grid, one row per term, for the golden file."""
    header = ["requirement / term", *(str(c["number"]) for c in matrix.courses)]
    lines = ["\t".join(header)]
    for row in matrix.rows:
        lines.append("\t".join([f"{row.requirement} / {row.term}", *((c.level or "-") for c in row.cells)]))
    lines.append("courses: " + "; ".join(f"{c['number']}. {c['title']}" for c in matrix.courses))
    lines.append("not served: " + (", ".join(r.term for r in matrix.gaps) or "none"))
    lines.append("serving nothing: " + (", ".join(str(matrix.courses[k]["number"]) for k in matrix.idle) or "none"))
    lines.append("without terms: " + ("; ".join(matrix.without_terms) or "none"))
    return "\n".join(lines) + "\n"


def test_example_track_matrix_matches_its_golden_file():
    matrix = alignment(load_catalog(ROOT / "specs"), "deep-learning-in-python")
    _check_golden(to_text(matrix), GOLDEN / "alignment-deep-learning-in-python.txt")


def test_levels_follow_blooms_taxonomy():
    assert [letter(level) for level in (None, 1, 2, 3, 4, 5, 6)] == ["I", "I", "I", "D", "D", "M", "M"]


def _catalog(tmp_path: Path):
    return load_catalog(write_specs(tmp_path / "specs", courses={
        "a": {"title": "A", "objectives": ["describe what SQL joins do", "build a dashboard"]},
        "b": {"title": "B", "description": "Some SQL here.", "objectives": ["design a schema for sql joins"]},
        "c": {"title": "C", "objectives": ["paint a fence"]},
    }, tracks={"t": {"title": "T", "courses": ["a", "b", "c"], "requirements": [
        {"name": "Data", "covers": ["sql joins", "dashboard", "spark"]}, {"name": "Be fun"}]}}))


def test_a_requirement_no_course_teaches_is_highlighted(tmp_path):
    catalog = _catalog(tmp_path)
    matrix = alignment(catalog, "t")
    assert [(r.term, [c.level for c in r.cells]) for r in matrix.rows] == [
        ("sql joins", ["I", "M", None]), ("dashboard", ["D", None, None]), ("spark", [None, None, None])]
    assert [r.term for r in matrix.gaps] == ["spark"] and matrix.idle == [2]
    assert matrix.without_terms == ["Be fun"]
    html = render(prepare.alignment_doc(catalog, "t"), "html")
    assert '<tr class="gap">' in html and "spark <span class=\"missing\">not served by any course</span>" in html
    assert 'class="course idle"' in html and "C (serves no specification)" in html
    md = render(prepare.alignment_doc(catalog, "t"), "md")
    assert "| Data | spark |  |  |  | **no** |" in md and "**Not served by any course:** spark." in md


def test_a_course_naming_a_term_outside_its_objectives_mentions_it(tmp_path):
    catalog = load_catalog(write_specs(tmp_path / "specs", courses={
        "a": {"title": "Keras Basics", "objectives": ["train models"]}},
        tracks={"t": {"title": "T", "courses": ["a"], "requirements": [{"name": "R", "covers": ["keras"]}]}}))
    assert [c.level for c in alignment(catalog, "t").rows[0].cells] == ["m"]
