"""Rules run in a forked process beside the main one, so that a big lint uses a second core.

Lint time at catalog scale is Python spending CPU in rules, one at a time. After loading, a child
forked from the linting process shares the loaded catalog (copy-on-write: nothing is parsed or
sent twice) and draws the rules that may leave this process from a shared list, while the parent
runs the rules that may not and then draws from the list's other end (`Side`); the child's
findings, and the inline suppressions they used, come back pickled through a pipe. If the child
fails in any way, the parent runs the rules it had drawn: a failure costs time, never findings.

What stays in the parent: rules with fixes (a fix edits the parent's specs), rules that need the
network (the link checker has its own processes), and the rules on the overlap index (OV01 and
OV03) once this process has run a sparse product on OpenMP threads (libgomp cannot start threads
again in a child forked after that; a lint's products are threaded only for tracks or catalogs of
thousands of courses, after the fork) or when the catalog is so big that memory binds
(`OVERLAP_MOVES_UP_TO`; OV02 compares objectives on its own and moves even then: at 50,000 courses
the child otherwise sat idle for the last 3 s). The prerequisite family stays whole, since its
rules share the closures they compute, and so does the link family: LK07 has a fix, and its list
of every link in the catalog (0.1 s at 10,000 courses) was made again in the child for LK05 and
LK06. At 10,000 courses OV01 and OV03 are the heaviest group (1.2-1.5 s with the index and
imports), the rules that stay take about 0.6 s, NM03 and NM04 with their word lists about 0.8 s:
the child draws the index's group first and then the other rules on numpy's arrays (OV02 and
NM05, `ON_ARRAYS`), the parent NM03 and NM04 after its own, and the rest is shared out rule by rule
as each frees up; the two finish within a few hundredths of a second of each other.
"""

from __future__ import annotations

import os
import sys
from contextlib import contextmanager
from functools import partial

from trackdesign.cores import can_fork, usable_cpus
from trackdesign.forked import Beside, Claims

#: Families kept in the parent (see the module's docstring); the rest of the movable rules go.
STAY = frozenset({"PR", "LK"})
#: Larger catalogs keep the overlap family in this process. In the child, its index's arrays grow
#: while this process builds the naming rules' word lists, and the pair peaked about 90 MB higher
#: at 50,000 courses (1,915-1,943 against 1,832-1,836 MiB): too near 2 GiB, though 1-1.5 s sooner.
OVERLAP_MOVES_UP_TO = 40_000
#: Fewer specs than this lint in about a third of a second, where a fork costs more than it saves;
#: from a few hundred on the child gains (300 courses: 0.72 -> 0.53 s; 1,000: 1.3 -> 0.8 s), not
#: least by importing what its rules need (ftfy, the stemmer) while the parent imports numpy and scipy.
MIN_SPECS = 200
#: The child copies most pages of the catalog it reads (their reference counts change), so the pair
#: of processes peaks at about 36 KB a course (1,780 MiB at 50,000 courses, against 1,740 MiB for
#: one process before specs stopped keeping positions): bigger catalogs lint in one process, which
#: keeps the peak of 55,000 courses under 2 GiB.
MAX_SPECS = 55_000


#: Rules drawn together, as one group, because they share what they compute: OV01 and OV03 the
#: overlap index, NM03 and NM04 the naming word lists, the track family each course's terms. Every
#: other movable rule is a group of its own, so that what is left for whichever process frees up last
#: is small: drawn whole, the naming family (1.5 s at 10,000 courses) left the process that took
#: it last 0.2-0.25 s behind the other, and the rest of it (0.25 s) still 0.2 s.
TOGETHER = {"OV01": "OV", "OV03": "OV", "NM03": "NM03", "NM04": "NM03", "TR": "TR"}  # code or family -> group
#: The overlap rules that read the overlap index (OV02 compares objectives word by word, on its own).
ON_THE_INDEX = frozenset({"OV01", "OV03"})
#: Groups that, by what they cost at scale, are drawn first from either end of the list (longest
#: first: what is left for whichever process frees up last is then small), named as in `TOGETHER`
#: or by their rule's code. The rest sit between, in the registry's order.
FIRST = ("OV", "NM03", "OL03", "OV02", "NM05", "OB02", "NM06", "OB01")
#: Rules that compute on numpy's and scipy's arrays. Importing the two costs about 0.28 s of CPU
#: (scipy.sparse alone 0.19 s), and each process that runs one of these pays it: the process that
#: builds the overlap index draws these groups first, the other process draws them last. When both
#: drew from one queue, OV02 mostly fell to the parent, which imported both again. NM03 and NM04
#: count words with numpy alone (0.09 s to import) and sit at the other end: they are the
#: parent's first draw, and the child, busy with the index, could not take them before it.
ON_ARRAYS = frozenset({"OV01", "OV02", "OV03", "NM05"})


class Side:
    """The movable rules, in one list both processes draw from, and a way to collect what the child found.

    The list holds groups of movable rules: rules drawn `TOGETHER` (they share what they compute,
    such as the naming rules' word lists), or one rule. The child draws from its front as soon as
    it is forked; this process draws from its back once its own rules are done; each group goes to
    whoever claims it first (`Claims`). So neither waits for the other while rules are left,
    however the machine's speed or the catalog shifts their costs. The front holds the groups on
    numpy's and scipy's arrays (`ON_ARRAYS`), for the process that imports them for the overlap
    index; the back holds the other big groups; the small ones meet in the middle, so that
    whichever process frees up last has little left to wait for (with the arrays in a queue of
    their own, the parent sometimes emptied its queue while the child was still in OV02, 0.3 s).
    """

    def __init__(self, groups: list[list] | None = None, claims: Claims | None = None, child: Beside | None = None):
        self.groups = groups or []  # in the order the child draws them
        self.codes = frozenset(rule.code for group in self.groups for rule in group)
        self._claims, self._child = claims, child
        self._mine: set[int] = set()

    def draw(self, in_child: bool = False):
        """The movable rules nobody has taken yet, taking them for this process: the child from the
        front of the list, this process from the back."""
        if self._claims is None:
            return
        numbers = range(len(self.groups))
        for number in numbers if in_child else reversed(numbers):
            if self._claims.claim(number):
                self._mine.add(number)
                yield from self.groups[number]

    def results(self, run) -> tuple[list, list]:
        """(findings, used suppressions as (kind, id, line, code)) of the rules the child ran; the
        groups it took and gave no answer for (it failed) are run here by `run(rule)`."""
        findings, used, taken = self._child.result() if self._child is not None else ([], [], [])
        for number, group in enumerate(self.groups):
            if number not in self._mine and number not in taken:
                for rule in group:
                    run(rule)
        return findings, used

    def abandon(self) -> None:
        if self._child is not None:
            self._child.abandon()
        if self._claims is not None:
            self._claims.close()


def _stays(rule, specs: int) -> bool:
    if rule.code in ON_THE_INDEX:  # while this process has not started OpenMP threads (see the docstring)
        overlap = sys.modules.get("trackdesign.overlap")
        return specs > OVERLAP_MOVES_UP_TO or (overlap is not None and overlap.threads_started)
    return rule.family in STAY


def wanted(catalog) -> bool:
    """Whether a catalog this big gains from a second process on this machine."""
    if not can_fork() or os.environ.get("TRACKDESIGN_ONE_PROCESS"):
        return False
    return usable_cpus() > 1 and MIN_SPECS <= len(catalog.courses) + len(catalog.tracks) <= MAX_SPECS


@contextmanager
def beside(chosen: list, catalog, config):
    """Fork a child drawing from the list of the rules of `chosen` that may leave this process,
    when worth it; without one, every rule is this process's own."""
    specs = len(catalog.courses) + len(catalog.tracks)
    movable = [r for r in chosen if not r.fixable and not r.network and not _stays(r, specs)]
    if not movable or not wanted(catalog):
        yield Side()
        return
    named: dict[str, list] = {}
    for rule in movable:
        named.setdefault(TOGETHER.get(rule.code, TOGETHER.get(rule.family, rule.code)), []).append(rule)
    big = [f for f in FIRST if f in named]
    arrays = [f for f in big if any(rule.code in ON_ARRAYS for rule in named[f])]
    others = [f for f in big if f not in arrays]
    small = [f for f in named if f not in FIRST]
    if any(_stays(rule, specs) for rule in chosen if rule.code in ON_THE_INDEX):
        arrays, others = others, arrays  # this process builds the index: the arrays at its end
    side = Side([named[f] for f in arrays + small + others[::-1]], Claims())
    side._child = Beside(partial(_run, side, catalog, config))
    try:
        yield side
    finally:
        side.abandon()


def _run(side: Side, catalog, config) -> tuple[list, list, list]:
    """In the child: the groups it claims, from the front of the list to its end. Run in this
    process instead (the child failed), it finds every group claimed and leaves them to `results`."""
    from trackdesign.engine import Result, run_rule

    result, used = Result(), set()
    for rule in side.draw(in_child=True):
        run_rule(rule, catalog, config, result, used)
    return (result.findings, [(spec.kind, spec.id, line, code) for spec, line, code in used],
            sorted(side._mine))
