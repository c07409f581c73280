"""Skills in running text: :meth:`SkillResolver.extract` and :meth:`SkillResolver.extract_many`.

A CV paragraph or a job-ad sentence mentions skills among words that are not skills. Extraction
finds them in four steps, all of them general rules (no word list mined from annotated data):

1. **Words and clauses.** The text is split into words with their character offsets in the text
   as given (zero-width characters, bidirectional marks and the like are skipped, combining marks
   stay inside their word, so a span always points at the original text). Punctuation that ends
   a clause (``. , ; : ! ? ( ) [ ] •``, a dash between spaces, a line break) and markup-like
   placeholders (``<ORGANIZATION>``) separate clauses; a hyphen, slash, apostrophe, ampersand or
   dot inside a word (``full-stack``, ``TCP/IP``, ``ASP.NET``) does not.
2. **Candidate spans.** Every run of one to :data:`MAX_SPAN_WORDS` words inside a clause that
   starts and ends with a word that has a letter and is neither a stop word nor a function word
   (:data:`FUNCTION_WORDS`: *it*, *can*, *have*, *less*; written in capitals, *IT* and *LESS* are
   names and may), and holds a word that is not a filler (``skills``, ``knowledge``); plus, for
   a coordination ``A and B C``, the phrase ``A C`` (``read and write Swedish`` also gives
   ``read Swedish``).
3. **Resolution.** Every distinct candidate is resolved like a mention
   (:meth:`SkillResolver.resolve_many`, exact, variant, acronym and fuzzy), a few concepts each.
   An abbreviation counts only where the text writes it in capitals, and one that stands for
   several concepts shares its score among them.
4. **Scoring and ranking.** A (span, concept) pair scores the resolver's score times the square
   of the share of the matched label that the span covers (its words weighted by their IDF over
   the taxonomy's own labels; exact, variant and acronym matches cover the label fully) times the
   match's specificity: the IDF mass of the label words matched, relative to that of a word
   found in a single label, capped at 1 (so that one generic word — *design*, *processes* —
   that happens to be a label counts for less than a rare one — *SQL* — or a phrase). A concept
   matched through an alternative label that is also another concept's preferred label, as
   well, keeps 0.8 of its score. Each concept keeps its best span (ties: the shorter, then the
   earlier); concepts are ranked by score.

Measured with ``benchmarks/bench_extract.py`` on full ESCO and the job-ad sentences of the
SkillSpan-ESCO validation splits (RP@5, HOUSE / TECH): 53.3 / 67.1, against 37.2 / 56.9 for every
word n-gram through the resolver; without label coverage 48.7 / 67.7, without specificity
50.5 / 63.3, without clause splitting 51.6 / 66.6 (the ``full`` profile lists each mechanism).
The constants here were set on those same sentences, the only annotated running text at hand.

Examples
--------
>>> from labourint_match import Taxonomy
>>> from labourint_match.resolve import SkillResolver
>>> resolver = SkillResolver(Taxonomy.default(), cache=False)
>>> text = "Wanted: a cook to greet guests, serve food and drinks and operate the cash point."
>>> for e in resolver.extract(text, top_k=3):
...     print(f"{e.score:.2f}  {e.label!r:22} from {text[e.span[0] : e.span[1]]!r}")
1.00  'greet guests'         from 'greet guests'
0.95  'operate cash point'   from 'operate the cash point'
0.80  'serve drinks'         from 'serve food and drinks'
"""

from __future__ import annotations

import functools
import re
import unicodedata
import warnings
from collections.abc import Iterable
from dataclasses import dataclass
from typing import NamedTuple

from .._progress import check_progress, progress_bar
from .._validate import positive_int, unit_interval
from ..errors import LabourintMatchWarning, ResolutionError
from ._normalise import (
    _INVISIBLE,
    _TATWEEL,
    FILLER_WORDS,
    STOP_WORDS,
    normalise,
    stem,
    strip_qualifier,
    tokens,
)
from ._report import TextReport
from ._resolver import KindsArg, LabelKind, Method, SkillResolver

__all__ = [
    "DEFAULT_MIN_SCORE",
    "MAX_EXTRACT_LENGTH",
    "MAX_SPAN_WORDS",
    "Extraction",
    "ExtractionReport",
    "extract_many",
]

#: Default bound on the length of a text, in characters; longer texts are truncated to it (with a
#: :class:`~labourint_match.errors.LabourintMatchWarning`, and listed in
#: :attr:`ExtractionReport.truncated`), so no input is ever slow. About four pages of a CV.
MAX_EXTRACT_LENGTH = 10_000
#: Longest candidate span, in words.
MAX_SPAN_WORDS = 6
#: Extractions scoring under this are left out by default.
DEFAULT_MIN_SCORE = 0.1

# Concepts asked of the resolver per candidate span.
_SPAN_TOP_K = 3
# A "word" longer than this is not a word (a hash, a URL, a run of letters): it ends a clause.
_MAX_WORD_LENGTH = 60
# The coverage of the label is raised to this power: a span that covers half of a label's
# information is weak evidence for it.
_COVERAGE_POWER = 2.0
# Credit for a label word that a span word only shares a long prefix with (maintain/maintenance).
_NEAR_CREDIT = 0.8
_NEAR_PREFIX = 5
_NEAR_SHARE = 0.6
# Share of the score a concept keeps when the text matched it through an alternative or hidden
# label, and another concept's preferred label just as well.
_SHARED_LABEL_SHARE = 0.8
# Switches for the benchmark's ablations (each mechanism on by default).
_CLAUSES = True
_EDGE_RULES = True
_FUNCTION_WORDS = True
_ACRONYM_RULES = True
_COORDINATION = True
_SPECIFICITY = True

_SKIP = frozenset(_INVISIBLE + _TATWEEL)
_TAG = re.compile(r"<[^<>\n]{0,40}>")
# A gap between two words that keeps them in one clause: spaces, or one joiner without spaces,
# or an ampersand between spaces.
_JOINERS = frozenset(("-", "/", "'", ".", "&", "_", "+"))
_CONJUNCTIONS = frozenset(("and", "or", "&", "och", "eller", "og", "und", "oder", "et", "ou"))
# Clitics after an apostrophe (company's, don't, you'll): never a span's edge.
_CLITICS = frozenset(("s", "t", "d", "m", "ll", "re", "ve"))
#: Function words that never start or end a span in running text (besides the resolver's
#: :data:`~labourint_match.resolve._normalise.STOP_WORDS`): pronouns, auxiliaries, quantifiers
#: and connectives of English and of the commonest languages of the bundled taxonomy. Written in
#: capitals (``IT``, ``LESS``) a word is a name, not a function word.
FUNCTION_WORDS: frozenset[str] = frozenset(
    (
        # English
        *("i", "me", "you", "he", "him", "she", "it", "we", "us", "they", "them", "who"),
        *("whom", "whose", "which", "what", "am", "was", "were", "do", "does", "did", "done"),
        *("have", "has", "had", "having", "can", "could", "will", "would", "shall", "should"),
        *("may", "might", "must", "not", "no", "nor", "some", "many", "much", "more", "most"),
        *("less", "least", "few", "each", "every", "both", "either", "neither", "very", "too"),
        *("so", "then", "than", "there", "here", "when", "where", "how", "why", "if", "but"),
        *("because", "while", "like", "just", "only", "well", "up", "out", "over", "under"),
        *("after", "before", "between", "through", "during", "without", "across", "upon"),
        *("yourself", "ourselves", "themselves", "someone", "anyone", "something", "able"),
        # Swedish, Norwegian, German, French
        *("jag", "du", "vi", "ni", "de", "kan", "ska", "har", "är", "var", "inte", "också"),
        *("jeg", "dere", "skal", "er", "ikke", "også", "ich", "sie", "wir", "ihr", "er"),
        *("kann", "können", "ist", "sind", "hat", "haben", "nicht", "auch", "je", "tu"),
        *("nous", "vous", "ils", "elle", "peut", "est", "sont", "pas", "aussi"),
    )
)


@functools.cache
def _word_pattern() -> re.Pattern[str]:
    """Words: letters and digits, with their combining marks; ``c++`` and ``c#`` stay whole."""
    marks: list[str] = []
    start = prev = -2
    for cp in range(0x30000):
        if unicodedata.category(chr(cp))[0] != "M":
            continue
        if cp != prev + 1:
            if start >= 0:
                marks.append(_range(start, prev))
            start = cp
        prev = cp
    marks.append(_range(start, prev))
    return re.compile(r"(?:[^\W_]|[" + "".join(marks) + r"])+[+#]*|[+#]+")


def _range(a: int, b: int) -> str:
    return f"\\U{a:08x}" if a == b else f"\\U{a:08x}-\\U{b:08x}"


@dataclass(frozen=True, slots=True)
class Extraction:
    """One concept that a text mentions, and where.

    Attributes
    ----------
    uri
        The concept.
    label
        The label of the concept that matched (as the taxonomy spells it).
    lang
        The language tag of that label (``""`` when untagged).
    score
        How confident the extraction is, in ``[0, 1]``: the resolver's score for the span, times
        the square of how much of the label the span covers, times how specific the matched
        words are (see :mod:`labourint_match.resolve._extract`).
    span
        ``(start, end)``: the characters of the text (as given) that the concept came from, so
        that ``text[start:end]`` is :attr:`text`.
    text
        The words of the text the concept came from.
    method
        How the span matched the label: as for :attr:`Resolution.method`.
    label_kind
        ``"pref"``, ``"alt"`` or ``"hidden"``.

    Examples
    --------
    >>> from labourint_match import Taxonomy
    >>> from labourint_match.resolve import SkillResolver
    >>> resolver = SkillResolver(Taxonomy.default(), cache=False)
    >>> e = resolver.extract("We need someone who can weld steel.", top_k=1)[0]
    >>> e.label, e.text, e.span
    ('weld', 'weld', (24, 28))
    """

    uri: str
    label: str
    lang: str
    score: float
    span: tuple[int, int]
    text: str
    method: Method
    label_kind: LabelKind


@dataclass(frozen=True)
class ExtractionReport(TextReport[Extraction]):
    """What :meth:`SkillResolver.extract_many` returns: one result list per text, in order.

    Nothing is dropped: ``len(report) == len(texts)``, and every text from which nothing was
    extracted is listed in :attr:`unresolved`.

    Attributes
    ----------
    texts
        The texts, as given.
    results
        For each text, its extractions, best first (empty when nothing was found).
    unresolved
        Positions of the texts that produced nothing (empty text, no skill found, or none
        scoring at least the minimum score).
    truncated
        Positions of the texts that were longer than the bound and were truncated.

    Examples
    --------
    >>> from labourint_match import Taxonomy
    >>> from labourint_match.resolve import SkillResolver
    >>> resolver = SkillResolver(Taxonomy.default(), cache=False)
    >>> report = resolver.extract_many(["I can weld and clean rooms.", "", "qqqxzv"], top_k=2)
    >>> [[e.label for e in found] for found in report]
    [['clean rooms', 'weld'], [], []]
    >>> report.unresolved, report.unresolved_texts
    ((1, 2), ('', 'qqqxzv'))
    """

    def to_records(self) -> list[dict[str, object]]:
        """One record per (text, extraction), and one with ``uri=None`` per text with none.

        Examples
        --------
        >>> from labourint_match import Taxonomy
        >>> from labourint_match.resolve import SkillResolver
        >>> resolver = SkillResolver(Taxonomy.default(), cache=False)
        >>> records = resolver.extract_many(["I weld.", "zzqxv"], top_k=1).to_records()
        >>> [(r["position"], r["label"], r["start"], r["end"]) for r in records]
        [(0, 'weld', 2, 6), (1, None, None, None)]
        """
        out: list[dict[str, object]] = []
        for i, found in enumerate(self.results):
            if not found:
                out.append(
                    {
                        "position": i,
                        "rank": None,
                        "uri": None,
                        "label": None,
                        "lang": None,
                        "score": None,
                        "start": None,
                        "end": None,
                        "text": None,
                        "method": None,
                        "label_kind": None,
                    }
                )
            for rank, e in enumerate(found):
                out.append(
                    {
                        "position": i,
                        "rank": rank,
                        "uri": e.uri,
                        "label": e.label,
                        "lang": e.lang,
                        "score": e.score,
                        "start": e.span[0],
                        "end": e.span[1],
                        "text": e.text,
                        "method": e.method,
                        "label_kind": e.label_kind,
                    }
                )
        return out


# -- words, clauses and candidate spans -------------------------------------------------------


class _Word(NamedTuple):
    start: int  # offsets in the original text
    end: int
    clean_start: int  # offsets in the text without invisible characters
    clean_end: int
    norm: str
    clause: int
    edge: bool  # may start or end a span
    content: bool  # carries meaning (not a stop word, filler or clitic)


def _words(text: str) -> tuple[str, list[_Word]]:
    """The text without invisible characters, and its words with their offsets and clauses."""
    if any(ch in _SKIP for ch in text):
        kept = [i for i, ch in enumerate(text) if ch not in _SKIP]
        clean = "".join(text[i] for i in kept)
    else:
        kept = []
        clean = text
    scan = _TAG.sub(lambda m: "\n" * len(m.group()), clean)
    out: list[_Word] = []
    clause = 0
    prev_end = -1
    for m in _word_pattern().finditer(scan):
        s, e = m.span()
        if e - s > _MAX_WORD_LENGTH:
            clause += 1
            prev_end = -1
            continue
        gap = scan[prev_end:s] if prev_end >= 0 else ""
        if prev_end >= 0 and _CLAUSES and not _joins(gap):
            clause += 1
        prev_end = e
        norm = normalise(clean[s:e])
        clitic = gap == "'" and norm in _CLITICS
        function = _FUNCTION_WORDS and norm in FUNCTION_WORDS and not _capitals(clean[s:e])
        edge = (
            not clitic
            and not function
            and norm not in STOP_WORDS
            and any(ch.isalpha() for ch in norm)
        )
        content = edge and norm not in FILLER_WORDS
        if not _EDGE_RULES:
            edge = content = True
        a, b = (s, e) if not kept else (kept[s], kept[e - 1] + 1)
        out.append(_Word(a, b, s, e, norm, clause, edge, content))
    return clean, out


def _capitals(word: str) -> bool:
    """Whether a word is written in capitals (two letters or more, none in lower case)."""
    return sum(ch.isupper() for ch in word) >= 2 and not any(ch.islower() for ch in word)


def _joins(gap: str) -> bool:
    """Whether the characters between two words keep them in one clause."""
    if gap in _JOINERS or gap == "":
        return True
    if "\n" in gap:
        return False
    return gap.isspace() or gap.strip() == "&"


class _Span(NamedTuple):
    first: int  # word index
    last: int  # word index, inclusive
    query: str  # the text resolved


def _spans(clean: str, words: list[_Word]) -> list[_Span]:
    """Candidate spans: runs of words in a clause with meaningful edges, and coordinations."""
    out: list[_Span] = []
    n = len(words)
    for i in range(n):
        if not words[i].edge:
            continue
        has_content = False
        for j in range(i, min(n, i + MAX_SPAN_WORDS)):
            if words[j].clause != words[i].clause:
                break
            has_content = has_content or words[j].content
            if words[j].edge and has_content:
                query = " ".join(clean[words[i].clean_start : words[j].clean_end].split())
                out.append(_Span(i, j, query))
    # "A and B C" also says "A C": the left conjunct shares the right one's head.
    for k in range(1, n - 2 if _COORDINATION else 0):
        left = words[k - 1]
        if words[k].norm not in _CONJUNCTIONS or not left.content:
            continue
        if words[k].clause != left.clause:
            continue
        head = clean[left.clean_start : left.clean_end]
        for j in range(k + 2, min(n, k + MAX_SPAN_WORDS)):
            if words[j].clause != left.clause:
                break
            if words[j].edge:
                rest = clean[words[k + 2].clean_start : words[j].clean_end]
                out.append(_Span(k - 1, j, " ".join([head, *rest.split()])))
    return out


# -- scoring ------------------------------------------------------------------------------------


def _near(a: str, b: str) -> float:
    """Credit for label word `a` given span word `b`: 1 when equal, less for a shared prefix."""
    if a == b:
        return 1.0
    shared = 0
    for x, y in zip(a, b, strict=False):
        if x != y:
            break
        shared += 1
    if shared >= _NEAR_PREFIX and shared >= _NEAR_SHARE * min(len(a), len(b)):
        return _NEAR_CREDIT
    return 0.0


class _Scorer:
    """Label coverage and specificity of a match, from the resolver's index."""

    def __init__(self, resolver: SkillResolver) -> None:
        self._resolver = resolver
        index = resolver._index
        self._idf = index.idf
        self._vocab = resolver._vocab
        self._max_idf = float(index.idf.max()) if len(index.idf) else 1.0
        self._fold = resolver._fold_nordic
        self._labels: dict[str, tuple[tuple[str, float], ...]] = {}
        self._queries: dict[str, tuple[tuple[str, float], ...]] = {}

    def _weigh(self, stems: list[str]) -> tuple[tuple[str, float], ...]:
        out: dict[str, float] = {}
        for s in stems:
            j = self._vocab.get("w" + s)
            out[s] = float(self._idf[j]) if j is not None else self._max_idf
        return tuple(out.items())

    def label_words(self, label: str) -> tuple[tuple[str, float], ...]:
        """Content-word stems of a label (without its parenthesised qualifier), with IDFs."""
        hit = self._labels.get(label)
        if hit is None:
            norm = strip_qualifier(normalise(label, fold_nordic=self._fold))
            hit = self._weigh([stem(w) for w in tokens(norm) if w not in STOP_WORDS])
            if len(self._labels) > 1 << 16:
                self._labels.clear()
            self._labels[label] = hit
        return hit

    def query_words(self, query: str) -> tuple[tuple[str, float], ...]:
        """Content-word stems of a span (fillers left out unless nothing else is there).

        A word the index does not hold is replaced by the index word it most likely misspells,
        as the resolver does, so that a typo still covers the word it stands for.
        """
        hit = self._queries.get(query)
        if hit is None:
            words = [w for w in tokens(normalise(query, fold_nordic=self._fold))]
            kept = [w for w in words if w not in STOP_WORDS and w not in FILLER_WORDS]
            stems: list[str] = []
            for w in kept or [w for w in words if w not in STOP_WORDS]:
                s = stem(w)
                if "w" + s not in self._vocab:
                    j, _ = self._resolver._correct(s)
                    if j >= 0:
                        s = self._resolver._index.features[j][1:]
                stems.append(s)
            hit = self._weigh(stems)
            if len(self._queries) > 1 << 16:
                self._queries.clear()
            self._queries[query] = hit
        return hit

    def score(self, query: str, label: str, resolved: float, method: str) -> float:
        """The extraction score of `query` resolved to `label` with score `resolved`."""
        label_words = self.label_words(label)
        total = sum(w for _, w in label_words)
        if not total:
            return 0.0
        if method == "fuzzy":
            span = [s for s, _ in self.query_words(query)]
            matched = sum(w * max((_near(s, q) for q in span), default=0.0) for s, w in label_words)
        else:  # exact, variant and acronym matches cover the label by construction
            matched = total
        coverage: float = matched / total
        specificity = min(1.0, matched / self._max_idf) if _SPECIFICITY else 1.0
        return float(resolved) * float(coverage**_COVERAGE_POWER) * specificity


# -- the entry point ----------------------------------------------------------------------------


def extract_many(
    resolver: SkillResolver,
    texts: Iterable[str],
    *,
    top_k: int,
    lang: str | None,
    kinds: KindsArg | None,
    min_score: float,
    max_length: int,
    caller: str = "extract_many",
    progress: bool | None = None,
) -> ExtractionReport:
    """Extract the concepts each text mentions (see :meth:`SkillResolver.extract_many`)."""
    if isinstance(texts, (str, bytes)):
        raise ResolutionError(
            "extract_many takes a list of texts, not a single string; use extract() for one"
        )
    try:
        items = list(texts)
    except TypeError:
        raise ResolutionError(
            f"extract_many takes a list of strings, got {type(texts).__name__}"
        ) from None
    for i, t in enumerate(items):
        if not isinstance(t, str):
            raise ResolutionError(f"text at position {i} must be a str, got {type(t).__name__}")
    top_k = positive_int(top_k, "top_k")
    min_score = unit_interval(min_score, "min_score")
    max_length = positive_int(max_length, "max_length")
    check_progress(progress)
    # Validates lang and kinds (raising ConfigError) before any work is done.
    resolver.resolve_many([], lang, top_k=1, kinds=kinds)

    truncated = [i for i, t in enumerate(items) if len(t) > max_length]
    if truncated:
        shown = ", ".join(map(str, truncated[:10])) + (", …" if len(truncated) > 10 else "")
        warnings.warn(
            f"{len(truncated)} text(s) longer than {max_length} characters were truncated to "
            f"that length (positions {shown})",
            LabourintMatchWarning,
            stacklevel=3 if caller == "extract_many" else 4,
        )
    bar_total = len(items) * 2
    with progress_bar(bar_total, "extracting", progress, unit="steps") as bar:
        parsed = []
        queries: dict[str, None] = {}
        for t in items:
            clean, words = _words(t[:max_length])
            spans = _spans(clean, words)
            parsed.append((words, spans))
            queries.update(dict.fromkeys(s.query for s in spans))
            bar.update()
        unique = list(queries)
        report = resolver.resolve_many(unique, lang, top_k=_SPAN_TOP_K, kinds=kinds)
        resolved = dict(zip(unique, report.results, strict=True))
        scorer = _Scorer(resolver)
        results: list[tuple[Extraction, ...]] = []
        for t, (words, spans) in zip(items, parsed, strict=True):
            best: dict[str, tuple[float, int, int, Extraction]] = {}
            for span in spans:
                start, end = words[span.first].start, words[span.last].end
                found = resolved[span.query]
                # In running text an abbreviation is written in capitals, and one that stands for
                # several concepts says little about each.
                n_acronyms = sum(r.method == "acronym" for r in found)
                # A text that is one concept's preferred label and another's alternative one names
                # the first rather than the second.
                preferred = {(r.method, r.score) for r in found if r.label_kind == "pref"}
                for r in found:
                    share = 1.0
                    if r.method == "acronym" and _ACRONYM_RULES:
                        if not _capitals(span.query):
                            continue
                        share = 1.0 / n_acronyms
                    elif r.label_kind != "pref" and (r.method, r.score) in preferred:
                        share = _SHARED_LABEL_SHARE
                    score = round(share * scorer.score(span.query, r.label, r.score, r.method), 6)
                    key = (-score, end - start, start)
                    held = best.get(r.uri)
                    if held is not None and (held[0], held[1], held[2]) <= key:
                        continue
                    best[r.uri] = (
                        key[0],
                        key[1],
                        key[2],
                        Extraction(
                            uri=r.uri,
                            label=r.label,
                            lang=r.lang,
                            score=score,
                            span=(start, end),
                            text=t[start:end],
                            method=r.method,
                            label_kind=r.label_kind,
                        ),
                    )
            ranked = sorted(best.values(), key=lambda v: (v[0], v[1], v[2], v[3].uri))
            kept = [v[3] for v in ranked if v[3].score >= min_score and v[3].score > 0]
            results.append(tuple(kept[:top_k]))
            bar.update()
    return ExtractionReport(
        texts=tuple(items),
        results=tuple(results),
        unresolved=tuple(i for i, r in enumerate(results) if not r),
        truncated=tuple(truncated),
    )
