"""The fields a table can fill, where each goes in the model's input, and the size limits."""

from __future__ import annotations

from collections.abc import Mapping

#: Largest CSV file read, in bytes (``max_bytes``).
MAX_TABLE_BYTES = 256 * 2**20
#: Most data rows read from one table (``max_rows``).
MAX_TABLE_ROWS = 1_000_000
#: Longest cell, in characters (``max_cell_length``); at most ``csv.field_size_limit()``.
MAX_TABLE_CELL_LENGTH = 100_000

#: The fields a candidate table can fill, with what a cell may hold.
CANDIDATE_FIELDS: Mapping[str, str] = {
    "id": "pseudonymous id (required)",
    "skills": "list: free-text skills or concept URIs",
    "languages": "list: language with a CEFR level or native ('sv:B1', 'Arabic native'), or none",
    "isced_level": "ISCED level 0-8 or its name ('upper secondary'), or none",
    "education_field": "ISCED-F field code ('0715')",
    "recognition": "recognised, pending, partial, not recognised or unknown",
    "education_title": "the qualification as written",
    "experience": "list: occupation URI, optionally followed by a length ('30 months'), or none",
    "region": "region code (NUTS, ISO 3166-2, ...)",
    "lat": "latitude in degrees",
    "lon": "longitude in degrees",
    "max_commute_km": "longest commute in km",
    "work_status": "right to work: refugee, temporary protection, citizen, work permit, ...",
    "work_allowed_from": "date",
    "work_allowed_until": "date",
    "available_from": "date",
    "hours": "full time, part time or any",
    "preferred_occupations": "list: occupation URIs",
    "gender": "audit only (read only when named in columns)",
    "age_band": "audit only (read only when named in columns)",
    "nationality": "audit only: ISO 3166-1 code (read only when named in columns)",
    "country_of_birth": "audit only: ISO 3166-1 code (read only when named in columns)",
    "disability": "audit only: yes or no (read only when named in columns)",
    "group": "audit only (read only when named in columns)",
}

#: The fields a vacancy table can fill, with what a cell may hold.
VACANCY_FIELDS: Mapping[str, str] = {
    "id": "vacancy id (required)",
    "employer_id": "employer id",
    "occupation": "occupation concept URI",
    "title": "the job title as advertised",
    "skills": "list: essential skills (free text or concept URIs)",
    "optional_skills": "list: optional skills (free text or concept URIs)",
    "languages": "list: language with a CEFR level, optionally 'optional' ('sv:B1', 'en A2 merit')",
    "min_isced": "minimum ISCED level 0-8 or its name, or none",
    "min_experience_months": "minimum months of experience",
    "region": "region code",
    "lat": "latitude in degrees",
    "lon": "longitude in degrees",
    "remote": "yes or no",
    "openings": "number of people to hire",
    "start_date": "date",
    "hours": "full time, part time or any",
    "support": "list: mentor, wage subsidy, on-the-job training, language training, or none",
    "mentor": "yes or no",
    "wage_subsidy": "yes or no",
    "on_the_job_training": "yes or no",
    "language_training": "yes or no",
}

_AUDIT_FIELDS = frozenset(
    {"gender", "age_band", "nationality", "country_of_birth", "disability", "group"}
)
_LIST_FIELDS = frozenset(
    {"skills", "optional_skills", "languages", "experience", "preferred_occupations", "support"}
)
_DEFAULT_SEPARATORS = ";,|\n\r•\u060c\u061b"

# Where each scalar field goes in the model's input (a path of keys and list positions).
_CANDIDATE_PATHS: dict[str, tuple[str | int, ...]] = {
    "id": ("id",),
    "isced_level": ("education", 0, "isced_level"),
    "education_field": ("education", 0, "field"),
    "recognition": ("education", 0, "recognition"),
    "education_title": ("education", 0, "title"),
    "region": ("location", "region"),
    "lat": ("location", "lat"),
    "lon": ("location", "lon"),
    "max_commute_km": ("max_commute_km",),
    "work_status": ("work_authorisation", "status"),
    "work_allowed_from": ("work_authorisation", "work_allowed_from"),
    "work_allowed_until": ("work_authorisation", "work_allowed_until"),
    "available_from": ("available_from",),
    "hours": ("preferences", "hours"),
    "gender": ("audit", "gender"),
    "age_band": ("audit", "age_band"),
    "nationality": ("audit", "nationality"),
    "country_of_birth": ("audit", "country_of_birth"),
    "disability": ("audit", "disability"),
    "group": ("audit", "group"),
}
_VACANCY_PATHS: dict[str, tuple[str | int, ...]] = {
    "id": ("id",),
    "employer_id": ("employer_id",),
    "occupation": ("occupation",),
    "title": ("title",),
    "min_isced": ("min_isced",),
    "min_experience_months": ("min_experience_months",),
    "region": ("location", "region"),
    "lat": ("location", "lat"),
    "lon": ("location", "lon"),
    "remote": ("remote",),
    "openings": ("openings",),
    "start_date": ("start_date",),
    "hours": ("hours",),
    "mentor": ("support", "mentor"),
    "wage_subsidy": ("support", "wage_subsidy"),
    "on_the_job_training": ("support", "on_the_job_training"),
    "language_training": ("support", "language_training"),
}
