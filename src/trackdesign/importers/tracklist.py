"""`trackdesign import markdown` on a track list: one section (or `<details>` block) per track.

Many teams keep their tracks as one Markdown page: a heading or a `<details><summary>` per track,
and under it the track's courses as a list (`- [Title](url) (4 hours)`) or a table, Markdown or
HTML, often with columns such as hours, chapters, videos and exercises. Each section with
courses becomes a track with its courses in order; every column that a spec field holds is read
(`columns.py`), and every column, cell, paragraph or list item that none holds is reported with
its line. A paragraph before a section's courses is the track's description.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from trackdesign.importers import Imported, course_id, short_slug
from trackdesign.importers import columns as cols
from trackdesign.importers import mdtext
from trackdesign.importers.htmlblocks import Cell, Table, read_block
from trackdesign.importers.report import Report
from trackdesign.spec.ids import slugify


#: what a column of a track's table can fill (a track column means nothing inside a track's own table)
COURSE_COLUMNS = {"title", "url", "hours", "description", "instructor", "provider", "status", "tags", "difficulty",
                  "chapters", "prerequisites", "order"}
#: a list item without a link and with more words than this is a sentence, not a course title
PROSE_WORDS = 12


@dataclass
class Row:
    line: int
    values: dict[str, object] = field(default_factory=dict)  # field -> raw value


@dataclass
class Group:
    title: str
    line: int
    url: str | None = None
    description: str | None = None
    rows: list[Row] = field(default_factory=list)
    text: list[tuple[int, str]] = field(default_factory=list)  # paragraphs no field holds


def parse(text: str) -> tuple[list[Group], str | None, Report]:
    """(sections in document order, the document's title, report) of a track list."""
    from markdown_it import MarkdownIt

    report = Report()
    lines = text.splitlines()
    title = mdtext.front_matter(lines)
    tokens = MarkdownIt("commonmark").enable("table").parse("\n".join(lines))
    groups: list[Group] = [Group(title or "", 1)]
    stack: list[Group] = []  # open <details> blocks
    i = 0
    while i < len(tokens):
        token = tokens[i]
        line = (token.map[0] + 1) if token.map else groups[-1].line
        if token.type == "heading_open":
            heading = tokens[i + 1].content
            found = mdtext.link(heading)
            if token.tag == "h1" and not title and not groups[-1].rows and len(groups) == 1:
                groups[0].title, groups[0].line = heading, line
            else:
                groups.append(Group(found[0] if found and not found[2].strip() else heading, line,
                                    found[1] if found and not found[2].strip() else None))
            i += 3
            continue
        if token.type == "html_block":
            _html(read_block(token.content, line), groups, stack, report)
        elif token.type == "table_open":
            end = _close(tokens, i, "table_close")
            _table(_markdown_table(tokens[i:end + 1], lines), groups[-1], report)
            i = end
        elif token.type in ("bullet_list_open", "ordered_list_open"):
            end = _close(tokens, i, token.type.replace("_open", "_close"))
            _list(tokens[i:end + 1], groups[-1], report)
            i = end
        elif token.type == "inline" and tokens[i - 1].type == "paragraph_open":
            _paragraph(groups[-1], line, token.content)
        i += 1
    for group in groups:
        if not group.rows:
            for line, content in group.text:
                report.add(line, "not placed", content)
    return [g for g in groups if g.rows], title or (groups[0].title or None), report


def _close(tokens, start: int, kind: str) -> int:
    """Index of the token that closes the one at `start` (same nesting level)."""
    level = tokens[start].level
    for j in range(start + 1, len(tokens)):
        if tokens[j].type == kind and tokens[j].level == level:
            return j
    return len(tokens) - 1


def _paragraph(group: Group, line: int, content: str) -> None:
    text = " ".join(content.split())
    if group.description is None and not group.rows and mdtext.note(text) is None:
        group.description = text
        group.text.append((line, text))
    else:
        group.text.append((line, text))


def _html(events, groups: list[Group], stack: list[Group], report: Report) -> None:
    for event in events:
        if event[0] == "open":
            stack.append(Group("", event[1]))
        elif event[0] == "summary":
            if stack and not stack[-1].title:
                found = mdtext.link(event[2])
                stack[-1].title, stack[-1].url = event[2], event[3]
                if found:
                    stack[-1].title = found[0]
                groups.append(stack[-1])
            else:
                report.add(event[1], "not placed", f"summary {event[2]!r} outside a <details> block")
        elif event[0] == "close":
            if stack:
                stack.pop()
            groups.append(Group("", event[1]))  # what follows belongs to no track until a heading says so
        elif event[0] == "table":
            _table(event[1], groups[-1], report)
        else:
            groups[-1].text.append((event[1], event[2]))


def _markdown_table(tokens, lines: list[str]) -> Table:
    table = Table(tokens[0].map[0] + 1)
    for j, token in enumerate(tokens):
        if token.type == "tr_open":
            if table.rows:
                _beyond(table.rows[-1][1], lines[table.rows[-1][0] - 1])
            table.rows.append((token.map[0] + 1, []))
        elif token.type in ("th_open", "td_open"):
            content = tokens[j + 1].content
            found = mdtext.link(content)
            cell = Cell(content, header=token.type == "th_open")
            if found and not found[2].strip():
                cell.text, cell.href = found[0], found[1]
            table.rows[-1][1].append(cell)
    if table.rows:
        _beyond(table.rows[-1][1], lines[table.rows[-1][0] - 1])
    return table


def _beyond(cells: list[Cell], line: str) -> None:
    """Add the cells written beyond the header's columns, which the table parser drops (as GFM
    says), so that they are reported rather than lost."""
    text = line.strip().removeprefix("|")
    parts = re.split(r"(?<!\\)\|", text[:-1] if text.endswith("|") and not text.endswith("\\|") else text)
    cells.extend(Cell(part.strip()) for part in parts[len(cells):] if part.strip())


def _table(table: Table, group: Group, report: Report) -> None:
    if not table.rows:
        return
    header_line, header = table.rows[0]
    fields = [name if name in COURSE_COLUMNS else None for name in (cols.field_of(cell.text) for cell in header)]
    if "title" not in fields:
        if not fields or fields[0] is not None:
            report.add(header_line, "not placed", "a table without a course or title column; not read")
            return
        fields[0] = "title"  # the first column names the course
    for k, (cell, name) in enumerate(zip(header, fields)):
        why = "no spec field holds it" if name is None else cols.column_problem(
            name, [cells[k].text for _, cells in table.rows[1:] if k < len(cells)])
        if why:
            fields[k] = None
            report.add(header_line, "no field", f"column {cell.text!r} is not imported: {why}")
    for line, cells in table.rows[1:]:
        row = Row(line)
        for cell, name in zip(cells, fields):
            if name is None:
                continue
            row.values[name] = cell.text
            if name == "title" and cell.href and "url" not in fields:
                row.values["url"] = cell.href
        if len(cells) > len(fields):
            report.add(line, "not placed", f"{len(cells) - len(fields)} cell(s) beyond the header's columns")
        if row.values.get("title"):
            group.rows.append(row)
        elif any(c.text for c in cells):
            report.add(line, "not placed", "a row without a course title")


def _list(tokens, group: Group, report: Report) -> None:
    depth = tokens[0].level
    for j, token in enumerate(tokens):
        if token.type != "inline":
            continue
        line = token.map[0] + 1
        text = " ".join(token.content.split())
        if token.level != depth + 3:  # a nested item: nothing in a spec holds it
            report.add(line, "not placed", f"nested list item: {text}")
            continue
        if not mdtext.link(text) and len(text.split()) > PROSE_WORDS:
            report.add(line, "not placed", f"list item read as prose, not a course: {text}")
            continue
        group.rows.append(_item(line, text, report))


def _item(line: int, text: str, report: Report) -> Row:
    """'[Title](url) (4 hours) - what it teaches' as a row."""
    row = Row(line)
    found = mdtext.link(text)
    title, url, rest = (found[0], found[1] or None, found[2].strip()) if found else (text, None, "")
    if not found:
        title, rest = _split_plain(text)
    row.values["title"] = title
    if url:
        row.values["url"] = url
    hours = re.match(r"^\(([^()]*)\)\s*", rest)
    if hours and cols.convert("hours", hours.group(1))[1] is None:
        row.values["hours"] = hours.group(1)
        rest = rest[hours.end():]
    described = re.match(r"^(?:[-–—:]+|,)\s*(.+)$", rest)
    if described:
        row.values["description"] = described.group(1).strip()
    elif rest:
        report.add(line, "not placed", f"after {title!r}: {rest!r}")
    return row


def _split_plain(text: str) -> tuple[str, str]:
    """A plain item's title, and what follows it: a '(...)' remark, then a ' - ' separated description."""
    match = re.match(r"^(.+?)\s+(?:--?|–|—)\s+(.+)$", text)
    title, rest = (match.group(1).strip(), f"- {match.group(2)}") if match else (text.strip(), "")
    remark = re.search(r"\s*(\([^()]*\))$", title)
    if remark and remark.start() > 0:
        title, rest = title[:remark.start()].strip(), f"{remark.group(1)} {rest}".strip()
    return title, rest


def to_specs(groups: list[Group], report: Report) -> Imported:
    result = Imported(report=report)
    for group in groups:
        track_id = short_slug(group.title) or f"track-{group.line}"
        if track_id in result.tracks:
            report.add(group.line, "conflict", f"a second track titled {group.title!r}; its courses are not imported")
            continue
        order = []
        for row in _ordered(group, report):
            cid = _course(row, result, report)
            if cid and cid not in order:
                order.append(cid)
            elif cid:
                report.add(row.line, "conflict", f"{row.values['title']!r} is listed twice in track {group.title!r}")
        track: dict = {"title": group.title or "Imported track", "kind": "skill"}
        if group.url:
            track["url"] = group.url
        if group.description:
            track["description"] = group.description
        for line, content in group.text:
            if content != group.description:
                report.add(line, "not placed", content)
        track["courses"] = order
        result.tracks[track_id] = track
        result.lines[("tracks", track_id)] = group.line
    _resolve_prerequisites(result)
    return result


def _resolve_prerequisites(result: Imported) -> None:
    """Prerequisites named by title are the courses of the list with that title, where there is one."""
    by_title = {slugify(data["title"]): cid for cid, data in result.courses.items()}
    for data in result.courses.values():
        if "prerequisites" in data:
            data["prerequisites"] = [by_title.get(name, name) for name in data["prerequisites"]]


def _ordered(group: Group, report: Report) -> list[Row]:
    """The rows in the order an order column gives, where it gives one for each row."""
    orders = [cols.convert("order", row.values.get("order"))[0] for row in group.rows]
    if any(o is None for o in orders) or orders == sorted(orders):
        return group.rows
    report.add(group.rows[0].line, "rewritten", f"track {group.title!r}: courses listed in the order of their"
                                                " order column, not of the rows")
    return [row for _, row in sorted(zip(orders, group.rows), key=lambda pair: pair[0])]


def _course(row: Row, result: Imported, report: Report) -> str | None:
    values = dict(row.values)
    title = str(values.pop("title")).strip()
    url = values.pop("url", None)
    url = str(url).strip() or None if url else None
    values.pop("order", None)
    cid = course_id(title, url)
    data: dict = {"title": title, **({"url": url} if url else {})}
    for name, raw in values.items():
        value, problem = cols.convert(name, raw)
        if problem:
            report.add(row.line, "not placed", f"{title!r}: {problem}")
        elif value is not None and name == "prerequisites":
            data[name] = [slugify(part) for part in re.split(r"[;,]\s*", str(value)) if slugify(part)]
        elif value is not None:
            data[name] = value
    earlier = result.courses.get(cid)
    if earlier is None:
        result.courses[cid] = data
        result.lines[("courses", cid)] = row.line
    elif earlier != data:
        fields = sorted(k for k in data.keys() | earlier.keys() if data.get(k) != earlier.get(k))
        report.add(row.line, "conflict", f"{title!r} differs from its row at line {result.lines[('courses', cid)]}"
                                         f" in {', '.join(fields)}; the first is kept")
    return cid
