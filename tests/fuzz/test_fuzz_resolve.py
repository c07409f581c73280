"""Fuzzing SkillResolver.resolve: any text (lone surrogates, controls, bidi and zero-width
characters, any script, past the length limit) resolves to a sorted list of at most ``top_k``
results in [0, 1], the same for canonically equivalent spellings, or raises a
LabourintMatchError; never anything else, never a hang.
"""

from __future__ import annotations

import os
import unicodedata
import warnings
from datetime import timedelta

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from labourint_match import SkillResolver, Taxonomy
from labourint_match.errors import LabourintMatchError

# LABOURINT_FUZZ_SCALE=20 multiplies the number of examples, for a longer search.
SCALE = int(os.environ.get("LABOURINT_FUZZ_SCALE", "1"))
FUZZ = settings(
    max_examples=200 * SCALE,
    deadline=timedelta(seconds=5),
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
ODD = [
    "\ud800",
    "\udfff",
    "\x00",
    "\x1b",
    "\u200b",
    "\u200c",
    "\u200d",
    "\u200e",
    "\u200f",
    "\u202e",
    "\u2066",
    "\ufeff",
    "\u00ad",
    "\u0640",  # tatweel
    "\u064e",  # fatha
    "\u0301",  # combining acute
    "\u0661",  # Arabic-Indic one
    "\u06f1",  # Persian one
    "\uff41",  # fullwidth a
    "\u0130",  # dotted capital I
    "\u00df",  # sharp s
    "\ufb01",  # fi ligature
    "\u3164",
    "\U0010ffff",
    " ",
    "\t",
    "\n",
]
WORDS = ["weld", "welding", "clean", "rooms", "städa", "rum", "تنظيف", "الغرف", "the", "and", "3D"]
TEXT = st.one_of(
    st.text(max_size=80),
    st.text(st.sampled_from(ODD), max_size=20),
    st.lists(st.one_of(st.sampled_from(WORDS), st.sampled_from(ODD)), max_size=12).map("".join),
    st.lists(st.sampled_from(WORDS), max_size=8).map(" ".join),
    st.text(st.characters(codec="utf-8"), min_size=490, max_size=700),
)
LANGS = st.sampled_from([None, "en", "sv", "ar", "EN-gb", " sv ", "", "xx", "zz-Latn"])


@pytest.fixture(scope="module")
def resolver() -> SkillResolver:
    return SkillResolver(Taxonomy.default())


@FUZZ
@given(text=TEXT, lang=LANGS, top_k=st.integers(1, 40))
def test_any_text_resolves_to_sorted_bounded_results_or_a_labourint_match_error(
    resolver: SkillResolver, text: str, lang: str | None, top_k: int
) -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # truncation of long mentions
        try:
            results = resolver.resolve(text, lang, top_k=top_k)
        except LabourintMatchError:
            return
        assert len(results) <= top_k
        scores = [r.score for r in results]
        assert scores == sorted(scores, reverse=True)
        assert all(0.0 <= s <= 1.0 for s in scores)
        assert len({r.uri for r in results}) == len(results)
        for form in ("NFC", "NFD"):
            other = unicodedata.normalize(form, text)
            if max(len(text), len(other)) > 500:  # truncation counts code points
                continue
            again = resolver.resolve(other, lang, top_k=top_k)
            assert [(r.uri, r.score) for r in again] == [(r.uri, r.score) for r in results]


@settings(max_examples=30 * SCALE, deadline=timedelta(seconds=10))
@given(texts=st.lists(TEXT, max_size=12), top_k=st.integers(1, 5))
def test_resolve_many_agrees_with_resolve_and_reports_every_mention(
    resolver: SkillResolver, texts: list[str], top_k: int
) -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        report = resolver.resolve_many(texts, top_k=top_k)
        assert len(report) == len(texts)
        for i, text in enumerate(texts):
            assert list(report[i]) == resolver.resolve(text, top_k=top_k)
            assert (i in report.unresolved) == (not report[i])
