"""The requirement graph: closures through groups, corequisites and cycles; PR01's bounded reduction."""

from __future__ import annotations

from types import SimpleNamespace

import pytest

from trackdesign.analysis.reduction import reduce
from trackdesign.analysis.requisites import CO, PRE, Requisites, describe, expression, render_path
from trackdesign.spec.model import Course


def _graph(**courses) -> Requisites:
    """Courses as keyword arguments: a list of prerequisites, or a dict of the three lists."""
    models = {}
    for cid, value in courses.items():
        lists = value if isinstance(value, dict) else {"prerequisites": value}
        models[cid] = Course.model_validate({"spec_version": 3, "title": cid, **lists})
    return Requisites(models)


def _names(requisites: Requisites, bits: int) -> set[str]:
    return set(requisites.closure(bits))


def test_a_group_guarantees_only_what_every_alternative_does():
    g = _graph(a=[], b=["a"], c=["a", "x"], x=[], d=[{"any_of": ["b", "c"]}])
    assert _names(g, g.before["d"]) == {"a"}


def test_an_all_of_inside_an_any_of_is_read_whole():
    g = _graph(a=[], b=[], c=[], d=[{"any_of": [{"all_of": ["a", "b"]}, {"all_of": ["a", "c"]}]}])
    assert _names(g, g.before["d"]) == {"a"}
    assert describe(expression(Course.model_validate(
        {"spec_version": 3, "title": "d", "prerequisites": [{"any_of": [{"all_of": ["a", "b"]}, "c"]}]}
    ).prerequisites[0])) == "any of (all of a, b), c"


def test_a_self_reference_does_not_empty_the_closure():
    # the issue's case: C requires B and lists itself; D requires C and B
    g = _graph(b=[], c=["b", "c"], d=["c", "b"])
    assert _names(g, g.before["c"]) == {"b", "c"}
    assert [e.expr for e, _ in reduce(g, "d").redundant] == ["b"]


def test_corequisites_are_at_or_before_the_course_and_their_own_requirements_strictly_before():
    g = _graph(p=[], q={"prerequisites": ["p"]}, c={"corequisites": ["q"]}, d=["c"])
    assert _names(g, g.before["c"]) == {"p"}
    assert _names(g, g.upto["c"]) == {"p", "q"}
    assert _names(g, g.before["d"]) == {"c", "p", "q"}  # what is by c's term is strictly before d


def test_blocking_and_non_blocking_cycles():
    g = _graph(a=["b"], b={"corequisites": ["a"]}, x={"corequisites": ["y"]}, y={"corequisites": ["x"]},
               m=[{"any_of": ["n", "o"]}], n=["m"], o=[])
    assert g.blocked("a") and g.blocked("b")
    assert not any(g.blocked(c) for c in "xymno")
    assert render_path(g.chain("a", "a", strictly=True)) == "a -> b -> a (corequisite)"


def test_every_alternative_leading_back_blocks():
    g = _graph(a=[{"any_of": ["b", "c"]}], b=["a"], c=["a"])
    assert g.blocked("a")
    assert render_path(g.chain("a", "a", strictly=True)) == "a -> [any of b, c] -> a"


def test_a_strict_corequisite_needed_earlier_is_torn():
    g = _graph(a=["c"], b={"prerequisites": ["a"], "strict_corequisites": ["c"]}, c=[])
    assert _names(g, g.torn("b")) == {"c"}
    assert not g.torn("a") and not g.blocked("b")


def test_mutually_implied_requirements_are_kept_together():
    g = _graph(a={"corequisites": ["b"]}, b={"corequisites": ["a"]}, d=["a", "b"], e=["a", "b", "f"], f=["a"])
    kept = reduce(g, "d")
    assert not kept.redundant and [[x.expr for x in group] for group in kept.equivalent] == [["a", "b"]]
    dropped = reduce(g, "e")  # f requires a, hence b: the whole group goes, each with f as the reason
    assert sorted((x.expr, [o.expr for o in by]) for x, by in dropped.redundant) == [("a", ["f"]), ("b", ["f"])]


def test_dropping_every_redundant_entry_at_once_keeps_what_they_said():
    g = _graph(a=[], b=[], c=[], d=[{"all_of": ["a", "b"]}, "a", "b", "c"])
    result = reduce(g, "d")
    dropped = {x.index for x, _ in result.redundant}
    assert dropped == {1, 2}  # the parts go, the group stays: never both
    kept = [e for e in g.entries["d"] if e.index not in dropped]
    assert {a for e in kept for a in e.atoms} == {"a", "b", "c"}


def test_corequisite_implied_by_a_prerequisite():
    g = _graph(a=[], b=["a"], d={"prerequisites": ["b"], "corequisites": ["a"]})
    ((entry, by),) = reduce(g, "d").redundant
    assert (entry.kind, entry.expr, [o.expr for o in by]) == (CO, "a", ["b"])


def _bare(prerequisites=()):
    return SimpleNamespace(prerequisites=list(prerequisites), corequisites=[], strict_corequisites=[])


@pytest.mark.parametrize("shape", ["independent", "one implies the rest", "repeated"])
def test_a_hundred_thousand_prerequisites_on_one_course(shape):
    """PR01's work is bounded: each entry is checked against counts and block unions, not against
    every other entry (a quadratic check would not end in the life of this test run)."""
    n = 100_000
    courses = {f"c{i}": _bare() for i in range(n)}
    if shape == "independent":
        courses["x"] = _bare([f"c{i}" for i in range(n)])
    elif shape == "one implies the rest":
        courses["hub"] = _bare([f"c{i}" for i in range(n)])
        courses["x"] = _bare([f"c{i}" for i in range(n)] + ["hub"])
    else:
        courses["x"] = _bare(["c0"] * n)
    result = reduce(Requisites(courses), "x")
    if shape == "independent":
        assert not result.redundant and not result.repeated
    elif shape == "one implies the rest":
        assert len(result.redundant) == n
        assert all(entry.kind == PRE and [o.expr for o in by] == ["hub"] for entry, by in result.redundant)
    else:
        assert len(result.repeated) == n - 1 and not result.redundant
