"""Convert the UCSD catalog (course-grapher's courses.jsonl) into a trackdesign specs folder.

Prerequisite and corequisite trees are AND/OR/"two of" nodes, read exactly by the importers' own
reader (trackdesign.importers.expressions). This script adds units as hours, for the benchmarks.

    python bench/ucsd.py ../shared/data/catalogs/ucsd/courses.jsonl bench/out/ucsd-specs
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import yaml

from trackdesign.importers.expressions import CO, course_id, requirements


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
    found = requirements(record.get("prereqs"))
    found.extend(requirements(record.get("coreqs"), CO))
    spec.update(found.fields())
    if found.version > 1:
        spec = {"spec_version": found.version, **spec}
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
