"""`ColumnarCohort`: a validated cohort held as columns, for bulk input without a record per row.

Built from Arrow or pandas columns in the records' JSON shape (one column per top-level field, as
:func:`load_candidates` reads a JSON Lines shard and as ``pyarrow.json`` reads one), it is checked
by the records' own rules without building one pydantic model per row (``_arrow``), and a record
is built only for a row that asks for it: an explanation, or a row the column checks cannot clear
(then the model decides, and its error is the error :func:`load_candidates` gives).
"""

from __future__ import annotations

import os
from bisect import bisect_right
from collections.abc import Callable, Iterator, Sequence
from os import PathLike
from pathlib import Path
from typing import Any, Generic, TypeVar

import numpy as np

from ..errors import ConfigError, ProfileError
from ._columns import CandidateColumns, Columns, VacancyColumns, candidate_columns, vacancy_columns
from ._fields import id_problem
from ._models import CandidateProfile, Vacancy

__all__ = ["ColumnarCohort"]

RecordT = TypeVar("RecordT", CandidateProfile, Vacancy)

#: ``label(i)`` without an id: read row `i`'s id from the columns (``label(i, None)``: no id).
_FROM_COLUMNS: Any = object()


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
    def from_records(cls, records: Any, kind: type[Any] | None = None) -> ColumnarCohort[Any]:
        """The columns of records already built (all candidates, or all vacancies).

        `kind` (:class:`CandidateProfile` or :class:`Vacancy`) says which: by default the kind
        of the first record, and candidates for no records (``kind=Vacancy`` for an empty
        cohort of vacancies). A record of another kind is a `ProfileError`.
        """
        from ._cohorts import checked_records

        items = tuple(records)
        if kind is None:
            kind = Vacancy if items and isinstance(items[0], Vacancy) else CandidateProfile
        _check_kind(kind)
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

        if not isinstance(table, pa.Table):
            raise ConfigError(f"table must be a pyarrow.Table, not {type(table).__name__}")
        _check_kind(kind)
        name = f" of {source}" if source else ""

        def where(i: int) -> str:
            return f"row {i}{name}"

        return cls._checked(table, kind, where, source)

    @classmethod
    def _checked(
        cls, table: Any, kind: type[RecordT], where: Callable[[int], str], source: str | None
    ) -> ColumnarCohort[RecordT]:
        """The cohort of `table`, its rows named by `where` (and by id when they have one)."""
        from ._arrow import arrow_columns

        columns: Columns | None = None  # set once the columns are read

        def label(i: int, record_id: Any = _FROM_COLUMNS) -> str:
            # While the columns are read, a row the model rejects is named with its own id
            # (None: it has none, and is named by position).
            if record_id is _FROM_COLUMNS:
                record_id = columns.id[i] if columns is not None else None
            return f"{record_id} ({where(i)})" if id_problem(record_id) is None else where(i)

        columns = arrow_columns(table, kind, label)
        return cls(kind, columns, label, where, source)

    @classmethod
    def from_frame(
        cls, frame: Any, kind: type[RecordT], *, source: str | None = None
    ) -> ColumnarCohort[RecordT]:
        """A cohort from a pandas DataFrame in the records' JSON shape (see :meth:`from_arrow`).

        List cells hold lists (of dicts or strings), nested records dicts; NaN and None are
        absent fields. A column whose cells pyarrow cannot hold as one type (a string in a
        column of numbers, a number among string ids) is a `ProfileError` naming the column
        (as `field`), never a cell's content.
        """
        import pandas as pd
        import pyarrow as pa  # type: ignore[import-untyped,unused-ignore]

        if not isinstance(frame, pd.DataFrame):
            raise ConfigError(f"frame must be a pandas DataFrame, not {type(frame).__name__}")
        _check_kind(kind)
        try:
            table = pa.Table.from_pandas(frame, preserve_index=False)
        except pa.ArrowException as exc:
            raise _frame_error(frame, exc) from None
        return cls.from_arrow(table, kind, source=source)

    @classmethod
    def read_jsonl(cls, paths: Any, kind: type[RecordT]) -> ColumnarCohort[RecordT]:
        """A cohort from JSON Lines shards (one record per line), read by ``pyarrow.json``.

        Each shard's list entries must be all objects or all strings (pyarrow's reader does not
        mix them), and a column must have one shape in every shard; a shard it cannot read, or
        shards whose columns do not merge, are a `ProfileError` naming the shards (and the
        column): read them with :func:`load_candidates` instead. An empty (0-byte) shard holds
        no records. Messages name a row by its shard and line (``c-7 (line 12 of part-3.jsonl)``,
        blank lines counted, as :func:`load_candidates` counts them).
        """
        import pyarrow as pa  # type: ignore[import-untyped,unused-ignore]
        import pyarrow.json as pj  # type: ignore[import-untyped,unused-ignore]

        _check_kind(kind)
        files = [paths] if isinstance(paths, (str, PathLike)) else list(paths)
        names = [Path(file).name if isinstance(file, (str, PathLike)) else str(file)
                 for file in files]  # fmt: skip
        if len(set(names)) < len(names):  # same names in several folders: the paths say which
            names = [str(file) for file in files]
        tables, kept, shards = [], [], []
        for file, name in zip(files, names, strict=True):
            if _empty_file(file):
                continue
            try:
                tables.append(pj.read_json(file))
            except (pa.ArrowException, OSError) as exc:
                raise ProfileError(f"{file}: pyarrow cannot read it as JSON Lines "
                                   f"({type(exc).__name__}); read it with load_candidates "
                                   "or load_vacancies") from None  # fmt: skip
            kept.append(file)
            shards.append(name)
        try:
            table = (
                pa.concat_tables(tables, promote_options="permissive") if tables else pa.table({})
            )
        except pa.ArrowException:
            raise _merge_error(tables, shards) from None
        ends = np.cumsum([t.num_rows for t in tables], dtype=np.int64).tolist()

        def where(i: int) -> str:
            k = bisect_right(ends, i)
            row = i - (ends[k - 1] if k else 0)
            line = _line_of(kept[k], row)
            return f"line {line} of {shards[k]}" if line else f"row {row} of {shards[k]}"

        shown = str(files[0]) if len(files) == 1 else f"{len(files)} shards"
        return cls._checked(table, kind, where, shown)

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


def _check_kind(kind: object) -> None:
    if kind not in (CandidateProfile, Vacancy):
        raise ConfigError("kind must be CandidateProfile or Vacancy")


def _empty_file(file: Any) -> bool:
    try:
        return os.path.getsize(file) == 0
    except (OSError, TypeError, ValueError):  # pyarrow's reader says what is wrong
        return False


def _line_of(file: Any, row: int) -> int | None:
    """The line number of row `row` of a JSON Lines file (blank lines skipped), if readable."""
    try:
        with open(file, "rb") as handle:
            seen = 0
            for number, line in enumerate(handle, start=1):
                if line.strip():
                    if seen == row:
                        return number
                    seen += 1
    except (OSError, TypeError, ValueError):
        return None
    return None


def _frame_error(frame: Any, exc: BaseException) -> ProfileError:
    """A ProfileError naming the first column pyarrow cannot convert; never a cell's content."""
    import pyarrow as pa  # type: ignore[import-untyped,unused-ignore]

    for i, name in enumerate(frame.columns):
        try:
            pa.Array.from_pandas(frame.iloc[:, i])
        except pa.ArrowException as column_exc:
            shown = str(name)[:100]
            return ProfileError(
                f"column {shown!r} cannot be read into Arrow ({type(column_exc).__name__}): its "
                "cells are not all of one type (such as a text in a column of numbers, or a "
                "number among string ids); give the column one type",
                field=shown,
            )
        except Exception:  # a column pandas cannot hand over (a repeated name): try the next
            continue
    return ProfileError(
        f"the frame cannot be read into Arrow ({type(exc).__name__}); give each column one type"
    )


def _merge_error(tables: Sequence[Any], shards: Sequence[str]) -> ProfileError:
    """A ProfileError naming the column (and two shards) whose types do not merge."""
    import pyarrow as pa  # type: ignore[import-untyped,unused-ignore]

    columns = dict.fromkeys(name for table in tables for name in table.column_names)
    for column in columns:
        holders = [(shard, table.schema.field(column))
                   for table, shard in zip(tables, shards, strict=True)
                   if column in table.column_names]  # fmt: skip
        first_shard, first = holders[0]
        for shard, field in holders[1:]:
            try:
                pa.unify_schemas([pa.schema([first]), pa.schema([field])],
                                 promote_options="permissive")  # fmt: skip
            except pa.ArrowException:
                return ProfileError(
                    f"column {column[:100]!r} holds {_shape(first.type)} in {first_shard} and "
                    f"{_shape(field.type)} in {shard}, which do not merge; give it one shape in "
                    "every shard (list entries all objects or all strings), or read the shards "
                    "with load_candidates or load_vacancies",
                    field=column[:100],
                )
    return ProfileError(
        f"the shards {', '.join(shards)} cannot be read as one table; read them with "
        "load_candidates or load_vacancies"
    )


def _shape(typ: Any) -> str:
    """A column's Arrow type in words, without its struct keys (data, not schema)."""
    import pyarrow as pa  # type: ignore[import-untyped,unused-ignore]

    if pa.types.is_list(typ) or pa.types.is_large_list(typ):
        inner = _shape(typ.value_type)
        return "lists of " + (inner if inner != "values of another type" else "other values")
    if pa.types.is_string(typ) or pa.types.is_large_string(typ):
        return "strings"
    if pa.types.is_struct(typ):
        return "objects"
    if pa.types.is_integer(typ) or pa.types.is_floating(typ):
        return "numbers"
    if pa.types.is_boolean(typ):
        return "booleans"
    return "values of another type"


def _is_kind(columns: Columns, kind: type[Any]) -> bool:
    return isinstance(columns, VacancyColumns if kind is Vacancy else CandidateColumns)
