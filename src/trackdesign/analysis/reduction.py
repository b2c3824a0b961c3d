"""Which requirements of a course its other requirements already imply (what PR01 reports).

A requirement is implied when the closures of the others satisfy it: a prerequisite by what they
guarantee strictly before the course, a corequisite by what they guarantee by its term. Dropping
implied requirements one at a time, weakest first, each checked against all that is still kept,
leaves a set that implies every dropped one, so the fixes are safe together. Requirements that
imply each other (a corequisite group listed whole, the same course twice) are one unit: the unit
goes only if the rest implies it; if it stays, one of its members is enough ("keep one of").

Work is bounded: each requirement's check is a few bitset operations against unions kept in
blocks (the square root of their number), never a comparison with every other requirement.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

from trackdesign.analysis.requisites import CO, PRE, STRICT, Entry, Requisites, evaluate

#: How many other units an equivalence check or a "required by" search looks at before it stops.
PROBES = 64


@dataclass
class Unit:
    """Requirements of one list that imply each other; `bits` is what one of them guarantees in
    the sense that list needs (strictly before for prerequisites, by the term for corequisites)."""

    kind: str
    members: list[Entry]
    before: int
    upto: int
    supports: bool  # may imply others (False when its closure runs back through the course)

    @property
    def bits(self) -> int:
        return self.before if self.kind == PRE else self.upto

    @property
    def first(self) -> Entry:
        return self.members[0]


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


def reduce(requisites: Requisites, cid: str) -> Reduction:
    result = Reduction()
    entries = [e for e in requisites.entries.get(cid, ()) if cid not in e.atoms]  # PR04's business
    if len(entries) < 2:
        return result
    units = _units(requisites, cid, entries, result)
    numbers = requisites.numbering[0]
    candidates = sorted((u for u in units if u.kind != STRICT),
                        key=lambda u: (u.bits.bit_count(), u.kind != PRE, u.first.index))
    base_before = base_upto = 0
    for u in units:
        if u.supports and u.kind == STRICT:
            base_before, base_upto = base_before | u.before, base_upto | u.upto
    keep_before, keep_upto = _Bytes(base_before), _Bytes(base_upto)
    kept_before = kept_upto = 0
    suffix = _Suffix([u for u in candidates])
    kept: list[Unit] = [u for u in units if u.kind == STRICT]
    removed: list[Unit] = []
    for position, unit in enumerate(candidates):
        after_before, after_upto = suffix.after(position)
        if unit.kind == PRE:
            fixed, grown, later = keep_before, kept_before, after_before
        else:
            fixed, grown, later = keep_upto, kept_upto, after_upto

        def holds(a, fixed=fixed, grown=grown, later=later):
            n = numbers[a]
            return n in fixed or (grown >> n) & 1 == 1 or (later >> n) & 1 == 1
        if evaluate(unit.first.expr, holds):
            removed.append(unit)
        else:
            kept.append(unit)
            if unit.supports:
                kept_before, kept_upto = kept_before | unit.before, kept_upto | unit.upto
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


def _units(requisites: Requisites, cid: str, entries: list[Entry], result: Reduction) -> list[Unit]:
    """Entries grouped into units of mutually implied requirements of the same list."""
    own = requisites.bit(cid)
    numbers = requisites.numbering[0]
    buckets: dict[tuple, list[Unit]] = {}
    units: list[Unit] = []
    for entry in entries:
        c = requisites.contribution(entry)
        supports = not ((c.before | c.upto) & own)
        unit = Unit(entry.kind, [entry], c.before, c.upto, supports)
        key = (entry.kind, entry.expr if entry.kind == STRICT else unit.bits)
        bucket = buckets.setdefault(key, [])
        for other in bucket[:PROBES]:
            if entry.kind == STRICT or _mutual(unit, other, numbers):
                other.members.append(entry)
                other.supports = other.supports and supports
                break
        else:
            bucket.append(unit)
            units.append(unit)
    return units


def _mutual(unit: Unit, other: Unit, numbers) -> bool:
    mine, theirs = _Bytes(unit.bits), _Bytes(other.bits)
    return (evaluate(unit.first.expr, lambda a: numbers[a] in theirs)
            and evaluate(other.first.expr, lambda a: numbers[a] in mine))


class _Witness:
    """Which kept entries imply a removed one, for the message: for a single course, the strongest
    kept entry holding it (found for all of them in one pass over the kept units); for a group,
    the first of the strongest few that implies it alone, else the fewest of them together."""

    def __init__(self, support: list[Unit], removed: list[Unit], numbers):
        self.numbers = numbers
        self.support = sorted(support, key=lambda u: (-u.bits.bit_count(), u.first.kind, u.first.index))
        self.single: dict[tuple[str, int], Entry] = {}
        for kind in (PRE, CO):
            wanted = 0
            for unit in removed:
                if unit.kind == kind and isinstance(unit.first.expr, str):
                    wanted |= 1 << numbers[unit.first.expr]
            for other in self.support:
                if not wanted:
                    break
                hit = wanted & (other.before if kind == PRE else other.upto)
                wanted ^= hit
                while hit:
                    low = hit & -hit
                    self.single[(kind, low.bit_length() - 1)] = other.first
                    hit ^= low
        self.probes: dict[str, list[tuple[Entry, _Bytes, _Bytes]]] = {}

    def implying(self, unit: Unit) -> list[Entry]:
        expr = unit.first.expr
        if isinstance(expr, str):
            found = self.single.get((unit.kind, self.numbers[expr]))
            return [found] if found else []
        probes = self.probes.get(unit.kind)
        if probes is None:
            probes, joint = [], 0
            for other in self.support[:PROBES]:
                bits = other.before if unit.kind == PRE else other.upto
                joint |= bits
                probes.append((other.first, _Bytes(bits), _Bytes(joint)))
            self.probes[unit.kind] = probes
        numbers = self.numbers
        for entry, alone, _ in probes:
            if entry is not unit.first and evaluate(expr, lambda a: numbers[a] in alone):
                return [entry]
        for k, (_, _, joint) in enumerate(probes):
            if evaluate(expr, lambda a: numbers[a] in joint):
                return [e for e, _, _ in probes[:k + 1]]
        return []


class _Suffix:
    """Unions of the units after a position, from block unions kept every sqrt(n) units."""

    def __init__(self, units: list[Unit]):
        self.units = [u if u.supports else None for u in units]
        self.size = max(1, math.isqrt(len(units)))
        blocks = (len(units) + self.size - 1) // self.size
        self.blocks = [(0, 0)] * (blocks + 1)
        for b in range(blocks - 1, -1, -1):
            before, upto = self.blocks[b + 1]
            for u in self.units[b * self.size:(b + 1) * self.size]:
                if u is not None:
                    before, upto = before | u.before, upto | u.upto
            self.blocks[b] = (before, upto)
        self._block = -1
        self._inside: list[tuple[int, int]] = []

    def after(self, position: int) -> tuple[int, int]:
        block = position // self.size
        if block != self._block:  # unions within the block, from its end back to its start
            start = block * self.size
            end = min(start + self.size, len(self.units))
            before, upto = self.blocks[block + 1]
            inside = [(0, 0)] * (end - start)
            for k in range(end - 1, start - 1, -1):
                inside[k - start] = (before, upto)
                u = self.units[k]
                if u is not None:
                    before, upto = before | u.before, upto | u.upto
            self._block, self._inside = block, inside
        return self._inside[position - block * self.size]
