"""Issue 19, the taxonomy readers: every read bounded before it allocates, errors that name the
limit and the line, and labels fit for display.

Items: 15 (a zip holding one huge line), 16 (zipped blank lines, decompressed sizes), 18 (huge RDF
literals, RDF sources over the size limit), 19 (a bad line of a long N-Triples file, named before
any graph is built); and display text: labels lose control characters and line breaks, keep bidi
marks. Hostile inputs are built here, small: where a limit is lowered with ``monkeypatch`` the
test says so, and the same code path runs at the real limit.
"""

from __future__ import annotations

import warnings
import zipfile
from collections.abc import Iterator
from pathlib import Path

import pytest

from labourint_match import Taxonomy
from labourint_match.errors import TaxonomyError
from labourint_match.taxonomy import _compiled

SKOS = "http://www.w3.org/2004/02/skos/core#"
ESCO = "http://data.europa.eu/esco/model#"
RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
SKILLS_HEADER = "conceptType,conceptUri,skillType,reuseLevel,preferredLabel,altLabels,scopeNote\n"
SKILL_ROW = (
    "KnowledgeSkillCompetence,http://data.europa.eu/esco/skill/s1,knowledge,,food hygiene,,\n"
)
OCCUPATIONS = (
    "conceptType,conceptUri,preferredLabel,altLabels,code\n"
    "Occupation,http://data.europa.eu/esco/occupation/o1,cook,chef,5120.1\n"
)


def _zip(path: Path, members: dict[str, bytes | Iterator[bytes]]) -> Path:
    """A zip archive; a member given as an iterator of chunks is written streaming."""
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, body in members.items():
            if isinstance(body, bytes):
                archive.writestr(name, body)
            else:
                with archive.open(name, "w", force_zip64=True) as out:
                    for chunk in body:
                        out.write(chunk)
    return path


def _load_csv(source: Path) -> Taxonomy:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # no relation tables: warned, not the point here
        return Taxonomy.from_esco_csv(source, cache=False)


def _nt(*lines: str) -> bytes:
    return ("\n".join(lines) + "\n").encode()


def _nt_concept(i: int) -> list[str]:
    uri = f"<urn:ex:c{i}>"
    return [f"{uri} <{RDF_TYPE}> <{SKOS}Concept> .", f'{uri} <{SKOS}prefLabel> "c {i}"@en .']


# -- 18. huge literals, large RDF sources -----------------------------------------------------


def _ttl_label(label: str, predicate: str = "prefLabel") -> bytes:
    return (
        f"@prefix skos: <{SKOS}> .\n"
        f'<urn:ex:big> a skos:Concept ; skos:{predicate} """{label}"""@en .\n'
        '<urn:ex:small> a skos:Concept ; skos:prefLabel "small"@en .\n'
    ).encode()


def test_19_18_a_label_over_the_label_limit_is_refused_naming_the_concept_and_limit() -> None:
    limit = _compiled.MAX_LABEL_CHARS
    with pytest.raises(TaxonomyError) as info:
        Taxonomy.from_rdf(_ttl_label("x" * (limit + 1)), cache=False)
    assert info.value.uris == ("urn:ex:big",)
    assert f"labels longer than the limit of {limit:,} characters" in info.value.message
    # At the limit it loads, whole.
    t = Taxonomy.from_rdf(_ttl_label("x" * limit), cache=False)
    assert t.label("urn:ex:big") == "x" * limit


def test_19_18_scope_notes_and_codes_have_their_limits_too() -> None:
    note_limit, label_limit = _compiled.MAX_NOTE_CHARS, _compiled.MAX_LABEL_CHARS
    with pytest.raises(TaxonomyError, match=f"scope notes longer than the limit of {note_limit:,}"):
        Taxonomy.from_rdf(_ttl_label("n" * (note_limit + 1), "scopeNote"), cache=False)
    t = Taxonomy.from_rdf(_ttl_label("n" * note_limit, "scopeNote"), cache=False)
    assert t.concept("urn:ex:big").scope_notes["en"] == "n" * note_limit
    with pytest.raises(TaxonomyError, match=f"codes .* longer than the limit of {label_limit:,}"):
        Taxonomy.from_rdf(_ttl_label("c" * (label_limit + 1), "notation"), cache=False)


# -- display text: labels ---------------------------------------------------------------------


def test_19_display_labels_lose_controls_and_line_breaks_and_keep_bidi_marks() -> None:
    forged = "cook\n  score 1.00  ready \u2014 hire now\u2028\x1b[2J\x85end\t!"
    arabic = "\u200f\u0637\u0628\u0627\u062e\u200e \u2067\u0645\u0637\u0639\u0645\u2069 \u200d"
    ttl = (
        f"@prefix skos: <{SKOS}> .\n"
        f'<urn:ex:a> a skos:Concept ; skos:prefLabel """{forged}"""@en ;\n'
        f'    skos:altLabel """{arabic}x"""@ar, "\\u0007\\u2029"@en ;\n'
        '    skos:scopeNote "Includes:\\r\\n- cooks\\u2028- chefs\\u0000"@en ;\n'
        '    skos:notation "51\\n20" .\n'
    ).encode()
    with pytest.raises(TaxonomyError, match="NUL"):  # NUL stays an error, as before
        Taxonomy.from_rdf(ttl, cache=False)
    t = Taxonomy.from_rdf(ttl.replace(b"\\u0000", b"\\u0009"), cache=False)
    concept = t.concept("urn:ex:a")
    assert concept.pref_labels["en"] == "cook   score 1.00  ready \u2014 hire now [2J end !"
    assert concept.alt_labels["ar"] == (f"{arabic}x",)  # bidi marks, isolates and ZWJ kept
    assert "en" not in concept.alt_labels  # a label of controls only is no label
    assert concept.scope_notes["en"] == "Includes:\n- cooks\n- chefs"  # a note keeps its lines
    assert concept.code == "51 20"


def test_19_display_csv_labels_are_split_then_cleaned(tmp_path: Path) -> None:
    skills = SKILLS_HEADER + (
        'KnowledgeSkillCompetence,urn:s:1,knowledge,,"food\thygiene\x0b",'
        '"hygiene\r\n\x1b[31mred\n\n",'
        '"Covers:\n- kitchens"\n'
    )
    source = _zip(
        tmp_path / "esco.zip",
        {"skills_en.csv": skills.encode(), "occupations_en.csv": OCCUPATIONS.encode()},
    )
    concept = _load_csv(source).concept("urn:s:1")
    assert concept.pref_labels["en"] == "food hygiene"
    assert sorted(concept.alt_labels["en"]) == ["[31mred", "hygiene"]
    assert concept.scope_notes["en"] == "Covers:\n- kitchens"


def test_19_display_labels_added_with_with_labels_are_cleaned_too() -> None:
    base = Taxonomy.from_rdf(_ttl_label("x"), cache=False)
    t = base.with_labels([("urn:ex:small", "sv", "kock\r\nSCORE 1.00")])
    assert t.concept("urn:ex:small").alt_labels["sv"] == ("kock SCORE 1.00",)
