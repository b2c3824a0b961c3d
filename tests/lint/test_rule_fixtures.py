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

from helpers import fast_link_settings, run, write_specs
from trackdesign.lint.engine import lint
from trackdesign.lint.config import Config
from trackdesign.lint.fix import apply_fixes
from trackdesign.lint.registry import all_rules
from trackdesign.spec.loader import load_catalog

FIXTURES = Path(__file__).parents[1] / "fixtures" / "rules"
RULES = all_rules()


def _cases(kind):
    for file in sorted(FIXTURES.glob("*.yaml")):
        code = file.stem
        for index, case in enumerate(yaml.safe_load(file.read_text(encoding="utf-8")).get(kind, [])):
            yield pytest.param(code, case, id=f"{code}-{kind}-{index}-{case.get('name', '')}")


def _servers(request, case):
    """Network rules' cases write {server} (127.0.0.1), {tls} (its https form) or {plain} (127.0.0.2)."""
    text = yaml.safe_dump(case, sort_keys=False, allow_unicode=True)
    if not any(f"{{{name}}}" in text for name in ("server", "plain", "tls")):
        return case, None
    link_server, plain_server = request.getfixturevalue("link_server"), request.getfixturevalue("plain_server")
    for name, base in (("server", link_server.url("")), ("tls", link_server.url("", "https")),
                       ("plain", plain_server.url(""))):
        text = text.replace(f"{{{name}}}", base.rstrip("/"))
    return yaml.safe_load(text), request.getfixturevalue("tls_files")[1]


def _findings(tmp_path, code, case, request):
    case, _ = _servers(request, case)
    ca_bundle = request.getfixturevalue("tls_files")[1] if RULES[code].network else None
    root = write_specs(tmp_path / "specs", case.get("courses"), case.get("tracks"))
    options = {code: case["options"]} if case.get("options") else None
    if RULES[code].network:
        config = Config().with_overrides(select=case.get("select", [code]))
        config.links = fast_link_settings(tmp_path, ca_bundle)
        for name, value in (options or {}).get(code, {}).items():
            config.rule_settings.setdefault(code, {})[name] = value
        return root, [f for f in lint(load_catalog(root), config, network=True).findings if f.code == code]
    return root, [f for f in run(root, select=case.get("select", [code]), options=options) if f.code == code]


@pytest.mark.parametrize("code,case", list(_cases("fail")))
def test_failing_example_is_reported(tmp_path, code, case, request):
    case = _servers(request, case)[0]
    root, findings = _findings(tmp_path, code, case, request)
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
        config = Config().with_overrides(select=[code])
        config.links = fast_link_settings(tmp_path, request.getfixturevalue("tls_files")[1]
                                          if RULES[code].network else None)
        result = lint(load_catalog(root), config, network=RULES[code].network)
        applied, skipped = apply_fixes(result.fixes)
        assert applied and not skipped
        fixed = _servers(request, {"fixed": case["fixed"]})[0]["fixed"]
        for relative, text in fixed.items():
            assert (root / relative).read_text(encoding="utf-8") == text
        again = lint(load_catalog(root), config, network=RULES[code].network).findings
        assert not [f for f in again if f.code == code], "the fix left the finding in place"


@pytest.mark.parametrize("code,case", list(_cases("pass")))
def test_passing_example_is_clean(tmp_path, code, case, request):
    _, findings = _findings(tmp_path, code, case, request)
    assert not findings, [f"{f.path}:{f.line} {f.message}" for f in findings]


@pytest.mark.parametrize("code", sorted(RULES))
def test_every_rule_has_docs_and_fixtures(code):
    rule = RULES[code]
    doc = rule.doc
    assert rule.summary and rule.summary.endswith("."), f"{code}: the docstring must open with a one-line summary"
    assert "\nBad:\n" in doc and "\nGood:\n" in doc, f"{code}: the docstring needs a Bad: and a Good: example"
    file = FIXTURES / f"{code}.yaml"
    assert file.is_file(), f"{code}: no fixture file {file.name}"
    text = file.read_text(encoding="utf-8")
    assert "TO WRITE" not in doc + text, f"{code}: the docstring or the fixture still has scaffold text (TO WRITE)"
    data = yaml.safe_load(text)
    assert data.get("fail") and data.get("pass"), f"{code}: fixtures need failing and passing cases"
    if rule.fixable:
        assert any("fixed" in case for case in data["fail"]), f"{code}: a fixable rule needs a tested fix"
    for name in rule.options:
        assert rule.options[name].help, f"{code}: option {name} has no help"


def test_every_fixture_names_a_rule():
    assert {f.stem for f in FIXTURES.glob("*.yaml")} <= set(RULES)
