"""Rules run in a forked process beside the main one, so that a big lint uses a second core.

Lint time at catalog scale is Python spending CPU in rules, one at a time. After loading, a child
forked from the linting process shares the loaded catalog (copy-on-write: nothing is parsed or
sent twice) and runs about half the rules while the parent runs the rest; the child's findings,
and the inline suppressions they used, come back pickled through a pipe. If the child fails in
any way, the parent runs those rules itself: a failure costs time, never findings.

What stays in the parent: rules with fixes (a fix edits the parent's specs), rules that need the
network (the link checker has its own processes), and the overlap family, whose sparse products
run on OpenMP threads (libgomp cannot be used again in a child forked after the parent used it).
The prerequisite family stays whole, since its rules share the closures they compute, and so does
the link family: LK07 has a fix, and its list of every link in the catalog (0.1 s at 10,000
courses) was made again in the child for LK05 and LK06. By the least of three runs of each rule
at 10,000 courses, the parent's rules take about 1.75 s and the child's 1.75 s; in a lint, where
each side also imports what its rules need (numpy, scipy and networkx here) and builds its shared
word lists for the first time, each took 2.3-3.4 s on the 2-core machine.
"""

from __future__ import annotations

import os
from contextlib import contextmanager
from functools import partial

from trackdesign.cores import can_fork, usable_cpus
from trackdesign.forked import Beside

#: Families kept in the parent (see the module's docstring); the rest of the movable rules go.
STAY = frozenset({"OV", "PR", "LK"})
#: Fewer specs than this lint in about a third of a second, where a fork costs more than it saves;
#: from a few hundred on the child gains (300 courses: 0.72 -> 0.53 s; 1,000: 1.3 -> 0.8 s), not
#: least by importing what its rules need (ftfy, the stemmer) while the parent imports numpy and scipy.
MIN_SPECS = 200
#: The child copies most pages of the catalog it reads (their reference counts change), so the pair
#: of processes peaks at about 36 KB a course (1,780 MiB at 50,000 courses, against 1,740 MiB for
#: one process before specs stopped keeping positions): bigger catalogs lint in one process, which
#: keeps the peak of 55,000 courses under 2 GiB.
MAX_SPECS = 55_000


class Side:
    """The rules given to a child, and a way to collect what it found."""

    def __init__(self, codes: frozenset[str] = frozenset(), child: Beside | None = None):
        self.codes, self._child = codes, child

    def results(self) -> tuple[list, list]:
        """(findings, used suppressions as (kind, id, line, code)) of the child's rules; computed
        here when the child failed."""
        return self._child.result() if self._child is not None else ([], [])

    def abandon(self) -> None:
        if self._child is not None:
            self._child.abandon()


def wanted(catalog) -> bool:
    """Whether a catalog this big gains from a second process on this machine."""
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
    side = Side(frozenset(r.code for r in movable), Beside(partial(_run, movable, catalog, config)))
    try:
        yield side
    finally:
        side.abandon()


def _run(rules, catalog, config) -> tuple[list, list]:
    from trackdesign.engine import Result, run_rule

    result, used = Result(), set()
    for rule in rules:
        run_rule(rule, catalog, config, result, used)
    return result.findings, [(spec.kind, spec.id, line, code) for spec, line, code in used]
