"""Requirements as one graph that rules, metrics, plans and documents read.

A course states three lists of requirements: prerequisites (completed before it), corequisites
(in the same term or before) and strict corequisites (in the same term). Each requirement is an
expression: a course id, or a group, ("any", parts) met by one part, ("all", parts) by every one.

The necessary closure says what a learner has surely completed when taking a course: `before`
strictly before it, `upto` before it or in the same term, `together` in the same term. A group
implies only what every one of its alternatives implies. The closure is the least fixed point of
those equations over every edge, so a cycle or a self-loop does not empty it: a course that can
never be taken is in its own `before` set, which is how a blocking cycle is told from a cycle that
runs through alternatives or corequisites only (one a learner can break or take as a unit).
"""

from __future__ import annotations

from collections import deque
from dataclasses import dataclass
from typing import Callable, Iterable, NamedTuple, Union

Expr = Union[str, tuple]  # a course id, or ("any" | "all", (part, ...))

PRE, CO, STRICT = "prerequisite", "corequisite", "strict corequisite"
KINDS = (PRE, CO, STRICT)
FIELDS = {PRE: "prerequisites", CO: "corequisites", STRICT: "strict_corequisites"}

#: How far an explanation (a chain, a cycle's path) may search: past this it says less, never waits.
SEARCH_LIMIT = 20_000


def expression(item) -> Expr:
    """A requirement of the spec model (a course id, or a model with `course`, `any_of` or
    `all_of`) as an expression; a group of one part is that part."""
    if isinstance(item, str):
        return item
    if hasattr(item, "course"):
        return item.course
    op, parts = ("any", item.any_of) if hasattr(item, "any_of") else ("all", item.all_of)
    parts = tuple(expression(p) for p in parts)
    return parts[0] if len(parts) == 1 else (op, parts)


def atoms(expr: Expr) -> list[str]:
    """The course ids an expression names, each once, in the order written."""
    if isinstance(expr, str):
        return [expr]
    found: dict[str, None] = {}
    stack = [expr]
    while stack:
        node = stack.pop()
        if isinstance(node, str):
            found.setdefault(node)
        else:
            stack.extend(reversed(node[1]))
    return list(found)


def evaluate(expr: Expr, holds: Callable[[str], bool]) -> bool:
    if isinstance(expr, str):
        return holds(expr)
    test = any if expr[0] == "any" else all
    return test(evaluate(part, holds) for part in expr[1])


def describe(expr: Expr, nested: bool = False) -> str:
    """'a', 'any of a, b', 'all of a, (any of b, c)': how messages name a requirement."""
    if isinstance(expr, str):
        return expr
    text = ("any of " if expr[0] == "any" else "all of ") + ", ".join(describe(p, True) for p in expr[1])
    return f"({text})" if nested else text


class Entry:
    """One written requirement of a course: its kind, its index in that list, its expression."""

    __slots__ = ("kind", "index", "expr", "atoms")

    def __init__(self, kind: str, index: int, expr: Expr):
        self.kind, self.index, self.expr = kind, index, expr
        self.atoms = atoms(expr)

    @property
    def field(self) -> str:
        return FIELDS[self.kind]

    @property
    def path(self) -> tuple:
        return (self.field, self.index)

    def __repr__(self) -> str:
        return f"Entry({self.kind!r}, {self.index}, {describe(self.expr)!r})"


def entries_of(course) -> list[Entry]:
    """A course model's requirements, prerequisites first."""
    found = []
    for kind in KINDS:
        for index, item in enumerate(getattr(course, FIELDS[kind])):
            found.append(Entry(kind, index, expression(item)))
    return found


class Closure:
    """A set of course ids held as the bits of an int, numbered by `Requisites.numbering`.

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
        names = self._numbering[1]
        for number in numbers_of(self.bits):
            yield names[number]

    def __len__(self) -> int:
        return self.bits.bit_count()

    def __bool__(self) -> bool:
        return self.bits != 0

    def __repr__(self) -> str:
        return f"Closure({sorted(self)!r})"

    def add(self, course_id: str) -> None:
        number = self._numbering[0].get(course_id)
        if number is not None:  # an id no requirement names cannot be asked about
            self.bits |= 1 << number

    def update(self, other: Closure) -> None:
        self.bits |= other.bits


class Share(NamedTuple):
    """A set of courses as one course id (or None) and a bitset of others: a requirement on one
    course guarantees that course and its closure, and keeping the two apart spares building a
    new big int per requirement (100,000 prerequisites on one course stay linear)."""

    atom: str | None
    bits: int


NOTHING = Share(None, 0)


@dataclass
class Contribution:
    """What one requirement guarantees the course that states it: courses strictly before it
    (`before`), before or in the same term (`upto`), in the same term (`together`)."""

    before: int
    upto: int
    together: int


class Requisites:
    """The requirement graph of a set of courses, with its closures, built once per catalog."""

    def __init__(self, courses: dict[str, object]):
        """`courses` maps each id to its course model."""
        self.entries: dict[str, list[Entry]] = {cid: entries_of(course) for cid, course in courses.items()}
        self.known = set(courses)
        self.deps: dict[str, list[str]] = {}
        for cid, entries in self.entries.items():
            seen: dict[str, None] = {}
            for entry in entries:
                for a in entry.atoms:
                    seen.setdefault(a)
            self.deps[cid] = list(seen)
        self.components = _components(list(self.entries), self.deps)
        numbers: dict[str, int] = {}
        self.component_of: dict[str, int] = {}
        for k, component in enumerate(self.components):
            for cid in component:
                numbers[cid] = len(numbers)
                self.component_of[cid] = k
        self.numbering = (numbers, list(numbers))
        self._plain: dict[str, dict[str, list[Entry]]] = {}
        self.before: dict[str, int] = {}
        self.upto: dict[str, int] = {}
        self.together: dict[str, int] = {}
        for component in self.components:
            self._close(component)

    # --- closures ---------------------------------------------------------------------------

    def bit(self, cid: str) -> int:
        return 1 << self.numbering[0][cid]

    def contribution(self, entry: Entry) -> Contribution:
        return Contribution(*self._contribute(entry.expr, entry.kind))

    def _contribute(self, expr: Expr, kind: str) -> tuple[int, int, int]:
        if isinstance(expr, str):
            bit = self.bit(expr)
            upto = self.upto.get(expr, 0)
            if kind == PRE:
                return bit | upto, bit | upto, 0
            together = bit | self.together.get(expr, 0) if kind == STRICT else 0
            return self.before.get(expr, 0), bit | upto, together
        parts = [self._contribute(p, kind) for p in expr[1]]
        if expr[0] == "all":
            return (_fold(int.__or__, (p[0] for p in parts)), _fold(int.__or__, (p[1] for p in parts)),
                    _fold(int.__or__, (p[2] for p in parts)))
        return (_fold(int.__and__, (p[0] for p in parts)), _fold(int.__and__, (p[1] for p in parts)),
                _fold(int.__and__, (p[2] for p in parts)))

    def shares(self, entry: Entry) -> tuple[Share, Share, Share]:
        """What the entry guarantees strictly before, by the term, and in the same term."""
        expr = entry.expr
        if isinstance(expr, str):
            upto = Share(expr, self.upto.get(expr, 0))
            if entry.kind == PRE:
                return upto, upto, NOTHING
            together = Share(expr, self.together.get(expr, 0)) if entry.kind == STRICT else NOTHING
            return Share(None, self.before.get(expr, 0)), upto, together
        before, upto, together = self._contribute(expr, entry.kind)
        return Share(None, before), Share(None, upto), Share(None, together)

    def _evaluate(self, cid: str) -> tuple[int, int, int]:
        numbers = self.numbering[0]
        singles: tuple[list[int], list[int], list[int]] = ([], [], [])
        sums = [0, 0, 0]
        for entry in self.entries.get(cid, ()):
            for k, share in enumerate(self.shares(entry)):
                if share.atom is not None:
                    singles[k].append(numbers[share.atom])
                if share.bits:
                    sums[k] |= share.bits
        before, upto, together = (sums[k] | from_numbers(singles[k]) for k in range(3))
        return before, upto | before, together

    def _close(self, component: list[str]) -> None:
        """The least fixed point over one strongly connected component (its dependencies are done)."""
        members = [c for c in component if c in self.entries]
        if len(component) == 1 and (not members or component[0] not in self.deps[component[0]]):
            if members:
                self._store(members[0], self._evaluate(members[0]))
            return
        inside = set(component)
        waiting = deque(members)
        queued = set(members)
        users: dict[str, list[str]] = {}
        for cid in members:
            for dep in self.deps[cid]:
                if dep in inside:
                    users.setdefault(dep, []).append(cid)
        while waiting:  # each round adds a bit to some set, so it ends
            cid = waiting.popleft()
            queued.discard(cid)
            new = self._evaluate(cid)
            if new != (self.before.get(cid, 0), self.upto.get(cid, 0), self.together.get(cid, 0)):
                self._store(cid, new)
                for user in users.get(cid, ()):
                    if user not in queued:
                        queued.add(user)
                        waiting.append(user)

    def _store(self, cid: str, values: tuple[int, int, int]) -> None:
        before, upto, together = values
        if before:
            self.before[cid] = before
        if upto:
            self.upto[cid] = upto
        if together:
            self.together[cid] = together

    def closure(self, bits: int) -> Closure:
        return Closure(bits, self.numbering)

    def guaranteed(self) -> dict[str, Closure]:
        """For each course, what a learner has surely completed before starting it."""
        return {cid: Closure(self.before.get(cid, 0), self.numbering) for cid in self.entries}

    # --- what can never be taken ------------------------------------------------------------

    def blocked(self, cid: str) -> bool:
        """No order of study can satisfy the course: it needs itself strictly before itself."""
        return (self.before.get(cid, 0) >> self.numbering[0][cid]) & 1 == 1

    def torn(self, cid: str) -> int:
        """Courses that must be in the same term as `cid` and also strictly before it (bits)."""
        return self.together.get(cid, 0) & self.before.get(cid, 0)

    def cyclic_components(self) -> list[list[str]]:
        """Components of the full graph (every alternative, every kind) with a cycle, self-loops
        included, each sorted."""
        return [sorted(c) for c in self.components
                if len(c) > 1 or (c[0] in self.deps and c[0] in self.deps[c[0]])]

    # --- explanations -----------------------------------------------------------------------

    def steps(self, cid: str, target: str, budget: list[int] | None = None) -> list[tuple[str, Entry]]:
        """The requirements of `cid` through which it necessarily needs `target`, as
        (next course, entry): the first alternative of a group that needs it in every one.
        Each entry looked at spends one unit of `budget` (a one-item list), if given."""
        goal = self.bit(target)
        found = []
        for entry in self.entries.get(cid, ()):
            if budget is not None:
                budget[0] -= 1
                if budget[0] < 0:
                    break
            nxt = self._through(entry.expr, entry.kind, goal)
            if nxt is not None:
                found.append((nxt, entry))
        return found

    def plain(self, cid: str) -> dict[str, list[Entry]]:
        """The course's requirements that are one course, by that course (built when first asked)."""
        index = self._plain.get(cid)
        if index is None:
            index = self._plain[cid] = {}
            for entry in self.entries.get(cid, ()):
                if isinstance(entry.expr, str):
                    index.setdefault(entry.expr, []).append(entry)
        return index

    def _through(self, expr: Expr, kind: str, goal: int) -> str | None:
        if isinstance(expr, str):
            return expr if self._contribute(expr, kind)[1] & goal else None
        if expr[0] == "all":
            return next((n for n in (self._through(p, kind, goal) for p in expr[1]) if n is not None), None)
        if not self._contribute(expr, kind)[1] & goal:
            return None
        return self._through(expr[1][0], kind, goal) or atoms(expr[1][0])[0]

    def chain(self, source: str, target: str, strictly: bool = False, skip_self: bool = False):
        """A shortest path of necessary requirements from `source` to `target`, as a list of
        (course, the entry of the course before it that names it), or None once it has looked
        at `SEARCH_LIMIT` entries.

        `strictly` wants a path that proves `target` strictly before `source` (a prerequisite step
        on it); `skip_self` leaves out a plain self-reference as the first step (PR04's business),
        to find the cycle behind it.
        """
        direct = next((e for e in self.plain(source).get(target, ())
                       if not (skip_self and target == source) and (e.kind == PRE or not strictly)), None)
        if direct is not None:
            return [(source, None), (target, direct)]
        start = (source, False)
        previous: dict[tuple[str, bool], tuple[tuple[str, bool], Entry]] = {}
        queue = deque([start])
        seen = {start}
        budget = [SEARCH_LIMIT]  # entries looked at, over the whole search
        while queue and budget[0] > 0:
            state = queue.popleft()
            cid, strict = state
            for nxt, entry in self.steps(cid, target, budget):
                if skip_self and state == start and entry.expr == source:
                    continue
                following = (nxt, strict or entry.kind == PRE)
                if following in seen:
                    continue
                seen.add(following)
                previous[following] = (state, entry)
                if nxt == target and (following[1] or not strictly):
                    path = []
                    node = following
                    while node != start:
                        before, how = previous[node]
                        path.append((node[0], how))
                        node = before
                    path.append((source, None))
                    return path[::-1]
                queue.append(following)
        return None


def render_path(path: list[tuple[str, Entry | None]], groups: bool = True) -> str:
    """'a -> b -> [any of c, d] -> a': each arrow reads "requires"; a step through a corequisite
    says so. With `groups`, a step through a group shows the group (every alternative of which
    leads on), else the course taken."""
    words = []
    for course, how in path:
        if how is None:
            words.append(course)
            continue
        shown = f"[{describe(how.expr)}]" if groups and not isinstance(how.expr, str) else course
        words.append(shown if how.kind == PRE else f"{shown} ({how.kind})")
    return " -> ".join(words)


def numbers_of(bits: int) -> list[int]:
    """The numbers of the set bits, in one pass over the int's bytes (peeling the lowest bit off
    a big int, again and again, copies it each time)."""
    found = []
    for k, byte in enumerate(bits.to_bytes((bits.bit_length() + 7) // 8, "little")):
        while byte:
            low = byte & -byte
            found.append(8 * k + low.bit_length() - 1)
            byte ^= low
    return found


def from_numbers(numbers: list[int]) -> int:
    """The bitset of these bit numbers, built in one pass (or-ing them one by one is quadratic)."""
    if len(numbers) < 2:
        return 1 << numbers[0] if numbers else 0
    data = bytearray(max(numbers) // 8 + 1)
    for n in numbers:
        data[n >> 3] |= 1 << (n & 7)
    return int.from_bytes(data, "little")


def requisites_of(catalog) -> Requisites:
    """The catalog's requirement graph, built once and kept with it."""
    return catalog.memo("requisites", lambda: Requisites({cid: spec.model for cid, spec in catalog.courses.items()}))


def guaranteed(catalog) -> dict[str, Closure]:
    """For each course, the courses a learner has surely completed before starting it: a group
    guarantees only what all its alternatives guarantee."""
    return catalog.memo("guaranteed", lambda: requisites_of(catalog).guaranteed())


def _fold(op, values: Iterable[int]) -> int:
    result = None
    for value in values:
        result = value if result is None else op(result, value)
    return result or 0


def _components(nodes: list[str], deps: dict[str, list[str]]) -> list[list[str]]:
    """Strongly connected components, each after every component it depends on (iterative Tarjan).

    Ids named but not defined are components of their own; a component lists its ids in the order
    they were first met, so numbering is stable for the same input.
    """
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    on_stack: set[str] = set()
    stack: list[str] = []
    result: list[list[str]] = []
    for root in nodes:
        if root in index:
            continue
        work = [(root, iter(deps.get(root, ())))]
        index[root] = low[root] = len(index)
        stack.append(root)
        on_stack.add(root)
        while work:
            node, children = work[-1]
            advanced = False
            for child in children:
                if child not in index:
                    index[child] = low[child] = len(index)
                    stack.append(child)
                    on_stack.add(child)
                    work.append((child, iter(deps.get(child, ()))))
                    advanced = True
                    break
                if child in on_stack:
                    low[node] = min(low[node], index[child])
            if advanced:
                continue
            work.pop()
            if work:
                parent = work[-1][0]
                low[parent] = min(low[parent], low[node])
            if low[node] == index[node]:
                component = []
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    component.append(member)
                    if member == node:
                        break
                result.append(component[::-1])
    return result
