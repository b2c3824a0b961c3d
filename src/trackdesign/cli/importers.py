"""`import markdown`, `import table`, `import curricular-analytics` and `export curricular-analytics`:
adopt what designers already have, and hand a track back to the tools they use."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from trackdesign.cli.common import (EXIT_FINDINGS, InputProblem, choose_format, emit, find_specs, known, loaded,
                                    quiet_option, say, single_output_option, specs_option)


def _destination(function):
    """`--specs DIR`, the folder to write into; -o is its older spelling."""
    function = click.option("-o", "--output", "legacy_out", type=click.Path(path_type=Path), default=None,
                            hidden=True)(function)
    return specs_option(help_text="The specs folder to write into [default: the one found from here, else"
                                  " ./specs].")(function)


def _folder(specs: Path | None, legacy_out: Path | None) -> Path:
    return specs or legacy_out or find_specs(Path.cwd()) or Path("specs")


def _write_imported(source: Path, out: Path, imported, overwrite: bool, dry_run: bool, quiet: bool) -> None:
    """Merge `imported` into the specs in OUT, print the import report, say what was (or would be) written."""
    from trackdesign.importers import plan_writes, write_all

    plan = plan_writes(out, imported, overwrite)
    for line in imported.report.lines(str(source)) + plan.changes():
        click.echo(line, err=True)
    if not dry_run:
        try:
            write_all(plan.writes)
        except OSError as exc:
            raise InputProblem(f"{exc.filename or out}: cannot write: {exc.strerror or exc}") from None
    say(quiet, plan.summary() + (" (dry run, nothing written)" if dry_run else f" in {out}"))
    if not imported.report.faithful:
        click.echo("the specs do not say all the document says: see the entries marked 'not placed' and 'conflict'",
                   err=True)
        sys.exit(EXIT_FINDINGS)


@click.group("import")
def import_():
    """Adopt what designers already have: a proposal in Markdown, a catalog in a table."""


def _merge_options(function):
    function = click.option("--dry-run", is_flag=True, help="Report what would be written and write nothing.")(function)
    return click.option("--overwrite", is_flag=True,
                        help="Where an existing spec disagrees with the import, take the imported value.")(function)


@import_.command("markdown")
@click.argument("proposal", type=click.Path(path_type=Path, exists=True, dir_okay=False))
@_destination
@click.option("--as", "shape", type=click.Choice(["proposal", "tracks"]), default=None,
              help="Read the file as a proposal or as a track list [default: from its shape].")
@_merge_options
@quiet_option
def import_markdown(proposal, specs, legacy_out, shape, overwrite, dry_run, quiet):
    """Read a track proposal written by hand, or a track list (a section or <details> block
    per track, its courses as a list or a table).

    Specs already in the folder are reused: they gain the fields they lack, and each field that
    disagrees is reported. Exit 1 when the specs cannot say all the document says (see the report).
    """
    from trackdesign.importers import NothingToImport, UnreadableText, read_markdown, read_text

    out = _folder(specs, legacy_out)
    try:
        imported = read_markdown(read_text(proposal), shape)
    except UnreadableText as exc:
        raise InputProblem(str(exc)) from None
    except OSError as exc:
        raise InputProblem(f"{proposal}: cannot read: {exc.strerror or exc}") from None
    except NothingToImport as exc:
        raise InputProblem(f"{proposal}:1: {exc}") from None
    _write_imported(proposal, out, imported, overwrite, dry_run, quiet)


@import_.command("table")
@click.argument("table", type=click.Path(path_type=Path, exists=True, dir_okay=False))
@_destination
@click.option("--id", "id_col", default="id", show_default=True, help="Column with the course id or code.")
@click.option("--title", "title_col", default="title", show_default=True)
@click.option("--description", "description_col", default="description", show_default=True)
@click.option("--url", "url_col", default="url", show_default=True)
@click.option("--url-template", default=None, help="Build the URL from columns, e.g. 'https://x.edu/{dept}#{anchor}'.")
@click.option("--prerequisites", "prereq_col", default="prerequisites", show_default=True,
              help="Column with a list, an expression ('A and (B or C)'; '(may be taken concurrently)' or a $"
                   " marks a corequisite) or an all/any tree.")
@click.option("--corequisites", "coreq_col", default="corequisites", show_default=True,
              help="Column with the corequisites, in the same forms.")
@click.option("--hours", "hours_col", default="hours", show_default=True, help="Column with hours (4, 4h, 90 min).")
@click.option("--tags", "tags_col", default="tags", show_default=True, help="Column with tags (; or , between).")
@click.option("--status", "status_col", default="status", show_default=True,
              help="Column with the status (live, proposed, in development, retired, external, new).")
@click.option("--chapters", "chapters_col", default="chapters", show_default=True,
              help="Column with chapter titles (; between).")
@click.option("--track", "track_col", default="track", show_default=True,
              help="Column with the title of the track the row's course belongs to (writes track files).")
@click.option("--order", "order_col", default="order", show_default=True,
              help="Column with the course's position in its track.")
@_merge_options
@quiet_option
def import_table(table, specs, legacy_out, id_col, title_col, description_col, url_col, url_template, prereq_col,
                 coreq_col, hours_col, tags_col, status_col, chapters_col, track_col, order_col, overwrite, dry_run,
                 quiet):
    """Read a catalog kept as CSV, xlsx or JSON lines into course specs, one per row.

    A column not named by an option is still read when its header says what it holds (Hours,
    Duration, Tags, Topics...); every column nothing reads is reported. With a track column, each
    track gets a file listing its courses in the order column's order.
    """
    from trackdesign.importers.table import TableError, import_rows

    out = _folder(specs, legacy_out)
    mapping = {"id": id_col, "title": title_col, "description": description_col, "url": url_col,
               "prerequisites": prereq_col, "corequisites": coreq_col, "hours": hours_col, "tags": tags_col,
               "status": status_col, "chapters": chapters_col, "track": track_col, "order": order_col}
    try:
        imported = import_rows(table, mapping, url_template)
    except TableError as exc:
        raise InputProblem(str(exc)) from None
    say(quiet, f"{len(imported.courses)} course(s) and {len(imported.tracks)} track(s) read")
    _write_imported(table, out, imported, overwrite, dry_run, quiet)


@import_.command("curricular-analytics")
@click.argument("csv_file", metavar="FILE", type=click.Path(path_type=Path, exists=True, dir_okay=False))
@_destination
@_merge_options
@quiet_option
def import_curricular_analytics(csv_file, specs, legacy_out, overwrite, dry_run, quiet):
    """Read a CurricularAnalytics curriculum or degree plan (CSV) into course specs and a track;
    a degree plan's terms become the track's stages."""
    from trackdesign.importers.curricular_analytics import FormatError, read

    out = _folder(specs, legacy_out)
    try:
        imported = read(csv_file)
    except FormatError as exc:
        raise InputProblem(str(exc)) from None
    say(quiet, f"{len(imported.courses)} course(s) and {len(imported.tracks)} track(s) read")
    _write_imported(csv_file, out, imported, overwrite, dry_run, quiet)


@click.group("export")
def export():
    """Write a track in another tool's format."""


@export.command("curricular-analytics")
@click.argument("track")
@specs_option
@single_output_option(".csv")
@click.option("--plan/--curriculum", "plan", default=None,
              help="Write a degree plan (stages as terms) or a curriculum [default: a plan when the track's"
                   " `degree` names one].")
@click.option("--lossy", is_flag=True, help="Write the file even if some requirements cannot be said in it"
                                            " (they are listed on standard error).")
@quiet_option
def export_curricular_analytics(track, specs, output, plan, lossy, quiet):
    """Write TRACK as a CurricularAnalytics CSV: its courses with their prerequisites, corequisites,
    strict corequisites, credit hours and institution."""
    from trackdesign.importers.curricular_analytics import FormatError, write

    choose_format(None, output, ("csv",))
    catalog, _ = loaded(specs)
    known(catalog.tracks, "track", track)
    try:
        text, problems = write(catalog, track, plan)
    except FormatError as exc:
        raise InputProblem(str(exc)) from None
    for problem in problems:
        click.echo(f"{'left out' if lossy else 'cannot write'}: {problem}", err=True)
    if problems and not lossy:
        raise InputProblem(f"{len(problems)} thing(s) the format cannot hold; nothing was written"
                           " (--lossy writes the file without them)")
    emit(text, output, quiet)
