"""Text normalisation, tokenisation and light stemming for skill resolution.

:func:`normalise` gives the canonical form under which a mention and a label are compared for an
exact match; :func:`tokens`, :func:`stem` and :func:`content_words` give the word-level view the
fuzzy index is built on. All of them are pure functions of their input: the resolver applies the
very same steps to taxonomy labels and to mentions.
"""

from __future__ import annotations

import functools
import re
import unicodedata

__all__ = [
    "FILLER_WORDS",
    "STOP_WORDS",
    "content_words",
    "normalise",
    "stem",
    "strip_fillers",
    "strip_qualifier",
    "tokens",
    "variant_key",
]

# Characters that carry no letters: zero-width characters (ZWSP, ZWNJ, ZWJ, word joiner and the
# invisible operators), bidirectional marks and embeddings/isolates (LRM, RLM, ALM, LRE…PDF,
# LRI…PDI), the byte order mark, the soft hyphen, the Mongolian vowel separator and the
# interlinear annotation characters. Removed before NFKC so that they cannot block composition.
_INVISIBLE = (
    "\u00ad\u061c\u180e\u200b\u200c\u200d\u200e\u200f\u202a\u202b\u202c\u202d\u202e"
    "\u2060\u2061\u2062\u2063\u2064\u2066\u2067\u2068\u2069\u206a\u206b\u206c\u206d\u206e\u206f"
    "\ufeff\ufff9\ufffa\ufffb"
)
_TATWEEL = "\u0640"
_BEFORE: dict[int, int | str | None] = {ord(ch): None for ch in _INVISIBLE + _TATWEEL}
# Arabic-Indic and Extended (Persian/Urdu) Arabic-Indic digits → ASCII digits; NFKC leaves them.
_BEFORE.update({0x0660 + d: ord("0") + d for d in range(10)})
_BEFORE.update({0x06F0 + d: ord("0") + d for d in range(10)})
# Typographic apostrophes, quotes and dashes → their ASCII forms.
_BEFORE.update({ord(ch): "'" for ch in "\u2018\u2019\u201a\u201b\u02bc\u2032\u00b4\uff07"})
_BEFORE.update({ord(ch): '"' for ch in "\u201c\u201d\u201e\u201f\u00ab\u00bb\u2033"})
_BEFORE.update({ord(ch): "-" for ch in "\u2010\u2011\u2012\u2013\u2014\u2015\u2212\ufe63\uff0d"})

# Arabic diacritics (harakat, tanwin, shadda, sukun, hamza and madda marks, superscript alef)
# and Quranic annotation marks. Removed after NFKC, which may produce them from presentation forms.
_ARABIC_MARKS = [
    *range(0x0610, 0x061B),
    *range(0x064B, 0x0660),
    0x0670,
    *range(0x06D6, 0x06DD),
    *range(0x06DF, 0x06E9),
    *range(0x06EA, 0x06EE),
]
_AFTER: dict[int, int | str | None] = dict(_BEFORE)
_AFTER.update({cp: None for cp in _ARABIC_MARKS})
_NORDIC = {ord("å"): "a", ord("ä"): "a", ord("æ"): "ae", ord("ø"): "o", ord("ö"): "o"}

#: Function words that the fuzzy stage ignores and the variant key drops (English, plus the
#: commonest ones of the bundled languages). They still count for an exact match.
STOP_WORDS: frozenset[str] = frozenset(
    (
        # English
        *("a", "an", "the", "of", "and", "or", "in", "on", "for", "to", "with", "by", "at"),
        *("from", "as", "into", "onto", "about", "via", "per", "within", "your", "our", "their"),
        *("its", "my", "his", "her", "this", "that", "these", "those", "is", "are", "be"),
        *("been", "being", "any", "all", "other", "such", "etc", "e.g", "i.e", "also", "own"),
        "using",
        # Swedish and Norwegian
        *("och", "og", "i", "på", "av", "för", "for", "med", "till", "til", "som", "att"),
        *("at", "en", "ett", "et", "det", "den"),
        # German
        *("und", "oder", "der", "die", "das", "des", "dem", "den", "ein", "eine", "einer"),
        *("eines", "einem", "für", "mit", "von", "zu", "im", "auf", "bei"),
        # French and Italian
        *("et", "ou", "le", "la", "les", "l", "de", "du", "des", "un", "une", "pour", "avec"),
        *("dans", "sur", "au", "aux", "d", "e", "o", "il", "lo", "gli", "di", "del", "della"),
        *("dei", "delle", "da", "con", "nel", "nella", "su", "una"),
    )
)

#: Words that job ads and CVs wrap around a skill without changing it ("communication *skills*",
#: "*strong knowledge of* SQL"). The fuzzy stage and a second variant lookup ignore them in
#: mentions (not in labels), unless nothing else is left.
FILLER_WORDS: frozenset[str] = frozenset(
    (
        *("skill", "skills", "knowledge", "experience", "experienced", "ability", "abilities"),
        *("competence", "competences", "competency", "competencies", "proficiency"),
        *("proficient", "familiarity", "familiar", "understanding", "strong", "good"),
        *("excellent", "solid", "proven", "mindset", "workstyle"),
    )
)
_FILLER = re.compile(r"(?<![\w])(?:" + "|".join(sorted(FILLER_WORDS)) + r")(?![\w])")

_WORD = re.compile(r"[^\W_]+[+#]*|[+#]+")
_PAREN = re.compile(r"\s*\([^()]*\)\s*$")


def normalise(text: str, *, fold_nordic: bool = False) -> str:
    """Return the canonical form under which mentions and labels are compared.

    The steps, in order: remove zero-width characters, bidirectional marks, the byte order mark,
    the soft hyphen and Arabic tatweel; map Arabic-Indic digits to ASCII digits and typographic
    quotes and dashes to ASCII ones; apply NFKC, casefold and NFKC again; remove Arabic
    diacritics (harakat, tanwin, shadda, sukun, superscript alef, Quranic marks; letters with a
    precomposed hamza such as ``أ`` stay as they are); optionally fold Nordic letters; collapse
    runs of whitespace to one space and strip the ends. The result is idempotent:
    ``normalise(normalise(t)) == normalise(t)``.

    Letters with diacritics stay distinct from plain letters (``é`` is not ``e``); in
    particular ``å``, ``ä``, ``æ``, ``ø`` and ``ö`` stay distinct unless `fold_nordic` is true,
    which maps them to ``a``, ``a``, ``ae``, ``o`` and ``o``.

    Parameters
    ----------
    text
        Any string.
    fold_nordic
        Fold the Nordic letters as above (useful for text typed on keyboards without them).

    Returns
    -------
    str
        The normalised text (empty when `text` holds nothing but spaces and invisible marks).

    Examples
    --------
    >>> normalise("  Team\u200bwork  ")
    'teamwork'
    >>> normalise("ﺍﻟﻠﻐـــة ٱلْعَرَبِيَّة ٣")
    'اللغة ٱلعربية 3'
    >>> normalise("Sveis\u0065\u0301 og Førerkort"), normalise("Førerkort", fold_nordic=True)
    ('sveisé og førerkort', 'forerkort')
    """
    if text.isascii():
        # Fast path: for ASCII, NFKC is the identity and casefold is lower().
        return " ".join(text.lower().split())
    text = text.translate(_BEFORE)
    # NFKC, casefold, NFKC again: casefolding can leave text that NFKC would still change.
    text = unicodedata.normalize("NFKC", unicodedata.normalize("NFKC", text).casefold())
    stripped = text.translate(_AFTER)
    if stripped != text:
        text = unicodedata.normalize("NFC", stripped)
    if fold_nordic:
        text = text.translate(_NORDIC)
    return " ".join(text.split())


def tokens(normalised: str) -> list[str]:
    """Split normalised text into words (letters and digits; ``c++`` and ``c#`` stay whole).

    Examples
    --------
    >>> tokens("c++, c# and asp.net-web-api")
    ['c++', 'c#', 'and', 'asp', 'net', 'web', 'api']
    """
    return _WORD.findall(normalised)


_US_Z = re.compile(r"(?<=[iy])z(?=[aei])")
# Derivational suffixes (one is stripped), then inflectional ones (one is stripped).
_DERIVATIONAL: tuple[tuple[str, str], ...] = (
    ("ational", "ate"),
    ("ations", "ate"),
    ("ation", "ate"),
    ("ogical", "ogy"),
    ("ically", "ic"),
    ("ical", "ic"),
    ("ivity", "ive"),
    ("ability", "abl"),
    ("ibility", "ibl"),
    ("ments", ""),
    ("ment", ""),
    ("ively", "ive"),
    ("ness", ""),
    ("ive", ""),
    ("ence", "ent"),
    ("ency", "ent"),
    ("ance", "ant"),
    ("ful", ""),
    ("ly", ""),
)
_INFLECTIONAL: tuple[tuple[str, str], ...] = (
    ("ings", ""),
    ("ing", ""),
    ("ies", "y"),
    ("ied", "y"),
    ("ed", ""),
    ("es", ""),
    ("s", ""),
    ("e", ""),
)


def _strip(word: str, suffixes: tuple[tuple[str, str], ...]) -> str:
    for suffix, replacement in suffixes:
        if word.endswith(suffix) and len(word) - len(suffix) >= 3:
            if suffix == "s" and word[-2] in "siu":
                return word
            return word[: -len(suffix)] + replacement
    return word


@functools.lru_cache(maxsize=1 << 16)
def stem(word: str, *, light: bool = False) -> str:
    """Strip common English suffixes (and unify the -ise/-ize, -yse/-yze, -our/-or spellings).

    With `light`, only inflections are stripped (``problems`` → ``problem``, ``solving`` →
    ``solv``), not derivations (``creative`` stays apart from ``create``): that is what the
    variant lookup uses, where a match is reported with high confidence.

    Deliberately light and the same for every language: it conflates ``solving``/``solve``/
    ``solves``, ``organization``/``organisation``, ``behavior``/``behaviour``,
    ``innovation``/``innovative``, and leaves short words, words with digits and non-Latin words
    alone (apart from the Arabic article ``ال``). Over-conflation only costs precision in the
    fuzzy stage, where the re-ranker looks at the full text again.

    Examples
    --------
    >>> [stem(w) for w in ["solving", "problems", "organizational", "behaviour", "sql"]]
    ['solv', 'problem', 'organisat', 'behavior', 'sql']
    >>> stem("innovation") == stem("innovative") == stem("innovately")
    True
    >>> stem("creative", light=True) == stem("create", light=True)
    False
    """
    if len(word) <= 3 or not word.isalpha():
        return word
    if not word.isascii():
        if word.startswith("ال") and len(word) > 4:
            return word[2:]
        return word
    word = _US_Z.sub("s", word)
    if word.endswith("our"):
        word = word[:-3] + "or"
    if light:
        return _strip(word, _INFLECTIONAL)
    return _strip(_strip(_strip(word, _DERIVATIONAL), _DERIVATIONAL), _INFLECTIONAL)


def content_words(normalised: str, *, light: bool = False) -> list[str]:
    """The stems (:func:`stem`) of the words of `normalised` that are not stop words, in order.

    Examples
    --------
    >>> content_words("manage relationships with the stakeholders")
    ['manag', 'relationship', 'stakeholder']
    """
    return [stem(w, light=light) for w in _WORD.findall(normalised) if w not in STOP_WORDS]


def variant_key(normalised: str) -> str:
    """A key equal for texts that differ only in punctuation, stop words, inflection or word order.

    Derivations stay apart: ``creative solutions`` is not a variant of ``create solutions``.

    Examples
    --------
    >>> key = variant_key("stakeholders: manage relations with")
    >>> key == variant_key("manage relation stakeholder")
    True
    """
    return " ".join(sorted(content_words(normalised, light=True)))


def strip_fillers(normalised: str) -> str:
    """Drop :data:`FILLER_WORDS`, and then leading stop words, from a normalised mention.

    Returns the text unchanged when that would leave no content word.

    Examples
    --------
    >>> strip_fillers("strong knowledge of sql"), strip_fillers("communication skills")
    ('sql', 'communication')
    >>> strip_fillers("skills")
    'skills'
    """
    words = _FILLER.sub(" ", normalised).split()
    while words and words[0] in STOP_WORDS:
        del words[0]
    stripped = " ".join(words)
    return stripped if content_words(stripped) else normalised


def strip_qualifier(normalised: str) -> str:
    """Remove a trailing parenthesised qualifier: ``java (computer programming)`` → ``java``.

    Examples
    --------
    >>> strip_qualifier("java (computer programming)")
    'java'
    """
    return _PAREN.sub("", normalised)
