"""What a running service holds, shared by every request.

The taxonomy, matcher and resolver (loaded once), the cohort the adviser page works on
(reloadable) and the keys.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path

from ..errors import ConfigError
from ..matcher import Matcher
from ..profiles import CandidateProfile, Vacancy, load_candidates, load_vacancies, validate_cohort
from ..resolve import SkillResolver
from ..taxonomy import Taxonomy
from ._auth import KeyRing
from ._config import ServiceConfig

__all__ = ["LoadedCohort", "ServiceState"]


@dataclass(frozen=True)
class LoadedCohort:
    """The cohort a service was started on, by id, as loaded at `loaded_at` (UTC)."""

    candidates: dict[str, CandidateProfile]
    vacancies: dict[str, Vacancy]
    loaded_at: datetime


def _files(path: Path, kind: str) -> list[Path]:
    """`path` itself, or the shards of a folder (``kind-*.jsonl`` if any, else ``*.jsonl``)."""
    if not path.is_dir():
        return [path]
    shards = sorted(path.glob(f"{kind}-*.jsonl")) or sorted(path.glob("*.jsonl"))
    if not shards:
        raise ConfigError(f"the folder {str(path)!r} holds no .jsonl shards of {kind}")
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
        self.keys = KeyRing.load(config.keys) if config.keys is not None else None
        self._compute = threading.Lock()
        self._cohort_lock = threading.Lock()
        self._cohort: LoadedCohort | None = None
        if config.candidates is not None:
            self._cohort = _load(config, taxonomy)

    @contextmanager
    def computing(self) -> Iterator[None]:
        """Hold the one compute lock (matcher, resolver) for the block."""
        with self._compute:
            yield

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
