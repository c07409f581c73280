"""Reading a table: the options checked, every row read, the ids and concepts validated.

:func:`read_candidates` and :func:`read_vacancies` are the public entry points; the cell rules are
those of :mod:`labourint_match.tables`.
"""

from __future__ import annotations

import codecs
import csv
import os
import re
import sys
import unicodedata
from collections.abc import Callable, Mapping, Sequence
from typing import TYPE_CHECKING, Any, Literal, NamedTuple, get_args, overload

from pydantic import ValidationError

from .._validate import positive_int
from ..errors import ConfigError, DuplicateIdError, ProfileError, UnknownConceptError
from ..profiles import (
    MAX_ID_LENGTH,
    CandidateProfile,
    Cohort,
    Evidence,
    Vacancy,
    validate_cohort,
)
from ..taxonomy import Taxonomy
from ._cells import _cell_text, _CellError, _is_blank
from ._fields import (
    _DEFAULT_SEPARATORS,
    CANDIDATE_FIELDS,
    MAX_TABLE_BYTES,
    MAX_TABLE_CELL_LENGTH,
    MAX_TABLE_ROWS,
    VACANCY_FIELDS,
)
from ._report import CellResolution, R, TableProblem, TableReport
from ._rows import _plan, _Reader, _Row
from ._source import _csv_source, _frame_source, _Options, _read_bytes, _Source

if TYPE_CHECKING:
    from ..resolve import SkillResolver


def _usable_id(value: Any) -> str | None:
    if not isinstance(value, str) or not value or len(value) > MAX_ID_LENGTH:
        return None
    if value != value.strip():
        return None
    if any(unicodedata.category(ch) in ("Cc", "Cf", "Cs", "Co", "Cn", "Zl", "Zp") for ch in value):
        return None
    return value


def _check_options(
    *,
    lenient: object,
    dayfirst: object,
    evidence: object,
    separators: object,
    delimiter: object,
    encoding: object,
    max_rows: object,
    max_cell_length: object,
    max_bytes: object,
    taxonomy: object,
    resolver: object,
) -> None:
    if not isinstance(lenient, bool):
        raise ConfigError(f"lenient must be True or False, not {type(lenient).__name__}")
    if dayfirst is not None and not isinstance(dayfirst, bool):
        raise ConfigError(f"dayfirst must be True, False or None, not {type(dayfirst).__name__}")
    if evidence not in get_args(Evidence):
        raise ConfigError(f"evidence must be one of {', '.join(get_args(Evidence))}")
    if not isinstance(separators, str) or not separators or any(c.isalnum() for c in separators):
        raise ConfigError("separators must be a non-empty string of punctuation characters")
    if delimiter is not None and (
        not isinstance(delimiter, str)
        or len(delimiter) != 1
        or delimiter in '"\r\n'
        or delimiter.isalnum()
    ):
        raise ConfigError("delimiter must be one punctuation character (or None to guess)")
    if encoding is not None:
        if not isinstance(encoding, str):
            raise ConfigError(f"encoding must be a str or None, not {type(encoding).__name__}")
        try:
            codecs.lookup(encoding)
        except LookupError:
            raise ConfigError(f"unknown encoding {encoding[:40]!r}") from None
    max_rows = positive_int(max_rows, "max_rows")
    max_cell_length = positive_int(max_cell_length, "max_cell_length")
    max_bytes = positive_int(max_bytes, "max_bytes")
    if isinstance(max_cell_length, int) and max_cell_length > csv.field_size_limit():
        raise ConfigError(
            f"max_cell_length must be at most csv.field_size_limit() ({csv.field_size_limit()}); "
            "raise that limit first to read longer cells"
        )
    if taxonomy is not None and not isinstance(taxonomy, Taxonomy):
        raise ConfigError(f"taxonomy must be a Taxonomy or None, not {type(taxonomy).__name__}")
    if resolver is not None:
        from ..resolve import SkillResolver

        if not isinstance(resolver, SkillResolver):
            raise ConfigError(
                f"resolver must be a SkillResolver or None, not {type(resolver).__name__}"
            )
        if not lenient:
            raise ConfigError(
                "resolver fills TableReport.skills, which only lenient=True returns; pass "
                "lenient=True, or leave resolver out (the Matcher resolves free text when it "
                "scores)"
            )


def _is_frame(source: object) -> bool:
    pandas = sys.modules.get("pandas")
    return pandas is not None and isinstance(source, pandas.DataFrame)


def _open(
    source: Any,
    columns: Mapping[str, Any] | None,
    model: type[R],
    *,
    dayfirst: bool | None,
    evidence: str,
    separators: str,
    delimiter: str | None,
    encoding: str | None,
    max_rows: int,
    max_cell_length: int,
    max_bytes: int,
) -> tuple[_Source, dict[str, list[int]], _Reader]:
    """The table's rows of cells, its column plan and the reader of its rows."""
    if columns is not None and not isinstance(columns, Mapping):
        raise ConfigError(
            f"columns must be a mapping of field to column header, not {type(columns).__name__}"
        )
    options = _Options(
        dayfirst=dayfirst,
        evidence=evidence,
        separators=re.compile("[" + re.escape(separators) + "]"),
        max_rows=max_rows,
        max_cell_length=max_cell_length,
    )
    if isinstance(source, (bytes, bytearray)):
        if len(source) > max_bytes:
            raise ProfileError(
                f"<bytes>: more than max_bytes={max_bytes} bytes; split the table, or pass a "
                "larger max_bytes"
            )
        table = _csv_source(
            bytes(source), "<bytes>", encoding=encoding, delimiter=delimiter, options=options
        )
    elif isinstance(source, (str, os.PathLike)):
        name, data = _read_bytes(source, max_bytes)
        table = _csv_source(data, name, encoding=encoding, delimiter=delimiter, options=options)
    elif _is_frame(source):
        table = _frame_source(source, options)
    else:
        raise ConfigError(
            "source must be a CSV file path, the bytes of a CSV file or a pandas DataFrame, not "
            f"{type(source).__name__}"
        )
    fields = VACANCY_FIELDS if model is Vacancy else CANDIDATE_FIELDS
    plan = _plan(table.headers, columns, fields, table.name)
    return table, plan, _Reader(model, table.headers, plan, options)


class _Read(NamedTuple):
    """A row read without a problem in its cells; `record` is None until the model reads it."""

    position: int
    line: int | None
    record: Any
    row: _Row
    record_id: str | None  # the id cell, when usable (for messages)
    cells: int  # the number of cells (problems without a column sort last)


def _read_rows(
    table: _Source,
    reader: _Reader,
    model: type[R],
    plan: dict[str, list[int]],
    problems: list[TableProblem],
    *,
    defer: bool,
) -> tuple[list[_Read], int]:
    """Every row read into the model's input, and the number of data rows read.

    A row whose cells have a problem is validated by the model at once (every problem of the
    row is reported) and gives its problems; the others are returned, validated by the model
    unless `defer` (then the caller decides which rows the model reads: :func:`_model_read`).
    """
    id_column = plan["id"][0]
    header_count = len(table.headers)
    out: list[_Read] = []
    rows_read = 0
    for position, line, cells in table.rows:
        rows_read += 1
        if all(_is_blank(_text_or_blank(c).strip()) for c in cells):
            continue  # a blank row
        raw_id = _text_or_blank(cells[id_column] if id_column < len(cells) else "").strip()
        record_id = _usable_id(raw_id)
        extra = [c for c in cells[header_count:] if not _is_blank(_text_or_blank(c).strip())]
        if extra:
            problems.append(
                TableProblem(
                    position,
                    line,
                    record_id,
                    None,
                    None,
                    f"has {len(cells)} cells but the header names {header_count} columns: "
                    f"a cell holds the delimiter {table.delimiter or ''!r} unquoted; quote "
                    "that cell, or separate its entries with another character",
                )
            )
            continue
        row = reader.read(cells)
        item = _Read(position, line, None, row, record_id, len(cells))
        if defer and not row.problems:
            out.append(item)
            continue
        record = _model_read(item, model, reader, table.headers, problems)
        if record is not None:
            out.append(item._replace(record=record))
    return out, rows_read


def _model_read(
    item: _Read,
    model: type[R],
    reader: _Reader,
    headers: list[str],
    problems: list[TableProblem],
) -> R | None:
    """The row's record, or None with every problem of the row added to `problems`."""
    row = item.row
    record: R | None = None
    try:
        record = model.model_validate(row.data)
    except ValidationError as exc:
        # Every problem of the row, one per column: a column whose cell could not be read
        # is left out of the record, so the model's view of it adds nothing.
        unread = {p[0] for p in row.problems}
        row.problems.extend(p for p in reader.errors(exc, row) if p[0] not in unread)
    if not row.problems:
        return record
    row.problems.sort(key=lambda p: item.cells if p[0] is None else p[0])  # column order
    for column, field, message in row.problems:
        header = headers[column] if column is not None else None
        problems.append(
            TableProblem(item.position, item.line, item.record_id, header, field, message)
        )
    return None


def _read(
    source: Any,
    columns: Mapping[str, Any] | None,
    model: type[R],
    *,
    lenient: bool,
    dayfirst: bool | None,
    evidence: str,
    taxonomy: Taxonomy | None,
    resolver: SkillResolver | None,
    separators: str,
    delimiter: str | None,
    encoding: str | None,
    max_rows: int,
    max_cell_length: int,
    max_bytes: int,
) -> Cohort[R] | TableReport[R]:
    _check_options(
        lenient=lenient,
        dayfirst=dayfirst,
        evidence=evidence,
        separators=separators,
        delimiter=delimiter,
        encoding=encoding,
        max_rows=max_rows,
        max_cell_length=max_cell_length,
        max_bytes=max_bytes,
        taxonomy=taxonomy,
        resolver=resolver,
    )
    table, plan, reader = _open(
        source, columns, model, dayfirst=dayfirst, evidence=evidence, separators=separators,
        delimiter=delimiter, encoding=encoding, max_rows=max_rows,
        max_cell_length=max_cell_length, max_bytes=max_bytes,
    )  # fmt: skip
    id_column = plan["id"][0]

    def where(position: int, line: int | None) -> str:
        return f"line {line} of {table.name}" if line is not None else f"row {position}"

    problems: list[TableProblem] = []
    read, rows_read = _read_rows(table, reader, model, plan, problems, defer=False)
    kept: list[tuple[int, int | None, str, R, _Row]] = [  # position, line, label, record, row
        (i.position, i.line, f"{i.record.id} ({where(i.position, i.line)})", i.record, i.row)
        for i in read
    ]

    unique = _unique_ids(
        [(i[0], i[1], i[3].id) for i in kept], table.headers[id_column], where, problems
    )
    kept = [item for item, keep in zip(kept, unique, strict=True) if keep]

    if not lenient and problems:
        problems.sort(key=lambda p: p.row)
        _raise_first(problems, where)
    cohort, kept = _validate(kept, taxonomy, lenient, problems, table.headers, plan)
    problems.sort(key=lambda p: p.row)
    if not lenient:
        if problems:
            _raise_first(problems, where)
        return Cohort(cohort.records, cohort.unknown_concepts, table.name)
    skills = _resolutions(kept, resolver, table.headers) if resolver is not None else ()
    return TableReport(
        Cohort(cohort.records, cohort.unknown_concepts, table.name),
        tuple(problems),
        skills,
        table.name,
        rows_read,
    )


def _unique_ids(
    rows: list[tuple[int, int | None, str]],
    header: str,
    where: Callable[[int, int | None], str],
    problems: list[TableProblem],
) -> list[bool]:
    """Per row (position, line, id): is its id the first of its kind.

    Ids are compared after NFC, as :func:`validate_cohort` compares them; a later one is a
    problem naming the first.
    """
    seen: dict[str, tuple[int, int | None]] = {}
    keep: list[bool] = []
    for position, line, record_id in rows:
        first = seen.setdefault(unicodedata.normalize("NFC", record_id), (position, line))
        if first != (position, line):
            problems.append(
                TableProblem(
                    position,
                    line,
                    record_id,
                    header,
                    "id",
                    f"{_DUPLICATE} the row at {where(*first)}; ids must be unique within a table",
                )
            )
        keep.append(first == (position, line))
    return keep


_DUPLICATE = "this id is also used by"


def _text_or_blank(value: Any) -> str:
    try:
        text = _cell_text(value)
    except _CellError:
        return "?"  # not blank
    return " ".join(text) if isinstance(text, list) else text


def _validate(
    kept: list[tuple[int, int | None, str, R, _Row]],
    taxonomy: Taxonomy | None,
    lenient: bool,
    problems: list[TableProblem],
    headers: list[str],
    plan: dict[str, list[int]],
) -> tuple[Cohort[R], list[tuple[int, int | None, str, R, _Row]]]:
    """Validate the kept records as a cohort; records whose concepts are wrong become problems."""
    records = [item[3] for item in kept]
    try:
        return validate_cohort(records, taxonomy=taxonomy, lenient=lenient), kept
    except UnknownConceptError as exc:  # strict: name the row and the column
        item = next(i for i in kept if i[3].id == exc.record)
        column = _column_of_path(exc.field, item[4], headers)
        raise UnknownConceptError(
            exc.uri, record=item[2], field=column or exc.field, shown=exc.shown
        ) from None
    except ProfileError:
        pass
    # A URI naming a concept of the wrong kind: find each such record, then validate the rest.
    good: list[tuple[int, int | None, str, R, _Row]] = []
    for item in kept:
        try:
            validate_cohort([item[3]], taxonomy=taxonomy, lenient=True)
        except ProfileError as exc:
            column_name = _column_of_path(exc.field, item[4], headers)
            field = next(
                (f for f, cols in plan.items() if any(headers[c] == column_name for c in cols)),
                exc.field,
            )
            problems.append(
                TableProblem(item[0], item[1], item[3].id, column_name, field, exc.message)
            )
            continue
        good.append(item)
    if not lenient:  # the caller raises the first problem
        return Cohort(()), good
    return validate_cohort([i[3] for i in good], taxonomy=taxonomy, lenient=True), good


def _column_of_path(path: str | None, row: _Row, headers: list[str]) -> str | None:
    if not path:
        return None
    loc = tuple(int(p) if p.isdigit() else p for p in path.split("."))
    column, _ = row.where(loc)
    return headers[column] if column is not None else None


_LENIENT_HINT = "read with lenient=True for the full table"
_COLUMNAR_HINT = "read_candidates or read_vacancies with lenient=True give the full table"


def _raise_first(problems: list[TableProblem], where: Any, hint: str = _LENIENT_HINT) -> None:
    first = problems[0]
    label = where(first.row, first.line)
    if first.record is not None:
        label = f"{first.record} ({label})"
    more = len(problems) - 1
    message = first.message
    if more:
        rows = len({p.row for p in problems}) - 1
        message += (
            f" (and {more} more problem{'s' if more > 1 else ''}"
            + (f" in {rows} other row{'s' if rows != 1 else ''}" if rows else "")
            + f"; {hint})"
        )
    duplicate = first.field == "id" and first.message.startswith(_DUPLICATE)
    kind = DuplicateIdError if duplicate else ProfileError
    raise kind(message, record=label, field=first.column or first.field)


def _resolutions(
    kept: list[tuple[int, int | None, str, R, _Row]],
    resolver: SkillResolver,
    headers: list[str],
) -> tuple[CellResolution, ...]:
    cells = [
        (position, record.id, headers[column], text)
        for position, _, _, record, row in kept
        for column, text in row.free_skills
    ]
    texts = sorted({text for *_, text in cells})
    report = resolver.resolve_many(texts, top_k=1)
    best = dict(zip(texts, report.best, strict=True))
    out = []
    for position, record_id, header, text in cells:
        found = best[text]
        out.append(
            CellResolution(
                position,
                record_id,
                header,
                text,
                found.uri if found else None,
                found.label if found else None,
                float(found.score) if found else None,
                found.method if found else None,
            )
        )
    return tuple(out)


# -- public ---------------------------------------------------------------------------------------


@overload
def read_candidates(
    source: Any,
    columns: Mapping[str, str | Sequence[str]] | None = ...,
    *,
    lenient: Literal[False] = ...,
    dayfirst: bool | None = ...,
    evidence: Evidence = ...,
    taxonomy: Taxonomy | None = ...,
    resolver: SkillResolver | None = ...,
    separators: str = ...,
    delimiter: str | None = ...,
    encoding: str | None = ...,
    max_rows: int = ...,
    max_cell_length: int = ...,
    max_bytes: int = ...,
) -> Cohort[CandidateProfile]: ...


@overload
def read_candidates(
    source: Any,
    columns: Mapping[str, str | Sequence[str]] | None = ...,
    *,
    lenient: Literal[True],
    dayfirst: bool | None = ...,
    evidence: Evidence = ...,
    taxonomy: Taxonomy | None = ...,
    resolver: SkillResolver | None = ...,
    separators: str = ...,
    delimiter: str | None = ...,
    encoding: str | None = ...,
    max_rows: int = ...,
    max_cell_length: int = ...,
    max_bytes: int = ...,
) -> TableReport[CandidateProfile]: ...


@overload
def read_candidates(
    source: Any,
    columns: Mapping[str, str | Sequence[str]] | None = ...,
    *,
    lenient: bool,
    dayfirst: bool | None = ...,
    evidence: Evidence = ...,
    taxonomy: Taxonomy | None = ...,
    resolver: SkillResolver | None = ...,
    separators: str = ...,
    delimiter: str | None = ...,
    encoding: str | None = ...,
    max_rows: int = ...,
    max_cell_length: int = ...,
    max_bytes: int = ...,
) -> Cohort[CandidateProfile] | TableReport[CandidateProfile]: ...


def read_candidates(
    source: Any,
    columns: Mapping[str, str | Sequence[str]] | None = None,
    *,
    lenient: bool = False,
    dayfirst: bool | None = None,
    evidence: Evidence = "self_declared",
    taxonomy: Taxonomy | None = None,
    resolver: SkillResolver | None = None,
    separators: str = _DEFAULT_SEPARATORS,
    delimiter: str | None = None,
    encoding: str | None = None,
    max_rows: int = MAX_TABLE_ROWS,
    max_cell_length: int = MAX_TABLE_CELL_LENGTH,
    max_bytes: int = MAX_TABLE_BYTES,
) -> Cohort[CandidateProfile] | TableReport[CandidateProfile]:
    r"""Read candidate profiles from a CSV file or a DataFrame, one per row.

    The cell rules (lists, languages, dates, keywords) are those of :mod:`labourint_match.tables`;
    :data:`CANDIDATE_FIELDS` lists the fields.

    Parameters
    ----------
    source
        A CSV file's path (UTF-8, or UTF-16 with a byte-order mark; delimiter ``,``, ``;``, tab
        or ``|``, guessed from the header), its bytes, or a pandas DataFrame (cells of any
        dtype: text, numbers, dates, lists).
    columns
        Field → column header (or headers, for a list field). Headers equal to a field's name
        need no entry.
    lenient
        Return a :class:`TableReport` (the good records and every problem) instead of raising
        at the first bad row.
    dayfirst
        How to read ``03/04/2026``: ``True`` day first, ``False`` month first, ``None`` refuse
        such dates when both orders are possible.
    evidence
        The evidence of every skill claim read (``"self_declared"``, ``"adviser_mapped"``, …).
    taxonomy
        Check concept URIs against it, as :func:`~labourint_match.validate_cohort` does.
    resolver
        Lenient mode only: resolve each free-text skill and report its best concept and
        confidence in :attr:`TableReport.skills` (the records keep the text).
    separators
        The characters that split list cells.
    delimiter, encoding
        Override the CSV delimiter guessed from the header and the encoding (UTF-8 unless a
        byte-order mark says otherwise).
    max_rows, max_cell_length, max_bytes
        Limits checked before more is read.

    Returns
    -------
    Cohort or TableReport
        The profiles in table order; with ``lenient=True`` a :class:`TableReport`.

    Raises
    ------
    ProfileError
        A row cannot be read or builds no valid profile (the message names the line or row, the
        id when usable, the column and what to fix — never a cell's content); the file cannot be
        read; a limit is passed.
    DuplicateIdError, UnknownConceptError
        Two rows share an id; a concept URI the taxonomy does not hold (strict mode).
    ConfigError
        An option is invalid, `columns` names a field or column that does not exist, or no
        column gives the id.

    Examples
    --------
    >>> csv_text = '''Client no.;Skills;Språk;Status;Permit from;Education
    ... c-1;svetsning, läsa ritningar;"sv:A2, arabiska (modersmål)";refugee;2026-02-01;gymnasium
    ... c-2;städning|dammsuga;Ukrainian native, Swedish B1;temporary protection;01.03.2026;none
    ... '''
    >>> people = read_candidates(
    ...     csv_text.encode(),
    ...     columns={"id": "Client no.", "languages": "Språk", "work_status": "Status",
    ...              "work_allowed_from": "Permit from", "isced_level": "Education"},
    ... )
    >>> people.ids, [s.skill for s in people[1].skills]
    (('c-1', 'c-2'), ['städning', 'dammsuga'])
    >>> people[0].education[0].isced_level, people[1].known_none
    (3, ('education',))
    >>> people[1].work_authorisation.work_allowed_from
    datetime.date(2026, 3, 1)
    >>> from labourint_match.errors import ProfileError
    >>> try:
    ...     read_candidates(b"id,available_from\nc-1,03/04/2026\n")
    ... except ProfileError as err:
    ...     print(err.record, err.field, sep=" | ")
    c-1 (line 2 of <bytes>) | available_from
    >>> read_candidates(b"id,available_from\nc-1,03/04/2026\n", dayfirst=True)[0].available_from
    datetime.date(2026, 4, 3)
    """
    return _read(
        source,
        columns,
        CandidateProfile,
        lenient=lenient,
        dayfirst=dayfirst,
        evidence=evidence,
        taxonomy=taxonomy,
        resolver=resolver,
        separators=separators,
        delimiter=delimiter,
        encoding=encoding,
        max_rows=max_rows,
        max_cell_length=max_cell_length,
        max_bytes=max_bytes,
    )


@overload
def read_vacancies(
    source: Any,
    columns: Mapping[str, str | Sequence[str]] | None = ...,
    *,
    lenient: Literal[False] = ...,
    dayfirst: bool | None = ...,
    taxonomy: Taxonomy | None = ...,
    resolver: SkillResolver | None = ...,
    separators: str = ...,
    delimiter: str | None = ...,
    encoding: str | None = ...,
    max_rows: int = ...,
    max_cell_length: int = ...,
    max_bytes: int = ...,
) -> Cohort[Vacancy]: ...


@overload
def read_vacancies(
    source: Any,
    columns: Mapping[str, str | Sequence[str]] | None = ...,
    *,
    lenient: Literal[True],
    dayfirst: bool | None = ...,
    taxonomy: Taxonomy | None = ...,
    resolver: SkillResolver | None = ...,
    separators: str = ...,
    delimiter: str | None = ...,
    encoding: str | None = ...,
    max_rows: int = ...,
    max_cell_length: int = ...,
    max_bytes: int = ...,
) -> TableReport[Vacancy]: ...


@overload
def read_vacancies(
    source: Any,
    columns: Mapping[str, str | Sequence[str]] | None = ...,
    *,
    lenient: bool,
    dayfirst: bool | None = ...,
    taxonomy: Taxonomy | None = ...,
    resolver: SkillResolver | None = ...,
    separators: str = ...,
    delimiter: str | None = ...,
    encoding: str | None = ...,
    max_rows: int = ...,
    max_cell_length: int = ...,
    max_bytes: int = ...,
) -> Cohort[Vacancy] | TableReport[Vacancy]: ...


def read_vacancies(
    source: Any,
    columns: Mapping[str, str | Sequence[str]] | None = None,
    *,
    lenient: bool = False,
    dayfirst: bool | None = None,
    taxonomy: Taxonomy | None = None,
    resolver: SkillResolver | None = None,
    separators: str = _DEFAULT_SEPARATORS,
    delimiter: str | None = None,
    encoding: str | None = None,
    max_rows: int = MAX_TABLE_ROWS,
    max_cell_length: int = MAX_TABLE_CELL_LENGTH,
    max_bytes: int = MAX_TABLE_BYTES,
) -> Cohort[Vacancy] | TableReport[Vacancy]:
    r"""Read vacancies from a CSV file or a DataFrame, one per row.

    Parameters, return value and errors are as in :func:`read_candidates` (without
    `evidence`); :data:`VACANCY_FIELDS` lists the fields. ``skills`` are essential
    requirements and ``optional_skills`` optional ones; ``support`` reads keywords, and the
    ``mentor``, ``wage_subsidy``, ``on_the_job_training`` and ``language_training`` columns
    yes/no cells.

    Examples
    --------
    >>> jobs = read_vacancies(
    ...     b"id;skills;optional_skills;languages;support;openings;start_date\n"
    ...     b"v-1;cook, dispose waste;bake bread;sv B1, en A2 (optional);mentor + SFI;2;"
    ...     b"2026/03/01\n"
    ... )
    >>> job = jobs[0]
    >>> [(r.skill, r.importance) for r in job.skills]
    [('cook', 'essential'), ('dispose waste', 'essential'), ('bake bread', 'optional')]
    >>> [(r.language, r.level, r.importance) for r in job.languages]
    [('sv', 'B1', 'essential'), ('en', 'A2', 'optional')]
    >>> job.support.mentor, job.support.language_training, job.openings, job.start_date
    (True, True, 2, datetime.date(2026, 3, 1))
    """
    return _read(
        source,
        columns,
        Vacancy,
        lenient=lenient,
        dayfirst=dayfirst,
        evidence="self_declared",
        taxonomy=taxonomy,
        resolver=resolver,
        separators=separators,
        delimiter=delimiter,
        encoding=encoding,
        max_rows=max_rows,
        max_cell_length=max_cell_length,
        max_bytes=max_bytes,
    )
