"""The ``labourint-match`` command."""

from ._commands import EXIT_BAD_INPUT as EXIT_BAD_INPUT
from ._commands import EXIT_BROKEN_PIPE as EXIT_BROKEN_PIPE
from ._commands import EXIT_INTERNAL as EXIT_INTERNAL
from ._commands import EXIT_INTERRUPTED as EXIT_INTERRUPTED
from ._commands import EXIT_OK as EXIT_OK
from ._commands import EXIT_TERMINATED as EXIT_TERMINATED
from ._commands import EXIT_USAGE as EXIT_USAGE
from ._commands import main

__all__ = ["main"]
