"""Lint wall time and peak memory against the floor of merely parsing the same YAML (libyaml C loader).

Lint runs cold (--no-cache); then, as a separate column, the same lint again with nothing changed,
answered from the lint cache.

Each measurement runs in a fresh process (so imports, start-up and memory are counted the same way
for both), the floor and the lint in turn (best of 3 each: a single run at 50,000 courses swung
the growth figure between 4.8x and 6.4x), and the lint's peak memory
in a run of its own (sampling it slows the run), on synthetic catalogs of
1,000, 10,000 and 50,000 courses (bench/generate.py), plus the UCSD catalog when ../shared is
present. Ratios, not absolute times, are what to compare between
machines.

    python bench/lint_scale.py                 # all sizes
    python bench/lint_scale.py 1000 10000      # some sizes
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench import compile_package  # noqa: E402
from bench.generate import generate  # noqa: E402

FLOOR = """
import os, sys, yaml
root = sys.argv[1]
for folder in ("courses", "tracks"):
    for dirpath, _, files in os.walk(os.path.join(root, folder)):
        for name in files:
            with open(os.path.join(dirpath, name), encoding="utf-8") as handle:
                yaml.load(handle.read(), Loader=yaml.CSafeLoader)
"""


def _tree_pss(pid: int) -> int:
    """Proportional set size in KiB of a process and its descendants: pages a forked child still
    shares with its parent are counted once, pages it has copied are counted for it."""
    total, todo = 0, [pid]
    while todo:
        current = todo.pop()
        try:
            with open(f"/proc/{current}/smaps_rollup") as rollup:
                total += next(int(line.split()[1]) for line in rollup if line.startswith("Pss:"))
            with open(f"/proc/{current}/task/{current}/children") as children:
                todo.extend(int(c) for c in children.read().split())
        except (OSError, StopIteration, ValueError):
            continue
    return total


def measure(argv: list[str], cwd=None, memory=False) -> tuple[float, float]:
    """Wall seconds and peak memory in MiB of one child process and whatever it forks.

    The peak is the process's own peak resident size, and with `memory` the largest sum of
    proportional set sizes over the process tree sampled every 20 ms (lint forks helpers).
    Sampling reads every page table of the tree and takes the lock its page faults need: it
    slowed a 10,000-course lint by 0.4-0.8 s, so timed runs do not sample."""
    start = time.perf_counter()
    process = subprocess.Popen(argv, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, cwd=cwd)
    tree_peak = 0
    if memory:
        while True:
            pid, status, usage = os.wait4(process.pid, os.WNOHANG)
            if pid:
                break
            tree_peak = max(tree_peak, _tree_pss(process.pid))
            time.sleep(0.02)
    else:
        _, status, usage = os.wait4(process.pid, 0)
    elapsed = time.perf_counter() - start
    if os.waitstatus_to_exitcode(status) not in (0, 1):
        raise SystemExit(f"{' '.join(argv)} failed")
    return elapsed, max(usage.ru_maxrss, tree_peak) / 1024


def best_of(argv, runs, cwd=None):
    results = [measure(argv, cwd) for _ in range(runs)]
    return min(r[0] for r in results), max(r[1] for r in results)


def best_in_turn(first, second, runs):
    """best_of each of two commands, run in turn (first, second, first, ...): on a machine whose
    speed drifts by the minute, a floor measured in a fast minute and a lint in a slow one (or
    the other way round) made the ratio swing by a third between runs."""
    results = [(measure(first), measure(second)) for _ in range(runs)]
    return [(min(r[k][0] for r in results), max(r[k][1] for r in results)) for k in (0, 1)]


def main(sizes):
    compile_package()
    python = sys.executable
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        catalogs = []
        for n in sizes:
            folder = Path(tmp) / f"n{n}"
            generate(n, folder)
            catalogs.append((f"synthetic {n:,}", n, folder))
        ucsd = ROOT.parent / "shared" / "data" / "catalogs" / "ucsd" / "courses.jsonl"
        if ucsd.exists():
            from bench.ucsd import convert

            folder = Path(tmp) / "ucsd"
            convert(ucsd, folder)
            catalogs.append(("UCSD 7,375", 7375, folder))
        for label, n, folder in catalogs:
            runs = 3
            command = [python, "-m", "trackdesign", "lint", str(folder), "--no-links", "--format", "json",
                       "-o", os.devnull]
            (floor, _), (lint, _) = best_in_turn([python, "-c", FLOOR, str(folder)], command + ["--no-cache"], runs)
            _, lint_mem = measure(command + ["--no-cache"], memory=True)  # its own run: sampling slows it
            # the same lint again with nothing changed: answered from the lint cache (primed first)
            cache = Path(tmp) / f"cwd-{n}"
            cache.mkdir()
            measure(command, cache)
            again, _ = best_of(command, runs, cache)
            rows.append((label, n, floor, lint, lint / floor, lint_mem, again))
            print(f"{label:>16}: parse floor {floor:7.2f} s   lint {lint:7.2f} s   ratio {lint / floor:5.2f}"
                  f"   peak {lint_mem:7.0f} MiB   unchanged, again {again:6.2f} s ({again / floor:.2f})", flush=True)
    print("\n| catalog | courses | parse floor (s) | lint (s) | lint / floor | peak memory (MiB)"
          " | again, unchanged (s) | again / floor |")
    print("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |")
    for label, n, floor, lint, ratio, mem, again in rows:
        print(f"| {label} | {n:,} | {floor:.2f} | {lint:.2f} | {ratio:.2f} | {mem:.0f} | {again:.2f}"
              f" | {again / floor:.2f} |")
    synthetic = {n: (floor, lint) for label, n, floor, lint, *_ in rows if label.startswith("synthetic")}
    if 10000 in synthetic and 50000 in synthetic:
        (floor_10k, lint_10k), (floor_50k, lint_50k) = synthetic[10000], synthetic[50000]
        print(f"\ngrowth 10,000 -> 50,000 courses: {lint_50k / lint_10k:.2f}x time for 5x courses"
              f" (the parse floor: {floor_50k / floor_10k:.2f}x)")


if __name__ == "__main__":
    main([int(a) for a in sys.argv[1:]] or [1000, 10000, 50000])
