"""The HTML that track lists embed in Markdown: `<details><summary>` blocks and `<table>`s.

Markdown hands raw HTML over as blocks of text; this reads such a block into events with their
source lines (a block may open a `<details>` that a later block closes, with Markdown between),
using the standard library's tolerant parser. Text outside summaries and tables is returned too,
so that the importer can report it instead of dropping it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from html.parser import HTMLParser


@dataclass
class Cell:
    text: str = ""
    href: str | None = None
    header: bool = False


@dataclass
class Table:
    line: int
    rows: list[tuple[int, list[Cell]]] = field(default_factory=list)


class _Reader(HTMLParser):
    def __init__(self, before: int):
        super().__init__(convert_charrefs=True)
        self.before = before  # lines of the document before the block
        self.events: list[tuple] = []  # ("open", line) | ("summary", line, text, href) | ("close", line)
        #                                | ("table", Table) | ("text", line, text)
        self.summary: list | None = None
        self.table: Table | None = None
        self.cell: Cell | None = None
        self.href: str | None = None

    def line(self) -> int:
        return self.before + self.getpos()[0]

    def handle_starttag(self, tag, attrs):
        if tag == "details":
            self.events.append(("open", self.line()))
        elif tag == "summary":
            self.summary, self.href = [], None
        elif tag == "table":
            self.table = Table(self.line())
        elif tag == "tr" and self.table is not None:
            self.table.rows.append((self.line(), []))
        elif tag in ("td", "th") and self.table is not None:
            if not self.table.rows:
                self.table.rows.append((self.line(), []))
            self.cell = Cell(header=tag == "th")
            self.table.rows[-1][1].append(self.cell)
        elif tag == "a":
            href = dict(attrs).get("href")
            if self.cell is not None and self.cell.href is None:
                self.cell.href = href
            elif self.summary is not None and self.href is None:
                self.href = href

    def handle_endtag(self, tag):
        if tag == "details":
            self.events.append(("close", self.line()))
        elif tag == "summary" and self.summary is not None:
            self.events.append(("summary", self.line(), " ".join("".join(self.summary).split()), self.href))
            self.summary = None
        elif tag in ("td", "th"):
            if self.cell is not None:
                self.cell.text = " ".join(self.cell.text.split())
            self.cell = None
        elif tag == "table" and self.table is not None:
            self.events.append(("table", self.table))
            self.table = self.cell = None

    def handle_data(self, data):
        if self.cell is not None:
            self.cell.text += data
        elif self.summary is not None:
            self.summary.append(data)
        elif self.table is None and data.strip():
            self.events.append(("text", self.line(), " ".join(data.split())))


def read_block(html: str, first_line: int) -> list[tuple]:
    """Events of one HTML block whose first line is `first_line` (1-based) in the document."""
    reader = _Reader(first_line - 1)
    reader.feed(html)
    reader.close()
    if reader.table is not None:  # a table the block does not close: what was read is kept
        reader.events.append(("table", reader.table))
    return reader.events
