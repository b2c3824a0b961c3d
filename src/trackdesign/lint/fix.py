"""Apply safe fixes to spec files, changing nothing but the values they mean to change.

Each fix is an edit of the file's text where the value is written (`trackdesign.spec.yamledit`),
so comments, quotes, anchors, flow or block style, CRLF line ends and a byte-order mark all stay.
Every edit is checked before it is kept: the edited file must load to exactly the data intended
(the old data with that one change), otherwise the fix is reported as skipped and the file is
left as it was.
"""

from __future__ import annotations

import copy
from collections import defaultdict

from trackdesign.atomic import WriteError, write_text
from trackdesign.spec import yamledit
from trackdesign.spec.yamldoc import YamlError, load_located

STALE = "the spec changed since it was checked"


class _Stale(Exception):
    pass


def edit_text(text: str, items) -> tuple[str | None, list, list]:
    """Apply [(Fix, label)] to a spec's text: (new text or None, applied labels, skipped (label, reason)).

    Fixes are applied from the end of the file backwards, so that removing a list item never
    renumbers an item another fix names.
    """
    try:
        data = load_located(text).data
    except YamlError as exc:
        reason = f"the file no longer reads as YAML (line {exc.line}: {exc.message})"
        return None, [], [(label, reason) for _, label in items]
    try:
        nodes = yamledit.parse(text)
    except yamledit.EditError as exc:  # YAML the loader reads and the editor's stricter reader does not
        reason = f"the editor cannot place its change in this file ({exc}); make it by hand"
        return None, [], [(label, reason) for _, label in items]
    done, skipped = [], []

    def place(item):
        fix = item[0]
        node = nodes.get(tuple(fix.path))
        return (node.start if node else len(text), fix.span[0] if fix.span else 0)

    for fix, label in sorted(items, key=place, reverse=True):
        try:
            wanted = _applied(data, fix)
        except _Stale:
            skipped.append((label, STALE))
            continue
        try:
            text = _edit(text, fix, data, lambda edited: _loads_to(edited, wanted))
        except yamledit.EditError as exc:
            skipped.append((label, f"could not edit the file in place: {exc}"))
            continue
        data = wanted
        done.append(label)
    return (text if done else None), done, skipped


def _applied(data, fix):
    """The document's data once `fix` is applied; _Stale when the value is not what it expects."""
    result = copy.deepcopy(data)
    try:
        parent = result
        for element in fix.path[:-1]:
            parent = parent[element]
        last = fix.path[-1]
        if fix.action != "set" or fix.span or fix.expect is not None:
            current = parent[last]
        if fix.span:
            # the text up to the part's end as the rule saw it: a fix further on in the same text,
            # applied first, leaves that much alone
            start, end = fix.span
            if not isinstance(current, str) or (fix.expect is not None and current[:end] != fix.expect[:end]):
                raise _Stale
            parent[last] = current[:start] + fix.value + current[end:]
        elif fix.expect is not None and current != fix.expect:
            raise _Stale
        elif fix.action == "delete":
            del parent[last]
        else:
            parent[last] = fix.value
    except (KeyError, IndexError, TypeError):
        raise _Stale from None
    return result


def _edit(text: str, fix, data, accept) -> str:
    path = tuple(fix.path)
    if fix.action == "delete":
        return yamledit.delete(text, path, accept)
    if fix.span:
        current = data
        for element in path:
            current = current[element]
        start, end = fix.span
        return yamledit.replace_part(text, path, current, start, current[start:end], fix.value, accept)
    return yamledit.set_value(text, path, fix.value, accept)


def read_spec_text(path) -> str:
    """A spec file's text exactly as stored (CRLF and a byte-order mark kept), for editing."""
    with open(path, "rb") as handle:
        return handle.read().decode("utf-8")


def apply_fixes(fixes) -> tuple[list, list]:
    """Apply [(spec, Fix, finding)]; return (applied findings, skipped (finding, reason))."""
    by_spec = defaultdict(list)
    for spec, fix, finding in fixes:
        by_spec[spec].append((fix, finding))
    applied, skipped = [], []
    for spec, items in by_spec.items():
        try:
            text = read_spec_text(spec.file)
        except (OSError, UnicodeDecodeError) as exc:
            skipped.extend((finding, f"cannot read the file ({exc})") for _, finding in items)
            continue
        new_text, done, missed = edit_text(text, items)
        skipped.extend(missed)
        if new_text is None:
            continue
        try:
            write_text(spec.file, new_text)
        except WriteError as exc:
            skipped.extend((finding, exc.reason) for finding in done)
            continue
        applied.extend(done)
    return applied, skipped


def _loads_to(text: str, expected) -> bool:
    try:
        return load_located(text).data == expected
    except YamlError:
        return False
