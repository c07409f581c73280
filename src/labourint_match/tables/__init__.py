r"""Tables in: candidates and vacancies from a CSV file or a pandas DataFrame.

:func:`read_candidates` and :func:`read_vacancies` read one record per row of a spreadsheet
export, parse the cells people actually write, build :class:`~labourint_match.CandidateProfile`
or :class:`~labourint_match.Vacancy` records and validate the whole table as a cohort. CSV files
are read with the standard library (pandas is optional); a pandas DataFrame is read as it is.

Columns
    ``columns`` maps a field (below) to the header of the column holding it, or — for list
    fields — to several headers, whose entries are joined. A header equal to a field's name
    (ignoring case, spaces, hyphens and underscores: ``Available from`` is ``available_from``)
    needs no mapping, except the audit fields (``gender``, ``age_band``, ``nationality``,
    ``country_of_birth``, ``disability``, ``group``), which are read only when named in
    ``columns``. Columns not mapped are never read (names, phone numbers and notes in the same
    file stay out of the records and out of every message). :data:`CANDIDATE_FIELDS` and
    :data:`VACANCY_FIELDS` list the fields with what each cell may hold.
Cells
    Every cell is stripped of surrounding whitespace. A blank cell, or one reading ``n/a``,
    ``-``, ``?``, ``unknown`` (``okänd``, ``unbekannt``), is *unknown*: the field keeps its
    default. A list cell (skills, languages, experience, preferred occupations, support) is split
    on ``;``, ``,``, ``|``, line breaks, bullets ``•`` and the Arabic comma and semicolon (change
    them with ``separators``); a leading ``-``, ``*`` or ``1.`` of an entry is dropped.
    ``none`` (``ingen``, ``inga``, ``nej``, ``keine``, ``ei``, ``немає``, ``لا يوجد``) in the
    languages, education or experience column says the list is known to be empty
    (``CandidateProfile.known_none``), which scores differently from unknown.
Languages
    One entry per language: a language and a CEFR level or a native flag, in any order and any
    punctuation — ``sv:B1``, ``sv-B1``, ``Swedish B1``, ``svenska (modersmål)``, ``native
    Arabic``, ``uk native``, ``Engelska C1``. Languages are written as ISO 639 codes (at the
    start of the entry), English names, or their own or Nordic/German/Finnish names
    (``svenska``, ``norsk``, ``dansk``, ``suomi``, ``deutsch``, ``العربية``, ``українська``,
    ``arabiska``, …). ``native``, ``mother tongue``, ``first language``, ``modersmål``,
    ``morsmål``, ``äidinkieli``, ``Muttersprache``, ``рідна``, ``اللغة الأم`` mark a native
    language. A vacancy's entry may add ``optional`` (``meriterande``, ``önskvärt``, ``a plus``)
    or ``required``; it cannot ask for a native speaker (write the level needed, C2 at most).
    Words such as ``fluent`` or ``good`` are not levels and are refused: give a CEFR level.
Dates
    ISO ``2026-03-01`` (a time after it is ignored), ``2026/03/01``, ``01.03.2026`` (dots:
    always day first), ``01/03/2026`` and ``01-03-2026``. A slash or dash date whose first two
    numbers could both be a month (``03/04/2026``) is refused unless ``dayfirst`` says the order
    (``dayfirst=True``: 3 April); with one number above 12 the order is plain and is used.
    Two-digit years and spreadsheet serial numbers are refused.
Keywords
    Hours (``full time``, ``heltid``, ``part time``, ``deltid``, ``any``), the right to work
    (the ``WorkStatus`` values, spelled with spaces or hyphens, and ``EU citizen``, ``temporary
    protection``, …), recognition of qualifications, ISCED levels (``0``-``8``, ``ISCED 3``,
    ``upper secondary``, ``gymnasium``, ``bachelor``, …), yes/no cells (``yes``, ``ja``,
    ``x``, ``1``, ``no``, ``nej``, ``0``) and support offered by a vacancy: ``mentor``
    (``handledare``), ``wage subsidy`` (``lönestöd``), ``on-the-job training``, ``language
    training`` (``språkträning``, ``SFI``), several in one cell.
Free-text skills
    A skill entry is a concept URI or free text, kept exactly as written: the
    :class:`~labourint_match.Matcher` resolves free text when it scores, and a resolution's
    score is its confidence, carried into the score (see docs/scoring.md). In lenient mode with
    a ``resolver``, :attr:`TableReport.skills` shows each free-text entry's best concept and
    confidence (or that it resolves to nothing), for an adviser to check before ranking.

Strict and lenient
    By default the first bad row raises a :class:`~labourint_match.errors.ProfileError` naming
    its line (or row) and id, the column and what to fix, with the number of further problems.
    ``lenient=True`` returns a :class:`TableReport`: the good records as a
    :class:`~labourint_match.Cohort` and every problem of every bad row as a table
    (row, line, record, column, field, message), like pandera's lazy validation. Messages name
    the record by id and position and never repeat a cell's content.
As columns
    :func:`read_columnar` reads a table with the same mapping and cell rules into a
    :class:`~labourint_match.profiles.ColumnarCohort` for bulk input, building a record only
    for the rows its column checks cannot clear; it ranks as the records do and raises the
    same errors (strict mode; needs pyarrow).
Limits
    A file larger than ``max_bytes``, a table with more than ``max_rows`` data rows or a cell
    longer than ``max_cell_length`` characters is refused with a ``ProfileError`` naming the limit,
    before more is read.

Modules
    ``_fields`` (the fields, where each goes in the model's input, the limits), ``_cells`` (the
    words and the cell parsers), ``_source`` (CSV files and DataFrames as rows of cells),
    ``_rows`` (the column plan and the row reader), ``_report`` (:class:`TableReport`,
    :class:`TableProblem`, :class:`CellResolution`) and ``_read`` (:func:`read_candidates`,
    :func:`read_vacancies`) and ``_columnar`` (:func:`read_columnar`).

Examples
--------
>>> from labourint_match.tables import read_candidates
>>> people = read_candidates(
...     b"Client;Skills;Languages;Can start\n"
...     b"c-1;welding, cooking;sv:B1, arabiska (modersm\xc3\xa5l);15.01.2026\n",
...     columns={"id": "Client", "available_from": "Can start"},
... )
>>> person = people[0]
>>> [s.skill for s in person.skills], person.available_from.isoformat()
(['welding', 'cooking'], '2026-01-15')
>>> [(lang.language, lang.level, lang.native) for lang in person.languages]
[('sv', 'B1', False), ('ar', None, True)]
"""

from ._columnar import read_columnar
from ._fields import (
    CANDIDATE_FIELDS,
    MAX_TABLE_BYTES,
    MAX_TABLE_CELL_LENGTH,
    MAX_TABLE_ROWS,
    VACANCY_FIELDS,
)
from ._read import read_candidates, read_vacancies
from ._report import CellResolution, TableProblem, TableReport

__all__ = [
    "CANDIDATE_FIELDS",
    "MAX_TABLE_BYTES",
    "MAX_TABLE_CELL_LENGTH",
    "MAX_TABLE_ROWS",
    "VACANCY_FIELDS",
    "CellResolution",
    "TableProblem",
    "TableReport",
    "read_candidates",
    "read_columnar",
    "read_vacancies",
]
