"""Words and stems as the rules compare them."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from trackdesign.spec.loader import load_catalog
from trackdesign.analysis.text import _CONTENT, content_stems

ROOT = Path(__file__).resolve().parents[2]
#: What separates words: anything but ASCII letters and digits
SEPARATORS = re.compile(r"[^A-Za-z0-9]+")


def by_pattern(text: str) -> list[str]:
    """What content_stems means: the stems of the runs of ASCII letters and digits, small words dropped."""
    return list(filter(None, map(_CONTENT.__getitem__, SEPARATORS.split(text))))


@pytest.mark.parametrize("text", ["Intro to Deep-Learning 2.0 in Python", "café ÜBER naïve_x", "", "   ",
                                  "a_b c\u212ad (Kelvin sign)", "The and of", "networks, Networks; NETWORK!"])
def test_content_stems_are_the_stems_of_ascii_letter_and_digit_runs(text):
    assert content_stems(text) == by_pattern(text)


def test_content_stems_of_every_example_string():
    catalog = load_catalog(ROOT / "specs")
    texts = [text for spec in catalog.specs() for _, text in spec.strings]
    assert len(texts) > 500
    assert [content_stems(t) for t in texts] == [by_pattern(t) for t in texts]
    assert content_stems("Neural Networks") == content_stems("a neural network")


PROSE_TRAPS = ["Learn TensorFlow 2.0 and Keras's API", "state-of-the-art 3d-printing -- and a--b 'quoted' learners'",
               "x-- --y 2019 '90s it’s café", "see https://example.org/a.b and [docs](http://x.y) or `np.array`",
               "keras.utils.to_categorical, e.g. models", "", "  \n ", "a'b'c rock'n'roll -x- ''", "über_x 3.5x"]


def _random_prose(rng) -> str:
    parts = ["Deep", "learning", "x-ray", "--", "'", "-", "2019", "3d", "a--b", "e.g.", "don't", "’", "é", "_",
             ".", ",", " ", "\n", "Keras", "it's", "9-5", "AB-CD", "`", "](", "://"]
    return "".join(rng.choice(parts) + rng.choice(["", " "]) for _ in range(rng.randint(0, 12)))


def test_the_objective_stem_is_stripped_as_its_pattern_strips_it():
    """strip_stem skips the pattern where the stem cannot start; the result must be the pattern's."""
    from trackdesign.analysis import bloom

    texts = ["Learner will be able to use X", "  learners can build", "students should be able to x",
             "You will", "use X", "", "   ", "Lessons cover x", "\tyou can do", "Y", "\u2003you will see",
             "Students will understand", "sing along"]
    catalog = load_catalog(ROOT / "specs")
    texts += [o for spec in catalog.courses.values() for o in spec.model.objectives]
    assert [bloom.strip_stem(t) for t in texts] == [bloom.STEM.sub("", t).strip() for t in texts]
    assert bloom.strip_stem("Learners will be able to train a network") == "train a network"


def test_outline_terms_from_cached_stems_are_the_terms_of_the_joined_stems():
    """OL03's objective terms are the title terms of the objective's stems (its verb left out)
    joined again: looked up stem by stem, they must be exactly that."""
    import random

    from trackdesign.analysis import bloom
    from trackdesign.lint.rules import outline

    def title_terms(text):
        return {w for w in content_stems(text) if w not in outline.GENERIC and len(w) > 2}

    rng = random.Random(5)
    texts = PROSE_TRAPS + [_random_prose(rng) for _ in range(3000)]
    texts += ["Learner will be able to build networks", "use the of and intro to adv Python", "explain a 2-D CNN"]
    texts += [text for spec in load_catalog(ROOT / "specs").specs() for _, text in spec.strings]
    for text in texts:
        assert outline.title_terms(text) == title_terms(text), text
        assert outline.terms(text) == title_terms(" ".join(content_stems(bloom.strip_stem(text))[1:])), text


def test_prose_words_leave_out_urls_link_targets_code_and_dotted_names():
    from trackdesign.analysis.prose import prose_words

    assert prose_words("see https://example.org/a.b and [docs](http://x.y) or `np.array`") == ["see", "and", "docs", "or"]
    assert prose_words("keras.utils.to_categorical, e.g. models") == ["models"]
    assert prose_words("Learn TensorFlow 2.0 and Keras's API") == ["Learn", "TensorFlow", "and", "Keras's", "API"]
