"""The data of `report compare`: tracks side by side, and what only a tool can add.

The first table is the one curriculum writers draw by hand (focus, duration, instructor,
prerequisites, audience); below it come the courses the tracks share, the overlap between their
courses, and whether completing one track meets the other's entry requirements.
"""

from __future__ import annotations

from itertools import combinations, permutations

from trackdesign.analysis.requisites import guaranteed
from trackdesign.documents.prepare import course_title, relative, track_doc, track_facts

#: (row label, fact): the notes' table calls entry requirements "Prerequisites"
ROWS = (("Provider", "Provider"), ("Kind", "Kind"), ("Instructor", "Instructor"), ("Focus", "Focus"),
        ("Duration", "Duration"), ("Prerequisites", "Entry requirements"), ("Audience", "Audience"),
        ("Cost", "Cost"), ("Web page", "Web page"))


def compare_doc(track_ids) -> str:
    return "compare/" + "--".join(track_ids)


def comparisons(catalog) -> list[tuple[str, ...]]:
    """The comparisons the specs ask for (`compare_with`), each once, in a stable order."""
    wanted = set()
    for tid, spec in catalog.tracks.items():
        for other in spec.model.compare_with:
            if other in catalog.tracks and other != tid:
                wanted.add(tuple(sorted((tid, other))))
    return sorted(wanted)


def satisfaction(catalog, before: str, after: str) -> dict:
    """Whether completing track `before` meets each entry requirement of track `after`.

    A course requirement is met when `before` contains the course or guarantees it (a prerequisite of
    one of its courses); a knowledge requirement when `before`'s courses teach every term it covers.
    """
    from trackdesign.analysis.coverage import teaches, terms_of

    first, second = catalog.tracks[before].model, catalog.tracks[after].model
    words = {cid: terms_of(catalog, cid) for cid in first.courses if cid in catalog.courses}
    items = []
    for cid in second.entry_requirements:
        why = _course_met(catalog, first, cid)
        items.append({"requirement": course_title(catalog, cid), "met": why is not None, "evidence": [why] if why else [],
                      "missing": [] if why else [course_title(catalog, cid)]})
    for skill in second.entry_skills:
        evidence, missing = [], []
        for term in skill.covers:
            teachers = [course_title(catalog, c) for c in words if teaches(words[c], term)]
            if teachers:
                evidence.append(f"{term}: {', '.join(teachers)}")
            else:
                missing.append(term)
        met = bool(skill.covers) and not missing
        items.append({"requirement": skill.name, "met": met, "evidence": evidence,
                      "missing": missing if skill.covers else ["(no `covers` terms to check it by)"]})
    return {"before": first.title, "after": second.title, "requirements": items,
            "met": all(i["met"] for i in items)}


def _course_met(catalog, track, cid) -> str | None:
    """How completing `track` implies having completed course `cid`, or None."""
    if cid in track.courses:
        return f"course {track.courses.index(cid) + 1} of the track"
    for other in track.courses:
        if cid in guaranteed(catalog).get(other, frozenset()):
            return f"required by {course_title(catalog, other)}"
    if cid in track.entry_requirements:
        return "an entry requirement of both"
    for other in track.entry_requirements:
        if cid in guaranteed(catalog).get(other, frozenset()):
            return f"required by {course_title(catalog, other)}, an entry requirement of both"
    return None


def compare(catalog, config, track_ids) -> dict:
    from trackdesign.analysis.judgement import judge
    from trackdesign.analysis.overlap import index_for
    from trackdesign.lint.rules.overlap import configured

    here = compare_doc(track_ids)
    tracks = [catalog.tracks[t].model for t in track_ids]
    facts = [track_facts(catalog, t) for t in tracks]
    rows = [(label, [f[key] or ("None" if key == "Entry requirements" else None) for f in facts])
            for label, key in ROWS if any(f[key] for f in facts) or key == "Entry requirements"]
    shared = []
    for cid in dict.fromkeys(c for t in tracks for c in t.courses):
        holders = [t.title for t in tracks if cid in t.courses]
        if len(holders) > 1:
            shared.append({"title": course_title(catalog, cid), "url": catalog.course(cid).url if catalog.course(cid) else None,
                           "tracks": holders})
    method, threshold = configured(config)
    index = index_for(catalog, method)
    overlaps = []
    for (ta, a), (tb, b) in combinations(list(zip(track_ids, tracks)), 2):
        left = [c for c in a.courses if c in index and c not in b.courses]
        right = [c for c in b.courses if c in index and c not in a.courses]
        for pair in index.pairs_between(left, right, min(threshold, 0.1), top=10):
            a_id, b_id = pair.a, pair.b  # judge orders a sequel's pair: keep each course with its track
            pair = judge(index, catalog, pair, threshold)
            overlaps.append({"a": course_title(catalog, a_id), "a_track": catalog.tracks[ta].model.title,
                             "b": course_title(catalog, b_id), "b_track": catalog.tracks[tb].model.title,
                             "score": pair.score, "fields": [(n, pair.fields[n]) for n in pair.drivers],
                             "terms": pair.terms, "flagged": pair.flagged})
    overlaps.sort(key=lambda o: -o["score"])
    return {
        "kind": "compare",
        "doc": here,
        "title": "Comparison: " + " vs. ".join(t.title for t in tracks),
        "tracks": [{"id": tid, "title": t.title, "proposal": relative(here, track_doc(tid, "proposal"))}
                   for tid, t in zip(track_ids, tracks)],
        "rows": rows,
        "shared": shared,
        "overlap_threshold": threshold,
        "overlaps": overlaps,
        "entry": [satisfaction(catalog, a, b) for a, b in permutations(track_ids, 2)
                  if catalog.tracks[b].model.entry_requirements or catalog.tracks[b].model.entry_skills],
        "no_entry": [t.title for t in tracks if not t.entry_requirements and not t.entry_skills],
        "index": relative(here, "index"),
    }
