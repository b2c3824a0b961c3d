"""Hostile inputs through the command line, each beside a benign input of the same kind, in one run:
time, CPU and peak memory stay bounded (the tests assert the outcomes; this shows what they cost).

- a 74 KB spec whose anchored 18 KB note is repeated by 8,000 aliases, beside a 74 KB spec of prose;
- a track naming 100,000 unknown courses (SP04 and its did-you-mean hints), beside one naming 1,000;
- a course of 20,000 lessons each holding a key the format does not have (every one left out and
  reported), beside the same lessons without it;
- a review workbook whose sheet declares A1:XFD1048576 with one far cell, and one with a million
  rows, beside the workbook as exported;
- a link whose server drips its answer a byte every 0.2 s, and one answering 100 Continue forever,
  under a 3 s deadline, beside a link that answers at once.

    python bench/hostile.py
"""

from __future__ import annotations

import re
import shutil
import sys
import tempfile
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests"))

from bench import compile_package, run_command  # noqa: E402


def specs(folder: Path, courses: dict[str, str], track: str = "title: T\ncourses: [a]\n") -> Path:
    (folder / "courses").mkdir(parents=True)
    (folder / "tracks").mkdir()
    for cid, text in courses.items():
        (folder / "courses" / f"{cid}.yaml").write_text(text, encoding="utf-8")
    (folder / "tracks" / "t.yaml").write_text(track, encoding="utf-8")
    return folder


def lint(folder: Path, *extra: str):
    return run(["lint", "--specs", str(folder), "--no-links", *extra])


_LAUNCHER = None


def run(args: list[str]):
    """`run_command` from a small process started first: a child's peak memory as the system counts
    it starts from its parent's, and this process grows as it builds the inputs."""
    return _LAUNCHER.apply(run_command, (args,))


def workbook_with(source: Path, target: Path, change) -> Path:
    with zipfile.ZipFile(source) as archive:
        parts = {name: archive.read(name) for name in archive.namelist()}
    workbook = parts["xl/workbook.xml"].decode()
    rid = re.search(r'<sheet name="Courses"[^>]*r:id="([^"]+)"', workbook).group(1)
    part = "xl/" + re.search(rf'Id="{rid}"[^>]*Target="([^"]+)"', parts["xl/_rels/workbook.xml.rels"].decode()
                             ).group(1).removeprefix("/xl/")
    parts[part] = change(parts[part].decode()).encode()
    with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in parts.items():
            archive.writestr(name, data)
    return target


def far_cell(xml: str) -> str:
    xml = re.sub(r'<dimension ref="[^"]*"/>', '<dimension ref="A1:XFD1048576"/>', xml)
    return xml.replace("</sheetData>", '<row r="1048576"><c r="XFD1048576" t="inlineStr"><is><t>x</t></is></c>'
                                       "</row></sheetData>")


def million_rows(xml: str) -> str:
    rows = "".join(f'<row r="{r}"><c r="B{r}" t="inlineStr"><is><t>row-{r}</t></is></c></row>'
                   for r in range(20, 1_000_020))
    return xml.replace("</sheetData>", rows + "</sheetData>")


def make_books(book: str, work: str) -> None:
    workbook_with(Path(book), Path(work) / "far.xlsx", far_cell)
    workbook_with(Path(book), Path(work) / "million.xlsx", million_rows)


def main():
    import multiprocessing

    global _LAUNCHER
    compile_package()
    _LAUNCHER = multiprocessing.get_context("spawn").Pool(1)
    work = Path(tempfile.mkdtemp(prefix="bench-hostile-"))
    rows = []
    try:
        bomb = "title: A\nnotes:\n  - &o " + "x" * 18_000 + "\n" + "  - *o\n" * 8_000
        prose = "title: A\nnotes:\n" + "".join(f"  - {'word ' * 9}{k}\n" for k in range(1_480))
        rows.append(("74 KB of prose in one spec (baseline)", lint(specs(work / "prose", {"a": prose}))))
        rows.append(("74 KB alias bomb expanding to 144 MB", lint(specs(work / "bomb", {"a": bomb}))))

        def track(count):
            return "title: T\ncourses:\n" + "".join(f"  - intro-to-pyhton-{k}\n" for k in range(count))
        known = {"intro-to-python": "title: Intro to Python\n"}
        rows.append(("track naming 1,000 unknown courses (baseline)",
                     lint(specs(work / "u1k", known, track(1_000)), "--select", "SP04")))
        rows.append(("track naming 100,000 unknown courses",
                     lint(specs(work / "u100k", known, track(100_000)), "--select", "SP04")))

        def lessons(extra):
            return "title: A\nchapters:\n  - title: C\n    lessons:\n" + "".join(
                f"      - title: Lesson {k}\n{extra}" for k in range(20_000))
        rows.append(("course of 20,000 lessons (baseline)", lint(specs(work / "l20k", {"a": lessons("")}))))
        rows.append(("20,000 lessons each with an unknown key",
                     lint(specs(work / "l20k-bad", {"a": lessons("        colour: red\n")}))))

        shutil.copytree(ROOT / "specs", work / "specs")
        book = work / "review.xlsx"
        run(["sheet", "export", "deep-learning-in-python", "--specs", str(work / "specs"), "-o", str(book)])
        import multiprocessing

        with multiprocessing.get_context("spawn").Pool(1) as pool:  # built apart: a child's peak memory
            pool.apply(make_books, (str(book), str(work)))          # would count this process's size
        for name, path in (("review workbook as exported (baseline)", book),
                           ("sheet declaring A1:XFD1048576, one far cell", work / "far.xlsx"),
                           ("sheet of a million rows", work / "million.xlsx")):
            rows.append((name, run(["sheet", "import", str(path), "--specs", str(work / "specs"),
                                            "--dry-run"])))

        from hostile_server import HostileServer

        server = HostileServer().start()
        try:
            for name, path in (("a link answering at once (baseline)", "ok"),
                               ("a link dripping a byte every 0.2 s", "drip"),
                               ("a link answering 100 Continue forever", "continue")):
                folder = specs(work / f"link-{path}", {"a": f"title: A\nurl: {server.url(path)}\n"})
                (folder / "trackdesign.toml").write_text(f'[links]\ndeadline = 3\ncache = "{folder / "c.sqlite"}"\n',
                                                         encoding="utf-8")
                rows.append((name, run(["lint", "--specs", str(folder), "--select", "LK01,LK02"])))
        finally:
            server.stop()
    finally:
        _LAUNCHER.close()
        shutil.rmtree(work, ignore_errors=True)

    print(f"{'':<46} {'seconds':>8} {'CPU s':>6} {'peak MB':>8} {'x baseline':>11}  exit")
    base = None
    for name, (seconds, cpu, peak, status, _, _) in rows:
        base = (seconds, peak) if "baseline" in name else base
        print(f"{name:<46} {seconds:>8.2f} {cpu:>6.2f} {peak:>8.0f} {seconds / base[0]:>11.2f}  {status}")


if __name__ == "__main__":
    main()
