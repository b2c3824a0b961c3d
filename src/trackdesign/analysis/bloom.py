"""Objectives' verbs and their level in Bloom's revised taxonomy, from data files users can extend."""

from __future__ import annotations

import re
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Callable

LEVEL_NAMES = {1: "remember", 2: "understand", 3: "apply", 4: "analyze", 5: "evaluate", 6: "create"}
STEM = re.compile(r"^\s*(?:learners?|students?|you)\s+(?:will|should|can)\s+(?:be\s+able\s+to\s+)?", re.I)


def _data(name: str) -> str:
    return resources.files("trackdesign").joinpath(f"data/{name}").read_text(encoding="utf-8")


def _lines(text: str):
    for line in text.splitlines():
        line = line.strip()
        if line and not line.startswith("#"):
            yield line


@lru_cache(maxsize=8)
def bloom_verbs(file: str | None = None) -> dict[str, int]:
    """verb -> level (the lowest level a verb is listed at)."""
    text = Path(file).read_text(encoding="utf-8") if file else _data("bloom.txt")
    verbs: dict[str, int] = {}
    for line in _lines(text):
        head, _, listed = line.partition(":")
        level = int(head.split()[0])
        for verb in listed.split(","):
            verbs.setdefault(verb.strip().lower(), level)
    return verbs


def unmeasurable_verbs(extra: tuple[str, ...] = (), replace: tuple[str, ...] | None = None) -> dict[str, int]:
    """verb phrase -> suggested Bloom level."""
    if replace is not None:
        base = {v.lower(): 2 for v in replace}
    else:
        base = {}
        for line in _lines(_data("unmeasurable.txt")):
            phrase, _, level = line.rpartition(":")
            base[phrase.strip().lower()] = int(level)
    for verb in extra:
        base.setdefault(verb.lower(), 2)
    return base


def strip_stem(objective: str) -> str:
    """'Learner will be able to use X' -> 'use X' (objectives are stored without the stem)."""
    text = objective.strip()
    if text[:1] not in _STEM_STARTS:  # most objectives: the stem cannot start there
        return text
    return STEM.sub("", objective).strip()


_STEM_STARTS = frozenset("lLsSyY")


def leading_phrase(objective: str, phrases) -> str | None:
    """The phrase of `phrases` the objective starts with (longest first), if any."""
    return phrase_finder(phrases)(strip_stem(objective).lower())


def phrase_finder(phrases) -> Callable[[str], str | None]:
    """`leading_phrase` for many objectives, each already without its stem and lower-cased."""
    match = _phrase_pattern(tuple(phrases)).match

    def find(text: str) -> str | None:
        found = match(text)
        return (found.group(1) or None) if found else None
    return find


@lru_cache(maxsize=8)
def _phrase_pattern(phrases: tuple[str, ...]) -> re.Pattern:
    """One pattern trying the phrases longest first, each as whole words: a catalog has tens of
    thousands of objectives, and a loop over the phrases for each would be most of OB01's work."""
    ordered = sorted(phrases, key=len, reverse=True)
    return re.compile("(" + "|".join(map(re.escape, ordered)) + r")(?= |\Z)")


def level(objective: str, verbs: dict[str, int]) -> int | None:
    words = re.findall(r"[a-z]+", strip_stem(objective).lower())
    return verbs.get(words[0]) if words else None


def mean_level(course, verbs: dict[str, int]) -> float | None:
    """Mean Bloom level of a course's objectives, None when no objective's verb is recognised."""
    found = [number for number in (level(o, verbs) for o in course.objectives) if number]
    return sum(found) / len(found) if found else None


def track_course_levels(catalog, track_id: str) -> dict[str, float | None]:
    """Mean Bloom level of each course of a track, rounded for a table (None: no verb recognised)."""
    verbs = bloom_verbs()
    result = {}
    for cid in catalog.tracks[track_id].model.courses:
        spec = catalog.courses.get(cid)
        mean = mean_level(spec.model, verbs) if spec else None
        result[cid] = round(mean, 2) if mean is not None else None
    return result


def suggestions(level_number: int, verbs: dict[str, int], count: int = 5) -> list[str]:
    return [v for v, n in verbs.items() if n == level_number][:count]
