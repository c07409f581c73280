"""Explanations in the adviser's language (issue 23, item 6).

The frames, notes, gaps, pathway steps and HTML headings are written in the language asked for
(en, sv, nb, de, fr, it, ar, uk; ``no`` as ``nb``), English frames otherwise; Arabic HTML runs right
to left; the HTML shows the languages, the notes and the evidence as the text does; the English text
is unchanged (``tests/test_golden.py`` pins it).
"""

from __future__ import annotations

import html
import re
import string
from datetime import date
from html.parser import HTMLParser
from typing import Any

import pytest

from labourint_match import (
    CandidateProfile,
    ConfigError,
    Matcher,
    ScoringConfig,
    Taxonomy,
    Vacancy,
    load_candidates,
    load_vacancies,
    synth,
)
from labourint_match.resolve import Resolution
from labourint_match.scoring import explain as explain_module
from labourint_match.scoring._messages import CATALOGUE, LANGUAGE_NAMES
from labourint_match.scoring.explain import EXPLANATION_LANGUAGES, Explanation, language_name

T = Taxonomy.default()
CONFIG = ScoringConfig(as_of=date(2026, 3, 1))
M = Matcher(T, CONFIG)
FIXTURES = "tests/fixtures/profiles/"
OTHERS = [lang for lang in EXPLANATION_LANGUAGES if lang != "en"]


def uri(label: str) -> str:
    return next(u for u in T.uris if T.label(u) == label)


COOK = uri("cook")
COOK_SKILLS = [r.skill for r in T.occupation_skills(COOK) if r.relation == "essential"]


class _Resolver:
    """One mention resolved for sure, one nearly tied between two skills (so: check it)."""

    def resolve(self, text: str, lang: str | None = None, top_k: int = 5) -> list[Resolution]:
        found = {
            "my trade": [Resolution(COOK_SKILLS[0], "s", "en", 1.0, "exact", "pref")],
            "forklift driving": [
                Resolution(COOK_SKILLS[1], "a", "en", 1.0, "exact", "alt"),
                Resolution(COOK_SKILLS[2], "b", "en", 0.97, "variant", "pref"),
            ],
        }
        return found.get(text, [])[:top_k]


RICH = Matcher(T, CONFIG, resolver=_Resolver())  # type: ignore[arg-type]


def rich_pair(**vacancy_changes: Any) -> tuple[CandidateProfile, Vacancy]:
    """A pair with every part an explanation can have: evidence, a match to check, a language
    gap bridged by language training, skill gaps, a recognition step, pathway steps and notes."""
    person = CandidateProfile.model_validate({
        "id": "c-1",
        "skills": [
            "my trade", "forklift driving", {"skill": COOK_SKILLS[3], "evidence": "certified"},
            "xyzzy frobnicate",
        ],
        "languages": [{"language": "sv", "level": "A2"}],
        "education": [{"isced_level": 3, "recognition": "pending"}],
        "preferences": {"occupations": [uri("building cleaner")], "hours": "part_time"},
        "available_from": "2026-05-01",
    })  # fmt: skip
    job = Vacancy.model_validate({
        "id": "v-1", "occupation": COOK, "skills": COOK_SKILLS[:6],
        "languages": [{"language": "sv", "spoken_interaction": "B1"}], "min_isced": 3,
        "support": {"language_training": True, "on_the_job_training": True},
        "start_date": "2026-04-01", "hours": "full_time", "remote": True, **vacancy_changes,
    })  # fmt: skip
    return person, job


def rich(lang: str, **vacancy_changes: Any) -> Explanation:
    return RICH.explain(*rich_pair(**vacancy_changes), lang=lang)


# -- the catalogue --------------------------------------------------------------------------------


def _fields(frame: str) -> list[str]:
    return sorted(f for _, f, _, _ in string.Formatter().parse(frame) if f is not None)


def test_every_language_has_every_english_frame_with_the_same_placeholders() -> None:
    assert (
        tuple(CATALOGUE)
        == EXPLANATION_LANGUAGES
        == ("en", "sv", "nb", "de", "fr", "it", "ar", "uk")
    )
    english = CATALOGUE["en"]
    for lang in OTHERS:
        frames = CATALOGUE[lang]
        assert set(frames) == set(english), lang
        for key, frame in frames.items():
            assert _fields(frame) == _fields(english[key]), (lang, key)
            assert frame.strip() or key in ("list_sep", "clause_sep"), (lang, key)
        translated = [k for k in english if frames[k] != english[k]]
        assert len(translated) > 0.9 * len(english), lang  # not English copied over


def test_the_constant_is_public_and_every_language_names_the_bundled_languages() -> None:
    assert "EXPLANATION_LANGUAGES" in explain_module.__all__
    bundled = {"en", "sv", "no", "de", "fr", "it", "ar", "uk", "fa", "ku", "tr", "ru", "es", "pl"}
    for lang in OTHERS:
        assert bundled <= set(LANGUAGE_NAMES[lang]), lang
    assert language_name("sv", "sv") == "svenska"
    assert language_name("de", "de") == "Deutsch"
    assert language_name("ar", "ar") == "العربية"
    assert language_name("sv", "fi") == "Swedish"  # a language without names: English
    assert language_name("xx", "sv") == "xx"


# -- the text -------------------------------------------------------------------------------------

#: Words of the English frames that must not show through a translated explanation.
ENGLISH_FRAMES = [
    "Candidate",
    "and vacancy",
    "score",
    "of 1",
    "Why this score",
    "weight",
    "in proportion",
    "Skills the job asks for",
    "essential",
    "optional",
    "has it",
    "not in the profile",
    "credit",
    "Languages",
    "needs",
    "level not stated",
    "language training",
    "Gaps",
    "bridged by",
    "only partly met",
    "Note:",
    "Next step",
    "ready to start",
    "ready with support",
    "training first",
    "not eligible",
    "on the job training",
    "from free text",
    "check it",
    "recognition",
    "pending",
    "asked for",
    "preferred",
    "right to work",
    "the job starts",
    "available from",
    "full time",
    "part time",
    "could not be matched",
    "match(es)",
    "remote work",
    "no minimum",
]


def test_a_swedish_explanation_has_no_english_frame_left() -> None:
    text = str(rich("sv"))
    found = [w for w in ENGLISH_FRAMES if re.search(rf"(?<!\w){re.escape(w)}(?!\w)", text)]
    assert found == []
    for swedish in ("Kompetenser som tjänsten kräver", "Nästa steg", "Obs:", "Språk", "Luckor"):
        assert swedish in text
    assert "svenska, samtala med andra: kräver B1, i profilen: A2 (språkutbildning erbjuds)" in text
    assert "kontrollera" in text  # the free-text match to check


def test_an_ineligible_swedish_pair_says_why_in_swedish() -> None:
    person, job = rich_pair()
    blocked = person.model_copy(
        update={"work_authorisation": person.work_authorisation.model_copy(
            update={"status": "refugee", "work_allowed_from": date(2026, 6, 1)}
        )}
    )  # fmt: skip
    e = RICH.explain(blocked, job, lang="sv")
    assert e.pathway.kind == "not_eligible"
    text = str(e)
    assert "rätten att arbeta omfattar inte startdatumet" in text
    assert "arbete är tillåtet från 2026-06-01 (arbetet börjar 2026-04-01)" in text
    assert not any(w in text for w in ("not eligible", "not possible", "work is allowed"))


@pytest.mark.parametrize("lang", OTHERS)
def test_each_language_writes_every_part_in_its_own_words(lang: str) -> None:
    english, local = rich("en"), rich(lang)
    assert local.lang == lang
    assert local.pathway.lang == lang
    assert local.score == english.score
    assert local.components == english.components
    assert str(local) != str(english)
    assert len(str(local).splitlines()) == len(str(english).splitlines())
    for part in ("notes", "gaps"):
        assert len(getattr(local, part)) == len(getattr(english, part))
    assert all(a != b for a, b in zip(local.notes, english.notes, strict=True))
    assert all(a.shortfall != b.shortfall for a, b in zip(local.gaps, english.gaps, strict=False))
    assert all(
        local.component_notes[n] != english.component_notes[n] for n in english.component_notes
    )
    assert all(a != b for a, b in zip(local.pathway.steps, english.pathway.steps, strict=True))
    assert str(local.pathway) != str(english.pathway)
    assert str(local).splitlines()[-1].endswith(str(local.pathway))


def test_norwegian_no_is_written_as_bokmal_and_unknown_languages_in_english() -> None:
    assert rich("no") == rich("nb")
    assert str(rich("NO")) == str(rich("nb"))
    assert rich("sv-SE") == rich("sv")
    finnish, english = rich("fi"), rich("en")
    assert finnish.lang == "en"
    assert str(finnish) == str(english)  # no Finnish labels in the bundled taxonomy either
    with pytest.raises(ConfigError, match="lang"):
        rich(3)  # type: ignore[arg-type]


def test_the_english_default_is_unchanged_by_asking_for_english() -> None:
    person, job = rich_pair()
    assert RICH.explain(person, job) == RICH.explain(person, job, lang="en")
    assert rich("en").lang == "en"


def test_fixture_explanations_are_written_in_the_language_asked_for() -> None:
    people = tuple(load_candidates(FIXTURES + "candidates.jsonl", taxonomy=T))
    jobs = tuple(load_vacancies(FIXTURES + "vacancies.json", taxonomy=T))
    for c in people:
        for v in jobs:
            english, german = str(M.explain(c, v)), str(M.explain(c, v, lang="de"))
            assert english.startswith("Candidate ")
            assert german.startswith("Person ")
            assert "Nächster Schritt: " in german
            assert "Next step" not in german


# -- the HTML -------------------------------------------------------------------------------------


class _Tags(HTMLParser):
    """The tags and attributes of a fragment, and its text."""

    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.text: list[str] = []
        self.open: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))
        self.open.append(tag)

    def handle_endtag(self, tag: str) -> None:
        assert self.open[-1:] == [tag], f"</{tag}> closes {self.open[-1:]}"
        self.open.pop()

    def handle_data(self, data: str) -> None:
        self.text.append(data)


def parse(fragment: str) -> _Tags:
    tags = _Tags()
    tags.feed(fragment)
    tags.close()
    assert tags.open == [], "every element is closed"
    return tags


def test_arabic_html_runs_right_to_left_and_others_left_to_right() -> None:
    page = rich("ar").to_html()
    assert page.startswith('<section class="labourint-explanation" lang="ar" dir="rtl">')
    assert page.endswith("</section>")
    for lang in ("en", "sv", "uk"):
        assert f'lang="{lang}" dir="ltr"' in rich(lang).to_html()
    assert rich("ar")._repr_html_() == page


@pytest.mark.parametrize("lang", EXPLANATION_LANGUAGES)
def test_the_html_shows_languages_notes_evidence_and_gaps_as_the_text_does(lang: str) -> None:
    e = rich(lang)
    words = CATALOGUE[lang]
    tags = parse(e.to_html())
    text = html.unescape("".join(tags.text))
    for heading in ("languages_heading", "skills_heading", "gaps_heading", "html_notes"):
        assert words[heading] in text
    for note in e.notes:
        assert note in text
    for step in e.pathway.steps:
        assert step in text
    assert words["evidence_certified"] in text
    assert words["evidence_self_declared"] in text
    assert words["html_check_text"].format(confidence="1.00") in text
    assert words["html_offered"] in text  # language training offered
    assert words["support_language_training"] in text  # what bridges the language gap
    assert language_name("sv", lang) in text
    for g in e.gaps:
        assert g.label in text
        assert g.shortfall in text
    for r in e.requirements:
        assert r.label in text
    # Marks have words: no signal rests on a symbol or a colour alone.
    assert words["mark_met"] in text
    assert words["mark_not_met"] in text
    assert all(a.get("aria-hidden") == "true" for t, a in tags.tags if t == "span")


def test_the_html_is_an_accessible_fragment_without_document_or_script() -> None:
    page = rich("sv").to_html()
    tags = parse(page)
    names = [t for t, _ in tags.tags]
    assert {"html", "body", "head", "script", "style", "iframe"}.isdisjoint(names)
    assert not any(k.startswith("on") or k == "style" for _, a in tags.tags for k in a)
    assert names.count("table") == names.count("caption") == 4
    assert all(a.get("scope") in ("col", "row") for t, a in tags.tags if t == "th")
    assert "<table>" in page


def test_the_html_escapes_labels_and_free_text() -> None:
    title = '<img src=x onerror="alert(1)">&amp'
    e = M.explain(*rich_pair(occupation=None, title=title), lang="fr")
    page = e.to_html()
    assert "<img" not in page
    assert 'onerror="' not in page
    assert html.escape(title) in page
    assert "<img" not in rich("en").to_html()


def test_ineligible_html_lists_the_reasons_in_the_language() -> None:
    person, job = rich_pair(openings=0)
    e = RICH.explain(person, job, lang="it")
    text = html.unescape("".join(parse(e.to_html()).text))
    assert CATALOGUE["it"]["html_reasons"] in text
    assert CATALOGUE["it"]["reason_no_openings"] in text


def test_synthetic_pairs_give_well_formed_html_in_every_language() -> None:
    people, jobs = synth.cohort(T, 6, 4, seed=7)
    for c in people:
        for v in jobs:
            for lang in EXPLANATION_LANGUAGES:
                e = M.explain(c, v, lang=lang)
                parse(e.to_html())
                assert str(e)


# -- bidirectional text ---------------------------------------------------------------------------

RLM, LRM, ALM = "\u200f", "\u200e", "\u061c"
LRI, RLI, FSI, PDI = "\u2066", "\u2067", "\u2068", "\u2069"
LRE, RLE, PDF, LRO, RLO = "\u202a", "\u202b", "\u202c", "\u202d", "\u202e"


def test_bidi_marks_in_an_arabic_title_are_kept_in_text_and_html() -> None:
    title = (
        f"طاهٍ{RLM} في مطعم {LRI}Café Nord{PDI}{ALM} "
        f"{LRE}x{PDF}{RLE}y{PDF}{LRO}z{PDF}{RLO}w{PDF}{FSI}q{PDI}{LRM}"
    )
    e = M.explain(*rich_pair(occupation=None, title=title), lang="ar")
    assert e.vacancy_label == title
    text = str(e)
    assert f"«{title}»" in text.splitlines()[0]
    assert title in e.to_html()
    for mark in (RLM, LRM, ALM, LRI, RLI, FSI, PDI, LRE, RLE, PDF, LRO, RLO):
        assert explain_module._one_line(f"a{mark}b") == f"a{mark}b"
    assert explain_module._one_line("a\nb\u2028c\x85d") == "a b c d"  # controls still go
