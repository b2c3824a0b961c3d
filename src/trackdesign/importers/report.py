"""What an import did beyond copying text into fields, each thing with the source line it came from.

A designer checks an import against the document by reading this report: facts taken from prose
into fields, text kept but written back in trackdesign's own form, text trackdesign writes itself,
and what was left out or disagrees. The last two make the result unfaithful (exit 1), so nothing
is misplaced or dropped behind an exit status of 0.
"""

from __future__ import annotations

from dataclasses import dataclass, field

#: kind -> whether an entry of that kind makes the import unfaithful
KINDS = {
    "inferred": False,     # a fact read from prose into a field
    "rewritten": False,    # kept, but written back in trackdesign's form or place
    "generated": False,    # text trackdesign writes itself from the specs
    "no field": False,     # a column that no spec field holds, left out as a whole (videos, exercises)
    "not placed": True,    # left out: no field holds it
    "conflict": True,      # disagrees with another part of the document or with the existing specs
}


@dataclass(frozen=True)
class Entry:
    line: int | None  # in the source document (None: not tied to a line, e.g. a spec file)
    kind: str
    message: str
    where: str | None = None  # another file the entry is about (an existing spec), when not the source


@dataclass
class Report:
    entries: list[Entry] = field(default_factory=list)
    _seen: set[Entry] = field(default_factory=set, repr=False)  # a table of many bad rows stays linear

    def add(self, line: int | None, kind: str, message: str, where: str | None = None) -> None:
        if kind not in KINDS:
            raise ValueError(f"unknown report kind {kind!r}")
        entry = Entry(line, kind, message, where)
        if entry not in self._seen:
            self._seen.add(entry)
            self.entries.append(entry)

    @property
    def faithful(self) -> bool:
        return not any(KINDS[e.kind] for e in self.entries)

    def lines(self, source: str) -> list[str]:
        """'proposal.md:12: inferred: ...', in source order, entries without a line last."""
        ordered = sorted(self.entries, key=lambda e: (e.line is None, e.line or 0))
        return [f"{e.where or source}{f':{e.line}' if e.line else ''}: {e.kind}: {e.message}" for e in ordered]
