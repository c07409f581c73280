"""What a :class:`~labourint_match.resolve.SkillResolver` returns: resolutions and their report."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from ._report import TextReport

__all__ = ["LabelKind", "Method", "Resolution", "ResolutionReport"]

Method = Literal["exact", "variant", "acronym", "fuzzy", "semantic"]
LabelKind = Literal["pref", "alt", "hidden"]


@dataclass(frozen=True, slots=True)
class Resolution:
    """One concept a mention resolves to.

    Attributes
    ----------
    uri
        The concept.
    label
        The label of the concept that matched (as the taxonomy spells it).
    lang
        The language tag of that label (``""`` when untagged).
    score
        How well it matched, in ``[0, 1]``: 1 for an exact match, 0.95 for a variant match, at
        most 0.9 for an acronym or fuzzy one.
    method
        ``"exact"`` (equal after :func:`normalise`), ``"variant"`` (the same content words after
        light stemming, in any order, ignoring stop words, punctuation and a parenthesised
        qualifier of the label), ``"acronym"`` (a mention of two to five letters that
        abbreviates the label), ``"fuzzy"`` (n-gram candidates re-ranked with rapidfuzz) or,
        with an encoder, ``"semantic"`` (found by the encoder alone). With an encoder the score
        is the fused one (see ``labourint_match.resolve._semantic``).
    label_kind
        ``"pref"``, ``"alt"`` or ``"hidden"``.
    """

    uri: str
    label: str
    lang: str
    score: float
    method: Method
    label_kind: LabelKind


@dataclass(frozen=True)
class ResolutionReport(TextReport[Resolution]):
    """What :meth:`SkillResolver.resolve_many` returns: one result list per mention, in order.

    Nothing is dropped: ``len(report) == len(texts)``, and every mention with no resolution is
    listed in :attr:`unresolved`.

    Attributes
    ----------
    texts
        The mentions, as given.
    results
        For each mention, its resolutions, best first (empty when unresolved).
    unresolved
        Positions of the mentions that resolved to nothing (empty, unusable or unmatched text).
    truncated
        Positions of the mentions that were longer than the resolver's bound and were truncated.

    Examples
    --------
    >>> from labourint_match import Taxonomy
    >>> from labourint_match.resolve import SkillResolver
    >>> resolver = SkillResolver(Taxonomy.default(), cache=False)
    >>> report = resolver.resolve_many(["clean the rooms", "", "qqqxzv"])
    >>> len(report), report.unresolved, report.unresolved_texts
    (3, (1, 2), ('', 'qqqxzv'))
    >>> report.best[0].label
    'clean rooms'
    """

    @property
    def best(self) -> tuple[Resolution | None, ...]:
        """The top resolution of each mention, ``None`` where unresolved."""
        return tuple(r[0] if r else None for r in self.results)

    def to_records(self) -> list[dict[str, object]]:
        """One record per (mention, resolution), and one with ``uri=None`` per unresolved mention.

        Examples
        --------
        >>> from labourint_match import Taxonomy
        >>> from labourint_match.resolve import SkillResolver
        >>> resolver = SkillResolver(Taxonomy.default(), cache=False)
        >>> records = resolver.resolve_many(["Clean Rooms", "qqqxzv"], top_k=1).to_records()
        >>> [(r["position"], r["label"]) for r in records]
        [(0, 'clean rooms'), (1, None)]
        """
        out: list[dict[str, object]] = []
        for i, found in enumerate(self.results):
            if not found:
                out.append(
                    {
                        "position": i,
                        "text": self.texts[i],
                        "rank": None,
                        "uri": None,
                        "label": None,
                        "lang": None,
                        "score": None,
                        "method": None,
                        "label_kind": None,
                    }
                )
            for rank, r in enumerate(found):
                out.append(
                    {
                        "position": i,
                        "text": self.texts[i],
                        "rank": rank,
                        "uri": r.uri,
                        "label": r.label,
                        "lang": r.lang,
                        "score": r.score,
                        "method": r.method,
                        "label_kind": r.label_kind,
                    }
                )
        return out
