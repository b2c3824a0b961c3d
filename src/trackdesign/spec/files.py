"""Finding a specs folder's files and parsing each into YAML data: the part of loading that needs
no schema. Validation and assembling the catalog are `trackdesign.spec.loader`'s part."""

from __future__ import annotations

import hashlib
import os
import re
from pathlib import Path
from typing import NamedTuple

from trackdesign.spec.problems import NOT_YAML, OFF_FORMAT, Problem
from trackdesign.spec.ids import ID_PATTERN, slugify
from trackdesign.spec.yamldoc import Located, YamlError, decode, load_located

FOLDERS = {"courses": "course", "tracks": "track"}  # folder -> the kind of spec it holds
SUPPRESSION = re.compile(r"#\s*trackdesign:\s*ignore\[([^\]]*)\]")

class SpecsNotFound(Exception):
    """The folder given is not a specs folder (usage error, exit 2)."""


def display_path(path: Path) -> str:
    """Paths relative to the working directory when inside it, as linters print them."""
    try:
        return os.path.relpath(path)
    except ValueError:  # another drive on Windows
        return str(path)


def project_folder(specs: Path) -> Path:
    """The folder a specs folder belongs to: its parent when it is called specs/ (the layout
    `trackdesign init` makes), else itself. Reports and caches go there, wherever a command runs."""
    absolute = Path(os.path.abspath(specs))
    return Path(display_path(absolute.parent if absolute.name == "specs" else absolute))


def discover(root: Path) -> list[tuple[str, str, str, str]]:
    """(folder kind, file path, the path shown for it, its stem) for every spec file, sorted so
    that output never depends on the disk.

    Paths stay text until their file is read: a Path object per file is needless work at
    catalog scale.
    """
    if not root.is_dir():
        raise SpecsNotFound(f"{root}: not a folder (expected a specs folder with courses/ and tracks/)")
    found = []
    for folder in FOLDERS:
        base = root / folder
        if not base.is_dir():
            continue
        for dirpath, dirnames, filenames in os.walk(base):
            dirnames[:] = sorted(d for d in dirnames if not d.startswith("."))
            directory = Path(dirpath)
            prefix = str(directory) + os.sep  # as the file's Path would print
            shown = display_path(directory)  # relpath per folder, not per file (it walks the whole path)
            for name in filenames:
                if name.endswith((".yaml", ".yml")) and not name.startswith("."):
                    found.append((folder, prefix + name, name if shown == "." else os.path.join(shown, name),
                                  name.rsplit(".", 1)[0]))
    if not found and not any((root / f).is_dir() for f in FOLDERS):
        raise SpecsNotFound(f"{root}: no courses/ or tracks/ folder here (is this the specs folder?)")
    found.sort(key=lambda item: (item[0], item[1]))
    return found


class Parsed(NamedTuple):
    """A spec file read and parsed, waiting to be validated."""

    text: str
    located: Located  # without positions (a spec reads them again when needed)
    suppressions: dict[int, set[str]]
    digest: bytes


def parse(folder: str, path: str, shown: str, spec_id: str):
    """One file on its own, as far as YAML: a Problem that keeps it out before parsing (unreadable,
    not an id), ([problem], None) for invalid YAML, or its `Parsed` data."""
    try:
        raw = file_bytes(path)
        text = decode(raw)
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        return problem(NOT_YAML, shown, line, 1, f"not valid UTF-8 text (byte {exc.start})", "save the file as UTF-8")
    except OSError as exc:
        return problem(NOT_YAML, shown, 1, 1, f"cannot read file: {exc.strerror}")
    if not ID_PATTERN.match(spec_id):
        return problem(OFF_FORMAT, shown, 1, 1, f"file name {os.path.basename(path)!r} is not a valid {FOLDERS[folder]} id",
                       f"rename it in kebab-case, like {kebab(spec_id)!r}.yaml")
    try:
        located = load_located(text, positions=False)
    except YamlError as exc:
        return [problem(NOT_YAML, shown, exc.line, exc.column, f"invalid YAML: {exc.message}")], None
    return Parsed(text, located, _suppressions(text), file_digest(raw))


def file_digest(raw: bytes) -> bytes:
    """What identifies a spec file's bytes: the lint cache keys on it, and a spec read again for its
    positions is known unchanged by it."""
    return hashlib.blake2b(raw, digest_size=16).digest()


def problem(kind, file, line, column, message, hint=None, related=()) -> Problem:
    """A problem of `kind` (one of `problems.LOADING`) found while loading a file."""
    return Problem(None, message, hint=hint, file=file, line=line, column=column, related=list(related), kind=kind)


#: A spec is a page of YAML; anything far bigger is a mistake (or an attack), not a course.
MAX_SPEC_BYTES = 4 << 20


class NotASpecFile(OSError):
    """A path that is no regular file of a sensible size: a device, a FIFO, a huge file."""


def file_bytes(path: str, limit: int = MAX_SPEC_BYTES) -> bytes:
    """The bytes of the regular file at `path`, refusing devices, FIFOs and files over `limit`.

    Opened without blocking so that a FIFO named like a spec cannot stall the run.
    """
    import stat

    handle = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
    try:
        info = os.fstat(handle)
        if not stat.S_ISREG(info.st_mode):
            raise NotASpecFile(0, "not a regular file")
        chunks, size = [], 0
        while chunk := os.read(handle, max(info.st_size + 1 - size, 1 << 16)):
            chunks.append(chunk)
            size += len(chunk)
            if size > limit:
                raise NotASpecFile(0, f"larger than {limit >> 20} MiB")
        return b"".join(chunks)
    finally:
        os.close(handle)


def kebab(text: str) -> str:
    """The kebab-case form of a name, for hints (a course id is kebab-case)."""
    return slugify(text) or "course"


def _suppressions(text: str) -> dict[int, set[str]]:
    if "trackdesign:" not in text:
        return {}
    found: dict[int, set[str]] = {}
    for number, line in enumerate(text.splitlines(), 1):
        match = SUPPRESSION.search(line)
        if match:
            found[number] = {c.strip().upper() for c in match.group(1).split(",") if c.strip()}
    return found
