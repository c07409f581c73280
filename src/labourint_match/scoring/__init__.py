"""Scoring: the configuration, the ranking results and the explanations of matches.

The kernels (``_kernels.py``), the encoder (``_encode.py``) and the pure-Python reference
(``_reference.py``) are private; :class:`~labourint_match.Matcher` ties them together.
"""

from .config import COMPONENTS, ScoringConfig
from .explain import Explanation, Gap, LanguageMatch, Pathway, RequirementMatch
from .ranking import Match, Ranking

__all__ = [
    "COMPONENTS",
    "Explanation",
    "Gap",
    "LanguageMatch",
    "Match",
    "Pathway",
    "Ranking",
    "RequirementMatch",
    "ScoringConfig",
]
