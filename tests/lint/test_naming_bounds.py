"""Naming rules within bounds: NM05's pruning of title pairs never drops a pair that could be a near
duplicate; NM04's memory grows with the words written, whatever their spellings."""

from __future__ import annotations

import difflib
import itertools
import random
import tracemalloc

from helpers import run, write_specs

from trackdesign.lint.rules.naming import _candidate_pairs, _near


def test_candidate_pairs_are_exactly_the_pairs_within_the_shared_character_bound():
    rng = random.Random(7)
    words = ["deep", "learning", "python", "network", "neural", "data", "model", "intro", "keras", "r"]
    titles = [" ".join(rng.choices(words, k=rng.randint(0, 4))) for _ in range(300)]
    titles += [titles[5], titles[6] + "s", "", "é" + titles[7]]  # repeats, a plural, an empty one, non-ASCII
    normal = [(None, None, t) for t in titles]
    for ratio in (0.9, 0.75):
        found = list(_candidate_pairs(normal, ratio))
        expected = [(a, b) for a in range(len(titles)) for b in range(a + 1, len(titles))
                    if difflib.SequenceMatcher(None, titles[a], titles[b]).quick_ratio() >= ratio - 1e-9
                    or not (titles[a] or titles[b])]
        assert found == expected
        near = {(a, b) for a, b in expected if difflib.SequenceMatcher(None, titles[a], titles[b]).ratio() >= ratio}
        assert near <= set(found) and len(near) > 3


def test_near_is_the_exact_ratio_test():
    """NM05 asks the cheap upper bounds first; the answer must be the exact ratio's."""
    rng = random.Random(11)
    words = ["deep", "learning", "python", "networks", "network", "data", "r", "é"]
    titles = [" ".join(rng.choices(words, k=rng.randint(0, 4))) for _ in range(120)]
    for ratio in (0.9, 0.75, 0.5):
        near = [_near(a, b, ratio) for a in titles for b in titles]
        assert near == [difflib.SequenceMatcher(None, a, b).ratio() >= ratio for a in titles for b in titles]
        assert any(near) and not all(near)


def test_title_style_from_each_words_style_is_the_style_of_its_words():
    """NM03 judges each distinct word once (`WordStyles`); a title's style must be what judging
    its words one by one gives (counted as the words fall, then read by the same `style_of`)."""
    from pathlib import Path

    from trackdesign.lint.rules.naming import SMALL_WORDS, WORD, WordStyles, style_of, title_style
    from trackdesign.spec.loader import load_catalog

    def one_by_one(title, proper):
        capital = lower = 0
        for token in WORD.findall(title)[1:]:
            tail = token[1:]
            if token in proper or token.lower() in SMALL_WORDS or any(c.isdigit() for c in token) \
                    or tail != tail.lower():
                continue
            capital, lower = (capital + 1, lower) if token[0].isupper() else (capital, lower + 1)
        return style_of(capital, lower)

    rng = random.Random(3)
    parts = ["Deep", "deep", "Learning", "learning", "in", "In", "Python", "Keras", "TensorFlow", "CNN", "2.0",
             "R", "x3", "Hands-On", "hands-on", "the", "Of", "with", "Data", "data", "API", "ölç"]
    titles = [" ".join(rng.choices(parts, k=rng.randint(0, 7))) for _ in range(3000)]
    catalog = load_catalog(Path(__file__).resolve().parents[2] / "specs")
    titles += [text for spec in catalog.specs() for path, text in spec.strings if path[-1] == "title"]
    for proper in (frozenset(), frozenset({"Keras", "Python", "Data"})):
        words = WordStyles(proper)
        assert [title_style(t, words) for t in titles] == [one_by_one(t, proper) for t in titles]
    assert {title_style(t, WordStyles()) for t in titles} == {"title", "sentence", None}


def _every_case(word: str) -> list[str]:
    return ["".join(c.upper() if up else c for c, up in zip(word, ups))
            for ups in itertools.product((False, True), repeat=len(word))]


def test_nm04_memory_grows_with_the_words_written_not_with_pairs_of_them(tmp_path):
    """Each half of a mixed-case term written in every letter case (2 x 1,024 spellings, 23 KB):
    a table of every (head, tail) spelling pair would hold a million entries."""
    head, tail = "abcdefghij", "klmnopqrst"
    words = _every_case(head) + _every_case(tail)
    notes = [" ".join(words[k:k + 32]) for k in range(0, len(words), 32)]
    root = write_specs(tmp_path, courses={"a": {"title": "A", "description": f"uses {head}{tail[:-1]}T here",
                                                "notes": notes}})
    tracemalloc.start()
    try:
        run(root, select=["NM04"])
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert peak < 16 << 20, f"NM04 peaked at {peak >> 20} MB for a 23 KB catalog"
