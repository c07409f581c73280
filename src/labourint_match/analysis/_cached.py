"""A memoised view of a taxonomy, and a twin of a matcher that explains pairs over it."""

from __future__ import annotations

from typing import TYPE_CHECKING

from ..taxonomy import SkillRelation, Taxonomy

if TYPE_CHECKING:
    from ..matcher import Matcher


class _CachedTaxonomy(Taxonomy):
    """The same compiled taxonomy, with the queries the reference walks memoised.

    The pure-Python reference behind :meth:`Matcher.explain` asks for the same parents, children,
    related skills and labels many times per pair; a taxonomy is immutable, so the answers keep.
    """

    def __init__(self, base: Taxonomy) -> None:
        super().__init__(base.compiled, source=base.source)
        self._up: dict[str, tuple[str, ...]] = {}
        self._down: dict[str, tuple[str, ...]] = {}
        self._related: dict[str, tuple[SkillRelation, ...]] = {}
        self._labels: dict[tuple[str, str], str] = {}

    def broader(self, uri: str) -> tuple[str, ...]:
        try:
            return self._up[uri]
        except KeyError:
            found = self._up[uri] = super().broader(uri)
            return found

    def narrower(self, uri: str) -> tuple[str, ...]:
        try:
            return self._down[uri]
        except KeyError:
            found = self._down[uri] = super().narrower(uri)
            return found

    def related_skills(self, uri: str) -> tuple[SkillRelation, ...]:
        try:
            return self._related[uri]
        except KeyError:
            found = self._related[uri] = super().related_skills(uri)
            return found

    def label(self, uri: str, lang: str = "en") -> str:
        try:
            return self._labels[uri, lang]
        except KeyError:
            found = self._labels[uri, lang] = super().label(uri, lang)
            return found


def _explainer(matcher: Matcher) -> Matcher:
    """A twin of `matcher` for explaining many pairs, over a memoised view of its taxonomy.

    Same configuration, reference day and resolver: the same explanations, about three times
    faster.
    """
    config = matcher.config
    if config.as_of is None:
        config = config.replace(as_of=matcher.as_of)
    return type(matcher)(
        _CachedTaxonomy(matcher.taxonomy),
        config,
        resolver=getattr(matcher, "_resolver", None),
        min_resolution_score=matcher.min_resolution_score,
    )
