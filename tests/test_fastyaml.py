"""yaml-rs reads a spec only where it reads what PyYAML reads: same data, same strings, same errors."""

from __future__ import annotations

import random
from pathlib import Path

import pytest

from trackdesign.spec import fastyaml
from trackdesign.spec.yamlload import YamlError, decode, load_located

ROOT = Path(__file__).resolve().parents[1]


def outcome(load, text):
    try:
        located = load(text)
    except YamlError as exc:
        return ("error", exc.message, exc.line, exc.column)
    return ("data", repr(located.data), located.strings)  # repr: 1, 1.0 and True differ


def pyyaml(text):
    return load_located(text, positions=False)


def test_yaml_rs_is_installed_and_reads_a_plain_spec():
    """The fast path must really run: without it every load silently costs PyYAML's time."""
    assert fastyaml.yaml_rs is not None
    text = ("title: Deep Learning in Python\nhours: 4\ndifficulty: 2.5\nstatus: live\n"
            "objectives:\n- build a network\n- train it, 3 ways\ntags: [python, keras]\n"
            "chapters:\n- title: Basics\n  lessons:\n  - title: Forward propagation\n")
    fast = fastyaml._fast(text)
    assert fast is not None
    assert outcome(lambda t: fast, text) == outcome(pyyaml, text)
    assert fast.strings[0] == (("title",), "Deep Learning in Python")


@pytest.mark.parametrize("text", [
    "hours: 017\n",  # octal in YAML 1.1, decimal in 1.2
    "hours: 0o17\n",
    "hours: 1e5\n",  # a string in 1.1 (no dot), a number in 1.2
    "hours: -.5\n",
    "hours: _1\n",
    '{"hours":017}\n',
    "tags: [a,017]\n",
    "hours:\n  017\n",
    "- 017\n",
    "--- 017\n",  # a document that is one scalar, after the start marker
    "live: yes\n",  # true in 1.1, text in 1.2
    "status: on\n",
    "yes: 1\n",
    "time: 1:20\n",  # sexagesimal
    "at: 12:30:00\n",
    "when: 2001-12-14 21:59:43.10 -5\n",
    "when: 2020-13-45\n",  # not a date: an error for PyYAML
    "a: &x 1\nb: *x\n",
    "a: !!python/name:os.system x\n",
    "a: {<<: {b: 1}}\n",
    "a: 1\n---\nb: 2\n",
    "%YAML 1.1\n---\na: 1\n",
    "a:\tb\n",
    'a: "caf\\xe9"\n',
    "a: b\x07c\n",
    "a: x\u2028 y\n",  # a line break in YAML 1.1 only
    "a: x\ufeffy\n",
    "a: 1\na: 2\n",  # duplicate key: PyYAML's message, which names the first one's line
    "1: a\n",
    "a: [1\n",
])
def test_what_may_read_otherwise_goes_to_pyyaml(text):
    assert fastyaml._fast(text) is None
    assert outcome(fastyaml.load_data, text) == outcome(pyyaml, text)


@pytest.mark.parametrize("text", [
    "\ufeffa: 1\n",  # a byte order mark at the start: PyYAML skips it
    "title: 100B, 100C and 3-D printing\nhours: 4\n",
    "a: 2020-01-02\nb: 1.\nc: +1\nd: 0\n",
    "a: |\n  one\n   two\n\nb: >-\n  folded\n  text\n",
    "a: 'it''s'\nb: plain \\ slash\n",
    'c: "double quoted"\n',
    "a: plain\n  continued 017 here\n",
])
def test_what_reads_alike_takes_the_fast_path(text):
    assert fastyaml._fast(text) is not None
    assert outcome(fastyaml.load_data, text) == outcome(pyyaml, text)


def test_errors_are_pyyamls_with_their_position():
    text = "title: x\nobjectives:\n- a\n  - b: [\n"
    with pytest.raises(YamlError) as fast:
        fastyaml.load_data(text)
    with pytest.raises(YamlError) as slow:
        pyyaml(text)
    assert (fast.value.message, fast.value.line) == (slow.value.message, slow.value.line)


def test_every_example_spec_reads_the_same_both_ways():
    files = sorted((ROOT / "specs").rglob("*.yaml"))
    assert len(files) > 20
    taken = 0
    for file in files:
        text = decode(file.read_bytes())
        taken += fastyaml._fast(text) is not None
        assert outcome(fastyaml.load_data, text) == outcome(pyyaml, text), file
    assert taken > len(files) // 2


ATOMS = ["017", "0o17", "0x1F", "0b11", "1_000", "_1", "1e5", "1.0e+5", "-.5", "+.5", ".5", "1.", "+1", "-0",
         "1:20", "12:30:00", "2020-01-02", "2020-1-2", "2020-13-45", "2001-12-14 21:59:43.10 -5", ".inf", "-.Inf",
         ".NaN", "nan", "yes", "No", "ON", "off", "y", "true", "FALSE", "null", "~", "=", "<<", "'quoted'", '"a\\tb"',
         "a: b", "a:b", "[017, 2]", "{b: 017}", '{"a":017}', "- - 3", "-", "&a x", "*a", "!!str 5", "\u2028", "\x07",
         "|", ">-", "|+", "|2", "[| x]", "{b: > x}", "[?x]", "[a,:x]", "[b:]", "{b:, c}", "|\n  block", ">\n\n  folded"]
SAFE = ["2", "40.0", "text", "two words", "x, y", "caf\u00e9", "100B, 100C", "3-D", "1,000", "[a, b]", "{c: d}",
        "|\n  block\n", "'q'", "plain\n  more 017"]


def random_document(rng: random.Random, depth: int = 0) -> str:
    def scalar():
        return rng.choice(ATOMS) if rng.random() < 0.15 else rng.choice(SAFE)

    lines = []
    for _ in range(rng.randint(1, 5)):
        key = rng.choice(["yes", "017", "on", "'q'", "_1"]) if rng.random() < 0.1 else rng.choice(["title", "hours", "a b"])
        kind = rng.random()
        if kind < 0.5 or depth > 2:
            lines.append(f"{key}: {scalar()}")
        elif kind < 0.75:
            lines.append(f"{key}:")
            lines.extend(f"- {scalar()}" for _ in range(rng.randint(1, 3)))
        else:
            lines.append(f"{key}:")
            lines.extend("  " + line for line in random_document(rng, depth + 1).splitlines())
    return "\n".join(lines) + "\n"


def test_random_documents_read_the_same_both_ways():
    """Documents mixing plain text with scalars YAML 1.1 and 1.2 read differently: whichever path
    each takes, the outcome is PyYAML's (seeded, so a failure repeats)."""
    rng = random.Random(20261122)
    taken = 0
    for _ in range(4000):
        text = random_document(rng)
        if rng.random() < 0.1:  # a whole document that is one scalar, some after the start marker
            text = rng.choice(["", "--- "]) + (rng.choice(ATOMS) if rng.random() < 0.5 else rng.choice(SAFE)) + "\n"
        if rng.random() < 0.1:
            text = text.rstrip("\n")  # no line break at the end
        taken += fastyaml._fast(text) is not None
        assert outcome(fastyaml.load_data, text) == outcome(pyyaml, text), text
    assert taken > 500  # the fast path was exercised, not only the fallback


def random_edit(rng: random.Random, text: str, pieces: list[str]) -> str:
    """`text` with one to four random `pieces` put in or runs of characters taken out."""
    for _ in range(rng.randint(1, 4)):
        at = rng.randrange(len(text) + 1)
        if rng.random() < 0.7:
            text = text[:at] + rng.choice(pieces) + text[at:]
        else:
            text = text[:at] + text[at + rng.randint(1, 5):]
    return text


def test_mutated_example_specs_read_the_same_both_ways():
    """The example specs with characters YAML gives meaning to put in, taken out and lines doubled
    (seeded): such edits found the divergences the screens now catch (an empty block scalar, `[b:]`)."""
    rng = random.Random(7)
    texts = [decode(f.read_bytes()) for f in sorted((ROOT / "specs").rglob("*.yaml"))]
    pieces = list("|>-:?[]{},#&*!%@`'\"\n ") + ["  ", "\n  ", "- ", ": ", "017", "1e5", "yes", "~", "...", "---"]
    taken = 0
    for _ in range(3000):
        text = random_edit(rng, rng.choice(texts), pieces)
        taken += fastyaml._fast(text) is not None
        assert outcome(fastyaml.load_data, text) == outcome(pyyaml, text), text
    assert taken > 1000


@pytest.mark.parametrize("text, passes", [
    ("a: 1\n---\nb: 2\n", False), ("a: 1\n...\n", False), ("a: 1\n%YAML 1.1\n", False), ("%TAG ! x\n", False),
    ("a: {<<: *b}\n", False), ("a: 1\n\tb: 2\n", False),
    ("a: x < y\n", True), ("a: 50%\nb: -- -\nc: . ..\n", True), ("a:\n  - ---x\n", True), ("a: x\n -.. y\n", True),
])
def test_the_cheap_screens_refuse_document_markers_directives_merge_keys_and_tabs(text, passes):
    from trackdesign.spec.fastyaml import screened

    assert screened(text) is passes
