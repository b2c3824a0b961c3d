"""Importers: the seed proposal round-trips through specs; catalogs import from csv, xlsx, jsonl."""

from __future__ import annotations

import json
from pathlib import Path

import openpyxl
import pytest
import yaml
from click.testing import CliRunner

from test_reports import SEED, sections
from trackdesign.cli import cli
from trackdesign.importers.expressions import ExpressionError, requirements
from trackdesign.documents import prepare
from trackdesign.documents.render import render
from trackdesign.spec.loader import load_catalog

UCSD = Path(__file__).resolve().parents[3] / "shared" / "data" / "catalogs" / "ucsd" / "courses.jsonl"
needs_seed = pytest.mark.skipif(not SEED.is_file(), reason="../shared/seeds not beside the repository")


def _import_markdown(text: str, out: Path):
    source = out.parent / "proposal.md"
    source.write_text(text, encoding="utf-8")
    return CliRunner().invoke(cli, ["import", "markdown", str(source), "--specs", str(out)])


@needs_seed
def test_seed_round_trips_through_specs(tmp_path):
    seed = SEED.read_text(encoding="utf-8")
    result = _import_markdown(seed, tmp_path / "specs")
    assert result.exit_code == 0, result.output
    catalog = load_catalog(tmp_path / "specs")
    assert not catalog.problems
    ours = sections(render(prepare.proposal(catalog, "deep-learning-in-python"), "md"))
    assert ours == sections(seed)
    track = yaml.safe_load((tmp_path / "specs" / "tracks" / "deep-learning-in-python.yaml").read_text())
    assert track["notes"] == ["The prerequisites are not modified. The learning objectives, however, are created"
                              " based on the course contents."]
    generative = yaml.safe_load((tmp_path / "specs" / "courses" / "generative-deep-learning-in-python.yaml").read_text())
    assert generative["status"] == "proposed" and "url" not in generative


@needs_seed
def test_import_copes_with_an_authors_small_variations(tmp_path):
    seed = SEED.read_text(encoding="utf-8")
    varied = (seed.replace("## 3 - [Advanced", "### 3. [Advanced")             # heading style changed
              .replace("  * Prerequisites\n    * [Supervised", "  - Prerequisites:\n    - [Supervised", 1)
              .replace("Live since June 28, 2019.", "Live since June 28, 2019.\n\nA stray remark.", 1))
    note = "**_Note_**: *This course has substantial overlap"
    start = varied.index(note)
    end = varied.index("\n", start)
    moved = varied[start:end]
    varied = varied[:start] + varied[end + 1:]
    varied = varied.replace("  * Learning objectives\n    * Learner will be able to interpret",
                            moved + "\n\n  * Learning objectives\n    * Learner will be able to interpret", 1)
    result = _import_markdown(varied, tmp_path / "specs")
    assert result.exit_code == 1, result.output  # the stray remark is in no field
    stray = varied[:varied.index("A stray remark.")].count("\n") + 1
    assert f"proposal.md:{stray}: not placed: A stray remark." in result.output
    ours = sections(render(prepare.proposal(load_catalog(tmp_path / "specs"), "deep-learning-in-python"), "md"))
    assert ours == sections(seed)


def test_import_keeps_an_existing_spec_and_reports_what_differs(tmp_path):
    specs = tmp_path / "specs"
    (specs / "courses").mkdir(parents=True)
    mine = specs / "courses" / "a.yaml"
    mine.write_text("# my own comment\ntitle: Mine\n")
    result = _import_markdown("# Skill Track: T\n\n## 1 - A\n\n  * Learning objectives\n    * Learner will be able"
                              " to do a\n", specs)
    assert result.exit_code == 1 and "courses/a.yaml: title: 'Mine' kept; the document has 'A'" in result.output
    assert mine.read_text() == "# my own comment\ntitle: Mine\nstatus: live\nobjectives:\n  - do a\n"
    assert (specs / "tracks" / "t.yaml").is_file()


@pytest.mark.parametrize("text,expected", [
    ("A", ["a"]),
    ("A and B", ["a", "b"]),
    ("A, B; C", ["a", "b", "c"]),
    ("A and (B or C)", ["a", {"any_of": ["b", "c"]}]),
    ("CSE 100 or (MATH 20A and MATH 20B)", [{"any_of": ["cse-100", {"all_of": ["math-20a", "math-20b"]}]}]),
])
def test_prerequisite_expressions(text, expected):
    assert requirements(text).prerequisites == expected


def test_bad_expression_is_an_error():
    with pytest.raises(ExpressionError):
        requirements("A and (B or")


def test_csv_and_xlsx_catalogs_import_and_report_unreadable_rows(tmp_path):
    rows = [["code", "name", "about", "requires"],
            ["CS 1", "Programming", "Basics.", ""],
            ["CS 2", "Data Structures", "Lists and trees.", "CS 1"],
            ["CS 3", "Algorithms", "", "CS 2 and (MATH 1 or MATH 2)"],
            ["", "No code", "", ""],
            ["CS 4", "Broken", "", "CS 2 and (CS 3"]]
    csv_path = tmp_path / "catalog.csv"
    csv_path.write_text("\n".join(",".join(f'"{c}"' for c in r) for r in rows) + "\n")
    book = openpyxl.Workbook()
    for r in rows:
        book.active.append(r)
    xlsx_path = tmp_path / "catalog.xlsx"
    book.save(xlsx_path)
    for source in (csv_path, xlsx_path):
        out = tmp_path / f"specs-{source.suffix[1:]}"
        result = CliRunner().invoke(cli, ["import", "table", str(source), "-o", str(out), "--id", "code",
                                          "--title", "name", "--description", "about", "--prerequisites", "requires"])
        assert result.exit_code == 1, result.output
        assert f"{source.name}:5: not placed: row not read: no value in the id column 'code'" in result.output
        assert f"{source.name}:6: not placed: row not read: prerequisites" in result.output
        cs3 = yaml.safe_load((out / "courses" / "cs-3.yaml").read_text())
        assert cs3 == {"title": "Algorithms", "status": "live",
                       "prerequisites": ["cs-2", {"any_of": ["math-1", "math-2"]}]}
        assert sorted(p.stem for p in (out / "courses").glob("*.yaml")) == ["cs-1", "cs-2", "cs-3"]


@pytest.mark.slow
@pytest.mark.skipif(not UCSD.is_file(), reason="../shared/data not beside the repository")
def test_ucsd_catalog_imports_and_lints(tmp_path):
    out = tmp_path / "ucsd"
    result = CliRunner().invoke(cli, ["import", "table", str(UCSD), "-o", str(out), "--id", "code",
                                      "--prerequisites", "prereqs",
                                      "--url-template", "https://catalog.ucsd.edu/courses/{dept}.html#{anchor}"])
    assert result.exit_code in (0, 1), result.output
    codes = {json.loads(line)["code"] for line in UCSD.read_text().splitlines() if line.strip()}
    assert len(list((out / "courses").glob("*.yaml"))) >= len(codes) - 10
    lint = CliRunner().invoke(cli, ["lint", str(out), "--no-links", "--select", "SP,PR", "--format", "json"])
    assert lint.exit_code in (0, 1), lint.output[:2000]
    findings = json.loads(lint.stdout)
    assert not [f for f in findings if f["code"].startswith("SP0") and f["code"] != "SP05"]
    assert any(f["code"] == "PR01" for f in findings)
