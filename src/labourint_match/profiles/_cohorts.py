"""Cohorts: unique ids and known concepts of the right kind, checked over a whole cohort.

:func:`validate_cohort` checks a cohort built in Python and returns a :class:`Cohort`; the JSON
readers run the same checks (``_check_cohort``).
"""

from __future__ import annotations

import unicodedata
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from functools import partial
from itertools import chain
from operator import attrgetter
from typing import NamedTuple, TypeVar, overload

from pydantic import BaseModel

from ..errors import ConfigError, DuplicateIdError, ProfileError, UnknownConceptError
from ..taxonomy import ConceptKind, Taxonomy
from ._fields import is_concept_uri
from ._models import CandidateProfile, SkillClaim, SkillRequirement, Vacancy

__all__ = [
    "Cohort",
    "UnknownConcept",
    "checked_records",
    "validate_cohort",
]

# -- cohorts --------------------------------------------------------------------------------------

RecordT = TypeVar("RecordT", CandidateProfile, Vacancy)


class UnknownConcept(NamedTuple):
    """A concept URI of a record that the taxonomy does not hold (reported in lenient mode)."""

    record: str
    """The record's id."""
    field: str
    """The field, dotted (``skills.2.skill``)."""
    uri: str
    """The URI."""


@dataclass(frozen=True, repr=False)
class Cohort(Sequence[RecordT]):
    """A validated cohort of candidates or vacancies: a read-only sequence of records.

    Returned by :func:`validate_cohort`, :func:`load_candidates` and :func:`load_vacancies`. It
    behaves as a tuple of its records; ``unknown_concepts`` reports the concept URIs the taxonomy
    does not hold when the cohort was validated in lenient mode.

    Examples
    --------
    >>> cohort = validate_cohort([CandidateProfile(id="a", skills=["cooking"])])
    >>> len(cohort), cohort.ids, cohort[0].id, cohort.unknown_concepts
    (1, ('a',), 'a', ())
    """

    records: tuple[RecordT, ...]
    unknown_concepts: tuple[UnknownConcept, ...] = ()
    source: str | None = None

    def __len__(self) -> int:
        return len(self.records)

    def __iter__(self) -> Iterator[RecordT]:
        return iter(self.records)

    @overload
    def __getitem__(self, index: int) -> RecordT: ...

    @overload
    def __getitem__(self, index: slice) -> tuple[RecordT, ...]: ...

    def __getitem__(self, index: int | slice) -> RecordT | tuple[RecordT, ...]:
        return self.records[index]

    @property
    def ids(self) -> tuple[str, ...]:
        """The records' ids, in order."""
        return tuple(r.id for r in self.records)

    def __repr__(self) -> str:
        kind = type(self.records[0]).__name__ if self.records else "empty"
        n_unknown = len(self.unknown_concepts)
        unknown = f", {n_unknown} unknown concepts" if n_unknown else ""
        source = f" from {self.source!r}" if self.source else ""
        return f"<Cohort: {len(self.records)} records ({kind}){source}{unknown}>"


_SKILL_KINDS = frozenset({ConceptKind.SKILL, ConceptKind.SKILL_GROUP, ConceptKind.OTHER})
_OCCUPATION_KINDS = frozenset(
    {ConceptKind.OCCUPATION, ConceptKind.OCCUPATION_GROUP, ConceptKind.OTHER}
)


def _concept_refs(record: CandidateProfile | Vacancy) -> Iterator[tuple[str, int, str, bool]]:
    """Every concept reference of a record: ``(field, index, text, is an occupation field)``.

    Skills may be free text (resolved later); the caller tells them apart. The dotted field path
    is built only when a message needs it (see :func:`_field_path_of`).
    """
    if isinstance(record, Vacancy) and record.occupation is not None:
        yield "occupation", -1, record.occupation, True
    skills: tuple[SkillClaim | SkillRequirement, ...] = record.skills
    for i, item in enumerate(skills):
        yield "skills", i, item.skill, False
    if isinstance(record, CandidateProfile):
        for i, exp in enumerate(record.experience):
            if exp.occupation is not None:
                yield "experience", i, exp.occupation, True
        for i, uri in enumerate(record.preferences.occupations):
            yield "preferences.occupations", i, uri, True


def _field_path_of(field: str, index: int) -> str:
    if index < 0:
        return field
    if field == "skills":
        return f"skills.{index}.skill"
    if field == "experience":
        return f"experience.{index}.occupation"
    return f"{field}.{index}"


def _verdict(
    taxonomy: Taxonomy, text: str, is_occupation: bool, has_occupations: bool
) -> str | None:
    """None when `text` is fine here; "unknown" for an unknown URI; else the kind problem."""
    if not is_occupation and not is_concept_uri(text):
        return None  # free text, resolved later
    if text not in taxonomy:
        return "unknown"
    kind = taxonomy.kind(text)
    if is_occupation and has_occupations and kind not in _OCCUPATION_KINDS:
        expected = "an occupation"
    elif not is_occupation and kind not in _SKILL_KINDS:
        expected = "a skill"
    else:
        return None
    return f"names a concept of kind {kind.value!r} where {expected} is expected"


def _namespace(uri: str) -> str:
    """The part of a URI before its last ``/`` (after ``://``), or before its last ``:``."""
    scheme, sep, rest = uri.partition("://")
    if sep:
        return scheme + sep + rest.rsplit("/", 1)[0] if "/" in rest else uri
    return uri.rsplit(":", 1)[0]


def shown_uri(uri: str, taxonomy: Taxonomy) -> str:
    """`uri` as an error message may show it: whole within the taxonomy's namespaces.

    An unknown URI in a namespace the taxonomy's concepts use (a mistyped ESCO URI) is shown
    whole, to be found and fixed; any other (a link or an address pasted into a skills cell) by
    its scheme only, since it may carry personal data. Called only when an error is raised.

    Examples
    --------
    >>> from labourint_match import Taxonomy
    >>> t = Taxonomy.default()
    >>> shown_uri("http://data.europa.eu/esco/skill/no-such-skill", t)
    'http://data.europa.eu/esco/skill/no-such-skill'
    >>> shown_uri("https://example.org/cv/anna-svensson", t)
    'https://…'
    >>> shown_uri("mailto:anna@example.org", t)
    'mailto:…'
    """
    if _namespace(uri) in {_namespace(u) for u in taxonomy.uris}:
        return uri
    scheme, sep, _ = uri.partition("://")
    return f"{scheme}://…" if sep else uri.split(":", 1)[0] + ":…"


def _check_cohort(
    records: Sequence[RecordT],
    names: Callable[[int], str],
    positions: Callable[[int], str],
    *,
    taxonomy: Taxonomy | None,
    lenient: bool,
    source: str | None,
) -> Cohort[RecordT]:
    # Unique ids and, with a taxonomy, known concepts of the right kind. `names(i)` labels record i
    # in messages; `positions(i)` says where it is ("line 3 of x.jsonl", "item 0"). A cohort that
    # passes (the usual case) is checked field by field over the whole cohort, each distinct text
    # once; one that does not is checked record by record, for the first problem or the report.
    if _passes(records, taxonomy):
        return Cohort(tuple(records), (), source)
    seen: dict[str, int] = {}
    unknown: list[UnknownConcept] = []
    has_occupations = taxonomy is not None and taxonomy.counts()["occupation"] > 0
    memo: dict[tuple[str, bool], str | None] = {}
    # The same verdicts by text, one table per field kind, for the fast pass over a record.
    fine: tuple[set[str], set[str]] = (set(), set())
    for i, record in enumerate(records):
        key = unicodedata.normalize("NFC", record.id)
        first = seen.setdefault(key, i)
        if first != i:
            note = "" if records[first].id == record.id else " (equal after Unicode normalisation)"
            raise DuplicateIdError(
                f"this id is also used by the record at {positions(first)}{note}; "
                "ids must be unique within a cohort",
                record=names(i),
                field="id",
            )
        if taxonomy is None:
            continue
        if _all_fine(record, fine, taxonomy, has_occupations):
            continue
        for field, index, text, is_occupation in _concept_refs(record):
            mkey = (text, is_occupation)
            if mkey not in memo:
                memo[mkey] = _verdict(taxonomy, text, is_occupation, has_occupations)
            problem = memo[mkey]
            if problem is None:
                continue
            path = _field_path_of(field, index)
            if problem == "unknown":
                if not lenient:
                    raise UnknownConceptError(
                        text, record=names(i), field=path, shown=shown_uri(text, taxonomy)
                    )
                unknown.append(UnknownConcept(record.id, path, text))
                continue
            raise ProfileError(problem, record=names(i), field=path)
    return Cohort(tuple(records), tuple(unknown), source)


_ID = attrgetter("id")
_SKILLS = attrgetter("skills")
_SKILL = attrgetter("skill")
_OCCUPATION = attrgetter("occupation")


def _passes(records: Sequence[CandidateProfile | Vacancy], taxonomy: Taxonomy | None) -> bool:
    """Whether the record-by-record check of `_check_cohort` would find nothing to report.

    Ids unique after NFC normalisation and, with a taxonomy, every distinct text of the skill
    fields and of the occupation fields passing :func:`_verdict`. Ids and skill texts are read for
    the whole cohort through ``map`` (C-level loops), occupations through generators.
    """
    keys = set(map(partial(unicodedata.normalize, "NFC"), map(_ID, records)))
    if len(keys) != len(records):
        return False
    if taxonomy is None:
        return True
    has_occupations = taxonomy.counts()["occupation"] > 0
    skills = set(map(_SKILL, chain.from_iterable(map(_SKILLS, records))))
    candidates = [r for r in records if isinstance(r, CandidateProfile)]
    occupations = set(map(_OCCUPATION, chain.from_iterable(r.experience for r in candidates)))
    occupations.discard(None)  # an experience given by its title only
    occupations.update(chain.from_iterable(r.preferences.occupations for r in candidates))
    occupations.update(
        r.occupation for r in records if isinstance(r, Vacancy) and r.occupation is not None
    )
    return all(_verdict(taxonomy, text, False, has_occupations) is None for text in skills) and all(
        _verdict(taxonomy, text, True, has_occupations) is None for text in occupations
    )


def _all_fine(
    record: CandidateProfile | Vacancy,
    fine: tuple[set[str], set[str]],
    taxonomy: Taxonomy,
    has_occupations: bool,
) -> bool:
    """Whether every concept reference of `record` passes (the fast pass of _check_cohort).

    `fine` holds the texts known to pass in skill fields and in occupation fields; it grows here.
    False sends the record through the full check, which reports the first problem.
    """
    skills_ok, occupations_ok = fine
    for item in record.skills:
        text = item.skill
        if text not in skills_ok:
            if _verdict(taxonomy, text, False, has_occupations) is not None:
                return False
            skills_ok.add(text)
    if isinstance(record, Vacancy):
        occupations: tuple[str, ...] = () if record.occupation is None else (record.occupation,)
    else:
        occupations = (
            *(exp.occupation for exp in record.experience if exp.occupation is not None),
            *record.preferences.occupations,
        )
    for text in occupations:
        if text not in occupations_ok:
            if _verdict(taxonomy, text, True, has_occupations) is not None:
                return False
            occupations_ok.add(text)
    return True


def _check_options(taxonomy: object, lenient: object) -> None:
    if taxonomy is not None and not isinstance(taxonomy, Taxonomy):
        raise ConfigError(f"taxonomy must be a Taxonomy or None, not {type(taxonomy).__name__}")
    if not isinstance(lenient, bool):
        raise ConfigError(f"lenient must be True or False, not {type(lenient).__name__}")


def checked_records(records: Iterable[RecordT], model: type[RecordT], what: str) -> tuple[
    RecordT, ...
]:  # fmt: skip
    """`records` as a tuple of `model` instances, or a ProfileError naming the problem.

    `what` names the argument in messages (``"candidates"``). Used by the cohort-level entry
    points before :func:`validate_cohort`. An empty cohort is not an error (DESIGN §9): it gives
    an empty result.
    """
    if isinstance(records, (BaseModel, str, bytes, Mapping)):
        raise ProfileError(
            f"{what} must be a list of {model.__name__}, not a single record "
            f"({type(records).__name__})"
        )
    try:
        items = tuple(records)
    except TypeError:
        raise ProfileError(
            f"{what} must be a list of {model.__name__}, not {type(records).__name__}"
        ) from None
    if all(issubclass(kind, model) for kind in set(map(type, items))):
        return items  # every item a `model` (the loop below would find nothing)
    for i, item in enumerate(items):
        if not isinstance(item, model):
            raise ProfileError(
                f"is a {type(item).__name__}, not a {model.__name__}", record=f"{what} item {i}"
            )
    return items


def validate_cohort(
    records: Iterable[RecordT], *, taxonomy: Taxonomy | None = None, lenient: bool = False
) -> Cohort[RecordT]:
    r"""Validate a cohort built in Python: one record type, unique ids, known concepts.

    The loaders run the same checks, so a cohort is held to the same rules whether it comes from
    a file or from code. Nothing passed in is changed.

    Parameters
    ----------
    records
        :class:`CandidateProfile` or :class:`Vacancy` objects (not both).
    taxonomy
        When given, every concept URI (skills, occupations) must be in it, and of a fitting kind:
        a skill field must not name an occupation, and an occupation field must not name a skill
        (checked when the taxonomy has occupation concepts). Free-text skills are not checked.
    lenient
        Report concept URIs the taxonomy does not hold in ``Cohort.unknown_concepts`` instead of
        raising. A concept of the wrong kind is an error either way.

    Returns
    -------
    Cohort
        The records, in order, with the lenient-mode report.

    Raises
    ------
    DuplicateIdError
        Two records share an id (compared after Unicode NFC normalisation).
    UnknownConceptError
        A concept URI the taxonomy does not hold (unless `lenient`).
    ProfileError
        An item is not a profile or vacancy, the two are mixed, or a URI names the wrong kind.
    ConfigError
        `taxonomy` or `lenient` is of the wrong type.

    Examples
    --------
    >>> from labourint_match import Taxonomy
    >>> taxonomy = Taxonomy.default()
    >>> cook = "http://data.europa.eu/esco/occupation/90f75f67-495d-49fa-ab57-2f320e251d7e"
    >>> people = [
    ...     CandidateProfile(id="a", skills=["cooking"], experience=[{"occupation": cook}]),
    ...     CandidateProfile(id="b", skills=["http://data.europa.eu/esco/skill/no-such-skill"]),
    ... ]
    >>> cohort = validate_cohort(people, taxonomy=taxonomy, lenient=True)
    >>> cohort.unknown_concepts[0][:2]
    ('b', 'skills.0.skill')
    >>> from labourint_match.errors import DuplicateIdError
    >>> try:
    ...     validate_cohort(people + [people[0]])
    ... except DuplicateIdError as err:
    ...     print(err.record, err.field, err.message, sep="\n")
    a
    id
    this id is also used by the record at item 0; ids must be unique within a cohort
    """
    _check_options(taxonomy, lenient)
    if isinstance(records, (BaseModel, str, bytes, Mapping)):
        raise ProfileError(
            f"records must be a list of profiles or vacancies, not a single "
            f"{type(records).__name__}"
        )
    try:
        items = tuple(records)
    except TypeError:
        raise ProfileError(
            f"records must be a list of profiles or vacancies, not {type(records).__name__}"
        ) from None
    kinds = set(map(type, items))
    one_kind = len(kinds) == 1 and kinds <= {CandidateProfile, Vacancy}  # nothing to report below
    kind: type[BaseModel] | None = None
    for i, item in enumerate(() if one_kind else items):
        if not isinstance(item, (CandidateProfile, Vacancy)):
            raise ProfileError(
                f"is a {type(item).__name__}, not a CandidateProfile or Vacancy; build records "
                "with CandidateProfile(...) or Vacancy(...), or read them with load_candidates or "
                "load_vacancies",
                record=f"item {i}",
            )
        if kind is None:
            kind = CandidateProfile if isinstance(item, CandidateProfile) else Vacancy
        elif not isinstance(item, kind):
            raise ProfileError(
                f"is a {type(item).__name__} but item 0 is a {kind.__name__}; a cohort holds "
                "candidates or vacancies, not both",
                record=f"item {i}",
            )
    return _check_cohort(
        items,
        lambda i: items[i].id,
        "item {}".format,
        taxonomy=taxonomy,
        lenient=lenient,
        source=None,
    )
