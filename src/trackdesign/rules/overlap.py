"""OV: courses that teach the same thing, found from their text (see trackdesign.overlap)."""

from __future__ import annotations

import math
from collections import Counter, defaultdict

from trackdesign import bloom
from trackdesign.findings import Problem
from trackdesign.overlap import index_for
from trackdesign.rules.registry import Option, rule
from trackdesign.textutil import content_stems


def describe(pair) -> str:
    fields = ", ".join(f"{name} {pair.fields[name]:.2f}" for name in pair.drivers) or "no single field"
    return f"score {pair.score:.2f}; driven by {fields}; shared terms: {', '.join(pair.terms)}"


@rule("OV01", "course-overlap", options={
    "min_score": Option(0.25, "similarity (0-1) from which two courses count as overlapping", float),
    "scope": Option("track", "compare courses within each track, or across the whole catalog", str,
                    choices=("track", "catalog")),
})
def course_overlap(context):
    """Two courses that teach much the same, judged from their text.

    The score is the weighted mean of TF-IDF cosines of title, description, objectives, outline and
    tags (stemmed words and word pairs). The message gives the score, the fields that drive it and
    the distinctive terms the two share, so a designer can judge; tune `min_score` to the catalog.
    Pairs of two external resources are left out: neither is the designer's to change.

    Bad:
        # tracks/dl.yaml: courses: [deep-learning-in-python, deep-learning-with-keras-in-python]
        # both: "build neural networks with Keras", "deep learning models", ...

    Good:
        # tracks/dl.yaml: courses: [deep-learning-in-python, convolutional-neural-networks-in-python]
    """
    catalog = context.catalog
    index = index_for(catalog)
    threshold = context.options["min_score"]
    if context.options["scope"] == "catalog":
        pairs = index.all_pairs(threshold)
    else:
        seen, pairs = set(), []
        for spec in catalog.tracks.values():
            for pair in index.pairs_within(spec.model.courses, threshold):
                if (pair.a, pair.b) not in seen:
                    seen.add((pair.a, pair.b))
                    pairs.append(pair)
    for pair in pairs:
        if catalog.courses[pair.a].model.external and catalog.courses[pair.b].model.external:
            continue  # neither is the designer's to change; `trackdesign overlap` still lists them
        tracks = sorted(set(catalog.tracks_of(pair.a)) & set(catalog.tracks_of(pair.b)))
        where = f" (both in track {', '.join(tracks)})" if tracks else ""
        yield Problem(catalog.courses[pair.b], f"overlaps with {pair.a!r}{where}: {describe(pair)}", ("title",),
                      hint="merge the courses, drop one, or make their scopes distinct",
                      related=[catalog.courses[pair.a].display])


def _normal(objective: str) -> str:
    return " ".join(content_stems(bloom.strip_stem(objective).lower()))


@rule("OV02", "repeated-objective", options={
    "min_similarity": Option(0.85, "word overlap (0-1) from which two objectives count as the same", float),
})
def repeated_objective(context):
    """An objective repeated, word for word or nearly, in another course.

    Exact repeats (after case, stemming and small words) are found across the whole catalog, near
    repeats among the courses of each track.

    Bad:
        # courses/a.yaml: objectives: [build convolutional neural networks with Keras]
        # courses/b.yaml: objectives: [build a convolutional neural network with Keras]

    Good:
        # courses/b.yaml: objectives: [tune a convolutional network's hyperparameters]
    """
    catalog = context.catalog
    first: dict[str, tuple] = {}
    reported = set()
    for spec in catalog.courses.values():
        for i, objective in enumerate(spec.model.objectives):
            key = _normal(objective)
            if not key:
                continue
            if key in first and first[key][0] is not spec:
                other, j = first[key]
                reported.add((other.id, j, spec.id, i))
                yield Problem(spec, f"objective repeats objective {j + 1} of {other.id!r}: {objective!r}",
                              ("objectives", i), hint="say how this course goes further, or drop the repeat",
                              related=[other.display])
            first.setdefault(key, (spec, i))
    limit = context.options["min_similarity"]
    for track in catalog.tracks.values():
        items = []
        for cid in dict.fromkeys(track.model.courses):
            spec = catalog.courses.get(cid)
            if spec:
                items.extend((spec, i, set(_normal(o).split())) for i, o in enumerate(spec.model.objectives))
        # prefix filtering: sets with Jaccard >= limit share a word among their rarest few
        frequency = Counter(word for _, _, words in items for word in words)
        prefixes = [sorted(words, key=lambda w: (frequency[w], w))[:len(words) - math.ceil(limit * len(words)) + 1]
                    for _, _, words in items]
        by_word = defaultdict(list)
        for n, prefix in enumerate(prefixes):
            for word in prefix:
                by_word[word].append(n)
        for n, (spec, i, words) in enumerate(items):
            candidates = {m for word in prefixes[n] for m in by_word[word] if m < n
                          and limit * len(words) <= len(items[m][2]) <= len(words) / limit}
            for m in sorted(candidates):
                other, j, other_words = items[m]
                if other is spec or (other.id, j, spec.id, i) in reported:
                    continue
                similarity = len(words & other_words) / len(words | other_words)
                if similarity >= limit:
                    reported.add((other.id, j, spec.id, i))
                    yield Problem(spec, f"objective nearly repeats objective {j + 1} of {other.id!r}"
                                  f" ({similarity:.0%} of words shared): {spec.model.objectives[i]!r}",
                                  ("objectives", i), hint="say how this course goes further, or drop the repeat",
                                  related=[other.display])
                    break


@rule("OV03", "new-course-overlaps-catalog", options={
    "min_score": Option(0.25, "similarity (0-1) from which a new course counts as overlapping", float),
    "max_reported": Option(3, "most similar live courses reported per new course", int),
})
def new_course_overlaps_catalog(context):
    """A proposed or in-development course that overlaps a live course anywhere in the catalog.

    The question to ask before commissioning a course: does the catalog already teach this?

    Bad:
        # courses/intro-to-keras.yaml (status: proposed) ~ deep-learning-in-python (live)

    Good:
        # courses/generative-deep-learning-in-python.yaml (proposed): no live course like it
    """
    catalog = context.catalog
    new = [cid for cid, spec in catalog.courses.items() if spec.model.status in ("proposed", "in-development")]
    if not new:
        return
    live = [cid for cid, spec in catalog.courses.items() if spec.model.status == "live"]
    index = index_for(catalog)
    by_course: dict[str, list] = defaultdict(list)
    for a, b, score in index.scored_between(new, live, context.options["min_score"]):
        by_course[a].append((b, score))
    shown = context.options["max_reported"]
    for cid in new:
        for b, score in by_course.get(cid, [])[:shown]:
            pair = index.evidence(cid, b, score)
            more = len(by_course[cid]) - shown
            extra = f" (and {more} more live course{'s' if more != 1 else ''})" if more > 0 else ""
            yield Problem(catalog.courses[cid], f"{catalog.courses[cid].model.status} course overlaps live course"
                          f" {b!r}{extra}: {describe(pair)}", ("status",),
                          hint="check whether the live course already serves the need", related=[b])
