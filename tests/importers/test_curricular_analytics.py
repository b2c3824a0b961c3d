"""CurricularAnalytics interchange, and its metrics and validity checks on its own example curricula.

The CSV files in tests/fixtures/curricular_analytics/ are written from the examples of
CurricularAnalytics.jl's test suite (test/CurricularAnalytics.jl, test/DataHandler.jl); the values
asserted here are the ones that suite asserts for them.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from trackdesign.analysis.metrics import compute, track_graph
from trackdesign.cli import cli
from trackdesign.importers import plan_writes, write_all
from trackdesign.importers.curricular_analytics import FormatError, parse, read, write
from trackdesign.lint.config import Config
from trackdesign.lint.engine import lint
from trackdesign.spec.loader import load_catalog

FIXTURES = Path(__file__).parents[1] / "fixtures" / "curricular_analytics"


def _imported(tmp_path, name):
    result = read(FIXTURES / name)
    (track_id,) = result.tracks
    root = tmp_path / track_id
    write_all(plan_writes(root, result).writes)
    catalog = load_catalog(root)
    assert not catalog.problems, catalog.problems
    return catalog, track_id


def _metrics(tmp_path, name):
    catalog, track = _imported(tmp_path, name)
    order = catalog.tracks[track].model.courses
    result = compute(track_graph(catalog, track))
    by = {m.course: m for m in result.courses}
    return ({k: [getattr(by[c], k) for c in order] for k in ("delay", "blocking", "centrality", "complexity")},
            result)


def _sums(values):
    return {k: (sum(v), v) for k, v in values.items()}


def test_underwater_basket_weaving_metrics(tmp_path):
    values, result = _metrics(tmp_path, "underwater-basket-weaving.csv")
    assert _sums(values) == {"delay": (19, [3, 3, 3, 3, 3, 2, 1, 1]), "blocking": (8, [2, 2, 1, 3, 0, 0, 0, 0]),
                             "centrality": (9, [0, 0, 9, 0, 0, 0, 0, 0]),
                             "complexity": (27, [5, 5, 4, 6, 3, 2, 1, 1])}
    assert result.structural_complexity == 27 and not result.dropped_edges


def test_postmodern_basket_weaving_metrics_count_corequisites(tmp_path):
    values, result = _metrics(tmp_path, "postmodern-basket-weaving.csv")
    assert _sums(values) == {"delay": (33, [5, 5, 5, 5, 3, 5, 5]), "blocking": (16, [6, 3, 4, 2, 0, 0, 1]),
                             "centrality": (49, [0, 9, 12, 18, 0, 0, 10]),
                             "complexity": (49, [11, 8, 9, 7, 3, 5, 6])}


def test_delay_factor_with_two_longest_paths_through_a_course(tmp_path):
    values, _ = _metrics(tmp_path, "delay-factor.csv")
    assert _sums(values)["delay"] == (12, [3, 3, 3, 3])


def _findings(catalog, codes):
    return [(f.code, f.subject, f.message) for f in lint(catalog, Config().with_overrides(select=codes)).findings]


@pytest.mark.parametrize("name,valid", [("underwater-basket-weaving.csv", True), ("postmodern-basket-weaving.csv", True),
                                        ("cycle.csv", False), ("unsatisfiable.csv", False),
                                        ("big-unsatisfiable.csv", False)])
def test_validity_agrees_with_isvalid_curriculum(tmp_path, name, valid):
    catalog, _ = _imported(tmp_path, name)
    errors = _findings(catalog, ["PR02", "PR04", "PR08"])
    assert (not errors) == valid, errors


def test_the_unsatisfiable_examples_say_why(tmp_path):
    catalog, _ = _imported(tmp_path, "unsatisfiable.csv")
    assert _findings(catalog, ["PR08"]) == [
        ("PR08", "b", "'c' must be taken in the same term as 'b' (a strict corequisite) and also before it (b -> a -> c)")]
    catalog, _ = _imported(tmp_path, "big-unsatisfiable.csv")
    (finding,) = _findings(catalog, ["PR08"])
    assert finding[1] == "chee-301b" and "'chee-305' must be taken in the same term as 'chee-301b'" in finding[2]


def test_extraneous_requisites(tmp_path):
    catalog, _ = _imported(tmp_path, "extraneous.csv")
    assert [(s, m.split(":")[0]) for _, s, m in _findings(catalog, ["PR01"])] == [("c", "prerequisite 'a' is redundant")]
    catalog, _ = _imported(tmp_path, "underwater-basket-weaving.csv")
    assert not _findings(catalog, ["PR01"])
    # CurricularAnalytics keeps every edge a corequisite takes part in; D <= G < F still puts D
    # before F, so listing D as F's prerequisite is implied (its extraneous_requisites finds none)
    catalog, _ = _imported(tmp_path, "postmodern-basket-weaving.csv")
    assert _findings(catalog, ["PR01"]) == [
        ("PR01", "f", "prerequisite 'd' is redundant: already required by 'g' (g requires d)")]


def test_curriculum_file_reads_as_curricular_analytics_reads_it(tmp_path):
    catalog, track_id = _imported(tmp_path, "curriculum.csv")
    track = catalog.tracks[track_id].model
    assert (track.title, track.provider, track.degree.type, track.degree.system, track.degree.cip) == (
        "Underwater Basket Weaving", "ACME State University", "AA", "semester", "445786")
    courses = [catalog.course(c) for c in track.courses]
    assert len(courses) == 12 and sum(c.credit_hours for c in courses) == 35
    first = courses[0]
    assert (first.title, first.credit_hours, first.prefix, first.number, first.provider, first.canonical_name) == (
        "Introduction to Baskets", 3, "BW", "110", "ACME State University", "Baskets I")
    forms, advanced, weaving = (catalog.course(c) for c in ("bw-111", "bw-201", "bw-301"))
    assert (forms.prerequisites, forms.strict_corequisites) == (["bw-110"], ["bw-111l"])
    assert (advanced.prerequisites, advanced.corequisites) == (["bw-111", "bw-111l"], ["ma-116"])
    assert (weaving.prerequisites, weaving.corequisites) == (["pe-115"], ["bw-214"])


def test_degree_plan_terms_become_stages(tmp_path):
    catalog, track_id = _imported(tmp_path, "degree-plan.csv")
    track = catalog.tracks[track_id].model
    assert track.degree.plan == "4-Term Plan" and len(track.stages) == 4
    assert track.degree.additional_courses == ["ma-102", "ma-102s", "ma-110", "bw-420"]  # in the order of study
    assert sum(catalog.course(c).credit_hours for c in track.courses) == 45
    assert [s.courses for s in track.stages][0] == ["pe-115", "ma-102", "ma-102s"]
    assert catalog.course("ma-116").prerequisites == ["ma-110"]
    assert catalog.course("bw-420").corequisites == ["bw-201"]


@pytest.mark.parametrize("name", sorted(p.name for p in FIXTURES.glob("*.csv")))
def test_round_trip_keeps_everything_the_format_holds(tmp_path, name):
    catalog, track_id = _imported(tmp_path, name)
    text, problems = write(catalog, track_id)
    assert not problems
    again, original = parse(text), read(FIXTURES / name)
    assert (again.tracks, again.courses) == (original.tracks, original.courses)
    assert again.report.faithful and original.report.faithful
    root = tmp_path / "again"
    write_all(plan_writes(root, again).writes)
    assert write(load_catalog(root), track_id)[0] == text  # and the file it writes is stable


def test_export_reports_what_the_format_cannot_say(tmp_path):
    from helpers import write_specs

    root = write_specs(tmp_path, courses={
        "a": {"title": "A", "credit_hours": 3, "spec_version": 3},
        "b": {"title": "B", "credit_hours": 3, "spec_version": 3},
        "c": {"title": "C", "spec_version": 3, "prerequisites": [{"any_of": ["a", "b"]}, {"all_of": ["a", "b"]}, "z"]},
    }, tracks={"t": {"title": "T", "courses": ["a", "b", "c"]}})
    text, problems = write(load_catalog(root), "t")
    assert problems == ["c: prerequisite 'any of a, b' offers alternatives, which the format cannot say",
                        "c: prerequisite 'z' is not in the track", "c: no credit_hours"]
    assert "3,C,,,1;2,,,,," in text  # the all_of is exactly its courses


@pytest.mark.parametrize("text,message", [
    ("Courses\n", "expected a 'Curriculum,<name>' row first"),
    ("Curriculum,X\nCourses\nCourse ID,Course Name\n", "the course header lacks Prefix"),
    ("Curriculum,X\nCourses\n" + ",".join(["Course ID", "Course Name", "Prefix", "Number", "Prerequisites",
                                             "Corequisites", "Strict-Corequisites", "Credit Hours", "Institution",
                                             "Canonical Name"]) + "\n1,A,,,2,,,3,,\n", "<csv>:4: Prerequisites name Course ID '2'"),
    ("Curriculum,X\nDegree Plan,P\nCourses\n" + ",".join(["Course ID", "Course Name", "Prefix", "Number",
                                                            "Prerequisites", "Corequisites", "Strict-Corequisites",
                                                            "Credit Hours", "Institution", "Canonical Name", "Term"])
     + "\n1,A,,,,,,3,,,\n", "<csv>:5: a degree plan's course needs a term"),
])
def test_malformed_files_say_where(text, message):
    with pytest.raises(FormatError, match=None) as caught:
        parse(text)
    assert message in str(caught.value)


def test_cli_import_and_export(tmp_path):
    specs = tmp_path / "specs"
    result = CliRunner().invoke(cli, ["import", "curricular-analytics", str(FIXTURES / "degree-plan.csv"),
                                      "--specs", str(specs)])
    assert result.exit_code == 0, result.output
    assert (specs / "tracks" / "underwater-basket-weaving-4-term-plan.yaml").is_file()
    out = tmp_path / "plan.csv"
    result = CliRunner().invoke(cli, ["export", "curricular-analytics", "underwater-basket-weaving-4-term-plan",
                                      "--specs", str(specs), "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert parse(out.read_text()).courses == read(FIXTURES / "degree-plan.csv").courses
    bad = CliRunner().invoke(cli, ["import", "curricular-analytics", str(FIXTURES / "cycle.csv"), "--specs",
                                   str(tmp_path / "x"), "--bogus"])
    assert bad.exit_code == 2
    outcomes = tmp_path / "outcomes.csv"
    outcomes.write_text((FIXTURES / "cycle.csv").read_text() + "Course Learning Outcomes,,,,,,,,,\n"
                        "Course ID,Learning Outcome ID,Learning Outcome,Description,Requisites,Hours,,,,\n"
                        "1,1,Weave,Weave a basket,,3,,,,\n")
    left = CliRunner().invoke(cli, ["import", "curricular-analytics", str(outcomes), "--specs", str(tmp_path / "y")])
    assert left.exit_code == 1 and "outcomes.csv:5: not placed: section 'Course Learning Outcomes'" in left.output
