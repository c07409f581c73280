"""Gathering the partitions' results of :mod:`labourint_match.distributed` (numpy only).

- :func:`merge_by_vacancy` and :func:`merge_vacancy_group`: the global top-k per vacancy from each
  partition's top-k (ties: the earlier candidate, or the lower id);
- :class:`Merged`: the per-candidate outcomes of the groups of a placement solved apart.

Nothing here imports Dask: the client side gathers, then merges here.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any

import numpy as np
from numpy.typing import NDArray

__all__ = ["Merged", "merge_by_vacancy", "merge_vacancy_group", "top_rows"]


class Merged:
    """Per-candidate outcomes gathered from the groups' solver results."""

    def __init__(self, n: int, n_groups: int) -> None:
        self.assigned = np.full(n, -1, dtype=np.int32)
        self.score = np.full(n, np.nan, dtype=np.float64)
        self.reason = np.zeros(n, dtype=np.int8)
        self.method = ""

    def take(self, result: Any, rows: NDArray[np.int64]) -> None:
        """Take the outcomes of the candidates `rows` from one group's solver `result`."""
        self.assigned[rows] = np.asarray(result.assigned)[rows]
        self.score[rows] = np.asarray(result.score)[rows]
        self.reason[rows] = np.asarray(result.reason)[rows]

    @property
    def total_score(self) -> float:
        """The sum of the placed candidates' scores."""
        return math.fsum(self.score[self.assigned >= 0].tolist())


def merge_by_vacancy(
    parts: Sequence[Any], k: int
) -> tuple[NDArray[np.int32], NDArray[np.float64], NDArray[np.int32]]:
    """The global top-k per vacancy from each partition's top-k (ties: the earlier candidate)."""
    offsets = np.cumsum([0] + [p.n for p in parts])
    idx = np.concatenate([np.where(p.indices >= 0, p.indices + off, -1)
                          for p, off in zip(parts, offsets, strict=False)], axis=1)  # fmt: skip
    sc = np.concatenate([p.scores for p in parts if p.scores is not None], axis=1)
    why = np.concatenate([p.reasons for p in parts if p.reasons is not None], axis=1)
    return top_rows(idx, sc, why, k)


def top_rows(
    idx: NDArray[Any], sc: NDArray[np.float64], why: NDArray[np.int32], k: int
) -> tuple[NDArray[np.int32], NDArray[np.float64], NDArray[np.int32]]:
    """Per row, the k best (score descending, index ascending; -1 padding last)."""
    big = np.iinfo(np.int64).max
    tie = np.where(idx >= 0, idx, big).astype(np.int64)
    score = np.where(idx >= 0, sc, -np.inf)
    rows = np.repeat(np.arange(idx.shape[0]), idx.shape[1])
    order = np.lexsort((tie.ravel(), -score.ravel(), rows)).reshape(idx.shape)[:, :k]
    out_i = idx.ravel()[order]
    out_s = sc.ravel()[order]
    out_r = why.ravel()[order]
    pad = out_i < 0
    out_s = np.where(pad, -1.0, out_s)
    out_r = np.where(pad, 0, out_r)
    return out_i.astype(np.int32), out_s.astype(np.float64), out_r.astype(np.int32)


def merge_vacancy_group(
    results: Sequence[Any], glob: list[NDArray[np.int64]], g: int, k: int
) -> tuple[NDArray[np.int64], NDArray[np.float64], NDArray[np.int32]]:
    """Global top-k candidates (id order breaks ties) of one quota group's vacancies."""
    pieces_i, pieces_s, pieces_w = [], [], []
    for p, r in enumerate(results):
        if not r.ids:
            continue
        local = r.v_idx[g]
        pieces_i.append(np.where(local >= 0, glob[p][np.maximum(local, 0)], -1))
        pieces_s.append(r.v_score[g])
        pieces_w.append(r.v_why[g])
    idx = np.concatenate(pieces_i, axis=1)
    out_i, out_s, out_r = top_rows(idx, np.concatenate(pieces_s, axis=1),
                                   np.concatenate(pieces_w, axis=1), k)  # fmt: skip
    return out_i.astype(np.int64), out_s, out_r
