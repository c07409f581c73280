"""How the score's composition was chosen: ``bench_trust``'s figures under other compositions.

Run ``python -m benchmarks.sweep_composition [ci|full]`` (about a minute for ``ci`` once the kernels
are compiled). For each composition — ``gate_floor`` 1 (the additive score), 0.5, 0.2 (the
default), 0 (purely multiplicative) — and each unknown skill fit, it ranks ``bench_trust``'s cohort
with its unjudged distractors, and instead with its common-skill vacancies, and prints the shares
``bench_trust`` reports, over the same denominator. The first row is 0.x's behaviour (additive, and
a vacancy asking nothing scoring skill 1). ``docs/scoring.md`` holds the table it printed.
"""

from __future__ import annotations

import sys
import warnings

from benchmarks.bench_ranking import AS_OF, SIZES, _taxonomy
from benchmarks.bench_trust import COMMON, EXTRA_SHARE, SEED, UNJUDGED, denominator, judged, shares

#: (gate_floor, skill_unknown) pairs, in the order of the table in docs/scoring.md.
COMPOSITIONS = ((1.0, 1.0), (1.0, 0.1), (0.5, 0.1), (0.2, 0.1), (0.0, 0.1), (0.2, 0.3), (0.2, 0.0))


def main(profile: str = "ci") -> None:
    from labourint_match import Matcher, Preferences, ScoringConfig, UnjudgedVacancyWarning
    from labourint_match.synth import cohort

    warnings.simplefilter("ignore", UnjudgedVacancyWarning)
    taxonomy, name = _taxonomy()
    n_c, n_v = SIZES[profile]
    drawn = cohort(taxonomy, n_c, n_v, seed=SEED, unjudged_vacancy_share=EXTRA_SHARE,
                   common_skill_vacancy_share=EXTRA_SHARE)  # fmt: skip
    cands = [c.model_copy(update={"preferences": Preferences()}) for c in drawn.candidates]
    plain = [v for v in drawn.vacancies if not v.id.startswith((UNJUDGED, COMMON))]
    sets = {
        "distractors": [*plain, *(v for v in drawn.vacancies if v.id.startswith(UNJUDGED))],
        "common skills": [*plain, *(v for v in drawn.vacancies if v.id.startswith(COMMON))],
    }
    base = ScoringConfig(as_of=AS_OF)
    rows = {label: denominator(cands, vacs, drawn.truth, base) for label, vacs in sets.items()}
    print(f"{n_c:,} × {n_v:,} on {name}; denominator {len(rows['distractors']):,}")
    print("gate_floor  skill_unknown  top-1  top-5  distractor at 1  common-skill at 1")
    for gate_floor, skill_unknown in COMPOSITIONS:
        matcher = Matcher(
            taxonomy, base.replace(gate_floor=gate_floor, skill_unknown=skill_unknown)
        )
        found = {}
        for label, vacs in sets.items():
            unjudged = {j for j, v in enumerate(vacs) if not judged(v, taxonomy, matcher.resolve)}
            ranking = matcher.rank(cands, vacs, top_k=5)
            found[label] = shares(ranking, rows[label], cands, vacs, drawn.truth, unjudged)
        d, c = found["distractors"], found["common skills"]
        print(f"{gate_floor:>10}  {skill_unknown:>13}  {d['top1']:.3f}  {d['top5']:.3f}  "
              f"{d['unjudged']:>15.4f}  {c['common']:>17.3f}", flush=True)  # fmt: skip


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else "ci")
