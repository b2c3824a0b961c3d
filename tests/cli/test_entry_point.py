"""The console entry point leaves without the interpreter's teardown: its output must still arrive
whole, through a pipe and into files, with the exit status the command chose."""

from __future__ import annotations

import json
import subprocess
import sys

from click.testing import CliRunner

from helpers import write_specs
from trackdesign.cli import cli

COURSES = {f"c{k}": {"title": f"Course {k}", "objectives": ["understand things", "TBD"]} for k in range(40)}


def _trackdesign(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "trackdesign", *args], capture_output=True, text=True)


def test_piped_output_is_complete_and_status_kept(tmp_path):
    specs = write_specs(tmp_path / "specs", COURSES, {"t": {"title": "T", "courses": list(COURSES)}})
    expected = CliRunner().invoke(cli, ["lint", str(specs), "--no-links", "--no-cache", "--format", "json"])
    process = _trackdesign("lint", str(specs), "--no-links", "--no-cache", "--format", "json")
    assert process.returncode == 1 == expected.exit_code
    findings = json.loads(process.stdout)
    assert len(findings) >= 80  # two findings per course at the least: the whole document came through
    assert findings == json.loads(expected.output)


def test_output_file_is_written_whole(tmp_path):
    specs = write_specs(tmp_path / "specs", COURSES)
    out = tmp_path / "findings.sarif"
    process = _trackdesign("lint", str(specs), "--no-links", "--format", "sarif", "-o", str(out))
    assert process.returncode == 1
    assert len(json.loads(out.read_text(encoding="utf-8"))["runs"][0]["results"]) >= 80


def test_clean_lint_usage_error_and_version_statuses(tmp_path):
    specs = write_specs(tmp_path / "specs", {"a": {"title": "A"}})
    assert _trackdesign("lint", str(specs), "--no-links", "--select", "NM01").returncode == 0
    usage = _trackdesign("lint", "--no-such-option")
    assert usage.returncode == 2 and "No such option" in usage.stderr
    version = _trackdesign("--version")
    assert version.returncode == 0 and "trackdesign, version" in version.stdout
