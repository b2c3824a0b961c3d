"""Rules run in a forked process beside the main one, so that a big lint uses a second core.

Lint time at catalog scale is Python spending CPU in rules, one at a time. After loading, a child
forked from the linting process shares the loaded catalog (copy-on-write: nothing is parsed or
sent twice) and runs about half the rules while the parent runs the rest; the child's findings,
and the inline suppressions they used, come back pickled through a pipe. If the child fails in
any way, the parent runs those rules itself: a failure costs time, never findings.

What stays in the parent: rules with fixes (a fix edits the parent's specs), rules that need the
network (the link checker has its own processes), and the overlap family, whose sparse products
run on OpenMP threads (libgomp cannot be used again in a child forked after the parent used it).
The families of fixable rules stay whole, since their rules share what they compute (link
occurrences, prerequisite closures), and the outline family stays to even the halves out (at
10,000 courses each side then takes about 5 s, against 8.7 s for all the rules in one process).
"""

from __future__ import annotations

import os
import pickle
import signal
import sys
from contextlib import contextmanager

from trackdesign.cores import can_fork, usable_cpus

#: Families kept in the parent (see the module's docstring); the rest of the movable rules go.
STAY = frozenset({"OV", "OL", "LK", "PR"})
#: Fewer specs than this lint in about a second: forking would cost more than it saves.
MIN_SPECS = 2_000
#: More specs than this and the child's copy of the pages it touches would double a peak that is
#: already near 2 GiB at 50,000 courses: such catalogs lint in one process.
MAX_SPECS = 20_000


class Side:
    """The rules given to a child, and a way to collect what it found."""

    def __init__(self, codes: frozenset[str] = frozenset(), pid: int | None = None, pipe: int | None = None,
                 rules: list | None = None):
        self.codes, self._pid, self._pipe, self._rules = codes, pid, pipe, rules or []

    def results(self, run_here) -> tuple[list, list]:
        """(findings, used suppressions as (kind, id, line, code)) from the child.

        When the child failed, `run_here(rule)` runs each of its rules in this process instead and
        the child's part is empty."""
        if self._pid is None:
            return [], []
        with os.fdopen(self._pipe, "rb") as pipe:
            data = pipe.read()
        _, status = os.waitpid(self._pid, 0)
        self._pid = None
        if os.waitstatus_to_exitcode(status) == 0:
            try:
                return pickle.loads(data)
            except Exception:  # noqa: BLE001 - a truncated answer is a failed child
                pass
        for rule in self._rules:
            run_here(rule)
        return [], []

    def abandon(self) -> None:
        if self._pid is not None:
            try:
                os.kill(self._pid, signal.SIGKILL)
                os.waitpid(self._pid, 0)
            except OSError:
                pass
            os.close(self._pipe)
            self._pid = None


def wanted(catalog) -> bool:
    if not can_fork() or os.environ.get("TRACKDESIGN_ONE_PROCESS"):
        return False
    return usable_cpus() > 1 and MIN_SPECS <= len(catalog.courses) + len(catalog.tracks) <= MAX_SPECS


@contextmanager
def beside(chosen: list, catalog, config):
    """Fork a child running the rules of `chosen` that may leave this process, when worth it."""
    movable = [r for r in chosen if not r.fixable and not r.network and r.family not in STAY]
    if not movable or not wanted(catalog):
        yield Side()
        return
    sys.stdout.flush()
    sys.stderr.flush()
    read, write = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child: run, send, and leave without running any of the parent's exit code
        os.close(read)
        code = 1
        try:
            signal.signal(signal.SIGINT, signal.SIG_DFL)
            _run_and_send(movable, catalog, config, write)
            code = 0
        finally:
            os._exit(code)
    os.close(write)
    side = Side(frozenset(r.code for r in movable), pid, read, movable)
    try:
        yield side
    finally:
        side.abandon()


def _run_and_send(rules, catalog, config, pipe: int) -> None:
    from trackdesign.engine import Result, run_rule

    result, used = Result(), set()
    for rule in rules:
        run_rule(rule, catalog, config, result, used)
    keys = [(spec.kind, spec.id, line, code) for spec, line, code in used]
    with os.fdopen(pipe, "wb") as out:
        out.write(pickle.dumps((result.findings, keys), protocol=pickle.HIGHEST_PROTOCOL))
