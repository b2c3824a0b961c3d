"""`init` and `new course|track`: a start from nothing that lints clean and never overwrites."""

from __future__ import annotations

from pathlib import Path

import pytest

from helpers import run
from trackdesign.spec import scaffold
from trackdesign.spec.loader import load_catalog


def test_init_then_lint_is_clean(tmp_path):
    root = tmp_path / "specs"
    written = scaffold.init(root)
    assert sorted(p.relative_to(root).as_posix() for p in written) == [
        "courses/exploring-data-with-python.yaml", "trackdesign.toml", "tracks/data-analysis-essentials.yaml"]
    catalog = load_catalog(root)
    assert not catalog.problems and catalog.tracks["data-analysis-essentials"].model.courses == [
        "exploring-data-with-python"]
    assert run(root) == []
    assert all("#" in p.read_text() for p in written)  # commented, to be read


def test_new_course_then_lint_names_only_what_the_template_leaves_to_fill(tmp_path):
    root = tmp_path / "specs"
    scaffold.init(root)
    path = scaffold.new_course(root, "deep-learning-in-python")
    assert load_catalog(root).courses["deep-learning-in-python"].model.title == "Deep Learning in Python"
    findings = run(root)
    assert {(f.code, f.subject) for f in findings} == {("OB03", "deep-learning-in-python")}
    assert findings[0].path.endswith(path.name)


def test_new_track_lists_its_courses_and_lints_clean(tmp_path):
    root = tmp_path / "specs"
    scaffold.init(root)
    scaffold.new_track(root, "second-track", ["exploring-data-with-python"], title="Second: a track")
    catalog = load_catalog(root)
    assert catalog.tracks["second-track"].model.title == "Second: a track"
    assert run(root) == []


def test_nothing_is_ever_overwritten(tmp_path):
    root = tmp_path / "specs"
    scaffold.init(root)
    example = root / "courses" / "exploring-data-with-python.yaml"
    example.write_text("title: Mine\n")
    with pytest.raises(scaffold.ScaffoldError, match="exists already"):
        scaffold.init(root)
    with pytest.raises(scaffold.ScaffoldError, match="exists already"):
        scaffold.new_course(root, "exploring-data-with-python")
    (root / "courses" / "old").mkdir()
    (root / "courses" / "old" / "legacy.yml").write_text("title: Legacy\n")
    with pytest.raises(scaffold.ScaffoldError, match="legacy"):
        scaffold.new_course(root, "legacy")
    assert example.read_text() == "title: Mine\n"
    assert not (root / "courses" / "legacy.yaml").exists()


@pytest.mark.parametrize("bad", ["Deep Learning", "deep_learning/", "-x", ""])
def test_an_id_that_is_not_one_is_refused(tmp_path, bad):
    with pytest.raises(scaffold.ScaffoldError, match="not a course id"):
        scaffold.new_course(tmp_path, bad)
    assert not any(Path(tmp_path).rglob("*.yaml"))


def test_a_track_without_courses_is_refused(tmp_path):
    with pytest.raises(scaffold.ScaffoldError, match="at least one course"):
        scaffold.new_track(tmp_path, "t", [])


def _cli(*args, cwd: Path):
    import os

    from click.testing import CliRunner

    from trackdesign.cli import cli

    here = os.getcwd()
    os.chdir(cwd)
    try:
        return CliRunner().invoke(cli, list(args))
    finally:
        os.chdir(here)


def test_the_commands_init_new_and_lint_from_a_fresh_folder(tmp_path):
    assert _cli("init", cwd=tmp_path).exit_code == 0
    assert _cli("lint", "--no-links", cwd=tmp_path).exit_code == 0
    assert _cli("new", "course", "deep-learning-in-python", cwd=tmp_path).exit_code == 0
    lint = _cli("lint", "--no-links", "--format", "json", cwd=tmp_path)
    assert lint.exit_code == 1 and '"OB03"' in lint.stdout and lint.stdout.count('"code"') == 1
    again = _cli("new", "course", "deep-learning-in-python", cwd=tmp_path)
    assert again.exit_code == 2 and "exists already" in again.output
    assert _cli("init", cwd=tmp_path).exit_code == 2
    track = _cli("new", "track", "dl", "deep-learning-in-python", "--title", "Deep Learning", cwd=tmp_path)
    assert track.exit_code == 0 and (tmp_path / "specs" / "tracks" / "dl.yaml").is_file()


def test_init_help_says_where_it_writes_and_it_writes_there(tmp_path):
    """init starts specs/ where it runs, not in the specs folder other commands find upwards."""
    assert _cli("init", cwd=tmp_path).exit_code == 0
    (tmp_path / "docs").mkdir()
    help_text = " ".join(_cli("init", "--help", cwd=tmp_path).output.split())
    assert "upwards" not in help_text and "[default: specs/ in the working directory]" in help_text
    assert _cli("init", cwd=tmp_path / "docs").exit_code == 0
    assert (tmp_path / "docs" / "specs" / "trackdesign.toml").is_file()


def test_the_readme_quick_start_followed_to_the_letter(tmp_path):
    """Its commands and its two specs leave only what the template leaves to fill: no finding
    caused by the example itself (a course it names but never creates, a term spelled two ways)."""
    import json
    import shlex

    readme = (Path(__file__).resolve().parents[2] / "README.md").read_text(encoding="utf-8")
    section = readme.split("## Quick start", 1)[1].split("\n## ", 1)[0]
    blocks = section.split("```")[1::2]
    commands = [shlex.split(line, comments=True)[1:] for line in blocks[0].splitlines()
                if line.startswith("trackdesign ") and " lint" not in line and " build" not in line]
    for args in commands:
        assert _cli(*args, cwd=tmp_path).exit_code == 0, args
    specs = [block.split("\n", 1)[1] for block in blocks if block.startswith("yaml\n# specs/")]
    assert len(specs) == 2
    for block in specs:
        path = tmp_path / block.split("\n", 1)[0].removeprefix("# ")
        path.write_text(block, encoding="utf-8")
    lint = _cli("lint", "--no-links", "--format", "json", cwd=tmp_path)
    assert {(f["code"], f["subject"]) for f in json.loads(lint.stdout)} == {("OB03", "intro-to-python")}
