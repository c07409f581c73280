"""Ranking and placement on a Dask LocalCluster with two worker processes (issue: Dask).

Every result is compared with `Matcher` in this process on the same cohort: equal arrays, equal
assignments, equal shard rows. One test kills a worker process while the ranking runs.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from labourint_match import Matcher, ScoringConfig, Taxonomy, synth
from labourint_match.errors import ConfigError, DuplicateIdError, ProfileError

distributed = pytest.importorskip("distributed", reason="needs the 'dask' extra")
from labourint_match.distributed import DistributedMatcher  # noqa: E402

CONFIG = ScoringConfig(as_of=date(2026, 1, 1))


@pytest.fixture(scope="module")
def taxonomy() -> Taxonomy:
    return Taxonomy.default()


@pytest.fixture(scope="module")
def data(taxonomy: Taxonomy) -> Any:
    return synth.cohort(taxonomy, 900, 150, seed=21)


@pytest.fixture(scope="module")
def client() -> Iterator[Any]:
    cluster = distributed.LocalCluster(
        n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None,
        silence_logs=50,
    )  # fmt: skip
    with cluster, distributed.Client(cluster) as c:
        yield c


@pytest.fixture(scope="module")
def dm(client: Any, taxonomy: Taxonomy) -> DistributedMatcher:
    return DistributedMatcher(client, taxonomy, CONFIG)


@pytest.fixture(scope="module")
def local(taxonomy: Taxonomy) -> Matcher:
    return Matcher(taxonomy, CONFIG)


def _same(a: Any, b: Any) -> None:
    assert a.candidate_ids == b.candidate_ids
    assert a.vacancy_ids == b.vacancy_ids
    np.testing.assert_array_equal(a.indices, b.indices)
    np.testing.assert_array_equal(a.scores, b.scores)
    np.testing.assert_array_equal(a.reasons, b.reasons)


@pytest.mark.parametrize("by", ["candidate", "vacancy"])
def test_rank_in_memory_partitions_equals_matcher(
    dm: DistributedMatcher, local: Matcher, data: Any, by: str
) -> None:
    people, jobs = data
    got = dm.rank(people, jobs, top_k=7, by=by, partition_size=250)  # type: ignore[arg-type]
    _same(got, local.rank(people, jobs, top_k=7, by=by))  # type: ignore[arg-type]


def test_rank_from_shards_bag_and_dataframe_equals_matcher(
    dm: DistributedMatcher, local: Matcher, data: Any, taxonomy: Taxonomy, tmp_path: Path
) -> None:
    import dask
    import dask.bag as db
    import dask.dataframe as dd
    import pandas as pd

    people, jobs = data
    files = synth.write_cohort(tmp_path, taxonomy, 900, 150, seed=21, shard_size=200)
    want = local.rank(people, jobs, top_k=5)
    _same(dm.rank(files.candidates, jobs, top_k=5), want)
    dumped = [p.model_dump(mode="json", exclude_defaults=True) for p in people]
    _same(dm.rank(db.from_sequence(dumped, npartitions=4), jobs, top_k=5), want)
    _same(dm.rank(db.from_sequence(list(people), npartitions=3), jobs, top_k=5), want)
    with dask.config.set({"dataframe.convert-string": False}):  # keep nested lists as objects
        frame = dd.from_pandas(pd.DataFrame.from_records(dumped), npartitions=3)
    _same(dm.rank(frame, jobs, top_k=5), want)


@pytest.mark.parametrize("fmt", ["jsonl", "parquet"])
def test_rank_to_shards_holds_the_same_rows(
    dm: DistributedMatcher, local: Matcher, data: Any, tmp_path: Path, fmt: str
) -> None:
    people, jobs = data
    out = dm.rank(people, jobs, top_k=4, output=tmp_path / "out", format=fmt,  # type: ignore[arg-type]
                  partition_size=300)  # fmt: skip
    assert [p.name for p in out.paths] == [f"part-{i:05d}.{fmt}" for i in range(3)]  # type: ignore[union-attr]
    assert list(out.records()) == local.rank(people, jobs, top_k=4).to_records()  # type: ignore[union-attr]
    with pytest.raises(ConfigError, match="already holds shards"):
        dm.rank(people, jobs, output=tmp_path / "out")


@pytest.mark.parametrize("method", ["optimal", "stable"])
def test_assign_equals_matcher_with_the_same_pruning(
    dm: DistributedMatcher, local: Matcher, data: Any, method: str
) -> None:
    people, jobs = data
    got = dm.assign(list(reversed(people)), jobs, method, 0.2,  # type: ignore[arg-type]
                    top_k=6, per_opening=2, partition_size=200)  # fmt: skip
    want = local.assign(people, jobs, method, 0.2, top_k=6, per_opening=2,  # type: ignore[arg-type]
                        dense_max_pairs=0)  # fmt: skip
    assert got == want
    assert got.pruning == want.pruning
    placed = got.pairs[0].candidate_id
    assert got.explain(placed).score == pytest.approx(want.explain(placed).score, abs=0)


def test_grouped_placement_is_feasible_and_loses_against_global(
    dm: DistributedMatcher, data: Any
) -> None:
    people, jobs = data
    whole = dm.assign(people, jobs, top_k=6, per_opening=2, partition_size=300)
    grouped = dm.assign(people, jobs, top_k=6, per_opening=2, partition_size=300,
                        group_by="occupation")  # fmt: skip
    assert "groups" in grouped.solver
    assert grouped.total_score <= whole.total_score + 1e-9
    assert len(grouped.pairs) + len(grouped.unassigned) == len(people)
    openings = {v.id: v.openings for v in jobs}
    for vid, n in openings.items():
        assert len(grouped.for_vacancy(vid)) <= n
    by_job = {v.id: v for v in jobs}
    region = dm.assign(people, jobs, top_k=6, per_opening=2, group_by=lambda v: "one")
    assert region.total_score == pytest.approx(whole.total_score)  # one group: the global problem
    assert all(by_job[p.vacancy_id] for p in grouped.pairs)


def test_duplicate_ids_across_partitions_are_refused(dm: DistributedMatcher, data: Any) -> None:
    people, jobs = data
    twice = [*people[:300], *people[250:400]]
    with pytest.raises(DuplicateIdError, match="partitions 1 and 2") as err:
        dm.rank(twice, jobs, partition_size=150)
    assert err.value.record in {p.id for p in people[250:300]}


def test_bad_record_names_record_and_partition(dm: DistributedMatcher, data: Any) -> None:
    people, jobs = data
    records = [p.model_dump(mode="json") for p in people[:20]]
    records[13]["skills"] = [{"skill": "ZZSECRET", "years": -3}]
    with pytest.raises(ProfileError) as err:
        dm.rank(records, jobs, partition_size=10)
    text = str(err.value)
    assert "partition 1" in text
    assert people[13].id in text
    assert "ZZSECRET" not in text
    empty = dm.rank([], jobs)  # an empty cohort is an empty result (issue 19)
    assert (len(empty), empty.vacancy_ids) == (0, tuple(j.id for j in jobs))
    assert dm.assign([], jobs).pairs == ()


@pytest.mark.parametrize("group_by", [None, "region"])
def test_no_vacancies_or_no_candidates_give_an_empty_placement(
    dm: DistributedMatcher, local: Matcher, data: Any, group_by: Any
) -> None:
    """An empty side is an empty result everywhere (issue 19), as Matcher.assign gives it."""
    people, jobs = data
    people = people[:40]
    alone = dm.assign(people, [], group_by=group_by, partition_size=15)
    expected = local.assign(people, [])
    assert alone.pairs == ()
    assert alone.to_records() == expected.to_records()
    assert {u.reason for u in alone.unassigned} == {"no_eligible_vacancy"}
    assert alone.run_id == expected.run_id
    assert dm.assign([], [], group_by=group_by).pairs == ()
    assert dm.assign([], jobs, group_by=group_by).unassigned == ()


def test_a_worker_killed_mid_run_loses_nothing(
    client: Any, taxonomy: Taxonomy, local: Matcher, tmp_path: Path
) -> None:
    people, jobs = synth.cohort(taxonomy, 3000, 300, seed=5)
    files = synth.write_cohort(tmp_path / "in", taxonomy, 3000, 300, seed=5, shard_size=100)
    dm = DistributedMatcher(client, taxonomy, CONFIG)
    out = tmp_path / "out"
    pids = client.run(os.getpid)
    result: dict[str, Any] = {}

    def run() -> None:
        try:
            result["shards"] = dm.rank(files.candidates, jobs, top_k=5, output=out)
        except BaseException as exc:  # pragma: no cover - reported below
            result["error"] = exc

    worker = threading.Thread(target=run)
    worker.start()
    deadline = time.monotonic() + 120
    while not list(out.glob(".staging-*/part-*")) and time.monotonic() < deadline:
        time.sleep(0.01)
    done_at_kill = len(list(out.glob(".staging-*/part-*")))
    victim = sorted(pids.items())[0][1]
    os.kill(victim, signal.SIGKILL)
    worker.join(timeout=300)
    assert "error" not in result, result.get("error")
    assert 0 < done_at_kill < len(files.candidates), "the kill did not land mid-run"
    assert victim not in client.run(os.getpid).values()
    shards = result["shards"]
    assert len(shards.paths) == len(files.candidates) == 30
    rows = list(shards.records())
    assert rows == local.rank(people, jobs, top_k=5).to_records()
    assert len({(r["candidate_id"], r["rank"]) for r in rows}) == len(rows) == 3000 * 5
    assert sorted(p.name for p in out.iterdir()) == [f"part-{i:05d}.jsonl" for i in range(30)]


def test_core_library_never_imports_dask() -> None:
    code = (
        "import sys, labourint_match, labourint_match.cli, labourint_match.analysis\n"
        "assert not [m for m in sys.modules if m.split('.')[0] in ('dask', 'distributed')]\n"
        "sys.modules['distributed'] = None\n"
        "try:\n"
        "    import labourint_match.distributed\n"
        "except ImportError as exc:\n"
        "    print(exc)\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          check=True)  # fmt: skip
    assert "pip install 'labourint-match[dask]'" in done.stdout


def test_worker_matcher_uses_the_workers_threads_and_goes_with_close(
    client: Any, taxonomy: Taxonomy
) -> None:
    from labourint_match import distributed as module

    people, jobs = synth.cohort(taxonomy, 30, 5, seed=2)

    def matchers() -> dict[str, list[tuple[str, int]]]:
        return client.run(lambda: [(k[0], m.threads) for k, m in module._MATCHERS.items()])

    with DistributedMatcher(client, taxonomy, CONFIG) as own:
        own.rank(people, jobs, top_k=2, partition_size=10)
        mine = [t for held in matchers().values() for name, t in held if name == own._setup]
        assert mine
        assert set(mine) == {1}
    left = [name for held in matchers().values() for name, _ in held if name == own._setup]
    assert left == []


def test_assign_takes_shards_bags_and_dicts_like_rank(
    dm: DistributedMatcher, local: Matcher, data: Any, taxonomy: Taxonomy, tmp_path: Path
) -> None:
    import dask.bag as db

    people, jobs = data
    files = synth.write_cohort(tmp_path, taxonomy, 900, 150, seed=21, shard_size=250)
    want = local.assign(people, jobs, top_k=6, per_opening=2, dense_max_pairs=0)
    dumped = [p.model_dump(mode="json", exclude_defaults=True) for p in people]
    for given in (files.candidates, db.from_sequence(dumped, npartitions=3), dumped):
        got = dm.assign(given, jobs, top_k=6, per_opening=2, partition_size=300)
        assert got == want
    with pytest.raises(Exception, match="explain"):
        got.explain(people[0].id)  # no profiles in memory: no explanations


def test_grouped_placement_reports_true_reasons_and_its_own_run_id(
    dm: DistributedMatcher, data: Any
) -> None:
    people, jobs = data
    whole = dm.assign(people, jobs, top_k=6, per_opening=2)
    grouped = dm.assign(people, jobs, top_k=6, per_opening=2, group_by="occupation")
    assert grouped.run_id != whole.run_id
    assert grouped.pruning is not None
    assert grouped.pruning.n_edges > grouped.n_placed
    assert grouped.unassigned
    for u in grouped.unassigned:  # outcompeted in their group, or truly without an edge
        assert (u.reason == "no_eligible_vacancy") == (u.best_score is None)


def test_a_failed_call_leaves_no_shard_behind(
    dm: DistributedMatcher, data: Any, tmp_path: Path
) -> None:
    people, jobs = data
    twice = [*people[:300], *people[250:400]]
    out = tmp_path / "out"
    with pytest.raises(DuplicateIdError):
        dm.rank(twice, jobs, output=out, partition_size=150)
    assert list(out.iterdir()) == []
    assert len(dm.rank(people, jobs, output=out, partition_size=300).paths) == 3  # type: ignore[union-attr]


def test_assign_writes_the_decision_log_as_matcher_does(
    dm: DistributedMatcher, local: Matcher, data: Any, tmp_path: Path
) -> None:
    people, jobs = data
    ours, theirs = tmp_path / "ours.jsonl", tmp_path / "theirs.jsonl"
    dm.assign(people, jobs, top_k=6, per_opening=2, log=ours)
    local.assign(people, jobs, top_k=6, per_opening=2, dense_max_pairs=0, log=theirs)

    def stable(path: Path) -> list[dict[str, Any]]:
        rows = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]
        return [{k: v for k, v in r.items() if k not in ("time", "timestamp")} for r in rows]

    assert stable(ours) == stable(theirs)
    assert len(stable(ours)) == len(people)
