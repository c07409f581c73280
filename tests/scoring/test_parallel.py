"""The kernels' threads: serial kernels (a short first compile) split over Python threads.

Numba's ``parallel=True`` doubled the first call's compile time (issue 22, item 5), so the kernels
are compiled serial and :func:`split_run` cuts each entry point's work into one contiguous part
per thread. These tests pin both: no compiled kernel is parallel, and the split covers every item
once, whatever the thread count, and raises what a part raises.
"""

from __future__ import annotations

import itertools
import threading

import numba
import pytest

from labourint_match.scoring import _kernels
from labourint_match.scoring._kernels._parallel import parts, split_run


@pytest.mark.skipif(numba.config.DISABLE_JIT, reason="no dispatchers without the JIT")
def test_no_kernel_is_compiled_with_numbas_parallel_passes() -> None:
    compiled = {f for fs in _kernels.COMPILED.values() for f in fs}
    assert compiled
    for f in compiled:
        assert not f.targetoptions.get("parallel"), f.py_func.__qualname__
        assert f.targetoptions.get("nogil"), f.py_func.__qualname__  # threads run side by side


@pytest.mark.parametrize("n_items", [1, 2, 3, 7, 64])
def test_split_run_gives_every_item_to_one_part_per_thread(n_items: int) -> None:
    before = numba.get_num_threads()
    try:
        for threads in range(1, before + 1):
            numba.set_num_threads(threads)
            seen: list[tuple[int, int, int]] = []

            def body(lo: int, hi: int, seen: list[tuple[int, int, int]] = seen) -> None:
                seen.append((lo, hi, threading.get_ident()))  # list.append is atomic

            split_run(body, n_items)
            ranges = sorted((lo, hi) for lo, hi, _ in seen)
            assert len(ranges) == min(n_items, threads)
            assert [lo for lo, _ in ranges] == [0, *[hi for _, hi in ranges[:-1]]]
            assert ranges[-1][1] == n_items
            assert all(hi > lo for lo, hi in ranges)
            assert len({ident for *_, ident in seen}) == len(ranges)  # one thread per part
    finally:
        numba.set_num_threads(before)


def test_parts_differ_in_size_by_at_most_one() -> None:
    for n in range(0, 40):
        for p in range(1, 9):
            bounds = parts(n, p)
            sizes = [b - a for a, b in itertools.pairwise(bounds)]
            assert bounds[0] == 0
            assert bounds[-1] == n
            assert len(sizes) == p
            assert max(sizes) - min(sizes) <= 1


@pytest.mark.skipif(numba.config.NUMBA_NUM_THREADS < 2, reason="needs two threads")
def test_split_run_raises_what_a_part_on_another_thread_raises() -> None:
    before = numba.get_num_threads()
    numba.set_num_threads(2)
    try:

        def body(lo: int, hi: int) -> None:
            if lo > 0:
                raise ValueError(f"part {lo}:{hi}")

        with pytest.raises(ValueError, match="part 2:4"):
            split_run(body, 4)
    finally:
        numba.set_num_threads(before)


@pytest.mark.parametrize(("n_items", "per_thread"), [(1, 4), (5, 2), (9, 4), (64, 8), (100, 3)])
def test_parts_handed_out_to_free_threads_cover_every_item_once(
    n_items: int, per_thread: int
) -> None:
    before = numba.get_num_threads()
    try:
        for threads in range(1, before + 1):
            numba.set_num_threads(threads)
            seen: list[tuple[int, int]] = []

            def body(lo: int, hi: int, seen: list[tuple[int, int]] = seen) -> None:
                seen.append((lo, hi))  # list.append is atomic

            split_run(body, n_items, per_thread=per_thread)
            ranges = sorted(seen)
            # One part when one thread runs them all; else per_thread parts per thread.
            expected = 1 if min(threads, n_items) == 1 else min(n_items, threads * per_thread)
            assert len(ranges) == expected
            assert [lo for lo, _ in ranges] == [0, *[hi for _, hi in ranges[:-1]]]
            assert ranges[-1][1] == n_items
            assert all(hi > lo for lo, hi in ranges)
    finally:
        numba.set_num_threads(before)


@pytest.mark.skipif(numba.config.NUMBA_NUM_THREADS < 2, reason="needs two threads")
def test_a_slow_part_does_not_hold_back_the_parts_after_it() -> None:
    # The first part waits until every other item is done: only threads that take the next part
    # as they come free (not one fixed contiguous part per thread) let that happen.
    before = numba.get_num_threads()
    numba.set_num_threads(2)
    n_items = 16
    done: set[int] = set()
    lock = threading.Lock()
    all_others = threading.Event()
    waited: list[bool] = []

    def body(lo: int, hi: int) -> None:
        if lo == 0:
            waited.append(all_others.wait(timeout=20.0))
        with lock:
            done.update(range(lo, hi))
            if done >= set(range(1, n_items)):  # part 0 is item 0 alone (16 parts)
                all_others.set()

    try:
        split_run(body, n_items, per_thread=8)
    finally:
        numba.set_num_threads(before)
    assert waited == [True]
    assert done == set(range(n_items))


@pytest.mark.skipif(numba.config.NUMBA_NUM_THREADS < 2, reason="needs two threads")
def test_parts_handed_out_raise_what_a_part_raises_and_the_pool_lives_on() -> None:
    before = numba.get_num_threads()
    numba.set_num_threads(2)
    try:

        def body(lo: int, hi: int) -> None:
            if lo == 3:
                raise ValueError(f"part {lo}:{hi}")

        with pytest.raises(ValueError, match="part 3:4"):
            split_run(body, 8, per_thread=4)
        names: set[str] = set()

        def name(lo: int, hi: int) -> None:
            names.add(threading.current_thread().name)

        for _ in range(3):  # the same pool's workers, call after call
            split_run(name, 64, per_thread=8)
    finally:
        numba.set_num_threads(before)
    workers = {n for n in names if n.startswith("lm-kernel")}
    assert len(workers) <= numba.config.NUMBA_NUM_THREADS - 1


def test_ranking_is_the_same_for_any_thread_count_and_cut() -> None:
    from datetime import date

    import numpy as np

    from labourint_match import ScoringConfig, Taxonomy, synth
    from labourint_match.scoring.engine import Scorer

    taxonomy = Taxonomy.default()
    people, jobs = synth.cohort(taxonomy, 300, 60, seed=11)
    results = []
    for threads in range(1, numba.config.NUMBA_NUM_THREADS + 1):
        scorer = Scorer(taxonomy, ScoringConfig(as_of=date(2026, 1, 1)), threads=threads)
        enc = scorer.encode(people, jobs)
        for by in ("candidate", "vacancy"):
            for n_chunks in (None, 1, 7, 300):
                results.append((by, scorer.top_k(enc, 5, by, n_chunks=n_chunks)))
    for by in ("candidate", "vacancy"):
        first = next(r for b, r in results if b == by)
        for b, r in results:
            if b == by:
                for a, x in zip(first, r, strict=True):
                    np.testing.assert_array_equal(a, x)  # bit-identical: indices, scores, reasons
