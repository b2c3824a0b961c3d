"""`import markdown` and `import table`: adopt what designers already have."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from trackdesign.cli.common import EXIT_FINDINGS, InputProblem, find_specs, quiet_option, say


def _destination(function):
    """`--specs DIR`, the folder to write into; -o is its older spelling."""
    function = click.option("-o", "--output", "legacy_out", type=click.Path(path_type=Path), default=None,
                            hidden=True)(function)
    return click.option("--specs", "specs", type=click.Path(path_type=Path, file_okay=False), default=None,
                        help="The specs folder to write into [default: the one found from here, else ./specs].")(function)


def _folder(specs: Path | None, legacy_out: Path | None) -> Path:
    return specs or legacy_out or find_specs(Path.cwd()) or Path("specs")


def _write_imported(out: Path, specs: dict, overwrite: bool) -> int:
    from trackdesign.importers import plan_writes, write_all

    writes, clashes = plan_writes(out, specs, overwrite)
    for path in clashes:
        click.echo(f"{path}: exists with other content", err=True)
    if clashes:
        raise InputProblem(f"{len(clashes)} file(s) would be overwritten; nothing was written (--overwrite to replace)")
    try:
        write_all(writes)
    except OSError as exc:
        raise InputProblem(f"{out}: cannot write: {exc.strerror or exc}") from None
    return len(writes)


@click.group("import")
def import_():
    """Adopt what designers already have: a proposal in Markdown, a catalog in a table."""


@import_.command("markdown")
@click.argument("proposal", type=click.Path(path_type=Path, exists=True, dir_okay=False))
@_destination
@click.option("--overwrite", is_flag=True, help="Replace spec files that exist with other content.")
@quiet_option
def import_markdown(proposal, specs, legacy_out, overwrite, quiet):
    """Read a track proposal in Markdown (course sections, notes, objectives, prerequisites) into specs."""
    from trackdesign.importers.markdown import parse, to_specs

    out = _folder(specs, legacy_out)
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
    say(quiet, f"track {track_id!r}: {len(doc.courses)} courses, {len(courses)} course specs;"
               f" {written} file(s) written to {out}" + (f"; {len(doc.unplaced)} line(s) not placed"
                                                          if doc.unplaced else ""))


@import_.command("table")
@click.argument("table", type=click.Path(path_type=Path, exists=True, dir_okay=False))
@_destination
@click.option("--id", "id_col", default="id", show_default=True, help="Column with the course id or code.")
@click.option("--title", "title_col", default="title", show_default=True)
@click.option("--description", "description_col", default="description", show_default=True)
@click.option("--url", "url_col", default="url", show_default=True)
@click.option("--url-template", default=None, help="Build the URL from columns, e.g. 'https://x.edu/{dept}#{anchor}'.")
@click.option("--prerequisites", "prereq_col", default="prerequisites", show_default=True,
              help="Column with a list, an expression ('A and (B or C)') or an all/any tree.")
@click.option("--overwrite", is_flag=True, help="Replace spec files that exist with other content.")
@quiet_option
def import_table(table, specs, legacy_out, id_col, title_col, description_col, url_col, url_template, prereq_col,
                 overwrite, quiet):
    """Read a catalog kept as CSV, xlsx or JSON lines into course specs, one per row."""
    from trackdesign.importers.table import TableError, import_rows

    out = _folder(specs, legacy_out)
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
    say(quiet, f"{len(result.courses)} course(s) read, {written} file(s) written to {out}"
               + (f"; {len(result.problems)} row(s) skipped" if result.problems else ""))
    if result.problems:
        sys.exit(EXIT_FINDINGS)
