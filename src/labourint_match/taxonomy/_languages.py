"""Language concepts: English language names to ISO 639 codes, and the four CEFR activities.

ESCO models each language as a knowledge concept ("Arabic") with four narrower skills, one per CEFR
activity: "understand spoken Arabic" (listening), "understand written Arabic" (reading), "interact
verbally in Arabic" (spoken interaction) and "write Arabic" (writing). ESCO carries no ISO codes, so
the mapping from the English name is kept here. ISO 639-1 is used wherever it has a code; the few
languages without one keep their ISO 639-2/3 code (``ber``, ``cnr``, ``rom``, ``prs``).
"""

from __future__ import annotations

import re

__all__ = ["CEFR_ACTIVITIES", "LANGUAGE_CODES", "canonical_language_code", "parse_language_label"]

#: The CEFR activities, in the order used by the compiled arrays.
CEFR_ACTIVITIES: tuple[str, ...] = ("listening", "reading", "spoken_interaction", "writing")

#: English language name (as in ESCO's preferred labels) → ISO 639 code.
LANGUAGE_CODES: dict[str, str] = {
    "Albanian": "sq", "Arabic": "ar", "Armenian": "hy", "Azerbaijani": "az", "Basque": "eu",
    "Belarusian": "be", "Bengali": "bn", "Berber": "ber", "Bihari": "bh", "Bosnian": "bs",
    "Bulgarian": "bg", "Catalan": "ca", "Chinese": "zh", "Croatian": "hr", "Czech": "cs",
    "Danish": "da", "Dari": "prs", "Dutch": "nl", "English": "en", "Estonian": "et",
    "Finnish": "fi", "French": "fr", "Galician": "gl", "Georgian": "ka", "German": "de",
    "Greek": "el", "Gujarati": "gu", "Hebrew": "he", "Hindi": "hi", "Hungarian": "hu",
    "Icelandic": "is", "Irish": "ga", "Italian": "it", "Japanese": "ja", "Javanese": "jv",
    "Kazakh": "kk", "Korean": "ko", "Kurdish": "ku", "Latvian": "lv", "Limburgish": "li",
    "Lithuanian": "lt", "Macedonian": "mk", "Malay": "ms", "Maltese": "mt", "Marathi": "mr",
    "Montenegrin": "cnr", "Norwegian": "no", "Occitan": "oc", "Pashto": "ps", "Persian": "fa",
    "Polish": "pl", "Portuguese": "pt", "Punjabi": "pa", "Romani": "rom", "Romanian": "ro",
    "Russian": "ru", "Sanskrit": "sa", "Sardinian": "sc", "Serbian": "sr", "Slovak": "sk",
    "Slovenian": "sl", "Somali": "so", "Spanish": "es", "Swedish": "sv", "Tamil": "ta",
    "Telugu": "te", "Tigrinya": "ti", "Turkish": "tr", "Ukrainian": "uk", "Urdu": "ur",
    "Vietnamese": "vi", "Walloon": "wa", "Welsh": "cy", "Yiddish": "yi",
}  # fmt: skip

# Codes that name the same language concept as another code in ESCO's model.
_ALIASES = {"nb": "no", "nn": "no"}

_ACTIVITY_PATTERNS = (
    (re.compile(r"^understand spoken (?P<name>.+)$"), "listening"),
    (re.compile(r"^understand written (?P<name>.+)$"), "reading"),
    (re.compile(r"^interact verbally in (?P<name>.+)$"), "spoken_interaction"),
    (re.compile(r"^write (?P<name>.+)$"), "writing"),
)


def canonical_language_code(code: str) -> str:
    """Return the code under which a language is filed (``nb`` and ``nn`` → ``no``).

    Examples
    --------
    >>> canonical_language_code("NB")
    'no'
    >>> canonical_language_code("ar")
    'ar'
    """
    lowered = code.strip().lower()
    return _ALIASES.get(lowered, lowered)


def parse_language_label(label: str) -> tuple[str, str | None] | None:
    """Read an English preferred label as a language concept or a CEFR activity.

    Returns ``(iso_code, activity)``, where `activity` is ``None`` for the language itself, or
    ``None`` when the label names neither.

    Examples
    --------
    >>> parse_language_label("interact verbally in Arabic")
    ('ar', 'spoken_interaction')
    >>> parse_language_label("Ukrainian")
    ('uk', None)
    >>> parse_language_label("write reports") is None
    True
    """
    code = LANGUAGE_CODES.get(label)
    if code is not None:
        return code, None
    for pattern, activity in _ACTIVITY_PATTERNS:
        match = pattern.match(label)
        if match is not None:
            code = LANGUAGE_CODES.get(match.group("name"))
            if code is not None:
                return code, activity
    return None
