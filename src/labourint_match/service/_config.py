"""What a service is started with: the cohort, the database, the keys and the limits."""

from __future__ import annotations

import ipaddress
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from ..errors import ConfigError
from ..scoring.config import ScoringConfig

__all__ = ["DEFAULT_LIMITS", "LOOPBACK_NAMES", "Limits", "ServiceConfig", "is_loopback"]

#: The Host names a keyless (``insecure_local``) service answers to.
LOOPBACK_NAMES: tuple[str, ...] = ("127.0.0.1", "localhost", "::1", "[::1]")


@dataclass(frozen=True)
class Limits:
    """What one request may ask of the service.

    Attributes
    ----------
    max_body_bytes
        The largest request body; a larger one is refused with 413 before it is read whole.
    max_records
        The most candidates plus vacancies in one request (413 above it).
    max_pairs
        The most candidate × vacancy pairs one request may score (413 above it).
    time_limit_s
        Seconds a request may take; past it the client gets 503 (the work in progress is
        finished in the background and its result dropped; the cohort limits bound it).
    """

    max_body_bytes: int = 32 * 1024 * 1024
    max_records: int = 50_000
    max_pairs: int = 100_000_000
    time_limit_s: float = 60.0

    def __post_init__(self) -> None:
        for name in ("max_body_bytes", "max_records", "max_pairs"):
            value = getattr(self, name)
            if isinstance(value, bool) or not isinstance(value, int) or value < 1:
                raise ConfigError(f"{name} must be an int of at least 1")
        t = self.time_limit_s
        if isinstance(t, bool) or not isinstance(t, (int, float)) or not 0 < t < float("inf"):
            raise ConfigError("time_limit_s must be a positive, finite number of seconds")


DEFAULT_LIMITS = Limits()


def is_loopback(host: str) -> bool:
    """Whether `host` names only this machine (``localhost``, 127.0.0.0/8, ``::1``).

    Examples
    --------
    >>> is_loopback("127.0.0.1"), is_loopback("localhost"), is_loopback("0.0.0.0")
    (True, True, False)
    """
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


@dataclass(frozen=True)
class ServiceConfig:
    """How a service runs.

    Attributes
    ----------
    keys
        A keys file (one ``ADVISER_ID SHA256_HEX`` line per key; see :func:`add_key`). Required
        unless `insecure_local`.
    insecure_local
        No keys at all: for one person on a laptop. Refused unless the service binds to a
        loopback address (see :func:`labourint_match.service.run`).
    candidates, vacancies
        The cohort the adviser page shows and plans: JSON Lines or JSON array files, or folders of
        ``*.jsonl`` shards (as ``labourint-match synth`` writes). Reloaded by ``POST /reload``.
    database
        The SQLite file that keeps plans and overrides (created if missing).
    decision_log
        The decision log each plan appends to (docs/placement.md).
    scoring
        The scoring configuration; its ``as_of`` fixes the day eligibility is checked against.
    limits
        What one request may ask (:class:`Limits`).
    lang
        The adviser page's language when the browser asks for none of the bundled ones.
    """

    database: Path
    decision_log: Path
    keys: Path | None = None
    insecure_local: bool = False
    candidates: Path | None = None
    vacancies: Path | None = None
    scoring: ScoringConfig = field(default_factory=lambda: ScoringConfig(as_of=date.today()))
    limits: Limits = DEFAULT_LIMITS
    lang: str = "en"

    def __post_init__(self) -> None:
        if self.keys is not None and self.insecure_local:
            raise ConfigError("give a keys file or insecure_local=True, not both")
        if self.keys is None and not self.insecure_local:
            raise ConfigError(
                "the service needs a keys file (keys=…; make one with `labourint-match key`) "
                "or insecure_local=True for a loopback-only laptop setup"
            )
        if (self.candidates is None) != (self.vacancies is None):
            raise ConfigError("give both candidates and vacancies, or neither")
