"""A function run in a forked child: its value comes back, and a failed child costs only time."""

from __future__ import annotations

import os
import sys
import time

import pytest

from trackdesign.forked import Beside, Claims, Streamed, Tickets

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


def test_parts_come_back_in_order_as_the_child_finishes_them():
    parent = os.getpid()
    parts = [list(range(k, k + 1000)) for k in range(0, 20_000, 1000)]
    stream = Streamed(parts, lambda part: (os.getpid(), sum(part), part))
    assert stream.forked
    deadline = time.monotonic() + 30
    while not stream._values and time.monotonic() < deadline:
        stream.take()  # never waits: parts arrive while this process works on
    assert stream._values, "no part was handed over before the end"
    values = stream.results()
    assert [v[2] for v in values] == parts and [v[1] for v in values] == [sum(p) for p in parts]
    assert any(pid != parent for pid, _, _ in values)


def test_each_part_is_computed_once_by_whichever_process_takes_it(tmp_path):
    """The two draw from one queue: both do some of the work, and no part is done twice."""
    parent, done = os.getpid(), tmp_path / "done"

    def work(part):
        with done.open("a") as note:
            note.write(f"{part}\n")
        time.sleep(0.01)  # slow enough that each process gets parts
        return part, os.getpid()
    values = Streamed(list(range(40)), work).results()
    assert [v[0] for v in values] == list(range(40))
    assert sorted(int(n) for n in done.read_text().split()) == list(range(40))
    assert {pid == parent for _, pid in values} == {True, False}


def _both_sides(theirs, mine) -> tuple[list[int], list[int]]:
    """(what `mine()` gives here, what `theirs()` gives in a forked child meanwhile): lists of numbers."""
    read, write = os.pipe()
    pid = os.fork()
    if pid == 0:
        os.close(read)
        try:
            os.write(write, b"".join(n.to_bytes(2, "little") for n in theirs()))
        finally:
            os._exit(0)
    os.close(write)
    here = mine()
    data = b""
    while chunk := os.read(read, 1 << 16):
        data += chunk
    os.close(read)
    os.waitpid(pid, 0)
    return here, [int.from_bytes(data[k:k + 2], "little") for k in range(0, len(data), 2)]


def test_tickets_are_each_taken_once_across_a_fork():
    tickets = Tickets(3000)
    mine, theirs = _both_sides(lambda: list(tickets), lambda: list(tickets))
    assert sorted(mine + theirs) == list(range(3000))
    assert mine == sorted(mine) and theirs == sorted(theirs)  # each in queue order
    with pytest.raises(ValueError):
        Tickets(Tickets.LIMIT + 1)


def test_parts_a_failed_child_did_not_deliver_are_computed_here(tmp_path):
    parent = os.getpid()

    def work(part):
        if os.getpid() != parent and part >= 3:
            os._exit(3)
        if os.getpid() == parent:
            time.sleep(0.02)  # the child, quicker, takes parts before it dies
        return (part, os.getpid())
    values = Streamed(list(range(8)), work).results()
    assert [v[0] for v in values] == list(range(8))
    assert all(pid == parent for _, pid in values[3:])  # including the one the child died at

    unforked = Streamed([1, 2], lambda part: part * 10, fork=False)
    assert not unforked.forked and unforked.results() == [10, 20]
    slow = Streamed([1, 2], lambda part: time.sleep(60))
    start = time.monotonic()
    slow.abandon()
    assert not slow.forked and time.monotonic() - start < 30


def test_when_no_process_can_be_forked_the_work_is_done_here(monkeypatch):
    def no_fork():
        raise BlockingIOError(11, "Resource temporarily unavailable")
    monkeypatch.setattr(os, "fork", no_fork)
    side = Beside(lambda: "here")
    assert not side.forked and side.result() == "here"
    stream = Streamed([1, 2, 3], lambda part: part * 2)
    assert not stream.forked and stream.results() == [2, 4, 6]


def test_claims_are_each_won_once_by_processes_claiming_from_either_end():
    claims = Claims()
    mine, theirs = _both_sides(lambda: [n for n in range(2000) if claims.claim(n)],
                               lambda: [n for n in reversed(range(2000)) if claims.claim(n)])
    assert sorted(mine + theirs) == list(range(2000))
    assert not claims.claim(0) and not claims.claim(1999)  # nothing is won twice
    claims.close()
    assert not claims.claim(5)  # closed: nothing more to win
