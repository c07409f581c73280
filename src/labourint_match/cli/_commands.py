"""The ``labourint-match`` command.

Subcommands::

    labourint-match rank CANDIDATES VACANCIES       the top-k vacancies of each candidate (or
                                                    candidates of each vacancy): one record per pair
    labourint-match assign CANDIDATES VACANCIES     optimal or stable placement of the cohort:
                                                    one record per candidate, placed or not and why
    labourint-match explain CANDIDATES VACANCIES --candidate ID --vacancy ID
                                                    why one pair scores what it does
    labourint-match resolve [TEXT ...] [--input F]  free text → concept URIs (unresolved reported)
    labourint-match synth --candidates N --vacancies M --seed S --out DIR
                                                    a synthetic cohort as JSON Lines shards
    labourint-match schema [candidate|vacancy|all]  the JSON Schema of the input records
    labourint-match demo                            matching, explanations and placement on a
                                                    synthetic cohort over the bundled taxonomy
    labourint-match taxonomy info [--taxonomy T]    counts, languages, source, content hash
    labourint-match taxonomy compile T              compile T into the cache (later loads are fast)
    labourint-match taxonomy export T -o OUT        write T as Turtle

``--taxonomy`` (and ``T``) takes an RDF file (Turtle, RDF/XML, N-Triples, JSON-LD), an ESCO CSV
archive or folder, or ``bundled`` (the default). Cohorts are read as JSON Lines or JSON arrays
(``-`` reads standard input) and validated against the taxonomy; results are written as JSON Lines
(sorted keys, stable order) or CSV, to standard output or ``-o FILE`` (a regular file, never one
of the inputs; see ``_output``). Exit codes: 0 success, 1 bad input (one line on stderr;
``--debug`` adds the traceback), 2 bad usage, 3 internal error, 130 interrupted, 143 terminated
(SIGTERM). docs/cli.md is the reference.
"""

from __future__ import annotations

import argparse
import contextlib
import csv
import io
import json
import math
import os
import shutil
import stat
import sys
import tempfile
import time
import traceback
import warnings
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from contextlib import AbstractContextManager, contextmanager
from dataclasses import fields, is_dataclass
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any, BinaryIO, TextIO

from .._output import Terminated, csv_safe, output_target, signals_raise, staged
from .._version import __version__
from ..errors import (
    ConfigError,
    LabourintMatchError,
    ProfileError,
    ResolutionError,
    TaxonomyError,
)
from ..taxonomy import Taxonomy

if TYPE_CHECKING:
    from ..matcher import Matcher
    from ..profiles import CandidateProfile, Cohort, Vacancy
    from ..scoring import Ranking

__all__ = ["main"]

EXIT_OK = 0
EXIT_BAD_INPUT = 1
EXIT_USAGE = 2
EXIT_INTERNAL = 3
EXIT_INTERRUPTED = 130
EXIT_TERMINATED = 143
EXIT_BROKEN_PIPE = 141

PROG = "labourint-match"
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
# Scores are written rounded to this many decimal places (float32 holds about seven digits).
_SCORE_DECIMALS = 6

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


def load_taxonomy(spec: str | None, *, cache: bool = True) -> Taxonomy:
    """Load what a ``--taxonomy`` argument names: ``bundled``, an RDF file, or ESCO CSV.

    Examples
    --------
    >>> load_taxonomy("bundled").counts()["occupation"] >= 60
    True
    """
    if spec is None or spec == "bundled":
        return Taxonomy.default(cache=cache)
    # The text goes on as given (not as a Path, which would turn "https://h/x" into "https:/h/x"):
    # the loaders refuse URLs by name.
    path = Path(spec)
    try:
        mode = os.stat(spec).st_mode
    except (OSError, ValueError):  # missing (the loaders say so), or a NUL in the name
        mode = 0
    if stat.S_ISFIFO(mode) or stat.S_ISCHR(mode):  # a pipe, as from --taxonomy <(unzip -p …)
        return _taxonomy_from_stream(spec, cache=cache)
    if path.is_dir() or path.suffix.lower() == ".zip":
        return Taxonomy.from_esco_csv(spec, cache=cache)
    return Taxonomy.from_rdf(spec, cache=cache)


def _taxonomy_from_stream(spec: str, *, cache: bool) -> Taxonomy:
    """A taxonomy read from a pipe: RDF, or an ESCO CSV zip archive (by its first bytes).

    The loaders take files by name and guess the format from the name; a pipe has neither a
    usable name nor a size, so its bytes are read here (bounded) and handed over. Errors name
    `spec`.
    """
    from ..taxonomy._rdf import MAX_RDF_BYTES

    with open(spec, "rb") as stream:
        data = stream.read(MAX_RDF_BYTES + 1)
    if len(data) > MAX_RDF_BYTES:
        raise TaxonomyError(
            f"holds over {MAX_RDF_BYTES:,} bytes, the limit of a taxonomy source; pass a smaller "
            "file",
            source=spec,
        )
    try:
        if not data.startswith(b"PK\x03\x04"):
            return Taxonomy.from_rdf(data, cache=cache)
        with tempfile.TemporaryDirectory(prefix="labourint-match-") as folder:
            archive = Path(folder) / "taxonomy.zip"
            archive.write_bytes(data)
            return Taxonomy.from_esco_csv(archive, cache=cache)
    except TaxonomyError as exc:
        raise TaxonomyError(exc.message, source=spec, line=exc.line, uris=exc.uris) from None


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

    from ..analysis import disparity
    from ..matcher import Matcher
    from ..scoring import ScoringConfig
    from ..synth import cohort

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
    openings = sum(v.openings for v in vacancies)
    print(
        f"Cohort    {len(candidates)} synthetic candidates (newcomers and domestic jobseekers, "
        f"on equal terms), {len(vacancies)} vacancies with {openings} openings (seed {seed})",
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
    report = disparity(placement, candidates, "group", as_frame=False)
    print("\nPlacement by group (the fairness report reads the audit attributes)", file=out)
    _print_table(
        [
            (
                str(row["group"]),
                f"{row['placed']} of {row['n']} placed ({row['placement_rate']:.0%}), "
                f"ratio to the best-off group {row['placement_rate_ratio']:.2f}"
                + (" — under four fifths" if row["four_fifths_flag"] else ""),
            )
            for row in report
        ],
        out,
    )
    print("\nTop training needs (gaps that put a best match on training first)", file=out)
    _print_table([(f"{n} candidates", label) for label, n in needs.most_common(5)], out)
    print(f"\nDone in {time.perf_counter() - started:.1f} s.", file=out)


# -- progress -------------------------------------------------------------------------------------


class _Progress:
    """Stage messages and a bar on stderr, drawn only when stderr is a terminal.

    In a pipe, a file or a test nothing is written, so stderr holds errors and warnings only.
    """

    def __init__(self, stream: TextIO) -> None:
        self.stream = stream
        isatty = getattr(stream, "isatty", None)
        try:
            self.enabled = bool(isatty is not None and isatty())
        except (OSError, ValueError):
            self.enabled = False
        self.started = time.perf_counter()
        self._drawn = False

    def stage(self, text: str) -> None:
        """Show what is being done now."""
        self._draw(f"{text}…")

    def bar(self, done: int, total: int, text: str) -> None:
        """Show how far a counted step has come."""
        width = 24
        filled = width * done // total if total > 0 else width
        self._draw(f"{text} [{'#' * filled}{'.' * (width - filled)}] {done:,}/{total:,}")

    def finish(self, summary: str) -> None:
        """Replace the progress line with a summary and the elapsed time."""
        if self.enabled:
            self.clear()
            elapsed = time.perf_counter() - self.started
            self.stream.write(f"{PROG}: {summary} ({elapsed:.1f} s)\n")
            self.stream.flush()

    def clear(self) -> None:
        """Erase the progress line, so that what follows starts on a clean line."""
        if self._drawn:
            self.stream.write("\r\x1b[K")
            self.stream.flush()
            self._drawn = False

    def _draw(self, text: str) -> None:
        if self.enabled:
            self.stream.write(f"\r\x1b[K{PROG}: {text}")
            self.stream.flush()
            self._drawn = True


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


# -- input ----------------------------------------------------------------------------------------


def _read_json_object(path: str, what: str) -> dict[str, Any]:
    """A JSON object from a file (``--config``, ``--knobs``)."""
    try:
        value = json.loads(Path(path).read_bytes().decode("utf-8-sig"))
    except UnicodeDecodeError:
        raise ConfigError(f"{what} file {path}: not valid UTF-8; save it as UTF-8") from None
    except json.JSONDecodeError as exc:
        raise ConfigError(
            f"{what} file {path}: not valid JSON ({exc.msg} at line {exc.lineno}, column "
            f"{exc.colno})"
        ) from None
    if not isinstance(value, dict):
        raise ConfigError(f"{what} file {path}: must hold one JSON object of field names")
    return value


def _load_cohort(
    spec: str, kind: str, taxonomy: Taxonomy, stdin: BinaryIO
) -> Cohort[CandidateProfile] | Cohort[Vacancy]:
    """Candidates or vacancies from a file, or from standard input when `spec` is ``-``."""
    from ..profiles import load_candidates, load_vacancies

    def load(path: str | Path) -> Cohort[CandidateProfile] | Cohort[Vacancy]:
        if kind == "candidates":
            return load_candidates(path, taxonomy=taxonomy)
        return load_vacancies(path, taxonomy=taxonomy)

    if spec != "-":
        return load(spec)
    data = _read_stdin(stdin, kind.upper())
    with tempfile.TemporaryDirectory(prefix="labourint-match-") as folder:
        path = Path(folder) / "stdin"  # messages then say "line 3 of stdin"
        path.write_bytes(data)
        return load(path)


def _read_stdin(stdin: BinaryIO, what: str) -> bytes:
    """All of standard input; a ConfigError when there is none (closed, as by ``<&-``)."""
    if isinstance(stdin, _ClosedStdin):
        raise ConfigError(
            f"{what} is '-' but standard input is closed; pipe the input in or name a file"
        )
    return stdin.read()


def _read_mentions(spec: str, stdin: BinaryIO) -> list[str]:
    """One mention per line of a UTF-8 text file (``-``: standard input); blank lines skipped."""
    data = _read_stdin(stdin, "--input") if spec == "-" else Path(spec).read_bytes()
    name = "stdin" if spec == "-" else spec
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        raise ResolutionError(
            f"{name}, line {line}: not valid UTF-8; save the file as UTF-8"
        ) from None
    return [line.rstrip("\r") for line in text.split("\n") if line.strip()]


def _pick(records: Iterable[Any], record_id: str, what: str, spec: str) -> Any:
    for record in records:
        if record.id == record_id:
            return record
    source = "stdin" if spec == "-" else spec
    raise ProfileError(f"no {what} with id {record_id[:100]!r} in {source}")


# -- output ---------------------------------------------------------------------------------------


def _plural(n: int, one: str, many: str | None = None) -> str:
    return f"{n:,} {one if n == 1 else (many or one + 's')}"


def _score(value: float | None) -> float | None:
    return None if value is None else round(float(value), _SCORE_DECIMALS)


def _json_line(record: Mapping[str, Any]) -> str:
    return json.dumps(
        record, sort_keys=True, ensure_ascii=False, separators=(",", ":"), allow_nan=False
    )


def _cell(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (list, tuple)):
        return ",".join(_cell(v) for v in value)
    return str(value)


def _csv_cell(value: object) -> str:
    """A CSV cell: text that a spreadsheet would evaluate gets a leading ``'``; numbers stay."""
    text = _cell(value)
    return csv_safe(text) if isinstance(value, (str, list, tuple)) else text


def _output_format(args: argparse.Namespace) -> str:
    if args.format is not None:
        return str(args.format)
    if args.output not in (None, "-") and Path(args.output).suffix.lower() == ".csv":
        return "csv"
    return "jsonl"


def _inputs(args: argparse.Namespace, stdin: BinaryIO) -> list[tuple[str, os.stat_result]]:
    """The files this run reads, each as (its name in messages, its ``os.stat``).

    No output may be one of them. Files that do not exist are left out (reading them says so).
    """
    named = [
        ("CANDIDATES", getattr(args, "candidates", None)),
        ("VACANCIES", getattr(args, "vacancies", None)),
        ("--input", getattr(args, "input", None)),
        ("--config", getattr(args, "config", None)),
        ("--knobs", getattr(args, "knobs", None)),
        ("--taxonomy", getattr(args, "taxonomy", None)),
    ]
    found: list[tuple[str, os.stat_result]] = []
    for name, spec in named:
        if not isinstance(spec, str) or spec == "bundled":
            continue
        if spec == "-":
            with contextlib.suppress(OSError, ValueError, AttributeError, io.UnsupportedOperation):
                found.append(("the input read from standard input", os.fstat(stdin.fileno())))
            continue
        with contextlib.suppress(OSError, ValueError):
            found.append((f"the input {name} {spec}", os.stat(spec)))
    return found


def _check_outputs(args: argparse.Namespace, stdin: BinaryIO, stdout: TextIO) -> None:
    """Refuse, before any work, an ``-o`` or ``--log`` that is not a regular file or is an input.

    A ``--log`` that is the output — the ``-o`` file, or standard output when the results go
    there (``--log /dev/stdout > plan.jsonl``) — is refused too.
    """
    inputs = _inputs(args, stdin)
    output = getattr(args, "output", None)
    target = None
    if output is not None and output != "-":
        target = output_target(output, inputs)
        with contextlib.suppress(OSError):
            inputs.append((f"the output -o {output}", os.stat(target)))
    else:
        with contextlib.suppress(OSError, ValueError, AttributeError, io.UnsupportedOperation):
            inputs.append(("standard output, where the results go", os.fstat(stdout.fileno())))
    log = getattr(args, "log", None)
    if log is None:
        return
    if output_target(log, inputs, what="--log") == target:
        raise ConfigError(
            f"cannot write --log {log}: it is also the output -o {output}; name another file"
        )
    from ..assignment._log import check_log_path

    check_log_path(log)


@contextmanager
def _opened(
    output: str | None, stdout: TextIO, inputs: Sequence[tuple[str, os.stat_result]] = ()
) -> Iterator[TextIO]:
    """Standard output, or a file that appears only once complete (written beside it)."""
    if output is None or output == "-":
        yield stdout
        return
    with staged(output_target(output, inputs), f"-o {output}") as file:
        yield file


def _write_table(
    records: Iterable[Mapping[str, Any]], columns: Sequence[str], fmt: str, file: TextIO
) -> int:
    """Write records to `file` as JSON Lines or CSV; return how many."""
    n = 0
    if fmt == "csv":
        writer = csv.writer(file, lineterminator="\n")
        writer.writerow(columns)
        for record in records:
            writer.writerow([_csv_cell(record[c]) for c in columns])
            n += 1
    else:
        for record in records:
            file.write(_json_line(record) + "\n")
            n += 1
    return n


def _write_records(
    records: Iterable[Mapping[str, Any]],
    columns: Sequence[str],
    args: argparse.Namespace,
    stdout: TextIO,
    progress: _Progress,
    *,
    seal: Callable[[], AbstractContextManager[int]] | None = None,
) -> int:
    """Write records as JSON Lines or CSV; return how many.

    With `seal` (the decision log), the records are first written in full (to the temporary
    file beside ``-o OUT``, or to a spool file for standard output); then ``seal()`` is entered
    (the log appended) and the records delivered (moved into place, or copied to standard
    output) inside it, so that a failed delivery takes the log's lines back out.
    """
    to_stdout = args.output in (None, "-")
    if to_stdout:
        progress.clear()  # records and the progress line would share a terminal
    else:
        progress.stage(f"writing {args.output}")
    fmt = _output_format(args)
    with contextlib.ExitStack() as delivery:
        if to_stdout and seal is not None:
            spool = delivery.enter_context(
                tempfile.TemporaryFile("w+", encoding="utf-8", newline="")
            )
            n = _write_table(records, columns, fmt, spool)
            spool.seek(0)
            delivery.enter_context(seal())
            shutil.copyfileobj(spool, stdout)
            stdout.flush()
        else:
            with _opened(args.output, stdout, _inputs(args, _stdin())) as file:
                n = _write_table(records, columns, fmt, file)
                if seal is not None:
                    file.flush()
                    delivery.enter_context(seal())  # left after the file is in place
    if not to_stdout:
        progress.clear()
        print(f"wrote {n:,} records to {args.output}", file=stdout)
    return n


def _plain(value: Any) -> Any:
    """A dataclass (an explanation) as JSON-ready dicts, lists and numbers."""
    if is_dataclass(value) and not isinstance(value, type):
        return {f.name: _plain(getattr(value, f.name)) for f in fields(value)}
    if isinstance(value, Mapping):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    if isinstance(value, float):
        return round(value, _SCORE_DECIMALS + 3)
    return value


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


def _run_rank(
    args: argparse.Namespace, stdout: TextIO, progress: _Progress, stdin: BinaryIO
) -> None:
    matcher, candidates, vacancies = _cohorts(args, progress, stdin)
    progress.stage(f"ranking {len(candidates):,} candidates × {len(vacancies):,} vacancies")
    ranking = matcher.rank(candidates, vacancies, top_k=args.top_k, by=args.by)
    n = _write_records(_rank_records(ranking), RANK_COLUMNS, args, stdout, progress)
    progress.finish(f"{_plural(n, 'ranked pair')}, top {ranking.top_k} per {args.by}")


def _run_assign(
    args: argparse.Namespace, stdout: TextIO, progress: _Progress, stdin: BinaryIO
) -> None:
    matcher, candidates, vacancies = _cohorts(args, progress, stdin)
    progress.stage(
        f"placing {len(candidates):,} candidates on {len(vacancies):,} vacancies ({args.method})"
    )
    # The decision log is written here, once the output is complete, not inside assign(): a run
    # whose output cannot be delivered leaves no decisions in it (see _write_records).
    plan = matcher.assign(
        candidates,
        vacancies,
        args.method,
        args.min_score,
        top_k=args.top_k,
        per_opening=args.per_opening,
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
        "--lang", default="en", metavar="L", help="label language where the taxonomy has it"
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


# -- running --------------------------------------------------------------------------------------


def _message(exc: BaseException) -> str:
    """The error as one line."""
    if isinstance(exc, OSError) and exc.filename is not None and exc.strerror:
        text = f"{exc.filename}: {exc.strerror}"
    else:
        text = str(exc) or type(exc).__name__
    return " ".join(text.split())


def _show_warning(
    message: Warning | str,
    category: type[Warning],
    filename: str,
    lineno: int,
    file: TextIO | None = None,
    line: str | None = None,
) -> None:
    text = " ".join(str(message).split())
    print(f"{PROG}: warning: {text}", file=sys.stderr)


def _silence_stdout() -> None:
    # After a broken pipe (`labourint-match rank … | head`), later flushes must not fail again.
    with contextlib.suppress(OSError, ValueError, AttributeError):  # platform dependent
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())


Handler = Callable[[argparse.Namespace, TextIO, _Progress, BinaryIO], None]


class _ClosedStdin(io.BytesIO):
    """Standard input where there is none (closed, as by ``<&-``, or under pythonw)."""


def _stdin() -> BinaryIO:
    """Standard input as bytes (a :class:`_ClosedStdin` when there is none)."""
    stream: BinaryIO | None = getattr(sys.stdin, "buffer", None)
    return stream if stream is not None else _ClosedStdin()


def main(argv: Sequence[str] | None = None, *, out: TextIO | None = None) -> int:
    """Run the command line; return the exit code.

    Parameters
    ----------
    argv
        The arguments (default: ``sys.argv[1:]``).
    out
        Where results go (default: standard output). Errors, warnings and progress go to
        standard error.

    Returns
    -------
    int
        0 success, 1 bad input, 2 bad usage, 3 internal error, 130 interrupted (Ctrl-C), 143
        terminated (SIGTERM), 141 when standard output is closed early, as by ``| head``.

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
        problem = _usage_problem(args)
        if problem is not None:
            args.subparser.error(problem)
    except SystemExit as exc:
        return int(exc.code) if isinstance(exc.code, int) else EXIT_USAGE
    progress = _Progress(sys.stderr)
    handler: Handler = args.handler
    stdin = _stdin()
    try:
        with signals_raise(), warnings.catch_warnings():
            warnings.showwarning = _show_warning
            _check_outputs(args, stdin, stdout)
            handler(args, stdout, progress, stdin)
    except BrokenPipeError:
        if out is not None:
            raise
        progress.clear()
        _silence_stdout()
        return EXIT_BROKEN_PIPE
    except (LabourintMatchError, OSError) as exc:
        progress.clear()
        if args.debug:
            traceback.print_exc()
        print(f"{PROG}: error: {_message(exc)}", file=sys.stderr)
        return EXIT_BAD_INPUT
    except KeyboardInterrupt:
        progress.clear()
        print(f"{PROG}: interrupted", file=sys.stderr)
        return EXIT_INTERRUPTED
    except Terminated:
        progress.clear()
        print(f"{PROG}: terminated", file=sys.stderr)
        return EXIT_TERMINATED
    except Exception as exc:
        progress.clear()
        if args.debug:
            traceback.print_exc()
        print(
            f"{PROG}: internal error: {type(exc).__name__}: {_message(exc)} (this is a bug; "
            "rerun with --debug and report the traceback)",
            file=sys.stderr,
        )
        return EXIT_INTERNAL
    finally:
        progress.clear()
    return EXIT_OK


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
