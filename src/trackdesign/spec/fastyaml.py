"""Spec files read by yaml-rs (a YAML 1.2 parser in Rust, five times libyaml's speed) wherever it
provably reads what PyYAML reads.

Specs are YAML as PyYAML reads it (YAML 1.1: `yes` is true, `017` is 15) and a finding's position
comes from PyYAML (`yamlload`), so a spec must read the same both ways. yaml-rs types some plain
scalars differently; a file takes this path only when nothing in it can differ:

- constructs we reject or read specially are screened out by cheap tests of the text: anchors
  and tags, merge keys, several documents, directives, tabs, escapes in double quotes, characters
  PyYAML refuses or counts as line breaks;
- every string (value or key) yaml-rs returns must be one PyYAML leaves a string when written
  plain (`yes`, `1:20` and `2019-02-30` are not), and every key a string;
- if yaml-rs returned a number or a date, every scalar in the text that could be one (it starts
  with a digit, sign, dot or underscore) is read by both parsers, once per distinct text, and
  must come out the same (`017`, `1e5` and `0o17` do not).

Anything else, and every error, goes to PyYAML, whose messages we report.
"""

from __future__ import annotations

import datetime
import re

import yaml

from trackdesign.spec.yamlload import MAX_DEPTH, MAX_NODES, STR_TAG, Located, load_located

try:
    import yaml_rs
except ImportError:  # pragma: no cover - a platform without its wheel reads every file with PyYAML
    yaml_rs = None

#: A line starting a document, ending one, or holding a directive. One scan: each of the three as a
#: substring test cost about 1.1 us over a 1.7 KB spec, where single characters are found at once.
_DOCUMENT_LINE = re.compile(r"\n(?:---|\.\.\.|%)")
#: An anchor or a tag where a node starts (aliases need an anchor, so they are screened out too).
_MARKS = re.compile(r"(?:^|[\s\[{,])[&!]", re.M)
#: What PyYAML's reader refuses, and the line breaks YAML 1.1 has beyond \n (1.2 has none).
_REFUSED = re.compile("[^\x09\x0A\x0D\x20-\x7E\xA0-\u2027\u202A-\uD7FF\uE000-\uFFFD\U00010000-\U0010ffff]|\uFEFF")
#: Scalars that could be numbers or dates (yaml-rs types only those starting with a digit, sign,
#: dot or underscore, and all of them hold a digit but `.inf` and `.nan`): after a colon
#: (`hours: 2`, `{"a":017}`), at the start of a line, of a list item or of the document (`--- 017`),
#: and, where the text has a flow collection, after `[`, `{` or `,`. Each pattern but the first
#: line's starts with a fixed character, which `re` finds fast.
_SCALAR = r"((?=[-+._]*[0-9iInN])[-+._0-9][^\s\]}]*)"
_AFTER_COLON = re.compile(r":[ ]*" + _SCALAR)
#: Possessive: a scalar never starts at a space or at "- ", so giving either back cannot help, and
#: not trying it halves the time (4.4-4.8 -> 2.2-2.7 us a file).
_LINE_START = re.compile(r"\n[ ]*+(?:-[ ]++)*+" + _SCALAR)
_FIRST_LINE = re.compile(r"[ ]*(?:(?:---|-)[ ]+)*" + _SCALAR)
_IN_FLOW = re.compile(r"[\[{,][ ]*" + _SCALAR.replace("}]", "},]"))
#: First characters of YAML 1.1's implicit numbers and dates: their other implicit types are short words.
_NUMBER_START = frozenset("-+.0123456789")

_resolver = yaml.resolver.Resolver()
#: First characters for which PyYAML has implicit types (None: some are tried on every scalar)
_RESOLVED_FROM = (None if None in yaml.resolver.Resolver.yaml_implicit_resolvers
                  else frozenset(yaml.resolver.Resolver.yaml_implicit_resolvers))
_STAYS_TEXT: dict[str, bool] = {}  # text -> whether PyYAML reads it written plain as a string
_READS_ALIKE: dict[str, bool] = {}  # scalar text -> whether both parsers read it the same


class _Differs(Exception):
    """Something yaml-rs read that PyYAML might read otherwise."""


def load_data(text: str) -> Located:
    """The data and strings of one YAML document, as `load_located(text, positions=False)` gives them."""
    fast = _fast(text) if yaml_rs is not None else None
    return fast if fast is not None else load_located(text, positions=False)


def _fast(text: str) -> Located | None:
    if text.startswith("\ufeff"):
        text = text[1:]  # PyYAML skips a byte order mark at the start; yaml-rs would keep it
    if not screened(text):
        return None
    try:
        data = yaml_rs.loads(text)
    except Exception:  # noqa: BLE001 - PyYAML reads it again and says what is wrong, in its words
        return None
    walk = _Walk()
    try:
        walk.node(data, (), 0)
    except (_Differs, RecursionError):
        return None
    if walk.count >= MAX_NODES or (walk.typed and not _typed_alike(text)):
        return None
    return Located(data, {}, {}, walk.strings)


def screened(text: str) -> bool:
    """Whether `text` passes the cheap screens: none of the constructs PyYAML and yaml-rs read
    differently, or that we reject or read specially (see the module's docstring)."""
    if ("\t" in text or ("<" in text and "<<" in text) or text.startswith("%") or _DOCUMENT_LINE.search(text)
            or ("\\" in text and '"' in text) or (("&" in text or "!" in text) and _MARKS.search(text))):
        return False
    return not (_refused(text) or _odd_syntax(text))


def _refused(text: str) -> bool:
    if text.isascii():  # the common case: only control characters to look for, at C speed
        return bool(text.encode("ascii").translate(None, _PRINTABLE_ASCII))
    return _REFUSED.search(text) is not None


_PRINTABLE_ASCII = bytes([9, 10, 13, *range(0x20, 0x7F)])
#: Where a flow collection holds what PyYAML reads as an indicator, and yaml-rs as part of a plain
#: scalar (`[| x]`, `{b: > x}`, `[?x]`, `[a,:x]`, `[b:]`): PyYAML refuses or reads otherwise.
_FLOW_INDICATOR = re.compile(r"[\[{,][ ]*[|>?:]|\{[^}\n]*:[ ]*[|>]|:[\]},]")
#: What may follow a block scalar's indicator on its line: chomping and indentation, a comment.
_HEADER_TAIL = re.compile(r"([-+0-9]*)[ ]*(?:#.*)?")


def _block_headers(text: str):
    """(where, end of line, modifiers) of each `|` or `>` after a space or at a line's start that
    ends its line as a block scalar's header does (`a: |`, `- >-`, `b: |+ # note`)."""
    for mark in "|>":
        at = text.find(mark)
        while at >= 0:
            if at == 0 or text[at - 1] in " \n":
                end = text.find("\n", at)
                end = len(text) if end < 0 else end
                tail = _HEADER_TAIL.fullmatch(text, at + 1, end)
                if tail:
                    yield at, end, tail.group(1)
            at = text.find(mark, at + 1)


def _odd_syntax(text: str) -> bool:
    """Whether `text` holds syntax the two parsers read differently: indicators inside flow
    collections, and block scalars that are empty, set their own indentation, or end the text
    without a line break (PyYAML reads "" and "x" where yaml-rs reads a line break more)."""
    if ("[" in text or "{" in text) and _FLOW_INDICATOR.search(text):
        return True
    if "|" not in text and ">" not in text:
        return False
    for at, end, modifiers in _block_headers(text):
        if not text.endswith("\n") or any(c.isdigit() for c in modifiers):
            return True
        line = text[text.rfind("\n", 0, at) + 1:at]
        indent = len(line) - len(line.lstrip(" "))
        start = end + 1
        while True:  # the first line of the block that is not blank must be indented deeper
            end = text.find("\n", start)
            if end < 0:
                return True  # no content
            content = text[start:end]
            if content.strip(" "):
                if len(content) - len(content.lstrip(" ")) <= indent:
                    return True  # no content: the next line belongs to what holds the block
                break
            start = end + 1
    return False


class _Walk:
    """One pass over yaml-rs's data: the (path, text) of every string, as `yamlload` notes them,
    and whether anything typed (a number or a date) needs the scalars' texts compared.

    Strings are handled inline, without a call each: a spec is mostly strings."""

    __slots__ = ("strings", "typed", "count")

    def __init__(self):
        self.strings: list = []
        self.typed = False
        self.count = 0

    def node(self, value, path: tuple, depth: int) -> None:
        if type(value) is dict:
            for key in value:
                if key not in _TEXT_KEYS:
                    if type(key) is not str or not _stays_text(key):
                        raise _Differs
                    if len(_TEXT_KEYS) < 100_000:
                        _TEXT_KEYS.add(key)
            items = value.items()
        elif type(value) is list:
            items = enumerate(value)
        else:
            self.leaf(value)
            return
        if depth >= MAX_DEPTH:
            raise _Differs
        self.count += len(value)
        strings = self.strings
        for key, item in items:
            if type(item) is str:
                strings.append((path + (key,), item))
                if (len(item) <= 40 or item[0] in _NUMBER_START) and not _stays_text(item):
                    raise _Differs
            elif type(item) is dict or type(item) is list:
                self.node(item, path + (key,), depth + 1)
            else:
                self.leaf(item)

    def leaf(self, value) -> None:
        kind = type(value)
        if kind is str:
            self.strings.append(((), value))
            if (len(value) <= 40 or value[0] in _NUMBER_START) and not _stays_text(value):
                raise _Differs
        elif kind is int or kind is float or kind is datetime.date:
            self.typed = True
        elif value is not None and kind is not bool:  # times of day, and anything unforeseen
            raise _Differs


_TEXT_KEYS: set = set()  # keys known to stay strings in PyYAML: a catalog repeats a few dozen


def _stays_text(text: str) -> bool:
    """Whether PyYAML reads `text`, written plain, as a string (not `yes`, `~`, `1:20`, a date)."""
    if _RESOLVED_FROM is not None and text and text[0] not in _RESOLVED_FROM:
        return True  # PyYAML tries only the implicit types registered for a scalar's first character
    stays = _STAYS_TEXT.get(text)
    if stays is None:
        stays = _resolver.resolve(yaml.ScalarNode, text, (True, False)) == STR_TAG
        if len(_STAYS_TEXT) < 100_000:
            _STAYS_TEXT[text] = stays
    return stays


def _typed_alike(text: str) -> bool:
    """Whether every scalar of `text` that may be a number or a date reads the same in both parsers."""
    found = _AFTER_COLON.findall(text)
    found += _LINE_START.findall(text)
    first = _FIRST_LINE.match(text)
    if first:
        found.append(first.group(1))
    if "[" in text or "{" in text:
        found += _IN_FLOW.findall(text)
    for scalar in found:
        if not _reads_alike(scalar) or ("," in scalar and not all(map(_reads_alike, scalar.split(",")))):
            return False
    return True


def _reads_alike(scalar: str) -> bool:
    alike = _READS_ALIKE.get(scalar)
    if alike is None:
        item = f"- {scalar}\n"
        try:
            ours = repr(yaml_rs.loads(item))  # repr: 1, 1.0 and True are equal but not alike
            theirs = repr(load_located(item, positions=False).data)
        except Exception:  # noqa: BLE001 - a scalar either parser refuses is not alike
            alike = False
        else:
            alike = ours == theirs
        if len(_READS_ALIKE) < 100_000:
            _READS_ALIKE[scalar] = alike
    return alike
