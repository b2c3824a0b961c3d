"""The terms of a catalog's text: counted with array arithmetic, as `text_terms` states them."""

from __future__ import annotations

from collections import Counter, defaultdict
from pathlib import Path

import numpy as np
import pytest

from trackdesign.analysis.overlap import FIELDS, course_fields
from trackdesign.analysis.terms import TOKEN, _PAIR, _WORD_STEM, _sorted_pairs, _word_stems, count_terms, text_terms
from trackdesign.spec.loader import load_catalog

SPECS = Path(__file__).resolve().parents[2] / "specs"


def test_stemming_and_stop_words_make_plurals_meet():
    surface = defaultdict(Counter)
    assert text_terms("the networks", surface) == text_terms("a network", surface) == ["network"]
    assert surface["network"] == {"networks": 1, "network": 1}


@pytest.mark.parametrize("texts", [
    ["C++ and C# in 3d-printing", "", "don't -- a-b- x--y 3-d a-3-b", "Kelvin \u212a, İstanbul café"],
    ["a'b'c #hash +plus", "UPPER Case, lower case", "x\x01y: a text holding the cut between texts"],
])
def test_words_are_found_by_pieces_as_token_finds_them(texts):
    """All texts are split at once rather than each scanned with TOKEN: same words, same order."""
    ids, lengths = _word_stems(texts)
    found = [TOKEN.findall(text.lower()) for text in texts]
    assert lengths.tolist() == [len(words) for words in found]
    assert ids.tolist() == [_WORD_STEM[w] for words in found for w in words]


def test_pairs_are_sorted_stably_whichever_way_they_fit():
    """Equal pairs keep their order of use, whether sorted as packed numbers or by argsort."""
    rng = np.random.default_rng(3)
    for stems in (40, 3_000_000_000):  # the second cannot pack a pair and its place into 63 bits
        first, second = rng.integers(0, 40, 5000), rng.integers(0, 40, 5000)
        pairs = (first + 1) * _PAIR + second
        order, ordered = _sorted_pairs(pairs.copy(), stems)  # it uses up what it is given
        expected = np.argsort(pairs, kind="stable")
        assert order.tolist() == expected.tolist() and ordered.tolist() == pairs[expected].tolist()


def test_each_text_is_counted_with_the_terms_text_terms_finds():
    """The counts hold, for every field of every course, the terms and uses `text_terms` states."""
    catalog = load_catalog(SPECS)
    texts = [course_fields(spec.model)[name] for spec in catalog.courses.values() for name in FIELDS]
    vocabulary, counts = count_terms(texts, FIELDS)
    checked = 0
    for k, text in enumerate(texts):
        matrix = counts[FIELDS[k % len(FIELDS)]]
        row = k // len(FIELDS)
        start, end = matrix.indptr[row], matrix.indptr[row + 1]
        found = {vocabulary[c]: n for c, n in zip(matrix.indices[start:end].tolist(), matrix.data[start:end].tolist())}
        assert found == Counter(text_terms(text)), text
        checked += bool(found)
    assert checked > 100


def test_columns_are_found_for_the_terms_the_catalog_uses():
    vocabulary, _ = count_terms(["deep neural networks", "gardening"], ("text",))
    columns = vocabulary.columns(["neural network", "network", "unknown"])
    assert sorted(vocabulary[c] for c in columns.tolist()) == ["network", "neural network"]
