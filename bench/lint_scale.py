"""Lint wall time and peak memory through the command line, against the floor of merely starting
Python, importing PyYAML and parsing the same files with libyaml's C loader.

For each catalog (the example specs of this repository, synthetic catalogs of the sizes given,
and the UCSD catalog when ../shared is present) it runs, in turn and best of --runs each:
the floor, a cold lint (--no-cache), and the same lint again with nothing changed (answered from
the lint cache). With --baseline, another checkout of trackdesign (a git worktree of an older
commit, set up with its own .venv) is measured in the same rounds, so that the two are compared
on the same machine in the same minutes. Ratios, not absolute times, are what to compare.

    python bench/lint_scale.py                                  # example, 1,000, 10,000, 50,000
    python bench/lint_scale.py 1000 10000 --baseline ../old     # side by side with another checkout
"""

from __future__ import annotations

import argparse
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


def measure(argv: list[str], cwd=None) -> tuple[float, float]:
    """Wall seconds and peak resident memory in MiB of one child process."""
    start = time.perf_counter()
    process = subprocess.Popen(argv, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, cwd=cwd)
    _, status, usage = os.wait4(process.pid, 0)
    elapsed = time.perf_counter() - start
    out = Path(argv[argv.index("-o") + 1]) if "-o" in argv else None
    failed = os.waitstatus_to_exitcode(status) not in (0, 1) or (out is not None and not out.exists())
    if failed:  # exit 1 is findings, but also what Python says for an import error: the output must be there
        raise SystemExit(f"{' '.join(argv)} failed")
    if out is not None:
        out.unlink()
    return elapsed, usage.ru_maxrss / 1024


def lint_command(python: str, folder: Path, cache: bool, out: Path) -> list[str]:
    """The lint as a user runs it; the specs folder is given positionally, which every version takes.
    Findings go to a file of their own (older versions renamed over whatever -o named, devices too)."""
    return [python, "-m", "trackdesign", "lint", str(folder), "--no-links", "--format", "json",
            "-o", str(out), *([] if cache else ["--no-cache"])]


def catalogs(sizes: list[int], tmp: Path):
    yield "example", ROOT / "specs"
    for n in sizes:
        folder = tmp / f"n{n}"
        generate(n, folder)
        yield f"synthetic {n:,}", folder
    ucsd = ROOT.parent / "shared" / "data" / "catalogs" / "ucsd" / "courses.jsonl"
    if ucsd.exists():
        from bench.ucsd import convert

        folder = tmp / "ucsd"
        convert(ucsd, folder)
        yield "UCSD 7,375", folder


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("sizes", nargs="*", type=int, default=[1000, 10000, 50000])
    parser.add_argument("--baseline", type=Path, help="another checkout with its own .venv, measured beside this one")
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    compile_package()
    versions = {"this": sys.executable}
    if args.baseline:
        versions["baseline"] = str((args.baseline / ".venv" / "bin" / "python").absolute())  # not resolved: the venv is the symlink
    columns = ["floor"] + [f"{v} {kind}" for v in versions for kind in ("cold", "cached")]
    rows = []
    with tempfile.TemporaryDirectory() as name:
        tmp = Path(name)
        for label, folder in catalogs(args.sizes, tmp):
            commands = {"floor": ([sys.executable, "-c", FLOOR, str(folder)], None)}
            for version, python in list(versions.items()):
                cwd = tmp / f"cache-{version}-{folder.name}"
                cwd.mkdir()
                out = cwd / "findings.json"
                try:
                    measure(lint_command(python, folder, True, out), cwd)  # primes the lint cache
                except SystemExit as exc:  # an older version may not read a newer format
                    print(f"{label}: {version} left out ({exc})", flush=True)
                    continue
                commands[f"{version} cold"] = (lint_command(python, folder, False, out), cwd)
                commands[f"{version} cached"] = (lint_command(python, folder, True, out), cwd)
            times = {c: [] for c in columns if c in commands}
            peak = {c: 0.0 for c in columns}
            for _ in range(args.runs):  # in turn, so that a slow minute falls on every column alike
                for column in times:
                    seconds, memory = measure(*commands[column])
                    times[column].append(seconds)
                    peak[column] = max(peak[column], memory)
            best = {c: min(times[c]) if c in times else float("nan") for c in columns}
            rows.append((label, best, peak))
            print(f"{label}: " + "   ".join(f"{c} {best[c]:.2f} s ({best[c] / best['floor']:.2f}x,"
                                             f" {peak[c]:.0f} MiB)" for c in columns), flush=True)
    print("\n| catalog | " + " | ".join(f"{c} (s)" for c in columns) + " | "
          + " | ".join(f"{c} / floor" for c in columns[1:]) + " | peak MiB (" + columns[1] + ") |")
    print("| --- |" + " ---: |" * (2 * len(columns)))
    for label, best, peak in rows:
        print(f"| {label} | " + " | ".join(f"{best[c]:.2f}" for c in columns) + " | "
              + " | ".join(f"{best[c] / best['floor']:.2f}" for c in columns[1:]) + f" | {peak[columns[1]]:.0f} |")
    if "baseline" in versions:
        print("\n| catalog | this cold / baseline cold | this cached / baseline cached |\n| --- | ---: | ---: |")
        for label, best, _ in rows:
            print(f"| {label} | {best['this cold'] / best['baseline cold']:.2f}"
                  f" | {best['this cached'] / best['baseline cached']:.2f} |")


if __name__ == "__main__":
    main()
