"""PR01, PR02 and PR04 agree with an independent computation over the real UCSD catalog."""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np
import pytest
import yaml
from scipy.sparse import csr_matrix
from scipy.sparse.csgraph import connected_components

ROOT = Path(__file__).resolve().parents[1]
JSONL = ROOT.parent / "shared" / "data" / "catalogs" / "ucsd" / "courses.jsonl"
sys.path.insert(0, str(ROOT))

pytestmark = [pytest.mark.slow,
              pytest.mark.skipif(not JSONL.exists(), reason="the shared UCSD catalog is not beside the repository")]


@pytest.fixture(scope="module")
def ucsd(tmp_path_factory):
    from bench.ucsd import convert

    out = tmp_path_factory.mktemp("ucsd")
    count = convert(JSONL, out)
    specs = {}
    for file in (out / "courses").iterdir():
        specs[file.stem] = yaml.safe_load(file.read_text(encoding="utf-8")).get("prerequisites", [])
    return out, count, specs


def _alts(entry):
    if isinstance(entry, str):
        return (entry,)
    return tuple(entry["any_of"])


def _independent(specs):
    """Cycles by scipy's strongly connected components; redundancy by a fixed-point iteration."""
    ids = sorted(specs)
    index = {c: i for i, c in enumerate(ids)}
    rows, cols = [], []
    for cid, entries in specs.items():
        for entry in entries:
            for alt in _alts(entry):
                if alt in index:
                    rows.append(index[alt])
                    cols.append(index[cid])
    graph = csr_matrix((np.ones(len(rows)), (rows, cols)), shape=(len(ids), len(ids)))
    _, labels = connected_components(graph, directed=True, connection="strong")
    sizes = np.bincount(labels)
    cyclic = {ids[i] for i in range(len(ids)) if sizes[labels[i]] > 1}
    cyclic |= {c for c, entries in specs.items() if any(c in _alts(e) for e in entries)}
    components = {labels[index[c]] for c in cyclic if sizes[labels[index[c]]] > 1}

    guarantee = {c: set() for c in specs}
    changed = True
    while changed:  # least fixed point: G(c) = union over entries of intersection over alternatives
        changed = False
        for cid, entries in specs.items():
            if cid in cyclic:
                continue
            new = set()
            for entry in entries:
                sets = [({a} | guarantee.get(a, set())) if a not in cyclic else {a} for a in _alts(entry)]
                new |= set.intersection(*sets)
            if new != guarantee[cid]:
                guarantee[cid] = new
                changed = True
    redundant = set()
    for cid, entries in specs.items():
        if cid in cyclic:
            continue
        for i, entry in enumerate(entries):
            for j, other in enumerate(entries):
                if i == j:
                    continue
                implied = set.intersection(*[({a} | guarantee.get(a, set())) for a in _alts(other)])
                if any(a in implied for a in _alts(entry)) or (_alts(entry) == _alts(other) and j < i):
                    redundant.add((cid, i))
                    break
    self_loops = {c for c, entries in specs.items() if any(c in _alts(e) for e in entries)}
    return redundant, len(components), self_loops


def test_prerequisite_rules_match_independent_computation(ucsd):
    from trackdesign.lint.config import Config
    from trackdesign.lint.engine import lint
    from trackdesign.spec.loader import load_catalog

    out, count, specs = ucsd
    assert count == 7375
    catalog = load_catalog(out)
    assert not catalog.problems
    findings = lint(catalog, Config().with_overrides(select=["PR01", "PR02", "PR04"])).findings
    redundant, cycles, self_loops = _independent(specs)

    found_redundant = set()
    for f in findings:
        if f.code == "PR01":
            spec = catalog.courses[f.subject]
            index = next(i for i in range(len(spec.model.prerequisites))
                         if spec.position(("prerequisites", i)) == (f.line, f.column))
            found_redundant.add((f.subject, index))
    assert found_redundant == redundant
    assert len(redundant) > 100  # the catalog really has many
    assert sum(f.code == "PR02" for f in findings) == cycles > 0
    assert {f.subject for f in findings if f.code == "PR04"} == self_loops
