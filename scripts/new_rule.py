"""Scaffold a new rule: its function in the family's module and its fixture file.

    python scripts/new_rule.py PR09 course-listed-twice [--severity warning] [--module prerequisites]

Everything left to write is marked TO WRITE, and the test suite fails until none is left: the
rule reports nothing yet (so its fixture's failing case fails), and the meta test rejects the
marker in a docstring or a fixture. The family's module is found from the registry (where its
other rules live); a new family needs --module.
"""

from __future__ import annotations

import argparse
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

RULE = '''

@rule("{code}", "{name}", severity="{severity}")
def {function}(context):
    """{summary} TO WRITE: one line, shown in the README's rules table.

    TO WRITE: why it matters to a learner or a reviewer, in a sentence or two.

    Bad:
        title: TO WRITE (a spec this rule reports)

    Good:
        title: TO WRITE (the same spec, mended)
    """
    for spec in context.catalog.courses.values():
        if False:  # TO WRITE: the condition this rule reports
            yield Problem(spec, "what is wrong", ("title",), hint="how to fix it")
'''

FIXTURE = '''# Cases for {code} ({name}); the format is in tests/lint/test_rule_fixtures.py.
fail:
  - name: TO WRITE the simplest spec {code} reports
    courses:
      a: {{title: A}}
    expect: [{{subject: a, message: "TO WRITE: part of the message"}}]
pass:
  - name: TO WRITE the same spec, mended
    courses:
      a: {{title: A}}
'''

NEXT = '''added {code} to {source} and {fixture}. Next:
  - replace every TO WRITE (the check, the docstring's summary, Bad and Good, the fixture's cases);
    options go in @rule(..., options={{"name": Option(default, "help", type)}}), read as
    context.options["name"]; a fixture case sets them with `options: {{name: value}}`
  - .venv/bin/python -m pytest tests/lint/test_rule_fixtures.py -k {code}
  - UPDATE_GOLDEN=1 .venv/bin/python -m pytest -k golden  (the README's rules table); when the rule
    reports on specs/, .venv/bin/trackdesign build --specs specs -d reports; review the diff, run the fast suite'''


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("code", help="two letters and two digits, e.g. PR09")
    parser.add_argument("name", help="kebab-case, e.g. course-listed-twice")
    parser.add_argument("--severity", choices=["info", "warning", "error"], default="warning")
    parser.add_argument("--module", help="the module under lint/rules/ (needed for a new family)")
    parser.add_argument("--root", type=Path, default=ROOT, help="the repository [default: this script's]")
    args = parser.parse_args()
    root = args.root.resolve()
    sys.path.insert(0, str(root / "src"))
    from trackdesign.lint.registry import all_rules
    code, name = args.code.upper(), args.name
    if not re.fullmatch(r"[A-Z]{2}\d{2}", code) or not re.fullmatch(r"[a-z]+(-[a-z0-9]+)*", name):
        parser.error("CODE is two letters and two digits; NAME is kebab-case")
    rules = all_rules()
    if code in rules:
        parser.error(f"{code} is already {rules[code].name}")
    if any(rule.name == name for rule in rules.values()):
        parser.error(f"a rule is already named {name}")
    modules = {rule.check.__module__ for rule in rules.values() if rule.family == code[:2]}
    module = args.module or (modules.pop().rsplit(".", 1)[1] if len(modules) == 1 else None)
    if module is None:
        parser.error(f"no rule of family {code[:2]} yet: give --module")
    source = root / "src" / "trackdesign" / "lint" / "rules" / f"{module}.py"
    fixture = root / "tests" / "fixtures" / "rules" / f"{code}.yaml"
    if fixture.exists():
        parser.error(f"{fixture} exists")
    if not source.exists():
        source.write_text(f'"""{code[:2]}: ..."""\n\nfrom __future__ import annotations\n\n'
                          "from trackdesign.lint.registry import rule\nfrom trackdesign.spec.problems import Problem\n",
                          encoding="utf-8")
    text = source.read_text(encoding="utf-8")
    if "import Problem" not in text:
        text = text.replace("from trackdesign.lint.registry import", "from trackdesign.spec.problems import Problem\n"
                            "from trackdesign.lint.registry import", 1)
    summary = name.replace("-", " ").capitalize() + "."
    source.write_text(text.rstrip("\n") + "\n" + RULE.format(code=code, name=name, severity=args.severity,
                                                             function=name.replace("-", "_"), summary=summary),
                      encoding="utf-8")
    fixture.write_text(FIXTURE.format(code=code, name=name), encoding="utf-8")
    print(NEXT.format(code=code, source=source.relative_to(root), fixture=fixture.relative_to(root)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
