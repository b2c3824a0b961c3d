"""The order a learner takes a track's courses in: the track's own, moved only where a requirement
inside the track would otherwise come later, with corequisites studied side by side.

A course and the corequisites it names in the track form a unit studied over the same weeks (a
strict corequisite must start the same week); a corequisite that is also needed strictly before
some course of the unit stays a unit of its own, taken earlier. A requirement no course of the
track can meet leans on courses outside it (PR06's business) and orders nothing. When no unit is
ready, a requirement met by an alternative outside the track is taken as met; if that does not
help either, the track holds a cycle no order satisfies, and the plan is refused with its path.
"""

from __future__ import annotations

from trackdesign.analysis.requisites import PRE, evaluate, render_path, requisites_of


class OrderError(ValueError):
    """No order of study satisfies the track's requirements."""


def units_of(catalog, courses: list[str]) -> list[list[str]]:
    """The track's courses grouped into units studied side by side, in the track's order."""
    requisites = requisites_of(catalog)
    inside = set(courses)
    parent = {cid: cid for cid in courses}

    def root(cid):
        while parent[cid] != cid:
            parent[cid] = parent[parent[cid]]
            cid = parent[cid]
        return cid
    before = {cid: {a for e in requisites.entries.get(cid, ()) if e.kind == PRE for a in e.atoms} for cid in courses}
    for cid in courses:
        for entry in requisites.entries.get(cid, ()):
            if entry.kind == PRE:
                continue
            for partner in entry.atoms:
                if partner in inside and partner != cid and partner not in before[cid] and cid not in before[partner]:
                    parent[root(partner)] = root(cid)
    groups: dict[str, list[str]] = {}
    for cid in courses:
        groups.setdefault(root(cid), []).append(cid)
    return list(groups.values())


def order(catalog, blocks: list[list[str]]) -> list[list[list[str]]]:
    """Each block's units in study order (blocks are a staged track's stages, kept in order; one
    block for a plain track). Raises OrderError for a cycle no order satisfies."""
    requisites = requisites_of(catalog)
    track = {cid for block in blocks for cid in block}
    done: set[str] = set()
    result = []
    for block in blocks:
        pending = units_of(catalog, block)
        later = track - done - set(block)
        ordered = []
        while pending:
            chosen = next((u for u in pending if _ready(requisites, u, done | later, track, relaxed=False)), None)
            if chosen is None:
                chosen = next((u for u in pending if _ready(requisites, u, done | later, track, relaxed=True)), None)
            if chosen is None:
                raise OrderError(_why(requisites, [c for u in pending for c in u]))
            pending.remove(chosen)
            ordered.append(chosen)
            done.update(chosen)
        result.append(ordered)
    return result


def _ready(requisites, unit: list[str], done: set[str], track: set[str], relaxed: bool) -> bool:
    """Whether every requirement of the unit's courses that the track can meet is met: a
    prerequisite by the courses in `done` (those before, and those of later stages, which PR05
    says come late), a corequisite by those or the unit itself; `relaxed`, by any course outside
    the track too."""
    together = set(unit)
    for cid in unit:
        for entry in requisites.entries.get(cid, ()):
            if not any(a in track for a in entry.atoms) or not evaluate(entry.expr, lambda a: a in track):
                continue  # met from outside the track, if at all
            met = done if entry.kind == PRE else done | together
            if not evaluate(entry.expr, lambda a: a in met or (relaxed and a not in track)):
                return False
    return True


def _why(requisites, stuck: list[str]) -> str:
    """The message for a track no order satisfies: a blocking cycle's path when there is one."""
    for cid in sorted(stuck):
        if requisites.blocked(cid):
            path = requisites.chain(cid, cid, strictly=True, skip_self=False)
            if path:
                return f"no order of study satisfies the track: {render_path(path)} (a cycle, see PR02)"
        torn = requisites.torn(cid)
        if torn:
            partner = requisites.closure(torn & -torn)
            name = next(iter(partner))
            return (f"no order of study satisfies the track: {name!r} must be taken in the same week as {cid!r}"
                    " and also before it (see PR08)")
    return ("no order of study satisfies the track: its courses " + ", ".join(sorted(stuck)[:8])
            + (" ..." if len(stuck) > 8 else "") + " wait for each other (see PR02)")
