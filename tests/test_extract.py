"""SkillResolver.extract / extract_many: skills in running text, with their score and span."""

from __future__ import annotations

import unicodedata
import warnings
from pathlib import Path

import pytest
from benchmarks.bench_extract import FLOORS, read_sentences, rp_at_k
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import labourint_match
from labourint_match import Taxonomy
from labourint_match.errors import ConfigError, LabourintMatchWarning, ResolutionError
from labourint_match.resolve import (
    MAX_EXTRACT_LENGTH,
    Extraction,
    ExtractionReport,
    SkillResolver,
    _extract,
    normalise,
)
from labourint_match.resolve._normalise import STOP_WORDS, tokens

SHARED = Path(__file__).resolve().parents[2] / "shared"
VALIDATION = SHARED / "validation"
# Pieces of text the hypothesis test strings together with letters and punctuation.
PIECES = ("clean rooms", "weld", "greet guests", " and ", "\u200b", "\u0301", "ال", "<X>")
COOK = "Wanted: a cook to greet guests, serve food and drinks and operate the cash point."


@pytest.fixture(autouse=True)
def cache_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Every test gets its own cache directory, so no test depends on a user cache."""
    cache = tmp_path / "cache"
    monkeypatch.setenv("LABOURINT_MATCH_CACHE_DIR", str(cache))
    return cache


@pytest.fixture(scope="module")
def resolver() -> SkillResolver:
    return SkillResolver(Taxonomy.default(cache=False), cache=False)


def _labels(found: list[Extraction]) -> list[str]:
    return [e.label for e in found]


def _check_spans(text: str, found: list[Extraction] | tuple[Extraction, ...]) -> None:
    for e in found:
        start, end = e.span
        assert 0 <= start < end <= len(text)
        assert text[start:end] == e.text
        words = tokens(normalise(e.text))
        assert words  # never a span of invisible characters or spaces
        assert words[0] not in STOP_WORDS, e.text
        assert words[-1] not in STOP_WORDS, e.text


# -- what it finds, and where -------------------------------------------------------------------


def test_extract_finds_the_skills_a_job_ad_sentence_mentions_with_spans_pointing_at_them(
    resolver: SkillResolver,
) -> None:
    found = resolver.extract(COOK, top_k=3)
    assert _labels(found) == ["greet guests", "operate cash point", "serve drinks"]
    assert [e.text for e in found] == ["greet guests", "operate the cash point",
                                       "serve food and drinks"]  # fmt: skip
    _check_spans(COOK, found)
    assert [e.method for e in found] == ["exact", "variant", "fuzzy"]


def test_a_span_never_crosses_a_clause_boundary(resolver: SkillResolver) -> None:
    text = "Clean rooms; weld.\nDebug software, computer programming (Java). Wash - iron"
    found = resolver.extract(text, top_k=20, min_score=0.0)
    assert {"clean rooms", "debug software", "computer programming", "weld"} <= set(_labels(found))
    _check_spans(text, found)
    for e in found:
        assert not any(mark in e.text for mark in (";", ".", "\n", ",", "(", ")", " - "))


def test_coordination_gives_the_left_conjunct_the_shared_head(resolver: SkillResolver) -> None:
    # "read and write Swedish" also says "read Swedish", a label no contiguous span carries.
    text = "I speak, read and write Swedish."
    found = {e.label: e for e in resolver.extract(text)}
    assert found["read Swedish"].method == "exact"
    assert found["read Swedish"].text == "read and write Swedish"
    assert found["write Swedish"].text == "write Swedish"


def test_a_full_label_outranks_a_fragment_of_a_longer_one(resolver: SkillResolver) -> None:
    found = resolver.extract("I have experience in debug software and computer programming")
    assert set(_labels(found)[:2]) == {"debug software", "computer programming"}
    assert all(e.score < 0.5 for e in found[2:])  # fragments ("programming") cover a part only


def test_ranking_is_by_score_unique_per_concept_bounded_by_top_k_and_deterministic(
    resolver: SkillResolver,
) -> None:
    text = COOK + " Customer service, some Spanish and Arabic, clean rooms and debug software."
    found = resolver.extract(text, top_k=6, min_score=0.0)
    assert len(found) == 6
    scores = [e.score for e in found]
    assert scores == sorted(scores, reverse=True)
    assert all(0.0 < s <= 1.0 for s in scores)
    assert len({e.uri for e in found}) == len(found)
    assert resolver.extract(text, top_k=6, min_score=0.0) == found
    assert resolver.extract(text, top_k=3, min_score=0.0) == found[:3]
    strict = resolver.extract(text, top_k=20, min_score=0.9)
    assert strict
    assert all(e.score >= 0.9 for e in strict)


def test_ties_prefer_the_tighter_span(resolver: SkillResolver) -> None:
    # "clean rooms" is found exactly from "clean rooms" and as a variant from longer spans.
    found = resolver.extract("I clean rooms and I clean the rooms daily", top_k=1)
    assert found[0].label == "clean rooms"
    assert found[0].span == (2, 13)


def test_lang_restricts_labels_to_one_language(resolver: SkillResolver) -> None:
    text = "Jag kan städa rum och svetsa."
    assert {e.lang for e in resolver.extract(text)} == {"sv"}
    assert set(_labels(resolver.extract(text, lang="sv"))) >= {"städa rum", "svetsa"}
    assert resolver.extract(text, lang="en") == []
    with pytest.raises(ConfigError, match="no labels in language"):
        resolver.extract(text, lang="xx")


def test_kinds_override_the_resolver_kinds(resolver: SkillResolver) -> None:
    text = "Worked as a welder and a cook for ten years."
    assert "welder" not in _labels(resolver.extract(text))
    assert {"welder", "cook"} <= set(_labels(resolver.extract(text, kinds="occupation")))


def test_a_preferred_label_outranks_the_same_text_as_another_concepts_alternative_label() -> None:
    ttl = b"""
    @prefix skos: <http://www.w3.org/2004/02/skos/core#> .
    @prefix esco: <http://data.europa.eu/esco/model#> .
    <urn:sql> a esco:Skill ; skos:prefLabel "SQL"@en .
    <urn:dbms> a esco:Skill ; skos:prefLabel "database management systems"@en ;
        skos:altLabel "SQL"@en .
    <urn:weld> a esco:Skill ; skos:prefLabel "weld"@en .
    """
    resolver = SkillResolver(Taxonomy.from_rdf(ttl, cache=False), cache=False)
    assert {r.score for r in resolver.resolve("SQL")} == {1.0}  # a tie for the resolver
    found = {e.uri: e for e in resolver.extract("We query SQL daily")}
    assert found["urn:sql"].score > found["urn:dbms"].score
    assert found["urn:dbms"].score == pytest.approx(0.8 * found["urn:sql"].score)


def test_a_word_many_labels_share_counts_for_less_than_a_rare_one() -> None:
    # "design" is a label, and a word of six other labels; "welding" is in one label only.
    others = "".join(
        f'<urn:d{i}> a esco:Skill ; skos:prefLabel "design {w}"@en .\n'
        for i, w in enumerate(("bridges", "gardens", "menus", "roofs", "logos", "boats"))
    )
    ttl = f"""
    @prefix skos: <http://www.w3.org/2004/02/skos/core#> .
    @prefix esco: <http://data.europa.eu/esco/model#> .
    <urn:design> a esco:Skill ; skos:prefLabel "design"@en .
    <urn:weld> a esco:Skill ; skos:prefLabel "welding"@en .
    {others}""".encode()
    resolver = SkillResolver(Taxonomy.from_rdf(ttl, cache=False), cache=False)
    found = resolver.extract("Design and welding", min_score=0.0)
    assert [e.uri for e in found[:2]] == ["urn:weld", "urn:design"]
    assert found[0].score == 1.0
    assert found[1].score < 0.8


def test_function_words_and_lower_case_abbreviations_are_not_skills(
    resolver: SkillResolver,
) -> None:
    # Function words alone are never a span, whatever they happen to resemble ("have" is a word
    # of "have commitment", "under" of "work under pressure").
    assert resolver.resolve("have")
    assert resolver.resolve("under")
    assert resolver.extract("We will have it done when you like, or under.", min_score=0.0) == []
    # Written in capitals, a function word is a name (IT, LESS) and may be a span.
    _, words = _extract._words("it IT less LESS")
    assert [w.edge for w in words] == [False, True, False, True]
    # Lower-case "go", "set" and "it" abbreviate labels of the taxonomy as resolve() sees them.
    assert resolver.resolve("go")[0].method == "acronym"
    for text in ("Ready to go.", "We set it up", "Can we do it?"):
        assert all(e.method != "acronym" for e in resolver.extract(text, min_score=0.0)), text
    # In capitals an abbreviation counts, shared among the concepts it may stand for.
    found = [e for e in resolver.extract("GO", min_score=0.0) if e.method == "acronym"]
    resolved = {r.uri: r.score for r in resolver.resolve("GO") if r.method == "acronym"}
    assert found
    assert all(e.score <= resolved[e.uri] / len(found) + 1e-6 for e in found)


# -- unicode and odd text -----------------------------------------------------------------------


@pytest.mark.parametrize(
    "odd",
    [
        pytest.param(lambda t: unicodedata.normalize("NFD", t), id="NFD"),
        pytest.param(lambda t: t.replace("e", "e\u200b").replace("o", "\u200co"), id="zero-width"),
        pytest.param(lambda t: "\u202b" + t.replace(" ", " \u200f") + "\u202c", id="bidi marks"),
        pytest.param(lambda t: t.upper(), id="upper"),
        pytest.param(
            lambda t: unicodedata.normalize("NFKC", t).translate(
                {c: c + 0xFEE0 for c in range(0x21, 0x7F)}
            ),
            id="fullwidth",
        ),
        pytest.param(lambda t: t.replace(" ", "\u00a0\u3000 "), id="odd spaces"),
        pytest.param(lambda t: "\ufeff" + t.replace("a", "a\u00ad"), id="bom, soft hyphens"),
    ],
)
def test_odd_unicode_finds_the_same_concepts_with_spans_into_the_odd_text(
    resolver: SkillResolver, odd: object
) -> None:
    text = "Jag kan städa rum. I greet guests and debug software; some Spanish."
    plain = {e.uri for e in resolver.extract(text, top_k=5)}
    changed = odd(text)  # type: ignore[operator]
    found = resolver.extract(changed, top_k=5)
    assert {e.uri for e in found} == plain
    _check_spans(changed, found)


def test_arabic_with_harakat_and_tatweel_resolves_and_spans_keep_the_marks(
    resolver: SkillResolver,
) -> None:
    plain = "أستطيع تنظيف الغرف"
    marked = "أستطيع تَنْظِيـــف الْغُرَف"
    [clean] = resolver.extract(plain, top_k=1)
    [found] = resolver.extract(marked, top_k=1)
    assert found.uri == clean.uri
    assert found.label == "تنظيف الغرف"
    assert found.text == "تَنْظِيـــف الْغُرَف"
    _check_spans(marked, [found])


def test_combining_marks_stay_inside_their_word() -> None:
    _, words = _extract._words("sveise\u0301 og hi\u0301ndi")
    assert [w.norm for w in words] == ["sveisé", "og", "híndi"]
    assert len({w.clause for w in words}) == 1


def test_placeholders_and_overlong_words_end_a_clause_and_are_never_spans(
    resolver: SkillResolver,
) -> None:
    text = "clean <ORGANIZATION> rooms " + "x" * 500 + " debug software"
    found = resolver.extract(text, min_score=0.0)
    assert "debug software" in _labels(found)
    assert all("ORGANIZATION" not in e.text and "x" * 61 not in e.text for e in found)
    assert "clean rooms" not in [e.label for e in found if e.method == "exact"]


@pytest.mark.parametrize("text", ["", "   \n\t", "\u200b\u200e\ufeff", "... ;;; !!!", "the of and"])
def test_empty_or_meaningless_text_gives_nothing_and_is_reported(
    resolver: SkillResolver, text: str
) -> None:
    assert resolver.extract(text) == []
    report = resolver.extract_many([text, "I weld."])
    assert report.unresolved == (0,)
    assert report.unresolved_texts == (text,)


def test_long_text_is_truncated_with_a_warning_and_stays_bounded(resolver: SkillResolver) -> None:
    assert MAX_EXTRACT_LENGTH == 10_000
    unit = "I greet guests and debug software. "
    text = unit * (2_000_000 // len(unit))  # 2 MB
    with pytest.warns(LabourintMatchWarning, match="truncated"):
        report = resolver.extract_many(["I weld.", text], max_length=2_000)
    assert report.truncated == (1,)
    assert {"greet guests", "debug software"} <= set(_labels(list(report[1])))
    assert all(e.span[1] <= 2_000 for e in report[1])
    with pytest.warns(LabourintMatchWarning, match="truncated"):
        assert resolver.extract("weld " * 3_000, max_length=100)[0].label == "weld"


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    text=st.lists(
        st.sampled_from([*"abcdeghiklmnorstuwäöé ,.;-/'&#+()\n", *PIECES]),
        max_size=40,
    ).map("".join),
    top_k=st.integers(1, 8),
)
def test_invariants_on_any_text(resolver: SkillResolver, text: str, top_k: int) -> None:
    found = resolver.extract(text, top_k=top_k, min_score=0.0)
    _check_spans(text, found)
    assert len(found) <= top_k
    assert len({e.uri for e in found}) == len(found)
    scores = [e.score for e in found]
    assert scores == sorted(scores, reverse=True)
    assert all(0.0 < s <= 1.0 for s in scores)


# -- extract_many -------------------------------------------------------------------------------


def test_extract_many_keeps_order_agrees_with_extract_and_reports_what_gave_nothing(
    resolver: SkillResolver,
) -> None:
    texts = [COOK, "", "qqqxzv zzv", "Jag kan svetsa.", COOK, "I weld."]
    report = resolver.extract_many(texts, top_k=3)
    assert isinstance(report, ExtractionReport)
    assert len(report) == len(texts)
    assert report.texts == tuple(texts)
    for text, found in zip(texts, report, strict=True):
        assert list(found) == resolver.extract(text, top_k=3)
    assert report.unresolved == (1, 2)
    assert report.unresolved_texts == ("", "qqqxzv zzv")
    assert report.truncated == ()
    assert report[0] == report[4]
    assert report[1:3] == ((), ())
    records = report.to_records()
    assert [r["position"] for r in records] == [
        i for i, found in enumerate(report) for _ in (found or [None])
    ]
    first = records[0]
    assert (first["label"], first["start"], first["end"]) == ("greet guests", 18, 30)
    assert records[3]["uri"] is None
    assert records[3]["rank"] is None
    assert resolver.extract_many([]).results == ()


def test_extract_many_takes_any_iterable_of_strings(resolver: SkillResolver) -> None:
    report = resolver.extract_many(t for t in ("I weld.", "I greet guests."))
    assert [found[0].label for found in report] == ["weld", "greet guests"]


@pytest.mark.parametrize(
    ("call", "error", "match"),
    [
        (lambda r: r.extract(42), ResolutionError, "must be a str"),
        (lambda r: r.extract_many("I weld"), ResolutionError, "not a single string"),
        (lambda r: r.extract_many(["ok", None]), ResolutionError, "position 1"),
        (lambda r: r.extract_many(7), ResolutionError, "list of strings"),
        (lambda r: r.extract("x", top_k=0), ConfigError, "top_k"),
        (lambda r: r.extract("x", top_k=True), ConfigError, "top_k"),
        (lambda r: r.extract("x", min_score=1.5), ConfigError, "min_score"),
        (lambda r: r.extract("x", min_score=float("nan")), ConfigError, "min_score"),
        (lambda r: r.extract("x", max_length=0), ConfigError, "max_length"),
        (lambda r: r.extract("x", lang=3), ConfigError, "lang"),
        (lambda r: r.extract("x", kinds="nonsense"), ConfigError, "unknown concept kind"),
    ],
)
def test_bad_arguments_raise_typed_errors(
    resolver: SkillResolver, call: object, error: type[Exception], match: str
) -> None:
    with pytest.raises(error, match=match):
        call(resolver)  # type: ignore[operator]


def test_defaults_match_the_module_constants() -> None:
    import inspect

    for method in (SkillResolver.extract, SkillResolver.extract_many):
        params = inspect.signature(method).parameters
        assert params["min_score"].default == _extract.DEFAULT_MIN_SCORE
        assert params["max_length"].default == _extract.MAX_EXTRACT_LENGTH


def test_extraction_types_are_exported_from_the_package_root() -> None:
    assert labourint_match.Extraction is Extraction
    assert labourint_match.ExtractionReport is ExtractionReport


# -- full ESCO, on real job-ad sentences ----------------------------------------------------------


@pytest.fixture(scope="module")
def esco_resolver(esco: Taxonomy) -> SkillResolver:
    return SkillResolver(esco, cache=False)


@pytest.mark.parametrize("name", ["HOUSE", "TECH"])
def test_full_esco_job_ad_sentences_reach_the_rp5_floor(
    esco: Taxonomy, esco_resolver: SkillResolver, name: str
) -> None:
    path = VALIDATION / f"{name.lower()}_validation_annotations.csv"
    if not path.is_file():
        pytest.skip(f"{path} not found (../shared lives outside a user's clone)")
    rows = read_sentences(path)
    c = esco.compiled
    pref = {c.uris[i]: c.label_text[j] for i in range(len(c.uris))
            for j in range(int(c.label_indptr[i]), int(c.label_indptr[i + 1]))
            if c.label_kind[j] == 0}  # fmt: skip
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # no truncation or other warning on real sentences
        report = esco_resolver.extract_many([s for s, _ in rows], top_k=5)
    for (sentence, _), found in zip(rows, report, strict=True):
        _check_spans(sentence, found)
    found_labels = [[pref[e.uri] for e in found] for found in report]
    assert rp_at_k(found_labels, [g for _, g in rows]) >= FLOORS[name]
