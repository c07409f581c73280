"""The service's SQLite store: schema versions, override rules, plans, sessions, threads."""

from __future__ import annotations

import sqlite3
import threading
from datetime import date, datetime, timedelta, timezone
from pathlib import Path

import pytest

from labourint_match import Matcher, ScoringConfig, Taxonomy, synth
from labourint_match.errors import ConfigError
from labourint_match.profiles import MAX_TEXT_LENGTH
from labourint_match.service._store import (
    SCHEMA_VERSION,
    OverrideConflictError,
    Store,
    VacancyFullError,
)


@pytest.fixture
def db(tmp_path: Path) -> Path:
    return tmp_path / "service.sqlite"


def _version(path: Path) -> int:
    with sqlite3.connect(path) as conn:
        return int(conn.execute("PRAGMA user_version").fetchone()[0])


def test_a_new_file_gets_the_current_schema_in_wal_mode(db: Path) -> None:
    store = Store(db)
    assert store.schema_version == SCHEMA_VERSION == _version(db)
    with sqlite3.connect(db) as conn:
        assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")}
    assert {"overrides", "plans", "plan_pairs", "sessions"} <= tables


def test_an_empty_version_0_database_is_migrated(db: Path) -> None:
    sqlite3.connect(db).close()  # an existing, empty SQLite file: version 0, no tables
    assert db.exists()
    assert _version(db) == 0
    Store(db).add_override("c1", "v1", "forbid", reason="too far", adviser="a1")
    assert _version(db) == SCHEMA_VERSION


def test_opening_again_keeps_the_data_and_the_version(db: Path) -> None:
    Store(db).add_override("c1", "v1", "fix", reason="agreed", adviser="a1")
    again = Store(db)
    assert again.schema_version == SCHEMA_VERSION
    assert [(o.candidate_id, o.action) for o in again.active_overrides()] == [("c1", "fix")]


def test_a_newer_schema_version_is_refused_and_left_untouched(db: Path) -> None:
    Store(db)
    with sqlite3.connect(db) as conn:
        conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
    with pytest.raises(ConfigError, match=r"schema version \d+, newer than this library's"):
        Store(db)
    assert _version(db) == SCHEMA_VERSION + 1


def test_another_applications_database_is_refused(db: Path) -> None:
    with sqlite3.connect(db) as conn:
        conn.execute("CREATE TABLE customers (name TEXT)")
    with pytest.raises(ConfigError, match="another application"):
        Store(db)


def _journal_mode(path: Path) -> str:
    conn = sqlite3.connect(path)
    try:
        return str(conn.execute("PRAGMA journal_mode").fetchone()[0])
    finally:
        conn.close()


@pytest.mark.parametrize("whose", ["another application", "a newer library"])
def test_a_refused_file_is_left_unchanged(db: Path, whose: str) -> None:
    conn = sqlite3.connect(db)
    if whose == "another application":
        conn.execute("CREATE TABLE customers (name TEXT)")
        conn.execute("INSERT INTO customers VALUES ('someone')")
    else:
        conn.execute(f"PRAGMA application_id = {0x4C4D5331}")
        conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
    conn.commit()
    conn.close()
    before = db.read_bytes()
    assert _journal_mode(db) == "delete"
    with pytest.raises(ConfigError, match=r"another application|newer than this library"):
        Store(db)
    assert db.read_bytes() == before  # the old store switched it to WAL before refusing it
    assert _journal_mode(db) == "delete"
    assert not db.with_name(db.name + "-wal").exists()


def test_a_file_that_is_not_sqlite_is_refused(db: Path) -> None:
    db.write_bytes(b"this is not a database, just some text " * 50)
    with pytest.raises(ConfigError, match="not a usable SQLite database"):
        Store(db)


def test_a_missing_directory_is_a_config_error(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="cannot open the database"):
        Store(tmp_path / "no-such-folder" / "db.sqlite")


def test_a_pair_cannot_be_both_fixed_and_forbidden(db: Path) -> None:
    store = Store(db)
    first = store.add_override("c1", "v1", "fix", reason="trial day went well", adviser="a1")
    with pytest.raises(OverrideConflictError, match="already fixed by override") as err:
        store.add_override("c1", "v1", "forbid", reason="changed mind", adviser="a2")
    assert (err.value.candidate_id, err.value.vacancy_id, err.value.existing) == (
        "c1",
        "v1",
        first.id,
    )
    with pytest.raises(OverrideConflictError, match="already fixed"):
        store.add_override("c1", "v1", "fix", reason="again", adviser="a1")
    assert [o.id for o in store.active_overrides()] == [first.id]


def test_a_candidate_cannot_be_fixed_to_two_vacancies(db: Path) -> None:
    store = Store(db)
    store.add_override("c1", "v1", "fix", reason="agreed", adviser="a1")
    with pytest.raises(OverrideConflictError, match="already fixed to vacancy 'v1'"):
        store.add_override("c1", "v2", "fix", reason="other", adviser="a1")
    # forbidding other vacancies of a fixed candidate is no contradiction
    store.add_override("c1", "v2", "forbid", reason="too far", adviser="a1")
    assert len(store.active_overrides("c1")) == 2


def test_a_withdrawn_override_frees_the_pair_and_stays_on_record(db: Path) -> None:
    store = Store(db)
    fix = store.add_override("c1", "v1", "fix", reason="agreed", adviser="a1")
    gone = store.withdraw_override(fix.id, adviser="a2")
    assert not gone.active
    assert gone.withdrawn_by == "a2"
    assert store.active_overrides() == []
    store.add_override("c1", "v1", "forbid", reason="employer declined", adviser="a2")
    store.add_override("c1", "v3", "fix", reason="new agreement", adviser="a2")
    kept = store.override(fix.id)
    assert kept is not None
    assert kept.reason == "agreed"
    assert not kept.active
    with pytest.raises(ConfigError, match="already withdrawn"):
        store.withdraw_override(fix.id, adviser="a1")
    with pytest.raises(ConfigError, match="no override with id 999"):
        store.withdraw_override(999, adviser="a1")


def test_bad_override_values_are_config_errors(db: Path) -> None:
    store = Store(db)
    with pytest.raises(ConfigError, match="action must be"):
        store.add_override("c1", "v1", "allow", reason="x", adviser="a1")  # type: ignore[arg-type]
    with pytest.raises(ConfigError, match="reason must not be empty"):
        store.add_override("c1", "v1", "fix", reason="   ", adviser="a1")
    with pytest.raises(ConfigError, match="reason must be at most"):
        store.add_override("c1", "v1", "fix", reason="x" * 5000, adviser="a1")
    assert store.active_overrides() == []


def test_the_database_enforces_the_rules_even_without_the_checks(db: Path) -> None:
    Store(db).add_override("c1", "v1", "fix", reason="agreed", adviser="a1")
    with sqlite3.connect(db) as conn, pytest.raises(sqlite3.IntegrityError):
        conn.execute(
            "INSERT INTO overrides (candidate_id, vacancy_id, action, reason, adviser, "
            "created_at) VALUES ('c1', 'v2', 'fix', 'r', 'a', 'now')"
        )


def test_many_threads_add_and_read_overrides_without_losing_any(db: Path) -> None:
    store = Store(db)
    errors: list[BaseException] = []
    start = threading.Barrier(16)

    def work(t: int) -> None:
        try:
            start.wait()
            for i in range(15):
                store.add_override(f"c{t}-{i}", "v1", "forbid", reason=f"r{i}", adviser=f"a{t}")
                store.active_overrides()
                store.latest_plan()
        except BaseException as exc:  # pragma: no cover - reported below
            errors.append(exc)

    threads = [threading.Thread(target=work, args=(t,)) for t in range(16)]
    for th in threads:
        th.start()
    for th in threads:
        th.join()
    assert errors == []
    assert len(Store(db).active_overrides()) == 16 * 15


def test_racing_fixes_of_one_candidate_leave_exactly_one(db: Path) -> None:
    store = Store(db)
    won: list[int] = []
    refused: list[int] = []
    start = threading.Barrier(12)

    def work(t: int) -> None:
        start.wait()
        try:
            store.add_override("c1", f"v{t}", "fix", reason="race", adviser="a1")
            won.append(t)
        except OverrideConflictError:
            refused.append(t)

    threads = [threading.Thread(target=work, args=(t,)) for t in range(12)]
    for th in threads:
        th.start()
    for th in threads:
        th.join()
    assert len(won) == 1
    assert len(refused) == 11
    assert [o.vacancy_id for o in store.active_overrides()] == [f"v{won[0]}"]


@pytest.fixture(scope="module")
def planned() -> tuple[Matcher, tuple, tuple]:  # type: ignore[type-arg]
    taxonomy = Taxonomy.default()
    people, jobs = synth.cohort(taxonomy, 30, 10, seed=3, as_of=date(2026, 1, 1))
    return Matcher(taxonomy, ScoringConfig(as_of=date(2026, 1, 1))), people, jobs


def test_a_saved_plan_is_the_latest_and_survives_a_new_store(db: Path, planned: tuple) -> None:  # type: ignore[type-arg]
    matcher, people, jobs = planned
    store = Store(db)
    assert store.latest_plan() is None
    assert store.latest_placement("c000001") is None
    first = store.save_plan(matcher.assign(people, jobs), adviser="a1")
    plan = matcher.assign(people, jobs, "stable")
    second = store.save_plan(plan, adviser="a2")
    latest = Store(db).latest_plan()
    assert latest is not None
    assert latest.id == second.id != first.id
    assert latest == second
    assert (latest.run_id, latest.method, latest.adviser) == (plan.run_id, "stable", "a2")
    assert latest.total_score == pytest.approx(plan.total_score)
    assert [(p.candidate_id, p.vacancy_id) for p in latest.pairs] == [
        (p.candidate_id, p.vacancy_id) for p in plan.pairs
    ]
    assert latest.n_unassigned == len(plan.unassigned)
    placed = plan.pairs[0]
    where = store.latest_placement(placed.candidate_id)
    assert where is not None
    assert where.plan_id == second.id
    assert where.pair is not None
    assert where.pair.vacancy_id == placed.vacancy_id
    if plan.unassigned:
        nowhere = store.latest_placement(plan.unassigned[0].candidate_id)
        assert nowhere is not None
        assert nowhere.pair is None


def test_a_plan_marks_the_pairs_an_adviser_fixed(db: Path, planned: tuple) -> None:  # type: ignore[type-arg]
    from labourint_match.assignment.overrides import Override

    matcher, people, jobs = planned
    free = matcher.assign(people, jobs)
    # fix someone on an eligible pair the free plan did not choose for them
    ranking = matcher.rank(people, jobs, 10)
    choice = None
    for p in free.pairs:
        for m in ranking.for_candidate(p.candidate_id):
            if m.eligible and m.vacancy_id != p.vacancy_id:
                choice = (p.candidate_id, m.vacancy_id)
                break
        if choice:
            break
    assert choice is not None
    keep = Override(candidate_id=choice[0], vacancy_id=choice[1], reason="agreed", adviser="a1")
    plan = matcher.assign(people, jobs, fixed=[keep])
    saved = Store(db).save_plan(plan, adviser="a1")
    fixed = [(p.candidate_id, p.vacancy_id) for p in saved.pairs if p.fixed]
    assert fixed == [choice]


def test_sessions_store_only_a_hash_and_expire(db: Path) -> None:
    now = [datetime(2026, 1, 1, 9, tzinfo=timezone.utc)]
    store = Store(db, clock=lambda: now[0])
    s = store.open_session("adviser-1", ttl=timedelta(hours=1))
    assert s.token
    assert s.csrf
    assert s.token != s.csrf
    with sqlite3.connect(db) as conn:
        dump = "\n".join(conn.iterdump())
    assert s.token not in dump
    found = Store(db, clock=lambda: now[0]).session(s.token)
    assert found is not None
    assert (found.adviser, found.csrf) == ("adviser-1", s.csrf)
    assert store.session("not-a-token") is None
    now[0] += timedelta(hours=2)
    assert store.session(s.token) is None
    t = store.open_session("adviser-1")
    store.close_session(t.token or "")
    assert store.session(t.token or "") is None


def test_a_reason_has_the_override_models_limit(db: Path) -> None:
    store = Store(db)
    store.add_override("c1", "v1", "forbid", reason="r" * MAX_TEXT_LENGTH, adviser="a1")
    with pytest.raises(ConfigError, match=f"at most {MAX_TEXT_LENGTH} characters"):
        store.add_override("c2", "v1", "forbid", reason="r" * (MAX_TEXT_LENGTH + 1),
                           adviser="a1")  # fmt: skip


def test_a_fix_beyond_the_vacancys_openings_is_refused(db: Path) -> None:
    store = Store(db)
    first = store.add_override("c1", "v1", "fix", reason="r", adviser="a1", openings=2)
    second = store.add_override("c2", "v1", "fix", reason="r", adviser="a1", openings=2)
    with pytest.raises(VacancyFullError, match="has 2 opening") as caught:
        store.add_override("c3", "v1", "fix", reason="r", adviser="a1", openings=2)
    assert caught.value.fixed == (first.id, second.id)
    assert caught.value.openings == 2
    assert isinstance(caught.value, OverrideConflictError)
    # forbidding is not limited; a fix of someone outside the counted cohort does not count
    store.add_override("c3", "v1", "forbid", reason="r", adviser="a1", openings=2)
    store.add_override("c4", "v1", "fix", reason="r", adviser="a1", openings=2,
                       counted={"c1", "c4"})  # fmt: skip
    store.withdraw_override(first.id, adviser="a1")
    store.add_override("c5", "v1", "fix", reason="r", adviser="a1", openings=2,
                       counted={"c1", "c5"})  # fmt: skip
    assert len(store.active_overrides()) == 4  # c2, c4 and c5 fixed, c3 forbidden


def test_sessions_of_advisers_without_a_key_are_closed(db: Path) -> None:
    store = Store(db)
    kept = store.open_session("a1")
    gone = [store.open_session("a2"), store.open_session("a2"), store.open_session("a3")]
    assert store.close_sessions_except({"a1"}) == 3
    assert kept.token
    assert store.session(kept.token) is not None
    assert all(s.token and store.session(s.token) is None for s in gone)
    assert store.close_sessions_except({"a1"}) == 0
