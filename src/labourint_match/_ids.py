"""Ids remembered as 64-bit digests: finding a repeated id without keeping the ids.

:meth:`Matcher.rank_chunks <labourint_match.Matcher.rank_chunks>` checks each chunk's ids against
the earlier chunks', and :class:`~labourint_match.distributed.DistributedMatcher` the partitions'
ids against one another, with these (8 bytes an id).
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable

import numpy as np
from numpy.typing import NDArray

__all__ = ["Digests", "id_digests"]


def id_digests(ids: Iterable[str]) -> NDArray[np.uint64]:
    """A 64-bit BLAKE2b digest per id (for finding repeats without keeping the ids)."""
    return np.array(
        [int.from_bytes(hashlib.blake2b(i.encode("utf-8"), digest_size=8).digest(), "little")
         for i in ids],
        dtype=np.uint64,
    )  # fmt: skip


class Digests:
    """A growing set of 64-bit digests: sorted runs merged by size (log-structured).

    Looking a chunk up costs a binary search per run, and there are O(log n) runs; adding one
    merges runs of similar size, so a stream of n ids costs O(n log² n) in all.
    """

    def __init__(self) -> None:
        self.runs: list[NDArray[np.uint64]] = []

    def find(self, digests: NDArray[np.uint64]) -> NDArray[np.intp]:
        """Positions in `digests` already in the set."""
        hit = np.zeros(digests.shape[0], dtype=bool)
        for run in self.runs:
            at = np.minimum(np.searchsorted(run, digests), run.shape[0] - 1)
            hit |= run[at] == digests
        return np.flatnonzero(hit)

    def add(self, digests: NDArray[np.uint64]) -> None:
        """Add `digests` to the set."""
        self.runs.append(np.sort(digests))
        while len(self.runs) > 1 and self.runs[-1].shape[0] >= self.runs[-2].shape[0]:
            top = self.runs.pop()
            self.runs[-1] = np.sort(np.concatenate([self.runs[-1], top]), kind="mergesort")
