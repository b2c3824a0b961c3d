"""PR01 on one course with N prerequisites, through the command line: its work must grow with N,
not with N squared.

Two shapes per size: N independent prerequisites (nothing redundant), and the same N plus a course
that requires all of them (every one redundant, each reported with its reason). Prints the wall
time of `trackdesign lint --select PR01 --no-cache` for each, and the ratio between sizes; a
ratio near the ratio of the sizes is linear work (parsing the YAML is part of the time).

    python bench/requisites_scale.py                 # 10,000 and 100,000
    python bench/requisites_scale.py 1000 10000
"""

from __future__ import annotations

import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
TRACKDESIGN = Path(sys.executable).with_name("trackdesign")


def write(root: Path, n: int, hub: bool) -> None:
    (root / "courses").mkdir(parents=True)
    (root / "tracks").mkdir()
    items = "".join(f"  - c{i}\n" for i in range(n))
    for i in range(n):
        (root / "courses" / f"c{i}.yaml").write_text(f"title: Course {i}\n", encoding="utf-8")
    if hub:
        (root / "courses" / "hub.yaml").write_text("title: Hub\nprerequisites:\n" + items, encoding="utf-8")
    (root / "courses" / "x.yaml").write_text("title: X\nprerequisites:\n" + ("  - hub\n" if hub else "") + items,
                                             encoding="utf-8")


def seconds(root: Path) -> float:
    begin = time.perf_counter()
    subprocess.run([str(TRACKDESIGN), "lint", "--specs", str(root), "--no-links", "--select", "PR01", "--no-cache",
                    "-o", str(root / "findings.json")], check=False, capture_output=True)
    return time.perf_counter() - begin


def main(sizes: list[int]) -> None:
    results: dict[tuple[str, int], float] = {}
    with tempfile.TemporaryDirectory() as tmp:
        for n in sizes:
            for shape, hub in (("independent", False), ("all implied", True)):
                root = Path(tmp) / f"{shape}-{n}"
                write(root, n, hub)
                results[(shape, n)] = seconds(root)
                print(f"{shape:>12}  {n:>7} prerequisites  {results[(shape, n)]:6.1f} s", flush=True)
    for shape in ("independent", "all implied"):
        for small, large in zip(sizes, sizes[1:]):
            print(f"{shape:>12}  {large // small}x the prerequisites: {results[(shape, large)] / results[(shape, small)]:.1f}x"
                  " the time")


if __name__ == "__main__":
    main([int(a) for a in sys.argv[1:]] or [10_000, 100_000])
