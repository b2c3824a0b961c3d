"""The seeds' other curricula: staged self-made tracks, the comparison report, study plans."""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from helpers import write_specs
from trackdesign.cli import cli
from trackdesign.lint.config import Config
from trackdesign.lint.engine import lint
from trackdesign.analysis.schedule import make_plan
from trackdesign.documents.plans import to_ics
from trackdesign.documents import prepare
from trackdesign.documents.compare import compare, satisfaction
from trackdesign.documents.render import render
from trackdesign.spec.loader import load_catalog

ROOT = Path(__file__).resolve().parents[1]
SPECS = ROOT / "specs"
SEEDS = ROOT.parent / "shared" / "seeds"
ML, DL = "coursera-machine-learning-specialization", "coursera-deep-learning-specialization"


@pytest.fixture(scope="module")
def catalog():
    return load_catalog(SPECS)


def test_grown_specs_report_only_the_documents_real_errors(catalog):
    findings = lint(catalog, Config(), network=False).findings
    errors = sorted((f.code, Path(f.path).stem) for f in findings if f.severity == "error")
    # the seed's empty link `[...]()` and the proposal's "{choose your favorite philosopher}" placeholder
    assert errors == [("LK05", "fast-ai-deep-learning-from-the-foundations"),
                      ("OB02", "generative-deep-learning-in-python")]
    tracked = {Path(f.path).stem for f in findings if f.code == "LK07"}
    assert {"python-for-everybody", "applied-data-science-with-python", "deep-learning-specialization",
            "grokking-deep-learning", "learn-python-by-freecodecamp"} <= tracked


def test_one_course_in_two_tracks_is_said_in_both_proposals(catalog):
    assert catalog.tracks_of("deep-learning-in-python") == ["deep-learning-in-python", "machine-learning-with-python"]
    for track, other in (("deep-learning-in-python", "Machine Learning with Python"),
                         ("machine-learning-with-python", "Deep Learning in Python")):
        text = render(prepare.proposal(catalog, track), "md")
        section = text.split("[Deep Learning in Python](https://www.datacamp.com/courses/deep-learning-in-python)")[1]
        assert f"Also in [{other}]" in section.split("\n## ")[0]


def _seed_table() -> dict[str, dict[str, str]]:
    """The Coursera notes' table: {specialization: {column: cell}}."""
    lines = [l for l in (SEEDS / "notes-coursera-ml-dl-specializations.md").read_text().splitlines()
             if l.startswith("| ") and "---" not in l]
    header = [c.strip() for c in lines[0].strip("|").split("|")]
    rows = [[c.strip() for c in l.strip("|").split("|")] for l in lines[1:]]
    return {r[0]: dict(zip(header, r)) for r in rows}


def _our_table(markdown: str) -> dict[str, list[str]]:
    rows = [l for l in markdown.splitlines() if l.startswith("| ") and "---" not in l]
    return {cells[0]: cells[1:] for cells in ([c.strip() for c in r.strip("|").split("|")] for r in rows[1:])
            if cells[0] and not cells[0][0].isdigit()}


@pytest.mark.skipif(not SEEDS.is_dir(), reason="../shared/seeds not beside the repository")
def test_comparison_reproduces_the_coursera_notes_table(catalog):
    text = render(compare(catalog, Config(), [ML, DL]), "md")
    ours = _our_table(text.split("## Courses in common")[0])
    seed = _seed_table()
    for column in ("Focus", "Duration", "Instructor", "Prerequisites", "Audience"):
        expected = [seed["Machine Learning Specialization"][column], seed["Deep Learning Specialization"][column]]
        assert ours[column] == expected, column
    assert "The tracks share no course." in text


def test_comparison_says_which_entry_requirements_the_other_track_meets(catalog):
    data = compare(catalog, Config(), [ML, DL])
    (ml_then_dl,) = data["entry"]
    assert ml_then_dl["met"] and ml_then_dl["after"] == "Deep Learning Specialization"
    assert "machine learning: Supervised Machine Learning" in ml_then_dl["requirements"][0]["evidence"][0]
    assert data["no_entry"] == ["Machine Learning Specialization"]
    shared = compare(catalog, Config(), ["machine-learning-with-python", "deep-learning-in-python"])["shared"]
    assert [c["title"] for c in shared] == ["Deep Learning in Python"]


def test_unmet_knowledge_requirement_names_the_missing_terms(tmp_path):
    root = write_specs(tmp_path, courses={"a": {"title": "Cooking Basics", "tags": ["knives"]}},
                       tracks={"cook": {"title": "Cook", "courses": ["a"]},
                               "ml": {"spec_version": 2, "title": "ML", "courses": ["a"],
                                      "entry_skills": [{"name": "Some ML", "covers": ["machine learning", "knives"]}]}})
    result = satisfaction(load_catalog(root), "cook", "ml")
    assert not result["met"]
    assert result["requirements"][0]["missing"] == ["machine learning"]
    assert result["requirements"][0]["evidence"] == ["knives: Cooking Basics"]


def test_build_writes_the_comparisons_and_links_them(tmp_path):
    out = tmp_path / "reports"
    result = CliRunner().invoke(cli, ["build", "--specs", str(SPECS), "--out-dir", str(out), "-q"])
    assert result.exit_code == 0, result.output
    name = f"compare/{DL}--{ML}"
    assert (out / f"{name}.md").is_file() and (out / f"{name}.html").is_file()
    assert f"]({name}.md)" in (out / "index.md").read_text()
    for track in ("steps-to-learn-machine-learning", "four-months-of-machine-and-deep-learning"):
        assert (out / "tracks" / track / "proposal.html").is_file()


def test_staged_proposal_groups_resources_by_month(catalog):
    text = render(prepare.proposal(catalog, "four-months-of-machine-and-deep-learning"), "md")
    months = re.findall(r"^## (Month \d)$", text, flags=re.M)
    assert months == ["Month 1", "Month 2", "Month 3", "Month 4"]
    month2 = text.split("## Month 2")[1].split("## Month 3")[0]
    assert "Deep Learning, Part 1](" in month2 and "(see above): completed" in month2
    assert "*programme · DataCamp · paid · started*" in month2


# --- study plans -----------------------------------------------------------------------------------

def _plan_specs(tmp_path):
    # the track lists b before its prerequisite a; c has no hours
    return write_specs(tmp_path, courses={
        "a": {"title": "A", "hours": 5},
        "b": {"title": "B", "hours": 3, "prerequisites": ["a"]},
        "c": {"title": "C"},
        "d": {"title": "D", "hours": 2.5, "prerequisites": [{"any_of": ["c", "zz"]}]},
    }, tracks={"t": {"title": "T", "courses": ["b", "a", "c", "d"]}})


def test_plan_respects_prerequisites_and_sums_hours(tmp_path):
    catalog = load_catalog(_plan_specs(tmp_path))
    plan = make_plan(catalog, "t", 4, dt.date(2027, 1, 4), default_hours=6)
    assert [i.id for i in plan.items] == ["a", "b", "c", "d"]
    assert plan.moved == ["a"]
    assert plan.total_hours == 5 + 3 + 6 + 2.5
    assert [i.id for i in plan.assumed] == ["c"]
    per_course: dict[str, float] = {}
    for week in plan.weeks:
        assert sum(h for _, h in week.study) <= 4 + 1e-9
        for cid, hours in week.study:
            per_course[cid] = per_course.get(cid, 0) + hours
    assert per_course == pytest.approx({"a": 5, "b": 3, "c": 6, "d": 2.5})
    assert len(plan.weeks) == 5  # 16.5 hours at 4 a week
    finished = {i.id: i.end for i in plan.items}
    started = {i.id: i.start for i in plan.items}
    assert started["b"] <= finished["a"] and plan.items[1].first_week >= plan.items[0].first_week


def test_plan_calendar_parses_back(tmp_path):
    from icalendar import Calendar

    catalog = load_catalog(_plan_specs(tmp_path))
    plan = make_plan(catalog, "t", 4, dt.date(2027, 1, 4), default_hours=6)
    cal = Calendar.from_ical(to_ics(plan, dt.datetime(2027, 1, 1, tzinfo=dt.timezone.utc)))
    events = list(cal.walk("VEVENT"))
    assert [str(e["summary"]) for e in events] == ["Study: A", "Study: B", "Study: C", "Study: D"]
    first = events[0]
    assert first.decoded("dtstart") == dt.date(2027, 1, 4)
    assert first.decoded("dtend") == dt.date(2027, 1, 18)  # weeks 1-2, end exclusive
    assert len({str(e["uid"]) for e in events}) == 4


def test_plan_command_writes_each_format(tmp_path):
    root = _plan_specs(tmp_path / "s")
    runner = CliRunner()
    base = ["plan", "t", "--specs", str(root), "--hours-per-week", "2", "--start", "2027-01-04",
            "--default-hours", "6"]
    md = runner.invoke(cli, base)
    assert md.exit_code == 0, md.output
    assert "16.5 hours in all, finished in 9 weeks" in md.output and "## Month 2" in md.output
    rows = list(csv.DictReader(io.StringIO(runner.invoke(cli, [*base, "--format", "csv"]).stdout)))
    assert sum(float(r["hours"]) for r in rows) == pytest.approx(16.5)
    target = tmp_path / "plan.ics"
    result = runner.invoke(cli, [*base, "--format", "ics", "-o", str(target)])
    assert result.exit_code == 0 and target.read_text().startswith("BEGIN:VCALENDAR")
    bad = runner.invoke(cli, ["plan", "t", "--specs", str(root), "--hours-per-week", "0"])
    assert bad.exit_code == 2 and "0.1<=x<=168" in bad.output and "Traceback" not in bad.output


def test_lk07_fix_cleans_the_real_affiliate_links(tmp_path):
    specs = tmp_path / "specs"
    shutil.copytree(SPECS, specs)
    result = CliRunner().invoke(cli, ["lint", str(specs), "--no-links", "--select", "LK07", "--fix"])
    assert result.exit_code == 0, result.output
    text = (specs / "courses" / "python-for-everybody.yaml").read_text()
    assert 'url: "https://www.coursera.org/specializations/python"\n' in text  # its quotes kept
    assert text.startswith("# A resource of blog-steps-to-learn-ml.md")
    book = (specs / "courses" / "grokking-deep-learning.yaml").read_text()
    assert 'url: "https://www.amazon.com/gp/product/1617293709"\n' in book
