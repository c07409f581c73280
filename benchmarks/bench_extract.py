"""Skills in running text on full ESCO: RP@5 per job-ad sentence, as the literature measures it.

Data: the sentences of the SkillSpan-ESCO validation splits in ``../shared/validation`` (HOUSE and
TECH), read where they are, never copied. A sentence's gold labels are the distinct ESCO preferred
labels its rows were annotated with (rows labelled ``LABEL NOT PRESENT`` or ``UNDERSPECIFIED``
skipped); sentences with no gold label are left out. RP@5 of a sentence: the gold labels among the
top 5 concepts, over min(5, number of gold labels); averaged over sentences, in percent.

Ours: ``SkillResolver.extract_many(sentences, top_k=5)`` with its defaults, on full ESCO (the
classification archive, as ``bench_resolve`` loads it).

Baseline, measured in the same run: every word n-gram of the sentence (split on whitespace,
n = 1 … 4) through ``SkillResolver.resolve_many(top_k=5)``; a concept scores the best resolver
score any n-gram gave it; ties keep the order of first appearance (shorter n-grams first, then left
to right).

Reference, published and not measured here: IReRa (D'Oosterlinck et al., 2024, an LLM pipeline
that infers, retrieves and reranks), validation RP@5 HOUSE 59.4, TECH 73.3. It is printed in the
figure's name and stored under ``reference``.

The ``full`` profile adds what each mechanism of the extractor gains: the same run with one of
them switched off at a time (no quality floor on those). The extractor's constants were set on
these same validation sentences (there is no other annotated running text here), so the figures
are tuning figures, not held-out ones.
"""

from __future__ import annotations

import csv
import os
import sys
import tempfile
import time
import warnings
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from benchmarks import figure

REPO = Path(__file__).resolve().parents[1]
SHARED = REPO.parent / "shared"
CLASSIFICATION = SHARED / "esco" / "esco-v1.1.1-classification-en-csv.zip"
VALIDATION = {
    "HOUSE": SHARED / "validation" / "house_validation_annotations.csv",
    "TECH": SHARED / "validation" / "tech_validation_annotations.csv",
}
SKIPPED_LABELS = {"LABEL NOT PRESENT", "UNDERSPECIFIED"}
#: IReRa's published validation RP@5 (D'Oosterlinck et al. 2024), not measured here.
PUBLISHED = {"HOUSE": 59.4, "TECH": 73.3}
#: Floors, a little under what this extractor measured (HOUSE 53.3, TECH 67.1).
FLOORS = {"HOUSE": 48.0, "TECH": 62.0}
K = 5
BASELINE_MAX_N = 4
BASELINE_NAME = f"every word 1-{BASELINE_MAX_N}-gram through resolve_many, best score per concept"
PROFILES = ("ci", "full")


def read_sentences(path: Path) -> list[tuple[str, list[str]]]:
    """(sentence, its distinct gold preferred labels), for sentences with at least one."""
    gold: dict[str, list[str]] = {}
    with path.open(newline="", encoding="utf-8") as fh:
        for row in csv.DictReader(fh):
            labels = gold.setdefault(row["sentence"], [])
            if row["label"] not in SKIPPED_LABELS and row["label"] not in labels:
                labels.append(row["label"])
    return [(s, labels) for s, labels in gold.items() if labels]


def rp_at_k(found: list[list[str]], gold: list[list[str]], k: int = K) -> float:
    """Mean over sentences of |gold ∩ top k| / min(k, |gold|), in percent."""
    if not gold:
        return 0.0
    total = 0.0
    for f, g in zip(found, gold, strict=True):
        total += len(set(f[:k]) & set(g)) / min(k, len(g))
    return 100.0 * total / len(gold)


def baseline(resolver: Any, sentences: list[str], max_n: int = BASELINE_MAX_N) -> list[list[str]]:
    """URIs ranked by the best resolver score of any word n-gram of each sentence."""
    out: list[list[str]] = []
    for sentence in sentences:
        words = sentence.split()
        grams = [" ".join(words[i : i + n]) for n in range(1, max_n + 1)
                 for i in range(len(words) - n + 1)]  # fmt: skip
        best: dict[str, float] = {}
        for found in resolver.resolve_many(grams, top_k=K):
            for r in found:
                best[r.uri] = max(best.get(r.uri, 0.0), r.score)
        out.append(sorted(best, key=lambda u: -best[u]))  # stable: first appearance breaks ties
    return out


def _figure(name: str, ours: float, baseline: float | None, unit: str, higher: bool,
            floor: float | None, baseline_name: str | None,
            reference: float | None = None) -> dict[str, Any]:  # fmt: skip
    found = figure("extract", name, ours, baseline, unit, higher, floor, baseline_name)
    if reference is not None:
        found["reference"] = reference
        found["reference_name"] = "IReRa (D'Oosterlinck et al. 2024), published, not measured"
    return found


def run(profile: str) -> list[dict[str, Any]]:
    """Measure extraction on full ESCO; ``[]`` (with the reason printed) without ../shared."""
    if profile not in PROFILES:
        raise ValueError(f"unknown profile {profile!r}; use one of {list(PROFILES)}")
    missing = [p for p in (CLASSIFICATION, *VALIDATION.values()) if not p.is_file()]
    if missing:
        print(f"  extract benchmark skipped: {missing[0]} not found (../shared lives outside a "
              "user's clone)")  # fmt: skip
        return []
    saved = os.environ.get("LABOURINT_MATCH_CACHE_DIR")
    with tempfile.TemporaryDirectory() as cache:
        os.environ["LABOURINT_MATCH_CACHE_DIR"] = cache
        try:
            return _run(profile)
        finally:
            if saved is None:
                os.environ.pop("LABOURINT_MATCH_CACHE_DIR", None)
            else:
                os.environ["LABOURINT_MATCH_CACHE_DIR"] = saved


#: The extractor's mechanisms, and the switch in ``labourint_match.resolve._extract`` that turns
#: each off (to the value in ``OFF``, else False) for the ``full`` profile's ablations.
MECHANISMS = {
    "clause splitting": "_CLAUSES",
    "stop/function-word edges": "_EDGE_RULES",
    "function words": "_FUNCTION_WORDS",
    "coordination": "_COORDINATION",
    "label coverage": "_COVERAGE_POWER",
    "specificity": "_SPECIFICITY",
    "acronym rules": "_ACRONYM_RULES",
    "preferred-label ties": "_SHARED_LABEL_SHARE",
}
OFF = {"_COVERAGE_POWER": 0.0, "_SHARED_LABEL_SHARE": 1.0}


@contextmanager
def _without(mechanism: str) -> Iterator[None]:
    """Switch one mechanism of the extractor off."""
    from labourint_match.resolve import _extract

    name = MECHANISMS[mechanism]
    saved = getattr(_extract, name)
    setattr(_extract, name, OFF.get(name, False))
    try:
        yield
    finally:
        setattr(_extract, name, saved)


def _run(profile: str) -> list[dict[str, Any]]:
    from labourint_match import Taxonomy
    from labourint_match.resolve import SkillResolver

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        taxonomy = Taxonomy.from_esco_csv(CLASSIFICATION)
    c = taxonomy.compiled
    pref = {c.uris[i]: c.label_text[j] for i in range(len(c.uris))
            for j in range(int(c.label_indptr[i]), int(c.label_indptr[i + 1]))
            if c.label_kind[j] == 0}  # fmt: skip
    resolver = SkillResolver(taxonomy)
    resolver.extract_many(["warm-up: SQL and teamwork"])
    figures: list[dict[str, Any]] = []
    n_sentences = 0
    ours_seconds = base_seconds = 0.0
    data = {name: read_sentences(path) for name, path in VALIDATION.items()}
    for name, rows in data.items():
        sentences = [s for s, _ in rows]
        gold = [g for _, g in rows]
        t0 = time.perf_counter()
        report = resolver.extract_many(sentences, top_k=K)
        ours_seconds += time.perf_counter() - t0
        ours = [[pref[e.uri] for e in found] for found in report]
        t0 = time.perf_counter()
        base = [[pref[u] for u in found] for found in baseline(resolver, sentences)]
        base_seconds += time.perf_counter() - t0
        n_sentences += len(sentences)
        figures.append(_figure(
            f"{name} RP@5, % ({len(sentences)} sentences; IReRa, published: {PUBLISHED[name]})",
            rp_at_k(ours, gold), rp_at_k(base, gold), "", True, FLOORS[name], BASELINE_NAME,
            reference=PUBLISHED[name],
        ))  # fmt: skip
    figures.append(_figure(
        f"extract_many throughput ({n_sentences} sentences)",
        n_sentences / ours_seconds, n_sentences / base_seconds, "sentences/s", True, None,
        BASELINE_NAME,
    ))  # fmt: skip
    if profile == "full":
        for mechanism in MECHANISMS:
            with _without(mechanism):
                for name, rows in data.items():
                    fresh = SkillResolver(taxonomy)  # nothing memoised from the runs above
                    report = fresh.extract_many([s for s, _ in rows], top_k=K)
                    found = [[pref[e.uri] for e in f] for f in report]
                    figures.append(_figure(
                        f"{name} RP@5 without {mechanism}", rp_at_k(found, [g for _, g in rows]),
                        None, "", True, None, None,
                    ))  # fmt: skip
    return figures


def _print(figures: list[dict[str, Any]]) -> None:
    for f in figures:
        base = "" if f["baseline"] is None else f"   baseline {f['baseline']:.1f}"
        floor = "" if f["floor"] is None else f"   floor {f['floor']}"
        print(f"  {f['name']:<72} ours {f['ours']:.1f} {f['unit']}{base}{floor}")


if __name__ == "__main__":
    _print(run(sys.argv[1] if len(sys.argv) > 1 else "ci"))
