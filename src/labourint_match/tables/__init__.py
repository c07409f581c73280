"""Tables in: candidates and vacancies from a CSV file or a pandas DataFrame."""

from ._read import (
    CANDIDATE_FIELDS,
    MAX_TABLE_BYTES,
    MAX_TABLE_CELL_LENGTH,
    MAX_TABLE_ROWS,
    VACANCY_FIELDS,
    CellResolution,
    TableProblem,
    TableReport,
    read_candidates,
    read_vacancies,
)

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
    "read_vacancies",
]
