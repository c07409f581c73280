"""The subcommands and the argument parser that dispatches to them.

One ``_run_*`` handler per subcommand (``rank``, ``assign``, ``explain``, ``resolve``, ``synth``,
``schema``, ``demo``, ``taxonomy``), the argument types, and :func:`_parser`, whose subparsers name
each handler.
"""

from __future__ import annotations

import argparse
import json
import math
from collections.abc import Iterator, Sequence
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any, BinaryIO, TextIO

from .._version import __version__
from ..errors import ConfigError
from ..taxonomy import Taxonomy
from ._demo import _demo
from ._io import (
    PROG,
    _inputs,
    _load_cohort,
    _opened,
    _pick,
    _plain,
    _plural,
    _print_table,
    _Progress,
    _read_json_object,
    _read_mentions,
    _score,
    _write_records,
    load_taxonomy,
)
from ._serve import add_service_parsers

if TYPE_CHECKING:
    from ..matcher import Matcher
    from ..profiles import CandidateProfile, Cohort, Vacancy
    from ..scoring import Ranking

FORMATS = ("jsonl", "csv")

#: Columns of the records each subcommand writes, in CSV order (JSON Lines sorts the keys).
RANK_COLUMNS = ("candidate_id", "vacancy_id", "rank", "score", "eligible", "reasons")
ASSIGN_COLUMNS = ("candidate_id", "vacancy_id", "score", "placed", "reason")
RESOLVE_COLUMNS = (
    "position", "text", "rank", "uri", "label", "lang", "score", "method", "label_kind",
    "unresolved",
)  # fmt: skip

# Mentions resolved per call of SkillResolver.resolve_many (one step of the progress bar);
# results do not depend on it.
_RESOLVE_BATCH = 500


_EXAMPLES = """\
examples:
  labourint-match synth --candidates 200 --vacancies 50 --seed 1 --out cohort
  labourint-match rank cohort/candidates-00000.jsonl cohort/vacancies-00000.jsonl \\
      --top-k 5 --as-of 2026-01-01
  labourint-match rank people.jsonl jobs.jsonl --by vacancy -o shortlists.csv
  labourint-match assign people.jsonl jobs.jsonl --method stable --min-score 0.4 -o plan.csv
  labourint-match explain people.jsonl jobs.jsonl --candidate c-17 --vacancy v-3 --lang sv
  labourint-match resolve "clean the rooms" "städa rum" "opperate weldin equipment" --top-k 3
  labourint-match resolve --input mentions.txt --lang en -o resolved.jsonl
  labourint-match schema candidate > candidate.schema.json
  labourint-match demo
  labourint-match taxonomy info
  labourint-match taxonomy info --taxonomy ../shared/esco/esco-v1.1.1-classification-en-csv.zip
  labourint-match taxonomy compile skills.ttl
  labourint-match taxonomy export esco-classification.zip -o esco.ttl

CANDIDATES and VACANCIES are JSON Lines or JSON array files ('-': standard input), validated
against --taxonomy: 'bundled' (the default), an RDF file or an ESCO CSV archive or folder.
Results are JSON Lines (sorted keys, stable order) or CSV (--format, or an -o name ending .csv).
Eligibility is checked as of --as-of (default: today); give it for reproducible runs.

exit codes: 0 success, 1 bad input (one line on stderr; --debug adds the traceback),
  2 bad usage, 3 internal error (a bug: please report it with --debug output), 130 interrupted,
  143 terminated
"""


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


# -- argument types -------------------------------------------------------------------------------


def _integer(text: str, *, least: int) -> int:
    try:
        value = int(text)
    except ValueError:
        value = least - 1
    if value < least:
        what = "a positive integer" if least == 1 else f"an integer >= {least}"
        raise argparse.ArgumentTypeError(f"must be {what}, not {text!r}")
    return value


def _positive(text: str) -> int:
    return _integer(text, least=1)


def _count(text: str) -> int:
    return _integer(text, least=0)


def _unit(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        value = math.nan
    if not 0.0 <= value <= 1.0:
        raise argparse.ArgumentTypeError(f"must be a number from 0 to 1, not {text!r}")
    return value


def _day(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"must be a date as YYYY-MM-DD, not {text!r}") from None


# -- subcommands ----------------------------------------------------------------------------------


def _taxonomy(args: argparse.Namespace, progress: _Progress) -> Taxonomy:
    progress.stage("loading the taxonomy")
    return load_taxonomy(args.taxonomy)


def _matcher(args: argparse.Namespace, taxonomy: Taxonomy) -> Matcher:
    from ..matcher import Matcher
    from ..scoring import ScoringConfig

    data = _read_json_object(args.config, "config") if args.config else {}
    if args.as_of is not None:
        data["as_of"] = args.as_of
    return Matcher(taxonomy, ScoringConfig(**data))


def _cohorts(
    args: argparse.Namespace, progress: _Progress, stdin: BinaryIO
) -> tuple[Matcher, Cohort[CandidateProfile], Cohort[Vacancy]]:
    taxonomy = _taxonomy(args, progress)
    matcher = _matcher(args, taxonomy)
    progress.stage(f"reading candidates from {args.candidates}")
    candidates: Any = _load_cohort(args.candidates, "candidates", taxonomy, stdin)
    progress.stage(f"reading vacancies from {args.vacancies}")
    vacancies: Any = _load_cohort(args.vacancies, "vacancies", taxonomy, stdin)
    return matcher, candidates, vacancies


def _rank_records(ranking: Ranking) -> Iterator[dict[str, Any]]:
    if ranking.by == "candidate":
        rows = (ranking.for_candidate(cid) for cid in ranking.candidate_ids)
    else:
        rows = (ranking.for_vacancy(vid) for vid in ranking.vacancy_ids)
    for row in rows:
        for m in row:
            yield {
                "candidate_id": m.candidate_id,
                "vacancy_id": m.vacancy_id,
                "rank": m.rank,
                "score": _score(m.score),
                "eligible": m.eligible,
                "reasons": list(m.reasons),
            }


def _hand_over(progress: _Progress) -> None:
    """Keep the stage line on screen: the library's own bar (``progress=``) follows below it."""
    if progress.enabled:
        progress.stream.write("\n")
        progress.stream.flush()


def _run_rank(
    args: argparse.Namespace, stdout: TextIO, progress: _Progress, stdin: BinaryIO
) -> None:
    matcher, candidates, vacancies = _cohorts(args, progress, stdin)
    progress.stage(f"ranking {len(candidates):,} candidates × {len(vacancies):,} vacancies")
    _hand_over(progress)
    ranking = matcher.rank(
        candidates, vacancies, top_k=args.top_k, by=args.by, progress=progress.enabled
    )
    n = _write_records(_rank_records(ranking), RANK_COLUMNS, args, stdout, progress)
    progress.finish(f"{_plural(n, 'ranked pair')}, top {ranking.top_k} per {args.by}")


def _run_assign(
    args: argparse.Namespace, stdout: TextIO, progress: _Progress, stdin: BinaryIO
) -> None:
    matcher, candidates, vacancies = _cohorts(args, progress, stdin)
    progress.stage(
        f"placing {len(candidates):,} candidates on {len(vacancies):,} vacancies ({args.method})"
    )
    _hand_over(progress)
    # The decision log is written here, once the output is complete, not inside assign(): a run
    # whose output cannot be delivered leaves no decisions in it (see _write_records).
    plan = matcher.assign(
        candidates,
        vacancies,
        args.method,
        args.min_score,
        top_k=args.top_k,
        per_opening=args.per_opening,
        progress=progress.enabled,
    )
    records = plan.to_records()
    for record in records:
        record["score"] = _score(record["score"])
    seal = None
    if args.log is not None:
        from ..assignment._log import appending

        log = Path(args.log)
        seal = lambda: appending(log, plan)  # noqa: E731
    _write_records(records, ASSIGN_COLUMNS, args, stdout, progress, seal=seal)
    progress.finish(
        f"placed {plan.n_placed:,} of {plan.n_candidates:,} candidates, total score "
        f"{plan.total_score:.3f}"
    )


def _run_explain(
    args: argparse.Namespace, stdout: TextIO, progress: _Progress, stdin: BinaryIO
) -> None:
    matcher, candidates, vacancies = _cohorts(args, progress, stdin)
    candidate = _pick(candidates, args.candidate, "candidate", args.candidates)
    vacancy = _pick(vacancies, args.vacancy, "vacancy", args.vacancies)
    progress.stage("explaining")
    explanation = matcher.explain(candidate, vacancy, lang=args.lang)
    progress.clear()
    if args.json:
        doc = {**_plain(explanation), "text": str(explanation)}
        print(json.dumps(doc, indent=2, sort_keys=True, ensure_ascii=False), file=stdout)
    else:
        print(explanation, file=stdout)


def _resolve_records(
    texts: Sequence[str], args: argparse.Namespace, taxonomy: Taxonomy, progress: _Progress
) -> Iterator[dict[str, Any]]:
    from ..resolve import SkillResolver

    kinds: str | list[str] = "all" if args.kinds == "all" else args.kinds.split(",")
    resolver = SkillResolver(taxonomy, kinds=kinds)
    for start in range(0, len(texts), _RESOLVE_BATCH):
        progress.bar(start, len(texts), "resolving")
        batch = texts[start : start + _RESOLVE_BATCH]
        report = resolver.resolve_many(batch, args.lang, top_k=args.top_k)
        for record in report.to_records():
            record["position"] = int(str(record["position"])) + start
            record["unresolved"] = record["uri"] is None
            yield record
    progress.bar(len(texts), len(texts), "resolving")


def _run_resolve(
    args: argparse.Namespace, stdout: TextIO, progress: _Progress, stdin: BinaryIO
) -> None:
    texts = list(args.text)
    if args.input is not None:
        progress.stage(f"reading {args.input}")
        texts += _read_mentions(args.input, stdin)
    taxonomy = _taxonomy(args, progress)
    records = list(_resolve_records(texts, args, taxonomy, progress))
    _write_records(records, RESOLVE_COLUMNS, args, stdout, progress)
    unresolved = len({r["position"] for r in records if r["unresolved"]})
    progress.finish(f"resolved {len(texts) - unresolved:,} of {_plural(len(texts), 'mention')}")


def _run_synth(
    args: argparse.Namespace, stdout: TextIO, progress: _Progress, stdin: BinaryIO
) -> None:
    from ..synth import write_cohort

    taxonomy = _taxonomy(args, progress)
    knobs = _read_json_object(args.knobs, "knobs") if args.knobs else {}
    if args.as_of is not None:
        knobs["as_of"] = args.as_of
    progress.stage(
        f"drawing {args.candidates:,} candidates and {args.vacancies:,} vacancies into {args.out}"
    )
    out = Path(args.out)
    if out.exists() and not out.is_dir():
        raise ConfigError(f"--out {args.out}: is a file, not a directory")
    files = write_cohort(
        out,
        taxonomy,
        args.candidates,
        args.vacancies,
        seed=args.seed,
        shard_size=args.shard_size,
        **knobs,
    )
    progress.clear()
    print(
        f"wrote {_plural(args.candidates, 'candidate')} and "
        f"{_plural(args.vacancies, 'vacancy', 'vacancies')} (seed {args.seed}) to {args.out}",
        file=stdout,
    )
    for path in (*files.candidates, *files.vacancies, files.truth, files.manifest):
        print(f"  {path.name}", file=stdout)
    progress.finish("done")


def _run_schema(
    args: argparse.Namespace, stdout: TextIO, progress: _Progress, stdin: BinaryIO
) -> None:
    from ..profiles import json_schema

    schemas = json_schema()
    doc = schemas if args.record == "all" else schemas[args.record]
    progress.clear()
    with _opened(args.output, stdout) as file:
        file.write(json.dumps(doc, indent=2, sort_keys=True, ensure_ascii=False) + "\n")
    if args.output not in (None, "-"):
        print(f"wrote {args.output}", file=stdout)


def _run_demo(
    args: argparse.Namespace, stdout: TextIO, progress: _Progress, stdin: BinaryIO
) -> None:
    _demo(stdout)


def _run_taxonomy(
    args: argparse.Namespace, stdout: TextIO, progress: _Progress, stdin: BinaryIO
) -> None:
    if args.action == "info":
        _info(load_taxonomy(args.taxonomy), stdout)
    elif args.action == "compile":
        t = load_taxonomy(args.taxonomy)
        print(f"compiled {t!r}", file=stdout)
    else:
        t = load_taxonomy(args.taxonomy)
        with _opened(args.output, stdout, _inputs(args, stdin)) as file:
            file.write(str(t.to_rdf()))
        if args.output != "-":
            print(f"wrote {args.output} ({len(t):,} concepts)", file=stdout)


# -- the parser -----------------------------------------------------------------------------------

_TAXONOMY_HELP = "RDF file, ESCO CSV zip/folder, or 'bundled' (default)"


def _subparser(
    sub: Any, name: str, summary: str, examples: str, *parents: argparse.ArgumentParser
) -> argparse.ArgumentParser:
    p: argparse.ArgumentParser = sub.add_parser(
        name,
        help=summary,
        description=summary[0].upper() + summary[1:] + ".",
        epilog="examples:\n" + "".join(f"  {line}\n" for line in examples.strip().splitlines()),
        formatter_class=argparse.RawDescriptionHelpFormatter,
        parents=list(parents),
    )
    return p


def _parents() -> dict[str, argparse.ArgumentParser]:
    debug = argparse.ArgumentParser(add_help=False)
    debug.add_argument(
        "--debug", action="store_true", default=argparse.SUPPRESS, help="show tracebacks on errors"
    )
    taxonomy = argparse.ArgumentParser(add_help=False)
    taxonomy.add_argument("--taxonomy", default="bundled", metavar="T", help=_TAXONOMY_HELP)
    cohorts = argparse.ArgumentParser(add_help=False)
    cohorts.add_argument(
        "candidates", metavar="CANDIDATES", help="JSON Lines or JSON array; -: stdin"
    )
    cohorts.add_argument(
        "vacancies", metavar="VACANCIES", help="JSON Lines or JSON array; -: stdin"
    )
    cohorts.add_argument(
        "--as-of",
        type=_day,
        metavar="YYYY-MM-DD",
        help="the day eligibility is checked against (default: today; give it for reproducible "
        "runs)",
    )
    cohorts.add_argument(
        "--config", metavar="FILE", help="a JSON object of ScoringConfig fields (docs/scoring.md)"
    )
    output = argparse.ArgumentParser(add_help=False)
    output.add_argument("-o", "--output", metavar="OUT", help="write here (default: stdout)")
    output.add_argument(
        "--format",
        choices=FORMATS,
        help="jsonl (default) or csv; an OUT ending in .csv implies csv",
    )
    return {"debug": debug, "taxonomy": taxonomy, "cohorts": cohorts, "output": output}


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog=PROG,
        description="Explainable skills-based matching of people to jobs over ESCO taxonomies.",
        epilog=_EXAMPLES,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    parser.add_argument("--debug", action="store_true", help="show tracebacks on errors")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    sub.required = True
    par = _parents()
    common = (par["debug"], par["taxonomy"])

    rank = _subparser(
        sub,
        "rank",
        "rank the top-k vacancies of each candidate (or candidates of each vacancy)",
        """
labourint-match rank people.jsonl jobs.jsonl --top-k 5 --as-of 2026-01-01
labourint-match rank people.jsonl jobs.jsonl --by vacancy -o shortlists.csv
cat people.jsonl | labourint-match rank - jobs.jsonl --taxonomy esco.ttl
""",
        *common, par["cohorts"], par["output"],
    )  # fmt: skip
    rank.add_argument(
        "--top-k", type=_positive, default=10, metavar="K", help="matches per row (default 10)"
    )
    rank.add_argument(
        "--by",
        choices=("candidate", "vacancy"),
        default="candidate",
        help="rank vacancies per candidate (default) or candidates per vacancy",
    )
    rank.set_defaults(handler=_run_rank, subparser=rank)

    assign = _subparser(
        sub,
        "assign",
        "place the cohort: each candidate on at most one vacancy, each vacancy up to its openings",
        """
labourint-match assign people.jsonl jobs.jsonl --as-of 2026-01-01
labourint-match assign people.jsonl jobs.jsonl --method stable --min-score 0.4 -o plan.csv
labourint-match assign people.jsonl jobs.jsonl --log decisions.jsonl -o plan.jsonl
""",
        *common, par["cohorts"], par["output"],
    )  # fmt: skip
    assign.add_argument(
        "--method",
        choices=("optimal", "stable"),
        default="optimal",
        help="largest total score (default) or stable (no blocking pair)",
    )
    assign.add_argument(
        "--min-score", type=_unit, default=0.0, metavar="X", help="lowest score placed (default 0)"
    )
    assign.add_argument(
        "--log",
        metavar="PATH",
        help="append the decision log (one JSON line per candidate) once the output is complete",
    )
    assign.add_argument(
        "--top-k",
        type=_positive,
        default=20,
        metavar="K",
        help="large cohorts only: each candidate's K best vacancies are considered (default 20)",
    )
    assign.add_argument(
        "--per-opening",
        type=_count,
        default=3,
        metavar="N",
        help="large cohorts only: each vacancy's N best candidates per opening (default 3)",
    )
    assign.set_defaults(handler=_run_assign, subparser=assign)

    explain = _subparser(
        sub,
        "explain",
        "explain why one candidate and one vacancy score what they do",
        """
labourint-match explain people.jsonl jobs.jsonl --candidate c-17 --vacancy v-3
labourint-match explain people.jsonl jobs.jsonl --candidate c-17 --vacancy v-3 --lang sv
labourint-match explain people.jsonl jobs.jsonl --candidate c-17 --vacancy v-3 --json
""",
        *common, par["cohorts"],
    )  # fmt: skip
    explain.add_argument("--candidate", required=True, metavar="ID", help="the candidate's id")
    explain.add_argument("--vacancy", required=True, metavar="ID", help="the vacancy's id")
    explain.add_argument(
        "--lang",
        default="en",
        metavar="L",
        help="the explanation's language (en, sv, nb/no, de, fr, it, ar, uk); concept labels in "
        "any language of the taxonomy",
    )
    explain.add_argument("--json", action="store_true", help="the explanation as JSON")
    explain.set_defaults(handler=_run_explain, subparser=explain)

    resolve = _subparser(
        sub,
        "resolve",
        "resolve free-text skill mentions to concepts of the taxonomy",
        """
labourint-match resolve "clean the rooms" "städa rum" "opperate weldin equipment" --top-k 3
labourint-match resolve --input mentions.txt --lang en -o resolved.csv
labourint-match resolve "cook" --kinds occupation --top-k 1
""",
        *common, par["output"],
    )  # fmt: skip
    resolve.add_argument("text", nargs="*", metavar="TEXT", help="mentions to resolve")
    resolve.add_argument(
        "--input",
        metavar="FILE",
        help="one mention per line (UTF-8; -: stdin; blank lines skipped)",
    )
    resolve.add_argument(
        "--lang", default=None, metavar="L", help="match labels in this language only"
    )
    resolve.add_argument(
        "--top-k", type=_positive, default=5, metavar="K", help="concepts per mention (default 5)"
    )
    resolve.add_argument(
        "--kinds",
        default="skill",
        metavar="KINDS",
        help="concept kinds to resolve to, comma-separated (skill, occupation, skill_group, "
        "occupation_group, other) or 'all'; default skill",
    )
    resolve.set_defaults(handler=_run_resolve, subparser=resolve)

    synth = _subparser(
        sub,
        "synth",
        "write a synthetic cohort as JSON Lines shards",
        """
labourint-match synth --candidates 300 --vacancies 80 --seed 7 --out cohort
labourint-match synth --candidates 100000 --vacancies 20000 --seed 1 --shard-size 10000 --out big
labourint-match synth --candidates 50 --vacancies 10 --knobs norway.json --out no
""",
        *common,
    )  # fmt: skip
    synth.add_argument("--candidates", type=_count, required=True, metavar="N")
    synth.add_argument("--vacancies", type=_count, required=True, metavar="M")
    synth.add_argument("--seed", type=_count, default=0, metavar="S", help="default 0")
    synth.add_argument("--out", required=True, metavar="DIR", help="created if missing")
    synth.add_argument(
        "--shard-size", type=_positive, metavar="K", help="most records per file (default: one)"
    )
    synth.add_argument(
        "--as-of", type=_day, metavar="YYYY-MM-DD", help="the cohort's reference day (2026-01-01)"
    )
    synth.add_argument("--knobs", metavar="FILE", help="a JSON object of synth.SynthConfig fields")
    synth.set_defaults(handler=_run_synth, subparser=synth)

    schema = _subparser(
        sub,
        "schema",
        "print the JSON Schema of candidate and vacancy records",
        """
labourint-match schema
labourint-match schema candidate -o candidate.schema.json
""",
        par["debug"],
    )  # fmt: skip
    schema.add_argument(
        "record",
        nargs="?",
        choices=("candidate", "vacancy", "all"),
        default="all",
        help="which record (default: both, keyed by name)",
    )
    schema.add_argument("-o", "--output", metavar="OUT", help="write here (default: stdout)")
    schema.set_defaults(handler=_run_schema, subparser=schema)

    demo = sub.add_parser(
        "demo",
        help="rank, explain and place a synthetic cohort (bundled taxonomy)",
        parents=[par["debug"]],
    )
    demo.set_defaults(handler=_run_demo, subparser=demo)
    add_service_parsers(sub, par, _positive, _day)
    tax = sub.add_parser("taxonomy", help="inspect, compile or export a taxonomy")
    tax.set_defaults(handler=_run_taxonomy, subparser=tax)
    tax_sub = tax.add_subparsers(dest="action", metavar="ACTION")
    tax_sub.required = True
    info = tax_sub.add_parser(
        "info", help="counts, languages, source and content hash", parents=[par["debug"]]
    )
    info.add_argument(
        "--taxonomy", default="bundled", help="RDF file, ESCO CSV zip/folder, or 'bundled'"
    )
    compile_ = tax_sub.add_parser(
        "compile", help="compile into the on-disk cache", parents=[par["debug"]]
    )
    compile_.add_argument("taxonomy", help="RDF file, ESCO CSV zip/folder, or 'bundled'")
    export = tax_sub.add_parser("export", help="write as Turtle", parents=[par["debug"]])
    export.add_argument("taxonomy", help="RDF file, ESCO CSV zip/folder, or 'bundled'")
    export.add_argument(
        "-o", "--output", required=True, help="the Turtle file to write (-: standard output)"
    )
    return parser


def _usage_problem(args: argparse.Namespace) -> str | None:
    """Combinations argparse cannot check by itself."""
    if args.command in ("rank", "assign", "explain") and args.candidates == args.vacancies == "-":
        return "only one of CANDIDATES and VACANCIES can be read from stdin ('-')"
    if args.command == "resolve" and not args.text and args.input is None:
        return "give mentions to resolve as TEXT arguments or with --input FILE"
    return None
