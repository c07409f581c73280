"""The bundled taxonomy labourint-core: contents, provenance, languages, and where it loads from."""

from __future__ import annotations

import warnings
from collections import Counter
from pathlib import Path

import pytest

import labourint_match
from labourint_match import ConceptKind, Taxonomy

REPO = Path(__file__).resolve().parents[2]
TTL = REPO / "taxonomies" / "labourint-core.ttl"
LABEL_LANGUAGES = {"en", "sv", "nb", "de", "fr", "it", "ar", "uk"}
COOK = "http://data.europa.eu/esco/occupation/90f75f67-495d-49fa-ab57-2f320e251d7e"


@pytest.fixture(scope="module")
def core() -> Taxonomy:
    return Taxonomy.default()


def test_bundled_taxonomy_has_the_promised_size(core: Taxonomy) -> None:
    counts = core.counts()
    assert counts["skill"] >= 400
    assert counts["occupation"] >= 60
    assert counts["skill_group"] > 0
    assert counts["occupation_group"] > 0
    assert counts["other"] == 0


def test_every_concept_has_a_preferred_label_in_all_eight_languages(core: Taxonomy) -> None:
    missing = {
        uri: sorted(LABEL_LANGUAGES - set(core.concept(uri).pref_labels)) for uri in core.uris
    }
    assert {u: m for u, m in missing.items() if m} == {}


def test_translations_carry_alternative_labels_too(core: Taxonomy) -> None:
    with_alt = Counter(
        lang for uri in core.uris for lang in core.concept(uri).alt_labels if lang != "en"
    )
    for lang in LABEL_LANGUAGES - {"en"}:
        assert with_alt[lang] >= 100, lang


def test_every_skill_reaches_a_top_level_skill_group(core: Taxonomy) -> None:
    tops = {u for u in core.concepts(ConceptKind.SKILL_GROUP) if not core.broader(u)}
    tops |= {u for u in core.concepts(ConceptKind.SKILL) if not core.broader(u)}
    for uri in core.concepts(ConceptKind.SKILL):
        chain = core.ancestors(uri)
        assert chain, uri
        assert set(chain) & tops, uri
        assert any(core.kind(a) is ConceptKind.SKILL_GROUP for a in chain), uri


def test_every_occupation_sits_under_an_isco_group_and_has_essential_skills(core: Taxonomy) -> None:
    for uri in core.concepts(ConceptKind.OCCUPATION):
        assert any(core.kind(a) is ConceptKind.OCCUPATION_GROUP for a in core.ancestors(uri))
    leaf_occupations = [
        u for u in core.concepts(ConceptKind.OCCUPATION) if core.occupation_skills(u)
    ]
    assert len(leaf_occupations) >= 60
    for uri in leaf_occupations:
        assert any(r.relation == "essential" for r in core.occupation_skills(uri)), uri


def test_sectors_where_newcomers_are_placed_are_covered(core: Taxonomy) -> None:
    # ISCO-08 sub-major groups: care, construction, hospitality, cleaning, transport and
    # logistics, manufacturing, retail, agriculture, ICT, education support.
    wanted = {"C53", "C71", "C51", "C91", "C83", "C93", "C52", "C92", "C25", "C75", "C72"}
    present = {a.rsplit("/", 1)[-1] for u in core.concepts("occupation") for a in core.ancestors(u)}
    assert wanted <= present


def test_language_concepts_cover_the_label_languages_and_origin_languages(core: Taxonomy) -> None:
    for code in ("en", "sv", "nb", "de", "fr", "it", "ar", "uk", "fa", "ku", "tr", "ru"):
        concepts = core.language(code)
        assert None not in concepts, code


def test_provenance_attribution_and_authored_marking_are_in_the_file() -> None:
    text = TTL.read_text(encoding="utf-8")
    assert "This service uses the ESCO classification of the European Commission." in text
    assert "dcterms:provenance" in text
    assert "authored" in text
    readme = (REPO / "taxonomies" / "README.md").read_text(encoding="utf-8")
    assert "This service uses the ESCO classification of the European Commission." in readme


def test_default_is_loaded_strictly_and_without_warnings() -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        t = Taxonomy.from_rdf(TTL, cache=False, strict=True)
    assert t == Taxonomy.default()


def test_default_comes_from_the_installed_package_data_when_installed() -> None:
    package_dir = Path(labourint_match.__file__).resolve().parent
    t = Taxonomy.default()
    if REPO / "src" in package_dir.parents:
        pytest.skip("running from an editable checkout; .ci/run also checks a built wheel")
    assert t.source.replace("\\", "/").endswith("labourint_match/_data/labourint-core.ttl")
    assert (package_dir / "_data" / "labourint-core.ttl").is_file()


@pytest.mark.esco
def test_bundled_concepts_are_real_esco_with_esco_english_labels_and_relations(
    core: Taxonomy, esco: Taxonomy
) -> None:
    for uri in core.uris:
        assert uri in esco, uri
        assert core.kind(uri) == esco.kind(uri)
        assert core.concept(uri).pref_labels["en"] == esco.concept(uri).pref_labels["en"]
        assert set(core.broader(uri)) == set(esco.broader(uri)), uri
        assert set(core.occupation_skills(uri)) <= set(esco.occupation_skills(uri))
        assert set(core.related_skills(uri)) <= set(esco.related_skills(uri))
    cook_core = dict(core.occupation_skills(COOK))
    cook_esco = dict(esco.occupation_skills(COOK))
    assert all(cook_esco[s] == rel for s, rel in cook_core.items())
