"""Runs the rules over a catalog and owns everything that is not a rule's business.

Rules only say what is wrong and where inside a spec; the engine stamps code, name, severity and
file:line:column, applies configuration and inline suppressions (and reports the unused ones),
and sorts, so that output is deterministic and every rule behaves the same way.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

from trackdesign.lint.config import Config
from trackdesign.lint.findings import Finding, severity_rank
from trackdesign.spec.problems import LOADING, Fix, Problem
from trackdesign.lint.registry import UNUSED_SUPPRESSION, Rule, all_rules, reporters
from trackdesign.spec.catalog import Catalog, Spec


@dataclass
class Context:
    """What a rule sees: the catalog and its own options."""

    catalog: Catalog
    options: dict
    config: Config


@dataclass
class Result:
    findings: list[Finding] = field(default_factory=list)
    fixes: list[tuple[Spec, Fix, Finding]] = field(default_factory=list)

    @property
    def input_errors(self) -> list[Finding]:
        """Findings that make the exit status 2, whatever the fail level: a spec file that is not
        (wholly) in the catalog, because it is no YAML we read (SP01), breaks the format (SP02) or
        repeats another file's id (SP03). The rest of the lint then judged incomplete input.

        Everything else, SP04's reference to a spec that does not exist included, is a finding
        like any other: exit 1 at or above the fail level.
        """
        loading = {rule.code for kind, rule in reporters().items() if kind in LOADING}
        return [f for f in self.findings if f.code in loading]

    def failing(self, level: str) -> list[Finding]:
        rank = severity_rank(level)
        return [f for f in self.findings if severity_rank(f.severity) >= rank]


def lint(catalog: Catalog, config: Config, network: bool = False, only: set[str] | None = None,
         cache: Path | None = None) -> Result:
    """Every enabled rule over `catalog`. With `cache` (a folder), the offline rules' findings are
    read from it when nothing they depend on changed, and stored there otherwise."""
    from trackdesign.lint import cache as lint_cache

    rules = all_rules()
    result = Result()
    used: set[tuple[Spec, int, str]] = set()
    reporting = reporters()
    for problem in catalog.problems:  # found while loading: each kind is a rule's
        rule = reporting[problem.kind]
        if config.enabled(rule):
            _add(result, _stamp(rule, config, problem, catalog), None, None)
    chosen = [rule for rule in rules.values() if rule.check is not None and runs(rule, config, network)
              and (only is None or rule.code in only)]
    offline = [rule for rule in chosen if not rule.network]
    name = lint_cache.key(catalog, config, [r.code for r in offline]) if cache and lint_cache.enabled() else None
    stored = lint_cache.load(cache, name, catalog) if name else None
    if stored is None:
        part = Result()
        part_used: set[tuple[Spec, int, str]] = set()
        _run_offline(offline, catalog, config, part, part_used)
        if name:
            lint_cache.store(cache, name, part.findings, part.fixes, part_used)
        stored = part.findings, part.fixes, part_used
    findings, fixes, offline_used = stored
    result.findings.extend(findings)
    result.fixes.extend(fixes)
    used |= offline_used
    for rule in chosen:
        if rule.network:
            run_rule(rule, catalog, config, result, used)
    unused = reporting[UNUSED_SUPPRESSION]
    if config.enabled(unused) and only is None:
        for finding in _unused_suppressions(catalog, used, config, unused, rules, network):
            result.findings.append(finding)
    result.findings.sort(key=Finding.sort_key)
    return result


def runs(rule: Rule, config: Config, network: bool) -> bool:
    """Whether a lint with `config`, with the network or without, runs `rule`."""
    return config.enabled(rule) and (network or not rule.network)


def _run_offline(rules: list[Rule], catalog: Catalog, config: Config, result: Result, used: set) -> None:
    from trackdesign.gcpause import paused

    with paused():
        for rule in rules:
            run_rule(rule, catalog, config, result, used)


def run_rule(rule: Rule, catalog: Catalog, config: Config, result: Result, used: set) -> None:
    """One rule's findings into `result`, minus those suppressed inline or by path (noted in `used`)."""
    context = Context(catalog, config.options(rule), config)
    for problem in _guarded(rule, context):
        finding = _stamp(rule, config, problem, catalog)
        spec = problem.spec
        if spec is not None:
            codes = spec.suppressions.get(finding.line)
            if codes and (rule.code in codes or rule.family in codes):
                used.add((spec, finding.line, rule.code if rule.code in codes else rule.family))
                continue
            # the path relative to the catalog only when some pattern could match it
            if config.per_path_ignores and config.ignored_for_path(rule.code, _relative(spec, catalog)):
                continue
        _add(result, finding, spec, problem.fix)


def _guarded(rule: Rule, context: Context):
    """A rule's problems; a crash inside a rule becomes one error finding, never a traceback."""
    try:
        yield from rule.check(context)
    except Exception as exc:  # noqa: BLE001 - one broken rule must not hide every other finding
        yield Problem(None, f"internal error while checking {rule.code}: {type(exc).__name__}: {exc}"
                      " (please report this)", file=str(context.catalog.root), line=1, column=1)


def _relative(spec: Spec, catalog: Catalog) -> str:
    try:
        return os.path.relpath(spec.filename, catalog.root).replace(os.sep, "/")
    except ValueError:
        return os.path.basename(spec.filename)


def _add(result: Result, finding: Finding, spec, fix):
    result.findings.append(finding)
    if fix is not None and spec is not None:
        result.fixes.append((spec, fix, finding))


def _stamp(rule: Rule, config: Config, problem: Problem, catalog: Catalog) -> Finding:
    if problem.spec is not None:
        line, column = problem.spec.position(problem.path, key=problem.key)
        path, subject = problem.spec.display, problem.spec.id
    else:
        line, column = problem.line or 1, problem.column or 1
        path, subject = problem.file or str(catalog.root), None
    return Finding(
        code=rule.code,
        name=rule.name,
        severity=config.severity(rule),
        path=path,
        line=line,
        column=column,
        message=problem.message,
        hint=problem.hint,
        subject=subject,
        fixable=problem.fix is not None,
        related=tuple(problem.related),
    )


def _unused_suppressions(catalog, used, config, rule, rules, network):
    families = {c[:2] for c in rules}
    for spec in catalog.specs():
        for line, codes in sorted(spec.suppressions.items()):
            for code in sorted(codes):
                if code not in rules and code not in families:
                    message = f"suppression names unknown rule {code!r}"
                elif (spec, line, code) in used:
                    continue
                elif code in rules and (not config.enabled(rules[code]) or (rules[code].network and not network)):
                    continue  # the rule did not run, so we cannot tell whether it is needed
                else:
                    message = f"unused suppression: no {code} finding on this line"
                yield Finding(rule.code, rule.name, config.severity(rule), spec.display, line, 1, message,
                              "remove the comment, or fix the code it names", spec.id)
