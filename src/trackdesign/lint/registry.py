"""The rule registry: a rule is a function registered with its code, name, severity and options.

The function's docstring is the rule's documentation (`trackdesign rules CODE` prints it) and must
carry a bad and a good example; a meta test holds every registered rule to that.
"""

from __future__ import annotations

import inspect
from dataclasses import dataclass, field
from typing import Any, Callable, Iterator

from trackdesign.lint.findings import SEVERITIES
from trackdesign.spec.problems import Problem


@dataclass(frozen=True)
class Option:
    default: Any
    help: str
    type: type | tuple = ()
    choices: tuple = ()

    def accepts(self, value) -> bool:
        if self.choices:
            return value in self.choices
        kinds = self.type or type(self.default)
        if kinds is float:
            kinds = (int, float)
        if isinstance(value, bool) and kinds not in (bool,) and not (isinstance(kinds, tuple) and bool in kinds):
            return False
        return isinstance(value, kinds)


@dataclass
class Rule:
    code: str
    name: str
    severity: str
    check: Callable[..., Iterator[Problem]] | None
    options: dict[str, Option] = field(default_factory=dict)
    fixable: bool = False
    network: bool = False  # needs the network (skipped with --no-links)
    #: the kind of problem the loader finds (one of spec.problems.LOADING) or the engine does
    #: (UNUSED_SUPPRESSION) that this rule reports; its check function only carries its documentation
    found_by: str | None = None

    @property
    def doc(self) -> str:
        return inspect.getdoc(self.check) or ""

    @property
    def summary(self) -> str:
        return self.doc.splitlines()[0] if self.doc else ""

    @property
    def family(self) -> str:
        return self.code[:2]


REGISTRY: dict[str, Rule] = {}


#: The kind of problem the engine itself finds: a suppression comment that suppresses nothing.
UNUSED_SUPPRESSION = "unused-suppression"


def rule(code: str, name: str, severity: str = "warning", options: dict[str, Option] | None = None,
         fixable: bool = False, network: bool = False, found_by: str | None = None):
    """Register a check function as rule `code`."""
    assert severity in SEVERITIES, severity
    assert len(code) == 4 and code[:2].isalpha() and code[2:].isdigit(), code

    def register(func):
        if code in REGISTRY:
            raise ValueError(f"rule {code} registered twice")
        REGISTRY[code] = Rule(code, name, severity, func, dict(options or {}), fixable, network, found_by)
        return func

    return register


def all_rules() -> dict[str, Rule]:
    """Every rule, importing each rules module once so that its decorators run."""
    import importlib
    import pkgutil

    import trackdesign.lint.rules as package

    for module in pkgutil.iter_modules(package.__path__):
        if module.name != "registry":
            importlib.import_module(f"{package.__name__}.{module.name}")
    return dict(sorted(REGISTRY.items()))


def reporters() -> dict[str, Rule]:
    """Kind of problem -> the rule reporting it, for the problems the loader or the engine finds
    (see `Rule.found_by`)."""
    return {rule.found_by: rule for rule in all_rules().values() if rule.found_by}


def is_selector(text: str, rules: dict[str, Rule]) -> bool:
    """Whether `text` picks rules in `select` or `ignore`: ALL, a rule's code or a family's two letters."""
    upper = text.upper()
    return upper == "ALL" or upper in rules or upper in {code[:2] for code in rules}


def rules_table(rules: dict[str, Rule]) -> str:
    """The rules as a Markdown table (the README's, generated so that it cannot drift)."""
    lines = ["| code | name | severity | what |", "| --- | --- | --- | --- |"]
    for rule in rules.values():
        notes = [note for note, holds in (("fixable", rule.fixable), ("network", rule.network)) if holds]
        what = rule.summary.rstrip(".").replace("|", "\\|") + (f" ({', '.join(notes)})" if notes else "")
        lines.append(f"| {rule.code} | {rule.name} | {rule.severity} | {what} |")
    return "\n".join(lines) + "\n"
