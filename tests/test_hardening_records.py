"""Issue 19, the items about records, text and empty cohorts: 20, 21, 28 and the empty cohort.

Each test is named by the item it answers (``test_19_<item>_…``) and fails on the code before
the fix: a subnormal coordinate made the ranking and the explanation disagree (20); a record could
hold thousands of free-text mentions, each costing milliseconds to resolve (21); unknown field
names were echoed, a raised ``ProfileError`` kept the input text reachable from its traceback, and
a ``$`` in a label broke ``savefig`` (28); an empty cohort was an error rather than an empty result.
"""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from labourint_match import (
    CandidateProfile,
    Matcher,
    ScoringConfig,
    Taxonomy,
    Vacancy,
    load_candidates,
)
from labourint_match.errors import ProfileError

COOK = "http://data.europa.eu/esco/occupation/90f75f67-495d-49fa-ab57-2f320e251d7e"
AS_OF = date(2026, 1, 1)


@pytest.fixture(scope="module")
def taxonomy() -> Taxonomy:
    return Taxonomy.default()


@pytest.fixture(scope="module")
def matcher(taxonomy: Taxonomy) -> Matcher:
    return Matcher(taxonomy, ScoringConfig(as_of=AS_OF))


@pytest.fixture(scope="module")
def cook_skills(taxonomy: Taxonomy) -> list[str]:
    return [r.skill for r in taxonomy.occupation_skills(COOK) if r.relation == "essential"]


# -- 20. a subnormal coordinate: rank and explain must agree ---------------------------------------

# Latitudes and longitudes whose distance to 0 underflows in the haversine formula (the squared
# half-angle is below the smallest double), next to ones that do not.
TINY = [5e-324, -5e-324, 1e-310, 1e-300, 1e-200, 1e-160, 1e-150, 9.99e-10]


@pytest.mark.parametrize("reach", [0.0, 10.0])
@pytest.mark.parametrize("tiny", TINY)
@pytest.mark.parametrize("axis", ["lat", "lon"])
def test_19_20_rank_scores_and_explain_agree_on_a_tiny_coordinate(
    matcher: Matcher, cook_skills: list[str], axis: str, tiny: float, reach: float
) -> None:
    where = {"lat": 0.0, "lon": 0.0, axis: tiny}
    person = CandidateProfile(
        id="c-1", skills=cook_skills[:4], location=where, max_commute_km=reach,
        work_authorisation={"status": "citizen"},
    )  # fmt: skip
    job = Vacancy(id="v-1", skills=cook_skills, occupation=COOK, location={"lat": 0.0, "lon": 0.0})
    explanation = matcher.explain(person, job)
    by_candidate = matcher.rank([person], [job]).for_candidate("c-1")[0]
    by_vacancy = matcher.rank([person], [job], by="vacancy").for_vacancy("v-1")[0]
    assert explanation.eligible  # 1e-9 degrees is 0.1 mm: within any reach, 0 km included
    for match in (by_candidate, by_vacancy):
        assert match.eligible == explanation.eligible
        assert match.score == pytest.approx(explanation.score, abs=1e-6)
    assert matcher.score(person, job) == pytest.approx(explanation.score, abs=1e-12)
    assert float(matcher.scores([person], [job])[0, 0]) == pytest.approx(by_candidate.score)


def test_19_20_coordinates_below_the_bound_are_read_as_zero_and_others_kept() -> None:
    from labourint_match.profiles import MIN_NONZERO_COORDINATE, Location

    assert MIN_NONZERO_COORDINATE == 1e-9
    snapped = Location(lat=5e-324, lon=-1e-10)
    assert (snapped.lat, snapped.lon) == (0.0, 0.0)
    assert str(snapped.lon) == "0.0"  # -0.0 too
    kept = Location(lat=1e-9, lon=-2.5e-9)
    assert (kept.lat, kept.lon) == (1e-9, -2.5e-9)
    assert Location.model_validate_json('{"lat": 1e-320, "lon": 18.07}').lat == 0.0


# -- 21. free-text mentions per record: bounded before any is resolved -----------------------------

MARKER = "ZZSECRET"


def _mentions(n: int) -> list[str]:
    return [f"{MARKER} mention {i}" for i in range(n)]


@pytest.mark.parametrize("model", [CandidateProfile, Vacancy])
def test_19_21_a_record_with_more_free_text_skills_than_the_bound_is_refused(
    model: type[CandidateProfile] | type[Vacancy],
) -> None:
    from pydantic import ValidationError

    from labourint_match.profiles import MAX_ITEMS, MAX_SKILL_MENTIONS

    assert MAX_SKILL_MENTIONS == 100 < MAX_ITEMS
    with pytest.raises(ValidationError) as info:
        model(id="r-1", skills=_mentions(MAX_SKILL_MENTIONS + 1))
    assert "MAX_SKILL_MENTIONS" in str(info.value)
    assert MARKER not in str(info.value)
    # At the bound, and with concept URIs beyond it (they are not resolved), it is accepted.
    assert len(model(id="r-1", skills=_mentions(MAX_SKILL_MENTIONS)).skills) == 100
    uris = [f"urn:ex:skill-{i}" for i in range(MAX_ITEMS - MAX_SKILL_MENTIONS)]
    assert len(model(id="r-1", skills=_mentions(MAX_SKILL_MENTIONS) + uris).skills) == MAX_ITEMS


def test_19_21_a_file_record_over_the_bound_is_a_profile_error_naming_record_field_and_limit(
    tmp_path: Path,
) -> None:
    path = tmp_path / "people.jsonl"
    lines = [
        {"id": "c-1", "skills": ["welding"]},
        {"id": "c-2", "skills": [{"skill": m, "level": 3} for m in _mentions(2000)]},
    ]
    path.write_text("".join(json.dumps(line) + "\n" for line in lines), encoding="utf-8")
    with pytest.raises(ProfileError) as info:
        load_candidates(path)
    err = info.value
    assert err.record == "c-2 (line 2 of people.jsonl)"
    assert err.field == "skills"
    assert "at most 100 (MAX_SKILL_MENTIONS)" in err.message
    assert "concept URIs" in err.message  # what to do instead
    assert MARKER not in str(err)


def test_19_21_the_matcher_resolves_at_most_the_bound_per_record(
    taxonomy: Taxonomy, cook_skills: list[str]
) -> None:
    """The bound is on the work: a record at the limit asks the resolver for 100 mentions."""
    from labourint_match.profiles import MAX_SKILL_MENTIONS

    class Counting:
        def __init__(self) -> None:
            self.texts: list[str] = []

        def resolve(self, text: str, lang: str | None = None, *, top_k: int = 5) -> list[Any]:
            self.texts.append(text)
            return []

    counting = Counting()
    matcher = Matcher(taxonomy, ScoringConfig(as_of=AS_OF), resolver=counting)  # type: ignore[arg-type]
    person = CandidateProfile(id="c-1", skills=_mentions(MAX_SKILL_MENTIONS) + cook_skills)
    matcher.rank([person], [Vacancy(id="v-1", skills=cook_skills)])
    assert len(counting.texts) == MAX_SKILL_MENTIONS


# -- 28. unknown keys withheld, no input in a raised error's frames, `$` in plot labels -----------


def _load_line(tmp_path: Path, record: Any) -> ProfileError:
    path = tmp_path / "people.jsonl"
    path.write_text(json.dumps(record) + "\n", encoding="utf-8")
    with pytest.raises(ProfileError) as info:
        load_candidates(path)
    return info.value


@pytest.mark.parametrize(
    "key",
    [
        "Anna Svensson",
        "anna.svensson@example.org",
        "19800101-1234",
        "anna_svensson",
        "ZZSECRET",
        "x" * 33,
        "name",
    ],
)
def test_19_28_an_unknown_key_is_named_by_position_not_content(tmp_path: Path, key: str) -> None:
    err = _load_line(tmp_path, {"id": "c-1", "skills": ["welding"], key: 1})
    assert err.field == "<key 3>"
    assert "'<key 3>'" in str(err)
    assert "is not a field" in str(err)
    assert repr(key) not in str(err)
    if key != "name":  # the message itself says "its name is not shown"
        assert key[:8] not in str(err)
    nested = _load_line(
        tmp_path, {"id": "c-1", "skills": [{"skill": "welding", "level": 2, key: 1}]}
    )
    assert nested.field == "skills.0.<key 3>"
    assert repr(key) not in str(nested)


@pytest.mark.parametrize(
    ("key", "field"),
    [
        ("langauges", "langauges"),
        ("Skills", "Skills"),
        ("work_authorization", "work_authorization"),
    ],
)
def test_19_28_a_misspelt_field_name_is_still_named(tmp_path: Path, key: str, field: str) -> None:
    err = _load_line(tmp_path, {"id": "c-1", "skills": ["welding"], key: []})
    assert err.field == field
    assert "check its spelling" in err.message


def test_19_28_a_repeated_key_is_named_only_when_it_is_a_field_name(tmp_path: Path) -> None:
    path = tmp_path / "people.jsonl"
    path.write_text('{"id": "c-1", "skills": [], "Anna Svensson": 1, "Anna Svensson": 2}\n')
    with pytest.raises(ProfileError) as info:
        load_candidates(path)
    assert "Anna" not in str(info.value)
    assert "key 4 of the object" in str(info.value)
    path.write_text('{"id": "c-1", "skills": [], "skills": []}\n')
    with pytest.raises(ProfileError, match="repeats the key 'skills'"):
        load_candidates(path)


def _holds(value: object, marker: str, depth: int = 0) -> bool:
    """Whether `value` (a frame's local) reaches text holding `marker`, a few levels down."""
    if isinstance(value, str):
        return marker in value
    if isinstance(value, (bytes, bytearray)):
        return marker.encode() in value
    if depth > 4:
        return False
    if isinstance(value, dict):
        return any(_holds(k, marker, depth + 1) or _holds(v, marker, depth + 1)
                   for k, v in value.items())  # fmt: skip
    if isinstance(value, (list, tuple, set, frozenset)):
        return any(_holds(v, marker, depth + 1) for v in value)
    if isinstance(value, BaseException):
        return _holds(value.args, marker, depth + 1)
    return False


def _library_frames(exc: BaseException) -> list[Any]:
    """Every frame of the library's in the tracebacks of `exc` and of the exceptions chained."""
    frames, todo, seen = [], [exc], set()
    while todo:
        e = todo.pop()
        if e is None or id(e) in seen:
            continue
        seen.add(id(e))
        tb = e.__traceback__
        while tb is not None:
            if "labourint_match" in tb.tb_frame.f_code.co_filename:
                frames.append(tb.tb_frame)
            tb = tb.tb_next
        todo += [e.__cause__, e.__context__]
    return frames


@pytest.mark.parametrize(
    "content",
    [
        '{"id": "c-1", "skills": ["ZZSECRET welding"], "max_commute_km": -1}\n',  # invalid field
        '{"id": "c-1", "skills": ["ZZSECRET welding"]\n',  # not JSON
        '[{"id": "c-1", "skills": ["ZZSECRET"]}, {"id": "c-1", "skills": []}]',  # duplicate id
        b'{"id": "c-1", "skills": ["ZZSECRET \xff"]}\n',  # not UTF-8
    ],
    ids=["invalid", "json", "duplicate", "utf8"],
)
def test_19_28_a_raised_profile_error_holds_no_input_text_in_its_frames(
    tmp_path: Path, content: str | bytes
) -> None:
    path = tmp_path / "people.json"
    if isinstance(content, bytes):
        path.write_bytes(content)
    else:
        path.write_text(content, encoding="utf-8")
    with pytest.raises(ProfileError) as info:
        load_candidates(path)
    err = info.value
    assert err.__cause__ is None
    assert err.__context__ is None
    frames = _library_frames(err)
    assert frames  # the loader's own frame, holding the path only
    for frame in frames:
        leaked = [name for name, v in frame.f_locals.items() if _holds(v, MARKER)]
        assert not leaked, (frame.f_code.co_name, leaked)


@pytest.mark.parametrize("label", ["a $^^$ b", "cost $\\frac$ x", "earn $5 to $10", "a\\$b$c"])
def test_19_28_a_dollar_in_a_plot_label_is_drawn_as_written(label: str) -> None:
    pytest.importorskip("matplotlib")
    import io

    from matplotlib.figure import Figure

    from labourint_match.plots import skills_gap_chart

    figure = Figure()
    ax = skills_gap_chart([{"label": label, "openings": 2, "candidates": 1}], ax=figure.subplots())
    figure.savefig(io.BytesIO(), format="png")  # mathtext would raise here, or draw italics
    tick = ax.get_yticklabels()[0]
    assert tick._preprocess_math(tick.get_text()) == (label, False)  # plain text, as written


# -- the empty cohort: an empty result, not an error ----------------------------------------------
# (every cohort entry point is walked in tests/test_bad_input_catalogue.py,
# test_empty_cohort_gives_an_empty_result_of_the_right_shape)


def test_19_empty_cohort_rank_chunks_of_an_empty_stream_gives_one_empty_ranking(
    matcher: Matcher, cook_skills: list[str]
) -> None:
    jobs = [Vacancy(id="v-1", skills=cook_skills), Vacancy(id="v-2", skills=cook_skills)]
    rankings = list(matcher.rank_chunks(iter([]), jobs, top_k=5))
    assert [(len(r), r.top_k, r.vacancy_ids) for r in rankings] == [(0, 2, ("v-1", "v-2"))]
    person = CandidateProfile(id="c-1", skills=cook_skills[:2])
    rankings = list(matcher.rank_chunks([person], [], top_k=5))
    assert [(len(r), r.top_k, r.to_records()) for r in rankings] == [(1, 0, [])]


def test_19_empty_cohort_by_vacancy_without_candidates_gives_rows_of_no_columns(
    matcher: Matcher, cook_skills: list[str]
) -> None:
    ranking = matcher.rank([], [Vacancy(id="v-1", skills=cook_skills)], by="vacancy")
    assert ranking.indices.shape == ranking.scores.shape == ranking.reasons.shape == (1, 0)
    assert ranking.for_vacancy("v-1") == []


def test_19_empty_cohort_an_unplaced_person_with_no_vacancies_is_told_so(
    matcher: Matcher, cook_skills: list[str]
) -> None:
    plan = matcher.assign([CandidateProfile(id="c-1", skills=cook_skills)], [])
    advice = plan.explain("c-1")
    assert advice.changes == ("the cohort has no vacancies: a placement needs at least one",)
    assert "add the skills" not in str(advice)


@pytest.mark.parametrize("command", ["rank", "assign"])
@pytest.mark.parametrize("empty", ["candidates", "vacancies"])
def test_19_empty_cohort_the_command_line_writes_an_empty_result_and_exits_0(
    tmp_path: Path, command: str, empty: str
) -> None:
    import io

    from labourint_match.cli import main

    people = tmp_path / "people.jsonl"
    jobs = tmp_path / "jobs.jsonl"
    people.write_text('{"id": "c-1", "skills": ["welding"]}\n' if empty != "candidates" else "")
    jobs.write_text('{"id": "v-1", "skills": ["welding"]}\n' if empty != "vacancies" else "")
    out = tmp_path / "out.csv"
    said = io.StringIO()
    argv = [command, str(people), str(jobs), "--as-of", "2026-01-01", "-o", str(out)]
    assert main(argv, out=said) == 0
    lines = out.read_text(encoding="utf-8").splitlines()
    header = "candidate_id,vacancy_id," + ("rank,score" if command == "rank" else "score")
    assert lines[0].startswith(header)
    if command == "assign" and empty == "vacancies":  # the person is listed, unplaced
        assert lines[1:] == ["c-1,,,false,no_eligible_vacancy"]
    else:
        assert lines[1:] == []
