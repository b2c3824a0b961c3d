"""How well the overlap judgement separates real overlaps from related and unrelated pairs.

Labels come from the UCSD catalog (../shared/data/catalogs/ucsd/courses.jsonl):
- overlaps: pairs its descriptions declare mutually exclusive for credit ("Students may not
  receive credit for both X and Y", "Credit not offered for X if Y taken"); "with the same title"
  exclusions of topics courses are left out (they say nothing about content);
- hard negatives: prerequisite pairs (a course and each course its prerequisite tree names);
- easy negatives: random pairs of courses of different departments.
The scored text is the description without those sentences, without its prerequisite,
cross-listing and renumbering sentences, and without any course code, so that no method can
find a pair by reading its label. Each method is scored through trackdesign's own index and
judgement, as `lint` and `overlap` use them.

    python bench/overlap_eval.py [--methods tfidf,semantic,combined] [--random 3000] [--seed 5]
"""

from __future__ import annotations

import argparse
import itertools
import json
import random
import re
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import yaml

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.ucsd import to_spec  # noqa: E402
from trackdesign.analysis.judgement import MIN_SHARED, THRESHOLDS, judge  # noqa: E402
from trackdesign.analysis.overlap import OverlapIndex  # noqa: E402
from trackdesign.analysis.similarity import METHODS, SemanticUnavailable  # noqa: E402
from trackdesign.importers.table import course_id  # noqa: E402
from trackdesign.spec.loader import load_catalog  # noqa: E402

JSONL = ROOT.parent / "shared" / "data" / "catalogs" / "ucsd" / "courses.jsonl"
#: A course code, or a bare number continuing a list after one ("MATH 20A, 20B, or 20C").
CODE = re.compile(r"\b(?:([A-Z]{2,5}) ?)?(\d{1,3}[A-Z]{0,3})\b")
SENTENCE = re.compile(r"(?<=[.;])\)?\s+|\(|(?=Prerequisites?:)")
DENIES = re.compile(r"\bnot\b|\bcannot\b|only one|duplicate", re.IGNORECASE)
SAME_TITLE = re.compile(r"same (?:course )?(?:title|topic)|subtitle", re.IGNORECASE)
#: sentences that name other courses or the label itself: never scored
ABOUT_COURSES = re.compile(r"credit|cross-?list|renumbered|formerly|recommended|corequisite|prerequisite|same as"
                           r"|equivalent", re.IGNORECASE)


def exclusive(sentence: str) -> bool:
    return "credit" in sentence.lower() and bool(DENIES.search(sentence))


def named(sentence: str, codes: set[str]) -> list[str]:
    """The catalog's course codes a sentence names, in order."""
    found, department = [], None
    for match in CODE.finditer(sentence):
        department = match.group(1) or department
        code = f"{department} {match.group(2)}" if department else None
        if code in codes and code not in found:
            found.append(code)
    return found


def overlap_labels(records: list[dict]) -> set[tuple[str, str]]:
    """Pairs of codes declared exclusive for credit: the owner with each course its sentence
    names, or every pair of them when the sentence does not name its owner."""
    codes = {r["code"] for r in records}
    pairs = set()
    for record in records:
        for sentence in SENTENCE.split(record["description"]):
            if not exclusive(sentence) or SAME_TITLE.search(sentence):
                continue
            found = named(sentence, codes)
            if record["code"] in found or len(found) == 1:
                pairs |= {tuple(sorted((record["code"], c))) for c in found if c != record["code"]}
            else:
                pairs |= {tuple(sorted(p)) for p in itertools.combinations(found, 2)}
    return pairs


def scored_text(description: str) -> str:
    """The description without sentences about other courses and without any course code."""
    kept = [s for s in SENTENCE.split(description.split("Prerequisite")[0])
            if s and not ABOUT_COURSES.search(s) and not exclusive(s)]
    return " ".join(CODE.sub(" ", " ".join(kept)).split())


def write_specs(records: list[dict], out: Path) -> None:
    (out / "courses").mkdir(parents=True)
    (out / "tracks").mkdir()
    seen = set()
    for record in records:
        cid = course_id(record["code"])
        if cid not in seen:
            seen.add(cid)
            spec = to_spec(dict(record, description=scored_text(record["description"])))
            (out / "courses" / f"{cid}.yaml").write_text(yaml.safe_dump(spec, sort_keys=False, allow_unicode=True,
                                                                        width=4096), encoding="utf-8")


def labelled_pairs(records, catalog, n_random: int, seed: int):
    """(overlaps, prerequisite pairs, random cross-department pairs) as course id pairs."""
    overlaps = sorted({tuple(sorted((course_id(a), course_id(b)))) for a, b in overlap_labels(records)})
    overlaps = [p for p in overlaps if p[0] in catalog.courses and p[1] in catalog.courses and p[0] != p[1]]
    known = set(overlaps)
    edges = {(a, cid) for cid, entries in catalog.requirements.items() for _, alternatives in entries
             for a in alternatives if a in catalog.courses}  # prerequisite -> course, every alternative
    prerequisites = sorted({tuple(sorted(e)) for e in edges if e[0] != e[1]} - known)
    department = {course_id(r["code"]): r["code"].split()[0] for r in records}
    ids = sorted(catalog.courses)
    rng = random.Random(seed)
    unrelated: set[tuple[str, str]] = set()
    while len(unrelated) < n_random:
        a, b = sorted(rng.sample(ids, 2))
        if department[a] != department[b] and (a, b) not in edges and (b, a) not in edges \
                and (a, b) not in known:
            unrelated.add((a, b))
    return overlaps, prerequisites, sorted(unrelated)


def roc_auc(positive, negative) -> float:
    """Probability that a random positive scores above a random negative (ties count half)."""
    from scipy.stats import rankdata

    ranks = rankdata(np.concatenate([positive, negative]))
    return float((ranks[:len(positive)].sum() - len(positive) * (len(positive) + 1) / 2)
                 / (len(positive) * len(negative)))


def pr_auc(positive, negative) -> float:
    """Average precision: the area under the precision-recall curve, as a step function."""
    scores = np.concatenate([positive, negative])
    truth = np.concatenate([np.ones(len(positive)), np.zeros(len(negative))])[np.argsort(-scores, kind="stable")]
    precision = np.cumsum(truth) / np.arange(1, len(truth) + 1)
    return float((precision * truth).sum() / truth.sum())


def evaluate(index, catalog, pairs, threshold):
    """Per pair: (the method's score, the judged score (a sequel's capped by how nearly it repeats
    its prerequisite), flagged, whether it could be flagged at some threshold: enough terms in
    common, and not a sequel or one repeating its prerequisite)."""
    rows = []
    for a, b in pairs:
        pair = judge(index, catalog, index.evidence(a, b), threshold)
        rows.append((pair.score, pair.judged, pair.flagged,
                     pair.shared >= MIN_SHARED and (not pair.sequel or pair.repeats > 0)))
    return np.array(rows, dtype=float).reshape(-1, 4)


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--methods", default=",".join(METHODS))
    parser.add_argument("--random", type=int, default=3000, help="random cross-department pairs")
    parser.add_argument("--seed", type=int, default=5)
    parser.add_argument("--sweep", action="store_true", help="also print recall and flagged shares by threshold")
    args = parser.parse_args(argv)
    if not JSONL.exists():
        sys.exit(f"the UCSD catalog is not at {JSONL}")
    records = [json.loads(line) for line in JSONL.read_text(encoding="utf-8").splitlines() if line.strip()]
    with tempfile.TemporaryDirectory() as tmp:
        write_specs(records, Path(tmp) / "specs")
        catalog = load_catalog(Path(tmp) / "specs")
        overlaps, prerequisites, unrelated = labelled_pairs(records, catalog, args.random, args.seed)
        print(f"UCSD: {len(catalog.courses):,} courses; {len(overlaps)} overlap pairs (credit exclusions),"
              f" {len(prerequisites):,} prerequisite pairs, {len(unrelated):,} random cross-department pairs\n")
        header = ("| method | threshold | ROC-AUC vs prereq (score / judged) | PR-AUC vs prereq (judged) "
                  "| ROC-AUC vs random (score / judged) | PR-AUC vs random (judged) | recall | prereq flagged "
                  "| random flagged | seconds |")
        lines = [header, "|" + " --- |" * (header.count("|") - 1)]
        sweeps = []
        for method in args.methods.split(","):
            start = time.perf_counter()
            try:
                index = OverlapIndex(catalog, method)
            except SemanticUnavailable as error:
                print(f"{method}: skipped ({error})")
                continue
            threshold = THRESHOLDS[method]
            pos, pre, rnd = (evaluate(index, catalog, pairs, threshold) for pairs in (overlaps, prerequisites, unrelated))
            seconds = time.perf_counter() - start
            lines.append(f"| {method} | {threshold:.2f} | {roc_auc(pos[:, 0], pre[:, 0]):.3f} / {roc_auc(pos[:, 1], pre[:, 1]):.3f}"
                         f" | {pr_auc(pos[:, 1], pre[:, 1]):.3f} | {roc_auc(pos[:, 0], rnd[:, 0]):.3f} / {roc_auc(pos[:, 1], rnd[:, 1]):.3f}"
                         f" | {pr_auc(pos[:, 1], rnd[:, 1]):.3f} | {pos[:, 2].mean():.3f} | {pre[:, 2].mean():.3f}"
                         f" | {rnd[:, 2].mean():.4f} | {seconds:.0f} |")
            sweeps.append((method, pos, pre, rnd))
        print("\n".join(lines))
        if args.sweep:
            for method, pos, pre, rnd in sweeps:
                print(f"\n{method}: threshold -> recall, prerequisite pairs flagged, random pairs flagged (judged)")
                for t in [0.08, 0.10, 0.12, 0.14, 0.16, 0.18, *np.arange(0.20, 0.71, 0.05)]:
                    print("  " + "  ".join([f"{t:.2f}"] + [f"{((rows[:, 0] >= t) & (rows[:, 3] > 0)).mean():.{digits}f}"
                                                             for rows, digits in ((pos, 3), (pre, 3), (rnd, 4))]))


if __name__ == "__main__":
    main()
