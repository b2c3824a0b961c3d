"""Apply rules' safe fixes to spec files, keeping comments, key order and formatting.

Edits go through ruamel.yaml's round-trip mode, which keeps comments and layout, and are checked
before writing: the edited file must load to exactly the data we meant to produce, otherwise the
file is left untouched and the fix reported as skipped.
"""

from __future__ import annotations

import io
from collections import defaultdict

from ruamel.yaml import YAML

from trackdesign.atomic import write_text
from trackdesign.spec.yamldoc import YamlError, load_located


def _yaml() -> YAML:
    yaml = YAML(typ="rt")
    yaml.preserve_quotes = True
    yaml.width = 4096  # never re-wrap long descriptions
    yaml.indent(mapping=2, sequence=4, offset=2)
    return yaml


def _text_edit(text: str, located, fix) -> str | None:
    """The smallest textual edit that applies `fix`, or None where the layout is not a simple one.

    Editing the text rather than re-dumping a document is what keeps every comment, quote and
    blank line exactly as the author wrote them.
    """
    lines = text.splitlines(keepends=True)
    if fix.path not in located.values:
        return None
    line, column = located.values[fix.path]
    row, col = line - 1, column - 1
    current = lines[row]
    if fix.action == "delete" and isinstance(fix.path[-1], int):
        before = current[:col]
        if before.strip() == "-" or before.rstrip().endswith("-") and not before.strip(" -"):
            dash = len(before) - len(before.lstrip(" "))
            end = row + 1
            while end < len(lines) and (not lines[end].strip() and end + 1 < len(lines) and
                                        _indent(lines[end + 1]) > dash or lines[end].strip() and _indent(lines[end]) > dash):
                end += 1
            return "".join(lines[:row] + lines[end:])
        return None
    if fix.action == "set" and isinstance(fix.value, str) and current[col:col + 1] not in ("|", ">", "[", "{"):
        rest = current[col:]
        if rest[:1] in ("'", '"'):
            quote = rest[0]
            close = rest.find(quote, 1)
            if close < 0:
                return None
            span = close + 1
        else:
            comment = rest.find(" #")
            span = len(rest.rstrip("\r\n")) if comment < 0 else comment
            span = len(rest[:span].rstrip())
        new = yaml_scalar(fix.value)
        lines[row] = current[:col] + new + current[col + span:]
        return "".join(lines)
    return None


def _indent(line: str) -> int:
    return len(line) - len(line.lstrip(" "))


def yaml_scalar(value: str) -> str:
    """A value written as a plain scalar where YAML reads it back unchanged, else double-quoted."""
    import json

    try:
        if load_located(f"k: {value}\n").data == {"k": value} and "#" not in value:
            return value
    except YamlError:
        pass
    return json.dumps(value, ensure_ascii=False)


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


def edit_text(text: str, items) -> tuple[str | None, list, list]:
    """Apply [(Fix, label)] to a spec's text: (new text or None, applied labels, skipped (label, reason)).

    A textual edit where the layout allows (every comment and quote kept exactly), else a round-trip
    YAML edit; either way the result must load to exactly the data intended, or nothing changes.
    """
    located = load_located(text)
    expected = located.data
    done, skipped, edited = [], [], text
    textual = True
    # from the end of the file backwards, so that earlier positions stay valid
    for fix, label in sorted(items, key=lambda item: located.values.get(item[0].path, (0, 0)), reverse=True):
        try:
            eparent, last = _navigate(expected, fix.path)
            if fix.expect is not None and _plain(eparent.get(last) if isinstance(eparent, dict)
                                                 else eparent[last]) != fix.expect:
                skipped.append((label, "the spec changed since it was checked"))
                continue
            if fix.action == "delete":
                del eparent[last]
            else:
                eparent[last] = fix.value
        except (KeyError, IndexError, TypeError):
            skipped.append((label, "the spec changed since it was checked"))
            continue
        if textual:
            result = _text_edit(edited, located, fix)
            textual = result is not None
            edited = result if result is not None else edited
        done.append((fix, label))
    if not done:
        return None, [], skipped
    new_text = edited if textual and _loads_to(edited, expected) else _round_trip(text, [f for f, _ in done])
    if new_text is None or not _loads_to(new_text, expected):
        skipped.extend((label, "could not rewrite the file without changing other content") for _, label in done)
        return None, [], skipped
    return new_text, [label for _, label in done], skipped


def apply_fixes(fixes) -> tuple[list, list]:
    """Apply [(spec, Fix, finding)]; return (applied findings, skipped (finding, reason))."""
    by_spec = defaultdict(list)
    for spec, fix, finding in fixes:
        by_spec[spec].append((fix, finding))
    applied, skipped = [], []
    for spec, items in by_spec.items():
        new_text, done, missed = edit_text(spec.file.read_text(encoding="utf-8"), items)
        skipped.extend(missed)
        if new_text is not None:
            write_text(spec.file, new_text)
            applied.extend(done)
    return applied, skipped


def _loads_to(text: str, expected) -> bool:
    try:
        return load_located(text).data == expected
    except YamlError:
        return False


def _round_trip(text: str, fixes) -> str | None:
    """The general path: edit through ruamel.yaml's round-trip document (keeps comments)."""
    yaml = _yaml()
    document = yaml.load(text)
    def order(fix):  # list items from the last, so deletions keep earlier indexes valid
        return tuple((0, e, "") if isinstance(e, int) else (1, 0, str(e)) for e in fix.path)

    for fix in sorted(fixes, key=order, reverse=True):
        parent, last = _navigate(document, fix.path)
        if fix.action == "delete":
            del parent[last]
        elif fix.path == ("spec_version",) and last not in parent:
            parent.insert(0, last, fix.value)  # the version heads the file
        else:
            parent[last] = fix.value
    buffer = io.StringIO()
    yaml.dump(document, buffer)
    return buffer.getvalue()
