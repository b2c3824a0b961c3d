"""Overlap: the example's pair, the UCSD cross-listings, and the `overlap` command."""

from __future__ import annotations

import csv
import io
import json
import sys
from collections import defaultdict
from pathlib import Path

import pytest
from click.testing import CliRunner

from trackdesign.analysis.judgement import THRESHOLDS
from trackdesign.cli import cli
from trackdesign.analysis.overlap import OverlapIndex
from helpers import write_specs
from trackdesign.spec.loader import load_catalog

ROOT = Path(__file__).resolve().parents[2]
SPECS = ROOT / "specs"
JSONL = ROOT.parent / "shared" / "data" / "catalogs" / "ucsd" / "courses.jsonl"


def _lint_ov01(root):
    result = CliRunner().invoke(cli, ["lint", str(root), "--no-links", "--select", "OV01", "--format", "json"])
    return json.loads(result.output)


def _judged(root, track):
    from trackdesign.analysis.judgement import judged_track
    from trackdesign.analysis.overlap import index_for

    catalog = load_catalog(root)
    return {frozenset((p.a, p.b)): p for p in judged_track(index_for(catalog), catalog,
                                                             catalog.tracks[track].model.courses, THRESHOLDS["tfidf"], floor=0.0,
                                                             subject=catalog.tracks[track].model.title)}


def test_the_example_tracks_sequels_are_not_flagged():
    """Advanced Keras requires Deep Learning in Python and continues the Keras course's series: both
    are sequels, and neither repeats a sentence of the other."""
    from trackdesign.analysis.judgement import sequel

    catalog = load_catalog(SPECS)
    pairs = _judged(SPECS, "deep-learning-in-python")
    later = "advanced-deep-learning-with-keras-in-python"
    for earlier in ("deep-learning-with-keras-in-python", "deep-learning-in-python"):
        assert sequel(catalog, later, earlier) == (earlier, later)
        pair = pairs.get(frozenset((earlier, later)))
        assert pair is None or (pair.sequel and pair.b == later and not pair.flagged)
    assert pairs[frozenset(("deep-learning-with-keras-in-python", later))].sequel
    assert not [f for f in _lint_ov01(SPECS) if "advanced-deep-learning-with-keras" in f["message"] + f["subject"]]



def test_an_introduction_comes_first_in_its_series_and_an_advanced_part_last(tmp_path):
    """Title length alone put 'Intro to Scraping' after 'Advanced Scraping' (the same length) and
    'Introduction to Deep Learning' after 'Deep Learning'."""
    from trackdesign.analysis.judgement import sequel

    titles = {"advanced-scraping": "Advanced Scraping", "intro-to-scraping": "Intro to Scraping",
              "deep-learning": "Deep Learning", "introduction-to-deep-learning": "Introduction to Deep Learning",
              "statistics-ii": "Statistics II", "statistics": "Statistics"}
    catalog = load_catalog(write_specs(tmp_path, {cid: {"title": t} for cid, t in titles.items()}))
    assert sequel(catalog, "advanced-scraping", "intro-to-scraping") == ("intro-to-scraping", "advanced-scraping")
    assert sequel(catalog, "deep-learning", "introduction-to-deep-learning") == (
        "introduction-to-deep-learning", "deep-learning")
    assert sequel(catalog, "statistics-ii", "statistics") == ("statistics", "statistics-ii")

KERAS = ["build neural networks with the Keras Sequential API", "compile and fit a model with an optimizer and a loss",
         "evaluate a classifier on held-out data and tune its learning rate"]


def test_identical_objectives_under_different_titles_are_flagged_with_the_sentences(tmp_path):
    courses = {"neural-nets": {"title": "Neural Networks for Beginners", "objectives": KERAS},
               "keras-basics": {"title": "Getting Started with Keras", "objectives": KERAS},
               "sql": {"title": "Querying Databases", "objectives": ["write joins across tables in SQL"]}}
    tracks = {"t": {"title": "T", "courses": list(courses)}}
    findings = _lint_ov01(write_specs(tmp_path, courses, tracks))
    assert [(f["subject"], f["code"]) for f in findings] == [("neural-nets", "OV01")]
    message = findings[0]["message"]
    assert message.startswith("overlaps with 'keras-basics'") and "objectives 1.00" in message
    assert 'objective 1 "build neural networks with the Keras Sequential API" ~ objective 1' in message


def test_a_shared_title_or_makers_name_flags_nothing(tmp_path):
    courses = {
        "jupyter-by-corey": {"title": "Tutorial by Corey Schafer", "provider": "Corey Schafer",
                             "description": "Corey Schafer shows how to run Jupyter notebooks: cells, kernels, magics."},
        "git-by-corey": {"title": "Tutorial by Corey Schafer", "provider": "Corey Schafer",
                         "description": "Corey Schafer explains Git branches, commits and merge conflicts."},
    }
    tracks = {"t": {"title": "T", "courses": list(courses)}}
    root = write_specs(tmp_path, courses, tracks)
    assert _lint_ov01(root) == []
    pair = _judged(root, "t").get(frozenset(courses))
    assert pair is None or ("corey" not in " ".join(pair.terms) and pair.fields.get("title") == 1.0)


def test_terms_most_of_a_track_shares_do_not_make_its_courses_overlap(tmp_path):
    topics = ["indexes and query plans", "backups and restores", "row-level security and roles",
              "replication across servers", "stored procedures and triggers"]
    courses = {f"sql-server-{k}": {"title": f"SQL Server {t.title()}",
                                   "description": f"Microsoft SQL Server for database administrators: {t}."}
               for k, t in enumerate(topics)}
    root = write_specs(tmp_path, courses, {"t": {"title": "SQL Server", "courses": list(courses)}})
    assert _lint_ov01(root) == []
    assert all(p.score == 0 for p in _judged(root, "t").values())


def test_one_line_descriptions_sharing_a_word_or_two_are_chance(tmp_path):
    """Short descriptions sharing one or two words score high by cosine; fewer than three terms in
    common never make a finding, three make one."""
    courses = {"pandas": {"title": "Pandas", "description": "Reshape tables of sales figures quickly."},
               "matplotlib": {"title": "Matplotlib", "description": "Plot sales figures with colour maps."},
               "numpy": {"title": "NumPy", "description": "Broadcast arrays across matrix axes."}}
    root = write_specs(tmp_path, courses, {"t": {"title": "T", "courses": list(courses)}})
    pair = _judged(root, "t")[frozenset(("pandas", "matplotlib"))]
    assert pair.score >= THRESHOLDS["tfidf"] and pair.shared == 3  # sales, figures, "sales figures"
    assert [f["subject"] for f in _lint_ov01(root)] == ["pandas"]
    courses["matplotlib"]["description"] = "Plot figures of sales."
    root = write_specs(tmp_path / "fewer", courses, {"t": {"title": "T", "courses": list(courses)}})
    pair = _judged(root, "t")[frozenset(("pandas", "matplotlib"))]
    assert pair.score >= THRESHOLDS["tfidf"] and pair.shared == 2 and not pair.flagged
    assert _lint_ov01(root) == []


def test_a_tracks_title_is_its_subject_not_evidence(tmp_path):
    courses = {"dataquest": {"title": "For Beginners", "description": "Get running with Jupyter Notebooks today."},
               "schafer": {"title": "Tutorial", "description": "Install and use the Jupyter Notebook well."}}
    root = write_specs(tmp_path, courses, {"tools": {"title": "Tools", "courses": list(courses)},
                                           "jupyter": {"title": "Jupyter Notebook", "courses": list(courses)}})
    assert _judged(root, "tools")[frozenset(courses)].flagged
    assert frozenset(courses) not in _judged(root, "jupyter")  # nothing left in common: scored 0
    assert [f["message"].split(":")[0] for f in _lint_ov01(root)] == ["overlaps with 'dataquest' (both in track jupyter, tools)"]


def test_a_sequel_repeating_its_prerequisites_objectives_is_reported_as_such(tmp_path):
    courses = {"keras-1": {"title": "Keras Fundamentals", "objectives": KERAS},
               "keras-2": {"title": "Applied Keras Projects", "prerequisites": ["keras-1"],
                           "objectives": [KERAS[0], KERAS[1], "deploy a trained model behind a web service"]},
               "keras-3": {"title": "Keras in Production", "prerequisites": ["keras-1"],
                           "objectives": ["deploy a trained model behind a web service with Keras and monitor it"]}}
    root = write_specs(tmp_path, courses, {"t": {"title": "T", "courses": list(courses)}})
    findings = {f["subject"]: f["message"] for f in _lint_ov01(root)}
    assert findings["keras-2"].startswith("builds on 'keras-1' and repeats 2 of its sentences or objectives")
    assert "keras-3" not in findings or "builds on 'keras-2'" not in findings["keras-3"]
    assert not any("builds on 'keras-1'" in m for s, m in findings.items() if s == "keras-3")


def test_overlap_command_ranks_pairs_in_every_format():
    text = CliRunner().invoke(cli, ["overlap", "deep-learning-in-python", "--specs", str(SPECS), "--top", "3"]).output
    assert text.splitlines()[0].startswith("  1. 0.")
    assert "  ~  " in text.splitlines()[0] and "flagged: " in text.splitlines()[0]
    assert text.splitlines()[1].startswith("       score 0.") and "most similar: " in text.splitlines()[1]
    data = json.loads(CliRunner().invoke(cli, ["overlap", "deep-learning-in-python", "--specs", str(SPECS),
                                               "--format", "json", "--top", "0"]).output)
    assert data and data == sorted(data, key=lambda p: -p["score"])
    # flagged: one definition, the calibrated threshold for a pair where neither builds on the other
    assert all(p["flagged"] == (p["score"] >= THRESHOLDS["tfidf"] - 5e-4 and not p["sequel"]) for p in data)
    assert all(p["similar"] and {"a", "a_text", "b", "b_text", "similarity"} <= set(p["similar"][0]) for p in data)
    rows = list(csv.DictReader(io.StringIO(CliRunner().invoke(
        cli, ["overlap", "--catalog", "--specs", str(SPECS), "--format", "csv", "--min-score", "0.1"]).output)))
    assert rows and {"a", "b", "score", "flagged", "sequel", "similar", "outline_score"} <= set(rows[0])


def test_no_dense_matrix_for_all_pairs(tmp_path, monkeypatch):
    from helpers import write_specs

    courses = {f"c{i}": {"title": f"Course {i}", "description": f"topic{i} alpha{i % 7} beta{i % 5}"}
               for i in range(300)}
    catalog = load_catalog(write_specs(tmp_path, courses))
    index = OverlapIndex(catalog)

    def forbidden(*args, **kwargs):
        raise AssertionError("dense matrix built")

    monkeypatch.setattr(type(index.stacked), "toarray", forbidden)
    monkeypatch.setattr(type(index.stacked), "todense", forbidden)
    pairs = index.scored_pairs(0.2)
    assert pairs and all(score >= 0.2 for _, _, score in pairs)


def test_a_track_is_scored_the_same_in_its_own_terms_as_in_the_catalogs(tmp_path, monkeypatch):
    import trackdesign.analysis.overlap as overlap

    sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
    from bench.generate import generate

    generate(400, tmp_path / "specs")
    catalog = load_catalog(tmp_path / "specs")
    catalog.courses.update(load_catalog(SPECS).courses)  # courses sharing much, and some with no text fields
    tracks = [list(t.model.courses) for t in catalog.tracks.values()] + [list(load_catalog(SPECS).courses)]

    def scored(sliver):
        monkeypatch.setattr(overlap, "SLIVER", sliver)
        index = OverlapIndex(catalog)
        return [[(a, b, round(score, 9)) for a, b, score in index.scored_between(ids, ids, 0.05)] for ids in tracks]

    restricted, whole = scored(0), scored(10**9)  # every block in its own terms / none
    assert restricted == whole and sum(map(len, whole)) > 10


def test_equal_scores_are_ranked_by_id(tmp_path):
    from helpers import write_specs

    twin = {"description": "Spectroscopy of supramolecular structures with nuclear magnetic resonance and"
                           " mass spectrometry in the laboratory."}
    other = {"description": "Medieval Japanese poetry read in translation, with its court and temple settings."}
    courses = {cid: {"title": "Seminar", **body} for cid, body in
               [("z-two", twin), ("a-two", other), ("z-one", twin), ("a-one", other), ("m-one", twin)]}
    index = OverlapIndex(load_catalog(write_specs(tmp_path, courses)))
    ranked = [(a, b) for a, b, score in index.scored_pairs(0.99)]
    assert ranked == [("a-one", "a-two"), ("m-one", "z-one"), ("m-one", "z-two"), ("z-one", "z-two")]


def test_restricting_a_matrix_to_columns_keeps_empty_rows_empty():
    import numpy as np
    from scipy import sparse

    from trackdesign.analysis.overlap import _restricted

    matrix = sparse.csr_matrix(np.array([[0, 0, 0, 0], [1, 0, 2, 0], [0, 0, 0, 0], [0, 3, 4, 5], [0, 0, 0, 0]],
                                        dtype=np.float32))
    kept = _restricted(matrix, np.array([1, 2]))
    assert kept.shape == (5, 2) and kept.toarray().tolist() == [[0, 0], [0, 2], [0, 0], [3, 4], [0, 0]]


@pytest.mark.slow
@pytest.mark.skipif(not JSONL.exists(), reason="the shared UCSD catalog is not beside the repository")
def test_ucsd_cross_listed_courses_are_found(tmp_path):
    sys.path.insert(0, str(ROOT))
    from bench.ucsd import convert, course_id, records

    convert(JSONL, tmp_path)
    index = OverlapIndex(load_catalog(tmp_path))
    found = {tuple(sorted((a, b))): s for a, b, s in index.scored_pairs(0.25)}
    by_description = defaultdict(set)
    for record in records(JSONL):
        if record["description"].strip():
            by_description[record["description"].strip()].add(course_id(record["code"]))
    identical = {tuple(sorted((a, b))) for ids in by_description.values() for a in ids for b in ids if a < b}
    caught = [pair for pair in identical if pair in found]
    assert len(identical) > 100
    assert len(caught) / len(identical) >= 0.95


def test_near_repeat_candidates_are_every_pair_of_a_track_reaching_the_similarity():
    """OV02's prefix filter misses no pair and invents none: checked against every pair of random
    word sets, some of them near copies, with words said twice and empty sets among them."""
    import random

    from trackdesign.lint.rules.overlap import similar_sets

    rng = random.Random(7)
    vocab = ("build train tune evaluate deploy convolutional recurrent neural network model keras layer dataset "
             "image text sequence loss optimizer").split()
    base = [rng.sample(vocab, rng.randint(5, 9)) for _ in range(25)]
    found_any = 0
    for _ in range(12):
        sets = []
        for _ in range(rng.randint(0, 120)):
            words = list(rng.choice(base))
            if rng.random() < 0.5:
                words.pop(rng.randrange(len(words)))
            if rng.random() < 0.3:
                words += [rng.choice(vocab), words[0]]
            sets.append(set(words) if rng.random() > 0.05 else set())
        for limit in (0.85, 0.6):
            expected = {(n, m, len(sets[n] & sets[m]) / len(sets[n] | sets[m])) for n in range(len(sets))
                        for m in range(n)
                        if sets[n] | sets[m] and len(sets[n] & sets[m]) / len(sets[n] | sets[m]) >= limit}
            assert set(similar_sets(sets, limit)) == expected
            found_any += len(expected)
    assert found_any > 100

def test_the_semantic_weights_load_from_the_installed_package_without_the_network(monkeypatch):
    """WordLlama's own loader would fetch its tokenizer; ours reads both files from the wheel."""
    pytest.importorskip("wordllama", reason="the optional semantic extra is not installed")
    import socket

    from trackdesign.analysis import similarity

    def no_network(*args, **kwargs):
        raise AssertionError("the semantic model tried to use the network")

    monkeypatch.setattr(socket, "socket", no_network)
    monkeypatch.setattr(socket, "create_connection", no_network)
    model = similarity.SemanticModel()
    vectors = model.embed(similarity.idf_weighted(model.counts(
        ["train neural networks with Keras", "build deep learning models in Keras", "medieval Japanese court poetry"])))
    assert vectors @ vectors[0] @ [0, 1, -1] > 0.3  # nearer the related text than the unrelated one


def test_semantic_methods_find_twins_in_a_track_and_in_the_catalog(tmp_path):
    pytest.importorskip("wordllama", reason="the optional semantic extra is not installed")
    courses = {"neural-nets": {"title": "Neural Networks for Beginners", "objectives": KERAS},
               "keras-basics": {"title": "Getting Started with Keras", "objectives": KERAS},
               "sql": {"title": "Querying Databases", "objectives": ["write joins across tables in SQL"]}}
    catalog = load_catalog(write_specs(tmp_path, courses, {"t": {"title": "T", "courses": list(courses)}}))
    for method in ("semantic", "combined"):
        index = OverlapIndex(catalog, method)
        whole = {(a, b): round(s, 5) for a, b, s in index.scored_pairs(0.01)}
        track = {(p.a, p.b): round(p.score, 5) for p in index.track_pairs(list(courses), 0.01)}
        for scores in (whole, track):
            assert max(scores, key=scores.get) == ("keras-basics", "neural-nets") and scores[max(scores, key=scores.get)] > 0.99
            assert all(score < 0.5 for pair, score in scores.items() if "sql" in pair)


def test_a_new_course_is_judged_against_its_own_tracks_courses_by_ov01_only(tmp_path):
    """One pair, one judgement: a proposed course overlapping a live course of its own track is
    OV01's finding (the track's subject left out); OV03 reports the live courses elsewhere."""
    courses = {"keras-new": {"title": "Keras Basics", "status": "proposed", "objectives": KERAS},
               "keras-live": {"title": "Neural Networks", "status": "live", "objectives": KERAS},
               "keras-elsewhere": {"title": "Applied Networks", "status": "live", "objectives": KERAS}}
    root = write_specs(tmp_path, courses, {"t": {"title": "T", "courses": ["keras-live", "keras-new"]}})
    result = CliRunner().invoke(cli, ["lint", str(root), "--no-links", "--select", "OV01,OV03", "--format", "json"])
    found = sorted((f["code"], f["subject"], " ".join(f["related"])) for f in json.loads(result.output))
    assert [(code, subject) for code, subject, _ in found] == [("OV01", "keras-new"), ("OV03", "keras-new")]
    assert "keras-live" in found[0][2] and "keras-elsewhere" in found[1][2]


def test_units_are_sentences_of_three_words_or_more_objectives_and_lessons():
    """Sentences end after . ! ? or ; and white space, and at line breaks; keys even out case,
    spacing and outer punctuation, so that boilerplate is recognised however it is spaced."""
    from trackdesign.analysis.judgement import _key, units
    from trackdesign.spec.model import Course

    course = Course(title="T", description="Build models. Train them with Keras!\n\nUse 3.5 or later;  see docs.\r\n"
                                           "  Evaluate the models\u2028carefully  \nA b.",
                    objectives=["Build  a\tmodel.", "Fit it"])
    assert units(course) == [("description", "Train them with Keras!"), ("description", "Use 3.5 or later;"),
                             ("description", "Evaluate the models\u2028carefully"),
                             ("objective 1", "Build  a\tmodel."), ("objective 2", "Fit it")]
    assert [_key(text) for _, text in units(course)] == [
        "train them with keras", "use 3.5 or later", "evaluate the models carefully", "build a model", "fit it"]
