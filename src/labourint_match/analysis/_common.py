"""What the cohort reports share: the table they return and the group of unknown members."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from ..errors import ConfigError

if TYPE_CHECKING:
    from ..matcher import Matcher

__all__ = ["UNKNOWN_GROUP"]

#: The label of candidates whose audit attribute is not recorded.
UNKNOWN_GROUP = "unknown"


def _check_as_frame(as_frame: object) -> None:
    if as_frame is not None and not isinstance(as_frame, bool):
        raise ConfigError(f"as_frame must be True, False or None, not {type(as_frame).__name__}")


def _table(rows: list[dict[str, Any]], columns: Sequence[str], as_frame: bool | None) -> Any:
    """`rows` as a DataFrame (pandas installed, or insisted on) or as the records themselves."""
    if as_frame is False:
        return rows
    try:
        import pandas as pd
    except ImportError:
        if as_frame:
            raise ConfigError(
                "as_frame=True needs pandas: pip install 'labourint-match[notebook]', or pass "
                "as_frame=False for a list of dicts"
            ) from None
        return rows
    return pd.DataFrame.from_records(rows, columns=list(columns))


def _matcher_type() -> type[Matcher]:
    from ..matcher import Matcher

    return Matcher
