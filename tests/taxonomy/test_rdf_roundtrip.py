"""Turtle export: ``from_rdf(to_rdf(t)) == t`` for the bundled taxonomy, extract and full ESCO."""

from __future__ import annotations

import pickle
import warnings
from pathlib import Path

import pytest

from labourint_match import Taxonomy

MINI = Path(__file__).resolve().parents[1] / "fixtures" / "esco_mini"


def _round_trip(t: Taxonomy, tmp_path: Path) -> Taxonomy:
    path = tmp_path / "export.ttl"
    t.to_rdf(path)
    return Taxonomy.from_rdf(path, cache=False)


def _assert_same_content(a: Taxonomy, b: Taxonomy) -> None:
    assert a.uris == b.uris
    assert a.counts() == b.counts()
    for uri in a.uris[:: max(1, len(a) // 500)]:
        assert a.concept(uri) == b.concept(uri)
        assert a.broader(uri) == b.broader(uri)
        assert a.occupation_skills(uri) == b.occupation_skills(uri)
        assert a.related_skills(uri) == b.related_skills(uri)
    assert dict(a.languages) == dict(b.languages)
    assert a == b
    assert a.content_hash == b.content_hash


def test_bundled_taxonomy_round_trips_through_turtle(tmp_path: Path) -> None:
    t = Taxonomy.default()
    _assert_same_content(t, _round_trip(t, tmp_path))


def test_esco_csv_extract_round_trips_through_turtle(tmp_path: Path) -> None:
    t = Taxonomy.from_esco_csv(MINI, cache=False)
    _assert_same_content(t, _round_trip(t, tmp_path))


def test_export_is_deterministic_text() -> None:
    t = Taxonomy.default()
    assert t.to_rdf() == t.to_rdf()
    assert Taxonomy.from_rdf(t.to_rdf().encode(), cache=False).to_rdf() == t.to_rdf()


def test_other_rdf_serialisations_load_to_the_same_taxonomy(tmp_path: Path) -> None:
    import rdflib

    t = Taxonomy.from_esco_csv(MINI, cache=False)
    graph = rdflib.Graph().parse(data=t.to_rdf(), format="turtle")
    for fmt, suffix in (("xml", ".rdf"), ("nt", ".nt"), ("json-ld", ".jsonld")):
        path = tmp_path / f"export{suffix}"
        path.write_bytes(graph.serialize(format=fmt, encoding="utf-8"))
        assert Taxonomy.from_rdf(path, cache=False) == t, fmt


def test_inverse_and_association_relations_are_read() -> None:
    ttl = b"""
    @prefix skos: <http://www.w3.org/2004/02/skos/core#> .
    @prefix esco: <http://data.europa.eu/esco/model#> .
    <urn:o> a esco:Occupation ; skos:prefLabel "cook"@en .
    <urn:s1> a esco:Skill ; skos:prefLabel "fry"@en ; esco:isEssentialSkillFor <urn:o> .
    <urn:s2> a esco:Skill ; skos:prefLabel "bake"@en ; esco:isOptionalSkillFor <urn:o> .
    <urn:s3> a esco:Skill ; skos:prefLabel "boil"@en .
    <urn:a> esco:isRelationshipFor <urn:o> ; esco:targetSkill <urn:s3> ;
        esco:hasRelationshipType <http://data.europa.eu/esco/relationship-type/essential-skill> .
    <urn:s0> a skos:Concept, esco:SkillGroup ; skos:prefLabel "cooking"@en ;
        skos:narrower <urn:s1> .
    """
    t = Taxonomy.from_rdf(ttl, cache=False)
    assert dict(t.occupation_skills("urn:o")) == {
        "urn:s1": "essential",
        "urn:s2": "optional",
        "urn:s3": "essential",
    }
    assert t.broader("urn:s1") == ("urn:s0",)
    assert t.kind("urn:s0").value == "skill_group"


def test_taxonomy_pickles_to_an_equal_taxonomy() -> None:
    t = Taxonomy.default()
    clone = pickle.loads(pickle.dumps(t))
    assert clone == t
    cook = "http://data.europa.eu/esco/occupation/90f75f67-495d-49fa-ab57-2f320e251d7e"
    assert clone.ancestors(cook) == t.ancestors(cook)


@pytest.mark.esco
@pytest.mark.slow
def test_full_esco_round_trips_through_turtle(esco: Taxonomy, tmp_path: Path) -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # the export has no dangling links left to warn about
        back = _round_trip(esco, tmp_path)
    _assert_same_content(esco, back)
