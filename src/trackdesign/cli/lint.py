"""`lint`, `links`, `rules` and `schema`."""

from __future__ import annotations

import io
import json
import sys
from pathlib import Path

import click

from trackdesign.cli.common import (EXIT_CLEAN, EXIT_FINDINGS, EXIT_INPUT, InputProblem, choose_format, colour,
                                    fail_on_option, find_specs, format_option, lint_cache, load, no_cache_option,
                                    output_option, quiet_option, say, single_output_option, specs_option,
                                    to_stdout, write_output)

FINDING_FORMATS = ("text", "json", "github", "sarif")


def _codes(values) -> list[str]:
    return [c.strip().upper() for v in values for c in v.split(",") if c.strip()]


def _check_codes(codes):
    from trackdesign.lint.registry import all_rules, is_selector

    rules = all_rules()
    for code in codes:
        if not is_selector(code, rules):
            raise InputProblem(f"unknown rule code {code!r} (see `trackdesign rules`)")


def _targets(paths: tuple[Path, ...], specs: Path | None) -> tuple[Path | None, set[str] | None]:
    """The specs folder and, when single files were named, the files whose findings to show.

    A folder argument is the specs folder (as `--specs`); files are linted with the whole
    catalog they belong to (rules compare courses), and only their findings are shown.
    """
    folders = [p for p in paths if p.is_dir()]
    files = [p for p in paths if not p.is_dir()]
    for path in files:
        if not path.exists():
            raise InputProblem(f"{path}: no such file or folder")
    if len(folders) > 1 or (folders and (files or specs)):
        raise InputProblem("give one specs folder (or --specs DIR), or spec files of one specs folder")
    if folders:
        return folders[0], None
    if not files:
        return specs, None
    found = {find_specs(p.parent) for p in files} if specs is None else {specs.resolve()}
    if None in found or len(found) != 1:
        raise InputProblem("the files given are not in one specs folder (a folder with courses/ or tracks/)")
    folder = found.pop()
    return folder, {str(p.resolve()) for p in files}


def _report(findings, fmt: str, output: Path | None, hints: bool, quiet: bool = False) -> None:
    from trackdesign.lint.formats import renderer

    render = renderer(fmt)
    options = {"summary": False} if quiet and fmt == "text" else {}  # -q: the findings, no "Found ..." line
    if output is None or to_stdout(output):
        render(findings, sys.stdout, color=colour(sys.stdout), show_hints=hints, **options)
        return
    buffer = io.StringIO()
    render(findings, buffer, color=False, show_hints=hints, **options)
    write_output(output, buffer.getvalue().encode("utf-8"))
    say(quiet, f"wrote {output}")


def _exit(result, config, catalog=None):
    """Exit 2 for input errors (SP01-SP03: a spec file not wholly read) or links that could not be
    checked at all (said here, once), else 1 for findings at the fail level, else 0."""
    unavailable = None
    if catalog is not None:  # links were checked: the checking code is loaded already
        from trackdesign.links.report import network_unavailable

        unavailable = network_unavailable(catalog)
    if unavailable:
        click.echo(f"trackdesign: links not checked: {unavailable} (--no-links, or --offline to use the link"
                   " cache)", err=True)
    if result.input_errors or unavailable:
        sys.exit(EXIT_INPUT)
    sys.exit(EXIT_FINDINGS if result.failing(config.fail_on) else EXIT_CLEAN)


def _fix_and_relint(specs, config, result, network: bool, noun: str, quiet: bool, cache=None):
    """Apply the safe fixes of `result`, say what was skipped and why, and lint the edited specs again."""
    from trackdesign.lint.engine import lint as run_lint
    from trackdesign.lint.fix import apply_fixes

    applied, skipped = apply_fixes(result.fixes)
    for finding, reason in skipped:
        click.echo(f"{finding.path}:{finding.line}: {finding.code} not fixed: {reason}", err=True)
    say(quiet, f"Fixed {len(applied)} {noun}{'s' if len(applied) != 1 else ''}.")
    _, catalog, _ = load(specs)
    return catalog, run_lint(catalog, config, network=network, cache=cache)


@click.command()
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
@specs_option
@click.option("--select", multiple=True, help="Only these rule codes or prefixes (comma-separated, repeatable).")
@click.option("--ignore", multiple=True, help="Skip these rule codes or prefixes.")
@format_option(FINDING_FORMATS)
@output_option
@click.option("--no-links", is_flag=True, help="Do not check links over the network.")
@click.option("--offline", is_flag=True, help="Check links against the link cache only, never the network.")
@click.option("--fix", is_flag=True, help="Apply safe fixes (marked [*]) in place, keeping comments and layout.")
@fail_on_option
@click.option("--no-hints", is_flag=True, help="Text format: do not print fix hints.")
@no_cache_option
@click.option("--write-baseline", type=click.Path(path_type=Path, dir_okay=False), default=None,
              help="Record today's findings in this file (a baseline for --baseline) and exit 0.")
@click.option("--baseline", "baseline_file", type=click.Path(path_type=Path, dir_okay=False), default=None,
              help="Report and fail only on findings this baseline does not hold; say which it holds were fixed.")
@quiet_option
def lint(paths, specs, select, ignore, fmt, output, no_links, offline, fix, fail_on, no_hints, no_cache,
         write_baseline, baseline_file, quiet):
    """Check the specs and report findings.

    PATHS may be the specs folder or spec files in it (the whole catalog is checked, the findings
    of those files shown). Findings of the offline rules are kept in .trackdesign-cache/lint/ and
    reused while no spec, setting or trackdesign file changes.

    A baseline lets a catalog with many findings adopt lint in CI: --write-baseline FILE records
    them by code, file, subject and message (not line, so edits above a finding do not renew it),
    and --baseline FILE then fails only on new findings.

    Exit status 2 when a spec file is not wholly read (SP01 invalid YAML, SP02 against the format,
    SP03 duplicate id) or no link could be checked because the network is unavailable; else 1
    when a finding is at or above the fail level; else 0.
    """
    from trackdesign.lint.engine import lint as run_lint

    fmt = choose_format(fmt, output, FINDING_FORMATS)
    if write_baseline and baseline_file:
        raise InputProblem("give --write-baseline or --baseline, not both")
    folder, only = _targets(paths, specs)
    specs, catalog, config = load(folder)
    config = config.with_overrides(_codes(select) or None, _codes(ignore), fail_on)
    _check_codes(config.select + config.ignore)
    config.links.offline = offline
    config.links.progress = not quiet and sys.stderr.isatty() and fmt == "text"
    cache = lint_cache(specs, no_cache)
    result = run_lint(catalog, config, network=not no_links, cache=cache)
    if fix and result.fixes:
        catalog, result = _fix_and_relint(specs, config, result, not no_links, "finding", quiet, cache)
    if only is not None:
        shown = {spec.display for spec in catalog.specs() if str(Path(spec.filename).resolve()) in only}
        result.findings[:] = [f for f in result.findings if f.path in shown]
    if write_baseline:
        _write_baseline(write_baseline, result, specs, quiet)
        return
    if baseline_file:
        _against_baseline(baseline_file, result, specs, config, not no_links, quiet)
    _report(result.findings, fmt, output, not no_hints, quiet)
    _exit(result, config, catalog if not no_links else None)


def _write_baseline(path: Path, result, specs: Path, quiet: bool) -> None:
    from trackdesign.lint.baseline import write

    try:
        count = write(path, result.findings, specs)
    except OSError as exc:
        raise InputProblem(f"{path}: cannot write: {exc.strerror or exc}") from None
    say(quiet, f"recorded {count} finding(s) in {path}; `trackdesign lint --baseline {path}` fails only on new ones")
    if result.input_errors:
        sys.exit(EXIT_INPUT)


def _against_baseline(path: Path, result, specs: Path, config, network: bool, quiet: bool) -> None:
    """Keep only the findings `path` does not hold, and say what it holds and what was fixed."""
    from trackdesign.lint.baseline import BaselineError, compare, load
    from trackdesign.lint.engine import runs
    from trackdesign.lint.registry import all_rules

    try:
        recorded = load(path)
    except BaselineError as exc:
        raise InputProblem(str(exc)) from None
    rules = all_rules()

    def ran(code: str) -> bool:
        rule = rules.get(code)
        return rule is not None and runs(rule, config, network)

    comparison = compare(result.findings, recorded, specs, ran)
    result.findings[:] = comparison.new
    for code, where, subject, message in comparison.fixed:
        click.echo(f"fixed: {where}: {code} {message}", err=True)
    say(quiet, f"{len(comparison.new)} new finding(s); {comparison.remaining} of the baseline remain,"
               f" {len(comparison.fixed)} fixed" + (f", {comparison.unchecked} not checked in this run"
                                                   if comparison.unchecked else "")
               + (f" (run --write-baseline {path} again to forget the fixed ones)" if comparison.fixed else ""))


@click.command()
@click.argument("legacy_specs", metavar="[SPECS]", required=False, type=click.Path(path_type=Path))
@specs_option
@click.option("--offline", is_flag=True, help="Use only the link cache; report links not in it as unverified.")
@format_option(FINDING_FORMATS)
@output_option
@click.option("--fix", is_flag=True, help="Rewrite permanently redirected, http and tracking links in place.")
@fail_on_option
@quiet_option
def links(legacy_specs, specs, offline, fmt, output, fix, fail_on, quiet):
    """Check every link in the specs (course pages, references, notes...) and summarise by host.

    Concurrent with a per-host limit, HEAD then GET, retries honouring Retry-After, answers cached
    in .trackdesign-cache/ (see [links] in trackdesign.toml). SPECS is the older spelling of --specs.
    """
    from trackdesign.documents.tables import text_table
    from trackdesign.lint.engine import lint as run_lint
    from trackdesign.links.report import check_catalog
    from trackdesign.lint.rules.links import FAMILY

    fmt = choose_format(fmt, output, FINDING_FORMATS)
    specs, catalog, config = load(specs or legacy_specs)
    config = config.with_overrides([FAMILY], None, fail_on)
    config.links.offline = offline
    config.links.progress = not quiet and sys.stderr.isatty()
    result = run_lint(catalog, config, network=True)
    if fix and result.fixes:
        catalog, result = _fix_and_relint(specs, config, result, True, "link", quiet)
    _report(result.findings, fmt, output, True, quiet)
    if not quiet and fmt == "text":
        report = check_catalog(catalog, config.links)
        rows = report.hosts()
        if rows:
            click.echo("\n" + text_table(rows, ["host", "urls", "ok", "broken", "unreachable", "unverified",
                                                "redirected", "cached", "seconds"],
                                         numeric={"urls", "ok", "broken", "unreachable", "unverified",
                                                  "redirected", "cached", "seconds"}), err=True, nl=False)
        if report.skipped:
            click.echo(f"{len(report.skipped)} link(s) not checked (not http(s), or excluded in [links])", err=True)
    _exit(result, config, catalog)


@click.command()
@click.argument("code", required=False)
@click.option("--format", "fmt", type=click.Choice(["text", "md"]), default="text", show_default=True,
              help="The list as text, or as the Markdown table the README holds.")
def rules(code, fmt):
    """List every rule, or print the documentation of rule CODE."""
    from trackdesign.lint.registry import all_rules, rules_table

    registry = all_rules()
    if code is None:
        if fmt == "md":
            click.echo(rules_table(registry), nl=False)
            return
        for rule in registry.values():
            fixable = "fix" if rule.fixable else "   "
            click.echo(f"{rule.code}  {rule.name:<34} {rule.severity:<8} {fixable}  {rule.summary}")
        return
    rule = registry.get(code.upper())
    if rule is None:
        raise InputProblem(f"unknown rule code {code!r} (see `trackdesign rules`)")
    click.echo(f"{rule.code} {rule.name}  (severity: {rule.severity}{', fixable with --fix' if rule.fixable else ''}"
               f"{', needs the network' if rule.network else ''})\n")
    click.echo(rule.doc)
    if rule.options:
        click.echo("\nOptions (in trackdesign.toml under [rules." + rule.code + "]):")
        for name, option in rule.options.items():
            click.echo(f"  {name} = {json.dumps(option.default)}    {option.help}")


@click.command()
@click.option("--kind", type=click.Choice(["course", "track", "any"]), default="any", show_default=True,
              help="The schema of one kind of spec file, or of either.")
@single_output_option(".json")
@quiet_option
def schema(kind, output, quiet):
    """Print the spec format as a JSON Schema, for editor completion and validation."""
    from trackdesign.cli.common import emit
    from trackdesign.spec.schema import json_schema

    choose_format(None, output, ("json",))
    emit(json.dumps(json_schema(kind), indent=2, ensure_ascii=False) + "\n", output, quiet)
