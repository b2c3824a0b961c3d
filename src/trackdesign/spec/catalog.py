"""A loaded specs folder: courses and tracks by id, with where each was written.

The prerequisite edges are derived here once (and cached); the requirement graph with its closures,
which every rule, report and metric reads, is `trackdesign.analysis.requisites`', kept in `derived`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

from trackdesign.spec.model import Course, Track, prerequisite_ids
from trackdesign.spec.files import file_bytes, file_digest
from trackdesign.spec.yamldoc import Document, YamlError, decode


@dataclass(eq=False)
class Spec:
    """One spec file: its id (the file stem), kind, model, strings, and where each value was written.

    Positions are not kept from loading: every file's nodes would cost much of a loaded catalog's
    memory, and only the specs a finding names need them, so `document()` composes such a file
    again with the same parser.
    """

    kind: str  # "course" | "track"
    id: str
    filename: str  # the file's path as text (see `file`)
    display: str  # the path as shown to the user
    #: (path, text) of every string value in document order (`Document.load`)
    strings: list
    model: Course | Track
    suppressions: dict[int, set[str]] = field(default_factory=dict)
    digest: bytes = b""  # of the file's bytes as loaded: what the lint cache keys on
    _document: Document | None = field(default=None, repr=False)
    _unchanged: bool = field(default=False, repr=False)

    @property
    def file(self) -> Path:
        return Path(self.filename)

    def position(self, path: tuple = (), key: bool = False) -> tuple[int, int]:
        """Where `path` (its key, with `key`) is written, from `document()`."""
        return self.document().position(path, key=key)

    def document(self) -> Document:
        """The file composed again on first need and then kept: its data is built only if asked.

        A file changed since loading gives the positions it has now; one that can no longer be
        read or parsed gives line 1, column 1.
        """
        if self._document is None:
            try:
                raw = file_bytes(self.filename)
                self._document = Document(decode(raw))
                self._unchanged = file_digest(raw) == self.digest
            except (OSError, UnicodeDecodeError, YamlError):
                self._document = Document("")
        return self._document

    def data_as_loaded(self):
        """The file's data when it still holds the bytes that were loaded, else None: what a fix
        expects to find must come from the spec the rules judged."""
        document = self.document()
        return document.data if self._unchanged else None


@dataclass
class Catalog:
    root: Path
    courses: dict[str, Spec] = field(default_factory=dict)
    tracks: dict[str, Spec] = field(default_factory=dict)
    problems: list = field(default_factory=list)  # Problems found while loading (see problems.LOADING)
    #: (kind, id) of each spec file that exists but did not load (its problems say why): a reference
    #: to it is no reference to nothing, and rules say nothing more about it
    left_out: set = field(default_factory=set)
    derived: dict = field(default_factory=dict, repr=False)  # computed once, shared by rules

    def memo(self, key: str, compute):
        """`compute()` once per catalog: derived data several rules read (word lists, indexes)."""
        if key not in self.derived:
            self.derived[key] = compute()
        return self.derived[key]

    def course(self, course_id: str) -> Course | None:
        spec = self.courses.get(course_id)
        return spec.model if spec else None  # type: ignore[return-value]

    def exists(self, kind: str, spec_id: str) -> bool:
        """Whether a spec file of that kind and id exists, loaded or not."""
        return spec_id in (self.courses if kind == "course" else self.tracks) or (kind, spec_id) in self.left_out

    def unresolved(self):
        """(track spec, path, kind, id) of each course or track a track names that has no spec file:
        in `courses` or a stage, `entry_requirements`, the portfolio, or `compare_with` (tracks)."""
        for spec in self.tracks.values():
            track = spec.model
            named = [(track.course_path(i), cid) for i, cid in enumerate(track.courses)]
            named += [(("entry_requirements", i), cid) for i, cid in enumerate(track.entry_requirements)]
            if track.portfolio is not None:
                named += [(("portfolio", "relevant", i), cid) for i, cid in enumerate(track.portfolio.relevant)]
            named += [(("compare_with", i), tid) for i, tid in enumerate(track.compare_with)]
            for path, name in named:
                kind = "track" if path[0] == "compare_with" else "course"
                if not self.exists(kind, name):  # a file that did not load has problems of its own
                    yield spec, path, kind, name

    def close_id(self, kind: str, spec_id: str) -> str | None:
        """The known id of that kind that `spec_id` is most likely a typo of, for did-you-mean hints.

        Compared only with ids sharing its first word and about its length, and at most
        `SUGGESTION_BUDGET` comparisons per catalog: a track naming 100,000 unknown courses gets
        hints for as many as fit in the budget, not an hour of string comparisons.
        """
        import difflib

        state = self.memo(f"close-{kind}", lambda: _Suggestions(self.courses if kind == "course" else self.tracks))
        if spec_id in state.answers:
            return state.answers[spec_id]
        near = [c for c in state.buckets.get(spec_id.split("-")[0], ()) if abs(len(c) - len(spec_id)) <= 3]
        if not near or state.spent + len(near) > SUGGESTION_BUDGET:
            return None
        state.spent += len(near)
        found = difflib.get_close_matches(spec_id, near, n=1)
        state.answers[spec_id] = found[0] if found else None
        return state.answers[spec_id]

    def specs(self):
        yield from self.courses.values()
        yield from self.tracks.values()

    def spec(self, kind: str, spec_id: str) -> Spec:
        """The spec a (kind, id) pair names: how specs travel through a pipe or a cache file."""
        return (self.courses if kind == "course" else self.tracks)[spec_id]

    @cached_property
    def requirements(self) -> dict[str, list[tuple[int, tuple[str, ...]]]]:
        """For each course, its prerequisite entries as (index in the list, every course id named,
        at any depth). Unknown ids stay in (PR03 reports them). The expressions, corequisites and
        closures are `trackdesign.analysis.requisites`'."""
        return {cid: [(i, tuple(prerequisite_ids(item))) for i, item in enumerate(spec.model.prerequisites)]
                for cid, spec in self.courses.items()}

    def tracks_of(self, course_id: str) -> list[str]:
        """The ids of the tracks listing the course, sorted (from one pass over the tracks)."""
        def membership():
            held: dict[str, set] = {}
            for tid, spec in self.tracks.items():
                for cid in spec.model.courses:
                    held.setdefault(cid, set()).add(tid)
            return held
        return sorted(self.memo("tracks_of", membership).get(course_id, ()))


#: String comparisons spent on did-you-mean hints in one catalog (see `Catalog.close_id`).
SUGGESTION_BUDGET = 200_000


class _Suggestions:
    __slots__ = ("buckets", "answers", "spent")

    def __init__(self, known):
        self.buckets: dict[str, list[str]] = {}
        for name in known:
            self.buckets.setdefault(name.split("-")[0], []).append(name)
        self.answers: dict[str, str | None] = {}
        self.spent = 0
