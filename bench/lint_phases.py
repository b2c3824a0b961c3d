"""Where one cold lint spends its time: importing, loading, each rule, against the parse floor.

One process, as `trackdesign lint DIR --no-links --no-cache` runs: the collector paused and frozen
as the console entry point does, rules in registry order sharing what they derive (the overlap
index, the prose words, the requisites graph), so a rule's seconds include the shared work it
happens to build first. The floor is PyYAML's C loader parsing the same files in this process.
The ratio to print is each part's share of the floor, measured in the same run.

    python bench/lint_phases.py DIR [--top 12]      # DIR: a specs folder, e.g. one bench/generate.py wrote
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))


def floor(folder: Path) -> float:
    """Seconds to parse every spec of `folder` with libyaml's C loader."""
    import yaml

    start = time.perf_counter()
    for kind in ("courses", "tracks"):
        for dirpath, _, names in os.walk(folder / kind):
            for name in names:
                with open(os.path.join(dirpath, name), encoding="utf-8") as handle:
                    yaml.load(handle.read(), Loader=yaml.CSafeLoader)
    return time.perf_counter() - start


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("folder", type=Path)
    parser.add_argument("--top", type=int, default=12, help="rules shown, slowest first")
    args = parser.parse_args(argv)

    start = time.perf_counter()
    from trackdesign import gcpause
    from trackdesign.cli.common import load
    from trackdesign.lint import engine

    gcpause.freeze_on_resume = True
    imported = time.perf_counter()
    _, catalog, config = load(args.folder)
    loaded = time.perf_counter()
    seconds = []
    run_rule = engine.run_rule

    def timed(rule, *rest):
        begin = time.perf_counter()
        run_rule(rule, *rest)
        seconds.append((time.perf_counter() - begin, rule.code))

    engine.run_rule = timed
    result = engine.lint(catalog, config, network=False)
    done = time.perf_counter()
    parse = floor(args.folder)

    rows = [("import trackdesign", imported - start), ("load the catalog", loaded - imported),
            ("run every rule", done - loaded)]
    rows += [(f"  {code}", value) for value, code in sorted(seconds, reverse=True)[:args.top]]
    print(f"{len(catalog.courses):,} courses, {len(result.findings):,} findings; floor (parse only) {parse:.2f} s\n")
    print("| part | seconds | x floor |\n| --- | ---: | ---: |")
    for name, value in rows:
        print(f"| {name} | {value:.2f} | {value / parse:.2f} |")


if __name__ == "__main__":
    main()
