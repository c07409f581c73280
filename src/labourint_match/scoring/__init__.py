"""Scoring: the configuration, the ranking results and the explanations of matches.

The engine (``engine.py``: :class:`~labourint_match.scoring.engine.Scorer`) encodes cohorts once
(``_encode.py``, in the array layout of ``_layout.py``, with the relation rules of
``_relations.py``) and calls the numba kernels (``_kernels/``, private: nothing outside this
package calls them) through typed, checked twins; ``edges.py`` builds a placement's edges from one
encoding. The pure-Python reference (``_reference.py``) explains single pairs.
:class:`~labourint_match.Matcher` is the facade over all of them.
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
