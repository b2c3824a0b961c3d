"""How much two courses teach the same, with the evidence a designer needs to judge it.

Each field of a course (title, description, objectives, outline, tags) becomes a TF-IDF vector
(scikit-learn, sparse) over stemmed content words and adjacent word pairs, with one vocabulary and
IDF for the whole catalog. The score of a pair is the weighted mean of its fields' cosines over
the fields either course has: a long outline cannot drown a title, and a course known by its
title alone cannot look like a twin of every course sharing a word of it. Candidate pairs come from sparse products of the weighted, stacked field
vectors, computed in row blocks with a threshold, so no dense n x n matrix is ever built. Evidence:
each field's own cosine (which fields drive the score) and the terms contributing most to it.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from dataclasses import dataclass, field

import numpy as np
from scipy import sparse

from trackdesign.textutil import stem

FIELDS = ("title", "description", "objectives", "outline", "tags")
#: A title is a short, curated summary; descriptions, objectives and outlines carry more text.
WEIGHTS = {"title": 1.0, "description": 1.5, "objectives": 1.5, "outline": 1.5, "tags": 1.0}
TOKEN = re.compile(r"[a-z][a-z0-9+#]*(?:[-'][a-z0-9]+)*")

#: Words that say nothing about what a course teaches: English stop words and course-speak.
STOP_WORDS = frozenset("""
a about above after again against all also am an and any are as at be because been before being below
between both but by can could did do does doing down during each few for from further had has have
having he her here hers herself him himself his how i if in into is it its itself just me more most my
myself no nor not now of off on once only or other our ours ourselves out over own same she should so
some such than that the their theirs them themselves then there these they this those through to too
under until up very was we were what when where which while who whom why will with would you your
yours yourself yourselves s t don
course courses learner learners able will student students lesson lessons chapter
chapters using used know introduction intro introduces introduced cover covers covered
topic topics include includes including well much many one two new way ways get make also first
prerequisite prerequisites consent instructor department units unit credit credits enrollment
""".split())


def _tokens(text: str, surface: dict) -> list[str]:
    """Stemmed content words, plus each pair of adjacent ones ("deep learn", "neural network")."""
    result = []
    previous = None
    for word in TOKEN.findall(text.lower()):
        if word in STOP_WORDS or len(word) < 2:
            previous = None
            continue
        s = stem(word)
        result.append(s)
        surface[s][word] += 1
        if previous is not None:
            phrase = f"{previous[0]} {s}"
            result.append(phrase)
            surface[phrase][f"{previous[1]} {word}"] += 1
        previous = (s, word)
    return result


def course_fields(course) -> dict[str, str]:
    """The text of each field that says what a course teaches."""
    outline = []
    for chapter in course.chapters:
        outline.append(chapter.title)
        for lesson in chapter.lessons:
            outline.append(lesson.title)
            outline.extend(lesson.objectives)
    return {
        "title": course.title,
        "description": course.description or "",
        "objectives": "\n".join(course.objectives),
        "outline": "\n".join(outline),
        "tags": " ".join(course.tags),
    }


@dataclass
class Pair:
    a: str
    b: str
    score: float
    fields: dict[str, float] = field(default_factory=dict)  # field -> cosine of that field alone
    terms: list[str] = field(default_factory=list)  # shared terms, most contributing first

    @property
    def drivers(self) -> list[str]:
        """Fields whose own similarity is substantial, strongest first."""
        return [f for f, s in sorted(self.fields.items(), key=lambda kv: -kv[1]) if s >= 0.2]

    def as_dict(self) -> dict:
        return {"a": self.a, "b": self.b, "score": round(self.score, 3),
                "fields": {k: round(v, 3) for k, v in self.fields.items()}, "terms": self.terms}


class OverlapIndex:
    """TF-IDF vectors of every course in a catalog, built once and queried by the overlap rules."""

    def __init__(self, catalog, course_ids=None):
        from sklearn.feature_extraction.text import TfidfVectorizer

        self.ids = list(course_ids if course_ids is not None else catalog.courses)
        self.position = {cid: i for i, cid in enumerate(self.ids)}
        self.surface: dict[str, Counter] = defaultdict(Counter)
        per_field = {name: [] for name in FIELDS}
        combined = []
        for cid in self.ids:
            texts = course_fields(catalog.courses[cid].model)
            tokens = {name: _tokens(texts[name], self.surface) for name in FIELDS}
            for name in FIELDS:
                per_field[name].append(tokens[name])
            combined.append([t for name in FIELDS for t in tokens[name]])
        vectorizer = TfidfVectorizer(analyzer=_identity, sublinear_tf=True, dtype=np.float32)
        if not any(combined):
            combined = combined + [["\x00"]]  # a catalog without words still gets a (useless) vocabulary
        vectorizer.fit(combined)
        self.vocabulary = vectorizer.get_feature_names_out()
        self.fields = {name: vectorizer.transform(per_field[name]).tocsr() for name in FIELDS}
        # bit f set when a course has field f; the weight of a pair is that of the fields either has
        self.mask = np.zeros(len(self.ids), dtype=np.int64)
        for bit, name in enumerate(FIELDS):
            self.mask |= (np.diff(self.fields[name].indptr) > 0).astype(np.int64) << bit
        self.mask_weight = np.array([sum(WEIGHTS[n] for b, n in enumerate(FIELDS) if m >> b & 1)
                                     for m in range(1 << len(FIELDS))], dtype=np.float32)
        self.stacked = sparse.hstack([self.fields[n] * np.float32(np.sqrt(WEIGHTS[n])) for n in FIELDS],
                                     format="csr")

    def __contains__(self, cid: str) -> bool:
        return cid in self.position

    def _scores(self, rows, cols, raw):
        weight = self.mask_weight[self.mask[rows] | self.mask[cols]]
        with np.errstate(divide="ignore", invalid="ignore"):
            return np.where(weight > 0, raw / weight, 0.0)

    def _pairs(self, left_rows, right_rows, min_score, upper: bool) -> list[tuple[str, str, float]]:
        """(left, right, score) scoring at least min_score, best first, from block products."""
        found = []
        right = self.stacked[right_rows].T.tocsc()
        right_rows = np.asarray(right_rows)
        floor = min_score * float(self.mask_weight[1:].min())  # no pair scores more than raw / least weight
        for start in range(0, len(left_rows), 1024):
            chunk = np.asarray(left_rows[start:start + 1024])
            product = (self.stacked[chunk] @ right).tocoo()
            keep = product.data >= max(floor, 1e-9)
            rows, cols, raw = chunk[product.row[keep]], right_rows[product.col[keep]], product.data[keep]
            if upper:
                order = rows < cols
                rows, cols, raw = rows[order], cols[order], raw[order]
            else:
                distinct = rows != cols
                rows, cols, raw = rows[distinct], cols[distinct], raw[distinct]
            scores = self._scores(rows, cols, raw)
            keep = scores >= min_score
            found.extend(zip(rows[keep].tolist(), cols[keep].tolist(), scores[keep].tolist()))
        found.sort(key=lambda t: (-t[2], self.ids[t[0]], self.ids[t[1]]))
        return [(self.ids[r], self.ids[c], value) for r, c, value in found]

    def pairs_within(self, ids, min_score: float = 0.0) -> list[Pair]:
        """Every pair among `ids` (in their order) scoring at least `min_score`, best first."""
        rows = [self.position[c] for c in dict.fromkeys(ids) if c in self.position]
        found = []
        for x in range(len(rows)):
            for y in range(x + 1, len(rows)):
                pair = self.evidence(self.ids[rows[x]], self.ids[rows[y]])
                if pair.score >= min_score and pair.score > 0:
                    found.append(pair)
        return sorted(found, key=lambda p: (-p.score, p.a, p.b))

    def pairs_between(self, left, right, min_score: float, top: int | None = None) -> list[Pair]:
        """Pairs of a course in `left` and a different course in `right` scoring at least `min_score`."""
        lrows = [self.position[c] for c in left if c in self.position]
        rrows = [self.position[c] for c in right if c in self.position]
        if not lrows or not rrows:
            return []
        return [self.evidence(a, b, score) for a, b, score in self._pairs(lrows, rrows, min_score, False)[:top]]

    def scored_pairs(self, min_score: float) -> list[tuple[str, str, float]]:
        """(a, b, score) for every pair in the catalog scoring at least `min_score`, without evidence."""
        rows = list(range(len(self.ids)))
        return self._pairs(rows, rows, min_score, True)

    def all_pairs(self, min_score: float, top: int | None = None) -> list[Pair]:
        """Every pair in the catalog scoring at least `min_score` (the best `top`), never n x n at once."""
        rows = list(range(len(self.ids)))
        return [self.evidence(a, b, score) for a, b, score in self._pairs(rows, rows, min_score, True)[:top]]

    def evidence(self, a: str, b: str, score: float | None = None, top: int = 6) -> Pair:
        i, j = self.position[a], self.position[b]
        fields, total, weight = {}, Counter(), 0.0
        for name, matrix in self.fields.items():
            has_a = matrix.indptr[i] != matrix.indptr[i + 1]
            has_b = matrix.indptr[j] != matrix.indptr[j + 1]
            weight += WEIGHTS[name] if has_a or has_b else 0.0
            if not (has_a and has_b):
                continue
            product = matrix[i].multiply(matrix[j]).tocoo()
            value = float(product.data.sum())
            if value > 0:
                fields[name] = value
            for column, contribution in zip(product.col, product.data):
                total[column] += WEIGHTS[name] * float(contribution)
        if score is None:
            score = sum(WEIGHTS[n] * v for n, v in fields.items()) / weight if weight else 0.0
        terms = [self._surface(self.vocabulary[column]) for column, _ in
                 sorted(total.items(), key=lambda kv: (-kv[1], kv[0]))[:top]]
        return Pair(a, b, score, fields, terms)

    def _surface(self, stemmed: str) -> str:
        words = self.surface.get(stemmed)
        return words.most_common(1)[0][0] if words else stemmed


def _identity(tokens):
    return tokens


def index_for(catalog) -> OverlapIndex:
    """One index per catalog, shared by OV01-OV03 within a lint run."""
    return catalog.memo("overlap_index", lambda: OverlapIndex(catalog))
