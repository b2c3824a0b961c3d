"""Importers: specs from documents and tables designers already have.

Writing is shared: a spec file is written atomically, a file that already holds the same data is
left alone, and a file that holds something else is never overwritten unless asked.
"""

from __future__ import annotations

from pathlib import Path

import yaml


def dump(data: dict) -> str:
    return yaml.dump(data, Dumper=getattr(yaml, "CSafeDumper", yaml.SafeDumper), sort_keys=False,
                     allow_unicode=True, width=4096)


def plan_writes(out: Path, specs: dict[str, dict[str, dict]], overwrite: bool):
    """({path: text} to write, [existing paths that differ and would be overwritten])."""
    writes, clashes = {}, []
    for folder, items in specs.items():
        for spec_id, data in items.items():
            path = out / folder / f"{spec_id}.yaml"
            text = dump(data)
            if path.exists():
                try:
                    same = yaml.safe_load(path.read_text(encoding="utf-8")) == yaml.safe_load(text)
                except (yaml.YAMLError, UnicodeDecodeError):
                    same = False
                if same:
                    continue
                if not overwrite:
                    clashes.append(path)
                    continue
            writes[path] = text
    return writes, clashes


def write_all(writes: dict[Path, str]) -> None:
    from trackdesign.atomic import write_text

    for path, text in writes.items():
        write_text(path, text)
