"""OV: courses that teach the same thing, found from their text (see trackdesign.analysis.overlap)."""

from __future__ import annotations

import math
from collections import Counter, defaultdict

from trackdesign.analysis import bloom
from trackdesign.analysis.similarity import METHODS, THRESHOLDS
from trackdesign.spec.problems import Problem
from trackdesign.lint.registry import REGISTRY, Option, rule
from trackdesign.analysis.text import content_stems


def _min_score_option():
    calibrated = ", ".join(f"{method} {value}" for method, value in THRESHOLDS.items())
    return Option(None, "score (0-1) from which two courses count as overlapping [default: the method's"
                        f" threshold calibrated in docs/overlap.md: {calibrated}]", float)


def _method_option():
    return Option("tfidf", "how a pair is scored: tfidf, semantic or combined (the last two need the"
                          " `semantic` extra; see docs/overlap.md)", str, choices=METHODS)


@rule("OV01", "course-overlap", options={
    "min_score": _min_score_option(),
    "scope": Option("track", "compare courses within each track, or across the whole catalog", str,
                    choices=("track", "catalog")),
    "method": _method_option(),
})
def course_overlap(context):
    """Two courses that teach much the same, judged from their content.

    The score is the weighted mean of the cosines of description, objectives, outline and tags
    (TF-IDF of stemmed words and word pairs by default). Titles never count, nor do the makers'
    names, nor (within a track) the track's subject: the terms of its title and those most of its
    courses share. Fewer than three terms in common is chance, whatever the score. A pair where one course
    requires the other, or two parts of one series, is reported only when the later one nearly
    repeats a sentence, objective or lesson of the earlier ("builds on ... and repeats ...").
    The message gives the score, its parts and the most similar sentences side by side. Pairs of
    two external resources are left out: neither is the designer's to change.

    Bad:
        # courses/a.yaml: objectives: [build neural networks with the Keras Sequential API, ...]
        # courses/b.yaml (another title): objectives: [build neural networks with the Keras Sequential API, ...]

    Good:
        # courses/b.yaml: objectives: [train convolutional networks on images, ...]
    """
    from trackdesign.analysis.judgement import judged_catalog, judged_track, settings  # numpy and scipy: when needed

    catalog = context.catalog
    index = _index(context, "OV01")
    if index is None:
        yield _unavailable(context, "OV01")
        return
    _, threshold = settings(context.options)
    if context.options["scope"] == "catalog":
        pairs = judged_catalog(index, catalog, threshold)
    else:
        seen, pairs = set(), []
        for spec in catalog.tracks.values():
            for pair in judged_track(index, catalog, spec.model.courses, threshold, subject=spec.model.title):
                if tuple(sorted((pair.a, pair.b))) not in seen:
                    seen.add(tuple(sorted((pair.a, pair.b))))
                    pairs.append(pair)
    for pair in pairs:
        if not pair.flagged or (catalog.courses[pair.a].model.external and catalog.courses[pair.b].model.external):
            continue  # external pairs: neither is the designer's to change; `trackdesign overlap` lists them
        yield _problem(catalog, pair)


def configured(config) -> tuple[str, float]:
    """(method, threshold) OV01 is configured with: the reports and `trackdesign overlap` judge
    pairs with them, so that what they show agrees with what the lint reports."""
    from trackdesign.analysis.judgement import settings

    return settings(config.options(REGISTRY["OV01"]))


def _index(context, code: str):
    """The catalog's index for the rule's `method`, or None when that method's package is missing."""
    from trackdesign.analysis.overlap import index_for
    from trackdesign.analysis.similarity import SemanticUnavailable

    try:
        return index_for(context.catalog, context.options["method"])
    except SemanticUnavailable:
        return None


def _unavailable(context, code: str) -> Problem:
    return Problem(None, f"[rules.{code}] method = {context.options['method']!r} needs the optional wordllama"
                   f" package: pip install 'trackdesign[semantic]'", file=str(context.catalog.root), line=1, column=1)


def _problem(catalog, pair) -> Problem:
    from trackdesign.analysis.judgement import describe, headline

    tracks = sorted(set(catalog.tracks_of(pair.a)) & set(catalog.tracks_of(pair.b)))
    where = f" (both in track {', '.join(tracks)})" if tracks else ""
    hint = ("say what the later course adds, or drop what it repeats" if pair.sequel
            else "merge the courses, drop one, or make their scopes distinct")
    return Problem(catalog.courses[pair.b], f"{headline(pair)}{where}: {describe(pair)}", ("title",),
                   hint=hint, related=[catalog.courses[pair.a].display])


def _normal_stems(catalog) -> dict[str, list[list[str]]]:
    """Each course's objectives as stems, without the stem of the sentence, case or small words."""
    return {spec.id: [content_stems(bloom.strip_stem(o).lower()) for o in spec.model.objectives]
            for spec in catalog.courses.values()}


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
    stems = _normal_stems(catalog)
    first: dict[str, tuple] = {}
    reported = set()
    for spec in catalog.courses.values():
        for i, key in enumerate(" ".join(words) for words in stems[spec.id]):
            if not key:
                continue
            if key in first and first[key][0] is not spec:
                other, j = first[key]
                reported.add((other.id, j, spec.id, i))
                yield Problem(spec, f"objective repeats objective {j + 1} of {other.id!r}: {spec.model.objectives[i]!r}",
                              ("objectives", i), hint="say how this course goes further, or drop the repeat",
                              related=[other.display])
            first.setdefault(key, (spec, i))
    limit = context.options["min_similarity"]
    for track in catalog.tracks.values():
        course_ids = list(dict.fromkeys(c for c in track.model.courses if c in catalog.courses))
        yield from _near_repeats(catalog, stems, course_ids, limit, reported)


def _near_repeats(catalog, stems, course_ids, limit, reported):
    """Problems for objectives nearly repeating an earlier one of the same track (in track order)."""
    owner = [(cid, i) for cid in course_ids for i in range(len(stems[cid]))]
    sets = [set(stems[cid][i]) for cid, i in owner]
    done = -1
    for n, m, similarity in sorted(similar_sets(sets, limit)):
        if n == done:
            continue
        (cid, i), (other_id, j) = owner[n], owner[m]
        if cid == other_id or (other_id, j, cid, i) in reported:
            continue
        done = n
        reported.add((other_id, j, cid, i))
        spec, other = catalog.courses[cid], catalog.courses[other_id]
        yield Problem(spec, f"objective nearly repeats objective {j + 1} of {other_id!r}"
                      f" ({similarity:.0%} of words shared): {spec.model.objectives[i]!r}",
                      ("objectives", i), hint="say how this course goes further, or drop the repeat",
                      related=[other.display])


def similar_sets(sets: list[set[str]], limit: float) -> list[tuple[int, int, float]]:
    """(later, earlier, similarity) of every pair of `sets` (by position) whose Jaccard similarity
    reaches `limit`.

    Prefix filtering: two sets that similar share a word among the rarest
    len - ceil(limit * len) + 1 words of each, so a set is compared only with the earlier sets
    holding one of its own rarest words in theirs, not with every earlier set of a long track.
    """
    frequency = Counter(word for words in sets for word in words)
    holding: dict[str, list[int]] = defaultdict(list)  # word -> earlier sets with it in their prefix
    found = []
    for n, words in enumerate(sets):
        if not words:
            continue
        rarest = sorted(words, key=lambda word: (frequency[word], word))
        prefix = rarest[:len(words) - math.ceil(limit * len(words) - 1e-9) + 1]  # 1e-9: 0.85 * 20 is 17
        for m in sorted({m for word in prefix for m in holding[word]}):
            similarity = len(words & sets[m]) / len(words | sets[m])
            if similarity >= limit:
                found.append((n, m, similarity))
        for word in prefix:
            holding[word].append(n)
    return found


@rule("OV03", "new-course-overlaps-catalog", options={
    "min_score": _min_score_option(),
    "max_reported": Option(3, "most similar live courses reported per new course", int),
    "method": _method_option(),
})
def new_course_overlaps_catalog(context):
    """A proposed or in-development course that overlaps a live course anywhere in the catalog.

    The question to ask before commissioning a course: does the catalog already teach this? Judged
    as OV01 judges a pair (a new course that builds on a live one must repeat it to be reported).
    A live course in a track with the new one is OV01's to judge, with the track's subject left out.

    Bad:
        # courses/intro-to-keras.yaml (status: proposed) ~ deep-learning-in-python (live)

    Good:
        # courses/generative-deep-learning-in-python.yaml (proposed): no live course like it
    """
    from trackdesign.analysis.judgement import describe, judge, settings

    catalog = context.catalog
    new = [cid for cid, spec in catalog.courses.items() if spec.model.status in ("proposed", "in-development")]
    if not new:
        return
    live = [cid for cid, spec in catalog.courses.items() if spec.model.status == "live"]
    index = _index(context, "OV03")
    if index is None:
        yield _unavailable(context, "OV03")
        return
    _, threshold = settings(context.options)
    by_course: dict[str, list] = defaultdict(list)
    for a, b, score in index.scored_between(new, live, threshold):
        if set(catalog.tracks_of(a)) & set(catalog.tracks_of(b)):
            continue  # OV01 judges the pairs of a track
        pair = judge(index, catalog, index.evidence(a, b, score), threshold)
        if pair.flagged:
            by_course[a].append((b, pair))
    shown = context.options["max_reported"]
    for cid in new:
        for b, pair in by_course.get(cid, [])[:shown]:
            more = len(by_course[cid]) - shown
            extra = f" (and {more} more live course{'s' if more != 1 else ''})" if more > 0 else ""
            what = "builds on and repeats" if pair.sequel else "overlaps"
            yield Problem(catalog.courses[cid], f"{catalog.courses[cid].model.status} course {what} live course"
                          f" {b!r}{extra}: {describe(pair)}", ("status",),
                          hint="check whether the live course already serves the need", related=[b])
