"""Run every benchmark, print each figure beside its baseline, write one JSON file of results.

Usage (from the project root)::

    python -m benchmarks --profile ci      # small sizes, what .ci/run runs
    python -m benchmarks --profile full    # the sizes the issues ask for

Each benchmark module ``benchmarks/bench_*.py`` exposes ``run(profile) -> list[dict]``; a dict is
one figure: ``benchmark``, ``name``, ``ours``, ``baseline`` (measured in the same run, or None),
``baseline_name``, ``unit``, ``higher_is_better``, ``floor`` (a quality floor, or None: a figure
where lower is better, ``higher_is_better`` false, must stay at or under it — a ceiling) and
optionally ``target`` (a ratio the figure should reach; reported, never enforced — CI never fails
on a time). The exit status is 1 when a quality figure is under its floor (or over its ceiling).
"""

from __future__ import annotations

import argparse
import importlib
import json
import os
import platform
import shlex
import subprocess
import sys
import time
import traceback
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
# The benchmarks that read their own peak memory (bench_ranking, bench_scale) run in child
# processes, and on Linux a child's peak (ru_maxrss) counts this process's resident set at the
# fork: they run before the ones that grow this process (full ESCO's label index, the title
# features, the sentence encoder). Measured (ci): the ranking child's peak read 486 MB run alone
# (python -m benchmarks.bench_ranking --child ci), 778 MB after bench_resolve in this process,
# 1,945 MB after bench_semantic.
MODULES = (
    "bench_taxonomy",
    "bench_ranking",
    "bench_input",
    "bench_trust",
    "bench_assignment",
    "bench_service",
    "bench_scale",
    "bench_peers",
    "bench_national",
    "bench_training",
    "bench_resolve",
    "bench_titles",
    "bench_extract",
    "bench_semantic",
    "bench_compile",
)


def _git(*args: str) -> str:
    """The output of ``git args...`` in the repository, stripped ("" when git is not there)."""
    try:
        done = subprocess.run(["git", *args], capture_output=True, text=True, cwd=HERE, check=False)
    except OSError:
        return ""
    return done.stdout.strip()


def machine() -> dict[str, Any]:
    import numpy

    import labourint_match

    commit = _git("rev-parse", "--short", "HEAD")
    if commit and _git("status", "--porcelain", "--untracked-files=no"):
        commit += "-dirty"  # tracked files differ from the commit: the run is not of it
    cpu = ""
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        cpu = platform.processor()
    return {
        "platform": platform.platform(),
        "python": platform.python_version(),
        "cpu": cpu,
        "cpu_count": os.cpu_count(),
        "numpy": numpy.__version__,
        "labourint_match": labourint_match.__version__,
        "commit": commit,
    }


def ratio(fig: dict[str, Any]) -> float | None:
    ours, base = fig.get("ours"), fig.get("baseline")
    if ours is None or base is None or ours == 0 or base == 0:
        return None
    return ours / base if fig.get("higher_is_better") else base / ours


def status(fig: dict[str, Any]) -> str:
    """The figure's status: ok, UNDER FLOOR, OVER CEILING (lower is better), or "" (no floor)."""
    floor = fig.get("floor")
    if floor is None:
        return ""
    if not fig.get("higher_is_better", True):
        return "ok" if fig["ours"] <= floor else "OVER CEILING"
    return "ok" if fig["ours"] >= floor else "UNDER FLOOR"


def goal(fig: dict[str, Any]) -> str:
    """The figure's floor (≥), ceiling (≤) or target ratio, as printed."""
    if fig.get("floor") is not None:
        return f"{'≥' if fig.get('higher_is_better', True) else '≤'} {fig['floor']}"
    return f"≥ {fig['target']}×" if fig.get("target") is not None else ""


def fmt(value: Any, unit: str = "") -> str:
    if value is None:
        return "—"
    if isinstance(value, float):
        text = f"{value:.3g}" if abs(value) < 1000 else f"{value:,.0f}"
    else:
        text = str(value)
    return f"{text} {unit}".strip()


def print_table(figures: list[dict[str, Any]]) -> None:
    rows = [("benchmark", "figure", "ours", "baseline", "ratio", "floor/target", "status")]
    for f in figures:
        r = ratio(f)
        baseline = fmt(f.get("baseline"), f["unit"])
        if f.get("baseline_name"):
            baseline += f" ({f['baseline_name']})"
        ratio_text = f"{r:.1f}×" if r is not None else "—"
        rows.append(
            (
                f["benchmark"],
                f["name"],
                fmt(f["ours"], f["unit"]),
                baseline,
                ratio_text,
                goal(f),
                status(f),
            )
        )
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
    for i, row in enumerate(rows):
        print("  ".join(cell.ljust(w) for cell, w in zip(row, widths, strict=True)).rstrip())
        if i == 0:
            print("  ".join("-" * w for w in widths))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m benchmarks", description=__doc__.split("\n\n")[0]
    )
    parser.add_argument("--profile", choices=("ci", "full"), default="ci")
    parser.add_argument(
        "--only", action="append", help="run only these modules (e.g. bench_taxonomy)"
    )
    parser.add_argument(
        "--output", type=Path, help="JSON file to write (default: benchmarks/results/)"
    )
    given = sys.argv[1:] if argv is None else argv  # the arguments parsed, as recorded below
    args = parser.parse_args(given)
    figures: list[dict[str, Any]] = []
    errors: list[str] = []
    started = time.time()
    for name in args.only or MODULES:
        try:
            module = importlib.import_module(f"benchmarks.{name}")
        except ModuleNotFoundError as exc:
            if exc.name == f"benchmarks.{name}":
                print(f"[{name}] not present, skipped")
                continue
            raise
        print(f"[{name}] running (profile {args.profile}) …", flush=True)
        try:
            figures.extend(module.run(args.profile))
        except Exception:
            errors.append(name)
            traceback.print_exc()
    print()
    print_table(figures)
    stamp = datetime.now(timezone.utc).strftime("%Y%m%dT%H%M%SZ")
    out = args.output or HERE / "results" / f"{args.profile}-{stamp}.json"
    out.parent.mkdir(parents=True, exist_ok=True)
    record = {
        "profile": args.profile,
        "date": stamp,
        "seconds": round(time.time() - started, 1),
        "machine": machine(),
        "command": " ".join(["python -m benchmarks", *map(shlex.quote, given)]),
        "figures": [{**f, "ratio": ratio(f), "status": status(f)} for f in figures],
        "errors": errors,
    }
    out.write_text(json.dumps(record, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    print(f"\nresults written to {out}")
    under = [f for f in figures if status(f) not in ("", "ok")]
    if under or errors:
        print(
            f"FAILED: {len(under)} figure(s) under their floor or over their ceiling, "
            f"{len(errors)} benchmark(s) crashed"
        )
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
