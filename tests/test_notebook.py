"""The notebook under docs/notebooks runs end to end (about 4 s here; no timed assertion)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

NOTEBOOK = Path(__file__).resolve().parents[1] / "docs" / "notebooks" / "cohort_analysis.ipynb"


def test_cohort_analysis_notebook_executes_every_cell(monkeypatch: pytest.MonkeyPatch) -> None:
    pytest.importorskip("pandas", reason="the notebook needs the notebook extra (pandas)")
    pytest.importorskip("matplotlib", reason="the notebook needs the notebook extra (matplotlib)")
    monkeypatch.setenv("MPLBACKEND", "Agg")
    cells = json.loads(NOTEBOOK.read_text(encoding="utf-8"))["cells"]
    code = [("".join(c["source"]), i) for i, c in enumerate(cells) if c["cell_type"] == "code"]
    assert len(code) >= 8
    namespace: dict[str, object] = {"__name__": "__notebook__"}
    for source, index in code:
        exec(compile(source, f"{NOTEBOOK.name}[cell {index}]", "exec"), namespace)
    assert namespace["placement"].pairs  # type: ignore[attr-defined]
    import matplotlib.pyplot as plt

    plt.close("all")
