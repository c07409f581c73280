"""Adviser overrides (issue 23, item 5): `Matcher.assign(..., fixed=..., forbidden=...)`.

An adviser can fix (force) or forbid a candidate–vacancy pair, with a reason (EU AI Act Art. 14);
the decision log records each override with the adviser's pseudonymous id (Art. 12). These tests
prove, for both methods on the dense and the pruned edge paths:

- a fixed pair is placed whatever its score (below `min_score`, outside the pruned edges), and
  the rest of the cohort is exactly the optimal (or stable) placement of what is left;
- a forbidden pair is never placed; re-planning with the same `fixed` keeps the fixed pairs;
- every bad override is refused with a typed error naming the ids (never the reason);
- the log holds one line per override (reason, adviser) in the run's single write;
- the run id covers the overrides; nothing passed in is changed; their order changes nothing.
"""

from __future__ import annotations

import copy
import json
import os
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from pydantic import ValidationError

from labourint_match import Matcher, ScoringConfig, Taxonomy, synth
from labourint_match.assignment import Assignment, Override, _log, solve_optimal, solve_stable
from labourint_match.assignment._log import LOG_KEYS, OVERRIDE_LOG_KEYS
from labourint_match.errors import AssignmentError, ConfigError
from labourint_match.profiles import CandidateProfile, Vacancy
from labourint_match.scoring.edges import dense_edges

METHODS = ("optimal", "stable")
#: dense: every pair scored; pruned: each candidate's 2 best vacancies only.
PATHS: dict[str, dict[str, int]] = {
    "dense": {},
    "pruned": {"dense_max_pairs": 0, "top_k": 2, "per_opening": 0},
}
SECRET = "Sie hat mir von ihrer Krankheit erzählt"  # an adviser's reason: log only, never errors

Cohort = tuple[tuple[CandidateProfile, ...], tuple[Vacancy, ...]]


@pytest.fixture(scope="module")
def matcher() -> Matcher:
    return Matcher(Taxonomy.default(), ScoringConfig(as_of=date(2026, 1, 1)))


@pytest.fixture(scope="module")
def cohort(matcher: Matcher) -> Cohort:
    return _sorted(synth.cohort(matcher.taxonomy, 40, 10, seed=7))


def _sorted(pair: Any) -> Cohort:
    people, jobs = pair
    return tuple(sorted(people, key=lambda c: c.id)), tuple(sorted(jobs, key=lambda v: v.id))


def _scores(matcher: Matcher, cohort: Cohort) -> np.ndarray:
    """The float64 score of every pair (0 where not eligible), as the plan's dense edges hold."""
    people, jobs = cohort
    scorer = matcher._scorer
    e = dense_edges(scorer, scorer.encode(people, jobs))
    out = np.zeros((len(people), len(jobs)))
    out[e.cand, e.vac] = e.score
    return out


def _o(
    c: str, v: str, reason: str = "agreed with the employer", adviser: str = "adv-1"
) -> Override:
    return Override(candidate_id=c, vacancy_id=v, reason=reason, adviser=adviser)


def _placed(result: Assignment) -> dict[str, str]:
    return {p.candidate_id: p.vacancy_id for p in result.pairs}


def _check_capacity(result: Assignment, jobs: tuple[Vacancy, ...]) -> None:
    for j in jobs:
        assert len(result.for_vacancy(j.id)) <= j.openings


def _low_pair(s: np.ndarray, best_of: np.ndarray) -> tuple[int, int]:
    """A pair with a positive score that is not its candidate's best (the lowest such)."""
    masked = np.where((s > 0) & (np.arange(s.shape[1]) != best_of[:, None]), s, np.inf)
    i, j = np.unravel_index(int(np.argmin(masked)), s.shape)
    assert np.isfinite(masked[i, j])
    return int(i), int(j)


# -- fixed pairs ----------------------------------------------------------------------------------


@pytest.mark.parametrize("path", PATHS)
@pytest.mark.parametrize("method", METHODS)
def test_a_fixed_pair_is_placed_below_min_score_and_outside_the_pruned_edges(
    matcher: Matcher, cohort: Cohort, method: Any, path: str
) -> None:
    people, jobs = cohort
    s = _scores(matcher, cohort)
    i, j = _low_pair(s, np.argmax(s, axis=1))  # not the candidate's best: outside a top-1 list
    min_score = float(s[i, j]) + 0.05
    o = _o(people[i].id, jobs[j].id)
    plain = matcher.assign(people, jobs, method, min_score, **PATHS[path])
    assert _placed(plain).get(o.candidate_id) != o.vacancy_id
    kw = dict(PATHS[path], top_k=1) if path == "pruned" else {}
    result = matcher.assign(people, jobs, method, min_score, fixed=[o], **kw)
    entry = result.for_candidate(o.candidate_id)
    assert (entry.vacancy_id, entry.score) == (o.vacancy_id, pytest.approx(s[i, j], abs=1e-12))
    assert result.fixed == (o,)
    assert result.forbidden == ()
    assert (result.pruning is not None) == (path == "pruned")
    _check_capacity(result, jobs)
    others = [p for p in result.pairs if p.candidate_id != o.candidate_id]
    assert all(p.score >= min_score for p in others)  # the rest keeps the minimum score
    assert result.total_score == pytest.approx(sum(p.score for p in result.pairs), abs=1e-12)


def _reduced(
    s: np.ndarray, capacity: np.ndarray, fixed: list[tuple[int, int]],
    forbidden: list[tuple[int, int]], min_score: float,
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:  # fmt: skip
    """The problem left once the fixed pairs are placed and the forbidden ones removed."""
    use = (s > 0) & (s >= min_score)
    for i, j in forbidden:
        use[i, j] = False
    left = capacity.copy()
    for i, j in fixed:
        use[i, :] = False
        left[j] -= 1
    ci, vi = np.nonzero(use)
    return ci.astype(np.int32), vi.astype(np.int32), s[ci, vi], left


@pytest.mark.parametrize("method", METHODS)
@pytest.mark.parametrize("seed", [1, 2, 3, 4, 5, 6])
def test_the_rest_is_the_optimal_or_stable_placement_of_what_is_left(
    matcher: Matcher, method: str, seed: int
) -> None:
    cohort = _sorted(synth.cohort(matcher.taxonomy, 30, 8, seed=seed))
    people, jobs = cohort
    s = _scores(matcher, cohort)
    capacity = np.array([v.openings for v in jobs], dtype=np.int64)
    rng = np.random.default_rng(seed)
    pairs = [(int(i), int(j)) for i, j in zip(*np.nonzero(s > 0), strict=True)]
    rng.shuffle(pairs)
    fixed: list[tuple[int, int]] = []
    for i, j in pairs:  # up to three fixed pairs, distinct people, within the openings
        room = sum(b == j for _, b in fixed) < capacity[j]
        if len(fixed) < 3 and all(i != a for a, _ in fixed) and room:
            fixed.append((i, j))
    taken = {i for i, _ in fixed}
    forbidden = [(i, j) for i, j in pairs if i not in taken and (i, j) not in fixed][:5]
    min_score = 0.1
    result = matcher.assign(
        people, jobs, method, min_score,  # type: ignore[arg-type]
        fixed=[_o(people[i].id, jobs[j].id) for i, j in fixed],
        forbidden=[_o(people[i].id, jobs[j].id, "too far") for i, j in forbidden],
    )  # fmt: skip
    ci, vi, sc, left = _reduced(s, capacity, fixed, forbidden, min_score)
    solve = solve_optimal if method == "optimal" else solve_stable
    rest = solve(ci, vi, sc, len(people), left)
    expected = {people[i].id: jobs[j].id for i, j in fixed}
    expected.update({people[i].id: jobs[int(rest.assigned[i])].id
                     for i in np.flatnonzero(rest.assigned >= 0)})  # fmt: skip
    assert _placed(result) == expected
    fixed_total = sum(float(s[i, j]) for i, j in fixed)
    assert result.total_score == pytest.approx(fixed_total + rest.total_score, abs=1e-9)
    if method == "optimal":  # and no better plan of the rest exists (a check by another solver)
        lp = solve_optimal(ci, vi, sc, len(people), left, method="lp")
        assert rest.total_score == pytest.approx(lp.total_score, abs=1e-9)


# -- forbidden pairs ------------------------------------------------------------------------------


@pytest.mark.parametrize("path", PATHS)
@pytest.mark.parametrize("method", METHODS)
@pytest.mark.parametrize("seed", [11, 12, 13])
def test_a_forbidden_pair_is_never_placed(
    matcher: Matcher, method: Any, path: str, seed: int
) -> None:
    people, jobs = _sorted(synth.cohort(matcher.taxonomy, 30, 8, seed=seed))
    plain = matcher.assign(people, jobs, method, **PATHS[path])
    assert plain.pairs
    banned = [_o(p.candidate_id, p.vacancy_id, "not this employer") for p in plain.pairs]
    result = matcher.assign(people, jobs, method, forbidden=banned, **PATHS[path])
    got = {(p.candidate_id, p.vacancy_id) for p in result.pairs}
    assert not got & {(o.candidate_id, o.vacancy_id) for o in banned}
    assert result.forbidden == tuple(sorted(banned, key=lambda o: (o.candidate_id, o.vacancy_id)))
    _check_capacity(result, jobs)
    assert len(result.pairs) + len(result.unassigned) == len(people)


def test_re_planning_keeps_the_fixed_pairs(matcher: Matcher, cohort: Cohort) -> None:
    people, jobs = cohort
    plain = matcher.assign(people, jobs)
    s = _scores(matcher, cohort)
    ids = [c.id for c in people]
    # fix two people who were not placed, on vacancies they are eligible for
    fixed = []
    for u in plain.unassigned:
        row = s[ids.index(u.candidate_id)]
        if row.max() > 0 and len(fixed) < 2:
            j = int(np.argmax(row))
            if all(o.vacancy_id != jobs[j].id for o in fixed) or jobs[j].openings > 1:
                fixed.append(_o(u.candidate_id, jobs[j].id, "agreed at the trial day"))
    assert len(fixed) == 2
    first = matcher.assign(people, jobs, fixed=fixed)
    fixed_pairs = {(o.candidate_id, o.vacancy_id) for o in fixed}
    other = next(p for p in first.pairs if (p.candidate_id, p.vacancy_id) not in fixed_pairs)
    ban = _o(other.candidate_id, other.vacancy_id, "the person turned it down")
    second = matcher.assign(people, jobs, fixed=fixed, forbidden=[ban])
    assert {(p.candidate_id, p.vacancy_id) for p in second.pairs} >= fixed_pairs
    assert second.for_candidate(other.candidate_id) != other  # the re-plan moved that person
    assert first.run_id != second.run_id


# -- refusals -------------------------------------------------------------------------------------

_REFUSALS: dict[str, tuple[Callable[[list[str], list[str]], dict[str, Any]], type, tuple[str, ...]]]
_REFUSALS = {
    "unknown candidate": (
        lambda c, v: {"fixed": [_o("c-nobody", v[0], SECRET)]}, ConfigError, ("'c-nobody'",)),
    "unknown vacancy": (
        lambda c, v: {"forbidden": [_o(c[0], "v-nowhere", SECRET)]}, ConfigError,
        ("'v-nowhere'",)),
    "candidate fixed twice": (
        lambda c, v: {"fixed": [_o(c[0], v[0], SECRET), _o(c[0], v[1], SECRET)]}, ConfigError,
        ("'c000001'", "two vacancies")),
    "fixed and forbidden": (
        lambda c, v: {"fixed": [_o(c[0], v[0], SECRET)], "forbidden": [_o(c[0], v[0], "x")]},
        ConfigError, ("both fixed and forbidden", "'c000001'")),
    "same pair, other reason": (
        lambda c, v: {"forbidden": [_o(c[0], v[0], SECRET), _o(c[0], v[0], "other")]},
        ConfigError, ("twice", "'c000001'")),
    "not an override": (lambda c, v: {"fixed": [("c000001", v[0])]}, ConfigError,
                        ("fixed[0]", "tuple")),
    "a single override": (lambda c, v: {"forbidden": _o(c[0], v[0], SECRET)}, ConfigError,
                          ("list", "Override")),
    "a string": (lambda c, v: {"fixed": "c000001"}, ConfigError, ("list",)),
    "a bad dict": (
        lambda c, v: {"fixed": [{"candidate_id": c[0], "vacancy_id": v[0], "reason": "  ",
                                 "adviser": "a"}]}, ConfigError, ("fixed[0]", "'reason'")),
    "an unknown key": (
        lambda c, v: {"fixed": [{"candidate_id": c[0], "vacancy_id": v[0], "reason": "r",
                                 "adviser": "a", SECRET: 1}]}, ConfigError, ("unknown field",)),
}  # fmt: skip


@pytest.mark.parametrize("case", _REFUSALS)
def test_bad_overrides_are_refused_naming_the_ids_never_the_reason(
    matcher: Matcher, cohort: Cohort, case: str
) -> None:
    people, jobs = cohort
    make, error, words = _REFUSALS[case]
    with pytest.raises(error) as info:
        matcher.assign(people, jobs, **make([c.id for c in people], [v.id for v in jobs]))
    message = str(info.value)
    assert all(w in message for w in words), message
    assert SECRET not in message


def test_more_fixed_pairs_than_openings_are_refused(matcher: Matcher, cohort: Cohort) -> None:
    people, jobs = cohort
    s = _scores(matcher, cohort)
    j = int(np.argmax((s > 0).sum(axis=0)))
    who = np.flatnonzero(s[:, j] > 0)[: jobs[j].openings + 1]
    assert len(who) == jobs[j].openings + 1
    fixed = [_o(people[int(i)].id, jobs[j].id, SECRET) for i in who]
    with pytest.raises(AssignmentError, match=f"'{jobs[j].id}'.*{jobs[j].openings} opening"):
        matcher.assign(people, jobs, fixed=fixed)


@pytest.mark.parametrize("path", PATHS)
def test_a_fixed_pair_that_is_not_eligible_is_refused_with_what_rules_it_out(
    matcher: Matcher, cohort: Cohort, path: str
) -> None:
    people, jobs = cohort
    s = _scores(matcher, cohort)
    i, j = (int(x) for x in np.argwhere(s == 0)[0])
    assert matcher.explain(people[i], jobs[j]).pathway.kind == "not_eligible"
    with pytest.raises(AssignmentError) as info:
        matcher.assign(people, jobs, fixed=[_o(people[i].id, jobs[j].id, SECRET)], **PATHS[path])
    message = str(info.value)
    assert repr(people[i].id) in message
    assert repr(jobs[j].id) in message
    assert "not eligible (" in message
    assert SECRET not in message


def test_dicts_are_accepted_and_identical_overrides_count_once(
    matcher: Matcher, cohort: Cohort
) -> None:
    people, jobs = cohort
    s = _scores(matcher, cohort)
    i, j = (int(x) for x in np.argwhere(s > 0)[0])
    o = _o(people[i].id, jobs[j].id)
    as_dict = o.model_dump()
    result = matcher.assign(people, jobs, fixed=[as_dict, o, o])
    assert result.fixed == (o,)
    assert result.run_id == matcher.assign(people, jobs, fixed=[o]).run_id


# -- the decision log -----------------------------------------------------------------------------


def test_the_log_records_every_override_with_its_reason_and_adviser_in_one_write(
    matcher: Matcher, cohort: Cohort, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    people, jobs = cohort
    s = _scores(matcher, cohort)
    i, j = _low_pair(s, np.argmax(s, axis=1))
    reason = 'trial day went well;\nthe employer agreed — "yes"'
    keep = _o(people[i].id, jobs[j].id, reason, "adv-42")
    plain = matcher.assign(people, jobs)
    banned = [_o(p.candidate_id, p.vacancy_id, SECRET, "adv-7") for p in plain.pairs[:2]
              if p.candidate_id != keep.candidate_id]  # fmt: skip
    writes: list[int] = []
    real_write = os.write

    def counting(fd: int, data: Any) -> int:
        writes.append(len(data))
        return real_write(fd, data)

    monkeypatch.setattr(_log.os, "write", counting)
    path = tmp_path / "decisions.jsonl"
    result = matcher.assign(people, jobs, fixed=[keep], forbidden=banned, log=path)
    raw = path.read_bytes()
    assert writes == [len(raw)]  # the run's lines, overrides included, in a single write
    lines = [json.loads(line) for line in raw.decode("utf-8").split("\n") if line]
    assert len(lines) == 1 + len(banned) + len(people)
    head, rest = lines[: 1 + len(banned)], lines[1 + len(banned) :]
    assert all(list(line) == list(OVERRIDE_LOG_KEYS) for line in head)
    assert all(list(line) == list(LOG_KEYS) for line in rest)
    assert [(h["decision"], h["candidate_id"], h["vacancy_id"], h["reason"], h["adviser"])
            for h in head] == [
        ("fixed", keep.candidate_id, keep.vacancy_id, reason, "adv-42"),
        *[("forbidden", o.candidate_id, o.vacancy_id, SECRET, "adv-7")
          for o in sorted(banned, key=lambda o: o.candidate_id)],
    ]  # fmt: skip
    assert head[0]["score"] == pytest.approx(s[i, j], abs=1e-12)
    assert all(h["score"] is None for h in head[1:])
    by_id = {line["candidate_id"]: line for line in rest}
    assert (by_id[keep.candidate_id]["decision"], by_id[keep.candidate_id]["reason"]) == (
        "placed", "fixed_by_adviser")  # fmt: skip
    others = [line for line in rest if line["candidate_id"] != keep.candidate_id]
    assert all(line["reason"] != "fixed_by_adviser" for line in others)
    assert {line["run_id"] for line in lines} == {result.run_id}
    assert len({line["time"] for line in lines}) == 1


def test_a_run_without_overrides_logs_as_before(
    matcher: Matcher, cohort: Cohort, tmp_path: Path
) -> None:
    people, jobs = cohort
    path = tmp_path / "decisions.jsonl"
    result = matcher.assign(people, jobs, log=path, fixed=[], forbidden=())
    lines = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]
    assert len(lines) == len(people)
    assert all(list(line) == list(LOG_KEYS) for line in lines)
    assert result == matcher.assign(people, jobs)


# -- run id, determinism, inputs ------------------------------------------------------------------


@pytest.mark.parametrize("method", METHODS)
def test_the_run_id_covers_the_overrides_and_their_order_changes_nothing(
    matcher: Matcher, cohort: Cohort, method: Any
) -> None:
    people, jobs = cohort
    s = _scores(matcher, cohort)
    eligible = [(int(i), int(j)) for i, j in np.argwhere(s > 0)]
    a = _o(people[eligible[0][0]].id, jobs[eligible[0][1]].id)
    far = [p for p in eligible if p[0] != eligible[0][0]]
    b = _o(people[far[0][0]].id, jobs[far[0][1]].id, "too far")
    c = _o(people[far[1][0]].id, jobs[far[1][1]].id, "too far")
    plain = matcher.assign(people, jobs, method)
    one = matcher.assign(people, jobs, method, fixed=[a], forbidden=[b, c])
    shuffled = matcher.assign(people[::-1], jobs[::-1], method, fixed=(x for x in [a, a]),
                              forbidden=[c, b, c])  # fmt: skip
    assert shuffled == one
    assert shuffled.run_id == one.run_id
    assert len({plain.run_id, one.run_id,
                matcher.assign(people, jobs, method, fixed=[a]).run_id,
                matcher.assign(people, jobs, method, forbidden=[b, c]).run_id,
                matcher.assign(people, jobs, method, forbidden=[a]).run_id,
                matcher.assign(people, jobs, method, fixed=[a], forbidden=[b]).run_id,
                matcher.assign(people, jobs, method, fixed=[a.model_copy(update={"reason": "r"})],
                               forbidden=[b, c]).run_id}) == 7  # fmt: skip


def test_nothing_passed_in_is_changed(matcher: Matcher, cohort: Cohort) -> None:
    people, jobs = cohort
    s = _scores(matcher, cohort)
    i, j = (int(x) for x in np.argwhere(s > 0)[0])
    fixed: list[Any] = [_o(people[i].id, jobs[j].id).model_dump()]
    forbidden = [_o(people[-1].id, jobs[0].id)]
    people_list, jobs_list = list(people[::-1]), list(jobs)
    before = copy.deepcopy((fixed, forbidden, people_list, jobs_list))
    matcher.assign(people_list, jobs_list, fixed=fixed, forbidden=forbidden)
    assert (fixed, forbidden, people_list, jobs_list) == before


def test_an_override_validates_its_fields() -> None:
    ok = _o("c-1", "v-1", "  padded reason\t")
    assert ok.reason == "padded reason"
    assert "reason" not in repr(ok)
    schema = Override.model_json_schema()
    assert set(schema["required"]) == {"candidate_id", "vacancy_id", "reason", "adviser"}
    assert schema["additionalProperties"] is False
    for bad in (
        {"reason": ""}, {"reason": " \n "}, {"reason": "a\u2028b"}, {"reason": "x" * 501},
        {"adviser": ""}, {"adviser": " a"}, {"candidate_id": "c\u200b"}, {"vacancy_id": "v" * 201},
        {"extra": 1},
    ):  # fmt: skip
        with pytest.raises(ValidationError):
            Override.model_validate({**ok.model_dump(), **bad})
    with pytest.raises(ValidationError, match="frozen"):
        ok.model_copy(update={}).__setattr__("reason", "changed")


def test_the_distributed_matcher_refuses_overrides_rather_than_ignore_them(
    matcher: Matcher, cohort: Cohort
) -> None:
    distributed = pytest.importorskip("distributed")
    from labourint_match.distributed import DistributedMatcher

    people, jobs = cohort
    with distributed.Client(processes=False, n_workers=1, threads_per_worker=1,
                            dashboard_address=None) as client:  # fmt: skip
        dm = DistributedMatcher(client, matcher.taxonomy, matcher.config)
        for kw in ({"fixed": [_o(people[0].id, jobs[0].id)]}, {"forbidden": [{"x": 1}]}):
            with pytest.raises(ConfigError, match=r"Matcher\.assign"):
                dm.assign(list(people), jobs, **kw)


# -- pruning chooses among the pairs the overrides leave ------------------------------------------


def _pruned_reference(
    s: np.ndarray, capacity: np.ndarray, fixed: list[tuple[int, int]],
    forbidden: list[tuple[int, int]], min_score: float, top_k: int, per_opening: int,
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:  # fmt: skip
    """The pruned problem, chosen by hand from every pair's score: each candidate's `top_k` best
    pairs not forbidden, each vacancy's ``per_opening × openings left`` best candidates not fixed
    and not forbidden (ties by index), the pairs at or above `min_score`; and the openings left."""
    n_c, n_v = s.shape
    allowed = s > 0
    for i, j in forbidden:
        allowed[i, j] = False
    gone = {i for i, _ in fixed}
    allowed[sorted(gone), :] = False
    left = capacity.copy()
    for _, j in fixed:
        left[j] -= 1
    s32, low = s.astype(np.float32), np.float32(min_score)
    keep = np.zeros_like(allowed)
    for i in range(n_c):
        best = [j for j in np.lexsort((np.arange(n_v), -s[i])) if allowed[i, j]][:top_k]
        for rank, j in enumerate(best):
            keep[i, j] = rank == 0 or s32[i, j] >= low
    for j in range(n_v):
        quota = min(int(left[j]) * per_opening, n_c - len(gone))
        best = [i for i in np.lexsort((np.arange(n_c), -s[:, j])) if allowed[i, j]][:quota]
        for i in best:
            keep[i, j] |= s32[i, j] >= low
    ci, vi = np.nonzero(keep & (s >= min_score))
    return ci.astype(np.int32), vi.astype(np.int32), s[ci, vi], left


@pytest.mark.parametrize("method", METHODS)
@pytest.mark.parametrize("seed", [21, 22, 23, 24])
def test_pruning_chooses_each_list_among_the_pairs_the_overrides_leave(
    matcher: Matcher, method: str, seed: int
) -> None:
    # Forbidding a person's best pairs must not leave them with the empty rest of a top-k list,
    # nor may a fixed person take a place in a vacancy's per-opening list: the pruned problem is
    # the one chosen from the allowed pairs only (checked against one chosen by hand).
    people, jobs = _sorted(synth.cohort(matcher.taxonomy, 30, 8, seed=seed))
    s = _scores(matcher, (people, jobs))
    capacity = np.array([v.openings for v in jobs], dtype=np.int64)
    top_k, per_opening, min_score = 2, 1, 0.1
    kw: dict[str, Any] = {"dense_max_pairs": 0, "top_k": top_k, "per_opening": per_opening}
    # without overrides the hand-made problem is the library's (the reference is sound)
    ci, vi, sc, _ = _pruned_reference(s, capacity, [], [], min_score, top_k, per_opening)
    plain = matcher.assign(people, jobs, method, min_score, **kw)  # type: ignore[arg-type]
    assert plain.pruning is not None
    assert plain.pruning.n_edges == ci.shape[0]
    solve = solve_optimal if method == "optimal" else solve_stable
    rest = solve(ci, vi, sc, len(people), capacity)
    assert _placed(plain) == {people[i].id: jobs[int(rest.assigned[i])].id
                              for i in np.flatnonzero(rest.assigned >= 0)}  # fmt: skip
    # overrides: the two best pairs of every third person forbidden, the top person of the
    # three most wanted vacancies fixed there
    rng = np.random.default_rng(seed)
    forbidden = [(i, int(j)) for i in range(0, len(people), 3)
                 for j in np.argsort(-s[i], kind="stable")[:2] if s[i, j] > 0]  # fmt: skip
    fixed: list[tuple[int, int]] = []
    for j in rng.permutation(np.argsort(-(s > 0).sum(axis=0), kind="stable")[:3]):
        i = int(np.argmax(np.where(s[:, j] > 0, s[:, j], -1)))
        if s[i, j] > 0 and (i, int(j)) not in forbidden and all(a != i for a, _ in fixed):
            fixed.append((i, int(j)))
    assert fixed
    assert forbidden
    result = matcher.assign(
        people, jobs, method, min_score,  # type: ignore[arg-type]
        fixed=[_o(people[i].id, jobs[j].id) for i, j in fixed],
        forbidden=[_o(people[i].id, jobs[j].id, "too far") for i, j in forbidden], **kw,
    )  # fmt: skip
    ci, vi, sc, left = _pruned_reference(s, capacity, fixed, forbidden, min_score, top_k,
                                         per_opening)  # fmt: skip
    assert result.pruning is not None
    assert result.pruning.n_edges == ci.shape[0]  # the edges the solver considered
    rest = solve(ci, vi, sc, len(people), left)
    expected = {people[i].id: jobs[j].id for i, j in fixed}
    expected.update({people[i].id: jobs[int(rest.assigned[i])].id
                     for i in np.flatnonzero(rest.assigned >= 0)})  # fmt: skip
    assert _placed(result) == expected


def test_a_person_whose_best_pairs_are_forbidden_is_placed_on_the_pruned_path(
    matcher: Matcher, cohort: Cohort
) -> None:
    # The reviewer's case: c000009's two best vacancies forbidden; top_k=2 used to keep only
    # those two, leaving the person "no_eligible_vacancy" with eight eligible vacancies left.
    people, jobs = cohort
    s = _scores(matcher, cohort)
    i = [c.id for c in people].index("c000009")
    assert np.count_nonzero(s[i] > 0) == 10
    ban = [_o("c000009", jobs[int(j)].id, "not there") for j in np.argsort(-s[i])[:2]]
    dense = matcher.assign(people, jobs, forbidden=ban)
    pruned = matcher.assign(people, jobs, forbidden=ban, **PATHS["pruned"])
    assert dense.for_candidate("c000009") == ("c000009", "v000001", pytest.approx(0.2947, abs=1e-4))
    assert pruned.for_candidate("c000009") == dense.for_candidate("c000009")


def test_pruning_with_many_forbidden_pairs_places_whom_the_exact_plan_places(
    matcher: Matcher,
) -> None:
    # 300 × 60, the default lists (20 per candidate, 3 per opening): forbidding each of some
    # people's 20 best vacancies must leave them the rest, as the exact plan does.
    people, jobs = _sorted(synth.cohort(matcher.taxonomy, 300, 60, seed=7))
    s = _scores(matcher, (people, jobs))
    who = [i for i in range(len(people)) if np.count_nonzero(s[i] > 0) > 20][::10]
    ban = [_o(people[i].id, jobs[int(j)].id, "not there") for i in who
           for j in np.argsort(-s[i], kind="stable")[:20]]  # fmt: skip
    dense = matcher.assign(people, jobs, forbidden=ban)
    pruned = matcher.assign(people, jobs, forbidden=ban, dense_max_pairs=0)
    assert pruned.pruning is not None
    for i in who:
        cid = people[i].id
        assert pruned.for_candidate(cid).__class__ is dense.for_candidate(cid).__class__
        entry = pruned.for_candidate(cid)
        assert getattr(entry, "reason", None) != "no_eligible_vacancy"


# -- the reason and the explanation of a person whose eligible pairs are forbidden ----------------


@pytest.mark.parametrize("path", PATHS)
@pytest.mark.parametrize("method", METHODS)
def test_a_person_whose_every_eligible_pair_is_forbidden_is_unplaced_as_forbidden_by_adviser(
    matcher: Matcher, cohort: Cohort, method: Any, path: str, tmp_path: Path
) -> None:
    people, jobs = cohort
    s = _scores(matcher, cohort)
    i = [c.id for c in people].index("c000009")
    cid = people[i].id
    ban = [_o(cid, jobs[int(j)].id, SECRET) for j in np.flatnonzero(s[i] > 0)]
    log = tmp_path / "decisions.jsonl"
    result = matcher.assign(people, jobs, method, forbidden=ban, log=log, **PATHS[path])
    entry = result.for_candidate(cid)
    assert entry == type(entry)(cid, "forbidden_by_adviser", None)  # no forbidden pair's score
    assert result.reason_counts()["forbidden_by_adviser"] == 1
    assert "forbidden_by_adviser" in lm_reasons()
    why = result.explain(cid)
    assert why.reason == "forbidden_by_adviser"
    assert why.options == ()
    text = str(why)
    assert "Best eligible vacancies" not in text
    assert "scores 0" not in text
    assert "an adviser forbade" in text
    assert "all 10 eligible vacancies" in text
    assert SECRET not in text
    lines = [json.loads(line) for line in log.read_text(encoding="utf-8").splitlines()]
    mine = [x for x in lines if x["candidate_id"] == cid and x["decision"] == "not_placed"]
    assert [x["reason"] for x in mine] == ["forbidden_by_adviser"]


@pytest.mark.parametrize("path", PATHS)
def test_best_score_and_options_leave_the_forbidden_pairs_out(
    matcher: Matcher, cohort: Cohort, path: str
) -> None:
    people, jobs = cohort
    s = _scores(matcher, cohort)
    i = [c.id for c in people].index("c000009")
    cid = people[i].id
    order = np.argsort(-s[i], kind="stable")
    first, second = float(s[i, order[0]]), float(s[i, order[1]])
    assert first > second > 0
    min_score = (first + second) / 2  # the best pair qualifies, the second does not
    ban = _o(cid, jobs[int(order[0])].id, "not there")
    result = matcher.assign(people, jobs, "optimal", min_score, forbidden=[ban], **PATHS[path])
    entry = result.for_candidate(cid)
    assert entry == type(entry)(cid, "below_min_score", pytest.approx(second, abs=1e-12))
    why = result.explain(cid)
    assert ban.vacancy_id not in [o.vacancy_id for o in why.options]
    assert why.options[0].vacancy_id == jobs[int(order[1])].id
    assert any(f"forbade 1 more eligible vacancy ({ban.vacancy_id})" in c for c in why.changes)


def test_reason_counts_list_forbidden_by_adviser_only_for_runs_with_forbidden_pairs(
    matcher: Matcher, cohort: Cohort
) -> None:
    people, jobs = cohort
    plain = matcher.assign(people, jobs)
    assert list(plain.reason_counts()) == ["no_eligible_vacancy", "below_min_score", "outcompeted"]
    ban = _o(plain.pairs[0].candidate_id, plain.pairs[0].vacancy_id, "not there")
    counts = matcher.assign(people, jobs, forbidden=[ban]).reason_counts()
    assert list(counts) == list(lm_reasons())
    assert sum(counts.values()) == len(matcher.assign(people, jobs, forbidden=[ban]).unassigned)


def lm_reasons() -> tuple[str, ...]:
    from labourint_match.assignment import UNPLACED_REASONS

    return tuple(UNPLACED_REASONS)
