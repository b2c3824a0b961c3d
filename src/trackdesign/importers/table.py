"""`trackdesign import table`: a catalog kept as CSV, xlsx or JSON lines, into course specs.

Columns are mapped by name (`--id code --title name ...`). Prerequisites may be a list, an
expression ("A and (B or C)", commas meaning "and"), or a tree of all/any nodes as in the UCSD
catalog. The spec model holds AND of (course | any of courses); a deeper expression is kept as a
sound under-approximation (a nested "and" inside an "or" by its first course, "two of" as "any of"),
which can only make a requirement weaker, so redundancy found afterwards is real.
"""

from __future__ import annotations

import csv
import json
import re
from dataclasses import dataclass, field
from pathlib import Path

from trackdesign.spec.ids import slugify


class TableError(Exception):
    """The file cannot be read as a table (exit 2)."""


@dataclass
class Imported:
    courses: dict[str, dict] = field(default_factory=dict)
    problems: list[tuple[int, str]] = field(default_factory=list)  # (row number, message)


def course_id(code) -> str:
    return slugify(str(code))


def rows(path: Path):
    """(row number as a spreadsheet shows it, {column: value}) for each data row."""
    suffix = path.suffix.lower()
    try:
        if suffix == ".jsonl":
            with open(path, encoding="utf-8") as handle:
                for number, line in enumerate(handle, 1):
                    if line.strip():
                        try:
                            yield number, json.loads(line)
                        except json.JSONDecodeError as exc:
                            yield number, ValueError(f"not JSON: {exc.msg}")
        elif suffix == ".csv":
            with open(path, encoding="utf-8-sig", newline="") as handle:
                for number, row in enumerate(csv.DictReader(handle), 2):
                    yield number, row
        elif suffix in (".xlsx", ".xlsm"):
            from trackdesign.sheets.importer import WorkbookError, read_workbook

            try:
                book = read_workbook(path)
            except WorkbookError as exc:
                raise TableError(str(exc)) from None
            try:
                values = book.worksheets[0].iter_rows(values_only=True)
                header = [str(h).strip() if h is not None else "" for h in next(values, [])]
                for number, row in enumerate(values, 2):
                    yield number, dict(zip(header, row))
            finally:
                book.close()
        else:
            raise TableError(f"{path}: expected a .csv, .xlsx or .jsonl file")
    except (OSError, UnicodeDecodeError) as exc:
        raise TableError(f"{path}: cannot read: {exc}") from None


# --- prerequisite expressions ---------------------------------------------------------------------

TOKEN = re.compile(r"\s*(\(|\)|,|;|\band\b|\bor\b|[^(),;]+?(?=\s*(?:\(|\)|,|;|\band\b|\bor\b|$)))", re.I)


def parse_expression(text: str):
    """'A and (B or C)' -> {"type": "all", "courses": ["A", {"type": "one", "courses": ["B", "C"]}]}."""
    tokens = [t.strip() for t in TOKEN.findall(text) if t.strip()]
    position = 0

    def peek():
        return tokens[position].lower() if position < len(tokens) else None

    def take():
        nonlocal position
        position += 1
        return tokens[position - 1]

    def either():
        terms = [both()]
        while peek() == "or":
            take()
            terms.append(both())
        return terms[0] if len(terms) == 1 else {"type": "one", "courses": terms}

    def both():
        terms = [atom()]
        while peek() in ("and", ",", ";"):
            take()
            terms.append(atom())
        return terms[0] if len(terms) == 1 else {"type": "all", "courses": terms}

    def atom():
        token = peek()
        if token is None or token in (")", "and", "or", ",", ";"):
            raise ValueError(f"expected a course at {' '.join(tokens[position:]) or 'the end'!r}")
        if token == "(":
            take()
            inner = either()
            if peek() != ")":
                raise ValueError("unbalanced parentheses")
            take()
            return inner
        return take()

    tree = either()
    if position != len(tokens):
        raise ValueError(f"unexpected {tokens[position]!r}")
    return tree


def _alternatives(node) -> list[str]:
    if isinstance(node, str):
        return [course_id(node)]
    if node.get("type") == "all":
        return _alternatives(node["courses"][0])[:1] if node.get("courses") else []
    found: list[str] = []
    for child in node.get("courses", []):
        found += [a for a in _alternatives(child) if a not in found]
    return found


def _group(node):
    alts = _alternatives(node)
    if not alts:
        return None
    return alts[0] if len(alts) == 1 else {"any_of": alts}


def prerequisites(tree) -> list:
    """The spec's prerequisite list for a tree (str, list, or {"type": all|one|any|two, "courses": [...]})."""
    if not tree:
        return []
    if isinstance(tree, str):
        return prerequisites(parse_expression(tree)) if re.search(r"[(),;]|\b(and|or)\b", tree, re.I) \
            else [course_id(tree)]
    if isinstance(tree, list):
        entries = []
        for item in tree:
            entry = _group({"type": "one", "courses": item}) if isinstance(item, list) else _group(item)
            if entry and entry not in entries:
                entries.append(entry)
        return entries
    if not isinstance(tree, dict) or "courses" not in tree:
        raise ValueError(f"expected a course, a list or an all/any tree, got {tree!r}")
    if tree.get("type") == "all":
        entries = []
        for child in tree["courses"]:
            for entry in (prerequisites(child) if isinstance(child, str) or child.get("type") == "all"
                          else [_group(child)]):
                if entry and entry not in entries:
                    entries.append(entry)
        return entries
    group = _group(tree)
    return [group] if group else []


def import_rows(path: Path, mapping: dict[str, str | None], url_template: str | None = None) -> Imported:
    result = Imported()
    for number, row in rows(path):
        if isinstance(row, Exception):
            result.problems.append((number, str(row)))
            continue
        code, title = row.get(mapping["id"]), row.get(mapping["title"]) if mapping["title"] else None
        if code in (None, ""):
            result.problems.append((number, f"no value in the id column {mapping['id']!r}"))
            continue
        cid = course_id(code)
        if not cid:
            result.problems.append((number, f"id {code!r} gives no usable course id"))
            continue
        if cid in result.courses:
            result.problems.append((number, f"duplicate id {code!r} (course {cid!r} already imported)"))
            continue
        spec: dict = {"title": str(title).strip() if title not in (None, "") else str(code), "status": "live"}
        url = row.get(mapping["url"]) if mapping.get("url") else None
        if not url and url_template:
            try:
                url = url_template.format(**row)
            except (KeyError, IndexError, ValueError) as exc:
                result.problems.append((number, f"--url-template needs column {exc}"))
        if url:
            spec["url"] = str(url).strip()
        description = row.get(mapping["description"]) if mapping.get("description") else None
        if description not in (None, ""):
            spec["description"] = str(description).strip()
        raw = row.get(mapping["prerequisites"]) if mapping.get("prerequisites") else None
        if isinstance(raw, str) and raw.strip().startswith(("[", "{")):
            try:
                raw = json.loads(raw)
            except json.JSONDecodeError:
                pass
        try:
            prereqs = prerequisites(raw)
        except ValueError as exc:
            result.problems.append((number, f"prerequisites {raw!r}: {exc}"))
            continue
        if prereqs:
            spec["prerequisites"] = prereqs
        result.courses[cid] = spec
    return result
