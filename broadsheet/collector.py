"""Python's cycle collector, held off while a stage makes many containers that hold no cycle (the
rows of a CSV, the record of 10,000 stories and their folders' stamps): the collector would walk
every object of the process again and again, and find nothing to free."""
from __future__ import annotations

import gc
from contextlib import contextmanager


@contextmanager
def bulk(keep: bool = False):
    """No cycle collection inside the block (as it was after it). With `keep` (a process that ends
    with this work, such as the command line's build), every object the process holds is left out
    of the collections to come (gc.freeze): else the first one after the block walks them all. Not
    for a process that goes on (the preview, the tests): cycles frozen would never be freed."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if keep:
            gc.freeze()
        if enabled:
            gc.enable()
