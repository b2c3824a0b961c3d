"""Study schedules: a track's courses laid over weeks at a learner's pace, prerequisites first.

A learner gives hours per week; each course takes its `hours` (or an assumed number, said so in
every output) and they follow one another in the track's order, moved only where a prerequisite
inside the track would otherwise come later. Weeks start on the start date; months are counted
from it ("Month 1" is the first month of study, as in a self-made schedule).
"""

from __future__ import annotations

import calendar
import datetime as dt
import math
from dataclasses import dataclass, field

from trackdesign.spec.model import prerequisite_ids


@dataclass
class Item:
    """A course in the schedule, with the weeks it spans."""

    id: str
    title: str
    url: str | None
    hours: float
    assumed: bool  # hours not in the spec: the default was used
    first_week: int
    last_week: int
    start: dt.date
    end: dt.date  # the last day of its last week


@dataclass
class Week:
    number: int
    start: dt.date
    month: int
    study: list[tuple[str, float]] = field(default_factory=list)  # (course id, hours in this week)

    @property
    def end(self) -> dt.date:
        return self.start + dt.timedelta(days=6)


@dataclass
class Plan:
    track_id: str
    title: str
    hours_per_week: float
    start: dt.date
    items: list[Item]
    weeks: list[Week]
    moved: list[str]  # courses taken earlier than the track lists them, for their dependants

    @property
    def total_hours(self) -> float:
        return sum(i.hours for i in self.items)

    @property
    def assumed(self) -> list[Item]:
        return [i for i in self.items if i.assumed]

    @property
    def end(self) -> dt.date:
        return self.weeks[-1].end if self.weeks else self.start


class PlanError(ValueError):
    """The plan cannot be made as asked (a usage error)."""


def study_order(catalog, track_id: str) -> tuple[list[str], list[str]]:
    """The track's courses in an order that respects prerequisites within the track.

    Ties keep the track's order. An `any_of` group needs only its earliest alternative in the track.
    Returns the order and the courses moved ahead of where the track lists them.
    """
    import networkx as nx

    courses = list(dict.fromkeys(catalog.tracks[track_id].model.courses))
    position = {cid: i for i, cid in enumerate(courses)}
    graph = nx.DiGraph()
    graph.add_nodes_from(courses)
    for cid in courses:
        course = catalog.course(cid)
        for item in course.prerequisites if course else []:
            inside = [a for a in prerequisite_ids(item) if a in position and a != cid]
            if inside:
                graph.add_edge(min(inside, key=position.get), cid)
    try:
        order = list(nx.lexicographical_topological_sort(graph, key=position.get))
    except nx.NetworkXUnfeasible:
        return courses, []  # a cycle (PR02 reports it): keep the track's order
    moved = [cid for i, cid in enumerate(order) if i < position[cid]]
    return order, moved


def add_months(day: dt.date, months: int) -> dt.date:
    month = day.month - 1 + months
    year, month = day.year + month // 12, month % 12 + 1
    return dt.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def month_of(start: dt.date, day: dt.date) -> int:
    """1 for the first month after `start`, 2 for the next, ..."""
    months = (day.year - start.year) * 12 + day.month - start.month
    if add_months(start, months) > day:
        months -= 1
    return months + 1


def make_plan(catalog, track_id: str, hours_per_week: float, start: dt.date, default_hours: float) -> Plan:
    if hours_per_week <= 0:
        raise PlanError("--hours-per-week must be more than 0")
    if default_hours <= 0:
        raise PlanError("--default-hours must be more than 0")
    order, moved = study_order(catalog, track_id)
    items, weeks = [], []
    done = 0.0  # hours studied before the current course
    for cid in order:
        course = catalog.course(cid)
        hours = course.hours if course and course.hours else default_hours
        first = int(done // hours_per_week) + 1
        finish = done + hours
        last = max(first, math.ceil(finish / hours_per_week - 1e-9))
        week_start = start + dt.timedelta(weeks=first - 1)
        items.append(Item(cid, course.title if course else cid, course.url if course else None, hours,
                          not (course and course.hours), first, last, week_start,
                          start + dt.timedelta(weeks=last) - dt.timedelta(days=1)))
        for number in range(first, last + 1):
            while len(weeks) < number:
                begin = start + dt.timedelta(weeks=len(weeks))
                weeks.append(Week(len(weeks) + 1, begin, month_of(start, begin)))
            low = max(done, (number - 1) * hours_per_week)
            high = min(finish, number * hours_per_week)
            if high > low:
                weeks[number - 1].study.append((cid, round(high - low, 2)))
        done = finish
    title = catalog.tracks[track_id].model.title
    return Plan(track_id, title, hours_per_week, start, items, weeks, moved)


def next_monday(today: dt.date) -> dt.date:
    return today + dt.timedelta(days=(7 - today.weekday()) % 7)


# --- outputs --------------------------------------------------------------------------------------
