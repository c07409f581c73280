"""The kernels' array layout: the one place that numbers columns, config entries and codes.

The encoder (``_encode.py``) writes arrays in this layout and the numba kernels (``_kernels/``)
read them; both import these constants, so that neither repeats a number of the other. Only
numpy is imported here. Numba reads a module-level integer or float as a compile-time constant,
so using these names in a kernel costs nothing at run time.

- ``CF_*``: the columns of ``CandidateArrays.features`` (float64; days as ordinals);
- ``VF_*``: the columns of ``VacancyArrays.features``;
- ``VR_*``: the columns of the vacancy rows the ranking kernels build from ``VF_*``;
- ``CFG_*``: the entries of the config vector (:func:`~._encode.config_vector`), with the tables
  of powers ``CFG_POW_*`` (entry ``CFG_POW_X + n`` is ``decay ** n``);
- ``REASON_*``: the bits of a pair's reasons mask (why it is not eligible);
- ``AUTH_*``: the authorisation classes of ``CF_AUTH_CLASS``; ``NO_DAY`` and ``LAST_DAY``: the
  day ordinals that stand for "no date" (from) and "no end" (until);
- ``HOURS_CODE``: working hours as the kernels compare them; ``ACTIVITIES``: the order of the four
  CEFR columns of the language level arrays.
"""

from __future__ import annotations

from typing import Final

import numpy as np

__all__ = [
    "ACTIVITIES",
    "AUTH_NEEDS_DATE",
    "AUTH_NORMAL",
    "AUTH_UNKNOWN",
    "CF_WIDTH",
    "CFG_SIZE",
    "HOURS_CODE",
    "LAST_DAY",
    "NO_DAY",
    "REASON_AUTHORISATION",
    "REASON_HOURS",
    "REASON_NOT_PREFERRED",
    "REASON_NO_OPENINGS",
    "REASON_OUT_OF_REACH",
    "VF_WIDTH",
    "VR_WIDTH",
]

# -- the candidates' feature columns ---------------------------------------------------------------
(
    CF_LAT, CF_LON, CF_REACH, CF_REGION, CF_AUTH_CLASS, CF_AUTH_FROM, CF_AUTH_UNTIL,
    CF_LANG_ABSENT, CF_EXP_FLOOR, CF_HOURS,
) = range(10)  # fmt: skip
CF_WIDTH: Final = CF_HOURS + 1

# -- the vacancies' feature columns ----------------------------------------------------------------
(
    VF_LAT, VF_LON, VF_REGION, VF_REMOTE, VF_START, VF_OPENINGS, VF_MIN_ISCED, VF_MIN_MONTHS,
    VF_OCCUPATION, VF_TRAINING, VF_HOURS,
) = range(11)  # fmt: skip
VF_WIDTH: Final = VF_HOURS + 1

# -- the vacancy rows of the ranking kernels ------------------------------------------------
# Columns of the per-vacancy rows the ranking kernels build (VR_WIDTH wide, float64): the fields
# examining a vacancy reads first come first, so that they share a cache line or two.
VR_ISCED, VR_START, VR_OPENINGS, VR_REMOTE, VR_LAT, VR_X, VR_Y, VR_Z = 0, 1, 2, 3, 4, 5, 6, 7
VR_RAD, VR_COS, VR_LON, VR_MONTHS, VR_TRAINING, VR_REGION, VR_HOURS, VR_OCC = range(8, 16)
VR_WIDTH: Final = 16

# -- the config vector -----------------------------------------------------------------------------
# The component weights (in the order of ``config.COMPONENTS``), then the scalar factors.
(
    CFG_W_SKILL, CFG_W_LANGUAGE, CFG_W_EDUCATION, CFG_W_LOCATION, CFG_W_EXPERIENCE,
    CFG_LEVEL_DECAY, CFG_LEVEL_UNKNOWN, CFG_CEFR_DECAY, CFG_LANGUAGE_UNKNOWN, CFG_LANG_SOFTEN,
    CFG_EDU_BELOW_DECAY, CFG_EDU_UNKNOWN, CFG_LOC_PENALTY, CFG_REGION_SAME, CFG_REGION_DIFFERENT,
    CFG_LOC_UNKNOWN, CFG_EXP_NEIGHBOUR, CFG_EXP_UNKNOWN, CFG_UNKNOWN_AUTH_OK,
) = range(19)  # fmt: skip
# Tables of powers, so that the kernels look decays up instead of calling pow per pair:
# entry CFG_POW_*+n is math.pow(decay, n), the very value the reference computes.
CFG_POW_LEVEL, CFG_POW_CEFR, CFG_POW_EDUCATION = 19, 28, 35  # 9, 7 and 9 entries
CFG_POW_LEVEL_N, CFG_POW_CEFR_N, CFG_POW_EDUCATION_N = 9, 7, 9
# The composition, the unjudged skill fit and the eligibility switches, after the tables.
CFG_GATE_FLOOR, CFG_GATE_SLOPE, CFG_SKILL_UNKNOWN, CFG_HOURS_MATCH, CFG_PREFERRED_ONLY = range(
    44, 49
)
CFG_SIZE: Final = 49

# -- reasons a pair is not eligible (bits of the reasons mask) ------------------------------------
REASON_AUTHORISATION: Final = 1
REASON_OUT_OF_REACH: Final = 2
REASON_NO_OPENINGS: Final = 4
REASON_HOURS: Final = 8
REASON_NOT_PREFERRED: Final = 16

# -- codes inside the feature columns --------------------------------------------------------------
#: Authorisation classes (``CF_AUTH_CLASS``).
AUTH_NORMAL, AUTH_NEEDS_DATE, AUTH_UNKNOWN = 0, 1, 2
#: "No date" for a day ordinal (``CF_AUTH_FROM``): the smallest int32, exact as float64.
NO_DAY: Final = float(np.iinfo(np.int32).min)
#: "No end" for a day ordinal (``CF_AUTH_UNTIL``): the largest int32, exact as float64.
LAST_DAY: Final = float(np.iinfo(np.int32).max)
#: Hours as the kernels compare them (0: any).
HOURS_CODE: Final = {"any": 0, "full_time": 1, "part_time": 2}
#: The CEFR activities, in the order of the columns of the language level arrays.
ACTIVITIES: Final[tuple[str, ...]] = ("listening", "reading", "spoken_interaction", "writing")

assert CFG_POW_LEVEL + CFG_POW_LEVEL_N == CFG_POW_CEFR
assert CFG_POW_CEFR + CFG_POW_CEFR_N == CFG_POW_EDUCATION
assert CFG_POW_EDUCATION + CFG_POW_EDUCATION_N == CFG_GATE_FLOOR
