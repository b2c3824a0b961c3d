"""`sheet export` and `sheet import`: review workbooks for people who never touch YAML."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from trackdesign.cli.common import (EXIT_FINDINGS, InputProblem, choose_format, lint_cache, loaded, no_cache_option,
                                    quiet_option, say, specs_option, to_stdout, track_or_catalog,
                                    write_output)


@click.group()
def sheet():
    """Review workbooks: export a track to xlsx for reviewers, import their edits back into the specs."""


@sheet.command("export")
@click.argument("track")
@specs_option
@click.option("-o", "--output", type=click.Path(path_type=Path, dir_okay=False), required=True,
              help="The .xlsx file to write.")
@no_cache_option
@quiet_option
def sheet_export(track, specs, output, no_cache, quiet):
    """Write TRACK's review workbook: overview, courses, objectives, findings, overlap."""
    from trackdesign.sheets.export import UnfitCell, workbook_bytes

    choose_format(None, output, ("xlsx",))
    catalog, config = track_or_catalog(track, False, specs)
    try:
        data, counts = workbook_bytes(catalog, config, track, lint_cache(catalog.root, no_cache))
    except UnfitCell as exc:
        raise InputProblem(str(exc)) from None
    write_output(output, data)
    where = "the workbook to standard output" if to_stdout(output) else output
    say(quiet, f"wrote {where}: {counts['courses']} courses, {counts['objectives']} objectives,"
               f" {counts['findings']} findings, {counts['overlaps']} overlapping pairs")


@sheet.command("import")
@click.argument("workbook", type=click.Path(path_type=Path, exists=True, dir_okay=False))
@specs_option
@click.option("--dry-run", is_flag=True, help="Show the diff and write nothing.")
@quiet_option
def sheet_import(workbook, specs, dry_run, quiet):
    """Apply a reviewer's edits in WORKBOOK to the specs, showing the diff first.

    Rows added to Courses or Objectives are proposals: a new course (status proposed, placed in the
    track at its #) or a new objective of its course. Refuses (exit 1) when a cell the reviewer
    changed was also changed in the spec since export, and (exit 2) when the workbook has renamed
    columns, deleted rows, wrong types, formulas or unknown sheets; in both cases nothing is written.
    """
    from trackdesign.sheets.importer import WorkbookError, apply, diff, plan_import, read_workbook

    catalog, _ = loaded(specs)
    try:
        book = read_workbook(workbook)
        try:
            outcome = plan_import(catalog, book)
        finally:
            book.close()
    except WorkbookError as exc:
        raise InputProblem(str(exc)) from None
    _each_shown(workbook, outcome.problems, "")
    if outcome.problems:
        raise InputProblem(f"{len(outcome.problems)} problem(s) in the workbook; nothing was written")
    _each_shown(workbook, outcome.conflicts, "conflict: ")
    if outcome.conflicts:
        click.echo(f"{len(outcome.conflicts)} conflicting cell(s); nothing was written. Export a fresh workbook,"
                   " or settle these cells in the specs first.", err=True)
        sys.exit(EXIT_FINDINGS)
    click.echo(diff(outcome, catalog.root), nl=False)
    merged = f"; merged with changes made to {len(outcome.changed_since)} file(s) since export" \
        if outcome.changed_since else ""
    added = f" and {len(outcome.additions)} added row(s)" if outcome.additions else ""
    done = f"{len(outcome.edits)} edit(s){added}"
    if dry_run:
        say(quiet, f"{done} to {len(outcome.changes)} file(s) (dry run, nothing written){merged}")
        return
    try:
        apply(outcome)
    except OSError as exc:
        raise InputProblem(f"{exc.filename or 'a spec file'}: cannot write: {exc.strerror or exc}") from None
    say(quiet, f"applied {done} to {len(outcome.changes)} file(s){merged}")


#: Problems or conflicts printed one per line; the rest are counted (a sheet of a million bad rows).
SHOWN = 50


def _each_shown(workbook, items, label: str) -> None:
    for place, message in items[:SHOWN]:
        click.echo(f"{workbook}: {place}: {label}{message}", err=True)
    if len(items) > SHOWN:
        click.echo(f"{workbook}: ... and {len(items) - SHOWN} more", err=True)
