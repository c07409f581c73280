"""Reading cohorts from JSON Lines or JSON arrays, and the JSON Schema of the records.

Errors name the file, the line (or array item), the record's id and the field, never a value the
record holds; a key of the input is named only when it is a field name of the schema or a near
miss of one (see "Privacy" in the package docstring).
"""

from __future__ import annotations

import json
import os
import re
from collections.abc import Iterator, Mapping
from difflib import get_close_matches
from functools import cache
from pathlib import Path
from typing import Any

from pydantic import ValidationError
from pydantic_core import ErrorDetails

from ..errors import ConfigError, LabourintMatchError, ProfileError
from ..taxonomy import Taxonomy
from ._cohorts import Cohort, RecordT, _check_cohort, _check_options
from ._fields import _Record, id_problem
from ._models import CandidateProfile, Vacancy

__all__ = [
    "json_schema",
    "load_candidates",
    "load_vacancies",
    "record_error",
]

# -- JSON -----------------------------------------------------------------------------------------

PathLike = str | os.PathLike[str]


def json_schema() -> dict[str, Any]:
    """The JSON Schemas (draft 2020-12) of a candidate and of a vacancy record.

    Each model also gives its own with ``model_json_schema()``.

    Examples
    --------
    >>> schema = json_schema()
    >>> sorted(schema)
    ['candidate', 'vacancy']
    >>> schema["candidate"]["required"], schema["vacancy"]["required"]
    (['id', 'skills'], ['id', 'skills'])
    """
    dialect = "https://json-schema.org/draft/2020-12/schema"
    return {
        "candidate": {"$schema": dialect, **CandidateProfile.model_json_schema()},
        "vacancy": {"$schema": dialect, **Vacancy.model_json_schema()},
    }


def load_candidates(
    path: PathLike, *, taxonomy: Taxonomy | None = None, lenient: bool = False
) -> Cohort[CandidateProfile]:
    r"""Read candidate profiles from a JSON Lines file or a JSON array, and validate the cohort.

    Parameters
    ----------
    path
        A local UTF-8 file (a byte-order mark is allowed). JSON Lines: one JSON object per line,
        blank lines skipped. JSON array: a file whose first non-blank character is ``[``.
    taxonomy, lenient
        As in :func:`validate_cohort`.

    Returns
    -------
    Cohort
        The profiles, in file order.

    Raises
    ------
    ProfileError
        The file cannot be read, is not UTF-8 or JSON, or a record is invalid. The message names
        the line (or array item), the record's id when it is readable, and the field — never the
        values the record holds.
    DuplicateIdError, UnknownConceptError
        As in :func:`validate_cohort`.

    Examples
    --------
    >>> import pathlib, tempfile
    >>> folder = pathlib.Path(tempfile.mkdtemp())
    >>> _ = (folder / "people.jsonl").write_text(
    ...     '{"id": "c-1", "skills": ["welding"]}\n'
    ...     '\n'
    ...     '{"id": "c-2", "skills": [{"skill": "cooking", "years": 3}]}\n', encoding="utf-8")
    >>> load_candidates(folder / "people.jsonl").ids
    ('c-1', 'c-2')
    >>> _ = (folder / "bad.jsonl").write_text(
    ...     '{"id": "c-3", "skills": [{"skill": "cooking", "years": -1}]}\n', encoding="utf-8")
    >>> from labourint_match.errors import ProfileError
    >>> try:
    ...     load_candidates(folder / "bad.jsonl")
    ... except ProfileError as err:
    ...     print(err.record, err.field, err.message, sep="\n")
    c-3 (line 1 of bad.jsonl)
    skills.0.years
    must be greater than or equal to 0
    """
    return _load(path, CandidateProfile, taxonomy=taxonomy, lenient=lenient)


def load_vacancies(
    path: PathLike, *, taxonomy: Taxonomy | None = None, lenient: bool = False
) -> Cohort[Vacancy]:
    """Read vacancies from a JSON Lines file or a JSON array, and validate the cohort.

    Parameters, return value and errors are as in :func:`load_candidates`.

    Examples
    --------
    >>> import pathlib, tempfile
    >>> path = pathlib.Path(tempfile.mkdtemp()) / "jobs.json"
    >>> _ = path.write_text('''[
    ...   {"id": "v-1", "skills": ["welding"], "openings": 2},
    ...   {"id": "v-2", "skills": ["cooking"], "openings": -1}
    ... ]''', encoding="utf-8")
    >>> from labourint_match.errors import ProfileError
    >>> try:
    ...     load_vacancies(path)
    ... except ProfileError as err:
    ...     print(err)
    record v-2 (item 2, line 3 of jobs.json), field 'openings': must be greater than or equal to 0
    """
    return _load(path, Vacancy, taxonomy=taxonomy, lenient=lenient)


class _RepeatedKeyError(Exception):
    def __init__(self, key: str, position: int) -> None:
        self.key = key
        self.position = position


def _object_without_repeats(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    obj = dict(pairs)
    if len(obj) != len(pairs):
        seen: set[str] = set()
        for position, (key, _) in enumerate(pairs, start=1):
            if key in seen:
                raise _RepeatedKeyError(key, position)
            seen.add(key)
    return obj


_DECODER = json.JSONDecoder(object_pairs_hook=_object_without_repeats)
_JSON_SPACE = " \t\n\r"


def _json_error(exc: BaseException, where: str) -> ProfileError:
    """A ProfileError for JSON that cannot be read; never quotes the text."""
    if isinstance(exc, _RepeatedKeyError):
        key = (
            f"the key {exc.key!r}"
            if _shown_key(exc.key)
            else f"a key (key {exc.position} of the object; its name is not shown)"
        )
        return ProfileError(f"a JSON object repeats {key}; give each field once", record=where)
    if isinstance(exc, json.JSONDecodeError):
        return ProfileError(
            f"is not valid JSON ({exc.msg} at column {exc.colno}); each line must hold one JSON "
            "object (JSON Lines), or the whole file one JSON array",
            record=where,
        )
    if isinstance(exc, RecursionError):
        return ProfileError("is not usable JSON: it is nested too deeply", record=where)
    return ProfileError(
        "is not usable JSON: a value cannot be read (such as a number with thousands of digits)",
        record=where,
    )


def _read_text(path: PathLike) -> tuple[str, str]:
    if not isinstance(path, (str, os.PathLike)):
        raise ConfigError(f"path must be a str or os.PathLike, not {type(path).__name__}")
    file = Path(path)
    try:
        data = file.read_bytes()
    except FileNotFoundError:
        raise ProfileError(f"{file}: no such file") from None
    except IsADirectoryError:
        raise ProfileError(f"{file}: is a directory, not a file") from None
    except OSError as exc:
        raise ProfileError(f"{file}: cannot read the file ({exc.strerror})") from None
    except ValueError:  # a NUL character in the path
        raise ProfileError(f"{str(file)[:200]!r}: not a usable file name") from None
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        raise ProfileError(
            "is not valid UTF-8; save the file as UTF-8", record=f"line {line} of {file.name}"
        ) from None
    return file.name, text.removeprefix("\ufeff")


def _parse(text: str, name: str) -> Iterator[tuple[str, Any]]:
    """The file's JSON values with their positions (``line 3 of x.jsonl``, ``item 2, line 5 …``)."""
    start = len(text) - len(text.lstrip(_JSON_SPACE))
    if text.startswith("[", start):
        yield from _parse_array(text, start + 1, name)
        return
    for number, line in enumerate(text.split("\n"), start=1):
        if not line.strip():
            continue
        where = f"line {number} of {name}"
        try:
            value = _DECODER.decode(line)
        except (_RepeatedKeyError, ValueError, RecursionError) as exc:
            raise _json_error(exc, where) from None
        yield where, value


def _parse_array(text: str, pos: int, name: str) -> Iterator[tuple[str, Any]]:
    line, counted = 1, 0

    def line_at(index: int) -> int:
        nonlocal line, counted
        line += text.count("\n", counted, index)
        counted = index
        return line

    def skip(index: int) -> int:
        while index < len(text) and text[index] in _JSON_SPACE:
            index += 1
        return index

    pos = skip(pos)
    if text.startswith("]", pos):
        pos += 1
    else:
        item = 0
        while True:
            item += 1
            where = f"item {item}, line {line_at(pos)} of {name}"
            try:
                value, pos = _DECODER.raw_decode(text, pos)
            except (_RepeatedKeyError, ValueError, RecursionError) as exc:
                raise _json_error(exc, where) from None
            yield where, value
            pos = skip(pos)
            if text.startswith(",", pos):
                pos = skip(pos + 1)
                continue
            if text.startswith("]", pos):
                pos += 1
                break
            raise ProfileError(
                "is not valid JSON: expected ',' or ']' after an array item",
                record=f"line {line_at(pos)} of {name}",
            )
    if skip(pos) != len(text):
        raise ProfileError(
            "is not valid JSON: there is more after the closing ']' of the array",
            record=f"line {line_at(skip(pos))} of {name}",
        )


_PLAIN_KEY = re.compile(r"[A-Za-z][A-Za-z0-9_]{0,31}")
_SHOULD = re.compile(r"^(?:Input|String|Value|List|Tuple|Date|Object) should ")
_WITHHELD = "<key {}>"


@cache
def _schema_fields() -> frozenset[str]:
    """The field names of every record model (CandidateProfile, Vacancy and their parts)."""
    names: set[str] = set()
    todo: list[type[_Record]] = [_Record]
    while todo:
        for sub in todo.pop().__subclasses__():
            names.update(sub.model_fields)
            todo.append(sub)
    return frozenset(names)


def _shown_key(key: object) -> bool:
    """Whether a record's key may be named in a message.

    Only a field name of the schema (in any case) or a near miss of one (a misspelling such as
    ``langauges``) is named. Any other key is withheld: keys are the caller's data, and a
    mis-built record can carry a name, an e-mail address or an identity number as a key.
    """
    if not isinstance(key, str) or _PLAIN_KEY.fullmatch(key) is None:
        return False
    low = key.lower()
    names = _schema_fields()
    return low in names or bool(get_close_matches(low, names, n=1, cutoff=0.8))


def _loc_part(part: str | int, position: int | None = None) -> str:
    """One step of a field path: a list index, or a key where :func:`_shown_key` allows.

    `position` (1-based, among the object's keys) says the step is a key, and names it when
    withheld (``<key 3>``).
    """
    if isinstance(part, int) and position is None:
        return str(part)
    if _shown_key(part):
        return str(part)
    return "<a key>" if position is None else f"<key {position}>"


def _field_path(loc: tuple[str | int, ...], value: object = None) -> str | None:
    """The dotted path of an error's location.

    `value` is the record as read; with it, a withheld key is named by its position.
    """
    parts: list[str] = []
    node = value
    for part in loc:
        if isinstance(node, Mapping):
            position = next((i for i, key in enumerate(node, start=1) if key == part), None)
            parts.append(_loc_part(part, position))
            node = node.get(part)
        elif isinstance(node, (list, tuple)) and isinstance(part, int):
            parts.append(str(part))
            node = node[part] if 0 <= part < len(node) else None
        else:
            parts.append(_loc_part(part))
            node = None
    return ".".join(parts) or None


def _error_text(error: ErrorDetails, withheld: bool = False) -> str:
    kind = error["type"]
    if kind == "missing":
        return "is required"
    if kind == "extra_forbidden" and withheld:
        return (
            "is not a field of this record (its name is not shown: a key that is not a field "
            "name may hold personal data); remove it, or check the record's keys against "
            "json_schema()"
        )
    if kind == "extra_forbidden":
        return "is not a field of this record; check its spelling against json_schema()"
    if kind == "finite_number":
        return "must be a finite number (NaN and infinity are refused)"
    if kind == "tuple_type":
        return "must be a list (a JSON array)"
    message = error["msg"]
    if kind == "value_error":
        return message.removeprefix("Value error, ")
    return _SHOULD.sub("must ", message)


_MAX_ERRORS_SHOWN = 5


def record_error(exc: ValidationError, record: str, value: object = None) -> ProfileError:
    """A ProfileError for a record that failed validation: the first few problems by field.

    `value` is the record as read (a dict); it only serves to name a withheld key by position.
    """
    # include_input=False: pydantic's error details never hold the record's values.
    errors = exc.errors(include_url=False, include_context=False, include_input=False)
    paths = [_field_path(e["loc"], value) for e in errors[:_MAX_ERRORS_SHOWN]]
    texts = [
        _error_text(e, withheld=path is not None and path.endswith(">"))
        for e, path in zip(errors, paths)  # noqa: B905 (paths is a prefix of errors)
    ]
    message = texts[0]
    others = [
        f"field {path!r}: {text}" if path else text
        for path, text in zip(paths[1:], texts[1:], strict=True)
    ]
    if others:
        message += "; also " + "; ".join(others)
    if len(errors) > _MAX_ERRORS_SHOWN:
        message += f"; and {len(errors) - _MAX_ERRORS_SHOWN} more problems"
    return ProfileError(message, record=record, field=paths[0])


def _load(
    path: PathLike, model: type[RecordT], *, taxonomy: Taxonomy | None, lenient: bool
) -> Cohort[RecordT]:
    try:
        return _read_cohort(path, model, taxonomy=taxonomy, lenient=lenient)
    except LabourintMatchError as err:
        # The frames below (and any exception chained to `err`) hold the file's text: raise the
        # error without them, so that a logger or debugger that keeps it keeps no profile content.
        err.__cause__ = err.__context__ = None
        err.__suppress_context__ = True
        raise err.with_traceback(None) from None


def _read_cohort(
    path: PathLike, model: type[RecordT], *, taxonomy: Taxonomy | None, lenient: bool
) -> Cohort[RecordT]:
    _check_options(taxonomy, lenient)
    name, text = _read_text(path)
    records: list[RecordT] = []
    names: list[str] = []
    positions: list[str] = []
    for where, value in _parse(text, name):
        if not isinstance(value, dict):
            raise ProfileError(f"must be a JSON object, not {_json_type(value)}", record=where)
        raw_id = value.get("id")
        label = f"{raw_id} ({where})" if id_problem(raw_id) is None else where
        try:
            record = model.model_validate(value)
        except ValidationError as exc:
            raise record_error(exc, label, value) from None
        records.append(record)
        names.append(label)
        positions.append(where)
    return _check_cohort(
        records,
        names.__getitem__,
        positions.__getitem__,
        taxonomy=taxonomy,
        lenient=lenient,
        source=str(path),
    )


def _json_type(value: object) -> str:
    if isinstance(value, list):
        return "an array"
    if isinstance(value, str):
        return "a string"
    if isinstance(value, bool):
        return "a boolean"
    if value is None:
        return "null"
    return "a number"
