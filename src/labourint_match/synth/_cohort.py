"""The public functions of :mod:`labourint_match.synth` and the results they return.

:func:`cohort` draws a whole cohort; :func:`iter_candidates`, :func:`iter_vacancies` and
:func:`iter_truth` stream it; :func:`write_cohort` and :func:`write_jsonl` write it as JSON Lines.
"""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
from collections.abc import Iterable, Iterator, Mapping, Sequence
from pathlib import Path
from types import MappingProxyType
from typing import Any, NamedTuple

import numpy as np
from pydantic import BaseModel

from .._gc import gc_paused
from ..errors import ConfigError
from ..profiles import CandidateProfile, Vacancy
from ..taxonomy import Taxonomy
from ._candidates import _candidate, _candidate_id, _draw_occupations
from ._config import SynthConfig
from ._constants import _CANDIDATES
from ._tables import _Draws, _record_rng, _Tables
from ._vacancies import _all_vacancies, _vacancy, _vacancy_of

__all__ = [
    "CohortFiles",
    "SyntheticCohort",
    "cohort",
    "iter_candidates",
    "iter_truth",
    "iter_vacancies",
    "write_cohort",
    "write_jsonl",
]

# -- results --------------------------------------------------------------------------------------


class SyntheticCohort(tuple[tuple[CandidateProfile, ...], tuple[Vacancy, ...]]):
    """A synthetic cohort: unpacks as ``(candidates, vacancies)``; carries the ground truth.

    Attributes
    ----------
    candidates, vacancies
        The records, in id order.
    truth
        Candidate id → the URIs of the occupations the candidate was drawn from, main one first.
    seed, config
        What the cohort was drawn with.

    Examples
    --------
    >>> from labourint_match import Taxonomy
    >>> result = cohort(Taxonomy.default(), 3, 2, seed=1)
    >>> people, jobs = result
    >>> people is result.candidates, sorted(result.truth) == [p.id for p in people]
    (True, True)
    """

    truth: Mapping[str, tuple[str, ...]]
    seed: int
    config: SynthConfig

    def __new__(
        cls,
        candidates: Iterable[CandidateProfile],
        vacancies: Iterable[Vacancy],
        *,
        truth: Mapping[str, tuple[str, ...]],
        seed: int,
        config: SynthConfig,
    ) -> SyntheticCohort:
        """Build a cohort from its records, ground truth, seed and configuration."""
        self = super().__new__(cls, (tuple(candidates), tuple(vacancies)))
        object.__setattr__(self, "truth", MappingProxyType(dict(truth)))
        object.__setattr__(self, "seed", seed)
        object.__setattr__(self, "config", config)
        return self

    def __setattr__(self, name: str, value: object) -> None:
        raise AttributeError("a SyntheticCohort is immutable")

    def __reduce__(self) -> Any:
        return (_rebuild, (self[0], self[1], dict(self.truth), self.seed, self.config))

    @property
    def candidates(self) -> tuple[CandidateProfile, ...]:
        """The candidate profiles."""
        return self[0]

    @property
    def vacancies(self) -> tuple[Vacancy, ...]:
        """The vacancies."""
        return self[1]

    def __repr__(self) -> str:
        return (
            f"<SyntheticCohort: {len(self[0])} candidates, {len(self[1])} vacancies, "
            f"seed={self.seed}>"
        )

    def digest(self) -> str:
        """SHA-256 of the cohort's JSON Lines (candidates, vacancies, truth): equal iff identical.

        Examples
        --------
        >>> from labourint_match import Taxonomy
        >>> len(cohort(Taxonomy.default(), 2, 2, seed=0).digest())
        64
        """
        h = hashlib.sha256()
        for record in (*self[0], *self[1]):
            h.update(record.model_dump_json().encode("utf-8"))
            h.update(b"\n")
        for cid, occupations in self.truth.items():
            h.update(_truth_line(cid, occupations).encode("utf-8"))
        return h.hexdigest()


def _rebuild(
    candidates: tuple[CandidateProfile, ...],
    vacancies: tuple[Vacancy, ...],
    truth: dict[str, tuple[str, ...]],
    seed: int,
    config: SynthConfig,
) -> SyntheticCohort:
    return SyntheticCohort(candidates, vacancies, truth=truth, seed=seed, config=config)


class CohortFiles(NamedTuple):
    """The files :func:`write_cohort` wrote."""

    candidates: tuple[Path, ...]
    """Candidate shards (JSON Lines), in order."""
    vacancies: tuple[Path, ...]
    """Vacancy shards (JSON Lines), in order."""
    truth: Path
    """``truth.jsonl``: one ``{"id": …, "occupations": […]}`` per candidate."""
    manifest: Path
    """``manifest.json``: seed, counts, knobs, taxonomy hash, file names."""


def _truth_line(cid: str, occupations: Sequence[str]) -> str:
    return json.dumps({"id": cid, "occupations": list(occupations)}, ensure_ascii=False) + "\n"


# -- public API -----------------------------------------------------------------------------------


def _setup(
    taxonomy: object, counts: Mapping[str, object], seed: object, knobs: Mapping[str, Any]
) -> _Tables:
    """Check the arguments and knobs, and build the tables of one call."""
    if not isinstance(taxonomy, Taxonomy):
        raise ConfigError(f"taxonomy must be a Taxonomy, not {type(taxonomy).__name__}")
    for name, value in counts.items():
        if isinstance(value, bool) or not isinstance(value, (int, np.integer)) or value < 0:
            raise ConfigError(f"{name} must be an integer >= 0, not {str(value)[:40]!r}")
    if isinstance(seed, bool) or not isinstance(seed, (int, np.integer)) or seed < 0:
        raise ConfigError(
            "seed must be an integer >= 0 (it is required, for reproducibility), "
            f"not {str(seed)[:40]!r}"
        )
    return _Tables(taxonomy, SynthConfig.from_knobs(knobs), int(seed))


def cohort(
    taxonomy: Taxonomy, n_candidates: int, n_vacancies: int, *, seed: int, **knobs: Any
) -> SyntheticCohort:
    """Draw a synthetic cohort of candidates and vacancies from `taxonomy`.

    Parameters
    ----------
    taxonomy
        The taxonomy whose occupations and skills the records use (such as
        ``Taxonomy.default()`` or full ESCO).
    n_candidates, n_vacancies
        How many of each to draw (0 allowed).
    seed
        Required, an integer >= 0. The same seed and knobs give the same cohort, byte for byte.
    **knobs
        The fields of :class:`SynthConfig`, with its defaults.

    Returns
    -------
    SyntheticCohort
        Unpacks as ``(candidates, vacancies)``, tuples of validated models with ids ``c000001``,
        … and ``v000001``, … (then the extra vacancies ``vu…`` and ``vc…`` of
        ``unjudged_vacancy_share`` and ``common_skill_vacancy_share``, when set); ``.truth`` maps
        each candidate id to its source occupations.

    Raises
    ------
    ConfigError
        A bad argument or knob (the message names it), or a taxonomy without usable occupations.

    Notes
    -----
    Records are held as pydantic models (about 15–25 kB per full-ESCO candidate); for cohorts
    larger than memory allows, stream them with :func:`iter_candidates` or write them with
    :func:`write_cohort`. While it builds the records, :func:`cohort` pauses Python's cyclic
    garbage collector (the records hold no reference cycles, and repeated full collections over
    a growing heap would nearly double the time of a 100,000-candidate cohort); the collector's
    previous state is restored before it returns or raises.

    Examples
    --------
    >>> from labourint_match import Taxonomy
    >>> taxonomy = Taxonomy.default()
    >>> people, jobs = cohort(taxonomy, 50, 10, seed=3, host_language="nb", host_country="NO",
    ...                       region={"lat": 59.91, "lon": 10.75, "radius_km": 30, "code": "NO081"})
    >>> all(1 <= job.openings <= 5 for job in jobs)
    True
    >>> {lang.language for p in people for lang in p.languages if lang.native} >= {"nb"}
    True
    >>> try:
    ...     cohort(taxonomy, 5, 5, seed=3, noise_rate=-1)
    ... except ConfigError as err:
    ...     print(err)
    knob 'noise_rate' must be a number from 0 to 1, not -1
    """
    tb = _setup(taxonomy, {"n_candidates": n_candidates, "n_vacancies": n_vacancies}, seed, knobs)
    s = int(seed)
    with gc_paused():
        pairs = [_candidate(tb, s, i) for i in range(int(n_candidates))]
        vacancies = [
            _vacancy_of(tb, s, stream, j) for stream, j in _all_vacancies(tb, int(n_vacancies))
        ]
    return SyntheticCohort(
        (p for p, _ in pairs),
        vacancies,
        truth={p.id: t for p, t in pairs},
        seed=s,
        config=tb.config,
    )


def iter_candidates(
    taxonomy: Taxonomy, n: int, *, seed: int, start: int = 0, **knobs: Any
) -> Iterator[CandidateProfile]:
    """Stream candidates ``start`` … ``start + n - 1``: the same records :func:`cohort` draws.

    Arguments are checked at the call, before the first record is drawn. Candidate ``i`` depends
    only on the seed, the knobs and ``i``, so shards drawn in parallel (``start=0``,
    ``start=10_000``, …) join into the cohort one call would draw.

    Examples
    --------
    >>> from labourint_match import Taxonomy
    >>> taxonomy = Taxonomy.default()
    >>> tail = list(iter_candidates(taxonomy, 2, seed=5, start=3))
    >>> [c.id for c in tail]
    ['c000004', 'c000005']
    >>> tail[0] == cohort(taxonomy, 5, 0, seed=5).candidates[3]
    True
    """
    tb = _setup(taxonomy, {"n": n, "start": start}, seed, knobs)
    return (p for p, _ in _candidates(tb, int(seed), int(start), int(n)))


def _candidates(
    tb: _Tables, seed: int, start: int, n: int
) -> Iterator[tuple[CandidateProfile, tuple[str, ...]]]:
    for i in range(start, start + n):
        yield _candidate(tb, seed, i)


def iter_truth(
    taxonomy: Taxonomy, n: int, *, seed: int, start: int = 0, **knobs: Any
) -> Iterator[tuple[str, tuple[str, ...]]]:
    """Stream the ground truth of candidates ``start`` … ``start + n - 1`` without drawing them.

    Yields ``(candidate id, source occupation URIs)``, main occupation first — what
    ``SyntheticCohort.truth`` holds — at a fraction of the cost of drawing the profiles.

    Examples
    --------
    >>> from labourint_match import Taxonomy
    >>> taxonomy = Taxonomy.default()
    >>> dict(iter_truth(taxonomy, 4, seed=2)) == dict(cohort(taxonomy, 4, 0, seed=2).truth)
    True
    """
    tb = _setup(taxonomy, {"n": n, "start": start}, seed, knobs)
    s, first = int(seed), int(start)

    def truths() -> Iterator[tuple[str, tuple[str, ...]]]:
        for i in range(first, first + int(n)):
            occupations = _draw_occupations(tb, _Draws(_record_rng(s, _CANDIDATES, i)))
            yield _candidate_id(i), tuple(tb.uris[tb.occ_concept[k]] for k in occupations)

    return truths()


def iter_vacancies(
    taxonomy: Taxonomy, n: int, *, seed: int, start: int = 0, **knobs: Any
) -> Iterator[Vacancy]:
    """Stream vacancies ``start`` … ``start + n - 1``: the same records :func:`cohort` draws.

    Only the vacancies drawn from occupations (``v…``): the extra vacancies of
    ``unjudged_vacancy_share`` and ``common_skill_vacancy_share`` come with :func:`cohort` and
    :func:`write_cohort`, which know how many vacancies are drawn.

    Examples
    --------
    >>> from labourint_match import Taxonomy
    >>> taxonomy = Taxonomy.default()
    >>> jobs = iter_vacancies(taxonomy, 3, seed=5)
    >>> next(jobs).id, next(jobs).id
    ('v000001', 'v000002')
    """
    tb = _setup(taxonomy, {"n": n, "start": start}, seed, knobs)
    s, first = int(seed), int(start)
    return (_vacancy(tb, s, j) for j in range(first, first + int(n)))


PathLike = str | os.PathLike[str]


def _check_path(path: object, name: str) -> Path:
    if not isinstance(path, (str, os.PathLike)):
        raise ConfigError(f"{name} must be a str or os.PathLike, not {type(path).__name__}")
    return Path(path)


class _AtomicText:
    """A UTF-8 text file written beside its target and moved into place when complete."""

    def __init__(self, path: Path) -> None:
        self.path = path
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
        self.tmp = Path(tmp)
        self.file = os.fdopen(fd, "w", encoding="utf-8", newline="\n")

    def write(self, text: str) -> None:
        self.file.write(text)

    def commit(self) -> None:
        self.file.close()
        os.replace(self.tmp, self.path)

    def abort(self) -> None:
        self.file.close()
        self.tmp.unlink(missing_ok=True)


def write_jsonl(path: PathLike, records: Iterable[BaseModel]) -> int:
    """Write records (candidates, vacancies, any pydantic model) as JSON Lines, one at a time.

    Each line is the record's ``model_dump_json()``, so equal records give equal bytes and
    :func:`~labourint_match.profiles.load_candidates` / ``load_vacancies`` read the file back. The
    file appears only once complete (written beside it, then moved into place).

    Returns
    -------
    int
        The number of records written.

    Raises
    ------
    ConfigError
        `path` is not a path, or an item is not a pydantic model (nothing is written).
    OSError
        The file cannot be written.

    Examples
    --------
    >>> import pathlib, tempfile
    >>> from labourint_match import Taxonomy, load_vacancies
    >>> path = pathlib.Path(tempfile.mkdtemp()) / "jobs.jsonl"
    >>> write_jsonl(path, iter_vacancies(Taxonomy.default(), 3, seed=0))
    3
    >>> load_vacancies(path).ids
    ('v000001', 'v000002', 'v000003')
    """
    target = _check_path(path, "path")
    out = _AtomicText(target)
    count = 0
    try:
        for record in records:
            if not isinstance(record, BaseModel):
                raise ConfigError(
                    f"item {count} is a {type(record).__name__}, not a CandidateProfile, "
                    "Vacancy or other pydantic model"
                )
            out.write(record.model_dump_json())
            out.write("\n")
            count += 1
    except BaseException:
        out.abort()
        raise
    out.commit()
    return count


def write_cohort(
    directory: PathLike,
    taxonomy: Taxonomy,
    n_candidates: int,
    n_vacancies: int,
    *,
    seed: int,
    shard_size: int | None = None,
    **knobs: Any,
) -> CohortFiles:
    """Draw a cohort straight to JSON Lines shards, never holding more than one record.

    Writes ``candidates-00000.jsonl`` …, ``vacancies-00000.jsonl`` … (one shard each unless
    `shard_size` is given), ``truth.jsonl`` and ``manifest.json`` (seed, counts, knobs,
    taxonomy content hash, file names) into `directory`, created if missing. The files hold the
    records :func:`cohort` would return, byte for byte the same for the same seed and knobs.

    Parameters
    ----------
    directory
        Where to write.
    taxonomy, n_candidates, n_vacancies, seed, **knobs
        As in :func:`cohort`.
    shard_size
        Most records per shard file; ``None``: one file per record kind.

    Returns
    -------
    CohortFiles
        The paths written.

    Examples
    --------
    >>> import json, pathlib, tempfile
    >>> from labourint_match import Taxonomy, load_candidates
    >>> folder = pathlib.Path(tempfile.mkdtemp())
    >>> files = write_cohort(folder, Taxonomy.default(), 5, 2, seed=9, shard_size=2)
    >>> [p.name for p in files.candidates]
    ['candidates-00000.jsonl', 'candidates-00001.jsonl', 'candidates-00002.jsonl']
    >>> load_candidates(files.candidates[2]).ids
    ('c000005',)
    >>> json.loads(files.manifest.read_text())["n_candidates"]
    5
    """
    counts = {"n_candidates": n_candidates, "n_vacancies": n_vacancies}
    tb = _setup(taxonomy, counts, seed, knobs)
    if shard_size is not None and (
        isinstance(shard_size, bool)
        or not isinstance(shard_size, (int, np.integer))
        or shard_size < 1
    ):
        raise ConfigError(f"shard_size must be None or an integer >= 1, not {shard_size!r}"[:120])
    folder = _check_path(directory, "directory")
    folder.mkdir(parents=True, exist_ok=True)
    s, n_c, n_v = int(seed), int(n_candidates), int(n_vacancies)
    every = _all_vacancies(tb, n_v)  # the drawn vacancies, then the extra ones
    size = int(shard_size) if shard_size is not None else max(n_c, len(every), 1)

    def shards(n: int) -> list[tuple[int, int]]:
        return [(lo, min(lo + size, n)) for lo in range(0, n, size)] or [(0, 0)]

    candidate_files: list[Path] = []
    truth = _AtomicText(folder / "truth.jsonl")
    try:
        for number, (lo, hi) in enumerate(shards(n_c)):
            path = folder / f"candidates-{number:05d}.jsonl"
            out = _AtomicText(path)
            try:
                for profile, occupations in _candidates(tb, s, lo, hi - lo):
                    out.write(profile.model_dump_json())
                    out.write("\n")
                    truth.write(_truth_line(profile.id, occupations))
            except BaseException:
                out.abort()
                raise
            out.commit()
            candidate_files.append(path)
    except BaseException:
        truth.abort()
        raise
    truth.commit()
    vacancy_files: list[Path] = []
    for number, (lo, hi) in enumerate(shards(len(every))):
        path = folder / f"vacancies-{number:05d}.jsonl"
        write_jsonl(path, (_vacancy_of(tb, s, stream, j) for stream, j in every[lo:hi]))
        vacancy_files.append(path)
    from .._version import __version__

    manifest = {
        "generator": "labourint_match.synth",
        "version": __version__,
        "seed": s,
        "n_candidates": n_c,
        "n_vacancies": n_v,
        "shard_size": shard_size,
        "taxonomy": {
            "source": Path(tb.taxonomy.source).name,
            "content_hash": tb.taxonomy.content_hash,
        },
        "knobs": tb.config.to_dict(),
        "files": {
            "candidates": [p.name for p in candidate_files],
            "vacancies": [p.name for p in vacancy_files],
            "truth": "truth.jsonl",
        },
    }
    manifest_path = folder / "manifest.json"
    out = _AtomicText(manifest_path)
    out.write(json.dumps(manifest, indent=2, sort_keys=True, ensure_ascii=False) + "\n")
    out.commit()
    return CohortFiles(
        tuple(candidate_files), tuple(vacancy_files), folder / "truth.jsonl", manifest_path
    )
