"""`trackdesign import markdown`: adopt a track proposal written by hand, like the seed.

The reader follows the proposal's shape rather than exact text: a `# Kind: Title` heading, the
track's description and notes, then one `## N - [Title](url)` section per course with notes,
a (quoted) description, "Live since", objectives ("Learner will be able to ...") and prerequisites
with nested notes. Headings may use `#`/`##`/`###`, `-`, `.` or `:` after the number; bullets may
use `*` or `-`; labels are matched loosely. Lines it cannot place are reported with their numbers
rather than dropped in silence.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from urllib.parse import urlparse

from trackdesign.documents.prepare import kind_label
from trackdesign.spec.model import Track
from trackdesign.spec.ids import slugify

#: "Skill Track" -> "skill", as the proposal's title names the kind (and "Program" for "Programme")
KINDS = {kind_label(k).lower(): k for k in Track.model_fields["kind"].annotation.__args__} | {"program": "programme"}
HEADING = re.compile(r"^#{2,4}\s*(\d+)\s*[-.:)–]\s*(.+?)\s*$")
LINK = re.compile(r"^\[(.+?)\]\((\S*?)\)(.*)$")
NOTE = re.compile(r"^\*\*_?Note_?\*\*:?\s*(.*)$", re.I)
BULLET = re.compile(r"^(\s*)[*+-]\s+(.*)$")
STEM = re.compile(r"^learner will be able to\s+", re.I)
DATE = re.compile(r"(?:live since|expected live date:?)\s+(.+?)\.?$", re.I)


@dataclass
class Prerequisite:
    title: str
    url: str | None
    notes: list[str] = field(default_factory=list)


@dataclass
class Section:
    number: int
    line: int
    title: str
    url: str | None
    new: bool
    notes: list[str] = field(default_factory=list)
    description: str | None = None
    quoted: bool = False
    live_since: dt.date | None = None
    expected_live: dt.date | None = None
    objectives: list[str] = field(default_factory=list)
    prerequisites: list[Prerequisite] = field(default_factory=list)
    prerequisite_indent: int | None = None  # of the first prerequisite item; deeper bullets are its notes


@dataclass
class Proposal:
    title: str = ""
    kind: str = "skill"
    description: str | None = None
    notes: list[str] = field(default_factory=list)
    courses: list[Section] = field(default_factory=list)
    unplaced: list[tuple[int, str]] = field(default_factory=list)  # (line number, text)


def _note_text(text: str) -> str:
    text = text.strip()
    if text.startswith("*") and text.endswith("*") and not text.startswith("**"):
        text = text[1:-1]
    return text.strip()


GENERATED = re.compile(r"the track is composed of|for the rationale behind it|marketing description is copied", re.I)


def _beyond_composition(body: str) -> str:
    """What an author added to the composition note that trackdesign does not write itself."""
    sentences = re.split(r"(?<=[.!?])(?:\*\*)?\s+(?=\S)", body)
    return " ".join(s for s in sentences if not GENERATED.search(s)).strip()


def _date(text: str) -> dt.date | None:
    for fmt in ("%B %d, %Y", "%b %d, %Y", "%Y-%m-%d", "%d %B %Y"):
        try:
            return dt.datetime.strptime(text.strip().rstrip("."), fmt).date()
        except ValueError:
            continue
    return None


def parse(text: str) -> Proposal:
    doc = Proposal()
    current: Section | None = None
    where = None  # "objectives" | "prerequisites" | None
    for number, raw in enumerate(text.splitlines(), 1):
        line = raw.rstrip()
        stripped = line.strip()
        if not stripped:
            continue
        heading = HEADING.match(stripped)
        if heading:
            current = _section(int(heading.group(1)), number, heading.group(2), doc.unplaced)
            doc.courses.append(current)
            where = None
            continue
        if stripped.startswith("# ") and not doc.title:
            title = stripped[2:].strip()
            kind, _, rest = title.partition(":")
            if rest and kind.strip().lower() in KINDS:
                doc.kind, title = KINDS[kind.strip().lower()], rest.strip()
            doc.title = title
            continue
        note = NOTE.match(stripped)
        if note:
            body = _note_text(note.group(1))
            if current is None and "the track is composed of" in body:
                rest = _beyond_composition(body)
                if rest:
                    doc.notes.append(rest)
                doc.unplaced.append((number, "composition note (trackdesign writes its own)"
                                     + (f"; kept as a track note: {rest!r}" if rest else "")))
            elif current is None:
                doc.notes.append(body)
            else:
                current.notes.append(body)
            continue
        if current is None:
            if doc.title and doc.description is None:
                doc.description = stripped
            else:
                doc.unplaced.append((number, stripped))
            continue
        bullet = BULLET.match(line)
        if bullet:
            indent, body = len(bullet.group(1)), bullet.group(2).strip()
            label = body.lower().rstrip(":")
            if label in ("learning objectives", "objectives"):
                where = "objectives"
            elif label in ("prerequisites", "prerequisite"):
                where = "prerequisites"
            elif where == "objectives":
                current.objectives.append(STEM.sub("", body).rstrip().removesuffix("."))
            elif where == "prerequisites" and body.lower() in ("none", "none."):
                continue
            elif where == "prerequisites" and current.prerequisites and indent > current.prerequisite_indent:
                current.prerequisites[-1].notes.append(body)
            elif where == "prerequisites":
                if current.prerequisite_indent is None:
                    current.prerequisite_indent = indent
                link = LINK.match(body)
                current.prerequisites.append(Prerequisite(link.group(1), link.group(2) or None) if link
                                             else Prerequisite(body, None))
            else:
                doc.unplaced.append((number, stripped))
            continue
        date = DATE.match(stripped)
        if date and _date(date.group(1)):
            if stripped.lower().startswith("live"):
                current.live_since = _date(date.group(1))
            else:
                current.expected_live = _date(date.group(1))
            continue
        if stripped.lower().startswith("also in "):
            continue  # trackdesign writes this line itself from the tracks
        if current.description is None and not where:
            quoted = stripped[:1] in "\"“" and stripped[-1:] in "\"”"
            current.description = stripped[1:-1] if quoted else stripped
            current.quoted = quoted
            continue
        doc.unplaced.append((number, stripped))
    return doc


def _section(number: int, line: int, heading: str, unplaced=None) -> Section:
    new = bool(re.search(r"\((?:new|in development)\b", heading, re.I))
    outline = re.search(r"\[(?:check )?outline\]\(([^)]*)\)", heading, re.I)
    if outline and unplaced is not None:
        unplaced.append((line, f"outline link to {outline.group(1)} (import or write the outline as `chapters`)"))
    heading = re.sub(r"\s*\((?:new|in development|outline)\b.*\)\s*$", "", heading, flags=re.I)
    heading = re.sub(r"\s*\(\[(?:check )?outline\]\([^)]*\)\)\s*$", "", heading, flags=re.I)
    link = LINK.match(heading)
    if link:
        return Section(number, line, link.group(1).strip(), link.group(2) or None, new)
    return Section(number, line, heading.strip(), None, new)


def course_id(title: str, url: str | None) -> str:
    """The id a designer would choose: the course page's slug when there is one, else the title's."""
    if url:
        segment = urlparse(url).path.rstrip("/").rsplit("/", 1)[-1]
        if re.fullmatch(r"[a-z0-9]+(?:-[a-z0-9]+)+", segment):
            return segment
    return slugify(title) or "course"


def to_specs(doc: Proposal) -> tuple[str, dict, dict[str, dict]]:
    """(track id, track data, {course id: course data}) in spec form."""
    ids: dict[tuple[str, str | None], str] = {}
    by_title: dict[str, str] = {}
    courses: dict[str, dict] = {}
    for section in doc.courses:
        cid = course_id(section.title, section.url)
        ids[(section.title, section.url)] = cid
        by_title[section.title.casefold()] = cid
    order = []
    for section in doc.courses:
        cid = ids[(section.title, section.url)]
        order.append(cid)
        data: dict = {"title": section.title}
        if section.url:
            data["url"] = section.url
        data["status"] = ("in-development" if section.expected_live else "proposed") if section.new else "live"
        for key in ("live_since", "expected_live"):
            if getattr(section, key):
                data[key] = getattr(section, key)
        if section.description:
            data["description"] = section.description
        if section.objectives:
            data["objectives"] = section.objectives
        prerequisites = []
        for p in section.prerequisites:
            pid = by_title.get(p.title.casefold()) or course_id(p.title, p.url)
            if pid not in courses and pid not in ids.values():
                courses.setdefault(pid, {"title": p.title, **({"url": p.url} if p.url else {}), "status": "live"})
            prerequisites.append({"course": pid, "notes": p.notes} if p.notes else pid)
        if prerequisites:
            data["prerequisites"] = prerequisites
        if section.notes:
            data["notes"] = section.notes
        courses[cid] = data
    track: dict = {"title": doc.title or "Imported track", "kind": doc.kind}
    if doc.description:
        track["description"] = doc.description
    track["courses"] = order
    if doc.notes:
        track["notes"] = doc.notes
    return slugify(doc.title) or "imported-track", track, courses
