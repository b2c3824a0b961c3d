"""Words and stems as the rules compare them."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from trackdesign.spec.loader import load_catalog
from trackdesign.analysis.text import _CONTENT, content_stems

ROOT = Path(__file__).resolve().parents[1]
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


def _numbered_words(texts):
    """Each text's words as `prose._numbered` numbers them, spelled out again."""
    from trackdesign.analysis.prose import _WORD_NUMBER, _numbered

    ids, counts = _numbered(texts)
    assert len(counts) == len(texts) and counts.sum() == len(ids)
    words, ends = list(_WORD_NUMBER), counts.cumsum()
    return [[words[n] for n in ids[end - count:end].tolist()] for count, end in zip(counts, ends)]


def test_prose_words_from_pieces_are_the_words_of_the_pattern():
    """The naming rules' words come from a split of the text's bytes; they must be exactly
    `prose_words` (WORD's matches once URLs, link targets and dotted names are out)."""
    import random

    from trackdesign.analysis.prose import prose_words

    rng = random.Random(11)
    texts = PROSE_TRAPS + [_random_prose(rng) for _ in range(3000)]
    texts += [text for spec in load_catalog(ROOT / "specs").specs() for _, text in spec.strings]
    for text in texts:
        assert _numbered_words([text]) == [prose_words(text)], text
    assert _numbered_words(["a--b 2019 x"]) == [["a", "b", "x"]]  # a piece of two words, one of none


def test_prose_words_split_together_are_each_texts_own():
    """The words of many texts are numbered from one split of them joined; each text's must be its
    own, whatever the others hold: two-word pieces, URLs, other scripts, the cut itself, nothing."""
    import random

    from trackdesign.analysis.prose import prose_words

    rng = random.Random(12)
    plain = ["Deep learning with Keras", "x-ray images", "2019", "", "don't stop", "A B C", "9-5 jobs"]
    odd = PROSE_TRAPS + ["a--b", "see keras.utils", "https://x.org/a", "[a](b)", "`code`", "naïve", "x\x01y",
                         "x \x01 y", "it'-s"]
    batches = [[rng.choice(plain) for _ in range(rng.randint(0, 1200))] for _ in range(100)]
    for text in odd:  # one odd text among plain ones, anywhere
        before, after = (rng.sample(plain * 100, rng.randint(0, 700)) for _ in range(2))
        batches.append(before + [text] + after)
    batches += [[rng.choice(plain + odd) for _ in range(rng.randint(0, 1200))] for _ in range(100)]
    batches += [[_random_prose(rng) for _ in range(rng.randint(0, 1200))] for _ in range(20)]
    batches += [[text for spec in load_catalog(ROOT / "specs").specs() for _, text in spec.strings]]
    for texts in batches:
        assert _numbered_words(texts) == [prose_words(text) for text in texts]


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
