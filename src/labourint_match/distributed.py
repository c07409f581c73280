"""Ranking and placement on a Dask cluster (``pip install 'labourint-match[dask]'``).

A national register outgrows one machine. :class:`DistributedMatcher` runs the same validation,
encoding and numba kernels as :class:`~labourint_match.Matcher`, one partition of candidates per
task, on the workers of a ``dask.distributed`` cluster:

- the taxonomy (with the configuration) is shipped to every worker once, when the
  `DistributedMatcher` is created, and the vacancies once per call — as worker plugins, which
  the scheduler also sends to a worker that restarts or joins later — never per task;
- each worker keeps one `Matcher` per taxonomy and configuration, with numba's thread count set
  to the worker's number of threads;
- candidates come as partitions: JSON Lines shards (paths every worker can read), a Dask bag of
  profiles or of dicts, a Dask dataframe with one row per profile, or an in-memory sequence cut
  into partitions;
- results are gathered into a :class:`~labourint_match.Ranking` (identical to `Matcher.rank`
  on the concatenated cohort), or written by the workers as one shard per partition (JSON Lines,
  or Parquet with pyarrow) when `output` is given.

Tasks are pure: a task rerun after a worker is lost computes the same rows, and shards are
written to a temporary name and renamed, so a rerun overwrites rather than duplicates.

Placement (:meth:`DistributedMatcher.assign`) gathers the pruned edge set of
:meth:`Matcher.assign <labourint_match.Matcher.assign>` — each candidate's best `top_k`
vacancies and each vacancy's best ``per_opening × openings`` candidates — from the partitions
into one sparse problem and solves it with the same code, so the result equals
``Matcher.assign(..., dense_max_pairs=0)``. With ``group_by`` the problem is cut into independent
groups (by region, occupation group or any key of the vacancy), each solved on a worker; the loss
against the global optimum is measured in ``docs/distributed.md``.

Nothing in the library imports this module; ``import labourint_match`` never imports Dask.

Examples
--------
>>> from datetime import date
>>> from distributed import Client, LocalCluster
>>> from labourint_match import Matcher, ScoringConfig, Taxonomy, synth
>>> from labourint_match.distributed import DistributedMatcher
>>> taxonomy = Taxonomy.default()
>>> people, jobs = synth.cohort(taxonomy, 40, 10, seed=3)
>>> config = ScoringConfig(as_of=date(2026, 1, 1))
>>> with LocalCluster(n_workers=1, threads_per_worker=1, processes=False,
...                   dashboard_address=None) as cluster, Client(cluster) as client:
...     ranking = DistributedMatcher(client, taxonomy, config).rank(
...         people, jobs, top_k=3, partition_size=15)
>>> local = Matcher(taxonomy, config).rank(people, jobs, top_k=3)
>>> bool((ranking.indices == local.indices).all() and (ranking.scores == local.scores).all())
True
"""

from __future__ import annotations

import contextlib
import importlib
import json
import math
import os
import shutil
import uuid
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

import numpy as np
from numpy.typing import NDArray
from pydantic import ValidationError

try:
    from dask.base import is_dask_collection
    from distributed import Client, WorkerPlugin, get_worker
except ImportError as exc:  # pragma: no cover - depends on the environment
    raise ImportError(
        "labourint_match.distributed needs Dask: pip install 'labourint-match[dask]'"
    ) from exc

from ._gather import Merged, merge_by_vacancy, merge_vacancy_group
from ._ids import id_digests
from ._placement_source import PlacementSource
from ._validate import positive_int, unit_interval
from .assignment.plan import METHODS, build, check_log_path, place
from .assignment.result import Assignment
from .errors import ConfigError, DuplicateIdError, ProfileError
from .matcher import Matcher
from .profiles import CandidateProfile, Vacancy, id_problem, load_candidates, record_error
from .scoring.config import ScoringConfig
from .scoring.edges import (
    Edges,
    best_per_candidate,
    candidate_side,
    quota_groups,
    vacancy_pairs,
    vacancy_side,
)
from .scoring.ranking import Ranking
from .taxonomy import Taxonomy

__all__ = ["DistributedMatcher", "RankingShards"]

#: Candidates per partition when an in-memory sequence is cut up.
DEFAULT_PARTITION_SIZE = 20_000

_FORMATS = ("jsonl", "parquet")


# -- what runs on the workers ------------------------------------------------------------------


@dataclass(frozen=True)
class _Setup:
    """Everything a task needs besides its partition and the vacancies (shipped once)."""

    taxonomy: Taxonomy
    config: ScoringConfig
    min_resolution_score: float


@dataclass(frozen=True)
class _Vacancies:
    """The validated vacancies of one call."""

    records: tuple[Vacancy, ...]


class _Shipment(WorkerPlugin):
    """Data every worker holds for the tasks, sent once per worker.

    The scheduler keeps registered plugins and sends them again to a worker that joins or
    restarts later. Scattered data would not do: the Active Memory Manager drops "extra"
    replicas, so a worker's death can lose the only copy, and a worker that dropped its copy
    would fetch it again for every task.
    """

    def __init__(self, name: str, payload: Any) -> None:
        self.name = name
        self.payload = payload

    def setup(self, worker: Any) -> None:
        """Nothing to do: the payload arrives with the plugin."""
        return None

    def teardown(self, worker: Any) -> None:
        """Drop the matchers built from this payload (when the plugin is unregistered)."""
        for key in [k for k in _MATCHERS if k[0] == self.name]:
            _MATCHERS.pop(key, None)


def _shipped(name: str) -> Any:
    plugin: Any = get_worker().plugins[name]
    return plugin.payload


#: This worker's matchers, by (setup plugin name, threads); dropped with the plugin.
_MATCHERS: dict[tuple[str, int], Matcher] = {}


def _worker_threads() -> int:
    return int(get_worker().state.nthreads)


def _matcher(setup_name: str) -> Matcher:
    """The worker's matcher for a shipped setup, created on first use (numba threads = worker's)."""
    threads = _worker_threads()
    key = (setup_name, threads)
    found = _MATCHERS.get(key)
    if found is None:
        setup: _Setup = _shipped(setup_name)
        found = Matcher(
            setup.taxonomy,
            setup.config,
            min_resolution_score=setup.min_resolution_score,
            threads=threads,
        )
        found = _MATCHERS.setdefault(key, found)  # two tasks racing keep one matcher
    return found


def _records(source: Any) -> list[Any]:
    """The profiles (or dicts) of one partition: a list, or a pandas frame."""
    if hasattr(source, "to_dict") and hasattr(source, "columns"):  # a pandas DataFrame
        rows = source.to_dict(orient="records")
        return [{k: v for k, v in row.items() if not _missing(v)} for row in rows]
    return list(source)


def _missing(value: object) -> bool:
    """None, NaN, and pandas' own missing values (``pd.NA``, ``pd.NaT``) in a dataframe row."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return True
    return type(value).__name__ in ("NAType", "NaTType")


def _profiles(items: list[Any], part: int) -> list[Any]:
    """Dicts (from a bag, a dataframe or JSON) validated into profiles, named by id or item."""
    out = []
    for i, item in enumerate(items):
        if not isinstance(item, dict):
            out.append(item)
            continue
        raw_id = item.get("id")
        where = f"item {i} of partition {part}"
        label = f"{raw_id} ({where})" if id_problem(raw_id) is None else where
        try:
            out.append(CandidateProfile.model_validate(item))
        except ValidationError as exc:
            raise record_error(exc, label) from None
    return out


def _cohort(matcher: Matcher, source: Any, part: int) -> tuple[CandidateProfile, ...]:
    if isinstance(source, (str, os.PathLike)):  # validated by the loader, errors name file and line
        return tuple(load_candidates(source, taxonomy=matcher.taxonomy))
    try:
        return matcher._cohort(_profiles(_records(source), part), CandidateProfile, "candidates")
    except ProfileError as err:
        if "partition" in (err.record or ""):
            raise
        raise type(err)(
            f"{err.message} (in partition {part})", record=err.record, field=err.field
        ) from None


@dataclass(frozen=True)
class _Part:
    """One partition's top-k (by candidate or by vacancy), or the shard it wrote."""

    n: int
    hashes: NDArray[np.uint64]
    ids: tuple[str, ...] | None
    indices: NDArray[np.int32] | None
    scores: NDArray[np.float64] | None
    reasons: NDArray[np.int32] | None
    path: str | None


def _rank_task(
    source: Any,
    setup: str,
    shipped: str,
    part: int,
    top_k: int,
    by: Literal["candidate", "vacancy"],
    output: str | None,
    fmt: str,
) -> _Part:
    matcher = _matcher(setup)
    vacancies: tuple[Vacancy, ...] = _shipped(shipped).records
    cands = _cohort(matcher, source, part)
    ids = tuple(c.id for c in cands)
    hashes = id_digests(ids)
    if not cands:
        return _Part(0, hashes, ids, None, None, None, None)
    scorer = matcher._scorer
    idx, sc, why = scorer.top_k(scorer.encode(cands, vacancies), top_k, by)
    if output is None:
        return _Part(len(ids), hashes, ids, idx, sc, why, None)
    ranking = Ranking(
        by=by,
        candidate_ids=ids,
        vacancy_ids=tuple(v.id for v in vacancies),
        indices=idx,
        scores=sc.astype(np.float32),
        reasons=why,
    )
    path = _write_shard(Path(output), part, fmt, ranking.to_records())
    return _Part(len(ids), hashes, None, None, None, None, str(path))


def _write_shard(folder: Path, part: int, fmt: str, records: list[dict[str, Any]]) -> Path:
    """Write one shard under a temporary name, then rename it: a rerun overwrites, never adds."""
    final = folder / f"part-{part:05d}.{fmt}"
    tmp = folder / f".part-{part:05d}.{fmt}.{uuid.uuid4().hex}.tmp"
    try:
        if fmt == "jsonl":
            with open(tmp, "w", encoding="utf-8", newline="\n") as fh:
                for rec in records:
                    fh.write(json.dumps(rec, ensure_ascii=False, separators=(",", ":")))
                    fh.write("\n")
        else:
            pa = importlib.import_module("pyarrow")
            pq = importlib.import_module("pyarrow.parquet")

            columns = ("candidate_id", "vacancy_id", "rank", "score", "eligible", "reasons")
            table = pa.table({c: [r[c] for r in records] for c in columns})
            pq.write_table(table, tmp)
        os.replace(tmp, final)
    finally:
        if tmp.exists():
            tmp.unlink()
    return final


@dataclass(frozen=True)
class _EdgePart:
    """One partition's share of the placement problem (candidate ids in id order)."""

    ids: tuple[str, ...]
    # candidate side: local candidate, vacancy, float64 score, reasons (kept edges only)
    c_cand: NDArray[np.int64]
    c_vac: NDArray[np.int64]
    c_score: NDArray[np.float64]
    c_why: NDArray[np.int32]
    # vacancy side, per quota group: [n_group, kv] local candidates, float64 scores, reasons
    v_idx: tuple[NDArray[np.int32], ...]
    v_score: tuple[NDArray[np.float64], ...]
    v_why: tuple[NDArray[np.int32], ...]


def _edges_task(
    source: Any,
    setup: str,
    shipped: str,
    part: int,
    top_k: int,
    quota: NDArray[np.int64],
    groups: tuple[NDArray[np.int64], ...],
    min_score: float,
) -> _EdgePart:
    matcher = _matcher(setup)
    vacancies: tuple[Vacancy, ...] = _shipped(shipped).records
    cands = tuple(sorted(_cohort(matcher, source, part), key=lambda c: c.id))
    ids = tuple(c.id for c in cands)
    n_c, n_v = len(cands), len(vacancies)
    if n_c == 0 or n_v == 0:  # no pair to score (no vacancies: every candidate left unplaced)
        empty_i = np.zeros(0, dtype=np.int64)
        return _EdgePart(ids, empty_i, empty_i, np.zeros(0), np.zeros(0, dtype=np.int32),
                         (), (), ())  # fmt: skip
    # The partition and the vacancies encoded once: both sides of the pruned edge set from it.
    scorer = matcher._scorer
    enc = scorer.encode(cands, vacancies)
    side = candidate_side(scorer, enc, min(top_k, n_v), min_score)
    tops = vacancy_side(scorer, enc, list(groups), quota)
    return _EdgePart(ids, side.cand, side.vac, side.score, side.why,
                     tuple(t.indices for t in tops), tuple(t.scores for t in tops),
                     tuple(t.reasons for t in tops))  # fmt: skip


def _solve_task(
    e_cand: NDArray[np.int32],
    e_vac: NDArray[np.int32],
    e_score: NDArray[np.float64],
    n_c: int,
    capacity: NDArray[np.int64],
    method: str,
) -> Any:
    from .assignment import solve_optimal, solve_stable

    if method == "optimal":
        return solve_optimal(e_cand, e_vac, e_score, n_c, capacity)
    return solve_stable(e_cand, e_vac, e_score, n_c, capacity)


# -- results -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class RankingShards:
    """A ranking written as shards, one per partition, in partition order.

    Each row is one ranked pair with the columns of :meth:`Ranking.to_records
    <labourint_match.Ranking.to_records>`: candidate_id, vacancy_id, rank, score, eligible,
    reasons.

    Attributes
    ----------
    paths : tuple of pathlib.Path
        The shard files, ``part-00000.jsonl`` … (or ``.parquet``).
    n_candidates : int
        Candidates ranked, over all shards.
    top_k : int
        Vacancies per candidate.
    format : {"jsonl", "parquet"}
        The file format.
    """

    paths: tuple[Path, ...]
    n_candidates: int
    top_k: int
    format: str

    def records(self) -> Iterable[dict[str, Any]]:
        """Every row of every shard, in order (reads one shard at a time)."""
        for path in self.paths:
            if self.format == "jsonl":
                with open(path, encoding="utf-8") as fh:
                    for line in fh:
                        yield json.loads(line)
            else:
                pq = importlib.import_module("pyarrow.parquet")
                yield from pq.read_table(path).to_pylist()


# -- the client side -----------------------------------------------------------------------------


class DistributedMatcher:
    """`Matcher.rank` and `Matcher.assign` for cohorts spread over a Dask cluster.

    Parameters
    ----------
    client
        A connected ``distributed.Client`` (a ``LocalCluster`` or a real scheduler).
    taxonomy, config, min_resolution_score
        As in :class:`~labourint_match.Matcher`. ``config.as_of`` is fixed here (today when
        unset), so that every worker judges eligibility on the same day. The taxonomy and
        configuration are broadcast to every worker now, once.

    Examples
    --------
    See the module's docstring and docs/distributed.md.
    """

    def __init__(
        self,
        client: Client,
        taxonomy: Taxonomy,
        config: ScoringConfig | None = None,
        *,
        min_resolution_score: float = 0.75,
    ) -> None:
        if not isinstance(client, Client):
            raise ConfigError(f"client must be a distributed.Client, not {type(client).__name__}")
        local = Matcher(taxonomy, config, min_resolution_score=min_resolution_score)
        if local.config.as_of is None:
            local = Matcher(
                taxonomy,
                local.config.replace(as_of=local.as_of),
                min_resolution_score=min_resolution_score,
            )
        handle: Any = client
        self.client = client
        self.matcher = local
        self.taxonomy = taxonomy
        self.config = local.config
        self._setup = f"labourint-match-setup-{uuid.uuid4().hex}"
        handle.register_plugin(
            _Shipment(self._setup, _Setup(taxonomy, local.config, float(min_resolution_score)))
        )

    def close(self) -> None:
        """Remove the taxonomy from the workers (also on leaving a ``with`` block)."""
        with contextlib.suppress(Exception):  # the cluster may be gone already
            self._client.unregister_worker_plugin(self._setup)

    def __enter__(self) -> DistributedMatcher:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @contextlib.contextmanager
    def _ship(self, payload: Any) -> Iterator[str]:
        """Send `payload` to every worker once, for the duration of one call."""
        name = f"labourint-match-{uuid.uuid4().hex}"
        self._client.register_plugin(_Shipment(name, payload))
        try:
            yield name
        finally:
            with contextlib.suppress(Exception):
                self._client.unregister_worker_plugin(name)

    def __repr__(self) -> str:
        return f"<DistributedMatcher {self.matcher!r} on {self._client.scheduler.address}>"

    # -- partitions ------------------------------------------------------------------------------

    @property
    def _client(self) -> Any:
        return self.client

    def _partitions(self, candidates: Any, partition_size: int) -> list[Any]:
        """Each partition as something a task accepts: a path, a list, or a future."""
        partition_size = positive_int(partition_size, "partition_size")
        if hasattr(candidates, "to_delayed") and is_dask_collection(candidates):
            futures: list[Any] = self._client.compute(candidates.to_delayed())
            if not futures:
                raise ProfileError("candidates: the collection has no partitions")
            return futures
        if isinstance(candidates, (str, os.PathLike)):
            raise ConfigError(
                "candidates: give a list of shard paths (or a Dask bag/dataframe, or profiles), "
                "not a single path"
            )
        items = list(candidates)
        if not items:
            return []  # an empty cohort: no partition, an empty result
        if all(isinstance(x, (str, os.PathLike)) for x in items):
            # absolute, so that workers with another working directory find the same files
            return [os.path.abspath(os.fspath(x)) for x in items]
        if any(isinstance(x, (str, os.PathLike)) for x in items):
            raise ConfigError("candidates: mix of shard paths and records; give one kind")
        return [items[lo : lo + partition_size] for lo in range(0, len(items), partition_size)]

    def _vacancies(self, vacancies: Iterable[Vacancy], *, sort: bool) -> tuple[Vacancy, ...]:
        vacs = self.matcher._cohort(vacancies, Vacancy, "vacancies")
        return tuple(sorted(vacs, key=lambda v: v.id)) if sort else vacs

    def _check_ids(
        self, hashes: list[NDArray[np.uint64]], ids: list[tuple[str, ...] | None]
    ) -> None:
        """Raise `DuplicateIdError` if two partitions hold the same candidate id."""
        if len(hashes) < 2:
            return
        owner = np.repeat(np.arange(len(hashes)), [h.shape[0] for h in hashes])
        every = np.concatenate(hashes)
        order = np.argsort(every, kind="stable")
        same = np.flatnonzero(every[order][1:] == every[order][:-1])
        across = [int(i) for i in same if owner[order[i]] != owner[order[i + 1]]]
        if across:
            first = int(order[across[0]])
            a, b = int(owner[first]), int(owner[order[across[0] + 1]])
            held = ids[a]
            record = None if held is None else held[first - int((owner < a).sum())]
            raise DuplicateIdError(
                f"the same candidate id appears in partitions {a} and {b}; ids must be unique "
                "across the whole cohort",
                record=record,
            )

    # -- ranking ---------------------------------------------------------------------------------

    def rank(
        self,
        candidates: Any,
        vacancies: Iterable[Vacancy],
        top_k: int = 10,
        *,
        by: Literal["candidate", "vacancy"] = "candidate",
        output: str | os.PathLike[str] | None = None,
        format: Literal["jsonl", "parquet"] = "jsonl",
        partition_size: int = DEFAULT_PARTITION_SIZE,
    ) -> Ranking | RankingShards:
        """The exact top-k, as :meth:`Matcher.rank <labourint_match.Matcher.rank>` gives it.

        Parameters
        ----------
        candidates
            Shard paths (JSON Lines or JSON array files every worker can read), a Dask bag of
            profiles or dicts, a Dask dataframe (one row per profile, columns as the profile's
            fields), or profiles in memory (cut into `partition_size` pieces). The cohort is
            the partitions' records in order.
        vacancies
            The vacancies (in memory; broadcast to the workers once per call).
        top_k, by
            As in `Matcher.rank`.
        output
            A directory (created if missing; must hold no shards yet) into which the workers
            write one shard per partition: only with ``by="candidate"``. ``None``: the ranking
            is gathered and returned.
        format
            ``"jsonl"`` or ``"parquet"`` (needs pyarrow) for `output`.
        partition_size
            Candidates per partition when `candidates` is in memory.

        Returns
        -------
        Ranking or RankingShards
            The gathered ranking, equal to ``Matcher.rank`` on the concatenated cohort, or the
            shards written.

        Raises
        ------
        ProfileError
            An invalid record (the message names the record and the partition);
            `DuplicateIdError` also across partitions. An empty cohort is not an error: it gives
            an empty ranking (or no shards).
        ConfigError
            A bad argument, or an `output` directory that already holds shards.
        """
        if by not in ("candidate", "vacancy"):
            raise ConfigError(f"by must be 'candidate' or 'vacancy', not {by!r}")
        top_k = positive_int(top_k, "top_k")
        if format not in _FORMATS:
            raise ConfigError(f"format must be 'jsonl' or 'parquet', not {format!r}")
        folder = None if output is None else self._output_dir(output, by, format)
        vacs = self._vacancies(vacancies, sort=False)
        parts = self._partitions(candidates, partition_size)
        # Shards are written into a staging folder and moved into `output` only once every
        # partition succeeded: a failed call leaves no shard behind to block the rerun.
        staging = None if folder is None else folder / f".staging-{uuid.uuid4().hex}"
        if staging is not None:
            staging.mkdir()
        futures: list[Any] = []
        try:
            with self._ship(_Vacancies(vacs)) as vac_name:
                futures = [
                    self._client.submit(
                        _rank_task,
                        src,
                        self._setup,
                        vac_name,
                        i,
                        top_k,
                        by,
                        None if staging is None else str(staging),
                        format,
                        pure=False,
                        retries=1,
                    )
                    for i, src in enumerate(parts)
                ]
                results: list[_Part] = self._client.gather(futures)
            self._check_ids([r.hashes for r in results], [r.ids for r in results])
            n_total = sum(r.n for r in results)
        except BaseException:
            self._client.cancel(futures)
            if staging is not None:
                shutil.rmtree(staging, ignore_errors=True)
            raise
        if n_total == 0:  # an empty cohort: an empty result, as Matcher.rank gives
            if staging is not None:
                shutil.rmtree(staging, ignore_errors=True)
                return RankingShards(
                    paths=(), n_candidates=0, top_k=int(min(top_k, len(vacs))), format=format
                )
            return self.matcher.rank([], vacs, top_k=top_k, by=by)
        vacancy_ids = tuple(v.id for v in vacs)
        if folder is not None and staging is not None:
            paths = []
            for r in results:
                if r.path is not None:
                    paths.append(folder / Path(r.path).name)
                    os.replace(r.path, paths[-1])
            shutil.rmtree(staging, ignore_errors=True)
            return RankingShards(
                paths=tuple(paths),
                n_candidates=n_total,
                top_k=int(min(top_k, len(vacs))),
                format=format,
            )
        ids = tuple(cid for r in results for cid in (r.ids or ()))
        full = [r for r in results if r.n]
        if by == "candidate":
            idx = np.concatenate([r.indices for r in full if r.indices is not None])
            sc = np.concatenate([r.scores for r in full if r.scores is not None])
            why = np.concatenate([r.reasons for r in full if r.reasons is not None])
        else:
            idx, sc, why = merge_by_vacancy(full, int(min(top_k, n_total)))
        return Ranking(by=by, candidate_ids=ids, vacancy_ids=vacancy_ids, indices=idx,
                       scores=sc.astype(np.float32), reasons=why)  # fmt: skip

    @staticmethod
    def _output_dir(output: str | os.PathLike[str], by: str, fmt: str) -> Path:
        if by != "candidate":
            raise ConfigError("output is for by='candidate'; a ranking by vacancy is gathered")
        if fmt == "parquet":
            try:
                importlib.import_module("pyarrow")
            except ImportError as exc:
                raise ConfigError("format='parquet' needs pyarrow: pip install pyarrow") from exc
        folder = Path(output).resolve()  # workers may have another working directory
        if folder.exists() and not folder.is_dir():
            raise ConfigError(f"output {folder} exists and is not a directory")
        folder.mkdir(parents=True, exist_ok=True)
        if any(folder.glob("part-*")):
            raise ConfigError(
                f"output directory {folder} already holds shards (part-*); give an empty or new "
                "directory, so that no old rows mix with new ones"
            )
        return folder

    # -- placement -------------------------------------------------------------------------------

    def assign(
        self,
        candidates: Any,
        vacancies: Iterable[Vacancy],
        method: Literal["optimal", "stable"] = "optimal",
        min_score: float = 0.0,
        *,
        top_k: int = 20,
        per_opening: int = 3,
        group_by: Literal["region", "occupation"] | Callable[[Vacancy], str] | None = None,
        partition_size: int = DEFAULT_PARTITION_SIZE,
        log: str | os.PathLike[str] | None = None,
        fixed: Iterable[Any] = (),
        forbidden: Iterable[Any] = (),
    ) -> Assignment:
        """Place a cohort spread over the cluster, as ``Matcher.assign(..., dense_max_pairs=0)``.

        Each partition contributes its candidates' best `top_k` vacancies and its share of every
        vacancy's best ``per_opening × openings`` candidates; the edges are gathered into one
        sparse problem, solved by the same code as :meth:`Matcher.assign
        <labourint_match.Matcher.assign>`, with the same result. When `top_k` covers every
        vacancy, every eligible pair is kept and the result is exact (``pruning`` is ``None``).

        Parameters
        ----------
        candidates
            As in :meth:`rank`.
        vacancies, method, min_score, top_k, per_opening
            As in `Matcher.assign` (`top_k` and `per_opening` always apply here).
        group_by
            ``None``: one global problem. Otherwise the problem is cut into groups of vacancies,
            each solved on a worker: ``"region"`` (the vacancy's region; remote vacancies form
            their own group), ``"occupation"`` (the top-level group above the vacancy's
            occupation: in ESCO, its ISCO major group), or a function of the vacancy. Each
            candidate joins the group of their best edge and may be placed only there. This
            loses some total score against the global optimum (measured in
            docs/distributed.md); `Assignment.solver` names the grouping.
        partition_size
            As in :meth:`rank`.
        log
            A file to which the decision log is appended, as in `Matcher.assign`.
        fixed, forbidden
            Adviser overrides are not honoured on the cluster (a fixed pair may need a profile
            held by a worker): any given is refused, never ignored; use `Matcher.assign`.

        Returns
        -------
        Assignment
            ``explain(id)`` works when `candidates` were given in memory. No candidates or no
            vacancies give an assignment with no pairs, as in `Matcher.assign`.

        Raises
        ------
        ProfileError, DuplicateIdError, ConfigError
            As in `Matcher.assign` and :meth:`rank`; ConfigError for any `fixed` or `forbidden`.
        """
        for name, given in (("fixed", fixed), ("forbidden", forbidden)):
            if isinstance(given, (str, bytes)) or not isinstance(given, Iterable) or tuple(given):
                raise ConfigError(
                    f"DistributedMatcher.assign cannot honour adviser overrides (`{name}`); "
                    f"place the cohort with Matcher.assign(..., {name}=...) instead"
                )
        if method not in METHODS:
            raise ConfigError(f"method must be 'optimal' or 'stable', not {method!r}")
        threshold = unit_interval(min_score, "min_score")
        k = positive_int(top_k, "top_k")
        per = positive_int(per_opening, "per_opening", minimum=0)
        log_path = None if log is None else check_log_path(log)
        vacs = self._vacancies(vacancies, sort=True)
        key = _group_key(group_by, self.taxonomy)
        n_v = len(vacs)
        capacity = np.array([v.openings for v in vacs], dtype=np.int64)
        quota = capacity * per
        # top_k covering every vacancy keeps every eligible pair: exact, as Matcher.assign's
        # dense path (and no vacancy side is needed)
        pruned = (k, per) if k < n_v else None
        groups = tuple(quota_groups(quota)) if pruned else ()
        parts = self._partitions(candidates, partition_size)
        with self._ship(_Vacancies(vacs)) as vac_name:
            futures = [
                self._client.submit(
                    _edges_task,
                    src,
                    self._setup,
                    vac_name,
                    i,
                    k,
                    quota,
                    groups,
                    threshold,
                    pure=False,
                    retries=1,
                )
                for i, src in enumerate(parts)
            ]
            results: list[_EdgePart] = self._client.gather(futures)
        self._check_ids([id_digests(r.ids) for r in results], [r.ids for r in results])
        ids_all = [cid for r in results for cid in r.ids]
        if not ids_all:  # an empty cohort: an assignment with no pairs, as Matcher.assign gives
            return self.matcher.assign([], vacs, method, min_score, log=log)
        id_arr = np.array(ids_all, dtype=object)
        order = np.argsort(id_arr, kind="stable")
        cand_ids = tuple(id_arr[order].tolist())
        n_c = len(cand_ids)
        # global position (in id order) of each partition's local candidate
        rank_of = np.empty(n_c, dtype=np.int64)
        rank_of[order] = np.arange(n_c, dtype=np.int64)
        offsets = np.cumsum([0] + [len(r.ids) for r in results])
        glob = [rank_of[offsets[p] : offsets[p + 1]] for p in range(len(results))]

        keys, scores, whys = [], [], []
        for p, r in enumerate(results):
            keys.append(glob[p][r.c_cand] * n_v + r.c_vac)
            scores.append(r.c_score)
            whys.append(r.c_why)
        quota_c = np.minimum(quota, n_c)
        for g, group in enumerate(groups):
            ci, sc, wy = merge_vacancy_group(results, glob, g, int(quota_c[group].max()))
            pairs = vacancy_pairs(group, ci, sc, wy, quota_c, threshold)
            keys.append(pairs.cand * n_v + pairs.vac)
            scores.append(pairs.score)
            whys.append(pairs.why)
        all_keys = np.concatenate(keys)
        uniq, first = np.unique(all_keys, return_index=True)
        e_score = np.clip(np.concatenate(scores)[first], 0.0, 1.0)
        e_why = np.concatenate(whys)[first]
        ci_all, vi_all = uniq // n_v, uniq % n_v
        eligible = (e_why == 0) & (e_score > 0.0)
        edges = Edges(
            ci_all[eligible],
            vi_all[eligible],
            e_score[eligible],
            best_per_candidate(ci_all, e_score, eligible, n_c),
        )
        # Explanations need the profiles: kept when they were given in memory (and validated by
        # the workers); shards, bags and dicts leave the Assignment without explain().
        source = None
        held = [x for p in parts if isinstance(p, list) for x in p]
        if held and len(held) == n_c and all(isinstance(x, CandidateProfile) for x in held):
            source = PlacementSource(self.matcher._scorer, self.matcher.explain,
                                     tuple(sorted(held, key=lambda c: c.id)), vacs)  # fmt: skip
        if key is None or n_v == 0:  # no vacancies, no groups: as Matcher.assign places them
            return place(self.matcher._provenance(), cand_ids, tuple(v.id for v in vacs),
                         capacity, edges, method, threshold, pruned, log_path, source)  # fmt: skip
        grouping = (
            group_by if isinstance(group_by, str) else getattr(group_by, "__qualname__", "function")
        )
        return self._place_grouped(cand_ids, vacs, capacity, edges, method, threshold,
                                   pruned, source, key, str(grouping), log_path)  # fmt: skip

    def _place_grouped(
        self,
        cand_ids: tuple[str, ...],
        vacs: tuple[Vacancy, ...],
        capacity: NDArray[np.int64],
        edges: Edges,
        method: str,
        threshold: float,
        pruned: tuple[int, int] | None,
        source: Any,
        key: Callable[[Vacancy], str],
        grouping: str,
        log_path: Path | None,
    ) -> Assignment:
        n_c = len(cand_ids)
        labels = [str(key(v)) for v in vacs]
        names = sorted(set(labels))
        number = {name: g for g, name in enumerate(names)}
        vgroup = np.array([number[x] for x in labels], dtype=np.int64)
        # each candidate's group: that of their best edge (ties: the lower vacancy index)
        use = edges.score >= threshold
        e_c, e_v, e_s = edges.cand[use], edges.vac[use], edges.score[use]
        order = np.lexsort((e_v, -e_s, e_c))
        head = np.ones(order.shape[0], dtype=bool)
        head[1:] = e_c[order][1:] != e_c[order][:-1]
        cgroup = np.full(n_c, -1, dtype=np.int64)
        cgroup[e_c[order][head]] = vgroup[e_v[order][head]]
        inside = cgroup[e_c] == vgroup[e_v]
        e_c, e_v, e_s = e_c[inside], e_v[inside], e_s[inside]
        futures = []
        for g in range(len(names)):
            mine = vgroup[e_v] == g
            futures.append(self._client.submit(
                _solve_task, e_c[mine].astype(np.int32), e_v[mine].astype(np.int32), e_s[mine],
                n_c, np.where(vgroup == g, capacity, 0), method, pure=False, retries=1,
            ))  # fmt: skip
        solved = self._client.gather(futures)
        # Each candidate's outcome is the one of their own group's problem; a candidate with no
        # edge at or above the threshold has no group, and no edge in any problem.
        merged = Merged(n_c, len(names))
        for g, res in enumerate(solved):
            mine = np.flatnonzero(cgroup == g)
            merged.take(res, mine)
        merged.take(solved[0], np.flatnonzero(cgroup < 0))
        merged.method = "+".join(sorted({r.method for r in solved})) + f" in {len(names)} groups"
        return build(self.matcher._provenance(), cand_ids, tuple(v.id for v in vacs), capacity,
                     edges.best, merged, int(e_c.shape[0]), method, threshold, pruned, log_path,
                     source, grouping=grouping, edges=edges)  # fmt: skip


def _group_key(
    group_by: Literal["region", "occupation"] | Callable[[Vacancy], str] | None,
    taxonomy: Taxonomy,
) -> Callable[[Vacancy], str] | None:
    if group_by is None or callable(group_by):
        return group_by
    if group_by == "region":
        return lambda v: "remote" if v.remote else (v.location.region or "?") if v.location else "?"
    if group_by == "occupation":

        def top_group(v: Vacancy) -> str:
            if v.occupation is None:
                return "?"
            above = taxonomy.ancestors(v.occupation)
            return above[-1] if above else v.occupation

        return top_group
    raise ConfigError(f"group_by must be 'region', 'occupation', a function or None, not "
                      f"{group_by!r}")  # fmt: skip
