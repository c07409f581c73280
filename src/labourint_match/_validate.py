"""Checks of integer and unit-interval options, one wording everywhere.

Every option that takes a count (``top_k``, ``chunk_size``, ``per_opening`` …) or a number in
[0, 1] (``min_score``, thresholds) is checked here, so that each accepts the same values and
refuses them with the same :class:`~labourint_match.errors.ConfigError`: numpy integers count as
ints (a value read from an array is fine), a bool never does, and a NaN is not a number in [0, 1].
A refused number is shown in the message; any other value only by its type's name, so that a
record passed by mistake (a profile as ``top_k``) never copies its content into a message or log.

Examples
--------
>>> import numpy as np
>>> from labourint_match._validate import positive_int, unit_interval
>>> positive_int(np.int64(5), "top_k")
5
>>> positive_int(True, "top_k")
Traceback (most recent call last):
...
labourint_match.errors.ConfigError: top_k must be an int ≥ 1, not a bool
>>> unit_interval(np.float32(0.5), "min_score")
0.5
"""

from __future__ import annotations

import math
import operator

import numpy as np

from .errors import ConfigError

__all__ = ["positive_int", "unit_interval"]


def _shown(value: object) -> str:
    """`value` for a message: a number's repr, None, or only its type's name (never content)."""
    if value is None:
        return "None"
    if isinstance(value, (int, float, np.integer, np.floating)) and not isinstance(value, bool):
        return repr(value)
    return f"a {type(value).__name__}"


def positive_int(value: object, name: str, minimum: int = 1) -> int:
    """`value` as an int, if it is an integer (Python or numpy, not a bool) ≥ `minimum`.

    Raises
    ------
    ConfigError
        "`name` must be an int ≥ `minimum`, not …".
    """
    if isinstance(value, (bool, np.bool_)):
        raise ConfigError(f"{name} must be an int ≥ {minimum}, not a bool")
    try:
        n = operator.index(value)  # type: ignore[arg-type]
    except TypeError:
        raise ConfigError(f"{name} must be an int ≥ {minimum}, not {_shown(value)}") from None
    if n < minimum:
        raise ConfigError(f"{name} must be an int ≥ {minimum}, not {n}")
    return n


def unit_interval(value: object, name: str) -> float:
    """`value` as a float, if it is a real number (Python or numpy, not a bool) in [0, 1].

    Raises
    ------
    ConfigError
        "`name` must be a number in [0, 1], not …".
    """
    if isinstance(value, (bool, np.bool_)) or not isinstance(
        value, (int, float, np.integer, np.floating)
    ):
        raise ConfigError(f"{name} must be a number in [0, 1], not {_shown(value)}")
    x = float(value)
    if math.isnan(x) or not 0.0 <= x <= 1.0:
        raise ConfigError(f"{name} must be a number in [0, 1], not {x!r}")
    return x
