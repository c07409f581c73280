"""Synthetic cohorts: candidates and vacancies that are realistic by construction, and reproducible.

:func:`cohort` draws a cohort of :class:`~labourint_match.profiles.CandidateProfile` and
:class:`~labourint_match.profiles.Vacancy` records from a taxonomy, for tests, benchmarks, demos
and quality measurement. :func:`iter_candidates`, :func:`iter_vacancies` and :func:`iter_truth`
stream the same records one at a time, and :func:`write_cohort` / :func:`write_jsonl` write them
as JSON Lines shards, for cohorts too large to hold as objects.

How records are drawn
    *Vacancies* come from occupations that have at least ``min_essential`` essential skills. The
    occupation is drawn with a Zipf skew (``demand_skew``) over a seed-dependent popularity order,
    so a few occupations are in high demand. A vacancy asks for all of its occupation's essential
    skills and for each optional skill with probability ``optional_share``; it has 1–5 openings
    (``openings_weights``), a host-language requirement whose level follows the occupation's ISCO
    major group, a minimum education sometimes, a place in the region (some remote), support
    (``support_rates``), a start date after ``as_of``, an employer id and the occupation's label as
    title.

    *Candidates* come from one or two earlier occupations (``second_occupation_rate``; the second
    is a neighbour in the occupation hierarchy half of the time), drawn with a softer skew
    (``supply_skew``) over the same popularity order. Each source occupation's essential skills are
    kept with probability ``1 - dropout_rate`` and its optional skills with probability
    ``claim_optional_share``; a kept skill is replaced by a neighbour in the hierarchy (broader,
    narrower, sibling or ESCO-related skill) with probability ``neighbour_rate``; unrelated skills
    are added at rate ``noise_rate`` (drawn by how often occupations ask for them). Each claim has
    an evidence level (``evidence_weights``) and sometimes a proficiency level and years.
    Experience lists the source occupations with months; education follows the main occupation's
    ISCO major group, with recognition status for foreign qualifications
    (``recognition_weights``); candidates live in the region with a commuting radius
    (``commute_km_weights``).

What real intake data has (all off by default)
    Records as they come from an intake spreadsheet are less tidy; four knobs add that, each drawn
    from random streams of its own, so every other record and field stays what it would be
    without them:

    - ``unjudged_vacancy_share``: *extra* vacancies, ``round(share × n_vacancies)`` of them, with
      no resolvable skill requirement — an empty list, or only vague free text such as
      "motivated team player, flexible" (from a fixed list of phrases, none of which resolves to
      a concept of the bundled taxonomy or of ESCO v1.1.1 today) — remote, asking for no
      language, education or experience, with no occupation. Their ids are ``vu000001``, ….
    - ``common_skill_vacancy_share``: *extra* remote vacancies asking only one or two of the
      skills the taxonomy's occupations most often list as essential, and nothing else, with no
      occupation. Their ids are ``vc000001``, ….
    - ``unknown_languages_rate`` and ``unknown_experience_rate``: the chance that a candidate's
      ``languages`` or ``experience`` is left empty (unknown). The ground truth still records
      the occupations the skills were drawn from.

    The extra vacancies follow the drawn ones (``v000001``, …) in :func:`cohort` and
    :func:`write_cohort`; :func:`iter_vacancies` streams only the drawn ones.

Equal terms
    A cohort mixes domestic jobseekers and newcomers (``newcomer_share``, default 0.6). Newcomers
    come from the main countries of origin of people seeking protection in Europe
    (:data:`ORIGINS`: Syria, Ukraine, Afghanistan, Iraq, Iran, Türkiye, Eritrea, Somalia,
    Venezuela, Colombia, Bangladesh, Pakistan), with their mother tongues (Arabic, Ukrainian,
    Russian, Dari, Persian, Pashto, Kurdish, Turkish, Tigrinya, Somali, Spanish, Bengali, Urdu,
    Punjabi), a host-language level from A1 to C1 (``host_level_weights``) and a work-authorisation
    status (``status_weights``; origins in ``temporary_protection_origins`` have temporary
    protection). Domestic jobseekers are citizens whose mother tongue is ``host_language``. Skills,
    occupations and education are drawn the same way for both. ``AuditAttributes`` (gender, age
    band, nationality, country of birth, disability, and ``group`` = ``newcomer`` / ``domestic``)
    are set for fairness reports. Records are pseudonymous: ids only, never names.

Ground truth
    Each candidate's source occupations are recorded in ``SyntheticCohort.truth`` (candidate id →
    occupation URIs, main occupation first) and streamed by :func:`iter_truth`; this is the
    authoritative record against which match quality can be measured. Each drawn vacancy's
    ``occupation`` is set (the extra vacancies have none).

Determinism
    Every record draws from its own random stream: ``numpy.random.PCG64`` seeded by
    ``SeedSequence(seed, spawn_key=(stream, index))``, using only ``Generator.random`` (uniform
    doubles), converted by this module. So the i-th candidate is the same whether 10 or 100,000 are
    drawn, streamed or not, starting at 0 or at ``start=i``; the same seed and knobs give the same
    JSON, byte for byte; and different seeds differ. Dates count from ``as_of`` (default
    2026-01-01), never from today. ``seed`` is required (keyword-only, an integer >= 0).

Knobs
    Keyword-only, validated (a bad knob raises :class:`~labourint_match.errors.ConfigError` naming
    it); see :class:`SynthConfig` for each knob and its default.

Examples
--------
>>> from labourint_match import Taxonomy
>>> from labourint_match.synth import cohort
>>> taxonomy = Taxonomy.default()
>>> candidates, vacancies = cohort(taxonomy, 20, 5, seed=7)
>>> len(candidates), len(vacancies), candidates[0].id, vacancies[0].id
(20, 5, 'c000001', 'v000001')
>>> result = cohort(taxonomy, 20, 5, seed=7)
>>> result.truth["c000001"] == tuple(e.occupation for e in candidates[0].experience)
True
>>> result.digest() == cohort(taxonomy, 20, 5, seed=7).digest()
True
"""

from __future__ import annotations

from ._cohort import (
    CohortFiles,
    SyntheticCohort,
    cohort,
    iter_candidates,
    iter_truth,
    iter_vacancies,
    write_cohort,
    write_jsonl,
)
from ._config import Region, SynthConfig
from ._constants import ORIGINS, Origin

__all__ = [
    "ORIGINS",
    "CohortFiles",
    "Origin",
    "Region",
    "SynthConfig",
    "SyntheticCohort",
    "cohort",
    "iter_candidates",
    "iter_truth",
    "iter_vacancies",
    "write_cohort",
    "write_jsonl",
]
