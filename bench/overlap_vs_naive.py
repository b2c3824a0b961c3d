"""The overlap step (TF-IDF, blocked sparse products) against a naive pairwise baseline at N = 2,000.

The baseline is what one writes first: a dict of TF-IDF weights per course and a Python loop over
all n(n-1)/2 pairs. Both start from the same tokens; both must find the same pairs.

    python bench/overlap_vs_naive.py [N]
"""

from __future__ import annotations

import math
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.generate import generate  # noqa: E402
from trackdesign.analysis.overlap import FIELDS, WEIGHTS, OverlapIndex, _tokens, course_fields  # noqa: E402
from trackdesign.spec.loader import load_catalog  # noqa: E402


def naive(catalog, threshold):
    """Per-field TF-IDF as dicts, every pair compared in Python: the O(n^2) baseline."""
    ids = list(catalog.courses)
    surface = __import__("collections").defaultdict(Counter)
    fields = {cid: {f: _tokens(t, surface) for f, t in course_fields(catalog.courses[cid].model).items()}
              for cid in ids}
    df = Counter()
    for cid in ids:
        df.update(set(t for f in FIELDS for t in fields[cid][f]))
    n = len(ids)
    idf = {t: math.log((1 + n) / (1 + d)) + 1 for t, d in df.items()}
    vectors = {}
    for cid in ids:
        vectors[cid] = {}
        for f in FIELDS:
            counts = Counter(fields[cid][f])
            vec = {t: (1 + math.log(c)) * idf[t] for t, c in counts.items()}
            norm = math.sqrt(sum(v * v for v in vec.values())) or 1.0
            vectors[cid][f] = {t: v / norm for t, v in vec.items()}
    found = []
    for x in range(n):
        a = vectors[ids[x]]
        for y in range(x + 1, n):
            b = vectors[ids[y]]
            total = weight = 0.0
            for f in FIELDS:
                va, vb = a[f], b[f]
                if va or vb:
                    weight += WEIGHTS[f]
                if va and vb:
                    small, large = (va, vb) if len(va) < len(vb) else (vb, va)
                    total += WEIGHTS[f] * sum(v * large.get(t, 0.0) for t, v in small.items())
            if weight and total / weight >= threshold:
                found.append((ids[x], ids[y]))
    return found


def main(n=2000, threshold=0.25):
    with tempfile.TemporaryDirectory() as tmp:
        generate(n, Path(tmp))
        catalog = load_catalog(Path(tmp))
        start = time.perf_counter()
        index = OverlapIndex(catalog)
        built = time.perf_counter() - start
        pairs = index.scored_pairs(threshold)
        ours = time.perf_counter() - start
        start = time.perf_counter()
        baseline = naive(catalog, threshold)
        theirs = time.perf_counter() - start
    same = {tuple(sorted(p[:2])) for p in pairs} == {tuple(sorted(p)) for p in baseline}
    print(f"N = {n:,} courses, threshold {threshold}")
    print(f"trackdesign overlap: {ours:6.2f} s (index {built:.2f} s), {len(pairs)} pairs")
    print(f"naive pairwise:      {theirs:6.2f} s, {len(baseline)} pairs")
    print(f"speed-up: {theirs / ours:.1f}x; same pairs: {same}")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 2000)
