"""Cohorts as columns: the fields matching reads, flat, one list or array per field.

A cohort of :class:`CandidateProfile` or :class:`Vacancy` records is read into columns once (one
pass over the records, :func:`candidate_columns`, :func:`vacancy_columns`), or read straight from
Arrow columns (``_arrow``) without building a record per row. Both give the same columns, which
the scoring engine encodes into arrays; rows are taken (:meth:`Columns.take`) and appended
(:meth:`Columns.concat`) as wholes, so a few rows can be replaced by the columns of their records
(language skills routed to the language channel, rows read through the model).

A column is a list (texts, ``None`` for absent) or a numpy array (numbers, with the sentinels
below). Row-level columns have one value per record; the entries of a list field (a record's
skills, languages, …) are held flat, with ``<group>_end``: the end of each record's entries.

Sentinels: a float column holds NaN for an absent number (``lat``, ``reach``) and -1 for absent
months; an int8 column 0 for an absent level; day columns hold ordinals, or ``NO_DAY`` /
``LAST_DAY`` (see below) for no restriction.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, fields, replace
from itertools import chain
from operator import attrgetter
from typing import Any, TypeVar

import numpy as np
from numpy.typing import NDArray

from ..errors import DuplicateIdError, ProfileError, UnknownConceptError
from ..taxonomy import Taxonomy
from ._cohorts import _verdict, validate_cohort
from ._fields import CEFR_LEVELS
from ._models import CandidateProfile, Vacancy

__all__ = ["CandidateColumns", "Columns", "VacancyColumns", "candidate_columns",
           "check_columns", "vacancy_columns"]  # fmt: skip

#: A day column's value for "no start restriction" and "no end" (int32 bounds, as the kernels').
NO_DAY = int(np.iinfo(np.int32).min)
LAST_DAY = int(np.iinfo(np.int32).max)
_ACTIVITIES = ("listening", "reading", "spoken_interaction", "writing")
CEFR_CODE: dict[str | None, int] = {None: 0} | {x: i + 1 for i, x in enumerate(CEFR_LEVELS)}

C = TypeVar("C", bound="Columns")


@dataclass(frozen=True, eq=False)
class Columns:
    """Columns of one cohort: a field ``<group>_…`` beside ``<group>_end`` holds list entries.

    ``record(i)`` builds the validated record of row ``i`` (for explanations and for rows whose
    language skills are routed); it is given by whoever built the columns.
    """

    id: list[str]
    record: Callable[[int], Any] = field(repr=False)

    def __len__(self) -> int:
        return len(self.id)

    def _groups(self) -> dict[str, list[str]]:
        names = [f.name for f in fields(self) if f.name != "record"]
        groups = {name[: -len("_end")] for name in names if name.endswith("_end")}
        out: dict[str, list[str]] = {"": []}
        for name in names:
            group = name.split("_", 1)[0]
            out.setdefault(group if group in groups else "", []).append(name)
        return out

    def ends(self, group: str) -> NDArray[np.int64]:
        """The end of each row's entries of list field `group`."""
        found: NDArray[np.int64] = getattr(self, f"{group}_end")
        return found

    def take(self: C, rows: NDArray[np.int64]) -> C:
        """The rows `rows` (indices, any order), as columns of their own."""
        rows = np.asarray(rows, dtype=np.int64)
        index = rows.tolist()
        values: dict[str, Any] = {}
        groups = self._groups()
        for name in groups[""]:
            values[name] = _gather(getattr(self, name), rows, index)
        for group, names in groups.items():
            if not group:
                continue
            ends = self.ends(group)
            starts = np.concatenate([[0], ends[:-1]]).astype(np.int64)
            counts = (ends - starts)[rows]
            new_ends = np.cumsum(counts, dtype=np.int64)
            entry = np.repeat(starts[rows] - (new_ends - counts), counts) + np.arange(
                int(new_ends[-1]) if len(new_ends) else 0, dtype=np.int64
            )
            values[f"{group}_end"] = new_ends
            entry_index = entry.tolist()
            for name in names:
                if name != f"{group}_end":
                    values[name] = _gather(getattr(self, name), entry, entry_index)
        record = self.record
        values["record"] = lambda i: record(index[i])
        return replace(self, **values)

    def concat(self: C, other: C) -> C:
        """These rows, then the rows of `other`."""
        values: dict[str, Any] = {}
        n = len(self)
        for group, names in self._groups().items():
            for name in names:
                a, b = getattr(self, name), getattr(other, name)
                if name == f"{group}_end":
                    last = int(a[-1]) if len(a) else 0
                    values[name] = np.concatenate([a, b + last]).astype(np.int64)
                elif isinstance(a, np.ndarray):
                    values[name] = np.concatenate([a, b]).astype(a.dtype, copy=False)
                else:
                    values[name] = a + b
        first, second = self.record, other.record
        values["record"] = lambda i: first(i) if i < n else second(i - n)
        return replace(self, **values)

    def replaced(self: C, rows: Sequence[int], other: C) -> C:
        """These columns with rows `rows` (increasing) replaced by the rows of `other`, in order.

        The entries of list fields are spliced: the runs between the replaced rows are sliced
        once each (the few rows routed through the language channel, say, in a large cohort),
        not gathered entry by entry.

        Examples
        --------
        >>> from labourint_match import CandidateProfile
        >>> cols = candidate_columns([CandidateProfile(id=f"c{i}", skills=["urn:a"] * i)
        ...                           for i in range(4)])
        >>> routed = [CandidateProfile(id="x", skills=[]),
        ...           CandidateProfile(id="y", skills=["urn:b"])]
        >>> new = cols.replaced([1, 3], candidate_columns(routed))
        >>> new.id, new.claim_end.tolist(), new.claim_skill
        (['c0', 'x', 'c2', 'y'], [0, 0, 2, 3], ['urn:a', 'urn:a', 'urn:b'])
        """
        at = [int(r) for r in rows]
        if not at:
            return self
        values: dict[str, Any] = {}
        for group, names in self._groups().items():
            if not group:
                for name in names:
                    a, b = getattr(self, name), getattr(other, name)
                    if isinstance(a, np.ndarray):
                        column = a.copy()
                        column[at] = np.asarray(b).astype(a.dtype, copy=False)
                    else:
                        column = list(a)
                        for j, r in enumerate(at):
                            column[r] = b[j]
                    values[name] = column
                continue
            end_a, end_b = self.ends(group), other.ends(group)
            start_a = np.concatenate([[0], end_a[:-1]]).astype(np.int64)
            start_b = np.concatenate([[0], end_b[:-1]]).astype(np.int64)
            counts = (end_a - start_a).astype(np.int64)
            counts[at] = end_b - start_b
            values[f"{group}_end"] = np.cumsum(counts, dtype=np.int64)
            # Entry runs: self's up to each replaced row, that row's entries from `other`, ...
            cuts = [(int(start_a[r]), int(end_a[r]), int(start_b[j]), int(end_b[j]))
                    for j, r in enumerate(at)]  # fmt: skip
            for name in names:
                if name == f"{group}_end":
                    continue
                a, b = getattr(self, name), getattr(other, name)
                pieces: list[Any] = []
                done = 0
                for lo_a, hi_a, lo_b, hi_b in cuts:
                    pieces.append(a[done:lo_a])
                    pieces.append(b[lo_b:hi_b])
                    done = hi_a
                pieces.append(a[done:])
                if isinstance(a, np.ndarray):
                    values[name] = np.concatenate(pieces).astype(a.dtype, copy=False)
                else:
                    values[name] = list(chain.from_iterable(pieces))
        position = {r: j for j, r in enumerate(at)}
        mine, theirs = self.record, other.record

        def record(i: int) -> Any:
            j = position.get(i)
            return mine(i) if j is None else theirs(j)

        values["record"] = record
        return replace(self, **values)


def _gather(column: Any, rows: NDArray[np.int64], index: list[int]) -> Any:
    if isinstance(column, np.ndarray):
        return column[rows]
    return list(map(column.__getitem__, index))


@dataclass(frozen=True, eq=False)
class CandidateColumns(Columns):
    """A candidate cohort's columns (see the module docstring)."""

    lat: NDArray[np.float64]
    lon: NDArray[np.float64]
    reach: NDArray[np.float64]  # max_commute_km; NaN: none
    region: list[str | None]
    status: list[str]
    allowed_from: NDArray[np.int64]
    allowed_until: NDArray[np.int64]
    languages_recorded: NDArray[np.bool_]
    experience_recorded: NDArray[np.bool_]
    hours: list[str]
    claim_end: NDArray[np.int64]
    claim_skill: list[str]
    claim_evidence: list[str]
    claim_level: NDArray[np.int8]
    lang_end: NDArray[np.int64]
    lang_code: list[str]
    lang_cefr: NDArray[np.int8]  # [entries, 4]: 0 unknown, 1..6 = A1..C2
    edu_end: NDArray[np.int64]
    edu_level: NDArray[np.int8]
    edu_recognition: list[str]
    exp_end: NDArray[np.int64]
    exp_occupation: list[str | None]
    exp_title: list[str | None]
    exp_months: NDArray[np.float64]  # -1: unknown
    pref_end: NDArray[np.int64]
    pref_occupation: list[str]


@dataclass(frozen=True, eq=False)
class VacancyColumns(Columns):
    """A vacancy cohort's columns (see the module docstring)."""

    lat: NDArray[np.float64]
    lon: NDArray[np.float64]
    region: list[str | None]
    remote: NDArray[np.bool_]
    start: NDArray[np.int64]  # NO_DAY: at once
    openings: NDArray[np.int64]
    min_isced: NDArray[np.int64]  # -1: none
    min_months: NDArray[np.float64]  # -1: none
    occupation: list[str | None]
    title: list[str | None]
    language_training: NDArray[np.bool_]
    hours: list[str]
    slot_end: NDArray[np.int64]
    slot_skill: list[str]
    slot_weight: NDArray[np.float64]
    slot_importance: list[str]
    slot_min_level: NDArray[np.int8]
    lang_end: NDArray[np.int64]
    lang_code: list[str]
    lang_cefr: NDArray[np.int8]  # [entries, 4]: 0 not required
    lang_importance: list[str]


# -- from records ---------------------------------------------------------------------------------

_SKILL = attrgetter("skill")
_EVIDENCE = attrgetter("evidence")
_LEVEL = attrgetter("level")
_WEIGHT = attrgetter("weight")
_IMPORTANCE = attrgetter("importance")
_MIN_LEVEL = attrgetter("min_level")
_NATIVE_ROW = (CEFR_CODE["C2"],) * len(_ACTIVITIES)
_SKILL_CEFR = attrgetter("native", "level", *_ACTIVITIES)
_REQUIREMENT_CEFR = attrgetter("level", *_ACTIVITIES)


def cefr_rows(keys: list[tuple[Any, ...]], *, native: bool) -> NDArray[np.int8]:
    """CEFR codes of the four activities, ``[len(keys), 4]`` int8, each distinct key once.

    `keys` are ``(native, level, *activities)`` (a native language's row is C2) or, with
    ``native=False``, ``(level, *activities)``: an activity's own level, else the overall level.
    """
    number: dict[tuple[Any, ...], int] = {}
    table: list[tuple[int, ...]] = []
    for key in dict.fromkeys(keys):
        if native and key[0]:
            row = _NATIVE_ROW
        else:
            overall, *own = key[1:] if native else key
            row = tuple(CEFR_CODE[overall if level is None else level] for level in own)
        number[key] = len(table)
        table.append(row)
    rows = np.fromiter(map(number.__getitem__, keys), dtype=np.intp, count=len(keys))
    return np.asarray(table, dtype=np.int8).reshape(-1, len(_ACTIVITIES))[rows]


def _ends(values: list[int]) -> NDArray[np.int64]:
    return np.asarray(values, dtype=np.int64).reshape(-1)


def _level_codes(levels: list[int | None]) -> NDArray[np.int8]:
    return np.fromiter((v or 0 for v in levels), dtype=np.int8, count=len(levels))


def _ordinal(day: Any, none: int) -> int:
    return none if day is None else int(day.toordinal())


def candidate_columns(records: Sequence[CandidateProfile]) -> CandidateColumns:
    """The columns of validated candidate profiles, read in one pass."""
    n = len(records)
    ids: list[str] = []
    texts: list[str] = []
    evidences: list[str] = []
    levels: list[int | None] = []
    claim_end: list[int] = []
    lang_code: list[str] = []
    lang_keys: list[tuple[Any, ...]] = []
    lang_end: list[int] = []
    edu_level: list[int] = []
    edu_rec: list[str] = []
    edu_end: list[int] = []
    exp_occ: list[str | None] = []
    exp_title: list[str | None] = []
    exp_months: list[float] = []
    exp_end: list[int] = []
    pref: list[str] = []
    pref_end: list[int] = []
    lat: list[float] = []
    lon: list[float] = []
    reach: list[float] = []
    region: list[str | None] = []
    status: list[str] = []
    a_from: list[int] = []
    a_until: list[int] = []
    lang_rec: list[bool] = []
    exp_rec: list[bool] = []
    hours: list[str] = []
    nan = float("nan")
    for cand in records:
        ids.append(cand.id)
        claims = cand.skills
        texts.extend(map(_SKILL, claims))
        evidences.extend(map(_EVIDENCE, claims))
        levels.extend(map(_LEVEL, claims))
        claim_end.append(len(texts))
        langs = cand.languages
        if langs:
            for lang in langs:
                lang_code.append(lang.language)
                lang_keys.append(_SKILL_CEFR(lang))
        lang_end.append(len(lang_code))
        known_none = cand.known_none
        for edu in cand.education:
            edu_level.append(edu.isced_level)
            edu_rec.append(edu.recognition)
        if "education" in known_none:
            # Known: no formal education, scored as a recognised ISCED 0 (as the reference).
            edu_level.append(0)
            edu_rec.append("recognised")
        edu_end.append(len(edu_level))
        exps = cand.experience
        for exp in exps:
            exp_occ.append(exp.occupation)
            exp_title.append(exp.title)
            months = exp.months
            exp_months.append(-1.0 if months is None else float(months))
        exp_end.append(len(exp_occ))
        prefs = cand.preferences
        pref.extend(prefs.occupations)
        pref_end.append(len(pref))
        hours.append(prefs.hours)
        loc = cand.location
        if loc is None:
            lat.append(nan)
            lon.append(nan)
            region.append(None)
        else:
            y, x = loc.lat, loc.lon
            if y is None or x is None:
                lat.append(nan)
                lon.append(nan)
            else:
                lat.append(y)
                lon.append(x)
            region.append(loc.region)
        r = cand.max_commute_km
        reach.append(nan if r is None else r)
        auth = cand.work_authorisation
        status.append(auth.status)
        a_from.append(_ordinal(auth.work_allowed_from, NO_DAY))
        a_until.append(_ordinal(auth.work_allowed_until, LAST_DAY))
        lang_rec.append(bool(langs) or "languages" in known_none)
        exp_rec.append(bool(exps) or "experience" in known_none)
    return CandidateColumns(
        id=ids, record=records.__getitem__,
        lat=np.asarray(lat, dtype=np.float64), lon=np.asarray(lon, dtype=np.float64),
        reach=np.asarray(reach, dtype=np.float64), region=region, status=status,
        allowed_from=np.asarray(a_from, dtype=np.int64).reshape(n),
        allowed_until=np.asarray(a_until, dtype=np.int64).reshape(n),
        languages_recorded=np.asarray(lang_rec, dtype=bool).reshape(n),
        experience_recorded=np.asarray(exp_rec, dtype=bool).reshape(n), hours=hours,
        claim_end=_ends(claim_end), claim_skill=texts, claim_evidence=evidences,
        claim_level=_level_codes(levels),
        lang_end=_ends(lang_end), lang_code=lang_code, lang_cefr=cefr_rows(lang_keys, native=True),
        edu_end=_ends(edu_end), edu_level=np.asarray(edu_level, dtype=np.int8).reshape(-1),
        edu_recognition=edu_rec,
        exp_end=_ends(exp_end), exp_occupation=exp_occ, exp_title=exp_title,
        exp_months=np.asarray(exp_months, dtype=np.float64).reshape(-1),
        pref_end=_ends(pref_end), pref_occupation=pref,
    )  # fmt: skip


def vacancy_columns(records: Sequence[Vacancy]) -> VacancyColumns:
    """The columns of validated vacancies, read in one pass."""
    n = len(records)
    ids: list[str] = []
    texts: list[str] = []
    weights: list[float] = []
    importances: list[str] = []
    min_levels: list[int | None] = []
    slot_end: list[int] = []
    lang_code: list[str] = []
    lang_keys: list[tuple[Any, ...]] = []
    lang_imp: list[str] = []
    lang_end: list[int] = []
    lat: list[float] = []
    lon: list[float] = []
    region: list[str | None] = []
    start: list[int] = []
    isced: list[int] = []
    months: list[float] = []
    nan = float("nan")
    for vac in records:
        ids.append(vac.id)
        reqs = vac.skills
        texts.extend(map(_SKILL, reqs))
        weights.extend(map(_WEIGHT, reqs))
        importances.extend(map(_IMPORTANCE, reqs))
        min_levels.extend(map(_MIN_LEVEL, reqs))
        slot_end.append(len(texts))
        for lreq in vac.languages:
            lang_code.append(lreq.language)
            lang_keys.append(_REQUIREMENT_CEFR(lreq))
            lang_imp.append(lreq.importance)
        lang_end.append(len(lang_code))
        loc = vac.location
        if loc is None:
            lat.append(nan)
            lon.append(nan)
            region.append(None)
        else:
            y, x = loc.lat, loc.lon
            if y is None or x is None:
                lat.append(nan)
                lon.append(nan)
            else:
                lat.append(y)
                lon.append(x)
            region.append(loc.region)
        start.append(_ordinal(vac.start_date, NO_DAY))
        i, m = vac.min_isced, vac.min_experience_months
        isced.append(-1 if i is None else i)
        months.append(-1.0 if m is None else float(m))
    return VacancyColumns(
        id=ids, record=records.__getitem__,
        lat=np.asarray(lat, dtype=np.float64), lon=np.asarray(lon, dtype=np.float64),
        region=region, remote=np.fromiter(map(attrgetter("remote"), records), bool, n),
        start=np.asarray(start, dtype=np.int64).reshape(n),
        openings=np.fromiter(map(attrgetter("openings"), records), np.int64, n),
        min_isced=np.asarray(isced, dtype=np.int64).reshape(n),
        min_months=np.asarray(months, dtype=np.float64).reshape(n),
        occupation=list(map(attrgetter("occupation"), records)),
        title=list(map(attrgetter("title"), records)),
        language_training=np.fromiter(
            map(attrgetter("support.language_training"), records), bool, n
        ),
        hours=list(map(attrgetter("hours"), records)),
        slot_end=_ends(slot_end), slot_skill=texts,
        slot_weight=np.asarray(weights, dtype=np.float64).reshape(-1),
        slot_importance=importances, slot_min_level=_level_codes(min_levels),
        lang_end=_ends(lang_end), lang_code=lang_code,
        lang_cefr=cefr_rows(lang_keys, native=False), lang_importance=lang_imp,
    )  # fmt: skip


# -- cohort checks --------------------------------------------------------------------------------


def check_columns(
    columns: Columns, taxonomy: Taxonomy, label: Callable[[int], str], where: Callable[[int], str]
) -> None:
    """Unique ids and known concepts of the right kind, as :func:`validate_cohort` (strict).

    The usual case (nothing to report) is checked over whole columns, each distinct text once; a
    problem is raised as :func:`validate_cohort` raises it, the record named by ``label(i)`` and
    an earlier record by ``where(i)``.
    """
    ids = columns.id
    keys = ids if all(map(str.isascii, ids)) else [unicodedata.normalize("NFC", i) for i in ids]
    first_bad = len(ids)
    duplicate: tuple[int, int] | None = None
    if len(set(keys)) != len(keys):
        seen: dict[str, int] = {}
        for i, key in enumerate(keys):
            j = seen.setdefault(key, i)
            if j != i:
                first_bad, duplicate = i, (j, i)
                break
    has_occupations = taxonomy.counts()["occupation"] > 0
    if isinstance(columns, CandidateColumns):
        skills, skill_end = columns.claim_skill, columns.claim_end
        occupations: list[tuple[list[Any], NDArray[np.int64]]] = [
            (columns.exp_occupation, columns.exp_end),
            (columns.pref_occupation, columns.pref_end),
        ]
    else:
        assert isinstance(columns, VacancyColumns)
        skills, skill_end = columns.slot_skill, columns.slot_end
        occupations = [(columns.occupation, np.arange(1, len(ids) + 1, dtype=np.int64))]
    fields_to_check: list[tuple[list[Any], NDArray[np.int64], bool]] = [
        (skills, skill_end, False),
        *((t, e, True) for t, e in occupations),
    ]
    for texts, ends, is_occupation in fields_to_check:
        distinct: set[str] = set(texts)
        distinct.discard(None)  # type: ignore[arg-type,unused-ignore]
        bad = {
            t for t in distinct if _verdict(taxonomy, t, is_occupation, has_occupations) is not None
        }
        if bad:
            at = next(k for k, t in enumerate(texts) if t in bad)
            first_bad = min(first_bad, int(np.searchsorted(ends, at, side="right")))
    if first_bad == len(ids):
        return
    if duplicate is not None and duplicate[1] == first_bad:
        j, i = duplicate
        note = "" if ids[j] == ids[i] else " (equal after Unicode normalisation)"
        raise DuplicateIdError(
            f"this id is also used by the record at {where(j)}{note}; ids must be unique "
            "within a cohort",
            record=label(i),
            field="id",
        )
    try:
        validate_cohort([columns.record(first_bad)], taxonomy=taxonomy)
    except UnknownConceptError as err:
        raise UnknownConceptError(
            err.uri, record=label(first_bad), field=err.field, shown=err.shown
        ) from None
    except ProfileError as err:
        raise type(err)(err.message, record=label(first_bad), field=err.field) from None
    raise AssertionError(
        "a row failed the column check but not validate_cohort"
    )  # pragma: no cover
