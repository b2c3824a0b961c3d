"""Convert the UCSD catalog (course-grapher's courses.jsonl) into a trackdesign specs folder.

Prerequisite trees are AND/OR/"two of" nodes; the spec model has AND of (course | any_of[courses]).
Where a tree nests deeper than that, we keep a sound under-approximation: a nested "all" inside an
alternative is represented by its first course, and "two of" by "any of". Either can only make a
requirement look weaker, never stronger, so redundancy found on the converted specs is real.

    python bench/ucsd.py ../shared/data/catalogs/ucsd/courses.jsonl bench/out/ucsd-specs
"""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path

import yaml


def course_id(code: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", code.lower()).strip("-")


def _alternatives(node) -> list[str]:
    """The courses any one of which satisfies `node` (sound: fewer guarantees, never more)."""
    if isinstance(node, str):
        return [course_id(node)]
    if node["type"] == "all":
        return _alternatives(node["courses"][0])[:1] if node["courses"] else []
    result = []
    for child in node["courses"]:
        for alt in _alternatives(child):
            if alt not in result:
                result.append(alt)
    return result


def prerequisites(tree) -> list:
    """The spec's prerequisite list for a UCSD tree."""
    if not tree:
        return []
    if isinstance(tree, str):
        return [course_id(tree)]
    if tree["type"] == "all":
        entries = []
        for child in tree["courses"]:
            for entry in prerequisites(child) if isinstance(child, str) or child["type"] == "all" else [_group(child)]:
                if entry and entry not in entries:
                    entries.append(entry)
        return entries
    group = _group(tree)
    return [group] if group else []


def _group(node):
    alts = _alternatives(node)
    if not alts:
        return None
    return alts[0] if len(alts) == 1 else {"any_of": alts}


def records(jsonl: Path):
    with open(jsonl, encoding="utf-8") as handle:
        for line in handle:
            if line.strip():
                yield json.loads(line)


def to_spec(record: dict) -> dict:
    spec = {"title": record["title"] or record["code"], "status": "live"}
    if record.get("anchor"):
        dept = record["dept"]
        spec["url"] = f"https://catalog.ucsd.edu/courses/{dept}.html#{record['anchor']}"
    spec["description"] = record["description"]
    prereqs = prerequisites(record.get("prereqs"))
    if prereqs:
        spec["prerequisites"] = prereqs
    try:
        spec["hours"] = float(record["units"]) * 10
    except (TypeError, ValueError, KeyError):
        pass
    return spec


def convert(jsonl: Path, out: Path) -> int:
    """Write one course file per record; return how many were written."""
    (out / "courses").mkdir(parents=True, exist_ok=True)
    (out / "tracks").mkdir(parents=True, exist_ok=True)
    count = 0
    seen = set()
    for record in records(jsonl):
        cid = course_id(record["code"])
        if cid in seen:
            continue
        seen.add(cid)
        text = yaml.dump(to_spec(record), Dumper=getattr(yaml, "CSafeDumper", yaml.SafeDumper), sort_keys=False,
                         allow_unicode=True, width=4096)
        (out / "courses" / f"{cid}.yaml").write_text(text, encoding="utf-8")
        count += 1
    return count


if __name__ == "__main__":
    print(convert(Path(sys.argv[1]), Path(sys.argv[2])), "courses written")
