"""The YAML reader's own bookkeeping: what it keeps between files, and what it must not."""

from __future__ import annotations

import datetime
import gc
import subprocess
import sys
import weakref

import pytest

from trackdesign.spec.yamldoc import Document, YamlError, load_located


def test_typed_values_are_read_alike_every_time_and_no_node_is_kept():
    """Typed scalars are kept by their tag and text, errors never; the nodes read are not."""
    for _ in range(2):
        assert load_located("a: 010\nb: 1:30\nc: 2019-06-28\nd: ~\n").data == {
            "a": 8, "b": 90, "c": datetime.date(2019, 6, 28), "d": None}
        with pytest.raises(YamlError, match="cannot read value 'x'"):
            load_located("hours: !!int x\n")
    document = Document("hours: 4\n")
    assert document.data == {"hours": 4}
    node = weakref.ref(document.node.value[0][1])
    del document
    gc.collect()
    assert node() is None


def test_positions_are_read_off_the_nodes():
    document = Document("title: A\nchapters:\n  - title: B\n    lessons: [{title: C}]\n")
    assert document.position(("chapters", 0, "lessons", 0, "title")) == (4, 23)
    assert document.position(("chapters", 0, "lessons", 0, "title"), key=True) == (4, 16)
    assert document.position(("chapters", 0, "notes", 3)) == (3, 5)  # the nearest value written
    assert document.position(("chapters", 0, "notes", 3), key=True) == (2, 1)  # the nearest key
    assert document.position(("chapters", "x")) == (3, 3)
    assert Document("").position(("title",)) == (1, 1)


def test_without_libyaml_bad_text_is_a_yaml_error_not_a_crash():
    """Where PyYAML was built without libyaml, its own reader and composer read specs: a control
    character and nesting deeper than Python recursion are YamlErrors (SP01), as with libyaml."""
    script = """
import yaml
del yaml.CSafeLoader  # as on a PyYAML built without libyaml
from trackdesign.spec.yamldoc import YamlError, load_located
for text in ("title: a\\x07b\\n", "a: " + "[" * 5000 + "]" * 5000 + "\\n"):
    try:
        load_located(text)
    except YamlError as exc:
        print("YamlError", exc.line)
"""
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    assert done.stdout.split("\n")[:2] == ["YamlError 1", "YamlError 1"]


@pytest.mark.parametrize("tag", ["!!python/object/apply:os.system", "!!set", "!custom"])
def test_an_unsupported_tag_is_named_as_written(tag):
    with pytest.raises(YamlError) as raised:
        load_located(f"title: A\nnotes: {tag} {{a: 1}}\n")
    assert raised.value.message == f"unsupported tag {tag!r}" and raised.value.line == 2
