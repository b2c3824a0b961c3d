"""A loaded specs folder: courses and tracks by id, with where each was written.

The prerequisite relation is derived here once (and cached) so that every rule, report and metric
reads the same graph rather than re-walking the specs.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

from trackdesign.spec.model import Course, Track, prerequisite_ids
from trackdesign.spec.yamlload import Located


@dataclass(eq=False)
class Spec:
    """One spec file: its id (the file stem), kind, model and positions."""

    kind: str  # "course" | "track"
    id: str
    file: Path
    display: str  # the path as shown to the user
    located: Located
    model: Course | Track
    suppressions: dict[int, set[str]] = field(default_factory=dict)

    def position(self, path: tuple = (), key: bool = False) -> tuple[int, int]:
        return self.located.position(path, key=key)


@dataclass
class Catalog:
    root: Path
    courses: dict[str, Spec] = field(default_factory=dict)
    tracks: dict[str, Spec] = field(default_factory=dict)
    problems: list = field(default_factory=list)  # Problems found while loading (SP01-SP03)
    derived: dict = field(default_factory=dict, repr=False)  # computed once, shared by rules

    def memo(self, key: str, compute):
        """`compute()` once per catalog: derived data several rules read (word lists, indexes)."""
        if key not in self.derived:
            self.derived[key] = compute()
        return self.derived[key]

    def course(self, course_id: str) -> Course | None:
        spec = self.courses.get(course_id)
        return spec.model if spec else None  # type: ignore[return-value]

    def specs(self):
        yield from self.courses.values()
        yield from self.tracks.values()

    @cached_property
    def requirements(self) -> dict[str, list[tuple[int, tuple[str, ...]]]]:
        """For each course, its prerequisite entries as (index in the list, alternatives).

        Unknown ids stay in (PR03 reports them): dropping an unknown alternative from an `any_of`
        group would make the group look stronger than it is.
        """
        return {
            cid: [(i, tuple(prerequisite_ids(item))) for i, item in enumerate(spec.model.prerequisites)]
            for cid, spec in self.courses.items()
        }

    @cached_property
    def graph(self):
        """Directed graph prerequisite -> course over known courses (any_of alternatives included)."""
        import networkx as nx

        g = nx.DiGraph()
        g.add_nodes_from(self.courses)
        for cid, entries in self.requirements.items():
            for _, alts in entries:
                for alt in alts:
                    if alt in self.courses:
                        g.add_edge(alt, cid)
        return g

    @cached_property
    def cyclic(self) -> set[str]:
        """Courses on a prerequisite cycle (including self-loops)."""
        import networkx as nx

        nodes: set[str] = set()
        for component in nx.strongly_connected_components(self.graph):
            if len(component) > 1:
                nodes |= component
        nodes |= {n for n in self.graph if self.graph.has_edge(n, n)}
        return nodes

    @cached_property
    def guaranteed(self) -> dict[str, frozenset[str]]:
        """For each course, the courses a learner has surely completed before starting it.

        A plain prerequisite guarantees itself and everything it guarantees; an `any_of` group only
        what all its alternatives guarantee (the intersection), which is what keeps PR01 sound.
        Courses on a cycle get no guarantees (PR02 reports the cycle instead).
        """
        import networkx as nx

        cyclic = self.cyclic
        acyclic = self.graph.subgraph(n for n in self.graph if n not in cyclic)
        memo: dict[str, frozenset[str]] = {n: frozenset() for n in cyclic}
        reqs = self.requirements
        for cid in nx.topological_sort(acyclic):
            memo[cid] = frozenset().union(*(self.entry_guarantee(alts, memo) for _, alts in reqs[cid]))
        return memo

    @staticmethod
    def entry_guarantee(alts: tuple[str, ...], memo: dict[str, frozenset[str]]) -> frozenset[str]:
        """What one prerequisite entry guarantees: itself and its closure, intersected over alternatives."""
        sets = [memo.get(a, frozenset()) | {a} for a in alts]
        result = sets[0]
        for other in sets[1:]:
            result = result & other
        return frozenset(result)

    def tracks_of(self, course_id: str) -> list[str]:
        return sorted(tid for tid, spec in self.tracks.items() if course_id in spec.model.courses)
