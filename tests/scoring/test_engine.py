"""The Scorer's public twins of the kernels check what they are given (issue 20, item 1)."""

from __future__ import annotations

from datetime import date

import numpy as np
import pytest

from labourint_match import ScoringConfig, Taxonomy
from labourint_match.errors import ConfigError
from labourint_match.scoring.engine import EncodedCohort, Scorer
from labourint_match.synth import cohort as synthetic_cohort


@pytest.fixture(scope="module")
def setup() -> tuple[Scorer, EncodedCohort]:
    taxonomy = Taxonomy.default()
    scorer = Scorer(taxonomy, ScoringConfig(as_of=date(2026, 1, 1)))
    cohort = synthetic_cohort(taxonomy, n_candidates=12, n_vacancies=5, seed=3)
    return scorer, scorer.encode(cohort.candidates, cohort.vacancies)


def test_score_pairs_equals_the_top_k_scores(setup: tuple[Scorer, EncodedCohort]) -> None:
    scorer, enc = setup
    top = scorer.top_k(enc, 5)
    cand = np.repeat(np.arange(enc.n_candidates, dtype=np.int64), 5)
    vac = top.indices.reshape(-1).astype(np.int64)
    pairs = scorer.score_pairs(enc, cand, vac)
    np.testing.assert_array_equal(pairs.scores.reshape(-1), top.scores.reshape(-1))
    by_vacancy = scorer.top_k(enc, np.int64(3), by="vacancy")  # numpy integers are counts too
    assert by_vacancy.indices.shape == (enc.n_vacancies, 3)


@pytest.mark.parametrize(
    ("cand", "vac", "message"),
    [
        (np.array([0, 1], dtype=np.int32), np.array([0, 1]), "cand must be a 1-d int64 array"),
        (np.array([[0, 1]]), np.array([0, 1]), "cand must be a 1-d int64 array"),
        ([0, 1], np.array([0, 1]), "cand must be a 1-d int64 array, not list"),
        (np.array([0, 1]), np.array([0.0, 1.0]), "vac must be a 1-d int64 array"),
        (np.array([0, 12]), np.array([0, 1]), r"cand holds an index outside \[0, 12\)"),
        (np.array([0, 1]), np.array([-1, 1]), r"vac holds an index outside \[0, 5\)"),
        (np.array([0, 1]), np.array([0]), "cand and vac differ in length"),
    ],
)
def test_score_pairs_refuses_arrays_the_kernel_would_misread(
    setup: tuple[Scorer, EncodedCohort], cand: object, vac: object, message: str
) -> None:
    scorer, enc = setup
    with pytest.raises(ConfigError, match=message):
        scorer.score_pairs(enc, cand, vac)


def test_a_damaged_encoding_or_bad_options_are_config_errors(
    setup: tuple[Scorer, EncodedCohort],
) -> None:
    scorer, enc = setup
    with pytest.raises(ConfigError, match="EncodedCohort"):
        scorer.top_k("not an encoding", 3)  # type: ignore[arg-type]
    with pytest.raises(ConfigError, match="by must be"):
        scorer.top_k(enc, 3, by="employer")  # type: ignore[arg-type]
    with pytest.raises(ConfigError, match="k must be an int"):
        scorer.top_k(enc, 0)
    with pytest.raises(ConfigError, match="k must be an int"):
        scorer.top_k(enc, True)
    short = enc.V._replace(total_weight=enc.V.total_weight[:-1])
    with pytest.raises(ConfigError, match="total_weight"):
        scorer.top_k(enc._replace(V=short), 3)


def test_the_scorer_checks_what_it_is_built_from(setup: tuple[Scorer, EncodedCohort]) -> None:
    scorer = setup[0]
    taxonomy, config = scorer.taxonomy, scorer.config
    with pytest.raises(ConfigError, match=r"^taxonomy must be a Taxonomy, not str$"):
        Scorer("bundled", config)  # type: ignore[arg-type]
    with pytest.raises(ConfigError, match=r"^config must be a ScoringConfig, not NoneType$"):
        Scorer(taxonomy, None)  # type: ignore[arg-type]
    for bad, shown in ((0, "0"), (True, "a bool"), (2.0, "2.0"), ("2", "a str")):
        with pytest.raises(ConfigError, match=rf"^threads must be an int ≥ 1, not {shown}$"):
            Scorer(taxonomy, config, threads=bad)  # type: ignore[arg-type]
    assert Scorer(taxonomy, config, threads=None).threads is None
    built = Scorer(taxonomy, config, threads=np.int64(2))  # type: ignore[arg-type]
    assert built.threads == 2
    assert type(built.threads) is int
