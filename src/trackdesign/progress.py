"""A thread-safe progress bar on standard error: link checks update it from worker threads, `build` from one."""

from __future__ import annotations

import sys
import threading

import click


class terminal_progress:  # noqa: N801 - used like a function: terminal_progress(total, label)
    def __init__(self, total: int, label: str):
        self._lock = threading.Lock()
        self._bar = click.progressbar(length=total, label=label, file=sys.stderr, show_pos=True)
        self._bar.__enter__()

    def update(self, _outcome=None):
        with self._lock:
            self._bar.update(1)

    def close(self):
        with self._lock:
            self._bar.__exit__(None, None, None)
