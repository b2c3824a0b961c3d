"""The outcome alignment matrix of a track: which course serves which requirement, and how deeply.

Curriculum teams map outcomes against courses as introduced / developed / mastered. Here a row is
one term a track requirement `covers`, a column one course in track order, and a cell the deepest
Bloom level among the course's objectives (course and lesson objectives) that mention the term:
remember/understand introduce it, apply/analyze develop it, evaluate/create master it. A course
that names the term only in its title, description or tags "mentions" it: it is there, but no
objective says what the learner will do with it. An objective whose verb is not in the Bloom
lists counts as introducing its term.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from trackdesign.analysis import bloom
from trackdesign.analysis.text import content_stems

LEVELS = {"I": "introduced", "D": "developed", "M": "mastered", "m": "mentioned"}
LEGEND = [
    ("I", "introduced: the deepest objective naming it remembers or understands (Bloom levels 1-2)"),
    ("D", "developed: an objective applies or analyzes it (Bloom levels 3-4)"),
    ("M", "mastered: an objective evaluates or creates with it (Bloom levels 5-6)"),
    ("m", "mentioned in the course's title, description or tags, but in none of its objectives"),
]


def letter(level: int | None) -> str:
    if level is None or level <= 2:
        return "I"
    return "D" if level <= 4 else "M"


@dataclass
class Cell:
    level: str | None  # a key of LEVELS, or None: the course does not serve the row
    objectives: list[tuple[str, int | None]] = field(default_factory=list)  # (objective, Bloom level)


@dataclass
class Row:
    requirement: str
    term: str
    cells: list[Cell]

    @property
    def served(self) -> bool:
        return any(cell.level for cell in self.cells)


@dataclass
class Matrix:
    courses: list[dict]  # {"number", "id", "title"} in track order
    rows: list[Row]
    without_terms: list[str]  # requirements that name no `covers` terms, so no row

    @property
    def idle(self) -> list[int]:
        """Columns (indexes into `courses`) of courses that serve no row."""
        return [k for k in range(len(self.courses)) if self.rows and not any(r.cells[k].level for r in self.rows)]

    @property
    def gaps(self) -> list[Row]:
        return [row for row in self.rows if not row.served]


def objectives_of(course) -> list[str]:
    """The course's objectives, then every lesson's."""
    found = list(course.objectives)
    for chapter in course.chapters:
        for lesson in chapter.lessons:
            found += lesson.objectives
    return found


def objective_level(text: str) -> int | None:
    verbs = bloom.bloom_verbs()
    level = bloom.level(text, verbs)
    if level is None:
        table = bloom.unmeasurable_verbs()
        phrase = bloom.leading_phrase(text, table)
        level = table[phrase] if phrase else None
    return level


def alignment(catalog, track_id: str) -> Matrix:
    """The matrix of `track_id`'s requirement terms against its courses (unknown courses left out)."""
    from trackdesign.analysis.coverage import teaches, terms_of

    track = catalog.tracks[track_id].model
    columns = [(n, cid) for n, cid in enumerate(track.courses, 1) if cid in catalog.courses]
    courses = [{"number": n, "id": cid, "title": catalog.course(cid).title} for n, cid in columns]
    stems = {cid: [(text, set(content_stems(text))) for text in objectives_of(catalog.course(cid))]
             for _, cid in columns}
    rows = []
    for requirement in track.requirements:
        for term in requirement.covers:
            wanted = set(content_stems(term))
            cells = []
            for _, cid in columns:
                matching = [(text, objective_level(text)) for text, words in stems[cid] if wanted and wanted <= words]
                if matching:
                    cells.append(Cell(max((letter(level) for _, level in matching), key="IDM".index), matching))
                else:
                    cells.append(Cell("m" if teaches(terms_of(catalog, cid), term) else None))
            rows.append(Row(requirement.name, term, cells))
    return Matrix(courses, rows, [r.name for r in track.requirements if not r.covers])

