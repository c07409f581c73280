"""The ``labourint-match`` command.

Subcommands::

    labourint-match demo                         what the bundled taxonomy holds, in its languages
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
import traceback
from collections.abc import Sequence
from pathlib import Path
from typing import TextIO

from ._version import __version__
from .errors import LabourintMatchError
from .taxonomy import ConceptKind, Taxonomy

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

# The demo's sample: an occupation many newcomers start in.
_DEMO_OCCUPATION = "http://data.europa.eu/esco/occupation/90f75f67-495d-49fa-ab57-2f320e251d7e"
_DEMO_LANGUAGES = ("en", "sv", "nb", "de", "fr", "it", "ar", "uk")
_LANGUAGE_NAMES = {
    "en": "English", "sv": "Swedish", "nb": "Norwegian (Bokmål)", "de": "German",
    "fr": "French", "it": "Italian", "ar": "Arabic", "uk": "Ukrainian",
}  # fmt: skip


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


def _demo(out: TextIO) -> None:
    t = Taxonomy.default()
    print(f"labourint-match {__version__} — demo on the bundled taxonomy\n", file=out)
    _info(t, out)
    if _DEMO_OCCUPATION not in t:
        return
    occ = t.concept(_DEMO_OCCUPATION)
    print(f"\nOne occupation in the eight label languages ({occ.uri})", file=out)
    _print_table([(_LANGUAGE_NAMES[lang], occ.label(lang)) for lang in _DEMO_LANGUAGES], out)
    chain = " → ".join(t.label(a) for a in reversed(t.ancestors(occ.uri)))
    print(f"  ISCO path           {chain}", file=out)
    relations = t.occupation_skills(occ.uri)
    essential = [r.skill for r in relations if r.relation == "essential"]
    optional = [r.skill for r in relations if r.relation == "optional"]
    print(
        f"\nIts skills: {len(essential)} essential, {len(optional)} optional "
        "(English / Arabic / Ukrainian)",
        file=out,
    )
    for uri in essential:
        c = t.concept(uri)
        print(f"  essential  {c.label('en')} / {c.label('ar')} / {c.label('uk')}", file=out)
    for uri in optional:
        c = t.concept(uri)
        print(f"  optional   {c.label('en')} / {c.label('ar')} / {c.label('uk')}", file=out)
    sample = essential[0] if essential else None
    if sample is not None:
        path = [t.label(a) for a in t.ancestors(sample) if t.kind(a) is ConceptKind.SKILL_GROUP]
        chain = " → ".join([*reversed(path), t.label(sample)])
        print(f"\nWhere a skill sits in the hierarchy: {chain}", file=out)
    arabic = t.language("ar")
    print("\nLanguage concepts for Arabic (CEFR activities)", file=out)
    _print_table(
        [
            (field.replace("_", " "), t.label(uri) if uri else "—")
            for field, uri in zip(arabic._fields[1:], arabic[1:], strict=True)
        ],
        out,
    )
    print(
        "\nMatching, placement and training needs build on this taxonomy; "
        "see docs/ for the roadmap.",
        file=out,
    )


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
    sub.add_parser("demo", help="show what the bundled taxonomy holds")
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
