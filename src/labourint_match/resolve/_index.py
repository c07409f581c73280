"""The label index a :class:`~labourint_match.resolve.SkillResolver` searches, and its disk cache.

The index holds every label (preferred, alternative and hidden; scope notes are not labels) of
every concept in every language, normalised, with

- three lookups: normalised label → labels; variant key (content words with inflections
  stripped, sorted; also with a trailing parenthesised qualifier dropped) → labels; acronym
  (initials of two to five content words, capitals of a camel-case word) → labels;
- a sparse tf-idf matrix, labels × features, over two blocks of features: word stems (stop words
  left out) and character trigrams of the words padded with spaces. Each block of a row is
  L2-normalised on its own, so that a query weighted ``α`` (words) and ``1 − α`` (trigrams) scores
  ``α · cos_words + (1 − α) · cos_trigrams`` against it;
- word substitutions mined from the taxonomy itself (:func:`mine_substitutions`).

It depends only on the taxonomy's content and the normalisation options, so it is cached on disk
next to the compiled taxonomies (``labourint_match.taxonomy._cache.cache_dir()``), keyed by the
taxonomy's content hash, the options and :data:`FORMAT_VERSION`: one uncompressed ``.npz`` without
pickles, written to a temporary file and renamed into place (``labourint_match._cachefile``).
An entry is checked like a compiled taxonomy's — its size bounded before it is read, a content
checksum, the arrays' dtypes, sizes and ranges (:meth:`LabelIndex.check`), and its labels against
the taxonomy's (:meth:`LabelIndex.check_fits`); one that fails is ignored with a
:class:`~labourint_match.errors.TaxonomyWarning` and rebuilt. A cache directory that others may
write is not used; one that cannot be written only costs the build time (a few seconds for full
ESCO).
"""

from __future__ import annotations

import hashlib
import logging
import re
from dataclasses import dataclass, fields
from pathlib import Path
from typing import Any

import numpy as np
import scipy.sparse as sp
from numpy.typing import NDArray

from .._cachefile import load_dataclass, save_dataclass
from .._version import __version__
from ..taxonomy import Taxonomy
from ..taxonomy import _cache as taxonomy_cache
from ._normalise import STOP_WORDS, normalise, stem, strip_qualifier, tokens, variant_key

__all__ = ["FORMAT_VERSION", "LabelIndex", "build_index", "load_or_build"]

logger = logging.getLogger("labourint_match")

#: Bump whenever the index layout or the normalisation, tokenisation or weighting changes.
FORMAT_VERSION = 2  # 2: a content checksum in the header

_SCOPE_NOTE = 3


@dataclass(frozen=True, eq=False)
class LabelIndex:
    """The arrays of the index (see the module docstring); row ``i`` of each is label ``i``."""

    label_ids: NDArray[np.int32]
    """Position of each label in the taxonomy's compiled label arrays."""
    owner: NDArray[np.int32]
    """Concept row of each label."""
    norm_text: tuple[str, ...]
    """Normalised text of each label."""
    word_text: tuple[str, ...]
    """Content-word stems of each label, joined by spaces (for the word-level re-ranker)."""
    exact_keys: tuple[str, ...]
    exact_indptr: NDArray[np.int64]
    exact_labels: NDArray[np.int32]
    variant_keys: tuple[str, ...]
    variant_indptr: NDArray[np.int64]
    variant_labels: NDArray[np.int32]
    acronym_keys: tuple[str, ...]
    """Acronyms a label can be written as (``hrm``, ``js``) → labels."""
    acronym_indptr: NDArray[np.int64]
    acronym_labels: NDArray[np.int32]
    features: tuple[str, ...]
    """Feature names: ``"w" + stem`` (word block) or ``"c" + trigram`` (character block)."""
    idf: NDArray[np.float32]
    mat_indptr: NDArray[np.int64]
    mat_indices: NDArray[np.int32]
    mat_data: NDArray[np.float32]
    syn_indptr: NDArray[np.int64]
    """Word substitutions mined from the taxonomy (CSR over features: feature → related words)."""
    syn_indices: NDArray[np.int32]
    syn_weight: NDArray[np.float32]

    def check(self) -> None:
        """Raise ``ValueError`` when the arrays do not fit together (a corrupt cache entry).

        Sizes, CSR row pointers (from 0, never decreasing, ending at their indices' length),
        indices in range, finite weights, distinct lookup keys and features named ``w…``/``c…``.
        Whether the index fits a taxonomy is :func:`check_fits`.
        """
        n = len(self.label_ids)
        n_features = len(self.features)
        for f in fields(self):
            value = getattr(self, f.name)
            if isinstance(value, np.ndarray) and value.ndim != 1:
                raise ValueError(f"{f.name} is not one-dimensional")
        ok = (
            len(self.owner) == n
            and len(self.norm_text) == n
            and len(self.word_text) == n
            and len(self.idf) == n_features
            and len(self.mat_indptr) == n + 1
            and len(self.mat_indices) == len(self.mat_data)
            and len(self.exact_indptr) == len(self.exact_keys) + 1
            and len(self.variant_indptr) == len(self.variant_keys) + 1
            and len(self.acronym_indptr) == len(self.acronym_keys) + 1
            and len(self.syn_indptr) == n_features + 1
            and len(self.syn_indices) == len(self.syn_weight)
        )
        if not ok:
            raise ValueError("index arrays have inconsistent lengths")
        for name, indptr, indices in (
            ("mat", self.mat_indptr, self.mat_indices),
            ("exact", self.exact_indptr, self.exact_labels),
            ("variant", self.variant_indptr, self.variant_labels),
            ("acronym", self.acronym_indptr, self.acronym_labels),
            ("syn", self.syn_indptr, self.syn_indices),
        ):
            if indptr[0] != 0 or indptr[-1] != len(indices) or np.any(np.diff(indptr) < 0):
                raise ValueError(f"{name} row pointers do not match their indices")
        for name, a, bound in (
            ("mat_indices", self.mat_indices, n_features),
            ("exact_labels", self.exact_labels, n),
            ("variant_labels", self.variant_labels, n),
            ("acronym_labels", self.acronym_labels, n),
            ("syn_indices", self.syn_indices, n_features),
        ):
            if len(a) and (int(a.min()) < 0 or int(a.max()) >= bound):
                raise ValueError(f"{name} out of range")
        weights = (self.mat_data, self.syn_weight, self.idf)
        if not all(np.all(np.isfinite(w)) for w in weights):
            raise ValueError("index weights are not finite")
        for name, keys in (("exact", self.exact_keys), ("variant", self.variant_keys),
                           ("acronym", self.acronym_keys), ("feature", self.features)):  # fmt: skip
            if len(set(keys)) != len(keys):
                raise ValueError(f"{name} keys repeat")
        if not all(f[:1] in ("w", "c") for f in self.features):
            raise ValueError("feature names must start with 'w' or 'c'")

    def check_fits(self, taxonomy: Taxonomy) -> None:
        """Raise ``ValueError`` unless every label is one of `taxonomy`'s, owned by its concept."""
        c = taxonomy.compiled
        ids = self.label_ids
        if len(ids) and (int(ids.min()) < 0 or int(ids.max()) >= len(c.label_text)):
            raise ValueError("label ids out of the taxonomy's range")
        owners = np.searchsorted(c.label_indptr, ids, side="right") - 1
        if not np.array_equal(owners, self.owner):
            raise ValueError("label owners differ from the taxonomy's")

    def matrix(self) -> Any:
        """The labels × features tf-idf matrix (scipy CSR)."""
        return sp.csr_matrix(
            (self.mat_data, self.mat_indices, self.mat_indptr),
            shape=(len(self.label_ids), len(self.features)),
        )


def text_features(normalised: str) -> tuple[list[str], list[str]]:
    """Word-stem and character-trigram features of normalised text (with repetitions)."""
    words = tokens(normalised)
    stems = ["w" + stem(w) for w in words if w not in STOP_WORDS]
    grams: list[str] = []
    for w in words:
        padded = f" {w} "
        grams.extend("c" + padded[k : k + 3] for k in range(len(padded) - 2))
    return stems, grams


_CAMEL = re.compile(r"[A-Z][a-z]")


def acronym(label: str, normalised: str, *, fold_nordic: bool = False) -> str:
    """The acronym a label may be abbreviated to, or ``""``.

    The initials of its content words when it has two to five of them (``human resource
    management`` → ``hrm``), or the capitals of a single camel-case word (``JavaScript`` →
    ``js``).

    Examples
    --------
    >>> acronym("Human resource management", "human resource management")
    'hrm'
    >>> acronym("JavaScript", "javascript"), acronym("Java", "java")
    ('js', '')
    """
    words = [w for w in tokens(normalised) if w not in STOP_WORDS]
    if 2 <= len(words) <= 5:
        initials = "".join(w[0] for w in words)
        return initials if initials.isalpha() and initials.isascii() else ""
    if len(words) == 1 and len(_CAMEL.findall(label)) >= 2 and label.isalpha() and label.isascii():
        return normalise("".join(ch for ch in label if ch.isupper()), fold_nordic=fold_nordic)
    return ""


def _grouped(
    keys: list[str], labels: list[int]
) -> tuple[tuple[str, ...], NDArray[np.int64], NDArray[np.int32]]:
    """Group labels by key: sorted distinct keys, and for each its sorted distinct labels (CSR)."""
    pairs = [(k, lab) for k, lab in zip(keys, labels, strict=True) if k]
    if not pairs:
        return (), np.zeros(1, dtype=np.int64), np.zeros(0, dtype=np.int32)
    distinct = sorted({k for k, _ in pairs})
    position = {k: i for i, k in enumerate(distinct)}
    inverse = np.array([position[k] for k, _ in pairs], dtype=np.int64)
    labs = np.array([lab for _, lab in pairs], dtype=np.int64)
    order = np.lexsort((labs, inverse))
    inverse, labs = inverse[order], labs[order]
    keep = np.ones(len(labs), dtype=np.bool_)
    keep[1:] = (inverse[1:] != inverse[:-1]) | (labs[1:] != labs[:-1])
    inverse, labs = inverse[keep], labs[keep]
    indptr = np.zeros(len(distinct) + 1, dtype=np.int64)
    np.cumsum(np.bincount(inverse, minlength=len(distinct)), out=indptr[1:])
    return tuple(distinct), indptr, labs.astype(np.int32)


def mine_substitutions(
    owner: NDArray[np.int32], stems: list[list[str]], *, min_concepts: int = 2, per_word: int = 8
) -> dict[str, list[tuple[str, float]]]:
    """Word substitutions the taxonomy itself attests.

    Two labels of one concept that have the same content words but one (``support managers`` /
    ``assist managers``) attest that those two words can stand for each other. A pair attested
    by at least `min_concepts` concepts is kept, weighted by how many attest it relative to the
    word's most attested substitute; each word keeps its `per_word` best.
    """
    by_concept: dict[int, set[tuple[str, ...]]] = {}
    for o, label_words in zip(owner.tolist(), stems, strict=True):
        if label_words:
            by_concept.setdefault(o, set()).add(tuple(label_words))
    attested: dict[tuple[str, str], set[int]] = {}
    for o, labels in by_concept.items():
        if len(labels) < 2:
            continue
        buckets: dict[tuple[int, tuple[str, ...]], list[str]] = {}
        for words in labels:
            for k in range(len(words)):
                key = (k, (*words[:k], "", *words[k + 1 :]))
                buckets.setdefault(key, []).append(words[k])
        for variants in buckets.values():
            if len(variants) < 2:
                continue
            for a in variants:
                for b in variants:
                    if a < b:
                        attested.setdefault((a, b), set()).add(o)
    related: dict[str, list[tuple[str, int]]] = {}
    for (a, b), concepts in attested.items():
        if len(concepts) >= min_concepts:
            related.setdefault(a, []).append((b, len(concepts)))
            related.setdefault(b, []).append((a, len(concepts)))
    out: dict[str, list[tuple[str, float]]] = {}
    for word, pairs in related.items():
        pairs.sort(key=lambda p: (-p[1], p[0]))
        top = pairs[0][1]
        out[word] = [(other, count / top) for other, count in pairs[:per_word]]
    return out


def build_index(taxonomy: Taxonomy, *, fold_nordic: bool = False) -> LabelIndex:
    """Build the index of every label of `taxonomy` (see the module docstring)."""
    c = taxonomy.compiled
    rows = np.repeat(np.arange(len(c.uris), dtype=np.int32), np.diff(c.label_indptr))
    label_ids = np.flatnonzero(c.label_kind != _SCOPE_NOTE).astype(np.int32)
    owner = rows[label_ids]
    norm_text = tuple(normalise(c.label_text[j], fold_nordic=fold_nordic) for j in label_ids)

    exact_keys, exact_indptr, exact_labels = _grouped(list(norm_text), list(range(len(norm_text))))
    v_keys: list[str] = []
    v_labels: list[int] = []
    a_keys: list[str] = []
    a_labels: list[int] = []
    word_text: list[str] = []
    label_stems: list[list[str]] = []
    vocab: dict[str, int] = {}
    is_word: list[bool] = []
    # Per distinct token: its stem (None for a stop word), its light stem (for variant keys) and
    # its features (stem, then trigrams); labels share most of their tokens, so each is analysed
    # once.
    analysed: dict[str, tuple[str | None, str, list[int]]] = {}

    def feature(name: str) -> int:
        j = vocab.get(name)
        if j is None:
            j = vocab[name] = len(vocab)
            is_word.append(name[0] == "w")
        return j

    lengths: list[int] = []
    m_cols: list[int] = []
    for i, text in enumerate(norm_text):
        words = tokens(text)
        stems: list[str] = []
        light: list[str] = []
        n_before = len(m_cols)
        for w in words:
            entry = analysed.get(w)
            if entry is None:
                st = None if w in STOP_WORDS else stem(w)
                padded = f" {w} "
                ids = [feature("c" + padded[k : k + 3]) for k in range(len(padded) - 2)]
                if st is not None:
                    ids.insert(0, feature("w" + st))
                entry = analysed[w] = (st, stem(w, light=True), ids)
            if entry[0] is not None:
                stems.append(entry[0])
                light.append(entry[1])
            m_cols.extend(entry[2])
        lengths.append(len(m_cols) - n_before)
        label_stems.append(stems)
        word_text.append(" ".join(stems))
        v_keys.append(" ".join(sorted(light)))  # = variant_key(text)
        v_labels.append(i)
        bare = strip_qualifier(text)
        if bare != text:
            v_keys.append(variant_key(bare))
            v_labels.append(i)
        short = acronym(c.label_text[label_ids[i]], text, fold_nordic=fold_nordic)
        if short:
            a_keys.append(short)
            a_labels.append(i)
    variant_keys, variant_indptr, variant_labels = _grouped(v_keys, v_labels)
    acronym_keys, acronym_indptr, acronym_labels = _grouped(a_keys, a_labels)

    n, n_features = len(norm_text), len(vocab)
    m_rows = np.repeat(np.arange(n, dtype=np.int64), lengths)
    counts = sp.csr_matrix(
        (np.ones(len(m_rows), dtype=np.float32), (m_rows, np.asarray(m_cols, dtype=np.int64))),
        shape=(n, n_features),
    )
    counts.sum_duplicates()
    counts.sort_indices()
    df = np.bincount(counts.indices, minlength=n_features).astype(np.float64)
    idf = (np.log((n + 1.0) / (df + 1.0)) + 1.0).astype(np.float32)
    data = (1.0 + np.log(counts.data)) * idf[counts.indices]
    word_mask = np.asarray(is_word, dtype=np.bool_)
    # L2-normalise the word block and the trigram block of each row separately.
    row_of = np.repeat(np.arange(n), np.diff(counts.indptr))
    in_word = word_mask[counts.indices]
    for block in (in_word, ~in_word):
        sq = np.bincount(row_of[block], weights=data[block] ** 2, minlength=n)
        norms = np.sqrt(sq)
        norms[norms == 0] = 1.0
        data[block] = data[block] / norms[row_of[block]]
    features = tuple(sorted(vocab, key=vocab.__getitem__))
    substitutes = mine_substitutions(owner, label_stems)
    syn_counts = np.zeros(n_features, dtype=np.int64)
    syn_indices: list[int] = []
    syn_weight: list[float] = []
    for j, f in enumerate(features):
        if f[0] == "w":
            pairs = substitutes.get(f[1:], [])
            syn_counts[j] = len(pairs)
            syn_indices.extend(vocab["w" + other] for other, _ in pairs)
            syn_weight.extend(w for _, w in pairs)
    syn_indptr = np.zeros(n_features + 1, dtype=np.int64)
    np.cumsum(syn_counts, out=syn_indptr[1:])
    return LabelIndex(
        label_ids=label_ids,
        owner=owner.astype(np.int32),
        norm_text=norm_text,
        word_text=tuple(word_text),
        exact_keys=exact_keys,
        exact_indptr=exact_indptr,
        exact_labels=exact_labels,
        variant_keys=variant_keys,
        variant_indptr=variant_indptr,
        variant_labels=variant_labels,
        acronym_keys=acronym_keys,
        acronym_indptr=acronym_indptr,
        acronym_labels=acronym_labels,
        features=features,
        idf=idf,
        mat_indptr=counts.indptr.astype(np.int64),
        mat_indices=counts.indices.astype(np.int32),
        mat_data=data.astype(np.float32),
        syn_indptr=syn_indptr,
        syn_indices=np.asarray(syn_indices, dtype=np.int32),
        syn_weight=np.asarray(syn_weight, dtype=np.float32),
    )


# -- cache -------------------------------------------------------------------------------------


def cache_key(taxonomy: Taxonomy, options: str) -> str:
    """Key of an index: the taxonomy's content hash, the options and the versions."""
    text = f"resolve-index\n{taxonomy.content_hash}\n{options}\n{FORMAT_VERSION}\n{__version__}"
    return hashlib.sha256(text.encode()).hexdigest()


def cache_path(key: str) -> Path:
    """Where the index under `key` lives."""
    return taxonomy_cache.cache_dir() / f"resolve-index-{key[:40]}.npz"


def _store(key: str, index: LabelIndex) -> bool:
    return save_dataclass(cache_path(key), key, FORMAT_VERSION, index)


def _load(key: str, taxonomy: Taxonomy) -> LabelIndex | None:
    return load_dataclass(
        cache_path(key),
        key,
        FORMAT_VERSION,
        LabelIndex,
        extra_check=lambda index: index.check_fits(taxonomy),
    )


def load_or_build(
    taxonomy: Taxonomy,
    *,
    fold_nordic: bool,
    cache: bool,
) -> tuple[LabelIndex, bool]:
    """Return the index of `taxonomy` and whether it came from the disk cache."""
    if not cache:
        return build_index(taxonomy, fold_nordic=fold_nordic), False
    key = cache_key(taxonomy, f"fold_nordic={fold_nordic}")
    index = _load(key, taxonomy)
    if index is not None:
        return index, True
    index = build_index(taxonomy, fold_nordic=fold_nordic)
    _store(key, index)
    return index, False
