"""The ranking kernels stay within their arrays: run with numba's bounds checking on.

The kernels index arrays without bounds checks (numba's default), where an index one past the end
corrupts memory silently instead of failing. Here a child process compiles them with
``NUMBA_BOUNDSCHECK=1`` (an empty numba cache of its own, so nothing compiled without checks is
reused) and ranks cohorts at the edges: candidates whose claims reach every group of vacancies,
and a seeded cohort of every kind of record. The kernels are serial (no ``prange``, whose loops
can lose an index error raised inside them), so they are checked as they run.
"""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from pathlib import Path

CHILD = textwrap.dedent(
    """
    import numpy as np
    from datetime import date
    from labourint_match import CandidateProfile, Matcher, ScoringConfig, Taxonomy, Vacancy
    from labourint_match.scoring import _kernels

    import tests.scoring.test_exactness as te

    matcher = Matcher(Taxonomy.default(), ScoringConfig(as_of=te.AS_OF))
    by_candidate = _kernels.rank_by_candidate
    by_vacancy = _kernels.rank_by_vacancy
    taxonomy = matcher.taxonomy
    occupations = [u for u in taxonomy.concepts("occupation")
                   if len(taxonomy.occupation_skills(u)) >= 2]

    def check(cands, vacs, k):
        enc = matcher._scorer.encode(cands, vacs)
        ci = np.repeat(np.arange(len(cands), dtype=np.int64), len(vacs))
        vi = np.tile(np.arange(len(vacs), dtype=np.int64), len(cands))
        dense = matcher._scorer.score_pairs(enc, ci, vi).scores
        dense = dense.reshape(len(cands), len(vacs))
        idx, _, _ = by_candidate(*enc, matcher._scorer.T, matcher._scorer.cfg, k, 3)
        k_eff = min(k, len(vacs))
        assert [r[:k_eff].tolist() for r in idx] == te._expected_top_k(dense, k_eff)
        idx, _, _ = by_vacancy(*enc, matcher._scorer.T, matcher._scorer.cfg, min(k, len(cands)), 3)
        k_eff = min(k, len(cands))
        assert [r[:k_eff].tolist() for r in idx] == te._expected_top_k(dense.T, k_eff)

    # Every group reached by every candidate: 1, 2 and 5 groups of one vacancy each.
    for n_groups in (1, 2, 5):
        vacs, claims = [], []
        for j in range(n_groups):
            skills = [r.skill for r in taxonomy.occupation_skills(occupations[j])][:2]
            vacs.append(Vacancy(id=f"v{j}", occupation=occupations[j], skills=skills))
            claims += skills
        cands = [CandidateProfile(id=f"c{i}", skills=list(dict.fromkeys(claims)))
                 for i in range(4)]
        check(cands, vacs, 3)
    # A cohort of every kind: groups cut at their largest size, no occupation, no skills asked,
    # no coordinates, remote, no right to work.
    cands, vacs = te._one_occupation_cohort(1)
    check(cands, vacs, 10)
    print("within bounds")
    """
)


def test_the_ranking_kernels_index_within_their_arrays(tmp_path: Path) -> None:
    root = Path(__file__).resolve().parents[2]
    env = dict(os.environ, NUMBA_BOUNDSCHECK="1", NUMBA_CACHE_DIR=str(tmp_path))
    env["PYTHONPATH"] = os.pathsep.join([str(root), env.get("PYTHONPATH", "")])
    done = subprocess.run(
        [sys.executable, "-c", CHILD], env=env, cwd=root, capture_output=True, text=True,
        timeout=900, check=False,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr[-3000:]
    assert "within bounds" in done.stdout
