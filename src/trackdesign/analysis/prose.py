"""The words of every prose string of a catalog, for the naming rules (NM03, NM04).

Words are WORD's matches, once URLs, Markdown link targets, inline code and dotted names
(keras.utils) are left out: those are not prose a person spells.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

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


@dataclass
class ProseWords:
    """`places[k]` is the (spec, path) of a catalog's k-th prose string, `words[k]` its words."""

    places: list[tuple]
    words: list[list[str]]


def prose_index(catalog) -> ProseWords:
    """The words of every prose string in the catalog, computed once per lint."""
    def build():
        places, words = [], []
        for spec in catalog.specs():
            for path, text in prose(spec):
                places.append((spec, path))
                words.append(prose_words(text))
        return ProseWords(places, words)
    return catalog.memo("prose_words", build)
