"""A big specs folder is read by two processes: the catalog must be exactly the one a single
process loads, problems and duplicates included, even when the forked reader dies."""

from __future__ import annotations

import datetime
import os
import sys
import time

import pytest

from helpers import write_specs
from trackdesign import cores
from trackdesign.spec import reading
from trackdesign.spec.loader import load_catalog

pytestmark = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="the reader is forked on Linux only")


@pytest.fixture
def specs(tmp_path):
    """30 good courses between two files of the same id, so the first is read here and the second by
    the child, with every kind of load problem among the child's files."""
    courses = {f"c{k:02d}": {"title": f"Course {k}", "objectives": [f"explain topic {k}"],
                             "description": f"Line one.\nTopic {k} in depth.  # trackdesign: ignore[NM07]"}
               for k in range(30)}
    courses["c05"]["live_since"] = datetime.date(2019, 6, 28)  # a date: its part travels pickled
    root = write_specs(tmp_path / "specs", courses, {"t": {"title": "T", "courses": ["c00", "c29", "dup"]}})
    folder = root / "courses"
    (folder / "aa").mkdir()
    (folder / "aa" / "dup.yaml").write_text("title: First of the two\n", encoding="utf-8")
    (folder / "zz").mkdir()
    (folder / "zz" / "dup.yaml").write_text("title: Second of the two\n", encoding="utf-8")
    (folder / "zz" / "broken.yaml").write_text("title: [unclosed\n", encoding="utf-8")
    (folder / "zz" / "wrong-type.yaml").write_text("title: 12\nduration_hours: many\n", encoding="utf-8")
    (folder / "zz" / "latin.yaml").write_bytes("title: Caf\xe9\n".encode("latin-1"))
    (folder / "zz" / "Bad_Name.yaml").write_text("title: Bad\n", encoding="utf-8")
    (folder / "zz" / "crlf.yaml").write_bytes(b"title: Windows\r\nobjectives:\r\n  - use it\r\n")
    return root


def _snapshot(catalog) -> dict:
    def spec(s):
        return (s.kind, s.id, str(s.file), s.display, s.strings, s.source(), s.model.model_dump(), s.suppressions, s.digest)
    return {
        "courses": [spec(s) for s in catalog.courses.values()],
        "tracks": [spec(s) for s in catalog.tracks.values()],
        "problems": [(p.code, p.file, p.line, p.column, p.message, p.hint) for p in catalog.problems],
    }


def _split_load(monkeypatch, root):
    monkeypatch.setattr(reading, "PARALLEL_FROM", 1)
    monkeypatch.setattr(reading, "PART", 3)  # many parts, each taken by whichever process asks first
    monkeypatch.setattr(cores, "usable_cpus", lambda: 2)
    return load_catalog(root)


def test_two_readers_load_what_one_does(specs, monkeypatch):
    with monkeypatch.context() as one:
        one.setenv("TRACKDESIGN_ONE_PROCESS", "1")
        expected = _snapshot(load_catalog(specs))
    assert len(expected["courses"]) == 32  # 30, the first 'dup' and the CRLF one
    assert {p[0] for p in expected["problems"]} == {"SP01", "SP02", "SP03"}
    assert any("duplicate course id 'dup'" in p[4] for p in expected["problems"])
    forks = []
    real_fork = os.fork

    def counting_fork():
        forks.append(1)
        return real_fork()
    monkeypatch.setattr(os, "fork", counting_fork)
    assert _snapshot(_split_load(monkeypatch, specs)) == expected
    assert forks, "the later files were not read by a forked process"


@pytest.mark.parametrize("dies_at", [1, 3])
def test_a_dead_reader_costs_time_not_specs(specs, monkeypatch, tmp_path, dies_at):
    """A reader dying at its first part hands over nothing; one dying at its third hands over two.
    Either way, what it did not hand over is read here."""
    with monkeypatch.context() as one:
        one.setenv("TRACKDESIGN_ONE_PROCESS", "1")
        expected = _snapshot(load_catalog(specs))
    parent, calls = os.getpid(), tmp_path / "child-calls"
    parse_all = reading.parse_all

    def dying_in_child(files):
        if os.getpid() != parent:
            with calls.open("a") as note:
                note.write(f"{len(files)}\n")
            if len(calls.read_text().split()) == dies_at:
                os._exit(3)
        else:
            time.sleep(0.02)  # this process slower, so that the child takes parts before it dies
        return parse_all(files)
    monkeypatch.setattr(reading, "parse_all", dying_in_child)
    assert _snapshot(_split_load(monkeypatch, specs)) == expected
    assert len(calls.read_text().split()) == dies_at  # the child ran until it died


def test_the_reader_starts_before_the_schema_library_is_imported(specs):
    """`trackdesign lint` forks the reader first, so that it reads while this process imports
    pydantic and the spec model; and the findings are those of a lint in one process."""
    import subprocess

    script = """
import os, sys
from trackdesign import cores
from trackdesign.spec import reading
reading.PARALLEL_FROM, reading.PART = 1, 3
cores.usable_cpus = lambda: 2
real_fork = os.fork
def fork():
    print("fork", "pydantic" in sys.modules, "trackdesign.spec.model" in sys.modules, flush=True)
    return real_fork()
os.fork = fork
sys.argv = ["trackdesign", "lint", sys.argv[1], "--no-links", "--no-cache", "--format", "json", "-o", sys.argv[2]]
from trackdesign.cli import main
main()
"""
    out = specs.parent / "forked.json"
    run = subprocess.run([sys.executable, "-c", script, str(specs), str(out)], capture_output=True, text=True)
    assert run.stdout.splitlines()[0] == "fork False False", run.stderr
    alone = subprocess.run([sys.executable, "-m", "trackdesign", "lint", str(specs), "--no-links", "--no-cache",
                            "--format", "json"], capture_output=True, text=True,
                           env={**os.environ, "TRACKDESIGN_ONE_PROCESS": "1"})
    assert run.returncode == alone.returncode == 2  # the fixture's broken files
    assert out.read_text() == alone.stdout and '"SP03"' in alone.stdout


def test_parsed_parts_travel_marshalled_or_pickled_and_arrive_the_same(specs):
    """Plain parsed data goes by marshal (faster), anything else by pickle: either way the
    part that arrives equals the part that was read."""
    files = reading.discover(specs)
    parts = [reading.parse_all(files[k:k + 3]) for k in range(0, len(files), 3)]

    def plain(part):
        return [(p.text, p.located.data, p.located.strings, p.suppressions, p.digest)
                if isinstance(p, reading.Parsed) else repr(p) for p in part]
    kinds = set()
    for part in parts:
        data = reading._encode(part)
        kinds.add(data[:1])
        assert plain(reading._decode(data)) == plain(part)
    assert kinds == {b"m", b"p"}


def test_a_file_bigger_than_one_read_is_read_whole(tmp_path):
    """A spec is read with one read of 64 KiB and no fstat; a bigger file takes more reads."""
    for size in (reading._READ - 40, reading._READ, 3 * reading._READ + 7):
        description = "x" * (size - len("title: T\ndescription: \n"))
        root = write_specs(tmp_path / f"specs{size}", {"big": f"title: T\ndescription: {description}\n"})
        assert (root / "courses" / "big.yaml").stat().st_size == size
        assert load_catalog(root).courses["big"].model.description == description
