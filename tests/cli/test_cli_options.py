"""One way to name the specs folder, the output file and its format, in every command."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from trackdesign.cli import cli

SPECS = Path(__file__).resolve().parents[2] / "specs"
TRACK = "deep-learning-in-python"


@pytest.fixture
def inside(monkeypatch):
    """Run from a folder deep inside the example specs, as a designer editing a course would."""
    monkeypatch.chdir(SPECS / "courses")


def test_the_specs_folder_is_found_from_the_working_directory_upwards(inside):
    result = CliRunner().invoke(cli, ["lint", "--no-links", "--select", "PR01", "--format", "json"])
    assert result.exit_code == 1, result.output
    assert [f["code"] for f in json.loads(result.output)] == ["PR01"]
    graph = CliRunner().invoke(cli, ["graph", TRACK])
    assert graph.exit_code == 0 and graph.output.startswith("flowchart")


def test_a_parent_holding_specs_slash_is_found_too(tmp_path, monkeypatch):
    (tmp_path / "specs" / "courses").mkdir(parents=True)
    (tmp_path / "specs" / "courses" / "a.yaml").write_text("title: A\n", encoding="utf-8")
    (tmp_path / "docs").mkdir()
    monkeypatch.chdir(tmp_path / "docs")
    result = CliRunner().invoke(cli, ["lint", "--no-links", "--format", "json", "--select", "SP"])
    assert result.exit_code == 0, result.output


def test_no_specs_folder_anywhere_is_a_usage_error_naming_the_option(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(cli, ["lint", "--no-links"])
    assert result.exit_code == 2 and "--specs" in result.output


def test_every_command_taking_specs_accepts_the_same_option():
    for name, command in cli.commands.items():
        commands = command.commands.values() if hasattr(command, "commands") else [command]
        for sub in commands:
            names = {opt for p in sub.params for opt in getattr(p, "opts", [])}
            if name not in ("rules", "schema"):
                assert "--specs" in names, f"{name} {sub.name} lacks --specs"


def test_lint_of_single_files_shows_only_their_findings(inside):
    result = CliRunner().invoke(cli, ["lint", "deep-learning-in-python.yaml", "--no-links", "--format", "json"])
    paths = {f["path"] for f in json.loads(result.output)}
    assert paths and all(p.endswith("deep-learning-in-python.yaml") for p in paths), paths


@pytest.mark.parametrize("args,suffix,starts", [
    (["lint", "--no-links"], ".json", "["),
    (["lint", "--no-links"], ".sarif", "{"),
    (["graph", TRACK], ".dot", "digraph"),
    (["graph", TRACK], ".svg", "<svg"),
    (["report", "proposal", TRACK], ".html", "<!DOCTYPE html>"),
    (["plan", TRACK, "--hours-per-week", "3"], ".ics", "BEGIN:VCALENDAR"),
    (["metrics", TRACK], ".csv", "course,"),
    (["overlap", TRACK], ".json", "["),
])
def test_the_output_extension_picks_the_format(tmp_path, args, suffix, starts):
    target = tmp_path / f"out{suffix}"
    result = CliRunner().invoke(cli, [*args, "--specs", str(SPECS), "-o", str(target)])
    assert result.exit_code in (0, 1), result.output
    assert target.read_text(encoding="utf-8").lstrip().startswith(starts)


def test_a_format_contradicting_the_extension_is_a_usage_error(tmp_path):
    target = tmp_path / "p.html"
    result = CliRunner().invoke(cli, ["report", "proposal", TRACK, "--specs", str(SPECS), "--format", "md",
                                      "-o", str(target)])
    assert result.exit_code == 2 and "contradicts" in result.output and not target.exists()
    sheet = CliRunner().invoke(cli, ["sheet", "export", TRACK, "--specs", str(SPECS), "-o", str(tmp_path / "r.csv")])
    assert sheet.exit_code == 2 and "cannot write csv" in sheet.output


def test_output_that_cannot_be_written_is_an_input_error_without_traceback(tmp_path):
    for target in (tmp_path, tmp_path / "file.md" / "under.md"):
        (tmp_path / "file.md").write_text("x", encoding="utf-8")
        result = CliRunner().invoke(cli, ["report", "proposal", TRACK, "--specs", str(SPECS), "-o", str(target)])
        assert result.exit_code == 2, (target, result.output)
        assert "Traceback" not in result.output


def test_build_takes_its_folder_with_out_dir_and_the_older_spellings_still_work(tmp_path):
    new = CliRunner().invoke(cli, ["build", "--specs", str(SPECS), "--out-dir", str(tmp_path / "a"), "-q"])
    old = CliRunner().invoke(cli, ["build", str(SPECS), "-o", str(tmp_path / "b"), "-q"])
    assert new.exit_code == old.exit_code == 0, (new.output, old.output)
    assert sorted(p.relative_to(tmp_path / "a") for p in (tmp_path / "a").rglob("*.md")) == \
        sorted(p.relative_to(tmp_path / "b") for p in (tmp_path / "b").rglob("*.md"))


def test_an_internal_error_is_one_line_and_exit_3(tmp_path):
    """A crash outside any rule (here: a sitecustomize that breaks the YAML reader) must not
    print a traceback, and must be told apart from findings (1) and bad input (2)."""
    (tmp_path / "sitecustomize.py").write_text(
        "import trackdesign.spec.yamldoc as y\n"
        "def broken(*a, **k):\n    raise RuntimeError('boom')\n"
        "y.load_located = broken\n", encoding="utf-8")
    env = {**os.environ, "PYTHONPATH": str(tmp_path)}
    run = subprocess.run([sys.executable, "-m", "trackdesign", "lint", "--specs", str(SPECS), "--no-links",
                          "--no-cache"], capture_output=True, text=True, env=env, cwd=tmp_path)
    assert run.returncode == 3, run.stderr
    assert "internal error" in run.stderr and "Traceback" not in run.stderr


def test_output_to_a_device_or_a_symlink_is_written_through_not_replaced(tmp_path):
    target = tmp_path / "real.md"
    target.write_text("old", encoding="utf-8")
    link = tmp_path / "link.md"
    link.symlink_to(target)
    result = CliRunner().invoke(cli, ["report", "proposal", TRACK, "--specs", str(SPECS), "-o", str(link)])
    assert result.exit_code == 0, result.output
    assert link.is_symlink() and "# Skill Track: Deep Learning in Python" in target.read_text(encoding="utf-8")
    devnull = Path(os.devnull)
    result = CliRunner().invoke(cli, ["lint", "--specs", str(SPECS), "--no-links", "--format", "json", "-o", str(devnull)])
    assert result.exit_code == 1 and devnull.is_char_device()


def test_an_extension_naming_no_format_the_command_writes_is_a_usage_error(tmp_path):
    for args, name in ((["report", "proposal", TRACK], "p.pdf"), (["graph", TRACK], "g.png"), (["schema"], "s.yaml"),
                       (["export", "curricular-analytics", TRACK, "--lossy"], "ca.json")):
        target = tmp_path / name
        result = CliRunner().invoke(cli, [*args, "--specs", str(SPECS), "-o", str(target)] if args != ["schema"]
                                    else [*args, "-o", str(target)])
        assert result.exit_code == 2 and not target.exists(), (args, result.output)
        assert "name the file" in result.output or "cannot write" in result.output
    named = CliRunner().invoke(cli, ["report", "proposal", TRACK, "--specs", str(SPECS), "--format", "md",
                                     "-o", str(tmp_path / "p.pdf")])  # --format says what the file holds
    assert named.exit_code == 0 and (tmp_path / "p.pdf").read_text(encoding="utf-8").startswith("**_Note_**")


def test_dev_stdout_is_the_commands_own_output_even_into_a_pipe_or_an_appended_file(tmp_path):
    command = [sys.executable, "-m", "trackdesign", "report", "proposal", TRACK, "--specs", str(SPECS),
               "-o", "/dev/stdout", "-q"]
    piped = subprocess.run(command, capture_output=True, text=True)
    assert piped.returncode == 0 and piped.stdout.startswith("**_Note_**"), piped.stderr
    log = tmp_path / "log.md"
    log.write_text("kept\n", encoding="utf-8")
    with open(log, "a", encoding="utf-8") as handle:
        assert subprocess.run(command, stdout=handle).returncode == 0
    assert log.read_text(encoding="utf-8") == "kept\n" + piped.stdout


def test_quiet_lint_prints_its_findings_without_the_summary():
    loud = CliRunner().invoke(cli, ["lint", "--specs", str(SPECS), "--no-links", "--select", "PR01"])
    quiet = CliRunner().invoke(cli, ["lint", "--specs", str(SPECS), "--no-links", "--select", "PR01", "-q"])
    assert loud.output.startswith(quiet.output) and "Found 1 finding" in loud.output
    assert "PR01" in quiet.output and "Found" not in quiet.output


def test_commands_other_than_lint_name_the_file_and_line_that_does_not_load_and_unknown_courses(tmp_path):
    specs = tmp_path / "specs"
    shutil.copytree(SPECS, specs)
    track = specs / "tracks" / f"{TRACK}.yaml"
    track.write_text(track.read_text(encoding="utf-8").replace("  - deep-learning-with-keras-in-python\n",
                                                               "  - deep-learning-with-kras-in-python\n"),
                     encoding="utf-8")
    planned = CliRunner().invoke(cli, ["plan", TRACK, "--specs", str(specs), "--hours-per-week", "4"])
    assert planned.exit_code == 0
    assert (f"{TRACK}.yaml:13:5: warning: track '{TRACK}' names 'deep-learning-with-kras-in-python', which has no"
            " spec; did you mean 'deep-learning-with-keras-in-python'?") in planned.stderr
    (specs / "courses" / "broken.yaml").write_text("title: Broken\nhours: [\n", encoding="utf-8")
    graph = CliRunner().invoke(cli, ["graph", TRACK, "--specs", str(specs)])
    assert graph.exit_code == 2 and "broken.yaml:3:1: SP01 invalid YAML" in graph.output, graph.output


def test_an_unknown_course_in_a_stage_is_warned_about_where_the_stage_names_it(tmp_path):
    shutil.copytree(SPECS, tmp_path / "specs")
    track = tmp_path / "specs" / "tracks" / "steps-to-learn-machine-learning.yaml"
    track.write_text(track.read_text(encoding="utf-8").replace("      - elements-of-ai\n", "      - elements-of-aii\n"),
                     encoding="utf-8")
    result = CliRunner().invoke(cli, ["graph", "steps-to-learn-machine-learning", "--specs", str(tmp_path / "specs")])
    assert result.exit_code == 0
    assert ("steps-to-learn-machine-learning.yaml:16:9: warning: track 'steps-to-learn-machine-learning' names"
            " 'elements-of-aii', which has no spec; did you mean 'elements-of-ai'?") in result.stderr, result.stderr


def test_build_writes_beside_the_specs_folder_from_anywhere_inside_the_repository(tmp_path, monkeypatch):
    shutil.copytree(SPECS, tmp_path / "specs")
    monkeypatch.chdir(tmp_path / "specs" / "courses")
    result = CliRunner().invoke(cli, ["build", "--format", "md", "-q", "--no-cache"])
    assert result.exit_code == 0, result.output
    assert (tmp_path / "reports" / "index.md").is_file() and not (tmp_path / "specs" / "courses" / "reports").exists()


def test_caches_go_beside_the_specs_folder_wherever_lint_runs(tmp_path, monkeypatch):
    shutil.copytree(SPECS, tmp_path / "specs")
    monkeypatch.chdir(tmp_path / "specs" / "courses")
    monkeypatch.delenv("TRACKDESIGN_NO_CACHE", raising=False)
    assert CliRunner().invoke(cli, ["lint", "--no-links", "-q"]).exit_code == 1
    assert (tmp_path / ".trackdesign-cache" / "lint").is_dir()
    assert not list((tmp_path / "specs").rglob(".trackdesign-cache"))


def test_every_command_showing_lint_findings_takes_no_cache(tmp_path, monkeypatch):
    """build, the task analysis and the review workbook show lint findings, as lint does: each
    takes --no-cache, and with it leaves no lint cache behind."""
    shutil.copytree(SPECS, tmp_path / "specs")
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("TRACKDESIGN_NO_CACHE", raising=False)
    for args in (["build", "--format", "md"], ["report", "task-analysis", TRACK, "-o", "ta.md"],
                 ["sheet", "export", TRACK, "-o", "review.xlsx"]):
        result = CliRunner().invoke(cli, [*args, "-q", "--no-cache"])
        assert result.exit_code == 0, (args, result.output)
        assert not (tmp_path / ".trackdesign-cache" / "lint").exists(), args


def test_dash_names_standard_output_and_a_written_file_is_named(tmp_path, monkeypatch):
    """`-o -` prints, as in most tools (no file named `-`); `-o FILE` says where it wrote, lint too."""
    monkeypatch.chdir(tmp_path)
    command = [sys.executable, "-m", "trackdesign"]
    report = subprocess.run([*command, "report", "proposal", TRACK, "--specs", str(SPECS), "-o", "-", "--format", "md"],
                            capture_output=True, text=True)
    assert report.returncode == 0 and report.stdout.startswith("**_Note_**"), report.stderr
    linted = subprocess.run([*command, "lint", "--specs", str(SPECS), "--no-links", "--select", "PR01",
                             "--format", "json", "-o", "-"], capture_output=True, text=True)
    assert linted.returncode == 1 and json.loads(linted.stdout), linted.stderr
    assert not (tmp_path / "-").exists()
    written = CliRunner().invoke(cli, ["lint", "--specs", str(SPECS), "--no-links", "--select", "PR01",
                                       "-o", str(tmp_path / "f.json")])
    assert written.exit_code == 1 and f"wrote {tmp_path / 'f.json'}" in written.output
    quiet = CliRunner().invoke(cli, ["lint", "--specs", str(SPECS), "--no-links", "--select", "PR01", "-q",
                                     "-o", str(tmp_path / "g.json")])
    assert quiet.exit_code == 1 and quiet.output == ""
