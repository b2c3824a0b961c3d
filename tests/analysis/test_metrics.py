"""Curricular Analytics metrics against small graphs computed by hand."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import networkx as nx
import pytest
from click.testing import CliRunner

from trackdesign.cli import cli
from trackdesign.analysis.metrics import compute

SPECS = Path(__file__).resolve().parents[2] / "specs"


def _by_course(edges, nodes=()):
    graph = nx.DiGraph(edges)
    graph.add_nodes_from(nodes)
    result = compute(graph)
    return {m.course: (m.blocking, m.delay, m.centrality, m.complexity) for m in result.courses}, result


def test_chain():
    table, result = _by_course([("a", "b"), ("b", "c")])
    assert table == {"a": (2, 3, 0, 5), "b": (1, 3, 3, 4), "c": (0, 3, 0, 3)}
    assert result.structural_complexity == 12


def test_diamond():
    table, result = _by_course([("a", "b"), ("a", "c"), ("b", "d"), ("c", "d")])
    assert table == {"a": (3, 3, 0, 6), "b": (1, 3, 3, 4), "c": (1, 3, 3, 4), "d": (0, 3, 0, 3)}
    assert result.structural_complexity == 17


def test_paths_of_different_lengths_and_two_sources():
    # long paths: a-b-c-d (4 vertices), a-d (2), e-c-d (3)
    table, result = _by_course([("a", "b"), ("b", "c"), ("c", "d"), ("a", "d"), ("e", "c")])
    assert table == {
        "a": (3, 4, 0, 7),
        "b": (2, 4, 4, 6),
        "c": (1, 4, 7, 5),
        "d": (0, 4, 0, 4),
        "e": (2, 3, 0, 5),
    }
    assert result.structural_complexity == 27


def test_isolated_course_and_cycle_edges_left_out():
    table, result = _by_course([("a", "b"), ("b", "a"), ("b", "c")], nodes=["z"])
    assert table["z"] == (0, 1, 0, 1)
    assert result.dropped_edges == [("a", "b"), ("b", "a")]
    assert table["b"] == (1, 2, 0, 3)


def test_centrality_matches_path_enumeration_on_a_random_dag():
    graph = nx.gnp_random_graph(25, 0.15, seed=7, directed=True)
    dag = nx.DiGraph([(u, v) for u, v in graph.edges() if u < v])
    dag.add_nodes_from(range(25))
    sources = [n for n in dag if dag.in_degree(n) == 0]
    sinks = [n for n in dag if dag.out_degree(n) == 0]
    expected = {n: 0 for n in dag}
    for s in sources:
        for t in sinks:
            for path in nx.all_simple_paths(dag, s, t):
                for v in path[1:-1]:
                    expected[v] += len(path)
    result = compute(dag)
    assert {m.course: m.centrality for m in result.courses} == expected
    for m in result.courses:
        assert m.blocking == len(nx.descendants(dag, m.course))


def test_cli_formats_on_the_example_track():
    out = CliRunner().invoke(cli, ["metrics", "deep-learning-in-python", "--specs", str(SPECS), "--format", "json"])
    data = json.loads(out.output)
    first = data["courses"][0]
    assert first["course"] == "deep-learning-in-python" and first["blocking"] == 4 and first["delay"] == 3
    assert data["structural_complexity"] == sum(c["complexity"] for c in data["courses"])
    rows = list(csv.DictReader(io.StringIO(CliRunner().invoke(
        cli, ["metrics", "deep-learning-in-python", "--specs", str(SPECS), "--format", "csv"]).output)))
    assert len(rows) == 8 and set(rows[0]) >= {"course", "blocking", "delay", "centrality", "complexity", "bloom"}
    text = CliRunner().invoke(cli, ["metrics", "--catalog", "--specs", str(SPECS)]).output
    assert "structural complexity:" in text


@pytest.mark.parametrize("args,message", [
    (["metrics", "--specs", str(SPECS)], "give a TRACK id or --catalog"),
    (["metrics", "deep-learning-in-pyton", "--specs", str(SPECS)], "did you mean 'deep-learning-in-python'?"),
    (["overlap", "deep-learning-in-pyton", "--specs", str(SPECS)], "did you mean 'deep-learning-in-python'?"),
    (["overlap", "deep-learning-in-python", "--catalog", "--specs", str(SPECS)], "give a TRACK id or --catalog"),
])
def test_cli_errors(args, message):
    result = CliRunner().invoke(cli, args)
    assert result.exit_code == 2 and message in result.output
