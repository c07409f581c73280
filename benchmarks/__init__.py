"""Side-by-side benchmarks of labourint_match: ``python -m benchmarks --profile ci|full``."""

from __future__ import annotations

from typing import Any

import numpy as np


def figure(
    benchmark: str, name: str, ours: float, baseline: float | None, unit: str,
    higher: bool, floor: float | None, baseline_name: str | None,
) -> dict[str, Any]:  # fmt: skip
    """One figure as the harness prints and records it (the baseline named only when measured)."""
    return {
        "benchmark": benchmark,
        "name": name,
        "ours": ours,
        "baseline": baseline,
        "baseline_name": baseline_name if baseline is not None else None,
        "unit": unit,
        "higher_is_better": higher,
        "floor": floor,
    }


def recall(found: list[list[str]], gold: list[str], k: int) -> float:
    """Share of the items whose gold label is among their first k found."""
    return float(np.mean([g in f[:k] for f, g in zip(found, gold, strict=True)])) if gold else 0.0
