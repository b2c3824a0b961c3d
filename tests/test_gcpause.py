"""The collector pauses around big allocations; only a console process freezes what it kept."""

from __future__ import annotations

import gc

from trackdesign import gcpause


def test_pause_restores_the_collector_and_leaves_library_objects_collectable(monkeypatch):
    monkeypatch.setattr(gcpause, "freeze_on_resume", False)
    before = gc.get_freeze_count()
    with gcpause.paused():
        assert not gc.isenabled()
        kept = [[k] for k in range(1000)]
    assert gc.isenabled() and gc.get_freeze_count() == before and kept


def test_console_process_freezes_what_the_pause_kept(monkeypatch):
    monkeypatch.setattr(gcpause, "freeze_on_resume", True)
    before = gc.get_freeze_count()
    try:
        with gcpause.paused():
            kept = [[k] for k in range(1000)]
        assert gc.isenabled() and gc.get_freeze_count() >= before + 1000 and kept
    finally:
        gc.unfreeze()  # this test process goes on: its objects stay collectable
