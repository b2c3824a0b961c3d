"""`trackdesign build`: every document of every track and course, in Markdown and HTML.

Layout (links between documents rely on it):
    index.md|html
    tracks/<track>/proposal.md|html, tracks/<track>/task-analysis.md|html, tracks/<track>/alignment.md|html
    courses/<course>.md|html                       (the course outline)
    compare/<track>--<track>.md|html               (for each `compare_with` of a track)

A manifest in the folder (`.trackdesign-build.json`) records what the last build wrote: each
document's key (a digest of everything it shows: its specs, trackdesign's code, data and
templates, the config) and each file's digest. A document whose key is unchanged and whose files
are as written is not prepared or rendered again; files a previous build wrote for documents
that no longer exist are removed, and nothing else ever is: not a page written by hand, not a
generated page someone has since edited, nothing outside the folder.

Documents are written atomically but not flushed to disk one by one (flushing doubled the time of
a build writing twenty thousand files): a document a crash left short or empty is not as the
manifest recorded it, so the next build renders it again. The manifest itself is flushed.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from pathlib import Path

from trackdesign.atomic import write_text
from trackdesign.documents import prepare
from trackdesign.documents.compare import compare, compare_doc, comparisons
from trackdesign.documents.render import FORMATS, render

MANIFEST = ".trackdesign-build.json"


@dataclass
class Document:
    name: str  # path in the folder, without extension
    key: str
    make: object  # () -> prepared data


@dataclass
class Built:
    documents: int = 0
    rendered: int = 0  # documents prepared and rendered (the others were unchanged)
    written: list[Path] = field(default_factory=list)  # files written or changed
    removed: list[Path] = field(default_factory=list)  # files of documents that no longer exist
    kept: list[Path] = field(default_factory=list)  # such files left alone: edited since they were written

    def __iter__(self):  # `written, removed = build(...)`
        return iter((self.written, self.removed))


def _digest(*parts) -> str:
    digest = hashlib.blake2b(digest_size=16)
    for part in parts:
        digest.update(part if isinstance(part, bytes) else repr(part).encode())
        digest.update(b"\0")
    return digest.hexdigest()


class _Keys:
    """What each kind of document reads, as a digest: the specs it shows and the code drawing them."""

    def __init__(self, catalog, config, formats):
        from trackdesign.lint.cache import package_fingerprint

        self.catalog = catalog
        self.base = _digest(package_fingerprint(), tuple(formats))
        specs = sorted(((s.kind, s.id, s.digest) for s in catalog.specs()), key=lambda t: t[:2])
        settings = (config.select, config.ignore, sorted(config.rule_settings.items()),
                    sorted(config.per_path_ignores.items()))
        # findings, overlap scores and the index read the whole catalog
        self.everything = _digest(self.base, specs, repr(settings))
        self.tracks_of: dict[str, list[str]] = {}  # catalog.tracks_of for every course at once
        for tid in sorted(catalog.tracks):
            for cid in dict.fromkeys(catalog.tracks[tid].model.courses):
                self.tracks_of.setdefault(cid, []).append(tid)

    def _course(self, cid: str):
        spec = self.catalog.courses.get(cid)
        return (cid, spec.digest) if spec else (cid, None)

    def _track(self, tid: str):
        return (tid, self.catalog.tracks[tid].digest)

    def outline(self, cid: str) -> str:
        catalog = self.catalog
        prerequisites = [self._course(a) for _, alts in catalog.requirements.get(cid, ()) for a in alts]
        return _digest(self.base, "outline", self._course(cid), prerequisites,
                       [self._track(t) for t in self.tracks_of.get(cid, ())])

    def track(self, kind: str, tid: str) -> str:
        """A proposal or an alignment matrix: the track, its courses, what they require, where else they are."""
        catalog = self.catalog
        track = catalog.tracks[tid].model
        parts = [self._track(tid)]
        for cid in [*track.courses, *track.entry_requirements]:
            parts.append(self._course(cid))
            parts += [self._course(a) for _, alts in catalog.requirements.get(cid, ()) for a in alts]
            parts += [self._track(t) for t in self.tracks_of.get(cid, ())]
        return _digest(self.base, kind, parts)

    def whole(self, name: str) -> str:
        return _digest(self.everything, name)


def documents(catalog, config, formats=FORMATS, cache: Path | None = None):
    """Every document of the catalog with its key; `make()` prepares its data when it must be rendered.

    The lint findings the task analyses show come from the lint cache in `cache` when it has them,
    and are computed only when a task analysis has to be rendered."""
    keys = _Keys(catalog, config, formats)
    lint_findings = []

    def findings():
        if not lint_findings:
            from trackdesign.lint.engine import lint

            lint_findings.append(lint(catalog, config, network=False, cache=cache).findings)
        return lint_findings[0]

    yield Document("index", keys.whole("index"), lambda: prepare.index(catalog))
    for tid in sorted(catalog.tracks):
        yield Document(prepare.track_doc(tid, "proposal"), keys.track("proposal", tid),
                       lambda tid=tid: prepare.proposal(catalog, tid))
        name = prepare.track_doc(tid, "task-analysis")
        yield Document(name, keys.whole(name), lambda tid=tid: prepare.task_analysis(catalog, config, tid, findings()))
        yield Document(prepare.track_doc(tid, "alignment"), keys.track("alignment", tid),
                       lambda tid=tid: prepare.alignment_doc(catalog, tid))
    for cid in sorted(catalog.courses):
        yield Document(prepare.course_doc(cid), keys.outline(cid), lambda cid=cid: prepare.outline(catalog, cid))
    for pair in comparisons(catalog):
        name = compare_doc(pair)
        yield Document(name, keys.whole(name), lambda pair=pair: compare(catalog, config, list(pair)))


def count(catalog) -> int:
    """How many documents a build writes (each in every format)."""
    return 1 + 3 * len(catalog.tracks) + len(catalog.courses) + len(comparisons(catalog))


def _file_digest(data: bytes) -> str:
    return hashlib.blake2b(data, digest_size=16).hexdigest()


def _stamp(path: Path, digest: str) -> dict:
    stat = path.stat()
    return {"digest": digest, "size": stat.st_size, "mtime_ns": stat.st_mtime_ns}


def _as_written(path: Path, stamp: dict) -> bool:
    """The file is still what a build wrote: same size and time, or else same content."""
    try:
        stat = path.stat()
        if stat.st_size == stamp["size"] and stat.st_mtime_ns == stamp["mtime_ns"]:
            return True
        return stat.st_size == stamp["size"] and _file_digest(path.read_bytes()) == stamp["digest"]
    except (OSError, KeyError, TypeError):
        return False


def read_manifest(out: Path) -> dict:
    """{document: {"key", "files": {relative path: stamp}}} of the last build; {} when unreadable."""
    try:
        data = json.loads((out / MANIFEST).read_text(encoding="utf-8"))
        return data["documents"] if data.get("format") == 1 and isinstance(data.get("documents"), dict) else {}
    except (OSError, ValueError, AttributeError, KeyError):
        return {}


def _inside(out: Path, relative: str) -> Path | None:
    """`out / relative` when it names a file inside `out` (a manifest is data: never trust a path in it)."""
    if not isinstance(relative, str) or relative.startswith(("/", "\\")) or ".." in Path(relative).parts:
        return None
    target = out / relative
    try:
        if target.is_symlink() or not target.resolve().is_relative_to(out.resolve()):
            return None
    except OSError:
        return None
    return target


def build(catalog, config, out: Path, formats=FORMATS, progress=None, cache: Path | None = None) -> Built:
    """Write every document that changed; remove the files of documents that no longer exist."""
    formats = tuple(formats)
    previous = read_manifest(out)
    result, manifest = Built(), {}
    for doc in documents(catalog, config, formats, cache):
        result.documents += 1
        before = previous.get(doc.name) or {}
        stamps = before.get("files") if isinstance(before.get("files"), dict) else {}
        wanted = {f"{doc.name}.{fmt}": fmt for fmt in formats}
        if before.get("key") == doc.key and set(stamps) == set(wanted) and all(
                _as_written(out / name, stamps[name]) for name in wanted):
            manifest[doc.name] = before
        else:
            result.rendered += 1
            data = doc.make()
            stamps = {}
            for name, fmt in wanted.items():
                target = out / name
                text = render(data, fmt).encode("utf-8")
                if not (target.is_file() and target.read_bytes() == text):
                    target.parent.mkdir(parents=True, exist_ok=True)
                    write_text(target, text.decode("utf-8"), durable=False)
                    result.written.append(target)
                stamps[name] = _stamp(target, _file_digest(text))
            manifest[doc.name] = {"key": doc.key, "files": stamps}
        if progress:
            progress(doc.name)
    _remove_stale(out, previous, manifest, result)
    out.mkdir(parents=True, exist_ok=True)
    write_text(out / MANIFEST, json.dumps({"format": 1, "documents": manifest}, indent=0, sort_keys=True) + "\n")
    return result


def _remove_stale(out: Path, previous: dict, manifest: dict, result: Built) -> None:
    current = {name for entry in manifest.values() for name in entry["files"]}
    folders = set()
    for entry in previous.values():
        files = entry.get("files") if isinstance(entry, dict) else None
        for name, stamp in (files.items() if isinstance(files, dict) else ()):
            if name in current:
                continue
            target = _inside(out, name)
            if target is None or not target.is_file():
                continue
            if _as_written(target, stamp if isinstance(stamp, dict) else {}):
                target.unlink()
                result.removed.append(target)
                folders.add(target.parent)
            else:
                result.kept.append(target)
    for folder in sorted(folders, key=lambda p: len(p.parts), reverse=True):
        while folder != out and folder.is_relative_to(out) and not any(folder.iterdir()):
            folder.rmdir()
            folder = folder.parent
    result.removed.sort()
    result.kept.sort()


def out_of_date(catalog, config, out: Path, formats=FORMATS, progress=None, cache: Path | None = None) -> list[str]:
    """The documents of `out` a build would write otherwise, add or remove (`build --check`),
    writing nothing there: the build goes to a temporary folder, compared, then removed."""
    import shutil
    import tempfile

    fresh = Path(tempfile.mkdtemp(prefix="trackdesign-check-"))
    try:
        build(catalog, config, fresh, formats, progress=progress, cache=cache)
        return differences(fresh, out)
    finally:
        shutil.rmtree(fresh, ignore_errors=True)


def differences(fresh: Path, existing: Path) -> list[str]:
    """Documents present in one folder but not the other, or with other content (`build --check`).

    A file only in `existing` counts when a build wrote it (its manifest says so): a page written
    by hand beside the documents is none of the build's business, which never removes it."""
    def files(root):
        return {p.relative_to(root).as_posix(): p for p in root.rglob("*") if p.is_file()
                and p.suffix in (".md", ".html")} if root.is_dir() else {}
    a, b = files(fresh), files(existing)
    written = {name for entry in read_manifest(existing).values() if isinstance(entry, dict)
               and isinstance(entry.get("files"), dict) for name in entry["files"]}
    return sorted(name for name in a.keys() | (b.keys() & (a.keys() | written))
                  if name not in a or name not in b or a[name].read_bytes() != b[name].read_bytes())
