"""ESCO CSV loading: the committed fixtures always; full ESCO v1.1.1 where ../shared is.

The archives are also loaded as the ESCO portal names its downloads: the relations archive is
``ESCO dataset - v1.1.1 - classification -  - csv.zip``, with nothing in its name saying
"relations", and each language's classification is an archive of its own.
"""

from __future__ import annotations

import csv
import io
import warnings
import zipfile
from collections import defaultdict
from pathlib import Path

import pytest

from labourint_match import ConceptKind, Taxonomy, TaxonomyWarning
from labourint_match.resolve import SkillResolver

MINI = Path(__file__).resolve().parents[1] / "fixtures" / "esco_mini"
SV = Path(__file__).resolve().parents[1] / "fixtures" / "esco_sv"
COOK = "http://data.europa.eu/esco/occupation/90f75f67-495d-49fa-ab57-2f320e251d7e"
FIXTURE = "http://example.org/esco-sv-fixture/"
WELDER = FIXTURE + "occupation/welder"
WELDING = FIXTURE + "skill/welding"


def portal_name(lang: str, version: str = "v1.1.1") -> str:
    """The name the ESCO portal gives a download: `lang` "" is the relations archive."""
    return f"ESCO dataset - {version} - classification - {lang} - csv.zip"


def zip_folder(folder: Path, archive: Path, *, only: str | None = None) -> Path:
    """Zip the CSV files of `folder` (those whose name contains `only`, when given)."""
    with zipfile.ZipFile(archive, "w", zipfile.ZIP_DEFLATED) as zf:
        for f in sorted(folder.glob("*.csv")):
            if only is None or only in f.name:
                zf.write(f, f.name)
    return archive


@pytest.fixture
def portal_downloads(tmp_path: Path) -> dict[str, Path]:
    """The Swedish fixture as a user's download folder: three archives named as the portal does."""
    downloads = tmp_path / "Downloads"
    downloads.mkdir()
    return {
        "en": zip_folder(SV / "classification_en", downloads / portal_name("en")),
        "sv": zip_folder(SV / "classification_sv", downloads / portal_name("sv")),
        "relations": zip_folder(SV / "relations", downloads / portal_name("")),
    }


def load_quietly(*args: object, **kwargs: object) -> Taxonomy:
    """Load with the cache off; any warning (a missing relations archive, say) fails the test."""
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        return Taxonomy.from_esco_csv(*args, cache=False, **kwargs)  # type: ignore[arg-type]


def _rows(source: Path, name: str) -> list[dict[str, str]]:
    """Read one table straight from a folder or zip, independently of the loader."""
    if source.is_dir():
        return list(csv.DictReader((source / name).open(encoding="utf-8", newline="")))
    with zipfile.ZipFile(source) as zf:
        member = next(n for n in zf.namelist() if n.endswith(name))
        return list(csv.DictReader(io.TextIOWrapper(zf.open(member), encoding="utf-8", newline="")))


def _expected_skills(relations: Path, occupation: str) -> dict[str, str]:
    return {
        r["skillUri"]: r["relationType"]
        for r in _rows(relations, "occupationSkillRelations.csv")
        if r["occupationUri"] == occupation
    }


def _multi_parent(classification: Path, relations: Path) -> dict[str, set[str]]:
    defined = {
        r["conceptUri"]
        for name in ("skills_en.csv", "skillGroups_en.csv")
        for r in _rows(classification, name)
    }
    parents: dict[str, set[str]] = defaultdict(set)
    for r in _rows(relations, "broaderRelationsSkillPillar.csv"):
        if r["conceptUri"] in defined and r["broaderUri"] in defined:
            parents[r["conceptUri"]].add(r["broaderUri"])
    return {u: p for u, p in parents.items() if len(p) > 1}


# -- the committed extract --------------------------------------------------------------------


def test_mini_extract_loads_every_kind_with_counts_matching_its_tables() -> None:
    t = Taxonomy.from_esco_csv(MINI, cache=False)
    counts = t.counts()
    assert counts["skill"] == len(_rows(MINI, "skills_en.csv"))
    assert counts["occupation"] == len(_rows(MINI, "occupations_en.csv"))
    assert counts["skill_group"] == len(_rows(MINI, "skillGroups_en.csv"))
    assert counts["occupation_group"] == len(_rows(MINI, "ISCOGroups_en.csv"))


def test_mini_occupation_skills_equal_the_relations_table() -> None:
    t = Taxonomy.from_esco_csv(MINI, cache=False)
    got = {r.skill: r.relation for r in t.occupation_skills(COOK)}
    assert got == _expected_skills(MINI, COOK)
    assert {"essential", "optional"} <= set(got.values())


def test_mini_concepts_with_several_parents_keep_all_of_them() -> None:
    t = Taxonomy.from_esco_csv(MINI, cache=False)
    multi = _multi_parent(MINI, MINI)
    assert multi, "the extract was made to hold a multi-parent skill"
    for uri, parents in multi.items():
        assert set(t.broader(uri)) == parents
        assert parents <= set(t.ancestors(uri))


def test_mini_from_zip_equals_from_folder(tmp_path: Path) -> None:
    archive = tmp_path / "classification.zip"
    relations = tmp_path / "relations.zip"
    with zipfile.ZipFile(archive, "w") as cz, zipfile.ZipFile(relations, "w") as rz:
        for f in sorted(MINI.glob("*.csv")):
            (cz if f.name.endswith("_en.csv") else rz).write(f, f"esco/{f.name}")
    assert Taxonomy.from_esco_csv(archive, relations, cache=False) == Taxonomy.from_esco_csv(
        MINI, cache=False
    )
    # The relations archive is found beside the classification when not given.
    assert Taxonomy.from_esco_csv(archive, cache=False) == Taxonomy.from_esco_csv(MINI, cache=False)


def test_mini_multiline_alt_labels_become_separate_labels() -> None:
    t = Taxonomy.from_esco_csv(MINI, cache=False)
    row = next(r for r in _rows(MINI, "occupations_en.csv") if r["conceptUri"] == COOK)
    expected = {a.strip() for a in row["altLabels"].split("\n") if a.strip()}
    assert len(expected) > 1
    assert set(t.concept(COOK).alt_labels["en"]) == expected


def test_mini_attributes_skill_type_reuse_level_and_codes() -> None:
    t = Taxonomy.from_esco_csv(MINI, cache=False)
    for r in _rows(MINI, "skills_en.csv"):
        c = t.concept(r["conceptUri"])
        assert c.kind is ConceptKind.SKILL
        assert c.reuse_level == (r["reuseLevel"] or None)
        assert (
            c.skill_type
            == {"skill/competence": "skill", "knowledge": "knowledge", "": None}[r["skillType"]]
        )
    assert t.concept(COOK).code == "5120.1"
    assert t.concept("http://data.europa.eu/esco/isco/C5").code == "5"


def test_mini_language_concepts_map_to_iso_code_and_cefr_activities() -> None:
    t = Taxonomy.from_esco_csv(MINI, cache=False)
    arabic = t.language("ar")
    labels = {
        field: t.label(getattr(arabic, field))
        for field in ("language", "listening", "reading", "spoken_interaction", "writing")
    }
    assert labels == {
        "language": "Arabic",
        "listening": "understand spoken Arabic",
        "reading": "understand written Arabic",
        "spoken_interaction": "interact verbally in Arabic",
        "writing": "write Arabic",
    }


def test_mini_skill_skill_relation_is_kept() -> None:
    t = Taxonomy.from_esco_csv(MINI, cache=False)
    row = _rows(MINI, "skillSkillRelations.csv")[0]
    assert (row["relatedSkillUri"], row["relationType"]) in {
        (r.skill, r.relation) for r in t.related_skills(row["originalSkillUri"])
    }


def test_mini_second_load_comes_from_cache_and_is_equal() -> None:
    first = Taxonomy.from_esco_csv(MINI)
    second = Taxonomy.from_esco_csv(MINI)
    assert first == second
    assert first.content_hash == second.content_hash


# -- the ESCO portal's downloads, several languages -----------------------------------------


def test_portal_named_relations_archive_is_found_beside_the_classification_by_its_content(
    portal_downloads: dict[str, Path],
) -> None:
    t = load_quietly(portal_downloads["en"])
    expected = _expected_skills(SV / "relations", WELDER)
    assert {r.skill: r.relation for r in t.occupation_skills(WELDER)} == expected
    assert t.broader(WELDER) == (FIXTURE + "isco/C721",)
    assert t == load_quietly(portal_downloads["en"], portal_downloads["relations"])


def test_mini_extract_zipped_under_the_portals_names_loads_as_from_its_folder(
    tmp_path: Path,
) -> None:
    zip_folder(MINI, tmp_path / portal_name("en"), only="_en.")
    zip_folder(MINI, tmp_path / portal_name(""), only="Relations")
    assert load_quietly(tmp_path / portal_name("en")) == Taxonomy.from_esco_csv(MINI, cache=False)


def test_relation_tables_under_other_file_names_are_recognised_by_their_columns(
    tmp_path: Path,
) -> None:
    folder = tmp_path / "download (1)"
    folder.mkdir()
    for original, renamed in (
        ("occupationSkillRelations.csv", "who needs what.csv"),
        ("broaderRelationsSkillPillar.csv", "hierarchy-1.csv"),
        ("broaderRelationsOccPillar.csv", "hierarchy-2.csv"),
        ("skillSkillRelations.csv", "related.csv"),
    ):
        (folder / renamed).write_bytes((SV / "relations" / original).read_bytes())
    classification = zip_folder(SV / "classification_en", tmp_path / "esco-en.zip")
    reference = load_quietly(SV / "classification_en", SV / "relations")
    assert load_quietly(classification) == reference
    assert load_quietly(classification, folder) == reference
    assert reference.related_skills(WELDING) == (
        (FIXTURE + "skill/welding-equipment", "essential"),
    )


def test_english_and_swedish_archives_load_into_one_multilingual_taxonomy(
    portal_downloads: dict[str, Path],
) -> None:
    english = load_quietly(portal_downloads["en"])
    both = load_quietly([portal_downloads["en"], portal_downloads["sv"]])
    assert both.label_languages == ("en", "sv")
    assert both.counts() == english.counts()
    assert both.occupation_skills(WELDER) == english.occupation_skills(WELDER)
    welder = both.concept(WELDER)
    assert (welder.label("en"), welder.label("sv")) == ("welder", "svetsare")
    assert set(welder.alt_labels["sv"]) == {"svetsoperatör", "svetstekniker"}
    forklift = both.concept(FIXTURE + "skill/operate-forklift")
    assert forklift.hidden_labels["sv"] == ("truckkort",)
    # The language concepts are still recognised by their English labels.
    assert both.language("sv").language == FIXTURE + "skill/swedish"
    assert both.label(both.language("sv").spoken_interaction, "sv") == "samtala på svenska"
    # One call, whichever order; one folder holding both exports gives the same taxonomy.
    assert load_quietly([portal_downloads["sv"], portal_downloads["en"]]) == both
    assert load_quietly(SV) == both


@pytest.mark.parametrize(
    ("mention", "concept"),
    [
        ("svetsning", "welding"),
        ("laga mat", "cook-meals"),
        ("städning", "clean-rooms"),
        ("truckkort", "operate-forklift"),
        ("diska", "wash-dishes"),
        ("lagar mat", "cook-meals"),
        ("jag kan svetsa", "welding"),
    ],
)
def test_swedish_free_text_resolves_against_the_english_and_swedish_archives(
    portal_downloads: dict[str, Path], mention: str, concept: str
) -> None:
    both = load_quietly([portal_downloads["en"], portal_downloads["sv"]])
    best = SkillResolver(both, cache=False).resolve(mention, lang="sv", top_k=1)
    assert [(r.uri, r.lang) for r in best] == [(FIXTURE + "skill/" + concept, "sv")]
    # The Swedish archive is what makes it resolve: the English one alone does not know the words.
    english = SkillResolver(load_quietly(portal_downloads["en"]), cache=False)
    assert FIXTURE + "skill/" + concept not in [r.uri for r in english.resolve(mention, top_k=1)]


# -- full ESCO v1.1.1 ------------------------------------------------------------------------


@pytest.mark.esco
def test_full_esco_counts_match_the_published_tables(esco: Taxonomy) -> None:
    counts = esco.counts()
    assert counts["skill"] == 13_896
    assert counts["occupation"] == 3_007
    assert counts["skill_group"] == 640
    assert counts["occupation_group"] == 619


@pytest.mark.esco
@pytest.mark.parametrize(
    "occupation",
    [COOK, "http://data.europa.eu/esco/occupation/f2b15a0e-e65a-438a-affb-29b9d50b77d1"],
)
def test_full_esco_occupation_skills_equal_the_csv(
    esco: Taxonomy, esco_paths: tuple[Path, Path], occupation: str
) -> None:
    expected = _expected_skills(esco_paths[1], occupation)
    got = {r.skill: r.relation for r in esco.occupation_skills(occupation)}
    assert got == expected
    assert sum(v == "essential" for v in got.values()) == sum(
        v == "essential" for v in expected.values()
    )


@pytest.mark.esco
def test_full_esco_multi_parent_concepts_keep_all_parents(
    esco: Taxonomy, esco_paths: tuple[Path, Path]
) -> None:
    multi = _multi_parent(*esco_paths)
    assert len(multi) > 4_000  # the README counts 4,646 before dangling links are set aside
    for uri, parents in multi.items():
        assert set(esco.broader(uri)) == parents


@pytest.mark.esco
def test_full_esco_reports_its_dangling_links_as_warnings(esco_paths: tuple[Path, Path]) -> None:
    with pytest.warns(TaxonomyWarning, match="a9e54177-a185-404d-b6e6-15663d31137e"):
        Taxonomy.from_esco_csv(*esco_paths, cache=False)


@pytest.mark.esco
def test_full_esco_has_the_language_concepts_of_the_main_origin_languages(esco: Taxonomy) -> None:
    for code in ("ar", "uk", "fa", "ku", "tr", "ru", "en", "sv", "no", "de", "fr"):
        concepts = esco.language(code)
        assert None not in concepts, code
    assert esco.language("nb") == esco.language("no")


@pytest.mark.esco
def test_full_esco_loads_quietly_when_warnings_are_errors_except_dangling(
    esco_paths: tuple[Path, Path],
) -> None:
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        Taxonomy.from_esco_csv(*esco_paths, cache=False)
    assert {type(w.message) for w in caught} == {TaxonomyWarning}
    assert len(caught) == 2  # broader links and occupation-skill links, one warning each


@pytest.mark.esco
def test_full_esco_relations_under_the_portals_name_are_found_beside_the_classification(
    esco: Taxonomy, esco_paths: tuple[Path, Path], tmp_path: Path
) -> None:
    classification = tmp_path / portal_name("en")
    classification.symlink_to(esco_paths[0])
    (tmp_path / portal_name("")).symlink_to(esco_paths[1])
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # the export's own dangling links
        t = Taxonomy.from_esco_csv(classification, cache=False)
    assert t == esco
    assert len(t.occupation_skills(COOK)) == len(_expected_skills(esco_paths[1], COOK)) > 0
