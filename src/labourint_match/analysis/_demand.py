"""Demand against supply: the skills vacancies ask for most, and how many candidates hold them.

:func:`demand_supply` sets the skills vacancies ask for against the skills the cohort holds,
overall, per occupation group or per region.
"""

from __future__ import annotations

import functools
from collections import deque
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any, Literal

from .._gc import gc_paused
from .._progress import check_progress, progress_bar
from ..errors import ConfigError
from ..profiles import CandidateProfile, Vacancy, checked_records, is_concept_uri, validate_cohort
from ..taxonomy import ConceptKind, Taxonomy
from ._common import UNKNOWN_GROUP, _check_as_frame, _matcher_type, _table

if TYPE_CHECKING:
    from ..matcher import Matcher

__all__ = ["DEMAND_SUPPLY_COLUMNS", "demand_supply"]

#: Columns of :func:`demand_supply` (``group`` and ``group_label`` only with ``by``), in order.
DEMAND_SUPPLY_COLUMNS: tuple[str, ...] = (
    "group",
    "group_label",
    "skill",
    "label",
    "resolved",
    "vacancies",
    "vacancies_essential",
    "openings",
    "openings_essential",
    "candidates",
    "candidates_or_narrower",
    "candidates_per_opening",
)

SkillKey = tuple[str, bool]  # a concept URI (True), or free text that does not resolve (False)
_TICK = 4096  # records between two progress updates


def _descendants(taxonomy: Taxonomy, uri: str) -> set[str]:
    out: set[str] = set()
    queue = deque([uri])
    while queue:
        for child in taxonomy.narrower(queue.popleft()):
            if child not in out:
                out.add(child)
                queue.append(child)
    return out


def _occupation_group(
    taxonomy: Taxonomy, occupation: str | None, level: int, lang: str
) -> tuple[str, str]:
    """The ISCO group of `occupation` at `level` digits, as (code or URI, label)."""
    if occupation is None or occupation not in taxonomy:
        return UNKNOWN_GROUP, UNKNOWN_GROUP
    groups = [
        a
        for a in taxonomy.ancestors(occupation)
        if taxonomy.kind(a) == ConceptKind.OCCUPATION_GROUP
    ]
    if not groups:
        return UNKNOWN_GROUP, UNKNOWN_GROUP
    for a in groups:
        code = taxonomy.concept(a).code
        if code is not None and code.isdigit() and len(code) == level:
            return code, taxonomy.label(a, lang)
    top = groups[-1]
    return taxonomy.concept(top).code or top, taxonomy.label(top, lang)


def demand_supply(
    candidates: Iterable[CandidateProfile],
    vacancies: Iterable[Vacancy],
    taxonomy: Taxonomy | Matcher,
    *,
    by: Literal["occupation_group", "region"] | None = None,
    isco_level: int = 1,
    lang: str = "en",
    as_frame: bool | None = None,
    progress: bool | None = None,
) -> Any:
    """The skills vacancies ask for most, set against how many candidates hold them.

    Demand counts vacancies and their openings per skill concept (a vacancy listing a skill
    twice counts once, as essential if either entry is). Supply counts candidates who claim the
    skill exactly (any evidence), and those who claim it or a narrower skill (a more specific one,
    at any depth below it). Free-text skills are resolved as a :class:`~labourint_match.Matcher`
    resolves them (pass a Matcher to use its resolver and threshold); free text that does not
    resolve is kept as its own row (``resolved`` False), compared by exact text.

    Parameters
    ----------
    candidates, vacancies
        The cohorts (validated against the taxonomy; neither is changed).
    taxonomy
        The taxonomy the profiles refer to, or a Matcher (its taxonomy and resolver are used).
    by
        ``None``: one table for the whole cohort. ``"occupation_group"``: demand per ISCO group of
        the vacancy's occupation (at `isco_level`), against the whole cohort's supply.
        ``"region"``: demand per vacancy region code against the supply of the candidates of that
        region (``location.region``). Vacancies and candidates with no occupation group or region
        form the group ``"unknown"``.
    isco_level
        Digits of the ISCO code of the occupation groups: 1 (major group) to 4 (unit group). An
        occupation with no group of that level goes to its most general group.
    lang
        Language of labels.
    as_frame
        As in :func:`training_needs`.
    progress
        A progress bar on standard error (counting records, candidates then vacancies; see
        :mod:`labourint_match._progress`): ``None`` in notebooks only, ``True`` always, ``False``
        never. It shows counts only, never ids or skills.

    Returns
    -------
    pandas.DataFrame or list of dict
        One row per demanded skill (per group), with the columns of
        :data:`DEMAND_SUPPLY_COLUMNS` (``group`` and ``group_label`` only with `by`):
        ``skill`` (URI, or the free text), ``label``, ``resolved``, ``vacancies``,
        ``vacancies_essential``, ``openings``, ``openings_essential``, ``candidates``,
        ``candidates_or_narrower``, and ``candidates_per_opening`` (``candidates / openings``;
        ``None`` when there are no openings). Groups in code order (``unknown`` last); within a
        group, most essential openings first, then openings, vacancies and label.

    Raises
    ------
    ConfigError
        `taxonomy` is neither a Taxonomy nor a Matcher; `by`, `isco_level`, `as_frame` or
        `progress` invalid.
    ProfileError
        An invalid record (also `DuplicateIdError`, `UnknownConceptError`); an empty cohort
        gives a table with no rows.

    Examples
    --------
    >>> from labourint_match import CandidateProfile, Taxonomy, Vacancy
    >>> taxonomy = Taxonomy.default()
    >>> cook = "http://data.europa.eu/esco/occupation/90f75f67-495d-49fa-ab57-2f320e251d7e"
    >>> skills = [r.skill for r in taxonomy.occupation_skills(cook)][:2]
    >>> jobs = [Vacancy(id="v1", occupation=cook, skills=skills, openings=3)]
    >>> people = [CandidateProfile(id="c1", skills=skills[:1])]
    >>> rows = demand_supply(people, jobs, taxonomy, by="occupation_group", as_frame=False)
    >>> [(r["group"], r["openings"], r["candidates"]) for r in rows]
    [('5', 3, 1), ('5', 3, 0)]
    """
    matcher_type = _matcher_type()
    if isinstance(taxonomy, matcher_type):
        matcher: Matcher | None = taxonomy
        tax = taxonomy.taxonomy
    elif isinstance(taxonomy, Taxonomy):
        matcher, tax = None, taxonomy
    else:
        raise ConfigError(
            f"taxonomy must be a Taxonomy or a Matcher, not {type(taxonomy).__name__}"
        )
    if by not in (None, "occupation_group", "region"):
        raise ConfigError(f"by must be None, 'occupation_group' or 'region', not {by!r}")
    if (
        isinstance(isco_level, bool)
        or not isinstance(isco_level, int)
        or not (1 <= isco_level <= 4)
    ):
        raise ConfigError(f"isco_level must be an int from 1 to 4, not {isco_level!r}")
    _check_as_frame(as_frame)
    check_progress(progress)
    with gc_paused():
        cands = validate_cohort(
            checked_records(candidates, CandidateProfile, "candidates"), taxonomy=tax
        )
        vacs = validate_cohort(checked_records(vacancies, Vacancy, "vacancies"), taxonomy=tax)

    @functools.cache  # once per distinct text: a cohort repeats its skills many times over
    def concept(text: str) -> SkillKey:
        if is_concept_uri(text):
            return text, True
        nonlocal matcher
        if matcher is None:
            matcher = matcher_type(tax)
        found = matcher.resolve(text)
        return (text, False) if found is None else (found, True)

    @functools.cache
    def occupation_group(occupation: str | None) -> tuple[str, str]:
        return _occupation_group(tax, occupation, isco_level, lang)

    def region(loc: Any) -> str:
        return loc.region if loc is not None and loc.region else UNKNOWN_GROUP

    holders: dict[SkillKey, set[int]] = {}
    members: dict[str, set[int]] = {}
    labels: dict[str, str] = {}
    demand: dict[tuple[str, SkillKey], list[int]] = {}
    total = len(cands) + len(vacs)
    # Millions of small sets and tuples: the cyclic collector would walk the cohort again and again.
    with gc_paused(), progress_bar(total, "demand and supply", progress, unit="records") as bar:
        for i, cand in enumerate(cands):
            for claim in cand.skills:
                holders.setdefault(concept(claim.skill), set()).add(i)
            if by == "region":
                members.setdefault(region(cand.location), set()).add(i)
            if i % _TICK == _TICK - 1:
                bar.update(_TICK)
        bar.update(len(cands) % _TICK)
        for j, v in enumerate(vacs):
            if by == "occupation_group":
                group, labels[group] = occupation_group(v.occupation)
            elif by == "region":
                group = labels[group] = region(v.location)
            else:
                group = ""
            asked: dict[SkillKey, bool] = {}
            for r in v.skills:
                key = concept(r.skill)
                asked[key] = asked.get(key, False) or r.importance == "essential"
            for key, essential in asked.items():
                tally = demand.setdefault((group, key), [0, 0, 0, 0])
                tally[0] += 1
                tally[1] += int(essential)
                tally[2] += v.openings
                tally[3] += v.openings if essential else 0
            if j % _TICK == _TICK - 1:
                bar.update(_TICK)
        bar.update(len(vacs) % _TICK)

    or_narrower: dict[SkillKey, set[int]] = {}
    rows: list[dict[str, Any]] = []
    for (group, key), (n_vac, n_ess, openings, openings_ess) in demand.items():
        if key not in or_narrower:
            found = set(holders.get(key, ()))
            if key[1] and key[0] in tax:
                for d in _descendants(tax, key[0]):
                    found.update(holders.get((d, True), ()))
            or_narrower[key] = found
        exact_set, wide_set = holders.get(key, set()), or_narrower[key]
        if by == "region":
            pool = members.get(group, set())
            exact, wider = len(exact_set & pool), len(wide_set & pool)
        else:
            exact, wider = len(exact_set), len(wide_set)
        uri, is_resolved = key
        row: dict[str, Any] = {}
        if by is not None:
            row["group"] = group
            row["group_label"] = labels[group]
        row.update(
            {
                "skill": uri,
                "label": tax.label(uri, lang) if is_resolved and uri in tax else uri,
                "resolved": is_resolved,
                "vacancies": n_vac,
                "vacancies_essential": n_ess,
                "openings": openings,
                "openings_essential": openings_ess,
                "candidates": exact,
                "candidates_or_narrower": wider,
                "candidates_per_opening": exact / openings if openings else None,
            }
        )
        rows.append(row)
    rows.sort(
        key=lambda r: (
            r.get("group", "") == UNKNOWN_GROUP,
            r.get("group", ""),
            -r["openings_essential"],
            -r["openings"],
            -r["vacancies"],
            r["label"],
            r["skill"],
        )
    )
    columns = DEMAND_SUPPLY_COLUMNS if by is not None else DEMAND_SUPPLY_COLUMNS[2:]
    return _table(rows, columns, as_frame)
