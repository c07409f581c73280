"""Encoding edge cases: dtypes and offsets when requirements or claims are missing or unresolved."""

from __future__ import annotations

from datetime import date

import numpy as np

from labourint_match import CandidateProfile, Matcher, ScoringConfig, Taxonomy, Vacancy


def _matcher() -> Matcher:
    return Matcher(Taxonomy.default(), ScoringConfig(as_of=date(2026, 1, 1)))


def test_vacancies_without_slots_keep_float_weights() -> None:
    m = _matcher()
    enc = m._scorer.encode(
        [CandidateProfile(id="c", skills=[])],
        [Vacancy(id="a", skills=[]), Vacancy(id="b", skills=[])],
    )
    assert enc.V.total_weight.dtype == np.float64
    assert enc.V.total_weight.tolist() == [0.0, 0.0]
    assert enc.V.slot_weight.dtype == np.float64
    assert enc.V.slot_weight.size == 0
    assert enc.V.features.shape == (2, 11)
    assert enc.V.features.dtype == np.float64
    assert enc.C.claim_indptr.tolist() == [0, 0]
    assert enc.C.lang_level.shape == (0, 4)
    assert enc.C.lang_level.dtype == np.int8


def test_unresolved_free_text_is_dropped_with_its_fields() -> None:
    m = _matcher()
    t = m.taxonomy
    cook = "http://data.europa.eu/esco/occupation/90f75f67-495d-49fa-ab57-2f320e251d7e"
    skills = [r.skill for r in t.occupation_skills(cook)][:2]
    nonsense = "zqxj vbnm wrtp"
    person = CandidateProfile(
        id="c",
        skills=[
            {"skill": skills[0], "level": 2, "evidence": "certified"},
            nonsense,
            {"skill": skills[1], "level": 4},
        ],
        languages=[
            {"language": "nb", "level": "B1", "writing": "A2"},
            {"language": "ar", "native": True},
        ],
    )
    job = Vacancy(
        id="v",
        skills=[nonsense, {"skill": skills[1], "weight": 0.3, "importance": "optional"}],
        languages=[{"language": "no", "level": "B2"}],
    )
    enc = m._scorer.encode([person], [job])
    assert m.resolve(nonsense) is None
    assert enc.C.claim_indptr.tolist() == [0, 2]
    assert enc.C.claim_concept.tolist() == [t.index(skills[0]), t.index(skills[1])]
    assert enc.C.claim_level.tolist() == [2, 4]
    assert enc.C.claim_evidence.tolist() == [
        m.config.evidence_factor("certified"),
        m.config.evidence_factor("self_declared"),
    ]
    assert enc.C.lang_level.tolist() == [[3, 3, 3, 2], [6, 6, 6, 6]]
    assert enc.C.lang_code.tolist() == [0, 1]  # nb and no alike: one code
    assert enc.V.lang_code.tolist() == [0]
    assert enc.V.slot_indptr.tolist() == [0, 1]
    assert enc.V.slot_weight.tolist() == [0.3 * m.config.optional_factor]
    assert enc.V.total_weight.tolist() == [0.3 * m.config.optional_factor]
