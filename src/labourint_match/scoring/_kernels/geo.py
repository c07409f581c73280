"""Geography for the kernels: great-circle distances, reach tests, and cells of latitude.

:func:`haversine_km` is the distance every kernel uses (the same operations as the reference);
the ranking kernels test reach on unit vectors and chords first (:func:`_chord2`, :func:`_reach`)
and find the vacancies near a candidate in cells of ``CELL_DEG`` degrees of latitude
(:func:`_cells`, :func:`_near`).
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np

from ..._numba import jit
from .._layout import (
    REASON_OUT_OF_REACH,
    VF_LAT,
    VF_LON,
    VF_REMOTE,
    VR_COS,
    VR_LAT,
    VR_LON,
    VR_RAD,
    VR_X,
    VR_Y,
    VR_Z,
)

EARTH_RADIUS_KM = 6371.0088
KM_PER_DEGREE_LAT = 111.0  # a lower bound: one degree of latitude is at least 110.57 km
CELL_DEG = 0.1  # ranking by candidate finds vacancies near a candidate in cells of this latitude
N_CELLS = 1801  # cells of latitude from the south pole: one to spare (_cell(90.0) is 1799)


@jit
def haversine_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance in km."""
    p1 = math.radians(lat1)
    p2 = math.radians(lat2)
    dp = p2 - p1
    dl = math.radians(lon2 - lon1)
    h = math.sin(dp / 2.0) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2.0) ** 2
    return 2.0 * EARTH_RADIUS_KM * math.asin(min(1.0, math.sqrt(h)))


@jit(inline=True)
def _anywhere(vf: Any, v: int) -> bool:
    """Whether vacancy `v` is within everyone's reach: remote, or without coordinates."""
    return bool(vf[v, VF_REMOTE] != 0.0 or math.isnan(vf[v, VF_LAT]))


@jit(inline=True)
def _chord2(vr: Any, r: int, c_x: float, c_y: float, c_z: float) -> float:
    """Squared chord between a candidate's unit vector and that of the vacancy of row `r`."""
    dx = c_x - vr[r, VR_X]
    dy = c_y - vr[r, VR_Y]
    dz = c_z - vr[r, VR_Z]
    return float(dx * dx + dy * dy + dz * dz)


@jit(inline=True)
def _reach(
    vr: Any, r: int, c_lat: float, c_lon: float, c_rad: float, c_cos: float,
    chord2: float, reach: float, h_out: float, h_far: float,
) -> tuple[int, float]:  # fmt: skip
    """(``REASON_OUT_OF_REACH`` or 0, distance or -1) of a candidate and the vacancy of row `r`.

    For an on-site vacancy with coordinates (columns VR_*). Pairs surely out of reach are told
    by latitude, then by the squared chord between the unit vectors (:func:`_chord2`), before
    any haversine distance (computed with the same operations as :func:`haversine_km`).
    """
    if abs(c_lat - vr[r, VR_LAT]) * KM_PER_DEGREE_LAT > reach:
        return REASON_OUT_OF_REACH, -1.0
    if chord2 * 0.25 > h_far:
        return REASON_OUT_OF_REACH, -1.0  # the chord alone puts it beyond reach
    dp = vr[r, VR_RAD] - c_rad
    dl = math.radians(vr[r, VR_LON] - c_lon)
    h = math.sin(dp / 2.0) ** 2 + c_cos * vr[r, VR_COS] * math.sin(dl / 2.0) ** 2
    if h > h_out:
        return REASON_OUT_OF_REACH, -1.0  # the distance would exceed the reach
    distance = 2.0 * EARTH_RADIUS_KM * math.asin(min(1.0, math.sqrt(h)))
    if distance > reach:
        return REASON_OUT_OF_REACH, -1.0
    return 0, distance


@jit
def _cells(vf: Any, placed: Any) -> tuple[Any, Any, Any]:
    """The vacancies `placed` (on site, with coordinates) in cells of latitude, for :func:`_near`.

    Returns ``cell_ip`` (where each cell of :func:`_cell` starts), ``cell_v`` (the vacancies, cell
    by cell, by longitude within each) and ``cell_lon`` (their longitudes).
    """
    n_placed = placed.shape[0]
    cell_ip = np.zeros(N_CELLS + 1, dtype=np.int64)
    for v in placed:
        cell_ip[_cell(vf[v, VF_LAT]) + 1] += 1
    for i in range(N_CELLS):
        cell_ip[i + 1] += cell_ip[i]
    # By longitude, then (a stable sort) by cell.
    lons = np.empty(n_placed, dtype=np.float64)
    for j in range(n_placed):
        lons[j] = vf[placed[j], VF_LON]
    by_lon = placed[np.argsort(lons, kind="mergesort")]
    cells = np.empty(n_placed, dtype=np.int64)
    for j in range(n_placed):
        cells[j] = _cell(vf[by_lon[j], VF_LAT])
    cell_v = by_lon[np.argsort(cells, kind="mergesort")]
    cell_lon = np.empty(n_placed, dtype=np.float64)
    for j in range(n_placed):
        cell_lon[j] = vf[cell_v[j], VF_LON]
    return cell_ip, cell_v, cell_lon


@jit(inline=True)
def _cell(lat: float) -> int:
    """Cell of a latitude in [-90, 90]: ``CELL_DEG`` degrees each from the south pole (monotone)."""
    return min(N_CELLS - 1, max(0, int((lat + 90.0) // CELL_DEG)))


@jit
def _lon_half_width(c_rad: float, radius: float) -> float:
    """Half the longitudes' span, in degrees, within `radius` km of a point at latitude `c_rad`.

    `c_rad` is in radians; the span is widened a little, and inf when that disc reaches a pole.
    On a sphere, the points within an angle δ of a point at latitude φ lie within
    ``asin(sin δ / cos φ)`` of its longitude when ``|φ| + δ < π/2`` (the meridians tangent to the
    disc). The margins (relative 1e-6 on δ and on the result) are far above rounding, in this
    and in the distance computed for a pair.
    """
    delta = radius / EARTH_RADIUS_KM * (1.0 + 1e-6) + 1e-12
    phi = abs(c_rad)
    if phi + delta >= math.pi / 2.0 - 1e-6:
        return math.inf
    half = math.asin(min(1.0, math.sin(delta) / math.cos(phi)))
    return float(math.degrees(half) * (1.0 + 1e-6) + 1e-9)


@jit(inline=True)
def _near(
    out: Any, cell_ip: Any, cell_v: Any, cell_lon: Any,
    c_lat: float, c_lon: float, c_rad: float, radius: float,
) -> int:  # fmt: skip
    """Fill `out` with the placed vacancies that may lie within `radius` km of a point.

    Returns how many; `radius` >= 0. A superset: the latitude band (``KM_PER_DEGREE_LAT`` km per
    degree at least) in whole cells, and in each the longitudes of :func:`_lon_half_width`, or all
    of them when that span crosses the antimeridian or reaches a pole (stored longitudes are within
    [-180, 180], as ``Location`` validates them).
    """
    lat_q = radius / KM_PER_DEGREE_LAT * (1.0 + 1e-9) + 1e-9
    half = _lon_half_width(c_rad, radius)
    lon_lo = c_lon - half
    lon_hi = c_lon + half
    if lon_lo < -180.0 or lon_hi > 180.0:
        lon_lo = -math.inf
        lon_hi = math.inf
    n = 0
    for cc in range(_cell(c_lat - lat_q), _cell(c_lat + lat_q) + 1):
        lo = cell_ip[cc]
        hi = cell_ip[cc + 1]
        a = lo + np.searchsorted(cell_lon[lo:hi], lon_lo, side="left")
        b = lo + np.searchsorted(cell_lon[lo:hi], lon_hi, side="right")
        for x in range(a, b):
            out[n] = cell_v[x]
            n += 1
    return n


@jit
def _unit_vector(lat: float, lon: float) -> tuple[float, float, float]:
    """The point at (lat, lon) on the unit sphere (NaN coordinates give NaN)."""
    p = math.radians(lat)
    q = math.radians(lon)
    return math.cos(p) * math.cos(q), math.cos(p) * math.sin(q), math.sin(p)


@jit
def _haversine_limit(reach: float) -> float:
    """A value of the haversine term ``h`` above which the distance surely exceeds `reach`.

    ``2 R asin(sqrt(h)) > reach`` exactly when ``h > sin(reach / 2R)**2``; the margin (relative
    1e-6, far above the few ulps of rounding in either computation) keeps the test conservative.
    """
    if math.isnan(reach):
        return reach  # no comparison holds: the distance is computed, as eligibility() does
    if reach < 0.0:
        return -1.0
    half = reach / (2.0 * EARTH_RADIUS_KM)
    if half >= math.pi / 2.0:
        return math.inf
    return float(math.sin(half) ** 2 * (1.0 + 1e-6))
