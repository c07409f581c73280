"""How the title resolver's weights were chosen: a fit on the tuning half of the job-ad titles.

Run ``python -m benchmarks.tune_titles`` (about two minutes on two cores). It computes
:class:`~labourint_match.resolve.TitleResolver`'s features for every candidate occupation of every
title of the *tuning* half (:func:`benchmarks.bench_titles.split`; the held-back half is never read
here), and fits the weights of the linear score and the score of the "none of these" option by
maximum likelihood of the labelled occupation under the softmax over a title's candidates and that
option (a title whose labelled occupation is not among its candidates, or not in ESCO v1.1.1, counts
as "none"), with a small L2 penalty, by L-BFGS. It prints R@1 and R@5 on the tuning half from a
two-fold cross-validation inside it (each fold fitted on the other), then the weights fitted on the
whole tuning half: the values of ``_titles._FITTED`` and ``_titles._NONE_SCORE``. With ``--ablate``,
it then prints R@1 and R@5 without each feature, from the same cross-validation.
"""

from __future__ import annotations

import sys
import warnings
from typing import Any

import numpy as np
from numpy.typing import NDArray
from scipy.optimize import minimize

from benchmarks.bench_titles import CLASSIFICATION, TITLES, occupation_labels, read_titles, split

L2 = 1e-3


def fit(x: NDArray[Any], title: NDArray[Any], is_gold: NDArray[Any], n_titles: int,
        mask: NDArray[Any]) -> tuple[NDArray[Any], float]:  # fmt: skip
    """(weights, none score) maximising the likelihood of the gold options of the titles in mask."""
    keep = mask[title]
    x, title, is_gold = x[keep], title[keep], is_gold[keep]
    mu, sd = x.mean(axis=0), x.std(axis=0) + 1e-9
    z = (x - mu) / sd
    has_gold = np.bincount(title, weights=is_gold, minlength=n_titles) > 0
    used = mask.copy()
    n = int(used.sum())

    def loss(params: NDArray[Any]) -> tuple[float, NDArray[Any]]:
        w, b = params[:-1], params[-1]
        s = z @ w
        top = np.full(n_titles, b)
        np.maximum.at(top, title, s)
        e = np.exp(s - top[title])
        e_none = np.exp(b - top)
        den = np.bincount(title, weights=e, minlength=n_titles) + e_none
        p = e / den[title]
        p_none = e_none / den
        gold_s = np.bincount(title, weights=is_gold * s, minlength=n_titles)
        gold_logit = np.where(has_gold, gold_s, b) - top
        ll = -np.sum((gold_logit - np.log(den))[used])
        grad_w = -(z.T @ (is_gold - p))
        grad_b = -np.sum(((~has_gold).astype(float) - p_none)[used])
        return (ll / n + L2 * float(w @ w),
                np.append(grad_w / n + 2 * L2 * w, grad_b / n))  # fmt: skip

    start = np.zeros(x.shape[1] + 1)
    params = minimize(loss, start, jac=True, method="L-BFGS-B").x
    w = params[:-1] / sd
    return w, float(params[-1] + mu @ w)


def recalls(x: NDArray[Any], w: NDArray[Any], title: NDArray[Any], occ: NDArray[Any],
            gold: NDArray[Any], mask: NDArray[Any]) -> tuple[float, float]:  # fmt: skip
    """R@1 and R@5 over the titles in mask (ties broken by occupation position, as the resolver)."""
    s = x @ w
    order = np.lexsort((occ, -s, title))
    t_sorted, o_sorted = title[order], occ[order]
    starts = np.searchsorted(t_sorted, np.arange(len(mask) + 1))
    r1 = r5 = 0
    for t in np.flatnonzero(mask).tolist():
        top = o_sorted[starts[t] : min(starts[t + 1], starts[t] + 5)]
        r1 += bool(len(top)) and top[0] == gold[t]
        r5 += gold[t] in top
    n = int(mask.sum())
    return r1 / n, r5 / n


def main() -> None:
    from labourint_match import Taxonomy
    from labourint_match.resolve import TitleResolver
    from labourint_match.resolve._titles import FEATURES

    if not (CLASSIFICATION.is_file() and TITLES.is_file()):
        print("tune_titles: ../shared is not there; nothing to tune on")
        return
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        taxonomy = Taxonomy.from_esco_csv(CLASSIFICATION)
    pref, _, _ = occupation_labels(taxonomy)
    by_label = {label: uri for uri, label in pref.items()}
    tune, _ = split(read_titles())
    resolver = TitleResolver(taxonomy)
    feats = resolver._features([t for t, _ in tune])
    position = {int(row): o for o, row in enumerate(resolver._rows.tolist())}
    gold = np.array([position[taxonomy.index(by_label[g])] if g in by_label else -1
                     for _, g in tune])  # fmt: skip
    is_gold = (feats.occupation == gold[feats.title]).astype(float)
    n = len(tune)
    print(f"{n} tuning titles, {len(feats.title)} candidate pairs; gold among the candidates for "
          f"{np.mean(np.bincount(feats.title, weights=is_gold, minlength=n) > 0):.3f}")  # fmt: skip
    fold = np.random.default_rng(0).integers(0, 2, n).astype(bool)

    def cross_validated(x: NDArray[Any]) -> tuple[float, float]:
        out = []
        for train in (fold, ~fold):
            w, _ = fit(x, feats.title, is_gold, n, train)
            out.append(recalls(x, w, feats.title, feats.occupation, gold, ~train))
        return (out[0][0] + out[1][0]) / 2, (out[0][1] + out[1][1]) / 2

    r1, r5 = cross_validated(feats.X)
    print(f"two-fold cross-validation on the tuning half: R@1 {r1:.4f}  R@5 {r5:.4f}")
    w, none = fit(feats.X, feats.title, is_gold, n, np.ones(n, dtype=bool))
    r1, r5 = recalls(feats.X, w, feats.title, feats.occupation, gold, np.ones(n, dtype=bool))
    print(f"fitted on the whole tuning half: R@1 {r1:.4f}  R@5 {r5:.4f}")
    print("_FITTED = {")
    for name, v in zip(FEATURES, w, strict=True):
        print(f'    "{name}": {v:.4f},')
    print("}")
    print(f"_NONE_SCORE = {none:.4f}")
    if "--ablate" in sys.argv:
        for i, name in enumerate(FEATURES):
            r1, r5 = cross_validated(np.delete(feats.X, i, axis=1))
            print(f"  without {name:<10} cross-validated R@1 {r1:.4f}  R@5 {r5:.4f}")


if __name__ == "__main__":
    main()
