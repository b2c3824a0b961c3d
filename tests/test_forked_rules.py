"""A big lint shares its rules with a forked child: the findings must be exactly those of one process."""

from __future__ import annotations

import os
import shutil
import sys
import time
from pathlib import Path

import pytest
from helpers import write_specs

from trackdesign import engine, forked_rules
from trackdesign.config import Config
from trackdesign.engine import lint
from trackdesign.spec.loader import load_catalog

ROOT = Path(__file__).resolve().parents[1]
pytestmark = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="the child is forked on Linux only")


def findings(root, monkeypatch, fork: bool, config: Config | None = None):
    monkeypatch.setattr(forked_rules, "MIN_SPECS", 0 if fork else 10**9)
    return [f.as_dict() for f in lint(load_catalog(root), config or Config()).findings]


@pytest.fixture
def catalog(tmp_path):
    """The example specs and 300 generated courses, with suppressions a child's rule uses and one nobody does."""
    sys.path.insert(0, str(ROOT))
    from bench.generate import generate

    root = tmp_path / "specs"
    generate(300, root)
    shutil.copytree(ROOT / "specs", root, dirs_exist_ok=True)
    write_specs(root, courses={
        "long-one": "title: " + "A Very Long Title " * 6 + " # trackdesign: ignore[NM07]\n",
        "short-one": "title: Short  # trackdesign: ignore[NM07]\n",
    })
    return root


def test_a_forked_lint_finds_exactly_what_one_process_finds(catalog, monkeypatch, tmp_path):
    pids = tmp_path / "pids"
    run_rule = engine.run_rule

    def noting_the_process(rule, *args):
        with open(pids, "a") as log:
            log.write(f"{os.getpid()} {rule.code}\n")
        return run_rule(rule, *args)

    monkeypatch.setattr(engine, "run_rule", noting_the_process)
    alone = findings(catalog, monkeypatch, fork=False)
    pids.unlink()
    forked = findings(catalog, monkeypatch, fork=True)
    assert forked == alone
    codes = {f["code"] for f in alone}
    assert {"NM06", "OB01", "SP05", "OV01", "PR01"} <= codes  # rules of both processes have something to say
    assert any(f["code"] == "SP05" and "short-one" in f["path"] for f in forked)  # unused: reported
    assert not any(f["code"] == "SP05" and "long-one" in f["path"] for f in forked)  # used by the child's NM07
    by_process: dict[str, set[str]] = {}
    for line in pids.read_text().split("\n")[:-1]:
        pid, code = line.split()
        by_process.setdefault(pid, set()).add(code)
    assert len(by_process) == 2
    child = next(codes for pid, codes in by_process.items() if int(pid) != os.getpid())
    assert child and not {"PR01", "LK07"} & child  # prerequisite and fixable rules stay
    assert len(set.union(*by_process.values())) == sum(map(len, by_process.values()))  # each rule ran once
    assert any({"NM03", "NM04"} <= codes for codes in by_process.values())  # drawn together: one word list


def test_overlap_rules_stay_once_this_process_has_started_threads(catalog, monkeypatch, tmp_path):
    """libgomp hangs in a child forked after its parent ran threads: the overlap rules then stay,
    as they do in a catalog too big for the pair of processes to hold the index in the child."""
    from trackdesign import overlap

    pids, parent = tmp_path / "pids", os.getpid()
    run_rule = engine.run_rule

    def noting_the_process(rule, *args):
        with open(pids, "a") as log:
            log.write(f"{os.getpid()} {rule.code}\n")
        if rule.code == "PR01" and os.getpid() == parent:
            time.sleep(0.5)  # the child has drawn its first family before this process draws any
        return run_rule(rule, *args)

    monkeypatch.setattr(engine, "run_rule", noting_the_process)
    for started, limit in ((False, 10**6), (True, 10**6), (False, 10)):
        monkeypatch.setattr(overlap, "threads_started", started)
        monkeypatch.setattr(forked_rules, "OVERLAP_MOVES_UP_TO", limit)  # 10: a catalog too big to move it
        pids.write_text("")
        findings(catalog, monkeypatch, fork=True)
        codes = {code for pid, code in (line.split() for line in pids.read_text().splitlines())
                 if int(pid) != os.getpid()}
        # OV01 and OV03, which share the index, are drawn first by the child unless they must stay
        # (OV02 needs no index, and moves either way)
        assert {"OV01", "OV03"} & codes == ({"OV01", "OV03"} if not started and limit > 10 else set())


def test_when_the_child_fails_the_parent_runs_its_rules(catalog, monkeypatch):
    alone = findings(catalog, monkeypatch, fork=False)

    parent, run = os.getpid(), forked_rules._run

    def crash_in_the_child(*args):
        if os.getpid() != parent:
            os._exit(7)
        return run(*args)

    monkeypatch.setattr(forked_rules, "_run", crash_in_the_child)
    assert findings(catalog, monkeypatch, fork=True) == alone


def test_small_catalogs_and_the_environment_switch_stay_in_one_process(catalog, monkeypatch):
    catalog_ = load_catalog(catalog)
    monkeypatch.setattr(forked_rules, "MIN_SPECS", 0)
    assert forked_rules.wanted(catalog_) == (len(os.sched_getaffinity(0)) > 1)
    monkeypatch.setenv("TRACKDESIGN_ONE_PROCESS", "1")
    assert not forked_rules.wanted(catalog_)
    monkeypatch.delenv("TRACKDESIGN_ONE_PROCESS")
    monkeypatch.setattr(forked_rules, "MIN_SPECS", len(catalog_.courses) + len(catalog_.tracks) + 1)
    assert not forked_rules.wanted(catalog_)


def test_the_parent_draws_what_a_slow_child_leaves(catalog, monkeypatch, tmp_path):
    """Both processes draw from one queue: a child that starts late finds it drained, and the
    findings are the same."""
    alone = findings(catalog, monkeypatch, fork=False)
    parent, run, ran = os.getpid(), forked_rules._run, tmp_path / "child-ran"

    def late_child(side, *args):
        if os.getpid() != parent:
            time.sleep(3)  # the parent's own rules take well under this at 300 courses
            out = run(side, *args)
            ran.write_text(" ".join(str(n) for n in out[2]))
            return out
        return run(side, *args)

    monkeypatch.setattr(forked_rules, "_run", late_child)
    assert findings(catalog, monkeypatch, fork=True) == alone
    assert ran.read_text() == ""  # the child drew nothing: the parent had taken every group


def test_a_child_dying_inside_a_group_leaves_that_group_to_the_parent(catalog, monkeypatch, tmp_path):
    alone = findings(catalog, monkeypatch, fork=False)
    parent, run_rule, died = os.getpid(), engine.run_rule, tmp_path / "died"

    seen: set[str] = set()

    def dies_at_the_second_rule_of_a_family(rule, *args):
        if os.getpid() != parent:
            if rule.family in seen:
                died.write_text(rule.code)
                os._exit(3)
            seen.add(rule.family)
        return run_rule(rule, *args)

    monkeypatch.setattr(engine, "run_rule", dies_at_the_second_rule_of_a_family)
    assert findings(catalog, monkeypatch, fork=True) == alone
    assert died.exists()  # the child had drawn a family and ran some of its rules before dying


@pytest.mark.parametrize("index_stays", [False, True])
def test_the_rules_on_arrays_go_first_to_the_process_that_builds_the_index(catalog, monkeypatch, tmp_path,
                                                                         index_stays):
    """numpy and scipy cost a process 0.28 s to import: the process that builds the overlap index
    draws OV02 and NM05 first, the other process draws them last. Each process in turn sleeps at
    its first rule, so that the other draws every group it can, in its own order."""
    from trackdesign import overlap

    monkeypatch.setattr(overlap, "threads_started", index_stays)  # the index then stays in the parent
    parent, run_rule, log = os.getpid(), engine.run_rule, tmp_path / "order"
    own = {"OV01", "OV03"} if index_stays else set()  # the parent's own, beside the PR and LK families

    def noting_the_order(rule, *args):
        in_child = os.getpid() != parent
        if in_child == slow_child and not slept:
            slept.append(True)
            time.sleep(3)  # the other process drains both queues meanwhile
        if in_child != slow_child and rule.family not in ("PR", "LK") and rule.code not in own:
            with open(log, "a") as out:
                out.write(rule.code + "\n")
        return run_rule(rule, *args)

    monkeypatch.setattr(engine, "run_rule", noting_the_order)
    for slow_child in (True, False):
        slept: list[bool] = []
        log.write_text("")
        findings(catalog, monkeypatch, fork=True)
        drawn = log.read_text().split()
        on_arrays = [n for n, code in enumerate(drawn) if code in forked_rules.ON_ARRAYS]
        assert {"OV02", "NM05"} <= {drawn[n] for n in on_arrays}
        builds_the_index = slow_child == index_stays  # the drawing process is the parent when the child is slowed
        expected = range(len(on_arrays)) if builds_the_index else range(len(drawn) - len(on_arrays), len(drawn))
        assert on_arrays == list(expected), drawn
