"""`import table` reads catalogs: hours, tags, status, chapters, tracks in order, every column told."""

from __future__ import annotations

import openpyxl
import pytest
import yaml
from click.testing import CliRunner

from trackdesign.cli import cli
from trackdesign.spec.loader import load_catalog

ROWS = [["code", "name", "Duration", "Topics", "Status", "Chapters", "Track", "Order", "Videos"],
        ["PY 1", "Python Basics", "4 hours", "python; variables", "live", "Values; Lists; Functions",
         "Python Programmer", "1", "12"],
        ["PY 3", "Python Packages", "90 min", "packaging", "new", "", "Python Programmer", "3", "8"],
        ["PY 2", "Python Data", "3", "pandas, numpy", "in development", "Frames; Arrays", "Python Programmer", "2",
         "10"],
        ["SQL 1", "SQL Basics", "2", "sql", "live", "", "", "", "6"],
        ["SQL 1", "SQL Basics", "2", "sql", "live", "", "Data Analyst", "1", "6"]]


def _write(tmp_path, suffix: str):
    path = tmp_path / f"catalog{suffix}"
    if suffix == ".csv":
        path.write_text("\n".join(",".join(f'"{c}"' for c in row) for row in ROWS) + "\n", encoding="utf-8")
    else:
        book = openpyxl.Workbook()
        for row in ROWS:
            book.active.append(row)
        book.save(path)
    return path


@pytest.mark.parametrize("suffix", [".csv", ".xlsx"])
def test_a_catalog_with_tracks_hours_tags_status_and_chapters(tmp_path, suffix):
    source = _write(tmp_path, suffix)
    out = tmp_path / "specs"
    result = CliRunner().invoke(cli, ["import", "table", str(source), "--specs", str(out), "--id", "code",
                                      "--title", "name"])
    assert result.exit_code == 0, result.output
    assert f"{source}:1: no field: column 'Videos' is not imported" in result.output
    assert result.output.count("no field") == 1
    catalog = load_catalog(out)
    assert not catalog.problems
    basics = yaml.safe_load((out / "courses" / "py-1.yaml").read_text())
    assert basics == {"title": "Python Basics", "status": "live", "tags": ["python", "variables"], "hours": 4,
                      "chapters": [{"title": "Values"}, {"title": "Lists"}, {"title": "Functions"}]}
    assert catalog.courses["py-3"].model.hours == 1.5 and catalog.courses["py-3"].model.status == "proposed"
    assert catalog.courses["py-2"].model.status == "in-development"
    assert catalog.tracks["python-programmer"].model.courses == ["py-1", "py-2", "py-3"]
    assert catalog.tracks["data-analyst"].model.courses == ["sql-1"]


def test_values_that_fit_no_field_are_reported_with_their_row(tmp_path):
    source = tmp_path / "c.csv"
    source.write_text("id,title,hours,status,chapters\nA,Course A,3-4,maybe,4\nB,Course B,2,live,5\n")
    result = CliRunner().invoke(cli, ["import", "table", str(source), "--specs", str(tmp_path / "specs")])
    assert result.exit_code == 1
    assert "c.csv:2: not placed: a: hours '3-4' is not a number of hours" in result.output
    assert "c.csv:2: not placed: a: status 'maybe' is none of" in result.output
    assert "column 'chapters' is not imported: it counts chapters" in result.output


def test_a_table_that_is_not_one_is_an_input_error(tmp_path):
    source = tmp_path / "c.csv"
    source.write_bytes(b'id,title\n"A,unclosed\n')
    result = CliRunner().invoke(cli, ["import", "table", str(source), "--specs", str(tmp_path / "specs")])
    assert result.exit_code == 2 and "c.csv" in result.output and "Traceback" not in result.output


def test_a_table_without_an_id_or_title_column_is_a_usage_error_naming_its_columns(tmp_path):
    source = tmp_path / "c.csv"
    source.write_text("foo,hours\nA,3\n", encoding="utf-8")
    result = CliRunner().invoke(cli, ["import", "table", str(source), "--specs", str(tmp_path / "specs")])
    assert result.exit_code == 2 and "(columns: foo, hours)" in result.output and "--id" in result.output
    assert not (tmp_path / "specs" / "courses").exists()
    named = CliRunner().invoke(cli, ["import", "table", str(source), "--specs", str(tmp_path / "specs"), "--id", "foo"])
    assert named.exit_code == 0 and (tmp_path / "specs" / "courses" / "a.yaml").is_file(), named.output
