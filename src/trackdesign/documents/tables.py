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


def metrics_text(result, fmt: str, top: int | None = None, levels: dict | None = None) -> str:
    """`trackdesign metrics`: each course's measures (the `top` most complex), with the Bloom level
    of its objectives for a track (`levels`), and the curriculum's structural complexity."""
    rows = result.rows()[:top] if top else result.rows()
    columns = ["course", "title", "blocking", "delay", "centrality", "complexity"] + (["bloom"] if levels is not None else [])
    records = [{**{c: getattr(m, c) for c in columns if c != "bloom"},
                **({"bloom": levels.get(m.course)} if levels is not None else {})} for m in rows]
    if fmt == "json":
        return json_text({"structural_complexity": result.structural_complexity, "courses": records,
                          "dropped_cycle_edges": [list(e) for e in result.dropped_edges]})
    if fmt == "csv":
        return csv_text(records, columns)
    shown = [c for c in columns if c != "title"]
    return (text_table(records, shown, numeric=set(shown) - {"course"})
            + f"\nstructural complexity: {result.structural_complexity} ({len(result.courses)} courses)\n")


def overlap_text(pairs, fmt: str) -> str:
    """`trackdesign overlap`: judged pairs, best first, each with its score's parts and evidence."""
    from trackdesign.analysis.judgement import describe, headline
    from trackdesign.analysis.overlap import FIELDS

    if fmt == "json":
        return json_text([p.as_dict() for p in pairs])
    if fmt == "csv":
        columns = ["a", "b", "score", "flagged", "sequel", "drivers", "terms", "similar", *[f"{f}_score" for f in FIELDS]]
        return csv_text([{"a": p.a, "b": p.b, "score": f"{p.score:.3f}", "flagged": p.flagged, "sequel": p.sequel or "",
                          "drivers": " ".join(p.drivers), "terms": p.terms, "similar": "; ".join(map(str, p.similar)),
                          **{f"{f}_score": f"{p.fields.get(f, 0):.3f}" for f in FIELDS}} for p in pairs], columns)
    lines = [] if pairs else ["No pair of courses is that similar."]
    for rank, p in enumerate(pairs, 1):
        mark = "flagged" if p.flagged else "not flagged"
        lines += [f"{rank:>3}. {p.score:.2f}  {p.a}  ~  {p.b}  ({mark}: {p.b} {headline(p)})", f"       {describe(p)}"]
    return printable("\n".join(lines)) + "\n"
