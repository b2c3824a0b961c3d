"""The prose index keeps each text as its pieces: what it says of a text must be the text's words."""

from __future__ import annotations

import random
from collections import Counter
from itertools import chain
from types import SimpleNamespace

from trackdesign.analysis.prose import pieces, prose_index, prose_words

#: Characters and fragments that make URLs, link targets, inline code and dotted names, whole or broken.
PARTS = list("aZ9.`]()[:/ \n-'’_é") + ["http://", "https://", "a.b", "](", "``", "Keras", " ", " "]


def test_the_words_of_a_texts_pieces_are_the_texts_words():
    rng = random.Random(5)
    for _ in range(20_000):
        text = "".join(rng.choice(PARTS) for _ in range(rng.randint(0, 25)))
        assert list(chain.from_iterable(map(prose_words, pieces(text)))) == prose_words(text), text


class _Catalog(SimpleNamespace):
    def specs(self):
        return self.all

    def memo(self, name, build):
        return build()


def test_the_index_counts_and_spells_out_each_texts_words():
    rng = random.Random(9)
    texts = ["".join(rng.choice(PARTS) for _ in range(rng.randint(0, 40))) for _ in range(300)]
    specs = [SimpleNamespace(strings=[(("description",), t) for t in texts[k:k + 30]]) for k in range(0, 300, 30)]
    written = prose_index(_Catalog(all=specs))
    words = [prose_words(t) for t in texts]
    assert [written.words(k) for k in range(len(texts))] == words
    assert [written.first_word(k) for k in range(len(texts))] == [w[0] if w else None for w in words]
    assert written.uses == Counter(chain.from_iterable(words))
    assert written.uses_in(range(0, 300, 7)) == Counter(chain.from_iterable(words[0::7]))
