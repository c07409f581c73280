"""`Matcher.rank_chunks`: a stream ranked chunk by chunk gives the rows of one `rank` call."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date

import numpy as np
import pytest

from labourint_match import CandidateProfile, Matcher, ScoringConfig, Taxonomy, synth
from labourint_match.errors import ConfigError, DuplicateIdError, ProfileError


@pytest.fixture(scope="module")
def matcher() -> Matcher:
    return Matcher(Taxonomy.default(), ScoringConfig(as_of=date(2026, 1, 1)))


def test_chunks_join_into_the_whole_ranking(matcher: Matcher) -> None:
    people, jobs = synth.cohort(matcher.taxonomy, 230, 40, seed=8)
    whole = matcher.rank(people, jobs, top_k=6)
    parts = list(matcher.rank_chunks(iter(people), jobs, top_k=6, chunk_size=100))
    assert [len(p) for p in parts] == [100, 100, 30]
    np.testing.assert_array_equal(np.concatenate([p.indices for p in parts]), whole.indices)
    np.testing.assert_array_equal(np.concatenate([p.scores for p in parts]), whole.scores)
    np.testing.assert_array_equal(np.concatenate([p.reasons for p in parts]), whole.reasons)
    assert sum((p.candidate_ids for p in parts), ()) == whole.candidate_ids


def test_the_stream_is_read_lazily(matcher: Matcher) -> None:
    taken = []

    def stream() -> Iterator[CandidateProfile]:
        for c in synth.iter_candidates(matcher.taxonomy, 50, seed=2):
            taken.append(c.id)
            yield c

    jobs = synth.cohort(matcher.taxonomy, 0, 5, seed=2).vacancies
    chunks = matcher.rank_chunks(stream(), jobs, top_k=2, chunk_size=20)
    first = next(iter(chunks))
    assert len(first) == 20
    assert len(taken) == 20


def test_a_repeated_id_in_a_later_chunk_is_refused(matcher: Matcher) -> None:
    people, jobs = synth.cohort(matcher.taxonomy, 30, 5, seed=1)
    stream = [*people, people[3]]
    with pytest.raises(DuplicateIdError) as err:
        list(matcher.rank_chunks(stream, jobs, chunk_size=10))
    assert err.value.record == people[3].id
    assert "chunk 3" in str(err.value)


def test_bad_arguments(matcher: Matcher) -> None:
    people, jobs = synth.cohort(matcher.taxonomy, 3, 2, seed=1)
    assert [len(r) for r in matcher.rank_chunks(iter([]), jobs)] == [0]  # one empty ranking
    with pytest.raises(ConfigError, match="chunk_size"):
        matcher.rank_chunks(people, jobs, chunk_size=0)
    with pytest.raises(ConfigError, match="top_k"):
        matcher.rank_chunks(people, jobs, top_k=0)
    with pytest.raises(ProfileError, match="iterable"):
        matcher.rank_chunks(42, jobs)  # type: ignore[arg-type]


def test_the_digest_set_finds_exactly_what_was_added() -> None:
    from labourint_match._ids import Digests

    rng = np.random.default_rng(3)
    seen = Digests()
    added: set[int] = set()
    for size in [5, 1, 9, 30, 2, 2, 64, 7]:
        chunk = rng.integers(0, 200, size=size, dtype=np.uint64)
        hits = seen.find(chunk)
        assert set(hits.tolist()) == {i for i, x in enumerate(chunk.tolist()) if x in added}
        seen.add(chunk)
        added.update(chunk.tolist())
    assert len(seen.runs) <= 4  # merged by size: O(log n) runs
