"""`init` and `new course|track`: start a specs folder, or a spec in one, from commented templates."""

from __future__ import annotations

from pathlib import Path

import click

from trackdesign.cli.common import InputProblem, quiet_option, say, specs_folder, specs_option


@click.command()
@specs_option(help_text="The folder to start [default: specs/ in the working directory].")
@quiet_option
def init(specs, quiet):
    """Start a specs folder (./specs, or --specs DIR) with a commented config, example course and track.

    Refuses to overwrite anything; `trackdesign lint` on the new folder is clean.
    """
    from trackdesign.spec.scaffold import ScaffoldError, init as scaffold

    folder = specs or Path("specs")
    try:
        written = scaffold(folder)
    except ScaffoldError as exc:
        raise InputProblem(str(exc)) from None
    for path in written:
        say(quiet, f"wrote {path}")
    say(quiet, f"next: edit them, add your own with `trackdesign new course ID`, and run `trackdesign lint"
               f" --specs {folder}`")


@click.group()
def new():
    """Write a new course or track spec from a commented template (never over an existing one)."""


@new.command("course")
@click.argument("course_id", metavar="ID")
@click.option("--title", default=None, help="The course's title [default: from the id].")
@specs_option
@quiet_option
def new_course(course_id, title, specs, quiet):
    """Write courses/ID.yaml; `trackdesign lint` then names what is left to fill."""
    from trackdesign.spec.scaffold import ScaffoldError, new_course as scaffold

    try:
        path = scaffold(specs_folder(specs), course_id, title)
    except ScaffoldError as exc:
        raise InputProblem(str(exc)) from None
    say(quiet, f"wrote {path}")


@new.command("track")
@click.argument("track_id", metavar="ID")
@click.argument("courses", nargs=-1, required=True, metavar="COURSE...")
@click.option("--title", default=None, help="The track's title [default: from the id].")
@specs_option
@quiet_option
def new_track(track_id, courses, title, specs, quiet):
    """Write tracks/ID.yaml listing COURSE... (course ids) in order."""
    from trackdesign.spec.scaffold import ScaffoldError, new_track as scaffold

    try:
        path = scaffold(specs_folder(specs), track_id, list(courses), title)
    except ScaffoldError as exc:
        raise InputProblem(str(exc)) from None
    say(quiet, f"wrote {path}")
