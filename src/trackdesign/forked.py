"""A function run in a forked child while this process goes on with other work.

A child forked after loading shares the loaded catalog (copy-on-write: nothing is parsed or sent
twice); its return value comes back pickled through a pipe. If the child fails in any way (an
exception, a signal, an answer cut short), `result()` calls the function here instead: a failure
costs time, never an answer. Where forking is not the platform's way (`cores.can_fork`) the
function simply runs here when its result is asked for.
"""

from __future__ import annotations

import os
import pickle
import signal
import sys

from trackdesign.cores import can_fork


class Beside:
    """`function()` computed in a forked child, started at once; `result()` waits for it."""

    def __init__(self, function, fork: bool = True):
        self._function = function
        self._pid: int | None = None
        self._pipe: int | None = None
        if fork and can_fork():
            self._start()

    @property
    def forked(self) -> bool:
        return self._pid is not None

    def _start(self) -> None:
        sys.stdout.flush()
        sys.stderr.flush()
        read, write = os.pipe()
        pid = os.fork()
        if pid == 0:  # the child: compute, send, and leave without running any of the parent's exit code
            os.close(read)
            code = 1
            try:
                signal.signal(signal.SIGINT, signal.SIG_DFL)
                value = self._function()
                with os.fdopen(write, "wb") as out:
                    out.write(pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL))
                code = 0
            finally:
                os._exit(code)
        os.close(write)
        self._pid, self._pipe = pid, read

    def result(self):
        """The child's answer, or the function's value computed here when the child gave none."""
        if self._pid is not None:
            with os.fdopen(self._pipe, "rb") as pipe:
                data = pipe.read()
            _, status = os.waitpid(self._pid, 0)
            self._pid = self._pipe = None
            if os.waitstatus_to_exitcode(status) == 0:
                try:
                    return pickle.loads(data)
                except Exception:  # noqa: BLE001 - a truncated answer is a failed child
                    pass
        return self._function()

    def abandon(self) -> None:
        """Stop a child whose answer is no longer wanted (an error elsewhere, Ctrl-C)."""
        if self._pid is not None:
            try:
                os.kill(self._pid, signal.SIGKILL)
                os.waitpid(self._pid, 0)
            except OSError:
                pass
            os.close(self._pipe)
            self._pid = self._pipe = None

    def __enter__(self):
        return self

    def __exit__(self, *exc) -> None:
        self.abandon()
