"""The words of every prose string of a catalog, for the naming rules (NM03, NM04).

Words are WORD's matches, once URLs, Markdown link targets, inline code and dotted names
(keras.utils) are left out: those are not prose a person spells.

A catalog's prose repeats a small vocabulary: 10,000 courses write some 1.7 million words but only
tens of thousands of distinct whitespace-separated pieces ("tools.", "(TensorFlow)"). So a string is
kept as its pieces, each distinct piece is read for words once, words are counted through the counts
of pieces, and a string's words are spelled out only where a rule needs them in order.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from itertools import chain

from trackdesign.analysis.text import WORD

#: Keys whose strings are not prose (ids, addresses, enumerations) and are never spell-checked.
NOT_PROSE = {"url", "status", "kind", "courses", "entry_requirements", "prerequisites", "relevant", "tags",
             "covers", "course", "any_of", "source", "provider", "instructor", "citation"}


def prose(spec):
    """(path, text) for every string in a spec that a person reads as prose, in document order."""
    return [(path, text) for path, text in spec.strings if NOT_PROSE.isdisjoint(path)]


_NOT_WORDS = re.compile(r"https?://\S+|\]\([^)]*\)|\b\w+(?:\.\w+)+\b|`[^`]*`")
#: A cheap first look: only a text with one of these can hold something _NOT_WORDS removes.
_MAYBE_NOT_WORDS = re.compile(r"\.\w|://|\]\(|`")


def prose_words(text: str) -> list[str]:
    """The words of a text, leaving out URLs, link targets and dotted code names (keras.utils)."""
    if _MAYBE_NOT_WORDS.search(text):
        text = _NOT_WORDS.sub(" ", text)
    return WORD.findall(text)


def pieces(text: str) -> list[str]:
    """The whitespace-separated pieces of a text, whose words (`prose_words` of each) are its words.

    A URL or a dotted name lies within one piece and is left out when the piece is read; inline
    code and link targets may hold spaces, so a text with them loses them first.
    """
    if "`" in text or "](" in text:
        text = _NOT_WORDS.sub(" ", text)
    return text.split()


@dataclass
class ProseWords:
    """`places[k]` is the (spec, path) of a catalog's k-th prose string and `pieces[k]` its pieces;
    `words_of` holds each distinct piece's words and `uses` how often each word occurs in all."""

    places: list[tuple]
    pieces: list[list[str]]
    words_of: dict[str, list[str]]
    uses: Counter

    def words(self, k: int) -> list[str]:
        """The words of the k-th string, in order."""
        return list(chain.from_iterable(map(self.words_of.__getitem__, self.pieces[k])))

    def first_word(self, k: int) -> str | None:
        """The k-th string's first word (a sentence start), None if it has none."""
        for piece in self.pieces[k]:
            words = self.words_of[piece]
            if words:
                return words[0]
        return None

    def uses_in(self, strings) -> Counter:
        """How often each word occurs in the strings numbered `strings`."""
        return _word_uses(Counter(chain.from_iterable(map(self.pieces.__getitem__, strings))), self.words_of)


def _word_uses(piece_uses: Counter, words_of: dict[str, list[str]]) -> Counter:
    uses: Counter = Counter()
    for piece, count in piece_uses.items():
        for word in words_of[piece]:
            uses[word] += count
    return uses


def prose_index(catalog) -> ProseWords:
    """The pieces of every prose string in the catalog, computed once per lint."""
    def build():
        places, in_pieces = [], []
        for spec in catalog.specs():
            for path, text in prose(spec):
                places.append((spec, path))
                in_pieces.append(pieces(text))
        piece_uses = Counter(chain.from_iterable(in_pieces))
        words_of = {piece: prose_words(piece) for piece in piece_uses}
        return ProseWords(places, in_pieces, words_of, _word_uses(piece_uses, words_of))
    return catalog.memo("prose_words", build)
