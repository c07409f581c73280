"""Job titles → occupations: :class:`TitleResolver` and :func:`clean_title`.

People describe their past work, and employers their openings, by job title: ``Senior Software
Developer (m/w/d) - London``, ``Accounts cum Admin Executive``, ``HR Assistant/Executive``. A title
is not a skill mention: it carries noise around the occupation (seniority, gender markers, contract
and location), often names two roles at once, and names the occupation mostly by its last noun.

Cleaning (:func:`clean_title` and the private ``title_variants``)
    NFKC and casefold (:func:`~labourint_match.resolve.normalise`); gender markers (``m/w/d``,
    ``f/m/x``, ``h/f``; ``male``, ``female``, ``only``) and the words of :data:`NOISE_WORDS`
    (seniority: ``senior``, ``junior``, ``lead``, ``trainee``, ``intern`` …; contract and time:
    ``full time``, ``contract``, ``remote`` …; hiring: ``urgent``, ``wanted``, ``vacancy`` …) and
    numbers and roman numerals dropped; bracketed text set apart; the rest split into parts on
    separators (`` - ``, ``,``, ``|``, ``@``, and the words ``at``, ``in``, ``for``, ``based``: the
    first part is the main title, later ones a location, a company or a second role) and each part
    into coordinated roles (``/``, ``cum``, ``or``). A one-word role next to a longer one borrows
    its head or its modifiers (``accounts / admin executive`` → ``accounts executive``; ``hr
    assistant / executive`` → ``hr executive``).
Matching
    Words are stemmed (:func:`~labourint_match.resolve._normalise.stem`); a word the taxonomy does
    not hold is spelling-corrected against its occupation labels' words; two adjacent words that
    the labels write as one are joined (``book keeper`` → ``bookkeeper``); an acronym that the
    taxonomy itself attests (two labels of one concept that differ only in ``hr`` / ``human
    resources``, ``qc`` / ``quality control``) also counts as its expansion. Every candidate
    occupation gets features: BM25 of the title's words against the occupation's own labels
    (preferred, alternative, hidden, in every language), against the labels of its broader concepts
    (the ISCO group and the broader occupation: the hierarchy as a tie-break) and against its
    essential skills' preferred labels; the share of the title's words (by idf) that the labels
    hold, by stem and by a coarser root (``marketing`` / ``marketer``); whether a label ends in the
    title's head noun (its last word), by stem and by root, or holds it anywhere; the score, rank
    and method of the :class:`~labourint_match.resolve.SkillResolver` over occupations; and, of
    the occupation alone, its place in the hierarchy and how specific it is: the depth of its code,
    whether it sits right under an ISCO group, whether it has narrower occupations (an umbrella
    concept), the length of its preferred label and its number of labels (a title names the plain
    occupation more often than a specialisation or an umbrella). Each feature is the best over the
    title's variants, an alternative's value discounted.
Ranking and confidence
    Candidates are the best of each of the main features; a linear score over the features ranks
    them, and the score's softmax over the candidates and a *none of these* option (whose score is
    a constant) is the :attr:`Resolution.score`: the probability, on real job-ad titles, that an
    occupation is the one a person labelling the title chose. The weights and the constant were
    fitted on a seeded half of 15,463 job-ad titles labelled with ESCO occupations (``python -m
    benchmarks.tune_titles``; the other half is held back for ``bench_titles``). Those labels are
    noisy (``sales executive`` is labelled *sales assistant* as often as *commercial sales
    representative*), so even a correct reading often scores well under 1: compare scores with each
    other, not with a skill resolution's.
Measured (``python -m benchmarks --only bench_titles``, full ESCO v1.1.1, 7,732 held-back titles)
    R@1 0.283 and R@5 0.470, against 0.254 and 0.427 for ``SkillResolver(kinds="occupation")`` on
    the raw title, and 0.170 and 0.258 for rapidfuzz ``WRatio`` over every occupation label (the
    ``full`` profile, all held-back titles); about 290 distinct titles a second on one core. Each
    mechanism's gain, cross-validated on the tuning half (with it / without it): the occupation's
    hierarchy and specificity features R@1 0.280 / 0.260, R@5 0.485 / 0.479; noise words and
    numbers R@5 0.479 / 0.473; coordinated roles and their shared heads R@1 0.260 / 0.256;
    attested acronyms, spelling correction and joined compounds about +0.001 R@5 each; splitting
    off later parts and brackets is within noise on these titles (kept: it makes
    :func:`clean_title` what a person would write, and the whole title is matched as well).
    Without a prior on which occupations job ads name (which the labels would give, and which would
    not carry over to other job markets), words and the taxonomy alone reach no further on these
    labels: the issue's target of R@5 0.55 is not met.

Examples
--------
>>> clean_title("Senior Software Developer (m/w/d) - London")
'software developer'
>>> clean_title("URGENT!! Accounts cum Admin Executive, Full Time")
'accounts executive'
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import scipy.sparse as sp
from numpy.typing import NDArray
from rapidfuzz import fuzz, process

from ..errors import ConfigError, ResolutionError
from ..taxonomy import Taxonomy
from ..taxonomy._compiled import KIND_NAMES, LABEL_KINDS
from ._normalise import STOP_WORDS, normalise, stem, tokens
from ._resolver import MAX_TEXT_LENGTH, Resolution, ResolutionReport, SkillResolver

__all__ = ["FEATURES", "NOISE_WORDS", "TitleResolver", "clean_title"]

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


def _content(text: str) -> list[str]:
    return [w for w in tokens(text) if w not in STOP_WORDS]


def _clean(words: list[str]) -> list[str]:
    return [w for w in words if w not in NOISE_WORDS and not _NUMBER.match(w)]


def _roles(part: str) -> list[list[str]]:
    """The coordinated roles of one part of a title, cleaned, sharing heads and modifiers.

    A one-word role next to a longer one borrows its head or its modifiers: ``accounts / admin
    executive`` → ``accounts executive``, ``admin executive``; ``hr assistant / executive`` →
    ``hr assistant``, ``hr executive``.
    """
    roles = [r for r in (_clean(_content(x)) for x in _COORDINATOR.split(part)) if r]
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

    add(_clean(_content(_ANY_SEPARATOR.sub(" ", main))), 1.0)
    for k, seg in enumerate(segments):
        add(seg, 1.0 if k == 0 else _W_ALTERNATIVE)
    for text in inside:
        for part in _SEPARATOR.split(text):
            for role in _roles(part):
                add(role, _W_BRACKET)
    if not out:  # nothing but noise words: match them rather than nothing (gender marks aside)
        add(_content(" ".join([main, *inside])), 1.0)
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


# -- the model -----------------------------------------------------------------------------------

#: The features of a (title, occupation) pair, in the order of :data:`_WEIGHTS`.
FEATURES: tuple[str, ...] = (
    "base",
    "base_rr",
    "exact",
    "bm_label",
    "bm_group",
    "bm_skill",
    "cov",
    "rcov",
    "head",
    "head_in",
    "head_root",
    "depth",
    "top",
    "narrower",
    "pref_len",
    "n_labels",
)
# Features of the occupation alone (its place in the hierarchy, how specific it is).
_PRIORS = ("depth", "top", "narrower", "pref_len", "n_labels")
# Weight of each feature in the linear score, fitted by `python -m benchmarks.tune_titles` on the
# tuning half of the job-ad titles (the seed is in benchmarks/bench_titles.py).
_FITTED = {
    "base": 3.2808,
    "base_rr": 2.0600,
    "exact": -0.0318,
    "bm_label": 2.8601,
    "bm_group": 1.9545,
    "bm_skill": 1.4095,
    "cov": -1.5935,
    "rcov": 1.5330,
    "head": -0.5990,
    "head_in": -0.5601,
    "head_root": 0.5621,
    "depth": -0.3850,
    "top": 0.2668,
    "narrower": -2.0220,
    "pref_len": -0.8627,
    "n_labels": -0.0421,
}
_WEIGHTS = np.array([_FITTED[name] for name in FEATURES])
#: Score of the "none of these" option in the softmax.
_NONE_SCORE = 4.3880
# Candidates: the best this many of each main feature.
_N_CANDIDATES = 50
# BM25 parameters.
_K1, _B = 1.2, 0.5
# Spelling correction: least edit ratio and least word length.
_CORRECT_CUTOFF = 80.0
_CORRECT_MIN_LENGTH = 4
# An acronym's expansion counts this much of a word; an acronym is expanded when the labels do
# not hold it as a word, or hold it rarely (idf above this).
_W_ACRONYM = 0.9
_ACRONYM_IDF = 6.0
_ROOT_SUFFIXES = ("ician", "ian", "ist", "ant", "ent", "ion", "er", "or", "ar")
_OCCUPATION = KIND_NAMES.index("occupation")
_PREF = LABEL_KINDS.index("pref")
_SCOPE_NOTE = LABEL_KINDS.index("scope_note")
_FIELDS = ("label", "group", "skill")


def _root(word_stem: str) -> str:
    """A coarser stem: agent and action suffixes off (``marketer``, ``market`` → ``market``)."""
    for suffix in _ROOT_SUFFIXES:
        if word_stem.endswith(suffix) and len(word_stem) - len(suffix) >= 4:
            word_stem = word_stem[: -len(suffix)]
            break
    if word_stem.endswith("e") and len(word_stem) > 4:
        word_stem = word_stem[:-1]
    return word_stem


def _csr(rows: Any, cols: Any, vals: Any, shape: tuple[int, int]) -> Any:
    m = sp.csr_matrix(
        (
            np.asarray(vals, dtype=np.float64),
            (np.asarray(rows, np.int64), np.asarray(cols, np.int64)),
        ),
        shape=shape,
    )
    m.sum_duplicates()
    return m


def _binary(m: Any) -> Any:
    m = m.tocsr(copy=True)
    m.data[:] = 1.0
    return m


def _mine_acronyms(label_words: list[list[str]], owner: list[int]) -> dict[str, tuple[str, ...]]:
    """Acronyms the taxonomy attests, each with its most attested expansion.

    An acronym is attested by a label with ``hr`` where another label of the same concept has
    ``human resources`` in its place; it is kept when attested at least twice.
    """
    by_concept: dict[int, set[str]] = {}
    for o, words in zip(owner, label_words, strict=True):
        by_concept.setdefault(o, set()).add(" ".join(words))
    found: dict[str, Counter[tuple[str, ...]]] = {}
    for o, words in zip(owner, label_words, strict=True):
        keys = by_concept[o]
        if len(keys) < 2:
            continue
        for i in range(len(words)):
            for n in (2, 3, 4):
                if i + n > len(words):
                    break
                short = "".join(w[0] for w in words[i : i + n])
                if not short.isalpha() or short in STOP_WORDS:
                    continue
                if " ".join([*words[:i], short, *words[i + n :]]) in keys:
                    expansion = tuple(w for w in words[i : i + n] if w not in STOP_WORDS)
                    found.setdefault(short, Counter())[expansion] += 1
    out: dict[str, tuple[str, ...]] = {}
    for short, counts in found.items():
        expansion, n = max(counts.items(), key=lambda kv: (kv[1], kv[0]))
        if n >= 2:
            out[short] = expansion
    return out


@dataclass(frozen=True)
class _Features:
    """Candidate pairs of a batch of titles: title position, occupation row, feature matrix."""

    title: NDArray[np.int64]
    occupation: NDArray[np.int64]
    X: NDArray[np.float64]


class TitleResolver:
    """Resolve job titles to occupations (see the module docstring for how).

    Parameters
    ----------
    taxonomy
        The taxonomy (its occupations, their labels, broader concepts and essential skills).
    resolver
        A :class:`SkillResolver` over `taxonomy`, whose fuzzy matches over occupation labels are
        one of the features (one is made, with `cache`, when omitted).
    min_score
        A title whose best occupation scores below this is unresolved.
    cache
        Load the label index from, and store it in, the on-disk cache (for the resolver made here).

    Raises
    ------
    ConfigError
        `taxonomy` is not a :class:`~labourint_match.Taxonomy`, `resolver` is over another
        taxonomy, or `min_score` is not in ``[0, 1]``.

    Examples
    --------
    >>> from labourint_match import Taxonomy
    >>> titles = TitleResolver(Taxonomy.default(), cache=False)
    >>> best = titles.resolve("Head Chef (m/w/d) - full time", top_k=1)[0]
    >>> best.label, 0 < best.score <= 1
    ('chef', True)
    >>> titles.resolve("qqqxzv")
    []
    """

    def __init__(
        self,
        taxonomy: Taxonomy,
        *,
        resolver: SkillResolver | None = None,
        min_score: float = 0.05,
        cache: bool = True,
    ) -> None:
        if not isinstance(taxonomy, Taxonomy):
            raise ConfigError(f"taxonomy must be a Taxonomy, got {type(taxonomy).__name__}")
        if resolver is not None and not (
            isinstance(resolver, SkillResolver)
            and (
                resolver.taxonomy is taxonomy
                or resolver.taxonomy.content_hash == taxonomy.content_hash
            )
        ):
            raise ConfigError("resolver must be a SkillResolver over the same taxonomy")
        if (
            isinstance(min_score, bool)
            or not isinstance(min_score, (int, float))
            or not 0.0 <= float(min_score) <= 1.0
        ):
            raise ConfigError(f"min_score must be a number in [0, 1], got {min_score!r}")
        self._taxonomy = taxonomy
        self._min_score = float(min_score)
        self._base = resolver if resolver is not None else SkillResolver(taxonomy, cache=cache)
        self._build()

    @property
    def taxonomy(self) -> Taxonomy:
        """The taxonomy resolved against."""
        return self._taxonomy

    def __repr__(self) -> str:
        return f"<TitleResolver {len(self._rows)} occupations>"

    # -- index -------------------------------------------------------------------------------------

    def _build(self) -> None:
        c = self._taxonomy.compiled
        kind = np.asarray(c.kind)
        rows = np.flatnonzero(kind == _OCCUPATION)
        self._rows = rows
        n = len(rows)
        label_kind = np.asarray(c.label_kind)
        indptr = np.asarray(c.label_indptr)

        label_cache: dict[int, list[list[str]]] = {}

        def labels(row: int) -> list[list[str]]:
            found = label_cache.get(row)
            if found is None:
                texts = {
                    normalise(c.label_text[j])
                    for j in range(int(indptr[row]), int(indptr[row + 1]))
                    if label_kind[j] != _SCOPE_NOTE
                }
                found = label_cache[row] = [_content(t) for t in sorted(texts)]
            return found

        def pref_words(row: int) -> list[str]:
            out: list[str] = []
            for j in range(int(indptr[row]), int(indptr[row + 1])):
                if label_kind[j] == _PREF:
                    out.extend(_content(normalise(c.label_text[j])))
            return out

        docs: dict[str, list[Counter[str]]] = {f: [Counter() for _ in range(n)] for f in _FIELDS}
        heads: list[set[str]] = [set() for _ in range(n)]
        all_words: list[list[str]] = []
        all_owner: list[int] = []
        b_ptr, b_ind = np.asarray(c.broader_indptr), np.asarray(c.broader_indices)
        s_ptr, s_ind = np.asarray(c.occ_skill_indptr), np.asarray(c.occ_skill_indices)
        essential = np.asarray(c.occ_skill_essential)
        skill_words: dict[int, list[str]] = {}
        priors = {name: np.zeros(n) for name in _PRIORS}
        n_ptr, n_ind = np.asarray(c.narrower_indptr), np.asarray(c.narrower_indices)
        for o, row in enumerate(rows.tolist()):
            priors["depth"][o] = c.codes[row].count(".")
            priors["top"][o] = not (kind[b_ind[b_ptr[row] : b_ptr[row + 1]]] == _OCCUPATION).any()
            priors["narrower"][o] = (kind[n_ind[n_ptr[row] : n_ptr[row + 1]]] == _OCCUPATION).any()
            priors["pref_len"][o] = np.log(max(1, len(pref_words(row))))
            priors["n_labels"][o] = np.log1p(len(labels(row)))
            for words in labels(row):
                stems = [stem(w) for w in words]
                docs["label"][o].update(set(stems))
                if stems:
                    heads[o].add(stems[-1])
                all_words.append(words)
                all_owner.append(row)
            for parent in b_ind[b_ptr[row] : b_ptr[row + 1]].tolist():
                docs["group"][o].update({stem(w) for words in labels(parent) for w in words})
            for k in range(int(s_ptr[row]), int(s_ptr[row + 1])):
                if not essential[k]:
                    continue
                skill = int(s_ind[k])
                found = skill_words.get(skill)
                if found is None:
                    found = skill_words[skill] = pref_words(skill)
                docs["skill"][o].update({stem(w) for w in found})
        self._priors = priors
        vocab: dict[str, int] = {}
        for field in _FIELDS:
            for doc in docs[field]:
                for w in doc:
                    vocab.setdefault(w, len(vocab))
        self._vocab = vocab
        v = len(vocab)
        roots: dict[str, int] = {}
        self._root_of = np.array([roots.setdefault(_root(w), len(roots)) for w in vocab], np.int64)
        n_roots = max(1, len(roots))
        self._bm: dict[str, Any] = {}
        self._idf: dict[str, NDArray[np.float64]] = {}
        for field in _FIELDS:
            r: list[int] = []
            col: list[int] = []
            val: list[int] = []
            for o, doc in enumerate(docs[field]):
                r.extend([o] * len(doc))
                col.extend(vocab[w] for w in doc)
                val.extend(doc.values())
            m = _csr(r, col, val, (n, v)).tocoo()
            length = np.bincount(m.row, weights=m.data, minlength=n)
            mean = float(length.mean()) if n and length.mean() > 0 else 1.0
            tf = m.data * (_K1 + 1) / (m.data + _K1 * (1 - _B + _B * length[m.row] / mean))
            self._bm[field] = _csr(m.col, m.row, tf / (_K1 + 1), (v, n))
            df = np.bincount(m.col, minlength=v)
            self._idf[field] = np.log1p((n - df + 0.5) / (df + 0.5))
            if field == "label":
                self._has = _binary(_csr(m.col, m.row, np.ones(len(m.row)), (v, n)))
                self._root_has = _binary(
                    _csr(self._root_of[m.col], m.row, np.ones(len(m.row)), (n_roots, n))
                )
        h_word = [vocab[h] for hs in heads for h in sorted(hs)]
        h_occ = [o for o, hs in enumerate(heads) for _ in hs]
        self._head = _binary(_csr(h_word, h_occ, np.ones(len(h_word)), (v, n)))
        self._root_head = _binary(
            _csr(self._root_of[h_word], h_occ, np.ones(len(h_word)), (n_roots, n))
        )
        self._words = sorted({w for words in all_words for w in words})
        self._word_set = frozenset(self._words)
        self._acronyms = _mine_acronyms(all_words, all_owner)
        self._corrections: dict[str, tuple[int, float]] = {}
        self._position = {int(row): o for o, row in enumerate(rows.tolist())}

    # -- query side ------------------------------------------------------------------------------

    def _word(self, word: str) -> tuple[int, float]:
        """(vocabulary id, weight) of a title word: itself, or its spelling correction; -1: none."""
        j = self._vocab.get(stem(word))
        if j is not None:
            return j, 1.0
        hit = self._corrections.get(word)
        if hit is None:
            hit = (-1, 0.0)
            if len(word) >= _CORRECT_MIN_LENGTH and word.isalpha():
                found = process.extractOne(
                    word, self._words, scorer=fuzz.ratio, score_cutoff=_CORRECT_CUTOFF
                )
                if found is not None and stem(found[0]) in self._vocab:
                    hit = (self._vocab[stem(found[0])], float(found[1]) / 100.0)
            if len(self._corrections) > 1 << 16:
                self._corrections.clear()
            self._corrections[word] = hit
        return hit

    def _analyse(self, words: Variant) -> tuple[dict[int, float], int, int]:
        """A variant's (vocabulary id → weight, head id or -1, number of unknown words)."""
        joined: list[str] = []
        i = 0
        while i < len(words):
            if i + 1 < len(words) and words[i] + words[i + 1] in self._word_set:
                joined.append(words[i] + words[i + 1])  # "book keeper" → "bookkeeper"
                i += 2
            else:
                joined.append(words[i])
                i += 1
        weights: dict[int, float] = {}
        head, unknown = -1, 0
        label_idf = self._idf["label"]
        for k, w in enumerate(joined):
            j, f = self._word(w)
            expansion = self._acronyms.get(w)
            if expansion is not None and (j < 0 or label_idf[j] > _ACRONYM_IDF):
                for x in expansion:
                    jj, ff = self._word(x)
                    if jj >= 0:
                        weights[jj] = max(weights.get(jj, 0.0), _W_ACRONYM * ff)
                if k == len(joined) - 1:
                    head = self._word(expansion[-1])[0]
            if j >= 0:
                weights[j] = max(weights.get(j, 0.0), f)
                if k == len(joined) - 1:
                    head = j
            elif expansion is None:
                unknown += 1
        return weights, head, unknown

    def _features(self, titles: Sequence[str]) -> _Features:
        """Every candidate (title, occupation) pair of `titles` and its :data:`FEATURES`."""
        n_occ = len(self._rows)
        by_title = [title_variants(t) for t in titles]
        distinct = list(dict.fromkeys(v for variants in by_title for v, _ in variants))
        nv = len(distinct)
        if not nv:
            empty = np.zeros(0, dtype=np.int64)
            return _Features(empty, empty, np.zeros((0, len(FEATURES))))
        analysed = [self._analyse(v) for v in distinct]
        q_row = [i for i, (w, _, _) in enumerate(analysed) for _ in w]
        q_col = [j for w, _, _ in analysed for j in w]
        q_val = [x for w, _, _ in analysed for x in w.values()]
        unknown = np.array([u for _, _, u in analysed], dtype=np.float64)
        q = _csr(q_row, q_col, q_val, (nv, len(self._vocab)))
        feats: dict[str, Any] = {}
        for field in _FIELDS:
            idf = self._idf[field]
            qi = q.multiply(idf[None, :]).tocsr()
            ideal = np.asarray(qi.sum(axis=1)).ravel() + unknown * (idf.max() if len(idf) else 0)
            ideal[ideal == 0] = 1.0
            scale = sp.diags(1.0 / ideal)
            feats["bm_" + field] = scale @ (qi @ self._bm[field])
            if field == "label":
                feats["cov"] = scale @ (qi @ self._has)
                at_root = _csr(
                    np.repeat(np.arange(nv), np.diff(qi.indptr)),
                    self._root_of[qi.indices],
                    qi.data,
                    (nv, self._root_has.shape[0]),
                )
                feats["rcov"] = scale @ (at_root @ self._root_has)
        h_row = [i for i, (_, h, _) in enumerate(analysed) if h >= 0]
        h_col = [h for _, h, _ in analysed if h >= 0]
        hq = _csr(h_row, h_col, np.ones(len(h_row)), (nv, len(self._vocab)))
        feats["head"] = hq @ self._head
        feats["head_in"] = hq @ self._has
        rq = _csr(h_row, self._root_of[h_col], np.ones(len(h_row)), (nv, self._root_head.shape[0]))
        feats["head_root"] = rq @ self._root_head
        report = self._base.resolve_many(
            [" ".join(v) for v in distinct], top_k=_N_CANDIDATES, kinds="occupation"
        )
        b_row: list[int] = []
        b_col: list[int] = []
        b_score: list[float] = []
        b_rank: list[float] = []
        b_exact: list[float] = []
        index = self._taxonomy.index
        for i, found in enumerate(report):
            for rank, r in enumerate(found):
                row = index(r.uri)
                if row is None or row not in self._position:
                    continue
                b_row.append(i)
                b_col.append(self._position[row])
                b_score.append(r.score)
                b_rank.append(1.0 / (1 + rank))
                b_exact.append(1.0 if r.method in ("exact", "variant") else 1e-9)
        feats["base"] = _csr(b_row, b_col, b_score, (nv, n_occ))
        feats["base_rr"] = _csr(b_row, b_col, b_rank, (nv, n_occ))
        feats["exact"] = _csr(b_row, b_col, b_exact, (nv, n_occ))

        # Per title, each feature's best over its variants (an alternative's value discounted).
        position = {v: i for i, v in enumerate(distinct)}
        p_title = np.array([t for t, vs in enumerate(by_title) for _ in vs], dtype=np.int64)
        p_var = [position[v] for vs in by_title for v, _ in vs]
        p_weight = [w for vs in by_title for _, w in vs]
        pick = _csr(np.arange(len(p_var)), p_var, p_weight, (len(p_var), nv))
        parts: dict[str, tuple[NDArray[np.int64], NDArray[np.float64]]] = {}
        for name, m in feats.items():
            found = (pick @ m).tocoo()
            parts[name] = (p_title[found.row] * n_occ + found.col, found.data)
        keys = np.unique(np.concatenate([k for k, _ in parts.values()]))
        x = np.zeros((len(keys), len(FEATURES)))
        for col, name in enumerate(FEATURES):
            if name in _PRIORS:
                continue
            k, data = parts[name]
            np.maximum.at(x[:, col], np.searchsorted(keys, k), data)
        t_of, o_of = keys // n_occ, keys % n_occ
        # Candidates: the best _N_CANDIDATES of each main feature.
        keep = np.zeros(len(keys), dtype=np.bool_)
        for name in ("base", "bm_label", "bm_group", "bm_skill", "cov"):
            col_x = x[:, FEATURES.index(name)]
            order = np.lexsort((o_of, -col_x, t_of))
            t_sorted = t_of[order]
            place = np.arange(len(order)) - np.searchsorted(t_sorted, t_sorted, side="left")
            keep[order[(place < _N_CANDIDATES) & (col_x[order] > 0)]] = True
        t_of, o_of, x = t_of[keep], o_of[keep], x[keep]
        for name in _PRIORS:
            x[:, FEATURES.index(name)] = self._priors[name][o_of]
        return _Features(t_of, o_of, x)

    def _rank(self, titles: list[str], top_k: int) -> list[tuple[tuple[int, float, bool], ...]]:
        """Per title, its best occupations: (occupation position, score, exact)."""
        f = self._features(titles)
        score = f.X @ _WEIGHTS
        order = np.lexsort((f.occupation, -score, f.title))
        t_sorted = f.title[order]
        starts = np.searchsorted(t_sorted, np.arange(len(titles) + 1))
        exact_col = FEATURES.index("exact")
        out: list[tuple[tuple[int, float, bool], ...]] = []
        for t in range(len(titles)):
            sel = order[starts[t] : starts[t + 1]]
            if not len(sel):
                out.append(())
                continue
            s = score[sel]
            top = max(float(s.max()), _NONE_SCORE)
            weights = np.exp(s - top)
            prob = weights / (weights.sum() + np.exp(_NONE_SCORE - top))
            best = []
            for i in range(min(top_k, len(sel))):
                best.append(
                    (int(f.occupation[sel[i]]), float(prob[i]), f.X[sel[i], exact_col] >= 1.0)
                )
            if best[0][1] < self._min_score:
                best = []
            out.append(tuple(best))
        return out

    # -- public ----------------------------------------------------------------------------------

    def resolve(self, title: str, *, top_k: int = 5) -> list[Resolution]:
        """The occupations a job title most likely names, best first.

        Parameters
        ----------
        title
            A job title as written (``"Senior Sales Executive - Kuala Lumpur"``).
        top_k
            How many occupations to return at most.

        Returns
        -------
        list of Resolution
            Best first; each with the occupation's preferred label (English where it has
            one), ``method`` ``"exact"`` when a cleaned variant of the title equals one of its
            labels (up to inflection and word order) and ``"fuzzy"`` otherwise, and ``score`` its
            probability (see the module docstring). Empty when the title resolves to nothing or
            only below `min_score`.

        Raises
        ------
        ResolutionError
            `title` is not a string.
        ConfigError
            `top_k` is not a positive int.

        Examples
        --------
        >>> from labourint_match import Taxonomy
        >>> titles = TitleResolver(Taxonomy.default(), cache=False)
        >>> [r.label for r in titles.resolve("Chef de partie (f/m/x)", top_k=2)]
        ['chef', 'cook']
        """
        if not isinstance(title, str):
            raise ResolutionError(f"a title must be a str, got {type(title).__name__}")
        return list(self.resolve_many([title], top_k=top_k)[0])

    def resolve_many(self, titles: Sequence[str], *, top_k: int = 5) -> ResolutionReport:
        """Resolve many titles; identical titles are resolved once.

        Parameters
        ----------
        titles
            Job titles (a sequence of strings other than a single string).
        top_k
            As for :meth:`resolve`.

        Returns
        -------
        ResolutionReport
            One result list per title, in order, with the unresolved and truncated positions
            (titles longer than :data:`~labourint_match.resolve.MAX_TEXT_LENGTH` characters are
            truncated to it).

        Raises
        ------
        ResolutionError
            `titles` is a single string, or one of its items is not a string (the error names
            its position).
        ConfigError
            `top_k` is not a positive int.

        Examples
        --------
        >>> from labourint_match import Taxonomy
        >>> titles = TitleResolver(Taxonomy.default(), cache=False)
        >>> report = titles.resolve_many(["Welder", "??"], top_k=1)
        >>> report.best[0].label, report.unresolved
        ('welder', (1,))
        """
        if isinstance(titles, (str, bytes)):
            raise ResolutionError("resolve_many takes a list of titles, not a single string")
        items = list(titles)
        for i, t in enumerate(items):
            if not isinstance(t, str):
                raise ResolutionError(
                    f"title at position {i} must be a str, got {type(t).__name__}"
                )
        if not isinstance(top_k, int) or isinstance(top_k, bool) or top_k < 1:
            raise ConfigError(f"top_k must be a positive int, got {top_k!r}")
        truncated = tuple(i for i, t in enumerate(items) if len(t) > MAX_TEXT_LENGTH)
        keys = [t[:MAX_TEXT_LENGTH] for t in items]
        unique = list(dict.fromkeys(keys))
        ranked = self._rank(unique, top_k)
        c = self._taxonomy.compiled
        label_kind = np.asarray(c.label_kind)
        by_key: dict[str, tuple[Resolution, ...]] = {}
        for key, found in zip(unique, ranked, strict=True):
            out = []
            for o, score, exact in found:
                row = int(self._rows[o])
                prefs = [
                    j
                    for j in range(int(c.label_indptr[row]), int(c.label_indptr[row + 1]))
                    if label_kind[j] == _PREF
                ]
                english = [j for j in prefs if c.label_langs[int(c.label_lang[j])] == "en"]
                j = (english or prefs or [int(c.label_indptr[row])])[0]
                out.append(
                    Resolution(
                        uri=c.uris[row],
                        label=c.label_text[j],
                        lang=c.label_langs[int(c.label_lang[j])],
                        score=round(score, 6),
                        method="exact" if exact else "fuzzy",
                        label_kind="pref" if prefs else LABEL_KINDS[int(label_kind[j])],  # type: ignore[arg-type]
                    )
                )
            by_key[key] = tuple(out)
        results = tuple(by_key[k] for k in keys)
        return ResolutionReport(
            texts=tuple(items),
            results=results,
            unresolved=tuple(i for i, r in enumerate(results) if not r),
            truncated=truncated,
        )
