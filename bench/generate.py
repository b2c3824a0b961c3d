"""A deterministic synthetic catalog: N courses with realistic text, tracks, and a prerequisite DAG.

Text lengths follow real catalogs (descriptions of 60-140 words, 3-6 objectives, an outline on
one course in ten), words come from topic vocabularies with a Zipf-like skew, and the
prerequisite graph is layered (each course draws 0-3 prerequisites from the courses before it),
with some redundant edges (a prerequisite's own prerequisite repeated) and a few cycles.

    python bench/generate.py 10000 bench/out/catalog-10k
"""

from __future__ import annotations

import random
import sys
from pathlib import Path

import yaml

TOPICS = {
    "data": "data analysis pandas dataframe cleaning visualization plotting statistics regression sampling "
            "hypothesis testing correlation aggregation joins grouping time series dashboards reporting",
    "ml": "machine learning models training validation overfitting regularization features classification "
          "clustering trees forests boosting pipelines evaluation metrics tuning hyperparameters",
    "dl": "deep learning neural networks Keras TensorFlow PyTorch convolutional recurrent layers activation "
          "gradients optimizers embeddings transformers attention images text generation",
    "eng": "software engineering testing debugging version control git packaging modules classes objects "
           "functions interfaces refactoring documentation continuous integration deployment",
    "db": "databases sql queries tables indexes transactions normalization schemas joins views PostgreSQL "
          "performance storage replication backups migrations",
    "bio": "biology cells genetics evolution proteins enzymes ecology organisms molecular physiology "
           "microbiology sequencing laboratory experiments populations",
    "hist": "history empires revolutions archives sources colonial medieval modern politics economy "
            "culture societies wars diplomacy memory",
}
FILLER = ("learners explore apply practical methods real projects hands-on build understand concepts skills "
          "tools techniques problems solutions examples case studies through").split()
VERBS = "explain describe use apply build analyze compare evaluate design create implement interpret".split()
LEVELS = ["Introduction to", "Intermediate", "Advanced", "Applied", "Foundations of", "Topics in"]


SYLLABLES = "ba co de fi gu ha ki lo mu ne pa qui ro sa tu vi xe yo za bri cla dro fle gra plo stra ven mor tis".split()


def _vocabulary(topic: str, rng: random.Random) -> list[str]:
    """A topic's core words plus a few hundred rarer terms of its own, as real fields have."""
    rare = {"".join(rng.choice(SYLLABLES) for _ in range(rng.randint(2, 4))) for _ in range(400)}
    return TOPICS[topic].split() + sorted(rare)


def _words(rng: random.Random, vocab: list[str], n: int) -> str:
    weights = [1 / (k + 1) for k in range(len(vocab))]
    picked = rng.choices(vocab, weights=weights, k=n)
    return " ".join(w if rng.random() > 0.25 else rng.choice(FILLER) for w in picked)


_VOCABULARIES: dict[str, list[str]] = {}


def course(rng: random.Random, i: int, n: int) -> tuple[str, dict]:
    topic = rng.choice(list(TOPICS))
    if topic not in _VOCABULARIES:
        _VOCABULARIES[topic] = _vocabulary(topic, random.Random(topic))
    vocab = _VOCABULARIES[topic]
    subject = " ".join(w.capitalize() for w in rng.sample(vocab, 2))
    title = f"{rng.choice(LEVELS)} {subject} {i}"
    cid = f"{topic}-{i:06d}"
    text = _words(rng, vocab, rng.randint(60, 140))
    description = text[0].upper() + text[1:] + "."
    objectives = [f"{rng.choice(VERBS)} {_words(rng, vocab, rng.randint(6, 14))}" for _ in range(rng.randint(3, 6))]
    spec = {"title": title, "url": f"https://courses.example.org/{cid}", "status": "live",
            "description": description, "objectives": objectives, "tags": rng.sample(vocab, 3),
            "hours": rng.choice([2, 4, 4, 6, 8]), "difficulty": rng.randint(1, 5)}
    if rng.random() < 0.02:
        spec["status"] = "proposed"
    if rng.random() < 0.1:
        spec["chapters"] = [{"title": _words(rng, vocab, 4).capitalize(),
                             "lessons": [{"title": _words(rng, vocab, 5).capitalize(),
                                          "objectives": [f"{rng.choice(VERBS)} {_words(rng, vocab, 8)}"]}
                                         for _ in range(rng.randint(3, 4))]} for _ in range(4)]
    return cid, spec


def generate(n: int, out: Path, seed: int = 20261121) -> dict:
    rng = random.Random(seed)
    (out / "courses").mkdir(parents=True, exist_ok=True)
    (out / "tracks").mkdir(parents=True, exist_ok=True)
    ids, specs = [], {}
    for i in range(n):
        cid, spec = course(rng, i, n)
        ids.append(cid)
        specs[cid] = spec
    redundant = cycles = 0
    for k, cid in enumerate(ids[1:], 1):
        window = ids[max(0, k - 200):k]
        prereqs = rng.sample(window, min(len(window), rng.choice([0, 0, 1, 1, 2, 3])))
        if prereqs and rng.random() < 0.05:  # a redundant edge: repeat a prerequisite's prerequisite
            inner = specs[prereqs[0]].get("prerequisites", [])
            if inner and isinstance(inner[0], str) and inner[0] not in prereqs:
                prereqs.append(inner[0])
                redundant += 1
        if len(prereqs) >= 2 and rng.random() < 0.1:
            prereqs = prereqs[:-2] + [{"any_of": prereqs[-2:]}]
        if prereqs:
            specs[cid]["prerequisites"] = prereqs
    for _ in range(max(1, n // 5000)):  # a few cycles: an early course requiring a later one it blocks
        k = rng.randrange(n // 2, n)
        first = specs[ids[k]].get("prerequisites", [])
        if first and isinstance(first[0], str):
            specs[first[0]].setdefault("prerequisites", []).append(ids[k])
            cycles += 1
    dumper = getattr(yaml, "CSafeDumper", yaml.SafeDumper)
    for cid, spec in specs.items():
        (out / "courses" / f"{cid}.yaml").write_text(
            yaml.dump(spec, Dumper=dumper, sort_keys=False, allow_unicode=True, width=100), encoding="utf-8")
    tracks = max(1, n // 50)
    for t in range(tracks):
        start = rng.randrange(0, max(1, n - 8))
        members = ids[start:start + rng.randint(4, 8)]
        track = {"title": f"Track {t}", "description": "A generated track.", "courses": members}
        (out / "tracks" / f"track-{t:05d}.yaml").write_text(yaml.dump(track, Dumper=dumper, sort_keys=False),
                                                             encoding="utf-8")
    return {"courses": n, "tracks": tracks, "redundant_edges": redundant, "cycles": cycles}


if __name__ == "__main__":
    print(generate(int(sys.argv[1]), Path(sys.argv[2])))
