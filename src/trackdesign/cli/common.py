"""What every command shares: exit codes, input problems, the shared options, finding the specs
folder, loading it, and writing an output file whose extension names its format."""

from __future__ import annotations

import difflib
from pathlib import Path

import click

EXIT_CLEAN, EXIT_FINDINGS, EXIT_INPUT, EXIT_INTERNAL = 0, 1, 2, 3

#: What an output file's extension says about its format.
EXTENSIONS = {
    ".md": "md", ".markdown": "md", ".html": "html", ".htm": "html", ".json": "json", ".sarif": "sarif",
    ".csv": "csv", ".ics": "ics", ".svg": "svg", ".dot": "dot", ".gv": "dot", ".mmd": "mermaid",
    ".xlsx": "xlsx", ".txt": "text",
}


class InputProblem(click.ClickException):
    """Bad input from the user: message on stderr, exit 2, no traceback."""

    exit_code = EXIT_INPUT

    def show(self, file=None):
        click.echo(f"trackdesign: {self.format_message()}", err=True)


def say(ctx_quiet: bool, message: str) -> None:
    """A summary line on standard error, unless -q."""
    if not ctx_quiet:
        click.echo(message, err=True)


# --- shared options --------------------------------------------------------------------------

def specs_option(function=None, *, help_text: str = "The specs folder [default: the nearest folder with courses/"
                 " or tracks/ (or a specs/ folder holding them), from here upwards]."):
    """`--specs DIR`, the same on every command; a command that makes the folder says its own default."""
    option = click.option("--specs", "specs", type=click.Path(path_type=Path, file_okay=False), default=None,
                          help=help_text)
    return option(function) if function else option


def output_option(function):
    return click.option("-o", "--output", type=click.Path(path_type=Path, dir_okay=False), default=None,
                        help="Write to this file instead of standard output (- for standard output); its"
                             " extension picks the format unless --format says otherwise.")(function)


def single_output_option(suffix: str):
    """`-o FILE` for a command that writes one format: FILE names it (`suffix`) or has no extension."""
    return click.option("-o", "--output", type=click.Path(path_type=Path, dir_okay=False), default=None,
                        help=f"Write to this file ({suffix}) instead of standard output (- for standard output).")


def format_option(choices, help_text="Output format [default: from -o's extension, else the first]."):
    return click.option("--format", "fmt", type=click.Choice(list(choices)), default=None, help=help_text)


def quiet_option(function):
    return click.option("-q", "--quiet", is_flag=True, help="Print no summary or progress on standard error.")(function)


def fail_on_option(function):
    return click.option("--fail-on", type=click.Choice(["info", "warning", "error"]), default=None,
                        help="Lowest severity that makes the exit status 1 [default: config, else warning].")(function)


def no_cache_option(function):
    return click.option("--no-cache", is_flag=True,
                        help="Run every rule even if nothing changed since the last lint.")(function)


def choose_format(fmt: str | None, output: Path | None, choices) -> str:
    """The format a command writes: `--format`, else what -o's extension says, else the first
    choice. A contradiction, or an extension naming a format the command cannot write, is a
    usage error rather than a file whose content belies its name."""
    suffix = output.suffix.lower() if output is not None else ""
    implied = EXTENSIONS.get(suffix)
    if suffix and implied is None and fmt is None:
        written = sorted(ext for ext, name in EXTENSIONS.items() if name in choices)
        raise InputProblem(f"-o {output}: {suffix} is no format this command writes; name the file"
                           f" {' or '.join(written)}" + (", or say which with --format" if len(choices) > 1 else ""))
    if implied is not None and implied not in choices:
        raise InputProblem(f"-o {output}: this command cannot write {implied}; it writes {', '.join(choices)}")
    if fmt is not None and implied is not None and fmt != implied:
        raise InputProblem(f"--format {fmt} contradicts -o {output} (a {output.suffix} file holds {implied})")
    return fmt or implied or choices[0]


# --- the specs folder --------------------------------------------------------------------------

def is_specs_folder(folder: Path) -> bool:
    return (folder / "courses").is_dir() or (folder / "tracks").is_dir()


def find_specs(start: Path) -> Path | None:
    """The specs folder for `start`: the nearest folder at or above it that holds courses/ or
    tracks/, or that holds a specs/ folder which does (as git finds .git)."""
    start = start.resolve()
    for folder in (start, *start.parents):
        if is_specs_folder(folder):
            return folder
        if is_specs_folder(folder / "specs"):
            return folder / "specs"
    return None


def specs_folder(given: Path | None) -> Path:
    """The folder named by --specs, else the one found from the working directory."""
    if given is not None:
        return given
    found = find_specs(Path.cwd())
    if found is None:
        raise InputProblem("no specs folder here or above (a folder with courses/ or tracks/); give --specs DIR"
                           " or start one with `trackdesign init`")
    return _shown(found)


def _shown(folder: Path) -> Path:
    """A found folder as the user would write it: relative to the working directory when inside it."""
    try:
        return folder.relative_to(Path.cwd().resolve()) if folder != Path.cwd().resolve() else Path(".")
    except ValueError:
        return folder


# --- loading ------------------------------------------------------------------------------------

def load(specs: Path | None):
    """(specs folder, catalog, config), or an InputProblem saying what is wrong."""
    from trackdesign.lint.config import ConfigError, find_config, load_config
    from trackdesign.spec.files import SpecsNotFound, display_path, project_folder
    from trackdesign.spec.loader import load_catalog

    folder = specs_folder(specs)
    try:
        path = find_config(folder)
        config = load_config(path, display_path(path) if path else None)
        catalog = load_catalog(folder)
    except (SpecsNotFound, ConfigError) as exc:
        raise InputProblem(str(exc)) from None
    config.links.cache = str(project_folder(folder) / config.links.cache)  # an absolute path stays as it is
    return folder, catalog, config


def lint_cache(folder: Path, no_cache: bool = False) -> Path | None:
    """Where the lint cache of the specs `folder` lives, or None with --no-cache."""
    from trackdesign.lint.cache import directory

    return None if no_cache else directory(folder)


def loaded(specs: Path | None):
    """(catalog, config) of a command that needs every spec to load (the lint reports why not)."""
    folder, catalog, config = load(specs)
    if catalog.problems:
        shown = "\n".join(f"  {problem}" for problem in _placed(catalog.problems[:SHOWN_PROBLEMS]))
        more = len(catalog.problems) - SHOWN_PROBLEMS
        raise InputProblem(f"{len(catalog.problems)} problem(s) in spec files that do not load:\n{shown}"
                           + (f"\n  ... and {more} more: `trackdesign lint --specs {folder}` lists them" if more > 0
                              else ""))
    _warn_unknown_courses(catalog)
    return catalog, config


def _warn_unknown_courses(catalog) -> None:
    """A warning on standard error for each course a track names that has no spec: documents and
    plans leave it out (lint reports it as SP04)."""
    unknown = [(spec, path, cid) for spec, path, _, cid in catalog.unresolved() if path[0] in ("courses", "stages")]
    for spec, path, cid in unknown[:SHOWN_PROBLEMS]:
        line, column = spec.position(path)
        close = catalog.close_id("course", cid)
        click.echo(f"{spec.display}:{line}:{column}: warning: track {spec.id!r} names {cid!r}, which has no spec"
                   + (f"; did you mean {close!r}?" if close else ""), err=True)
    if len(unknown) > SHOWN_PROBLEMS:
        click.echo(f"... and {len(unknown) - SHOWN_PROBLEMS} more: `trackdesign lint` lists them (SP04)", err=True)


#: Problems a command other than lint prints when specs do not load (lint lists every one).
SHOWN_PROBLEMS = 10


def _placed(problems) -> list[str]:
    """Each problem found while loading as file:line:column: CODE message, as lint shows it."""
    from trackdesign.lint.registry import reporters

    reporting = reporters()
    return [f"{p.file}:{p.line}:{p.column}: {reporting[p.kind].code} {p.message}" for p in problems]


def track_or_catalog(track: str | None, whole: bool, specs: Path | None):
    """Catalog and config for a command taking TRACK or --catalog, checked for both."""
    if bool(track) == bool(whole):
        raise InputProblem("give a TRACK id or --catalog (not both)")
    catalog, config = loaded(specs)
    if track:
        known(catalog.tracks, "track", track)
    return catalog, config


def known(table, kind: str, given: str) -> None:
    """An InputProblem for an unknown id, with the closest known one."""
    if given not in table:
        close = difflib.get_close_matches(given, list(table), n=1)
        raise InputProblem(f"unknown {kind} {given!r}" + (f"; did you mean {close[0]!r}?" if close else ""))


# --- output -------------------------------------------------------------------------------------

def emit(text: str, output: Path | None, quiet: bool = False) -> None:
    """Print `text`, or write it to OUTPUT (atomically; a device or pipe is written through)."""
    if output is None or to_stdout(output):
        click.echo(text, nl=False)
        return
    write_output(output, text.encode("utf-8"))
    say(quiet, f"wrote {output}")


def to_stdout(output: Path | None) -> bool:
    """Whether `-o` names standard output: `-`, as in most command-line tools."""
    return output is not None and str(output) == "-"


def write_output(output: Path, data: bytes) -> None:
    """Write a file the user named (`-`: standard output), turning what the system refuses into an
    input problem."""
    from trackdesign.atomic import WriteError, write_bytes

    if to_stdout(output):
        stream = click.get_binary_stream("stdout")
        stream.write(data)
        stream.flush()
        return
    try:
        write_bytes(output, data)
    except WriteError as exc:
        raise InputProblem(f"{output}: cannot write: {exc.reason}") from None


def colour(stream) -> bool:
    import os

    return stream.isatty() and "NO_COLOR" not in os.environ
