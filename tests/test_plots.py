"""labourint_match.plots: each chart draws what it says on the Agg backend, and nothing else.

What these tests prove: the score distribution, pathway breakdown and skills-gap chart draw the
data they are given (bar lengths, labels, histogram counts), on a given Axes or a new figure;
importing the module does not import matplotlib; no plot calls ``plt.show()``; without
matplotlib each raises a ConfigError with the install hint; bad input gives typed errors.
"""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Iterator
from datetime import date
from typing import Any

import numpy as np
import pytest

from labourint_match import Matcher, ScoringConfig, Taxonomy, synth
from labourint_match.analysis import demand_supply, training_needs
from labourint_match.errors import ConfigError
from labourint_match.plots import pathway_breakdown, score_distribution, skills_gap_chart

pytest.importorskip("matplotlib")

T = Taxonomy.default()
M = Matcher(T, ScoringConfig(as_of=date(2026, 1, 1)))
PEOPLE, JOBS = synth.cohort(T, 20, 6, seed=4)


@pytest.fixture(autouse=True)
def agg(monkeypatch: pytest.MonkeyPatch) -> Iterator[Any]:
    """The Agg backend (set before pyplot is first imported), every figure closed afterwards, and
    plt.show() forbidden."""
    monkeypatch.setenv("MPLBACKEND", "Agg")
    import matplotlib.pyplot as plt

    def no_show(*args: object, **kwargs: object) -> None:
        raise AssertionError("plots must not call plt.show()")

    monkeypatch.setattr(plt, "show", no_show)
    yield plt
    plt.close("all")


@pytest.fixture(scope="module")
def ranking() -> Any:
    return M.rank(PEOPLE, JOBS, 3)


def test_score_distribution_counts_every_eligible_listed_pair_and_each_rows_best(
    ranking: Any, agg: Any
) -> None:
    ax = score_distribution(ranking, bins=10)
    listed = (ranking.indices >= 0) & (ranking.reasons == 0)
    pairs, best = ax.patches[:10], ax.patches[10:]
    assert sum(round(p.get_height()) for p in pairs) == int(listed.sum())
    assert len(best) == 1  # the "best per row" histogram is one step outline
    assert ax.get_xlim() == (0.0, 1.0)
    assert ax.figure in [agg.figure(n) for n in agg.get_fignums()]  # a new pyplot figure


def test_score_distribution_of_an_assignment_counts_the_placed(agg: Any) -> None:
    plan = M.assign(PEOPLE, JOBS)
    _, ax = agg.subplots()
    assert score_distribution(plan, ax, bins=5) is ax
    assert sum(round(p.get_height()) for p in ax.patches) == plan.n_placed
    assert "placed" in ax.get_title()


def test_pathway_breakdown_draws_one_bar_per_pathway_from_explanations(ranking: Any) -> None:
    explanations = [
        M.explain(PEOPLE[i], JOBS[int(j)]) for i, row in enumerate(ranking.indices) for j in row
    ]
    ax = pathway_breakdown(explanations)
    kinds = ("ready", "ready_with_support", "training_first", "not_eligible")
    expected = [sum(e.pathway.kind == k for e in explanations) for k in kinds]
    assert [round(b.get_width()) for b in ax.patches] == expected
    assert [t.get_text() for t in ax.get_yticklabels()] == [k.replace("_", " ") for k in kinds]
    assert str(len(explanations)) in ax.get_title()


def test_skills_gap_chart_of_training_needs_draws_the_top_rows_in_order() -> None:
    needs = training_needs(M, PEOPLE, JOBS)
    ax = skills_gap_chart(needs, top=4)
    assert len(ax.patches) == 3 * min(4, len(needs))
    gap_bars = ax.patches[: min(4, len(needs))]
    assert [round(b.get_width()) for b in gap_bars] == list(needs["n_gap"][:4])
    shown = [t.get_text() for t in ax.get_yticklabels()]
    assert shown[0].rstrip("…") == needs["label"][0][: len(shown[0].rstrip("…"))]


def test_skills_gap_chart_of_demand_and_supply_from_records() -> None:
    rows = demand_supply(PEOPLE, JOBS, T, by="region", as_frame=False)
    ax = skills_gap_chart(rows, top=3)
    assert [round(b.get_width()) for b in ax.patches[:3]] == [r["openings"] for r in rows[:3]]
    assert [round(b.get_width()) for b in ax.patches[3:]] == [r["candidates"] for r in rows[:3]]
    assert ax.get_yticklabels()[0].get_text().startswith(f"{rows[0]['group']} · ")


def test_importing_plots_does_not_import_matplotlib() -> None:
    code = (
        "import sys, labourint_match.plots, labourint_match.analysis; "
        "print('matplotlib' in sys.modules)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


def test_without_matplotlib_every_plot_asks_for_the_notebook_extra(
    monkeypatch: pytest.MonkeyPatch, ranking: Any
) -> None:
    for name in [m for m in sys.modules if m == "matplotlib" or m.startswith("matplotlib.")]:
        monkeypatch.delitem(sys.modules, name)
    monkeypatch.setitem(sys.modules, "matplotlib", None)
    hint = r"pip install 'labourint-match\[notebook\]'"
    with pytest.raises(ConfigError, match=hint):
        score_distribution(ranking)
    with pytest.raises(ConfigError, match=hint):
        pathway_breakdown({"ready": 1})
    with pytest.raises(ConfigError, match=hint):
        skills_gap_chart([{"label": "x", "openings": 1, "candidates": 0}])


@pytest.mark.parametrize(
    ("call", "match"),
    [
        (lambda: score_distribution([0.5, 0.7]), "Ranking or an Assignment"),
        (lambda: score_distribution(None, bins=0), "bins"),
        (lambda: pathway_breakdown({"hired": 3}), "unknown pathway"),
        (lambda: pathway_breakdown({"ready": -1}), "int >= 0"),
        (lambda: pathway_breakdown(["ready"]), "not an Explanation"),
        (lambda: pathway_breakdown(3), "Explanations or a mapping"),
        (lambda: skills_gap_chart([]), "non-empty result"),
        (lambda: skills_gap_chart([{"label": "x"}]), "non-empty result"),
        (lambda: skills_gap_chart("needs"), "training_needs"),
        (lambda: skills_gap_chart([{"label": "x", "n_gap": 1}], top=0), "top"),
        (lambda: pathway_breakdown({"ready": 1}, ax=np.zeros(2)), "Axes"),
    ],
)
def test_bad_input_gives_a_config_error(call: Any, match: str) -> None:
    with pytest.raises(ConfigError, match=match):
        call()
