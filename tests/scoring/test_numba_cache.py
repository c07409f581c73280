"""The kernels work when numba's cache directory cannot be created; nothing compiles at import.

(Sessions run as root, where permissions do not stop writes; a file where the cache directory
should be is the way to make it unusable.)
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from datetime import date
from pathlib import Path

from labourint_match import Matcher, ScoringConfig, Taxonomy
from labourint_match.synth import cohort

_SCRIPT = """
import datetime, json, labourint_match as lm
from labourint_match.scoring import _kernels
kernels = {f for fs in _kernels.COMPILED.values() for f in fs}
compiled_at_import = sum(len(f.signatures) for f in kernels)
t = lm.Taxonomy.default()
m = lm.Matcher(t, lm.ScoringConfig(as_of=datetime.date(2026, 1, 1)))
c, v = lm.synth.cohort(t, 8, 4, seed=5)
print(json.dumps({"compiled_at_import": compiled_at_import,
                  "indices": m.rank(c, v, top_k=2).indices.tolist()}))
"""


def test_ranking_works_when_the_numba_cache_dir_cannot_be_created_and_nothing_compiles_at_import(
    tmp_path: Path,
) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("not a directory")
    env = {
        **os.environ,
        "NUMBA_CACHE_DIR": str(blocker / "cache"),  # cannot be created: a file is in the way
        "LABOURINT_MATCH_CACHE_DIR": str(tmp_path / "taxonomy-cache"),
    }
    done = subprocess.run(
        [sys.executable, "-c", _SCRIPT], capture_output=True, text=True, env=env, timeout=600
    )
    assert done.returncode == 0, done.stderr[-2000:]
    result = json.loads(done.stdout.strip().splitlines()[-1])
    assert result["compiled_at_import"] == 0
    t = Taxonomy.default()
    cands, vacs = cohort(t, 8, 4, seed=5)
    expected = Matcher(t, ScoringConfig(as_of=date(2026, 1, 1))).rank(cands, vacs, top_k=2)
    assert result["indices"] == expected.indices.tolist()
