"""The relation rules: how a claimed concept meets a required one, and the credit it earns.

Defined once here and followed by both the encoder's relation table (``_encode.RelationTable``,
over the compiled taxonomy's index arrays) and the pure-Python reference (``_reference.relation``,
over URIs), so that they cannot drift apart. The training-needs report's prefilter of which
skills could meet a need (``analysis._training._neighbourhood``) does not apply them: it takes a
superset (exact, narrower and broader within ``max_hierarchy_distance``, every sibling whatever the
family's size or its parent's level, ESCO-related skills in both directions), and each candidate
it keeps is then explained again, scored by these rules. A claimed concept ``a`` meets a required
concept ``b``:

- ``exact``: ``a`` is ``b`` (distance 0);
- ``narrower``: ``a`` is below ``b`` in the hierarchy, within ``max_hierarchy_distance`` steps
  (a more specific skill meets the general one); the credit decays with each step after the first;
- ``broader``: ``a`` is above ``b``, within the same distance, with its own credit and decay;
- ``sibling``: ``a`` and ``b`` share a direct parent that is not at the top level and has at most
  ``sibling_max_children`` children (distance 2);
- ``related``: ESCO relates the two skills, in either direction (distance 1).

The credit of a pair is the largest of the applicable credits above 0; on equal credit the
relation with the lower code wins (:func:`prefer`).
"""

from __future__ import annotations

from typing import Final

from .config import ScoringConfig

__all__ = [
    "RELATED_DISTANCE",
    "RELATION_CODES",
    "RELATION_NAMES",
    "SIBLING_DISTANCE",
    "hierarchy_credit",
    "prefer",
    "siblings_count",
]

REL_NONE, REL_EXACT, REL_NARROWER, REL_BROADER, REL_SIBLING, REL_RELATED = range(6)
#: Relation names by code; on equal credit the lower code wins.
RELATION_NAMES: Final[tuple[str, ...]] = (
    "none", "exact", "narrower", "broader", "sibling", "related",
)  # fmt: skip
#: Relation codes by name.
RELATION_CODES: Final = {name: code for code, name in enumerate(RELATION_NAMES)}
#: The distance a sibling pair counts as (up to the shared parent and down again).
SIBLING_DISTANCE: Final = 2
#: The distance a pair of ESCO-related skills counts as.
RELATED_DISTANCE: Final = 1


def hierarchy_credit(config: ScoringConfig, rel: int, distance: int) -> float:
    """The credit of a ``narrower`` or ``broader`` pair `distance` (≥ 1) steps apart."""
    if rel == REL_NARROWER:
        return config.credit_narrower * config.narrower_decay ** (distance - 1)
    if rel == REL_BROADER:
        return config.credit_broader * config.broader_decay ** (distance - 1)
    raise ValueError(f"not a hierarchy relation: {rel}")


def siblings_count(config: ScoringConfig, parent_is_top_level: bool, family_size: int) -> bool:
    """Whether the children of a parent count as siblings of one another.

    A top-level parent (one with no parent of its own), or a family of more than
    ``sibling_max_children`` children, makes no siblings.
    """
    return not parent_is_top_level and family_size <= config.sibling_max_children


def prefer(credit: float, rel: int, old_credit: float, old_rel: int) -> bool:
    """Whether (`credit`, `rel`) beats (`old_credit`, `old_rel`): more credit, else a lower code."""
    return credit > old_credit or (credit == old_credit and rel < old_rel)
