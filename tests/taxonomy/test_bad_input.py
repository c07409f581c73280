"""Malformed and wrong taxonomy sources: each gives a TaxonomyError naming the file and the fault.

Also the graph problems (cycles, self-loops, duplicates, dangling links, malformed URIs and language
tags) and the Unicode oddities that must survive a load and a Turtle round trip unchanged.
"""

from __future__ import annotations

import csv
import time
import unicodedata
import warnings
import zipfile
from collections.abc import Iterator
from pathlib import Path

import pytest

from labourint_match.errors import LabourintMatchError, TaxonomyError, TaxonomyWarning
from labourint_match.taxonomy import Taxonomy
from labourint_match.taxonomy._compiled import MAX_LABEL_CHARS

PREFIXES = (
    "@prefix skos: <http://www.w3.org/2004/02/skos/core#> .\n"
    "@prefix esco: <http://data.europa.eu/esco/model#> .\n"
)
RDF_NS = 'xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"'
SKOS_NS = 'xmlns:skos="http://www.w3.org/2004/02/skos/core#"'


@pytest.fixture(autouse=True)
def _cache_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Keep every load of this module out of the user's cache directory."""
    directory = tmp_path / "cache"
    monkeypatch.setenv("LABOURINT_MATCH_CACHE_DIR", str(directory))
    return directory


def ttl(*lines: str) -> bytes:
    """A Turtle document: the skos/esco prefixes, then `lines`."""
    return (PREFIXES + "\n".join(lines) + "\n").encode()


def concept(uri: str, *broader: str, label: str | None = None) -> str:
    """One Turtle statement declaring a skos:Concept with an English prefLabel."""
    parts = [f"<{uri}> a skos:Concept", f'skos:prefLabel "{label or uri.rsplit(":", 1)[-1]}"@en']
    parts += [f"skos:broader <{b}>" for b in broader]
    return " ; ".join(parts) + " ."


def write(tmp_path: Path, name: str, data: bytes) -> Path:
    path = tmp_path / name
    path.write_bytes(data)
    return path


def load_error(source: object, **kwargs: object) -> TaxonomyError:
    """The TaxonomyError that loading `source` raises (with the cache off)."""
    with pytest.raises(TaxonomyError) as info:
        Taxonomy.from_rdf(source, cache=False, **kwargs)  # type: ignore[arg-type]
    err = info.value
    assert isinstance(err, LabourintMatchError)
    return err


def assert_names_file(err: TaxonomyError, path: Path) -> None:
    assert err.source == str(path)
    assert str(err).startswith(str(path))


# -- rdflib's bare AssertionError -----------------------------------------------------------------

UNTERMINATED = b'<urn:a> <urn:b> "abc .'


def test_rdflib_assertion_error_on_unterminated_string_becomes_taxonomy_error_naming_file(
    tmp_path: Path,
) -> None:
    path = write(tmp_path, "unterminated.ttl", UNTERMINATED)
    err = load_error(path)
    assert_names_file(err, path)
    assert "could not be parsed as Turtle" in err.message
    assert "Quote expected" in err.message  # rdflib's assertion text is kept as the detail


def test_rdflib_really_raises_a_bare_assertion_error_on_that_input() -> None:
    # The premise of the test above: without the wrapping, a caller would get an AssertionError.
    import rdflib

    try:
        rdflib.Graph().parse(data=UNTERMINATED, format="turtle")
    except AssertionError:
        return
    except Exception as exc:
        pytest.skip(
            f"rdflib {rdflib.__version__} now raises {type(exc).__name__} here; the wrapping of "
            "bare AssertionErrors is still covered by the monkeypatched test below"
        )
    pytest.fail("rdflib parsed a Turtle file with an unterminated string")


def test_any_bare_assertion_error_from_rdflib_is_wrapped_with_file_and_line(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import rdflib

    def broken_parse(self: object, *args: object, **kwargs: object) -> None:
        raise AssertionError("internal parser state at line 7")

    monkeypatch.setattr(rdflib.Graph, "parse", broken_parse)
    path = write(tmp_path, "ok.ttl", ttl(concept("urn:ex:a")))
    err = load_error(path)
    assert_names_file(err, path)
    assert err.line == 7
    assert "internal parser state" in err.message


# -- syntax errors, with lines --------------------------------------------------------------------


def test_turtle_syntax_error_names_file_and_the_line_it_is_on(tmp_path: Path) -> None:
    bad = '<urn:ex:b> skos:prefLabel "b"@en skos:broader .'
    data = ttl(concept("urn:ex:a"), bad, concept("urn:ex:c"))
    path = write(tmp_path, "syntax.ttl", data)
    err = load_error(path)
    assert_names_file(err, path)
    assert err.line == data.decode().splitlines().index(bad) + 1 == 4
    assert f"{path}, line 4:" in str(err)
    assert "could not be parsed as Turtle" in err.message


def test_turtle_newline_in_string_literal_reports_the_line_of_the_string(tmp_path: Path) -> None:
    data = ttl(concept("urn:ex:a"), '<urn:ex:b> a skos:Concept ; skos:prefLabel "open', '"@en .')
    path = write(tmp_path, "newline.ttl", data)
    err = load_error(path)
    assert_names_file(err, path)
    assert err.line == 4


def rdf_xml(body: str, doctype: str = "") -> bytes:
    return (
        f'<?xml version="1.0" encoding="UTF-8"?>\n{doctype}\n'
        f"<rdf:RDF {RDF_NS} {SKOS_NS}>\n{body}\n</rdf:RDF>\n"
    ).encode()


def test_rdf_xml_not_well_formed_in_the_body_names_file_and_line(tmp_path: Path) -> None:
    body = (
        '  <skos:Concept rdf:about="urn:ex:a">\n'
        '    <skos:prefLabel xml:lang="en">a</skos:prefLabel>\n'
        "  </skos:Concep>"
    )
    path = write(tmp_path, "broken.rdf", rdf_xml(body))
    err = load_error(path)
    assert_names_file(err, path)
    assert err.line == 6
    assert "RDF/XML" in err.message


def test_rdf_xml_not_well_formed_in_the_prolog_names_file_and_line(tmp_path: Path) -> None:
    path = write(tmp_path, "prolog.rdf", rdf_xml("", doctype="<!DOCTYPE rdf:RDF [ <!ENTITY a > ]>"))
    err = load_error(path)
    assert_names_file(err, path)
    assert err.line == 2
    assert "not well-formed RDF/XML" in err.message


def test_invalid_json_names_file_and_line(tmp_path: Path) -> None:
    path = write(tmp_path, "broken.jsonld", b'{\n  "@id": "urn:ex:a",\n  "@type": \n}\n')
    err = load_error(path)
    assert_names_file(err, path)
    assert err.line == 4
    assert "not valid JSON" in err.message


@pytest.mark.parametrize("name", ["garbage.ttl", "garbage.rdf", "garbage.jsonld", "garbage.bin"])
def test_binary_garbage_is_refused_naming_the_file(tmp_path: Path, name: str) -> None:
    path = write(tmp_path, name, bytes(range(256)) * 10)
    err = load_error(path)
    assert_names_file(err, path)


def test_binary_garbage_given_as_bytes_is_refused_naming_bytes() -> None:
    err = load_error(bytes(range(256)) * 10)
    assert err.source == "<bytes>"
    assert str(err).startswith("<bytes>: ")


@pytest.mark.parametrize("content", [b"", b"  \n\t\r\n  "], ids=["empty", "whitespace"])
def test_empty_or_whitespace_only_file_is_refused_as_empty(tmp_path: Path, content: bytes) -> None:
    path = write(tmp_path, "empty.ttl", content)
    err = load_error(path)
    assert_names_file(err, path)
    assert "empty" in err.message


@pytest.mark.parametrize(
    ("fmt", "fragment"),
    [("xml", "RDF/XML"), ("json-ld", "JSON"), ("nt", "N-Triples")],
)
def test_turtle_given_with_a_wrong_explicit_format_is_refused_naming_that_format(
    tmp_path: Path, fmt: str, fragment: str
) -> None:
    path = write(tmp_path, "skills.ttl", ttl(concept("urn:ex:a"), concept("urn:ex:b", "urn:ex:a")))
    assert len(Taxonomy.from_rdf(path, cache=False)) == 2  # the file itself is fine
    err = load_error(path, format=fmt)
    assert_names_file(err, path)
    assert fragment in err.message


def test_unknown_format_name_is_refused_listing_the_known_ones(tmp_path: Path) -> None:
    path = write(tmp_path, "skills.ttl", ttl(concept("urn:ex:a")))
    err = load_error(path, format="yaml")
    assert_names_file(err, path)
    assert "unknown RDF format 'yaml'" in err.message
    assert "'turtle'" in err.message


def test_missing_path_is_refused_naming_it(tmp_path: Path) -> None:
    path = tmp_path / "nowhere" / "skills.ttl"
    err = load_error(path)
    assert_names_file(err, path)
    assert "no such file" in err.message


def test_directory_given_as_source_is_refused_naming_it(tmp_path: Path) -> None:
    err = load_error(tmp_path)
    assert_names_file(err, tmp_path)
    assert "no such file" in err.message


def test_rdf_text_given_as_a_str_is_refused_with_a_hint_to_pass_bytes() -> None:
    err = load_error(PREFIXES + concept("urn:ex:a"))
    assert "pass it as bytes" in err.message


@pytest.mark.parametrize("source", [42, None, 3.5, ["skills.ttl"], object()])
def test_source_that_is_neither_path_nor_bytes_is_refused(source: object) -> None:
    err = load_error(source)
    assert f"source must be a path or bytes, not {type(source).__name__}" in err.message


def test_file_without_concepts_is_refused_naming_the_file(tmp_path: Path) -> None:
    data = ttl("<urn:ex:a> <urn:ex:p> <urn:ex:b> .", '<urn:ex:b> skos:prefLabel "b"@en .')
    path = write(tmp_path, "nothing.ttl", data)
    err = load_error(path)
    assert_names_file(err, path)
    assert "no concepts found" in err.message


# -- ESCO CSV -------------------------------------------------------------------------------------

SKILL = "http://data.europa.eu/esco/skill/"
OCCUPATION = "http://data.europa.eu/esco/occupation/"
SKILL_HEADER = ["conceptType", "conceptUri", "skillType", "reuseLevel", "preferredLabel",
                "altLabels", "description"]  # fmt: skip
OCC_HEADER = ["conceptType", "conceptUri", "iscoGroup", "preferredLabel", "altLabels", "code"]
OCC_SKILL_HEADER = ["occupationUri", "relationType", "skillType", "skillUri"]
BROADER_HEADER = ["conceptType", "conceptUri", "broaderType", "broaderUri"]


def write_csv(path: Path, header: list[str], rows: list[list[str]]) -> Path:
    with path.open("w", newline="", encoding="utf-8") as fh:
        writer = csv.writer(fh)
        writer.writerow(header)
        writer.writerows(rows)
    return path


def esco_folder(
    root: Path,
    *,
    skills: list[list[str]] | None = None,
    occupations: list[list[str]] | None = None,
    occ_skill: list[list[str]] | None = None,
    broader: list[list[str]] | None = None,
) -> Path:
    """A small ESCO-like export folder: two skills, one occupation, their relations."""
    root.mkdir(parents=True, exist_ok=True)
    if skills is None:
        skills = [
            ["KnowledgeSkillCompetence", SKILL + "s1", "skill/competence", "sector-specific",
             "prepare meals", "cook meals\nmake food", ""],
            ["KnowledgeSkillCompetence", SKILL + "s2", "knowledge", "cross-sector",
             "food hygiene", "", ""],
        ]  # fmt: skip
    if occupations is None:
        occupations = [["Occupation", OCCUPATION + "o1", "5120", "cook", "chef", "5120.1"]]
    if occ_skill is None:
        occ_skill = [
            [OCCUPATION + "o1", "essential", "skill/competence", SKILL + "s1"],
            [OCCUPATION + "o1", "optional", "knowledge", SKILL + "s2"],
        ]
    if broader is None:
        broader = [["KnowledgeSkillCompetence", SKILL + "s2", "KnowledgeSkillCompetence",
                    SKILL + "s1"]]  # fmt: skip
    write_csv(root / "skills_en.csv", SKILL_HEADER, skills)
    write_csv(root / "occupations_en.csv", OCC_HEADER, occupations)
    write_csv(root / "occupationSkillRelations.csv", OCC_SKILL_HEADER, occ_skill)
    write_csv(root / "broaderRelationsSkillPillar.csv", BROADER_HEADER, broader)
    return root


def esco_error(*args: object, **kwargs: object) -> TaxonomyError:
    with pytest.raises(TaxonomyError) as info:
        Taxonomy.from_esco_csv(*args, cache=False, **kwargs)  # type: ignore[arg-type]
    assert isinstance(info.value, LabourintMatchError)
    return info.value


def test_small_esco_folder_loads(tmp_path: Path) -> None:
    # The baseline the ESCO error tests below depart from.
    t = Taxonomy.from_esco_csv(esco_folder(tmp_path / "esco"), cache=False)
    assert t.counts()["skill"] == 2
    assert t.broader(SKILL + "s2") == (SKILL + "s1",)
    assert [r.relation for r in t.occupation_skills(OCCUPATION + "o1")] == ["essential", "optional"]


def test_esco_non_zip_file_given_as_archive_is_refused_naming_it(tmp_path: Path) -> None:
    path = write(tmp_path, "esco-classification.zip", b"this is not a zip archive\n" * 20)
    err = esco_error(path)
    assert_names_file(err, path)
    assert "not a readable zip archive" in err.message


@pytest.mark.filterwarnings("ignore::labourint_match.errors.TaxonomyWarning")
def test_esco_folder_without_esco_tables_is_refused_naming_it(tmp_path: Path) -> None:
    folder = tmp_path / "downloads"
    folder.mkdir()
    write_csv(folder / "notes.csv", ["a", "b"], [["1", "2"]])
    err = esco_error(folder)
    assert_names_file(err, folder)
    assert "no ESCO classification tables found" in err.message


def test_esco_csv_with_missing_columns_is_refused_naming_the_csv_and_columns(
    tmp_path: Path,
) -> None:
    folder = esco_folder(tmp_path / "esco")
    write_csv(folder / "skills_en.csv", ["conceptType", "conceptUri", "skillType"],
              [["KnowledgeSkillCompetence", SKILL + "s1", "knowledge"]])  # fmt: skip
    err = esco_error(folder)
    assert err.source == str(folder / "skills_en.csv")
    assert "missing column(s) preferredLabel" in err.message


def test_esco_relation_csv_with_missing_columns_is_refused_naming_it(tmp_path: Path) -> None:
    folder = esco_folder(tmp_path / "esco")
    write_csv(folder / "occupationSkillRelations.csv", ["occupationUri", "skillUri"],
              [[OCCUPATION + "o1", SKILL + "s1"]])  # fmt: skip
    err = esco_error(folder)
    assert err.source == str(folder / "occupationSkillRelations.csv")
    assert "missing column(s) relationType" in err.message


def test_esco_relation_type_other_than_essential_or_optional_names_csv_and_line(
    tmp_path: Path,
) -> None:
    folder = esco_folder(
        tmp_path / "esco",
        occ_skill=[
            [OCCUPATION + "o1", "essential", "skill/competence", SKILL + "s1"],
            [OCCUPATION + "o1", "mandatory", "knowledge", SKILL + "s2"],
        ],
    )
    err = esco_error(folder)
    assert err.source == str(folder / "occupationSkillRelations.csv")
    assert err.line == 3
    assert "relationType must be 'essential' or 'optional', not 'mandatory'" in err.message


def test_esco_unknown_skill_type_names_csv_line_and_concept(tmp_path: Path) -> None:
    folder = esco_folder(
        tmp_path / "esco",
        skills=[
            [
                "KnowledgeSkillCompetence",
                SKILL + "s1",
                "skill/competence",
                "",
                "prepare meals",
                "",
                "",
            ],
            ["KnowledgeSkillCompetence", SKILL + "s2", "ability", "", "food hygiene", "", ""],
        ],
    )
    err = esco_error(folder)
    assert err.source == str(folder / "skills_en.csv")
    assert err.line == 3
    assert err.uris == (SKILL + "s2",)
    assert "unknown skillType 'ability'" in err.message


# -- ESCO CSV: classification archives as downloaded, several languages ---------------------------


def zip_of(folder: Path, archive: Path, *, skip: tuple[str, ...] = ()) -> Path:
    """Zip the CSV files of `folder`, leaving out those named in `skip`."""
    with zipfile.ZipFile(archive, "w") as zf:
        for f in sorted(folder.glob("*.csv")):
            if f.name not in skip:
                zf.write(f, f.name)
    return archive


def swedish_folder(root: Path, **tables: list[list[str]]) -> Path:
    """The Swedish labels of `esco_folder`'s concepts: skills_sv.csv and occupations_sv.csv."""
    root.mkdir(parents=True, exist_ok=True)
    skills = tables.get("skills", [
        ["KnowledgeSkillCompetence", SKILL + "s1", "skill/competence", "sector-specific",
         "laga mat", "tillaga mat", ""],
        ["KnowledgeSkillCompetence", SKILL + "s2", "knowledge", "cross-sector",
         "livsmedelshygien", "", ""],
    ])  # fmt: skip
    occupations = tables.get(
        "occupations", [["Occupation", OCCUPATION + "o1", "5120", "kock", "", "5120.1"]]
    )
    write_csv(root / "skills_sv.csv", SKILL_HEADER, skills)
    write_csv(root / "occupations_sv.csv", OCC_HEADER, occupations)
    return root


@pytest.mark.parametrize("table", ["skills_en.csv", "occupations_en.csv"])
def test_esco_classification_archive_without_a_core_table_is_refused_naming_archive_and_table(
    tmp_path: Path, table: str
) -> None:
    archive = zip_of(esco_folder(tmp_path / "esco"), tmp_path / "classification.zip", skip=(table,))
    err = esco_error(archive)
    assert_names_file(err, archive)
    assert f"no {table}" in err.message
    assert "core table" in err.message


def test_esco_classification_folder_without_skills_is_refused_not_loaded_empty(
    tmp_path: Path,
) -> None:
    folder = esco_folder(tmp_path / "esco")
    (folder / "skills_en.csv").unlink()
    err = esco_error(folder)
    assert_names_file(err, folder)
    assert "no skills_en.csv" in err.message


def test_esco_swedish_archive_without_occupations_names_the_swedish_archive_and_table(
    tmp_path: Path,
) -> None:
    english = esco_folder(tmp_path / "en")
    swedish = zip_of(
        swedish_folder(tmp_path / "sv"), tmp_path / "sv.zip", skip=("occupations_sv.csv",)
    )
    err = esco_error([english, swedish])
    assert_names_file(err, swedish)
    assert "no occupations_sv.csv" in err.message


def test_esco_relations_archive_given_as_the_classification_is_refused_saying_what_to_pass(
    tmp_path: Path,
) -> None:
    relations = zip_of(
        esco_folder(tmp_path / "esco"),
        tmp_path / "ESCO dataset - v1.1.1 - classification -  - csv.zip",
        skip=("skills_en.csv", "occupations_en.csv"),
    )
    err = esco_error(relations)
    assert_names_file(err, relations)
    assert "relation tables but no classification tables" in err.message
    assert "relations=" in err.message


def test_esco_concept_a_skill_in_one_language_and_an_occupation_in_another_is_refused(
    tmp_path: Path,
) -> None:
    english = esco_folder(tmp_path / "en")
    swedish = swedish_folder(
        tmp_path / "sv",
        skills=[["KnowledgeSkillCompetence", SKILL + "s1", "skill/competence", "sector-specific",
                 "laga mat", "", ""]],
        occupations=[
            ["Occupation", OCCUPATION + "o1", "5120", "kock", "", "5120.1"],
            ["Occupation", SKILL + "s2", "5120", "livsmedelshygieniker", "", ""],
        ],
    )  # fmt: skip
    err = esco_error([english, swedish])
    assert err.uris == (SKILL + "s2",)
    assert err.source == str(swedish / "occupations_sv.csv")
    assert err.line == 3
    assert f"an occupation here but a skill in {english / 'skills_en.csv'}" in err.message


def test_esco_same_language_given_twice_is_refused_naming_both_places(tmp_path: Path) -> None:
    first = esco_folder(tmp_path / "a")
    second = esco_folder(tmp_path / "b")
    err = esco_error([first, second])
    assert err.source == str(second / "occupations_en.csv")
    assert str(first / "occupations_en.csv") in err.message
    assert "one classification archive (or folder) per language" in err.message


def test_esco_languages_of_different_releases_warn_naming_the_concepts_one_lacks(
    tmp_path: Path,
) -> None:
    english = esco_folder(tmp_path / "en")
    swedish = swedish_folder(
        tmp_path / "sv",
        skills=[["KnowledgeSkillCompetence", SKILL + "s1", "skill/competence", "sector-specific",
                 "laga mat", "", ""]],
    )  # fmt: skip
    with pytest.warns(TaxonomyWarning, match="1 concept.*not in the sv tables") as record:
        t = Taxonomy.from_esco_csv([english, swedish], cache=False)
    assert SKILL + "s2" in str(record[0].message)
    assert t.label(SKILL + "s1", "sv") == "laga mat"
    assert t.label(SKILL + "s2", "en") == "food hygiene"


def test_esco_relations_argument_without_relation_tables_is_refused_naming_it(
    tmp_path: Path,
) -> None:
    folder = esco_folder(tmp_path / "esco")
    classification = zip_of(
        folder,
        tmp_path / "en.zip",
        skip=("occupationSkillRelations.csv", "broaderRelationsSkillPillar.csv"),
    )
    not_relations = swedish_folder(tmp_path / "sv")
    err = esco_error(classification, not_relations)
    assert_names_file(err, not_relations)
    assert "holds no ESCO relation tables" in err.message


def _classification_and_relations(tmp_path: Path, *relation_names: str) -> Path:
    """A download folder: the classification archive, and relation archives named as given."""
    folder = esco_folder(tmp_path / "esco")
    downloads = tmp_path / "downloads"
    downloads.mkdir()
    classification = zip_of(
        folder,
        downloads / "ESCO dataset - v1.1.1 - classification - en - csv.zip",
        skip=("occupationSkillRelations.csv", "broaderRelationsSkillPillar.csv"),
    )
    for name in relation_names:
        zip_of(folder, downloads / name, skip=("skills_en.csv", "occupations_en.csv"))
    return classification


def test_esco_several_relation_archives_beside_the_classification_are_refused_unless_one_matches(
    tmp_path: Path,
) -> None:
    classification = _classification_and_relations(tmp_path, "links-a.zip", "links-b.zip")
    err = esco_error(classification)
    assert_names_file(err, classification)
    assert "several archives or folders" in err.message
    assert "links-a.zip" in err.message
    assert "links-b.zip" in err.message
    assert "relations=" in err.message


def test_esco_relations_of_the_classifications_release_are_taken_among_several(
    tmp_path: Path,
) -> None:
    classification = _classification_and_relations(
        tmp_path,
        "ESCO dataset - v1.1.0 - classification -  - csv.zip",
        "ESCO dataset - v1.1.1 - classification -  - csv.zip",
    )
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        t = Taxonomy.from_esco_csv(classification, cache=False)
    assert [r.relation for r in t.occupation_skills(OCCUPATION + "o1")] == ["essential", "optional"]


def test_esco_unreadable_archives_beside_the_classification_are_passed_over(
    tmp_path: Path,
) -> None:
    classification = _classification_and_relations(tmp_path, "relations.zip")
    write(classification.parent, "broken.zip", b"PK\x03\x04 not really a zip archive")
    (classification.parent / "empty folder").mkdir()
    write(classification.parent, "notes.csv", b"a,b\n1,2\n")
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        t = Taxonomy.from_esco_csv(classification, cache=False)
    assert t.broader(SKILL + "s2") == (SKILL + "s1",)


# -- graph problems -------------------------------------------------------------------------------


def test_broader_cycle_raises_with_exactly_the_cycle_members_not_the_concept_below() -> None:
    data = ttl(
        concept("urn:ex:a", "urn:ex:b"),
        concept("urn:ex:b", "urn:ex:c"),
        concept("urn:ex:c", "urn:ex:a"),
        concept("urn:ex:below", "urn:ex:c"),
    )
    err = load_error(data)
    assert err.uris == ("urn:ex:a", "urn:ex:b", "urn:ex:c")
    assert "cycle" in err.message
    assert "urn:ex:below" not in str(err)


def test_broader_cycle_with_a_concept_above_it_reports_only_the_cycle() -> None:
    # "urn:ex:0top" sorts first and sits above the cycle, so a walk upwards from it finds no cycle.
    data = ttl(
        concept("urn:ex:0top"),
        concept("urn:ex:a", "urn:ex:b"),
        concept("urn:ex:b", "urn:ex:c"),
        concept("urn:ex:c", "urn:ex:a", "urn:ex:0top"),
        concept("urn:ex:below", "urn:ex:a"),
    )
    err = load_error(data)
    assert err.uris == ("urn:ex:a", "urn:ex:b", "urn:ex:c")


def test_broader_cycle_via_narrower_links_is_found_too(tmp_path: Path) -> None:
    data = ttl(
        concept("urn:ex:a"),
        concept("urn:ex:b"),
        "<urn:ex:a> skos:narrower <urn:ex:b> .",
        "<urn:ex:b> skos:narrower <urn:ex:a> .",
    )
    path = write(tmp_path, "loop.ttl", data)
    err = load_error(path)
    assert_names_file(err, path)
    assert err.uris == ("urn:ex:a", "urn:ex:b")


def test_broader_self_loop_raises_naming_the_concept() -> None:
    err = load_error(ttl(concept("urn:ex:a", "urn:ex:a"), concept("urn:ex:b")))
    assert err.uris == ("urn:ex:a",)
    assert "broader than themselves" in err.message


def test_duplicate_concept_in_skills_and_occupations_csv_raises_naming_the_uri(
    tmp_path: Path,
) -> None:
    folder = esco_folder(
        tmp_path / "esco",
        occupations=[
            ["Occupation", OCCUPATION + "o1", "5120", "cook", "", ""],
            ["Occupation", SKILL + "s1", "5120", "meal preparer", "", ""],
        ],
    )
    err = esco_error(folder)
    assert err.uris == (SKILL + "s1",)
    assert SKILL + "s1" in str(err)
    assert "defined more than once" in err.message
    assert err.source == str(folder)


def test_dangling_broader_link_warns_naming_the_uri_and_the_rest_loads() -> None:
    data = ttl(concept("urn:ex:a", "urn:ex:missing"), concept("urn:ex:b", "urn:ex:a"))
    with pytest.warns(TaxonomyWarning, match="urn:ex:missing") as record:
        t = Taxonomy.from_rdf(data, cache=False)
    assert "broader" in str(record[0].message)
    assert t.uris == ("urn:ex:a", "urn:ex:b")
    assert t.broader("urn:ex:a") == ()
    assert t.broader("urn:ex:b") == ("urn:ex:a",)


def test_dangling_broader_link_is_an_error_when_strict() -> None:
    data = ttl(concept("urn:ex:a", "urn:ex:missing"), concept("urn:ex:b", "urn:ex:a"))
    err = load_error(data, strict=True)
    assert err.uris == ("urn:ex:missing",)
    assert "broader links" in err.message


def test_dangling_occupation_skill_link_warns_then_is_an_error_when_strict() -> None:
    data = ttl(
        '<urn:ex:cook> a esco:Occupation ; skos:prefLabel "cook"@en ;',
        "    esco:relatedEssentialSkill <urn:ex:frying>, <urn:ex:ghost> .",
        '<urn:ex:frying> a esco:Skill ; skos:prefLabel "frying"@en .',
    )
    with pytest.warns(TaxonomyWarning, match="urn:ex:ghost"):
        t = Taxonomy.from_rdf(data, cache=False)
    assert [r.skill for r in t.occupation_skills("urn:ex:cook")] == ["urn:ex:frying"]
    err = load_error(data, strict=True)
    assert err.uris == ("urn:ex:ghost",)


def test_dangling_esco_csv_relation_warns_naming_the_uri(tmp_path: Path) -> None:
    folder = esco_folder(
        tmp_path / "esco",
        occ_skill=[
            [OCCUPATION + "o1", "essential", "skill/competence", SKILL + "s1"],
            [OCCUPATION + "o1", "optional", "knowledge", SKILL + "gone"],
        ],
    )
    with pytest.warns(TaxonomyWarning, match=SKILL + "gone"):
        t = Taxonomy.from_esco_csv(folder, cache=False)
    assert t.occupation_skills(OCCUPATION + "o1") == ((SKILL + "s1", "essential"),)
    err = esco_error(folder, strict=True)
    assert err.uris == (SKILL + "gone",)


def test_concept_uri_with_a_space_is_refused_naming_it(tmp_path: Path) -> None:
    path = write(tmp_path, "spaces.ttl", ttl(concept("urn:ex:a b"), concept("urn:ex:c")))
    err = load_error(path)
    assert_names_file(err, path)
    assert err.uris == ("urn:ex:a b",)
    assert "absolute IRIs" in err.message


def test_concept_uri_with_a_space_in_rdf_xml_is_refused() -> None:
    body = '<skos:Concept rdf:about="urn:ex:a b"><skos:prefLabel>a</skos:prefLabel></skos:Concept>'
    err = load_error(rdf_xml(body))
    assert err.uris == ("urn:ex:a b",)


@pytest.mark.parametrize(
    ("data", "fmt"),
    [
        (ttl('<urn:ex:a> a skos:Concept ; skos:prefLabel "a"@abcdefghijk .'), None),
        (ttl('<urn:ex:a> a skos:Concept ; skos:prefLabel "a"@en-toolongsubtag .'), None),
        (
            b"<urn:ex:a> <http://www.w3.org/1999/02/22-rdf-syntax-ns#type> "
            b"<http://www.w3.org/2004/02/skos/core#Concept> .\n"
            b'<urn:ex:a> <http://www.w3.org/2004/02/skos/core#altLabel> "a"@en-gb-abcdefghij .\n',
            "nt",
        ),
    ],
    ids=["long-primary-subtag", "long-subtag", "n-triples-long-subtag"],
)
def test_malformed_language_tag_is_refused_naming_the_concept(data: bytes, fmt: str | None) -> None:
    err = load_error(data, format=fmt)
    assert err.uris == ("urn:ex:a",)
    assert "malformed language tags" in err.message


def test_malformed_language_tag_in_rdf_xml_is_refused() -> None:
    body = (
        '<skos:Concept rdf:about="urn:ex:a">'
        '<skos:prefLabel xml:lang="en US">a</skos:prefLabel></skos:Concept>'
    )
    err = load_error(rdf_xml(body))
    assert "RDF/XML" in err.message


def test_malformed_language_tag_in_extra_labels_is_refused() -> None:
    t = Taxonomy.from_rdf(ttl(concept("urn:ex:a")), cache=False)
    with pytest.raises(TaxonomyError) as info:
        t.with_labels([("urn:ex:a", "en US", "cook")])
    assert info.value.uris == ("urn:ex:a",)
    assert "malformed language tags" in info.value.message


# -- Unicode --------------------------------------------------------------------------------------

ODD_LABELS = {
    "nfc": unicodedata.normalize("NFC", "café crème brûlée"),
    "nfd": unicodedata.normalize("NFD", "café crème brûlée"),
    "rtl": "\u200fطباخ\u200e cook \u202bمطعم\u202c \u2067x\u2069",
    "zero-width": "\u200bco\u200cok\u200d\u2060ing\ufeff",
    "arabic-indic": "مستوى ٠١٢٣٤٥٦٧٨٩ ۰۱۲۳",
    "separators": "line\u2028para\u2029nel\x85nbsp\u00a0end",
    "astral": "𝔠𝔬𝔬𝔨 👩\u200d🍳 \U000e0067",
    "escapes": 'say "hi" \\ back\tslash \'single\' """triple"""',
}
# As labels are shown: Cc controls (tab, NEL) and line/paragraph separators become spaces.
SHOWN = {
    **ODD_LABELS,
    "separators": "line para nel nbsp\u00a0end",
    "escapes": 'say "hi" \\ back slash \'single\' """triple"""',
}


def _turtle_literal(text: str) -> str:
    escaped = text.replace("\\", "\\\\").replace('"', '\\"')
    return '"' + escaped.replace("\t", "\\t").replace("\n", "\\n") + '"'


def _odd_taxonomy() -> bytes:
    lines = [
        f"<urn:ex:{key}> a skos:Concept ; skos:prefLabel {_turtle_literal(text)}@en ."
        for key, text in ODD_LABELS.items()
    ]
    both = (unicodedata.normalize("NFC", "Müller"), unicodedata.normalize("NFD", "Müller"))
    lines.append(
        '<urn:ex:both> a skos:Concept ; skos:prefLabel "both"@en ; skos:altLabel '
        + ", ".join(f"{_turtle_literal(t)}@de" for t in both)
        + " ."
    )
    return ttl(*lines)


def test_unicode_oddities_in_labels_load_byte_identical_bar_controls_and_line_breaks() -> None:
    t = Taxonomy.from_rdf(_odd_taxonomy(), cache=False)
    for key, text in SHOWN.items():
        label = t.concept(f"urn:ex:{key}").pref_labels["en"]
        assert label.encode("utf-8") == text.encode("utf-8"), key


def test_nfc_and_nfd_spellings_stay_two_distinct_labels() -> None:
    t = Taxonomy.from_rdf(_odd_taxonomy(), cache=False)
    alt = t.concept("urn:ex:both").alt_labels["de"]
    assert sorted(a.encode() for a in alt) == sorted(
        unicodedata.normalize(form, "Müller").encode() for form in ("NFC", "NFD")
    )


def test_unicode_oddities_survive_to_rdf_and_back_unchanged(tmp_path: Path) -> None:
    t = Taxonomy.from_rdf(_odd_taxonomy(), cache=False)
    out = tmp_path / "odd.ttl"
    t.to_rdf(out)
    back = Taxonomy.from_rdf(out, cache=False)
    assert back == t
    for key, text in SHOWN.items():
        assert back.concept(f"urn:ex:{key}").pref_labels["en"].encode() == text.encode(), key
    assert sorted(a.encode() for a in back.concept("urn:ex:both").alt_labels["de"]) == sorted(
        a.encode() for a in t.concept("urn:ex:both").alt_labels["de"]
    )


@pytest.mark.parametrize("fmt", ["turtle", "xml"])
def test_megabyte_long_multiline_label_is_refused_quickly_naming_the_limit(
    tmp_path: Path, fmt: str
) -> None:
    text = ("é🙂 \u200bك٣x\n" * (1 << 17))[: (1 << 20) - 1] + "x"
    if fmt == "turtle":
        literal = _turtle_literal(text)
        data = ttl(f"<urn:ex:long> a skos:Concept ; skos:prefLabel {literal}@en .")
    else:
        label = f'<skos:prefLabel xml:lang="en">{text}</skos:prefLabel>'
        data = rdf_xml(f'<skos:Concept rdf:about="urn:ex:long">{label}</skos:Concept>')
    path = write(tmp_path, f"long.{'ttl' if fmt == 'turtle' else 'rdf'}", data)
    start = time.perf_counter()
    with pytest.raises(TaxonomyError) as info:
        Taxonomy.from_rdf(path, cache=False)
    elapsed = time.perf_counter() - start
    assert info.value.uris == ("urn:ex:long",)
    assert f"limit of {MAX_LABEL_CHARS:,} characters" in info.value.message
    assert elapsed < 5.0


@pytest.fixture
def _no_warnings() -> Iterator[None]:
    with warnings.catch_warnings():
        warnings.simplefilter("error", TaxonomyWarning)
        yield


@pytest.mark.usefixtures("_no_warnings")
def test_clean_small_taxonomy_loads_without_warnings() -> None:
    # The contrast for the warning tests above: clean input gives no TaxonomyWarning at all.
    t = Taxonomy.from_rdf(ttl(concept("urn:ex:a"), concept("urn:ex:b", "urn:ex:a")), cache=False)
    assert t.narrower("urn:ex:a") == ("urn:ex:b",)
