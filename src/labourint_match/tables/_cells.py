"""Cells: the words people write (languages, keywords, yes and no) and the parsers that read them.

Each parser reads one stripped cell, or one entry of a list cell, and raises :class:`_CellError`
with a message that says what to fix and never repeats what the cell holds.
"""

from __future__ import annotations

import math
import re
import unicodedata
from collections.abc import Mapping
from datetime import date, datetime
from functools import lru_cache
from typing import Any

from ..profiles import is_concept_uri
from ..taxonomy._languages import LANGUAGE_CODES

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
        try:
            return str(int(number))
        except ValueError:  # more digits than Python converts to text (sys.int_info)
            raise _CellError("holds a number too long to read") from None
    if kind == "Decimal":
        return str(value)
    raise _CellError(f"holds a {kind} where text is expected")


# -- the table ------------------------------------------------------------------------------------
