"""What the subcommands share: the taxonomy loader, the progress line, inputs and outputs.

Inputs are read from files or standard input; results are written as JSON Lines or CSV, to
standard output or to a file that appears only once complete (see ``_output``).
"""

from __future__ import annotations

import argparse
import contextlib
import csv
import io
import json
import os
import shutil
import stat
import sys
import tempfile
import time
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from contextlib import AbstractContextManager, contextmanager
from dataclasses import fields, is_dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, BinaryIO, TextIO

from .._output import csv_safe, output_target, staged
from ..errors import ConfigError, ProfileError, ResolutionError, TaxonomyError
from ..taxonomy import Taxonomy

if TYPE_CHECKING:
    from ..profiles import CandidateProfile, Cohort, Vacancy


PROG = "labourint-match"


# Scores are written rounded to this many decimal places (float32 holds about seven digits).
_SCORE_DECIMALS = 6


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


class _ClosedStdin(io.BytesIO):
    """Standard input where there is none (closed, as by ``<&-``, or under pythonw)."""


def _stdin() -> BinaryIO:
    """Standard input as bytes (a :class:`_ClosedStdin` when there is none)."""
    stream: BinaryIO | None = getattr(sys.stdin, "buffer", None)
    return stream if stream is not None else _ClosedStdin()
