"""A loaded specs folder: courses and tracks by id, with where each was written.

The prerequisite relation is derived here once (and cached) so that every rule, report and metric
reads the same graph rather than re-walking the specs.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

from trackdesign.spec.model import Course, Track, prerequisite_ids
from trackdesign.spec.files import file_bytes, file_digest
from trackdesign.spec.yamldoc import Located, YamlError, decode, load_located


@dataclass(eq=False)
class Spec:
    """One spec file: its id (the file stem), kind, model, strings, and where each value was written.

    Positions are not kept from loading: a position for every key and value would be a third of
    a loaded catalog's memory, and only the specs a finding names need them, so `source()` parses
    such a file again with the same parser.
    """

    kind: str  # "course" | "track"
    id: str
    filename: str  # the file's path as text (see `file`)
    display: str  # the path as shown to the user
    #: (path, text) of every string value in document order (`Located.strings`)
    strings: list
    model: Course | Track
    suppressions: dict[int, set[str]] = field(default_factory=dict)
    digest: bytes = b""  # of the file's bytes as loaded: what the lint cache keys on
    _source: Located | None = field(default=None, repr=False)
    _unchanged: bool = field(default=False, repr=False)

    @property
    def file(self) -> Path:
        return Path(self.filename)

    def position(self, path: tuple = (), key: bool = False) -> tuple[int, int]:
        """Where `path` (its key, with `key`) is written, from `source()`."""
        return self.source().position(path, key=key)

    def source(self) -> Located:
        """The file's data with every position, parsed again on first need and then kept.

        A file changed since loading gives the positions it has now; one that can no longer be
        read or parsed gives line 1, column 1.
        """
        if self._source is None:
            try:
                raw = file_bytes(self.filename)
                self._source = load_located(decode(raw))
                self._unchanged = file_digest(raw) == self.digest
            except (OSError, UnicodeDecodeError, YamlError):
                self._source = Located(None, {(): (1, 1)}, {})
        return self._source

    def data_as_loaded(self):
        """The file's data when it still holds the bytes that were loaded, else None: what a fix
        expects to find must come from the spec the rules judged."""
        data = self.source().data
        return data if self._unchanged else None


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

    def spec(self, kind: str, spec_id: str) -> Spec:
        """The spec a (kind, id) pair names: how specs travel through a pipe or a cache file."""
        return (self.courses if kind == "course" else self.tracks)[spec_id]

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
    def _numbering(self) -> tuple[dict[str, int], list[str]]:
        """A number per course id met in the catalog or its prerequisites, prerequisites first."""
        numbers = {cid: k for k, cid in enumerate(self._acyclic_order())}
        for cid in self.courses:
            numbers.setdefault(cid, len(numbers))
        for entries in self.requirements.values():
            for _, alts in entries:
                for a in alts:
                    numbers.setdefault(a, len(numbers))
        return numbers, list(numbers)

    def _acyclic_order(self) -> list[str]:
        """The courses on no cycle in topological order, generation by generation, in the order
        networkx's `topological_sort` gives them (graph order within a generation), without its
        subgraph view: filtering every adjacency through it took 0.2 s at 10,000 courses."""
        graph, cyclic = self.graph, self.cyclic
        nodes = [n for n in graph if n not in cyclic]
        waiting: dict[str, int] = {}  # prerequisites not yet placed, per course that has any
        for node in nodes:
            for child in graph.succ[node]:
                if child not in cyclic:
                    waiting[child] = waiting.get(child, 0) + 1
        generation = [n for n in nodes if n not in waiting]
        order: list[str] = []
        while generation:
            order.extend(generation)
            following = []
            for node in generation:
                for child in graph.succ[node]:
                    if child in waiting:
                        waiting[child] -= 1
                        if not waiting[child]:
                            following.append(child)
                            del waiting[child]
            generation = following
        return order

    @cached_property
    def guaranteed(self) -> dict[str, Closure]:
        """For each course, the courses a learner has surely completed before starting it.

        A plain prerequisite guarantees itself and everything it guarantees; an `any_of` group only
        what all its alternatives guarantee (the intersection), which is what keeps PR01 sound.
        Courses on a cycle get no guarantees (PR02 reports the cycle instead). Each set is a bitset
        (an int) over `_numbering`: with prerequisites numbered first, a course's set takes about
        as many bits as courses come before it, where sets of ids took half a gigabyte at 50,000.
        """
        numbering = self._numbering
        bits: dict[str, int] = {}
        for cid in numbering[1]:  # prerequisites before the courses needing them
            if cid in self.cyclic or cid not in self.requirements:
                continue
            total = 0
            for _, alts in self.requirements[cid]:
                total |= self._entry_bits(alts, bits)
            if total:
                bits[cid] = total
        return {cid: Closure(bits.get(cid, 0), numbering) for cid in self.courses}

    def _entry_bits(self, alts: tuple[str, ...], bits: dict[str, int]) -> int:
        numbers = self._numbering[0]
        result = None
        for a in alts:
            own = bits.get(a, 0) | (1 << numbers[a])
            result = own if result is None else result & own
        return result or 0

    def implied_by(self, alts: tuple[str, ...]) -> Closure:
        """What one prerequisite entry guarantees: itself and its closure, intersected over alternatives."""
        guaranteed = self.guaranteed
        return Closure(self._entry_bits(alts, {a: guaranteed[a].bits for a in alts if a in guaranteed}),
                       self._numbering)

    def completed(self) -> Closure:
        """An empty set of completed courses, to grow along a track (`add`, `update`)."""
        return Closure(0, self._numbering)

    def tracks_of(self, course_id: str) -> list[str]:
        return sorted(tid for tid, spec in self.tracks.items() if course_id in spec.model.courses)


class Closure:
    """A set of course ids held as the bits of an int, numbered by `Catalog._numbering`.

    What its readers need: membership, iteration (prerequisites first), length and truth; and,
    to grow one along a track, `add` (one course) and `update` (another closure).
    """

    __slots__ = ("bits", "_numbering")

    def __init__(self, bits: int, numbering: tuple[dict[str, int], list[str]]):
        self.bits = bits
        self._numbering = numbering

    def __contains__(self, course_id) -> bool:
        number = self._numbering[0].get(course_id)
        return number is not None and (self.bits >> number) & 1 == 1

    def __iter__(self):
        names, bits = self._numbering[1], self.bits
        while bits:
            low = bits & -bits
            yield names[low.bit_length() - 1]
            bits ^= low

    def __len__(self) -> int:
        return self.bits.bit_count()

    def __bool__(self) -> bool:
        return self.bits != 0

    def __repr__(self) -> str:
        return f"Closure({sorted(self)!r})"

    def add(self, course_id: str) -> None:
        number = self._numbering[0].get(course_id)
        if number is not None:  # an id no prerequisite names cannot be asked about
            self.bits |= 1 << number

    def update(self, other: Closure) -> None:
        self.bits |= other.bits
