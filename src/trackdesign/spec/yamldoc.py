"""YAML to plain Python data, keeping where every key and value was written.

PyYAML's constructors throw positions away and silently accept duplicate keys. Keys are kept as the
text written (every key of the format is a name), and what aliases expand to is bounded in nodes
and in characters. We let libyaml's C
parser compose the node tree (the expensive part, done in C when available) and build the data
ourselves in one pass, cheaper than PyYAML's generic constructor. Positions are read off the nodes,
along a path, when asked: placing a finding needs the nodes only (see `Spec.position`). It is the
only YAML reader of specs: loading, positions and fixes all read through it.
"""

from __future__ import annotations

import operator
from dataclasses import dataclass, field
from functools import cached_property

import yaml

try:  # libyaml's parser when installed; the pure-Python one gives the same nodes, slower
    from yaml import CSafeLoader as _BaseLoader
except ImportError:  # pragma: no cover - depends on how PyYAML was built
    from yaml import SafeLoader as _BaseLoader

_PLAIN_TAGS: dict[str, str] = {}  # the tag of each short plain scalar seen (keys, statuses, ids)
#: How YAML 1.1's ints, floats and dates can start: its other implicit types are short words.
_NUMBER_START = frozenset("-+.0123456789")


class _Loader(_BaseLoader):
    """The safe loader, remembering the tag of short plain scalars.

    Even with libyaml, every scalar's implicit tag is resolved in Python by regular expressions;
    keys and short values repeat across thousands of specs, and their tag depends on the text alone.
    """

    def resolve(self, kind, value, implicit):
        if kind is not yaml.ScalarNode:  # an untagged list or mapping: no path resolvers to ask
            return SEQ_TAG if kind is yaml.SequenceNode else MAP_TAG
        if implicit[0]:
            if len(value) > 40 and value[0] not in _NUMBER_START:
                return STR_TAG  # long prose: only numbers are that long among YAML's implicit types
            tag = _PLAIN_TAGS.get(value)
            if tag is None:
                tag = super().resolve(kind, value, implicit)
                if len(value) <= 40 and len(_PLAIN_TAGS) < 100_000:
                    _PLAIN_TAGS[value] = tag
            return tag
        if implicit[1]:  # quoted, without a tag: text, whatever it looks like
            return STR_TAG
        return super().resolve(kind, value, implicit)

    # Path resolvers are never registered on this loader: there is nothing to track per node. The
    # parser still calls these two around every node it composes, and a Python method, even one
    # doing nothing, costs a large share of a load; any C function taking the same arguments does
    # nothing as well, far cheaper (what they return is never read).
    descend_resolver = staticmethod(operator.is_)  # (parent node, index)
    ascend_resolver = staticmethod(tuple)  # ()

STR_TAG = "tag:yaml.org,2002:str"
MAP_TAG = "tag:yaml.org,2002:map"
SEQ_TAG = "tag:yaml.org,2002:seq"
BINARY_TAG = "tag:yaml.org,2002:binary"

#: Nodes one file may expand to; guards against alias bombs ("billion laughs").
MAX_NODES = 200_000
MAX_DEPTH = 64
#: Characters of text one file may expand to through aliases: a floor, plus a multiple of its own
#: length. Counting nodes alone lets one long anchored string, repeated by a few thousand `*alias`
#: lines, become gigabytes of text for the rules to read.
EXPANSION_FLOOR = 1 << 20
EXPANSION_FACTOR = 4

Path = tuple  # a tuple of mapping keys and list indexes from the document root


class YamlError(Exception):
    """A file that is not well-formed YAML, or not YAML we accept (duplicate keys, alias bombs)."""

    def __init__(self, message: str, line: int, column: int):
        super().__init__(message)
        self.message = message
        self.line = line
        self.column = column


class Document:
    """One YAML document composed into nodes (YamlError where it is not YAML we accept).

    Where a key or value is written is read off the nodes along its path (`position`); the data is
    built from them only when asked (`data`, `load`).
    """

    def __init__(self, text: str):
        self.node = _compose(text)
        self._limit = EXPANSION_FLOOR + EXPANSION_FACTOR * len(text)

    def position(self, path: Path = (), key: bool = False) -> tuple[int, int]:
        """Where `path` (its key, with `key`) is written, 1-based as editors show it; for a path
        that is not there, its nearest ancestor that is."""
        node = self.node
        if node is None:
            return 1, 1
        found = key_found = node.start_mark
        for step in path:
            if isinstance(node, yaml.MappingNode):
                pair = next((pair for pair in node.value if pair[0].value == step), None)
                if pair is None:
                    break
                key_found, node = pair[0].start_mark, pair[1]
            elif isinstance(node, yaml.SequenceNode) and isinstance(step, int) and 0 <= step < len(node.value):
                node = node.value[step]
            else:
                break
            found = node.start_mark
        mark = key_found if key else found
        return mark.line + 1, mark.column + 1

    def load(self) -> tuple[object, list]:
        """(data, strings): the data built from the nodes, and (path, text) of every string value in
        document order, noted while building (rules read the text of every spec several times, and
        walking the data again for it cost more than this list)."""
        if self.node is None:
            return None, []
        builder = _Builder(self._limit)
        try:
            data = builder.build(self.node, (), 0)
        except RecursionError:
            raise YamlError("document nests too deeply (recursive alias?)", *_mark(self.node)) from None
        return data, builder.strings

    @cached_property
    def data(self):
        return self.load()[0]


@dataclass
class Located:
    """A document's data and strings (see `Document.load`), and, when kept, its `Document`."""

    data: object
    strings: list = field(default_factory=list)
    document: Document | None = None

    def position(self, path: Path, key: bool = False) -> tuple[int, int]:
        """See `Document.position`; 1, 1 when the document was not kept."""
        return self.document.position(path, key=key) if self.document is not None else (1, 1)


def _mark(node) -> tuple[int, int]:
    return node.start_mark.line + 1, node.start_mark.column + 1


class _Builder:
    __slots__ = ("count", "strings", "chars", "max_chars")

    def __init__(self, max_chars: int = EXPANSION_FLOOR):
        self.count = 0
        self.strings: list = []
        self.chars = 0
        self.max_chars = max_chars

    def build(self, node, path: Path, depth: int):
        self.count += 1
        if self.count > MAX_NODES:
            raise YamlError(
                f"document expands to more than {MAX_NODES} values (aliases nested too deep?)",
                *_mark(node),
            )
        if depth > MAX_DEPTH:
            raise YamlError(f"nesting deeper than {MAX_DEPTH} levels", *_mark(node))
        tag = node.tag
        if isinstance(node, yaml.ScalarNode):
            self.chars += len(node.value)
            if self.chars > self.max_chars:
                raise YamlError(f"document expands to more than {self.max_chars} characters of text"
                                " (an anchored value repeated by too many aliases?)", *_mark(node))
            if tag == STR_TAG:
                self.strings.append((path, node.value))
                return node.value
            if tag == BINARY_TAG:  # bytes would pass as text, decoded however the model guesses
                raise YamlError("unsupported tag '!!binary' (a spec holds text)", *_mark(node))
            return _scalar(node)
        if isinstance(node, yaml.SequenceNode):
            if tag != SEQ_TAG:
                raise YamlError(f"unsupported tag {_tag_name(tag)!r}", *_mark(node))
            return [self.build(item, path + (i,), depth + 1) for i, item in enumerate(node.value)]
        if tag != MAP_TAG:
            raise YamlError(f"unsupported tag {_tag_name(tag)!r}", *_mark(node))
        result: dict = {}
        for key_node, value_node in node.value:
            if key_node.tag == "tag:yaml.org,2002:merge":
                raise YamlError("merge keys ('<<') are not supported in specs", *_mark(key_node))
            if not isinstance(key_node, yaml.ScalarNode):
                raise YamlError("a mapping key must be a plain value, not a list or mapping", *_mark(key_node))
            # a key is the text written: every key of the spec format is a name, and `1.5:`, `~:` or
            # `2020-01-01:` read as a number, null or date would only be a key no message can show
            key = key_node.value
            self.count += 1
            self.chars += len(key)
            child = path + (key,)
            if key in result:
                first = next(k for k, _ in node.value if k.value == key)
                raise YamlError(f"duplicate key {key!r} (first defined at line {_mark(first)[0]})", *_mark(key_node))
            result[key] = self.build(value_node, child, depth + 1)
        return result


#: (tag, text) -> value of each typed scalar read (hours, levels, dates): they repeat across specs,
#: and every value PyYAML's safe constructors give a scalar is immutable
_TYPED: dict[tuple[str, str], object] = {}


def _scalar(node):
    """A tagged or implicitly typed scalar's value, or YamlError saying why it cannot be one
    (`!!bool maybe`, `!!timestamp notadate`, 2019-02-30, `!!int x`)."""
    key = (node.tag, node.value)
    if key in _TYPED:
        return _TYPED[key]
    try:  # a constructor of its own: one keeps every node it constructed
        value = yaml.constructor.SafeConstructor().construct_object(node, deep=True)
    except yaml.YAMLError as exc:
        reason = exc.problem if isinstance(exc, yaml.MarkedYAMLError) and exc.problem else str(exc)
    except Exception as exc:  # noqa: BLE001 - PyYAML's constructors fail on bad text in many ways
        reason = str(exc) if isinstance(exc, ValueError) else f"not a valid {_tag_name(node.tag)}"
    else:
        if len(_TYPED) < 100_000:
            _TYPED[key] = value
        return value
    raise YamlError(f"cannot read value {node.value!r}: {reason}", *_mark(node))


def _tag_name(tag: str) -> str:
    """A tag as written: `!!int`, `!!python/object/apply:os.system`, `!custom`."""
    prefix = "tag:yaml.org,2002:"
    return "!!" + tag[len(prefix):] if tag.startswith(prefix) else tag


def load_located(text: str, positions: bool = True) -> Located:
    """Parse one YAML document, raising YamlError with a position for anything we cannot accept.

    Without `positions`, only the data and its strings: what loading a catalog keeps (see
    `Spec.position`), without the memory a document's nodes take.
    """
    document = Document(text)
    data, strings = document.load()
    return Located(data, strings, document if positions else None)


def _compose(text: str):
    """The document's root node (None for an empty one); YamlError where the text is not YAML."""
    loader = None
    try:
        loader = _Loader(text)  # PyYAML's own reader checks the characters here, libyaml's later
        return loader.get_single_node()
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        problem = exc.problem or str(exc)
        if exc.context and "more than one document" not in (exc.context or ""):
            start = exc.context_mark
            where = f" that starts at line {start.line + 1}, column {start.column + 1}" \
                if start is not None and mark is not None and start.line != mark.line else ""
            problem = f"{problem} ({exc.context}{where})"  # an unclosed [ is found where it ends
        if "expected a single document" in str(exc):
            problem = "a spec file holds one YAML document, but this one has several ('---')"
        line, column = (mark.line + 1, mark.column + 1) if mark else (1, 1)
        raise YamlError(problem, line, column) from None
    except yaml.YAMLError as exc:  # reader errors: control characters, bad encoding
        mark = getattr(exc, "problem_mark", None) or getattr(exc, "position", None)
        line = getattr(mark, "line", 0) + 1 if mark is not None and not isinstance(mark, int) else 1
        raise YamlError(str(exc).splitlines()[0], line, 1) from None
    except RecursionError:  # PyYAML's own composer recurses per level; libyaml stops at its limit
        raise YamlError("document nests too deeply", 1, 1) from None
    finally:
        if loader is not None:
            loader.dispose()


def decode(raw: bytes) -> str:
    """A spec file's bytes as text, newlines made universal as reading in text mode would
    (UnicodeDecodeError for what is not UTF-8)."""
    text = raw.decode("utf-8")
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    return text
