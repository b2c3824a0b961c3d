"""The words of every prose string of a catalog, numbered, for the naming rules (NM03, NM04).

A catalog of 10,000 courses holds 97,000 prose strings and 1.7 million words, of some 5,000
distinct spellings. The naming rules count every use of each spelling, collect the words of
titles and of running text, and look for words that join into a known term ("Tensor Flow"). As
lists of strings per text those steps were loops over every word (0.27 s at that size); with each
word a number in one array (`ProseWords`) they are array operations over it (0.05 s).

Words are found as `prose_words` finds them: WORD's matches, once URLs, Markdown link targets,
inline code and dotted names (keras.utils) are left out. Plain ASCII texts are split a few
hundred at a time, by bytes, and each piece looked up once (`_PIECE_NUMBERS`).
"""

from __future__ import annotations

import re
import string
import sys

from trackdesign.analysis.text import WORD, Numbering, byte_table

#: Keys whose strings are not prose (ids, addresses, enumerations) and are never spell-checked.
NOT_PROSE = {"url", "status", "kind", "courses", "entry_requirements", "prerequisites", "relevant", "tags",
             "covers", "course", "any_of", "source", "provider", "instructor", "citation"}


def prose(spec):
    """(path, text) for every string in a spec that a person reads as prose, in document order."""
    return [(path, text) for path, text in spec.strings if NOT_PROSE.isdisjoint(path)]


_NOT_WORDS = re.compile(r"https?://\S+|\]\([^)]*\)|\b\w+(?:\.\w+)+\b|`[^`]*`")
# a cheaper scan that most prose fails, matching wherever _NOT_WORDS could: every dotted name holds
# a dot before a word character; starting at the dot it runs about six times faster than \w\.\w
_MAYBE_NOT_WORDS = re.compile(r"\.\w|://|\]\(|`")


def prose_words(text: str) -> list[str]:
    """The words of a text, leaving out URLs, link targets and dotted code names (keras.utils)."""
    if _MAYBE_NOT_WORDS.search(text):
        text = _NOT_WORDS.sub(" ", text)
    return WORD.findall(text)


#: Every word met, numbered in order of first sight (the same numbers for every catalog of a process).
_WORD_NUMBER = Numbering()

_CUT = "\x01"  # between texts split together: YAML cannot hold it, and a text that does is split alone
_NO_WORD, _SEVERAL, _CUT_NUMBER = -1, -2, -3
#: Bytes a WORD can hold, and the cut; every other byte of ASCII text becomes a space, so that the
#: words of a text are the words of its space-free pieces, in order.
_WORDS_AND_CUT = byte_table(string.ascii_letters + string.digits + "'-" + _CUT)
_DOT_WORD = re.compile(r"\.\w")
#: Two of WORD's inner marks in a row end a word inside a piece ("a--b"); without them a piece
#: of ASCII text holds at most one word (a word runs on over letters, digits and a mark followed
#: by either).
_DOUBLE_MARKS = ("--", "''", "-'", "'-")


class _PieceNumbers(dict):
    """A space-free piece of ASCII text -> the number of its one word, `_NO_WORD` or `_SEVERAL`:
    filled on first sight, then read at C speed."""

    def __missing__(self, piece: bytes) -> int:
        found = WORD.findall(piece.decode("ascii"))
        number = self[piece] = _WORD_NUMBER[sys.intern(found[0])] if len(found) == 1 else (
            _SEVERAL if found else _NO_WORD)
        return number


_PIECE_NUMBERS = _PieceNumbers({_CUT.encode(): _CUT_NUMBER})
#: Texts split together: enough that the calls per text stop counting, few enough that the pieces
#: of all of them alive at once stay small (all 97,000 texts together were slower than one by one).
_TOGETHER = 500


class ProseWords:
    """The words of a catalog's prose strings: `places[k]` is (spec, path) of text k, whose words
    are the numbers `ids[starts[k]:starts[k + 1]]`; `words[n]` is the word numbered n."""

    __slots__ = ("places", "ids", "counts", "starts", "words")

    def __init__(self, places: list[tuple], ids, counts):
        import numpy as np

        self.places, self.ids, self.counts = places, ids, counts
        self.starts = np.concatenate([np.zeros(1, dtype=np.int64), np.cumsum(counts)])
        self.words: list[str] = list(_WORD_NUMBER)

    def number(self, word: str) -> int | None:
        """The number of `word`, None for a word none of these texts holds."""
        found = _WORD_NUMBER.get(word)
        return found if found is not None and found < len(self.words) else None

    def words_of(self, k: int) -> list[str]:
        words = self.words
        return [words[n] for n in self.ids[self.starts[k]:self.starts[k + 1]].tolist()]

    def text_of_each(self):
        """The text each word belongs to."""
        import numpy as np

        return np.repeat(np.arange(len(self.places)), self.counts)


def prose_index(catalog) -> ProseWords:
    """The words of every prose string in the catalog, computed once per lint."""
    def build():
        import numpy as np

        places, texts = [], []
        for spec in catalog.specs():
            for path, text in prose(spec):
                places.append((spec, path))
                texts.append(text)
        parts = [_numbered(texts[start:start + _TOGETHER]) for start in range(0, len(texts), _TOGETHER)]
        ids = np.concatenate([p[0] for p in parts]) if parts else np.zeros(0, dtype=np.int32)
        counts = np.concatenate([p[1] for p in parts]) if parts else np.zeros(0, dtype=np.int64)
        return ProseWords(places, ids, counts)
    return catalog.memo("prose_words", build)


def _numbered(texts: list[str]):
    """(the numbers of the words of all `texts` in turn, how many each has): plain texts from one
    split of them joined, the others one by one."""
    import numpy as np

    joined = f" {_CUT} ".join(texts)
    if _nothing_left_out(joined) and joined.count(_CUT) == max(len(texts) - 1, 0):
        found = joined.encode("ascii").translate(_WORDS_AND_CUT).split()
        numbers = np.fromiter(map(_PIECE_NUMBERS.__getitem__, found), dtype=np.int32, count=len(found))
        if not (numbers == _SEVERAL).any():
            word = numbers >= 0
            text = np.cumsum(numbers == _CUT_NUMBER)  # the text each piece is in
            return numbers[word], np.bincount(text[word], minlength=len(texts)).astype(np.int64)
    plain = [n for n, text in enumerate(texts) if _CUT not in text and _nothing_left_out(text)
             and not any(mark in text for mark in _DOUBLE_MARKS)]
    each: dict[int, object] = {}
    if len(plain) < len(texts):  # else every text is plain, yet a piece holds two words: one by one
        ids, counts = _numbered([texts[n] for n in plain])
        each = dict(zip(plain, np.split(ids, np.cumsum(counts)[:-1]))) if plain else {}
    number = _WORD_NUMBER.__getitem__
    lists = [each[n] if n in each else np.fromiter(map(number, prose_words(text)), dtype=np.int32)
             for n, text in enumerate(texts)]
    counts = np.array([len(ids) for ids in lists], dtype=np.int64)
    return (np.concatenate(lists) if lists else np.zeros(0, dtype=np.int32)), counts


def _nothing_left_out(text: str) -> bool:
    """Whether `text` is ASCII with nothing `prose_words` leaves out (`_MAYBE_NOT_WORDS`): each
    character alone first, found at once in the megabytes of a catalog's prose joined."""
    return (text.isascii() and "`" not in text and (":" not in text or "://" not in text)
            and ("]" not in text or "](" not in text) and not _DOT_WORD.search(text))
