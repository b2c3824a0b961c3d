"""Handing freed memory back to the system after a big, short-lived allocation.

glibc's allocator keeps what a process frees for its own reuse, and once a large block has been
freed it raises its threshold for serving big blocks from fresh mappings, so the arrays of a
later step come from the heap and stay counted against the process after they are freed: the
overlap index of a 10,000-course catalog left 80 MB so held beyond the 45 MB it keeps. A
forked child inherits such pages too. `trim` returns them where glibc is the allocator.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import sys
from functools import lru_cache


@lru_cache(maxsize=1)
def _malloc_trim():
    if not sys.platform.startswith("linux"):
        return None
    try:
        return ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6").malloc_trim
    except (OSError, AttributeError):  # musl and others have no malloc_trim
        return None


def trim() -> None:
    """Give the heap's free pages back to the system (a few milliseconds; nothing elsewhere)."""
    function = _malloc_trim()
    if function is not None:
        function(0)
