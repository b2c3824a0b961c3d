"""Requirement expressions import exactly: nested and/or, corequisite markers, or an error with the row."""

from __future__ import annotations

import csv
import json

import pytest
import yaml
from click.testing import CliRunner

from trackdesign.cli import cli
from trackdesign.importers.expressions import CO, ExpressionError, requirements


@pytest.mark.parametrize("value,expected", [
    ("A and (B or C) and D", {"prerequisites": ["a", {"any_of": ["b", "c"]}, "d"]}),
    ("COS126 | ECE115 | (ISC231 & ISC232 & ISC233 & ISC234)",
     {"prerequisites": [{"any_of": ["cos126", "ece115", {"all_of": ["isc231", "isc232", "isc233", "isc234"]}]}]}),
    ("CSE 11, CSE 8B, or CSE 12", {"prerequisites": [{"any_of": ["cse-11", "cse-8b", "cse-12"]}]}),
    ("MATH 20A and MATH 20B (may be taken concurrently)", {"prerequisites": ["math-20a"], "corequisites": ["math-20b"]}),
    ("CSE 12; $CSE 21", {"prerequisites": ["cse-12"], "corequisites": ["cse-21"]}),
    ("(A or B) (may be taken concurrently)", {"corequisites": [{"any_of": ["a", "b"]}]}),
    ("LEC 1 and LAB 1 (must be taken concurrently)", {"prerequisites": ["lec-1"], "strict_corequisites": ["lab-1"]}),
    ([["A", "B"], "C", [["D", "E"], "F"]],
     {"prerequisites": [{"any_of": ["a", "b"]}, "c", {"any_of": [{"all_of": ["d", "e"]}, "f"]}]}),
    ({"type": "all", "courses": ["A", {"type": "one", "courses": ["B", {"type": "all", "courses": ["C", "D"]}]}]},
     {"prerequisites": ["a", {"any_of": ["b", {"all_of": ["c", "d"]}]}]}),
    ({"type": "two", "courses": ["A", "B", "C"]},
     {"prerequisites": [{"any_of": [{"all_of": ["a", "b"]}, {"all_of": ["a", "c"]}, {"all_of": ["b", "c"]}]}]}),
    ("A and A and (B or B)", {"prerequisites": ["a", "b"]}),
])
def test_expressions_read_exactly(value, expected):
    assert requirements(value).fields() == expected


def test_a_corequisites_column_takes_its_courses_as_corequisites():
    assert requirements("A or B", CO).fields() == {"corequisites": [{"any_of": ["a", "b"]}]}
    assert requirements("A (must be taken concurrently)", CO).fields() == {"strict_corequisites": ["a"]}


@pytest.mark.parametrize("value,message", [
    ("A or $B", "offers a corequisite or a prerequisite as alternatives"),
    ("A and (B or", "expected a course at 'the end'"),
    ("A (B", "unexpected"),
    ({"type": "three", "courses": ["A"]}, "unknown node type 'three'"),
    ({"type": "two", "courses": ["A"]}, "2 of a list of 1"),
    ({"type": "two", "courses": [f"C{i}" for i in range(60)]}, "would be 1770 alternatives"),
    ([[]], "an empty list"),
])
def test_what_the_spec_cannot_say_is_an_error(value, message):
    with pytest.raises(ExpressionError) as caught:
        requirements(value)
    assert message in str(caught.value)


def test_import_table_keeps_every_good_row_exact_and_reports_the_bad_one(tmp_path):
    rows = [
        ["code", "name", "requires", "concurrent"],
        ["CS 1", "Programming", "", ""],
        ["CS 2", "Data Structures", "CS 1", ""],
        ["CS 3", "Algorithms", "CS 2 and (MATH 1 or (MATH 2 and (STAT 1 or STAT 2)))", ""],
        ["CS 4", "Systems", "CS 3 & (CS 2 | MATH 1) & $LAB 4", ""],
        ["CS 5", "Compilers", "CS 4, CS 3 (may be taken concurrently)", "LAB 4"],
        ["LAB 4", "Systems Lab", "CS 1; CS 4 (must be taken concurrently)", ""],
        ["CS 6", "Broken", "CS 1 or $CS 2", ""],
        ["CS 7", "Seminar", json.dumps({"type": "two", "courses": ["CS 1", "CS 2", "CS 3"]}), "CS 5"],
    ]
    source = tmp_path / "catalog.csv"
    with open(source, "w", newline="", encoding="utf-8") as handle:
        csv.writer(handle).writerows(rows)
    out = tmp_path / "specs"
    result = CliRunner().invoke(cli, ["import", "table", str(source), "--specs", str(out), "--id", "code",
                                      "--title", "name", "--prerequisites", "requires", "--corequisites", "concurrent"])
    assert result.exit_code == 1, result.output  # the specs do not say all the table says
    assert ("catalog.csv:8: not placed: row not read: prerequisites 'CS 1 or $CS 2': '(cs-1 or cs-2 (corequisite))'"
            " offers a corequisite or a prerequisite as alternatives") in result.output
    assert "7 course(s)" in result.output and "the specs do not say all the document says" in result.output

    def spec(cid):
        return yaml.safe_load((out / "courses" / f"{cid}.yaml").read_text(encoding="utf-8"))
    assert sorted(p.stem for p in (out / "courses").glob("*.yaml")) == ["cs-1", "cs-2", "cs-3", "cs-4", "cs-5", "cs-7",
                                                                         "lab-4"]
    assert spec("cs-1") == {"title": "Programming", "status": "live"}
    assert spec("cs-2") == {"title": "Data Structures", "status": "live", "prerequisites": ["cs-1"]}
    assert spec("cs-3") == {"spec_version": 3, "title": "Algorithms", "status": "live", "prerequisites": [
        "cs-2", {"any_of": ["math-1", {"all_of": ["math-2", {"any_of": ["stat-1", "stat-2"]}]}]}]}
    assert spec("cs-4") == {"spec_version": 3, "title": "Systems", "status": "live",
                            "prerequisites": ["cs-3", {"any_of": ["cs-2", "math-1"]}], "corequisites": ["lab-4"]}
    assert spec("cs-5") == {"spec_version": 3, "title": "Compilers", "status": "live", "prerequisites": ["cs-4"],
                            "corequisites": ["cs-3", "lab-4"]}
    assert spec("lab-4") == {"spec_version": 3, "title": "Systems Lab", "status": "live", "prerequisites": ["cs-1"],
                             "strict_corequisites": ["cs-4"]}
    assert spec("cs-7") == {"spec_version": 3, "title": "Seminar", "status": "live", "prerequisites": [{"any_of": [
        {"all_of": ["cs-1", "cs-2"]}, {"all_of": ["cs-1", "cs-3"]}, {"all_of": ["cs-2", "cs-3"]}]}],
        "corequisites": ["cs-5"]}
    lint = CliRunner().invoke(cli, ["lint", "--specs", str(out), "--no-links", "--select", "SP", "--format", "json"])
    assert json.loads(lint.stdout) == []  # every file it wrote loads
