"""A study plan (`trackdesign.analysis.schedule`) as a document: Markdown data, CSV rows, iCalendar."""

from __future__ import annotations

import datetime as dt
import re

from trackdesign.analysis.schedule import Plan


def plan_data(plan: Plan) -> dict:
    """What the Markdown schedule shows (rendered by templates/plan.md.j2)."""
    titles = {i.id: i.title for i in plan.items}
    months = []
    for week in plan.weeks:
        if not months or months[-1]["number"] != week.month:
            months.append({"number": week.month, "weeks": []})
        months[-1]["weeks"].append({"number": week.number, "start": week.start, "end": week.end,
                                    "study": [(titles[cid], hours) for cid, hours in week.study]})
    return {"kind": "plan", "doc": f"plans/{plan.track_id}", "index": "index", "title": f"Study plan: {plan.title}",
            "hours_per_week": plan.hours_per_week, "start": plan.start, "end": plan.end, "weeks": len(plan.weeks),
            "total_hours": plan.total_hours, "items": plan.items, "months": months,
            "assumed": plan.assumed, "derived": plan.derived, "moved": [titles[c] for c in plan.moved],
            "together": [[titles[c] for c in unit] for unit in plan.together]}


def to_csv(plan: Plan) -> str:
    """One row per course per week: what a spreadsheet or another tool reads."""
    from trackdesign.documents.tables import csv_text

    items = {i.id: i for i in plan.items}
    rows = [{"week": week.number, "month": week.month, "week_start": week.start.isoformat(),
             "week_end": week.end.isoformat(), "course": cid, "title": items[cid].title, "hours": f"{hours:g}",
             "hours_assumed": "derived" if items[cid].derived else "yes" if items[cid].assumed else "no"}
            for week in plan.weeks for cid, hours in week.study]
    return csv_text(rows, ["week", "month", "week_start", "week_end", "course", "title", "hours", "hours_assumed"])


#: Control characters RFC 5545 allows in no text value (line breaks are escaped by the library).
_ICS_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def to_ics(plan: Plan, stamp: dt.datetime) -> str:
    """An iCalendar file: one all-day event per course over the weeks it takes.

    UIDs are stable (track, course, start), so importing an updated plan replaces the old events.
    Spec text is written as escaped TEXT values, and a course's URL only when it is a safe link.
    """
    from icalendar import Calendar, Event, vText

    from trackdesign.documents.render import safe_url

    def text(value: str) -> vText:
        return vText(_ICS_CONTROL.sub("", value))

    cal = Calendar()
    cal.add("prodid", "-//trackdesign//study plan//EN")
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("x-wr-calname", text(f"Study plan: {plan.title}"))
    for item in plan.items:
        event = Event()
        event.add("uid", f"{plan.track_id}-{item.id}-{plan.start.isoformat()}@trackdesign")
        event.add("dtstamp", stamp)
        event.add("summary", text(f"Study: {item.title}"))
        event.add("dtstart", item.start)
        event.add("dtend", item.end + dt.timedelta(days=1))  # exclusive, as RFC 5545 wants for dates
        weekly = item.hours / max(1, item.last_week - item.first_week + 1)
        weeks = (f"week {item.first_week}" if item.first_week == item.last_week
                 else f"weeks {item.first_week}-{item.last_week}")
        how = f" (from {item.derived})" if item.derived else " (assumed)" if item.assumed else ""
        details = [f"{item.hours:g} hours{how}, about {weekly:.1f} a week"
                   f" ({weeks} of the plan)."]
        link = safe_url(item.url)
        if link:
            details.append(link)
            event.add("url", link)
        event.add("description", text("\n".join(details)))
        event.add("transp", "TRANSPARENT")
        cal.add_component(event)
    return cal.to_ical().decode("utf-8")
