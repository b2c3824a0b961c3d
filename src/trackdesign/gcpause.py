"""Pausing the cyclic garbage collector while big, cycle-free work allocates.

Loading a catalog and running the rules over it allocate millions of small containers and
almost no reference cycles, yet every full collection walks all of them again, so at catalog
scale the collector would spend a large share of the run finding nothing. Reference counting
frees everything else as usual meanwhile.
"""

from __future__ import annotations

import functools
import gc
from contextlib import contextmanager


#: Set by the console entry point: in a process that ends when its command does, what is alive
#: when a pause ends lives until then, and is frozen (see `paused`).
freeze_on_resume = False


@contextmanager
def paused():
    """No cyclic collection inside the block; the collector's previous state afterwards.

    Everything allocated meanwhile is young to the collector, so the first allocation after it
    resumes would walk all of it. With `freeze_on_resume` it is frozen first and never walked; a
    library caller's objects stay collectable as usual.
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            if freeze_on_resume:
                gc.freeze()
            gc.enable()


def paused_while(function):
    """`function` with the collector paused while it runs (see `paused`)."""
    @functools.wraps(function)
    def wrapper(*args, **kwargs):
        with paused():
            return function(*args, **kwargs)
    return wrapper
