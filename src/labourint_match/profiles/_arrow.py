"""Arrow columns in the records' JSON shape, checked by the records' rules and read into columns.

Each field of :class:`CandidateProfile` and :class:`Vacancy` that synthetic cohorts and JSON
Lines shards fill is checked over whole columns (each distinct text once), conservatively: a value
passes only where the model would accept it *as it is* (a language code already lower case, a
CEFR level already upper case, a coordinate that is not snapped to 0, a string without
control or invisible characters). A row holding anything else — a value that fails, one the
model would normalise, a field or struct key these checks do not cover, ``known_none`` — is
validated by the model itself, so its error is the model's (:func:`record_error`, as
:func:`load_candidates` raises it) and a valid row gets the model's normalised values. A null
cell is an absent field (as a key missing from a JSON line).
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Callable
from datetime import date, datetime
from typing import Any

import numpy as np
import pyarrow as pa  # type: ignore[import-untyped]
import pyarrow.compute as pc  # type: ignore[import-untyped]
from numpy.typing import NDArray
from pydantic import ValidationError

from ._columns import (
    LAST_DAY,
    NO_DAY,
    CandidateColumns,
    VacancyColumns,
    candidate_columns,
    cefr_rows,
    vacancy_columns,
)
from ._fields import (
    _COUNTRY_CODE,
    _ISCED_F,
    _LANGUAGE_CODE,
    CEFR_LEVELS,
    MAX_CODE_LENGTH,
    MAX_ID_LENGTH,
    MAX_ITEMS,
    MAX_SKILL_MENTIONS,
    MAX_SKILL_TEXT_LENGTH,
    MAX_TEXT_LENGTH,
    MAX_URI_LENGTH,
    MIN_NONZERO_COORDINATE,
    is_concept_uri,
)
from ._json_io import record_error
from ._models import Vacancy

__all__ = ["arrow_columns", "checked_columns", "dict_table", "slow_rows"]

_EPOCH = date(1970, 1, 1).toordinal()
_ISO_DAY = re.compile(r"\d{4}-\d{2}-\d{2}")
_ACTIVITIES = ("listening", "reading", "spoken_interaction", "writing")


# -- what passes as it is -------------------------------------------------------------------------


def _plain(text: str, limit: int) -> bool:
    # Printable ASCII holds no control, invisible or ignorable character (conservative).
    return 0 < len(text) <= limit and text.isascii() and text.isprintable()


def _id_ok(text: str) -> bool:
    return _plain(text, MAX_ID_LENGTH) and text == text.strip()


def _uri_ok(text: str) -> bool:
    return len(text) <= MAX_URI_LENGTH and is_concept_uri(text)


def _skill_ok(text: str) -> bool:
    if is_concept_uri(text):
        return len(text) <= MAX_URI_LENGTH
    return bool(text.strip()) and len(text) <= MAX_SKILL_TEXT_LENGTH and text.isprintable()


def _text_ok(text: str) -> bool:
    return len(text) <= MAX_TEXT_LENGTH and text.isprintable()


def _code_ok(text: str) -> bool:
    return _plain(text, MAX_CODE_LENGTH) and text == text.strip()


def _enum(*values: str) -> Callable[[str], bool]:
    return frozenset(values).__contains__


def _regex(pattern: re.Pattern[str]) -> Callable[[str], bool]:
    return lambda text: pattern.fullmatch(text) is not None


_CEFR = _enum(*CEFR_LEVELS)
_LANGUAGE = _regex(_LANGUAGE_CODE)
_HOURS = _enum("full_time", "part_time", "any")
_IMPORTANCE = _enum("essential", "optional")

# A spec per field: ("str", ok), ("int", lo, hi), ("float", lo, hi), ("coord", bound), ("bool",),
# ("date",), ("list", item), ("struct", {field: spec}, required fields), ("skills", struct).
_LANG_SKILL = (
    "struct",
    {
        "language": ("str", _LANGUAGE),
        "level": ("str", _CEFR),
        **{a: ("str", _CEFR) for a in _ACTIVITIES},
        "native": ("bool",),
    },
    ("language",),
)
_LANG_REQ = (
    "struct",
    {
        "language": ("str", _LANGUAGE),
        "level": ("str", _CEFR),
        **{a: ("str", _CEFR) for a in _ACTIVITIES},
        "importance": ("str", _IMPORTANCE),
    },
    ("language",),
)
_LOCATION = (
    "struct",
    {"lat": ("coord", 90.0), "lon": ("coord", 180.0), "region": ("str", _code_ok)},
    (),
)
CANDIDATE_SPEC: dict[str, Any] = {
    "id": ("str", _id_ok),
    "skills": ("skills", ("struct", {
        "skill": ("str", _skill_ok), "level": ("int", 1, 5),
        "evidence": ("str", _enum("self_declared", "adviser_mapped", "validated", "certified")),
        "years": ("float", 0.0, 100.0)}, ("skill",))),
    "languages": ("list", _LANG_SKILL),
    "education": ("list", ("struct", {
        "isced_level": ("int", 0, 8), "field": ("str", _regex(_ISCED_F)),
        "recognition": ("str", _enum("recognised", "pending", "partial", "not_recognised",
                                     "unknown")),
        "title": ("str", _text_ok)}, ("isced_level",))),
    "experience": ("list", ("struct", {"occupation": ("str", _uri_ok),
                   "months": ("int", 0, 1200), "title": ("str", _text_ok)}, ())),
    "location": _LOCATION,
    "max_commute_km": ("float", 0.0, 40_000.0),
    "work_authorisation": ("struct", {
        "status": ("str", _enum("citizen", "eu_citizen", "permanent_resident", "refugee",
                                "subsidiary_protection", "temporary_protection",
                                "asylum_seeker_with_permit", "asylum_seeker_without_permit",
                                "work_permit", "other", "unknown")),
        "work_allowed_from": ("date",), "work_allowed_until": ("date",)}, ()),
    "available_from": ("date",),
    "preferences": ("struct", {"occupations": ("list", ("str", _uri_ok)),
                    "hours": ("str", _HOURS)}, ()),
    "known_none": ("list", ("str", lambda text: False)),  # a row naming any: the model reads it
    "audit": ("struct", {"gender": ("str", _code_ok), "age_band": ("str", _code_ok),
              "nationality": ("str", _regex(_COUNTRY_CODE)),
              "country_of_birth": ("str", _regex(_COUNTRY_CODE)), "disability": ("bool",),
              "group": ("str", _code_ok)}, ()),
}  # fmt: skip
VACANCY_SPEC: dict[str, Any] = {
    "id": ("str", _id_ok),
    "employer_id": ("str", _id_ok),
    "occupation": ("str", _uri_ok),
    "title": ("str", _text_ok),
    "skills": ("skills", ("struct", {
        "skill": ("str", _skill_ok), "importance": ("str", _IMPORTANCE),
        "min_level": ("int", 1, 5), "weight": ("float", 0.0, 1e6)}, ("skill",))),
    "languages": ("list", _LANG_REQ),
    "min_isced": ("int", 0, 8),
    "min_experience_months": ("int", 0, 1200),
    "location": _LOCATION,
    "remote": ("bool",),
    "openings": ("int", 0, 1_000_000),
    "start_date": ("date",),
    "hours": ("str", _HOURS),
    "support": ("struct", {k: ("bool",) for k in ("mentor", "wage_subsidy",
                "on_the_job_training", "language_training")}, ()),
}  # fmt: skip


def _valid(arr: pa.Array) -> NDArray[np.bool_]:
    return np.asarray(arr.is_valid().to_numpy(zero_copy_only=False), dtype=bool)


def _bad(arr: pa.Array, spec: Any) -> NDArray[np.bool_]:
    """Per element of `arr`: may the model reject or change it (a null is an absent field)."""
    kind, typ, n = spec[0], arr.type, len(arr)
    valid = _valid(arr)
    if pa.types.is_null(typ):
        return np.zeros(n, dtype=bool)
    if kind == "str":
        if not (pa.types.is_string(typ) or pa.types.is_large_string(typ)):
            return valid
        distinct = pc.unique(arr).drop_null().to_pylist()
        wrong = [t for t in distinct if not spec[1](t)]
        if not wrong:
            return np.zeros(n, dtype=bool)
        found: NDArray[np.bool_] = np.asarray(pc.is_in(arr, value_set=pa.array(wrong, typ))
                                              .fill_null(False).to_numpy(zero_copy_only=False),
                                              dtype=bool)  # fmt: skip
        return found
    if kind in ("int", "float", "coord"):
        ok_type = pa.types.is_integer(typ) or (kind != "int" and pa.types.is_floating(typ))
        if not ok_type:
            return valid
        x: NDArray[np.float64] = arr.to_numpy(zero_copy_only=False).astype(np.float64)
        with np.errstate(invalid="ignore"):
            if kind == "coord":
                tiny = (np.abs(x) < MIN_NONZERO_COORDINATE) & ((x != 0.0) | np.signbit(x))
                out = ~(np.abs(x) <= spec[1]) | tiny
            else:
                out = ~((x >= spec[1]) & (x <= spec[2]))
        return np.asarray(out & valid, dtype=bool)
    if kind == "bool":
        return valid if not pa.types.is_boolean(typ) else np.zeros(n, dtype=bool)
    if kind == "date":
        if pa.types.is_date32(typ):
            return np.zeros(n, dtype=bool)
        if pa.types.is_timestamp(typ) and typ.tz is None:
            days = pc.cast(pc.cast(arr, pa.timestamp("s")), pa.int64()).to_numpy(
                zero_copy_only=False
            )
            midnight: NDArray[np.bool_] = np.nan_to_num(days) % 86_400 == 0
            return valid & ~midnight
        if pa.types.is_string(typ):
            return _bad(arr, ("str", _iso_day))
        return valid
    if kind == "struct":
        if not pa.types.is_struct(typ):
            return valid
        out = np.zeros(n, dtype=bool)
        children = dict(zip([typ.field(i).name for i in range(typ.num_fields)],
                            arr.flatten(), strict=True))  # fmt: skip
        for name, child in children.items():
            child_spec = spec[1].get(name)
            out |= _valid(child) if child_spec is None else _bad(child, child_spec)
        for name in spec[2]:  # required
            child = children.get(name)
            out |= valid & (np.ones(n, dtype=bool) if child is None else ~_valid(child))
        return out & valid
    # lists
    if not (pa.types.is_list(typ) or pa.types.is_large_list(typ)):
        return valid
    values = arr.flatten()
    item = spec[1]
    if kind == "skills" and (
        pa.types.is_string(values.type) or pa.types.is_large_string(values.type)
    ):
        item = item[1]["skill"]  # plain strings stand for claims with their defaults
    lengths: NDArray[np.int64] = (
        pc.list_value_length(arr).fill_null(0).to_numpy(zero_copy_only=False)
    )
    out = np.asarray(lengths > MAX_ITEMS, dtype=bool)
    bad_items = _bad(values, item) | ~_valid(values)
    if bad_items.any():
        parents: NDArray[np.int64] = pc.list_parent_indices(arr).to_numpy(zero_copy_only=False)
        out[np.unique(parents[bad_items])] = True
    return out & valid


def _iso_day(text: str) -> bool:
    if _ISO_DAY.fullmatch(text) is None:
        return False
    try:
        date.fromisoformat(text)
    except ValueError:
        return False
    return True


# -- the cross-field rules of the models (conservatively: such a row goes to the model) ----------


def _child(arr: pa.Array, *path: str) -> pa.Array:
    for name in path:
        typ = arr.type
        names = [typ.field(i).name for i in range(typ.num_fields)]
        if name not in names:
            return pa.nulls(len(arr))
        arr = arr.flatten()[names.index(name)]
    return arr


def _column(table: pa.Table, name: str) -> pa.Array:
    if name not in table.column_names:
        return pa.nulls(table.num_rows)
    column = table.column(name)
    # One chunk (a table read whole, or built from arrays) is used as it is: combining would copy.
    return column.chunk(0) if column.num_chunks == 1 else column.combine_chunks()


def _list_parts(arr: pa.Array) -> tuple[pa.Array, NDArray[np.int64]]:
    """The flat entries of a list column (null lists: none) and each row's end.

    A column that is not a list (a string where a list belongs) has no entries here: its rows go
    to the model (``_bad``), which names the field.
    """
    if not _is_list(arr.type):
        return pa.nulls(0), np.zeros(len(arr), dtype=np.int64)
    lengths = pc.list_value_length(arr).fill_null(0).to_numpy(zero_copy_only=False)
    return arr.flatten(), np.cumsum(lengths, dtype=np.int64)


def _is_text(typ: Any) -> bool:
    return bool(pa.types.is_string(typ) or pa.types.is_large_string(typ))


def _is_list(typ: Any) -> bool:
    return bool(pa.types.is_list(typ) or pa.types.is_large_list(typ))


def _rows_of(ends: NDArray[np.int64], mask: NDArray[np.bool_]) -> NDArray[np.int64]:
    return np.searchsorted(ends, np.flatnonzero(mask), side="right").astype(np.int64)


def _cross_field(table: pa.Table, vacancy: bool) -> NDArray[np.bool_]:
    n = table.num_rows
    out = np.zeros(n, dtype=bool)
    # Repeated languages in a record, and too many free-text skills.
    langs, ends = _list_parts(_column(table, "languages"))
    if len(langs) and pa.types.is_struct(langs.type):
        code = _child(langs, "language")
        # Codes that are not texts fail `_bad` (the model reads those rows): none repeat here.
        # Each code as a number (0: null), so that a record's repeated code is found in numpy.
        if _is_text(code.type):
            found = pc.dictionary_encode(code).indices
            number = pc.fill_null(pc.add(found, 1), 0).to_numpy(zero_copy_only=False)
        else:
            number = np.zeros(len(code), dtype=np.int64)
        owner = np.repeat(np.arange(n, dtype=np.int64), np.diff(np.concatenate([[0], ends])))
        key = owner * (int(number.max(initial=0)) + 1) + number.astype(np.int64)
        _, first, counts = np.unique(key, return_index=True, return_counts=True)
        out[owner[first[counts > 1]]] = True
    skills, ends = _list_parts(_column(table, "skills"))
    if len(skills):
        texts = skills if not pa.types.is_struct(skills.type) else _child(skills, "skill")
        if not _is_text(texts.type):
            texts = pa.nulls(len(skills), pa.string())  # not texts: the model reads those rows
        distinct = [t for t in pc.unique(texts).drop_null().to_pylist() if not is_concept_uri(t)]
        if distinct:
            free = np.asarray(
                pc.is_in(texts, value_set=pa.array(distinct, texts.type))
                .fill_null(False)
                .to_numpy(zero_copy_only=False),
                dtype=bool,
            )
            counts = np.bincount(_rows_of(ends, free), minlength=n)
            out |= counts > MAX_SKILL_MENTIONS
    for name in ("location",):
        loc = _column(table, name)
        if pa.types.is_struct(loc.type):
            present = _valid(loc)
            lat, lon, region = (_valid(_child(loc, k)) for k in ("lat", "lon", "region"))
            out |= present & ((lat != lon) | (~lat & ~region))
    if vacancy:
        return out
    known = _column(table, "known_none")
    if _is_list(known.type):
        out |= pc.list_value_length(known).fill_null(0).to_numpy(zero_copy_only=False) > 0
    exps, ends = _list_parts(_column(table, "experience"))
    if len(exps) and pa.types.is_struct(exps.type):
        occupation = _valid(_child(exps, "occupation"))
        title = _child(exps, "title")
        titled = _valid(title)
        if titled.any():
            titled &= np.asarray([isinstance(t, str) and bool(t.strip())
                                  for t in title.to_pylist()], dtype=bool)  # fmt: skip
        out[_rows_of(ends, ~occupation & ~titled)] = True
    auth = _column(table, "work_authorisation")
    if pa.types.is_struct(auth.type):
        first = _days(_child(auth, "work_allowed_from"), NO_DAY)
        last = _days(_child(auth, "work_allowed_until"), LAST_DAY)
        out |= last < first
    return out


def _days(arr: pa.Array, none: int) -> NDArray[np.int64]:
    """Ordinals of a date column (date32, timestamps at midnight or ISO strings); `none`: null."""
    typ = arr.type
    if pa.types.is_null(typ):
        return np.full(len(arr), none, dtype=np.int64)
    if pa.types.is_string(typ) or pa.types.is_large_string(typ):
        memo: dict[str | None, int] = {None: none}
        for text in pc.unique(arr).drop_null().to_pylist():
            memo[text] = date.fromisoformat(text).toordinal() if _iso_day(text) else none
        return np.fromiter(map(memo.__getitem__, arr.to_pylist()), np.int64, len(arr))
    if pa.types.is_timestamp(typ):
        arr = pc.cast(pc.cast(arr, pa.timestamp("s")), pa.date32())
    if not pa.types.is_date32(typ) and not pa.types.is_timestamp(typ):
        return np.full(len(arr), none, dtype=np.int64)
    days = pc.cast(arr, pa.int32()).fill_null(0).to_numpy(zero_copy_only=False)
    return np.where(_valid(arr), days.astype(np.int64) + _EPOCH, none)


# -- reading --------------------------------------------------------------------------------------


def _strings(arr: pa.Array, default: Any = None) -> list[Any]:
    if pa.types.is_null(arr.type):
        return [default] * len(arr)
    if default is not None:
        arr = arr.fill_null(default)
    return arr.to_pylist()  # type: ignore[no-any-return]


def _numbers(arr: pa.Array, default: float, dtype: type[np.generic]) -> NDArray[Any]:
    if pa.types.is_null(arr.type):
        return np.full(len(arr), default, dtype=dtype)
    x = arr.to_numpy(zero_copy_only=False).astype(np.float64)
    return np.where(_valid(arr), x, default).astype(dtype)


def _flags(arr: pa.Array) -> NDArray[np.bool_]:
    if pa.types.is_null(arr.type):
        return np.zeros(len(arr), dtype=bool)
    return np.asarray(arr.fill_null(False).to_numpy(zero_copy_only=False), dtype=bool)


def _location(table: pa.Table) -> tuple[NDArray[np.float64], NDArray[np.float64], list[Any]]:
    loc = _column(table, "location")
    if not pa.types.is_struct(loc.type):
        return np.full(table.num_rows, np.nan), np.full(table.num_rows, np.nan), [None] * len(loc)
    lat, lon = _child(loc, "lat"), _child(loc, "lon")
    both = _valid(lat) & _valid(lon)
    y = np.where(both, _numbers(lat, np.nan, np.float64), np.nan)
    x = np.where(both, _numbers(lon, np.nan, np.float64), np.nan)
    return y, x, _strings(_child(loc, "region"))


def _skill_entries(table: pa.Table) -> tuple[pa.Array, NDArray[np.int64], bool]:
    skills, ends = _list_parts(_column(table, "skills"))
    return skills, ends, pa.types.is_struct(skills.type)


def _fast_candidates(table: pa.Table, record: Callable[[int], Any]) -> CandidateColumns:
    n = table.num_rows
    skills, claim_end, structured = _skill_entries(table)
    texts = _child(skills, "skill") if structured else skills
    claims = skills if structured else pa.nulls(len(skills))
    langs, lang_end = _list_parts(_column(table, "languages"))
    keys = list(zip(_strings(_child(langs, "native"), False) if len(langs) else [],
                    *(_strings(_child(langs, k)) for k in ("level", *_ACTIVITIES)),
                    strict=True)) if len(langs) else []  # fmt: skip
    edus, edu_end = _list_parts(_column(table, "education"))
    exps, exp_end = _list_parts(_column(table, "experience"))
    prefs = _column(table, "preferences")
    pref_occ, pref_end = _list_parts(_child(prefs, "occupations") if pa.types.is_struct(
        prefs.type) else pa.nulls(n))  # fmt: skip
    auth = _column(table, "work_authorisation")
    lat, lon, region = _location(table)
    return CandidateColumns(
        id=_column(table, "id").to_pylist(), record=record, lat=lat, lon=lon,
        reach=_numbers(_column(table, "max_commute_km"), np.nan, np.float64), region=region,
        status=_strings(_child(auth, "status"), "unknown") if pa.types.is_struct(auth.type)
        else ["unknown"] * n,
        allowed_from=_days(_child(auth, "work_allowed_from"), NO_DAY)
        if pa.types.is_struct(auth.type) else np.full(n, NO_DAY, dtype=np.int64),
        allowed_until=_days(_child(auth, "work_allowed_until"), LAST_DAY)
        if pa.types.is_struct(auth.type) else np.full(n, LAST_DAY, dtype=np.int64),
        languages_recorded=np.diff(np.concatenate([[0], lang_end])) > 0,
        experience_recorded=np.diff(np.concatenate([[0], exp_end])) > 0,
        hours=_strings(_child(prefs, "hours"), "any") if pa.types.is_struct(prefs.type)
        else ["any"] * n,
        claim_end=claim_end, claim_skill=_strings(texts),
        claim_evidence=_strings(_child(claims, "evidence"), "self_declared")
        if structured else ["self_declared"] * len(skills),
        claim_level=_numbers(_child(claims, "level"), 0, np.int8) if structured
        else np.zeros(len(skills), dtype=np.int8),
        lang_end=lang_end, lang_code=_strings(_child(langs, "language")) if len(langs) else [],
        lang_cefr=cefr_rows(keys, native=True),
        edu_end=edu_end, edu_level=_numbers(_child(edus, "isced_level"), 0, np.int8)
        if len(edus) else np.zeros(0, dtype=np.int8),
        edu_recognition=_strings(_child(edus, "recognition"), "unknown") if len(edus) else [],
        exp_end=exp_end,
        exp_occupation=_strings(_child(exps, "occupation")) if len(exps) else [],
        exp_title=_strings(_child(exps, "title")) if len(exps) else [],
        exp_months=_numbers(_child(exps, "months"), -1.0, np.float64) if len(exps)
        else np.zeros(0),
        pref_end=pref_end, pref_occupation=_strings(pref_occ),
    )  # fmt: skip


def _fast_vacancies(table: pa.Table, record: Callable[[int], Any]) -> VacancyColumns:
    n = table.num_rows
    skills, slot_end, structured = _skill_entries(table)
    texts = _child(skills, "skill") if structured else skills
    reqs = skills if structured else pa.nulls(len(skills))
    langs, lang_end = _list_parts(_column(table, "languages"))
    keys = list(zip(*(_strings(_child(langs, k)) for k in ("level", *_ACTIVITIES)),
                    strict=True)) if len(langs) else []  # fmt: skip
    support = _column(table, "support")
    lat, lon, region = _location(table)
    return VacancyColumns(
        id=_column(table, "id").to_pylist(), record=record, lat=lat, lon=lon, region=region,
        remote=_flags(_column(table, "remote")),
        start=_days(_column(table, "start_date"), NO_DAY),
        openings=_numbers(_column(table, "openings"), 1, np.int64),
        min_isced=_numbers(_column(table, "min_isced"), -1, np.int64),
        min_months=_numbers(_column(table, "min_experience_months"), -1.0, np.float64),
        occupation=_strings(_column(table, "occupation")),
        title=_strings(_column(table, "title")),
        language_training=_flags(_child(support, "language_training"))
        if pa.types.is_struct(support.type) else np.zeros(n, dtype=bool),
        hours=_strings(_column(table, "hours"), "any"),
        slot_end=slot_end, slot_skill=_strings(texts),
        slot_weight=_numbers(_child(reqs, "weight"), 1.0, np.float64) if structured
        else np.ones(len(skills)),
        slot_importance=_strings(_child(reqs, "importance"), "essential") if structured
        else ["essential"] * len(skills),
        slot_min_level=_numbers(_child(reqs, "min_level"), 0, np.int8) if structured
        else np.zeros(len(skills), dtype=np.int8),
        lang_end=lang_end, lang_code=_strings(_child(langs, "language")) if len(langs) else [],
        lang_cefr=cefr_rows(keys, native=False),
        lang_importance=_strings(_child(langs, "importance"), "essential") if len(langs) else [],
    )  # fmt: skip


def without_nulls(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: without_nulls(v) for k, v in value.items() if v is not None}
    if isinstance(value, list):
        return [without_nulls(v) for v in value]
    if isinstance(value, datetime) and value == datetime(value.year, value.month, value.day):
        return value.date()
    return value


def slow_rows(table: pa.Table, kind: type[Any]) -> NDArray[np.bool_]:
    """Per row of `table` (the records' JSON shape): must the model read it (see the module)."""
    vacancy = kind is Vacancy
    spec = VACANCY_SPEC if vacancy else CANDIDATE_SPEC
    slow = np.zeros(table.num_rows, dtype=bool)
    for name in table.column_names:
        column = _column(table, name)
        rule = spec.get(name)
        slow |= _valid(column) if rule is None else _bad(column, rule)
    slow |= ~_valid(_column(table, "id")) | ~_valid(_column(table, "skills"))
    slow |= _cross_field(table, vacancy)
    return slow


def dict_table(rows: list[dict[str, Any]]) -> tuple[pa.Table, NDArray[np.bool_]]:
    """Model inputs (dicts in the records' JSON shape) as an Arrow table, one column per key.

    Every key of every row has its column (``pyarrow.Table.from_pylist`` would keep only the
    first row's keys); a key whose values pyarrow cannot hold as one type (a number in one row, a
    text in another) has none, and the rows holding it are marked in the mask returned: the
    model reads them.
    """
    n = len(rows)
    keys = dict.fromkeys(["id", *(key for row in rows for key in row)])
    arrays: dict[str, pa.Array] = {}
    unread = np.zeros(n, dtype=bool)
    for key in keys:
        values = [row.get(key) for row in rows]
        try:
            arrays[key] = pa.array(values)
        except (pa.ArrowException, TypeError, ValueError, OverflowError):
            unread |= np.fromiter((v is not None for v in values), dtype=bool, count=n)
    return pa.table(arrays), unread


def arrow_columns(
    table: pa.Table, kind: type[Any], label: Callable[[int, Any], str]
) -> CandidateColumns | VacancyColumns:
    """Columns of a table in the records' JSON shape, checked by the model's rules.

    Raises the model's error (:func:`record_error`) for the first row it rejects; ``label(i,
    id)`` names row ``i`` in it.
    """
    built: dict[int, Any] = {}

    def record(i: int) -> Any:
        found = built.get(i)
        if found is None:
            row = without_nulls(table.slice(i, 1).to_pylist()[0])
            try:
                found = built[i] = kind.model_validate(row)
            except ValidationError as exc:
                raise record_error(exc, label(i, row.get("id")), row) from None
        return found

    return checked_columns(table, kind, slow_rows(table, kind), record)


def checked_columns(
    table: pa.Table, kind: type[Any], slow: NDArray[np.bool_], record: Callable[[int], Any]
) -> CandidateColumns | VacancyColumns:
    """The columns of `table`: rows not `slow` read from Arrow, the others from ``record(i)``.

    ``record(i)`` builds row ``i``'s validated record (a row the model rejects raises there);
    the columns' ``record`` is it.
    """
    vacancy = kind is Vacancy
    n = table.num_rows
    ok = np.flatnonzero(~slow)
    rows = np.flatnonzero(slow)
    read = _fast_vacancies if vacancy else _fast_candidates
    try:
        fast = read(table.take(pa.array(ok)) if rows.size else table, record)
    except (TypeError, ValueError, pa.ArrowException):  # a column of another type: the model reads
        fast, ok, rows = read(table.slice(0, 0), record), ok[:0], np.arange(n)
    if not rows.size:
        return fast
    models = [record(i) for i in rows.tolist()]  # the first that fails raises its error
    other: Any = vacancy_columns(models) if vacancy else candidate_columns(models)
    order = np.empty(n, dtype=np.int64)
    order[ok] = np.arange(ok.size)
    order[rows] = np.arange(ok.size, n)
    columns = fast.concat(other).take(order)
    return dataclasses.replace(columns, record=record)
