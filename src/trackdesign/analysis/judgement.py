"""Whether two similar courses overlap: the one definition of "flagged", and its evidence.

A score is not a judgement. Two courses where one requires the other (directly or through the
prerequisite closure), or that are parts of one series ("Classical Chinese II" and "III", "Deep
Learning with Keras" and "Advanced Deep Learning with Keras"), are expected to share vocabulary:
such a sequel is reported only when the later course nearly repeats a sentence, objective or
lesson of the earlier one, and is worded as such ("builds on ... and repeats ..."). Any other pair
is reported when its score reaches the threshold. The evidence is the score's parts and the two or
three most similar sentences or objectives of the two courses, side by side.

The threshold and the repeat similarity were calibrated on labelled pairs of a university catalog
(bench/overlap_eval.py; docs/overlap.md).
"""

from __future__ import annotations

import math
import re
import string
from collections import Counter
from dataclasses import dataclass

from trackdesign.analysis.overlap import WEIGHTS, without_names
from trackdesign.analysis.terms import text_terms
from trackdesign.analysis.similarity import THRESHOLDS

#: Cosine (of TF-IDF weighted words) from which a sentence or objective repeats another.
REPEAT = 0.8
#: Fewer distinct terms (content words and adjacent pairs of them) than this in common is chance,
#: whatever the cosine: two one-line descriptions sharing a word or two score high and teach
#: nothing alike.
MIN_SHARED = 3
#: A sentence found (by its words) in this many courses is boilerplate, never evidence.
BOILERPLATE = 3
#: Where a line's sentences end: the stop is captured (and given back to its sentence), as a
#: lookbehind would keep it, for a pattern the regex engine can scan for by its first character
#: (it cannot for an alternative of two patterns, hence line breaks are cut apart).
SENTENCE = re.compile(r"([.!?;])\s+")
#: Words and numbers that place a course in a series rather than say what it teaches.
LEVEL = re.compile(r"\b(?:introduction to|intro to|introductory|intermediate|advanced|fundamentals of|"
                   r"foundations of|further|beginning|elementary|part|level|[ivx]+|\d+[a-z]?|[a-h])\b")
#: Level words that open a series (stage 0) or close it (stage 2); a title with neither sits between.
FIRST = re.compile(r"\b(?:introduction to|intro to|introductory|fundamentals of|foundations of|beginning|elementary)\b")
LAST = re.compile(r"\b(?:advanced|further)\b")


@dataclass
class UnitPair:
    """A sentence, objective or lesson of each course, and how similar they are."""

    a_label: str
    a_text: str
    b_label: str
    b_text: str
    similarity: float

    def as_dict(self) -> dict:
        return {"a": self.a_label, "a_text": self.a_text, "b": self.b_label, "b_text": self.b_text,
                "similarity": round(self.similarity, 3)}

    def __str__(self) -> str:
        return f'{self.a_label} "{_short(self.a_text)}" ~ {self.b_label} "{_short(self.b_text)}" ({self.similarity:.2f})'


def _short(text: str, limit: int = 90) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[:limit - 3].rstrip() + "..."


def requires(catalog, later: str, earlier: str) -> bool:
    """Whether `later` requires `earlier`, directly or through the prerequisite closure (any
    alternative of a group counts). The one place the overlap judgement reads the requirement model."""
    ancestors = catalog.memo("overlap_ancestors", dict)
    if later not in ancestors:
        found, todo = set(), [later]
        while todo:  # each course is expanded once: bounded by the catalog's requirements
            for _, alternatives in catalog.requirements.get(todo.pop(), ()):
                fresh = [c for c in alternatives if c in catalog.courses and c not in found]
                found.update(fresh)
                todo.extend(fresh)
        ancestors[later] = found
    return earlier in ancestors[later]


def series_key(title: str) -> str:
    """The title without level words and numbers: equal for the parts of one series."""
    return " ".join(LEVEL.sub(" ", re.sub(r"[^a-z0-9 ]+", " ", title.lower())).split())


def sequel(catalog, a: str, b: str) -> tuple[str, str] | None:
    """(earlier, later) when one of the two courses builds on the other, else None."""
    if requires(catalog, b, a):
        return a, b
    if requires(catalog, a, b):
        return b, a
    ta, tb = catalog.courses[a].model.title, catalog.courses[b].model.title
    key = series_key(ta)
    if key and key == series_key(tb) and ta.strip().lower() != tb.strip().lower():
        # an introduction comes first and an advanced part last; else the part whose title says
        # more about its level comes later ("... II")
        return (a, b) if (_stage(ta), len(ta)) <= (_stage(tb), len(tb)) else (b, a)
    return None


def _stage(title: str) -> int:
    """Where a part of a series sits by its title's level words."""
    title = title.lower()
    return 0 if FIRST.search(title) else 2 if LAST.search(title) else 1


def sentences(text: str) -> list[str]:
    """The sentences of a text, some blank: split at line breaks, and after . ! ? ; and a space."""
    found = []
    for line in text.split("\n"):
        parts = SENTENCE.split(line)
        found += [parts[k] + parts[k + 1] for k in range(0, len(parts) - 1, 2)]
        found.append(parts[-1])
    return found


def units(course) -> list[tuple[str, str]]:
    """(label, text) of each sentence of the description, objective and lesson of a course."""
    strip = without_names(course)
    found = [("description", s) for s in sentences(strip(course.description or "")) if len(s.split(None, 2)) == 3]
    found += [(f"objective {n}", strip(o)) for n, o in enumerate(course.objectives, 1)]
    for chapter in course.chapters:
        found.append(("chapter", strip(chapter.title)))
        for lesson in chapter.lessons:
            found.append(("lesson", strip(lesson.title)))
            found += [("lesson objective", strip(o)) for o in lesson.objectives]
    found = [(label, text.strip()) for label, text in found]
    return [(label, text) for label, text in found if text]


def _key(text: str) -> str:
    """A unit's text in lower case, its spacing and outer punctuation evened out: how boilerplate
    is recognised from course to course. Most units are spaced evenly already (units are stripped,
    and any white space but a space is unprintable)."""
    text = text.lower()
    if "  " in text or not text.isprintable():
        text = " ".join(text.split())
    return text.strip(string.punctuation)


def _boilerplate(catalog) -> Counter:
    """How many courses of the catalog have each sentence (by its words)."""
    def count():
        seen = Counter()
        for spec in catalog.courses.values():
            seen.update({_key(text) for _, text in units(spec.model)})
        return seen
    return catalog.memo("overlap_boilerplate", count)


def compare_units(index, catalog, a: str, b: str, ignore=frozenset()) -> list[UnitPair]:
    """For each unit of `a`, its most similar unit of `b`, best first; boilerplate left out.

    Similarity is the cosine of the units' TF-IDF vectors (the catalog's IDF, the terms
    `ignore`d left out), so that a shared rare phrase counts more than shared common words.
    """
    column_of = {}
    for matrix in index.fields.values():
        for position in (index.position[a], index.position[b]):
            for column in matrix.indices[matrix.indptr[position]:matrix.indptr[position + 1]].tolist():
                if column not in ignore:
                    column_of[index.vocabulary[column]] = column
    boilerplate = _boilerplate(catalog)

    def vectors(cid):
        result = []
        for label, text in units(catalog.courses[cid].model):
            if boilerplate[_key(text)] >= BOILERPLATE:
                continue
            weights = {t: (1 + math.log(n)) * float(index.idf[column_of[t]])
                       for t, n in Counter(text_terms(text)).items() if t in column_of}
            norm = math.sqrt(sum(w * w for w in weights.values()))
            if norm:
                result.append((label, text, {t: w / norm for t, w in weights.items()}))
        return result

    mine, theirs = vectors(a), vectors(b)
    pairs = []
    for label, text, vector in mine:
        best = max(((sum(w * other.get(t, 0.0) for t, w in vector.items()), other_label, other_text)
                    for other_label, other_text, other in theirs), default=None, key=lambda t: t[0])
        if best is not None and best[0] > 0:
            pairs.append(UnitPair(label, text, best[1], best[2], best[0]))
    pairs.sort(key=lambda u: -u.similarity)
    return pairs


def judge(index, catalog, pair, min_score: float, ignore=frozenset(), shown: int = 3):
    """Fill in whether `pair` is flagged, whether it is a sequel, and its most similar units."""
    order = sequel(catalog, pair.a, pair.b)
    earlier, later = order if order else (pair.a, pair.b)
    similar = compare_units(index, catalog, earlier, later, ignore)
    pair.similar = similar[:shown]
    pair.repeats = sum(u.similarity >= REPEAT for u in similar)
    pair.sequel = f"{later!r} builds on {earlier!r}" if order else None
    pair.flagged = pair.score >= min_score and pair.shared >= MIN_SHARED and (order is None or pair.repeats > 0)
    nearest = similar[0].similarity if similar else 0.0
    pair.judged = pair.score if order is None else min(pair.score, min_score * nearest / REPEAT)
    if pair.shared < MIN_SHARED:
        pair.judged = min(pair.judged, min_score * pair.shared / MIN_SHARED)
    if order:
        pair.a, pair.b = earlier, later
    return pair


def settings(options: dict) -> tuple[str, float]:
    """(method, threshold) from OV01/OV03's options: the method's calibrated threshold unless set."""
    method = options.get("method") or "tfidf"
    threshold = options.get("min_score")
    return method, THRESHOLDS[method] if threshold is None else threshold


def describe(pair) -> str:
    """The finding in words: the score, its parts and the most similar sentences side by side."""
    parts = ", ".join(f"{name} {value:.2f}" for name, value in sorted(pair.fields.items(), key=lambda kv: -kv[1])
                      if WEIGHTS[name]) or "no field"
    if pair.meaning is not None:
        parts = f"meaning {pair.meaning:.2f}; words: {parts}"
    title = pair.fields.get("title")
    if title:
        parts += f"; title {title:.2f}, not counted"
    text = f"score {pair.score:.2f} ({parts})"
    if pair.similar:
        text += "; most similar: " + "; ".join(str(u) for u in pair.similar)
    return text


def headline(pair) -> str:
    """What the pair is: an overlap, or a sequel repeating its prerequisite."""
    if pair.sequel and pair.flagged:
        return f"builds on {pair.a!r} and repeats {pair.repeats} of its sentences or objectives"
    if pair.sequel:
        return f"builds on {pair.a!r}"
    return f"overlaps with {pair.a!r}"


def judged_track(index, catalog, ids, min_score: float, floor: float | None = None, subject: str = "") -> list:
    """The pairs of the courses `ids` of a track titled `subject` scoring at least `floor`
    (default: `min_score`), judged, best first; the track's subject (the terms of its title and
    those most of its courses share) counts for neither score nor evidence."""
    common = index.common_terms(ids, subject)
    pairs = index.track_pairs(ids, min_score if floor is None else floor, common=common)
    ignore = frozenset(common.tolist())
    return [judge(index, catalog, pair, min_score, ignore) for pair in pairs]


def judged_catalog(index, catalog, min_score: float, floor: float | None = None, top: int | None = None) -> list:
    """Every pair of the catalog scoring at least `floor` (default: `min_score`), judged, best first."""
    pairs = index.all_pairs(min_score if floor is None else floor, top=top)
    return [judge(index, catalog, pair, min_score) for pair in pairs]
