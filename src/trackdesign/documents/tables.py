"""Tables of records (metrics, overlap pairs, link hosts, schedules) as aligned text, CSV or JSON.

CSV cells that a spreadsheet would run as a formula (text starting with =, +, -, @, a tab or a
carriage return) are written with a leading apostrophe, as spreadsheet programs themselves do,
so a course title can never become a formula in a reviewer's Excel.
"""

from __future__ import annotations

import csv
import io
import json

from trackdesign.lint.formats.text import printable

_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value):
    """A value for a CSV cell: text that would start a formula is quoted with an apostrophe."""
    if isinstance(value, str) and value.startswith(_FORMULA_START):
        return "'" + value
    return value


def csv_text(rows: list[dict], columns: list[str]) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(columns)
    for row in rows:
        writer.writerow([safe_cell(_plain(row.get(column))) for column in columns])
    return buffer.getvalue()


def json_text(data) -> str:
    return json.dumps(data, indent=2, ensure_ascii=False, default=str) + "\n"


def text_table(rows: list[dict], columns: list[str], numeric: set[str] = frozenset()) -> str:
    """Columns aligned with two spaces between them; numbers to the right."""
    cells = [[_plain(row.get(column)) for column in columns] for row in rows]
    cells = [["-" if value is None else printable(str(value)) for value in line] for line in cells]
    widths = [max([len(column)] + [len(line[k]) for line in cells]) for k, column in enumerate(columns)]

    def line(values):
        return "  ".join(value.rjust(width) if columns[k] in numeric else value.ljust(width)
                         for k, (value, width) in enumerate(zip(values, widths))).rstrip()

    return "\n".join([line(columns), *map(line, cells)]) + "\n"


def _plain(value):
    if isinstance(value, float):
        return f"{value:.6g}"
    if isinstance(value, (list, tuple)):
        return "; ".join(map(str, value))
    return value
