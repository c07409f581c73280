"""Reading a table straight into columns: :func:`read_columnar`.

The rows are read as :mod:`._read` reads them (the same column plan, cells and row reader); the
records are not built, except for the rows the records' column checks cannot clear.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np

from ..errors import ConfigError, ProfileError, UnknownConceptError
from ..profiles import CandidateProfile, ColumnarCohort, Evidence, Vacancy
from ..profiles._columns import Columns, candidate_columns, check_columns, vacancy_columns
from ..taxonomy import Taxonomy
from ._fields import _DEFAULT_SEPARATORS, MAX_TABLE_BYTES, MAX_TABLE_CELL_LENGTH, MAX_TABLE_ROWS
from ._read import (
    _COLUMNAR_HINT,
    _check_options,
    _model_read,
    _open,
    _raise_first,
    _read_rows,
    _unique_ids,
    _validate,
)
from ._report import R, TableProblem


def _read_columnar(
    source: Any,
    kind: type[R],
    columns: Mapping[str, Any] | None,
    *,
    dayfirst: bool | None,
    evidence: str,
    taxonomy: Taxonomy | None,
    separators: str,
    delimiter: str | None,
    encoding: str | None,
    max_rows: int,
    max_cell_length: int,
    max_bytes: int,
) -> ColumnarCohort[R]:
    """:func:`read_columnar`: the rows read as for :func:`_read`, the records left unbuilt."""
    try:
        import pyarrow as pa  # type: ignore[import-untyped,unused-ignore]
    except ImportError as exc:  # pragma: no cover - depends on the environment
        raise ConfigError(
            "read_columnar needs pyarrow: pip install 'labourint-match[arrow]'"
        ) from exc
    from ..profiles._arrow import checked_columns, dict_table, slow_rows, without_nulls

    _check_options(
        lenient=False, dayfirst=dayfirst, evidence=evidence, separators=separators,
        delimiter=delimiter, encoding=encoding, max_rows=max_rows,
        max_cell_length=max_cell_length, max_bytes=max_bytes, taxonomy=taxonomy, resolver=None,
    )  # fmt: skip
    table, plan, reader = _open(
        source, columns, kind, dayfirst=dayfirst, evidence=evidence, separators=separators,
        delimiter=delimiter, encoding=encoding, max_rows=max_rows,
        max_cell_length=max_cell_length, max_bytes=max_bytes,
    )  # fmt: skip

    def where(position: int, line: int | None) -> str:
        return f"line {line} of {table.name}" if line is not None else f"row {position}"

    problems: list[TableProblem] = []
    read, _ = _read_rows(table, reader, kind, plan, problems, defer=True)
    # The rows in the records' JSON shape, as Arrow columns checked by the records' rules; the
    # model reads only the rows those checks cannot clear (and gives their problems).
    arrow, unread = dict_table([item.row.data for item in read])
    slow = slow_rows(arrow, kind) | unread
    built: dict[int, R] = {}
    good = np.ones(len(read), dtype=bool)
    for i in np.flatnonzero(slow).tolist():
        model_record = _model_read(read[i], kind, reader, table.headers, problems)
        if model_record is None:
            good[i] = False
        else:
            built[i] = model_record
    rows = np.flatnonzero(good)
    ids = [built[i].id if i in built else read[i].row.data["id"] for i in rows.tolist()]
    header = table.headers[plan["id"][0]]
    unique = _unique_ids(
        [(read[i].position, read[i].line, x) for i, x in zip(rows.tolist(), ids, strict=True)],
        header,
        where,
        problems,
    )
    rows = rows[np.asarray(unique, dtype=bool)] if rows.size else rows
    if problems:
        problems.sort(key=lambda p: p.row)
        _raise_first(problems, where, _COLUMNAR_HINT)

    index = rows.tolist()
    places = [(read[i].position, read[i].line) for i in index]
    part = arrow.take(pa.array(rows, type=pa.int64()))

    def record(j: int) -> R:
        i = index[j]
        found = built.get(i)
        if found is None:  # rebuilt from its columns, which the model accepts as they are
            data = without_nulls(part.slice(j, 1).to_pylist()[0])
            found = built[i] = kind.model_validate(data)
        return found

    if index:
        cols: Columns = checked_columns(part, kind, slow[rows], record)
    else:
        cols = vacancy_columns([]) if kind is Vacancy else candidate_columns([])

    def place(j: int) -> str:
        return where(*places[j])

    def label(j: int) -> str:
        return f"{cols.id[j]} ({place(j)})"

    if taxonomy is not None:
        try:
            check_columns(cols, taxonomy, label, place)
        except (ProfileError, UnknownConceptError):  # as read_candidates: row and column
            kept = [
                (places[j][0], places[j][1], label(j), record(j), read[i].row)
                for j, i in enumerate(index)
            ]
            _validate(kept, taxonomy, False, problems, table.headers, plan)
            problems.sort(key=lambda p: p.row)
            _raise_first(problems, where, _COLUMNAR_HINT)
            raise
    return ColumnarCohort(kind, cols, label, place, table.name)


def read_columnar(
    source: Any,
    kind: type[R],
    columns: Mapping[str, str | Sequence[str]] | None = None,
    *,
    dayfirst: bool | None = None,
    evidence: Evidence = "self_declared",
    taxonomy: Taxonomy | None = None,
    separators: str = _DEFAULT_SEPARATORS,
    delimiter: str | None = None,
    encoding: str | None = None,
    max_rows: int = MAX_TABLE_ROWS,
    max_cell_length: int = MAX_TABLE_CELL_LENGTH,
    max_bytes: int = MAX_TABLE_BYTES,
) -> ColumnarCohort[R]:
    r"""Read a table of candidates or vacancies as a cohort of columns, for bulk input.

    A :class:`~labourint_match.profiles.ColumnarCohort`: the table, the column mapping and the
    cell rules are those of :func:`read_candidates` and :func:`read_vacancies` (the same reader
    reads every row), but no record is built for a row that the records' column checks clear
    (``profiles._arrow``): the rows go to Arrow columns, checked by the records' rules, and the
    model reads only the others. The cohort ranks and
    assigns exactly as the records :func:`read_candidates` gives, and a bad table raises the
    error it raises, naming the line (or row), id and column, never a cell's content. Needs
    pyarrow (the ``arrow`` extra).

    Parameters
    ----------
    source
        A CSV file's path, its bytes, or a pandas DataFrame (as :func:`read_candidates`).
    kind
        :class:`~labourint_match.CandidateProfile` or :class:`~labourint_match.Vacancy`: which
        table it is (:data:`CANDIDATE_FIELDS` or :data:`VACANCY_FIELDS`).
    columns
        Field → column header (or headers, for a list field), as :func:`read_candidates`.
    dayfirst, taxonomy, separators, delimiter, encoding, max_rows, max_cell_length, max_bytes
        As :func:`read_candidates`.
    evidence
        The evidence of every skill claim read (candidate tables only).

    Returns
    -------
    ColumnarCohort
        The rows in table order; messages about a row (from :class:`~labourint_match.Matcher`
        too) name it by id and line.

    Raises
    ------
    ProfileError, DuplicateIdError, UnknownConceptError
        As :func:`read_candidates` raises them (strict: the first bad row, with the number of
        further problems; :func:`read_candidates` with ``lenient=True`` reports them all).
    ConfigError
        An option is invalid, as for :func:`read_candidates`; `kind` is not a record type;
        `evidence` is given for vacancies; pyarrow is not installed.

    Examples
    --------
    >>> from labourint_match import CandidateProfile, Matcher, Taxonomy, Vacancy
    >>> from labourint_match.tables import read_candidates, read_vacancies
    >>> table = (
    ...     b"Client;Skills;Languages;Can start\n"
    ...     b"c-1;order supplies, prepare sandwiches;sv:B1, arabiska (modersm\xc3\xa5l);"
    ...     b"15.01.2026\n"
    ...     b"c-2;order supplies;none;2026-02-01\n"
    ... )
    >>> mapping = {"id": "Client", "available_from": "Can start"}
    >>> people = read_columnar(table, CandidateProfile, mapping)
    >>> people
    <ColumnarCohort: 2 rows (CandidateProfile) from '<bytes>'>
    >>> people[1].known_none
    ('languages',)
    >>> job_table = b"id,skills\nv-1,prepare sandwiches; order supplies\n"
    >>> jobs = read_columnar(job_table, Vacancy)
    >>> matcher = Matcher(Taxonomy.default())
    >>> ranking = matcher.rank(people, jobs)
    >>> [(m.candidate_id, round(m.score, 3)) for m in ranking.for_vacancy("v-1")]
    [('c-1', 0.776), ('c-2', 0.428)]
    >>> as_records = matcher.rank(read_candidates(table, mapping), read_vacancies(job_table))
    >>> as_records.to_pandas().equals(ranking.to_pandas())
    True
    >>> from labourint_match.errors import ProfileError
    >>> try:
    ...     read_columnar(b"id,available_from\nc-1,03/04/2026\n", CandidateProfile)
    ... except ProfileError as err:
    ...     print(err.record, err.field, sep=" | ")
    c-1 (line 2 of <bytes>) | available_from
    """
    if kind not in (CandidateProfile, Vacancy):
        raise ConfigError("kind must be CandidateProfile or Vacancy")
    if kind is Vacancy and evidence != "self_declared":
        raise ConfigError("evidence is the evidence of a candidate's skill claims; a vacancy table "
                          "has none")  # fmt: skip
    return _read_columnar(
        source,
        kind,
        columns,
        dayfirst=dayfirst,
        evidence=evidence,
        taxonomy=taxonomy,
        separators=separators,
        delimiter=delimiter,
        encoding=encoding,
        max_rows=max_rows,
        max_cell_length=max_cell_length,
        max_bytes=max_bytes,
    )
