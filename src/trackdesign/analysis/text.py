"""Small text helpers shared by naming, overlap and report code: words, slugs and light stemming."""

from __future__ import annotations

import re
from functools import lru_cache

import snowballstemmer

WORD = re.compile(r"[A-Za-z][A-Za-z0-9]*(?:['’-][A-Za-z0-9]+)*")

#: Words a title keeps in lower case in Title Case, and that carry no meaning when comparing titles.
SMALL_WORDS = frozenset(
    "a an and as at but by for from in into nor of on onto or per the to via vs with without".split()
)

#: Abbreviations designers write for the same word, normalised before comparing titles and ids.
ABBREVIATIONS = {"intro": "introduction", "intermed": "intermediate", "adv": "advanced", "prog": "programming"}


def words(text: str) -> list[str]:
    return WORD.findall(text)




_STEMMER = snowballstemmer.stemmer("english")


@lru_cache(maxsize=200_000)
def stem(word: str) -> str:
    """English stem (Snowball/Porter2) so that network/networks and generate/generator meet."""
    w = word.lower()
    w = ABBREVIATIONS.get(w, w)
    return _STEMMER.stemWord(w) if len(w) > 3 else w


class Numbering(dict):
    """key -> its number, in order of first sight: numbers known keys at C speed (`map(n.__getitem__, keys)`)."""

    def __missing__(self, key) -> int:
        number = self[key] = len(self)
        return number


class StemsOrNone(dict):
    """word -> its stem, None for a word `drop(word)` says carries no meaning: filled on first
    sight, then read at C speed (`map(stems.__getitem__, words)`)."""

    def __init__(self, drop):
        super().__init__()
        self._drop = drop

    def __missing__(self, word: str) -> str | None:
        s = self[word] = None if self._drop(word) else stem(word)
        return s


_CONTENT = StemsOrNone(lambda word: not word or word.lower() in SMALL_WORDS)


def byte_table(kept: str) -> bytes:
    """A `bytes.translate` table that keeps the ASCII characters of `kept` and turns every other
    byte into a space (for `pieces`)."""
    return bytes(c if chr(c) in kept else 32 for c in range(256))


def pieces(text: str, table: bytes) -> list[bytes]:
    """The space-free runs of `text` once `table` has turned what separates them into spaces, as
    ASCII bytes (any other character is "?"): one translation and one split at C speed, where a
    regular expression scanned every character and made a string of every match."""
    return text.encode("ascii", "replace").translate(table).split()


_ALNUM_RUN = re.compile(r"[A-Za-z0-9]+")


def content_stems(text: str) -> list[str]:
    """Stems of the words that carry meaning (small words dropped), in order; words are the runs
    of ASCII letters and digits."""
    return list(filter(None, map(_CONTENT.__getitem__, _ALNUM_RUN.findall(text))))
