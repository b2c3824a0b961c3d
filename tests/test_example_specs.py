"""The example specs carry the seed proposal's facts, and lint finds what its author found by hand."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from click.testing import CliRunner

from trackdesign.cli import cli
from trackdesign.spec.loader import load_catalog

ROOT = Path(__file__).resolve().parents[1]
SPECS = ROOT / "specs"
SHARED = ROOT.parent / "shared"
SEED = SHARED / "seeds" / "track-proposal-deep-learning-in-python.md"

TRACK_ORDER = [
    "deep-learning-in-python",
    "deep-learning-with-keras-in-python",
    "advanced-deep-learning-with-keras-in-python",
    "convolutional-neural-networks-for-image-processing",
    "recurrent-neural-networks-for-sequence-processing-in-python",
    "generative-deep-learning-in-python",
    "deep-learning-with-pytorch",
    "introduction-to-tensorflow-in-python",
]


@pytest.fixture(scope="module")
def catalog():
    catalog = load_catalog(SPECS)
    assert not catalog.problems
    return catalog


@pytest.fixture(scope="module")
def findings():
    result = CliRunner().invoke(cli, ["lint", str(SPECS), "--no-links", "--format", "json"])
    assert result.exit_code == 1, result.output
    return json.loads(result.output)


def test_track_has_the_eight_courses_in_order(catalog):
    assert catalog.tracks["deep-learning-in-python"].model.courses == TRACK_ORDER
    statuses = [catalog.courses[c].model.status for c in TRACK_ORDER]
    assert statuses.count("live") == 6 and statuses.count("proposed") == 2


def test_every_named_prerequisite_has_a_spec(catalog):
    for cid in ["intro-to-python-for-data-science", "intermediate-python-for-data-science",
                "supervised-learning-with-scikit-learn", "object-oriented-programming-in-python"]:
        assert cid in catalog.courses
    assert catalog.courses["intermediate-python-for-data-science"].model.prerequisites == ["intro-to-python-for-data-science"]
    assert catalog.courses["deep-learning-with-pytorch"].model.slides is False


@pytest.mark.skipif(not SEED.exists(), reason="the shared seeds are not beside the repository")
def test_descriptions_and_objectives_are_verbatim(catalog):
    seed = SEED.read_text(encoding="utf-8")
    for cid in TRACK_ORDER:
        course = catalog.courses[cid].model
        assert course.description in seed, cid
        for objective in course.objectives:
            assert f"Learner will be able to {objective}" in seed, objective
        for note in course.notes:
            assert note in seed, note
        # every linked course the seed lists under this course's prerequisites is in the spec
    assert "couldnâ€™t" in catalog.courses["introduction-to-tensorflow-in-python"].model.description


@pytest.mark.skipif(not SEED.exists(), reason="the shared seeds are not beside the repository")
def test_prerequisites_match_the_seed(catalog):
    seed = SEED.read_text(encoding="utf-8")
    sections = re.split(r"^## \d+ - ", seed, flags=re.M)[1:]
    for cid, section in zip(TRACK_ORDER, sections):
        listed = section.split("* Prerequisites", 1)[1]
        slugs = re.findall(r"\(https://www\.datacamp\.com/courses/([a-z0-9-]+)\)", listed)
        ids = [p if isinstance(p, str) else p.course for p in catalog.courses[cid].model.prerequisites]
        if slugs:
            assert ids == slugs, cid
    dl = catalog.courses["deep-learning-in-python"].model.prerequisites[0]
    assert dl.course == "intro-to-python-for-data-science" and "I would remove" in dl.notes[0]


def test_outline_and_task_analysis_are_carried(catalog):
    generative = catalog.courses["generative-deep-learning-in-python"].model
    assert [len(c.lessons) for c in generative.chapters] == [4, 4, 4, 4]
    assert generative.chapters[3].lessons[3].notes
    track = catalog.tracks["deep-learning-in-python"].model
    assert track.requirements[0].covers == ["keras", "pytorch", "tensorflow"]
    assert len(track.portfolio.relevant) == 6 and len(track.portfolio.in_development) == 2
    assert [c.provider for c in track.competitors] == ["Coursera", "edX", "Udemy"]
    assert len(track.bibliography) == 4


def _has(findings, code, subject, text=""):
    return any(f["code"] == code and f["subject"] == subject and text in f["message"] for f in findings)


def test_lint_finds_what_the_author_found(findings):
    assert _has(findings, "PR01", "deep-learning-in-python", "intro-to-python-for-data-science")
    assert _has(findings, "NM01", "deep-learning-in-python", "track 'deep-learning-in-python'")
    assert _has(findings, "NM02", "convolutional-neural-networks-for-image-processing", "in Python")
    assert _has(findings, "NM08", "introduction-to-tensorflow-in-python", "couldn’t")
    for f in findings:
        assert {"code", "path", "line", "message"} <= set(f)
        assert f["path"].endswith(".yaml") and f["line"] >= 1


def test_objective_outline_and_track_rules_on_the_example(findings):
    understand = [f for f in findings if f["code"] == "OB01" and "'understand'" in f["message"]]
    assert {f["subject"] for f in understand} >= {
        "deep-learning-in-python", "convolutional-neural-networks-for-image-processing",
        "recurrent-neural-networks-for-sequence-processing-in-python", "generative-deep-learning-in-python",
        "introduction-to-tensorflow-in-python"}
    assert _has(findings, "OB02", "generative-deep-learning-in-python", "{choose your favorite philosopher}")
    assert _has(findings, "TR04", "deep-learning-with-pytorch", "no slides")
    assert not [f for f in findings if f["code"] == "TR01"]


def test_removing_the_pytorch_course_uncovers_the_requirement(tmp_path):
    import shutil

    specs = tmp_path / "specs"
    shutil.copytree(SPECS, specs)
    track = specs / "tracks" / "deep-learning-in-python.yaml"
    track.write_text(track.read_text(encoding="utf-8").replace("  - deep-learning-with-pytorch\n", "", 1),
                     encoding="utf-8")
    result = CliRunner().invoke(cli, ["lint", str(specs), "--no-links", "--select", "TR01", "--format", "json"])
    found = json.loads(result.output)
    assert [f["message"] for f in found] == [
        "requirement 'Provide marketable skills from day 1' covers 'pytorch', which no course in the track teaches"]
