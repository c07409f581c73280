r"""On-disk cache of compiled taxonomies, keyed by the content hash of their source.

An entry is one uncompressed ``.npz`` file (no pickles) holding the arrays of a
:class:`~labourint_match.taxonomy._compiled.Compiled`, its strings as NUL-joined UTF-8 blobs, and a
JSON header with the format version, the key and a BLAKE2b checksum of the content. An entry is
never trusted (``labourint_match._cachefile`` does the reading): its size is bounded before it is
read and no member may be compressed; the header, the dtypes, the CRC-32 of each member and the
checksum must match; and :meth:`~labourint_match.taxonomy._compiled.Compiled.check` must pass (the
invariants the source loaders enforce: codes in range, sizes consistent, ``broader`` acyclic).
One that fails is ignored with a :class:`~labourint_match.errors.TaxonomyWarning` and rebuilt.
Writes go to a temporary file that is renamed into place, so a crash never leaves a half-written
entry, and later writes remove the temporary files of writers that were killed; a cache directory
that cannot be written only costs speed, and one that other users may write is not used.

The directory is ``$LABOURINT_MATCH_CACHE_DIR`` when set, else the platform's user cache directory
(``$XDG_CACHE_HOME/labourint-match``, ``~/.cache/labourint-match``, ``~/Library/Caches/…`` on
macOS, ``%LOCALAPPDATA%\labourint-match`` on Windows).
"""

from __future__ import annotations

import hashlib
import logging
import operator
import os
import sys
from dataclasses import fields
from pathlib import Path

import numpy as np
from numpy.typing import NDArray

from .._cachefile import load_dataclass, save_dataclass
from .._version import __version__
from ._compiled import KIND_NAMES, LABEL_KINDS, REUSE_LEVELS, SKILL_TYPES, Compiled

__all__ = ["FORMAT_VERSION", "cache_dir", "cache_key", "check_invariants", "load", "store"]

logger = logging.getLogger("labourint_match")

#: Bump whenever the compiled layout or a loader's interpretation of its source changes.
FORMAT_VERSION = 2  # 2: a content checksum in the header
ENV_VAR = "LABOURINT_MATCH_CACHE_DIR"


def cache_dir() -> Path:
    """Return the directory where compiled taxonomies are cached.

    Examples
    --------
    >>> cache_dir().name in ("labourint-match",) or "LABOURINT_MATCH_CACHE_DIR" in os.environ
    True
    """
    override = os.environ.get(ENV_VAR)
    if override:
        return Path(override)
    if sys.platform == "win32":
        base = Path(os.environ.get("LOCALAPPDATA") or Path.home() / "AppData" / "Local")
    elif sys.platform == "darwin":
        base = Path.home() / "Library" / "Caches"
    else:
        base = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache")
    return base / "labourint-match"


def cache_key(loader: str, content_digest: str, options: str = "") -> str:
    """Key of a compiled taxonomy: the loader, the source's content hash, options, versions."""
    text = f"{loader}\n{content_digest}\n{options}\n{FORMAT_VERSION}\n{__version__}"
    return hashlib.sha256(text.encode()).hexdigest()


def _path(key: str) -> Path:
    return cache_dir() / f"taxonomy-{key[:40]}.npz"


def store(key: str, compiled: Compiled) -> bool:
    """Write `compiled` under `key`; return whether it was written (failures are only logged)."""
    return save_dataclass(_path(key), key, FORMAT_VERSION, compiled)


def load(key: str) -> Compiled | None:
    """Return the entry under `key`, or ``None`` when absent, stale or corrupt."""
    return load_dataclass(_path(key), key, FORMAT_VERSION, Compiled, extra_check=check_invariants)


def check_invariants(c: Compiled) -> None:
    """Raise ``ValueError`` unless `c` holds a taxonomy that a source loader could have built.

    The invariants :meth:`~labourint_match.taxonomy._compiled.TaxonomyBuilder.build` enforces on a
    source, as far as the arrays show them, on top of :meth:`Compiled.check` (sizes that fit
    together): one- or two-dimensional arrays as declared, URIs sorted and unique, every code in
    range (``kind``, ``skill_type``, ``reuse_level``, ``label_kind``, ``label_lang``), CSR rows
    sorted without a link twice, ``narrower`` the reverse of ``broader``, and ``broader`` without
    self-loops or cycles. Array dtypes are checked by the cache reader.

    Examples
    --------
    >>> from labourint_match.taxonomy import Taxonomy
    >>> check_invariants(Taxonomy.default().compiled)  # passes silently
    """
    c.check()
    n = len(c.uris)
    for f in fields(c):
        value = getattr(c, f.name)
        ndim = 2 if f.name == "language_concepts" else 1
        if isinstance(value, np.ndarray) and value.ndim != ndim:
            raise ValueError(f"{f.name} has {value.ndim} dimensions, not {ndim}")
    if not all(map(operator.lt, c.uris, c.uris[1:])):
        raise ValueError("concept URIs are not sorted and unique")
    for name, codes, names in (
        ("kind", c.kind, KIND_NAMES),
        ("skill_type", c.skill_type, SKILL_TYPES),
        ("reuse_level", c.reuse_level, REUSE_LEVELS),
        ("label_kind", c.label_kind, LABEL_KINDS),
        ("label_lang", c.label_lang, c.label_langs),
    ):
        if len(codes) and (int(codes.min()) < 0 or int(codes.max()) >= len(names)):
            raise ValueError(f"{name} codes out of range (0 to {len(names) - 1})")
    for what, indptr, indices in (
        ("broader", c.broader_indptr, c.broader_indices),
        ("narrower", c.narrower_indptr, c.narrower_indices),
        ("occupation-skill", c.occ_skill_indptr, c.occ_skill_indices),
        ("skill-skill", c.skill_rel_indptr, c.skill_rel_indices),
    ):
        # Within a row, indices strictly increase: sorted, no link twice.
        within = np.ones(max(len(indices) - 1, 0), dtype=np.bool_)
        starts = indptr[1:-1]
        within[starts[(starts > 0) & (starts < len(indices))] - 1] = False
        if np.any(np.diff(indices)[within] <= 0):
            raise ValueError(f"{what} rows are not sorted or repeat a link")
    table = c.language_concepts
    if table.size and (int(table.min()) < -1 or int(table.max()) >= n):
        raise ValueError("language table names concepts out of range")
    children = np.repeat(np.arange(n, dtype=np.int64), np.diff(c.broader_indptr))
    parents = c.broader_indices.astype(np.int64)
    # The reverse CSR: links ordered by parent, children (already ascending) kept in order.
    narrower_indptr = np.zeros(n + 1, dtype=np.int64)
    np.cumsum(np.bincount(parents, minlength=n), out=narrower_indptr[1:])
    narrower_indices = children[np.argsort(parents, kind="stable")]
    if not (
        np.array_equal(narrower_indptr, c.narrower_indptr)
        and np.array_equal(narrower_indices, c.narrower_indices)
    ):
        raise ValueError("narrower links are not the reverse of the broader links")
    if np.any(children == parents):
        raise ValueError("a concept is broader than itself (broader links must form a DAG)")
    if _has_cycle(children, parents, n):
        raise ValueError("broader links form a cycle (they must form a DAG)")


def _has_cycle(rows: NDArray[np.int64], cols: NDArray[np.int64], n: int) -> bool:
    """Whether the links ``rows[k] → cols[k]`` among `n` nodes hold a cycle.

    Kahn's algorithm, peeling whole layers of leaves with numpy (one round per level of the
    hierarchy); a hierarchy deeper than 64 levels is finished one node at a time in Python.

    Examples
    --------
    >>> chain, loop = np.array([0, 1]), np.array([1, 0])
    >>> _has_cycle(chain, np.array([1, 2]), 3), _has_cycle(chain, loop, 2)
    (False, True)
    """
    for _ in range(64):
        if not len(rows):
            return False
        has_child = np.zeros(n, dtype=np.bool_)
        has_child[cols] = True
        keep = has_child[rows]  # a link stays while its lower end still has links below it
        if keep.all():
            return True
        rows, cols = rows[keep], cols[keep]
    indegree = np.bincount(cols, minlength=n)
    parents: dict[int, list[int]] = {}
    for r, p in zip(rows.tolist(), cols.tolist(), strict=True):
        parents.setdefault(r, []).append(p)
    stack = [i for i in parents if indegree[i] == 0]
    removed = 0
    while stack:
        i = stack.pop()
        for p in parents.get(i, ()):
            removed += 1
            indegree[p] -= 1
            if indegree[p] == 0:
                stack.append(p)
    return removed != len(rows)
