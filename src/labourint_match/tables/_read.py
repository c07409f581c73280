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
Limits
    A file larger than ``max_bytes``, a table with more than ``max_rows`` data rows or a cell
    longer than ``max_cell_length`` characters is refused with a ``ProfileError`` naming the limit,
    before more is read.

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

from __future__ import annotations

import codecs
import csv
import io
import math
import os
import re
import sys
import unicodedata
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from functools import lru_cache
from itertools import pairwise
from pathlib import Path
from typing import TYPE_CHECKING, Any, Generic, Literal, NamedTuple, TypeVar, get_args, overload

from pydantic import ValidationError
from pydantic_core import ErrorDetails

from ..errors import ConfigError, DuplicateIdError, ProfileError, UnknownConceptError
from ..profiles import (
    MAX_ID_LENGTH,
    CandidateProfile,
    Cohort,
    Evidence,
    Vacancy,
    is_concept_uri,
    validate_cohort,
)
from ..taxonomy import Taxonomy
from ..taxonomy._languages import LANGUAGE_CODES

if TYPE_CHECKING:
    from ..resolve import SkillResolver

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

# -- words ----------------------------------------------------------------------------------------

_BLANK_WORDS = frozenset(
    {"", "-", "--", "?", "n/a", "na", "nan", "null", "#n/a", "unknown", "okänd", "okänt",
     "vet ej", "unbekannt", "tuntematon", "невідомо"}
)  # fmt: skip
_NONE_WORDS = frozenset(
    {"none", "no", "nothing", "ingen", "inga", "inget", "nej", "keine", "kein", "nein", "ei",
     "ikke", "nei", "немає", "нет", "لا يوجد", "لا شيء", "no formal education"}
)  # fmt: skip

# Language names (casefolded) → ISO 639 code: ESCO's English names, more English names, and
# the names people write in Nordic languages, German, Finnish and the languages themselves.
_EXTRA_LANGUAGE_NAMES: dict[str, str] = {
    # English
    "afrikaans": "af", "amharic": "am", "burmese": "my", "farsi": "fa", "filipino": "fil",
    "hausa": "ha", "igbo": "ig", "indonesian": "id", "khmer": "km", "kinyarwanda": "rw",
    "kirundi": "rn", "kurmanji": "ku", "kyrgyz": "ky", "lingala": "ln", "mandarin": "zh",
    "mongolian": "mn", "nepali": "ne", "norwegian bokmål": "nb", "bokmål": "nb",
    "norwegian nynorsk": "nn", "nynorsk": "nn", "oromo": "om", "sorani": "ku", "swahili": "sw",
    "tagalog": "tl", "tajik": "tg", "thai": "th", "turkmen": "tk", "uzbek": "uz", "wolof": "wo",
    "yoruba": "yo", "modern greek": "el", "brazilian portuguese": "pt",
    # Swedish
    "svenska": "sv", "engelska": "en", "arabiska": "ar", "ukrainska": "uk", "ryska": "ru",
    "persiska": "fa", "somaliska": "so", "tigrinja": "ti", "tigrinska": "ti", "kurdiska": "ku",
    "turkiska": "tr", "polska": "pl", "spanska": "es", "franska": "fr", "tyska": "de",
    "finska": "fi", "norska": "no", "danska": "da", "isländska": "is", "estniska": "et",
    "lettiska": "lv", "litauiska": "lt", "bosniska": "bs", "kroatiska": "hr", "serbiska": "sr",
    "albanska": "sq", "grekiska": "el", "italienska": "it", "portugisiska": "pt",
    "rumänska": "ro", "bulgariska": "bg", "ungerska": "hu", "tjeckiska": "cs",
    "slovakiska": "sk", "slovenska": "sl", "amhariska": "am", "kinesiska": "zh",
    "japanska": "ja", "koreanska": "ko", "vietnamesiska": "vi", "thailändska": "th",
    "armeniska": "hy", "georgiska": "ka", "hebreiska": "he", "nederländska": "nl",
    "holländska": "nl", "mongoliska": "mn", "tamilska": "ta",
    # Norwegian and Danish
    "norsk": "no", "dansk": "da", "svensk": "sv", "engelsk": "en", "arabisk": "ar",
    "ukrainsk": "uk", "russisk": "ru", "tysk": "de", "fransk": "fr", "spansk": "es",
    "polsk": "pl", "tyrkisk": "tr", "persisk": "fa", "kurdisk": "ku", "finsk": "fi",
    "somalisk": "so", "tigrinsk": "ti",
    # German
    "deutsch": "de", "englisch": "en", "arabisch": "ar", "ukrainisch": "uk", "russisch": "ru",
    "französisch": "fr", "spanisch": "es", "türkisch": "tr", "polnisch": "pl",
    "persisch": "fa", "kurdisch": "ku", "schwedisch": "sv", "italienisch": "it",
    # Finnish
    "suomi": "fi", "ruotsi": "sv", "englanti": "en", "arabia": "ar", "venäjä": "ru",
    "ukraina": "uk", "viro": "et", "somali": "so",
    # the languages' own names
    "العربية": "ar", "العربيه": "ar", "عربي": "ar", "عربية": "ar", "українська": "uk",
    "русский": "ru", "english": "en", "français": "fr", "español": "es", "فارسی": "fa",
    "فارسي": "fa", "دری": "prs", "پښتو": "ps", "soomaali": "so", "af soomaali": "so",
    "ትግርኛ": "ti", "አማርኛ": "am", "kurdî": "ku", "کوردی": "ku", "türkçe": "tr",
    "polski": "pl", "português": "pt", "italiano": "it", "română": "ro", "shqip": "sq",
    "bosanski": "bs", "hrvatski": "hr", "srpski": "sr", "српски": "sr", "ελληνικά": "el",
    "tiếng việt": "vi", "中文": "zh", "اردو": "ur", "हिन्दी": "hi", "kiswahili": "sw",
    "eesti": "et", "latviešu": "lv", "lietuvių": "lt", "magyar": "hu", "čeština": "cs",
    "nederlands": "nl", "íslenska": "is",
}  # fmt: skip
_LANGUAGE_NAMES: dict[str, str] = {
    **{name.casefold(): code for name, code in LANGUAGE_CODES.items()},
    **_EXTRA_LANGUAGE_NAMES,
}
_LANGUAGE_CODE_SET = frozenset(_LANGUAGE_NAMES.values()) | {"nb", "nn"}
_NATIVE_WORDS = frozenset(
    {"native", "native speaker", "native language", "mother tongue", "mothertongue",
     "first language", "l1", "modersmål", "modersmal", "morsmål", "morsmal", "äidinkieli",
     "muttersprache", "erstsprache", "langue maternelle", "lengua materna", "рідна",
     "рідна мова", "родной", "родной язык", "اللغة الأم", "اللغة الام", "لغة أم", "لغة الأم",
     "لغة ام", "زبان مادری"}
)  # fmt: skip
_OPTIONAL_WORDS = frozenset(
    {"optional", "merit", "meriterande", "meriterar", "önskvärt", "önskemål", "desirable",
     "preferred", "nice to have", "a plus", "plus", "an advantage", "advantage",
     "wünschenswert", "von vorteil"}
)  # fmt: skip
_ESSENTIAL_WORDS = frozenset(
    {"essential", "required", "requirement", "mandatory", "must", "krav", "kräver",
     "obligatorisk", "erforderlich"}
)  # fmt: skip
_LANGUAGE_FILLERS = frozenset(
    {"level", "nivå", "niveau", "cefr", "language", "språk", "sprache", "kieli", "мова", "язык"}
)
_CEFR = re.compile(r"[abc][12]")
_MAX_PHRASE = 3

_HOURS = {
    "full time": "full_time", "fulltime": "full_time", "ft": "full_time", "heltid": "full_time",
    "vollzeit": "full_time", "kokoaika": "full_time", "part time": "part_time",
    "parttime": "part_time", "pt": "part_time", "deltid": "part_time", "teilzeit": "part_time",
    "osa aika": "part_time", "any": "any", "either": "any", "both": "any", "flexible": "any",
    "all": "any", "oavsett": "any",
}  # fmt: skip
_WORK_STATUS = {
    **{value.replace("_", " "): value for value in (
        "citizen", "eu_citizen", "permanent_resident", "refugee", "subsidiary_protection",
        "temporary_protection", "asylum_seeker_with_permit", "asylum_seeker_without_permit",
        "work_permit", "other", "unknown",
    )},
    "national": "citizen", "medborgare": "citizen", "eu": "eu_citizen", "eea": "eu_citizen",
    "eu eea": "eu_citizen", "eu eea citizen": "eu_citizen", "eu national": "eu_citizen",
    "permanent residence": "permanent_resident", "permanent residency": "permanent_resident",
    "permanent residence permit": "permanent_resident", "refugee status": "refugee",
    "convention refugee": "refugee", "flykting": "refugee", "subsidiary": "subsidiary_protection",
    "tpd": "temporary_protection", "temporary protection directive": "temporary_protection",
    "tillfälligt skydd": "temporary_protection",
    "asylum seeker with work permit": "asylum_seeker_with_permit",
    "asylum seeker with permission to work": "asylum_seeker_with_permit",
    "asylum seeker no permit": "asylum_seeker_without_permit",
    "asylum seeker without work permit": "asylum_seeker_without_permit",
    "work permit holder": "work_permit", "arbetstillstånd": "work_permit",
}  # fmt: skip
_RECOGNITION = {
    "recognised": "recognised", "recognized": "recognised", "pending": "pending",
    "in progress": "pending", "partial": "partial", "partly recognised": "partial",
    "partly recognized": "partial", "partially recognised": "partial",
    "partially recognized": "partial", "not recognised": "not_recognised",
    "not recognized": "not_recognised", "rejected": "not_recognised", "unknown": "unknown",
}  # fmt: skip
_ISCED_NAMES = {
    "early childhood": 0, "primary": 1, "primary school": 1, "lower secondary": 2,
    "grundskola": 2, "compulsory school": 2, "upper secondary": 3, "high school": 3,
    "secondary": 3, "gymnasium": 3, "gymnasieskola": 3, "gymnasieutbildning": 3,
    "post secondary": 4, "post secondary non tertiary": 4, "short cycle tertiary": 5,
    "yrkeshögskola": 5, "bachelor": 6, "bachelors": 6, "bachelor s": 6, "bachelor's": 6,
    "kandidatexamen": 6, "master": 7, "masters": 7, "master s": 7, "master's": 7,
    "magisterexamen": 7, "masterexamen": 7, "doctoral": 8, "doctorate": 8, "phd": 8,
    "doktorsexamen": 8,
}  # fmt: skip
_SUPPORT = {
    "mentor": "mentor", "mentorship": "mentor", "mentoring": "mentor", "handledare": "mentor",
    "handledning": "mentor", "fadder": "mentor", "buddy": "mentor",
    "wage subsidy": "wage_subsidy", "wage subsidies": "wage_subsidy",
    "subsidised wage": "wage_subsidy", "subsidized wage": "wage_subsidy",
    "wage support": "wage_subsidy", "lönestöd": "wage_subsidy", "lönebidrag": "wage_subsidy",
    "nystartsjobb": "wage_subsidy", "introduktionsjobb": "wage_subsidy",
    "on the job training": "on_the_job_training", "training on the job": "on_the_job_training",
    "ojt": "on_the_job_training", "job training": "on_the_job_training",
    "workplace training": "on_the_job_training", "upplärning": "on_the_job_training",
    "language training": "language_training", "language course": "language_training",
    "language classes": "language_training", "language support": "language_training",
    "språkträning": "language_training", "språkstöd": "language_training",
    "språkkurs": "language_training", "sfi": "language_training",
    "svenska för invandrare": "language_training", "yrkessvenska": "language_training",
    "sprachkurs": "language_training",
}  # fmt: skip
_BOOLEAN_FIELDS = frozenset(
    {"remote", "disability", "mentor", "wage_subsidy", "on_the_job_training", "language_training"}
)
_SUPPORT_SEPARATORS = re.compile(r"[/+&]|\s(?:and|och|og|und)\s")
_TRUE_WORDS = frozenset(
    {"yes", "y", "true", "t", "1", "x", "✓", "✔", "ja", "j", "oui", "kyllä", "так", "نعم"}
)
_FALSE_WORDS = frozenset({"no", "n", "false", "f", "0", "nej", "nein", "non", "ei", "ні", "لا"})

# Punctuation read as a space in keyword cells; formatting characters (bidi marks, zero-width
# spaces) are dropped there.
_KEY_PUNCTUATION = re.compile(r"[:=()\[\]{}\-–—_.,/*+!?;\"“”„«»]+")
_BULLET = re.compile(r"^(?:[-*•–—]|\d{1,3}[.)])\s+")

# -- small parsers --------------------------------------------------------------------------------


class _CellError(Exception):
    """A cell cannot be read; the message says what to fix, never what the cell holds."""


def _key(text: str) -> str:
    """`text` as a keyword: NFKC, casefolded, punctuation as spaces, formatting dropped."""
    return _cached_key(text) if len(text) <= _CACHED_LENGTH else _make_key(text)


# Cells repeat (the same language, date or status in many rows): short ones are parsed once.
_CACHED_LENGTH = 100


def _make_key(text: str) -> str:
    text = unicodedata.normalize("NFKC", text).casefold()
    text = "".join(ch for ch in text if unicodedata.category(ch) != "Cf")
    return " ".join(_KEY_PUNCTUATION.sub(" ", text.replace("\u2019", "'")).split())


_cached_key = lru_cache(maxsize=2**14)(_make_key)


def _is_blank(text: str) -> bool:
    return not text or text.casefold() in _BLANK_WORDS


def _is_none(text: str) -> bool:
    return text.casefold() in _NONE_WORDS or _key(text) in _NONE_WORDS


_DATE_FORMATS = "2026-03-01 (ISO), 2026/03/01, 01.03.2026, 01/03/2026 or 01-03-2026"
_TIME = r"(?:[T ]\d{1,2}:\d{2}(?::\d{2}(?:\.\d{1,9})?)?(?:Z|[+-]\d{2}:?\d{2})?)?"
_ISO_DATE = re.compile(rf"(\d{{4}})[-/.](\d{{1,2}})[-/.](\d{{1,2}}){_TIME}")
_DOT_DATE = re.compile(rf"(\d{{1,2}})\.(\d{{1,2}})\.(\d{{4}}){_TIME}")
_SLASH_DATE = re.compile(rf"(\d{{1,2}})([/-])(\d{{1,2}})\2(\d{{4}}){_TIME}")
_SHORT_YEAR = re.compile(r"\d{1,2}[./-]\d{1,2}[./-]\d{2}")


def _date(text: str, dayfirst: bool | None) -> date:
    if len(text) <= _CACHED_LENGTH:
        return _cached_date(text, dayfirst)
    return _make_date(text, dayfirst)


def _make_date(text: str, dayfirst: bool | None) -> date:
    text = "".join(ch for ch in text if unicodedata.category(ch) != "Cf").strip()
    if m := _ISO_DATE.fullmatch(text):
        year, month, day = int(m[1]), int(m[2]), int(m[3])
    elif m := _DOT_DATE.fullmatch(text):
        day, month, year = int(m[1]), int(m[2]), int(m[3])
    elif m := _SLASH_DATE.fullmatch(text):
        first, second, year = int(m[1]), int(m[3]), int(m[4])
        if dayfirst is None:
            if first == second or (first > 12 >= second):
                dayfirst = True
            elif second > 12 >= first:
                dayfirst = False
            elif first <= 12 and second <= 12:
                raise _CellError(
                    "is ambiguous (day/month or month/day): pass dayfirst=True (01/03/2026 is "
                    "1 March) or dayfirst=False (3 January), or write ISO dates (2026-03-01)"
                )
            else:
                raise _CellError("is not a valid date (day or month out of range)")
        day, month = (first, second) if dayfirst else (second, first)
    elif _SHORT_YEAR.fullmatch(text):
        raise _CellError("has a two-digit year; write the year in full, such as 01.03.2026")
    elif text.isdigit() and len(text) == 5:
        raise _CellError(
            "looks like a spreadsheet date serial number; format the column as dates (or text) "
            f"before exporting, as {_DATE_FORMATS}"
        )
    else:
        raise _CellError(f"is not a date in a known format; write {_DATE_FORMATS}")
    try:
        return date(year, month, day)
    except ValueError:
        raise _CellError("is not a valid date (day or month out of range)") from None


_cached_date = lru_cache(maxsize=2**12)(_make_date)
_INTEGER = re.compile(r"[+-]?\d+")
_DECIMAL = re.compile(r"[+-]?(?:\d+(?:\.\d*)?|\.\d+)")
_THOUSANDS = re.compile(r"[+-]?\d{1,3},\d{3}")


def _integer(text: str) -> int:
    compact = text.replace(" ", "").replace("\u00a0", "")
    if _INTEGER.fullmatch(compact):
        return int(compact)
    if _DECIMAL.fullmatch(compact):
        value = float(compact)
        if value.is_integer():
            return int(value)
    raise _CellError("must be a whole number")


def _decimal(text: str, units: tuple[str, ...] = ()) -> float:
    compact = text.replace(" ", "").replace("\u00a0", "")
    lowered = compact.casefold()
    for unit in units:
        if lowered.endswith(unit):
            compact = compact[: -len(unit)]
            break
    if "," in compact and "." not in compact:
        if _THOUSANDS.fullmatch(compact):
            raise _CellError(
                "is ambiguous: is ',' a decimal or a thousands separator? write 12.5 or 12500"
            )
        compact = compact.replace(",", ".")
    if not _DECIMAL.fullmatch(compact):
        raise _CellError("must be a number" + (f" (optionally with {units[0]})" if units else ""))
    return float(compact)


def _boolean(text: str) -> bool:
    key = _key(text) or text.strip().casefold()
    if key in _TRUE_WORDS:
        return True
    if key in _FALSE_WORDS or key in _NONE_WORDS:
        return False
    raise _CellError("must be yes or no (also true/false, 1/0, x, ja/nej)")


def _keyword(text: str, table: Mapping[str, Any], what: str) -> Any:
    key = _key(text)
    if key in table:
        return table[key]
    if key.replace(" ", "_") in table.values():
        return key.replace(" ", "_")
    if what == "work status" and key.startswith("asylum seeker"):
        raise _CellError(
            "says asylum seeker without saying whether work is allowed: write 'asylum seeker "
            "with permit' or 'asylum seeker without permit'"
        )
    choices = ", ".join(sorted(set(map(str, table.values()))))
    raise _CellError(f"is not a known {what}; use one of {choices}")


_ISCED_NUMBER = re.compile(r"(?:isced|level|nivå|niveau)?\s*([0-8])")


def _isced(text: str) -> int:
    key = _key(text)
    if m := _ISCED_NUMBER.fullmatch(key):
        return int(m[1])
    if key in _ISCED_NAMES:
        return _ISCED_NAMES[key]
    raise _CellError(
        "is not an ISCED level: give 0-8 or a name such as 'primary', 'lower secondary', "
        "'upper secondary', 'post-secondary', 'short-cycle tertiary', 'bachelor', 'master' or "
        "'doctoral'"
    )


_MONTH_UNITS = frozenset(
    {"m", "mo", "mos", "mon", "month", "months", "mån", "månad", "månader", "mnd", "måneder",
     "monat", "monate", "kk", "kuukautta"}
)  # fmt: skip
_YEAR_UNITS = frozenset(
    {"y", "yr", "yrs", "year", "years", "år", "ar", "jahr", "jahre", "v", "vuotta", "vuosi"}
)
_LENGTH = re.compile(r"(\d+(?:\.\d+)?)\s*(\D*)")


def _months(text: str) -> int:
    compact = unicodedata.normalize("NFKC", text).casefold().strip().strip("()").strip()
    m = _LENGTH.fullmatch(compact.replace(",", "."))
    if m is None:
        raise _CellError("must be a length such as '30', '30 months' or '2.5 years'")
    value = float(m[1])
    unit = m[2].strip().rstrip(".")
    if unit in _YEAR_UNITS:
        value *= 12
    elif unit and unit not in _MONTH_UNITS:
        raise _CellError("must be a length in months or years, such as '30 months' or '2 years'")
    return round(value)


def _language(text: str, *, vacancy: bool) -> dict[str, Any]:
    """One language entry as the fields of a LanguageSkill (or LanguageRequirement)."""
    if len(text) <= _CACHED_LENGTH:
        return dict(_cached_language(text, vacancy))
    return dict(_make_language(text, vacancy))


def _make_language(text: str, vacancy: bool) -> tuple[tuple[str, Any], ...]:
    words = _key(text).split()
    code: str | None = None
    level: str | None = None
    native = False
    importance: str | None = None
    i = 0
    while i < len(words):
        for n in range(min(_MAX_PHRASE, len(words) - i), 0, -1):
            phrase = " ".join(words[i : i + n])
            found: str | None = None
            if n == 1 and _CEFR.fullmatch(phrase):
                if level is not None and level != phrase.upper():
                    raise _CellError("gives two levels; give one CEFR level per language")
                level = phrase.upper()
            elif phrase in _NATIVE_WORDS:
                if vacancy:
                    raise _CellError(
                        "asks for a native speaker; a vacancy asks for a CEFR level (write C2 "
                        "if that is the level the work needs)"
                    )
                native = True
            elif vacancy and phrase in _OPTIONAL_WORDS:
                importance = "optional"
            elif vacancy and phrase in _ESSENTIAL_WORDS:
                importance = "essential"
            elif phrase in _LANGUAGE_NAMES:
                found = _LANGUAGE_NAMES[phrase]
            elif i == 0 and n == 1 and phrase in _LANGUAGE_CODE_SET:
                found = phrase
            elif phrase not in _LANGUAGE_FILLERS:
                continue
            if found is not None:
                if code is not None and code != found:
                    raise _CellError(
                        "names two languages; give one language per entry, separated by ';' or ','"
                    )
                code = found
            i += n
            break
        else:
            raise _CellError(
                "has a word that is not a language, a CEFR level (A1 … C2) or "
                + ("'optional'" if vacancy else "'native'")
                + "; write entries like 'sv:B1', 'Swedish B1'"
                + (", 'English A2 optional'" if vacancy else " or 'Arabic (native)'")
            )
    if code is None:
        raise _CellError(
            "names no language; write an ISO code or a language name, such as 'sv:B1' or "
            "'Swedish B1'"
        )
    entry: list[tuple[str, Any]] = [("language", code)]
    if level is not None:
        entry.append(("level", level))
    if native:
        entry.append(("native", True))
    if importance is not None:
        entry.append(("importance", importance))
    return tuple(entry)


_cached_language = lru_cache(maxsize=2**12)(_make_language)


def _experience(text: str) -> dict[str, Any]:
    uri, _, rest = text.partition(" ")
    if not is_concept_uri(uri):
        raise _CellError(
            "must start with an occupation concept URI (such as "
            "http://data.europa.eu/esco/occupation/…), optionally followed by a length; resolve "
            "job titles to occupations first"
        )
    entry: dict[str, Any] = {"occupation": uri}
    rest = rest.strip().strip("()").strip()
    if rest:
        entry["months"] = _months(rest)
    return entry


# -- cells ----------------------------------------------------------------------------------------


def _cell_text(value: object) -> str | list[str]:
    """A cell of a DataFrame (or the csv module) as text, or as a list when it holds one."""
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    kind = type(value).__name__
    number: Any = value
    if kind in ("NAType", "NaTType"):
        return ""
    if isinstance(value, bool) or kind == "bool_":
        return "yes" if value else "no"
    if isinstance(value, datetime):
        return value.date().isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, (list, tuple)):
        items: list[str] = []
        for item in value:
            text = _cell_text(item)
            if isinstance(text, list):
                raise _CellError("holds a nested list; give one list of entries per cell")
            items.append(text)
        return items
    if isinstance(value, float) or kind.startswith("float"):
        real = float(number)
        if math.isnan(real):
            return ""
        return str(int(real)) if real.is_integer() else repr(real)
    if isinstance(value, int) or kind.startswith(("int", "uint")):
        return str(int(number))
    if kind == "Decimal":
        return str(value)
    raise _CellError(f"holds a {kind} where text is expected")


# -- the table ------------------------------------------------------------------------------------


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


@dataclass(frozen=True)
class _Options:
    dayfirst: bool | None
    evidence: str
    separators: re.Pattern[str]
    max_rows: int
    max_cell_length: int


class _Source(NamedTuple):
    name: str
    delimiter: str | None  # None for a DataFrame
    headers: list[str]
    rows: Iterator[tuple[int, int | None, list[Any]]]  # (position, line, cells)


_DELIMITERS = (",", ";", "\t", "|")
_QUOTED = re.compile(r'"[^"]*"')


def _guess_delimiter(text: str) -> str:
    first = _QUOTED.sub("", text[: text.find("\n") if "\n" in text else len(text)])
    counts = [first.count(d) for d in _DELIMITERS]
    return _DELIMITERS[counts.index(max(counts))] if max(counts) else ","


def _read_bytes(path: str | os.PathLike[str], max_bytes: int) -> tuple[str, bytes]:
    file = Path(path)
    name = file.name or str(file)
    try:
        with open(file, "rb") as fh:
            size = os.fstat(fh.fileno()).st_size
            if size > max_bytes:
                raise ProfileError(
                    f"{name}: the file has {size} bytes, more than max_bytes={max_bytes}; split "
                    "it, or pass a larger max_bytes"
                )
            data = fh.read(max_bytes + 1)
    except FileNotFoundError:
        hint = " (to read CSV held in memory, pass it as bytes)" if "\n" in str(path) else ""
        raise ProfileError(f"{name[:200]}: no such file{hint}") from None
    except IsADirectoryError:
        raise ProfileError(f"{name}: is a directory, not a file") from None
    except OSError as exc:
        raise ProfileError(f"{name}: cannot read the file ({exc.strerror})") from None
    except ValueError:  # a NUL character in the path
        raise ProfileError(f"{str(path)[:200]!r}: not a usable file name") from None
    if len(data) > max_bytes:
        raise ProfileError(
            f"{name}: the file has more than max_bytes={max_bytes} bytes; split it, or pass a "
            "larger max_bytes"
        )
    return name, data


def _decode(data: bytes, name: str, encoding: str | None) -> str:
    if encoding is None:
        if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
            encoding = "utf-16"
        else:
            encoding = "utf-8-sig"
    try:
        return data.decode(encoding)
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        raise ProfileError(
            f"is not valid {encoding.removesuffix('-sig').upper()}; save the file as CSV UTF-8, "
            "or pass the encoding it has (such as encoding='cp1252')",
            record=f"line {line} of {name}",
        ) from None


def _csv_source(
    data: bytes, name: str, *, encoding: str | None, delimiter: str | None, options: _Options
) -> _Source:
    text = _decode(data, name, encoding)
    delim = delimiter if delimiter is not None else _guess_delimiter(text)
    reader = csv.reader(
        io.StringIO(text, newline=""), delimiter=delim, skipinitialspace=True, strict=False
    )

    def rows() -> Iterator[list[str]]:
        while True:
            try:
                row = next(reader)
            except StopIteration:
                return
            except csv.Error:
                raise ProfileError(
                    f"a cell is longer than max_cell_length={options.max_cell_length} "
                    "characters, or cannot be read as CSV (an unclosed quote?); fix the file, "
                    "or pass a larger max_cell_length",
                    record=f"line {reader.line_num} of {name}",
                ) from None
            yield row

    it = rows()
    header: list[str] | None = None
    for row in it:
        if row:
            header = row
            break
    if header is None:
        raise ProfileError(f"{name}: the file is empty; it needs a header row naming the columns")
    _check_lengths(header, options, f"line {reader.line_num} of {name}")

    def body() -> Iterator[tuple[int, int | None, list[Any]]]:
        position = 0
        last = reader.line_num
        for row in it:
            start, last = last + 1, reader.line_num
            if not row:
                continue
            if position >= options.max_rows:
                _too_many_rows(name, options.max_rows)
            _check_lengths(row, options, f"line {start} of {name}")
            yield position, start, row
            position += 1

    return _Source(name, delim, [h.strip() for h in header], body())


def _too_many_rows(name: str, max_rows: int) -> None:
    raise ProfileError(
        f"{name}: the table has more than max_rows={max_rows} data rows; split it, or pass a "
        "larger max_rows"
    )


def _check_lengths(cells: Sequence[Any], options: _Options, where: str) -> None:
    for cell in cells:
        if isinstance(cell, (list, tuple)):  # a DataFrame cell holding a list: its entries
            longest = max((len(x) for x in cell if isinstance(x, str)), default=0)
        else:
            longest = len(cell) if isinstance(cell, str) else 0
        if longest > options.max_cell_length:
            raise ProfileError(
                f"a cell is longer than max_cell_length={options.max_cell_length} characters "
                "(an unclosed quote?); fix the file, or pass a larger max_cell_length",
                record=where,
            )


def _frame_source(frame: Any, options: _Options) -> _Source:
    name = "<DataFrame>"
    if len(frame) > options.max_rows:
        _too_many_rows(name, options.max_rows)
    headers = [str(c).strip() for c in frame.columns]
    _check_lengths(headers, options, "the header")

    def body() -> Iterator[tuple[int, int | None, list[Any]]]:
        for position, row in enumerate(frame.itertuples(index=False, name=None)):
            _check_lengths(row, options, f"row {position}")
            yield position, None, list(row)

    return _Source(name, None, headers, body())


def _header_key(text: str) -> str:
    return re.sub(r"[\W_]+", "_", unicodedata.normalize("NFKC", text).casefold()).strip("_")


def _show(header: str) -> str:
    shown = header[:60].encode("unicode_escape").decode("ascii")
    return repr(shown + ("…" if len(header) > 60 else ""))


def _plan(
    headers: list[str], columns: Mapping[str, Any] | None, fields: Mapping[str, str], name: str
) -> dict[str, list[int]]:
    """Field → column positions, from `columns` and the headers equal to field names."""
    index: dict[str, list[int]] = {}
    for i, header in enumerate(headers):
        index.setdefault(header, []).append(i)
    plan: dict[str, list[int]] = {}
    used: set[int] = set()
    for field, given in (columns or {}).items():
        if not isinstance(field, str) or field not in fields:
            shown = _show(field) if isinstance(field, str) else type(field).__name__
            raise ConfigError(
                f"columns names {shown}, which is not a field of this table; use "
                f"{', '.join(fields)}"
            )
        headers_given: list[Any] = (
            [given]
            if isinstance(given, str)
            else list(given)
            if isinstance(given, Sequence)
            else []
        )
        if not headers_given or not all(isinstance(h, str) for h in headers_given):
            raise ConfigError(f"columns[{field!r}] must be a column header or a list of them")
        if len(headers_given) > 1 and field not in _LIST_FIELDS:
            raise ConfigError(
                f"columns[{field!r}] names several columns, but only list fields "
                f"({', '.join(sorted(_LIST_FIELDS))}) can be read from several"
            )
        for header in headers_given:
            found = index.get(header.strip())
            if not found:
                shown = ", ".join(_show(h) for h in headers[:30])
                raise ConfigError(
                    f"columns[{field!r}] names the column {_show(header)}, which {name} does "
                    f"not have; its columns are {shown}"
                )
            if len(found) > 1:
                raise ConfigError(
                    f"{name} has {len(found)} columns headed {_show(header)}; give them "
                    "different headers"
                )
            plan.setdefault(field, []).append(found[0])
            used.add(found[0])
    keys = {_header_key(f): f for f in fields if f not in _AUDIT_FIELDS}
    for i, header in enumerate(headers):
        auto = keys.get(_header_key(header))
        if auto is None or auto in plan or i in used:
            continue
        if len(index.get(header, ())) > 1 or any(
            keys.get(_header_key(h)) == auto for h in headers[i + 1 :]
        ):
            raise ConfigError(
                f"{name} has several columns that read as {auto!r}; name the one to use in "
                f"columns={{{auto!r}: ...}}"
            )
        plan[auto] = [i]
    if "id" not in plan:
        raise ConfigError(
            f"{name} has no column for 'id'; name it, such as columns={{'id': 'Client no.'}}"
        )
    return plan


class _Row:
    """One row read into a model's input, with where each part came from."""

    def __init__(self) -> None:
        self.data: dict[str, Any] = {}
        self.origins: list[tuple[tuple[str | int, ...], int, int | None]] = []
        self.problems: list[tuple[int | None, str | None, str]] = []
        self.free_skills: list[tuple[int, str]] = []  # (column, text)

    def put(self, path: tuple[str | int, ...], value: Any, column: int, entry: int | None) -> None:
        """Set `value` at `path` of the model's input, noting the column and entry it came from.

        An int in `path` is a list position; the last one is the next position of its list.
        """
        target: Any = self.data
        for key, following in pairwise(path):
            if isinstance(key, int):
                while len(target) <= key:
                    target.append({})
                target = target[key]
            else:
                target = target.setdefault(key, [] if isinstance(following, int) else {})
        if isinstance(path[-1], int):
            target.append(value)
        else:
            target[path[-1]] = value
        self.origins.append((path, column, entry))

    def note(self, path: tuple[str | int, ...], column: int) -> None:
        """Note that `path` (set directly in ``data``) came from `column`."""
        self.origins.append((path, column, None))

    def where(self, loc: tuple[str | int, ...]) -> tuple[int | None, int | None]:
        """The (column, entry) that the model input at `loc` came from (for error messages)."""
        paths: dict[tuple[str | int, ...], tuple[int, int | None]] = {}
        for path, column, entry in self.origins:
            paths[path] = (column, entry)
            for k in range(1, len(path)):
                paths.setdefault(path[:k], (column, None))
        for k in range(len(loc), 0, -1):
            found = paths.get(loc[:k])
            if found is not None:
                return found
        return None, None


_IDENTIFIER = re.compile(r"[A-Za-z_][A-Za-z0-9_]{0,63}")
_SHOULD = re.compile(r"^(?:Input|String|Value|List|Tuple|Date|Object) should ")


def _error_text(error: ErrorDetails) -> str:
    kind = error["type"]
    if kind == "missing":
        return "is required"
    if kind == "finite_number":
        return "must be a finite number (NaN and infinity are refused)"
    message = error["msg"]
    if kind == "value_error":
        return message.removeprefix("Value error, ")
    return _SHOULD.sub("must ", message)


def _loc_text(loc: tuple[str | int, ...]) -> str | None:
    parts = [str(p) for p in loc if isinstance(p, int) or _IDENTIFIER.fullmatch(p)]
    return ".".join(parts) or None


class _Reader:
    """Reads the rows of one table into records of one model."""

    def __init__(
        self,
        model: type[CandidateProfile] | type[Vacancy],
        headers: list[str],
        plan: dict[str, list[int]],
        options: _Options,
    ) -> None:
        self.model = model
        self.vacancy = model is Vacancy
        self.headers = headers
        self.plan = plan
        self.options = options
        self.paths = _VACANCY_PATHS if self.vacancy else _CANDIDATE_PATHS

    def _entries(self, field: str, cells: list[Any], row: _Row) -> tuple[list[Any], bool]:
        """The entries of a list field, each as (column, entry number, text); and 'none'."""
        entries: list[Any] = []
        said_none = False
        for column in self.plan[field]:
            value = _cell_text(cells[column]) if column < len(cells) else ""
            items = (
                value
                if isinstance(value, list)
                else self._split(value, keywords=field in ("support",))
            )
            if not isinstance(value, list) and len(items) == 1 and _is_none(items[0]):
                if field == "languages" and _key(items[0]) == "no":
                    row.problems.append(
                        (
                            column,
                            field,
                            "reads as 'none' or as Norwegian ('no'): write 'none', or "
                            "'Norwegian' with a level",
                        )
                    )
                    continue
                said_none = True
                continue
            number = 0
            for item in items:
                item = _BULLET.sub("", item.strip()).strip()
                if _is_blank(item):
                    continue
                number += 1
                entries.append((column, number, item))
        return entries, said_none

    def _split(self, text: str, *, keywords: bool) -> list[str]:
        text = text.strip()
        if _is_blank(text):
            return []
        parts = self.options.separators.split(text)
        if keywords:
            parts = [p for part in parts for p in _SUPPORT_SEPARATORS.split(part)]
        return parts

    def read(self, cells: list[Any]) -> _Row:
        row = _Row()
        for field in self.plan:
            try:
                self._field(field, cells, row)
            except _CellError as exc:
                column = self.plan[field][0]
                row.problems.append((column, field, str(exc)))
        row.data.setdefault("skills", [])
        if "education" in row.data.get("known_none", ()) and row.data.get("education"):
            row.problems.append(
                (
                    self.plan["isced_level"][0],
                    "isced_level",
                    "says none, but the other education columns are filled",
                )
            )
            row.data["known_none"].remove("education")
            del row.data["education"]
        return row

    def _scalar(self, field: str, cells: list[Any]) -> tuple[int, str]:
        column = self.plan[field][0]
        value = _cell_text(cells[column]) if column < len(cells) else ""
        if isinstance(value, list):
            raise _CellError("holds a list where one value is expected")
        return column, value.strip()

    def _field(self, field: str, cells: list[Any], row: _Row) -> None:
        options = self.options
        if field in _LIST_FIELDS:
            entries, said_none = self._entries(field, cells, row)
            self._list_field(field, entries, said_none, row)
            return
        column, text = self._scalar(field, cells)
        path = self.paths[field]
        if field in ("isced_level", "min_isced") and _is_none(text):
            if field == "isced_level":
                row.data.setdefault("known_none", []).append("education")
                row.note(("known_none",), column)
            return
        if _is_blank(text):
            return
        value: Any
        if field == "id":
            value = text
        elif field in ("work_allowed_from", "work_allowed_until", "available_from", "start_date"):
            if _is_none(text):
                return
            value = _date(text, options.dayfirst)
        elif field in ("openings",):
            value = _integer(text)
        elif field == "min_experience_months":
            value = _months(text)
        elif field in ("lat", "lon"):
            value = _decimal(text, ("°",))
        elif field == "max_commute_km":
            value = _decimal(text, ("km",))
        elif field in ("isced_level", "min_isced"):
            value = _isced(text)
        elif field in _BOOLEAN_FIELDS:
            value = _boolean(text)
        elif field == "hours":
            value = _keyword(text, _HOURS, "working time")
        elif field == "work_status":
            value = _keyword(text, _WORK_STATUS, "work status")
        elif field == "recognition":
            value = _keyword(text, _RECOGNITION, "recognition")
        else:  # free text and codes, validated by the model
            value = text
        if path[0] == "support" and not value and row.data.get("support", {}).get(path[1]):
            return  # a support flag set by the support column stays set
        row.put(path, value, column, None)

    def _list_field(self, field: str, entries: list[Any], said_none: bool, row: _Row) -> None:
        if field in ("skills", "optional_skills"):
            importance = "optional" if field == "optional_skills" else "essential"
            for column, number, text in entries:
                item: dict[str, Any] = {"skill": text}
                if self.vacancy:
                    item["importance"] = importance
                else:
                    item["evidence"] = self.options.evidence
                row.put(("skills", len(row.data.get("skills", ()))), item, column, number)
                if not is_concept_uri(text):
                    row.free_skills.append((column, text))
            return
        if field == "support":
            for column, number, text in entries:
                flag = _SUPPORT.get(_key(text))
                if flag is None:
                    raise _CellError(
                        f"entry {number} is not a kind of support; use mentor, wage subsidy, "
                        "on-the-job training or language training (or none)"
                    )
                row.put(("support", flag), True, column, number)
            return
        if said_none and not entries:  # known: none (a vacancy: no requirement)
            if self.vacancy or field not in ("languages", "experience"):
                return
            row.data.setdefault("known_none", []).append(field)
            row.note(("known_none",), self.plan[field][0])
            return
        target = {"languages": "languages", "experience": "experience"}.get(field)
        seen: dict[str, tuple[int, int]] = {}
        for column, number, text in entries:
            try:
                if field == "languages":
                    value: Any = _language(text, vacancy=self.vacancy)
                    first = seen.setdefault(value["language"], (column, number))
                    if first != (column, number):
                        where = (
                            f"entry {first[1]}"
                            if first[0] == column
                            else f"column {_show(self.headers[first[0]])}"
                        )
                        raise _CellError(
                            f"names the language {where} names; give one entry per language"
                        )
                elif field == "experience":
                    value = _experience(text)
                else:  # preferred occupations: URIs, checked by the model
                    value = text
            except _CellError as exc:
                raise _CellError(f"entry {number} {exc}") from None
            if target is None:
                path: tuple[str | int, ...] = ("preferences", "occupations")
                index = len(row.data.get("preferences", {}).get("occupations", ()))
            else:
                path = (target,)
                index = len(row.data.get(target, ()))
            row.put((*path, index), value, column, number)

    def errors(self, exc: ValidationError, row: _Row) -> list[tuple[int | None, str | None, str]]:
        out: list[tuple[int | None, str | None, str]] = []
        for error in exc.errors(include_url=False, include_context=False, include_input=False):
            loc = tuple(error["loc"])
            column, entry = row.where(loc)
            if column is None:  # a field left blank that the model requires
                column = next(
                    (
                        self.plan[f][0]
                        for f, p in self.paths.items()
                        if f in self.plan and loc[: len(p)] == p
                    ),
                    None,
                )
            message = _error_text(error)
            if entry is not None:
                message = f"entry {entry}: {message}"
            field = next((f for f, cols in self.plan.items() if column in cols), None)
            out.append((column, field or _loc_text(loc), message))
        return out


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
    for name, value in (
        ("max_rows", max_rows),
        ("max_cell_length", max_cell_length),
        ("max_bytes", max_bytes),
    ):
        if isinstance(value, bool) or not isinstance(value, int) or value < 1:
            raise ConfigError(f"{name} must be a positive int")
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
    reader = _Reader(model, table.headers, plan, options)
    id_column = plan["id"][0]
    header_count = len(table.headers)

    def where(position: int, line: int | None) -> str:
        return f"line {line} of {table.name}" if line is not None else f"row {position}"

    problems: list[TableProblem] = []
    kept: list[tuple[int, int | None, str, R, _Row]] = []  # position, line, label, record, row
    rows_read = 0
    for position, line, cells in table.rows:
        rows_read += 1
        if all(_is_blank(_text_or_blank(c).strip()) for c in cells):
            continue  # a blank row
        raw_id = _text_or_blank(cells[id_column] if id_column < len(cells) else "").strip()
        record_id = _usable_id(raw_id)

        def problem(column: int | None, field: str | None, message: str) -> TableProblem:
            header = table.headers[column] if column is not None else None
            return TableProblem(position, line, record_id, header, field, message)  # noqa: B023

        extra = [c for c in cells[header_count:] if not _is_blank(_text_or_blank(c).strip())]
        if extra:
            problems.append(
                problem(
                    None,
                    None,
                    f"has {len(cells)} cells but the header names {header_count} columns: "
                    f"a cell holds the delimiter {table.delimiter or ''!r} unquoted; quote "
                    "that cell, or separate its entries with another character",
                )
            )
            continue
        row = reader.read(cells)
        try:
            record = model.model_validate(row.data)
        except ValidationError as exc:
            # Every problem of the row, one per column: a column whose cell could not be read
            # is left out of the record, so the model's view of it adds nothing.
            unread = {p[0] for p in row.problems}
            row.problems.extend(p for p in reader.errors(exc, row) if p[0] not in unread)
        if row.problems:  # in the table's column order
            row.problems.sort(key=lambda p: len(cells) if p[0] is None else p[0])
            problems.extend(problem(*p) for p in row.problems)
            continue
        label = f"{record.id} ({where(position, line)})"
        kept.append((position, line, label, record, row))

    # Ids unique within the table (compared after NFC, as validate_cohort does).
    seen: dict[str, tuple[int, int | None]] = {}
    unique: list[tuple[int, int | None, str, R, _Row]] = []
    for item in kept:
        position, line, _, record, _ = item
        first = seen.setdefault(unicodedata.normalize("NFC", record.id), (position, line))
        if first != (position, line):
            problems.append(
                TableProblem(
                    position,
                    line,
                    record.id,
                    table.headers[id_column],
                    "id",
                    f"{_DUPLICATE} the row at {where(*first)}; ids must be unique within a table",
                )
            )
            continue
        unique.append(item)
    kept = unique

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
        raise UnknownConceptError(exc.uri, record=item[2], field=column or exc.field) from None
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


def _raise_first(problems: list[TableProblem], where: Any) -> None:
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
            + "; read with lenient=True for the full table)"
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
