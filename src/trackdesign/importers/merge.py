"""Merging imported specs into a specs folder that may already hold some of them.

A team that imports a proposal usually has specs for its prerequisite courses already, with their
own prerequisites; replacing them would lose exactly what lets the linter check the proposal. So
an existing spec is reused: it gains the fields it lacks, each field that disagrees is reported
as a conflict (the spec's value is kept unless `overwrite`), and its comments and layout are kept
(`spec/yamledit.py`). Every merged text is checked to load back to the intended data.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import yaml

from trackdesign.importers import Imported
from trackdesign.spec.files import FOLDERS, SpecsNotFound, discover, display_path
from trackdesign.spec.yamledit import dump, set_keys


@dataclass
class Plan:
    writes: dict[Path, str] = field(default_factory=dict)  # every file to write, with its whole text
    added: list[Path] = field(default_factory=list)  # new spec files
    merged: dict[Path, list[str]] = field(default_factory=dict)  # existing files -> the fields they gain or change
    reused: list[Path] = field(default_factory=list)  # existing files left exactly as they are

    def changes(self) -> list[str]:
        """One line per existing spec the import completes: which fields it gains."""
        return [f"{display_path(path)}: gains {', '.join(fields)}" for path, fields in self.merged.items()]

    def summary(self) -> str:
        return (f"{len(self.added)} new spec(s), {len(self.merged)} existing spec(s) completed,"
                f" {len(self.reused)} reused as they are")


def existing_specs(out: Path) -> dict[tuple[str, str], Path]:
    """(folder, id) -> file, for the specs already in `out` (in any subfolder, .yaml or .yml)."""
    try:
        return {(folder, stem): Path(path) for folder, path, _, stem in discover(out)}
    except SpecsNotFound:
        return {}


def plan(out: Path, imported: Imported, overwrite: bool = False) -> Plan:
    result = Plan()
    present = existing_specs(out)
    for folder in FOLDERS:
        for spec_id, data in imported.specs().get(folder, {}).items():
            path = present.get((folder, spec_id))
            if path is None:
                path = out / folder / f"{spec_id}.yaml"
                result.writes[path] = dump(data)
                result.added.append(path)
                continue
            line = imported.lines.get((folder, spec_id))
            _merge(path, data, line, imported, overwrite, result)
    return result


def _merge(path: Path, data: dict, line: int | None, imported: Imported, overwrite: bool, result: Plan) -> None:
    report, shown = imported.report, display_path(path)
    try:
        text = path.read_text(encoding="utf-8")
        current = yaml.safe_load(text)
    except (OSError, UnicodeDecodeError, yaml.YAMLError) as exc:
        report.add(line, "conflict", f"{shown} cannot be read ({exc.__class__.__name__}); left as it is")
        return
    if not isinstance(current, dict):
        report.add(line, "conflict", f"{shown} does not hold a mapping; left as it is")
        return
    changes = {}
    for key, value in data.items():
        if key not in current:
            changes[key] = value
        elif current[key] != value:
            verb = "replaced by the document's" if overwrite else "kept; the document has"
            report.add(line, "conflict", f"{shown}: {key}: {_short(current[key])} {verb} {_short(value)}")
            if overwrite:
                changes[key] = value
    if not changes:
        result.reused.append(path)
        return
    merged = set_keys(text, changes)
    if merged is None or yaml.safe_load(merged) != {**current, **changes}:
        report.add(line, "conflict", f"{shown}: could not add {', '.join(changes)} without changing its layout;"
                                     " left as it is")
        return
    result.writes[path] = merged
    result.merged[path] = list(changes)


def _short(value, limit: int = 70) -> str:
    text = repr(value)
    return text if len(text) <= limit else text[:limit - 4] + "...'"
