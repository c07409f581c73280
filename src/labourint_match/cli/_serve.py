"""``labourint-match serve`` and ``key``: the HTTP service (the ``service`` extra)."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any, BinaryIO, TextIO

from ..errors import ConfigError
from ._io import _Progress, _read_json_object, load_taxonomy

__all__ = ["add_service_parsers"]

_SERVE_EXAMPLES = """\
labourint-match key adviser-17 --keys keys.txt
labourint-match serve --keys keys.txt --candidates cohort --vacancies cohort --as-of 2026-01-01
labourint-match serve --insecure-local --candidates people.jsonl --vacancies jobs.jsonl
"""


def _service() -> Any:
    try:
        import labourint_match.service as service
    except ImportError as exc:  # fastapi or uvicorn missing
        raise ConfigError(
            f"the service needs the 'service' extra ({exc.name} is missing): "
            "pip install 'labourint-match[service]'"
        ) from None
    return service


def _run_key(
    args: argparse.Namespace, stdout: TextIO, progress: _Progress, stdin: BinaryIO
) -> None:
    key = _service().add_key(args.keys, args.adviser)
    print(key, file=stdout)
    print(f"# the key of {args.adviser}; shown once (its hash is in {args.keys})", file=stdout)


def _run_serve(
    args: argparse.Namespace, stdout: TextIO, progress: _Progress, stdin: BinaryIO
) -> None:
    from ..scoring import ScoringConfig

    service = _service()
    data = _read_json_object(args.config, "config") if args.config else {}
    if args.as_of is not None:
        data["as_of"] = args.as_of
    limits = service.Limits(
        max_body_bytes=args.max_body_bytes, max_records=args.max_records,
        max_pairs=args.max_pairs, time_limit_s=args.time_limit,
    )  # fmt: skip
    config = service.ServiceConfig(
        database=Path(args.database), decision_log=Path(args.decision_log),
        keys=None if args.keys is None else Path(args.keys), insecure_local=args.insecure_local,
        candidates=None if args.candidates is None else Path(args.candidates),
        vacancies=None if args.vacancies is None else Path(args.vacancies),
        scoring=ScoringConfig(**data), limits=limits, lang=args.lang,
    )  # fmt: skip
    if config.insecure_local and not service.is_loopback(args.host):
        raise ConfigError(
            "--insecure-local serves without keys, so only on a loopback address, "
            f"not {args.host!r}"
        )
    progress.stage("loading the taxonomy")
    taxonomy = load_taxonomy(args.taxonomy)
    progress.clear()
    service.run(config, taxonomy, host=args.host, port=args.port)


def _positive_float(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        value = -1.0
    if not 0 < value < float("inf"):
        raise argparse.ArgumentTypeError(f"must be a positive number, not {text!r}")
    return value


def add_service_parsers(
    sub: Any, parents: dict[str, argparse.ArgumentParser], positive: Any, day: Any
) -> None:
    """Add ``serve`` and ``key`` to the command's subparsers."""
    serve = sub.add_parser(
        "serve",
        help="serve the library over HTTP, with the adviser page (the 'service' extra)",
        description="Serve the library over HTTP, with the adviser page. docs/service.md is the "
        "guide; /openapi.json the reference.",
        epilog="examples:\n" + "".join(f"  {line}\n" for line in _SERVE_EXAMPLES.splitlines()),
        formatter_class=argparse.RawDescriptionHelpFormatter,
        parents=[parents["debug"], parents["taxonomy"]],
    )
    serve.add_argument("--host", default="127.0.0.1", help="address to bind (default 127.0.0.1)")
    serve.add_argument("--port", type=positive, default=8000, help="port (default 8000)")
    serve.add_argument("--keys", metavar="FILE", help="the keys file (`labourint-match key`)")
    serve.add_argument(
        "--insecure-local", action="store_true",
        help="no keys: one person on a laptop; refused on a non-loopback --host",
    )  # fmt: skip
    serve.add_argument("--candidates", metavar="PATH", help="JSON Lines/array file or shard folder")
    serve.add_argument("--vacancies", metavar="PATH", help="JSON Lines/array file or shard folder")
    serve.add_argument(
        "--database", default="labourint-match.sqlite3", metavar="FILE",
        help="SQLite file for plans and overrides (default: labourint-match.sqlite3)",
    )  # fmt: skip
    serve.add_argument(
        "--decision-log", default="decisions.jsonl", metavar="FILE",
        help="the decision log plans append to (default: decisions.jsonl)",
    )  # fmt: skip
    serve.add_argument("--as-of", type=day, metavar="YYYY-MM-DD", help="eligibility day")
    serve.add_argument("--config", metavar="FILE", help="a JSON object of ScoringConfig fields")
    serve.add_argument("--lang", default="en", help="the adviser page's default language")
    serve.add_argument("--max-body-bytes", type=positive, default=32 * 1024 * 1024,
                       metavar="N", help="largest request body (default 32 MiB)")  # fmt: skip
    serve.add_argument("--max-records", type=positive, default=50_000, metavar="N",
                       help="most records per request (default 50,000)")  # fmt: skip
    serve.add_argument("--max-pairs", type=positive, default=100_000_000, metavar="N",
                       help="most candidate x vacancy pairs per request (default 1e8)")  # fmt: skip
    serve.add_argument("--time-limit", type=_positive_float, default=60.0, metavar="S",
                       help="seconds a request may take (default 60)")  # fmt: skip
    serve.set_defaults(handler=_run_serve, subparser=serve)

    key = sub.add_parser(
        "key",
        help="make an API key for an adviser id (printed once; its hash goes to the keys file)",
        parents=[parents["debug"]],
    )
    key.add_argument("adviser", metavar="ADVISER_ID", help="a pseudonymous id, not a name")
    key.add_argument("--keys", required=True, metavar="FILE", help="the keys file to append to")
    key.set_defaults(handler=_run_key, subparser=key)
