"""The `trackdesign` command line. Each command parses its options, calls the library and prints;
the commands live in one module per area and share their options (`trackdesign.cli.common`)."""

from __future__ import annotations

import os
import sys

import click

from trackdesign import __version__
from trackdesign.cli import analysis, documents, importers, lint, scaffold, sheets
from trackdesign.cli.common import EXIT_INTERNAL


@click.group(context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100})
@click.version_option(__version__, prog_name="trackdesign")
def cli():
    """Lint learning-track specs kept as YAML, check their links, write their documents, plan study
    schedules, round-trip review workbooks and import existing proposals and catalogs.

    A specs folder holds courses/<id>.yaml and tracks/<id>.yaml (see `trackdesign schema`); every
    command finds it from the working directory upwards, or takes --specs DIR. -o FILE writes a
    command's output to a file whose extension picks the format.

    Exit status: 0 clean, 1 findings at or above the fail level, 2 usage or input error,
    3 an internal error (please report it).
    """


for command in (lint.lint, lint.links, lint.rules, lint.schema, analysis.metrics, analysis.overlap,
                documents.report, documents.plan, documents.graph, documents.build, sheets.sheet, importers.import_,
                scaffold.init, scaffold.new, importers.export):
    cli.add_command(command)


def main():
    """The console entry point: click's own handling of usage errors, one line and exit 3 for an
    internal error, and no traceback either way.

    Leaves through os._exit once output is flushed: the interpreter's teardown would free every
    object of a loaded catalog one by one in a process about to end anyway. Every file a command
    writes is closed (and renamed) by then.
    """
    from trackdesign import gcpause

    gcpause.freeze_on_resume = True  # nothing outlives this process: see gcpause.paused
    _exit_on_terminate()
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
    except Exception as exc:  # noqa: BLE001 - the last line of defence: never a traceback
        click.echo(f"trackdesign: internal error ({type(exc).__name__}: {exc}); please report it with the command"
                   " you ran", err=True)
        code = EXIT_INTERNAL
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.flush()
        except (BrokenPipeError, ValueError, OSError):
            pass  # the reader left (`| head`) or the stream is closed: nothing more to say
    os._exit(code)


def _exit_on_terminate() -> None:
    """SIGTERM (and SIGHUP) end the command as an interrupt does, through every `finally` and
    `except BaseException`: a file being written atomically then leaves no temporary file."""
    import signal

    def leave(number, frame):
        raise SystemExit(128 + number)

    for name in ("SIGTERM", "SIGHUP"):
        if hasattr(signal, name):
            signal.signal(getattr(signal, name), leave)
