"""The `trackdesign` command line: parse, call the library, print. No logic lives here."""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path

import click

from trackdesign import __version__

EXIT_CLEAN, EXIT_FINDINGS, EXIT_INPUT = 0, 1, 2


class InputProblem(click.ClickException):
    """Bad input from the user: message on stderr, exit 2, no traceback."""

    exit_code = EXIT_INPUT

    def show(self, file=None):
        click.echo(f"trackdesign: {self.format_message()}", err=True)


def _codes(values) -> list[str]:
    return [c.strip().upper() for v in values for c in v.split(",") if c.strip()]


def load(specs: Path):
    """Catalog and config for a specs folder, or an InputProblem saying what is wrong.

    In the console process the catalog is frozen as loading ends (`gcpause.freeze_on_resume`): it
    lives until the command does, and no collection need walk it again.
    """
    from trackdesign.lint.config import ConfigError, find_config, load_config
    from trackdesign.spec.files import SpecsNotFound, display_path
    from trackdesign.spec.loader import load_catalog

    try:
        path = find_config(specs)
        config = load_config(path, display_path(path) if path else None)
        catalog = load_catalog(specs)
    except (SpecsNotFound, ConfigError) as exc:
        raise InputProblem(str(exc)) from None
    return catalog, config


@click.group(context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100})
@click.version_option(__version__, prog_name="trackdesign")
def cli():
    """Lint learning-track specs kept as YAML, check their links, write their documents, plan study
    schedules, round-trip review workbooks and import existing proposals and catalogs.

    A specs folder holds courses/<id>.yaml and tracks/<id>.yaml (see `trackdesign schema`).
    Exit status: 0 clean, 1 findings at or above the fail level, 2 usage or input error.
    """


SPECS_ARG = click.argument("specs", type=click.Path(path_type=Path), default="specs", required=False)
SPECS_OPT = click.option("--specs", type=click.Path(path_type=Path), default="specs", show_default=True,
                         help="The specs folder.")


@cli.command()
@SPECS_ARG
@click.option("--select", multiple=True, help="Only these rule codes or prefixes (comma-separated, repeatable).")
@click.option("--ignore", multiple=True, help="Skip these rule codes or prefixes.")
@click.option("--format", "fmt", type=click.Choice(["text", "json", "github", "sarif"]), default="text",
              show_default=True, help="Output format.")
@click.option("--no-links", is_flag=True, help="Do not check links over the network.")
@click.option("--offline", is_flag=True, help="Check links against the link cache only, never the network.")
@click.option("--fix", is_flag=True, help="Apply safe fixes (marked [*]) in place, keeping comments and layout.")
@click.option("--fail-on", type=click.Choice(["info", "warning", "error"]), default=None,
              help="Lowest severity that makes the exit status 1 [default: config, else warning].")
@click.option("--no-hints", is_flag=True, help="Text format: do not print fix hints.")
@click.option("-o", "--output", type=click.Path(path_type=Path), default=None, help="Write findings to a file.")
@click.option("--no-cache", is_flag=True, help="Run every rule even if nothing changed since the last lint.")
def lint(specs, select, ignore, fmt, no_links, offline, fix, fail_on, no_hints, output, no_cache):
    """Check the specs in SPECS (default: ./specs) and report findings.

    Findings of the offline rules are kept in .trackdesign-cache/lint/ and reused while no spec,
    setting or trackdesign file changes (--no-cache, or TRACKDESIGN_NO_CACHE=1, to run them anyway).
    """
    catalog, config = load(specs)
    from trackdesign.lint.engine import lint as run_lint
    from trackdesign.lint.cache import DIRECTORY
    from trackdesign.lint.formats import renderer

    config = config.with_overrides(_codes(select) or None, _codes(ignore), fail_on)
    _check_codes(config.select + config.ignore)
    config.links.offline = offline
    config.links.progress = sys.stderr.isatty() and fmt == "text"
    cache = None if no_cache else DIRECTORY
    result = run_lint(catalog, config, network=not no_links, cache=cache)
    if fix and result.fixes:
        catalog, result = _fix_and_relint(specs, config, result, not no_links, "finding", cache)
    render = renderer(fmt)
    if output:
        from trackdesign.atomic import write_text
        import io

        buffer = io.StringIO()
        render(result.findings, buffer, color=False, show_hints=not no_hints)
        write_text(output, buffer.getvalue())
    else:
        stream = sys.stdout
        render(result.findings, stream, color=stream.isatty() and "NO_COLOR" not in os.environ,
               show_hints=not no_hints)
    if result.input_errors:
        sys.exit(EXIT_INPUT)
    sys.exit(EXIT_FINDINGS if result.failing(config.fail_on) else EXIT_CLEAN)


def _fix_and_relint(specs, config, result, network: bool, noun: str, cache=None):
    """Apply the safe fixes of `result`, say what was skipped and why, and lint the edited specs again."""
    from trackdesign.lint.engine import lint as run_lint
    from trackdesign.lint.fix import apply_fixes

    applied, skipped = apply_fixes(result.fixes)
    for finding, reason in skipped:
        click.echo(f"{finding.path}:{finding.line}: {finding.code} not fixed: {reason}", err=True)
    click.echo(f"Fixed {len(applied)} {noun}{'s' if len(applied) != 1 else ''}.", err=True)
    catalog, _ = load(specs)
    return catalog, run_lint(catalog, config, network=network, cache=cache)


def _check_codes(codes):
    from trackdesign.lint.registry import all_rules

    rules = all_rules()
    families = {c[:2] for c in rules}
    for code in codes:
        if code != "ALL" and code not in rules and code not in families:
            raise InputProblem(f"unknown rule code {code!r} (see `trackdesign rules`)")


@cli.command()
@SPECS_ARG
@click.option("--offline", is_flag=True, help="Use only the link cache; report links not in it as unverified.")
@click.option("--format", "fmt", type=click.Choice(["text", "json", "github", "sarif"]), default="text",
              show_default=True)
@click.option("--fix", is_flag=True, help="Rewrite permanently redirected, http and tracking links in place.")
@click.option("-q", "--quiet", is_flag=True, help="No progress bar and no per-host summary.")
@click.option("--fail-on", type=click.Choice(["info", "warning", "error"]), default=None,
              help="Lowest severity that makes the exit status 1.")
def links(specs, offline, fmt, fix, quiet, fail_on):
    """Check every link in SPECS (course pages, references, notes...) and summarise by host.

    Concurrent with a per-host limit, HEAD then GET, retries honouring Retry-After, answers cached
    in .trackdesign-cache/ (see [links] in trackdesign.toml).
    """
    from trackdesign.lint.engine import lint as run_lint
    from trackdesign.links.report import check_catalog
    from trackdesign.lint.formats import renderer

    catalog, config = load(specs)
    config = config.with_overrides(["LK"], None, fail_on)
    config.links.offline = offline
    config.links.progress = not quiet and sys.stderr.isatty()
    result = run_lint(catalog, config, network=True)
    if fix and result.fixes:
        catalog, result = _fix_and_relint(specs, config, result, True, "link")
    stream = sys.stdout
    renderer(fmt)(result.findings, stream, color=stream.isatty() and "NO_COLOR" not in os.environ, show_hints=True)
    if not quiet and fmt == "text":
        report = check_catalog(catalog, config.links)
        rows = report.hosts()
        if rows:
            width = max(len(r["host"]) for r in rows)
            click.echo(f"\n{'host':<{width}}  urls    ok  broken  unreachable  unverified  redirected  cached  seconds",
                       err=True)
            for r in rows:
                click.echo(f"{r['host']:<{width}}  {r['urls']:>4}  {r['ok']:>4}  {r['broken']:>6}  {r['unreachable']:>11}"
                           f"  {r['unverified']:>10}  {r['redirected']:>10}  {r['cached']:>6}  {r['seconds']:>7.2f}",
                           err=True)
        if report.skipped:
            click.echo(f"{len(report.skipped)} link(s) not checked (not http(s), or excluded in [links])", err=True)
    if result.input_errors:
        sys.exit(EXIT_INPUT)
    sys.exit(EXIT_FINDINGS if result.failing(config.fail_on) else EXIT_CLEAN)


@cli.command()
@click.argument("code", required=False)
def rules(code):
    """List every rule, or print the documentation of rule CODE."""
    from trackdesign.lint.registry import all_rules

    registry = all_rules()
    if code is None:
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


@cli.command()
@click.option("--kind", type=click.Choice(["course", "track", "any"]), default="any", show_default=True,
              help="The schema of one kind of spec file, or of either.")
def schema(kind):
    """Print the spec format as a JSON Schema, for editor completion and validation."""
    from trackdesign.spec.schema import json_schema

    click.echo(json.dumps(json_schema(kind), indent=2, ensure_ascii=False))


@cli.command()
@click.argument("track", required=False)
@click.option("--catalog", "whole", is_flag=True, help="Every course of the catalog instead of one track.")
@SPECS_OPT
@click.option("--format", "fmt", type=click.Choice(["text", "csv", "json"]), default="text", show_default=True)
@click.option("--top", type=int, default=None, help="Only the N most complex courses.")
def metrics(track, whole, specs, fmt, top):
    """Curricular Analytics metrics of TRACK (or --catalog): blocking and delay factors, centrality, complexity."""
    from trackdesign.analysis.metrics import compute, track_graph
    from trackdesign.lint.rules.track import course_bloom_levels

    catalog, _ = _catalog_for(track, whole, specs)
    if track:
        graph, levels = track_graph(catalog, track), course_bloom_levels(catalog, track)
    else:
        graph, levels = catalog.graph, {}
    titles = {cid: spec.model.title for cid, spec in catalog.courses.items()}
    result = compute(graph, titles)
    rows = result.rows()[:top] if top else result.rows()
    fields = ["course", "title", "blocking", "delay", "centrality", "complexity"] + (["bloom"] if track else [])
    records = [{**{f: getattr(m, f) for f in fields if f != "bloom"}, **({"bloom": levels.get(m.course)} if track else {})}
               for m in rows]
    if fmt == "json":
        click.echo(json.dumps({"structural_complexity": result.structural_complexity, "courses": records,
                               "dropped_cycle_edges": [list(e) for e in result.dropped_edges]}, indent=2,
                              ensure_ascii=False))
        return
    if fmt == "csv":
        import csv

        writer = csv.DictWriter(sys.stdout, fieldnames=fields, lineterminator="\n")
        writer.writeheader()
        writer.writerows(records)
        return
    width = max([len(r["course"]) for r in records] + [6])
    header = f"{'course':<{width}}  blocking  delay  centrality  complexity" + ("  bloom" if track else "")
    click.echo(header)
    for r in records:
        bloom = f"  {r['bloom'] if r['bloom'] is not None else '-':>5}" if track else ""
        click.echo(f"{r['course']:<{width}}  {r['blocking']:>8}  {r['delay']:>5}  {r['centrality']:>10}"
                   f"  {r['complexity']:>10}{bloom}")
    click.echo(f"\nstructural complexity: {result.structural_complexity}"
               f" ({len(result.courses)} courses)")
    if result.dropped_edges:
        click.echo(f"left out {len(result.dropped_edges)} prerequisite edge(s) on cycles (see PR02)", err=True)


@cli.command()
@click.argument("track", required=False)
@click.option("--catalog", "whole", is_flag=True, help="Compare every course of the catalog instead of one track.")
@SPECS_OPT
@click.option("--format", "fmt", type=click.Choice(["text", "csv", "json"]), default="text", show_default=True)
@click.option("--top", type=int, default=20, show_default=True, help="How many pairs to show (0: all).")
@click.option("--min-score", type=float, default=None,
              help="Lowest score shown [default: 0 for a track, 0.25 for the catalog].")
def overlap(track, whole, specs, fmt, top, min_score):
    """Rank the most similar pairs of courses in TRACK (or --catalog), with the evidence."""
    from trackdesign.analysis.overlap import FIELDS, index_for

    catalog, _ = _catalog_for(track, whole, specs)
    index = index_for(catalog)
    limit = top or None
    if track:
        pairs = index.pairs_within(catalog.tracks[track].model.courses, min_score or 0.0, top=limit)
    else:
        pairs = index.all_pairs(0.25 if min_score is None else min_score, top=limit)
    if fmt == "json":
        click.echo(json.dumps([p.as_dict() for p in pairs], indent=2, ensure_ascii=False))
        return
    if fmt == "csv":
        import csv

        writer = csv.writer(sys.stdout, lineterminator="\n")
        writer.writerow(["a", "b", "score", "drivers", "terms", *[f"{f}_score" for f in FIELDS]])
        for p in pairs:
            writer.writerow([p.a, p.b, f"{p.score:.3f}", " ".join(p.drivers), "; ".join(p.terms),
                             *[f"{p.fields.get(f, 0):.3f}" for f in FIELDS]])
        return
    if not pairs:
        click.echo("No pair of courses is that similar.")
    for rank, p in enumerate(pairs, 1):
        fields = ", ".join(f"{name} {p.fields[name]:.2f}" for name in p.drivers) or "-"
        click.echo(f"{rank:>3}. {p.score:.2f}  {p.a}  ~  {p.b}")
        click.echo(f"       fields: {fields}")
        click.echo(f"       shared: {', '.join(p.terms)}")



def _emit(text: str, output: Path | None):
    """Print, or write atomically to OUTPUT."""
    if output is None:
        click.echo(text, nl=False)
        return
    from trackdesign.atomic import write_text

    write_text(output, text)
    click.echo(f"wrote {output}", err=True)


@cli.group()
def report():
    """Write one document: a track proposal, its task analysis, a course outline, or a comparison.

    Links to other documents assume the layout `trackdesign build` writes.
    """


def _report_options(function):
    function = click.option("-o", "--output", type=click.Path(path_type=Path), default=None,
                            help="Write to this file instead of standard output.")(function)
    function = click.option("--format", "fmt", type=click.Choice(["md", "html"]), default="md",
                            show_default=True)(function)
    return SPECS_OPT(function)


@report.command("proposal")
@click.argument("track")
@_report_options
def report_proposal(track, specs, fmt, output):
    """The track proposal of TRACK: its courses in order with notes, descriptions, objectives, prerequisites."""
    from trackdesign.documents.prepare import proposal
    from trackdesign.documents.render import render

    catalog, _ = _catalog_for(track, False, specs)
    _emit(render(proposal(catalog, track), fmt), output)


@report.command("task-analysis")
@click.argument("track")
@_report_options
def report_task_analysis(track, specs, fmt, output):
    """The task analysis of TRACK: specifications, portfolio, map, coverage, overlap, lint findings."""
    from trackdesign.lint.engine import lint as run_lint
    from trackdesign.lint.cache import DIRECTORY
    from trackdesign.documents.prepare import task_analysis
    from trackdesign.documents.render import render

    catalog, config = _catalog_for(track, False, specs)
    findings = run_lint(catalog, config, network=False, cache=DIRECTORY).findings
    _emit(render(task_analysis(catalog, config, track, findings), fmt), output)


@report.command("compare")
@click.argument("tracks", nargs=-1, required=True)
@_report_options
def report_compare(tracks, specs, fmt, output):
    """TRACKS side by side: focus, duration, instructor, prerequisites, audience; shared courses,
    overlap between their courses, and whether one track meets another's entry requirements."""
    from trackdesign.documents.compare import compare
    from trackdesign.documents.render import render

    if len(tracks) < 2:
        raise InputProblem("give at least two TRACK ids to compare")
    catalog, config = _loaded(specs)
    for track in tracks:
        if track not in catalog.tracks:
            raise InputProblem(_unknown("track", track, catalog.tracks))
    if len(set(tracks)) != len(tracks):
        raise InputProblem("each TRACK may be given once")
    _emit(render(compare(catalog, config, list(tracks)), fmt), output)


@report.command("outline")
@click.argument("course")
@_report_options
def report_outline(course, specs, fmt, output):
    """The outline of COURSE: chapters, numbered lessons, their objectives, notes and references."""
    from trackdesign.documents.prepare import outline
    from trackdesign.documents.render import render

    catalog, _ = _loaded(specs)
    if course not in catalog.courses:
        raise InputProblem(_unknown("course", course, catalog.courses))
    _emit(render(outline(catalog, course), fmt), output)


@cli.command()
@click.argument("track")
@SPECS_OPT
@click.option("--hours-per-week", type=float, required=True, help="How many hours a week the learner studies.")
@click.option("--start", type=click.DateTime(formats=["%Y-%m-%d"]), default=None,
              help="First day of study, YYYY-MM-DD [default: next Monday].")
@click.option("--default-hours", type=float, default=4.0, show_default=True,
              help="Hours assumed for a course whose spec has no `hours` (said so in the plan).")
@click.option("--format", "fmt", type=click.Choice(["md", "csv", "ics"]), default="md", show_default=True,
              help="Markdown schedule, CSV rows (week, course, hours), or an iCalendar file.")
@click.option("-o", "--output", type=click.Path(path_type=Path), default=None, help="Write to this file.")
def plan(track, specs, hours_per_week, start, default_hours, fmt, output):
    """A study schedule for TRACK by week and month, prerequisites first, at HOURS-PER-WEEK."""
    import datetime as dt

    from trackdesign.analysis.schedule import PlanError, make_plan, next_monday, plan_data, to_csv, to_ics
    from trackdesign.documents.render import render

    catalog, _ = _catalog_for(track, False, specs)
    first = start.date() if start else next_monday(dt.date.today())
    try:
        schedule = make_plan(catalog, track, hours_per_week, first, default_hours)
    except PlanError as exc:
        raise InputProblem(str(exc)) from None
    if schedule.assumed and fmt != "md":
        click.echo(f"note: {len(schedule.assumed)} course(s) have no `hours`; assumed {default_hours:g} each"
                   " (--default-hours)", err=True)
    if fmt == "csv":
        text = to_csv(schedule)
    elif fmt == "ics":
        text = to_ics(schedule, dt.datetime.now(dt.timezone.utc).replace(microsecond=0))
    else:
        text = render(plan_data(schedule), "md")
    _emit(text, output)


@cli.command()
@click.argument("track")
@SPECS_OPT
@click.option("--format", "fmt", type=click.Choice(["mermaid", "dot", "svg"]), default="mermaid", show_default=True)
@click.option("-o", "--output", type=click.Path(path_type=Path), default=None, help="Write to this file.")
def graph(track, specs, fmt, output):
    """Print the prerequisite map of TRACK: its courses, entry requirements, redundant edges dashed."""
    from trackdesign.documents.maps import build_map, to_dot, to_mermaid, to_svg

    catalog, _ = _catalog_for(track, False, specs)
    pmap = build_map(catalog, track)
    _emit({"mermaid": to_mermaid, "dot": to_dot, "svg": to_svg}[fmt](pmap), output)


@cli.command()
@SPECS_ARG
@click.option("-o", "--output", "out", type=click.Path(path_type=Path), default="reports", show_default=True,
              help="The folder to write into.")
@click.option("--format", "fmts", type=click.Choice(["md", "html"]), multiple=True,
              help="Only these formats (repeatable) [default: md and html].")
@click.option("--check", is_flag=True, help="Write nothing; exit 1 if the folder is not up to date with the specs.")
@click.option("-q", "--quiet", is_flag=True, help="No progress bar or summary.")
def build(specs, out, fmts, check, quiet):
    """Write every document (proposals, task analyses, outlines, comparisons, index) as Markdown and HTML.

    Comparisons are those the tracks ask for with `compare_with`.
    """
    import tempfile

    from trackdesign.links.progress import terminal_progress
    from trackdesign.documents.build import build as run_build
    from trackdesign.documents.build import count
    from trackdesign.documents.render import FORMATS

    catalog, config = _loaded(specs)
    target = Path(tempfile.mkdtemp(prefix="trackdesign-check-")) if check else out
    bar = terminal_progress(count(catalog), "Writing documents") if not quiet and sys.stderr.isatty() else None
    try:
        written, removed = run_build(catalog, config, target, fmts or FORMATS, progress=bar and bar.update)
    finally:
        if bar:
            bar.close()
    if check:
        import shutil

        stale = _differences(target, out)
        shutil.rmtree(target, ignore_errors=True)
        if stale:
            for name in stale:
                click.echo(f"out of date: {out / name}", err=True)
            click.echo(f"{len(stale)} document(s) differ from the specs; run `trackdesign build {specs} -o {out}`",
                       err=True)
            sys.exit(EXIT_FINDINGS)
        if not quiet:
            click.echo(f"{out} is up to date", err=True)
        return
    if not quiet:
        click.echo(f"{len(written)} file(s) written, {len(removed)} removed, in {out}", err=True)


def _differences(fresh: Path, existing: Path) -> list[str]:
    """Documents present in one folder but not the other, or with other content."""
    def files(root):
        return {p.relative_to(root).as_posix(): p for p in root.rglob("*") if p.is_file()
                and p.suffix in (".md", ".html")} if root.is_dir() else {}
    a, b = files(fresh), files(existing)
    return sorted(name for name in a.keys() | b.keys()
                  if name not in a or name not in b or a[name].read_bytes() != b[name].read_bytes())


def _loaded(specs):
    """Catalog and config of a command that needs every spec to load (the lint reports why not)."""
    catalog, config = load(specs)
    if catalog.problems:
        raise InputProblem(f"{len(catalog.problems)} spec file(s) do not load; run `trackdesign lint {specs}` first")
    return catalog, config


@cli.group()
def sheet():
    """Review workbooks: export a track to xlsx for reviewers, import their edits back into the specs."""


@sheet.command("export")
@click.argument("track")
@SPECS_OPT
@click.option("-o", "--output", type=click.Path(path_type=Path), required=True, help="The .xlsx file to write.")
def sheet_export(track, specs, output):
    """Write TRACK's review workbook: overview, courses, objectives, findings, overlap."""
    from trackdesign.sheets.export import UnfitCell, export_track

    catalog, config = _catalog_for(track, False, specs)
    try:
        counts = export_track(catalog, config, track, output)
    except UnfitCell as exc:
        raise InputProblem(str(exc)) from None
    click.echo(f"wrote {output}: {counts['courses']} courses, {counts['objectives']} objectives,"
               f" {counts['findings']} findings, {counts['overlaps']} overlapping pairs", err=True)


@sheet.command("import")
@click.argument("workbook", type=click.Path(path_type=Path, exists=True, dir_okay=False))
@SPECS_OPT
@click.option("--dry-run", is_flag=True, help="Show the diff and write nothing.")
def sheet_import(workbook, specs, dry_run):
    """Apply a reviewer's edits in WORKBOOK to the specs, showing the diff first.

    Refuses (exit 1) when a cell the reviewer changed was also changed in the spec since export,
    and (exit 2) when the workbook has renamed columns, deleted or added rows, wrong types,
    formulas or unknown sheets; in both cases nothing is written.
    """
    from trackdesign.atomic import write_text
    from trackdesign.sheets.importer import WorkbookError, diff, plan_import, read_workbook

    catalog, _ = _loaded(specs)
    try:
        book = read_workbook(workbook)
        try:
            outcome = plan_import(catalog, book)
        finally:
            book.close()
    except WorkbookError as exc:
        raise InputProblem(str(exc)) from None
    for place, message in outcome.problems:
        click.echo(f"{workbook}: {place}: {message}", err=True)
    if outcome.problems:
        raise InputProblem(f"{len(outcome.problems)} problem(s) in the workbook; nothing was written")
    for place, message in outcome.conflicts:
        click.echo(f"{workbook}: {place}: conflict: {message}", err=True)
    if outcome.conflicts:
        click.echo(f"{len(outcome.conflicts)} conflicting cell(s); nothing was written. Export a fresh workbook,"
                   " or settle these cells in the specs first.", err=True)
        sys.exit(EXIT_FINDINGS)
    click.echo(diff(outcome, catalog.root), nl=False)
    merged = f"; merged with changes made to {len(outcome.changed_since)} file(s) since export" \
        if outcome.changed_since else ""
    if dry_run:
        click.echo(f"{len(outcome.edits)} edit(s) to {len(outcome.changes)} file(s) (dry run, nothing written){merged}",
                   err=True)
        return
    for file, (_, new) in outcome.changes.items():
        write_text(file, new)
    click.echo(f"applied {len(outcome.edits)} edit(s) to {len(outcome.changes)} file(s){merged}", err=True)


@cli.group("import")
def import_():
    """Adopt what designers already have: a proposal in Markdown, a catalog in a table."""


def _write_imported(out: Path, specs: dict, overwrite: bool) -> int:
    from trackdesign.importers import plan_writes, write_all

    writes, clashes = plan_writes(out, specs, overwrite)
    for path in clashes:
        click.echo(f"{path}: exists with other content", err=True)
    if clashes:
        raise InputProblem(f"{len(clashes)} file(s) would be overwritten; nothing was written (--overwrite to replace)")
    write_all(writes)
    return len(writes)


@import_.command("markdown")
@click.argument("proposal", type=click.Path(path_type=Path, exists=True, dir_okay=False))
@click.option("-o", "--output", "out", type=click.Path(path_type=Path), default="specs", show_default=True,
              help="The specs folder to write into.")
@click.option("--overwrite", is_flag=True, help="Replace spec files that exist with other content.")
def import_markdown(proposal, out, overwrite):
    """Read a track proposal written like the seed (course sections, notes, objectives, prerequisites)."""
    from trackdesign.importers.markdown import parse, to_specs

    try:
        doc = parse(proposal.read_text(encoding="utf-8"))
    except UnicodeDecodeError as exc:
        raise InputProblem(f"{proposal}: not UTF-8 text ({exc.reason})") from None
    if not doc.courses:
        raise InputProblem(f"{proposal}:1: no course sections found (expected headings like '## 1 - [Title](url)')")
    track_id, track, courses = to_specs(doc)
    written = _write_imported(out, {"tracks": {track_id: track}, "courses": courses}, overwrite)
    for line, text in doc.unplaced:
        click.echo(f"{proposal}:{line}: not placed: {text}", err=True)
    click.echo(f"track {track_id!r}: {len(doc.courses)} courses, {len(courses)} course specs;"
               f" {written} file(s) written to {out}" + (f"; {len(doc.unplaced)} line(s) not placed"
                                                          if doc.unplaced else ""), err=True)


@import_.command("table")
@click.argument("table", type=click.Path(path_type=Path, exists=True, dir_okay=False))
@click.option("-o", "--output", "out", type=click.Path(path_type=Path), default="specs", show_default=True,
              help="The specs folder to write into.")
@click.option("--id", "id_col", default="id", show_default=True, help="Column with the course id or code.")
@click.option("--title", "title_col", default="title", show_default=True)
@click.option("--description", "description_col", default="description", show_default=True)
@click.option("--url", "url_col", default="url", show_default=True)
@click.option("--url-template", default=None, help="Build the URL from columns, e.g. 'https://x.edu/{dept}#{anchor}'.")
@click.option("--prerequisites", "prereq_col", default="prerequisites", show_default=True,
              help="Column with a list, an expression ('A and (B or C)') or an all/any tree.")
@click.option("--overwrite", is_flag=True, help="Replace spec files that exist with other content.")
def import_table(table, out, id_col, title_col, description_col, url_col, url_template, prereq_col, overwrite):
    """Read a catalog kept as CSV, xlsx or JSON lines into course specs, one per row."""
    from trackdesign.importers.table import TableError, import_rows

    mapping = {"id": id_col, "title": title_col, "description": description_col, "url": url_col,
               "prerequisites": prereq_col}
    try:
        result = import_rows(table, mapping, url_template)
    except TableError as exc:
        raise InputProblem(str(exc)) from None
    for number, message in result.problems:
        click.echo(f"{table}:{number}: skipped: {message}", err=True)
    written = _write_imported(out, {"courses": result.courses}, overwrite)
    (out / "tracks").mkdir(parents=True, exist_ok=True)
    click.echo(f"{len(result.courses)} course(s) read, {written} file(s) written to {out}"
               + (f"; {len(result.problems)} row(s) skipped" if result.problems else ""), err=True)
    if result.problems:
        sys.exit(EXIT_FINDINGS)


def _catalog_for(track, whole, specs):
    """Catalog and config for a command taking TRACK or --catalog, checked for both."""
    if bool(track) == bool(whole):
        raise InputProblem("give a TRACK id or --catalog (not both)")
    catalog, config = _loaded(specs)
    if track and track not in catalog.tracks:
        raise InputProblem(_unknown("track", track, catalog.tracks))
    return catalog, config


def _unknown(kind: str, given: str, known) -> str:
    import difflib

    close = difflib.get_close_matches(given, list(known), n=1)
    return f"unknown {kind} {given!r}" + (f"; did you mean {close[0]!r}?" if close else "")


def main():
    """The console entry point.

    Leaves through os._exit once output is flushed: the interpreter's teardown would free every
    object of a loaded catalog one by one (0.3 s at 10,000 courses, a tenth of a lint) in a
    process about to end anyway. Every file a command writes is closed (and renamed) by then.
    """
    from trackdesign import gcpause

    gcpause.freeze_on_resume = True  # nothing outlives this process: see gcpause.paused
    try:
        cli.main(prog_name="trackdesign", standalone_mode=True)
        code = 0
    except SystemExit as exc:
        code = exc.code if isinstance(exc.code, int) else (0 if exc.code is None else 1)
        if isinstance(exc.code, str):
            print(exc.code, file=sys.stderr)
    except KeyboardInterrupt:  # pragma: no cover - interactive only
        click.echo("interrupted", err=True)
        code = 130
    except BrokenPipeError:  # pragma: no cover - `trackdesign ... | head`
        code = 0
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.flush()
        except (BrokenPipeError, ValueError, OSError):
            pass  # the reader left (`| head`) or the stream is closed: nothing more to say
    os._exit(code)
