"""The data each document shows, computed from the catalog before any template runs.

Templates only lay out what is prepared here, so the Markdown and HTML versions of a document
say the same things, and every number or judgement in a report is testable without rendering.
Links between documents are paths relative to the reports folder, without extension (the
template adds `.md` or `.html`), following the layout `trackdesign build` writes.
"""

from __future__ import annotations

import posixpath
from collections import Counter
from dataclasses import dataclass, field

from trackdesign.lint.findings import severity_rank
from trackdesign.documents.maps import LEGEND, NEW_STATUSES, build_map, cycle_text
from trackdesign.spec.model import AnyOf, PrerequisiteCourse

NUMBER_WORDS = "zero one two three four five six seven eight nine ten eleven twelve".split()


def track_doc(track_id: str, name: str) -> str:
    return f"tracks/{track_id}/{name}"


def course_doc(course_id: str) -> str:
    return f"courses/{course_id}"


def relative(here: str, target: str) -> str:
    """`target` as seen from the document `here` (both relative to the reports folder)."""
    return posixpath.relpath(target, posixpath.dirname(here) or ".")


def long_date(value) -> str:
    return f"{value:%B} {value.day}, {value.year}" if value else ""


def count_words(n: int) -> str:
    return NUMBER_WORDS[n] if n < len(NUMBER_WORDS) else str(n)


def _has_outline(course) -> bool:
    return bool(course.chapters)


@dataclass
class Prereq:
    """One prerequisite line: one course, or a group of alternatives."""

    choices: list[dict]  # {"title", "url", "id", "known"}
    notes: list[str] = field(default_factory=list)


def prerequisites_of(catalog, course) -> list[Prereq]:
    result = []
    for item in course.prerequisites:
        if isinstance(item, AnyOf):
            ids, notes = item.any_of, item.notes
        elif isinstance(item, PrerequisiteCourse):
            ids, notes = [item.course], item.notes
        else:
            ids, notes = [item], []
        choices = []
        for cid in ids:
            other = catalog.course(cid)
            choices.append({"id": cid, "title": other.title if other else cid, "url": other.url if other else None,
                            "known": other is not None})
        result.append(Prereq(choices, list(notes)))
    return result


def _composition(entries) -> str:
    """'six existing courses (1, 2, 3, 4, 7, 8) and two newly proposed courses (5, 6)'; a course the
    track names without a spec is counted too, as such, for the note to add up to the track."""
    groups = {"existing": [], "newly proposed": [], "in development": [], "retired": [], "without a spec": []}
    for entry in entries:
        status = entry["status"]
        key = {"proposed": "newly proposed", "in-development": "in development", "retired": "retired",
               "unknown": "without a spec"}.get(status, "existing")
        groups[key].append(str(entry["number"]))
    parts = []
    for name, numbers in groups.items():
        if numbers:
            noun = "course" if len(numbers) == 1 else "courses"
            after = name in ("in development", "without a spec")  # "two courses in development"
            phrase = f"{count_words(len(numbers))} {noun} {name}" if after else f"{count_words(len(numbers))} {name} {noun}"
            parts.append(f"{phrase} ({', '.join(numbers)})")
    if len(parts) > 1:
        return ", ".join(parts[:-1]) + " and " + parts[-1]
    return parts[0] if parts else "no courses"


KIND_PLURALS = {"course": "courses", "programme": "programmes", "video": "videos", "book": "books",
                "article": "articles", "project": "projects", "event": "events", "activity": "activities"}


def _kinds(entries) -> str:
    """'two courses, ten videos and one book': what a curriculum of mixed resources holds."""
    counts = Counter(e["kind"] for e in entries)
    parts = [f"{count_words(n)} {kind if n == 1 else KIND_PLURALS[kind]}" for kind, n in
             sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))]
    return ", ".join(parts[:-1]) + " and " + parts[-1] if len(parts) > 1 else (parts[0] if parts else "nothing")


def course_title(catalog, cid: str) -> str:
    """A course's title, or its id when no spec has it (reports still show something)."""
    course = catalog.course(cid)
    return course.title if course else cid


def entry_requirements(catalog, track) -> list[str]:
    """What a learner must bring: entry courses by title, then entry knowledge by name."""
    return [course_title(catalog, c) for c in track.entry_requirements] + [s.name for s in track.entry_skills]


def track_facts(catalog, track) -> dict[str, str | None]:
    """The facts a reader compares tracks by, in the order of the Coursera notes' table."""
    return {"Provider": track.provider, "Kind": kind_label(track.kind).lower(), "Instructor": track.instructor,
            "Focus": track.focus, "Duration": duration(catalog, track),
            "Entry requirements": "; ".join(entry_requirements(catalog, track)) or None,
            "Audience": track.audience, "Cost": track.cost, "Web page": track.url}


def duration(catalog, track) -> str:
    """'5 courses, 20 hours' from the specs, with the provider's own words when given."""
    resources = [catalog.course(c) for c in track.courses]
    kinds = Counter(c.kind if c else "course" for c in resources)
    noun = "courses" if set(kinds) == {"course"} else "resources"
    parts = [f"{len(track.courses)} {noun if len(track.courses) != 1 else noun[:-1]}"
             + (f" in {len(track.stages)} stages" if len(track.stages) > 1 else "")]
    hours = [c.hours for c in resources if c and c.hours is not None]
    if hours:
        parts.append(f"{sum(hours):g} hours" + ("" if len(hours) == len(resources) else f" for {len(hours)} of them"))
    text = ", ".join(parts)
    return f"{text}; {track.duration}" if track.duration else text


def _course_entry(catalog, here, track_id, number, cid) -> dict:
    course = catalog.course(cid)
    if course is None:
        return {"number": number, "id": cid, "missing": True, "status": "unknown", "kind": "course"}
    others = [t for t in catalog.tracks_of(cid) if t != track_id]
    facts = [value for value in (course.kind if course.kind != "course" else None, course.provider,
                                 course.instructor, course.cost) if value]
    return {
        "number": number,
        "id": cid,
        "missing": False,
        "title": course.title,
        "url": course.url,
        "status": course.status,
        "kind": course.kind,
        "facts": facts,
        "new": course.status in NEW_STATUSES,
        "outline": relative(here, course_doc(cid)) if _has_outline(course) else course.outline_link,
        "outline_elsewhere": not _has_outline(course) and bool(course.outline_link),  # a link, not one of ours
        "notes": course.notes,
        "description": course.description,
        "quoted": course.status not in NEW_STATUSES and course.status != "external",
        "live_since": long_date(course.live_since),
        "expected_live": long_date(course.expected_live) if course.status in NEW_STATUSES else "",
        "objectives": course.objectives,
        "prerequisites": prerequisites_of(catalog, course),
        # "None" only where the spec says so: a spec that says nothing (like the document it was
        # imported from) gets no prerequisites line rather than a claim that there are none
        "prerequisites_stated": bool(course.prerequisites) or "prerequisites" in course.model_fields_set,
        "brief": course.external and not course.objectives and not course.prerequisites,
        "also_in": [{"title": catalog.tracks[t].model.title, "link": relative(here, track_doc(t, "proposal"))}
                    for t in others],
    }


def proposal(catalog, track_id: str) -> dict:
    """The track proposal: courses in order with their notes, descriptions and objectives, grouped by stage when the track has stages."""
    from trackdesign.spec.model import stage_item_id

    here = track_doc(track_id, "proposal")
    track = catalog.tracks[track_id].model
    numbers = {cid: n for n, cid in enumerate(track.courses, 1)}
    entries = [_course_entry(catalog, here, track_id, numbers[cid], cid) for cid in track.courses]
    if track.stages:
        sections, shown = [], set()
        for stage in track.stages:
            items = []
            for item in stage.courses:
                cid = stage_item_id(item)
                entry = entries[numbers[cid] - 1]
                note = None if isinstance(item, str) else item.note
                items.append({**entry, "stage_note": note, "repeat": cid in shown})
                shown.add(cid)
            sections.append({"stage": stage, "courses": items})
    else:
        sections = [{"stage": None, "courses": [{**e, "stage_note": None, "repeat": False} for e in entries]}]
    known = [e for e in entries if not e["missing"]]
    mixed = any(e["kind"] != "course" for e in known)
    return {
        "kind": "proposal",
        "doc": here,
        "title": f"{kind_label(track.kind)}: {track.title}",
        "track_title": track.title,
        "description": track.description,
        "facts": [(label, value) for label, value in track_facts(catalog, track).items()
                  if value and label != "Kind"],  # the kind heads the title
        "composition": _kinds(known) if mixed else _composition(entries),
        "has_existing": any(e["quoted"] for e in known),
        "task_analysis": relative(here, track_doc(track_id, "task-analysis")),
        "index": relative(here, "index"),
        "sections": sections,
        "courses": entries,
        "notes": track.notes,
    }


def kind_label(kind: str) -> str:
    return {"skill": "Skill Track", "career": "Career Track", "specialization": "Specialization",
            "programme": "Programme", "self-paced": "Self-paced Curriculum", "self-made": "Self-made Curriculum"}[kind]


def outline(catalog, course_id: str) -> dict:
    """A course outline: the structure of reference/CourseOutline.md."""
    here = course_doc(course_id)
    course = catalog.course(course_id)
    chapters = []
    for c, chapter in enumerate(course.chapters, 1):
        lessons = [{"number": f"{c}.{k}", "title": lesson.title, "objectives": lesson.objectives,
                    "notes": lesson.notes, "references": lesson.references}
                   for k, lesson in enumerate(chapter.lessons, 1)]
        chapters.append({"number": c, "title": chapter.title, "notes": chapter.notes, "lessons": lessons})
    tracks = [{"title": catalog.tracks[t].model.title, "link": relative(here, track_doc(t, "proposal"))}
              for t in catalog.tracks_of(course_id)]
    return {
        "kind": "outline",
        "doc": here,
        "title": course.title,
        "id": course_id,
        "status": course.status,
        "url": course.url,
        "objectives": course.objectives,
        "prerequisites": prerequisites_of(catalog, course),
        "chapters": chapters,
        "references": course.references,
        "outline_notes": course.outline_notes,
        "tracks": tracks,
        "index": relative(here, "index"),
        "lessons": sum(len(ch["lessons"]) for ch in chapters),
    }


def track_overlaps(catalog, config, course_ids, top: int, subject: str = "") -> tuple[float, list]:
    """(OV01's threshold, the `top` most similar pairs of the courses of a track titled `subject`,
    judged as OV01 judges them)."""
    from trackdesign.analysis.judgement import judged_track
    from trackdesign.analysis.overlap import index_for
    from trackdesign.lint.rules.overlap import configured

    method, threshold = configured(config)
    pairs = judged_track(index_for(catalog, method), catalog, course_ids, threshold, floor=min(threshold, 0.1),
                         subject=subject)
    return threshold, pairs[:top]


def task_analysis(catalog, config, track_id: str, findings) -> dict:
    """The task analysis of reference/TaskAnalysis.md, plus the map, coverage, overlap and findings."""
    here = track_doc(track_id, "task-analysis")
    spec = catalog.tracks[track_id]
    track = spec.model
    numbers = {cid: n for n, cid in reversed(list(enumerate(track.courses, 1)))}

    def course_ref(cid):
        course = catalog.course(cid)
        return {"id": cid, "title": course.title if course else cid, "url": course.url if course else None,
                "number": numbers.get(cid), "live_since": course.live_since if course else None,
                "status": course.status if course else "unknown"}

    portfolio = track.portfolio
    in_track = [cid for cid in track.courses if cid in catalog.courses]
    threshold, pairs = track_overlaps(catalog, config, in_track, top=12, subject=track.title)
    ordered = [(p, *sorted((p.a, p.b), key=lambda c: numbers[c])) for p in pairs]
    overlaps = [{"a": course_ref(a), "b": course_ref(b), "score": p.score,
                 "fields": [(name, p.fields[name]) for name in p.drivers], "terms": p.terms,
                 "flagged": p.flagged, "sequel": p.sequel, "repeats": p.repeats,
                 "similar": [u.as_dict() for u in p.similar]} for p, a, b in ordered]
    files = {s.display: s for s in [spec, *(catalog.courses[c] for c in in_track)]}
    mine = [{"code": f.code, "severity": f.severity, "message": f.message, "line": f.line,
             "file": f"{files[f.path].kind}s/{files[f.path].file.name}"} for f in findings if f.path in files]
    names = {f.code: f.name for f in findings}
    by_rule = Counter((f["code"], names[f["code"]], f["severity"]) for f in mine)
    pmap = build_map(catalog, track_id)
    return {
        "kind": "task-analysis",
        "doc": here,
        "title": "Task Analysis",
        "track_title": track.title,
        "provider": track.provider,
        "proposal": relative(here, track_doc(track_id, "proposal")),
        "index": relative(here, "index"),
        "requirements": track.requirements,
        "relevant": [course_ref(cid) for cid in (portfolio.relevant if portfolio else [])],
        "in_development": portfolio.in_development if portfolio else [],
        "roadmap": portfolio.source if portfolio else None,
        "competitors": track.competitors,
        "bibliography": track.bibliography,
        "map": pmap,
        "legend": [(role, LEGEND[role]) for role in LEGEND if any(n.role == role for n in pmap.nodes)],
        "redundant_edges": sum(e.redundant for e in pmap.edges),
        "groups": len(pmap.groups),
        "cycles": [cycle_text(pmap, path) for path in pmap.cycles],
        "alignment": alignment_view(catalog, track_id),
        "alignment_doc": relative(here, track_doc(track_id, "alignment")),
        "overlap_threshold": threshold,
        "overlaps": overlaps,
        "findings": sorted(mine, key=lambda f: (-severity_rank(f["severity"]), f["code"], f["file"], f["line"])),
        "findings_by_rule": sorted(((code, name, severity, n) for (code, name, severity), n in by_rule.items()),
                                   key=lambda r: (-severity_rank(r[2]), r[0])),
    }


def alignment_view(catalog, track_id: str) -> dict:
    """The alignment matrix as templates show it: a row group per specification, cells with why."""
    from trackdesign.analysis.alignment import LEGEND as LEVEL_LEGEND
    from trackdesign.analysis.alignment import LEVELS, alignment
    from trackdesign.analysis.bloom import LEVEL_NAMES

    matrix = alignment(catalog, track_id)
    idle = set(matrix.idle)
    rows = []
    for k, row in enumerate(matrix.rows):
        first = k == 0 or matrix.rows[k - 1].requirement != row.requirement
        span = sum(1 for _ in _same_requirement(matrix.rows, k)) if first else 0
        cells = [{"level": cell.level, "name": LEVELS.get(cell.level, ""), "css": f"lv-{cell.level}" if cell.level else "",
                  "why": "; ".join(f"{text} ({LEVEL_NAMES.get(level, 'verb not in the Bloom lists')})"
                                   for text, level in cell.objectives)} for cell in row.cells]
        rows.append({"requirement": row.requirement, "term": row.term, "span": span, "served": row.served,
                     "cells": cells})
    courses = [{**c, "idle": k in idle} for k, c in enumerate(matrix.courses)]
    return {"courses": courses, "rows": rows, "legend": LEVEL_LEGEND, "without_terms": matrix.without_terms,
            "gaps": [row.term for row in matrix.gaps], "idle": [courses[k] for k in sorted(idle)]}


def _same_requirement(rows, k):
    for row in rows[k:]:
        if row.requirement != rows[k].requirement:
            return
        yield row


def alignment_doc(catalog, track_id: str) -> dict:
    """The alignment matrix of a track as a document of its own."""
    here = track_doc(track_id, "alignment")
    return {"kind": "alignment", "doc": here, "title": "Alignment matrix",
            "track_title": catalog.tracks[track_id].model.title, "index": relative(here, "index"),
            "proposal": relative(here, track_doc(track_id, "proposal")),
            "task_analysis": relative(here, track_doc(track_id, "task-analysis")),
            "alignment": alignment_view(catalog, track_id)}


def index(catalog) -> dict:
    """The index page: every track with its documents, every course with its outline."""
    tracks = [{"id": tid, "title": spec.model.title, "courses": len(spec.model.courses),
               "proposal": track_doc(tid, "proposal"), "task_analysis": track_doc(tid, "task-analysis"),
               "alignment": track_doc(tid, "alignment")}
              for tid, spec in sorted(catalog.tracks.items(), key=lambda kv: (kv[1].model.title.lower(), kv[0]))]
    courses = [{"id": cid, "title": spec.model.title, "status": spec.model.status,
                "lessons": sum(len(ch.lessons) for ch in spec.model.chapters),
                "tracks": [{"title": catalog.tracks[t].model.title, "proposal": track_doc(t, "proposal")}
                           for t in catalog.tracks_of(cid)], "outline": course_doc(cid)}
               for cid, spec in sorted(catalog.courses.items(), key=lambda kv: (kv[1].model.title.lower(), kv[0]))]
    from trackdesign.documents.compare import compare_doc, comparisons

    compared = [{"title": " vs. ".join(catalog.tracks[t].model.title for t in pair), "doc": compare_doc(pair)}
                for pair in comparisons(catalog)]
    return {"kind": "index", "doc": "index", "index": "index", "title": "Track design documents", "tracks": tracks,
            "courses": courses, "comparisons": compared}
