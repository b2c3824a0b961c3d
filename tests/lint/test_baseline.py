"""Lint baselines: old findings are recorded by what they are, so only new ones fail a run."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from helpers import run, write_specs
from trackdesign.lint.baseline import BaselineError, compare, key, load, write

COURSE = "title: Course A\nobjectives:\n  - understand tensors\n  - build a model\n"


def _specs(tmp_path: Path) -> Path:
    return write_specs(tmp_path / "specs", courses={"a": COURSE, "b": "title: Course B\nobjectives:\n  - explain x\n"})


def test_a_baseline_survives_lines_inserted_above_its_findings(tmp_path):
    root = _specs(tmp_path)
    findings = run(root, select=["OB01"])
    assert [f.line for f in findings] == [3]
    baseline = tmp_path / "baseline.json"
    assert write(baseline, findings, root) == 1
    (root / "courses" / "a.yaml").write_text("# reviewed in May\n# by the team\n" + COURSE)
    moved = run(root, select=["OB01"])
    assert [f.line for f in moved] == [5]
    result = compare(moved, load(baseline), root)
    assert result.new == [] and result.remaining == 1 and result.fixed == []


def test_a_new_finding_is_new_and_a_fixed_one_is_reported_as_fixed(tmp_path):
    root = _specs(tmp_path)
    baseline = tmp_path / "baseline.json"
    write(baseline, run(root, select=["OB01"]), root)
    (root / "courses" / "a.yaml").write_text(COURSE.replace("understand tensors", "explain tensors"))
    (root / "courses" / "b.yaml").write_text("title: Course B\nobjectives:\n  - know x\n")
    result = compare(run(root, select=["OB01"]), load(baseline), root)
    assert [(f.code, f.subject) for f in result.new] == [("OB01", "b")]
    assert result.remaining == 0
    assert [(code, path, subject) for code, path, subject, _ in result.fixed] == [("OB01", "courses/a.yaml", "a")]


def test_a_second_copy_of_an_old_finding_is_new(tmp_path):
    root = _specs(tmp_path)
    baseline = tmp_path / "baseline.json"
    write(baseline, run(root, select=["OB01"]), root)
    (root / "courses" / "a.yaml").write_text(COURSE + "  - understand tensors\n")
    result = compare(run(root, select=["OB01"]), load(baseline), root)
    assert len(result.new) == 1 and result.remaining == 1


def test_keys_do_not_depend_on_the_working_directory_or_line_numbers_in_messages(tmp_path, monkeypatch):
    root = _specs(tmp_path)
    finding = run(root, select=["OB01"])[0]
    here = key(finding, root)
    monkeypatch.chdir(root)
    assert key(run(Path("."), select=["OB01"])[0], Path(".")) == here
    from dataclasses import replace

    assert key(replace(finding, message="first defined at line 12"), root)[3] == "first defined at line N"


def test_rules_that_did_not_run_are_neither_fixed_nor_remaining(tmp_path):
    root = _specs(tmp_path)
    baseline = tmp_path / "baseline.json"
    write(baseline, run(root, select=["OB01"]), root)
    result = compare([], load(baseline), root, ran=lambda code: code != "OB01")
    assert result.fixed == [] and result.unchecked == 1


@pytest.mark.parametrize("text", ["not json", json.dumps({"version": 99, "findings": []}),
                                  json.dumps({"version": 1, "findings": [{"code": "OB01"}]})])
def test_a_damaged_baseline_is_an_input_error(tmp_path, text):
    path = tmp_path / "baseline.json"
    path.write_text(text)
    with pytest.raises(BaselineError, match="baseline.json"):
        load(path)


def _lint(root: Path, *extra):
    from click.testing import CliRunner

    from trackdesign.cli import cli

    return CliRunner().invoke(cli, ["lint", "--specs", str(root), "--no-links", "--select", "OB01", *extra])


def test_lint_with_a_baseline_fails_only_on_new_findings_and_names_the_fixed(tmp_path):
    root = _specs(tmp_path)
    baseline = tmp_path / "baseline.json"
    written = _lint(root, "--write-baseline", str(baseline))
    assert written.exit_code == 0 and "recorded 1 finding(s)" in written.output
    (root / "courses" / "a.yaml").write_text("# a comment\n\n" + COURSE)
    same = _lint(root, "--baseline", str(baseline))
    assert same.exit_code == 0, same.output
    assert "0 new finding(s); 1 of the baseline remain, 0 fixed" in same.output
    (root / "courses" / "a.yaml").write_text(COURSE.replace("understand", "explain"))
    (root / "courses" / "b.yaml").write_text("title: Course B\nobjectives:\n  - learn x\n")
    changed = _lint(root, "--baseline", str(baseline))
    assert changed.exit_code == 1
    assert "courses/b.yaml:3" in changed.output and "courses/a.yaml:3" not in changed.stdout
    assert "fixed: courses/a.yaml: OB01" in changed.output and "1 new finding(s); 0 of the baseline remain, 1 fixed" \
        in changed.output


def test_lint_refuses_a_damaged_baseline_with_exit_2(tmp_path):
    root = _specs(tmp_path)
    bad = tmp_path / "baseline.json"
    bad.write_text("{")
    result = _lint(root, "--baseline", str(bad))
    assert result.exit_code == 2 and "baseline.json" in result.output and "Traceback" not in result.output
