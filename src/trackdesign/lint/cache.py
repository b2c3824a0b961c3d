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

import hashlib
import os
import pickle
from pathlib import Path

from trackdesign import __version__

#: Under the working directory, beside the link cache.
DIRECTORY = Path(".trackdesign-cache") / "lint"
#: Entries kept; the least recently used go first.
KEEP = 8

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
    """(findings, fixes, used) stored under `name`, with specs in place of their ids; None if absent."""
    path = directory / f"{name}.pickle"
    try:
        findings, fixes, used = pickle.loads(path.read_bytes())
        os.utime(path)  # recently used: pruned last
        return (findings, [(catalog.spec(k, i), fix, finding) for k, i, fix, finding in fixes],
                {(catalog.spec(k, i), line, code) for k, i, line, code in used})
    except Exception:  # noqa: BLE001 - absent, unreadable or from another layout: only a slower run
        return None


def store(directory: Path, name: str, findings, fixes, used) -> None:
    from trackdesign.atomic import write_bytes

    data = pickle.dumps((findings, [(s.kind, s.id, fix, finding) for s, fix, finding in fixes],
                         [(s.kind, s.id, line, code) for s, line, code in used]), protocol=pickle.HIGHEST_PROTOCOL)
    try:
        write_bytes(directory / f"{name}.pickle", data)
        entries = sorted(directory.glob("*.pickle"), key=lambda p: p.stat().st_mtime_ns, reverse=True)
        for old in entries[KEEP:]:
            old.unlink(missing_ok=True)
    except OSError:
        pass  # a read-only checkout lints as before, only without the cache

