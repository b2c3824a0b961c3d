"""Load a specs folder into a Catalog, turning every defect into a positioned, readable problem.

A file that cannot be read, parsed or validated is reported (as a problem of its `kind`)
and left out of the catalog; the rest still load, so one bad file never hides the others' findings.
Finding and parsing the files is `trackdesign.spec.files`'s part; validating them and
assembling the catalog is this module's.
"""

from __future__ import annotations

import difflib
import re
from pathlib import Path

from pydantic import BaseModel, ValidationError

from trackdesign import SPEC_VERSION
from trackdesign.spec.problems import DUPLICATE_ID, OFF_FORMAT, Problem
from trackdesign.gcpause import paused_while
from trackdesign.spec.catalog import Catalog, Spec
from trackdesign.spec.model import Course, Track
from trackdesign.spec.files import FOLDERS, Parsed, discover, kebab, parse, problem
from trackdesign.spec.yamldoc import Located, load_located

MODELS = {"course": Course, "track": Track}
KINDS = {folder: (kind, MODELS[kind]) for folder, kind in FOLDERS.items()}  # folder -> (kind, model)


@paused_while
def load_catalog(root: Path | str) -> Catalog:
    """Every spec under `root`, with the problems that kept any from loading (`Catalog.problems`).

    Raises `SpecsNotFound` when `root` is no specs folder. The cyclic garbage collector is paused
    meanwhile (see `trackdesign.gcpause`).
    """
    root = Path(root)
    catalog = Catalog(root=root)
    files = discover(root)
    outcomes = [_checked(found, parse(*found)) for found in files]
    seen: dict[tuple[str, str], str] = {}  # (kind, id in lower case) -> where it was first met, as shown
    # in the files' sorted order: which of two files with the same id is the duplicate never
    # depends on the disk
    for (folder, _, shown, stem), outcome in zip(files, outcomes):
        kind = KINDS[folder][0]
        if isinstance(outcome, Problem):  # unreadable, or a name that is no id: never a duplicate
            catalog.problems.append(outcome)
            catalog.left_out.add((kind, stem))
            continue
        problems, spec = outcome
        key = (kind, stem.lower())
        if key in seen:
            catalog.problems.append(problem(DUPLICATE_ID, shown, 1, 1, f"duplicate {kind} id {stem!r}: also defined in"
                                            f" {seen[key]}", "give each spec a unique file name", related=[seen[key]]))
            continue
        seen[key] = shown
        catalog.problems.extend(problems)
        if spec is not None:
            (catalog.courses if kind == "course" else catalog.tracks)[spec.id] = spec
        else:
            catalog.left_out.add((kind, stem))
    return catalog


def _checked(found: tuple[str, str, str, str], parsed):
    """A parsed file validated: (problems, Spec or None); what kept it from parsing, as it was."""
    if not isinstance(parsed, Parsed):
        return parsed
    folder, path, shown, spec_id = found
    kind, model_cls = KINDS[folder]
    problems: list = []
    model, dropped = _validate(parsed.located, model_cls, kind, shown, problems)
    if problems:  # rare: validate again with positions, for messages that say where
        problems.clear()
        model, dropped = _validate(load_located(parsed.text), model_cls, kind, shown, problems)
    if model is None:
        return problems, None
    strings = parsed.located.strings
    if dropped:  # the text of what was left out is no link, objective or prose of the spec
        gone = set(dropped)
        strings = [(p, text) for p, text in strings if not _under(p, gone)]
    return problems, Spec(kind, spec_id, path, shown, strings, model, parsed.suppressions, parsed.digest)


# --- schema errors -------------------------------------------------------------------------------

_EXPECTED = {
    "string_type": "text",
    "int_type": "a whole number",
    "int_parsing": "a whole number",
    "int_from_float": "a whole number",
    "float_type": "a number",
    "float_parsing": "a number",
    "finite_number": "a finite number",
    "bool_type": "true or false",
    "bool_parsing": "true or false",
    "date_type": "a date like 2019-06-28",
    "date_parsing": "a date like 2019-06-28",
    "date_from_datetime_parsing": "a date like 2019-06-28",
    "date_from_datetime_inexact": "a date like 2019-06-28 (without a time)",
    "list_type": "a list",
    "model_type": "a mapping (key: value pairs)",
    "dict_type": "a mapping (key: value pairs)",
    "model_attributes_type": "a mapping (key: value pairs)",
}


def _yaml_type(value) -> str:
    import datetime as dt

    if value is None:
        return "nothing (null)"
    if isinstance(value, bool):
        return f"the boolean {str(value).lower()}"
    if isinstance(value, int):
        return f"the number {value}"
    if isinstance(value, float):
        return f"the number {value}"
    if isinstance(value, str):
        shown = value if len(value) <= 40 else value[:37] + "..."
        return f"the text {shown!r}"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, (dt.date, dt.datetime)):
        return f"the date {value}"
    return type(value).__name__


def _data_path(data, loc) -> tuple[tuple, bool]:
    """Strip pydantic's union-branch labels from `loc`; say whether the last element is absent."""
    path: list = []
    node = data
    for element in loc:
        if isinstance(node, dict) and element in node:
            path.append(element)
            node = node[element]
        elif isinstance(node, list) and isinstance(element, int) and 0 <= element < len(node):
            path.append(element)
            node = node[element]
        elif isinstance(node, dict) and element == loc[-1] and isinstance(element, str):
            path.append(element)
            return tuple(path), True
        # anything else is a label pydantic adds for a union branch: skip it
    return tuple(path), False


def _value_at(data, path):
    for element in path:
        data = data[element]
    return data


def _model_at(model_cls: type[BaseModel], path: tuple) -> type[BaseModel] | None:
    """The model class whose fields apply at `path` (for did-you-mean on unknown keys)."""
    import typing

    current: object = model_cls
    for element in path:
        if isinstance(element, int):
            continue
        if not (isinstance(current, type) and issubclass(current, BaseModel)):
            return None
        info = current.model_fields.get(element)
        if info is None:
            return None
        current = _unwrap(info.annotation, typing)
    return current if isinstance(current, type) and issubclass(current, BaseModel) else None


def _unwrap(annotation, typing):
    while True:
        args = typing.get_args(annotation)
        if not args:
            return annotation
        models = [a for a in args if isinstance(a, type) and issubclass(a, BaseModel)]
        if models:
            return models[0]
        nested = [a for a in args if typing.get_args(a)]
        if not nested:
            return annotation
        annotation = nested[0]


def _validate(located: Located, model_cls, kind: str, shown: str, problems: list):
    """(model or None, paths left out): the spec as far as it follows the format, each violation
    noted in `problems`.

    A violation leaves out only the value it is about (an unknown key, a list holding a bad item)
    when the rest still makes a spec: one misspelt key must not hide the whole course from the
    other rules, nor make every reference to it look like a reference to nothing.
    """
    data = located.data
    if data is None:
        problems.append(problem(OFF_FORMAT, shown, 1, 1, f"empty file: expected a {kind} mapping with at least 'title'",
                            f"see `trackdesign schema --kind {kind}`"))
        return None, []
    if not isinstance(data, dict):
        line, column = located.position(())
        problems.append(problem(OFF_FORMAT, shown, line, column,
                            f"expected a {kind} mapping (key: value pairs) at the top level, got {_yaml_type(data)}"))
        return None, []
    version = data.get("spec_version")
    if isinstance(version, int) and not isinstance(version, bool) and version > SPEC_VERSION:
        line, column = located.position(("spec_version",))
        problems.append(problem(OFF_FORMAT, shown, line, column,
                            f"written for spec format {version}; this trackdesign reads up to {SPEC_VERSION}",
                            "upgrade trackdesign"))
        return None, []
    dropped: list[tuple] = []
    try:
        model = model_cls.model_validate(data)
    except ValidationError as exc:
        for line, column, message, hint in _translate(exc, data, located, model_cls):
            problems.append(problem(OFF_FORMAT, shown, line, column, message, hint))
        model, data, dropped = _salvage(data, exc, model_cls)
        if model is None:
            return None, []
    newer = _newer_fields(data, model_cls, model.spec_version)
    declared = f"declares spec_version: {model.spec_version}" if "spec_version" in data else \
        "has no spec_version (so 1)"
    for key, needed in newer:
        line, column = located.position((key,), key=True)
        problems.append(problem(OFF_FORMAT, shown, line, column,
                            f"key {key!r} belongs to spec format {needed}, but the file {declared}",
                            f"add `spec_version: {needed}` at the top of the file"))
    nested = _newer_forms(data) if model_cls is Course and model.spec_version < 3 else []
    for path, what in nested:
        line, column = located.position(path, key=True)
        problems.append(problem(OFF_FORMAT, shown, line, column, f"{what} belongs to spec format 3, but the file {declared}",
                                "add `spec_version: 3` at the top of the file"))
    later = {key for key, _ in newer} | {path[0] for path, _ in nested}
    if later:  # left out as any other value the file's format does not have
        try:
            model = model_cls.model_validate({k: v for k, v in data.items() if k not in later})
        except ValidationError:
            return None, []
        dropped += [(key,) for key in later]
    return model, dropped


#: Rounds of leaving values out before a spec is given up: a bad required value inside a list item
#: takes three (the value, then its item's whole list).
_SALVAGE_ROUNDS = 4


def _salvage(data: dict, exc: ValidationError, model_cls):
    """(model, data, paths left out) once every invalid value is left out, or (None, data, [])
    when what is left is no spec (its title or other required top-level value is bad).

    A mapping key is removed alone; a bad list item takes its whole list with it, since removing
    the item would renumber the ones after it and every later position would point one item off.
    """
    import copy

    data = copy.deepcopy(data)
    dropped: list[tuple] = []
    for _ in range(_SALVAGE_ROUNDS):
        paths = set()
        for error in _unbranch(exc.errors(include_url=False), data):
            path, absent = _data_path(data, error["loc"])
            if absent:
                path = path[:-1]  # a missing required key: its container goes
            while path and not isinstance(path[-1], str):
                path = path[:-1]
            if not path:
                return None, data, []
            paths.add(path)
        gone = set(dropped)
        for path in sorted(paths, key=len):
            if _under(path, gone):  # inside a value left out already
                continue
            parent = _value_at(data, path[:-1])
            if isinstance(parent, dict) and path[-1] in parent:
                del parent[path[-1]]
                dropped.append(path)
                gone.add(path)
        try:
            return model_cls.model_validate(data), data, dropped
        except ValidationError as again:
            exc = again
    return None, data, []


def _under(path: tuple, gone: set) -> bool:
    """Whether `path` is one of the paths `gone` or inside one: each of its prefixes looked up, as
    thousands of values left out of one file would make comparing it with each of them quadratic."""
    return any(path[:k] in gone for k in range(1, len(path) + 1))


def _newer_fields(data: dict, model_cls, version: int) -> list[tuple[str, int]]:
    """Top-level keys introduced after the format version the file declares."""
    since = _SINCE.get(model_cls)
    if since is None:  # once per model: pydantic builds `model_fields` anew on every access
        since = _SINCE[model_cls] = {}
        for key, info in model_cls.model_fields.items():
            extra = info.json_schema_extra if isinstance(info.json_schema_extra, dict) else {}
            since[key] = extra.get("x-since-spec-version", 1)
    return [(key, since[key]) for key in data if since.get(key, 1) > version]


_SINCE: dict[type, dict[str, int]] = {}


def _newer_forms(data: dict) -> list[tuple[tuple, str]]:
    """Requirement forms of spec format 3 inside `prerequisites`: `all_of`, and groups inside groups
    (a format-2 reader would take them for course ids or reject them)."""
    found = []

    def walk(item, path, depth):
        if not isinstance(item, dict):
            return
        for key in ("all_of", "any_of"):
            parts = item.get(key)
            if not isinstance(parts, list):
                continue
            if key == "all_of" or depth:
                found.append(((*path, key), f"{'`all_of`' if key == 'all_of' else 'a group inside a group'}"))
                return
            for k, part in enumerate(parts):
                walk(part, (*path, key, k), depth + 1)

    for i, item in enumerate(data.get("prerequisites") or []):
        walk(item, ("prerequisites", i), 0)
    return found


_BRANCHES = {"str", "constrained-str", "PrerequisiteCourse", "AnyOf", "AllOf"}


def _branch_for(value) -> set[str]:
    """The union branch a requirement was evidently meant to be, judged by its shape (at any depth
    of nesting: each group's parts are judged by their own shape)."""
    if isinstance(value, str):
        return {"str", "constrained-str"}
    if isinstance(value, dict):
        for key, branch in (("any_of", "AnyOf"), ("all_of", "AllOf")):
            if key in value:
                return {branch}
        return {"PrerequisiteCourse"}
    return set()


def _unbranch(errors: list[dict], data) -> list[dict]:
    """Keep only the errors of the union branch that matches each value's shape, labels removed."""
    kept, shapeless = [], set()
    for error in errors:
        node, loc, keep = data, [], True
        for element in error["loc"]:
            if isinstance(element, str) and element in _BRANCHES and not (isinstance(node, dict) and element in node):
                wanted = _branch_for(node)
                if not wanted:
                    shapeless.add(tuple(loc))
                keep = keep and element in wanted
                continue
            loc.append(element)
            if isinstance(node, dict) and element in node:
                node = node[element]
            elif isinstance(node, list) and isinstance(element, int) and 0 <= element < len(node):
                node = node[element]
        if keep:
            kept.append({**error, "loc": tuple(loc)})
    kept.extend({"type": "prerequisite_shape", "loc": loc, "msg": ""} for loc in sorted(shapeless, key=str))
    return kept


def _translate(exc: ValidationError, data, located: Located, model_cls):
    """One clear message per place."""
    by_place: dict[tuple, list[dict]] = {}
    for error in _unbranch(exc.errors(include_url=False), data):
        path, absent = _data_path(data, error["loc"])
        by_place.setdefault((path, absent), []).append(error)
    results = [_message(path, absent, errors, data, located, model_cls) for (path, absent), errors in by_place.items()]
    results.sort()
    return results


def _message(path, absent, errors, data, located, model_cls):
    where = ".".join(str(p) for p in path) or "the top level"
    types = {e["type"] for e in errors}
    if absent and "missing" in types:
        line, column = located.position(path[:-1])
        parent = ".".join(str(p) for p in path[:-1])
        inside = f" in {parent}" if parent else ""
        return line, column, f"missing required key {path[-1]!r}{inside}", None
    if "extra_forbidden" in types:
        line, column = located.position(path, key=True)
        model = _model_at(model_cls, path[:-1])
        allowed = sorted(model.model_fields) if model else []
        close = difflib.get_close_matches(str(path[-1]), allowed, n=1, cutoff=0.6)
        hint = f"did you mean {close[0]!r}?" if close else (f"expected one of: {', '.join(allowed)}" if allowed else None)
        message = f"unknown key {path[-1]!r}" + (f"; did you mean {close[0]!r}?" if close else "")
        return line, column, message, hint if not close else None
    line, column = located.position(path)
    value = _value_at(data, path)
    got = _yaml_type(value)
    if "prerequisite_shape" in types:
        return (line, column, f"{where}: expected a course id, or a mapping with 'course', 'any_of' or 'all_of',"
                f" got {got}", "write `- course-id`, `- course: course-id` with notes, `- any_of: [course-a, course-b]`"
                " (one of them) or `- all_of: [course-a, course-b]` (every one), nested as deep as needed")
    error = errors[0]
    kind = error["type"]
    if kind in _EXPECTED:
        return line, column, f"{where}: expected {_EXPECTED[kind]}, got {got}", None
    if kind == "literal_error":
        expected = error.get("ctx", {}).get("expected", "")
        options = re.findall(r"'([^']*)'", expected)
        close = difflib.get_close_matches(str(value), options, n=1, cutoff=0.5)
        hint = f"did you mean {close[0]!r}?" if close else None
        return line, column, f"{where}: expected one of {', '.join(options)}; got {got}", hint
    if kind == "string_pattern_mismatch":
        return (line, column, f"{where}: expected a course id in kebab-case, got {got}",
                f"use the course's file name without .yaml, like {kebab(str(value))!r}")
    if kind == "string_too_short":
        return line, column, f"{where}: expected non-empty text", None
    if kind == "value_error":
        reason = str(error["msg"]).removeprefix("Value error, ")
        return line, column, f"{where}: {reason}" if path else reason, None
    if kind == "too_short":
        return line, column, f"{where}: expected at least one item, got an empty list", None
    return line, column, f"{where}: {error['msg'][0].lower() + error['msg'][1:]}, got {got}", None
