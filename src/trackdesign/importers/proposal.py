"""A parsed proposal (`markdown.parse`) as spec data: one track, its courses, the courses they name.

Ids come from the course page's slug, else the title. A prerequisite that is not a course of the
document becomes a reference: a spec with its title and URL, written only where the specs folder
has none (an existing spec of that id is the same course and is reused as it is).
"""

from __future__ import annotations

import difflib

from trackdesign.spec.ids import slugify
from trackdesign.importers import Imported, course_id
from trackdesign.importers.markdown import Proposal, Section


def to_specs(doc: Proposal) -> Imported:
    result = Imported(report=doc.report)
    report = doc.report
    ids: list[str] = []
    by_title: dict[str, str] = {}
    by_url: dict[str, str] = {}
    titles: dict[str, str] = {}
    for section in doc.courses:
        cid = course_id(section.title, section.url)
        if cid in ids:
            report.add(section.line, "conflict", f"course {section.title!r} is listed twice (first at line"
                                                 f" {result.lines[('courses', cid)]}); the track lists it once")
            continue
        ids.append(cid)
        result.lines[("courses", cid)] = section.line
        by_title.setdefault(section.title.casefold(), cid)
        titles[cid] = section.title
        if section.url:
            by_url.setdefault(section.url, cid)
    for section in doc.courses:
        cid = course_id(section.title, section.url)
        if cid in result.courses:
            continue
        prerequisites = _prerequisites(section, result, (titles, by_title, by_url), report)
        result.courses[cid] = _course(section, prerequisites, report)
    track_id = slugify(doc.title) or "imported-track"
    track: dict = {"title": doc.title or "Imported track", "kind": doc.kind}
    if not doc.title:
        report.add(None, "not placed", "no '# Title' heading: the track is called 'Imported track'")
    if doc.description:
        track["description"] = doc.description
    _what_the_proposal_adds(doc)
    track["courses"] = ids
    if doc.notes:
        track["notes"] = [body for _, body in doc.notes]
    result.tracks[track_id] = track
    result.lines[("tracks", track_id)] = doc.title_line or 1
    return result


def _course(section: Section, prerequisites: list | None, report) -> dict:
    data: dict = {"title": section.title}
    if section.url:
        data["url"] = section.url
    data["status"] = section.status or "live"
    if section.live_since:
        data["live_since"] = section.live_since
    if section.expected_live:
        data["expected_live"] = section.expected_live
        if data["status"] not in ("proposed", "in-development"):
            report.add(section.line, "conflict", f"{section.title!r} has an expected live date but is not marked new;"
                                                 " the proposal shows the date only for new courses")
    if section.slides is not None:
        data["slides"] = section.slides
    if section.description:
        data["description"] = section.description
        if section.date_in_heading:
            report.add(section.description_line, "rewritten", f"the proposal writes {section.date_in_heading!r}"
                       f" from the heading (line {section.line}) after this description")
        quoted = data["status"] not in ("proposed", "in-development")
        if quoted != section.quoted:
            report.add(section.description_line, "rewritten",
                       f"description of {section.title!r} {'between' if quoted else 'without'} quotes: the proposal"
                       " quotes the descriptions of existing courses only")
    if section.objectives:
        data["objectives"] = section.objectives
    if prerequisites is not None:
        data["prerequisites"] = prerequisites
    if section.notes:
        data["notes"] = [body for _, body in section.notes]
    if section.outline:
        data["outline_link"] = section.outline
    return data


def _prerequisites(section: Section, result: Imported, known, report) -> list | None:
    """The spec's prerequisite list ([] where the document says "None"; None where it says nothing)."""
    entries = []
    for p in section.prerequisites:
        choices = p.alternatives or [(p.title, p.url)]
        ids = [_reference(title, url, p.line, result, known, report) for title, url in choices]
        if len(ids) > 1:
            entries.append({"any_of": ids, **({"notes": p.notes} if p.notes else {})})
        else:
            entries.append({"course": ids[0], "notes": p.notes} if p.notes else ids[0])
    if entries:
        return entries
    return [] if section.prerequisites_none else None


def _reference(title: str, url: str | None, line: int, result: Imported, known, report) -> str:
    """The id of a course named by a prerequisite, adding a reference spec for one outside the document."""
    titles, by_title, by_url = known
    cid = (by_url.get(url) if url else None) or by_title.get(title.casefold()) or course_id(title, url)
    if cid in titles:
        if title.casefold() != titles[cid].casefold():
            report.add(line, "conflict", f"prerequisite named {title!r} here, but its course's heading calls it"
                                         f" {titles[cid]!r}; the proposal shows the heading's title")
        return cid
    earlier = result.courses.get(cid)
    if earlier is None:
        result.courses[cid] = {"title": title, **({"url": url} if url else {})}
        result.references.add(cid)
        result.lines[("courses", cid)] = line
        close = None if url else difflib.get_close_matches(title, list(titles.values()), n=1, cutoff=0.75)
        if close:
            report.add(line, "conflict", f"prerequisite {title!r} names no course of the document but is close to"
                                         f" {close[0]!r}; kept as a course of its own ({cid})")
    elif earlier.get("title") != title:
        report.add(line, "conflict", f"prerequisite named {title!r} here, but {earlier['title']!r} at line"
                                     f" {result.lines[('courses', cid)]}; the proposal shows the first name")
    return cid



def _what_the_proposal_adds(doc: Proposal) -> None:
    """The report entries for what a proposal rendered from the specs shows that the document did not."""
    if not doc.composed:
        doc.report.add(doc.title_line, "generated", "the proposal opens with a note on the track's composition,"
                                                    " written from the courses' statuses")
    doc.report.add(doc.description_line or doc.title_line, "generated",
                   "the proposal shows the track's facts (its duration) under the description, and its notes"
                   " after them")
