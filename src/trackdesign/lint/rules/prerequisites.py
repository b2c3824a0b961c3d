"""PR: prerequisites, of courses and along tracks."""

from __future__ import annotations

import difflib

from trackdesign.spec.problems import Fix, Problem
from trackdesign.lint.registry import rule
from trackdesign.spec.catalog import Catalog
from trackdesign.spec.model import AnyOf


def _describe(alts: tuple[str, ...]) -> str:
    return alts[0] if len(alts) == 1 else "any of " + ", ".join(alts)


def _chain(catalog: Catalog, source: str, target: str) -> str:
    """'c requires b requires a': how `target` comes to require `source`, for the message."""
    import networkx as nx  # imported when a rule needs a graph algorithm: start-up stays light

    try:
        return " requires ".join(reversed(nx.shortest_path(catalog.graph, source, target)))
    except (nx.NetworkXNoPath, nx.NodeNotFound):
        return f"{target} requires ... {source}"


@rule("PR01", "redundant-prerequisite", fixable=True)
def redundant_prerequisite(context):
    """A prerequisite already implied by another prerequisite of the same course.

    Listing it adds nothing for the learner and makes the prerequisite map harder to read. An
    `any_of` group implies only what all its alternatives imply, so a group never makes a plain
    prerequisite redundant unless every alternative requires it. `--fix` removes the entry.

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
    for cid in catalog.requirements:
        spec = catalog.courses[cid]
        for i, alts, hit, other in redundancies(catalog, cid):
            fix = Fix("delete", ("prerequisites", i), expect=_raw(spec, i))
            if hit is None:
                yield Problem(spec, f"prerequisite {_describe(alts)!r} is listed twice", ("prerequisites", i),
                              hint="remove the second entry", fix=fix)
                continue
            via = _chain(catalog, hit, other[0]) if len(other) == 1 else f"every one of {', '.join(other)}"
            message = f"prerequisite {hit!r} is redundant: already required by {_describe(other)!r} ({via})"
            if len(alts) > 1:
                message = (f"prerequisite group {_describe(alts)!r} is redundant: {hit!r} is already"
                           f" required by {_describe(other)!r}")
            yield Problem(spec, message, ("prerequisites", i), hint=f"remove {_describe(alts)!r} from prerequisites",
                          fix=fix, related=[other[0]])


def redundancies(catalog: Catalog, cid: str):
    """Yield (index, alternatives, implied id or None for a repeat, implying entry) per redundant entry.

    Shared by PR01 and the prerequisite map, which draws these edges differently.
    """
    entries = catalog.requirements.get(cid, [])
    if cid in catalog.cyclic or len(entries) < 2:
        return
    for i, alts in entries:
        for j, other in entries:
            if j == i:
                continue
            if other == alts:
                if j < i:
                    yield i, alts, None, other
                    break
                continue
            implied = catalog.implied_by(other)
            hit = next((a for a in alts if a in implied), None)
            if hit is not None:
                yield i, alts, hit, other
                break


#: What a fix expects when the spec's file changed after loading: no value read from YAML equals a
#: tuple, so the fix is skipped as one made for a spec that changed since it was checked.
CHANGED = ("the file changed after it was loaded",)


def _raw(spec, index):
    """The entry as the file writes it (specs keep their model, not their raw data: read again)."""
    data = spec.data_as_loaded()
    return data["prerequisites"][index] if data is not None else CHANGED


@rule("PR02", "prerequisite-cycle", severity="error")
def prerequisite_cycle(context):
    """Courses that require each other in a cycle, so no learner can ever start them.

    The message prints the cycle's path; remove one of its edges.

    Bad:
        # courses/a.yaml            # courses/b.yaml
        prerequisites: [b]          prerequisites: [a]

    Good:
        # courses/a.yaml            # courses/b.yaml
        prerequisites: []           prerequisites: [a]
    """
    import networkx as nx

    catalog = context.catalog
    graph = catalog.graph
    for component in nx.strongly_connected_components(graph):
        if len(component) < 2:
            continue
        start = min(component)
        sub = graph.subgraph(component)
        # a shortest cycle through `start`: from start to one of its prerequisites inside the component
        best = None
        for pred in sorted(sub.predecessors(start)):
            path = nx.shortest_path(sub, start, pred)
            if best is None or len(path) < len(best):
                best = path
        cycle = best + [start]  # prerequisite -> ... -> course, read as "is required by"
        spec = catalog.courses[start]
        index = next(i for i, alts in catalog.requirements[start] if cycle[-2] in alts)
        extra = f" (one of {len(component)} courses that require each other)" if len(component) > len(cycle) - 1 else ""
        yield Problem(spec, "prerequisite cycle: " + " -> ".join(reversed(cycle)) + extra,
                      ("prerequisites", index),
                      hint="each arrow reads 'requires'; remove one of these prerequisites",
                      related=sorted(component - {start}))


@rule("PR03", "unknown-prerequisite", severity="error")
def unknown_prerequisite(context):
    """A prerequisite names a course id that has no spec.

    Bad:
        prerequisites: [intermediate-pyhton-for-data-science]

    Good:
        prerequisites: [intermediate-python-for-data-science]
    """
    catalog = context.catalog
    buckets: dict[str, list[str]] = {}
    for cid in catalog.courses:
        buckets.setdefault(cid.split("-")[0], []).append(cid)
    suggestions: dict[str, list[str]] = {}

    def suggest(alt):
        if alt not in suggestions:  # ids sharing the first word and about the same length only
            near = [c for c in buckets.get(alt.split("-")[0], []) if abs(len(c) - len(alt)) <= 3]
            suggestions[alt] = difflib.get_close_matches(alt, near, n=1)
        return suggestions[alt]
    for cid, entries in catalog.requirements.items():
        spec = catalog.courses[cid]
        for i, alts in entries:
            for k, alt in enumerate(alts):
                if alt in catalog.courses:
                    continue
                close = suggest(alt)
                item = spec.model.prerequisites[i]
                path = ("prerequisites", i, "any_of", k) if isinstance(item, AnyOf) else ("prerequisites", i)
                yield Problem(spec, f"unknown prerequisite {alt!r}", path,
                              hint=f"did you mean {close[0]!r}?" if close else f"add courses/{alt}.yaml or fix the id")


@rule("PR04", "self-prerequisite", severity="error")
def self_prerequisite(context):
    """A course lists itself as a prerequisite.

    Bad:
        # courses/deep-learning-in-python.yaml
        prerequisites: [deep-learning-in-python]

    Good:
        prerequisites: [intermediate-python-for-data-science]
    """
    for cid, entries in context.catalog.requirements.items():
        for i, alts in entries:
            if cid in alts:
                yield Problem(context.catalog.courses[cid], f"course {cid!r} lists itself as a prerequisite",
                              ("prerequisites", i), hint="remove the entry")


def _track_walk(catalog: Catalog, track):
    """Yield (position, course id, entry index, alternatives, satisfied-before) along a track.

    satisfied-before is one set grown in place (copying it per course is quadratic in a long
    track): read it at once, never keep it.
    """
    guaranteed = catalog.guaranteed
    done = catalog.completed()
    for entry in track.entry_requirements:
        done.add(entry)
        if entry in guaranteed:
            done.update(guaranteed[entry])
    for position, cid in enumerate(track.courses):
        for index, alts in catalog.requirements.get(cid, ()):
            yield position, cid, index, alts, done
        done.add(cid)
        if cid in guaranteed:
            done.update(guaranteed[cid])


@rule("PR05", "track-order")
def track_order(context):
    """A track lists a course before one of its prerequisites.

    Learners follow the track in order, so they would meet the course before what it requires.

    Bad:
        courses: [convolutional-neural-networks-for-image-processing, deep-learning-in-python]

    Good:
        courses: [deep-learning-in-python, convolutional-neural-networks-for-image-processing]
    """
    catalog = context.catalog
    for spec in catalog.tracks.values():
        track = spec.model
        position_of = {cid: i for i, cid in reversed(list(enumerate(track.courses)))}
        for position, cid, _, alts, done in _track_walk(catalog, track):
            if any(a in done for a in alts):
                continue
            later = [a for a in alts if position_of.get(a, -1) > position]
            if later:
                yield Problem(spec, f"{cid!r} (course {position + 1}) comes before its prerequisite {later[0]!r}"
                              f" (course {position_of[later[0]] + 1})", track.course_path(position),
                              hint=f"move {later[0]!r} before {cid!r}", related=[cid, later[0]])


@rule("PR06", "prerequisite-outside-track")
def prerequisite_outside_track(context):
    """A course's prerequisite is neither earlier in the track nor assumed by the track.

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
        for position, cid, _, alts, done in _track_walk(catalog, track):
            if any(a in done for a in alts) or any(a in in_track for a in alts):
                continue  # satisfied, or PR05's business
            yield Problem(spec, f"prerequisite {_describe(alts)!r} of {cid!r} (course {position + 1}) is neither"
                          " earlier in the track nor an entry requirement", track.course_path(position),
                          hint=f"add {alts[0]!r} to entry_requirements, or to the track before {cid!r}",
                          related=[cid])
