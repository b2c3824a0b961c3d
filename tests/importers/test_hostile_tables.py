"""Importers on tables and files nobody on the team wrote: every row read where it is, or reported."""

from __future__ import annotations

import codecs
from pathlib import Path

import openpyxl
import pytest
import yaml
from click.testing import CliRunner

from trackdesign.cli import cli


def _import(tmp_path, name: str, data: bytes | str):
    source = tmp_path / name
    source.write_bytes(data if isinstance(data, bytes) else data.encode("utf-8"))
    out = tmp_path / "specs"
    result = CliRunner().invoke(cli, ["import", "table", str(source), "--specs", str(out)])
    assert "Traceback" not in result.output
    courses = {p.stem: yaml.safe_load(p.read_text()) for p in sorted((out / "courses").glob("*.yaml"))}
    return result, courses


def test_a_row_wider_than_the_header_is_reported_not_shifted(tmp_path):
    result, courses = _import(tmp_path, "c.csv", "id,title,hours\nintro,Intro,4,extra,cells\nnext,Next,3\n")
    assert result.exit_code == 1
    assert "c.csv:2: not placed: row not read: 5 cells, but the header names 3 columns" in result.output
    assert courses == {"next": {"title": "Next", "status": "live", "hours": 3}}


def test_lines_after_a_multiline_cell_keep_their_numbers(tmp_path):
    result, _ = _import(tmp_path, "c.csv", 'id,title,description\nintro,Intro,"a\nb\nc"\n,No id,\n')
    assert "c.csv:5: not placed: row not read: no value in the id column 'id'" in result.output


@pytest.mark.parametrize("encoding", ["utf-16", "utf-8-sig"])
def test_a_marked_unicode_encoding_is_read(tmp_path, encoding):
    result, courses = _import(tmp_path, "c.csv", "id,title\nintro,Introducción\n".encode(encoding))
    assert result.exit_code == 0, result.output
    assert courses["intro"]["title"] == "Introducción"


def test_text_that_is_not_utf8_names_its_line(tmp_path):
    result, courses = _import(tmp_path, "c.csv", "id,title\nintro,Intro\nnext,Café\n".encode("latin-1"))
    assert result.exit_code == 2 and "c.csv:3: not UTF-8 text" in result.output and not courses
    assert codecs.BOM_UTF8 not in result.output.encode()


def test_a_column_named_twice_is_refused(tmp_path):
    result, courses = _import(tmp_path, "c.csv", "id,title,title\nintro,Intro,Other\n")
    assert result.exit_code == 2 and "c.csv:1: column 'title' appears twice" in result.output and not courses


def test_an_unclosed_quote_names_the_line_it_opens_on(tmp_path):
    result, _ = _import(tmp_path, "c.csv", 'id,title\nintro,Intro\nnext,"Next\nlast,Last\n')
    assert result.exit_code == 2 and "c.csv:3: not a readable table" in result.output


def test_a_json_line_that_is_not_an_object_is_reported(tmp_path):
    result, courses = _import(tmp_path, "c.jsonl", '{"id": "intro", "title": "Intro"}\n[1, 2]\n"text"\n')
    assert result.exit_code == 1
    assert "c.jsonl:2: not placed: row not read: expected a JSON object of column values, got list" in result.output
    assert "c.jsonl:3: not placed" in result.output and list(courses) == ["intro"]


def test_a_course_without_a_title_is_told_it_gets_its_id(tmp_path):
    result, courses = _import(tmp_path, "c.csv", "id,hours\nintro,4\n")
    assert "c.csv:2: generated: intro: no title given; the title is the id 'intro'" in result.output
    assert courses["intro"]["title"] == "intro"


def test_one_far_cell_in_a_workbook_does_not_make_every_cell_up_to_it_read(tmp_path):
    book = openpyxl.Workbook()
    book.active.append(["id", "title"])
    book.active.append(["intro", "Intro"])
    book.active["XFD1048576"] = "far"
    book.save(tmp_path / "far.xlsx")
    result = CliRunner().invoke(cli, ["import", "table", str(tmp_path / "far.xlsx"), "--specs", str(tmp_path / "s")])
    assert result.exit_code == 1, result.output
    assert "far.xlsx:1048576: not placed: row not read: 16384 cells, but the header names 2 columns" in result.output
    assert [p.stem for p in (tmp_path / "s" / "courses").glob("*.yaml")] == ["intro"]


CURRICULUM = (Path(__file__).parents[1] / "fixtures" / "curricular_analytics" / "curriculum.csv").read_text()


@pytest.mark.parametrize("edit, expected", [
    (("1,Introduction to Baskets,BW,110,,,,3,", "1,Introduction to Baskets,BW,110,,,,nan,"),
     ":9: Credit Hours 'nan': expected a number, 0 or more"),
    (("1,Introduction to Baskets,BW,110,,,,3,", "1,Introduction to Baskets,BW,110,,,,inf,"),
     ":9: Credit Hours 'inf': expected a number, 0 or more"),
    (("Institution,ACME State University", "Curriculum,Another Name"), ":3: 'Curriculum' is given a second time"),
    (("Physical Education,\n", "Physical Education,,left,out\n"), ":10: 13 cells, but the course header names 11"),
])
def test_a_curricular_analytics_file_that_says_too_much_is_refused(tmp_path, edit, expected):
    text = CURRICULUM.replace(*edit)
    assert text != CURRICULUM
    source = tmp_path / "c.csv"
    source.write_text(text, encoding="utf-8")
    result = CliRunner().invoke(cli, ["import", "curricular-analytics", str(source), "--specs", str(tmp_path / "s")])
    assert result.exit_code == 2 and f"c.csv{expected}" in result.output, result.output
    assert not (tmp_path / "s").exists()


def test_a_curricular_analytics_file_saved_as_utf16_is_read(tmp_path):
    source = tmp_path / "c.csv"
    source.write_text(CURRICULUM, encoding="utf-16")
    result = CliRunner().invoke(cli, ["import", "curricular-analytics", str(source), "--specs", str(tmp_path / "s")])
    assert result.exit_code == 0, result.output
    assert (tmp_path / "s" / "courses" / "bw-110.yaml").is_file()


def test_infinite_credit_hours_in_a_spec_are_a_schema_violation(tmp_path):
    from helpers import write_specs

    from trackdesign.spec.loader import load_catalog
    from trackdesign.spec.problems import OFF_FORMAT

    root = write_specs(tmp_path / "specs", courses={"a": "spec_version: 3\ntitle: A\ncredit_hours: .inf\n"})
    assert [p.kind for p in load_catalog(root).problems] == [OFF_FORMAT]


def test_a_proposal_saved_as_utf16_is_read(tmp_path):
    source = tmp_path / "p.md"
    text = (Path(__file__).parents[1] / "fixtures" / "proposals" / "note-styles.md").read_text()
    source.write_text(text.replace("\n", "\r\n"), encoding="utf-16")
    result = CliRunner().invoke(cli, ["import", "markdown", str(source), "--specs", str(tmp_path / "s"), "--dry-run"])
    plain = tmp_path / "plain.md"
    plain.write_text(text, encoding="utf-8")
    expected = CliRunner().invoke(cli, ["import", "markdown", str(plain), "--specs", str(tmp_path / "s"), "--dry-run"])
    assert result.exit_code == expected.exit_code and result.output.replace("p.md", "plain.md") == expected.output


def test_a_workbook_cell_that_is_not_what_was_typed_is_reported(tmp_path):
    import datetime as dt

    book = openpyxl.Workbook()
    for row in (["id", "title", "videos"], ["a", '=UPPER("intro")', 1], [dt.datetime(2024, 3, 1), "Dated", 2],
                ["b", "Kept", "=1+1"]):
        book.active.append(row)
    book.save(tmp_path / "c.xlsx")
    result = CliRunner().invoke(cli, ["import", "table", str(tmp_path / "c.xlsx"), "--specs", str(tmp_path / "s")])
    assert result.exit_code == 1
    assert "c.xlsx:2: not placed: row not read: column 'title' holds a formula (=UPPER(\"intro\"))" in result.output
    assert "c.xlsx:3: not placed: row not read: column 'id' holds a date or time (2024-03-01 00:00:00)" in result.output
    assert [p.stem for p in (tmp_path / "s" / "courses").glob("*.yaml")] == ["b"]  # an unread column's formula
