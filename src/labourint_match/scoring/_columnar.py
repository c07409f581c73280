"""Cohorts encoded from their columns (``profiles._columns``): the matcher's bulk input path.

:func:`encode_columns` does what :meth:`Scorer.encode` does for records — language skills routed
to the language channel, titles read in one batch, both sides encoded with one set of interned
codes, the relation credits of the concepts asked for — on columns, whether they were read from
records or straight from Arrow columns; the encoding is the same.

:func:`encode_vacancy_side` and :func:`encode_with` split it in two, for a stream of candidates
ranked against one set of vacancies (``Matcher.rank_chunks``): the vacancies are routed, their
titles read and their arrays and relation credits built once, and each chunk of candidates is
then encoded against them. The codes interned for languages and regions are numbered in another
order then (the vacancies' first), which changes no score: the kernels only compare two codes for
equality (a region's -1, none, apart), so any one-to-one numbering gives the same results.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import NamedTuple

from .._gc import gc_paused
from ..profiles._columns import CandidateColumns, VacancyColumns
from ._encode import (
    CandidateArrays,
    Codes,
    RelationArrays,
    VacancyArrays,
    encode_candidate_columns,
    encode_vacancy_columns,
)
from .engine import EncodedCohort, Scorer

__all__ = ["VacancySide", "encode_columns", "encode_vacancy_side", "encode_with", "titles_to_read"]


def _titles(occupations: list[str | None], titles: list[str | None]) -> list[str]:
    return [t for o, t in zip(occupations, titles, strict=True) if o is None and t]


def titles_to_read(cands: CandidateColumns, vacs: VacancyColumns) -> list[str]:
    """The job titles that stand for an occupation (given without an occupation URI)."""
    return _titles(cands.exp_occupation, cands.exp_title) + _titles(vacs.occupation, vacs.title)


def _candidate_arrays(scorer: Scorer, cands: CandidateColumns, codes: Codes) -> CandidateArrays:
    """Routed candidate columns as arrays, through the scorer's text reader."""
    read = scorer.reader
    return encode_candidate_columns(
        cands, scorer.taxonomy, scorer.config, codes, read.resolve_index, read.confidence,
        read.title_index,
    )  # fmt: skip


def _vacancy_arrays(scorer: Scorer, vacs: VacancyColumns, codes: Codes) -> VacancyArrays:
    """Routed vacancy columns as arrays, through the scorer's text reader."""
    read = scorer.reader
    return encode_vacancy_columns(
        vacs, scorer.taxonomy, scorer.config, codes, read.resolve_index, scorer.as_of,
        read.confidence, read.title_index,
    )  # fmt: skip


def encode_columns(
    scorer: Scorer,
    cands: CandidateColumns,
    vacs: VacancyColumns,
    read_titles: Callable[[list[str]], object] | None = None,
) -> EncodedCohort:
    """Both cohorts' columns as the engine's arrays: row ``i`` is row ``i`` of each.

    `read_titles` is given the titles read as occupations, in one batch, before encoding (the
    matcher's memoised title reader); the scorer's :class:`TextReader` then reads each.
    """
    with gc_paused():
        cands = scorer.channels.routed_columns(cands)
        vacs = scorer.channels.routed_columns(vacs)
        if read_titles is not None:
            titles = titles_to_read(cands, vacs)
            if titles:
                read_titles(titles)
        codes = Codes()  # candidates' codes first, then the vacancies'
        c = _candidate_arrays(scorer, cands, codes)
        v = _vacancy_arrays(scorer, vacs, codes)
        return EncodedCohort(c, v, scorer.relations.arrays(v.slot_concept))


class VacancySide(NamedTuple):
    """Vacancies encoded once, for any number of candidate cohorts (:func:`encode_with`)."""

    V: VacancyArrays
    R: RelationArrays
    languages: dict[str, int]
    """The language codes the vacancies interned (canonical code → integer)."""
    regions: dict[str, int]
    """The region codes the vacancies interned (upper-cased code → integer)."""


def encode_vacancy_side(
    scorer: Scorer,
    vacs: VacancyColumns,
    read_titles: Callable[[list[str]], object] | None = None,
) -> VacancySide:
    """The vacancies' half of :func:`encode_columns`: routed, titles read, arrays, relations.

    The codes of their languages and regions are interned first (in order of first appearance);
    :func:`encode_with` numbers a cohort of candidates' further codes after them.
    """
    with gc_paused():
        vacs = scorer.channels.routed_columns(vacs)
        if read_titles is not None:
            titles = _titles(vacs.occupation, vacs.title)
            if titles:
                read_titles(titles)
        codes = Codes()
        v = _vacancy_arrays(scorer, vacs, codes)
        relations = scorer.relations.arrays(v.slot_concept)
        return VacancySide(v, relations, dict(codes.languages), dict(codes.regions))


def encode_with(
    scorer: Scorer,
    side: VacancySide,
    cands: CandidateColumns,
    read_titles: Callable[[list[str]], object] | None = None,
) -> EncodedCohort:
    """A cohort of candidates encoded against vacancies encoded once (:func:`encode_vacancy_side`).

    The scores, rankings and reasons of the result are those of :func:`encode_columns` on the
    same two cohorts (the interned codes differ in numbering only; see the module docstring).
    """
    with gc_paused():
        cands = scorer.channels.routed_columns(cands)
        if read_titles is not None:
            titles = _titles(cands.exp_occupation, cands.exp_title)
            if titles:
                read_titles(titles)
        codes = Codes()
        codes.languages.update(side.languages)  # the vacancies' numbers, new codes after them
        codes.regions.update(side.regions)
        return EncodedCohort(_candidate_arrays(scorer, cands, codes), side.V, side.R)
