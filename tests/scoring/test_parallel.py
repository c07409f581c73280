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
