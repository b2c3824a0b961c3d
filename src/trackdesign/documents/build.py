"""`trackdesign build`: every document of every track and course, in Markdown and HTML.

Layout (links between documents rely on it):
    index.md|html
    tracks/<track>/proposal.md|html, tracks/<track>/task-analysis.md|html
    courses/<course>.md|html                       (the course outline)
    compare/<track>--<track>.md|html               (for each `compare_with` of a track)
Each file is written atomically and only when its content changed, and documents left over from
courses or tracks that no longer exist are removed, so the folder always mirrors the specs.
"""

from __future__ import annotations

from pathlib import Path

from trackdesign.atomic import write_text
from trackdesign.documents import prepare
from trackdesign.documents.compare import compare, compare_doc, comparisons
from trackdesign.documents.render import FORMATS, render


def documents(catalog, config, cache: Path | None = None):
    """Yield (document path without extension, prepared data) for the whole catalog; the lint
    findings the task analyses show come from the lint cache in `cache` when it has them."""
    from trackdesign.lint.engine import lint

    findings = lint(catalog, config, network=False, cache=cache).findings
    yield "index", prepare.index(catalog)
    for tid in sorted(catalog.tracks):
        yield prepare.track_doc(tid, "proposal"), prepare.proposal(catalog, tid)
        yield prepare.track_doc(tid, "task-analysis"), prepare.task_analysis(catalog, config, tid, findings)
    for cid in sorted(catalog.courses):
        yield prepare.course_doc(cid), prepare.outline(catalog, cid)
    for pair in comparisons(catalog):
        yield compare_doc(pair), compare(catalog, config, list(pair))


def count(catalog) -> int:
    return 1 + 2 * len(catalog.tracks) + len(catalog.courses) + len(comparisons(catalog))


def build(catalog, config, out: Path, formats=FORMATS, progress=None, cache: Path | None = None
          ) -> tuple[list[Path], list[Path]]:
    """Write every document; return (files written or changed, stale files removed)."""
    written, wanted = [], set()
    for doc, data in documents(catalog, config, cache):
        for fmt in formats:
            target = out / f"{doc}.{fmt}"
            wanted.add(target.resolve())
            text = render(data, fmt)
            if not target.exists() or target.read_text(encoding="utf-8") != text:
                target.parent.mkdir(parents=True, exist_ok=True)
                write_text(target, text)
                written.append(target)
        if progress:
            progress(doc)
    removed = []
    for folder in (out / "tracks", out / "courses", out / "compare"):
        if not folder.is_dir():
            continue
        for stale in sorted(folder.rglob("*")):
            if stale.is_file() and stale.suffix in (".md", ".html") and stale.resolve() not in wanted:
                stale.unlink()
                removed.append(stale)
        for empty in sorted((p for p in folder.rglob("*") if p.is_dir()), reverse=True):
            if not any(empty.iterdir()):
                empty.rmdir()
    return written, removed


def differences(fresh: Path, existing: Path) -> list[str]:
    """Documents present in one folder but not the other, or with other content (`build --check`)."""
    def files(root):
        return {p.relative_to(root).as_posix(): p for p in root.rglob("*") if p.is_file()
                and p.suffix in (".md", ".html")} if root.is_dir() else {}
    a, b = files(fresh), files(existing)
    return sorted(name for name in a.keys() | b.keys()
                  if name not in a or name not in b or a[name].read_bytes() != b[name].read_bytes())
