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
    labourint-match serve --keys FILE [--candidates P --vacancies P]
                                                    the library over HTTP and the adviser page
                                                    (the 'service' extra; docs/service.md)
    labourint-match key ADVISER_ID --keys FILE      make an API key (printed once, stored hashed)
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

The package: ``_main`` (:func:`main`, the exit codes, error reporting), ``_commands`` (the
subcommands and the argument parser), ``_io`` (the taxonomy loader, the progress line, reading
inputs, writing results), ``_demo`` (``labourint-match demo``) and ``_serve`` (``serve`` and
``key``, which import the service only when they run). ``__main__`` makes
``python -m labourint_match.cli`` run :func:`main`.
"""

# Kept importable from here, out of __all__, as when cli was one module: the column and format
# tuples, PROG, load_taxonomy and the exit codes.
from ._commands import ASSIGN_COLUMNS as ASSIGN_COLUMNS
from ._commands import FORMATS as FORMATS
from ._commands import RANK_COLUMNS as RANK_COLUMNS
from ._commands import RESOLVE_COLUMNS as RESOLVE_COLUMNS
from ._io import PROG as PROG
from ._io import load_taxonomy as load_taxonomy
from ._main import EXIT_BAD_INPUT as EXIT_BAD_INPUT
from ._main import EXIT_BROKEN_PIPE as EXIT_BROKEN_PIPE
from ._main import EXIT_INTERNAL as EXIT_INTERNAL
from ._main import EXIT_INTERRUPTED as EXIT_INTERRUPTED
from ._main import EXIT_OK as EXIT_OK
from ._main import EXIT_TERMINATED as EXIT_TERMINATED
from ._main import EXIT_USAGE as EXIT_USAGE
from ._main import main

__all__ = ["main"]
