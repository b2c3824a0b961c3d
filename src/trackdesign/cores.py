"""How many cores this process may use, and whether work may be forked onto them.

Shared by the lint (a forked child runs half the rules) and the link checker (forked processes
share a big check by host), so both decide the same way.
"""

from __future__ import annotations

import os
import sys


def usable_cpus() -> int:
    """Cores this process may run on (its affinity, which containers and `taskset` narrow)."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not Linux
        return os.cpu_count() or 1


def can_fork() -> bool:
    """Fork only where it is the platform's own way to start processes (Linux), never on macOS."""
    return sys.platform.startswith("linux")
