"""Plots for notebooks: score distribution, pathway breakdown, skills-gap chart (matplotlib).

matplotlib is optional (the ``notebook`` extra: ``pip install 'labourint-match[notebook]'``) and
imported only when a function draws; without it the functions raise a
:class:`~labourint_match.errors.ConfigError` with that hint. Each function draws on the Axes it is
given (``ax=``), or on a new figure from ``matplotlib.pyplot.subplots()`` when none is, and returns
the Axes. Nothing here calls ``plt.show()`` or changes matplotlib's global state (backend, style,
rcParams).

Examples
--------
>>> from matplotlib.figure import Figure
>>> from labourint_match.plots import pathway_breakdown
>>> ax = Figure().subplots()
>>> pathway_breakdown({"ready": 4, "training_first": 9}, ax=ax) is ax
True
>>> [t.get_text() for t in ax.get_yticklabels()]
['ready', 'ready with support', 'training first', 'not eligible']
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping
from typing import Any

import numpy as np

from ._validate import positive_int
from .errors import ConfigError

__all__ = ["pathway_breakdown", "score_distribution", "skills_gap_chart"]

_PATHWAYS: tuple[str, ...] = ("ready", "ready_with_support", "training_first", "not_eligible")
_PATHWAY_COLOURS = ("#1b7837", "#7fbf7b", "#f1a340", "#999999")
_HINT = "pip install 'labourint-match[notebook]'"
_MAX_LABEL = 45


def _axes(ax: Any) -> Any:
    """`ax`, or the Axes of a new figure (pyplot imported only here)."""
    if ax is not None:
        if not hasattr(ax, "barh") or not hasattr(ax, "hist"):
            raise ConfigError(f"ax must be a matplotlib Axes, not {type(ax).__name__}")
        return ax
    try:
        import matplotlib.pyplot as plt
    except ImportError:
        raise ConfigError(f"plots need matplotlib: {_HINT}") from None
    _, new = plt.subplots()
    return new


def _require_matplotlib() -> None:
    try:
        import matplotlib  # noqa: F401
    except ImportError:
        raise ConfigError(f"plots need matplotlib: {_HINT}") from None


def _short(text: str) -> str:
    return text if len(text) <= _MAX_LABEL else text[: _MAX_LABEL - 1] + "…"


def _literal(text: str) -> str:
    """`text` for a matplotlib label, drawn as written.

    matplotlib reads text between two ``$`` as mathtext: ``"earn $5 to $10"`` would be drawn in
    math italics, and ``"a $^^$ b"`` would raise at ``savefig``. Escaped, every ``$`` is drawn
    as a dollar sign.
    """
    return text.replace("$", r"\$")


def score_distribution(result: Any, ax: Any = None, *, bins: int = 20) -> Any:
    """Histogram of the scores of a Ranking or an Assignment.

    For a ranking, two histograms share the Axes: every eligible pair listed in the top-k, and
    the best eligible score of each row (each candidate, or each vacancy when ranked by vacancy).
    For an assignment, the scores of the placed pairs.

    Parameters
    ----------
    result
        A Ranking (:meth:`Matcher.rank <labourint_match.Matcher.rank>`) or an Assignment
        (:meth:`Matcher.assign <labourint_match.Matcher.assign>`).
    ax
        The matplotlib Axes to draw on; a new figure's when omitted.
    bins
        Number of equal bins over [0, 1].

    Returns
    -------
    matplotlib.axes.Axes
        The Axes drawn on.

    Raises
    ------
    ConfigError
        matplotlib is not installed; `result` is neither a Ranking nor an Assignment; `bins` is
        not a positive int; `ax` is not an Axes.

    Examples
    --------
    >>> from datetime import date
    >>> from matplotlib.figure import Figure
    >>> from labourint_match import Matcher, ScoringConfig, Taxonomy, synth
    >>> taxonomy = Taxonomy.default()
    >>> people, jobs = synth.cohort(taxonomy, 20, 5, seed=1)
    >>> ranking = Matcher(taxonomy, ScoringConfig(as_of=date(2026, 1, 1))).rank(people, jobs, 3)
    >>> ax = score_distribution(ranking, Figure().subplots())
    >>> ax.get_xlabel(), [t.get_text() for t in ax.get_legend().get_texts()]
    ('score', ['eligible pairs in the top 3', 'best per candidate'])
    """
    from .assignment.result import Assignment
    from .scoring.ranking import Ranking

    bins = positive_int(bins, "bins")
    if not isinstance(result, (Ranking, Assignment)):
        raise ConfigError(f"result must be a Ranking or an Assignment, not {type(result).__name__}")
    _require_matplotlib()
    ax = _axes(ax)
    edges = np.linspace(0.0, 1.0, bins + 1)
    if isinstance(result, Ranking):
        listed = (result.indices >= 0) & (result.reasons == 0)
        scores = result.scores[listed].astype(np.float64)
        best = [
            float(result.scores[row][listed[row]].max())
            for row in range(len(result))
            if listed[row].any()
        ]
        ax.hist(scores, bins=edges, alpha=0.5, label=f"eligible pairs in the top {result.top_k}")
        ax.hist(best, bins=edges, histtype="step", linewidth=2, label=f"best per {result.by}")
        ax.set_ylabel("pairs")
        ax.set_title(
            f"Scores: {len(result.candidate_ids)} candidates × {len(result.vacancy_ids)} vacancies"
        )
    else:
        placed = [p.score for p in result.pairs]
        ax.hist(placed, bins=edges, alpha=0.7, label=f"placed pairs ({result.method})")
        ax.set_ylabel("people placed")
        ax.set_title(f"Placement scores: {result.n_placed} of {result.n_candidates} placed")
    ax.set_xlabel("score")
    ax.set_xlim(0.0, 1.0)
    ax.legend()
    return ax


def pathway_breakdown(explanations_or_counts: Any, ax: Any = None) -> Any:
    """Bar chart of how many pairs (or people) are on each pathway into work.

    Parameters
    ----------
    explanations_or_counts
        :class:`~labourint_match.Explanation` objects (each counted by ``pathway.kind``), or a
        mapping of pathway kind to count (``ready``, ``ready_with_support``, ``training_first``,
        ``not_eligible``; missing kinds count 0).
    ax
        The matplotlib Axes to draw on; a new figure's when omitted.

    Returns
    -------
    matplotlib.axes.Axes
        The Axes drawn on: one bar per pathway, in the order above, each labelled with its count.

    Raises
    ------
    ConfigError
        matplotlib is not installed; an unknown pathway kind or a negative count; an item that
        is not an Explanation; `ax` is not an Axes.

    Examples
    --------
    >>> from matplotlib.figure import Figure
    >>> ax = pathway_breakdown({"ready": 2, "not_eligible": 1}, Figure().subplots())
    >>> [round(bar.get_width()) for bar in ax.patches]
    [2, 0, 0, 1]
    """
    counts = _pathway_counts(explanations_or_counts)
    _require_matplotlib()
    ax = _axes(ax)
    values = [counts[k] for k in _PATHWAYS]
    positions = np.arange(len(_PATHWAYS))
    bars = ax.barh(positions, values, color=_PATHWAY_COLOURS)
    ax.set_yticks(positions, [k.replace("_", " ") for k in _PATHWAYS])
    ax.invert_yaxis()
    ax.bar_label(bars, labels=[str(v) for v in values], padding=3)
    ax.set_xlabel("count")
    ax.set_title(f"Pathways into work ({sum(values)} in all)")
    return ax


def _pathway_counts(source: Any) -> dict[str, int]:
    from .scoring.explain import Explanation

    if isinstance(source, Mapping):
        counts = dict.fromkeys(_PATHWAYS, 0)
        for kind, n in source.items():
            if kind not in counts:
                raise ConfigError(
                    f"unknown pathway {str(kind)[:40]!r}; the pathways are {', '.join(_PATHWAYS)}"
                )
            if isinstance(n, bool) or not isinstance(n, (int, np.integer)) or n < 0:
                raise ConfigError(f"the count of {kind!r} must be an int >= 0, not {n!r}")
            counts[kind] = int(n)
        return counts
    if isinstance(source, (str, bytes)) or not isinstance(source, Iterable):
        raise ConfigError(
            "explanations_or_counts must be Explanations or a mapping of pathway to count, "
            f"not {type(source).__name__}"
        )
    tally: Counter[str] = Counter()
    for i, item in enumerate(source):
        if not isinstance(item, Explanation):
            raise ConfigError(f"item {i} is a {type(item).__name__}, not an Explanation")
        tally[item.pathway.kind] += 1
    return {k: tally[k] for k in _PATHWAYS}


def skills_gap_chart(table: Any, top: int = 15, ax: Any = None) -> Any:
    """Bar chart of the top skills gaps, from a training-needs or a demand-and-supply table.

    `table` is a result of :func:`~labourint_match.analysis.training_needs` or
    :func:`~labourint_match.analysis.demand_supply`. For training needs, each need gets three
    bars: the candidates with the gap (``n_gap``), and those its training moves to ready
    (``n_ready``) or to ready or ready with support (``n_ready_or_supported``). For demand and
    supply, each skill gets two bars: the openings asking for it and the candidates holding it.
    Rows are drawn in the table's order, first on top; labels are drawn as written (a ``$`` is a
    dollar sign, never the start of matplotlib mathtext).

    Parameters
    ----------
    table
        The result of either function: a DataFrame or its list of records.
    top
        How many rows to draw.
    ax
        The matplotlib Axes to draw on; a new figure's when omitted.

    Returns
    -------
    matplotlib.axes.Axes
        The Axes drawn on.

    Raises
    ------
    ConfigError
        matplotlib is not installed; `table` is not a result of either function; `top` is not a
        positive int; `ax` is not an Axes.

    Examples
    --------
    >>> from matplotlib.figure import Figure
    >>> rows = [{"label": "sort waste", "openings": 5, "candidates": 2},
    ...         {"label": "clean surfaces", "openings": 3, "candidates": 4}]
    >>> ax = skills_gap_chart(rows, ax=Figure().subplots())
    >>> [t.get_text() for t in ax.get_yticklabels()]
    ['sort waste', 'clean surfaces']
    """
    top = positive_int(top, "top")
    rows = _rows(table)[:top]
    series: tuple[tuple[str, str], ...]
    if rows and all(k in rows[0] for k in ("n_gap", "n_ready", "n_ready_or_supported")):
        series = (
            ("n_gap", "candidates with the gap"),
            ("n_ready_or_supported", "moved to ready or ready with support"),
            ("n_ready", "moved to ready"),
        )
        title, xlabel = "Training needs", "candidates"
    elif rows and all(k in rows[0] for k in ("openings", "candidates")):
        series = (("openings", "openings asking for it"), ("candidates", "candidates holding it"))
        title, xlabel = "Demand and supply of skills", "count"
    else:
        raise ConfigError(
            "table must be a non-empty result of analysis.training_needs or "
            "analysis.demand_supply (a DataFrame or its records)"
        )
    _require_matplotlib()
    ax = _axes(ax)
    positions = np.arange(len(rows), dtype=np.float64)
    height = 0.8 / len(series)
    for s, (column, name) in enumerate(series):
        values = [float(r[column]) for r in rows]
        ax.barh(positions + (s - (len(series) - 1) / 2) * height, values, height, label=name)
    labels = [
        _literal(
            _short(
                f"{r['group']} · {r['label']}" if r.get("group") is not None else str(r["label"])
            )
        )
        for r in rows
    ]
    ax.set_yticks(positions, labels)
    ax.invert_yaxis()
    ax.set_xlabel(xlabel)
    ax.set_title(title)
    ax.legend()
    return ax


def _rows(table: Any) -> list[dict[str, Any]]:
    if hasattr(table, "to_dict") and hasattr(table, "columns"):
        records: list[dict[str, Any]] = table.to_dict("records")
        return records
    if isinstance(table, (str, bytes, Mapping)) or not isinstance(table, Iterable):
        raise ConfigError(
            "table must be a result of analysis.training_needs or analysis.demand_supply, "
            f"not {type(table).__name__}"
        )
    rows = list(table)
    if not all(isinstance(r, Mapping) and "label" in r for r in rows):
        raise ConfigError(
            "table must be a result of analysis.training_needs or analysis.demand_supply "
            "(records with a 'label')"
        )
    return [dict(r) for r in rows]
