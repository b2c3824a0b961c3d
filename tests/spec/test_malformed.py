"""A corpus of malformed specs: each gives exit 2, a message naming file and line, no traceback."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest
from click.testing import CliRunner

from trackdesign.cli import cli

GOOD_COURSE = "title: Deep Learning in Python\n"

# (name, kind, file stem, content (str or bytes), expected message part, expected line)
CORPUS = [
    ("empty file", "courses", "a", "", "empty file: expected a course mapping", 1),
    ("only a comment", "courses", "a", "# nothing here\n", "empty file", 1),
    ("top-level list", "courses", "a", "- title: A\n", "expected a course mapping (key: value pairs) at the top level, got a list", 1),
    ("top-level scalar", "courses", "a", "just text\n", "at the top level, got the text 'just text'", 1),
    ("unclosed flow list", "courses", "a", "title: A\nprerequisites: [b,\n", "invalid YAML", 3),
    ("unclosed flow list before more keys", "courses", "a", "title: A\ntags: [a, b\nhours: 3\n",
     "(while parsing a flow sequence that starts at line 2, column 7)", 3),
    ("unclosed quote", "courses", "a", 'title: "A\n', "invalid YAML", 2),
    ("bad indentation", "courses", "a", "title: A\n  url: x\n", "invalid YAML: mapping values are not allowed", 2),
    ("tab indentation", "courses", "a", "title: A\nobjectives:\n\t- x\n", "invalid YAML", 3),
    ("duplicate key", "courses", "a", "title: A\nurl: x\ntitle: B\n", "duplicate key 'title' (first defined at line 1)", 3),
    ("duplicate nested key", "courses", "a", "title: A\nchapters:\n  - title: C\n    title: D\n", "duplicate key 'title'", 4),
    ("two documents", "courses", "a", "title: A\n---\ntitle: B\n", "several ('---')", 2),
    ("unknown key", "courses", "a", "title: A\nprerequisite: [b]\n", "unknown key 'prerequisite'; did you mean 'prerequisites'?", 2),
    ("unknown key without a close match", "courses", "a", "title: A\nzzz: 1\n", "unknown key 'zzz'", 2),
    ("missing title", "courses", "a", "url: https://example.org\n", "missing required key 'title'", 1),
    ("title is a number", "courses", "a", "title: 42\n", "title: expected text, got the number 42", 1),
    ("title is empty", "courses", "a", "title: ''\n", "title: expected non-empty text", 1),
    ("title is null", "courses", "a", "title:\n", "title: expected text, got nothing (null)", 1),
    ("hours not a number", "courses", "a", "title: A\nhours: four\n", "hours: expected a number, got the text 'four'", 2),
    ("negative hours", "courses", "a", "title: A\nhours: -2\n", "hours:", 2),
    ("difficulty out of range", "courses", "a", "title: A\ndifficulty: 9\n", "difficulty:", 2),
    ("status unknown", "courses", "a", "title: A\nstatus: draft\n", "status: expected one of live, in-development, proposed, retired, external; got the text 'draft'", 2),
    ("bad date", "courses", "a", "title: A\nlive_since: 2019-02-30\n", "cannot read value '2019-02-30'", 2),
    ("date as words", "courses", "a", "title: A\nlive_since: June 28, 2019\n", "live_since: expected a date like 2019-06-28", 2),
    ("slides not a boolean", "courses", "a", "title: A\nslides: maybe\n", "slides: expected true or false", 2),
    ("objectives not a list", "courses", "a", "title: A\nobjectives: do things\n", "objectives: expected a list", 2),
    ("objective is a mapping", "courses", "a", "title: A\nobjectives:\n  - {a: b}\n", "objectives.0: expected text, got a mapping", 3),
    ("prerequisite is a number", "courses", "a", "title: A\nprerequisites: [5]\n", "prerequisites.0: expected a course id, or a mapping with 'course', 'any_of' or 'all_of', got the number 5", 2),
    ("prerequisite id with spaces", "courses", "a", "title: A\nprerequisites: [Deep Learning]\n", "expected a course id in kebab-case, got the text 'Deep Learning'", 2),
    ("empty any_of", "courses", "a", "title: A\nprerequisites:\n  - any_of: []\n", "prerequisites.0.any_of: expected at least one item", 3),
    ("any_of misspelt", "courses", "a", "title: A\nprerequisites:\n  - anyof: [b]\n", "unknown key 'anyof'", 3),
    ("nested group's id malformed", "courses", "a",
     "spec_version: 3\ntitle: A\nprerequisites:\n  - any_of:\n      - b\n      - all_of: [c, D E]\n",
     "prerequisites.0.any_of.1.all_of.1: expected a course id in kebab-case, got the text 'D E'", 6),
    ("nested group not a mapping or id", "courses", "a", "spec_version: 3\ntitle: A\ncorequisites:\n  - all_of: [b, [c]]\n",
     "corequisites.0.all_of.1: expected a course id, or a mapping with 'course', 'any_of' or 'all_of', got a list", 4),
    ("all_of in an older format", "courses", "a", "title: A\nprerequisites:\n  - all_of: [b, c]\n",
     "`all_of` belongs to spec format 3, but the file has no spec_version (so 1)", 3),
    ("corequisites in an older format", "courses", "a", "spec_version: 2\ntitle: A\ncorequisites: [b]\n",
     "key 'corequisites' belongs to spec format 3, but the file declares spec_version: 2", 3),
    ("lesson key misspelt", "courses", "a", "title: A\nchapters:\n  - title: C\n    lessons:\n      - titel: L\n", "unknown key 'titel'; did you mean 'title'?", 5),
    ("chapters not a list", "courses", "a", "title: A\nchapters: one\n", "chapters: expected a list", 2),
    ("newer spec format", "courses", "a", "spec_version: 9\ntitle: A\n", "written for spec format 9", 1),
    ("file name not an id", "courses", "Deep Learning", GOOD_COURSE, "file name 'Deep Learning.yaml' is not a valid course id", 1),
    ("not UTF-8", "courses", "a", b"title: Caf\xe9\n", "not valid UTF-8", 1),
    ("control character", "courses", "a", "title: A\x07\n", "invalid YAML", 1),
    ("alias bomb", "courses", "a",
     "a: &a [x, x, x, x, x, x, x, x, x, x]\nb: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a, *a]\n"
     "c: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b, *b]\nd: &d [*c, *c, *c, *c, *c, *c, *c, *c, *c, *c]\n"
     "e: &e [*d, *d, *d, *d, *d, *d, *d, *d, *d, *d]\nf: [*e, *e, *e, *e, *e, *e, *e, *e, *e, *e]\n",
     "expands to more than", 1),
    ("python tag", "courses", "a", "title: !!python/object:os.system A\n", "invalid YAML", 1),
    ("merge key", "courses", "a", "base: &b {title: A}\n<<: *b\n", "merge keys", 2),
    ("list as key", "courses", "a", "? [a, b]\n: x\n", "mapping key must be a plain value", 1),
    ("track without courses", "tracks", "t", "title: T\n", "missing required key 'courses'", 1),
    ("track with empty courses", "tracks", "t", "title: T\ncourses: []\n", "courses: expected at least one item", 2),
    ("track kind unknown", "tracks", "t", "title: T\nkind: nanodegree\ncourses: [a]\n", "kind: expected one of", 2),
    ("format 2 key in a version 1 file", "courses", "a", "title: A\nkind: video\n",
     "key 'kind' belongs to spec format 2, but the file has no spec_version (so 1)", 2),
    ("format 2 key with spec_version 1", "tracks", "t", "spec_version: 1\ntitle: T\ncourses: [a]\nstages: []\n",
     "key 'stages' belongs to spec format 2, but the file declares spec_version: 1", 4),
    ("resource kind unknown", "courses", "a", "spec_version: 2\ntitle: A\nkind: podcast\n",
     "kind: expected one of course, programme, video, book, article, project, event, activity", 3),
    ("stage without courses", "tracks", "t", "spec_version: 2\ntitle: T\nstages:\n  - title: Month 1\n",
     "missing required key 'courses' in stages.0", 4),
    ("stage names a course the track lacks", "tracks", "t",
     "spec_version: 2\ntitle: T\ncourses: [a]\nstages:\n  - title: S\n    courses: [b]\n", "stages name 'b'", 1),
    ("requirement covers a string", "tracks", "t", "title: T\ncourses: [a]\nrequirements:\n  - name: R\n    covers: keras\n", "covers: expected a list", 5),
]


@pytest.mark.parametrize("name,kind,stem,content,expected,line", CORPUS, ids=[c[0] for c in CORPUS])
def test_malformed_spec_is_reported_clearly(tmp_path, name, kind, stem, content, expected, line):
    specs = tmp_path / "specs"
    (specs / "courses").mkdir(parents=True)
    (specs / "tracks").mkdir()
    (specs / "courses" / "a.yaml" if kind == "tracks" else specs / "courses" / "ok.yaml").write_text(GOOD_COURSE)
    target = specs / kind / f"{stem}.yaml"
    if isinstance(content, bytes):
        target.write_bytes(content)
    else:
        target.write_text(content, encoding="utf-8")
    result = CliRunner().invoke(cli, ["lint", str(specs), "--no-links", "--format", "text"])
    assert result.exit_code == 2, result.output
    assert result.exception is None or isinstance(result.exception, SystemExit), repr(result.exception)
    assert "Traceback" not in result.output
    location = f"{target.name}:{line}:"
    lines = [l for l in result.output.splitlines() if location in l and expected in l]
    assert lines, f"expected {location} ... {expected!r} in:\n{result.output}"


def test_corpus_is_large_enough():
    assert len(CORPUS) >= 30


def test_cycle_is_a_finding_not_a_crash(tmp_path):
    specs = tmp_path / "specs"
    (specs / "courses").mkdir(parents=True)
    (specs / "courses" / "a.yaml").write_text("title: A\nprerequisites: [b]\n")
    (specs / "courses" / "b.yaml").write_text("title: B\nprerequisites: [a]\n")
    result = CliRunner().invoke(cli, ["lint", str(specs), "--no-links"])
    assert result.exit_code == 1
    assert "a.yaml:2:" in result.output and "PR02 prerequisite cycle: a -> b -> a" in result.output


def test_real_process_prints_no_traceback(tmp_path):
    specs = tmp_path / "specs"
    (specs / "courses").mkdir(parents=True)
    (specs / "courses" / "a.yaml").write_text("title: [unclosed\n")
    proc = subprocess.run([sys.executable, "-m", "trackdesign", "lint", str(specs), "--no-links"],
                          capture_output=True, text=True)
    assert proc.returncode == 2
    assert "Traceback" not in proc.stdout + proc.stderr
    assert "a.yaml:2:" in proc.stdout


@pytest.mark.parametrize("args,message", [
    (["lint", "does-not-exist"], "no such file or folder"),
    (["lint", "{specs}", "--select", "XX01"], "unknown rule code 'XX01'"),
    (["rules", "ZZ99"], "unknown rule code"),
])
def test_usage_errors_exit_2(tmp_path, args, message):
    specs = tmp_path / "specs"
    (specs / "courses").mkdir(parents=True)
    args = [a.replace("{specs}", str(specs)) for a in args]
    result = CliRunner().invoke(cli, args)
    assert result.exit_code == 2
    assert message in result.output


def test_catalog_where_nothing_loads_reports_only_the_input_errors(tmp_path):
    specs = tmp_path / "specs"
    (specs / "courses").mkdir(parents=True)
    (specs / "courses" / "a.yaml").write_text("title: A\nprerequisite: [b]\n")
    result = CliRunner().invoke(cli, ["lint", str(specs), "--no-links", "--format", "json"])
    assert result.exit_code == 2
    import json

    assert [f["code"] for f in json.loads(result.output)] == ["SP02"]


def test_values_read_as_yaml_reads_them_long_or_short_plain_or_quoted():
    import datetime as dt

    import yaml

    from trackdesign.spec.yamldoc import load_located

    text = ("prose: " + "yes and no " * 6 + "\n" + "big: " + "1" * 45 + "\n" + "grouped: " + "1_000" * 10 + "\n"
            "date: 2019-02-01\nflag: yes\nnothing: ~\nquoted: '12'\nfloat: -1.5e3\n")
    data = load_located(text).data
    assert data == yaml.safe_load(text)
    assert data["big"] == int("1" * 45) and data["date"] == dt.date(2019, 2, 1) and data["flag"] is True
    assert data["quoted"] == "12" and data["nothing"] is None and data["prose"].startswith("yes and no")


def test_duplicate_id_names_the_first_file_as_related(tmp_path):
    specs = tmp_path / "specs"
    for folder, title in (("a", "One"), ("b", "Two")):
        (specs / "courses" / folder).mkdir(parents=True)
        (specs / "courses" / folder / "x.yaml").write_text(f"title: {title}\n")
    result = CliRunner().invoke(cli, ["lint", str(specs), "--no-links", "--format", "json"])
    duplicate = [f for f in json.loads(result.output) if f["code"] == "SP03"]
    assert len(duplicate) == 1
    first = str(specs / "courses" / "a" / "x.yaml")
    assert duplicate[0]["path"].endswith("b/x.yaml") and duplicate[0]["related"] == [os.path.relpath(first)]
    assert duplicate[0]["message"] == f"duplicate course id 'x': also defined in {os.path.relpath(first)}"
