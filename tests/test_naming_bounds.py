"""NM05's pruning of title pairs: never drops a pair that could be a near duplicate."""

from __future__ import annotations

import difflib
import random

from trackdesign.rules.naming import _candidate_pairs


def test_candidate_pairs_are_exactly_the_pairs_within_the_shared_character_bound():
    rng = random.Random(7)
    words = ["deep", "learning", "python", "network", "neural", "data", "model", "intro", "keras", "r"]
    titles = [" ".join(rng.choices(words, k=rng.randint(0, 4))) for _ in range(300)]
    titles += [titles[5], titles[6] + "s", "", "é" + titles[7]]  # repeats, a plural, an empty one, non-ASCII
    normal = [(None, None, t) for t in titles]
    for ratio in (0.9, 0.75):
        found = list(_candidate_pairs(normal, ratio))
        expected = [(a, b) for a in range(len(titles)) for b in range(a + 1, len(titles))
                    if difflib.SequenceMatcher(None, titles[a], titles[b]).quick_ratio() >= ratio - 1e-9
                    or not (titles[a] or titles[b])]
        assert found == expected
        near = {(a, b) for a, b in expected if difflib.SequenceMatcher(None, titles[a], titles[b]).ratio() >= ratio}
        assert near <= set(found) and len(near) > 3
