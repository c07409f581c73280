"""The scoring model of :class:`~labourint_match.resolve.TitleResolver`: linear, or a small MLP.

Words and the taxonomy alone are scored by a linear model (``_titles._FITTED``). With a sentence
encoder the features interact (a high cosine means more when the words agree too), and a linear
model over them falls short of a small network: cross-validated on the tuning half of the job-ad
titles, R@5 0.516 linear against 0.548 with one hidden layer of 16 units. The shipped model is the
mean of three such networks (seeds 0, 1, 2; on one fold of the tuning half 0.554, 0.550 and 0.553
alone, 0.561 together), written as one network of 48 units to ``_title_weights.py`` by ``python -m
benchmarks.tune_titles --semantic``.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
from numpy.typing import NDArray

__all__ = ["TitleModel"]


@dataclass(frozen=True, eq=False)
class TitleModel:
    """``score(x) = z·linear + tanh(z·hidden + bias)·out`` with ``z = (x − mean) / scale``.

    The score of the *none of these* option is `none`. A linear model has no hidden units.

    Examples
    --------
    >>> import numpy as np
    >>> m = TitleModel.linear(np.array([1.0, 2.0]), none=0.5)
    >>> m.score(np.array([[1.0, 1.0]])).tolist()
    [3.0]
    """

    features: tuple[str, ...]
    mean: NDArray[np.float64]
    scale: NDArray[np.float64]
    weights: NDArray[np.float64]
    hidden: NDArray[np.float64]
    bias: NDArray[np.float64]
    out: NDArray[np.float64]
    none: float

    @classmethod
    def linear(
        cls, weights: NDArray[np.float64], none: float, features: tuple[str, ...] = ()
    ) -> TitleModel:
        """A linear model (`weights` is used as it is, not copied)."""
        d = len(weights)
        return cls(
            features=features,
            mean=np.zeros(d),
            scale=np.ones(d),
            weights=weights,
            hidden=np.zeros((d, 0)),
            bias=np.zeros(0),
            out=np.zeros(0),
            none=float(none),
        )

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> TitleModel:
        """A model from plain lists (the form ``_title_weights.py`` holds)."""
        return cls(
            features=tuple(d["features"]),
            mean=np.asarray(d["mean"], dtype=np.float64),
            scale=np.asarray(d["scale"], dtype=np.float64),
            weights=np.asarray(d["weights"], dtype=np.float64),
            hidden=np.asarray(d["hidden"], dtype=np.float64).reshape(len(d["mean"]), -1),
            bias=np.asarray(d["bias"], dtype=np.float64),
            out=np.asarray(d["out"], dtype=np.float64),
            none=float(d["none"]),
        )

    @classmethod
    def semantic(cls) -> TitleModel:
        """The model fitted for a resolver with an encoder."""
        from ._title_weights import SEMANTIC

        return cls.from_dict(SEMANTIC)

    def score(self, x: NDArray[np.float64]) -> NDArray[np.float64]:
        """The score of each row of `x` (one row per candidate, one column per feature)."""
        z = (x - self.mean) / self.scale
        s: NDArray[np.float64] = z @ self.weights
        if self.out.size:
            s = s + np.tanh(z @ self.hidden + self.bias) @ self.out
        return s
