"""Additive edits of a spec's text that keep what its author wrote: comments, quotes, key order.

Importers and review workbooks add to specs people maintain by hand (a missing field, a new item
in a list); a re-dump would lose the comments. These edits go through ruamel.yaml's round-trip
document, change only the nodes they add to, and are checked to load back to the intended data.
"""

from __future__ import annotations

import io

import yaml


def dump(data: dict) -> str:
    """A new spec's text: keys in the order given, Unicode as is, long lines never wrapped."""
    return yaml.dump(data, Dumper=getattr(yaml, "CSafeDumper", yaml.SafeDumper), sort_keys=False,
                     allow_unicode=True, width=4096)


def _round_trip():
    from ruamel.yaml import YAML

    rt = YAML(typ="rt")
    rt.preserve_quotes = True
    rt.width = 4096  # never re-wrap long descriptions
    rt.indent(mapping=2, sequence=4, offset=2)
    return rt


def _edit(text: str, change) -> str | None:
    from ruamel.yaml.error import YAMLError

    rt = _round_trip()
    try:
        document = rt.load(text)
        expected = change(document)
        buffer = io.StringIO()
        rt.dump(document, buffer)
    except (YAMLError, TypeError, ValueError, KeyError, IndexError, AttributeError):
        return None
    result = buffer.getvalue()
    try:
        return result if yaml.safe_load(result) == expected else None
    except yaml.YAMLError:
        return None


def set_keys(text: str, changes: dict) -> str | None:
    """`text` with top-level `changes` set (new keys last), or None when that cannot be done cleanly."""
    before = yaml.safe_load(text)

    def change(document):
        for key, value in changes.items():
            document[key] = value
        return {**before, **changes}

    return _edit(text, change)


def insert_items(text: str, key: str, items: list[tuple[int, object]]) -> str | None:
    """`text` with each (index, value) inserted into the top-level list `key` (created if absent)."""
    before = yaml.safe_load(text)

    def change(document):
        expected = list(before.get(key) or [])
        if key not in document or document[key] is None:
            document[key] = []
        target = document[key]
        for index, value in sorted(items, key=lambda item: item[0]):
            at = min(index, len(expected))
            target.insert(at, value)
            expected.insert(at, value)
        return {**before, key: expected}

    return _edit(text, change)
