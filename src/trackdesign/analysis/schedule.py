"""Study schedules: a track's courses laid over weeks at a learner's pace, requirements first.

A learner gives hours per week. Courses follow one another in the track's order, moved only where a
requirement inside the track would otherwise come later (`trackdesign.analysis.study_order`); a
course and its corequisites are studied side by side over the same weeks, so a strict corequisite
starts the week its course does. A staged track keeps its stages in order, each starting no
earlier than its `period` says ("Month 2", "Weeks 3-4"). A course takes its `hours`; without them,
its share of the time the track states (a stage's period, or the track's `duration`, such as
"about 7 months" or "six months for each step"), else an assumed number; every output says which.
Months are counted from the start ("Month 1" is the first month of study).
"""

from __future__ import annotations

import calendar
import datetime as dt
import math
import re
from dataclasses import dataclass, field


@dataclass
class Item:
    """A course in the schedule, with the weeks it spans."""

    id: str
    title: str
    url: str | None
    hours: float
    assumed: bool  # hours not in the spec: the default was used, or `derived` says how they were found
    first_week: int
    last_week: int
    start: dt.date
    end: dt.date  # the last day of its last week
    derived: str | None = None  # where hours not in the spec came from ("the track's duration (4 months)")


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
    together: list[list[str]] = field(default_factory=list)  # courses studied side by side (corequisites)

    @property
    def total_hours(self) -> float:
        return sum(i.hours for i in self.items)

    @property
    def assumed(self) -> list[Item]:
        """Courses given the default hours (neither in their spec nor from what the track states)."""
        return [i for i in self.items if i.assumed and not i.derived]

    @property
    def derived(self) -> list[Item]:
        return [i for i in self.items if i.derived]

    @property
    def end(self) -> dt.date:
        return self.weeks[-1].end if self.weeks else self.start


class PlanError(ValueError):
    """The plan cannot be made as asked (a usage error)."""


def _ordered(catalog, track, blocks):
    from trackdesign.analysis.study_order import OrderError, order

    try:
        return order(catalog, [block.courses for block in blocks])
    except OrderError as exc:
        raise PlanError(str(exc)) from None


@dataclass
class _Block:
    """A stretch of the plan: a stage (or the whole of a plain track), with what the track states
    of its length in weeks, and the week it may start in."""

    courses: list[str]
    weeks: int | None = None
    first_week: int = 1
    said: str | None = None  # the words the length comes from, for the plan's notes


WORDS = {"a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
         "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12}
LENGTH = re.compile(r"\b(\d+(?:\.\d+)?|" + "|".join(WORDS) + r")\s*(?:(?:-|to|–)\s*\d+\s*)?(day|week|month|year)s?\b",
                    re.I)
EACH = re.compile(r"\b(?:for\s+each|per|each)\s+(?:step|stage|part|phase)\b", re.I)
PERIOD = re.compile(r"\b(week|month)s?\s+(\d+)(?:\s*(?:-|to|–)\s*(\d+))?", re.I)
WEEKS_IN = {"day": 1 / 7, "week": 1.0, "month": 52 / 12, "year": 52.0}


def stated_weeks(text: str | None) -> tuple[int, bool] | None:
    """(weeks, per stage) of a stated duration: 'about 7 months' -> (30, False); 'six months or
    more for each step' -> (26, True); None when it names no length."""
    found = LENGTH.search(text or "")
    if not found:
        return None
    number = WORDS.get(found.group(1).lower()) or float(found.group(1))
    return max(1, round(number * WEEKS_IN[found.group(2).lower()])), bool(EACH.search(text or ""))


def _blocks(track, start: dt.date | None = None) -> list[_Block]:
    """The plan's stretches: one per stage (a course in the first stage that lists it), or one."""
    stated = stated_weeks(track.duration)
    if not track.stages:
        block = _Block(list(dict.fromkeys(track.courses)))
        if stated:
            block.weeks, block.said = stated[0], f"the track's duration ({track.duration})"
        return [block]
    seen: set[str] = set()
    blocks = []
    for stage in track.stages:
        ids = [cid for cid in (i if isinstance(i, str) else i.course for i in stage.courses) if cid not in seen]
        seen.update(ids)
        block = _Block(list(dict.fromkeys(ids)))
        period = PERIOD.search(stage.period or "") if start else None
        if period:
            unit, first = period.group(1).lower(), int(period.group(2))
            last = int(period.group(3) or first)
            if unit == "week":
                block.first_week, block.weeks = first, max(1, last - first + 1)
            else:
                block.first_week = (add_months(start, first - 1) - start).days // 7 + 1
                block.weeks = max(1, (add_months(start, last) - start).days // 7 + 1 - block.first_week)
            block.said = f"its stage's period ({stage.period})"
        elif stated:
            block.weeks = stated[0] if stated[1] else max(1, round(stated[0] / len(track.stages)))
            block.said = f"the track's duration ({track.duration})"
        blocks.append(block)
    return blocks


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


#: Bounds of a plan a learner can follow: study time fits in the week, the plan in a working life.
MIN_HOURS_PER_WEEK, MAX_HOURS_PER_WEEK = 0.1, 168.0
MAX_WEEKS = 2_600


def make_plan(catalog, track_id: str, hours_per_week: float, start: dt.date, default_hours: float) -> Plan:
    """The plan, or PlanError for hours out of range (nan and infinity too), a plan longer than
    MAX_WEEKS, or one that would run past the end of the calendar."""
    from trackdesign.spec.model import MAX_HOURS

    if not MIN_HOURS_PER_WEEK <= hours_per_week <= MAX_HOURS_PER_WEEK:  # false for nan too
        raise PlanError(f"--hours-per-week must be between {MIN_HOURS_PER_WEEK:g} and {MAX_HOURS_PER_WEEK:g},"
                        f" got {hours_per_week:g}")
    if not 0 < default_hours <= MAX_HOURS:
        raise PlanError(f"--default-hours must be more than 0 and at most {MAX_HOURS:g}, got {default_hours:g}")
    try:
        return _plan(catalog, track_id, hours_per_week, start, default_hours)
    except OverflowError:
        raise PlanError(f"--start {start} leaves no room for the plan before the calendar ends") from None


def _plan(catalog, track_id: str, hours_per_week: float, start: dt.date, default_hours: float) -> Plan:
    track = catalog.tracks[track_id].model
    blocks = _blocks(track, start)
    ordered = _ordered(catalog, track, blocks)
    items: list[Item] = []
    weeks: list[Week] = []
    done = 0.0  # hours of study before the current unit
    together = []
    for block, units in zip(blocks, ordered):
        done = max(done, (block.first_week - 1) * hours_per_week)
        opened = done
        hours = _hours(catalog, block, hours_per_week, default_hours)
        for unit in units:
            if len(unit) > 1:
                together.append(unit)
            total = sum(hours[cid][0] for cid in unit)
            first = int(done // hours_per_week) + 1
            finish = done + total
            last = max(first, math.ceil(finish / hours_per_week - 1e-9))
            if last > MAX_WEEKS:
                raise PlanError(f"the plan would take more than {MAX_WEEKS:,} weeks at {hours_per_week:g} hours a"
                                " week; study more hours a week")
            for cid in unit:
                course = catalog.course(cid)
                spent, derived = hours[cid]
                items.append(Item(cid, course.title if course else cid, course.url if course else None, spent,
                                  not (course and course.hours), first, last, start + dt.timedelta(weeks=first - 1),
                                  start + dt.timedelta(weeks=last) - dt.timedelta(days=1), derived))
            for number in range(first, last + 1):
                while len(weeks) < number:
                    begin = start + dt.timedelta(weeks=len(weeks))
                    weeks.append(Week(len(weeks) + 1, begin, month_of(start, begin)))
                share = max(0.0, min(finish, number * hours_per_week) - max(done, (number - 1) * hours_per_week))
                for cid in unit:  # side by side: each its part of the unit's time in every week
                    part = share * hours[cid][0] / total if total else 0.0
                    if part > 0:
                        weeks[number - 1].study.append((cid, round(part, 2)))
            done = finish
        if block.weeks:
            done = max(done, opened + block.weeks * hours_per_week)
    order = [i.id for i in items]
    position = {cid: i for i, cid in enumerate(dict.fromkeys(track.courses))}
    moved = [cid for i, cid in enumerate(order) if i < position[cid]]
    return Plan(track_id, track.title, hours_per_week, start, items, weeks, moved, together)


def _hours(catalog, block: _Block, hours_per_week: float, default_hours: float):
    """{course: (hours, where they come from if not its spec)} for the courses of one block: those
    without `hours` share what the block's stated length leaves, else take the default."""
    known = {cid: catalog.course(cid).hours for cid in block.courses if catalog.course(cid) and catalog.course(cid).hours}
    unknown = [cid for cid in block.courses if cid not in known]
    result = {cid: (h, None) for cid, h in known.items()}
    left = block.weeks * hours_per_week - sum(known.values()) if block.weeks else 0.0
    for cid in unknown:
        result[cid] = (round(left / len(unknown), 2), block.said) if left > 0 else (default_hours, None)
    return result


def next_monday(today: dt.date) -> dt.date:
    return today + dt.timedelta(days=(7 - today.weekday()) % 7)


# --- outputs --------------------------------------------------------------------------------------
