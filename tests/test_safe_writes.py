"""Files trackdesign writes: whole or not at all, with the umask's mode, written through devices,
FIFOs and symlinks, and refused with a clear message where they cannot be; caches that cannot run
code and mend themselves."""

from __future__ import annotations

import json
import os
import pickle
import sqlite3
import stat
import threading
from pathlib import Path

import pytest
from click.testing import CliRunner

from trackdesign.atomic import WriteError, write_bytes, write_text
from trackdesign.cli import cli
from trackdesign.links.cache import LinkCache
from trackdesign.links.check import Outcome

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture
def umask():
    def set_to(value):
        previous.append(os.umask(value))
    previous: list[int] = []
    yield set_to
    for value in reversed(previous):
        os.umask(value)


def stray(folder: Path) -> list[str]:
    return [p.name for p in folder.iterdir() if p.name.endswith(".tmp")]


@pytest.mark.parametrize("mask,mode", [(0o022, 0o644), (0o027, 0o640), (0o002, 0o664), (0o077, 0o600)])
def test_a_new_file_gets_the_mode_the_umask_gives(tmp_path, umask, mask, mode):
    umask(mask)
    write_text(tmp_path / "report.md", "# report\n")
    assert stat.S_IMODE((tmp_path / "report.md").stat().st_mode) == mode


def test_new_files_of_every_command_get_the_umask_mode(tmp_path, umask, monkeypatch):
    umask(0o022)
    monkeypatch.chdir(tmp_path)
    specs = ROOT / "specs"
    runner = CliRunner()
    outputs = {
        "lint.json": ["lint", "--specs", str(specs), "--no-links", "-o", "lint.json"],
        "plan.md": ["plan", "deep-learning-in-python", "--specs", str(specs), "--hours-per-week", "5", "-o", "plan.md"],
        "review.xlsx": ["sheet", "export", "deep-learning-in-python", "--specs", str(specs), "-o", "review.xlsx"],
    }
    for name, args in outputs.items():
        result = runner.invoke(cli, args)
        assert result.exit_code in (0, 1), result.output
        assert stat.S_IMODE((tmp_path / name).stat().st_mode) == 0o644, name


def test_a_replaced_file_keeps_its_mode_and_no_temporary_file_is_left(tmp_path, umask):
    umask(0o022)
    target = tmp_path / "spec.yaml"
    target.write_text("old\n")
    target.chmod(0o600)
    write_text(target, "new\n")
    assert target.read_text() == "new\n" and stat.S_IMODE(target.stat().st_mode) == 0o600
    assert stray(tmp_path) == []


def test_text_is_written_byte_for_byte(tmp_path):
    text = "\ufefftitle: A\r\nnotes:\r\n  - é\r\n"
    write_text(tmp_path / "a.yaml", text)
    assert (tmp_path / "a.yaml").read_bytes() == text.encode("utf-8")


def test_a_failed_write_leaves_the_old_file_and_no_temporary_file(tmp_path, monkeypatch):
    target = tmp_path / "spec.yaml"
    target.write_text("kept\n")

    def refuse(src, dst):
        raise OSError(28, "No space left on device")
    monkeypatch.setattr(os, "replace", refuse)
    with pytest.raises(WriteError) as error:
        write_text(target, "lost\n")
    assert error.value.path == target and "no space left" in error.value.reason
    assert target.read_text() == "kept\n" and stray(tmp_path) == []


def test_an_interrupt_mid_write_leaves_no_temporary_file(tmp_path, monkeypatch):
    def interrupted(fd):
        raise KeyboardInterrupt
    monkeypatch.setattr(os, "fsync", interrupted)
    with pytest.raises(KeyboardInterrupt):
        write_text(tmp_path / "new.md", "x")
    assert stray(tmp_path) == [] and not (tmp_path / "new.md").exists()


def test_devices_are_written_through_not_replaced():
    before = os.stat("/dev/null")
    write_text("/dev/null", "discarded\n")
    after = os.stat("/dev/null")
    assert stat.S_ISCHR(after.st_mode) and (after.st_ino, after.st_rdev) == (before.st_ino, before.st_rdev)


def test_a_fifo_is_written_through(tmp_path):
    fifo = tmp_path / "out.fifo"
    os.mkfifo(fifo)
    received = []
    reader = threading.Thread(target=lambda: received.append(fifo.read_bytes()))
    reader.start()
    write_text(fifo, "through the pipe\n")
    reader.join(timeout=10)
    assert received == [b"through the pipe\n"] and stat.S_ISFIFO(fifo.lstat().st_mode)


def test_a_symlink_stays_a_link_and_its_target_is_written(tmp_path):
    target = tmp_path / "real.md"
    target.write_text("old\n")
    link = tmp_path / "link.md"
    link.symlink_to(target)
    write_text(link, "new\n")
    assert link.is_symlink() and target.read_text() == "new\n"
    dangling = tmp_path / "dangling.md"
    dangling.symlink_to(tmp_path / "made.md")
    write_text(dangling, "made\n")
    assert dangling.is_symlink() and (tmp_path / "made.md").read_text() == "made\n"


@pytest.mark.parametrize("where,reason", [("folder", "it is a folder"), ("under a file", "a folder on its way is a file")])
def test_paths_that_cannot_be_files_raise_a_write_error(tmp_path, where, reason):
    (tmp_path / "file").write_text("x")
    path = tmp_path if where == "folder" else tmp_path / "file" / "x.md"
    with pytest.raises(WriteError) as error:
        write_bytes(path, b"x")
    assert reason in error.value.reason and str(path) in str(error.value)


def test_a_read_only_folder_is_a_write_error(tmp_path, monkeypatch):
    import builtins

    real_open = builtins.open

    def read_only(path, mode="r", *args, **kwargs):  # as a read-only folder answers, whoever runs the tests
        if "x" in mode or "w" in mode:
            raise PermissionError(13, "Permission denied", path)
        return real_open(path, mode, *args, **kwargs)
    monkeypatch.setattr(builtins, "open", read_only)
    with pytest.raises(WriteError) as error:
        write_text(tmp_path / "x.md", "x")
    assert "permission denied" in error.value.reason


@pytest.mark.parametrize("output", ["{tmp}", "{tmp}/file/x.json"])
def test_the_command_line_turns_an_unwritable_output_into_exit_2(tmp_path, output):
    (tmp_path / "file").write_text("x")
    result = CliRunner().invoke(cli, ["lint", "--specs", str(ROOT / "specs"), "--no-links", "-o",
                                      output.format(tmp=tmp_path)])
    assert result.exit_code == 2 and "Traceback" not in result.output, result.output


# --- caches --------------------------------------------------------------------------------------

class Planted:
    """Unpickling this runs code: what a hostile checkout could leave in .trackdesign-cache/."""

    def __reduce__(self):
        return (Path.write_text, (Path("planted-ran.txt"), "code ran"))


@pytest.fixture
def cached_specs(tmp_path, monkeypatch):
    import shutil

    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("TRACKDESIGN_NO_CACHE", raising=False)
    shutil.copytree(ROOT / "specs", tmp_path / "specs")
    return tmp_path / "specs"


def lint_json(*args):
    result = CliRunner().invoke(cli, ["lint", "--specs", "specs", "--no-links", "--format", "json", *args])
    assert result.exit_code in (0, 1), result.output
    return json.loads(result.stdout)


def test_the_lint_cache_never_unpickles_what_it_finds(cached_specs):
    first = lint_json()
    folder = Path(".trackdesign-cache/lint")
    entries = list(folder.glob("*.json"))
    assert len(entries) == 1
    for path in entries + [folder / (entries[0].stem + ".pickle")]:
        path.write_bytes(pickle.dumps(Planted()))
    assert lint_json() == first
    assert not Path("planted-ran.txt").exists()


@pytest.mark.parametrize("damage", ["not json", "a list", "a finding without its code", "a severity unknown",
                                    "a fix naming no spec", "a fix pointing past the findings", "nested deep"])
def test_a_malformed_cache_entry_is_discarded_and_the_rules_run(cached_specs, damage):
    first = lint_json()
    entry = next(Path(".trackdesign-cache/lint").glob("*.json"))
    document = json.loads(entry.read_text())
    if damage == "not json":
        entry.write_text("{not json")
    elif damage == "a list":
        entry.write_text("[]")
    elif damage == "a finding without its code":
        del document["findings"][0]["code"]
        entry.write_text(json.dumps(document))
    elif damage == "a severity unknown":
        document["findings"][0]["severity"] = "fatal"
        entry.write_text(json.dumps(document))
    elif damage == "a fix naming no spec":
        document["fixes"][0]["id"] = "no-such-course"
        entry.write_text(json.dumps(document))
    elif damage == "a fix pointing past the findings":
        document["fixes"][0]["finding"] = 10 ** 9
        entry.write_text(json.dumps(document))
    else:
        entry.write_text('{"findings": ' + "[" * 100_000 + "]" * 100_000 + "}")
    assert lint_json() == first
    assert json.loads(next(Path(".trackdesign-cache/lint").glob("*.json")).read_text())["findings"]  # rewritten


@pytest.mark.parametrize("damage", ["garbage", "sqlite header then garbage", "another schema", "tampered rows"])
def test_a_damaged_link_cache_is_rebuilt(tmp_path, damage):
    path = tmp_path / "links.sqlite"
    if damage == "garbage":
        path.write_bytes(os.urandom(4096))
    elif damage == "sqlite header then garbage":
        path.write_bytes(b"SQLite format 3\x00" + os.urandom(8192))
    elif damage == "another schema":
        with sqlite3.connect(path) as connection:
            connection.execute("CREATE TABLE outcomes (url TEXT)")
    else:
        LinkCache(path).store([Outcome("https://example.org/a", "ok", 200)])
        with sqlite3.connect(path) as connection:
            connection.execute("UPDATE outcomes SET status = 'evil', chain = '[[1, 2, 3]]'")
    cache = LinkCache(path)
    assert cache.load(["https://example.org/a"], 168, offline=True) == {}
    cache.store([Outcome("https://example.org/a", "ok", 200, chain=[["https://example.org/b", 301]])])
    found = cache.load(["https://example.org/a"], 168, offline=False)
    assert found["https://example.org/a"].chain == [["https://example.org/b", 301]]


def test_a_link_cache_path_that_is_someone_elses_file_is_left_alone(tmp_path):
    precious = tmp_path / "notes.txt"
    precious.write_text("my notes\n")
    cache = LinkCache(precious)
    cache.store([Outcome("https://example.org/a", "ok", 200)])
    assert cache.load(["https://example.org/a"], 168, offline=True) == {}
    assert precious.read_text() == "my notes\n"
