"""Compile time: the first ``labourint-match demo`` with empty caches, against the parent commit.

Issue 22, item 5: a newcomer's first demo waited 36–56 s, nearly all of it numba compiling the
kernels. The acceptance figure is the first demo's wall time with an empty numba cache, ours at
most half the baseline's, both timed in the same run: the working tree's ``src/`` and the
baseline commit's, checked out with ``git worktree add --detach`` into a temporary folder, each
run as ``python -m labourint_match.cli demo`` in a fresh interpreter of this one's environment
with ``PYTHONPATH`` at its ``src/`` (the child prints ``labourint_match.__file__``, and the
benchmark checks it is the tree it meant), with a fresh ``NUMBA_CACHE_DIR`` and
``LABOURINT_MATCH_CACHE_DIR`` per run, the baseline's and ours interleaved.

Figures (medians; lower is better, the ratio is baseline / ours):

- ``first demo, empty caches``: wall time, target ≥ 2× (ours at most half the baseline's);
- ``first demo, CPU``: the child's user + system time, steadier than the wall time on a shared
  machine;
- ``warm demo``: the same demo again on the caches the first one filled;
- ``first rank`` and ``first rank by vacancy`` (profile ``full``): one candidate and one vacancy
  ranked in a fresh interpreter with empty caches, by candidate and then by vacancy (the
  compile time of each direction's kernels).

The baseline is ``BASELINE_COMMIT`` unless ``LABOURINT_MATCH_COMPILE_BASELINE`` names another
commit; without git or without that commit the figures have no baseline. Profile ``full`` runs
each demo three times; ``ci`` prints a line and nothing else (two cold demos do not fit CI's 20
minutes).
"""

from __future__ import annotations

import json
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
# The parent of the commit that made the kernels serial (issue 22, item 5; its kernels compiled with
# parallel=True, four of them: rank by candidate, rank by vacancy, score and details of pairs).
BASELINE_COMMIT = "47efb405fc6f3f8d0d6e9b88f27803cec685dcde"
RUNS = {"ci": 1, "full": 3}

_DEMO = """
import runpy, sys
import labourint_match
print("imported", labourint_match.__file__, file=sys.stderr)
sys.argv = ["labourint-match", "demo"]
runpy.run_module("labourint_match.cli", run_name="__main__")
"""

_FIRST_RANK = """
import json, sys, time
import labourint_match as lm
print("imported", lm.__file__, file=sys.stderr)
t = lm.Taxonomy.default()
occ = "http://data.europa.eu/esco/occupation/90f75f67-495d-49fa-ab57-2f320e251d7e"
skills = [r.skill for r in t.occupation_skills(occ)]
m = lm.Matcher(t)
c = [lm.CandidateProfile(id="c", skills=skills[:3])]
v = [lm.Vacancy(id="v", skills=skills)]
t0 = time.perf_counter(); m.rank(c, v); first = time.perf_counter() - t0
t0 = time.perf_counter(); m.rank(c, v, by="vacancy"); first_v = time.perf_counter() - t0
print(json.dumps({"first": first, "first_v": first_v}))
"""


def _git(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(["git", *args], cwd=REPO, capture_output=True, text=True, check=False)


@contextmanager
def _checkout(commit: str) -> Iterator[Path | None]:
    """The commit's tree in a temporary worktree, removed afterwards (None without git or it).

    Shared by the benchmarks that run a parent commit (bench_input, bench_assignment).
    """
    try:
        known = _git("cat-file", "-e", f"{commit}^{{commit}}").returncode == 0
    except OSError:
        known = False
    if not known:
        yield None
        return
    holder = Path(tempfile.mkdtemp(prefix="lm-baseline-"))
    where = holder / "tree"
    try:
        if _git("worktree", "add", "--detach", str(where), commit).returncode != 0:
            yield None
            return
        yield where
    finally:
        if where.exists():
            _git("worktree", "remove", "--force", str(where))
        shutil.rmtree(holder, ignore_errors=True)


def _run(code: str, tree: Path, caches: Path) -> tuple[float, float, str]:
    """(wall s, CPU s, stdout) of `code` in a fresh interpreter importing ``tree/src``."""
    import time

    env = {
        **os.environ,
        "PYTHONPATH": str(tree / "src"),
        "NUMBA_CACHE_DIR": str(caches / "numba"),
        "LABOURINT_MATCH_CACHE_DIR": str(caches / "lm"),
    }
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    t0 = time.perf_counter()
    done = subprocess.run([sys.executable, "-c", code], cwd=tree, env=env, capture_output=True,
                          text=True, check=False)  # fmt: skip
    wall = time.perf_counter() - t0
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if done.returncode != 0:
        raise RuntimeError(f"the child failed on {tree}:\n{done.stderr[-3000:]}")
    imported = next(line for line in done.stderr.splitlines() if line.startswith("imported "))
    where = Path(imported.split(" ", 1)[1]).resolve()
    if not where.is_relative_to((tree / "src").resolve()):
        raise RuntimeError(f"the child imported {where}, not the tree {tree}")
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return wall, cpu, done.stdout


def _figure(name: str, ours: list[float], base: list[float], baseline_name: str,
            target: float | None = None) -> dict[str, Any]:  # fmt: skip
    fig: dict[str, Any] = {
        "benchmark": "compile",
        "name": name,
        "ours": statistics.median(ours),
        "baseline": statistics.median(base) if base else None,
        "baseline_name": baseline_name,
        "unit": "s",
        "higher_is_better": False,
        "floor": None,
    }
    if target is not None:
        fig["target"] = target
    return fig


def run(profile: str) -> list[dict[str, Any]]:
    if profile != "full":
        # Two demos with empty caches take about 90 s on 2 cores, which CI's 20 minutes do not
        # hold; `.ci/run` at d7203b5 measured 26.8 s against 58.8 s (python -m benchmarks
        # --profile full --only bench_compile for the figures).
        print("  bench_compile runs in the full profile only (two cold demos, about 90 s)",
              file=sys.stderr)  # fmt: skip
        return []
    commit = os.environ.get("LABOURINT_MATCH_COMPILE_BASELINE", BASELINE_COMMIT)
    runs = RUNS[profile]
    label = f"commit {commit[:10]}"
    times: dict[str, dict[str, list[float]]] = {
        side: {"cold": [], "cpu": [], "warm": [], "rank": [], "rank_v": []}
        for side in ("ours", "base")
    }
    with _checkout(commit) as base_tree:
        if base_tree is None:
            print(f"  no baseline: commit {commit} is not in this repository", file=sys.stderr)
        trees = {"ours": REPO, **({"base": base_tree} if base_tree is not None else {})}
        for i in range(runs):
            # Interleaved, the baseline first on even rounds and ours first on odd ones.
            order = ["base", "ours"] if i % 2 == 0 else ["ours", "base"]
            for side in (s for s in order if s in trees):
                with tempfile.TemporaryDirectory(prefix="lm-compile-") as tmp:
                    wall, cpu, _ = _run(_DEMO, trees[side], Path(tmp))
                    warm, _, _ = _run(_DEMO, trees[side], Path(tmp))
                times[side]["cold"].append(wall)
                times[side]["cpu"].append(cpu)
                times[side]["warm"].append(warm)
                tree = "working tree" if side == "ours" else label
                print(f"  demo, {tree}: first {wall:.1f} s ({cpu:.1f} s CPU), warm {warm:.1f} s",
                      file=sys.stderr)  # fmt: skip
                if profile != "full":
                    continue
                with tempfile.TemporaryDirectory(prefix="lm-compile-") as tmp:
                    _, _, out = _run(_FIRST_RANK, trees[side], Path(tmp))
                got = json.loads(out.strip().splitlines()[-1])
                times[side]["rank"].append(got["first"])
                times[side]["rank_v"].append(got["first_v"])
    ours, base = times["ours"], times["base"]
    figures = [
        _figure("first demo, empty caches (wall)", ours["cold"], base["cold"], label, 2.0),
        _figure("first demo, empty caches (CPU)", ours["cpu"], base["cpu"], label),
        _figure("warm demo (wall)", ours["warm"], base["warm"], label),
    ]
    if profile == "full":
        figures += [
            _figure("first rank, empty caches", ours["rank"], base["rank"], label),
            _figure("first rank by vacancy, after it", ours["rank_v"], base["rank_v"], label),
        ]
    return figures


if __name__ == "__main__":
    for fig in run(sys.argv[1] if len(sys.argv) > 1 else "ci"):
        print(fig)
