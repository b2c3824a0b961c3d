"""Every rule is tested from its fixture file: failing cases must report, passing cases must not.

Fixture files live in tests/fixtures/rules/<CODE>.yaml:

    fail:                       # each case must produce at least the `expect`ed findings
      - name: ...
        courses: {id: mapping or raw YAML text}
        tracks: {...}
        options: {option: value}
        expect: [{subject: id, message: substring, line: n}]
        fixed: {courses/id.yaml: text after --fix}
    pass:                       # each case must produce no finding of the rule
      - ...
"""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from helpers import run, write_specs
from trackdesign.engine import lint
from trackdesign.config import Config
from trackdesign.fix import apply_fixes
from trackdesign.rules.registry import all_rules
from trackdesign.spec.loader import load_catalog

FIXTURES = Path(__file__).parent / "fixtures" / "rules"
RULES = all_rules()


def _cases(kind):
    for file in sorted(FIXTURES.glob("*.yaml")):
        code = file.stem
        for index, case in enumerate(yaml.safe_load(file.read_text(encoding="utf-8")).get(kind, [])):
            yield pytest.param(code, case, id=f"{code}-{kind}-{index}-{case.get('name', '')}")


def _findings(tmp_path, code, case):
    root = write_specs(tmp_path / "specs", case.get("courses"), case.get("tracks"))
    options = {code: case["options"]} if case.get("options") else None
    return root, [f for f in run(root, select=case.get("select", [code]), options=options) if f.code == code]


@pytest.mark.parametrize("code,case", list(_cases("fail")))
def test_failing_example_is_reported(tmp_path, code, case):
    root, findings = _findings(tmp_path, code, case)
    assert findings, f"{code} reported nothing for {case.get('name')}"
    for expected in case.get("expect", []):
        matching = [
            f for f in findings
            if f.subject == expected.get("subject", f.subject)
            and expected.get("message", "") in f.message
            and f.line == expected.get("line", f.line)
        ]
        assert matching, f"no {code} finding like {expected}; got {[(f.subject, f.line, f.message) for f in findings]}"
    if "count" in case:
        assert len(findings) == case["count"], [f.message for f in findings]
    if "fixed" in case:
        result = lint(load_catalog(root), Config().with_overrides(select=[code]))
        applied, skipped = apply_fixes(result.fixes)
        assert applied and not skipped
        for relative, text in case["fixed"].items():
            assert (root / relative).read_text(encoding="utf-8") == text
        assert not [f for f in run(root, select=[code]) if f.code == code], "the fix left the finding in place"


@pytest.mark.parametrize("code,case", list(_cases("pass")))
def test_passing_example_is_clean(tmp_path, code, case):
    _, findings = _findings(tmp_path, code, case)
    assert not findings, [f"{f.path}:{f.line} {f.message}" for f in findings]


@pytest.mark.parametrize("code", sorted(RULES))
def test_every_rule_has_docs_and_fixtures(code):
    rule = RULES[code]
    doc = rule.doc
    assert rule.summary and rule.summary.endswith("."), f"{code}: the docstring must open with a one-line summary"
    assert "\nBad:\n" in doc and "\nGood:\n" in doc, f"{code}: the docstring needs a Bad: and a Good: example"
    file = FIXTURES / f"{code}.yaml"
    assert file.is_file(), f"{code}: no fixture file {file.name}"
    data = yaml.safe_load(file.read_text(encoding="utf-8"))
    assert data.get("fail") and data.get("pass"), f"{code}: fixtures need failing and passing cases"
    if rule.fixable:
        assert any("fixed" in case for case in data["fail"]), f"{code}: a fixable rule needs a tested fix"
    for name in rule.options:
        assert rule.options[name].help, f"{code}: option {name} has no help"


def test_every_fixture_names_a_rule():
    assert {f.stem for f in FIXTURES.glob("*.yaml")} <= set(RULES)
