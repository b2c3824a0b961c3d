"""PR: requirements (prerequisites and corequisites), of courses and along tracks.

Every rule reads the one requirement graph (`requisites_of(catalog)`, see
`trackdesign.analysis.requisites`): its expressions, its necessary closures and its components.
"""

from __future__ import annotations

from trackdesign.analysis.reduction import reduce
from trackdesign.analysis.requisites import CO, PRE, STRICT, Entry, describe, evaluate, render_path, requisites_of
from trackdesign.spec.problems import Fix, Problem
from trackdesign.lint.registry import rule
from trackdesign.spec.catalog import Catalog
from trackdesign.spec.model import REQUISITE_FIELDS, requirement_ids, stage_item_id


def _chain(catalog: Catalog, source: str, target: str) -> str:
    """'c requires b requires a': how `target` comes to require `source`, for the message."""
    path = requisites_of(catalog).chain(target, source)
    if not path:
        return f"{target} requires ... {source}"
    return " requires ".join(course for course, _ in path)


@rule("PR01", "redundant-prerequisite", fixable=True)
def redundant_prerequisite(context):
    """A requirement already implied by the other requirements of the same course.

    Listing it adds nothing for the learner and makes the prerequisite map harder to read. An
    `any_of` group implies only what all its alternatives imply, so a group never makes a plain
    prerequisite redundant unless every alternative requires it; a corequisite guarantees what it
    requires itself. `--fix` removes the entry. Requirements that imply each other (courses that
    are corequisites of one another) are reported once, as "keep one of", and never removed.

    Bad:
        # intermediate-python-for-data-science requires intro-to-python-for-data-science
        prerequisites:
          - intro-to-python-for-data-science
          - intermediate-python-for-data-science

    Good:
        prerequisites:
          - intermediate-python-for-data-science
    """
    catalog = context.catalog
    requisites = requisites_of(catalog)
    for cid, entries in requisites.entries.items():
        if len(entries) < 2:
            continue
        spec = catalog.courses[cid]
        result = reduce(requisites, cid)
        plain = {e.expr for e in entries if isinstance(e.expr, str) and e.kind != CO}
        for entry, twin in result.repeated:
            yield Problem(spec, f"{entry.kind} {describe(entry.expr)!r} is listed twice", entry.path,
                          hint="remove the second entry", fix=_delete(spec, entry))
        for entry, others in result.redundant:
            if entry.kind == CO and entry.expr in plain:
                continue  # listed as a prerequisite or strict corequisite too: PR09 says so
            yield _redundant(catalog, spec, entry, others)
        for group in result.equivalent:
            names = ", ".join(describe(e.expr) for e in group)
            kinds = f"{group[0].kind}s"
            yield Problem(spec, f"{kinds} {names} imply each other: keep one of {names}", group[-1].path,
                          hint="each requires the others (they are taken together), so one of them says it all",
                          related=[a for e in group for a in e.atoms])


def _redundant(catalog, spec, entry: Entry, others: list[Entry]) -> Problem:
    requisites = requisites_of(catalog)
    what = describe(entry.expr)
    fix = _delete(spec, entry)
    hint = f"remove {what!r} from {entry.field}"
    if len(others) != 1:
        together = ", ".join(repr(describe(o.expr)) for o in others) or "its other requirements"
        return Problem(spec, f"{entry.kind} {what!r} is redundant: already implied by {together} together",
                       entry.path, hint=hint, fix=fix, related=[a for o in others for a in o.atoms[:1]])
    other = others[0]
    hit = entry.expr if isinstance(entry.expr, str) else _held_atom(requisites, entry, other)
    by = describe(other.expr)
    if isinstance(entry.expr, str):
        via = (_chain(catalog, hit, other.expr) if isinstance(other.expr, str)
               else f"every one of {', '.join(other.atoms)}" if other.expr[0] == "any"
               else f"{by} requires it")
        message = f"{entry.kind} {hit!r} is redundant: already required by {by!r} ({via})"
    else:
        message = f"{entry.kind} group {what!r} is redundant: {hit!r} is already required by {by!r}"
    return Problem(spec, message, entry.path, hint=hint, fix=fix, related=[other.atoms[0]])


def _held_atom(requisites, entry: Entry, other: Entry) -> str:
    """The first course of `entry` that `other` guarantees (in the sense `entry`'s list needs)."""
    bits = requisites.contribution(other)
    held = bits.before if entry.kind == PRE else bits.upto
    numbers = requisites.numbering[0]
    return next((a for a in entry.atoms if (held >> numbers[a]) & 1), entry.atoms[0])


#: What a fix expects when the spec's file changed after loading: no value read from YAML equals a
#: tuple, so the fix is skipped as one made for a spec that changed since it was checked.
CHANGED = ("the file changed after it was loaded",)


def _delete(spec, entry: Entry) -> Fix:
    """A fix removing the entry as the file writes it (specs keep their model, not their raw data:
    the file is read again)."""
    data = spec.data_as_loaded()
    expect = data[entry.field][entry.index] if data is not None else CHANGED
    return Fix("delete", entry.path, expect=expect)


@rule("PR02", "prerequisite-cycle", severity="error")
def prerequisite_cycle(context):
    """Courses that require each other in a cycle no order of study can satisfy.

    The message prints the cycle's path (each arrow reads "requires"); every step on it is
    needed, whatever alternative a learner picks, and at least one is a prerequisite, so none of
    these courses can ever be started. Remove one of its edges, or make it a corequisite if the
    courses are meant to be taken together. A cycle a learner can avoid is PR07's.

    Bad:
        # courses/a.yaml            # courses/b.yaml
        prerequisites: [b]          prerequisites: [a]

    Good:
        # courses/a.yaml            # courses/b.yaml
        prerequisites: []           prerequisites: [a]
    """
    catalog = context.catalog
    requisites = requisites_of(catalog)
    for component in requisites.cyclic_components():
        blocked = [c for c in component if c in catalog.courses and requisites.blocked(c)]
        for start in blocked:
            path = requisites.chain(start, start, strictly=True, skip_self=True)
            if path is None:
                continue  # blocked by its own self-reference only: PR04 reports it
            first = path[1][1]
            extra = (f" (one of {len(blocked)} courses that can never be taken)" if len(blocked) > len(path) - 1
                     else "")
            yield Problem(catalog.courses[start], f"prerequisite cycle: {render_path(path)}{extra}", first.path,
                          hint="each arrow reads 'requires'; remove one of these requirements, or make it a"
                               " corequisite if the courses are taken together",
                          related=[c for c in blocked if c != start])
            break


@rule("PR03", "unknown-prerequisite", severity="error")
def unknown_prerequisite(context):
    """A requirement names a course id that has no spec.

    Bad:
        prerequisites: [intermediate-pyhton-for-data-science]

    Good:
        prerequisites: [intermediate-python-for-data-science]
    """
    catalog = context.catalog
    for cid, spec in catalog.courses.items():
        for path, alt in _named(spec.model):
            if catalog.exists("course", alt):  # a file that did not load has its own SP01/SP02
                continue
            close = catalog.close_id("course", alt)
            yield Problem(spec, f"unknown {_kind_of(path)} {alt!r}", path,
                          hint=f"did you mean {close!r}?" if close else f"add courses/{alt}.yaml or fix the id")


def _named(course):
    """(path, course id) for every id the course's requirements name, at any depth."""
    for name in REQUISITE_FIELDS:
        for i, item in enumerate(getattr(course, name)):
            yield from requirement_ids(item, (name, i))


def _kind_of(path: tuple) -> str:
    return {"prerequisites": PRE, "corequisites": CO, "strict_corequisites": STRICT}[path[0]]


@rule("PR04", "self-prerequisite", severity="error")
def self_prerequisite(context):
    """A course lists itself as a prerequisite or corequisite.

    Bad:
        # courses/deep-learning-in-python.yaml
        prerequisites: [deep-learning-in-python]

    Good:
        prerequisites: [intermediate-python-for-data-science]
    """
    for cid, spec in context.catalog.courses.items():
        for path, alt in _named(spec.model):
            if alt == cid:
                yield Problem(spec, f"course {cid!r} lists itself as a {_kind_of(path)}", path, hint="remove the entry")


# --- along a track ---------------------------------------------------------------------------------

def _beside(catalog: Catalog, track) -> list[set[str]]:
    """For each position, the courses taken in the same term: its stage's, or, in a plain list,
    the run of neighbours linked to it by corequisites."""
    courses = track.courses
    if track.stages:
        stage_of: dict[str, set[str]] = {}
        for stage in track.stages:
            members = {stage_item_id(item) for item in stage.courses}
            for cid in members:
                stage_of.setdefault(cid, members)
        return [stage_of.get(cid, {cid}) for cid in courses]
    entries = requisites_of(catalog).entries
    partners = {cid: {a for e in entries.get(cid, ()) if e.kind != PRE for a in e.atoms} for cid in set(courses)}
    beside: list[set[str]] = []
    run: set[str] = set()
    start = 0
    for k, cid in enumerate(courses):
        if run and not any(cid in partners[m] or m in partners[cid] for m in run):
            beside.extend([run] * (k - start))
            run, start = set(), k
        run.add(cid)
    beside.extend([run] * (len(courses) - start))
    return beside


def _track_walk(catalog: Catalog, track):
    """Yield (position, course id, entry, completed before, taken beside) along a track.

    The completed set is one set grown in place (copying it per course is quadratic in a long
    track): read it at once, never keep it.
    """
    requisites = requisites_of(catalog)
    beside = _beside(catalog, track)
    done = requisites.closure(0)
    for entry in track.entry_requirements:
        done.add(entry)
        done.bits |= requisites.upto.get(entry, 0)
    for position, cid in enumerate(track.courses):
        for entry in requisites.entries.get(cid, ()):
            yield position, cid, entry, done, beside[position]
        done.add(cid)
        done.bits |= requisites.upto.get(cid, 0)


def _met(entry: Entry, done, beside: set[str], also=()) -> bool:
    """Whether the entry is met by what is completed (or beside, for a corequisite; a strict
    corequisite only beside), counting the course ids in `also` as completed too."""
    if entry.kind == STRICT:
        return evaluate(entry.expr, lambda a: a in beside or a in also)
    if entry.kind == CO:
        return evaluate(entry.expr, lambda a: a in done or a in beside or a in also)
    return evaluate(entry.expr, lambda a: a in done or a in also)


@rule("PR05", "track-order")
def track_order(context):
    """A track lists a course before one of its prerequisites (or apart from a corequisite).

    Learners follow the track in order, so they would meet the course before what it requires. A
    corequisite may come before its course or beside it (in the same stage, or next to it in a
    plain list); a strict corequisite only beside it.

    Bad:
        courses: [convolutional-neural-networks-for-image-processing, deep-learning-in-python]

    Good:
        courses: [deep-learning-in-python, convolutional-neural-networks-for-image-processing]
    """
    catalog = context.catalog
    for spec in catalog.tracks.values():
        track = spec.model
        position_of = {cid: i for i, cid in reversed(list(enumerate(track.courses)))}
        in_track = set(position_of)
        for position, cid, entry, done, beside in _track_walk(catalog, track):
            if _met(entry, done, beside) or not _met(entry, done, beside | in_track, in_track):
                continue  # satisfied, or PR06's business
            later = [a for a in entry.atoms if a in in_track and a != cid
                     and (entry.kind == STRICT or a not in done) and (entry.kind == PRE or a not in beside)]
            if not later:
                continue
            other = later[0]
            if entry.kind == STRICT:
                message = (f"strict corequisite {other!r} of {cid!r} (course {position + 1}) is not beside it"
                           f" (course {position_of[other] + 1})")
                hint = f"put {other!r} next to {cid!r}, or in the same stage"
            else:
                message = (f"{cid!r} (course {position + 1}) comes before its {entry.kind} {other!r}"
                           f" (course {position_of[other] + 1})")
                hint = f"move {other!r} before {cid!r}" + (" or next to it" if entry.kind == CO else "")
            yield Problem(spec, message, track.course_path(position), hint=hint, related=[cid, other])


@rule("PR06", "prerequisite-outside-track")
def prerequisite_outside_track(context):
    """A course's requirement is neither earlier in the track nor assumed by the track.

    Assumed means listed in the track's `entry_requirements` or required by one of them. A learner
    who starts the track ready for it would still be stopped at this course.

    Bad:
        entry_requirements: [supervised-learning-with-scikit-learn]
        courses: [deep-learning-with-pytorch]   # requires object-oriented-programming-in-python

    Good:
        entry_requirements: [supervised-learning-with-scikit-learn, object-oriented-programming-in-python]
        courses: [deep-learning-with-pytorch]
    """
    catalog = context.catalog
    for spec in catalog.tracks.values():
        track = spec.model
        in_track = set(track.courses)
        for position, cid, entry, done, beside in _track_walk(catalog, track):
            if evaluate(entry.expr, lambda a: a in done or a in in_track or a in beside):
                continue  # satisfied, or PR05's business
            first = next((a for a in entry.atoms if a not in done and a not in in_track), entry.atoms[0])
            yield Problem(spec, f"{entry.kind} {describe(entry.expr)!r} of {cid!r} (course {position + 1}) is"
                          " neither earlier in the track nor an entry requirement", track.course_path(position),
                          hint=f"add {first!r} to entry_requirements, or to the track before {cid!r}",
                          related=[cid])


@rule("PR07", "alternative-cycle")
def alternative_cycle(context):
    """Courses that require each other in a cycle a learner can avoid by an alternative.

    Nobody is blocked (unlike PR02): somewhere on the cycle a course accepts any of several
    courses, and one outside the cycle breaks it. Such cycles usually come from a catalog's
    "A or B" written on both courses; check the alternatives say what is meant. Cycles made only
    of corequisites are courses taken together and are not reported.

    Bad:
        # courses/a.yaml                      # courses/b.yaml
        prerequisites: [{any_of: [b, c]}]     prerequisites: [a]

    Good:
        # courses/a.yaml                      # courses/b.yaml
        prerequisites: [c]                    prerequisites: [a]
    """
    catalog = context.catalog
    requisites = requisites_of(catalog)
    for component in requisites.cyclic_components():
        members = [c for c in component if c in catalog.courses]
        if len(component) < 2 or any(requisites.blocked(c) for c in members):
            continue
        found = _alternative_cycle(requisites, component)
        if found is None:
            continue  # corequisites only: a group taken together
        start, path, breaks = found
        extra = f" (one of {len(members)} courses that require each other)" if len(members) > len(path) - 1 else ""
        yield Problem(catalog.courses[start], f"cycle through alternatives: {render_path(path, groups=False)}{extra};"
                      f" nobody is blocked: {'; '.join(breaks)}", path[1][1].path,
                      hint="each arrow reads 'requires'; check the alternatives say what the catalog means",
                      related=[c for c in members if c != start])


def _alternative_cycle(requisites, component: list[str]):
    """(start, path, what breaks it) for a cycle through a prerequisite in `component`, or None."""
    inside = set(component)
    for start in component:
        for entry in requisites.entries.get(start, ()):
            if entry.kind != PRE:
                continue
            for first in entry.atoms:
                if first not in inside:
                    continue
                back = _within(requisites, first, start, inside)
                if back is None:
                    continue
                path = [(start, None), (first, entry)] + back[1:]
                breaks = []
                for (course, _), (nxt, how) in zip(path, path[1:]):
                    if how is not None and not _necessary(how.expr, nxt):
                        others = [a for a in how.atoms if a != nxt]
                        breaks.append(f"{course!r} accepts {describe(how.expr)!r}"
                                      + (f", so {', '.join(others[:3])} instead of {nxt!r}" if others else ""))
                if breaks:
                    return start, path, breaks
    return None


def _necessary(expr, course: str) -> bool:
    """Whether every way of meeting `expr` takes `course`."""
    if isinstance(expr, str):
        return expr == course
    test = any if expr[0] == "all" else all
    return test(_necessary(part, course) for part in expr[1])


def _within(requisites, source: str, target: str, inside: set[str]):
    """A shortest path source -> ... -> target over any requirement, inside one component."""
    from collections import deque

    previous: dict[str, tuple[str, Entry]] = {}
    queue = deque([source])
    seen = {source}
    while queue:
        cid = queue.popleft()
        for entry in requisites.entries.get(cid, ()):
            for a in entry.atoms:
                if a not in inside or a in seen:
                    continue
                seen.add(a)
                previous[a] = (cid, entry)
                if a == target:
                    path = [(a, entry)]
                    node = cid
                    while node != source:
                        before, how = previous[node]
                        path.append((node, how))
                        node = before
                    return [(source, None)] + path[::-1]
                queue.append(a)
    return None


@rule("PR08", "unsatisfiable-requisites", severity="error")
def unsatisfiable_requisites(context):
    """A strict corequisite that the course also needs strictly before it, so no term fits both.

    A strict corequisite is taken in the same term as its course; if the course also requires it
    earlier (through a prerequisite that requires it, or listing it as a prerequisite too), no
    learner can satisfy both. CurricularAnalytics rejects such a curriculum as invalid.

    Bad:
        # courses/b.yaml                         # courses/a.yaml
        prerequisites: [a]                       prerequisites: [c]
        strict_corequisites: [c]

    Good:
        # courses/b.yaml                         # courses/a.yaml
        prerequisites: [a]                       prerequisites: []
        strict_corequisites: [c]
    """
    catalog = context.catalog
    requisites = requisites_of(catalog)
    names = requisites.numbering[1]
    for cid, spec in catalog.courses.items():
        torn = requisites.torn(cid)
        if not torn or requisites.blocked(cid):
            continue
        partner = names[(torn & -torn).bit_length() - 1]
        path = requisites.chain(cid, partner, strictly=True)
        how = f" ({render_path(path)})" if path else ""
        entry = next((e for e in requisites.entries[cid] if e.kind == STRICT
                      and requisites.contribution(e).together & requisites.bit(partner)), requisites.entries[cid][0])
        yield Problem(spec, f"{partner!r} must be taken in the same term as {cid!r} (a strict corequisite) and"
                      f" also before it{how}", entry.path,
                      hint="make it a corequisite (same term or earlier), or drop the requirement that puts it earlier",
                      related=[partner])


@rule("PR09", "prerequisite-and-corequisite")
def prerequisite_and_corequisite(context):
    """A course listed as two kinds of requirement of the same course.

    A prerequisite comes before the course, a corequisite may come in the same term: listing one
    course as both leaves the reader to guess which is meant (as a strict corequisite and a
    prerequisite, it cannot be both: PR08).

    Bad:
        prerequisites: [linguistics-101]
        corequisites: [linguistics-101]

    Good:
        corequisites: [linguistics-101]
    """
    catalog = context.catalog
    for cid, entries in requisites_of(catalog).entries.items():
        first: dict[str, Entry] = {}
        for entry in entries:
            if not isinstance(entry.expr, str):
                continue
            seen = first.setdefault(entry.expr, entry)
            if seen.kind == entry.kind or {seen.kind, entry.kind} == {PRE, STRICT}:
                continue
            yield Problem(catalog.courses[cid], f"{entry.expr!r} is both a {seen.kind} and a {entry.kind}"
                          f" of {cid!r}", entry.path,
                          hint=f"keep it under {seen.field} if it must come first, under {entry.field} if not",
                          related=[entry.expr])


@rule("PR10", "course-listed-twice")
def course_listed_twice(context):
    """A track lists the same course twice in its `courses`, or twice in one stage.

    Learners take a course once; a second mention is usually a slip of copy and paste. A course
    started in one stage and completed in a later one is fine.

    Bad:
        courses: [intro-to-python, intermediate-python, intro-to-python]

    Good:
        courses: [intro-to-python, intermediate-python]
    """
    for spec in context.catalog.tracks.values():
        track = spec.model
        lists = [(("stages", s, "courses"), [stage_item_id(i) for i in stage.courses])
                 for s, stage in enumerate(track.stages)]
        if track.course_path(0)[0] == "courses":  # written, not gathered from the stages
            lists.insert(0, (("courses",), list(track.courses)))
        for base, ids in lists:
            first: dict[str, int] = {}
            for k, cid in enumerate(ids):
                if cid in first:
                    where = "the track" if base == ("courses",) else f"stage {base[1] + 1}"
                    yield Problem(spec, f"{cid!r} is listed twice in {where} (items {first[cid] + 1} and {k + 1})",
                                  (*base, k), hint="remove the second mention", related=[cid])
                else:
                    first[cid] = k
