"""How the resolver scores matches: the constants of every stage, and the fuzzy stage.

The fuzzy stage (spelling correction of words the index does not hold, tf-idf candidates over
word stems and character trigrams, re-ranking with rapidfuzz, the best concepts of each mention)
is :class:`_FuzzyStage`, a mixin of :class:`~labourint_match.resolve.SkillResolver` that works on
the arrays ``SkillResolver._setup`` derives from the label index.
"""

from __future__ import annotations

import os
import re
from collections import Counter
from typing import Any

import numpy as np
import scipy.sparse as sp
from numpy.typing import NDArray
from rapidfuzz import fuzz, process

from ._index import LabelIndex, text_features
from ._normalise import content_words
from ._resolution import Method

__all__ = ["EXACT_SCORE", "FUZZY_CEILING", "VARIANT_SCORE"]

#: Score of an exact match (normalised mention equals a normalised label).
EXACT_SCORE = 1.0
#: Score of a variant match (same content words up to inflection, order, stop words, punctuation
#: or a parenthesised qualifier of the label).
VARIANT_SCORE = 0.95
#: Fuzzy scores are scaled into ``[0, FUZZY_CEILING]``, below every exact and variant match.
FUZZY_CEILING = 0.9

# Fuzzy stage: weight of the word block in the tf-idf candidate score (the rest: trigrams).
_ALPHA = 0.5
# Candidate labels re-ranked per mention, and the document frequency above which a feature is
# left out of candidate generation (it still counts in re-ranking).
_N_CANDIDATES = 100
_DF_CAP = 2000
# Re-ranking: weights of word cosine, trigram cosine, whole-text edit ratio and word-set ratio.
_W_WORD, _W_CHAR, _W_RATIO, _W_SET = 0.45, 0.25, 0.2, 0.1
# Weight of a taxonomy-attested substitute word relative to the word it stands for.
_SUBSTITUTE_WEIGHT = 0.7
# Penalty by label kind (pref, alt, hidden), so that a preferred label wins a tie.
_KIND_PENALTY = np.array([0.0, 0.01, 0.03], dtype=np.float64)
# Acronym matches (a mention of 2-5 letters, matching no label, that abbreviates a label) score
# this before scaling: about as much as a fair fuzzy match, less than a good one.
_ACRONYM_BASE = 0.6
_ACRONYM = re.compile(r"^[a-z]{2,5}$")
# Spelling correction of words the index does not hold: minimum length and edit-ratio cut-off.
_CORRECT_MIN_LENGTH = 4
_CORRECT_CUTOFF = 80.0
_CORRECT_SHORTLIST = 64
# Prior by how many occupations require a skill, and by reuse level (unknown, transversal,
# cross-sector, sector-specific, occupation-specific).
_W_PRIOR = 0.08
_REUSE_PRIOR = np.array([0.0, 0.0, 0.01, 0.0, -0.01], dtype=np.float64)
_TRANSVERSAL = 1
_BATCH = 256


class _FuzzyStage:
    """The fuzzy stage of :class:`~labourint_match.resolve.SkillResolver` (mixed into it).

    The attributes below are set by ``SkillResolver._setup`` from the label index.
    """

    _index: LabelIndex
    _workers: int
    _owner: NDArray[np.intp]
    _label_kind: NDArray[np.intp]
    _vocab: dict[str, int]
    _is_word: NDArray[np.bool_]
    _matrix: Any
    _postings: Any
    _postings_capped: Any
    _has_common: NDArray[np.bool_]
    _word_ids: NDArray[np.intp]
    _words: list[str]
    _word_grams: Any
    _corrections: dict[str, tuple[int, float]]
    _prior: NDArray[np.float64]

    def _correct(self, word: str) -> tuple[int, float]:
        """The index word a misspelt word most likely stands for, and how similar they are."""
        hit = self._corrections.get(word)
        if hit is None:
            hit = (-1, 0.0)
            if len(word) >= _CORRECT_MIN_LENGTH and word.isalpha():
                # Shortlist the index words sharing the most trigrams, then edit ratio.
                padded = f" {word} "
                grams = [
                    self._vocab.get("c" + padded[k : k + 3], -1) for k in range(len(padded) - 2)
                ]
                post = self._word_grams
                parts = [post.indices[post.indptr[g] : post.indptr[g + 1]] for g in grams if g >= 0]
                if parts:
                    shared = np.bincount(np.concatenate(parts), minlength=len(self._words))
                    short = np.flatnonzero(shared)
                    if len(short) > _CORRECT_SHORTLIST:
                        counts = shared[short]
                        kth = np.partition(counts, len(counts) - _CORRECT_SHORTLIST)[
                            len(counts) - _CORRECT_SHORTLIST
                        ]
                        short = short[counts >= kth]
                    found = process.extractOne(
                        word,
                        [self._words[i] for i in short],
                        scorer=fuzz.ratio,
                        score_cutoff=_CORRECT_CUTOFF,
                    )
                    if found is not None:
                        i = int(short[found[2]])
                        hit = (int(self._word_ids[i]), float(found[1]) / 100.0)
            if len(self._corrections) > 1 << 16:
                self._corrections.clear()
            self._corrections[word] = hit
        return hit

    def _query_matrices(self, keys: list[str]) -> tuple[Any, Any, Any]:
        """Query vectors: words, their taxonomy-attested substitutes, and trigrams.

        Each block is tf-idf weighted and L2-normalised over all of the mention's features,
        those the index has never seen (typos, rare words) included, so that a mention is not
        taken to match a label fully on the part of it that happens to be known.
        """
        ix = self._index
        idf = ix.idf
        unseen_idf = float(np.log(len(ix.label_ids) + 1.0) + 1.0)
        vocab = self._vocab
        rows: list[int] = []
        cols: list[int] = []
        vals: list[float] = []
        x_rows: list[int] = []
        x_cols: list[int] = []
        x_vals: list[float] = []
        for n, key in enumerate(keys):
            stems, grams = text_features(key)
            for block, feats in enumerate((stems, grams)):
                counts = Counter(feats)
                if not counts:
                    continue
                ids: list[int] = []
                factors: list[float] = []
                for f in counts:
                    j, factor = vocab.get(f, -1), 1.0
                    if j < 0 and block == 0:
                        j, factor = self._correct(f[1:])
                    ids.append(j)
                    factors.append(factor)
                w = 1.0 + np.log(np.fromiter(counts.values(), dtype=np.float64, count=len(ids)))
                w *= [
                    idf[j] * x if j >= 0 else unseen_idf for j, x in zip(ids, factors, strict=True)
                ]
                w /= np.sqrt(np.dot(w, w))
                known: dict[int, float] = {}
                for j, x in zip(ids, w.tolist(), strict=True):
                    if j >= 0:
                        known[j] = max(known.get(j, 0.0), float(x))
                rows.extend([n] * len(known))
                cols.extend(known)
                vals.extend(known.values())
                if block == 0 and _SUBSTITUTE_WEIGHT > 0:
                    extra: dict[int, float] = {}
                    for j, x in known.items():
                        a, b = ix.syn_indptr[j], ix.syn_indptr[j + 1]
                        for k, strength in zip(
                            ix.syn_indices[a:b].tolist(), ix.syn_weight[a:b].tolist(), strict=True
                        ):
                            if k not in known:
                                extra[k] = max(extra.get(k, 0.0), _SUBSTITUTE_WEIGHT * strength * x)
                    x_rows.extend([n] * len(extra))
                    x_cols.extend(extra)
                    x_vals.extend(extra.values())
        shape = (len(keys), len(ix.features))
        q = sp.csr_matrix((np.asarray(vals, dtype=np.float64), (rows, cols)), shape=shape)
        q.sort_indices()
        qx = sp.csr_matrix((np.asarray(x_vals, dtype=np.float64), (x_rows, x_cols)), shape=shape)
        qx.sort_indices()
        word = self._is_word[q.indices]
        qw = q.copy()
        qw.data = np.where(word, qw.data, 0.0)
        qw.eliminate_zeros()
        qc = q.copy()
        qc.data = np.where(word, 0.0, qc.data)
        qc.eliminate_zeros()
        return qw, qx, qc

    def _threads(self, n_chunks: int) -> int:
        if self._workers == 1 or n_chunks < 2:
            return 1
        cores = os.cpu_count() or 1
        wanted = cores if self._workers == -1 else self._workers
        return max(1, min(wanted, n_chunks))

    def _fuzzy(
        self, keys: list[str], mask: NDArray[np.bool_], keep: int, rf_workers: int
    ) -> list[list[tuple[int, int, float, Method]]]:
        """Fuzzy stage for distinct mentions: the `keep` best concepts of each."""
        qw, qx, qc = self._query_matrices(keys)
        # float32 like the postings, so that scipy does not convert the postings per call.
        q = (_ALPHA * (qw + qx) + (1.0 - _ALPHA) * qc).tocsr().astype(np.float32)
        q.sort_indices()
        approx = (q @ self._postings_capped).tocsr()
        cand: list[NDArray[np.intp]] = []
        for n in range(len(keys)):
            a, b = approx.indptr[n], approx.indptr[n + 1]
            labels = approx.indices[a:b].astype(np.intp)
            scores = approx.data[a:b] * mask[labels]
            qa, qb = q.indptr[n], q.indptr[n + 1]
            if (
                np.count_nonzero(scores) < _N_CANDIDATES // 4
                and self._has_common[q.indices[qa:qb]].any()
            ):
                full = (q[n] @ self._postings).tocsr()
                labels = full.indices.astype(np.intp)
                scores = full.data * mask[labels]
            cand.append(self._top(labels, scores, _N_CANDIDATES))
        counts = np.array([len(c) for c in cand], dtype=np.intp)
        if not counts.sum():
            return [[] for _ in keys]
        pair_q = np.repeat(np.arange(len(keys), dtype=np.intp), counts)
        pair_l = np.concatenate(cand)
        lab = self._matrix[pair_l].astype(np.float64)
        s_word = np.asarray(qw[pair_q].multiply(lab).sum(axis=1)).ravel()
        s_char = np.asarray(qc[pair_q].multiply(lab).sum(axis=1)).ravel()
        s_sub = np.asarray(qx[pair_q].multiply(lab).sum(axis=1)).ravel()
        norm = self._index.norm_text
        words = self._index.word_text
        q_words = [" ".join(content_words(k)) for k in keys]
        ratio = process.cpdist(
            [keys[i] for i in pair_q],
            [norm[i] for i in pair_l],
            scorer=fuzz.ratio,
            workers=rf_workers,
        )
        token_set = process.cpdist(
            [q_words[i] for i in pair_q],
            [words[i] for i in pair_l],
            scorer=fuzz.token_set_ratio,
            workers=rf_workers,
        )
        score = (
            _W_WORD * np.minimum(s_word + s_sub, 1.0)
            + _W_CHAR * s_char
            + (_W_RATIO / 100.0) * ratio
            + (_W_SET / 100.0) * token_set
        )
        score += self._prior[pair_l] - _KIND_PENALTY[self._label_kind[pair_l]]
        score = np.clip(score, 0.0, 1.0) * FUZZY_CEILING
        return self._best_concepts(pair_q, pair_l, score, len(keys), keep)

    def _best_concepts(
        self,
        pair_q: NDArray[np.intp],
        pair_l: NDArray[np.intp],
        score: NDArray[np.float64],
        n_queries: int,
        keep: int,
    ) -> list[list[tuple[int, int, float, Method]]]:
        """Per query, the `keep` best concepts, each with its best label.

        Ties are broken by concept row (URI order), then label position: deterministic.
        """
        owner = self._owner[pair_l]
        order = np.lexsort((pair_l, -score, owner, pair_q))
        first = np.ones(len(order), dtype=np.bool_)
        first[1:] = (pair_q[order][1:] != pair_q[order][:-1]) | (
            owner[order][1:] != owner[order][:-1]
        )
        best = order[first]
        best = best[np.lexsort((pair_l[best], owner[best], -score[best], pair_q[best]))]
        out: list[list[tuple[int, int, float, Method]]] = [[] for _ in range(n_queries)]
        for n, o, lab, sc in zip(
            pair_q[best].tolist(),
            owner[best].tolist(),
            pair_l[best].tolist(),
            score[best].tolist(),
            strict=True,
        ):
            if len(out[n]) < keep:
                out[n].append((o, lab, sc, "fuzzy"))
        return out

    @staticmethod
    def _top(labels: NDArray[np.intp], scores: NDArray[Any], k: int) -> NDArray[np.intp]:
        keep = scores > 0
        labels, scores = labels[keep], scores[keep]
        if len(labels) > k:
            # The k best by score, ties at the boundary broken by label position: deterministic.
            kth = np.partition(scores, len(scores) - k)[len(scores) - k]
            near = scores >= kth
            labels, scores = labels[near], scores[near]
            order = np.lexsort((labels, -scores))[:k]
            labels = labels[order]
        return np.sort(labels)
