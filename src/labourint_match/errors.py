"""Exceptions and warnings raised by labourint_match.

Every error the library raises on bad input derives from :class:`LabourintMatchError`, so an
integration can catch that one class. Errors carry their context (which file, which line, which
record, which field, which concept URIs) as attributes as well as in the message, and messages never
repeat profile content: a record is named by its id or its position, never by what it holds.

The tree::

    LabourintMatchError
    ├── TaxonomyError            a taxonomy source cannot be loaded (file, line, URIs)
    ├── UnknownConceptError      a concept URI the taxonomy does not hold (a KeyError)
    ├── ProfileError             a candidate or vacancy record is invalid (record, field)
    │   └── DuplicateIdError     two records of one cohort share an id
    ├── ResolutionError          free text cannot be resolved as asked
    ├── ConfigError              an invalid configuration or argument (also a ValueError)
    └── AssignmentError          a placement problem cannot be solved as asked

    LabourintMatchWarning (UserWarning)
    ├── TaxonomyWarning          a taxonomy loaded, but part of it was dropped (dangling links)
    └── UnjudgedVacancyWarning   vacancies asking no resolvable skill: their skill fit is unknown

Examples
--------
>>> from labourint_match.errors import LabourintMatchError, TaxonomyError
>>> err = TaxonomyError("broader links form a cycle", source="skills.ttl", uris=("urn:a", "urn:b"))
>>> isinstance(err, LabourintMatchError)
True
>>> print(err)
skills.ttl: broader links form a cycle [urn:a, urn:b]
"""

from __future__ import annotations

from collections.abc import Sequence

__all__ = [
    "AssignmentError",
    "ConfigError",
    "DuplicateIdError",
    "LabourintMatchError",
    "LabourintMatchWarning",
    "ProfileError",
    "ResolutionError",
    "TaxonomyError",
    "TaxonomyWarning",
    "UnjudgedVacancyWarning",
    "UnknownConceptError",
]

_MAX_URIS_IN_MESSAGE = 10


def _format_uris(uris: Sequence[str]) -> str:
    shown = ", ".join(uris[:_MAX_URIS_IN_MESSAGE])
    more = len(uris) - _MAX_URIS_IN_MESSAGE
    return f"[{shown}, … and {more} more]" if more > 0 else f"[{shown}]"


class LabourintMatchError(Exception):
    """Base class of every error labourint_match raises on bad input."""


class TaxonomyError(LabourintMatchError):
    """A taxonomy source could not be loaded, or a query named something it does not hold.

    Parameters
    ----------
    message
        What is wrong and what to do about it.
    source
        The file (or ``"<bytes>"``) being loaded, if any.
    line
        The line in `source` where the parser stopped, when the parser reports one.
    uris
        The offending concept URIs (a cycle, dangling links, duplicates).
    """

    def __init__(
        self,
        message: str,
        *,
        source: str | None = None,
        line: int | None = None,
        uris: Sequence[str] = (),
    ) -> None:
        self.message = message
        self.source = source
        self.line = line
        self.uris = tuple(uris)
        where = ""
        if source is not None:
            where = f"{source}, line {line}: " if line is not None else f"{source}: "
        text = f"{where}{message}"
        if self.uris:
            text = f"{text} {_format_uris(self.uris)}"
        super().__init__(text)


class UnknownConceptError(LabourintMatchError, KeyError):
    """A concept URI that the taxonomy does not hold.

    Parameters
    ----------
    uri
        The URI that was asked for.
    record
        The id (or position) of the record that named it, if any.
    field
        The field of that record, if any.
    shown
        What the message shows in place of `uri` (``None``: `uri` itself). Cohort validation
        shows a URI outside the taxonomy's namespaces by its scheme only: a link or an address
        pasted into a skills cell may carry personal data. `uri` always holds the whole value.
    """

    def __init__(
        self,
        uri: str,
        *,
        record: str | None = None,
        field: str | None = None,
        shown: str | None = None,
    ) -> None:
        self.uri = uri
        self.record = record
        self.field = field
        self.shown = uri if shown is None else shown
        where = ""
        if record is not None:
            where = f"record {record}" + (f", field {field!r}" if field else "") + ": "
        self.message = (
            f"{where}unknown concept URI {self.shown!r}; check it against the taxonomy in use "
            "(Taxonomy.concept lists what it holds) or resolve free text with SkillResolver"
        )
        super().__init__(self.message)

    def __str__(self) -> str:
        return self.message


class ProfileError(LabourintMatchError):
    """A candidate profile or vacancy is invalid.

    Parameters
    ----------
    message
        What is wrong and how to fix it (never the record's content).
    record
        The record's id, or its position (``"line 12"``) when it has no usable id.
    field
        The offending field, dotted (``"skills.2.years"``).
    """

    def __init__(
        self, message: str, *, record: str | None = None, field: str | None = None
    ) -> None:
        self.message = message
        self.record = record
        self.field = field
        parts = []
        if record is not None:
            parts.append(f"record {record}")
        if field is not None:
            parts.append(f"field {field!r}")
        prefix = (", ".join(parts) + ": ") if parts else ""
        super().__init__(f"{prefix}{message}")


class DuplicateIdError(ProfileError):
    """Two records of one cohort share an id."""


class ResolutionError(LabourintMatchError):
    """Free text could not be resolved as asked."""


class ConfigError(LabourintMatchError, ValueError):
    """An invalid configuration value or argument."""


class AssignmentError(LabourintMatchError):
    """A placement problem could not be solved as asked."""


class LabourintMatchWarning(UserWarning):
    """Base class of the warnings labourint_match emits."""


class TaxonomyWarning(LabourintMatchWarning):
    """A taxonomy loaded, but part of it was dropped (the message names what and why)."""


class UnjudgedVacancyWarning(LabourintMatchWarning):
    """Some vacancies ask for no skill that resolves: their skill fit is unknown, not measured."""
