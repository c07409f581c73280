"""Cohort analysis: training needs, demand against supply, and disparity between groups.

:func:`training_needs` serves stage 2 of the Labour-INT method (which training closes which gap):
it ranks the skills and language levels that, trained, would move the most candidates to a job
they are ready for, with the people concerned. :func:`demand_supply` sets the skills vacancies ask
for against the skills the cohort holds, overall, per occupation group or per region.
:func:`disparity` compares placement rates, mean scores and top-k exposure between the groups of
one audit attribute, with the four-fifths flag.

Return values
    Every function returns a pandas DataFrame when pandas is installed and a list of dicts (one
    per row, keyed by the DataFrame's column names) otherwise. ``as_frame=True`` insists on a
    DataFrame (a :class:`~labourint_match.errors.ConfigError` with the install hint when pandas is
    missing); ``as_frame=False`` always gives the records.
Audit attributes
    :func:`disparity` is the only code in the library that reads
    :class:`~labourint_match.profiles.AuditAttributes`; nothing here feeds them back into a score.
Modules
    ``_training`` (:func:`training_needs`), ``_demand`` (:func:`demand_supply`) and
    ``_disparity`` (:func:`disparity`, the only one that imports the audit attributes), all
    private: the functions are imported from ``labourint_match.analysis`` (a public submodule
    named ``disparity`` would be shadowed by the function); ``_common`` holds the table output
    shared by all three, ``_cached`` the memoised taxonomy the training report explains pairs
    over.

Examples
--------
>>> from datetime import date
>>> from labourint_match import Matcher, ScoringConfig, Taxonomy, synth
>>> from labourint_match.analysis import demand_supply, disparity
>>> taxonomy = Taxonomy.default()
>>> people, jobs = synth.cohort(taxonomy, 20, 5, seed=3)
>>> matcher = Matcher(taxonomy, ScoringConfig(as_of=date(2026, 1, 1)))
>>> report = disparity(matcher.assign(people, jobs), people, "group", as_frame=False)
>>> [row["group"] for row in report]
['domestic', 'newcomer']
>>> top = demand_supply(people, jobs, taxonomy, as_frame=False)[0]
>>> top["openings_essential"] >= 1
True
"""

from ._common import UNKNOWN_GROUP
from ._demand import DEMAND_SUPPLY_COLUMNS, demand_supply
from ._demand import SkillKey as SkillKey
from ._disparity import DISPARITY_COLUMNS, disparity
from ._training import TRAINING_NEEDS_COLUMNS, training_needs
from ._training import NeedKey as NeedKey

# NeedKey and SkillKey (the reports' key types) stay importable from here, out of __all__, as
# when analysis was one module.
__all__ = [
    "DEMAND_SUPPLY_COLUMNS",
    "DISPARITY_COLUMNS",
    "TRAINING_NEEDS_COLUMNS",
    "UNKNOWN_GROUP",
    "demand_supply",
    "disparity",
    "training_needs",
]
