"""Review workbook export and import at catalog scale, against loading the same specs.

A synthetic catalog (bench/generate.py) with one track holding every course, so the workbook has
one row per course and per objective. Each step runs in a fresh process; the baseline is the same
process merely loading the specs, measured in the same run (ratios travel between machines,
seconds do not). Export is timed twice: with no lint cache (every rule runs), and right after a
`lint` of the same specs, as a designer would run them, when the findings come from the cache.

    python bench/sheet_export.py            # 10,000 courses
    python bench/sheet_export.py 2000
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench import compile_package  # noqa: E402
from bench.generate import generate  # noqa: E402

LOAD = "import sys; from trackdesign.spec.loader import load_catalog; load_catalog(sys.argv[1])"


def timed(args: list[str], cwd: Path, cache: bool = True) -> float:
    """Seconds one command takes, run in `cwd` (where its lint cache lives), with or without the cache."""
    env = dict(os.environ, **({} if cache else {"TRACKDESIGN_NO_CACHE": "1"}))
    start = time.perf_counter()
    subprocess.run(args, check=True, capture_output=True, cwd=cwd, env=env)
    return time.perf_counter() - start


def timed_any(args: list[str], cwd: Path) -> float:
    """Like `timed`, for a command whose exit status reports findings rather than failure."""
    start = time.perf_counter()
    result = subprocess.run(args, capture_output=True, cwd=cwd)
    if result.returncode not in (0, 1):
        raise SystemExit(result.stderr.decode()[-2000:])
    return time.perf_counter() - start


def main(n: int) -> None:
    compile_package()
    with tempfile.TemporaryDirectory() as tmp:
        specs = Path(tmp) / "specs"
        generate(n, specs)
        ids = sorted(p.stem for p in (specs / "courses").glob("*.yaml"))
        (specs / "tracks" / "everything.yaml").write_text(yaml.safe_dump({"title": "Everything", "courses": ids}))
        book = Path(tmp) / "review.xlsx"
        exe = [sys.executable, "-m", "trackdesign"]
        work = Path(tmp)
        load = timed([sys.executable, "-c", LOAD, str(specs)], work)
        cold = timed([*exe, "sheet", "export", "everything", "--specs", str(specs), "-o", str(book)], work, cache=False)
        linted = timed_any([*exe, "lint", str(specs), "--no-links", "--format", "json"], work)  # exits 1: findings
        export = timed([*exe, "sheet", "export", "everything", "--specs", str(specs), "-o", str(book)], work)
        imported = timed([*exe, "sheet", "import", str(book), "--specs", str(specs), "--dry-run"], work)
        print(f"{n:,} courses, workbook {book.stat().st_size / 2**20:.1f} MB")
        print(f"  load specs (baseline)        {load:6.2f} s")
        print(f"  sheet export, no lint cache  {cold:6.2f} s   {cold / load:4.1f}x load (runs every rule, and overlap)")
        print(f"  lint, same specs             {linted:6.2f} s   {linted / load:4.1f}x load (leaves the lint cache)")
        print(f"  sheet export after that lint {export:6.2f} s   {export / load:4.1f}x load (findings from the cache)")
        print(f"  sheet import --dry-run       {imported:6.2f} s   {imported / load:4.1f}x load")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 10_000)
