"""Configuration, inline suppression and per-path ignores change what is reported, and only that."""

from __future__ import annotations

import pytest
from click.testing import CliRunner

from helpers import write_specs
from trackdesign.cli import cli

LONG = "A Title That Is Far Too Long For Any Catalog Card To Show In One Line"


def lint(root, *args):
    result = CliRunner().invoke(cli, ["lint", str(root), "--no-links", *args])
    return result.exit_code, result.output


def test_inline_suppression_and_unused_suppression(tmp_path):
    root = write_specs(tmp_path, {
        "a": f"title: {LONG}  # trackdesign: ignore[NM07]\n",
        "b": "title: Short  # trackdesign: ignore[NM07]\n",
    })
    code, out = lint(root, "--select", "NM07,SP05")
    assert "NM07" not in out.replace("ignore[NM07]", "").replace("no NM07 finding", "")
    assert "b.yaml:1:1: SP05 unused suppression: no NM07 finding on this line" in out
    assert code == 1


def test_family_suppression(tmp_path):
    root = write_specs(tmp_path, {"a": f"title: {LONG}  # trackdesign: ignore[NM]\n"})
    code, out = lint(root, "--select", "NM07,SP05")
    assert code == 0 and "All checks passed" in out


def test_config_options_severity_and_ignores(tmp_path):
    root = write_specs(tmp_path, {"a": {"title": "Deep Learning in Python"}, "legacy/b": {"title": LONG}},
                       config='[rules.NM07]\nmax_length = 10\nseverity = "error"\n\n'
                              '[per-path-ignores]\n"courses/legacy/*" = ["NM07"]\n')
    code, out = lint(root, "--select", "NM07")
    assert "a.yaml:1:8: NM07 title is 23 characters long (limit 10)" in out
    assert "b.yaml" not in out
    assert "1 error" in out


def test_fail_on_level(tmp_path):
    root = write_specs(tmp_path, {"a": {"title": LONG}})
    assert lint(root, "--select", "NM07")[0] == 1
    assert lint(root, "--select", "NM07", "--fail-on", "error")[0] == 0


def test_select_and_ignore_in_config(tmp_path):
    root = write_specs(tmp_path, {"a": {"title": LONG}}, config='select = ["NM"]\nignore = ["NM07", "NM06"]\n')
    assert lint(root)[0] == 0



def test_codes_in_config_may_be_lower_case(tmp_path):
    root = write_specs(tmp_path, {"a": {"title": LONG}}, config='select = ["nm"]\nignore = ["nm07", "nm06"]\n')
    assert lint(root)[0] == 0

def test_pyproject_tool_table(tmp_path):
    root = write_specs(tmp_path / "specs", {"a": {"title": LONG}})
    (tmp_path / "pyproject.toml").write_text('[tool.trackdesign]\nignore = ["NM07"]\n')
    (tmp_path / ".git").mkdir()
    assert lint(root, "--select", "NM07")[0] == 0


@pytest.mark.parametrize("config,message", [
    ('selct = ["NM"]\n', "trackdesign.toml:1: unknown setting 'selct'; did you mean 'select'?"),
    ('select = ["NM99"]\n', "trackdesign.toml:1: unknown rule code 'NM99'"),
    ('[rules.NM07]\nmax_lenght = 3\n', "trackdesign.toml:2: NM07 has no option 'max_lenght'; did you mean 'max_length'?"),
    ('[rules.NM07]\nmax_length = "x"\n', "trackdesign.toml:2: NM07: option 'max_length' expects a whole number, got 'x'"),
    ('[rules.OV01]\nmin_score = "high"\n', "trackdesign.toml:2: OV01: option 'min_score' expects a number, got 'high'"),
    ('[rules.TR04]\nrequired = "slides"\n', """TR04: option 'required' expects a list, such as ["a", "b"], got 'slides'"""),
    ('[rules.OV01]\nscope = "everywhere"\n', "trackdesign.toml:2: OV01: option 'scope' expects one of 'track', 'catalog'"),
    ('[rules.NM07]\nseverity = "fatal"\n', "trackdesign.toml:2: NM07: severity expects one of"),
    ('[rules.XX01]\n', "trackdesign.toml:1: unknown rule 'XX01'"),
    ('fail_on = "never"\n', "trackdesign.toml:1: 'fail_on' expects one of"),
    ('select = [\n', "trackdesign.toml:"),
])
def test_bad_config_is_an_input_error(tmp_path, config, message):
    root = write_specs(tmp_path, {"a": {"title": "A"}}, config=config)
    code, out = lint(root)
    assert code == 2
    assert message in out
    assert "Traceback" not in out
