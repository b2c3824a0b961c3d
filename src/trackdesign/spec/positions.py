"""Where a path's key or value was written in a block-style spec, found from the text's lines.

A finding names a spec and a path in it; its line and column are where PyYAML marks that node.
Parsing the whole file again for them (`load_located`) cost 0.3-0.5 ms a course, and a lint of
10,000 courses needs them for about 1,200 files. Most specs are plain block YAML (keys, `- `
items, one-line scalars), where a node is found by its indentation alone: a mapping's keys and a
sequence's items sit at its own indentation, everything deeper belongs to one of them.

`locate` answers only where that holds beyond doubt and says None otherwise (the caller parses
then): texts the `fastyaml` screens refuse, a quoted scalar or a flow collection not closed on
its own line (PyYAML lets their later lines sit at any indentation), keys written other than as
plain words, and a step of the path not found (which a parse reports as the nearest ancestor's
position). Tests hold it to `load_located`'s positions on every node of the example, UCSD and
generated specs and of random documents.
"""

from __future__ import annotations

import re

from trackdesign.spec.fastyaml import screened

#: A plain key as specs write them, up to its colon (followed by a space or the line's end).
_KEY = re.compile(r"([A-Za-z_][A-Za-z0-9_.-]*(?: [A-Za-z0-9_.-]+)*) *:(?= |$)")
#: What starts a node we do not descend into or whose extent we cannot see from indentation.
_UNSURE = frozenset("&*!%@`?,#")


class _Bail(Exception):
    """Something only a parser can place."""


def lines_of(text: str) -> _Lines | None:
    """The lines `locate` reads, or None for a text it cannot place nodes in."""
    if text.startswith(("\ufeff", "---", "...")) or not screened(text):
        return None
    # only the lines holding a quote or a bracket, not every line; and each character alone
    # first, found at once where a pattern reads the whole text
    found = _OPENING.search(text) if "'" in text or '"' in text or "[" in text or "{" in text else None
    while found:
        start = text.rfind("\n", 0, found.start()) + 1
        end = text.find("\n", found.start())
        end = len(text) if end < 0 else end
        if not _closed_on_its_line(text[start:end]):
            return None
        found = _OPENING.search(text, end)
    return _Lines(text.split("\n"))


_OPENING = re.compile(r"['\"\[{]")


class _Lines(list):
    """A text's lines, and how far each mapping's keys and sequence's items have been scanned: a
    track of 10,000 courses has a finding on each of its courses, and scanning the list from its
    start for each was quadratic (13 s). A scan goes only as far as the node asked for, and the
    next lookup in the same mapping or sequence goes on from there."""

    def __init__(self, lines):
        super().__init__(lines)
        self.scans: dict[tuple[int, int], _Scan] = {}

    def scan(self, node, scanner) -> _Scan:
        found = self.scans.get(node)
        if found is None:
            found = self.scans[node] = _Scan(scanner(self, node))
        return found


class _Scan:
    """What a scanner has yielded so far, (name or index, entry) pairs, and the rest to come."""

    def __init__(self, pairs):
        self.seen: dict = {}
        self._pairs = pairs

    def get(self, name):
        while name not in self.seen and self._pairs is not None:
            try:
                found, entry = next(self._pairs)
            except StopIteration:
                self._pairs = None
                break
            self.seen.setdefault(found, entry)
        return self.seen.get(name)


def locate(lines: _Lines, path: tuple, key: bool = False) -> tuple[int, int] | None:
    """(line, column) as `Located.position(path, key)` gives them, or None when unsure; `lines`
    from `lines_of`."""
    try:
        start = _next_content(lines, 0)
        if start is None:
            return None
        node = (start, _indent(lines[start]))
        values = {(): node}
        keys: dict[tuple, tuple[int, int]] = {}
        for depth, step in enumerate(path):
            if type(step) is int:
                node = _item(lines, node, step)
            elif type(step) is str:
                keys[path[:depth + 1]], node = _entry(lines, node, step)
            else:
                return None
            values[path[:depth + 1]] = node
    except _Bail:
        return None
    if not key:
        return _one_based(values[tuple(path)])
    probe = tuple(path)  # as `Located.position` with key=True: the nearest path that is a key
    while probe:
        if probe in keys:
            return _one_based(keys[probe])
        probe = probe[:-1]
    return _one_based(values[()])


def _one_based(at: tuple[int, int]) -> tuple[int, int]:
    return at[0] + 1, at[1] + 1


def _indent(line: str) -> int:
    return len(line) - len(line.lstrip(" "))


def _is_item(rest: str) -> bool:
    """Whether a line's text from some column on starts a sequence item (`-` then a space or its end)."""
    return rest == "-" or rest.startswith("- ")


def _past_spaces(line: str, at: int) -> int:
    """The first column from `at` on that is not a space."""
    while at < len(line) and line[at] == " ":
        at += 1
    return at


def _next_content(lines: list[str], start: int) -> int | None:
    """The first line from `start` that holds more than spaces or a comment."""
    for number in range(start, len(lines)):
        stripped = lines[number].lstrip(" ")
        if stripped and not stripped.startswith("#"):
            return number
    return None


def _closed_on_its_line(line: str) -> bool:
    """Whether a quoted scalar or flow collection starting a value on this line ends on it."""
    at = _indent(line)
    while line.startswith("- ", at):  # items' dashes, then perhaps a key
        at = _past_spaces(line, at + 2)
    found = _KEY.match(line, at)
    if found:
        at = _past_spaces(line, found.end() + 1)
    if at >= len(line):
        return True
    first = line[at]
    if first == '"':
        return line.find('"', at + 1) >= 0  # no backslash escapes here: the screens refuse them
    if first == "'":
        close = at + 1
        while True:
            close = line.find("'", close)
            if close < 0:
                return False
            if not line.startswith("''", close):
                return True
            close += 2
    if first in "[{":
        return line.count("[") == line.count("]") and line.count("{") == line.count("}")
    return True


def _kind(lines: list[str], node: tuple[int, int]) -> str:
    """"map", "seq" or "leaf" for the node starting at (line, column)."""
    line, column = node
    rest = lines[line][column:]
    if _is_item(rest):
        return "seq"
    if not rest or rest[0] in _UNSURE:
        raise _Bail
    if rest[0] in "[{|>":
        return "leaf"
    if rest[0] in "'\"":
        close = rest.find(rest[0], 1)
        if rest[close + 1:].lstrip(" ").startswith(":"):
            raise _Bail  # a quoted key
        return "leaf"
    if _KEY.match(lines[line], column):
        return "map"
    if ": " in rest or rest.endswith(":"):
        raise _Bail  # a key we do not read as a plain word
    return "leaf"


def _entry(lines, node, name: str):
    """(key position, value node) of key `name` of the mapping at `node`."""
    number, column, colon = _lookup(lines, node, name, _entries)
    return (number, column), _value(lines, number, column, colon)


def _lookup(lines: _Lines, node, name, scanner):
    entry = lines.scan(node, scanner).get(name)
    if entry is None:
        raise _Bail  # absent (only a parse knows it is), or written in a way we do not read
    return entry


def _entries(lines, node):
    """(key, (line, column, colon's column)) for the keys of the mapping at `node` in turn, up to
    one written in a way we do not read (a quoted key, a complex key...)."""
    try:
        if _kind(lines, node) != "map":
            return
    except _Bail:
        return
    first, column = node
    number = first
    while number is not None:
        line = lines[number]
        if number != first:
            indent = _indent(line)
            if indent < column:
                return
            if indent > column or _is_item(line[column:]):
                number = _next_content(lines, number + 1)
                continue  # a key's value below it, or its items at the key's own indentation
        found = _KEY.match(line, column)
        if not found:
            return
        yield found.group(1), (number, column, line.index(":", found.end(1)))
        number = _next_content(lines, number + 1)


def _value(lines: list[str], number: int, column: int, colon: int):
    """The node after a key's colon (`column`: the key's indentation): on the same line, on the
    lines below (deeper, or `- ` items at the key's own indentation), or an empty value."""
    line = lines[number]
    at = _past_spaces(line, colon + 1)
    if at < len(line) and line[at] != "#":
        return number, at
    below = _next_content(lines, number + 1)
    if below is not None:
        indent = _indent(lines[below])
        if indent > column or (indent == column and _is_item(lines[below][indent:])):
            return below, indent
    return number, colon + 1  # an empty value: PyYAML marks it just after the colon


def _item(lines, node, index: int):
    """The node of item `index` of the sequence at `node`."""
    return _lookup(lines, node, index, _items)


def _items(lines, node):
    """(index, node) for the items of the sequence at `node` in turn (None for an item holding a
    sequence on its own line, which we do not read)."""
    try:
        if _kind(lines, node) != "seq":
            return
    except _Bail:
        return
    first, column = node
    count = 0
    number = first
    while number is not None:
        line = lines[number]
        indent = _indent(line) if number != first else column
        if number != first and indent < column:
            return
        if indent == column or number == first:
            if not _is_item(line[column:]):
                return  # the end of a sequence at its key's indentation
            at = _past_spaces(line, column + 1)
            if at < len(line) and line[at] != "#":
                yield count, None if _is_item(line[at:]) else (number, at)
            else:
                below = _next_content(lines, number + 1)
                if below is not None and _indent(lines[below]) > column:
                    yield count, (below, _indent(lines[below]))
                else:
                    yield count, (number, column + 1)  # an empty item: marked just after its dash
            count += 1
        number = _next_content(lines, number + 1)
