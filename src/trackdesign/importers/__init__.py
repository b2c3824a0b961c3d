"""Importers: specs from documents and tables designers already have.

Every importer produces an `Imported` (spec data, where each spec came from, a report); writing is
shared and merges into the specs folder (`merge.py`): a new spec is written, an existing spec is
reused and only gains the fields it lacks, and a field that disagrees is reported, never replaced
unless asked. Files are written atomically, and nothing at all on a dry run.
"""

from __future__ import annotations

import codecs
import re
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlparse

from trackdesign.spec.ids import slugify
from trackdesign.importers.report import Report


@dataclass
class Imported:
    courses: dict[str, dict] = field(default_factory=dict)
    tracks: dict[str, dict] = field(default_factory=dict)
    #: course ids made only because something names them (a prerequisite outside the document)
    references: set[str] = field(default_factory=set)
    lines: dict[tuple[str, str], int] = field(default_factory=dict)  # ("courses", id) -> source line
    report: Report = field(default_factory=Report)

    def specs(self) -> dict[str, dict[str, dict]]:
        return {"tracks": self.tracks, "courses": self.courses}


#: longest id an importer makes: a file name every file system takes, still readable
MAX_ID = 80


def course_id(title: str, url: str | None = None) -> str:
    """The id a designer would choose: the course page's slug when there is one, else the title's."""
    if url:
        segment = urlparse(url).path.rstrip("/").rsplit("/", 1)[-1]
        if re.fullmatch(r"[a-z0-9]+(?:-[a-z0-9]+)+", segment) and len(segment) <= MAX_ID:
            return segment
    return short_slug(title) or "course"


def short_slug(text: str) -> str:
    """`slugify`, cut at a word boundary to MAX_ID characters."""
    slug = slugify(text)
    if len(slug) <= MAX_ID:
        return slug
    return slug[:MAX_ID + 1].rsplit("-", 1)[0]


def plan_writes(out: Path, imported: Imported, overwrite: bool = False):
    """The files to write into `out` for `imported`, merged with the specs already there.

    Conflicts go into `imported.report`; see `merge.Plan` for what the plan holds.
    """
    from trackdesign.importers.merge import plan

    return plan(out, imported, overwrite)


def write_all(writes: dict[Path, str]) -> None:
    from trackdesign.atomic import write_text

    for path, text in writes.items():
        write_text(path, text)


class UnreadableText(Exception):
    """A document that is not text in an encoding its bytes say (exit 2)."""


_BOMS = ((codecs.BOM_UTF32_LE, "utf-32"), (codecs.BOM_UTF32_BE, "utf-32"), (codecs.BOM_UTF8, "utf-8-sig"),
         (codecs.BOM_UTF16_LE, "utf-16"), (codecs.BOM_UTF16_BE, "utf-16"))


def read_text(path: Path) -> str:
    """A document's text: UTF-8 (a BOM allowed), or UTF-16 or UTF-32 marked by their BOM, as
    spreadsheets save "Unicode text". Anything else is refused with its line, never guessed. Line
    ends are read as Python's text files read them (\r\n and \r become \n)."""
    data = path.read_bytes()
    encoding = next((name for bom, name in _BOMS if data.startswith(bom)), "utf-8")
    try:
        return data.decode(encoding).replace("\r\n", "\n").replace("\r", "\n")
    except UnicodeDecodeError as exc:
        line = data[:exc.start].decode(encoding, "replace").count("\n") + 1
        raise UnreadableText(f"{path}:{line}: not {encoding.removesuffix('-sig').upper()} text ({exc.reason});"
                             " save the file as UTF-8") from None


class NothingToImport(Exception):
    """The document holds no course the importers can read (exit 2)."""


def read_markdown(text: str, shape: str | None = None) -> Imported:
    """A proposal (course sections) or a track list (a section or <details> block per track).

    `shape` ("proposal" or "tracks") says which; by default a document whose course sections have
    objectives, prerequisites or numbers is a proposal, and one with course lists or tables a track list.
    """
    from trackdesign.importers import tracklist
    from trackdesign.importers.markdown import parse
    from trackdesign.importers.proposal import to_specs

    doc = parse(text) if shape != "tracks" else None
    if doc and doc.courses and (shape == "proposal" or any(
            s.objectives or s.prerequisites or s.prerequisites_none or s.number is not None for s in doc.courses)):
        return to_specs(doc)
    if shape != "proposal":
        groups, _, report = tracklist.parse(text)
        if groups:
            return tracklist.to_specs(groups, report)
    if doc and doc.courses:
        return to_specs(doc)
    raise NothingToImport("no course sections found (expected headings like '## 1 - [Title](url)')"
                          " and no track with a list or table of courses")
