"""``labourint-match demo``: matching, explanations and placement on a synthetic cohort."""

from __future__ import annotations

import time
from datetime import date
from typing import TextIO

from .._version import __version__
from ..taxonomy import Taxonomy
from ._io import _print_table


def _demo(out: TextIO, *, n_candidates: int = 300, n_vacancies: int = 80, seed: int = 7) -> None:
    from collections import Counter

    from ..analysis import disparity
    from ..matcher import Matcher
    from ..scoring import ScoringConfig
    from ..synth import cohort

    started = time.perf_counter()
    t = Taxonomy.default()
    counts = t.counts()
    print(f"labourint-match {__version__} — demo", file=out)
    print(
        f"Taxonomy  labourint-core (ESCO v1.1.1 subset): {counts['skill']} skills, "
        f"{counts['occupation']} occupations, labels in {len(t.label_languages)} languages",
        file=out,
    )
    as_of = date(2026, 1, 1)
    result = cohort(t, n_candidates, n_vacancies, seed=seed, as_of=as_of)
    candidates, vacancies = result
    openings = sum(v.openings for v in vacancies)
    print(
        f"Cohort    {len(candidates)} synthetic candidates (newcomers and domestic jobseekers, "
        f"on equal terms), {len(vacancies)} vacancies with {openings} openings (seed {seed})",
        file=out,
    )
    matcher = Matcher(t, ScoringConfig(as_of=as_of))
    ranking = matcher.rank(candidates, vacancies, top_k=3)
    by_id = {c.id: c for c in candidates}
    vac_by_id = {v.id: v for v in vacancies}

    explanations = {
        c.id: matcher.explain(c, vac_by_id[ranking.for_candidate(c.id)[0].vacancy_id])
        for c in candidates
    }
    # Show people whose best match is in the occupation they worked in (the ground truth).
    shown = [
        c.id
        for c in candidates
        if vac_by_id[ranking.for_candidate(c.id)[0].vacancy_id].occupation == result.truth[c.id][0]
    ][:3]
    print("\nTop matches for three candidates", file=out)
    for cid in shown:
        print(f"  {cid} (worked as: {t.label(result.truth[cid][0])})", file=out)
        for m in ranking.for_candidate(cid):
            e = matcher.explain(by_id[cid], vac_by_id[m.vacancy_id])
            label = e.vacancy_label or m.vacancy_id
            gaps = sum(1 for g in e.gaps if g.importance == "essential")
            print(
                f"    {m.rank}. {m.vacancy_id} {label:<32.32} {m.score:.2f}  "
                f"{e.pathway.kind.replace('_', ' ')} ({gaps} essential gaps)",
                file=out,
            )
    supported = [cid for cid in shown if explanations[cid].pathway.kind == "ready_with_support"]
    first = (supported or shown or [candidates[0].id])[0]
    best = ranking.for_candidate(first)[0]
    print(f"\nWhy {first} and {best.vacancy_id}, as an adviser would explain it:", file=out)
    for line in str(explanations[first]).splitlines():
        print(f"  {line}", file=out)

    pathways: Counter[str] = Counter()
    needs: Counter[str] = Counter()
    for e in explanations.values():
        pathways[e.pathway.kind] += 1
        for gap in e.pathway.training_needs:
            needs[gap.label] += 1
    print("\nPathways (each candidate's best match)", file=out)
    _print_table(
        [(kind.replace("_", " "), str(pathways[kind]))
         for kind in ("ready", "ready_with_support", "training_first", "not_eligible")],
        out,
    )  # fmt: skip

    placement = matcher.assign(candidates, vacancies, method="optimal")
    reasons = Counter(u.reason for u in placement.unassigned)
    not_placed = ", ".join(f"{k.replace('_', ' ')}: {v}" for k, v in sorted(reasons.items()))
    print("\nOptimal placement", file=out)
    _print_table(
        [
            ("placed", f"{len(placement.pairs)} of {placement.n_candidates} candidates "
                       f"into {placement.n_openings} openings"),
            ("total score", f"{placement.total_score:.1f}"),
            ("not placed", not_placed or "none"),
        ],
        out,
    )  # fmt: skip
    report = disparity(placement, candidates, "group", as_frame=False)
    print("\nPlacement by group (the fairness report reads the audit attributes)", file=out)
    _print_table(
        [
            (
                str(row["group"]),
                f"{row['placed']} of {row['n']} placed ({row['placement_rate']:.0%}), "
                f"ratio to the best-off group {row['placement_rate_ratio']:.2f}"
                + (" — under four fifths" if row["four_fifths_flag"] else ""),
            )
            for row in report
        ],
        out,
    )
    print("\nTop training needs (gaps that put a best match on training first)", file=out)
    _print_table([(f"{n} candidates", label) for label, n in needs.most_common(5)], out)
    print(f"\nDone in {time.perf_counter() - started:.1f} s.", file=out)
