"""The real UCSD catalog: its import keeps every requirement, and PR01, PR02, PR04 and PR07 agree
with an independent computation over its full and/or trees.

The independent side reads the source trees (not the imported specs), turns every requirement into
its disjunctive normal form (the sets of courses that satisfy it), finds the necessary closures by
plain fixed-point iteration over Python sets, and strongly connected components with scipy.
"""

from __future__ import annotations

import itertools
import json
import sys
from pathlib import Path

import numpy as np
import pytest
import yaml
from scipy.sparse import csr_matrix
from scipy.sparse.csgraph import connected_components

ROOT = Path(__file__).resolve().parents[2]
JSONL = ROOT.parent / "shared" / "data" / "catalogs" / "ucsd" / "courses.jsonl"
sys.path.insert(0, str(ROOT))

pytestmark = [pytest.mark.skipif(not JSONL.exists(), reason="the shared UCSD catalog is not beside the repository"),
              pytest.mark.slow]


def _id(code: str) -> str:
    """A course code as a spec id: lower case, runs of anything but letters and digits as one dash."""
    return "-".join("".join(ch if ch.isascii() and ch.isalnum() else " " for ch in code.lower().replace("'", "")).split())


def _dnf(tree) -> frozenset:
    """The sets of course ids that satisfy a source tree (or a spec requirement), minimal ones only."""
    if isinstance(tree, str):
        return frozenset([frozenset([_id(tree)])])
    if isinstance(tree, dict) and "courses" in tree:
        parts = [_dnf(c) for c in tree["courses"]]
        kind = tree["type"]
    elif isinstance(tree, dict):
        kind = "all" if "all_of" in tree else "one"
        parts = [_dnf(c) for c in tree.get("all_of", tree.get("any_of"))]
    else:  # a list of spec entries: all of them
        parts, kind = [_dnf(c) for c in tree], "all"
    if kind == "all":
        terms = {frozenset()}
        for part in parts:
            terms = {a | b for a in terms for b in part}
    elif kind == "one":
        terms = set().union(*parts)
    else:  # two of
        terms = {a | b for x, y in itertools.combinations(parts, 2) for a in x for b in y}
    return frozenset(t for t in terms if not any(o < t for o in terms))


def _entries(tree) -> list:
    """A source tree's entries as the spec lists them: the parts of a top-level "all" (nested
    "all" flattened), each once; otherwise the tree itself."""
    if tree is None:
        return []
    if isinstance(tree, dict) and tree["type"] == "all":
        found = []
        for part in tree["courses"]:
            for entry in _entries(part) if isinstance(part, dict) and part["type"] == "all" else [part]:
                if entry not in found:
                    found.append(entry)
        return found
    return [tree]


@pytest.fixture(scope="module")
def source():
    return {_id(r["code"]): r for r in map(json.loads, JSONL.read_text(encoding="utf-8").splitlines()) if r}


@pytest.fixture(scope="module")
def imported(tmp_path_factory):
    from bench.ucsd import convert

    out = tmp_path_factory.mktemp("ucsd")
    count = convert(JSONL, out)
    specs = {file.stem: yaml.safe_load(file.read_text(encoding="utf-8")) for file in (out / "courses").iterdir()}
    return out, count, specs


def test_import_keeps_every_requirement_exactly(source, imported):
    _, count, specs = imported
    assert count == len(source) == 7375
    nested = 0
    for cid, record in source.items():
        spec = specs[cid]
        for key, field in (("prereqs", "prerequisites"), ("coreqs", "corequisites")):
            tree = record.get(key)
            expected = _dnf(tree) if tree else frozenset()
            got = _dnf(spec.get(field, [])) if spec.get(field) else frozenset()
            assert got == expected, (cid, key, tree, spec.get(field))
        nested += any(isinstance(e, dict) and ("all_of" in e or any(isinstance(a, dict) for a in e["any_of"]))
                      for e in spec.get("prerequisites", []))
        assert "strict_corequisites" not in spec
    assert nested > 20  # "two of" lists and ands inside ors really are there, kept as written
    assert sum(1 for s in specs.values() if s.get("corequisites")) == 28


def _closures(entries: dict[str, list[tuple[str, frozenset]]]):
    """Least fixed point of the necessary closure (before, upto) by Jacobi iteration over sets."""
    before = {c: frozenset() for c in entries}
    upto = dict(before)
    changed = True
    while changed:
        changed = False
        new_before, new_upto = {}, {}
        for cid, items in entries.items():
            b, u = set(), set()
            for kind, terms in items:
                if kind == "pre":
                    held = frozenset.intersection(*[frozenset().union(*({a} | upto.get(a, frozenset()) for a in t))
                                                    for t in terms])
                    b |= held
                    u |= held
                else:
                    b |= frozenset.intersection(*[frozenset().union(*(before.get(a, frozenset()) for a in t))
                                                  for t in terms])
                    u |= frozenset.intersection(*[frozenset().union(*({a} | upto.get(a, frozenset()) for a in t))
                                                  for t in terms])
            new_before[cid], new_upto[cid] = frozenset(b), frozenset(b | u)
        if new_before != before or new_upto != upto:
            before, upto, changed = new_before, new_upto, True
    return before, upto


def _independent(source):
    entries = {}
    for cid, record in source.items():
        entries[cid] = ([("pre", _dnf(e)) for e in _entries(record.get("prereqs"))]
                        + [("co", _dnf(e)) for e in _entries(record.get("coreqs"))])
    before, upto = _closures(entries)
    self_refs = {c for c, items in entries.items() if any(c in t for _, terms in items for t in terms)}
    # cycles: scipy's strongly connected components over every edge
    ids = sorted(set(entries) | {a for items in entries.values() for _, terms in items for t in terms for a in t})
    index = {c: i for i, c in enumerate(ids)}
    rows, cols = [], []
    for cid, items in entries.items():
        for _, terms in items:
            for a in set().union(*terms):
                rows.append(index[cid])
                cols.append(index[a])
    graph = csr_matrix((np.ones(len(rows)), (rows, cols)), shape=(len(ids), len(ids)))
    _, labels = connected_components(graph, directed=True, connection="strong")
    sizes = np.bincount(labels)
    blocked = {c for c in entries if c in before[c]}
    without_self = {c: [(k, frozenset(t for t in terms if t != frozenset([c]))) for k, terms in items]
                    for c, items in entries.items()}
    before_ns, _ = _closures({c: [(k, t) for k, t in items if t] for c, items in without_self.items()})
    cycles, alternative = set(), set()
    for label in {labels[index[c]] for c in entries if sizes[labels[index[c]]] > 1}:
        members = sorted(c for c in entries if labels[index[c]] == label)
        really = [c for c in members if c in blocked and c in before_ns[c]]
        if really:
            cycles.add(really[0])
        elif not any(c in blocked for c in members) and any(
                k == "pre" and any(labels[index[a]] == label for t in terms for a in t)
                for c in members for k, terms in entries[c]):
            alternative.add(members[0])
    # redundancy: an entry whose class of mutually implied entries the course's other entries imply
    redundant, keep_one = set(), set()

    def reach(terms, sets, own):
        return frozenset.intersection(*[frozenset().union(*((({a} if own else set()) | sets.get(a, frozenset()))
                                                              for a in t)) for t in terms])
    for cid, items in entries.items():
        held = []  # (strictly before, by the term, names the course, runs back through it)
        for kind, terms in items:
            upto_part = reach(terms, upto, True)
            before_part = upto_part if kind == "pre" else reach(terms, before, False)
            own = any(cid in t for t in terms)
            held.append((before_part, upto_part, own, cid in before_part | upto_part))

        def implied(i, by):
            side = 0 if items[i][0] == "pre" else 1
            union = frozenset().union(*(held[j][side] for j in by if not held[j][3]))
            return any(t <= union for t in items[i][1])
        plain_pre = {next(iter(terms)) for kind, terms in items if kind == "pre" and len(terms) == 1}
        for i in range(len(items)):
            if held[i][2]:
                continue
            mutual = [j for j in range(len(items)) if j != i and not held[j][2] and items[j][0] == items[i][0]
                      and implied(i, [j]) and implied(j, [i])]
            others = [j for j in range(len(items)) if j != i and j not in mutual and not held[j][2]]
            if implied(i, others):
                if not (items[i][0] == "co" and len(items[i][1]) == 1 and next(iter(items[i][1])) in plain_pre
                        and len(next(iter(items[i][1]))) == 1):
                    redundant.add((cid, i))  # a corequisite listed as a prerequisite too is PR09's
            elif mutual:
                keep_one.add((cid, max([i] + mutual)))
    return redundant, keep_one, cycles, alternative, self_refs


def test_requirement_rules_match_independent_computation(source, imported):
    from trackdesign.lint.engine import lint
    from trackdesign.lint.config import Config
    from trackdesign.spec.loader import load_catalog

    out, _, _ = imported
    catalog = load_catalog(out)
    assert not catalog.problems
    findings = lint(catalog, Config().with_overrides(select=["PR01", "PR02", "PR04", "PR07"])).findings
    redundant, keep_one, cycles, alternative, self_refs = _independent(source)

    def entry_of(f):
        spec = catalog.courses[f.subject]
        model = spec.model
        places = [("prerequisites", i) for i in range(len(model.prerequisites))] + \
                 [("corequisites", i) for i in range(len(model.corequisites))]
        place = next(p for p in places if spec.position(p) == (f.line, f.column))
        return f.subject, place[1] if place[0] == "prerequisites" else len(model.prerequisites) + place[1]

    found = {entry_of(f) for f in findings if f.code == "PR01" and "keep one of" not in f.message}
    kept = {entry_of(f) for f in findings if f.code == "PR01" and "keep one of" in f.message}
    assert found == redundant
    assert kept == keep_one
    assert len(redundant) > 100  # the catalog really has many
    assert {f.subject for f in findings if f.code == "PR02"} == cycles
    assert {f.subject for f in findings if f.code == "PR07"} == alternative and len(alternative) == 7
    assert {f.subject for f in findings if f.code == "PR04"} == self_refs
