"""SkillResolver: normalisation, exact/variant/fuzzy resolution, reporting, cache, full ESCO."""

from __future__ import annotations

import collections
import csv
import dataclasses
import itertools
import os
import random
import time
import unicodedata
import warnings
from pathlib import Path

import numpy as np
import pytest
from benchmarks.bench_resolve import perturb  # the benchmark's perturbations, the same model
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from labourint_match import Taxonomy
from labourint_match.errors import ConfigError, LabourintMatchWarning, ResolutionError
from labourint_match.resolve import (
    MAX_TEXT_LENGTH,
    Resolution,
    ResolutionReport,
    SkillResolver,
    _index,
    normalise,
)
from labourint_match.taxonomy._compiled import KIND_NAMES

SHARED = Path(__file__).resolve().parents[2] / "shared"
VALIDATION = SHARED / "validation"

ZERO_WIDTH = ("\u200b", "\u200c", "\u200d", "\u2060", "\ufeff", "\u200e", "\u200f", "\u202b",
              "\u202c", "\u2066", "\u2069", "\u061c", "\u00ad")  # fmt: skip
ARABIC_MARKS = ("\u064e", "\u064f", "\u0650", "\u0651", "\u0652", "\u064b", "\u064c", "\u064d")
TATWEEL = "\u0640"


@pytest.fixture(autouse=True)
def cache_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Every test gets its own cache directory, so no test depends on a user cache."""
    cache = tmp_path / "cache"
    monkeypatch.setenv("LABOURINT_MATCH_CACHE_DIR", str(cache))
    return cache


@pytest.fixture(scope="module")
def bundled() -> Taxonomy:
    return Taxonomy.default(cache=False)


@pytest.fixture(scope="module")
def all_kinds(bundled: Taxonomy) -> SkillResolver:
    return SkillResolver(bundled, kinds="all", cache=False)


@pytest.fixture(scope="module")
def skills(bundled: Taxonomy) -> SkillResolver:
    return SkillResolver(bundled, cache=False)


@pytest.fixture(scope="module")
def bundled_labels(bundled: Taxonomy) -> list[tuple[str, str, str]]:
    return _labels(bundled)


@pytest.fixture(scope="module")
def bundled_owners(bundled: Taxonomy) -> dict[str, set[str]]:
    return _owners(bundled)


def _labels(taxonomy: Taxonomy) -> list[tuple[str, str, str]]:
    """(text, language, concept URI) of every label (scope notes are not labels)."""
    c = taxonomy.compiled
    out = []
    for i, uri in enumerate(c.uris):
        for j in range(int(c.label_indptr[i]), int(c.label_indptr[i + 1])):
            if c.label_kind[j] != 3:
                out.append((c.label_text[j], c.label_langs[c.label_lang[j]], uri))
    return out


def _owners(taxonomy: Taxonomy) -> dict[str, set[str]]:
    """Normalised label → every concept carrying it (the accepted answers for that label)."""
    owners: dict[str, set[str]] = collections.defaultdict(set)
    for text, _, uri in _labels(taxonomy):
        owners[normalise(text)].add(uri)
    return owners


# -- perturbations ------------------------------------------------------------------------------


def _sprinkle(text: str, marks: tuple[str, ...], rng: random.Random, every: int = 3) -> str:
    out = []
    for k, ch in enumerate(text):
        out.append(ch)
        if k % every == 0:
            out.append(rng.choice(marks))
    return "".join(out)


def _arabic_marks(text: str, rng: random.Random) -> str:
    """Add harakat after Arabic letters and a tatweel inside words (as people and tools do)."""
    out = []
    for ch in text:
        out.append(ch)
        if "\u0621" <= ch <= "\u064a" and ch != "\u0640":
            r = rng.random()
            if r < 0.4:
                out.append(rng.choice(ARABIC_MARKS))
            elif r < 0.6:
                out.append(TATWEEL)
    return "".join(out)


def _perturbations(text: str, lang: str, rng: random.Random) -> dict[str, str]:
    variants = {
        "as is": text,
        "NFD": unicodedata.normalize("NFD", text),
        "NFC": unicodedata.normalize("NFC", unicodedata.normalize("NFD", text)),
        "upper": text.upper(),
        "swapcase": text.swapcase(),
        "whitespace": "  \t" + text.replace(" ", "  \u00a0 ") + " \n",
        "zero-width": _sprinkle(text, ZERO_WIDTH, rng),
    }
    if lang == "ar":
        variants["arabic marks"] = _arabic_marks(text, rng)
    combined = unicodedata.normalize("NFD", _sprinkle(text.upper(), ZERO_WIDTH, rng, every=4))
    if lang == "ar":
        combined = _arabic_marks(combined, rng)
    variants["combined"] = " " + combined.replace(" ", "   ") + " "
    return variants


# -- the bundled acceptance ---------------------------------------------------------------------


def test_every_bundled_label_in_every_language_resolves_to_its_concept_under_perturbations(
    bundled: Taxonomy, all_kinds: SkillResolver
) -> None:
    owners = _owners(bundled)
    rng = random.Random(7)
    texts: list[str] = []
    expected: list[tuple[set[str], str, str]] = []
    for text, lang, _ in _labels(bundled):
        for name, variant in _perturbations(text, lang, rng).items():
            texts.append(variant)
            expected.append((owners[normalise(text)], name, text))
    report = all_kinds.resolve_many(texts, top_k=1)
    failures = [
        (name, label, found[0].uri if found else None)
        for found, (accepted, name, label) in zip(report, expected, strict=True)
        if not found or found[0].uri not in accepted
    ]
    assert not failures, f"{len(failures)} of {len(texts)} failed, e.g. {failures[:5]}"
    languages = {lang for _, lang, _ in _labels(bundled)}
    assert {"en", "sv", "nb", "de", "fr", "it", "ar", "uk"} <= languages
    assert report.unresolved == ()


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_any_combination_of_perturbations_still_resolves_a_label_to_its_concept(
    bundled_labels: list[tuple[str, str, str]],
    bundled_owners: dict[str, set[str]],
    all_kinds: SkillResolver,
    data: st.DataObject,
) -> None:
    labels = bundled_labels
    text, lang, _ = labels[data.draw(st.integers(0, len(labels) - 1), label="label")]
    rng = random.Random(data.draw(st.integers(0, 2**16), label="seed"))
    mention = text
    if data.draw(st.booleans(), label="case"):
        mention = data.draw(st.sampled_from([str.upper, str.lower, str.swapcase, str.title]))(
            mention
        )
    form = data.draw(st.sampled_from(["NFC", "NFD", "NFKC", "NFKD"]), label="form")
    mention = unicodedata.normalize(form, mention)
    if data.draw(st.booleans(), label="zero-width"):
        mention = _sprinkle(mention, ZERO_WIDTH, rng, every=data.draw(st.integers(1, 6)))
    if lang == "ar" and data.draw(st.booleans(), label="arabic marks"):
        mention = _arabic_marks(mention, rng)
    spaces = data.draw(st.sampled_from([" ", "  ", "\t", "\u3000", " \n "]), label="spaces")
    mention = spaces + mention.replace(" ", spaces) + spaces
    found = all_kinds.resolve(mention, top_k=1)
    assert found, mention
    assert found[0].uri in bundled_owners[normalise(text)]
    assert found[0].method == "exact"


def test_shared_labels_break_ties_deterministically_by_label_kind_then_uri(
    bundled: Taxonomy, all_kinds: SkillResolver
) -> None:
    owners = _owners(bundled)
    shared = sorted(text for text, uris in owners.items() if len(uris) > 1)
    assert shared, "the bundled taxonomy has concepts sharing a label (ISCED-F fields)"
    for text in shared[:20]:
        first = all_kinds.resolve(text, top_k=10)
        again = all_kinds.resolve_many([text, "filler"], top_k=10)[0]
        assert tuple(first) == again
        exact = [r for r in first if r.method == "exact"]
        assert {r.uri for r in exact} == owners[text]
        kinds = [["pref", "alt", "hidden"].index(r.label_kind) for r in exact]
        assert kinds == sorted(kinds)
        for a, b in itertools.pairwise(exact):
            if a.label_kind == b.label_kind:
                assert a.uri < b.uri


# -- normalisation ------------------------------------------------------------------------------


def test_normalise_removes_arabic_diacritics_and_tatweel() -> None:
    plain = "مكتبة اللغة العربية"
    assert normalise("مَكْتَبَةُ اللُّغَةِ العَرَبِيَّةِ") == normalise(plain)
    assert normalise("مـــكتبة اللــغة العربيـة") == normalise(plain)
    assert normalise("مَـكْـتَـبَة اللغة العربية") == normalise(plain)


def test_normalise_keeps_hamza_letters_stable_under_decomposition_and_marks() -> None:
    word = "أساسيات"  # alef with hamza above, precomposed
    assert normalise(unicodedata.normalize("NFD", word)) == normalise(word)
    assert normalise("أَساسيات") == normalise(word)
    assert normalise("أـساسيات") == normalise(word)


def test_normalise_maps_arabic_indic_and_persian_digits_to_ascii() -> None:
    assert normalise("٠١٢٣٤٥٦٧٨٩") == "0123456789"
    assert normalise("۰۱۲۳۴۵۶۷۸۹") == "0123456789"
    assert normalise("شهادة B٢") == normalise("شهادة B2")


@pytest.mark.parametrize("mark", ZERO_WIDTH)
def test_normalise_drops_zero_width_and_bidi_marks(mark: str) -> None:
    assert normalise(f"team{mark}work") == "teamwork"
    assert normalise(f"{mark}svetsa{mark}") == "svetsa"


def test_normalise_treats_nfd_and_nfc_alike() -> None:
    for text in ("Kühlschrank", "créer", "Förare", "сварювання й", "rengjøre"):
        nfd, nfc = unicodedata.normalize("NFD", text), unicodedata.normalize("NFC", text)
        assert nfd != nfc or text.isascii() or text == "rengjøre"
        assert normalise(nfd) == normalise(nfc)


def test_normalise_folds_case_width_and_whitespace() -> None:
    assert normalise("  STRASSE\t\n ") == normalise("straße")
    assert normalise("ＳＱＬ　Ｓｅｒｖｅｒ") == "sql server"
    assert normalise("Customer’s  needs — met") == "customer's needs - met"


def test_nordic_letters_stay_distinct_unless_folding_is_asked_for() -> None:
    for nordic, plain in (("ø", "o"), ("å", "a"), ("æ", "ae"), ("ä", "a"), ("ö", "o")):
        assert normalise(f"x{nordic}y") != normalise(f"x{plain}y")
        assert normalise(f"x{nordic}y", fold_nordic=True) == normalise(f"x{plain}y")
    assert normalise("FØRERKORT") == "førerkort"
    assert normalise("FØRERKORT", fold_nordic=True) == "forerkort"
    assert normalise("Å", fold_nordic=True) == normalise("\u212b", fold_nordic=True) == "a"


@given(st.text(max_size=60))
def test_normalise_is_idempotent(text: str) -> None:
    once = normalise(text)
    assert normalise(once) == once
    assert once == once.strip()
    assert "  " not in once


def test_fold_nordic_resolver_matches_text_typed_without_nordic_letters(
    bundled: Taxonomy, skills: SkillResolver
) -> None:
    folded = SkillResolver(bundled, fold_nordic=True, cache=False)
    exact = folded.resolve("rengjore overflater", top_k=1)
    assert exact[0].method == "exact"
    assert exact[0].label == "rengjøre overflater"
    plain = skills.resolve("rengjore overflater", top_k=1)
    assert plain[0].method == "fuzzy"
    assert plain[0].uri == exact[0].uri


# -- resolution behaviour -----------------------------------------------------------------------


def test_variant_matches_ignore_inflection_order_stop_words_and_qualifiers(
    skills: SkillResolver,
) -> None:
    target = skills.resolve("clean rooms", top_k=1)[0]
    for mention in ("cleaning room", "rooms, clean", "clean the rooms", "Clean rooms!"):
        found = skills.resolve(mention, top_k=1)[0]
        assert (found.uri, found.method, found.score) == (target.uri, "variant", 0.95)


def test_fuzzy_matches_survive_typos_and_rank_below_exact_matches(skills: SkillResolver) -> None:
    found = skills.resolve("opperate weldin equipmnt", top_k=3)
    assert found[0].label == "operate welding equipment"
    assert found[0].method == "fuzzy"
    assert 0.0 <= found[-1].score <= found[0].score <= 0.9


def test_resolution_is_frozen_and_scores_are_ordered(skills: SkillResolver) -> None:
    found = skills.resolve("welding", top_k=5)
    assert len(found) == 5
    assert all(isinstance(r, Resolution) for r in found)
    assert [r.score for r in found] == sorted((r.score for r in found), reverse=True)
    assert len({r.uri for r in found}) == 5
    with pytest.raises(dataclasses.FrozenInstanceError):
        found[0].score = 0.0  # type: ignore[misc]


@settings(max_examples=60, deadline=None)
@given(st.text(max_size=40))
def test_any_text_resolves_to_sorted_scores_in_unit_interval(skills: SkillResolver,
                                                            text: str) -> None:  # fmt: skip
    report = skills.resolve_many([text], top_k=4)
    assert len(report) == 1
    found = report[0]
    assert (not found) == (report.unresolved == (0,))
    scores = [r.score for r in found]
    assert all(0.0 <= s <= 1.0 for s in scores)
    assert scores == sorted(scores, reverse=True)


def test_kinds_restrict_what_a_mention_resolves_to(bundled: Taxonomy,
                                                   skills: SkillResolver) -> None:  # fmt: skip
    cook = skills.resolve("cook", kinds="occupation", top_k=1)
    assert cook[0].label == "cook"
    assert bundled.kind(cook[0].uri).value == "occupation"
    # An occupation's label (all kinds: the occupation first) that also comes near skills' labels
    # ("cook" resolves to no skill, so a loop over its skills would check nothing).
    found = skills.resolve("welder", top_k=5)
    assert found
    for r in found:
        assert bundled.kind(r.uri).value == "skill"
    assert skills.kinds[0].value == "skill"
    both = SkillResolver(bundled, kinds=("skill", "occupation"), cache=False)
    assert {k.value for k in both.kinds} == {"skill", "occupation"}


def test_lang_restricts_matching_to_labels_in_that_language(skills: SkillResolver) -> None:
    sv = skills.resolve("svetsa", lang="sv", top_k=1)
    assert (sv[0].label, sv[0].lang, sv[0].method) == ("svetsa", "sv", "exact")
    assert all(r.lang == "de" for r in skills.resolve("svetsa", lang="de", top_k=3))
    assert skills.resolve("svetsa", lang="SV-se", top_k=1)[0].uri == sv[0].uri


def test_resolve_and_resolve_many_agree_whatever_the_batch_and_thread_count(
    bundled: Taxonomy, skills: SkillResolver
) -> None:
    rng = random.Random(3)
    texts = [text for text, _, _ in _labels(bundled)]
    mentions = []
    for text in rng.sample(texts, 700):
        chars = list(text)
        i = rng.randrange(len(chars))
        chars[i] = rng.choice("aeioutrsn")
        mentions.append("".join(chars))
    threaded = SkillResolver(bundled, workers=2, cache=False)
    one = skills.resolve_many(mentions)
    two = threaded.resolve_many(mentions)
    assert one.results == two.results
    shuffled = mentions[::-1]
    assert skills.resolve_many(shuffled).results == one.results[::-1]
    for k in range(0, 700, 97):
        assert tuple(skills.resolve(mentions[k])) == one[k]


# -- reporting and bad input --------------------------------------------------------------------


def test_unresolved_mentions_are_reported_never_dropped(skills: SkillResolver) -> None:
    texts = ["clean rooms", "", "   ", "\u200b\u200f", "qqqxzv", "!!! ???", "clean rooms"]
    report = skills.resolve_many(texts)
    assert isinstance(report, ResolutionReport)
    assert len(report) == len(texts)
    assert report.unresolved == (1, 2, 3, 4, 5)
    assert report.unresolved_texts == tuple(texts[i] for i in report.unresolved)
    assert report.best[0] is not None
    assert report.best[1] is None
    assert report[0] == report[6]
    records = report.to_records()
    assert {r["position"] for r in records} == set(range(len(texts)))
    assert [r["position"] for r in records if r["uri"] is None] == [1, 2, 3, 4, 5]
    assert skills.resolve("qqqxzv") == []


def test_non_string_mentions_raise_resolution_error_naming_the_position(
    skills: SkillResolver,
) -> None:
    with pytest.raises(ResolutionError, match="position 2"):
        skills.resolve_many(["clean rooms", "weld", 42])  # type: ignore[list-item]
    with pytest.raises(ResolutionError, match="position 0"):
        skills.resolve(None)  # type: ignore[arg-type]
    with pytest.raises(ResolutionError, match="single string"):
        skills.resolve_many("clean rooms")
    with pytest.raises(ResolutionError, match="list of strings"):
        skills.resolve_many(12)  # type: ignore[arg-type]


def test_invalid_options_raise_config_error(bundled: Taxonomy, skills: SkillResolver) -> None:
    for call in (
        lambda: skills.resolve("weld", top_k=0),
        lambda: skills.resolve("weld", top_k=True),  # type: ignore[arg-type]
        lambda: skills.resolve("weld", kinds="skills"),
        lambda: skills.resolve("weld", lang="xx"),
        lambda: SkillResolver(bundled, min_score=1.5, cache=False),
        lambda: SkillResolver(bundled, max_length=0, cache=False),
        lambda: SkillResolver(bundled, workers=0, cache=False),
        lambda: SkillResolver("not a taxonomy"),  # type: ignore[arg-type]
    ):
        with pytest.raises(ConfigError):
            call()
    with pytest.raises(ValueError, match="no labels in language 'xx'"):
        skills.resolve("weld", lang="xx")


def test_long_mentions_are_truncated_with_a_warning_that_does_not_echo_them(
    skills: SkillResolver,
) -> None:
    secret = "clean rooms" + " " * 1_000_000 + "Jane Doe, 1984-02-03"
    start = time.perf_counter()
    with pytest.warns(LabourintMatchWarning) as caught:
        report = skills.resolve_many(["weld", secret, "x" * (MAX_TEXT_LENGTH + 1)])
    assert time.perf_counter() - start < 5.0
    assert report.truncated == (1, 2)
    assert report[1][0].label == "clean rooms"
    message = str(caught[0].message)
    assert "positions 1, 2" in message
    assert str(MAX_TEXT_LENGTH) in message
    for echoed in ("Jane", "clean", "xxx"):
        assert echoed not in message
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert skills.resolve_many(["x" * MAX_TEXT_LENGTH]).truncated == ()


def test_megabyte_of_text_without_spaces_is_fast(skills: SkillResolver) -> None:
    start = time.perf_counter()
    with pytest.warns(LabourintMatchWarning):
        skills.resolve("ab" * 500_000)
    assert time.perf_counter() - start < 5.0


# -- the index cache ----------------------------------------------------------------------------


def test_second_resolver_loads_the_index_from_the_cache(bundled: Taxonomy,
                                                        cache_dir: Path) -> None:  # fmt: skip
    first = SkillResolver(bundled)
    assert not first.from_cache
    entries = list(cache_dir.glob("resolve-index-*.npz"))
    assert len(entries) == 1
    second = SkillResolver(bundled)
    assert second.from_cache
    mentions = ["clean rooms", "opperate weldin equipment", "svetsa", "qqqxzv"]
    assert first.resolve_many(mentions).results == second.resolve_many(mentions).results
    other = SkillResolver(bundled, fold_nordic=True)
    assert not other.from_cache
    assert len(list(cache_dir.glob("resolve-index-*.npz"))) == 2


@pytest.mark.parametrize("damage", ["garbage", "truncated", "stale key", "inconsistent"])
def test_a_corrupt_or_stale_cache_entry_is_rebuilt(bundled: Taxonomy, cache_dir: Path,
                                                   damage: str) -> None:  # fmt: skip
    reference = SkillResolver(bundled)
    (entry,) = cache_dir.glob("resolve-index-*.npz")
    data = entry.read_bytes()
    if damage == "garbage":
        entry.write_bytes(b"not an npz file at all")
    elif damage == "truncated":
        entry.write_bytes(data[: len(data) // 2])
    else:
        with np.load(entry, allow_pickle=False) as npz:
            arrays = {name: npz[name] for name in npz.files}
        if damage == "stale key":
            arrays["__header__"] = np.frombuffer(
                bytes(arrays["__header__"]).replace(b'"key": "', b'"key": "0'), dtype=np.uint8
            )
        else:
            arrays["mat_indptr"] = arrays["mat_indptr"][:-5]
        np.savez(entry, **arrays)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        rebuilt = SkillResolver(bundled)
    assert not rebuilt.from_cache
    mentions = ["clean rooms", "opperate weldin equipment"]
    assert rebuilt.resolve_many(mentions).results == reference.resolve_many(mentions).results
    assert SkillResolver(bundled).from_cache  # the rebuilt entry was written back


def test_an_unwritable_cache_directory_only_costs_speed(
    bundled: Taxonomy, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("not a directory")
    monkeypatch.setenv("LABOURINT_MATCH_CACHE_DIR", str(blocker / "cache"))
    first = SkillResolver(bundled)
    again = SkillResolver(bundled)
    assert not first.from_cache
    assert not again.from_cache
    assert first.resolve("clean rooms")[0].label == "clean rooms"


def test_cache_false_writes_nothing(bundled: Taxonomy, cache_dir: Path) -> None:
    resolver = SkillResolver(bundled, cache=False)
    assert not resolver.from_cache
    assert not list(cache_dir.glob("resolve-index-*"))


def test_cache_entries_are_keyed_by_content_and_options(bundled: Taxonomy) -> None:
    plain = _index.cache_key(bundled, "fold_nordic=False")
    assert plain == _index.cache_key(Taxonomy.default(cache=False), "fold_nordic=False")
    assert plain != _index.cache_key(bundled, "fold_nordic=True")
    assert os.fspath(_index.cache_path(plain)).startswith(os.environ["LABOURINT_MATCH_CACHE_DIR"])


# -- full ESCO (skipped where ../shared is absent) ----------------------------------------------


@pytest.fixture(scope="module")
def esco_resolver(esco: Taxonomy, tmp_path_factory: pytest.TempPathFactory) -> SkillResolver:
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("LABOURINT_MATCH_CACHE_DIR", str(tmp_path_factory.mktemp("esco-index")))
        return SkillResolver(esco)


@pytest.mark.esco
@pytest.mark.slow
def test_full_esco_labels_with_one_typo_swap_or_dropped_stop_word_resolve_top1(
    esco: Taxonomy, esco_resolver: SkillResolver
) -> None:
    """A seeded sample of 2,000 skill labels (preferred, alternative, hidden), each perturbed by
    one typo (labels of five letters or more), a swap of two adjacent words or a dropped stop
    word; the answer is any concept carrying the unperturbed label."""
    c = esco.compiled
    owners: dict[str, set[str]] = collections.defaultdict(set)
    candidates = []
    for i, uri in enumerate(c.uris):
        if KIND_NAMES[c.kind[i]] != "skill":
            continue
        for j in range(int(c.label_indptr[i]), int(c.label_indptr[i + 1])):
            if c.label_kind[j] != 3:
                owners[normalise(c.label_text[j])].add(uri)
                candidates.append(c.label_text[j])
    rng = random.Random(2024)
    mentions, accepted = [], []
    while len(mentions) < 2000:
        label = candidates[rng.randrange(len(candidates))]
        perturbed = perturb(label, rng)
        if perturbed is not None:
            mentions.append(perturbed)
            accepted.append(owners[normalise(label)])
    report = esco_resolver.resolve_many(mentions, top_k=1)
    hits = sum(
        bool(found) and found[0].uri in ok for found, ok in zip(report, accepted, strict=True)
    )
    assert hits / len(mentions) >= 0.95, hits / len(mentions)


@pytest.mark.esco
def test_full_esco_every_preferred_skill_label_resolves_exactly(esco: Taxonomy,
                                                                esco_resolver: SkillResolver
                                                                ) -> None:  # fmt: skip
    c = esco.compiled
    skills = [i for i in range(len(c.uris)) if KIND_NAMES[c.kind[i]] == "skill"]
    labels = [esco.label(c.uris[i]) for i in skills]
    owners: dict[str, set[str]] = collections.defaultdict(set)
    for text, _, uri in _labels(esco):
        owners[normalise(text)].add(uri)
    report = esco_resolver.resolve_many([t.upper() for t in labels], top_k=1)
    wrong = [t for t, found in zip(labels, report, strict=True)
             if not found or found[0].uri not in owners[normalise(t)]]  # fmt: skip
    assert not wrong, wrong[:5]


def _validation(name: str) -> tuple[list[str], list[str]]:
    path = VALIDATION / f"{name}_validation_annotations.csv"
    if not path.is_file():
        pytest.skip(f"validation annotations not found at {path} (they live in ../shared)")
    mentions, gold = [], []
    with path.open(newline="", encoding="utf-8") as fh:
        for row in csv.DictReader(fh):
            if row["label"] in ("LABEL NOT PRESENT", "UNDERSPECIFIED"):
                continue
            mentions.append((row.get("sub_span") or "").strip() or row["span"])
            gold.append(row["label"])
    return mentions, gold


@pytest.mark.esco
@pytest.mark.parametrize(("name", "floor5"), [("tech", 0.80), ("house", 0.75)])
def test_full_esco_job_ad_mentions_reach_the_recall_floors(
    esco_resolver: SkillResolver, name: str, floor5: float
) -> None:
    mentions, gold = _validation(name)
    report = esco_resolver.resolve_many(mentions, top_k=5)
    labels = [[esco_resolver.taxonomy.label(r.uri) for r in found] for found in report]
    recall1 = np.mean([found[:1] == [g] for found, g in zip(labels, gold, strict=True)])
    recall5 = np.mean([g in found for found, g in zip(labels, gold, strict=True)])
    assert recall5 >= floor5, recall5
    assert recall1 >= 0.45, recall1
