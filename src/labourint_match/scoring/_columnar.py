"""Cohorts encoded from their columns (``profiles._columns``): the matcher's bulk input path.

:func:`encode_columns` does what :meth:`Scorer.encode` does for records — language skills routed
to the language channel, titles read in one batch, both sides encoded with one set of interned
codes, the relation credits of the concepts asked for — on columns, whether they were read from
records or straight from Arrow columns; the encoding is the same.
"""

from __future__ import annotations

from collections.abc import Callable

from .._gc import gc_paused
from ..profiles._columns import CandidateColumns, VacancyColumns
from ._encode import Codes, encode_candidate_columns, encode_vacancy_columns
from .engine import EncodedCohort, Scorer

__all__ = ["encode_columns", "titles_to_read"]


def titles_to_read(cands: CandidateColumns, vacs: VacancyColumns) -> list[str]:
    """The job titles that stand for an occupation (given without an occupation URI)."""
    titles = [t for o, t in zip(cands.exp_occupation, cands.exp_title, strict=True)
              if o is None and t]  # fmt: skip
    titles.extend(t for o, t in zip(vacs.occupation, vacs.title, strict=True) if o is None and t)
    return titles


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
        codes = Codes()
        read = scorer.reader
        c = encode_candidate_columns(
            cands, scorer.taxonomy, scorer.config, codes, read.resolve_index, read.confidence,
            read.title_index,
        )  # fmt: skip
        v = encode_vacancy_columns(
            vacs, scorer.taxonomy, scorer.config, codes, read.resolve_index, scorer.as_of,
            read.confidence, read.title_index,
        )  # fmt: skip
        return EncodedCohort(c, v, scorer.relations.arrays(v.slot_concept))
