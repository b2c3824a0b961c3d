"""OV: courses that teach the same thing, found from their text (see trackdesign.analysis.overlap)."""

from __future__ import annotations

from collections import defaultdict
from itertools import chain

from trackdesign.analysis import bloom
from trackdesign.analysis.similarity import METHODS
from trackdesign.spec.problems import Problem
from trackdesign.lint.registry import Option, rule
from trackdesign.analysis.similarity import THRESHOLDS
from trackdesign.analysis.text import Numbering, content_stems


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
    words = _ObjectiveWords(catalog, _normal_stems(catalog))
    first: dict[str, tuple] = {}
    reported = set()
    for spec in catalog.courses.values():
        rows = words.rows[spec.id]
        for i, key in enumerate(words.keys[rows.start:rows.stop]):
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
    tracks = [list(dict.fromkeys(c for c in track.model.courses if c in catalog.courses))
              for track in catalog.tracks.values()]
    for course_ids, (rows, later, earlier) in zip(tracks, words.candidates(tracks, limit)):
        yield from words.near_repeats(course_ids, rows, later, earlier, limit, reported)


class _ObjectiveWords:
    """Every objective of the catalog as a row of word indicators, for OV02's near repeats.

    Prefix filtering: two word sets with Jaccard >= t share a word among the rarest
    len - ceil(t * len) + 1 of each, so a sparse product of those prefixes gives every candidate
    pair at once (rare words: a sparse product), and the exact Jaccard is checked on candidates
    with array arithmetic. No pair of a track's objectives is compared in a Python loop.
    """

    def __init__(self, catalog, stems: dict[str, list[list[str]]]):
        import numpy as np
        from scipy import sparse

        self.catalog = catalog
        self.rows = {}  # course id -> the rows of its objectives
        every = []  # each objective's stems, by row
        for cid, each in stems.items():
            self.rows[cid] = range(len(every), len(every) + len(each))
            every.extend(each)
        self.keys = [" ".join(words) for words in every]  # each objective's normalised text, by row
        vocabulary = Numbering()
        indices = np.fromiter(map(vocabulary.__getitem__, chain.from_iterable(every)), dtype=np.int64)
        indptr = np.concatenate([[0], np.cumsum(np.fromiter(map(len, every), dtype=np.int64, count=len(every)))])
        # a word twice in one objective is one indicator: duplicates summed, then set to 1 (a set
        # per objective cost more than the rest of the rule at 50,000 courses)
        self.matrix = sparse.csr_matrix((np.ones(len(indices), dtype=np.float32), indices, indptr),
                                        shape=(len(self.keys), max(len(vocabulary), 1)))
        self.matrix.sum_duplicates()
        self.matrix.data[:] = 1
        self.size = np.diff(self.matrix.indptr)

    def candidates(self, tracks: list[list[str]], limit: float) -> list[tuple]:
        """For each track (its course ids), (its objectives' rows, later, earlier): positions in
        those rows of the pairs whose Jaccard reaches `limit`.

        Every track at once: each track's words get columns of their own, so one sparse product of
        the stacked prefixes pairs objectives of the same track only (one product per track spent
        most of its time in scipy's per-call overhead: 1.4 s over 1,000 tracks).
        """
        import numpy as np
        from scipy import sparse

        track_rows = [np.fromiter((r for cid in ids for r in self.rows[cid]), dtype=np.int64) for ids in tracks]
        counts = np.array([len(rows) for rows in track_rows], dtype=np.int64)
        start = np.concatenate([[0], np.cumsum(counts)])
        stacked = np.concatenate(track_rows) if track_rows else np.zeros(0, dtype=np.int64)
        sub = self.matrix[stacked]
        size = self.size[stacked]
        row_of = np.repeat(np.arange(len(stacked)), np.diff(sub.indptr))
        # a column per (track, word), numbered in that order: word frequency within the track
        # orders each set's words rarest first, ties by word as in a product per track
        track_of = np.repeat(np.arange(len(tracks)), counts)
        _, column, frequency = np.unique(track_of[row_of] * np.int64(sub.shape[1]) + sub.indices,
                                         return_inverse=True, return_counts=True)
        column = column.ravel()
        order = np.lexsort((column, frequency[column], row_of))  # by row, rarest first, then column
        rank = np.empty(sub.nnz, dtype=np.int64)
        rank[order] = np.arange(sub.nnz) - sub.indptr[row_of[order]]
        keep = rank < (size - np.ceil(limit * size).astype(np.int64) + 1)[row_of]
        prefix = sparse.csr_matrix((keep.astype(np.float32), column, sub.indptr.copy()),
                                   shape=(len(stacked), max(len(frequency), 1)))
        prefix.eliminate_zeros()
        shared = sparse.triu(prefix @ prefix.T, k=1).tocoo()  # earlier row, later column
        earlier, later = shared.row.astype(np.int64), shared.col.astype(np.int64)
        fits = (size[earlier] >= limit * size[later]) & (size[earlier] <= size[later] / limit)
        earlier, later = earlier[fits], later[fits]
        common = np.asarray(sub[earlier].multiply(sub[later]).sum(axis=1)).ravel()
        found = common / (size[earlier] + size[later] - common) >= limit
        earlier, later = earlier[found], later[found]
        which = track_of[later]
        by_track = np.argsort(which, kind="stable")
        bounds = np.searchsorted(which[by_track], np.arange(len(tracks) + 1))
        result = []
        for t, rows in enumerate(track_rows):
            mine = by_track[bounds[t]:bounds[t + 1]]
            result.append((rows, later[mine] - start[t], earlier[mine] - start[t]))
        return result

    def near_repeats(self, course_ids, rows, later, earlier, limit, reported):
        """Problems for objectives nearly repeating an earlier one of the same track (in track order)."""
        import numpy as np

        owner = [(cid, i) for cid in course_ids for i in range(len(self.rows[cid]))]
        if len(rows) < 2:
            return
        order = np.lexsort((earlier, later))
        courses = self.catalog.courses
        done = -1
        for n, m in zip(later[order].tolist(), earlier[order].tolist()):
            if n == done:
                continue
            (cid, i), (other_id, j) = owner[n], owner[m]
            if cid == other_id or (other_id, j, cid, i) in reported:
                continue
            words, other_words = set(self.keys[rows[n]].split()), set(self.keys[rows[m]].split())
            similarity = len(words & other_words) / len(words | other_words)
            if similarity >= limit:
                done = n
                reported.add((other_id, j, cid, i))
                spec, other = courses[cid], courses[other_id]
                yield Problem(spec, f"objective nearly repeats objective {j + 1} of {other_id!r}"
                              f" ({similarity:.0%} of words shared): {spec.model.objectives[i]!r}",
                              ("objectives", i), hint="say how this course goes further, or drop the repeat",
                              related=[other.display])


@rule("OV03", "new-course-overlaps-catalog", options={
    "min_score": _min_score_option(),
    "max_reported": Option(3, "most similar live courses reported per new course", int),
    "method": _method_option(),
})
def new_course_overlaps_catalog(context):
    """A proposed or in-development course that overlaps a live course anywhere in the catalog.

    The question to ask before commissioning a course: does the catalog already teach this? Judged
    as OV01 judges a pair (a new course that builds on a live one must repeat it to be reported).

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
