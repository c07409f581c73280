"""Taxonomy load time: cold (compile from source) against warm (cache), each in a new process.

The acceptance target: the second load of full ESCO, in a new process, is at least 20× faster than
the first. Times are of the load call itself, measured inside a fresh interpreter, so interpreter
start-up and imports are excluded from both sides alike.
"""

from __future__ import annotations

import json
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
ESCO = REPO.parent / "shared" / "esco"
CLASSIFICATION = ESCO / "esco-v1.1.1-classification-en-csv.zip"
RELATIONS = ESCO / "esco-v1.1.1-relations-csv.zip"

_SCRIPT = """
import json, sys, time, warnings
warnings.simplefilter("ignore")
from labourint_match import Taxonomy
args = json.loads(sys.argv[1])
t0 = time.perf_counter()
if args["kind"] == "esco":
    t = Taxonomy.from_esco_csv(args["classification"], args["relations"])
else:
    t = Taxonomy.default()
print(json.dumps({"seconds": time.perf_counter() - t0, "concepts": len(t)}))
"""


def _load_in_new_process(cache_dir: str, **args: str) -> float:
    env_script = f"import os; os.environ['LABOURINT_MATCH_CACHE_DIR'] = {cache_dir!r}\n" + _SCRIPT
    done = subprocess.run(
        [sys.executable, "-c", env_script, json.dumps(args)],
        capture_output=True, text=True, check=True, cwd=REPO,
    )  # fmt: skip
    return float(json.loads(done.stdout.strip().splitlines()[-1])["seconds"])


def _cold_warm(repeats: int, **args: str) -> tuple[float, float]:
    cold, warm = [], []
    for _ in range(repeats):
        with tempfile.TemporaryDirectory() as cache_dir:
            cold.append(_load_in_new_process(cache_dir, **args))
            warm.extend(_load_in_new_process(cache_dir, **args) for _ in range(3))
    return statistics.median(cold), statistics.median(warm)


def _figure(name: str, cold: float, warm: float) -> dict[str, Any]:
    return {
        "benchmark": "taxonomy",
        "name": name,
        "ours": warm,
        "baseline": cold,
        "baseline_name": "cold: compile from source",
        "unit": "s",
        "higher_is_better": False,
        "floor": None,
        "target": 20,
    }


def run(profile: str) -> list[dict[str, Any]]:
    repeats = 1 if profile == "ci" else 3
    figures = [
        _figure("bundled taxonomy load, warm (new process)", *_cold_warm(repeats, kind="bundled"))
    ]
    if CLASSIFICATION.is_file() and RELATIONS.is_file():
        cold, warm = _cold_warm(repeats, kind="esco", classification=str(CLASSIFICATION),
                                relations=str(RELATIONS))  # fmt: skip
        figures.append(_figure("full ESCO v1.1.1 load, warm (new process)", cold, warm))
    else:
        print(
            f"  full ESCO skipped: {ESCO} not found (it lives in ../shared, outside a user's clone)"
        )
    for f in figures:
        print(f"  {f['name']}: cold {f['baseline']:.3f} s, warm {f['ours']:.3f} s, "
              f"{f['baseline'] / f['ours']:.1f}× faster")  # fmt: skip
    return figures


if __name__ == "__main__":
    for fig in run(sys.argv[1] if len(sys.argv) > 1 else "ci"):
        print(fig)
