"""A function run in a forked child: its value comes back, and a failed child costs only time."""

from __future__ import annotations

import os
import sys
import time

import pytest

from trackdesign.forked import Beside

pytestmark = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="children are forked on Linux only")


def test_the_value_is_computed_in_a_child_and_comes_back():
    parent = os.getpid()
    side = Beside(lambda: {"pid": os.getpid(), "data": list(range(100_000))})
    assert side.forked
    value = side.result()
    assert value["pid"] != parent and value["data"] == list(range(100_000))


def test_a_child_that_dies_or_raises_gives_the_value_computed_here():
    parent = os.getpid()

    def dies_in_the_child():
        if os.getpid() != parent:
            os._exit(3)
        return "here"

    def raises_in_the_child():
        if os.getpid() != parent:
            raise RuntimeError("boom")
        return "here too"

    assert Beside(dies_in_the_child).result() == "here"
    assert Beside(raises_in_the_child).result() == "here too"


def test_without_forking_the_function_runs_when_asked_and_abandon_stops_a_child():
    calls = []
    side = Beside(lambda: calls.append(os.getpid()) or "done", fork=False)
    assert not side.forked and calls == []
    assert side.result() == "done" and calls == [os.getpid()]

    slow = Beside(lambda: time.sleep(60))
    start = time.monotonic()
    slow.abandon()
    assert not slow.forked and time.monotonic() - start < 30
