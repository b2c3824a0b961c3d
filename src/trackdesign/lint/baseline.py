"""A baseline: today's findings recorded, so that CI fails only on findings that are new.

A catalog adopted from elsewhere lints with thousands of findings on day one; nobody can fix them
before the next change must pass. The baseline records each finding by what it is, not where it
is: rule code, file (relative to the specs folder), subject and message, without line or column
(and with "line N" inside messages made neutral), so inserting lines above a finding does not
make it new. Identical keys are counted, so a second copy of an old problem is new.
"""

from __future__ import annotations

import json
import os
import re
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Iterable

from trackdesign.lint.findings import Finding

VERSION = 1
#: where a message names a place: "at line 12", "specs/a.yaml:12:3"
LINE_IN_MESSAGE = re.compile(r"\b(lines? )\d+(?:[-,] ?\d+)*\b|(\.ya?ml:)\d+(?::\d+)?")


class BaselineError(Exception):
    """The baseline file cannot be read (exit 2)."""


def key(finding: Finding, root: Path) -> tuple[str, str, str, str]:
    """What identifies a finding across edits that only move it: (code, file, subject, message)."""
    where = Path(finding.path)
    try:
        shown = os.path.relpath(where.resolve(), root.resolve()) if finding.path else ""
    except ValueError:  # another drive on Windows
        shown = finding.path
    message = LINE_IN_MESSAGE.sub(lambda m: f"{m.group(1) or m.group(2)}N", finding.message)
    return finding.code, Path(shown).as_posix(), finding.subject or "", message


def write(path: Path, findings: Iterable[Finding], root: Path) -> int:
    """Record `findings` in `path` (sorted, one per line, so that its diffs are readable); their count."""
    from trackdesign.atomic import write_text

    counts = Counter(key(f, root) for f in findings)
    entries = [{"code": c, "path": p, "subject": s, "message": m, **({"count": n} if n > 1 else {})}
               for (c, p, s, m), n in sorted(counts.items())]
    lines = ",\n".join("    " + json.dumps(entry, ensure_ascii=False) for entry in entries)
    write_text(path, f'{{\n  "version": {VERSION},\n  "findings": [\n{lines}\n  ]\n}}\n' if entries
               else f'{{\n  "version": {VERSION},\n  "findings": []\n}}\n')
    return sum(counts.values())


def load(path: Path) -> Counter:
    """The recorded keys of a baseline file, counted."""
    try:
        data = json.loads(Path(path).read_text(encoding="utf-8"))
    except OSError as exc:
        raise BaselineError(f"{path}: cannot read the baseline: {exc.strerror}") from None
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        raise BaselineError(f"{path}: not a baseline written by `lint --write-baseline` ({exc})") from None
    if not isinstance(data, dict) or data.get("version") != VERSION or not isinstance(data.get("findings"), list):
        raise BaselineError(f"{path}: expected a baseline of version {VERSION} (write it again with"
                            " `lint --write-baseline`)")
    counts: Counter = Counter()
    for number, entry in enumerate(data["findings"], 1):
        try:
            counts[(entry["code"], entry["path"], entry["subject"], entry["message"])] += int(entry.get("count", 1))
        except (KeyError, TypeError, ValueError):
            raise BaselineError(f"{path}: finding {number} lacks code, path, subject or message") from None
    return counts


@dataclass
class Comparison:
    new: list[Finding] = field(default_factory=list)
    remaining: int = 0  # findings of the baseline still there
    fixed: list[tuple[str, str, str, str]] = field(default_factory=list)  # keys of the baseline no longer found
    unchecked: int = 0  # baseline findings of rules that did not run (e.g. link checks without the network)


def compare(findings: Iterable[Finding], baseline: Counter, root: Path,
            ran: Callable[[str], bool] | None = None) -> Comparison:
    """Split today's findings into new ones and those the baseline holds; list what it holds no more."""
    result = Comparison()
    left = Counter(baseline)
    for finding in findings:
        k = key(finding, root)
        if left[k] > 0:
            left[k] -= 1
            result.remaining += 1
        else:
            result.new.append(finding)
    for k, n in sorted(left.items()):
        if n <= 0:
            continue
        if ran is not None and not ran(k[0]):
            result.unchecked += n
        else:
            result.fixed.extend([k] * n)
    return result
