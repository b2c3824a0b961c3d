"""The small pieces of Markdown that proposals and track lists share: headings, links, notes, dates.

Authors vary the markup (`**_Note_**:`, `*Note*:`, `Note:`; `*` or `-` bullets; dates with or
without parentheses), so each piece is matched loosely here, once, and both importers agree.
"""

from __future__ import annotations

import datetime as dt
import re

HEADING = re.compile(r"^(#{1,6})\s+(.*?)(?:\s+#+)?\s*$")
#: a link at the start of a text, its target allowed one level of parentheses (Wikipedia's URLs)
LINK = re.compile(r"^\[([^\[\]]+)\]\(\s*([^()\s]*(?:\([^()\s]*\)[^()\s]*)*)\s*\)(.*)$", re.S)
NOTE = re.compile(r"^(?:>\s*)?[*_]{0,3}note[*_]{0,3}\s*:[*_]{0,3}\s*(.*)$", re.I | re.S)
BULLET = re.compile(r"^(\s*)(?:[*+-]|\d+[.)])\s+(.*)$")
LONE_STAR = re.compile(r"(?<![*])[*](?![*])")
MONTH_DAY = re.compile(r"^(?:[A-Z][a-z]+\.? \d{1,2}(?:st|nd|rd|th)?|\d{1,2} [A-Z][a-z]+)$")
DATE_FORMATS = ("%B %d, %Y", "%b %d, %Y", "%B %d %Y", "%b %d %Y", "%Y-%m-%d", "%d %B %Y", "%d %b %Y")


def heading(line: str) -> tuple[int, str] | None:
    """(level, text) of an ATX heading."""
    match = HEADING.match(line.strip())
    return (len(match.group(1)), match.group(2)) if match else None


def link(text: str) -> tuple[str, str, str] | None:
    """(link text, target, what follows) when `text` starts with a Markdown link."""
    match = LINK.match(text.strip())
    return (match.group(1).strip(), match.group(2), match.group(3)) if match else None


def note(text: str) -> str | None:
    """The body of a note paragraph ('**_Note_**: *...*', '*Note*: ...', 'Note: ...'), else None."""
    match = NOTE.match(text.strip())
    return unwrap(match.group(1)) if match else None


def unwrap(text: str) -> str:
    """Text without the one pair of single asterisks (or underscores) that italicises all of it."""
    text = text.strip()
    for mark in "*_":
        if len(text) > 2 and text[0] == mark and text[-1] == mark and text[1] != mark and text[-2] != mark:
            inner = text[1:-1]
            if mark == "*" and LONE_STAR.search(inner) or mark == "_" and re.search(r"(?<!\w)_|_(?!\w)", inner):
                return text  # other italics inside: the marks do not wrap the whole text
            return inner.strip()
    return text


def label(text: str) -> str:
    """A bullet's text as a label: 'Learning objectives:' and '**Prerequisites**' -> lower case, bare."""
    return re.sub(r"[*_:]", "", text).strip().lower()


def parse_date(text: str) -> dt.date | None:
    text = re.sub(r"(\d)(st|nd|rd|th)\b", r"\1", text.strip().rstrip(".").strip())
    for fmt in DATE_FORMATS:
        try:
            return dt.datetime.strptime(text, fmt).date()
        except ValueError:
            continue
    return None


def lacks_year(text: str) -> bool:
    """'June 28' or '28 June': a day of a month in no year."""
    return bool(MONTH_DAY.match(text.strip().rstrip(".").strip()))


def paragraphs(lines: list[tuple[int, str]]):
    """(first line number, text, is a bullet, indent) for each paragraph or bullet item.

    Consecutive text lines make one paragraph (Markdown joins soft-wrapped lines with a space); a
    bullet item takes the unindented-bullet-free lines that follow it, as Markdown's lazy
    continuation does; blank lines end both.
    """
    current = None
    for number, raw in lines:
        if not raw.strip():
            if current:
                yield current
            current = None
            continue
        bullet = BULLET.match(raw.rstrip())
        if bullet:
            if current:
                yield current
            current = (number, bullet.group(2).strip(), True, len(bullet.group(1).expandtabs(4)))
            continue
        if current and not heading(raw):
            current = (current[0], f"{current[1]} {raw.strip()}", current[2], current[3])
            continue
        if current:
            yield current
        current = (number, raw.strip(), False, len(raw) - len(raw.lstrip()))
    if current:
        yield current


def front_matter(lines: list[str]) -> str | None:
    """Blank out a leading YAML front matter (keeping line numbers) and return its title."""
    if not lines or lines[0].strip() != "---":
        return None
    for end in range(1, min(len(lines), 200)):
        if lines[end].strip() in ("---", "..."):
            block = lines[1:end]
            for k in range(end + 1):
                lines[k] = ""
            for entry in block:
                match = re.match(r"^title:\s*(.+?)\s*$", entry)
                if match:
                    return match.group(1).strip("\"'")
            return None
    return None
