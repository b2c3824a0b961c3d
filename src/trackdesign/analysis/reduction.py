"""Which requirements of a course its other requirements already imply (what PR01 reports).

A requirement is implied when the closures of the others satisfy it: a prerequisite by what they
guarantee strictly before the course, a corequisite by what they guarantee by its term. Dropping
implied requirements one at a time, weakest first, each checked against all that is still kept,
leaves a set that implies every dropped one, so the fixes are safe together. Requirements that
imply each other (a corequisite group listed whole, the same course twice) are one unit: the unit
goes only if the rest implies it; if it stays, one of its members is enough ("keep one of").

Work is bounded: a requirement is checked against counts of the courses named directly and
against unions of the closures kept in blocks (the square root of their number), never against
every other requirement; a requirement on one course costs no new big int (`Share`).
"""

from __future__ import annotations

import math
from collections import Counter
from dataclasses import dataclass, field

from trackdesign.analysis.requisites import (CO, PRE, STRICT, Entry, Requisites, Share, evaluate, from_numbers,
                                             numbers_of, requisites_of)

#: How many other units an equivalence check or a "required by" search looks at before it stops.
PROBES = 64


@dataclass
class Unit:
    """Requirements of one list that imply each other, with what one of them guarantees: strictly
    before the course (`before`) and by its term (`upto`)."""

    kind: str
    members: list[Entry]
    before: Share
    upto: Share
    supports: bool  # may imply others (False when its closure runs back through the course)

    @property
    def held(self) -> Share:
        """What the unit guarantees in the sense its own list needs."""
        return self.before if self.kind == PRE else self.upto

    @property
    def first(self) -> Entry:
        return self.members[0]

    def size(self, numbers) -> int:
        atom, bits = self.held
        extra = atom is not None and not (bits >> numbers[atom]) & 1
        return bits.bit_count() + extra


@dataclass
class Reduction:
    """What PR01 says about one course."""

    redundant: list[tuple[Entry, list[Entry]]] = field(default_factory=list)  # (entry, kept entries implying it)
    repeated: list[tuple[Entry, Entry]] = field(default_factory=list)  # (later copy, first)
    equivalent: list[list[Entry]] = field(default_factory=list)  # keep one of these


class _Bytes:
    """Constant-time membership in a fixed bitset (a shift of a big int copies it)."""

    __slots__ = ("data",)

    def __init__(self, bits: int):
        self.data = bits.to_bytes((bits.bit_length() + 7) // 8 or 1, "little")

    def __contains__(self, number: int) -> bool:
        byte = number >> 3
        return byte < len(self.data) and (self.data[byte] >> (number & 7)) & 1 == 1


class _Union:
    """A union of shares that grows: the courses named directly, and the closures or-ed."""

    def __init__(self):
        self.atoms: set[str] = set()
        self.bits = 0

    def add(self, share: Share) -> None:
        if share.atom is not None:
            self.atoms.add(share.atom)
        if share.bits:
            self.bits |= share.bits

    def holds(self, atom: str, number: int) -> bool:
        return atom in self.atoms or (self.bits >> number) & 1 == 1


def reduce(requisites: Requisites, cid: str) -> Reduction:
    result = Reduction()
    entries = [e for e in requisites.entries.get(cid, ()) if cid not in e.atoms]  # PR04's business
    if len(entries) < 2:
        return result
    numbers = requisites.numbering[0]
    units = _units(requisites, cid, entries)
    maybe = _maybe(units, numbers)
    kept, removed = _drop(units, maybe, numbers) if maybe else (units, [])  # most courses: nothing to drop
    if removed:
        witness = _Witness([u for u in kept if u.supports], removed, numbers)
        for unit in removed:
            for entry in unit.members:
                result.redundant.append((entry, witness.implying(unit)))
    for unit in kept:
        distinct: list[Entry] = []
        for entry in unit.members:
            twin = next((d for d in distinct if d.expr == entry.expr), None)
            if twin is not None:
                result.repeated.append((entry, twin))
            else:
                distinct.append(entry)
        if len(distinct) > 1:
            result.equivalent.append(distinct)
    result.redundant.sort(key=lambda r: (r[0].kind, r[0].index))
    return result


def redundant_prerequisites(catalog, cid: str) -> set[int]:
    """The indexes in `prerequisites` of the entries of `cid` its other requirements imply: the
    prerequisite map draws these edges dashed, as PR01 reports them."""
    if len(requisites_of(catalog).entries.get(cid, ())) < 2:
        return set()
    return {entry.index for entry, _ in reduce(requisites_of(catalog), cid).redundant if entry.kind == PRE}


def _drop(units: list[Unit], maybe: set[int], numbers) -> tuple[list[Unit], list[Unit]]:
    """(kept, removed): the units of `maybe` dropped one at a time, weakest first, each when what
    is still kept implies it."""
    candidates = sorted((u for u in units if u.kind != STRICT and id(u) in maybe),
                        key=lambda u: (u.size(numbers), u.kind != PRE, u.first.index))
    fixed = (_Union(), _Union())  # never dropped: strict corequisites, and what nothing else implies
    for u in units:
        if u.supports and id(u) not in maybe:
            fixed[0].add(u.before)
            fixed[1].add(u.upto)
    fixed_bytes = (_Bytes(fixed[0].bits), _Bytes(fixed[1].bits))
    grown = (_Union(), _Union())  # candidates kept so far
    waiting = (Counter(), Counter())  # courses named directly by candidates not yet looked at
    for u in candidates:
        if u.supports:
            for side, share in enumerate((u.before, u.upto)):
                if share.atom is not None:
                    waiting[side][share.atom] += 1
    suffix = _Suffix(candidates)
    kept: list[Unit] = [u for u in units if id(u) not in maybe]
    removed: list[Unit] = []
    for position, unit in enumerate(candidates):
        if unit.supports:
            for side, share in enumerate((unit.before, unit.upto)):
                if share.atom is not None:
                    waiting[side][share.atom] -= 1
        side = 0 if unit.kind == PRE else 1
        later = suffix.after(position)[side]
        here, counts, union = fixed[side], waiting[side], grown[side]

        def holds(a, here=here, counts=counts, union=union, later=later, seen=fixed_bytes[side]):
            n = numbers[a]
            return (a in here.atoms or n in seen or counts[a] > 0 or union.holds(a, n)
                    or (later >> n) & 1 == 1)
        if evaluate(unit.first.expr, holds):
            removed.append(unit)
            continue
        kept.append(unit)
        if unit.supports:
            grown[0].add(unit.before)
            grown[1].add(unit.upto)
    return kept, removed


def _maybe(units: list[Unit], numbers) -> set[int]:
    """Ids of the units that all the others together might imply (a superset of what the greedy
    drop can remove): a unit none of whose courses another unit names or guarantees is kept."""
    named: Counter = Counter()
    closures = 0
    for u in units:
        if u.supports:
            for share in {u.before, u.upto}:
                if share.atom is not None:
                    named[share.atom] += 1
                closures |= share.bits
    seen = _Bytes(closures)
    found = set()
    for u in units:
        if u.kind == STRICT:
            continue
        own = {s.atom for s in (u.before, u.upto) if s.atom is not None} if u.supports else set()
        if any(named[a] > (a in own) or numbers[a] in seen for a in u.first.atoms):
            found.add(id(u))
    return found


def _units(requisites: Requisites, cid: str, entries: list[Entry]) -> list[Unit]:
    """Entries grouped into units of mutually implied requirements of the same list.

    Requirements on single courses can imply each other only when those courses are on a cycle
    together (a corequisite group) or are the same: they are bucketed by the component of their
    course; groups by what they guarantee. Only a bucket's first few units are compared.
    """
    own = requisites.numbering[0][cid]
    component = requisites.component_of
    buckets: dict[tuple, list[Unit]] = {}
    units: list[Unit] = []
    for entry in entries:
        before, upto, _ = requisites.shares(entry)
        supports = not any((s.bits >> own) & 1 for s in (before, upto))
        unit = Unit(entry.kind, [entry], before, upto, supports)
        if entry.kind == STRICT:
            key = (entry.kind, entry.expr)
        elif isinstance(entry.expr, str):
            key = (entry.kind, component[entry.expr])
        else:
            key = (entry.kind, None, _key(unit.held.bits))
        bucket = buckets.setdefault(key, [])
        for other in bucket[:PROBES]:
            if entry.kind == STRICT or _mutual(requisites, unit, other):
                other.members.append(entry)
                other.supports = other.supports and supports
                break
        else:
            bucket.append(unit)
            units.append(unit)
    return units


def _key(bits: int) -> bytes:
    """A dict key for a bitset: ints hash modulo 2**61 - 1, so sets of one course collide in
    61 buckets; their bytes hash well."""
    return bits.to_bytes((bits.bit_length() + 7) // 8, "little")


def _mutual(requisites: Requisites, unit: Unit, other: Unit) -> bool:
    numbers = requisites.numbering[0]

    def within(share: Share):
        return lambda a: a == share.atom or (share.bits >> numbers[a]) & 1 == 1
    return evaluate(unit.first.expr, within(other.held)) and evaluate(other.first.expr, within(unit.held))


class _Witness:
    """Which kept entries imply a removed one, for the message: for a single course, the strongest
    kept entry holding it (found for all of them in one pass over the kept units); for a group,
    the first of the strongest few that implies it alone, else the fewest of them together."""

    def __init__(self, support: list[Unit], removed: list[Unit], numbers):
        self.numbers = numbers
        self.support = sorted(support, key=lambda u: (-u.size(numbers), u.first.kind, u.first.index))
        self.single: dict[tuple[str, str], Entry] = {}
        for kind in (PRE, CO):
            wanted = {u.first.expr for u in removed if u.kind == kind and isinstance(u.first.expr, str)}
            names: dict[int, str] = {numbers[a]: a for a in wanted}
            mask = from_numbers(list(names))
            for other in self.support:
                if not wanted:
                    break
                atom, bits = other.before if kind == PRE else other.upto
                if atom in wanted:
                    self.single[(kind, atom)] = other.first
                    wanted.discard(atom)
                    mask &= ~(1 << numbers[atom])
                hit = mask & bits
                if hit:
                    mask ^= hit
                    for number in numbers_of(hit):
                        self.single[(kind, names[number])] = other.first
                        wanted.discard(names[number])
        self.probes: dict[str, list[tuple[Entry, Share, _Bytes]]] = {}

    def implying(self, unit: Unit) -> list[Entry]:
        expr = unit.first.expr
        if isinstance(expr, str):
            found = self.single.get((unit.kind, expr))
            return [found] if found else []
        probes = self.probes.get(unit.kind)
        numbers = self.numbers
        if probes is None:
            probes, joint, atoms = [], 0, set()
            for other in self.support[:PROBES]:
                share = other.before if unit.kind == PRE else other.upto
                joint |= share.bits
                if share.atom is not None:
                    atoms.add(share.atom)
                    joint |= 1 << numbers[share.atom]
                probes.append((other.first, share, _Bytes(joint)))
            self.probes[unit.kind] = probes
        for entry, share, _ in probes:
            if evaluate(expr, lambda a: a == share.atom or (share.bits >> numbers[a]) & 1 == 1):
                return [entry]
        for k, (_, _, joint) in enumerate(probes):
            if evaluate(expr, lambda a: numbers[a] in joint):
                return [e for e, _, _ in probes[:k + 1]]
        return []


class _Suffix:
    """Unions of the closures of the units after a position, from block unions kept every
    sqrt(n) units (the courses they name directly are counted apart, in `reduce`)."""

    def __init__(self, units: list[Unit]):
        self.bits = [(u.before.bits, u.upto.bits) if u.supports else (0, 0) for u in units]
        self.size = max(1, math.isqrt(len(units)))
        blocks = (len(units) + self.size - 1) // self.size
        self.blocks = [(0, 0)] * (blocks + 1)
        for b in range(blocks - 1, -1, -1):
            before, upto = self.blocks[b + 1]
            for ub, uu in self.bits[b * self.size:(b + 1) * self.size]:
                if ub or uu:
                    before, upto = before | ub, upto | uu
            self.blocks[b] = (before, upto)
        self._block = -1
        self._inside: list[tuple[int, int]] = []

    def after(self, position: int) -> tuple[int, int]:
        block = position // self.size
        if block != self._block:  # unions within the block, from its end back to its start
            start = block * self.size
            end = min(start + self.size, len(self.bits))
            before, upto = self.blocks[block + 1]
            inside = [(0, 0)] * (end - start)
            for k in range(end - 1, start - 1, -1):
                inside[k - start] = (before, upto)
                ub, uu = self.bits[k]
                if ub or uu:
                    before, upto = before | ub, upto | uu
            self._block, self._inside = block, inside
        return self._inside[position - block * self.size]
