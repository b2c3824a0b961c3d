"""`report`, `build`, `graph` and `plan`: the documents written from the specs."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from trackdesign.cli.common import (EXIT_FINDINGS, InputProblem, choose_format, emit, format_option, known, lint_cache,
                                    loaded, no_cache_option, output_option, quiet_option, say, specs_folder,
                                    specs_option, track_or_catalog)

DOCUMENT_FORMATS = ("md", "html")


@click.group()
def report():
    """Write one document: a track proposal, its task analysis, a course outline, or a comparison.

    Links to other documents assume the layout `trackdesign build` writes.
    """


def _report_options(function):
    for decorate in (quiet_option, output_option, format_option(DOCUMENT_FORMATS), specs_option):
        function = decorate(function)
    return function


def _render(data, fmt, output, quiet):
    from trackdesign.documents.render import render

    emit(render(data, choose_format(fmt, output, DOCUMENT_FORMATS)), output, quiet)


@report.command("proposal")
@click.argument("track")
@_report_options
def report_proposal(track, specs, fmt, output, quiet):
    """The track proposal of TRACK: its courses in order with notes, descriptions, objectives, prerequisites."""
    from trackdesign.documents.prepare import proposal

    catalog, _ = track_or_catalog(track, False, specs)
    _render(proposal(catalog, track), fmt, output, quiet)


@report.command("task-analysis")
@click.argument("track")
@_report_options
@no_cache_option
def report_task_analysis(track, specs, fmt, output, quiet, no_cache):
    """The task analysis of TRACK: specifications, portfolio, map, coverage, overlap, lint findings."""
    from trackdesign.documents.prepare import task_analysis
    from trackdesign.lint.engine import lint as run_lint

    catalog, config = track_or_catalog(track, False, specs)
    findings = run_lint(catalog, config, network=False, cache=lint_cache(catalog.root, no_cache)).findings
    _render(task_analysis(catalog, config, track, findings), fmt, output, quiet)


@report.command("compare")
@click.argument("tracks", nargs=-1, required=True)
@_report_options
def report_compare(tracks, specs, fmt, output, quiet):
    """TRACKS side by side: focus, duration, instructor, prerequisites, audience; shared courses,
    overlap between their courses, and whether one track meets another's entry requirements."""
    from trackdesign.documents.compare import compare

    if len(tracks) < 2:
        raise InputProblem("give at least two TRACK ids to compare")
    if len(set(tracks)) != len(tracks):
        raise InputProblem("each TRACK may be given once")
    catalog, config = loaded(specs)
    for track in tracks:
        known(catalog.tracks, "track", track)
    _render(compare(catalog, config, list(tracks)), fmt, output, quiet)


@report.command("outline")
@click.argument("course")
@_report_options
def report_outline(course, specs, fmt, output, quiet):
    """The outline of COURSE: chapters, numbered lessons, their objectives, notes and references."""
    from trackdesign.documents.prepare import outline

    catalog, _ = loaded(specs)
    known(catalog.courses, "course", course)
    _render(outline(catalog, course), fmt, output, quiet)


PLAN_FORMATS = ("md", "csv", "ics")


@click.command()
@click.argument("track")
@specs_option
@click.option("--hours-per-week", type=click.FloatRange(0.1, 168), required=True,
              help="How many hours a week the learner studies (0.1 to 168).")
@click.option("--start", type=click.DateTime(formats=["%Y-%m-%d"]), default=None,
              help="First day of study, YYYY-MM-DD [default: next Monday].")
@click.option("--default-hours", type=click.FloatRange(0.1, 10_000), default=4.0, show_default=True,
              help="Hours assumed for a course whose spec has no `hours` (said so in the plan).")
@format_option(PLAN_FORMATS, "Markdown schedule, CSV rows (week, course, hours), or an iCalendar file"
                             " [default: from -o's extension, else md].")
@output_option
@quiet_option
def plan(track, specs, hours_per_week, start, default_hours, fmt, output, quiet):
    """A study schedule for TRACK by week and month, prerequisites first, at HOURS-PER-WEEK."""
    import datetime as dt

    from trackdesign.analysis.schedule import PlanError, make_plan, next_monday
    from trackdesign.documents.plans import plan_data, to_csv, to_ics
    from trackdesign.documents.render import render

    fmt = choose_format(fmt, output, PLAN_FORMATS)
    catalog, _ = track_or_catalog(track, False, specs)
    first = start.date() if start else next_monday(dt.date.today())
    try:
        schedule = make_plan(catalog, track, hours_per_week, first, default_hours)
    except PlanError as exc:
        raise InputProblem(str(exc)) from None
    if schedule.assumed and fmt != "md":
        say(quiet, f"note: {len(schedule.assumed)} course(s) have no `hours`; assumed {default_hours:g} each"
                   " (--default-hours)")
    if fmt == "csv":
        text = to_csv(schedule)
    elif fmt == "ics":
        text = to_ics(schedule, dt.datetime.now(dt.timezone.utc).replace(microsecond=0))
    else:
        text = render(plan_data(schedule), "md")
    emit(text, output, quiet)


GRAPH_FORMATS = ("mermaid", "dot", "svg")


@click.command()
@click.argument("track")
@specs_option
@format_option(GRAPH_FORMATS)
@output_option
@quiet_option
def graph(track, specs, fmt, output, quiet):
    """Print the prerequisite map of TRACK: its courses, entry requirements, redundant edges dashed."""
    from trackdesign.documents.maps import build_map, to_dot, to_mermaid, to_svg

    fmt = choose_format(fmt, output, GRAPH_FORMATS)
    catalog, _ = track_or_catalog(track, False, specs)
    pmap = build_map(catalog, track)
    emit({"mermaid": to_mermaid, "dot": to_dot, "svg": to_svg}[fmt](pmap), output, quiet)


@click.command()
@click.argument("legacy_specs", metavar="[SPECS]", required=False, type=click.Path(path_type=Path))
@specs_option
@click.option("-d", "--out-dir", type=click.Path(path_type=Path, file_okay=False), default=None,
              help="The folder to write into [default: reports/ beside the specs folder].")
@click.option("-o", "--output", "legacy_out", type=click.Path(path_type=Path), default=None, hidden=True)
@click.option("--format", "fmts", type=click.Choice(DOCUMENT_FORMATS), multiple=True,
              help="Only these formats (repeatable) [default: md and html].")
@click.option("--check", is_flag=True, help="Write nothing; exit 1 if the folder is not up to date with the specs.")
@no_cache_option
@quiet_option
def build(legacy_specs, specs, out_dir, legacy_out, fmts, check, no_cache, quiet):
    """Write every document (proposals, task analyses, outlines, comparisons, index) as Markdown and HTML.

    Comparisons are those the tracks ask for with `compare_with`. SPECS is the older spelling of
    --specs, and -o of --out-dir.
    """
    from trackdesign.documents.build import build as run_build
    from trackdesign.documents.build import count, out_of_date
    from trackdesign.documents.render import FORMATS
    from trackdesign.progress import terminal_progress
    from trackdesign.spec.files import project_folder

    folder = specs_folder(specs or legacy_specs)
    out = out_dir or legacy_out or project_folder(folder) / "reports"
    catalog, config = loaded(folder)
    bar = terminal_progress(count(catalog), "Writing documents") if not quiet and sys.stderr.isatty() else None
    run = out_of_date if check else run_build
    try:
        result = run(catalog, config, out, fmts or FORMATS, progress=bar and bar.update, cache=lint_cache(folder, no_cache))
    except OSError as exc:
        raise InputProblem(f"{out}: cannot write: {exc.strerror or exc}") from None
    finally:
        if bar:
            bar.close()
    if check:  # the names of the documents out of date
        if result:
            for name in result:
                click.echo(f"out of date: {out / name}", err=True)
            click.echo(f"{len(result)} document(s) differ from the specs; run `trackdesign build -d {out}`", err=True)
            sys.exit(EXIT_FINDINGS)
        say(quiet, f"{out} is up to date")
        return
    for kept in result.kept:
        click.echo(f"kept {kept}: its document is gone, but the file was edited since the build wrote it", err=True)
    say(quiet, f"{result.documents} document(s), {result.rendered} rendered and {result.documents - result.rendered}"
               f" unchanged: {len(result.written)} file(s) written, {len(result.removed)} removed, in {out}")
