"""Requirement expressions as catalogs write them, read exactly into the spec's requirement form.

Accepted forms:

- text: "A and (B or C) and D", with `&` and `|`, commas and semicolons meaning "and" (but
  "A, B, or C" is one list of alternatives);
- nested lists: a list means "all of", a list inside it "any of", and so on alternating;
- trees of {"type": "all" | "one" | "any" | "two", "courses": [...]} as in the UCSD catalog
  ("two" is two of the list: every pair, as alternatives).

A course (or a parenthesised group) followed by "(may be taken concurrently)", or written with a
`$` before it, is a corequisite; "(must be taken concurrently)" makes it a strict corequisite.
Such a marker binds to what stands just before it (after it, for `$`). What the spec cannot say,
such as an "or" between a prerequisite and a corequisite, raises `ExpressionError`: an importer
reports the row and never writes a weaker requirement.
"""

from __future__ import annotations

import itertools
import math
import re
from dataclasses import dataclass, field

from trackdesign.analysis.requisites import CO, FIELDS, PRE, STRICT
from trackdesign.spec.ids import slugify

#: More alternatives than this from one "two of" list is refused rather than written out.
MAX_COMBINATIONS = 1000

MARKERS = (
    (re.compile(r"\(\s*must\s+be\s+taken\s+concurrently\s*\)", re.I), STRICT),
    (re.compile(r"\(\s*(?:may|can)\s+be\s+taken\s+concurrently\s*\)", re.I), CO),
    (re.compile(r"\(\s*concurrent(?:ly)?(?:\s+enrollment)?(?:\s+(?:allowed|permitted))?\s*\)", re.I), CO),
)
_MARK = {CO: "\x01co", STRICT: "\x01strict"}
_KIND_OF_MARK = {v: k for k, v in _MARK.items()}
_OXFORD = re.compile(r"(?<![\w)])([^,;()&|]+(?:,[^,;()&|]+)+),\s*or\s+([^,;()&|]+?)(?=\s*(?:[;)]|$))", re.I)
_TOKEN = re.compile(r"\x01\w+|[()&|,;$]|[^()&|,;$\x01]+")
_WORDS = re.compile(r"\s*\b(and|or)\b\s*", re.I)

TREE_TYPES = {"all": "all", "and": "all", "one": "any", "any": "any", "or": "any", "two": 2}


class ExpressionError(ValueError):
    """The expression cannot be read, or the spec cannot say it exactly."""


def course_id(code) -> str:
    return slugify(str(code))


@dataclass
class Requirements:
    """A course's requirements in the spec's form, one list per kind."""

    prerequisites: list = field(default_factory=list)
    corequisites: list = field(default_factory=list)
    strict_corequisites: list = field(default_factory=list)

    def fields(self) -> dict[str, list]:
        """The non-empty lists, by spec key."""
        return {name: value for name, value in (("prerequisites", self.prerequisites),
                                                ("corequisites", self.corequisites),
                                                ("strict_corequisites", self.strict_corequisites)) if value}

    @property
    def version(self) -> int:
        """The spec format these requirements need (3 for corequisites, `all_of`, nesting)."""
        nested = any(isinstance(item, dict) and ("all_of" in item or any(not isinstance(p, str) for p in item["any_of"]))
                     for item in self.prerequisites)
        return 3 if nested or self.corequisites or self.strict_corequisites else 1

    def extend(self, other: Requirements) -> None:
        for name in FIELDS.values():
            mine = getattr(self, name)
            mine.extend(item for item in getattr(other, name) if item not in mine)


def requirements(value, kind: str = PRE) -> Requirements:
    """Read a cell (text, list, tree, or nothing) into requirements; unmarked courses are of
    `kind` (a corequisites column passes CO). Raises ExpressionError."""
    if value in (None, "") or value == [] or (isinstance(value, str) and not value.strip()):
        return Requirements()
    node = _node(value, kind, 0)
    result = Requirements()
    for part in (node[1] if node[0] == "all" else [node]):
        kinds = _kinds(part)
        if len(kinds) > 1:
            raise ExpressionError(f"{_show(part)!r} offers a {' or a '.join(sorted(kinds))} as alternatives:"
                                  " the spec cannot say that (its lists of each kind are separate)")
        target = getattr(result, FIELDS[kinds.pop()])
        item = _spec(part)
        if item not in target:
            target.append(item)
    return result


# --- reading the three forms into one tree: ("course", id, kind) | ("all"|"any", [nodes]) ----------

def _node(value, kind: str, depth: int):
    if isinstance(value, str):
        return _parse_text(value, kind)
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return _parse_text(str(value), kind)
    if isinstance(value, list):
        if not value:
            raise ExpressionError("an empty list inside the requirement")
        op = "all" if depth % 2 == 0 else "any"
        return _group(op, [_node(item, kind, depth + 1) for item in value])
    if isinstance(value, dict) and "courses" in value:
        typ = TREE_TYPES.get(str(value.get("type", "")).lower())
        if typ is None:
            raise ExpressionError(f"unknown node type {value.get('type')!r} (expected all, one, any or two)")
        parts = value["courses"]
        if not isinstance(parts, list) or not parts:
            raise ExpressionError(f"a {value.get('type')!r} node with no courses")
        nodes = [_node(item, kind, 0) for item in parts]
        return _choose(typ, nodes) if isinstance(typ, int) else _group(typ, nodes)
    raise ExpressionError(f"expected a course, an expression, a list or an all/any tree, got {value!r}")


def _choose(count: int, nodes: list):
    """`count` of `nodes`: every combination of that many, as alternatives (exact, if long)."""
    if count > len(nodes):
        raise ExpressionError(f"{count} of a list of {len(nodes)}")
    if math.comb(len(nodes), count) > MAX_COMBINATIONS:
        raise ExpressionError(f"{count} of {len(nodes)} courses would be {math.comb(len(nodes), count)} alternatives")
    return _group("any", [_group("all", list(combo)) for combo in itertools.combinations(nodes, count)])


def _group(op: str, nodes: list):
    """A group with nested groups of the same kind flattened and repeated parts dropped (both
    leave its meaning as it was); a group of one part is that part."""
    parts: list = []
    for node in nodes:
        for part in (node[1] if node[0] == op else [node]):
            if part not in parts:
                parts.append(part)
    return parts[0] if len(parts) == 1 else (op, parts)


def _parse_text(text: str, kind: str):
    for pattern, marked in MARKERS:
        text = pattern.sub(f" {_MARK[marked]} ", text)
    text = _OXFORD.sub(lambda m: " or ".join(p.strip() for p in m.group(1).split(",")) + " or " + m.group(2), text)
    tokens: list[str] = []
    for piece in _TOKEN.findall(text):
        if piece.startswith("\x01") or piece in "()&|,;$":
            tokens.append(piece)
            continue
        for k, word in enumerate(_WORDS.split(piece)):
            word = word.strip()
            if word:
                tokens.append(word.lower() if k % 2 else word)
    return _Parser(tokens, kind, text).parse()


class _Parser:
    """Recursive descent: "or" binds loosest, then "and" (and `&`, commas, semicolons)."""

    def __init__(self, tokens: list[str], kind: str, text: str):
        self.tokens, self.kind, self.text, self.at = tokens, kind, text, 0

    def parse(self):
        if not self.tokens:
            raise ExpressionError("no course in the expression")
        node = self.either()
        if self.at != len(self.tokens):
            raise ExpressionError(f"unexpected {self._rest()!r}")
        return node

    def peek(self):
        return self.tokens[self.at] if self.at < len(self.tokens) else None

    def take(self):
        self.at += 1
        return self.tokens[self.at - 1]

    def _rest(self) -> str:
        return " ".join(_KIND_OF_MARK.get(t, t) for t in self.tokens[self.at:]) or "the end"

    def either(self):
        parts = [self.both()]
        while self.peek() in ("or", "|"):
            self.take()
            parts.append(self.both())
        return _group("any", parts)

    def both(self):
        parts = [self.factor()]
        while self.peek() in ("and", "&", ",", ";"):
            self.take()
            parts.append(self.factor())
        return _group("all", parts)

    def factor(self):
        marked = None
        if self.peek() == "$":
            self.take()
            marked = CO
        node = self.primary()
        while self.peek() in _KIND_OF_MARK:
            marked = _KIND_OF_MARK[self.take()]
        return _mark(node, marked) if marked else node

    def primary(self):
        token = self.peek()
        if token is None or token in (")", "and", "or", "&", "|", ",", ";") or token in _KIND_OF_MARK:
            raise ExpressionError(f"expected a course at {self._rest()!r}")
        if token == "(":
            self.take()
            inner = self.either()
            if self.peek() != ")":
                raise ExpressionError("unbalanced parentheses")
            self.take()
            return inner
        cid = course_id(self.take())
        if not cid:
            raise ExpressionError(f"{token!r} gives no course id")
        return ("course", cid, self.kind)


def _mark(node, kind: str):
    if node[0] == "course":
        return ("course", node[1], kind)
    return (node[0], [_mark(part, kind) for part in node[1]])


def _kinds(node) -> set[str]:
    if node[0] == "course":
        return {node[2]}
    return set().union(*(_kinds(part) for part in node[1]))


def _spec(node):
    """A tree (of one kind) in the spec's form: an id, {"any_of": [...]} or {"all_of": [...]}."""
    if node[0] == "course":
        return node[1]
    key = "any_of" if node[0] == "any" else "all_of"
    return {key: [_spec(part) for part in node[1]]}


def _show(node) -> str:
    if node[0] == "course":
        return node[1] + ("" if node[2] == PRE else f" ({node[2]})")
    return "(" + f" {'or' if node[0] == 'any' else 'and'} ".join(_show(p) for p in node[1]) + ")"
