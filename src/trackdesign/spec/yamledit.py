"""Edit a YAML document's text in place, so that every character outside the edited value stays.

Fixes, review workbooks and importers change specs people maintain by hand. Comments, quotes,
anchors, blank lines, flow or block style, CRLF line ends and a byte-order mark are kept because
nothing but the value's own characters is rewritten: the parser's event marks say where each
value, key and list item is written, and an edit splices that span (or adds lines beside the
entries it joins, indented as they are). Each edit is tried in the forms it can take (the value's
own quoting or block style first) and the first whose document loads to the data intended, as
`accept` judges, is kept; when none does, the edit raises EditError and the text is left alone.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field

import yaml

class EditError(Exception):
    """This edit cannot be made without touching other text."""


@dataclass
class Node:
    kind: str  # "scalar" | "alias" | "seq" | "map"
    start: int  # first character of the value itself (after any anchor or tag)
    end: int  # one past its last character (a block scalar's trailing blank lines left out)
    style: str | None = None  # a scalar's: None (plain), "'", '"', "|", ">"
    flow: bool = False  # written inside [...] or {...}, itself or an ancestor
    key: tuple[int, int] | None = None  # a mapping value's key, as written
    children: list = field(default_factory=list)  # keys or indexes, in order


def parse(text: str) -> dict[tuple, Node]:
    """Every value's node, by its path of keys (as written) and indexes. Raises EditError when
    the text is not one YAML document whose keys are all scalars."""
    try:
        events = iter(list(yaml.parse(text, Loader=yaml.SafeLoader)))
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"line {mark.line + 1}, column {mark.column + 1}: " if mark is not None else ""
        raise EditError(f"{where}{getattr(exc, 'problem', None) or exc}") from None
    nodes: dict[tuple, Node] = {}
    for event in events:
        if isinstance(event, yaml.DocumentStartEvent):
            _read(text, events, next(events), (), nodes, False)
            break
    return nodes


def _read(text, events, event, path, nodes, in_flow) -> Node:
    if isinstance(event, yaml.AliasEvent):
        node = Node("alias", event.start_mark.index, event.end_mark.index, flow=in_flow)
    elif isinstance(event, yaml.ScalarEvent):
        start, end = _value_start(text, event), event.end_mark.index
        if event.style in ("|", ">"):
            while end > start and text[end - 1] in " \t\r\n":
                end -= 1
        node = Node("scalar", start, end, event.style, in_flow)
    elif isinstance(event, (yaml.SequenceStartEvent, yaml.MappingStartEvent)):
        mapping = isinstance(event, yaml.MappingStartEvent)
        flow = in_flow or bool(event.flow_style)
        node = Node("map" if mapping else "seq", _value_start(text, event), 0, flow=flow)
        last = node.start
        index = 0
        for child in events:
            if isinstance(child, (yaml.SequenceEndEvent, yaml.MappingEndEvent)):
                node.end = child.end_mark.index if flow else last
                break
            if mapping:
                if not isinstance(child, yaml.ScalarEvent):
                    raise EditError("a mapping key is not a plain value")
                key = (child.start_mark.index, child.end_mark.index)
                value = _read(text, events, next(events), path + (child.value,), nodes, flow)
                value.key = key
                node.children.append(child.value)
            else:
                value = _read(text, events, child, path + (index,), nodes, flow)
                node.children.append(index)
                index += 1
            last = value.end
    else:
        raise EditError(f"unexpected {type(event).__name__}")
    nodes[path] = node
    return node


def _value_start(text: str, event) -> int:
    """Where the value starts, past an anchor (`&a`) or tag (`!!str`) written before it."""
    index = event.start_mark.index
    if not (event.anchor or getattr(event, "tag", None)):
        return index
    while index < len(text) and text[index] in "&!":
        while index < len(text) and text[index] not in " \t\r\n":
            index += 1
        while index < len(text) and text[index] in " \t\r\n":
            index += 1
    return index


# --- what importers and workbooks add ----------------------------------------------------------------

def dump(data: dict) -> str:
    """A new spec's text: keys in the order given, Unicode as is, long lines never wrapped."""
    return yaml.dump(data, Dumper=getattr(yaml, "CSafeDumper", yaml.SafeDumper), sort_keys=False,
                     allow_unicode=True, width=4096)


def set_keys(text: str, changes: dict) -> str | None:
    """`text` with top-level `changes` set (new keys last), or None when that cannot be done in place."""
    expected = _loaded(text)
    if not isinstance(expected, dict):
        return None
    try:
        for key, value in changes.items():
            expected = {**expected, key: value}
            text = set_value(text, (key,), value, _accepting(expected))
    except EditError:
        return None
    return text


def insert_items(text: str, key: str, items: list[tuple[int, object]]) -> str | None:
    """`text` with each (index, value) inserted into the top-level list `key` (created if absent),
    or None when that cannot be done in place."""
    expected = _loaded(text)
    if not isinstance(expected, dict) or not isinstance(expected.get(key) or [], list):
        return None
    current = list(expected.get(key) or [])
    try:
        for index, value in sorted(items, key=lambda item: item[0]):
            at = min(index, len(current))
            current.insert(at, value)
            expected = {**expected, key: list(current)}
            if len(current) == 1:
                text = set_value(text, (key,), list(current), _accepting(expected))
            else:
                text = insert(text, (key,), at, value, _accepting(expected))
    except EditError:
        return None
    return text


def _loaded(text: str):
    try:
        return yaml.safe_load(text)
    except yaml.YAMLError:
        return None


def _accepting(expected):
    return lambda edited: _loaded(edited) == expected


# --- edits ------------------------------------------------------------------------------------------

def replace_part(text: str, path: tuple, value_old: str, offset: int, old: str, new: str, accept) -> str:
    """Replace `old`, found at `offset` in the string value at `path` (`value_old`), with `new`.

    The part is spliced where it is written (the same occurrence, counted from the value's start)
    when the value writes it as it reads; otherwise the whole value is written again.
    """
    node = _node(text, path)
    if node.kind == "scalar":
        nth = _occurrences(value_old, old, offset)
        written = text[node.start:node.end]
        at = _nth(written, old, nth)
        if at is not None:
            candidate = text[:node.start + at] + new + text[node.start + at + len(old):]
            if accept(candidate):
                return candidate
    return set_value(text, path, value_old[:offset] + new + value_old[offset + len(old):], accept)


def set_value(text: str, path: tuple, value, accept) -> str:
    """The value at `path` set to `value`; a key missing from its mapping is added."""
    nodes = parse(text)
    node = nodes.get(path)
    if node is None:
        return _insert(text, nodes, path, value, accept)
    newline = _newline(text)
    if isinstance(value, (list, dict)):
        inline = (node.start, node.end, _flow(value) if text[node.start - 1:node.start] in (" ", "[", "{", "")
                  else " " + _flow(value))
        if node.flow or (node.kind not in ("map", "seq") and node.key is None):
            candidates = [inline]
        else:  # a block entry (or a key's scalar, say empty) written again as a block
            candidates = [_entry_span(text, nodes, path) + (_entry(text, nodes, path, value, newline),), inline]
    else:
        candidates = [(node.start, node.end, form) for form in _scalar_forms(text, node, value, newline)]
        if node.kind in ("map", "seq") and not node.flow:  # a block collection becomes a scalar
            start = _after_colon(text, node) if node.key else node.start
            candidates = [(start, node.end, " " + form) for _, _, form in candidates]
    return _first(text, candidates, accept)


def delete(text: str, path: tuple, accept) -> str:
    """The key or list item at `path` removed, with its line when it has one of its own."""
    nodes = parse(text)
    node = nodes.get(path)
    parent = nodes.get(path[:-1])
    if node is None or parent is None:
        raise EditError("no such value")
    if parent.kind == "seq" and len(parent.children) == 1:
        return set_value(text, path[:-1], [], accept)
    if parent.flow:
        start, end = _flow_item_span(text, nodes, path, parent)
    else:
        start, end = _entry_span(text, nodes, path)
    return _first(text, [(start, end, "")], accept)


def insert(text: str, path: tuple, index: int, value, accept) -> str:
    """`value` inserted at `index` of the list at `path`, as an item written like its neighbours."""
    nodes = parse(text)
    node = nodes.get(path)
    if node is None or node.kind != "seq":
        raise EditError("no list to insert into")
    newline = _newline(text)
    if node.flow:
        form = _flow(value) if isinstance(value, (list, dict)) else _plain_or_quoted(value)
        if not node.children:
            at = text.index("[", node.start) + 1
            return _first(text, [(at, at, form)], accept)
        if index < len(node.children):
            item = nodes[path + (node.children[index],)]
            return _first(text, [(item.start, item.start, form + ", ")], accept)
        last = nodes[path + (node.children[-1],)]
        return _first(text, [(last.end, last.end, ", " + form)], accept)
    if index < len(node.children):
        start = _line_start(text, _entry_start(text, nodes, path + (node.children[index],)))
        column = _column(text, _entry_start(text, nodes, path + (node.children[index],)))
        return _first(text, [(start, start, _block([value], column, newline) + newline)], accept)
    last = path + (node.children[-1],)
    column = _column(text, _entry_start(text, nodes, last))
    at = _line_end(text, max(nodes[last].end - 1, node.start))
    before = "" if text[:at].endswith("\n") else newline
    return _first(text, [(at, at, before + _block([value], column, newline) + newline)], accept)


# --- where things are written --------------------------------------------------------------------------

def _node(text: str, path: tuple) -> Node:
    node = parse(text).get(path)
    if node is None:
        raise EditError("no such value")
    return node


def _first(text: str, candidates, accept) -> str:
    for start, end, replacement in candidates:
        if replacement.endswith("\n") and end == len(text) and not text.endswith("\n"):
            replacement = replacement.rstrip("\r\n")  # the last line had no line end: it still has none
        edited = text[:start] + replacement + text[end:]
        if accept(edited):
            return edited
    raise EditError("no edit of this value leaves the rest of the file as it was")


def _line_start(text: str, index: int) -> int:
    return text.rfind("\n", 0, index) + 1


def _line_end(text: str, index: int) -> int:
    found = text.find("\n", index)
    return len(text) if found < 0 else found + 1


def _newline(text: str) -> str:
    return "\r\n" if "\r\n" in text else "\n"


def _entry_start(text: str, nodes, path) -> int:
    """Where a block entry starts: its key, or the dash of its list item."""
    node = nodes[path]
    if node.key is not None:
        return node.key[0]
    dash = text.rfind("-", _line_start(text, node.start), node.start)
    return dash if dash >= 0 else node.start


def _entry_span(text: str, nodes, path) -> tuple[int, int]:
    """The whole lines of a block entry (key or dash through the end of its value's last line)."""
    start = _entry_start(text, nodes, path)
    if text[_line_start(text, start):start].strip(" "):
        raise EditError("the entry shares its line with another")
    return _line_start(text, start), _line_end(text, max(nodes[path].end - 1, start))


def _flow_item_span(text: str, nodes, path, parent: Node) -> tuple[int, int]:
    """A flow item with one separating comma: the one after it, or before it for the last."""
    position = parent.children.index(path[-1])
    node = nodes[path]
    start = node.key[0] if node.key else node.start
    if position + 1 < len(parent.children):
        following = nodes[path[:-1] + (parent.children[position + 1],)]
        return start, following.key[0] if following.key else following.start
    previous = nodes[path[:-1] + (parent.children[position - 1],)]
    return previous.end, node.end


def _after_colon(text: str, node: Node) -> int:
    return text.index(":", node.key[1]) + 1


def _column(text: str, index: int) -> int:
    return index - _line_start(text, index)


def _insert(text: str, nodes, path, value, accept) -> str:
    parent = nodes.get(path[:-1])
    if parent is None or parent.kind != "map" or not isinstance(path[-1], str):
        raise EditError("no mapping to add the key to")
    newline = _newline(text)
    if parent.flow:
        closing = text.rindex("}", parent.start, parent.end)
        pair = f"{_key(path[-1])}: {_flow(value) if isinstance(value, (list, dict)) else _plain_or_quoted(value)}"
        return _first(text, [(closing, closing, (", " if parent.children else "") + pair)], accept)
    first = nodes[path[:-1] + (parent.children[0],)]
    column = _column(text, first.key[0])
    lines = _block({path[-1]: value}, column, newline)
    if path == ("spec_version",):  # the version heads its file
        at = _line_start(text, first.key[0])
        return _first(text, [(at, at, lines + newline)], accept)
    last = nodes[path[:-1] + (parent.children[-1],)]
    at = _line_end(text, max(last.end - 1, last.key[0]))
    before = "" if text[:at].endswith("\n") else newline
    return _first(text, [(at, at, before + lines + newline)], accept)


# --- how values are written -----------------------------------------------------------------------------

def _entry(text: str, nodes, path, value, newline: str) -> str:
    """A block entry's lines for `value`: `key:` and the value indented below, or `- ` and the value."""
    start = _entry_start(text, nodes, path)
    column = _column(text, start)
    entry = {path[-1]: value} if nodes[path].key is not None else [value]
    return _block(entry, column, newline) + newline


class _Indented(yaml.SafeDumper):
    """Lists indented under their key (`key:` then `  - item`), as specs are written."""

    def increase_indent(self, flow=False, indentless=False):
        return super().increase_indent(flow, False)


def _block(data, column: int, newline: str) -> str:
    dumped = yaml.dump(data, Dumper=_Indented, default_flow_style=False, allow_unicode=True, sort_keys=False,
                       width=1 << 30)
    return newline.join(" " * column + line for line in dumped.rstrip("\n").split("\n"))


def _flow(value) -> str:
    return yaml.safe_dump(value, default_flow_style=True, allow_unicode=True, sort_keys=False,
                          width=1 << 30).rstrip("\n")


def _key(name: str) -> str:
    return _plain_or_quoted(name)


def _plain_or_quoted(value) -> str:
    if not isinstance(value, str):
        return yaml.safe_dump(value, default_flow_style=True).split("\n")[0]
    if value and value == value.strip() and "\n" not in value and "#" not in value and ": " not in value:
        return value
    return json.dumps(value, ensure_ascii=False)


def _scalar_forms(text: str, node: Node, value, newline: str) -> list[str]:
    """The ways to write a scalar `value` where `node` is, the node's own style first."""
    if not isinstance(value, str):
        return [yaml.safe_dump(value, default_flow_style=True).split("\n")[0]]
    forms = []
    if node.style in ("|", ">"):
        block = _block_scalar(text, node, value, newline)
        if block:
            forms.append(block)
    elif node.style == "'" and "\n" not in value:
        forms.append("'" + value.replace("'", "''") + "'")
    elif node.style is None and value and value == value.strip() and "\n" not in value:
        forms.append(value)
    forms.append(json.dumps(value, ensure_ascii=False))
    return forms


def _block_scalar(text: str, node: Node, value: str, newline: str) -> str | None:
    """`value` as a literal or folded block scalar at the node's indentation, or None where the
    header would need an indentation indicator or the value's trailing newlines cannot be kept."""
    if not value.strip() or value.endswith("\n\n") or value[0] in " \t":
        return None
    chomp = "" if value.endswith("\n") else "-"
    content = value[:-1] if value.endswith("\n") else value
    written = text[node.start:node.end].split("\n")
    indent = next((len(line) - len(line.lstrip(" ")) for line in written[1:] if line.strip()), None)
    if indent is None:
        indent = _column(text, node.start) + 2
    if node.style == ">" and "\n" not in content and "  " not in content:
        width = max([len(line.strip()) for line in written[1:]] + [40])
        lines = _fill(content, width)
        style = ">"
    else:
        lines, style = content.split("\n"), "|"
    return style + chomp + "".join(newline + (" " * indent + line if line else "") for line in lines)


def _fill(text: str, width: int) -> list[str]:
    """Words in lines of at most `width` (longer words alone), joined back by single spaces when folded."""
    lines: list[str] = []
    for word in text.split(" "):
        if lines and len(lines[-1]) + 1 + len(word) <= width:
            lines[-1] += " " + word
        else:
            lines.append(word)
    return lines


def _occurrences(value: str, part: str, before: int) -> int:
    """How many times `part` starts in `value` before index `before` (overlaps counted)."""
    count, at = 0, value.find(part)
    while 0 <= at < before:
        count += 1
        at = value.find(part, at + 1)
    return count


def _nth(written: str, part: str, n: int) -> int | None:
    at = written.find(part)
    for _ in range(n):
        if at < 0:
            return None
        at = written.find(part, at + 1)
    return at if at >= 0 else None
