"""Study plans over the requirement model: corequisites side by side, cycles refused, stated time honoured."""

from __future__ import annotations

import datetime as dt

import pytest
from click.testing import CliRunner

from helpers import write_specs
from trackdesign.analysis.schedule import PlanError, make_plan, stated_weeks
from trackdesign.cli import cli
from trackdesign.spec.loader import load_catalog

MONDAY = dt.date(2027, 1, 4)


def _plan(tmp_path, courses, track, hours_per_week=4.0):
    root = write_specs(tmp_path / "specs", courses=courses, tracks={"t": {"title": "T", **track}})
    return make_plan(load_catalog(root), "t", hours_per_week, MONDAY, default_hours=4)


def test_a_strict_corequisite_starts_the_week_its_course_does(tmp_path):
    plan = _plan(tmp_path, {
        "intro": {"title": "Intro", "hours": 8},
        "lecture": {"spec_version": 3, "title": "Lecture", "hours": 6, "prerequisites": ["intro"],
                    "strict_corequisites": ["lab"]},
        "lab": {"title": "Lab", "hours": 2},
        "next": {"title": "Next", "hours": 4, "prerequisites": ["lecture"]},
    }, {"courses": ["intro", "lecture", "next", "lab"]})
    items = {i.id: i for i in plan.items}
    assert [i.id for i in plan.items] == ["intro", "lecture", "lab", "next"]
    assert items["lab"].first_week == items["lecture"].first_week == 3  # after intro's two weeks
    assert (items["lab"].last_week, items["lecture"].last_week) == (4, 4)
    assert plan.together == [["lecture", "lab"]]
    week3 = dict(plan.weeks[2].study)
    assert week3 == {"lecture": 3.0, "lab": 1.0}  # side by side, each its share of the week
    assert items["next"].first_week == 5


def test_a_corequisite_listed_later_is_taken_beside_its_course(tmp_path):
    plan = _plan(tmp_path, {
        "a": {"spec_version": 3, "title": "A", "hours": 4, "corequisites": ["b"]},
        "b": {"title": "B", "hours": 4},
        "c": {"title": "C", "hours": 4},
    }, {"courses": ["a", "c", "b"]})
    items = {i.id: i for i in plan.items}
    assert items["a"].first_week == items["b"].first_week == 1 and items["c"].first_week == 3


def test_a_corequisite_also_needed_before_a_course_of_the_group_is_taken_earlier(tmp_path):
    plan = _plan(tmp_path, {
        "a": {"spec_version": 3, "title": "A", "hours": 4, "prerequisites": ["b"], "corequisites": ["b"]},
        "b": {"title": "B", "hours": 4},
    }, {"courses": ["a", "b"]})
    assert [i.id for i in plan.items] == ["b", "a"] and plan.moved == ["b"]


def test_a_blocking_cycle_is_refused_with_its_path(tmp_path):
    with pytest.raises(PlanError) as caught:
        _plan(tmp_path, {"a": {"title": "A", "prerequisites": ["b"]}, "b": {"title": "B", "prerequisites": ["a"]}},
              {"courses": ["a", "b"]})
    assert "no order of study satisfies the track: a -> b -> a (a cycle, see PR02)" in str(caught.value)
    result = CliRunner().invoke(cli, ["plan", "t", "--specs", str(tmp_path / "specs"), "--hours-per-week", "4"])
    assert result.exit_code == 2 and "a -> b -> a" in result.output and "Traceback" not in result.output


def test_a_cycle_an_alternative_outside_the_track_breaks_is_planned(tmp_path):
    plan = _plan(tmp_path, {"a": {"title": "A", "prerequisites": [{"any_of": ["b", "x"]}]},
                            "b": {"title": "B", "prerequisites": ["a"]}, "x": {"title": "X"}},
                 {"courses": ["b", "a"]})
    assert [i.id for i in plan.items] == ["a", "b"]


def test_a_stated_duration_is_shared_by_the_courses_without_hours(tmp_path):
    plan = _plan(tmp_path, {"a": {"title": "A", "hours": 10}, "b": {"title": "B"}, "c": {"title": "C"}},
                 {"spec_version": 2, "duration": "about 10 weeks", "courses": ["a", "b", "c"]}, hours_per_week=5)
    items = {i.id: i for i in plan.items}
    assert (items["b"].hours, items["c"].hours) == (20, 20)  # 50 hours in 10 weeks, 10 of them a's
    assert items["b"].derived == "the track's duration (about 10 weeks)" and not plan.assumed
    assert len(plan.weeks) == 10


def test_stages_keep_their_periods(tmp_path):
    plan = _plan(tmp_path, {"a": {"title": "A"}, "b": {"title": "B"}, "c": {"title": "C", "hours": 2}},
                 {"spec_version": 2, "stages": [{"title": "First", "period": "Month 1", "courses": ["a", "b"]},
                                                {"title": "Later", "period": "Month 3", "courses": ["c"]}]},
                 hours_per_week=10)
    items = {i.id: i for i in plan.items}
    # January 4 to February 3 is weeks 1-4 (month 2 starts in week 5); March 4 starts week 9
    assert (items["a"].hours, items["b"].hours) == (20, 20)
    assert items["a"].first_week == 1 and items["b"].last_week == 4
    assert items["c"].first_week == 9 and items["c"].derived is None


@pytest.mark.parametrize("text,expected", [
    ("about 7 months", (30, False)), ("3 weeks", (3, False)), ("4 months, full-time (10-14 hours a day)", (17, False)),
    ("six months or more for each step", (26, True)), ("a year", (52, False)), ("self-paced", None), (None, None),
])
def test_stated_durations(text, expected):
    assert stated_weeks(text) == expected
