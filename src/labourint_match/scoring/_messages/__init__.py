"""The words of explanations, in each language they are written in.

Every sentence frame, pathway text, reason, relation, activity, support, importance word,
component name, HTML heading and table header that :mod:`labourint_match.scoring.explain` writes,
for English (``en``), Swedish (``sv``), Norwegian Bokmål (``nb``), German (``de``), French
(``fr``), Italian (``it``), Arabic (``ar``) and Ukrainian (``uk``): one module per language, each a
``MESSAGES`` table with the keys of English and the same ``str.format`` placeholders, and a
``LANGUAGE_NAMES`` table (language names in that language, by ISO 639 code).

**Authored for this project.** Like the taxonomy's own labels in ``sv``, ``nb``, ``de``, ``fr``,
``it``, ``ar`` and ``uk`` (see ``taxonomies/README.md``), these texts are not ESCO's: ESCO
translates concept labels, not sentences. They were written for this project in a formal register,
for an adviser to read out to the person concerned, in the terms public employment services use.
Review by native speakers is welcome: edit the language's module; ``tests/scoring/
test_explain_lang.py`` checks that every language has every key of English with the same
placeholders. English is the reference, and its text is pinned by the golden test.

Numbers are written as in English (``0.82``) and dates in ISO 8601 in every language.
"""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType

from . import ar, de, en, fr, it, nb, sv, uk

__all__ = [
    "CATALOGUE",
    "EXPLANATION_LANGUAGES",
    "LANGUAGE_NAMES",
    "RIGHT_TO_LEFT",
    "frames_language",
]

#: The languages explanations are written in (their frames; labels come from the taxonomy).
EXPLANATION_LANGUAGES: tuple[str, ...] = ("en", "sv", "nb", "de", "fr", "it", "ar", "uk")

#: The languages written right to left.
RIGHT_TO_LEFT: frozenset[str] = frozenset({"ar"})

_MODULES = {"en": en, "sv": sv, "nb": nb, "de": de, "fr": fr, "it": it, "ar": ar, "uk": uk}

#: Language code -> message key -> frame.
CATALOGUE: Mapping[str, Mapping[str, str]] = MappingProxyType(
    {code: MappingProxyType(_MODULES[code].MESSAGES) for code in EXPLANATION_LANGUAGES}
)

#: Language code -> ISO 639 code -> the language's name in that language.
LANGUAGE_NAMES: Mapping[str, Mapping[str, str]] = MappingProxyType(
    {code: MappingProxyType(_MODULES[code].LANGUAGE_NAMES) for code in EXPLANATION_LANGUAGES}
)

# Norwegian: "no" (ESCO's and ISO 639-1's macrolanguage) and Nynorsk are written with Bokmål frames.
_ALIASES = {"no": "nb", "nn": "nb"}


def frames_language(lang: str) -> str:
    """The language of `lang`'s frames: a code of :data:`EXPLANATION_LANGUAGES`.

    Case, surrounding space and a region (``sv-SE``, ``pt_BR``) are ignored; ``no`` and ``nn`` are
    written in Bokmål (``nb``); any other language gets English.

    Examples
    --------
    >>> frames_language("SV-se"), frames_language("no"), frames_language("fi")
    ('sv', 'nb', 'en')
    """
    primary = lang.strip().lower().replace("_", "-").split("-")[0]
    primary = _ALIASES.get(primary, primary)
    return primary if primary in CATALOGUE else "en"
