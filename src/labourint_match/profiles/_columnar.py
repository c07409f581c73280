"""`ColumnarCohort`: a validated cohort held as columns, for bulk input without a record per row.

Built from Arrow or pandas columns in the records' JSON shape (one column per top-level field, as
:func:`load_candidates` reads a JSON Lines shard and as ``pyarrow.json`` reads one), it is checked
by the records' own rules without building one pydantic model per row (``_arrow``), and a record
is built only for a row that asks for it: an explanation, or a row the column checks cannot clear
(then the model decides, and its error is the error :func:`load_candidates` gives).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from os import PathLike
from typing import Any, Generic, TypeVar

import numpy as np

from ..errors import ConfigError, ProfileError
from ._columns import CandidateColumns, Columns, VacancyColumns, candidate_columns, vacancy_columns
from ._fields import id_problem
from ._models import CandidateProfile, Vacancy

__all__ = ["ColumnarCohort"]

RecordT = TypeVar("RecordT", CandidateProfile, Vacancy)


class ColumnarCohort(Generic[RecordT]):
    """A cohort of candidates or vacancies held as columns: bulk input for :class:`Matcher`.

    :meth:`Matcher.rank`, :meth:`Matcher.rank_chunks` and :meth:`Matcher.assign` take one in
    place of a list of records and give the same results; ids, concepts and cohort rules are
    checked there, as for records. Build one with :meth:`from_arrow` (a ``pyarrow.Table``),
    :meth:`from_frame` (a pandas DataFrame), :meth:`read_jsonl` (JSON Lines shards) or
    :meth:`from_records`. Indexing builds the record of one row (``cohort[3]``).

    Examples
    --------
    >>> from labourint_match import CandidateProfile
    >>> cohort = ColumnarCohort.from_records([CandidateProfile(id="a", skills=["cooking"])])
    >>> len(cohort), cohort.ids, cohort[0].skills[0].skill, cohort.kind.__name__
    (1, ('a',), 'cooking', 'CandidateProfile')
    """

    def __init__(
        self,
        kind: type[RecordT],
        columns: Columns,
        label: Callable[[int], str],
        where: Callable[[int], str],
        source: str | None = None,
    ) -> None:
        self.kind: type[RecordT] = kind
        self.columns = columns
        self._label = label
        self._where = where
        self.source = source

    @classmethod
    def from_records(cls, records: Any) -> ColumnarCohort[Any]:
        """The columns of records already built (all candidates, or all vacancies)."""
        from ._cohorts import checked_records

        items = tuple(records)
        kind: type[Any]
        kind = Vacancy if items and isinstance(items[0], Vacancy) else CandidateProfile
        items = checked_records(items, kind, "records")
        columns: Columns = vacancy_columns(items) if kind is Vacancy else candidate_columns(items)
        cohort: ColumnarCohort[Any] = ColumnarCohort(
            kind, columns, lambda i: items[i].id, "item {}".format
        )
        return cohort

    @classmethod
    def from_arrow(
        cls, table: Any, kind: type[RecordT], *, source: str | None = None
    ) -> ColumnarCohort[RecordT]:
        """A cohort from a ``pyarrow.Table`` in the records' JSON shape, checked by their rules.

        One column per top-level field of `kind` (:class:`CandidateProfile` or
        :class:`Vacancy`): scalars, structs for nested records (``location``), lists of structs
        or of strings for list fields (``skills``); a null is an absent field. No record is built
        for a row that the column checks clear (``profiles._arrow`` says what they cover); any
        other row is validated by the model.

        Raises
        ------
        ProfileError
            The first row the model rejects, named by id and row, with the field (the error
            :func:`load_candidates` gives for the same record).
        ConfigError
            `table` is not a ``pyarrow.Table`` or `kind` not a record type.
        """
        import pyarrow as pa  # type: ignore[import-untyped,unused-ignore]

        from ._arrow import arrow_columns

        if not isinstance(table, pa.Table):
            raise ConfigError(f"table must be a pyarrow.Table, not {type(table).__name__}")
        if kind not in (CandidateProfile, Vacancy):
            raise ConfigError("kind must be CandidateProfile or Vacancy")
        name = f" of {source}" if source else ""

        def where(i: int) -> str:
            return f"row {i}{name}"

        def label(i: int, record_id: Any = None) -> str:
            if record_id is None:
                record_id = columns.id[i]
            return f"{record_id} ({where(i)})" if id_problem(record_id) is None else where(i)

        columns: Columns = arrow_columns(table, kind, label)
        return cls(kind, columns, label, where, source)

    @classmethod
    def from_frame(
        cls, frame: Any, kind: type[RecordT], *, source: str | None = None
    ) -> ColumnarCohort[RecordT]:
        """A cohort from a pandas DataFrame in the records' JSON shape (see :meth:`from_arrow`).

        List cells hold lists (of dicts or strings), nested records dicts; NaN and None are
        absent fields.
        """
        import pyarrow as pa  # type: ignore[import-untyped,unused-ignore]

        return cls.from_arrow(pa.Table.from_pandas(frame, preserve_index=False), kind,
                              source=source)  # fmt: skip

    @classmethod
    def read_jsonl(cls, paths: Any, kind: type[RecordT]) -> ColumnarCohort[RecordT]:
        """A cohort from JSON Lines shards (one record per line), read by ``pyarrow.json``.

        Each shard's list entries must be all objects or all strings (pyarrow's reader does not
        mix them); a shard it cannot read is a `ProfileError`: read it with
        :func:`load_candidates` instead.
        """
        import pyarrow as pa  # type: ignore[import-untyped,unused-ignore]
        import pyarrow.json as pj  # type: ignore[import-untyped,unused-ignore]

        files = [paths] if isinstance(paths, (str, PathLike)) else list(paths)
        tables = []
        for file in files:
            try:
                tables.append(pj.read_json(file))
            except (pa.ArrowException, OSError) as exc:
                raise ProfileError(f"{file}: pyarrow cannot read it as JSON Lines "
                                   f"({type(exc).__name__}); read it with load_candidates "
                                   "or load_vacancies") from None  # fmt: skip
        table = pa.concat_tables(tables, promote_options="permissive") if tables else pa.table({})
        shown = str(files[0]) if len(files) == 1 else f"{len(files)} shards"
        return cls.from_arrow(table, kind, source=shown)

    def __len__(self) -> int:
        return len(self.columns)

    def __getitem__(self, i: int) -> RecordT:
        if not isinstance(i, (int, np.integer)) or isinstance(i, bool):
            raise ConfigError("a ColumnarCohort is indexed by row number (an int)")
        n = len(self)
        if not -n <= i < n:
            raise IndexError(f"row {i} of a cohort of {n}")
        record: RecordT = self.columns.record(int(i) % n)
        return record

    def __iter__(self) -> Iterator[RecordT]:
        return (self[i] for i in range(len(self)))

    @property
    def ids(self) -> tuple[str, ...]:
        """The records' ids, in order."""
        return tuple(self.columns.id)

    def label(self, i: int) -> str:
        """How messages name row `i`: its id, and where it is when the cohort was read."""
        return self._label(i)

    def where(self, i: int) -> str:
        """Where row `i` is (``row 3``, ``item 3``), for messages naming an earlier row."""
        return self._where(i)

    def rows(self, lo: int, hi: int) -> ColumnarCohort[RecordT]:
        """Rows ``lo … hi-1`` as a cohort of their own (messages keep the rows' positions)."""
        part = self.columns.take(np.arange(lo, hi, dtype=np.int64))
        label, where = self._label, self._where
        return ColumnarCohort(
            self.kind, part, lambda i: label(i + lo), lambda i: where(i + lo), self.source
        )

    def __repr__(self) -> str:
        source = f" from {self.source!r}" if self.source else ""
        return f"<ColumnarCohort: {len(self)} rows ({self.kind.__name__}){source}>"


def _is_kind(columns: Columns, kind: type[Any]) -> bool:
    return isinstance(columns, VacancyColumns if kind is Vacancy else CandidateColumns)
