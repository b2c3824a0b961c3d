"""A lint of unchanged specs reuses the last answer, and any change to what rules read runs them again."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from trackdesign.lint import engine
from trackdesign.cli import cli

SPECS = Path(__file__).resolve().parents[2] / "specs"


@pytest.fixture
def specs(tmp_path, monkeypatch):
    """A copy of the example specs in a working directory of their own (the cache lives there)."""
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("TRACKDESIGN_NO_CACHE", raising=False)
    shutil.copytree(SPECS, tmp_path / "specs")
    return tmp_path / "specs"


@pytest.fixture
def ran(monkeypatch):
    """The codes of the rules that actually ran, run by run."""
    codes: list[str] = []
    run_rule = engine.run_rule

    def noting(rule, *args):
        codes.append(rule.code)
        return run_rule(rule, *args)

    monkeypatch.setattr(engine, "run_rule", noting)
    return codes


def lint(*args):
    result = CliRunner().invoke(cli, ["lint", "specs", "--no-links", "--format", "json", *args])
    assert result.exit_code in (0, 1), result.output
    return json.loads(result.output)


def test_unchanged_specs_are_answered_from_the_cache_with_the_same_findings(specs, ran):
    first = lint()
    assert "PR01" in ran and "NM03" in ran
    ran.clear()
    assert lint() == first
    assert ran == []  # no offline rule ran the second time
    assert len(list(Path(".trackdesign-cache/lint").glob("*.json"))) == 1


def test_a_changed_spec_config_or_named_file_runs_the_rules_again(specs, ran):
    first = lint()
    course = specs / "courses" / "deep-learning-in-python.yaml"
    course.write_text(course.read_text().replace("title: Deep Learning in Python", "title: Deep learning in python"))
    ran.clear()
    changed = lint()
    assert "NM03" in ran and changed != first
    ran.clear()
    (specs / "trackdesign.toml").write_text('[rules.OB01]\nbloom_file = "verbs.txt"\n')
    Path("verbs.txt").write_text("1 Remember: define, list\n")
    lint()
    assert "OB01" in ran
    ran.clear()
    Path("verbs.txt").write_text("1 Remember: define, list, name\n")  # the named file, not the config, changed
    lint()
    assert "OB01" in ran
    ran.clear()
    lint()
    assert ran == []


def test_no_cache_runs_everything_and_a_damaged_cache_is_only_slower(specs, ran, monkeypatch):
    first = lint()
    ran.clear()
    assert lint("--no-cache") == first and "PR01" in ran
    monkeypatch.setenv("TRACKDESIGN_NO_CACHE", "1")
    ran.clear()
    lint()
    assert "PR01" in ran
    monkeypatch.delenv("TRACKDESIGN_NO_CACHE")
    for entry in Path(".trackdesign-cache/lint").glob("*.json"):
        entry.write_bytes(b"not json")
    ran.clear()
    assert lint() == first and "PR01" in ran


def test_fixes_come_back_from_the_cache_attached_to_their_specs(specs, ran):
    target = specs / "courses" / "deep-learning-in-python.yaml"
    lint("--select", "PR01")
    ran.clear()
    result = CliRunner().invoke(cli, ["lint", "specs", "--no-links", "--select", "PR01", "--fix"])
    assert "Fixed 1 finding." in result.output, result.output
    assert "  - course: intro-to-python-for-data-science" not in target.read_text().splitlines()
    assert ran == ["PR01"]  # answered from the cache; run once more only after the edit
