"""The shape both per-text reports share: one result list per text, in order, nothing dropped."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Generic, TypeVar, overload

__all__ = ["TextReport"]

T = TypeVar("T")


@dataclass(frozen=True)
class TextReport(Generic[T]):
    """One result list per text, in order; the texts with none and those truncated, by position.

    :class:`~labourint_match.resolve.ResolutionReport` (mentions) and
    :class:`~labourint_match.resolve.ExtractionReport` (running text) are this shape.

    Examples
    --------
    >>> report = TextReport(("a", "b"), ((1, 2), ()), (1,), ())
    >>> len(report), report[0], list(report), report.unresolved_texts
    (2, (1, 2), [(1, 2), ()], ('b',))
    """

    texts: tuple[str, ...]
    results: tuple[tuple[T, ...], ...]
    unresolved: tuple[int, ...]
    truncated: tuple[int, ...]

    def __len__(self) -> int:
        return len(self.results)

    @overload
    def __getitem__(self, i: int) -> tuple[T, ...]: ...

    @overload
    def __getitem__(self, i: slice) -> tuple[tuple[T, ...], ...]: ...

    def __getitem__(self, i: int | slice) -> tuple[T, ...] | tuple[tuple[T, ...], ...]:
        return self.results[i]

    def __iter__(self) -> Iterator[tuple[T, ...]]:
        return iter(self.results)

    @property
    def unresolved_texts(self) -> tuple[str, ...]:
        """The texts listed in :attr:`unresolved`."""
        return tuple(self.texts[i] for i in self.unresolved)
