"""`import markdown` on the example proposal and on hand-written variants of it (tests/fixtures/proposals).

Every variant is either imported faithfully (exit 0, and its proposal renders back with no change
the report does not list) or reported with its line (exit 1): nothing is misplaced behind exit 0.
"""

from __future__ import annotations

import difflib
import re
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner

from test_reports import SEED
from trackdesign.cli import cli
from trackdesign.documents import prepare
from trackdesign.documents.render import render
from trackdesign.importers import mdtext
from trackdesign.spec.loader import load_catalog

FIXTURES = Path(__file__).parents[1] / "fixtures" / "proposals"
TRACK = "deep-learning-in-python"
needs_seed = pytest.mark.skipif(not SEED.is_file(), reason="../shared/seeds not beside the repository")


def imported(source: Path, out: Path, *extra):
    """(exit code, report lines as {line: [text]}, output) of `import markdown SOURCE -o OUT`."""
    result = CliRunner().invoke(cli, ["import", "markdown", str(source), "--specs", str(out), *extra])
    assert result.exit_code in (0, 1), result.output
    entries: dict[int, list[str]] = {}
    for match in re.finditer(rf"^{re.escape(str(source))}:(\d+): (.*)$", result.output, re.M):
        entries.setdefault(int(match.group(1)), []).append(match.group(2))
    return result.exit_code, entries, result.output


def course(out: Path, cid: str) -> dict:
    return yaml.safe_load((out / "courses" / f"{cid}.yaml").read_text(encoding="utf-8"))


def rendered(out: Path, track: str = TRACK) -> str:
    return render(prepare.proposal(load_catalog(out), track), "md")


def _content(line: str) -> str:
    """A line as a reader sees it: bullets, heading marks, course numbers and note markup aside."""
    text = re.sub(r"^(?:[*+-]|\d+[.)])\s+", "", line.strip())
    found = mdtext.heading(text)
    if found:
        text = re.sub(r"^\d+\s*[-.:)]\s*", "", found[1])
    body = mdtext.note(text)
    return f"NOTE {body}" if body is not None else text


def unreported_changes(source: str, ours: str, entries: dict[int, list[str]]) -> list[str]:
    """Each change from `source` to `ours` that no report entry at (or just before) its lines explains."""
    numbered = [(n, _content(t)) for n, t in enumerate(source.splitlines(), 1) if t.strip()]
    mine = [_content(t) for t in ours.splitlines() if t.strip()]
    matcher = difflib.SequenceMatcher(None, [t for _, t in numbered], mine, autojunk=False)
    unexplained = []
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        if op == "equal":
            continue
        lines = [numbered[i][0] for i in range(max(i1 - 1, 0), min(i2 + 1, len(numbered)))]
        if not any(n in entries for n in lines):
            unexplained.append(f"{op} at source lines {lines}: {[t for _, t in numbered[i1:i2]]} -> {mine[j1:j2]}")
    return unexplained


@pytest.mark.parametrize("name", sorted(p.stem for p in FIXTURES.glob("*.md")))
def test_every_variant_renders_back_with_only_reported_changes(tmp_path, name):
    source = FIXTURES / f"{name}.md"
    code, entries, output = imported(source, tmp_path / "specs")
    assert not load_catalog(tmp_path / "specs").problems
    assert unreported_changes(source.read_text(), rendered(tmp_path / "specs"), entries) == [], output
    unfaithful = any(text.startswith(("not placed", "conflict")) for texts in entries.values() for text in texts)
    assert code == (1 if unfaithful else 0), output


def test_unnumbered_link_headings_are_courses_each_with_its_own_text(tmp_path):
    out = tmp_path / "specs"
    code, entries, output = imported(FIXTURES / "unnumbered-headings.md", out)
    assert code == 0, output
    track = yaml.safe_load((out / "tracks" / f"{TRACK}.yaml").read_text())
    assert track["courses"] == ["deep-learning-in-python", "deep-learning-with-keras-in-python",
                                "deep-learning-with-pytorch"]
    assert course(out, "deep-learning-with-keras-in-python")["description"] == \
        "Regression and classification with Keras models."
    assert course(out, "deep-learning-with-pytorch")["prerequisites"] == ["deep-learning-in-python"]
    assert all("rewritten: unnumbered course heading" in entries[line][0] for line in (5, 14, 23))


def test_a_date_without_a_year_is_reported_not_taken_as_a_description(tmp_path):
    out = tmp_path / "specs"
    code, entries, output = imported(FIXTURES / "live-since-without-year.md", out)
    assert code == 1
    assert "'June 28' has no year" in entries[9][0] and "'June 24' has no year" in entries[20][0]
    first = course(out, "deep-learning-in-python")
    assert first["description"] == "Neural networks from the ground up, with Keras." and "live_since" not in first


def test_a_date_in_parentheses_in_a_heading_or_alone_is_read(tmp_path):
    out = tmp_path / "specs"
    code, entries, output = imported(FIXTURES / "live-since-in-parentheses.md", out)
    assert code == 0, output
    keras = course(out, "deep-learning-with-keras-in-python")
    assert keras["title"] == "Deep Learning with Keras in Python"
    assert str(keras["live_since"]) == "2019-06-28"
    assert str(course(out, "deep-learning-with-pytorch")["live_since"]) == "2019-06-24"


def test_text_after_a_prerequisites_link_becomes_its_note(tmp_path):
    out = tmp_path / "specs"
    code, entries, output = imported(FIXTURES / "prerequisite-remarks.md", out)
    assert code == 0, output
    assert course(out, "deep-learning-in-python")["prerequisites"] == [
        {"course": "intro-to-python-for-data-science",
         "notes": ["I would remove this prerequisite: the next one already requires it"]},
        {"course": "intermediate-python-for-data-science", "notes": ["keep"]},
        "supervised-learning-with-scikit-learn"]
    assert course(out, "intro-to-python-for-data-science")["title"] == "Introduction to Python"
    assert entries[12] and entries[13]


def test_every_note_style_is_a_note(tmp_path):
    out = tmp_path / "specs"
    code, entries, output = imported(FIXTURES / "note-styles.md", out)
    assert code == 0, output
    track = yaml.safe_load((out / "tracks" / f"{TRACK}.yaml").read_text())
    assert track["notes"] == ["the track assumes some machine learning."]
    assert course(out, "deep-learning-in-python")["notes"] == [
        'this title could say "Introduction to" to differ from the track\'s.',
        "it is also the last course of another track."]
    pytorch = course(out, "deep-learning-with-pytorch")
    assert pytorch["notes"] == ["this course has no slides to download; they should be added."]
    assert pytorch["slides"] is False and "inferred: slides: false" in entries[22][0]


def test_duplicate_course_numbers_are_reported(tmp_path):
    out = tmp_path / "specs"
    code, entries, output = imported(FIXTURES / "duplicate-numbers.md", out)
    assert code == 1
    assert "course number 5 again (first at line 5)" in entries[23][0]
    assert "course number 6 again (first at line 14)" in entries[32][0]
    track = yaml.safe_load((out / "tracks" / f"{TRACK}.yaml").read_text())
    assert len(track["courses"]) == 4


def test_an_outline_link_is_kept_and_other_link_texts_are_reported(tmp_path):
    out = tmp_path / "specs"
    code, entries, output = imported(FIXTURES / "outline-and-link-texts.md", out)
    assert code == 1
    assert course(out, "generative-deep-learning-in-python")["outline_link"] == "CourseOutline.md"
    assert "## 3 - Generative Deep Learning in Python (new, [check outline](CourseOutline.md))" in rendered(out)
    assert "'Intro to Deep Learning'" in entries[21][0]
    assert "close to 'Recurrent Neural Networks for Sequence Processing in Python'" in entries[30][0]


def test_facts_in_notes_become_fields(tmp_path):
    out = tmp_path / "specs"
    code, entries, output = imported(FIXTURES / "facts-in-notes.md", out)
    assert code == 0, output
    assert course(out, "recurrent-neural-networks-for-sequence-processing-in-python")["status"] == "proposed"
    assert course(out, "deep-learning-with-pytorch")["slides"] is False
    assert any("inferred: status: proposed" in text for text in entries[1])
    assert "inferred: slides: false" in entries[27][0]
    assert "two existing courses (1, 3) and one newly proposed course (2)" in rendered(out)


def test_prerequisites_are_none_only_where_the_document_says_so(tmp_path):
    out = tmp_path / "specs"
    code, entries, output = imported(FIXTURES / "prerequisites-unstated.md", out)
    assert code == 0, output
    assert "prerequisites" not in course(out, "deep-learning-in-python")
    assert course(out, "deep-learning-with-pytorch")["prerequisites"] == []
    first, second = rendered(out).split("## 2 - ")
    assert "Prerequisites" not in first and "    * None" in second


def test_a_section_that_is_no_course_is_reported_line_by_line(tmp_path):
    out = tmp_path / "specs"
    code, entries, output = imported(FIXTURES / "stray-sections.md", out)
    assert code == 1
    assert "'Open questions' is not a course" in entries[14][0] and 16 in entries
    assert "project" not in (out / "courses" / "deep-learning-in-python.yaml").read_text()


@needs_seed
def test_the_example_renders_back_with_only_the_changes_its_report_lists(tmp_path):
    out = tmp_path / "specs"
    code, entries, output = imported(SEED, out)
    assert code == 0, output
    assert unreported_changes(SEED.read_text(encoding="utf-8"), rendered(out), entries) == []
    assert course(out, "generative-deep-learning-in-python")["outline_link"] == "CourseOutline.md"
    assert course(out, "deep-learning-with-pytorch")["slides"] is False


def test_a_document_without_courses_is_an_input_error(tmp_path):
    source = tmp_path / "notes.md"
    source.write_text("# Some notes\n\nNothing here is a course.\n")
    result = CliRunner().invoke(cli, ["import", "markdown", str(source), "--specs", str(tmp_path / "specs")])
    assert result.exit_code == 2 and "no course" in result.output and "Traceback" not in result.output


def _tree(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


PREREQUISITES = {  # a team's own specs of the proposal's prerequisite courses, with their prerequisites
    "intro-to-python-for-data-science": "# kept as the team wrote it\ntitle: Introduction to Python\n"
                                        "url: https://www.datacamp.com/courses/intro-to-python-for-data-science\n",
    "intermediate-python-for-data-science": {
        "title": "Intermediate Python for Data Science",
        "url": "https://www.datacamp.com/courses/intermediate-python-for-data-science",
        "prerequisites": ["intro-to-python-for-data-science"]},
    "supervised-learning-with-scikit-learn": {
        "title": "Supervised Learning with scikit-learn",
        "url": "https://www.datacamp.com/courses/supervised-learning-with-scikit-learn",
        "prerequisites": ["intermediate-python-for-data-science"]},
}


@needs_seed
def test_import_into_a_catalog_reuses_its_specs_and_finds_the_authors_redundant_prerequisite(tmp_path):
    from helpers import write_specs

    out = write_specs(tmp_path / "specs", courses=PREREQUISITES)
    before = _tree(out)
    code, entries, output = imported(SEED, out, "--dry-run")
    assert code == 0 and _tree(out) == before, output
    code, entries, output = imported(SEED, out)
    assert code == 0, output
    after = _tree(out)
    assert all(after[name] == content for name, content in before.items())  # reused as they were
    lint = CliRunner().invoke(cli, ["lint", str(out), "--no-links", "--select", "PR01,TR04", "--format", "json"])
    findings = yaml.safe_load(lint.stdout)
    assert {(f["code"], f["subject"]) for f in findings} == {("PR01", "deep-learning-in-python"),
                                                             ("TR04", "deep-learning-with-pytorch")}
    redundant = next(f for f in findings if f["code"] == "PR01")
    assert "'intro-to-python-for-data-science' is redundant" in redundant["message"]


def test_each_field_that_differs_from_an_existing_spec_is_a_conflict_and_the_spec_wins(tmp_path):
    from helpers import write_specs

    out = write_specs(tmp_path / "specs", courses={"deep-learning-in-python": {
        "title": "Deep Learning in Python", "status": "retired", "objectives": ["explain backpropagation"]}})
    before = _tree(out)
    code, entries, output = imported(FIXTURES / "note-styles.md", out)
    assert code == 1
    conflicts = [t for t in entries[7] if t.startswith("conflict")]
    assert len(conflicts) == 2 and any("status: 'retired' kept" in t for t in conflicts)
    merged = course(out, "deep-learning-in-python")
    assert merged["status"] == "retired" and merged["objectives"] == ["explain backpropagation"]
    assert merged["url"] == "https://www.datacamp.com/courses/deep-learning-in-python"  # a field it lacked
    assert "courses/deep-learning-in-python.yaml: gains url" in output
    assert before != _tree(out)


def test_labels_written_as_paragraphs_are_labels_not_a_description(tmp_path):
    """'Learner will be able to:' over a list, and 'Prerequisites: A, B' on a line of its own, are read
    as objectives and prerequisites, as their bulleted forms are: never taken as the description."""
    source = tmp_path / "proposal.md"
    source.write_text("# Skill Track: Web Scraping in Python\n\n"
                      "## 1 - Intro to Scraping\n\nLearn the basics of scraping web pages.\n\n"
                      "Learner will be able to:\n- fetch a page with requests\n- parse HTML with BeautifulSoup\n\n"
                      "## 2 - HTML Basics\n\nTags and attributes.\n\n"
                      "## 3 - Advanced Scraping\n\nPrerequisites: Intro to Scraping; HTML Basics\n", encoding="utf-8")
    out = tmp_path / "specs"
    code, entries, output = imported(source, out)
    assert code == 0, output
    intro = course(out, "intro-to-scraping")
    assert intro["description"] == "Learn the basics of scraping web pages."
    assert intro["objectives"] == ["fetch a page with requests", "parse HTML with BeautifulSoup"]
    advanced = course(out, "advanced-scraping")
    assert "description" not in advanced and advanced["prerequisites"] == ["intro-to-scraping", "html-basics"]
    assert not any("not placed" in text or "objective without" in text for texts in entries.values() for text in texts)
