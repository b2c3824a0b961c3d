"""Facts that proposal authors write as prose in notes, taken into fields conservatively.

Two kinds are read, each only in a form that cannot mean anything else:

- the opening note's composition, "six existing courses (1, 2, 3, 4, 7, 8) and two newly
  proposed courses (5, 6)", gives each numbered course its status (a heading without "(new)"
  still makes a new course when the note says so);
- a course note saying the course has no slides gives `slides: false`, which the
  missing-materials rule (TR04) checks.

Each fact taken is an "inferred" entry of the report, with the note's line; a note that
contradicts a heading is a conflict. Notes are kept as notes either way.
"""

from __future__ import annotations

import re

from trackdesign.importers.report import Report

COMPOSED = re.compile(r"\bthe track is composed of\b", re.I)
GROUP = re.compile(r"\b(?P<count>\w+)\s+(?:(?P<status>existing|newly proposed|new|proposed|retired)\s+courses?"
                   r"|courses?\s+(?P<dev>in development))\s*\((?P<numbers>\d+(?:\s*(?:,|and)\s*\d+)*)\)", re.I)
STATUSES = {"existing": "live", "newly proposed": "proposed", "new": "proposed", "proposed": "proposed",
            "retired": "retired", "in development": "in-development"}
MARKER_STATUS = {"new": "proposed", "in development": "in-development"}
WORDS = "zero one two three four five six seven eight nine ten eleven twelve".split()
#: sentences of the opening note that trackdesign writes itself from the specs
GENERATED = re.compile(r"the track is composed of|for the rationale behind it|marketing description is copied", re.I)
NO_SLIDES = re.compile(r"\b(?:has|have|with) no slides\b|\bwithout slides\b|\bno slides (?:are )?available\b"
                       r"|\bslides (?:are|is) not available\b", re.I)


def apply_facts(doc) -> None:
    """Set `status` and `slides` on the sections of a parsed proposal, reporting each inference."""
    for section in doc.courses:
        section.status = MARKER_STATUS.get(section.marker or "", None)
        section.slides = None
    kept = []
    for line, body in doc.notes:
        if COMPOSED.search(body):
            doc.composed = True
            _composition(doc, line, body)
            rest = _beyond_composition(body)
            if rest:
                kept.append((line, rest))
                doc.report.add(line, "rewritten", f"the rest of the opening note is kept as a track note: {rest!r}")
        else:
            kept.append((line, body))
    doc.notes = kept
    for section in doc.courses:
        for line, body in section.notes:
            if NO_SLIDES.search(body):
                section.slides = False
                doc.report.add(line, "inferred", f"slides: false for {section.title!r}, from its note"
                                                 f" {_quote(body)}")


def _composition(doc, line: int, body: str) -> None:
    report: Report = doc.report
    report.add(line, "generated", "the opening note's composition, its link to the task analysis and its word on"
                                  " quoted descriptions are written by trackdesign from the specs")
    numbered = [s for s in doc.courses if s.number is not None]
    by_number: dict[int, list] = {}
    for position, section in enumerate(doc.courses, 1):
        key = section.number if numbered else position
        by_number.setdefault(key, []).append(section)
    for match in GROUP.finditer(body):
        words = (match.group("status") or match.group("dev")).lower()
        status = STATUSES[words]
        numbers = [int(n) for n in re.findall(r"\d+", match.group("numbers"))]
        count = match.group("count").lower()
        if count in WORDS and WORDS.index(count) != len(numbers) or count.isdigit() and int(count) != len(numbers):
            report.add(line, "conflict", f"the opening note says {match.group('count')} {words} course(s) but"
                                         f" lists {len(numbers)}: {match.group('numbers')}")
        for number in numbers:
            sections = by_number.get(number, [])
            if len(sections) != 1:
                why = "no course has that number" if not sections else \
                    f"{len(sections)} courses have that number (lines {', '.join(str(s.line) for s in sections)})"
                report.add(line, "conflict", f"the opening note calls course {number} {words}, but {why}")
                continue
            _status(sections[0], status, words, line, report)


def _status(section, status: str, words: str, line: int, report: Report) -> None:
    if section.status is None and status != "live":
        section.status = status
        report.add(line, "inferred", f"status: {status} for course {section.title!r} (line {section.line}),"
                                     f" from the opening note ({words})")
        mark = "(new)" if status == "proposed" else f"({words})"
        report.add(section.line, "rewritten", f"the proposal marks this heading {mark} as the opening note"
                                              f" (line {line}) calls the course {words}")
    elif section.status is not None and section.status != status:
        report.add(line, "conflict", f"the opening note calls {section.title!r} {words}, but its heading"
                                     f" (line {section.line}) says {section.marker!r}; the heading is kept")


def _beyond_composition(body: str) -> str:
    """What an author added to the composition note that trackdesign does not write itself."""
    sentences = re.split(r"(?<=[.!?])(?:\*\*)?\s+(?=\S)", body)
    return " ".join(s for s in sentences if not GENERATED.search(s)).strip()


def _quote(text: str, limit: int = 80) -> str:
    return repr(text if len(text) <= limit else text[:limit - 3] + "...")
