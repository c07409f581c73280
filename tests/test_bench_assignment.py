"""The placement benchmark's own helpers, on tiny inputs (the timings are not tested)."""

from __future__ import annotations

import pytest
from benchmarks import bench_assignment as ba

from labourint_match.assignment._mincostflow import rounding_bound


@pytest.mark.parametrize("total", [1, 7, 10, 11, 23, 40])
def test_exact_openings_reaches_the_total_and_keeps_one_each(total: int) -> None:
    drawn = [1, 3, 1, 5, 2, 1, 1]
    if total < len(drawn):
        with pytest.raises(ValueError, match="cannot bring"):
            ba.exact_openings(drawn, total)
        return
    out = ba.exact_openings(drawn, total)
    assert sum(out) == total
    assert min(out) >= 1
    assert ba.exact_openings(drawn, total) == out  # deterministic
    # Each vacancy moves in the direction of the change only.
    step = 1 if total >= sum(drawn) else -1
    assert all((b - a) * step >= 0 for a, b in zip(drawn, out, strict=True))


def test_exact_openings_spreads_a_small_change() -> None:
    assert ba.exact_openings([2] * 10, 22) == [3, 2, 2, 2, 2, 3, 2, 2, 2, 2]
    assert ba.exact_openings([2] * 10, 20) == [2] * 10


def _run(total: float, placed: int, seconds: float = 1.0) -> dict[str, object]:
    return {"side": "flow", "method": "optimal", "total": total, "n_placed": placed,
            "seconds": seconds, "stages": {"edges": seconds / 2},
            "alone": {"lp": {"seconds": seconds * 3}}}  # fmt: skip


def test_total_agreement_is_the_largest_difference_over_the_bound() -> None:
    bound = rounding_bound(100, 100)
    runs = {"a": _run(50.0, 100), "b": _run(50.0 - bound / 2, 100), "c": _run(50.0, 100)}
    assert ba.total_agreement(runs) == pytest.approx(0.5)
    runs["c"] = _run(50.0 + 2 * bound, 100)
    assert ba.total_agreement(runs) == pytest.approx(2.5)
    assert ba.total_agreement({"a": _run(1.0, 3)}) == 0.0


def test_median_run_takes_the_medians_and_refuses_different_placements() -> None:
    run = ba.median_run([_run(5.0, 2, 1.0), _run(5.0, 2, 4.0), _run(5.0, 2, 2.0)])
    assert run["seconds"] == 2.0
    assert run["rounds"] == [1.0, 4.0, 2.0]
    assert run["stages"] == {"edges": 1.0}
    assert run["alone"] == {"lp": {"seconds": 6.0}}
    with pytest.raises(RuntimeError, match="placed differently"):
        ba.median_run([_run(5.0, 2), _run(5.0, 3)])
