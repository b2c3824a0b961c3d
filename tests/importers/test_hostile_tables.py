"""`import table` on tables nobody on the team wrote: every row read where it is, or reported."""

from __future__ import annotations

import codecs

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
