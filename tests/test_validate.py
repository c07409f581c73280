"""One validator for counts and numbers in [0, 1]: numpy values accepted, bools refused, everywhere.

The checks of ``labourint_match._validate`` themselves, and the public calls that take such
options, so that each accepts and refuses the same values with the same message.
"""

from __future__ import annotations

import math
from datetime import date
from typing import Any

import numpy as np
import pytest

from labourint_match import Matcher, ScoringConfig, Taxonomy, synth
from labourint_match._validate import positive_int, unit_interval
from labourint_match.errors import ConfigError

INTS = [3, np.int8(3), np.int32(3), np.int64(3), np.uint16(3)]
NOT_INTS = [3.0, "3", None, np.float64(3.0), [3]]
BOOLS = [True, False, np.bool_(True)]


@pytest.mark.parametrize("value", INTS)
def test_integers_python_and_numpy_are_counts(value: Any) -> None:
    assert positive_int(value, "top_k") == 3
    assert type(positive_int(value, "top_k")) is int


@pytest.mark.parametrize("value", BOOLS)
def test_a_bool_is_never_a_count(value: Any) -> None:
    with pytest.raises(ConfigError, match=r"^top_k must be an int ≥ 1, not a bool$"):
        positive_int(value, "top_k")


@pytest.mark.parametrize("value", NOT_INTS)
def test_other_types_are_not_counts(value: Any) -> None:
    with pytest.raises(ConfigError, match=r"^top_k must be an int ≥ 1, not "):
        positive_int(value, "top_k")


def test_the_minimum_is_checked_and_named() -> None:
    assert positive_int(0, "per_opening", minimum=0) == 0
    with pytest.raises(ConfigError, match=r"^per_opening must be an int ≥ 0, not -1$"):
        positive_int(np.int64(-1), "per_opening", minimum=0)
    with pytest.raises(ConfigError, match=r"^top_k must be an int ≥ 1, not 0$"):
        positive_int(0, "top_k")


@pytest.mark.parametrize("value", [0, 1, 0.5, np.float32(0.5), np.float64(0.25), np.int64(1)])
def test_numbers_in_the_unit_interval(value: Any) -> None:
    x = unit_interval(value, "min_score")
    assert type(x) is float
    assert x == float(value)


@pytest.mark.parametrize("value", [*BOOLS, -0.1, 1.5, math.nan, math.inf, "0.5", None])
def test_other_values_are_not_in_the_unit_interval(value: Any) -> None:
    with pytest.raises(ConfigError, match=r"^min_score must be a number in \[0, 1\], not "):
        unit_interval(value, "min_score")


# -- the public calls ---------------------------------------------------------------------------


@pytest.fixture(scope="module")
def setup() -> tuple[Matcher, Any, Any]:
    taxonomy = Taxonomy.default()
    people, jobs = synth.cohort(taxonomy, 12, 5, seed=4)
    return Matcher(taxonomy, ScoringConfig(as_of=date(2026, 1, 1))), people, jobs


def _calls(m: Matcher, people: Any, jobs: Any) -> dict[str, Any]:
    """Each public call taking a count or a number in [0, 1], with that option set to `v`."""
    return {
        "rank top_k": lambda v: m.rank(people, jobs, top_k=v),
        "rank by vacancy top_k": lambda v: m.rank(people, jobs, top_k=v, by="vacancy"),
        "rank_chunks top_k": lambda v: list(m.rank_chunks(people, jobs, top_k=v)),
        "rank_chunks chunk_size": lambda v: list(m.rank_chunks(people, jobs, chunk_size=v)),
        "assign top_k": lambda v: m.assign(people, jobs, top_k=v, dense_max_pairs=0),
        "assign per_opening": lambda v: m.assign(people, jobs, per_opening=v),
        "assign dense_max_pairs": lambda v: m.assign(people, jobs, dense_max_pairs=v),
        "Matcher threads": lambda v: Matcher(m.taxonomy, m.config, threads=v),
    }


def _resolver_bound(m: Matcher) -> Any:
    from labourint_match.resolve import SkillResolver

    return SkillResolver(m.taxonomy)


@pytest.mark.parametrize(
    "call",
    ["rank top_k", "rank by vacancy top_k", "rank_chunks top_k", "rank_chunks chunk_size",
     "assign top_k", "assign per_opening", "assign dense_max_pairs", "Matcher threads"],
)  # fmt: skip
def test_every_count_option_takes_numpy_ints_and_refuses_bools(
    call: str, setup: tuple[Matcher, Any, Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    m, people, jobs = setup
    run = _calls(m, people, jobs)[call]
    run(np.int64(2))
    name = call.split()[-1]
    with pytest.raises(ConfigError, match=rf"^{name} must be an int ≥ \d, not a bool$"):
        run(True)


def test_extract_many_takes_numpy_ints_and_refuses_bools(
    setup: tuple[Matcher, Any, Any],
) -> None:
    resolver = _resolver_bound(setup[0])
    resolver.extract_many(["cook and bake bread"], top_k=np.int64(2))
    with pytest.raises(ConfigError, match=r"^top_k must be an int ≥ 1, not a bool$"):
        resolver.extract_many(["cook"], top_k=True)
    with pytest.raises(ConfigError, match=r"^min_score must be a number in \[0, 1\], not "):
        resolver.extract_many(["cook"], min_score=True)


@pytest.mark.parametrize(
    "name", ["min_resolution_score", "min_title_score", "ambiguity_margin", "confident_score"]
)
def test_matcher_unit_options_take_numpy_floats_and_refuse_bools(
    name: str, setup: tuple[Matcher, Any, Any]
) -> None:
    m = setup[0]
    built = Matcher(m.taxonomy, m.config, **{name: np.float32(0.5)})
    assert getattr(built, name) == 0.5
    with pytest.raises(ConfigError, match=rf"^{name} must be a number in \[0, 1\], not "):
        Matcher(m.taxonomy, m.config, **{name: True})


def test_assign_min_score_takes_numpy_floats_and_refuses_bools(
    setup: tuple[Matcher, Any, Any],
) -> None:
    m, people, jobs = setup
    m.assign(people, jobs, min_score=np.float32(0.25))
    with pytest.raises(ConfigError, match=r"^min_score must be a number in \[0, 1\], not "):
        m.assign(people, jobs, min_score=True)


def test_training_needs_takes_numpy_ints_and_refuses_bools(
    setup: tuple[Matcher, Any, Any],
) -> None:
    from labourint_match.analysis import training_needs

    m, people, jobs = setup
    training_needs(m, people[:3], jobs, top_k=np.int64(2), placement_gain=np.int32(0),
                   as_frame=False)  # fmt: skip
    with pytest.raises(ConfigError, match=r"^top_k must be an int ≥ 1, not a bool$"):
        training_needs(m, people[:3], jobs, top_k=True, as_frame=False)
    with pytest.raises(ConfigError, match=r"^min_score must be a number in \[0, 1\], not "):
        training_needs(m, people[:3], jobs, min_score=True, as_frame=False)


def test_the_resolver_takes_numpy_ints_and_refuses_bools(
    setup: tuple[Matcher, Any, Any],
) -> None:
    resolver = _resolver_bound(setup[0])
    assert len(resolver.resolve("bake bread", top_k=np.int64(2))) <= 2
    with pytest.raises(ConfigError, match=r"^top_k must be an int ≥ 1, not a bool$"):
        resolver.resolve("bake bread", top_k=True)


# -- no record content in a message --------------------------------------------------------------


def test_a_refused_non_number_is_named_by_its_type_only() -> None:
    with pytest.raises(ConfigError, match=r"^top_k must be an int ≥ 1, not a str$"):
        positive_int("secret", "top_k")
    with pytest.raises(ConfigError, match=r"^top_k must be an int ≥ 1, not None$"):
        positive_int(None, "top_k")
    with pytest.raises(ConfigError, match=r"^top_k must be an int ≥ 1, not 3\.5$"):
        positive_int(3.5, "top_k")  # a number is shown
    with pytest.raises(ConfigError, match=r"^min_score must be a number in \[0, 1\], not a str$"):
        unit_interval("secret", "min_score")


def test_a_profile_passed_as_top_k_puts_no_record_content_in_the_message(
    setup: tuple[Matcher, Any, Any],
) -> None:
    m, people, jobs = setup
    person = people[0]
    with pytest.raises(ConfigError) as caught:
        m.rank(people, jobs, person)
    message = str(caught.value)
    assert message == "top_k must be an int ≥ 1, not a CandidateProfile"
    assert person.id not in message
    for value in person.model_dump().values():
        if isinstance(value, str) and value:
            assert value not in message
