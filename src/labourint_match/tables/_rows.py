"""From the header to fields (the column plan) and from a row's cells to the model's input."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping, Sequence
from itertools import pairwise
from typing import Any

from pydantic import ValidationError
from pydantic_core import ErrorDetails

from ..errors import ConfigError
from ..profiles import CandidateProfile, Vacancy, is_concept_uri
from ._cells import (
    _BOOLEAN_FIELDS,
    _BULLET,
    _HOURS,
    _RECOGNITION,
    _SUPPORT,
    _SUPPORT_SEPARATORS,
    _WORK_STATUS,
    _boolean,
    _cell_text,
    _CellError,
    _date,
    _decimal,
    _experience,
    _integer,
    _is_blank,
    _is_none,
    _isced,
    _key,
    _keyword,
    _language,
    _months,
)
from ._fields import _AUDIT_FIELDS, _CANDIDATE_PATHS, _LIST_FIELDS, _VACANCY_PATHS
from ._source import _Options


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
