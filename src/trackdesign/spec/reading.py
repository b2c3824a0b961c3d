"""Finding a specs folder's files and reading each into YAML data: the part of loading that needs
no schema, so that it can start before the schema's library is imported.

A big catalog's files are shared out with a forked reader (`start`): it reads and parses the
files it takes and hands over their data, part by part, while this process imports what
validating needs (pydantic and the spec model: 0.2 s) and then reads its own share. Validation
and everything after it happen here, in `trackdesign.spec.loader`. The reader needs nothing this
process does not already have, so it is forked before that import, on a core that would
otherwise be idle, and it sends plain data, marshalled: 10-14 us a file to write, where pickling
a validated spec took about 42 us.
"""

from __future__ import annotations

import hashlib
import marshal
import os
import pickle
import re
from pathlib import Path
from typing import NamedTuple

from trackdesign.findings import Problem
from trackdesign.spec.fastyaml import load_data
from trackdesign.spec.yamlload import Located, YamlError, decode

FOLDERS = {"courses": "course", "tracks": "track"}  # folder -> the kind of spec it holds
ID_PATTERN = re.compile(r"^[a-z0-9]+(?:[-_.][a-z0-9]+)*$")
SUPPRESSION = re.compile(r"#\s*trackdesign:\s*ignore\[([^\]]*)\]")

#: Fewer files than this load in a fifth of a second or less, less than a second process saves.
PARALLEL_FROM = 1000
#: Files in a part: the reader and this process each take the next part nobody has (see
#: `Streamed`), so at the end one waits for the other by at most a part's reading (about 15 ms).
PART = 100


class SpecsNotFound(Exception):
    """The folder given is not a specs folder (usage error, exit 2)."""


def display_path(path: Path) -> str:
    """Paths relative to the working directory when inside it, as linters print them."""
    try:
        return os.path.relpath(path)
    except ValueError:  # another drive on Windows
        return str(path)


def discover(root: Path) -> list[tuple[str, str, str, str]]:
    """(folder kind, file path, the path shown for it, its stem) for every spec file, sorted so
    that output never depends on the disk.

    Paths stay text until their file is read, by whichever process reads it: a Path object per
    file took a tenth of a second at 10,000 files before either process could start.
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
        return problem("SP01", shown, line, 1, f"not valid UTF-8 text (byte {exc.start})", "save the file as UTF-8")
    except OSError as exc:
        return problem("SP01", shown, 1, 1, f"cannot read file: {exc.strerror}")
    if not ID_PATTERN.match(spec_id):
        return problem("SP02", shown, 1, 1, f"file name {os.path.basename(path)!r} is not a valid {FOLDERS[folder]} id",
                       f"rename it in kebab-case, like {kebab(spec_id)!r}.yaml")
    try:
        located = load_data(text)
    except YamlError as exc:
        return [problem("SP01", shown, exc.line, exc.column, f"invalid YAML: {exc.message}")], None
    return Parsed(text, located, _suppressions(text), file_digest(raw))


def parse_all(files: list[tuple[str, str, str, str]]) -> list:
    return [parse(*found) for found in files]


def _encode(part: list) -> bytes:
    """A part's parsed files for the trip to the other process: marshalled (twice as fast as
    pickle to write, a quarter faster to read, for plain data) when every file parsed, without
    positions, into what marshal takes; pickled otherwise (problems, dates). The first byte says
    which."""
    if all(type(p) is Parsed and not (p.located.values or p.located.keys) for p in part):
        try:
            return b"m" + marshal.dumps([(p.text, p.located.data, p.located.strings, p.suppressions, p.digest)
                                         for p in part])
        except ValueError:  # a date, or a time: pickle knows them
            pass
    return b"p" + pickle.dumps(part, protocol=pickle.HIGHEST_PROTOCOL)


def _decode(data: bytes) -> list:
    if data[:1] == b"m":
        return [Parsed(text, Located(values, {}, {}, strings), suppressions, digest)
                for text, values, strings, suppressions, digest in marshal.loads(memoryview(data)[1:])]
    return pickle.loads(memoryview(data)[1:])


def file_digest(raw: bytes) -> bytes:
    """What identifies a spec file's bytes: the lint cache keys on it, and a spec read again for its
    positions is known unchanged by it."""
    return hashlib.blake2b(raw, digest_size=16).digest()


def problem(code, file, line, column, message, hint=None, related=()) -> Problem:
    """A problem found while loading: it carries its code; the engine stamps the rest."""
    found = Problem(None, message, hint=hint, file=file, line=line, column=column, related=list(related))
    found.code = code
    return found


class Reading:
    """A specs folder's files (`files`), and the forked reader parsing some of them meanwhile (or none)."""

    def __init__(self, root: Path):
        self.files = discover(root)
        self.shared = None
        if self._worth_a_reader():
            from trackdesign.forked import Streamed, Tickets
            from trackdesign.gcpause import paused

            size = max(PART, -(-len(self.files) // Tickets.LIMIT))
            with paused():  # the reader keeps the collector paused, as loading does here
                self.shared = Streamed([self.files[k:k + size] for k in range(0, len(self.files), size)],
                                       parse_all, encode=_encode, decode=_decode)

    def _worth_a_reader(self) -> bool:
        from trackdesign.cores import can_fork, usable_cpus

        return (len(self.files) >= PARALLEL_FROM and can_fork() and usable_cpus() >= 2
                and not os.environ.get("TRACKDESIGN_ONE_PROCESS"))

    def outcomes(self, finish) -> list:
        """`finish(found, parse(*found))` for every file, in order: the reader's parts finished here
        as they arrive, between this process's own parts."""
        if self.shared is None:
            return [finish(found, parse(*found)) for found in self.files]
        from trackdesign.heap import trim

        with self.shared as shared:
            parts = shared.results(lambda files, parsed: [finish(f, p) for f, p in zip(files, parsed)])
        self.shared = None
        trim()  # the reader's pickles are gone (see trackdesign.heap)
        return [outcome for part in parts for outcome in part]

    def abandon(self) -> None:
        """Stop the reader when the catalog is no longer wanted (a bad config, Ctrl-C)."""
        if self.shared is not None:
            self.shared.abandon()
            self.shared = None


def start(root: Path | str) -> Reading:
    """Find the spec files under `root` and, for a big catalog on more than one core, fork the
    reader now, before this process imports what validating needs (`trackdesign.spec.loader`)."""
    return Reading(Path(root))


def file_bytes(path: str) -> bytes:
    """The bytes of the file at `path`, by its descriptor: a third of the time of `open().read()`
    (no file object, no buffer), for 10,000 files a lint. One read asks for more than a spec
    holds, so that no fstat is needed to size it (a quarter of the time left: 6 against 8-10 us
    a file); a read that fills it is followed by more."""
    handle = os.open(path, os.O_RDONLY)
    try:
        data = os.read(handle, _READ)
        if len(data) == _READ:  # a big file: read to the end
            chunks = [data]
            while chunk := os.read(handle, _READ):
                chunks.append(chunk)
            data = b"".join(chunks)
        return data
    finally:
        os.close(handle)


_READ = 1 << 16


def kebab(text: str) -> str:
    """The kebab-case form of a name, for hints (a course id is kebab-case)."""
    from trackdesign.textutil import slugify  # only for error hints: keep the stemmer out of start-up

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
