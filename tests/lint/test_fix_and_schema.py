"""--fix edits only what it must and keeps the file's comments; the schema matches the loader."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import jsonschema
import yaml
from click.testing import CliRunner

from trackdesign.cli import cli

SPECS = Path(__file__).resolve().parents[2] / "specs"


def test_fix_on_the_example_drops_only_the_redundant_prerequisite(tmp_path):
    specs = tmp_path / "specs"
    shutil.copytree(SPECS, specs)
    target = specs / "courses" / "deep-learning-in-python.yaml"
    before = target.read_text(encoding="utf-8")
    result = CliRunner().invoke(cli, ["lint", str(specs), "--no-links", "--fix", "--select", "PR01"])
    assert result.exit_code == 0, result.output
    after = target.read_text(encoding="utf-8")
    assert "Fixed 1 finding." in result.output
    removed = [line for line in before.splitlines() if line not in after.splitlines()]
    assert removed == [
        "  - course: intro-to-python-for-data-science",
        "    notes:",
        "      - I would remove this prerequisite, because it is already a prerequisite of Intermediate Python for Data Science.",
    ]
    assert after.startswith("# Course 1 of the Deep Learning in Python track (existing course).\n")
    assert [l for l in after.splitlines() if l not in before.splitlines()] == []
    for other in (SPECS / "courses").iterdir():
        if other.name != target.name:
            assert (specs / "courses" / other.name).read_bytes() == other.read_bytes()


def test_fix_skips_a_spec_changed_since_lint(tmp_path):
    from trackdesign.lint.config import Config
    from trackdesign.lint.engine import lint
    from trackdesign.lint.fix import apply_fixes
    from trackdesign.spec.loader import load_catalog

    (tmp_path / "courses").mkdir()
    (tmp_path / "courses" / "a.yaml").write_text("title: A\n")
    (tmp_path / "courses" / "b.yaml").write_text("title: B\nprerequisites: [a]\n")
    (tmp_path / "courses" / "c.yaml").write_text("title: C\nprerequisites: [a, b]\n")
    result = lint(load_catalog(tmp_path), Config().with_overrides(select=["PR01"]))
    (tmp_path / "courses" / "c.yaml").write_text("title: C\nprerequisites: [b, a]\n")
    applied, skipped = apply_fixes(result.fixes)
    assert not applied and skipped
    assert (tmp_path / "courses" / "c.yaml").read_text() == "title: C\nprerequisites: [b, a]\n"


def test_fix_skips_a_spec_changed_between_loading_and_lint(tmp_path):
    """Specs read their raw entries again when a rule needs them: a file edited after loading must
    not lend the fix an entry the rules never judged."""
    from trackdesign.lint.config import Config
    from trackdesign.lint.engine import lint
    from trackdesign.lint.fix import apply_fixes
    from trackdesign.spec.loader import load_catalog

    (tmp_path / "courses").mkdir()
    (tmp_path / "courses" / "a.yaml").write_text("title: A\n")
    (tmp_path / "courses" / "b.yaml").write_text("title: B\nprerequisites: [a]\n")
    (tmp_path / "courses" / "c.yaml").write_text("title: C\nprerequisites: [a, b]\n")
    catalog = load_catalog(tmp_path)
    (tmp_path / "courses" / "c.yaml").write_text("title: C\nprerequisites: [b, a]\n")
    result = lint(catalog, Config().with_overrides(select=["PR01"]))
    assert [f.message for f in result.findings] == [
        "prerequisite 'a' is redundant: already required by 'b' (b requires a)"]
    applied, skipped = apply_fixes(result.fixes)
    assert not applied and skipped
    assert (tmp_path / "courses" / "c.yaml").read_text() == "title: C\nprerequisites: [b, a]\n"


def test_schema_validates_the_example_specs():
    result = CliRunner().invoke(cli, ["schema"])
    schema = json.loads(result.output)
    jsonschema.Draft202012Validator.check_schema(schema)
    validator = jsonschema.Draft202012Validator(schema, format_checker=None)
    for file in sorted(SPECS.rglob("*.yaml")):
        data = json.loads(json.dumps(yaml.safe_load(file.read_text(encoding="utf-8")), default=str))
        errors = list(validator.iter_errors(data))
        assert not errors, (file.name, errors[0].message)
    bad = {"title": "A", "prerequisite": ["b"]}
    assert list(validator.iter_errors(bad))


def test_schema_describes_nested_requirements_and_corequisites():
    schema = json.loads(CliRunner().invoke(cli, ["schema", "--kind", "course"]).output)
    validator = jsonschema.Draft202012Validator(schema)
    good = {"spec_version": 3, "title": "A", "credit_hours": 4, "prefix": "CSE", "number": "100",
            "prerequisites": ["b", {"any_of": ["c", {"all_of": ["d", {"course": "e", "notes": ["n"]}]}]}],
            "corequisites": [{"any_of": ["f", "g"]}], "strict_corequisites": ["h"]}
    assert not list(validator.iter_errors(good))
    for bad in ({"title": "A", "corequisites": [{"all_of": []}]}, {"title": "A", "prerequisites": [{"all_of": ["B C"]}]},
                {"title": "A", "strict_corequisites": [{"none_of": ["b"]}]}):
        assert list(validator.iter_errors(bad)), bad
    props = schema["properties"]
    assert props["corequisites"]["x-since-spec-version"] == 3 and "same term" in props["corequisites"]["description"]


def test_schema_kinds():
    course = json.loads(CliRunner().invoke(cli, ["schema", "--kind", "course"]).output)
    track = json.loads(CliRunner().invoke(cli, ["schema", "--kind", "track"]).output)
    assert "prerequisites" in course["properties"] and "courses" in track["properties"]
    assert course["additionalProperties"] is False


def test_rules_command_prints_docs():
    listing = CliRunner().invoke(cli, ["rules"]).output
    assert "PR01  redundant-prerequisite" in listing
    doc = CliRunner().invoke(cli, ["rules", "nm07"]).output
    assert "Bad:" in doc and "max_length = 60" in doc


def test_fix_in_a_flow_list_keeps_comments(tmp_path):
    (tmp_path / "courses").mkdir()
    (tmp_path / "courses" / "a.yaml").write_text("title: A\n")
    (tmp_path / "courses" / "b.yaml").write_text("title: B\nprerequisites: [a]\n")
    (tmp_path / "courses" / "c.yaml").write_text("# course C\ntitle: C  # the title\nprerequisites: [a, b]\n")
    result = CliRunner().invoke(cli, ["lint", str(tmp_path), "--no-links", "--fix", "--select", "PR01"])
    assert result.exit_code == 0, result.output
    text = (tmp_path / "courses" / "c.yaml").read_text()
    assert "# course C" in text and "# the title" in text
    assert yaml.safe_load(text) == {"title": "C", "prerequisites": ["b"]}


def test_a_fix_the_editor_cannot_place_is_skipped_in_one_line_and_the_file_kept(tmp_path):
    """A tab after `title:` is YAML the loader reads and the editor's stricter reader does not."""
    (tmp_path / "courses").mkdir()
    (tmp_path / "courses" / "a.yaml").write_text("title: A\n")
    (tmp_path / "courses" / "b.yaml").write_text("title: B\nprerequisites: [a]\n")
    text = "title:\tC\nprerequisites:\n  - a\n  - b\n"
    (tmp_path / "courses" / "c.yaml").write_text(text)
    result = CliRunner().invoke(cli, ["lint", str(tmp_path), "--no-links", "--fix", "--select", "PR01"])
    skipped = [line for line in result.output.splitlines() if "not fixed" in line]
    assert len(skipped) == 1 and skipped[0].endswith(
        "c.yaml:3: PR01 not fixed: the editor cannot place its change in this file"
        " (line 1, column 7: found character '\\t' that cannot start any token); make it by hand")
    assert (tmp_path / "courses" / "c.yaml").read_text() == text
