"""Skill resolution on full ESCO: quality on real job-ad mentions, throughput, index build and load.

Quality: the annotated job-ad mentions of ``../shared/validation`` (TECH and HOUSE; ``sub_span``
where present, else ``span``; rows labelled ``LABEL NOT PRESENT`` or ``UNDERSPECIFIED`` skipped;
the gold answer is the ESCO preferred label). A mention counts as found at k when one of the top
k concepts has the gold preferred label. The files are read where they are, never copied.

Baseline: brute-force rapidfuzz ``WRatio`` (with ``default_process``) of the mention against every
label (preferred, alternative, hidden) of every ESCO skill, the best label per concept counting.
It is measured on the same machine in the same run: on every mention in the ``full`` profile, on a
seeded sample in ``ci`` (it takes about a quarter of a second per mention).

Throughput: ``resolve_many`` on distinct mentions (every span of the validation files, then
labels perturbed by one typo, a swapped word order or a dropped stop word, seeded), with one and
with two workers, each against the baseline with as many rapidfuzz workers. Index: build time
from scratch, and load time from the on-disk cache (a fresh resolver over the same taxonomy).
"""

from __future__ import annotations

import csv
import functools
import os
import random
import sys
import tempfile
import time
import warnings
from pathlib import Path
from typing import Any

import numpy as np

from benchmarks import figure, recall

REPO = Path(__file__).resolve().parents[1]
SHARED = REPO.parent / "shared"
CLASSIFICATION = SHARED / "esco" / "esco-v1.1.1-classification-en-csv.zip"
VALIDATION = {
    "TECH": SHARED / "validation" / "tech_validation_annotations.csv",
    "HOUSE": SHARED / "validation" / "house_validation_annotations.csv",
}
SKIPPED_LABELS = {"LABEL NOT PRESENT", "UNDERSPECIFIED"}
FLOORS = {("TECH", 5): 0.80, ("HOUSE", 5): 0.75, ("TECH", 1): 0.45, ("HOUSE", 1): 0.45}
PROFILES = {
    # baseline mentions per file (None: all), distinct mentions for throughput
    "ci": {"baseline_sample": 40, "throughput": 2000},
    "full": {"baseline_sample": None, "throughput": 10000},
}
_STOP = ("of", "and", "the", "a", "an", "in", "on", "for", "to", "with", "by", "at", "from", "or")


def read_mentions(path: Path) -> tuple[list[str], list[str], list[str]]:
    """(mentions, gold preferred labels) of the annotated rows, and every span of the file."""
    mentions: list[str] = []
    gold: list[str] = []
    spans: list[str] = []
    with path.open(newline="", encoding="utf-8") as fh:
        for row in csv.DictReader(fh):
            text = (row.get("sub_span") or "").strip() or row["span"]
            spans.append(text)
            if row["label"] in SKIPPED_LABELS:
                continue
            mentions.append(text)
            gold.append(row["label"])
    return mentions, gold, spans


def perturb(label: str, rng: random.Random) -> str | None:
    """One typo (labels of 5+ letters), one swap of adjacent words, or one dropped stop word."""
    words = label.split()
    letters = [i for i, ch in enumerate(label) if ch.isalpha()]
    options = []
    if len(letters) >= 5:
        options.append("typo")
    if len(words) >= 2:
        options.append("swap")
    if len(words) >= 3 and any(w.lower() in _STOP for w in words):
        options.append("drop")
    if not options:
        return None
    kind = rng.choice(options)
    if kind == "swap":
        i = rng.randrange(len(words) - 1)
        words[i], words[i + 1] = words[i + 1], words[i]
        return " ".join(words)
    if kind == "drop":
        i = rng.choice([k for k, w in enumerate(words) if w.lower() in _STOP])
        return " ".join(words[:i] + words[i + 1 :])
    i = rng.choice(letters)
    op = rng.choice(("insert", "delete", "substitute", "transpose"))
    letter = rng.choice("abcdefghijklmnopqrstuvwxyz")
    if op == "insert":
        return label[:i] + letter + label[i:]
    if op == "delete":
        return label[:i] + label[i + 1 :]
    if op == "substitute":
        while letter == label[i].lower():
            letter = rng.choice("abcdefghijklmnopqrstuvwxyz")
        return label[:i] + letter + label[i + 1 :]
    j = i + 1 if i + 1 < len(label) else i - 1
    a, b = min(i, j), max(i, j)
    return label[:a] + label[b] + label[a] + label[b + 1 :]


class BruteForce:
    """rapidfuzz WRatio of a mention against every skill label; best label per concept."""

    def __init__(self, taxonomy: Any) -> None:
        c = taxonomy.compiled
        rows = np.repeat(np.arange(len(c.uris)), np.diff(c.label_indptr))
        keep = np.flatnonzero((np.asarray(c.label_kind) != 3) & (np.asarray(c.kind)[rows] == 0))
        self.labels = [c.label_text[j] for j in keep]
        self.owner = rows[keep]

    def top(self, mentions: list[str], k: int, workers: int) -> list[list[int]]:
        from rapidfuzz import fuzz, process, utils

        out: list[list[int]] = []
        for start in range(0, len(mentions), 25):
            chunk = mentions[start : start + 25]
            scores = process.cdist(chunk, self.labels, scorer=fuzz.WRatio,
                                   processor=utils.default_process, dtype=np.float32,
                                   workers=workers)  # fmt: skip
            for row in scores:
                order = np.argsort(-row, kind="stable")[: 50 * k]
                concepts: list[int] = []
                for label in order:
                    o = int(self.owner[label])
                    if o not in concepts:
                        concepts.append(o)
                        if len(concepts) == k:
                            break
                out.append(concepts)
        return out


_figure = functools.partial(figure, "resolve")


def run(profile: str) -> list[dict[str, Any]]:
    """Measure skill resolution on full ESCO; ``[]`` (with the reason printed) without ../shared."""
    if profile not in PROFILES:
        raise ValueError(f"unknown profile {profile!r}; use one of {sorted(PROFILES)}")
    missing = [p for p in (CLASSIFICATION, *VALIDATION.values()) if not p.is_file()]
    if missing:
        print(f"  resolve benchmark skipped: {missing[0]} not found (../shared lives outside a "
              "user's clone)")  # fmt: skip
        return []
    settings = PROFILES[profile]
    saved = os.environ.get("LABOURINT_MATCH_CACHE_DIR")
    with tempfile.TemporaryDirectory() as cache:
        os.environ["LABOURINT_MATCH_CACHE_DIR"] = cache
        try:
            return _run(settings)
        finally:
            if saved is None:
                os.environ.pop("LABOURINT_MATCH_CACHE_DIR", None)
            else:
                os.environ["LABOURINT_MATCH_CACHE_DIR"] = saved


def _run(settings: dict[str, Any]) -> list[dict[str, Any]]:
    from labourint_match import Taxonomy
    from labourint_match.resolve import SkillResolver
    from labourint_match.resolve._index import build_index

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        taxonomy = Taxonomy.from_esco_csv(CLASSIFICATION)
    c = taxonomy.compiled
    pref = {i: c.label_text[j] for i in range(len(c.uris))
            for j in range(int(c.label_indptr[i]), int(c.label_indptr[i + 1]))
            if c.label_kind[j] == 0}  # fmt: skip
    uri_pref = {c.uris[i]: text for i, text in pref.items()}
    _ = taxonomy.content_hash  # computed once, outside the timings

    t0 = time.perf_counter()
    build_index(taxonomy)
    build_seconds = time.perf_counter() - t0
    SkillResolver(taxonomy)  # builds again and writes the cache entry
    t0 = time.perf_counter()
    resolver = SkillResolver(taxonomy)
    load_seconds = time.perf_counter() - t0
    if not resolver.from_cache:
        print("  warning: the index did not load from the cache (unwritable temp directory?)")
    brute = BruteForce(taxonomy)
    figures: list[dict[str, Any]] = []
    baseline_name = "rapidfuzz WRatio, brute force over all skill labels"
    rng = random.Random(20240611)
    spans: list[str] = []
    for name, path in VALIDATION.items():
        mentions, gold, all_spans = read_mentions(path)
        spans.extend(all_spans)
        ours = [[uri_pref[r.uri] for r in found] for found in resolver.resolve_many(mentions)]
        sample = list(range(len(mentions)))
        if settings["baseline_sample"] is not None and len(sample) > settings["baseline_sample"]:
            sample = sorted(rng.sample(sample, settings["baseline_sample"]))
        base = [[pref[o] for o in found]
                for found in brute.top([mentions[i] for i in sample], 5, workers=2)]  # fmt: skip
        base_gold = [gold[i] for i in sample]
        note = "" if len(sample) == len(mentions) else f" (on {len(sample)} sampled mentions)"
        for k in (1, 5):
            figures.append(_figure(
                f"{name} recall@{k} ({len(mentions)} mentions)", recall(ours, gold, k),
                recall(base, base_gold, k), "", True, FLOORS[(name, k)], baseline_name + note,
            ))  # fmt: skip

    # Throughput on distinct mentions: the validation spans, then perturbed skill labels.
    distinct = list(dict.fromkeys(spans))
    skills = brute.labels
    while len(distinct) < settings["throughput"]:
        text = perturb(skills[rng.randrange(len(skills))], rng)
        if text is not None and text not in distinct:
            distinct.append(text)
    distinct = distinct[: settings["throughput"]]
    timed = distinct[:: max(1, len(distinct) // 40)][:40]
    for workers in (1, 2):
        ours = SkillResolver(taxonomy, workers=workers)
        ours.resolve_many(distinct[:50])  # warm-up (first-use allocations)
        t0 = time.perf_counter()
        ours.resolve_many(distinct)
        ours_rate = len(distinct) / (time.perf_counter() - t0)
        t0 = time.perf_counter()
        brute.top(timed, 5, workers=workers)
        base_rate = len(timed) / (time.perf_counter() - t0)
        figures.append(_figure(
            f"resolve_many throughput, workers={workers} ({len(distinct)} distinct mentions)",
            ours_rate, base_rate, "mentions/s", True, None,
            f"{baseline_name}, {workers} worker(s), {len(timed)} mentions",
        ))  # fmt: skip
    figures.append(_figure("index build, full ESCO", build_seconds, None, "s", False, None, None))
    figures.append(_figure("index load from cache, full ESCO", load_seconds, None, "s", False,
                           None, None))  # fmt: skip
    return figures


def _print(figures: list[dict[str, Any]]) -> None:
    for f in figures:
        base = "" if f["baseline"] is None else f"   baseline {f['baseline']:.3f}"
        floor = "" if f["floor"] is None else f"   floor {f['floor']}"
        print(f"  {f['name']:<58} ours {f['ours']:.3f} {f['unit']}{base}{floor}")


if __name__ == "__main__":
    _print(run(sys.argv[1] if len(sys.argv) > 1 else "ci"))
