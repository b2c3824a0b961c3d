"""How much two courses teach the same, with the evidence a designer needs to judge it.

Each field of a course (title, description, objectives, outline, tags) becomes a TF-IDF vector
(scipy sparse rows) over stemmed content words and adjacent word pairs, with one vocabulary and
IDF for the whole catalog (`trackdesign.analysis.terms`). The score of a pair is the weighted mean of its fields' cosines over
the fields either course has: a long outline cannot drown a title, and a course known by its
title alone cannot look like a twin of every course sharing a word of it. Candidate pairs come
from thresholded sparse products of the weighted, stacked field vectors (sparse_dot_topn), in
row blocks, so no dense n x n matrix is ever built. Evidence: each field's own cosine (which
fields drive the score) and the terms contributing most to it."""

from __future__ import annotations

import os
import re
from collections import Counter, defaultdict
from dataclasses import dataclass, field

import numpy as np
from scipy import sparse

from trackdesign.analysis.similarity import METHODS
from trackdesign.analysis.terms import TOKEN, count_terms, remember_surface, text_terms, tfidf

FIELDS = ("title", "description", "objectives", "outline", "tags")
#: How much each field counts. Titles count for nothing: a title alone never makes a finding (two
#: courses named "SQL Server ..." need not teach the same); their similarity is shown as a part.
WEIGHTS = {"title": 0.0, "description": 1.5, "objectives": 1.5, "outline": 1.5, "tags": 1.0}
SCORED = tuple(name for name in FIELDS if WEIGHTS[name])


def without_names(course):
    """A function removing the course's instructor and provider names from a text: a name two
    resources share says who made them, not what they teach."""
    names = [n.strip() for n in (course.instructor, course.provider) if n and n.strip()]
    if not names:
        return lambda text: text
    folded = [n.casefold() for n in names]
    pattern = []  # compiled on the first text holding a name: most texts hold none

    def strip(text: str) -> str:
        lowered = text.casefold()
        if not any(name in lowered for name in folded):
            return text
        if not pattern:
            pattern.append(re.compile("|".join(r"\b" + re.escape(n) + r"\b" for n in names), re.IGNORECASE))
        return pattern[0].sub(" ", text)
    return strip


def course_fields(course) -> dict[str, str]:
    """The text of each field that says what a course teaches, without its makers' names."""
    strip = without_names(course)
    outline = []
    for chapter in course.chapters:
        outline.append(chapter.title)
        for lesson in chapter.lessons:
            outline.append(lesson.title)
            outline.extend(lesson.objectives)
    return {
        "title": strip(course.title),
        "description": strip(course.description or ""),
        "objectives": strip("\n".join(course.objectives)),
        "outline": strip("\n".join(outline)),
        "tags": strip(" ".join(course.tags)),
    }


@dataclass
class Pair:
    a: str
    b: str
    score: float
    fields: dict[str, float] = field(default_factory=dict)  # field -> cosine of that field alone
    terms: list[str] = field(default_factory=list)  # shared terms, most contributing first
    shared: int = 0  # distinct terms (stems and adjacent pairs) the pair's scored fields share
    #: filled by trackdesign.analysis.judgement.judge: whether the pair is reported, why, and the
    #: most similar sentences or objectives of the two, side by side
    flagged: bool = False
    sequel: str | None = None  # "b builds on a" in words, when one requires the other or a series holds both
    similar: list = field(default_factory=list)  # UnitPair, most similar first
    repeats: int = 0  # units of the later course nearly repeating the earlier one's
    #: the score as judged: a sequel's is capped by how nearly it repeats (reaching the threshold
    #: exactly when it is flagged), so that pairs rank as they are reported
    judged: float = 0.0
    meaning: float | None = None  # the cosine of the embeddings, for the semantic methods

    @property
    def drivers(self) -> list[str]:
        """Scored fields whose own similarity is substantial, strongest first."""
        return [f for f, s in sorted(self.fields.items(), key=lambda kv: -kv[1]) if s >= 0.2 and WEIGHTS[f]]

    def as_dict(self) -> dict:
        return {"a": self.a, "b": self.b, "score": round(self.score, 3), "flagged": self.flagged,
                "sequel": self.sequel, "repeats": self.repeats,
                "fields": {k: round(v, 3) for k, v in self.fields.items()}, "terms": self.terms,
                "similar": [u.as_dict() for u in self.similar]}


#: A block of courses whose terms are fewer than 1/SLIVER of the catalog's is multiplied in the
#: columns of its own terms only.
SLIVER = 4
#: Products of more pairs of rows than this run on several cores.
THREADED_FROM = 4_000_000


class OverlapIndex:
    """Vectors of every course in a catalog, built once and queried by the overlap rules.

    `method` is how a pair is scored: "tfidf" (the weighted mean of the fields' TF-IDF cosines),
    "semantic" (the cosine of IDF-weighted WordLlama embeddings of the course's content) or
    "combined" (the mean of the two); see docs/overlap.md for how they compare.
    """

    def __init__(self, catalog, method: str = "tfidf"):
        if method not in METHODS:
            raise ValueError(f"unknown overlap method {method!r}; expected one of {', '.join(METHODS)}")
        self.method = method
        self.ids = list(catalog.courses)
        self.position = {cid: i for i, cid in enumerate(self.ids)}
        self._catalog = catalog  # evidence re-reads the two courses' text rather than keeping every text
        texts = []
        for cid in self.ids:
            fields = course_fields(catalog.courses[cid].model)
            texts.extend(fields[name] for name in FIELDS)
        vocabulary, counts = count_terms(texts, FIELDS)
        # one IDF for the catalog over all fields, each field weighted and normalised on its own
        self.vocabulary = vocabulary
        self.fields, self.idf = tfidf(counts, len(self.ids)) if self.ids else (counts, np.ones(1, np.float32))
        # bit f set when a course has field f; the weight of a pair is that of the fields either has
        self.mask = np.zeros(len(self.ids), dtype=np.int64)
        for bit, name in enumerate(FIELDS):
            self.mask |= (np.diff(self.fields[name].indptr) > 0).astype(np.int64) << bit
        self.mask_weight = np.array([sum(WEIGHTS[n] for b, n in enumerate(FIELDS) if m >> b & 1)
                                     for m in range(1 << len(FIELDS))], dtype=np.float32)
        self.stacked = sparse.hstack([self.fields[n] * np.float32(np.sqrt(WEIGHTS[n])) for n in SCORED],
                                     format="csr")
        self.tokens = self.vectors = None
        if method != "tfidf":
            self._embed(catalog)
        self._own = self.mask_weight[self.mask]  # the weight of each course's own fields
        # scored pairs of each (left, right) row set, with the threshold they were found at: the
        # product dominates the cost, and a rule, a report and a workbook often ask about one track
        self._found: dict[tuple, tuple[float, list]] = {}

    def __contains__(self, cid: str) -> bool:
        return cid in self.position

    def _scores(self, rows, cols, raw):
        weight = self.mask_weight[self.mask[rows] | self.mask[cols]]
        with np.errstate(divide="ignore", invalid="ignore"):
            return np.where(weight > 0, raw / weight, 0.0)

    def _track_rows(self, ids) -> list[int]:
        """The rows of the indexed courses among `ids`, each once, in order: how a track is scored."""
        return sorted({self.position[c] for c in ids if c in self.position})

    @staticmethod
    def _key(left_rows, right_rows, upper: bool) -> tuple:
        return (np.asarray(left_rows, dtype=np.int64).tobytes(), np.asarray(right_rows, dtype=np.int64).tobytes(),
                upper)

    def _pairs(self, left_rows, right_rows, min_score, upper: bool) -> list[tuple[str, str, float]]:
        """(left, right, score) scoring at least min_score, best first; reuses a lower threshold's answer."""
        key = self._key(left_rows, right_rows, upper)
        known = self._found.get(key)
        if known is not None and known[0] <= min_score:
            return [t for t in known[1] if t[2] >= min_score]
        if self.method == "tfidf":
            found = self._product(left_rows, right_rows, min_score, upper)
        else:
            found = self._dense_pairs(left_rows, right_rows, min_score, upper)
        self._found[key] = (min_score, found)
        return list(found)

    def _product(self, left_rows, right_rows, min_score, upper: bool) -> list[tuple[str, str, float]]:
        """(left, right, score) scoring at least min_score, best first, from thresholded block products.

        A pair's score is raw / w(pair), and w(pair) is at least the weight w(left) of the left
        course's own fields, so left rows scaled by 1 / w(left) bound the score from above: the
        product keeps only entries that can reach `min_score` (sparse_dot_topn multiplies and
        thresholds in one pass, on several cores), not the near-dense raw product.
        """
        found = []
        right_rows = np.asarray(right_rows)
        right = self.stacked[right_rows]
        columns = None
        if right.nnz * SLIVER < right.shape[1]:
            # a few courses (a track) use a sliver of the catalog's terms, and only those can score:
            # in that sliver, the transposed block no longer has a row per term of the whole catalog
            columns = np.unique(right.indices)
            right = _restricted(right, columns)
        right = right.T.tocsr()
        left_rows = np.asarray(left_rows)
        left_rows = left_rows[self._own[left_rows] > 0]  # a course with no text scores 0 with everything
        threads = min(os.cpu_count() or 1, 8) if len(left_rows) * len(right_rows) > THREADED_FROM else None
        for start in range(0, len(left_rows), 4096):
            chunk = left_rows[start:start + 4096]
            left = self.stacked[chunk]
            left = _restricted(left, columns) if columns is not None else left.copy()
            rows, cols, scores, _ = self._scored(left, chunk, right, right_rows, len(right_rows), min_score, upper,
                                                 threads)
            found.extend(zip(rows.tolist(), cols.tolist(), scores.tolist()))
        return self._ranked(found)

    def _scored(self, left, chunk, right, right_rows, top_n: int, min_score: float, upper: bool, threads=None):
        """(left row, right row, score, place in `chunk`) arrays of one block product's pairs scoring
        at least `min_score`: `left` holds the rows `chunk` of `stacked` (scaled here, in place) and
        `right` the transposed rows `right_rows`, in the same columns."""
        from sparse_dot_topn import sp_matmul_topn

        scale = (1.0 / self._own[chunk]).astype(np.float32)
        left.data *= np.repeat(scale, np.diff(left.indptr))  # each row by its scale, in place
        # density: room for a few dozen pairs per course up front (grown when a catalog has more),
        # not for every pair
        product = sp_matmul_topn(left, right, top_n=top_n, threshold=min_score * (1 - 1e-5),
                                 n_threads=threads, density=min(1.0, 64 / right.shape[1])).tocoo()
        rows, cols = chunk[product.row], right_rows[product.col]
        raw = product.data.astype(np.float64) / scale[product.row]
        keep = np.flatnonzero(rows < cols if upper else rows != cols)
        scores = self._scores(rows[keep], cols[keep], raw[keep])
        reaches = scores >= min_score
        keep = keep[reaches]
        return rows[keep], cols[keep], scores[reaches], product.row[keep]

    def _ranked(self, found: list) -> list[tuple[str, str, float]]:
        # equal scores (cross-listed twins score 1) in id order: single-precision products differ
        # in their last bits with the order of the arithmetic, which must not reorder a report
        found.sort(key=lambda t: (-round(t[2], 4), self.ids[t[0]], self.ids[t[1]]))
        return [(self.ids[r], self.ids[c], value) for r, c, value in found]

    def _embed(self, catalog) -> None:
        """Each course's content (its scored fields) as IDF-weighted token counts and their embedding."""
        from trackdesign.analysis.similarity import idf_weighted, model

        semantic = model()
        texts = []
        for cid in self.ids:
            fields = course_fields(catalog.courses[cid].model)
            texts.append("\n".join(fields[name] for name in SCORED))
        self.tokens = idf_weighted(semantic.counts(texts)).tocsr()
        self.vectors = semantic.embed(self.tokens)

    def _block(self, left, right, stacked=None, vectors=None) -> np.ndarray:
        """The scores of every pair of the rows `left` and `right`, as a dense block (a track, or a
        slice of the catalog's rows: never the whole catalog at once). `stacked` and `vectors`
        replace the catalog's rows of the same courses (a track's, without its common terms)."""
        tfidf = semantic = None
        if self.method != "semantic":
            stacked = self.stacked[np.concatenate([left, right])] if stacked is None else stacked
            raw = (stacked[:len(left)] @ stacked[len(left):].T).toarray()
            weight = self.mask_weight[self.mask[left][:, None] | self.mask[right][None, :]]
            tfidf = np.divide(raw, weight, out=np.zeros_like(raw), where=weight > 0)
        if self.method != "tfidf":
            vectors = self.vectors[np.concatenate([left, right])] if vectors is None else vectors
            semantic = np.clip(vectors[:len(left)] @ vectors[len(left):].T, 0.0, None)
        if tfidf is None or semantic is None:
            return tfidf if semantic is None else semantic
        return (tfidf + semantic) / 2

    def _dense_pairs(self, left_rows, right_rows, min_score, upper: bool) -> list[tuple[str, str, float]]:
        """What `_product` finds, for the methods with embeddings: blocks of rows scored in full."""
        found = []
        left_rows, right_rows = np.asarray(left_rows), np.asarray(right_rows)
        for start in range(0, len(left_rows), 512):
            chunk = left_rows[start:start + 512]
            scores = self._block(chunk, right_rows)
            rows, cols = np.nonzero(scores >= min_score)
            a, b = chunk[rows], right_rows[cols]
            keep = a < b if upper else a != b
            found.extend(zip(a[keep].tolist(), b[keep].tolist(), scores[rows[keep], cols[keep]].tolist()))
        return self._ranked(found)

    def common_terms(self, ids, subject: str = "") -> np.ndarray:
        """The columns (of a field's matrix) of the track's subject: the terms of its title
        (`subject`) and those in most of its courses `ids` (at least three and more than half of
        them). Within a track they say what it is about, not that two courses overlap."""
        named = self.vocabulary.columns(text_terms(subject))
        rows = self._track_rows(ids)
        if len(rows) < 3:
            return named
        width = self.fields[FIELDS[0]].shape[1]
        block = self.stacked[rows]
        course = np.repeat(np.arange(len(rows), dtype=np.int64), np.diff(block.indptr))
        distinct = np.unique(course * width + block.indices % width)  # (course, term), each once
        terms, count = np.unique(distinct % width, return_counts=True)
        return np.union1d(terms[(count >= 3) & (count * 2 > len(rows))].astype(np.int64), named)

    def _common_tokens(self, rows) -> np.ndarray:
        """The embedding vocabulary's counterpart of `common_terms`: tokens in most of the `rows`."""
        block = self.tokens[rows]
        tokens, count = np.unique(block.indices, return_counts=True)
        return tokens[(count >= 3) & (count * 2 > len(rows))]

    def track_pairs(self, ids, min_score: float = 0.0, subject: str = "", common=None) -> list[Pair]:
        """Every pair of the courses `ids` (a track titled `subject`) scoring at least `min_score`,
        best first, with the track's subject left out of both score and evidence: the term columns
        `common`, by default `common_terms(ids, subject)`."""
        rows = np.array(self._track_rows(ids), dtype=np.int64)
        if len(rows) < 2:
            return []
        common = self.common_terms(ids, subject) if common is None else common
        stacked = vectors = None
        if self.method != "semantic":
            stacked = _without(self.stacked[rows], common, self.fields[FIELDS[0]].shape[1])
            stacked = _restricted(stacked, np.unique(stacked.indices))  # a track's own terms, not the catalog's
        if self.tokens is not None:
            tokens = _without(self.tokens[rows], self._common_tokens(rows))
            from trackdesign.analysis.similarity import model

            vectors = model().embed(tokens)
        twice = np.concatenate([np.arange(len(rows))] * 2)
        scores = self._block(rows, rows, stacked[twice] if stacked is not None else None,
                             vectors[twice] if vectors is not None else None)
        found = [(int(rows[i]), int(rows[j]), float(scores[i, j]))
                 for i, j in zip(*np.nonzero(np.triu(scores, k=1) >= max(min_score, 1e-9)))]
        ignore = set(common.tolist())
        local = {int(row): k for k, row in enumerate(rows)}

        def meaning(a, b):
            if vectors is None:
                return None
            return max(float(vectors[local[self.position[a]]] @ vectors[local[self.position[b]]]), 0.0)
        return [self.evidence(a, b, score, ignore=ignore, meaning=meaning(a, b)) for a, b, score in self._ranked(found)]

    def scored_between(self, left, right, min_score: float) -> list[tuple[str, str, float]]:
        """(a in left, b in right, score) for pairs scoring at least `min_score`, best first."""
        lrows = [self.position[c] for c in left if c in self.position]
        rrows = [self.position[c] for c in right if c in self.position]
        return self._pairs(lrows, rrows, min_score, False) if lrows and rrows else []

    def pairs_between(self, left, right, min_score: float, top: int | None = None) -> list[Pair]:
        """Pairs of a course in `left` and a different course in `right` scoring at least `min_score`."""
        return [self.evidence(a, b, score) for a, b, score in self.scored_between(left, right, min_score)[:top]]

    def scored_pairs(self, min_score: float) -> list[tuple[str, str, float]]:
        """(a, b, score) for every pair in the catalog scoring at least `min_score`, without evidence."""
        rows = list(range(len(self.ids)))
        return self._pairs(rows, rows, min_score, True)

    def all_pairs(self, min_score: float, top: int | None = None) -> list[Pair]:
        """Every pair in the catalog scoring at least `min_score` (the best `top`), never n x n at once."""
        return [self.evidence(a, b, score) for a, b, score in self.scored_pairs(min_score)[:top]]

    def evidence(self, a: str, b: str, score: float | None = None, top: int = 6, ignore=frozenset(),
                 meaning: float | None = None) -> Pair:
        """The pair's score (computed when not given), each field's cosine and the shared terms
        contributing most, leaving out the term columns `ignore` (a track's common terms), and
        for the semantic methods the cosine of the embeddings (`meaning`, computed when not given)."""
        i, j = self.position[a], self.position[b]
        fields, total, weight = {}, {}, 0.0
        for name, matrix in self.fields.items():
            ai, ad = _row(matrix, i)
            bi, bd = _row(matrix, j)
            weight += WEIGHTS[name] if len(ai) or len(bi) else 0.0
            if not (len(ai) and len(bi)):
                continue
            common, x, y = np.intersect1d(ai, bi, assume_unique=True, return_indices=True)
            if ignore and len(common):
                kept = np.array([c not in ignore for c in common.tolist()], dtype=bool)
                common, x, y = common[kept], x[kept], y[kept]
            if len(common):
                products = ad[x] * bd[y]
                fields[name] = float(products.sum())
                for column, value in zip(common.tolist(), products.tolist()):
                    if WEIGHTS[name]:
                        total[column] = total.get(column, 0.0) + WEIGHTS[name] * value
        if score is None:
            score = sum(WEIGHTS[n] * v for n, v in fields.items()) / weight if weight else 0.0
            if self.vectors is not None:
                meaning = max(float(self.vectors[i] @ self.vectors[j]), 0.0) if meaning is None else meaning
                score = meaning if self.method == "semantic" else (score + meaning) / 2
        if self.vectors is not None and meaning is None:
            meaning = max(float(self.vectors[i] @ self.vectors[j]), 0.0)
        best = sorted(total.items(), key=lambda kv: (-kv[1], kv[0]))[:top]
        surface = self._surface(a, b) if best else {}
        terms = []
        for column, _ in best:
            stemmed = self.vocabulary[column]
            words = surface.get(stemmed)
            terms.append(words.most_common(1)[0][0] if words else stemmed)
        shared = len(total)
        return Pair(a, b, score, fields, terms, shared=shared, meaning=meaning)

    def _surface(self, a: str, b: str) -> dict:
        """How the two courses write each stem and word pair, for messages: 'networks', not 'network'."""
        counter = defaultdict(Counter)
        for cid in (a, b):
            for text in course_fields(self._catalog.courses[cid].model).values():
                remember_surface(TOKEN.findall(text.lower()), counter)
        return counter


def _restricted(matrix, columns):
    """`matrix` (CSR) keeping only the sorted `columns`, renumbered 0..len(columns)-1."""
    position = np.searchsorted(columns, matrix.indices)
    inside = position < len(columns)
    inside[inside] = columns[position[inside]] == matrix.indices[inside]
    rows = np.repeat(np.arange(matrix.shape[0]), np.diff(matrix.indptr))
    counts = np.bincount(rows[inside], minlength=matrix.shape[0])
    indptr = np.concatenate([[0], np.cumsum(counts)])
    return sparse.csr_matrix((matrix.data[inside], position[inside], indptr), shape=(matrix.shape[0], len(columns)))


def _without(block, columns, width: int | None = None):
    """`block` (CSR rows of its own, as indexing made them) with the entries of `columns` set to
    zero, in place; with `width`, `columns` are those of one field, dropped from every field of
    the stacked rows."""
    if len(columns):
        field_columns = block.indices % width if width else block.indices
        block.data[np.isin(field_columns, columns)] = 0
    return block


def _row(matrix, i):
    start, end = matrix.indptr[i], matrix.indptr[i + 1]
    return matrix.indices[start:end], matrix.data[start:end]


def index_for(catalog, method: str = "tfidf") -> OverlapIndex:
    """One index per catalog and method, shared by OV01-OV03, reports and workbooks within a run."""
    return catalog.memo(f"overlap_index:{method}", lambda: OverlapIndex(catalog, method))
