"""`trackdesign import markdown`: adopt a track proposal written by hand.

The reader follows the proposal's shape rather than exact text: a `# Kind: Title` heading, the
track's description and notes, then one section per course (`## N - [Title](url)`, or unnumbered
`## [Title](url)`, or a plain heading over objectives and prerequisites) with notes, a (quoted)
description, "Live since", objectives ("Learner will be able to ...") and prerequisites with
nested notes. Markup may vary (heading levels, `-`/`*` bullets, note styles, labels with colons).

Everything it reads goes into a field; whatever it cannot place, or places by inference, goes
into the import report with its line (see `report.py`). Facts written as prose in notes (no
slides, which courses are newly proposed) are taken by `facts.py`.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field

from trackdesign.documents.prepare import kind_label
from trackdesign.importers import mdtext
from trackdesign.importers.report import Report
from trackdesign.spec.model import Track

LABELS = {"learning objectives": "objectives", "objectives": "objectives", "learning outcomes": "objectives",
          "learner will be able to": "objectives", "prerequisites": "prerequisites", "prerequisite": "prerequisites"}
STEM = re.compile(r"^learner will be able to\s+", re.I)
DATE_LINE = re.compile(r"^\(?\s*(live since|expected live date|expected live)\s*:?\s+(.+?)\s*\)?\s*\.?$", re.I)
NONE = re.compile(r"^none\.?$", re.I)
ONE_OF = re.compile(r"^one of\s*:\s*(.+)$", re.I)
MARKERS = re.compile(r"^(new|in development|(?:check )?outline|live since .+|expected live(?: date)?:? .+)$", re.I)
#: "Skill Track" -> "skill", as the proposal's title names the kind (and "Program" for "Programme")
MARKER_SPLIT = re.compile(r",\s*(?=new\b|in development\b|\[|(?:check )?outline\b|live since\b|expected live\b)", re.I)
KINDS = {kind_label(k).lower(): k for k in Track.model_fields["kind"].annotation.__args__} | {"program": "programme"}


@dataclass
class Prerequisite:
    title: str
    url: str | None
    line: int
    notes: list[str] = field(default_factory=list)
    alternatives: list[tuple[str, str | None]] = field(default_factory=list)  # "One of: A, B"


@dataclass
class Section:
    number: int | None  # as the author wrote it (None: unnumbered heading)
    line: int
    title: str
    url: str | None
    marker: str | None = None  # "new" | "in development", from the heading
    outline: str | None = None  # a heading's own outline link target
    notes: list[tuple[int, str]] = field(default_factory=list)
    description: str | None = None
    description_line: int | None = None
    quoted: bool = False
    live_since: dt.date | None = None
    expected_live: dt.date | None = None
    objectives: list[str] = field(default_factory=list)
    prerequisites: list[Prerequisite] = field(default_factory=list)
    prerequisites_none: bool = False  # the document says "None"
    status: str | None = None  # from the heading's marker or the opening note (facts.py)
    slides: bool | None = None  # from a note (facts.py)
    date_in_heading: str | None = None  # "Live since ..." written in the heading's parentheses


@dataclass
class Proposal:
    title: str = ""
    title_line: int | None = None
    kind: str = "skill"
    description: str | None = None
    description_line: int | None = None
    notes: list[tuple[int, str]] = field(default_factory=list)
    composed: bool = False  # has an opening note on the track's composition (facts.py)
    courses: list[Section] = field(default_factory=list)
    report: Report = field(default_factory=Report)


def split_sections(lines: list[str]):
    """(heading line number or None, level, heading text, [(line number, text)]) per section."""
    sections = [(None, 0, "", [])]
    for number, raw in enumerate(lines, 1):
        found = mdtext.heading(raw) if raw[:1] == "#" else None
        if found:
            if found[0] >= 2 and _label_heading(found[1]) and sections[-1][0] is not None:
                sections[-1][3].append((number, f"* {found[1]}"))  # "### Prerequisites" inside a course
                continue
            sections.append((number, found[0], found[1], []))
        else:
            sections[-1][3].append((number, raw))
    return sections


def _label_heading(text: str) -> bool:
    return mdtext.label(text) in LABELS


def parse(text: str) -> Proposal:
    doc = Proposal()
    lines = text.splitlines()
    titled = mdtext.front_matter(lines)
    sections = split_sections(lines)
    _preamble(doc, sections[0][3])
    for number, level, heading, body in sections[1:]:
        if level == 1 and not doc.title:
            _title(doc, number, heading)
            _preamble(doc, body, after_title=True)
            continue
        section = _course_heading(number, heading, body, doc.report)
        if section is None:
            doc.report.add(number, "not placed", f"section {heading!r} is not a course (no number, link or"
                                                 " objectives); its lines are not read")
            for line, raw in body:
                if raw.strip():
                    doc.report.add(line, "not placed", raw.strip())
            continue
        doc.courses.append(section)
        _course_body(section, body, doc.report)
    _check_numbers(doc)
    if titled and not doc.title:
        doc.title, doc.title_line = titled, 1
    from trackdesign.importers.facts import apply_facts

    apply_facts(doc)
    return doc


def _check_numbers(doc: Proposal) -> None:
    """Report numbers the proposal will not write back: repeated, out of sequence, or missing."""
    first: dict[int, int] = {}
    for position, section in enumerate(doc.courses, 1):
        if section.number is None:
            doc.report.add(section.line, "rewritten", f"unnumbered course heading: the proposal numbers it {position}")
        elif section.number in first:
            doc.report.add(section.line, "conflict", f"course number {section.number} again (first at line"
                                                     f" {first[section.number]}): the proposal numbers it {position}")
        elif section.number != position:
            doc.report.add(section.line, "conflict", f"numbered {section.number} but is course {position} of the"
                                                     f" document: the proposal numbers it {position}")
        if section.number is not None:
            first.setdefault(section.number, section.line)


def _title(doc: Proposal, number: int, heading: str) -> None:
    kind, _, rest = heading.partition(":")
    if rest.strip() and kind.strip().lower() in KINDS:
        doc.kind, heading = KINDS[kind.strip().lower()], rest.strip()
    doc.title, doc.title_line = heading.strip(), number


def _preamble(doc: Proposal, body, after_title: bool = False) -> None:
    for line, text, bullet, _ in mdtext.paragraphs(body):
        body_of_note = None if bullet else mdtext.note(text)
        if body_of_note is not None:
            doc.notes.append((line, body_of_note))
        elif after_title and doc.description is None and not bullet:
            doc.description, doc.description_line = text, line
        elif text.startswith("<!--") and text.endswith("-->"):
            continue
        else:
            doc.report.add(line, "not placed", text)


def _course_heading(number: int, heading: str, body, report: Report) -> Section | None:
    numbered = re.match(r"^(\d+)\s*[-.:)–—]\s*(.+)$", heading)
    author_number, rest = (int(numbered.group(1)), numbered.group(2)) if numbered else (None, heading)
    rest, markers = _markers(rest)
    found = mdtext.link(rest)
    title, url, after = (found[0], found[1] or None, found[2].strip()) if found else (rest.strip(), None, "")
    section = Section(author_number, number, title, url)
    if after:
        after, more = _markers(after)
        markers += more
        if after:
            report.add(number, "not placed", f"text after the course's link in its heading: {after!r}")
    for marker, target in markers:
        _marker(section, marker, target, number, report)
    if section.date_in_heading:
        report.add(number, "rewritten", f"{section.date_in_heading!r} in the heading: the proposal writes the date"
                                        " after the description")
    if numbered or found or section.marker:
        return section
    has_lists = any(mdtext.label(t) in LABELS for _, t, bullet, _ in mdtext.paragraphs(body) if bullet)
    return section if has_lists else None


def _markers(text: str) -> tuple[str, list[tuple[str, str | None]]]:
    """A heading without its trailing '(new, [check outline](X.md))' group, and the group's items."""
    match = re.search(r"\s*\(([^()]*(?:\([^()]*\)[^()]*)*)\)\s*$", text)
    if not match:
        return text, []
    items = []
    for part in MARKER_SPLIT.split(match.group(1)):
        found = mdtext.link(part)
        word = found[0] if found and not found[2].strip() else part.strip()
        if not MARKERS.match(word):
            return text, []  # "(DataCamp)": part of the title
        items.append((word, found[1] if found else None))
    return text[:match.start()], items


def _marker(section: Section, marker: str, target: str | None, line: int, report: Report) -> None:
    lowered = marker.lower()
    if lowered in ("new", "in development"):
        section.marker = lowered
    elif "outline" in lowered:
        section.outline = target
        if not target:
            report.add(line, "not placed", f"outline mark {marker!r} without a link")
    elif _date_fact(section, DATE_LINE.match(marker), line, report):
        section.date_in_heading = marker


def _date_fact(section: Section, match, line: int, report: Report) -> bool:
    """Take 'Live since June 28, 2019' (or an expected date) into the section; report what cannot be."""
    which, value = match.group(1).lower(), match.group(2).strip()
    date = mdtext.parse_date(value)
    if date is None:
        why = "has no year" if mdtext.lacks_year(value) else "is not a date trackdesign reads (e.g. June 28, 2019)"
        report.add(line, "not placed", f"{match.group(0).strip()!r}: {value!r} {why}; write the full date")
        return False
    if which == "live since":
        section.live_since = date
    else:
        section.expected_live = date
    return True


def _course_body(section: Section, body, report: Report) -> None:
    where, item_indent, stem_written = None, None, False
    for line, text, bullet, indent in mdtext.paragraphs(body):
        name, _, inline = text.partition(":")
        kind = LABELS.get(mdtext.label(text)) or (LABELS.get(mdtext.label(name)) if inline.strip() else None)
        if kind:  # "* Prerequisites", "Learner will be able to:", "Prerequisites: A, B", bulleted or not
            where, item_indent = kind, None
            stem_written = STEM.match(mdtext.label(name) + " ") is not None  # "Learner will be able to:"
            if inline.strip() and not LABELS.get(mdtext.label(text)):
                for item in _inline_items(where, inline.strip()):
                    _list_item(section, where, line, item, report, stem_written)
            continue
        if bullet:
            if where is None:
                report.add(line, "not placed", f"list item outside 'Learning objectives' and 'Prerequisites': {text}")
            elif where == "objectives" and (item_indent is None or indent <= item_indent):
                item_indent = indent if item_indent is None else item_indent
                _list_item(section, where, line, text, report, stem_written)
            elif where == "prerequisites" and item_indent is not None and indent > item_indent:
                if section.prerequisites:
                    section.prerequisites[-1].notes.append(text)
                else:
                    report.add(line, "not placed", f"note under 'None': {text}")
            elif where == "prerequisites":
                item_indent = indent if item_indent is None else item_indent
                _list_item(section, where, line, text, report)
            else:
                report.add(line, "not placed", f"nested under an objective: {text}")
            continue
        _paragraph(section, line, text, where, report)


def _paragraph(section: Section, line: int, text: str, where: str | None, report: Report) -> None:
    body = mdtext.note(text)
    if body is not None:
        section.notes.append((line, body))
        return
    date = DATE_LINE.match(text)
    if date:
        if _date_fact(section, date, line, report) and (text.startswith("(") or not text.endswith(".")):
            report.add(line, "rewritten", f"{text!r}: the proposal writes '{date.group(1).capitalize()} <date>.'")
        return
    if text.lower().startswith("also in "):
        report.add(line, "generated", "'Also in ...' is written from the tracks that list the course")
        return
    if section.description is None and where is None:
        quoted = text[:1] in "\"“" and text[-1:] in "\"”" and len(text) > 1
        section.description = text[1:-1].strip() if quoted else text
        section.description_line, section.quoted = line, quoted
        return
    report.add(line, "not placed", text)


def _inline_items(where: str, text: str) -> list[str]:
    """The items a label's line lists after its colon: prerequisites are separated by commas or
    semicolons outside link text ("A, [B, C](url)"); an objective, or a group ("one of: ..."), is one."""
    if where != "prerequisites" or ONE_OF.match(text) or NONE.match(text):
        return [text]
    return [part for part in re.split(r"[,;]\s*(?![^\[]*\])", text) if part.strip()]


def _list_item(section: Section, where: str, line: int, text: str, report: Report, stem_written: bool = False) -> None:
    if where == "objectives":
        objective = STEM.sub("", text).rstrip()
        if objective == text.rstrip() and not stem_written:
            report.add(line, "rewritten", "objective without 'Learner will be able to': the proposal will add it")
        section.objectives.append(objective[:-1].rstrip() if objective.endswith(".") else objective)
        return
    if NONE.match(text):
        section.prerequisites_none = True
        return
    group = ONE_OF.match(text)
    if group:
        choices = [_named(part.strip()) for part in re.split(r",\s*(?=\[)|,\s+(?![^\[]*\])", group.group(1))]
        prerequisite = Prerequisite(choices[0][0], choices[0][1], line, alternatives=[c[:2] for c in choices])
        section.prerequisites.append(prerequisite)
        return
    title, url, after = _named(text)
    prerequisite = Prerequisite(title, url, line)
    if after:
        prerequisite.notes.append(after)
        report.add(line, "rewritten", f"text after the prerequisite's link is kept as its note: {after!r}")
    section.prerequisites.append(prerequisite)


def _named(text: str) -> tuple[str, str | None, str]:
    """(title, url, trailing remark) of a course named in a list item: '[T](u) (remark)' or 'T'."""
    found = mdtext.link(text)
    if not found:
        return text.strip(), None, ""
    after = found[2].strip()
    after = re.sub(r"^[-–—:,;]\s*", "", after)
    if after.startswith("(") and after.endswith(")"):
        after = after[1:-1].strip()
    return found[0], found[1] or None, after
