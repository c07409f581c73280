"""Adviser overrides of a placement: a candidate–vacancy pair fixed (forced) or forbidden.

A high-risk recruitment system must let the person overseeing it set its output aside (EU AI
Act, Art. 14) and keep a record of it (Art. 12). :meth:`Matcher.assign
<labourint_match.Matcher.assign>` takes ``fixed=`` and ``forbidden=`` lists of :class:`Override`:
each names a pair, the adviser's pseudonymous id and their reason. The placement honours them
(see docs/placement.md, "Adviser overrides"), :class:`~labourint_match.assignment.Assignment`
lists them, and the decision log writes each one with its reason and adviser.

:func:`check_overrides` checks a run's overrides against the cohort's ids and openings before
anything is scored, and returns them as :class:`Overrides`: the records (deduplicated, in a fixed
order) and their indices, which the placement plan works from.
"""

from __future__ import annotations

import dataclasses
import math
import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Annotated, Any, Final, NamedTuple

import numpy as np
from numpy.typing import NDArray
from pydantic import AfterValidator, BaseModel, ConfigDict, Field, ValidationError

from ..errors import AssignmentError, ConfigError
from ..profiles import MAX_ID_LENGTH, MAX_TEXT_LENGTH, id_problem
from ._common import Reason

__all__ = ["FIXED_REASON", "Override", "Overrides", "check_overrides"]

FIXED_REASON: Final = "fixed_by_adviser"
"""The decision log's ``reason`` on the ``placed`` line of a pair an adviser fixed."""

_TEXT_CONTROLS_ALLOWED: Final = frozenset("\t\n")


def _check_id(value: str) -> str:
    problem = id_problem(value)
    if problem is not None:
        raise ValueError(problem)
    return value


def _refused(ch: str) -> bool:
    # U+2028 and U+2029 are written unescaped by json.dumps, and split lines for many readers.
    category = unicodedata.category(ch)
    return (category == "Cc" and ch not in _TEXT_CONTROLS_ALLOWED) or category in ("Zl", "Zp")


def _check_reason(value: str) -> str:
    text = value.strip()
    if not text:
        raise ValueError("must not be empty: say why the pair is fixed or forbidden")
    if any(_refused(ch) for ch in text):
        raise ValueError(
            "must not contain control characters (other than tab and newline) or Unicode line "
            "and paragraph separators"
        )
    return text


_Id = Annotated[str, Field(min_length=1, max_length=MAX_ID_LENGTH), AfterValidator(_check_id)]
_Reason = Annotated[str, Field(min_length=1, max_length=MAX_TEXT_LENGTH),
                    AfterValidator(_check_reason)]  # fmt: skip


def _summary(schema: dict[str, Any], cls: type[Any]) -> None:
    # The JSON Schema gets the docstring's summary paragraph, not its numpydoc sections.
    doc = (cls.__doc__ or "").strip()
    schema["description"] = " ".join(doc.split("\n\n", 1)[0].split())


class Override(BaseModel):
    """An adviser's decision on one candidate–vacancy pair: fix it, or forbid it, with a reason.

    Whether it fixes or forbids is where it is passed: ``Matcher.assign(..., fixed=[...])`` or
    ``forbidden=[...]``. Ids follow the rules of record ids (non-empty, at most
    :data:`~labourint_match.profiles.MAX_ID_LENGTH` characters, no surrounding whitespace, no
    control or invisible characters) and are kept exactly as given; `reason` is stripped of
    surrounding whitespace, must not be empty and has at most
    :data:`~labourint_match.profiles.MAX_TEXT_LENGTH` characters. The reason is written to the
    decision log, never into an error message, and is left out of ``repr()``.

    Examples
    --------
    >>> keep = Override(candidate_id="c-17", vacancy_id="v-3", adviser="adv-2",
    ...                 reason="  agreed with the employer after the trial day ")
    >>> keep
    Override(candidate_id='c-17', vacancy_id='v-3', adviser='adv-2')
    >>> keep.reason
    'agreed with the employer after the trial day'
    >>> Override.model_validate({"candidate_id": "c-17", "vacancy_id": "v-3",
    ...                          "reason": "too far", "adviser": "adv-2"}).vacancy_id
    'v-3'
    """

    model_config = ConfigDict(
        frozen=True,
        extra="forbid",
        hide_input_in_errors=True,
        json_schema_extra=_summary,
    )

    candidate_id: _Id = Field(description="The candidate's pseudonymous id (in the cohort).")
    vacancy_id: _Id = Field(description="The vacancy's id (in the cohort).")
    reason: _Reason = Field(
        repr=False,
        description="Why the adviser fixes or forbids the pair (written to the decision log).",
    )
    adviser: _Id = Field(description="The adviser's pseudonymous id (written to the decision log).")


def _order(o: Override) -> tuple[str, str, str, str]:
    return (o.candidate_id, o.vacancy_id, o.adviser, o.reason)


class _Merged(NamedTuple):
    """A solver's result with the fixed pairs put in (what :func:`plan.build` reads)."""

    assigned: NDArray[np.int32]
    score: NDArray[np.float64]
    reason: NDArray[np.int8]
    total_score: float
    method: str


@dataclass(frozen=True, eq=False)
class Overrides:
    """A run's checked overrides: the records, in a fixed order, and their indices in the cohort.

    `fixed` and `forbidden` are sorted by candidate id, vacancy id, adviser and reason, without
    repeats; the index arrays follow them (candidates and vacancies in id order, as the plan
    takes them). `fixed_score` holds the fixed pairs' scores once :meth:`scored` has set them.
    """

    fixed: tuple[Override, ...]
    forbidden: tuple[Override, ...]
    fixed_cand: NDArray[np.int64]
    fixed_vac: NDArray[np.int64]
    forbidden_cand: NDArray[np.int64]
    forbidden_vac: NDArray[np.int64]
    fixed_score: NDArray[np.float64] | None = None

    def scored(self, scores: NDArray[np.float64]) -> Overrides:
        """These overrides with the fixed pairs' scores (in the order of `fixed`)."""
        return dataclasses.replace(self, fixed_score=np.asarray(scores, dtype=np.float64).copy())

    def refuse_ineligible(self, blocked: Sequence[tuple[str, ...]]) -> None:
        """Refuse the fixed pairs that are not eligible (`blocked`: each pair's reasons).

        Raises
        ------
        AssignmentError
            A fixed pair is not eligible: named with the reasons that rule it out.
        """
        bad = [(o, why) for o, why in zip(self.fixed, blocked, strict=True) if why]
        if not bad:
            return
        o, why = bad[0]
        more = f" ({len(bad)} such fixed pairs)" if len(bad) > 1 else ""
        raise AssignmentError(
            f"fixed pair (candidate {o.candidate_id!r}, vacancy {o.vacancy_id!r}) is not "
            f"eligible ({', '.join(why)}){more}: an adviser may fix a pair the score ranks low, "
            "not one the eligibility rules out; remove it from `fixed` or correct the record"
        )

    def removed(
        self, cand: NDArray[np.int64], vac: NDArray[np.int64], n_vacancies: int
    ) -> NDArray[np.bool_]:
        """Which edges leave the problem: forbidden pairs, and every edge of a fixed candidate."""
        n = max(n_vacancies, 1)
        key = cand.astype(np.int64) * n + vac.astype(np.int64)
        out: NDArray[np.bool_] = np.isin(key, self.forbidden_cand * n + self.forbidden_vac)
        out |= np.isin(cand, self.fixed_cand)
        return out

    def openings_left(self, capacity: NDArray[np.int64]) -> NDArray[np.int64]:
        """The openings of each vacancy once the fixed pairs have taken theirs."""
        taken = np.bincount(self.fixed_vac, minlength=capacity.shape[0])
        left: NDArray[np.int64] = (capacity - taken).astype(np.int64)
        return left

    def merge(self, result: Any) -> _Merged:
        """A solver's `result` (on the problem without the fixed pairs) with them put in."""
        if self.fixed_score is None:  # pragma: no cover - the plan scores them first
            raise AssignmentError("the fixed pairs were not scored before the placement")
        assigned = np.array(result.assigned, dtype=np.int32)
        score = np.array(result.score, dtype=np.float64)
        reason = np.array(result.reason, dtype=np.int8)
        assigned[self.fixed_cand] = self.fixed_vac
        score[self.fixed_cand] = self.fixed_score
        reason[self.fixed_cand] = Reason.ASSIGNED
        for arr in (assigned, score, reason):
            arr.setflags(write=False)
        total = math.fsum(score[assigned >= 0].tolist())
        return _Merged(assigned, score, reason, total, str(result.method))

    def payload(self) -> dict[str, list[list[str]]]:
        """What the run id hashes of the overrides: every field of each, in order."""
        return {"fixed": [list(_order(o)) for o in self.fixed],
                "forbidden": [list(_order(o)) for o in self.forbidden]}  # fmt: skip


def _items(given: object, name: str) -> list[Override]:
    if isinstance(given, (str, bytes, BaseModel, Mapping)) or not isinstance(given, Iterable):
        raise ConfigError(
            f"`{name}` must be a list of Override (or of dicts with their fields), not "
            f"{type(given).__name__}: wrap a single override in a list"
        )
    out = []
    for i, item in enumerate(given):
        if isinstance(item, Override):
            out.append(item)
        elif isinstance(item, Mapping):
            try:
                out.append(Override.model_validate(item))
            except ValidationError as exc:
                raise ConfigError(
                    f"`{name}[{i}]` is not a valid Override: {_problems(exc)}"
                ) from None
        else:
            raise ConfigError(
                f"`{name}[{i}]` must be an Override (or a dict with its fields), not "
                f"{type(item).__name__}"
            )
    return out


def _problems(exc: ValidationError) -> str:
    fields = set(Override.model_fields)
    parts = []
    for err in exc.errors(include_input=False, include_url=False):
        where = ".".join(str(p) for p in err["loc"])
        if err["type"] == "extra_forbidden" or where not in fields:
            # an unknown key could be anything (a name): not repeated
            parts.append(f"an unknown field (the fields are {', '.join(sorted(fields))})")
        else:
            parts.append(f"field {where!r}: {err['msg']}")
    return "; ".join(dict.fromkeys(parts))


def _unique(items: list[Override], name: str) -> tuple[Override, ...]:
    """The overrides sorted, identical ones collapsed; a pair given twice otherwise is refused."""
    kept: dict[tuple[str, str], Override] = {}
    for o in sorted(set(items), key=_order):
        pair = (o.candidate_id, o.vacancy_id)
        if pair in kept:
            raise ConfigError(
                f"`{name}` gives the pair (candidate {o.candidate_id!r}, vacancy "
                f"{o.vacancy_id!r}) twice with different reasons or advisers: give one override "
                "per pair"
            )
        kept[pair] = o
    return tuple(kept.values())


def _indices(
    items: tuple[Override, ...], name: str, cand_pos: Mapping[str, int], vac_pos: Mapping[str, int]
) -> tuple[NDArray[np.int64], NDArray[np.int64]]:
    for o in items:
        if o.candidate_id not in cand_pos:
            raise ConfigError(
                f"`{name}` names candidate {o.candidate_id!r}, who is not in the cohort: "
                "check the id or add the candidate"
            )
        if o.vacancy_id not in vac_pos:
            raise ConfigError(
                f"`{name}` names vacancy {o.vacancy_id!r}, which is not in the cohort: "
                "check the id or add the vacancy"
            )
    cand = np.array([cand_pos[o.candidate_id] for o in items], dtype=np.int64)
    vac = np.array([vac_pos[o.vacancy_id] for o in items], dtype=np.int64)
    return cand, vac


def check_overrides(
    fixed: object,
    forbidden: object,
    cand_ids: Sequence[str],
    vacancy_ids: Sequence[str],
    capacity: NDArray[np.int64],
) -> Overrides | None:
    """Check a run's overrides against its cohort (ids in id order) and openings.

    Overrides equal in every field are collapsed into one; the result is sorted, so the order in
    which they are given changes nothing. ``None`` when there are none.

    Raises
    ------
    ConfigError
        `fixed` or `forbidden` is not a list of :class:`Override` (dicts that validate as one
        are accepted); an override names a candidate or vacancy not in the cohort; a pair is
        given twice in one list with different reasons or advisers; a pair is both fixed and
        forbidden; a candidate is fixed to two vacancies.
    AssignmentError
        More pairs are fixed on a vacancy than it has openings.

    Examples
    --------
    >>> import numpy as np
    >>> o = Override(candidate_id="c1", vacancy_id="v2", reason="trial day went well",
    ...              adviser="a9")
    >>> checked = check_overrides([o, o], [], ["c1", "c2"], ["v1", "v2"], np.array([1, 1]))
    >>> len(checked.fixed), checked.fixed_cand.tolist(), checked.fixed_vac.tolist()
    (1, [0], [1])
    >>> check_overrides([], [], ["c1"], ["v1"], np.array([1])) is None
    True
    """
    fix = _unique(_items(fixed, "fixed"), "fixed")
    forbid = _unique(_items(forbidden, "forbidden"), "forbidden")
    if not fix and not forbid:
        return None
    cand_pos = {cid: i for i, cid in enumerate(cand_ids)}
    vac_pos = {vid: j for j, vid in enumerate(vacancy_ids)}
    fc, fv = _indices(fix, "fixed", cand_pos, vac_pos)
    bc, bv = _indices(forbid, "forbidden", cand_pos, vac_pos)
    both = {(o.candidate_id, o.vacancy_id) for o in fix} & {
        (o.candidate_id, o.vacancy_id) for o in forbid
    }
    if both:
        c, v = min(both)
        raise ConfigError(
            f"the pair (candidate {c!r}, vacancy {v!r}) is both fixed and forbidden: keep one"
        )
    seen: dict[str, str] = {}
    for o in fix:
        other = seen.setdefault(o.candidate_id, o.vacancy_id)
        if other != o.vacancy_id:
            raise ConfigError(
                f"candidate {o.candidate_id!r} is fixed to two vacancies ({other!r} and "
                f"{o.vacancy_id!r}); a person takes at most one: keep one of them"
            )
    taken = np.bincount(fv, minlength=capacity.shape[0]) if fv.size else np.zeros(0, np.int64)
    over = np.flatnonzero(taken > capacity[: taken.shape[0]])
    if over.size:
        j = int(over[0])
        raise AssignmentError(
            f"{int(taken[j])} pairs are fixed on vacancy {vacancy_ids[j]!r}, which has "
            f"{int(capacity[j])} opening(s): fix at most that many, or raise its openings"
        )
    return Overrides(fix, forbid, fc, fv, bc, bv)
