"""`import markdown` on track lists: a section or <details> block per track, courses as lists or tables."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner

from test_import_markdown import imported
from trackdesign.cli import cli
from trackdesign.spec.loader import load_catalog

FIXTURES = Path(__file__).parents[1] / "fixtures" / "tracklists"
SEEDS = Path(__file__).resolve().parents[3] / "shared" / "seeds"


def spec(out: Path, folder: str, sid: str) -> dict:
    return yaml.safe_load((out / folder / f"{sid}.yaml").read_text(encoding="utf-8"))


def test_three_tracks_in_html_tables_import_in_order_with_hours(tmp_path):
    out = tmp_path / "specs"
    code, entries, output = imported(FIXTURES / "three-tracks-html.md", out)
    catalog = load_catalog(out)
    assert not catalog.problems
    assert {t: catalog.tracks[t].model.courses for t in catalog.tracks} == {
        "python-fundamentals": ["intro-to-python-for-data-science", "intermediate-python-for-data-science"],
        "machine-learning-with-python": ["supervised-learning-with-scikit-learn", "unsupervised-learning-in-python",
                                         "deep-learning-in-python"],
        "deep-learning-in-python": ["deep-learning-in-python", "deep-learning-with-keras-in-python",
                                    "deep-learning-with-pytorch", "introduction-to-tensorflow-in-python"]}
    assert {c.model.hours for c in catalog.courses.values()} == {4}  # "4 hours" too
    assert catalog.courses["intro-to-python-for-data-science"].model.title == "Introduction to Python"
    assert catalog.tracks["python-fundamentals"].model.description == "Start here if you have never programmed."
    # the columns no field holds are named once per table, with the header's line
    assert [t for t in entries[11] if t.startswith("no field")] == [
        "no field: column 'Chapters' is not imported: it counts chapters, and a spec's chapters are an outline"
        " of titles", "no field: column 'Videos' is not imported: no spec field holds it",
        "no field: column 'Exercises' is not imported: no spec field holds it"]
    assert entries[3] == ["not placed: The tracks we publish this year, each with its courses in order."]
    assert code == 1  # that introduction is in no spec


def test_markdown_sections_with_tables_lists_and_details(tmp_path):
    out = tmp_path / "specs"
    code, entries, output = imported(FIXTURES / "sections-lists-and-tables.md", out)
    assert code == 1
    assert spec(out, "tracks", "data-engineering-basics")["courses"] == [
        "introduction-to-sql", "streaming-data-pipelines", "data-modeling"]
    assert spec(out, "courses", "streaming-data-pipelines") == {
        "title": "Streaming Data Pipelines", "hours": 1.5, "status": "proposed", "tags": ["streaming", "kafka"]}
    assert spec(out, "courses", "data-modeling")["status"] == "in-development"
    assert "hours" not in spec(out, "courses", "data-modeling") and "'3-4' is not a number" in entries[15][0]
    assert spec(out, "courses", "introduction-to-python") == {
        "title": "Introduction to Python", "url": "https://example.org/courses/introduction-to-python",
        "hours": 4, "description": "variables, lists and functions"}
    assert spec(out, "tracks", "analytics-in-python")["courses"][-1] == "visualisation-with-matplotlib"
    assert "'(completed in 2023)'" in entries[21][0]
    assert spec(out, "tracks", "machine-learning-starter")["courses"] == [
        "supervised-learning-with-scikit-learn", "unsupervised-learning-in-python"]
    assert entries[28] == ["not placed: nested list item: optional for analysts"]


def test_an_order_column_orders_the_courses_and_says_so(tmp_path):
    source = tmp_path / "tracks.md"
    source.write_text("## Track\n\n| Step | Course |\n|---|---|\n| 2 | Second |\n| 1 | First |\n")
    code, entries, output = imported(source, tmp_path / "specs")
    assert code == 0, output
    assert spec(tmp_path / "specs", "tracks", "track")["courses"] == ["first", "second"]
    assert "order column" in entries[5][0]


@pytest.mark.skipif(not SEEDS.is_dir(), reason="../shared/seeds not beside the repository")
@pytest.mark.parametrize("name", ["blog-4-months-of-ml-dl", "notes-coursera-ml-dl-specializations",
                                  "blog-steps-to-learn-ml"])
def test_real_pages_import_with_every_left_out_line_reported(tmp_path, name):
    source = SEEDS / f"{name}.md"
    result = CliRunner().invoke(cli, ["import", "markdown", str(source), "--specs", str(tmp_path / "specs")])
    assert result.exit_code == 1 and "Traceback" not in result.output
    assert not load_catalog(tmp_path / "specs").problems
    assert f"{source}:" in result.output and "not placed" in result.output


def test_as_tracks_reads_a_proposal_shaped_file_as_a_track_list(tmp_path):
    source = Path(__file__).parents[1] / "fixtures" / "proposals" / "unnumbered-headings.md"
    result = CliRunner().invoke(cli, ["import", "markdown", str(source), "--as", "tracks", "--specs",
                                      str(tmp_path / "specs"), "--dry-run"])
    assert result.exit_code == 1 and "nested list item" in result.output
    assert not (tmp_path / "specs").exists()


def test_cells_beyond_a_markdown_table_s_header_are_reported_not_dropped(tmp_path):
    source = tmp_path / "tracks.md"
    source.write_text("# Data\n\n| Course | Hours |\n|---|---|\n| Intro to SQL | 2 | surprise | more |\n"
                      "| Pipes \\| and more | 3 | |\n", encoding="utf-8")
    code, entries, _ = imported(source, tmp_path / "specs")
    assert code == 1 and entries == {5: ["not placed: 2 cell(s) beyond the header's columns"]}
    assert spec(tmp_path / "specs", "courses", "pipes-and-more")["title"] == "Pipes | and more"
