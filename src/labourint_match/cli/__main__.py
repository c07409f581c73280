"""``python -m labourint_match.cli``: the ``labourint-match`` command."""

import sys

from . import main

sys.exit(main())
