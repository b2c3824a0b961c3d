"""Apply rules' safe fixes to spec files, keeping comments, key order and formatting.

Edits go through ruamel.yaml's round-trip mode, which keeps comments and layout, and are checked
before writing: the edited file must load to exactly the data we meant to produce, otherwise the
file is left untouched and the fix reported as skipped.
"""

from __future__ import annotations

import io
import re
from collections import defaultdict

from ruamel.yaml import YAML

from trackdesign.atomic import write_text
from trackdesign.spec.yamlload import YamlError, load_located


def _yaml() -> YAML:
    yaml = YAML(typ="rt")
    yaml.preserve_quotes = True
    yaml.width = 4096  # never re-wrap long descriptions
    return yaml


def _indentation(text: str) -> tuple[int, int]:
    """(mapping indent, sequence dash offset) as the file writes them, so a dump looks the same."""
    mapping, offset = 2, 0
    for previous, line in zip(text.splitlines(), text.splitlines()[1:]):
        stripped = line.lstrip(" ")
        if stripped.startswith("- ") and previous.rstrip().endswith(":"):
            offset = len(line) - len(stripped) - (len(previous) - len(previous.lstrip(" ")))
            break
    for line in text.splitlines():
        match = re.match(r"^( +)[A-Za-z_][\w-]*:", line)
        if match:
            mapping = len(match.group(1)) if not line.lstrip().startswith("-") else mapping
            break
    return mapping, offset


def _plain(data):
    if isinstance(data, dict):
        return {k: _plain(v) for k, v in data.items()}
    if isinstance(data, list):
        return [_plain(v) for v in data]
    return data


def _navigate(root, path):
    node = root
    for element in path[:-1]:
        node = node[element]
    return node, path[-1]


def apply_fixes(fixes) -> tuple[list, list]:
    """Apply [(spec, Fix, finding)]; return (applied findings, skipped (finding, reason))."""
    by_spec = defaultdict(list)
    for spec, fix, finding in fixes:
        by_spec[spec].append((fix, finding))
    applied, skipped = [], []
    for spec, items in by_spec.items():
        text = spec.file.read_text(encoding="utf-8")
        yaml = _yaml()
        mapping, offset = _indentation(text)
        yaml.indent(mapping=mapping, sequence=mapping + offset, offset=offset)
        document = yaml.load(text)
        expected = load_located(text).data
        done = []
        # deletions from the end so that earlier indexes stay valid
        for fix, finding in sorted(items, key=lambda item: item[0].path, reverse=True):
            try:
                parent, last = _navigate(document, fix.path)
                eparent, _ = _navigate(expected, fix.path)
                if fix.expect is not None and _plain(parent[last]) != fix.expect:
                    skipped.append((finding, "the spec changed since it was checked"))
                    continue
                if fix.action == "delete":
                    del parent[last]
                    del eparent[last]
                else:
                    parent[last] = fix.value
                    eparent[last] = fix.value
                done.append(finding)
            except (KeyError, IndexError, TypeError):
                skipped.append((finding, "the spec changed since it was checked"))
        if not done:
            continue
        buffer = io.StringIO()
        yaml.dump(document, buffer)
        new_text = buffer.getvalue()
        try:
            if load_located(new_text).data != expected:
                raise YamlError("round trip changed other data", 1, 1)
        except YamlError:
            skipped.extend((finding, "could not rewrite the file without changing other content") for finding in done)
            continue
        write_text(spec.file, new_text)
        applied.extend(done)
    return applied, skipped
