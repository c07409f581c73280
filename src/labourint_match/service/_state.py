"""What a running service holds, shared by every request.

The taxonomy, matcher and resolver (loaded once), the cohort the adviser page works on
(reloadable) and the keys.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path
from typing import TypeVar

import anyio

from ..assignment.plan import check_log_path
from ..errors import ConfigError
from ..matcher import Matcher
from ..profiles import CandidateProfile, Vacancy, load_candidates, load_vacancies, validate_cohort
from ..resolve import SkillResolver
from ..taxonomy import Taxonomy
from ._auth import KeyRing
from ._config import ServiceConfig

__all__ = ["LoadedCohort", "ServiceState", "TooLate", "run_limited"]

T = TypeVar("T")
_log = logging.getLogger("labourint_match.service")


class TooLate(Exception):  # noqa: N818 - a signal, not an error of the caller's
    """A request's time limit passed: its work was not started (or its result is dropped)."""


@dataclass(frozen=True)
class LoadedCohort:
    """The cohort a service was started on, by id, as loaded at `loaded_at` (UTC)."""

    candidates: dict[str, CandidateProfile]
    vacancies: dict[str, Vacancy]
    loaded_at: datetime


def _files(path: Path, kind: str) -> list[Path]:
    """`path` itself, or a folder's files of `kind`, never the other kind's.

    ``kind-*.jsonl`` shards (as ``synth`` writes them), else ``kind*.jsonl``
    (``candidates.jsonl``).
    """
    if not path.exists():
        raise ConfigError(f"the {kind} path {str(path)!r} does not exist")
    if not path.is_dir():
        return [path]
    shards = sorted(path.glob(f"{kind}-*.jsonl")) or sorted(path.glob(f"{kind}*.jsonl"))
    if not shards:
        raise ConfigError(f"the folder {str(path)!r} holds no {kind}-*.jsonl or {kind}.jsonl")
    return shards


def _load(config: ServiceConfig, taxonomy: Taxonomy) -> LoadedCohort:
    assert config.candidates is not None
    assert config.vacancies is not None
    cands: list[CandidateProfile] = []
    for f in _files(config.candidates, "candidates"):
        cands.extend(load_candidates(f, taxonomy=taxonomy).records)
    vacs: list[Vacancy] = []
    for f in _files(config.vacancies, "vacancies"):
        vacs.extend(load_vacancies(f, taxonomy=taxonomy).records)
    # Across shards: duplicate ids are refused as within one file.
    c = validate_cohort(cands, taxonomy=taxonomy).records
    v = validate_cohort(vacs, taxonomy=taxonomy).records
    return LoadedCohort({r.id: r for r in c}, {r.id: r for r in v}, datetime.now(timezone.utc))


class ServiceState:
    """Everything the service's handlers share.

    The matcher and resolver keep caches that are not safe to change from several threads at
    once, so their calls run under :meth:`computing` (one at a time; the kernels themselves use
    every core).
    """

    def __init__(self, config: ServiceConfig, taxonomy: Taxonomy) -> None:
        self.config = config
        self.taxonomy = taxonomy
        self.matcher = Matcher(taxonomy, config.scoring)
        self.resolver = SkillResolver(taxonomy)
        check_log_path(config.decision_log)  # a plan must be able to log: refuse at startup
        self.keys = KeyRing.load(config.keys) if config.keys is not None else None
        if self.keys is not None and not len(self.keys):
            raise ConfigError(
                f"the keys file {str(config.keys)!r} holds no keys: add one with "
                "`labourint-match key ADVISER_ID --keys FILE`"
            )
        if config.keys is not None and config.keys.stat().st_mode & 0o077:
            _log.warning("the keys file can be read by other users: chmod 600 it")
        self._compute = threading.Lock()
        self._cohort_lock = threading.Lock()
        self._cohort: LoadedCohort | None = None
        if config.candidates is not None:
            self._cohort = _load(config, taxonomy)

    @contextmanager
    def computing(self, timeout: float | None = None) -> Iterator[None]:
        """Hold the one compute lock (matcher, resolver) for the block.

        Raises
        ------
        TooLate
            The lock was not free within `timeout` seconds.
        """
        if not self._compute.acquire(timeout=-1 if timeout is None else max(timeout, 0.0)):
            raise TooLate
        try:
            yield
        finally:
            self._compute.release()

    @property
    def cohort(self) -> LoadedCohort | None:
        """The loaded cohort, or ``None`` when the service was started without one."""
        return self._cohort

    def reload(self) -> LoadedCohort:
        """Read the cohort files again; the old cohort stays if they no longer load.

        Raises
        ------
        ConfigError
            The service was started without a cohort.
        ProfileError
            A record no longer validates (the old cohort is kept).
        """
        if self.config.candidates is None:
            raise ConfigError("the service was started without a cohort: nothing to reload")
        with self._cohort_lock:
            fresh = _load(self.config, self.taxonomy)
            self._cohort = fresh
        return fresh


async def run_limited(state: ServiceState, fn: Callable[[], T]) -> T:
    """`fn()` in a worker thread, under the compute lock, within the request's time limit.

    The deadline counts from the call: waiting for the lock counts, and a request whose deadline
    passes while it waits never starts its work (so timed-out requests do not queue up behind the
    lock). Work that has started cannot be stopped: it finishes in the background, its result
    dropped; `fn` should therefore do everything that must happen together (a plan, its log and
    its record in the database) itself.

    Raises
    ------
    TooLate
        The limit passed, before or during the work.
    """
    limit = state.config.limits.time_limit_s
    deadline = time.monotonic() + limit
    cancelled = threading.Event()

    def locked() -> T:
        with state.computing(timeout=deadline - time.monotonic()):
            if cancelled.is_set() or time.monotonic() >= deadline:
                raise TooLate
            return fn()

    try:
        with anyio.fail_after(limit):
            return await anyio.to_thread.run_sync(locked, abandon_on_cancel=True)
    except TimeoutError:
        cancelled.set()
        raise TooLate from None
