"""Each output format carries the same findings in the shape its consumer expects."""

from __future__ import annotations

import json

from click.testing import CliRunner

from helpers import write_specs
from trackdesign.cli import cli


def _specs(tmp_path):
    return write_specs(tmp_path, {
        "intro": {"title": "Intro"},
        "inter": {"title": "Inter", "prerequisites": ["intro"]},
        "deep": "title: Deep\nprerequisites:\n  - intro\n  - inter\n",
    })


def _run(root, fmt):
    return CliRunner().invoke(cli, ["lint", str(root), "--no-links", "--select", "PR", "--format", fmt])


def test_json(tmp_path):
    result = _run(_specs(tmp_path), "json")
    data = json.loads(result.output)
    assert result.exit_code == 1
    assert data == [{
        "code": "PR01", "name": "redundant-prerequisite", "severity": "warning",
        "path": data[0]["path"], "line": 3, "column": 5,
        "message": "prerequisite 'intro' is redundant: already required by 'inter' (inter requires intro)",
        "hint": "remove 'intro' from prerequisites", "subject": "deep", "fixable": True, "related": ["inter"],
    }]
    assert data[0]["path"].endswith("courses/deep.yaml")


def test_github(tmp_path):
    out = _run(_specs(tmp_path), "github").output.strip()
    assert out.startswith("::warning file=")
    assert ",line=3,col=5,title=PR01 redundant-prerequisite::prerequisite 'intro' is redundant" in out


def test_sarif(tmp_path):
    sarif = json.loads(_run(_specs(tmp_path), "sarif").output)
    run = sarif["runs"][0]
    assert sarif["version"] == "2.1.0"
    assert run["tool"]["driver"]["rules"][0]["id"] == "PR01"
    result = run["results"][0]
    assert result["ruleId"] == "PR01" and result["level"] == "warning"
    assert result["locations"][0]["physicalLocation"]["region"] == {"startLine": 3, "startColumn": 5}


def test_text_is_plain_when_not_a_terminal(tmp_path):
    out = _run(_specs(tmp_path), "text").output
    assert "\x1b[" not in out
    assert "deep.yaml:3:5: PR01 prerequisite 'intro' is redundant" in out
    assert "Found 1 finding (1 warning). 1 fixable with --fix." in out


def test_output_file_is_written(tmp_path):
    root = _specs(tmp_path / "s")
    target = tmp_path / "out" / "findings.json"
    result = CliRunner().invoke(cli, ["lint", str(root), "--no-links", "--select", "PR", "--format", "json", "-o", str(target)])
    assert result.exit_code == 1
    assert json.loads(target.read_text())[0]["code"] == "PR01"


def test_clean_specs_exit_0(tmp_path):
    root = write_specs(tmp_path, {"intro": {"title": "Intro"}})
    result = CliRunner().invoke(cli, ["lint", str(root), "--no-links", "--select", "PR"])
    assert result.exit_code == 0 and "All checks passed." in result.output


def test_json_output_reads_back_as_the_findings_whatever_the_text_holds():
    import io

    from trackdesign.lint.findings import Finding
    from trackdesign.lint.formats import json as json_format

    texts = ["plain", 'quotes " and \\ backslash', "tab\tnew\nline\r", "ünïcode – “curly” 😀", "\x00\x1f\u2028", ""]
    findings = [Finding(f"NM0{k % 9}", "name", "warning", f"courses/{text}.yaml", k + 1, k % 3 + 1, text,
                        hint=None if k % 2 else text, subject=None if k % 3 else text, fixable=bool(k % 2),
                        related=tuple(texts[:k % 4]))
                for k, text in enumerate(texts * 3)]
    for chosen in (findings, findings[:1], []):
        ours = io.StringIO()
        json_format.render(chosen, ours)
        assert json.loads(ours.getvalue()) == [f.as_dict() for f in chosen]


def test_sarif_locations_are_uris_even_when_a_file_name_is_not(tmp_path):
    root = write_specs(tmp_path / "s", {"a b#c%1?": {"title": "A"}})
    result = CliRunner().invoke(cli, ["lint", str(root), "--no-links", "--select", "SP", "--format", "sarif"])
    (location,) = [r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
                   for r in json.loads(result.output)["runs"][0]["results"]]
    assert location.endswith("/courses/a%20b%23c%251%3F.yaml")


def test_spec_text_cannot_drive_the_terminal_through_text_output(tmp_path):
    """Control characters quoted from a spec (an escape that retitles the window or colours what
    follows, a carriage return overwriting the line) are shown as escapes in the human formats;
    JSON keeps the text as written."""
    text = "Learn loops \x1b]0;pwned\x07 and \x1b[31mred\x1b[0m text\r about python loops and functions."
    courses = {"a": {"title": "Loops \x1b[2J", "objectives": ["write a loop"], "description": text},
               "b": {"title": "B course", "objectives": ["write a loop"],
                     "description": "Learn loops and red text about python loops and functions."}}
    root = write_specs(tmp_path / "specs", courses=courses, tracks={"t": {"title": "T", "courses": ["a", "b"]}})
    for command in (["lint", "--specs", str(root), "--no-links"], ["overlap", "t", "--specs", str(root)],
                    ["metrics", "t", "--specs", str(root)]):
        output = CliRunner().invoke(cli, command).output
        assert not any(c in output for c in "\x1b\x07\r"), (command, output)
    assert "\\x1b[2J" in CliRunner().invoke(cli, ["lint", "--specs", str(root), "--no-links"]).output
    raw = CliRunner().invoke(cli, ["lint", "--specs", str(root), "--no-links", "--format", "json"]).output
    assert any("\x1b[31mred" in f["message"] for f in json.loads(raw))
