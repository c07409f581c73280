"""The ``labourint-match`` command.

Subcommands::

    labourint-match demo                         matching, explanations and placement on a
                                                 synthetic cohort over the bundled taxonomy
    labourint-match taxonomy info [--taxonomy T] counts, languages, source, content hash
    labourint-match taxonomy compile T           compile T into the cache (later loads are fast)
    labourint-match taxonomy export T -o OUT     write T as Turtle

``--taxonomy`` (and ``T``) takes an RDF file (Turtle, RDF/XML, N-Triples, JSON-LD), an ESCO CSV
archive or folder, or ``bundled`` (the default). Exit codes: 0 success, 1 bad input (one line on
stderr; ``--debug`` adds the traceback), 2 bad usage.
"""

from __future__ import annotations

import argparse
import sys
import time
import traceback
from collections.abc import Sequence
from pathlib import Path
from typing import TextIO

from ._version import __version__
from .errors import LabourintMatchError
from .taxonomy import Taxonomy

__all__ = ["main"]

EXIT_OK = 0
EXIT_BAD_INPUT = 1
EXIT_USAGE = 2

_EXAMPLES = """\
examples:
  labourint-match demo
  labourint-match taxonomy info
  labourint-match taxonomy info --taxonomy ../shared/esco/esco-v1.1.1-classification-en-csv.zip
  labourint-match taxonomy compile skills.ttl
  labourint-match taxonomy export esco-classification.zip -o esco.ttl
"""


def load_taxonomy(spec: str | None, *, cache: bool = True) -> Taxonomy:
    """Load what a ``--taxonomy`` argument names: ``bundled``, an RDF file, or ESCO CSV.

    Examples
    --------
    >>> load_taxonomy("bundled").counts()["occupation"] >= 60
    True
    """
    if spec is None or spec == "bundled":
        return Taxonomy.default(cache=cache)
    path = Path(spec)
    if path.is_dir() or path.suffix.lower() == ".zip":
        return Taxonomy.from_esco_csv(path, cache=cache)
    return Taxonomy.from_rdf(path, cache=cache)


def _print_table(rows: Sequence[tuple[str, str]], out: TextIO, indent: str = "  ") -> None:
    width = max((len(k) for k, _ in rows), default=0)
    for key, value in rows:
        print(f"{indent}{key:<{width}}  {value}", file=out)


def _info(t: Taxonomy, out: TextIO) -> None:
    counts = t.counts()
    print(f"source        {t.source}", file=out)
    print(f"content hash  {t.content_hash[:16]}", file=out)
    print("concepts", file=out)
    _print_table([(k.replace("_", " "), f"{v:,}") for k, v in counts.items() if v], out)
    labels = len(t.compiled.label_text)
    langs = ", ".join(x or "(untagged)" for x in t.label_languages)
    print(f"labels        {labels:,} in {len(t.label_languages)} language(s): {langs}", file=out)
    complete = [code for code, lc in t.languages.items() if None not in lc]
    print(
        f"languages     {len(t.languages)} language concept(s), {len(complete)} with all four "
        f"CEFR activities: {', '.join(sorted(t.languages))}",
        file=out,
    )


def _demo(out: TextIO, *, n_candidates: int = 300, n_vacancies: int = 80, seed: int = 7) -> None:
    from collections import Counter
    from datetime import date

    from .matcher import Matcher
    from .scoring import ScoringConfig
    from .synth import cohort

    started = time.perf_counter()
    t = Taxonomy.default()
    counts = t.counts()
    print(f"labourint-match {__version__} — demo", file=out)
    print(
        f"Taxonomy  labourint-core (ESCO v1.1.1 subset): {counts['skill']} skills, "
        f"{counts['occupation']} occupations, labels in {len(t.label_languages)} languages",
        file=out,
    )
    as_of = date(2026, 1, 1)
    result = cohort(t, n_candidates, n_vacancies, seed=seed, as_of=as_of)
    candidates, vacancies = result
    newcomers = sum(1 for c in candidates if c.audit is not None and c.audit.group == "newcomer")
    openings = sum(v.openings for v in vacancies)
    print(
        f"Cohort    {len(candidates)} synthetic candidates ({newcomers} newcomers, "
        f"{len(candidates) - newcomers} domestic jobseekers, on equal terms), "
        f"{len(vacancies)} vacancies with {openings} openings (seed {seed})",
        file=out,
    )
    matcher = Matcher(t, ScoringConfig(as_of=as_of))
    ranking = matcher.rank(candidates, vacancies, top_k=3)
    by_id = {c.id: c for c in candidates}
    vac_by_id = {v.id: v for v in vacancies}

    explanations = {
        c.id: matcher.explain(c, vac_by_id[ranking.for_candidate(c.id)[0].vacancy_id])
        for c in candidates
    }
    # Show people whose best match is in the occupation they worked in (the ground truth).
    shown = [
        c.id
        for c in candidates
        if vac_by_id[ranking.for_candidate(c.id)[0].vacancy_id].occupation == result.truth[c.id][0]
    ][:3]
    print("\nTop matches for three candidates", file=out)
    for cid in shown:
        print(f"  {cid} (worked as: {t.label(result.truth[cid][0])})", file=out)
        for m in ranking.for_candidate(cid):
            e = matcher.explain(by_id[cid], vac_by_id[m.vacancy_id])
            label = e.vacancy_label or m.vacancy_id
            gaps = sum(1 for g in e.gaps if g.importance == "essential")
            print(
                f"    {m.rank}. {m.vacancy_id} {label:<32.32} {m.score:.2f}  "
                f"{e.pathway.kind.replace('_', ' ')} ({gaps} essential gaps)",
                file=out,
            )
    supported = [cid for cid in shown if explanations[cid].pathway.kind == "ready_with_support"]
    first = (supported or shown or [candidates[0].id])[0]
    best = ranking.for_candidate(first)[0]
    print(f"\nWhy {first} and {best.vacancy_id}, as an adviser would explain it:", file=out)
    for line in str(explanations[first]).splitlines():
        print(f"  {line}", file=out)

    pathways: Counter[str] = Counter()
    needs: Counter[str] = Counter()
    for e in explanations.values():
        pathways[e.pathway.kind] += 1
        for gap in e.pathway.training_needs:
            needs[gap.label] += 1
    print("\nPathways (each candidate's best match)", file=out)
    _print_table(
        [(kind.replace("_", " "), str(pathways[kind]))
         for kind in ("ready", "ready_with_support", "training_first", "not_eligible")],
        out,
    )  # fmt: skip

    placement = matcher.assign(candidates, vacancies, method="optimal")
    reasons = Counter(u.reason for u in placement.unassigned)
    not_placed = ", ".join(f"{k.replace('_', ' ')}: {v}" for k, v in sorted(reasons.items()))
    print("\nOptimal placement", file=out)
    _print_table(
        [
            ("placed", f"{len(placement.pairs)} of {placement.n_candidates} candidates "
                       f"into {placement.n_openings} openings"),
            ("total score", f"{placement.total_score:.1f}"),
            ("not placed", not_placed or "none"),
        ],
        out,
    )  # fmt: skip
    print("\nTop training needs (gaps that put a best match on training first)", file=out)
    _print_table([(f"{n} candidates", label) for label, n in needs.most_common(5)], out)
    print(f"\nDone in {time.perf_counter() - started:.1f} s.", file=out)


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="labourint-match",
        description="Explainable skills-based matching of people to jobs over ESCO taxonomies.",
        epilog=_EXAMPLES,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    parser.add_argument("--debug", action="store_true", help="show tracebacks on errors")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    sub.required = True
    sub.add_parser("demo", help="rank, explain and place a synthetic cohort (bundled taxonomy)")
    tax = sub.add_parser("taxonomy", help="inspect, compile or export a taxonomy")
    tax_sub = tax.add_subparsers(dest="action", metavar="ACTION")
    tax_sub.required = True
    info = tax_sub.add_parser("info", help="counts, languages, source and content hash")
    info.add_argument(
        "--taxonomy", default="bundled", help="RDF file, ESCO CSV zip/folder, or 'bundled'"
    )
    compile_ = tax_sub.add_parser("compile", help="compile into the on-disk cache")
    compile_.add_argument("taxonomy", help="RDF file, ESCO CSV zip/folder, or 'bundled'")
    export = tax_sub.add_parser("export", help="write as Turtle")
    export.add_argument("taxonomy", help="RDF file, ESCO CSV zip/folder, or 'bundled'")
    export.add_argument("-o", "--output", required=True, help="the Turtle file to write")
    return parser


def main(argv: Sequence[str] | None = None, *, out: TextIO | None = None) -> int:
    """Run the command line; return the exit code.

    Examples
    --------
    >>> import io
    >>> buf = io.StringIO()
    >>> main(["taxonomy", "info"], out=buf)
    0
    >>> "occupation" in buf.getvalue()
    True
    """
    stdout = out if out is not None else sys.stdout
    parser = _parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as exc:
        return int(exc.code) if isinstance(exc.code, int) else EXIT_USAGE
    try:
        if args.command == "demo":
            _demo(stdout)
        elif args.action == "info":
            _info(load_taxonomy(args.taxonomy), stdout)
        elif args.action == "compile":
            t = load_taxonomy(args.taxonomy)
            print(f"compiled {t!r}", file=stdout)
        else:
            t = load_taxonomy(args.taxonomy)
            t.to_rdf(args.output)
            print(f"wrote {args.output} ({len(t):,} concepts)", file=stdout)
    except (LabourintMatchError, OSError) as exc:
        if args.debug:
            traceback.print_exc()
        message = " ".join(str(exc).split())
        print(f"labourint-match: error: {message}", file=sys.stderr)
        return EXIT_BAD_INPUT
    return EXIT_OK


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
