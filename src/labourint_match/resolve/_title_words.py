"""Cleaning job titles: :func:`clean_title` and the variants the :class:`TitleResolver` matches.

See ``labourint_match.resolve._titles`` for what is dropped, how a title is split into parts and
coordinated roles, and what each mechanism is worth on real job-ad titles.

Examples
--------
>>> clean_title("Senior Software Developer (m/w/d) - London")
'software developer'
"""

from __future__ import annotations

import re

from ..errors import ResolutionError
from ._normalise import STOP_WORDS, normalise, tokens
from ._resolver import MAX_TEXT_LENGTH

__all__ = ["NOISE_WORDS", "Variant", "clean_title", "content_words", "title_variants"]

# -- cleaning ------------------------------------------------------------------------------------

_SENIORITY = (
    *("senior", "snr", "sr", "junior", "jnr", "jr", "trainee", "trainees", "intern", "interns"),
    *("internship", "apprentice", "apprenticeship", "graduate", "graduates", "fresh", "entry"),
    *("level", "experienced", "principal", "lead"),
)
_CONTRACT = (
    *("full", "part", "time", "fulltime", "parttime", "contract", "contractor", "permanent"),
    *("temporary", "temp", "freelance", "freelancer", "remote", "hybrid"),
)
_HIRING = (
    *("urgent", "urgently", "hiring", "wanted", "vacancy", "vacancies", "job", "jobs"),
    *("position", "positions", "opening", "openings", "immediate", "immediately", "needed"),
    "required",
)
_GENDER = ("male", "female", "males", "females", "man", "woman", "men", "women", "only")

#: Words dropped from a title before matching: seniority, contract and time, hiring, gender.
NOISE_WORDS: frozenset[str] = frozenset((*_SENIORITY, *_CONTRACT, *_HIRING, *_GENDER))

_NUMBER = re.compile(r"^(?:i{1,3}|iv|vi{0,3}|ix|x|\d+\w*)$")
_GENDER_MARK = re.compile(r"(?<![\w/])[mfwdhx](?:\s*/\s*[mfwdhx]){1,3}(?![\w/])")
_BRACKET = re.compile(r"[\(\[\{]([^\)\]\}]*)[\)\]\}]?")
# Separators of a title's parts (a role, a location, a company) and of coordinated roles.
_SEPARATOR = re.compile(r"\s+[-–|:@]+\s+|\s*[,;|]\s*|\s+(?:at|in|for|based)\s+")
_COORDINATOR = re.compile(r"\s*/\s*|\s+(?:cum|or)\s+")
_ANY_SEPARATOR = re.compile(f"{_SEPARATOR.pattern}|{_COORDINATOR.pattern}")
# Discount of an alternative segment (a second role, a location) and of bracketed text.
_W_ALTERNATIVE = 0.9
_W_BRACKET = 0.8

Variant = tuple[str, ...]


def content_words(text: str) -> list[str]:
    """The words of `text` (normalised) that are not stop words."""
    return [w for w in tokens(text) if w not in STOP_WORDS]


def _clean(words: list[str]) -> list[str]:
    return [w for w in words if w not in NOISE_WORDS and not _NUMBER.match(w)]


def _roles(part: str) -> list[list[str]]:
    """The coordinated roles of one part of a title, cleaned, sharing heads and modifiers.

    A one-word role next to a longer one borrows its head or its modifiers: ``accounts / admin
    executive`` → ``accounts executive``, ``admin executive``; ``hr assistant / executive`` →
    ``hr assistant``, ``hr executive``.
    """
    roles = [r for r in (_clean(content_words(x)) for x in _COORDINATOR.split(part)) if r]
    shared = []
    for k, role in enumerate(roles):
        if len(role) == 1 and k + 1 < len(roles) and len(roles[k + 1]) >= 2:
            role = role + roles[k + 1][-1:]
        elif len(role) == 1 and k > 0 and len(roles[k - 1]) >= 2:
            role = roles[k - 1][:-1] + role
        shared.append(role)
    return shared


def _segments(title: str) -> tuple[str, list[list[str]], list[str]]:
    """(the title without brackets, its cleaned roles in order, the bracketed texts)."""
    text = _GENDER_MARK.sub(" ", normalise(title))
    inside = [m.group(1) for m in _BRACKET.finditer(text)]
    main = _BRACKET.sub(" ", text)
    return main, [role for part in _SEPARATOR.split(main) for role in _roles(part)], inside


def title_variants(title: str) -> list[tuple[Variant, float]]:
    """The word sequences a title is matched as, each with its weight (1 for the main ones).

    The whole title without brackets and noise, each segment (the first weighted 1, later ones
    less) and each bracketed segment (less again); the plain words of the title (gender markers
    aside) when cleaning leaves nothing.

    Examples
    --------
    >>> for words, weight in title_variants("HR Assistant/Executive"):
    ...     print(" ".join(words), weight)
    hr assistant executive 1.0
    hr assistant 1.0
    hr executive 0.9
    """
    main, segments, inside = _segments(title)
    out: dict[Variant, float] = {}

    def add(words: list[str], weight: float) -> None:
        if words:
            key = tuple(words)
            out[key] = max(out.get(key, 0.0), weight)

    add(_clean(content_words(_ANY_SEPARATOR.sub(" ", main))), 1.0)
    for k, seg in enumerate(segments):
        add(seg, 1.0 if k == 0 else _W_ALTERNATIVE)
    for text in inside:
        for part in _SEPARATOR.split(text):
            for role in _roles(part):
                add(role, _W_BRACKET)
    if not out:  # nothing but noise words: match them rather than nothing (gender marks aside)
        add(content_words(" ".join([main, *inside])), 1.0)
    return list(out.items())


def clean_title(title: str) -> str:
    """The main title, cleaned: what :class:`TitleResolver` matches first.

    Normalised; gender markers, seniority, contract, hiring words and numbers dropped; bracketed
    text, a location or a second role after a separator set apart (see the module docstring).
    Returns ``""`` when nothing is left.

    Parameters
    ----------
    title
        A job title as written.

    Returns
    -------
    str
        The content words of the main title, joined by single spaces.

    Raises
    ------
    ResolutionError
        `title` is not a string.

    Examples
    --------
    >>> clean_title("Junior Data Analyst (f/m/x), remote")
    'data analyst'
    >>> clean_title("Kitchen Assistant - Full Time - Manchester")
    'kitchen assistant'
    >>> clean_title("Accounts / Admin Executive")
    'accounts executive'
    >>> clean_title("Lead Welder II @ Volvo")
    'welder'
    """
    if not isinstance(title, str):
        raise ResolutionError(f"a title must be a str, got {type(title).__name__}")
    _, segments, _ = _segments(title[:MAX_TEXT_LENGTH])
    return " ".join(segments[0]) if segments else ""
