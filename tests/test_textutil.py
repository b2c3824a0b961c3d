"""Words and stems as the rules compare them."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from trackdesign.spec.loader import load_catalog
from trackdesign.textutil import _CONTENT, content_stems

ROOT = Path(__file__).resolve().parents[1]
#: What separates words: anything but ASCII letters and digits
SEPARATORS = re.compile(r"[^A-Za-z0-9]+")


def by_pattern(text: str) -> list[str]:
    """What content_stems means: the stems of the runs of ASCII letters and digits, small words dropped."""
    return list(filter(None, map(_CONTENT.__getitem__, SEPARATORS.split(text))))


@pytest.mark.parametrize("text", ["Intro to Deep-Learning 2.0 in Python", "café ÜBER naïve_x", "", "   ",
                                  "a_b c\u212ad (Kelvin sign)", "The and of", "networks, Networks; NETWORK!"])
def test_content_stems_are_the_stems_of_ascii_letter_and_digit_runs(text):
    assert content_stems(text) == by_pattern(text)


def test_content_stems_of_every_example_string():
    catalog = load_catalog(ROOT / "specs")
    texts = [text for spec in catalog.specs() for _, text in spec.strings]
    assert len(texts) > 500
    assert [content_stems(t) for t in texts] == [by_pattern(t) for t in texts]
    assert content_stems("Neural Networks") == content_stems("a neural network")
