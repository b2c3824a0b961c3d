"""Findings of the offline rules kept between runs, keyed by everything they depend on.

The next lint of an unchanged catalog (a pre-commit hook, an editor, or `sheet export` and `build`
right after `lint`) then costs loading the specs instead of running every rule again. The key
covers the bytes of every spec loaded and where it was loaded from, the configuration and the
files its options name, the rules chosen, and trackdesign itself (its version and the size and
modification time of each of its files, so an edited checkout never reads stale answers). Any
change anywhere runs every rule again: rules compare courses across the catalog, so there is no
per-file shortcut that stays correct. Rules that use the network are never cached (the link
checker keeps its own cache of answers).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
from pathlib import Path

from trackdesign import __version__
from trackdesign.lint.findings import SEVERITIES, Finding
from trackdesign.spec.files import project_folder
from trackdesign.spec.problems import Fix

#: Under the specs folder's project folder (`trackdesign.spec.files.project_folder`), beside the link cache.
DIRECTORY = Path(".trackdesign-cache") / "lint"
#: Entries kept; the least recently used go first.
KEEP = 8


def directory(specs: Path) -> Path:
    """Where the lint cache of the specs folder `specs` lives, wherever a command runs."""
    return project_folder(specs) / DIRECTORY

_package: bytes | None = None


def enabled() -> bool:
    return not os.environ.get("TRACKDESIGN_NO_CACHE")


def package_fingerprint() -> bytes:
    """trackdesign's version and the size and time of each of its files (code, data, templates)."""
    global _package
    if _package is None:
        digest = hashlib.blake2b(__version__.encode(), digest_size=16)
        root = Path(__file__).parents[1]  # the whole package: rules read analysis/ and spec/ too
        for path in sorted(root.rglob("*")):
            if path.is_file() and "__pycache__" not in path.parts:
                stat = path.stat()
                digest.update(f"{path.relative_to(root)}:{stat.st_size}:{stat.st_mtime_ns};".encode())
        _package = digest.digest()
    return _package


def key(catalog, config, codes) -> str:
    digest = hashlib.blake2b(package_fingerprint(), digest_size=20)
    settings = (sorted(codes), config.select, config.ignore, sorted(config.rule_settings.items()),
                sorted(config.per_path_ignores.items()), str(catalog.root.resolve()), os.getcwd())
    digest.update(repr(settings).encode())
    for options in config.rule_settings.values():  # files an option names (a Bloom verb list)
        for value in options.values():
            if isinstance(value, str) and value and Path(value).is_file():
                digest.update(hashlib.blake2b(Path(value).read_bytes(), digest_size=16).digest())
    for spec in catalog.specs():
        digest.update(f"{spec.kind}:{spec.id}:{spec.display}:".encode())
        digest.update(spec.digest)
    return digest.hexdigest()


def load(directory: Path, name: str, catalog):
    """(findings, fixes, used) stored under `name`, with specs in place of their ids; None if absent.

    An entry is plain JSON, checked field by field as it is read back: a cache folder comes with
    whatever checkout is being linted, so nothing in it may run code (as unpickling would), and an
    entry that is not exactly what `store` writes is deleted and the rules run again.
    """
    path = directory / f"{name}.json"
    try:
        raw = path.read_bytes()
    except OSError:
        return None
    try:
        document = json.loads(raw)
        findings = [_finding(item) for item in _list(document["findings"])]
        fixes = [(catalog.spec(*_spec(item)), _fix(item), findings[_index(item["finding"], findings)])
                 for item in _list(document["fixes"])]
        used = {(catalog.spec(*_spec(item)), _int(item["line"]), _str(item["code"])) for item in _list(document["used"])}
    except (ValueError, KeyError, TypeError, IndexError, RecursionError):
        path.unlink(missing_ok=True)
        return None
    try:
        os.utime(path)  # recently used: pruned last
    except OSError:
        pass
    return findings, fixes, used


def store(directory: Path, name: str, findings, fixes, used) -> None:
    from trackdesign.atomic import write_text

    position = {id(f): k for k, f in enumerate(findings)}
    document = {
        "findings": [f.as_dict() for f in findings],
        "fixes": [{"kind": s.kind, "id": s.id, "finding": position[id(finding)], "action": fix.action,
                   "path": list(fix.path), "value": _encode(fix.value), "expect": _encode(fix.expect),
                   "span": list(fix.span) if fix.span else None}
                  for s, fix, finding in fixes if id(finding) in position],
        "used": [{"kind": s.kind, "id": s.id, "line": line, "code": code} for s, line, code in sorted(
            used, key=lambda u: (u[0].kind, u[0].id, u[1], u[2]))],
    }
    try:
        write_text(directory / f"{name}.json", json.dumps(document, ensure_ascii=False, separators=(",", ":")))
        entries = sorted(directory.glob("*.json"), key=lambda p: p.stat().st_mtime_ns, reverse=True)
        for old in entries[KEEP:]:
            old.unlink(missing_ok=True)
    except OSError:
        pass  # a read-only checkout lints as before, only without the cache


# --- JSON, checked as it is read -------------------------------------------------------------------
# Fix values are YAML data: text, numbers, booleans, null as themselves; anything else (a list, a
# mapping, a date) as a one-key object naming its type, so that no text can pass for one.

def _encode(value):
    if value is None or isinstance(value, (str, bool, int, float)):
        return value
    if isinstance(value, (list, tuple)):
        return {"list": [_encode(v) for v in value]}
    if isinstance(value, dict):
        return {"map": [[_encode(k), _encode(v)] for k, v in value.items()]}
    if isinstance(value, dt.datetime):
        return {"datetime": value.isoformat()}
    if isinstance(value, dt.date):
        return {"date": value.isoformat()}
    raise TypeError(f"cannot store {type(value).__name__} in the lint cache")


def _decode(value):
    if value is None or isinstance(value, (str, bool, int, float)):
        return value
    if not isinstance(value, dict) or len(value) != 1:
        raise ValueError("not a stored value")
    (kind, inner), = value.items()
    if kind == "list":
        return [_decode(v) for v in _list(inner)]
    if kind == "map":
        return {_decode(k): _decode(v) for k, v in (_pair(p) for p in _list(inner))}
    if kind == "datetime":
        return dt.datetime.fromisoformat(_str(inner))
    if kind == "date":
        return dt.date.fromisoformat(_str(inner))
    raise ValueError(f"unknown stored type {kind!r}")


def _finding(item) -> Finding:
    if not isinstance(item, dict) or set(item) != _FINDING_KEYS:
        raise ValueError("not a finding")
    if item["severity"] not in SEVERITIES:
        raise ValueError("unknown severity")
    return Finding(_str(item["code"]), _str(item["name"]), item["severity"], _str(item["path"]), _int(item["line"]),
                   _int(item["column"]), _str(item["message"]), _optional_str(item["hint"]),
                   _optional_str(item["subject"]), _bool(item["fixable"]),
                   tuple(_str(r) for r in _list(item["related"])))


def _fix(item) -> Fix:
    if item["action"] not in ("set", "delete"):
        raise ValueError("unknown fix")
    path = tuple(p if isinstance(p, str) else _int(p) for p in _list(item["path"]))
    span = None if item["span"] is None else tuple(_int(n) for n in _pair(item["span"]))
    return Fix(item["action"], path, _decode(item["value"]), _decode(item["expect"]), span)


def _spec(item) -> tuple[str, str]:
    if item["kind"] not in ("course", "track"):
        raise ValueError("unknown spec kind")
    return item["kind"], _str(item["id"])


def _index(value, items) -> int:
    number = _int(value)
    if not 0 <= number < len(items):
        raise IndexError("no such finding")
    return number


def _checked(value, kind: type, what: str):
    """`value` when it is of `kind` (a boolean is no whole number here), else TypeError."""
    if not isinstance(value, kind) or (kind is int and isinstance(value, bool)):
        raise TypeError(f"expected {what}")
    return value


def _list(value) -> list:
    return _checked(value, list, "a list")


def _pair(value) -> list:
    if len(_list(value)) != 2:
        raise TypeError("expected a pair")
    return value


def _str(value) -> str:
    return _checked(value, str, "text")


def _optional_str(value) -> str | None:
    return None if value is None else _str(value)


def _int(value) -> int:
    return _checked(value, int, "a whole number")


def _bool(value) -> bool:
    return _checked(value, bool, "true or false")


_FINDING_KEYS = {"code", "name", "severity", "path", "line", "column", "message", "hint", "subject", "fixable",
                 "related"}
