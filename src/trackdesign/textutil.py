"""Small text helpers shared by naming, overlap and report code: words, slugs and light stemming."""

from __future__ import annotations

import re
from functools import lru_cache

WORD = re.compile(r"[A-Za-z][A-Za-z0-9]*(?:['’-][A-Za-z0-9]+)*")

#: Words a title keeps in lower case in Title Case, and that carry no meaning when comparing titles.
SMALL_WORDS = frozenset(
    "a an and as at but by for from in into nor of on onto or per the to via vs with without".split()
)

#: Abbreviations designers write for the same word, normalised before comparing titles and ids.
ABBREVIATIONS = {"intro": "introduction", "intermed": "intermediate", "adv": "advanced", "prog": "programming"}


def words(text: str) -> list[str]:
    return WORD.findall(text)


def slugify(text: str) -> str:
    """The kebab-case id a title would get: 'Deep Learning in Python' -> 'deep-learning-in-python'."""
    text = text.replace("’", "").replace("'", "")
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")


@lru_cache(maxsize=200_000)
def stem(word: str) -> str:
    """A light English stemmer (plurals and common endings), enough for 'networks' to meet 'network'."""
    w = word.lower()
    w = ABBREVIATIONS.get(w, w)
    if len(w) <= 3:
        return w
    for suffix, repl in (("ies", "y"), ("sses", "ss"), ("xes", "x"), ("ches", "ch"), ("shes", "sh")):
        if w.endswith(suffix):
            return w[: -len(suffix)] + repl
    if w.endswith("s") and not w.endswith(("ss", "us", "is")):
        w = w[:-1]
    for suffix in ("ing", "ed"):
        if w.endswith(suffix) and len(w) - len(suffix) >= 4:
            base = w[: -len(suffix)]
            if len(base) > 2 and base[-1] == base[-2] and base[-1] not in "lsz":
                base = base[:-1]  # "mapping" -> "map"
            return base
    return w


def content_stems(text: str) -> list[str]:
    """Stems of the words that carry meaning (small words dropped), in order."""
    return [stem(w) for w in re.split(r"[^A-Za-z0-9]+", text) if w and w.lower() not in SMALL_WORDS]
