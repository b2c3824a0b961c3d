"""Reports: the proposal reads like the seed, golden files, the committed reports/ folder is current."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

import trackdesign.documents
from helpers import write_specs

from trackdesign.lint.config import Config
from trackdesign.documents import prepare
from trackdesign.documents.build import build, differences
from trackdesign.documents.maps import build_map, to_dot, to_mermaid, to_svg
from trackdesign.documents.render import render
from trackdesign.spec.loader import load_catalog

ROOT = Path(__file__).resolve().parents[2]
SHARED = ROOT.parent / "shared"
SEED = SHARED / "seeds" / "track-proposal-deep-learning-in-python.md"
OUTLINE = SHARED / "reference" / "CourseOutline.md"
GOLDEN = Path(__file__).parents[1] / "golden"
TRACK = "deep-learning-in-python"


@pytest.fixture(scope="module")
def catalog():
    return load_catalog(ROOT / "specs")


def sections(markdown: str) -> list[dict]:
    """The courses of a proposal written like the seed: heading, notes, description, lists."""
    courses, current, where = [], None, None
    for raw in markdown.splitlines():
        line = raw.rstrip()
        heading = re.match(r"## (\d+) - (.*)", line)
        if heading:
            title = heading.group(2)
            link = re.match(r"\[(.*?)\]\((.*?)\)", title)
            current = {"number": int(heading.group(1)),
                       "title": link.group(1) if link else re.sub(r" \(new.*\)$", "", title),
                       "url": link.group(2) if link else None, "notes": [], "description": None,
                       "objectives": [], "prerequisites": []}
            courses.append(current)
            where = None
            continue
        if current is None or not line.strip():
            continue
        if line.startswith("**_Note_**: *"):
            current["notes"].append(line[len("**_Note_**: *"):-1])
        elif line == "  * Learning objectives":
            where = "objectives"
        elif line == "  * Prerequisites":
            where = "prerequisites"
        elif where == "objectives" and line.startswith("    * Learner will be able to "):
            current["objectives"].append(line[len("    * Learner will be able to "):])
        elif where == "prerequisites" and line.startswith("      * "):
            current["prerequisites"][-1]["notes"].append(line[8:])
        elif where == "prerequisites" and line.startswith("    * "):
            current["prerequisites"].append({"text": line[6:], "notes": []})
        elif where is None and current["description"] is None and not line.startswith(("Live since", "Also in")):
            current["description"] = line.strip('"')
    return courses


@pytest.mark.skipif(not SEED.is_file(), reason="../shared/ not beside the repository")
def test_proposal_has_the_seeds_courses_in_order_with_objectives_and_prerequisites(catalog):
    seed = sections(SEED.read_text(encoding="utf-8"))
    ours = sections(render(prepare.proposal(catalog, TRACK), "md"))
    assert len(seed) == 8
    assert [c["number"] for c in ours] == list(range(1, 9))
    for expected, got in zip(seed, ours):
        assert got["title"] == expected["title"]
        assert got["url"] == expected["url"]
        assert got["objectives"] == expected["objectives"], expected["title"]
        assert got["prerequisites"] == expected["prerequisites"], expected["title"]
        assert got["notes"] == expected["notes"], expected["title"]
        assert got["description"] == expected["description"], expected["title"]


def test_proposal_says_which_courses_are_new_and_links_the_outline(catalog):
    text = render(prepare.proposal(catalog, TRACK), "md")
    assert "six existing courses (1, 2, 3, 4, 7, 8) and two newly proposed courses (5, 6)" in text
    assert ("## 6 - Generative Deep Learning in Python (new, [check outline]"
            "(../../courses/generative-deep-learning-in-python.md))") in text
    assert "Live since June 28, 2019." in text and "Live since June 24, 2019." in text


@pytest.mark.skipif(not OUTLINE.is_file(), reason="../shared/ not beside the repository")
def test_outline_has_the_references_structure(catalog):
    reference = OUTLINE.read_text(encoding="utf-8")
    ours = render(prepare.outline(catalog, "generative-deep-learning-in-python"), "md")

    def skeleton(text):
        return [line.strip() for line in text.splitlines() if re.match(r"#{1,3} |\s*\* Learner will be able to", line)]
    # our heading has no trailing blank; the reference has one trailing space on one lesson title
    assert skeleton(ours) == skeleton(reference)
    assert "## References" in ours and "This outline is mainly based on:" in ours


def test_task_analysis_has_the_references_sections_and_what_the_tool_adds(catalog):
    findings = __import__("trackdesign.lint.engine", fromlist=["lint"]).lint(catalog, Config()).findings
    data = prepare.task_analysis(catalog, Config(), TRACK, findings)
    text = render(data, "md")
    for heading in ("## Track specifications", "## Analysis of DataCamp's portfolio",
                    "## Analysis of the competitor's portfolio", "## Annotated bibliography",
                    "## Prerequisite map", "## Coverage of the track specifications", "## Course overlap",
                    "## Lint findings"):
        assert heading in text
    assert "(Live since June 28, 2019)" in text  # as the proposal writes dates
    assert "Recurrent Neural Networks for Language Modeling in Python by David Cecchini" in text
    top = data["overlaps"][0]
    # flagged as lint's OV01 flags them, by content alone: titles and the track's subject left out
    flagged = {(row["a"]["id"], row["b"]["id"]) for row in data["overlaps"] if row["flagged"]}
    assert flagged == {("convolutional-neural-networks-for-image-processing", "deep-learning-with-pytorch")}
    ov01 = {(f.subject, f.related) for f in findings if f.code == "OV01"}
    assert len(ov01) == 1 and top["similar"][0]["similarity"] > 0
    pytorch = next(row for row in data["alignment"]["rows"] if row["term"] == "pytorch")
    assert [k + 1 for k, cell in enumerate(pytorch["cells"]) if cell["level"]] == [7]  # Deep Learning with PyTorch
    assert any(f["code"] == "PR01" for f in data["findings"])
    assert "```mermaid" in text and "-. redundant .->" in text


def test_prerequisite_map_marks_the_redundant_edge(catalog):
    pmap = build_map(catalog, TRACK)
    redundant = [(e.source, e.target) for e in pmap.edges if e.redundant]
    assert redundant == [("intro-to-python-for-data-science", "deep-learning-in-python")]
    roles = {n.id: n.role for n in pmap.nodes}
    assert roles["generative-deep-learning-in-python"] == "new"
    assert roles["supervised-learning-with-scikit-learn"] == "entry"
    assert roles["intro-to-python-for-data-science"] == "entry"  # required by an entry requirement
    assert roles["object-oriented-programming-in-python"] == "outside"
    dot = to_dot(pmap)
    assert '"intro-to-python-for-data-science" -> "deep-learning-in-python" [style=dashed' in dot
    svg = to_svg(pmap)
    assert svg.count('class="node ') == len(pmap.nodes)
    assert svg.count('class="edge') == len(pmap.edges) + len(pmap.groups)  # a group's junction has one more
    assert to_mermaid(pmap).startswith("flowchart TD")


def test_graph_command_prints_each_format():
    for fmt, start in (("mermaid", "flowchart TD"), ("dot", "digraph"), ("svg", "<svg")):
        out = subprocess.run([sys.executable, "-m", "trackdesign", "graph", TRACK, "--specs", str(ROOT / "specs"),
                              "--format", fmt], capture_output=True, text=True, check=True).stdout
        assert out.startswith(start)


def _example_document(catalog, name):
    findings = __import__("trackdesign.lint.engine", fromlist=["lint"]).lint(catalog, Config()).findings
    return {
        "tracks/deep-learning-in-python/proposal": lambda: prepare.proposal(catalog, TRACK),
        "tracks/deep-learning-in-python/task-analysis": lambda: prepare.task_analysis(catalog, Config(), TRACK,
                                                                                      findings),
        "courses/generative-deep-learning-in-python": lambda: prepare.outline(catalog,
                                                                              "generative-deep-learning-in-python"),
    }[name]()


def _check_golden(text: str, golden: Path):
    """Set UPDATE_GOLDEN=1 to accept a deliberate change (then review the diff in git)."""
    if os.environ.get("UPDATE_GOLDEN"):
        golden.parent.mkdir(parents=True, exist_ok=True)
        golden.write_text(text, encoding="utf-8")
    assert text == golden.read_text(encoding="utf-8"), \
        f"{golden.name} changed: if on purpose, run `UPDATE_GOLDEN=1 pytest -k golden` and review the diff"


@pytest.mark.parametrize("name", ["tracks/deep-learning-in-python/proposal",
                                  "tracks/deep-learning-in-python/task-analysis",
                                  "courses/generative-deep-learning-in-python"])
@pytest.mark.parametrize("fmt", ["md", "html"])
def test_golden_example(catalog, name, fmt):
    """The committed reports/ are the golden files of the example specs, document by document."""
    _check_golden(render(_example_document(catalog, name), fmt), ROOT / "reports" / f"{name}.{fmt}")


@pytest.mark.parametrize("name", ["proposal", "task-analysis", "outline"])
@pytest.mark.parametrize("fmt", ["md", "html"])
def test_golden_edge_cases(tmp_path, name, fmt):
    """Alternatives, unknown prerequisites, markup in every field, notes on prerequisites and lessons."""
    catalog = load_catalog(hostile_specs(tmp_path / "specs"))
    data = {"proposal": lambda: prepare.proposal(catalog, "t"),
            "task-analysis": lambda: prepare.task_analysis(catalog, Config(), "t", []),
            "outline": lambda: prepare.outline(catalog, "next")}[name]()
    _check_golden(render(data, fmt), GOLDEN / f"edge-{name}.{fmt}")


def test_committed_reports_are_up_to_date():
    """CI fails when specs/ changed and `trackdesign build` was not run."""
    result = subprocess.run([sys.executable, "-m", "trackdesign", "build", "--specs", "specs", "--out-dir", "reports", "--check"],
                            cwd=ROOT, capture_output=True, text=True)
    assert result.returncode == 0, result.stderr


def test_build_is_deterministic_and_leaves_pages_written_by_hand(tmp_path, catalog):
    first, second = tmp_path / "a", tmp_path / "b"
    build(catalog, Config(), first)
    (first / "courses" / "by-hand.md").write_text("mine", encoding="utf-8")
    build(catalog, Config(), second)
    written, removed = build(catalog, Config(), first)
    assert written == [] and removed == []
    assert (first / "courses" / "by-hand.md").read_text(encoding="utf-8") == "mine"
    (first / "courses" / "by-hand.md").unlink()
    files = sorted(p.relative_to(first) for p in first.rglob("*") if p.is_file())
    assert files == sorted(p.relative_to(second) for p in second.rglob("*") if p.is_file())
    for name in files:
        if name.suffix != ".json":  # the manifest holds file times
            assert (first / name).read_bytes() == (second / name).read_bytes()
    comparisons = 2  # the two DataCamp tracks, the two Coursera specializations
    documents = 1 + 3 * len(catalog.tracks) + len(catalog.courses) + comparisons
    assert len(files) == 2 * documents + 1  # and the manifest of what the build wrote


def test_build_check_reports_out_of_date(tmp_path):
    out = tmp_path / "reports"
    cmd = [sys.executable, "-m", "trackdesign", "build", "--specs", str(ROOT / "specs"), "--out-dir", str(out)]
    subprocess.run(cmd, check=True, capture_output=True)
    (out / "index.md").write_text("edited by hand\n", encoding="utf-8")
    result = subprocess.run(cmd + ["--check"], capture_output=True, text=True)
    assert result.returncode == 1 and "index.md" in result.stderr


def test_build_check_ignores_pages_written_by_hand(tmp_path):
    """A build never removes a page it did not write, so --check must not call it out of date;
    a page an earlier build wrote for a course since deleted is out of date (the build removes it)."""
    specs = write_specs(tmp_path / "specs", courses={"a": {"title": "A"}, "b": {"title": "B"}})
    out, fresh = tmp_path / "reports", tmp_path / "fresh"
    build(load_catalog(specs), Config(), out)
    (out / "README.md").write_text("Our reports; see the index.\n", encoding="utf-8")
    build(load_catalog(specs), Config(), fresh)
    assert differences(fresh, out) == []
    (specs / "courses" / "b.yaml").unlink()
    shutil.rmtree(fresh)
    build(load_catalog(specs), Config(), fresh)
    assert differences(fresh, out) == ["courses/b.html", "courses/b.md", "index.html", "index.md"]


HOSTILE = "<script>window.__pwned = 1</script><img src=x onerror=\"window.__pwned = 2\">"


def hostile_specs(root: Path) -> Path:
    """A catalog whose text is markup, alternatives, unknown ids and a javascript: URL."""
    return write_specs(root, courses={
        "base": {"title": "Base <b>course</b>", "url": "javascript:alert(1)", "description": HOSTILE,
                 "objectives": [f"explain {HOSTILE}"], "prerequisites": []},
        "other": {"title": "Other", "status": "proposed", "objectives": ["apply *things*"]},
        "next": {"title": "Next", "status": "proposed", "description": "Plain.",
                 "prerequisites": [{"any_of": ["base", "other"], "notes": [HOSTILE]}, "missing-course"],
                 "notes": [HOSTILE],
                 "chapters": [{"title": HOSTILE, "lessons": [{"title": "L", "objectives": [HOSTILE]}]}]},
    }, tracks={"t": {"title": "T <i>track</i>", "description": HOSTILE, "courses": ["base", "next"],
                     "requirements": [{"name": HOSTILE, "covers": ["things"]}]}})


def test_html_escapes_spec_text(tmp_path):
    root = hostile_specs(tmp_path / "specs")
    catalog = load_catalog(root)
    out = tmp_path / "reports"
    build(catalog, Config(), out)
    ours = (Path(trackdesign.documents.__file__).parent / "templates" / "_map.js").read_text(encoding="utf-8")
    for page in out.rglob("*.html"):
        text = page.read_text(encoding="utf-8")
        text = text.replace(f"<script>\n{ours}</script>", "")  # the map's own script, outside <main>
        assert "<script" not in text and "<img" not in text and 'href="javascript:' not in text, page
    proposal = (out / "tracks" / "t" / "proposal.html").read_text(encoding="utf-8")
    assert "&lt;script&gt;window.__pwned = 1&lt;/script&gt;" in proposal
    assert "One of: " in proposal and "(no spec)" in proposal


def test_proposal_markdown_shows_alternatives_and_missing(tmp_path):
    catalog = load_catalog(hostile_specs(tmp_path / "specs"))
    text = render(prepare.proposal(catalog, "t"), "md")
    assert "    * One of: Base &lt;b>course&lt;/b>, Other" in text
    assert "<script" not in text and "<b>" not in text
    assert "    * missing-course" in text
    assert "one existing course (1) and one newly proposed course (2)" in text


def test_an_all_of_requirement_is_drawn_as_plain_edges_and_any_of_as_one_junction(tmp_path):
    root = write_specs(tmp_path / "specs", courses={
        "a": {"title": "A"}, "b": {"title": "B"}, "c": {"title": "C"}, "d": {"title": "D"},
        "e": {"spec_version": 3, "title": "E", "prerequisites": [{"all_of": ["a", "b"]}, {"any_of": ["c", "d"]}]},
    }, tracks={"t": {"title": "T", "courses": ["a", "b", "c", "d", "e"]}})
    pmap = build_map(load_catalog(root), "t")
    assert [sorted(g.members) for g in pmap.groups] == [["c", "d"]]
    assert {(e.source, e.group is None) for e in pmap.edges if e.target == "e"} == {
        ("a", True), ("b", True), ("c", False), ("d", False)}
    assert to_dot(pmap).count('label="one of"') == 1


def test_corequisites_are_drawn_beside_their_course_in_every_format(tmp_path):
    root = write_specs(tmp_path / "specs", courses={
        "lecture": {"spec_version": 3, "title": "Lecture", "corequisites": ["reading"], "strict_corequisites": ["lab"]},
        "lab": {"title": "Lab"}, "reading": {"title": "Reading"},
    }, tracks={"t": {"title": "T", "courses": ["lecture"]}})
    pmap = build_map(load_catalog(root), "t")
    assert {(e.source, e.corequisite) for e in pmap.edges} == {("reading", "with"), ("lab", "same term")}
    assert {n.id for n in pmap.nodes} == {"lecture", "lab", "reading"}
    assert to_dot(pmap).count("style=dotted") == 2 and to_mermaid(pmap).count("-. with .->") == 2
    assert to_svg(pmap).count('class="edge corequisite"') == 2


def test_the_composition_note_counts_a_course_without_a_spec_as_the_duration_does(tmp_path):
    root = write_specs(tmp_path / "specs", courses={"a": {"title": "A"}},
                       tracks={"t": {"title": "T", "courses": ["a", "ghost"]}})
    text = render(prepare.proposal(load_catalog(root), "t"), "md")
    assert "one existing course (1) and one course without a spec (2)" in text and "| Duration | 2 courses |" in text
