"""The service's database: adviser overrides, saved plans and page sessions, in one SQLite file.

Nothing is kept only in memory: every override, plan and login session is written to the file
before the request that made it is answered, so a restarted service (or a second process on the
same file) sees them. The file holds pseudonymous ids, scores, the advisers' ids and the reasons
they typed, and hashes of session tokens; never profile content.

Concurrency: the service answers requests from a thread pool. Each operation opens its own
connection (cheap for SQLite), runs one short transaction — ``BEGIN IMMEDIATE`` for writes, so
two writers queue on the database lock instead of failing half-way — and closes it. The file is
in WAL mode, so readers never wait for a writer, and every connection waits up to
`busy_timeout_s` for a lock before giving up with :class:`~labourint_match.errors.ConfigError`.

The schema's version is SQLite's ``PRAGMA user_version``: 0 for a new, empty file (created),
:data:`SCHEMA_VERSION` for an up-to-date one; older versions are migrated forward one step at a
time in one transaction; a newer version (written by a newer library) is refused.
"""

from __future__ import annotations

import hashlib
import os
import secrets
import sqlite3
from collections.abc import Callable, Collection, Container, Iterator
from contextlib import closing, contextmanager
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import TYPE_CHECKING, Final, Literal

from ..errors import ConfigError
from ..profiles import MAX_TEXT_LENGTH

if TYPE_CHECKING:
    from ..assignment.result import Assignment

__all__ = [
    "SCHEMA_VERSION",
    "OverrideConflictError",
    "OverrideRecord",
    "VacancyFullError",
    "PlannedPair",
    "CandidatePlacement",
    "Session",
    "Store",
    "StoredPlan",
]

Action = Literal["fix", "forbid"]

_APPLICATION_ID: Final = 0x4C4D5331  # "LMS1": marks the file as ours
_MAX_REASON: Final = MAX_TEXT_LENGTH  # an Override's limit: a stored reason always re-plans

# One script per version: _MIGRATIONS[n] takes a database from version n to n + 1.
_MIGRATIONS: Final[tuple[str, ...]] = (
    """
    CREATE TABLE overrides (
        id            INTEGER PRIMARY KEY,
        candidate_id  TEXT NOT NULL,
        vacancy_id    TEXT NOT NULL,
        action        TEXT NOT NULL CHECK (action IN ('fix', 'forbid')),
        reason        TEXT NOT NULL,
        adviser       TEXT NOT NULL,
        created_at    TEXT NOT NULL,
        withdrawn_at  TEXT,
        withdrawn_by  TEXT
    );
    -- The rules add_override checks, held by the database too: one active override per pair
    -- (a pair is never both fixed and forbidden), one active fix per candidate.
    CREATE UNIQUE INDEX overrides_active_pair ON overrides (candidate_id, vacancy_id)
        WHERE withdrawn_at IS NULL;
    CREATE UNIQUE INDEX overrides_active_fix ON overrides (candidate_id)
        WHERE withdrawn_at IS NULL AND action = 'fix';
    CREATE TABLE plans (
        id            INTEGER PRIMARY KEY,
        run_id        TEXT NOT NULL,
        created_at    TEXT NOT NULL,
        adviser       TEXT NOT NULL,
        method        TEXT NOT NULL,
        total_score   REAL NOT NULL,
        n_candidates  INTEGER NOT NULL,
        n_unassigned  INTEGER NOT NULL
    );
    CREATE TABLE plan_pairs (
        plan_id       INTEGER NOT NULL REFERENCES plans (id) ON DELETE CASCADE,
        candidate_id  TEXT NOT NULL,
        vacancy_id    TEXT NOT NULL,
        score         REAL NOT NULL,
        fixed         INTEGER NOT NULL CHECK (fixed IN (0, 1)),
        PRIMARY KEY (plan_id, candidate_id)
    );
    CREATE TABLE sessions (
        token_hash    TEXT PRIMARY KEY,
        adviser       TEXT NOT NULL,
        csrf          TEXT NOT NULL,
        created_at    TEXT NOT NULL,
        expires_at    TEXT NOT NULL
    );
    CREATE INDEX sessions_expiry ON sessions (expires_at);
    """,
)

SCHEMA_VERSION: Final = len(_MIGRATIONS)
"""The schema version this library writes (``PRAGMA user_version``)."""


class OverrideConflictError(ConfigError):
    """An override contradicts one already in force (or repeats it).

    Attributes
    ----------
    candidate_id, vacancy_id : str
        The pair that was refused.
    existing : int
        The id of the active override it conflicts with.
    """

    def __init__(self, message: str, *, candidate_id: str, vacancy_id: str, existing: int) -> None:
        super().__init__(message)
        self.candidate_id = candidate_id
        self.vacancy_id = vacancy_id
        self.existing = existing


class VacancyFullError(OverrideConflictError):
    """A fix would put more people on a vacancy than it has openings.

    Attributes
    ----------
    openings : int
        The vacancy's openings.
    fixed : tuple[int, ...]
        The ids of the active fixes that already take them (`existing` is the latest).
    """

    def __init__(
        self, message: str, *, candidate_id: str, vacancy_id: str, openings: int,
        fixed: tuple[int, ...],
    ) -> None:  # fmt: skip
        super().__init__(message, candidate_id=candidate_id, vacancy_id=vacancy_id,
                         existing=fixed[-1] if fixed else 0)  # fmt: skip
        self.openings = openings
        self.fixed = fixed


@dataclass(frozen=True)
class OverrideRecord:
    """One stored override: an adviser fixed or forbade a pair, with a reason.

    ``withdrawn_at`` is ``None`` while it is in force.
    """

    id: int
    candidate_id: str
    vacancy_id: str
    action: Action
    reason: str
    adviser: str
    created_at: datetime
    withdrawn_at: datetime | None = None
    withdrawn_by: str | None = None

    @property
    def active(self) -> bool:
        """Whether it is in force (not withdrawn)."""
        return self.withdrawn_at is None


@dataclass(frozen=True)
class PlannedPair:
    """A pair placed by a saved plan, with its score and whether an adviser fixed it."""

    candidate_id: str
    vacancy_id: str
    score: float
    fixed: bool


@dataclass(frozen=True)
class StoredPlan:
    """A saved placement: who saved it, when, how, and its placed pairs (by candidate id)."""

    id: int
    run_id: str
    created_at: datetime
    adviser: str
    method: str
    total_score: float
    n_candidates: int
    n_unassigned: int
    pairs: tuple[PlannedPair, ...]


@dataclass(frozen=True)
class CandidatePlacement:
    """A candidate's place in the latest plan: the plan, and their pair (``None``: unplaced)."""

    plan_id: int
    run_id: str
    created_at: datetime
    pair: PlannedPair | None


@dataclass(frozen=True)
class Session:
    """A logged-in adviser's page session.

    `token` (the cookie's value) is known only when the session is opened: the database keeps
    its SHA-256. `csrf` is the token every form of the session must send back.
    """

    adviser: str
    csrf: str
    expires_at: datetime
    token: str | None = None


def _now() -> datetime:
    return datetime.now(timezone.utc)


def _iso(t: datetime) -> str:
    return t.astimezone(timezone.utc).isoformat(timespec="microseconds")


def _time(text: str) -> datetime:
    return datetime.fromisoformat(text)


def _token_hash(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def _checked_text(value: object, name: str, limit: int) -> str:
    if not isinstance(value, str):
        raise ConfigError(f"{name} must be a string, not {type(value).__name__}")
    text = value.strip()
    if not text:
        raise ConfigError(f"{name} must not be empty")
    if len(text) > limit:
        raise ConfigError(f"{name} must be at most {limit} characters (got {len(text)})")
    return text


def _override(row: sqlite3.Row) -> OverrideRecord:
    return OverrideRecord(
        id=int(row["id"]),
        candidate_id=row["candidate_id"],
        vacancy_id=row["vacancy_id"],
        action=row["action"],
        reason=row["reason"],
        adviser=row["adviser"],
        created_at=_time(row["created_at"]),
        withdrawn_at=None if row["withdrawn_at"] is None else _time(row["withdrawn_at"]),
        withdrawn_by=row["withdrawn_by"],
    )


def _pair(row: sqlite3.Row) -> PlannedPair:
    return PlannedPair(
        row["candidate_id"], row["vacancy_id"], float(row["score"]), bool(row["fixed"])
    )


class Store:
    """Overrides, plans and sessions in a SQLite file (created and migrated when opened).

    Parameters
    ----------
    path
        The database file. Its directory must exist; the file is created if missing.
    busy_timeout_s
        How long an operation waits for another's lock before it fails.
    clock
        Returns the current time (UTC); for tests. Default: the system clock.

    Raises
    ------
    ConfigError
        The file is not a SQLite database, is another application's database, was written by a
        newer version of this library (its schema version is above :data:`SCHEMA_VERSION`), or
        cannot be opened or migrated.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> folder = pathlib.Path(tempfile.mkdtemp())
    >>> store = Store(folder / "service.sqlite")
    >>> o = store.add_override("c1", "v2", "forbid", reason="too far to travel", adviser="a1")
    >>> [(x.candidate_id, x.vacancy_id, x.action) for x in store.active_overrides()]
    [('c1', 'v2', 'forbid')]
    >>> store.withdraw_override(o.id, adviser="a1").active
    False
    >>> Store(folder / "service.sqlite").active_overrides()
    []
    """

    def __init__(
        self,
        path: str | os.PathLike[str],
        *,
        busy_timeout_s: float = 10.0,
        clock: Callable[[], datetime] | None = None,
    ) -> None:
        self.path = Path(path)
        self.busy_timeout_s = float(busy_timeout_s)
        self._clock = clock or _now
        self._migrate()

    def __repr__(self) -> str:
        return f"Store({str(self.path)!r})"

    # -- connections ---------------------------------------------------------------------------

    @contextmanager
    def _connect(self) -> Iterator[sqlite3.Connection]:
        try:
            conn = sqlite3.connect(
                self.path, timeout=self.busy_timeout_s, isolation_level=None,
                check_same_thread=True,
            )  # fmt: skip
        except sqlite3.Error as exc:
            raise ConfigError(
                f"cannot open the database {str(self.path)!r}: {exc.__class__.__name__}"
            ) from None
        with closing(conn):
            conn.row_factory = sqlite3.Row
            conn.execute("PRAGMA foreign_keys = ON")
            yield conn

    @contextmanager
    def _transaction(self, write: bool) -> Iterator[sqlite3.Connection]:
        """One short transaction: ``BEGIN IMMEDIATE`` to write, ``BEGIN`` to read consistently."""
        with self._connect() as conn:
            try:
                conn.execute("BEGIN IMMEDIATE" if write else "BEGIN")
            except sqlite3.OperationalError as exc:
                raise ConfigError(
                    f"the database {str(self.path)!r} is busy or unreadable "
                    f"({exc.__class__.__name__}); try again"
                ) from None
            try:
                yield conn
            except BaseException:
                conn.rollback()
                raise
            else:
                conn.commit()

    def _migrate(self) -> None:
        where = repr(str(self.path))
        try:
            with self._connect() as conn:
                # Refuse another application's file (or a newer schema) before changing anything
                # in it: switching to WAL rewrites the header, so it comes after these checks.
                self._check_ours(conn)
                mode = conn.execute("PRAGMA journal_mode = WAL").fetchone()[0]
                if str(mode).lower() != "wal":  # pragma: no cover - e.g. a read-only medium
                    raise ConfigError(f"the database {where} cannot use WAL mode ({mode})")
                conn.execute("BEGIN IMMEDIATE")
                try:
                    version = self._check_ours(conn)  # again, now that the file is locked
                    for step in range(version, SCHEMA_VERSION):
                        for statement in _statements(_MIGRATIONS[step]):
                            conn.execute(statement)
                        conn.execute(f"PRAGMA user_version = {step + 1}")
                    conn.execute(f"PRAGMA application_id = {_APPLICATION_ID}")
                except BaseException:
                    conn.rollback()
                    raise
                conn.commit()
        except sqlite3.DatabaseError as exc:
            raise ConfigError(
                f"{where} is not a usable SQLite database ({exc.__class__.__name__}: {exc})"
            ) from None

    def _check_ours(self, conn: sqlite3.Connection) -> int:
        """The file's schema version; refuse a newer one, or another application's file."""
        where = repr(str(self.path))
        version = int(conn.execute("PRAGMA user_version").fetchone()[0])
        app = int(conn.execute("PRAGMA application_id").fetchone()[0])
        if version > SCHEMA_VERSION:
            raise ConfigError(
                f"the database {where} has schema version {version}, newer than this "
                f"library's {SCHEMA_VERSION}: it was written by a newer "
                "labourint-match; upgrade labourint-match, or use another file"
            )
        sql = "SELECT count(*) FROM sqlite_master WHERE type = 'table'"
        tables = int(conn.execute(sql).fetchone()[0])
        if (app != _APPLICATION_ID and (version or app)) or (version == 0 and tables):
            raise ConfigError(
                f"the database {where} belongs to another application (it holds "
                "tables this library did not write): name a new file"
            )
        return version

    @property
    def schema_version(self) -> int:
        """The file's schema version (``PRAGMA user_version``)."""
        with self._connect() as conn:
            return int(conn.execute("PRAGMA user_version").fetchone()[0])

    # -- overrides -----------------------------------------------------------------------------

    def add_override(
        self,
        candidate_id: str,
        vacancy_id: str,
        action: Action,
        *,
        reason: str,
        adviser: str,
        openings: int | None = None,
        counted: Container[str] | None = None,
    ) -> OverrideRecord:
        """Record an override in force from now: fix (place) or forbid the pair, with a reason.

        Parameters
        ----------
        candidate_id, vacancy_id
            The pair.
        action
            ``"fix"`` or ``"forbid"``.
        reason
            Why (stripped; at most :data:`~labourint_match.profiles.MAX_TEXT_LENGTH`
            characters, an :class:`~labourint_match.assignment.Override`'s limit).
        adviser
            Who decides.
        openings
            For a fix: the vacancy's openings. A fix is refused when the vacancy's active fixes
            already take them all (checked in the same transaction as the insert). ``None``:
            not checked.
        counted
            The candidate ids whose fixes count against `openings` (those of the loaded
            cohort; a re-plan applies no others). ``None``: every active fix on the vacancy.

        Raises
        ------
        ConfigError
            `action` is not ``"fix"`` or ``"forbid"``; an id, the reason or the adviser is
            empty or too long.
        OverrideConflictError
            An active override already covers the pair (it would be both fixed and forbidden,
            or repeated), or `action` is ``"fix"`` and the candidate is already fixed to
            another vacancy. Withdraw that one first.
        VacancyFullError
            `action` is ``"fix"`` and the vacancy's `openings` are all taken by active fixes.
        """
        if action not in ("fix", "forbid"):
            raise ConfigError(f"action must be 'fix' or 'forbid', not {str(action)[:20]!r}")
        cand = _checked_text(candidate_id, "candidate_id", 200)
        vac = _checked_text(vacancy_id, "vacancy_id", 200)
        why = _checked_text(reason, "reason", _MAX_REASON)
        who = _checked_text(adviser, "adviser", 64)
        with self._transaction(write=True) as conn:
            same = conn.execute(
                "SELECT id, action FROM overrides WHERE candidate_id = ? AND vacancy_id = ? "
                "AND withdrawn_at IS NULL",
                (cand, vac),
            ).fetchone()
            if same is not None:
                what = "fixed" if same["action"] == "fix" else "forbidden"
                raise OverrideConflictError(
                    f"the pair (candidate {cand!r}, vacancy {vac!r}) is already {what} by "
                    f"override {same['id']}: withdraw it first",
                    candidate_id=cand, vacancy_id=vac, existing=int(same["id"]),
                )  # fmt: skip
            if action == "fix":
                other = conn.execute(
                    "SELECT id, vacancy_id FROM overrides WHERE candidate_id = ? "
                    "AND action = 'fix' AND withdrawn_at IS NULL",
                    (cand,),
                ).fetchone()
                if other is not None:
                    raise OverrideConflictError(
                        f"candidate {cand!r} is already fixed to vacancy {other['vacancy_id']!r} "
                        f"by override {other['id']}; a person takes at most one: withdraw it "
                        "first",
                        candidate_id=cand, vacancy_id=vac, existing=int(other["id"]),
                    )  # fmt: skip
                if openings is not None:
                    taken = tuple(
                        int(r["id"]) for r in conn.execute(
                            "SELECT id, candidate_id FROM overrides WHERE vacancy_id = ? "
                            "AND action = 'fix' AND withdrawn_at IS NULL ORDER BY id",
                            (vac,),
                        ) if counted is None or r["candidate_id"] in counted
                    )  # fmt: skip
                    if len(taken) >= openings:
                        listed = ", ".join(map(str, taken)) or "none"
                        raise VacancyFullError(
                            f"vacancy {vac!r} has {openings} opening(s), all taken by fixed pairs "
                            f"(overrides {listed}): withdraw one first",
                            candidate_id=cand, vacancy_id=vac, openings=openings, fixed=taken,
                        )  # fmt: skip
            created = _iso(self._clock())
            cur = conn.execute(
                "INSERT INTO overrides (candidate_id, vacancy_id, action, reason, adviser, "
                "created_at) VALUES (?, ?, ?, ?, ?, ?)",
                (cand, vac, action, why, who, created),
            )
            row = conn.execute("SELECT * FROM overrides WHERE id = ?", (cur.lastrowid,)).fetchone()
        return _override(row)

    def active_overrides(self, candidate_id: str | None = None) -> list[OverrideRecord]:
        """The overrides in force (all, or one candidate's), oldest first."""
        sql = "SELECT * FROM overrides WHERE withdrawn_at IS NULL"
        args: tuple[str, ...] = ()
        if candidate_id is not None:
            sql += " AND candidate_id = ?"
            args = (candidate_id,)
        with self._transaction(write=False) as conn:
            rows = conn.execute(sql + " ORDER BY id", args).fetchall()
        return [_override(r) for r in rows]

    def override(self, override_id: int) -> OverrideRecord | None:
        """One override by id, withdrawn or not; ``None`` if there is none."""
        with self._transaction(write=False) as conn:
            row = conn.execute("SELECT * FROM overrides WHERE id = ?", (override_id,)).fetchone()
        return None if row is None else _override(row)

    def withdraw_override(self, override_id: int, *, adviser: str) -> OverrideRecord:
        """Take an override out of force (it stays in the file, marked withdrawn by `adviser`).

        Raises
        ------
        ConfigError
            No override has this id, or it is already withdrawn.
        """
        who = _checked_text(adviser, "adviser", 64)
        with self._transaction(write=True) as conn:
            cur = conn.execute(
                "UPDATE overrides SET withdrawn_at = ?, withdrawn_by = ? "
                "WHERE id = ? AND withdrawn_at IS NULL",
                (_iso(self._clock()), who, override_id),
            )
            row = conn.execute("SELECT * FROM overrides WHERE id = ?", (override_id,)).fetchone()
        if row is None:
            raise ConfigError(f"no override with id {override_id}")
        if cur.rowcount == 0:
            raise ConfigError(f"override {override_id} is already withdrawn")
        return _override(row)

    # -- plans ---------------------------------------------------------------------------------

    def save_plan(self, assignment: Assignment, *, adviser: str) -> StoredPlan:
        """Keep a placement: its run id, method, total score and placed pairs.

        A pair counts as fixed when it is among the assignment's ``fixed`` overrides.
        """
        who = _checked_text(adviser, "adviser", 64)
        fixed = {(o.candidate_id, o.vacancy_id) for o in getattr(assignment, "fixed", ())}
        pairs = tuple(
            PlannedPair(p.candidate_id, p.vacancy_id, float(p.score),
                        (p.candidate_id, p.vacancy_id) in fixed)
            for p in assignment.pairs
        )  # fmt: skip
        created = self._clock()
        with self._transaction(write=True) as conn:
            cur = conn.execute(
                "INSERT INTO plans (run_id, created_at, adviser, method, total_score, "
                "n_candidates, n_unassigned) VALUES (?, ?, ?, ?, ?, ?, ?)",
                (assignment.run_id, _iso(created), who, assignment.method,
                 float(assignment.total_score), int(assignment.n_candidates),
                 len(assignment.unassigned)),
            )  # fmt: skip
            plan_id = int(cur.lastrowid or 0)
            conn.executemany(
                "INSERT INTO plan_pairs (plan_id, candidate_id, vacancy_id, score, fixed) "
                "VALUES (?, ?, ?, ?, ?)",
                [(plan_id, p.candidate_id, p.vacancy_id, p.score, int(p.fixed)) for p in pairs],
            )
        return StoredPlan(
            plan_id, assignment.run_id, _time(_iso(created)), who, assignment.method,
            float(assignment.total_score), int(assignment.n_candidates),
            len(assignment.unassigned), pairs,
        )  # fmt: skip

    def latest_plan(self) -> StoredPlan | None:
        """The plan saved last, or ``None`` when none has been saved."""
        with self._transaction(write=False) as conn:
            row = conn.execute("SELECT * FROM plans ORDER BY id DESC LIMIT 1").fetchone()
            if row is None:
                return None
            rows = conn.execute(
                "SELECT * FROM plan_pairs WHERE plan_id = ? ORDER BY candidate_id", (row["id"],)
            ).fetchall()
        return StoredPlan(
            id=int(row["id"]),
            run_id=row["run_id"],
            created_at=_time(row["created_at"]),
            adviser=row["adviser"],
            method=row["method"],
            total_score=float(row["total_score"]),
            n_candidates=int(row["n_candidates"]),
            n_unassigned=int(row["n_unassigned"]),
            pairs=tuple(_pair(r) for r in rows),
        )

    def latest_placement(self, candidate_id: str) -> CandidatePlacement | None:
        """Where the latest plan puts a candidate; ``None`` when no plan has been saved."""
        with self._transaction(write=False) as conn:
            plan = conn.execute(
                "SELECT id, run_id, created_at FROM plans ORDER BY id DESC LIMIT 1"
            ).fetchone()
            if plan is None:
                return None
            r = conn.execute(
                "SELECT * FROM plan_pairs WHERE plan_id = ? AND candidate_id = ?",
                (plan["id"], candidate_id),
            ).fetchone()
        pair = None if r is None else _pair(r)
        return CandidatePlacement(int(plan["id"]), plan["run_id"], _time(plan["created_at"]), pair)

    # -- sessions ------------------------------------------------------------------------------

    def open_session(self, adviser: str, *, ttl: timedelta = timedelta(hours=8)) -> Session:
        """Start a page session for `adviser`: a random token (for the cookie) and CSRF token.

        Only the token's SHA-256 is stored; expired sessions are removed on the way.
        """
        who = _checked_text(adviser, "adviser", 64)
        token = secrets.token_urlsafe(32)
        csrf = secrets.token_urlsafe(32)
        now = self._clock()
        expires = now + ttl
        with self._transaction(write=True) as conn:
            conn.execute("DELETE FROM sessions WHERE expires_at <= ?", (_iso(now),))
            conn.execute(
                "INSERT INTO sessions (token_hash, adviser, csrf, created_at, expires_at) "
                "VALUES (?, ?, ?, ?, ?)",
                (_token_hash(token), who, csrf, _iso(now), _iso(expires)),
            )
        return Session(who, csrf, _time(_iso(expires)), token)

    def session(self, token: str) -> Session | None:
        """The unexpired session of a cookie's token, or ``None``."""
        if not isinstance(token, str) or not token or len(token) > 200:
            return None
        with self._transaction(write=False) as conn:
            row = conn.execute(
                "SELECT adviser, csrf, expires_at FROM sessions WHERE token_hash = ? "
                "AND expires_at > ?",
                (_token_hash(token), _iso(self._clock())),
            ).fetchone()
        if row is None:
            return None
        return Session(row["adviser"], row["csrf"], _time(row["expires_at"]))

    def close_sessions_except(self, advisers: Collection[str]) -> int:
        """End every session of an adviser not in `advisers` (whose key was revoked).

        Returns
        -------
        int
            The number of sessions ended.
        """
        keep = frozenset(advisers)
        with self._transaction(write=True) as conn:
            rows = conn.execute("SELECT token_hash, adviser FROM sessions").fetchall()
            gone = [(r["token_hash"],) for r in rows if r["adviser"] not in keep]
            conn.executemany("DELETE FROM sessions WHERE token_hash = ?", gone)
        return len(gone)

    def close_session(self, token: str) -> None:
        """End a session (log out); nothing happens if it does not exist."""
        if not isinstance(token, str) or not token:
            return
        with self._transaction(write=True) as conn:
            conn.execute("DELETE FROM sessions WHERE token_hash = ?", (_token_hash(token),))


def _statements(script: str) -> Iterator[str]:
    """The statements of a migration script (``executescript`` would commit on its own)."""
    buffer = ""
    for line in script.splitlines(keepends=True):
        if line.strip().startswith("--"):
            continue
        buffer += line
        if sqlite3.complete_statement(buffer):
            if buffer.strip():
                yield buffer.strip()
            buffer = ""
    if buffer.strip():  # pragma: no cover - the scripts end with a statement
        yield buffer.strip()
