"""`build` renders only what changed, and removes only what an earlier build wrote."""

from __future__ import annotations

import json
from pathlib import Path

from helpers import write_specs

from trackdesign.documents.build import MANIFEST, build
from trackdesign.lint.config import Config
from trackdesign.spec.loader import load_catalog

COURSES = {
    "intro": {"title": "Intro", "objectives": ["explain keras layers"]},
    "middle": {"title": "Middle", "prerequisites": ["intro"], "objectives": ["build keras models"]},
    "late": {"title": "Late", "prerequisites": ["middle"]},
    "alone": {"title": "Alone", "objectives": ["describe pandas"]},
}
TRACKS = {"t": {"title": "T", "courses": ["intro", "middle", "late"],
                "requirements": [{"name": "Tools", "covers": ["keras"]}]},
          "u": {"title": "U", "courses": ["alone"]}}


def _files(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in root.rglob("*")
            if p.is_file() and p.name != MANIFEST}


def _build(specs: Path, out: Path):
    return build(load_catalog(specs), Config(), out)


def test_an_unchanged_build_renders_nothing_and_an_edit_renders_what_shows_it(tmp_path):
    specs = write_specs(tmp_path / "specs", COURSES, TRACKS)
    out = tmp_path / "out"
    first = _build(specs, out)
    assert first.rendered == first.documents == 1 + 3 * 2 + 4
    again = _build(specs, out)
    assert again.rendered == 0 and again.written == [] and again.removed == []
    write_specs(specs, {"intro": {**COURSES["intro"], "title": "Introduction"}})
    edited = _build(specs, out)
    names = {p.relative_to(out).as_posix() for p in edited.written}
    assert {"courses/intro.md", "tracks/t/proposal.md", "index.md"} <= names
    assert "courses/alone.md" not in names and "tracks/u/proposal.md" not in names
    assert edited.rendered < edited.documents


def test_incremental_builds_equal_a_fresh_build_after_each_edit(tmp_path):
    specs = write_specs(tmp_path / "specs", COURSES, TRACKS)
    out = tmp_path / "out"
    _build(specs, out)
    edits = [
        lambda: write_specs(specs, {"late": {**COURSES["late"], "prerequisites": ["middle", "alone"]}}),
        lambda: write_specs(specs, {"alone": {"title": "Alone Renamed", "objectives": ["create keras apps"]}}),
        lambda: write_specs(specs, tracks={"t": {**TRACKS["t"], "courses": ["intro", "middle", "late", "alone"]}}),
        lambda: (specs / "courses" / "late.yaml").unlink(),
        lambda: (specs / "tracks" / "u.yaml").unlink(),
    ]
    for k, edit in enumerate(edits):
        edit()
        _build(specs, out)
        fresh = tmp_path / f"fresh{k}"
        _build(specs, fresh)
        assert _files(out) == _files(fresh), k
    assert not (out / "tracks" / "u").exists()  # its folder went with its documents


def test_only_files_a_build_wrote_are_removed(tmp_path):
    specs = write_specs(tmp_path / "specs", COURSES, TRACKS)
    out = tmp_path / "out"
    _build(specs, out)
    (out / "courses" / "notes-by-hand.html").write_text("<p>mine</p>", encoding="utf-8")
    (out / "courses" / "alone.html").write_text("<p>edited after the build</p>", encoding="utf-8")
    outside = tmp_path / "outside.md"
    outside.write_text("not the build's", encoding="utf-8")
    manifest = json.loads((out / MANIFEST).read_text(encoding="utf-8"))
    manifest["documents"]["gone"] = {"key": "x", "files": {"../outside.md": {"digest": "", "size": 15}}}
    (out / MANIFEST).write_text(json.dumps(manifest), encoding="utf-8")
    (specs / "courses" / "alone.yaml").unlink()
    write_specs(specs, tracks={"u": {"title": "U", "courses": ["intro"]}})
    result = _build(specs, out)
    assert [p.name for p in result.removed] == ["alone.md"]
    assert [p.name for p in result.kept] == ["alone.html"]  # edited by hand since: not ours to delete
    assert (out / "courses" / "notes-by-hand.html").exists() and outside.exists()


def test_an_unreadable_manifest_means_render_everything_and_remove_nothing(tmp_path):
    specs = write_specs(tmp_path / "specs", COURSES, TRACKS)
    out = tmp_path / "out"
    _build(specs, out)
    (out / MANIFEST).write_text("{not json", encoding="utf-8")
    (specs / "courses" / "alone.yaml").unlink()
    write_specs(specs, tracks={"u": {"title": "U", "courses": ["intro"]}})
    result = _build(specs, out)
    assert result.rendered == result.documents and result.removed == []
    assert (out / "courses" / "alone.md").exists()


def test_a_document_a_crash_left_empty_is_rendered_again(tmp_path):
    """Documents are not flushed to disk one by one: what a crash cuts short, the next build mends."""
    specs = write_specs(tmp_path / "specs", COURSES, TRACKS)
    out = tmp_path / "out"
    _build(specs, out)
    page = out / "courses" / "intro.html"
    whole = page.read_bytes()
    page.write_bytes(b"")  # as the rename reached the disk and the data did not
    again = _build(specs, out)
    assert again.written == [page] and page.read_bytes() == whole


def test_a_check_names_the_documents_out_of_date_and_writes_nothing(tmp_path, monkeypatch):
    import tempfile

    from trackdesign.documents.build import out_of_date

    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path / "tmp"))
    (tmp_path / "tmp").mkdir()
    specs = write_specs(tmp_path / "specs", COURSES, TRACKS)
    out = tmp_path / "out"
    _build(specs, out)
    before = _files(out)
    assert out_of_date(load_catalog(specs), Config(), out) == []
    (specs / "courses" / "alone.yaml").write_text("title: Alone again\n", encoding="utf-8")
    stale = out_of_date(load_catalog(specs), Config(), out)
    assert "courses/alone.md" in stale and "courses/alone.html" in stale and "courses/intro.md" not in stale
    assert _files(out) == before and list((tmp_path / "tmp").iterdir()) == []  # the trial build is gone
