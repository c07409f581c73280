"""What lenient reading returns: the report, its problems and the free-text skills' concepts.

:class:`TableReport` holds the good records, every :class:`TableProblem` of the bad rows and,
with a resolver, the :class:`CellResolution` of each free-text skill entry.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Generic, NamedTuple, TypeVar

from ..errors import ConfigError
from ..profiles import CandidateProfile, Cohort, Vacancy


class TableProblem(NamedTuple):
    """One problem of one bad row (lenient mode): where it is and what to fix.

    Never holds what the cell holds; ``record`` is the row's id when it has a usable one.
    """

    row: int
    """The data row's position, from 0 (as ``DataFrame.iloc`` and ``pandas.read_csv``)."""
    line: int | None
    """The line of the CSV file where the row starts (the header is line 1); None otherwise."""
    record: str | None
    """The row's id, when its id cell holds a usable one."""
    column: str | None
    """The column header, when the problem is in one column."""
    field: str | None
    """The field of the table (``languages``) or of the record (``location``)."""
    message: str
    """What is wrong and what to do about it."""


class CellResolution(NamedTuple):
    """The best concept of one free-text skill entry of a table, with its confidence."""

    row: int
    """The data row's position, from 0."""
    record: str
    """The record's id."""
    column: str | None
    """The column header."""
    text: str
    """The entry as written (kept as the claim)."""
    uri: str | None
    """The best concept, or None when the text resolves to nothing."""
    label: str | None
    """The label that matched."""
    score: float | None
    """The resolution's score: its confidence (None when unresolved)."""
    method: str | None
    """How it matched (``exact``, ``variant``, ``acronym``, ``fuzzy``)."""


R = TypeVar("R", CandidateProfile, Vacancy)


@dataclass(frozen=True, repr=False)
class TableReport(Generic[R]):
    r"""What lenient reading returns: the good records and every problem of the bad rows.

    Attributes
    ----------
    records
        The records of the good rows, in table order, validated as a cohort
        (``records.unknown_concepts`` lists concept URIs the taxonomy does not hold, when a
        taxonomy was given; those records are kept).
    problems
        Every problem found, ordered by row: :class:`TableProblem` (row, line, record,
        column, field, message). A row with a problem gives no record.
    skills
        With a ``resolver``: each free-text skill entry of the good rows with its best concept
        and confidence (:class:`CellResolution`); empty otherwise.
    source
        The file name, ``"<bytes>"`` or ``"<DataFrame>"``.
    rows_read
        The number of data rows read (blank rows included).

    Examples
    --------
    >>> from labourint_match.tables import read_vacancies
    >>> report = read_vacancies(
    ...     b"id,skills,languages,openings\n"
    ...     b"v-1,welding,sv:B1,2\n"
    ...     b"v-2,cooking,Swedish fluent,two\n",
    ...     lenient=True,
    ... )
    >>> report
    <TableReport: 1 records, 1 bad rows (2 problems) from '<bytes>'>
    >>> for p in report.problems:
    ...     print(p.line, p.record, p.column, p.message, sep=" | ")
    3 | v-2 | languages | entry 1 has a word that is not a language, a CEFR level (A1 … C2) or 'optional'; write entries like 'sv:B1', 'Swedish B1', 'English A2 optional'
    3 | v-2 | openings | must be a whole number
    """  # noqa: E501

    records: Cohort[R]
    problems: tuple[TableProblem, ...]
    skills: tuple[CellResolution, ...] = ()
    source: str | None = None
    rows_read: int = 0

    @property
    def bad_rows(self) -> tuple[int, ...]:
        """The positions of the rows with problems, in order."""
        return tuple(sorted({p.row for p in self.problems}))

    @property
    def unresolved_skills(self) -> tuple[CellResolution, ...]:
        """The free-text skill entries that resolve to nothing (with a ``resolver``)."""
        return tuple(s for s in self.skills if s.uri is None)

    def to_records(self) -> list[dict[str, object]]:
        r"""The problems as a list of dicts, one per problem.

        Examples
        --------
        >>> from labourint_match.tables import read_candidates
        >>> report = read_candidates(b"id,available_from\nc-1,31.02.2026\n", lenient=True)
        >>> report.to_records()[0]["message"]
        'is not a valid date (day or month out of range)'
        """
        return [p._asdict() for p in self.problems]

    def to_pandas(self) -> Any:
        """The problems as a pandas DataFrame (needs pandas, in the ``notebook`` extra)."""
        try:
            import pandas as pd
        except ImportError as exc:  # pragma: no cover - depends on the environment
            raise ConfigError(
                "to_pandas needs pandas: pip install 'labourint-match[notebook]'"
            ) from exc
        return pd.DataFrame.from_records(self.to_records(), columns=list(TableProblem._fields))

    def __repr__(self) -> str:
        source = f" from {self.source!r}" if self.source else ""
        return (
            f"<TableReport: {len(self.records)} records, {len(self.bad_rows)} bad rows "
            f"({len(self.problems)} problems){source}>"
        )
