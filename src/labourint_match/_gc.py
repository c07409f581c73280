"""Pausing Python's cyclic garbage collector while large cohorts are built, validated or encoded.

Shared by the scoring engine (validation and encoding), the matcher and the synthetic cohorts.

Examples
--------
>>> import gc
>>> from labourint_match._gc import gc_paused
>>> with gc_paused():
...     gc.isenabled()
False
>>> gc.isenabled()
True
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager

__all__ = ["gc_paused"]


@contextmanager
def gc_paused() -> Iterator[None]:
    """Pause Python's cyclic garbage collector (validation and encoding of large cohorts).

    Encoding allocates millions of small objects, each allocation counting towards a collection
    that walks every live object, the cohort's hundreds of thousands of records included; none of
    what is allocated here forms cycles. The collector is switched back on afterwards if it was on.

    Yields
    ------
    None
        Inside the block the collector is off.
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()
