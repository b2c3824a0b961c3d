"""CSV written from spec text never starts a cell with what a spreadsheet would run as a formula."""

from __future__ import annotations

import csv
import io

import pytest
from click.testing import CliRunner
from helpers import write_specs

from trackdesign.cli import cli

TITLES = {"a": "=HYPERLINK(\"http://x\",\"click\")", "b": "+1 for deep learning", "c": "-2 and counting",
          "d": "@SUM(A1:A9) neural networks"}


@pytest.fixture
def specs(tmp_path):
    return write_specs(tmp_path / "specs", courses={
        cid: {"title": title, "hours": 3, "objectives": [f"build {cid} neural networks with keras and tensorflow"],
              "description": "=SUM(1) convolutional networks classify images with pooling layers and dropout."
              if cid in "ab" else f"-{cid} recurrent networks read text one token at a time.",
              "prerequisites": [] if cid == "a" else ["a"]} for cid, title in TITLES.items()
    }, tracks={"t": {"title": "T", "courses": list(TITLES)}})


@pytest.mark.parametrize("command", [
    ["plan", "t", "--hours-per-week", "5", "--format", "csv"],
    ["metrics", "t", "--format", "csv"],
    ["overlap", "t", "--format", "csv", "--top", "0", "--min-score", "0"],
])
def test_csv_cells_from_spec_text_cannot_be_formulas(specs, command):
    result = CliRunner().invoke(cli, [*command, "--specs", str(specs)])
    assert result.exit_code == 0, result.output
    rows = list(csv.reader(io.StringIO(result.stdout)))
    cells = [cell for row in rows[1:] for cell in row]
    assert cells
    for cell in cells:
        if cell[:1] in ("=", "+", "-", "@"):
            float(cell)  # only a number may start so
    titles = [cell for cell in cells if cell.lstrip("'") in TITLES.values()]
    if "title" in rows[0]:
        assert titles and all(cell.startswith("'") for cell in titles)
