"""Communes to join an upload against when no pack fits it: the gazetteer's communes of the
provinces the data lies in (or the province named), on the unit structure the rows fit.

A clerk importing a district nobody here made has no pack to join to; the GSO list of the
province's communes is the right reference then, and it is the same list whichever office
made the file. With geometry, the provinces are those most features lie in; a table has no
geometry, so its province must be named. Which structure (before or after 1 July 2025) is
decided by the rows themselves: the one more rows join to, by code and name.
"""

from __future__ import annotations

from collections import Counter

import numpy as np
import pandas as pd

from atlas import gazetteer
from atlas.ingest import location
from atlas.ingest.model import ColumnMapping, Inspection

COLUMNS = ["code", "name"]
MIN_SHARE = 0.05  # a province holding fewer of the sampled features is a neighbour's edge


def _empty(structure: str) -> pd.DataFrame:
    frame = pd.DataFrame({c: pd.Series(dtype=object) for c in COLUMNS})
    frame.attrs["structure"] = structure
    return frame


def provinces_of(lon: np.ndarray, lat: np.ndarray, structure: str = "pre2025") -> list[str]:
    """GSO codes of the provinces of `structure` that hold the points (most points first);
    points at sea or abroad count for none."""
    landing = location.land(np.asarray(lon, float), np.asarray(lat, float), structure)
    table = location.communes(structure)
    if landing is None or table is None or not landing.on_land.any():
        return []
    held = table.province[landing.index[landing.on_land]]
    counts = Counter(str(c) for c in held)
    total = len(landing.index)
    return [code for code, n in counts.most_common() if n / total >= MIN_SHARE]


def reference_provinces(
    province: str | None = None,
    points: tuple[np.ndarray, np.ndarray] | None = None,
    structure: str = "pre2025",
) -> list[str]:
    """Where the data lies when it has geometry, else the province named on `structure` (an
    old name on the new structure gives the new province it went into, a new name on the old
    structure every old province merged into it)."""
    if points is not None and len(points[0]):
        found = provinces_of(points[0], points[1], structure)
        if found:
            return found
    if not province:
        return []
    named = gazetteer.find_province(province, structure)
    if named is not None:
        return [named.code]
    other = gazetteer.find_province(province)
    if other is None:
        return []
    communes = gazetteer.units(other.structure, "commune")
    own = communes[communes["province_code"] == other.code]
    return provinces_of(own["lon"].to_numpy(float), own["lat"].to_numpy(float), structure)


def gazetteer_reference(
    province: str | None = None,
    points: tuple[np.ndarray, np.ndarray] | None = None,
    structure: str = "pre2025",
) -> pd.DataFrame:
    """`code`, `name` of the communes of `reference_provinces(...)`, with
    `attrs["structure"]`: empty when the province is unknown, the data lies nowhere in
    Vietnam, or the gazetteer is not generated."""
    codes = reference_provinces(province, points, structure)
    if not codes:
        return _empty(structure)
    communes = gazetteer.units(structure, "commune")
    rows = communes[communes["province_code"].isin(codes)]
    frame = rows[COLUMNS].astype(object).reset_index(drop=True)
    frame.attrs["structure"] = structure
    return frame


def district_reference(points: tuple[np.ndarray, np.ndarray]) -> pd.DataFrame:
    """The pre-2025 communes of the districts that hold the points (each at least `MIN_SHARE`
    of them): a name repeated in several districts of a province ("Xã An Phú") is unique in
    its own district. Empty when the points lie nowhere known."""
    landing = location.land(np.asarray(points[0], float), np.asarray(points[1], float))
    table = location.communes("pre2025")
    if landing is None or table is None or not landing.on_land.any():
        return _empty("pre2025")
    counts = Counter(str(c) for c in table.district[landing.index[landing.on_land]])
    total = len(landing.index)
    districts = [code for code, n in counts.items() if n / total >= MIN_SHARE]
    communes = gazetteer.units("pre2025", "commune")
    frame = communes[communes["district_code"].isin(districts)][COLUMNS].astype(object)
    frame = frame.reset_index(drop=True)
    frame.attrs["structure"] = "pre2025"
    return frame


def _candidates(province, points) -> list[pd.DataFrame]:
    """The references to try, broadest first: each structure's provinces, and the districts
    the features lie in (before 2025 only: there are no districts after)."""
    out = [gazetteer_reference(province, points, s) for s in gazetteer.STRUCTURES]
    if points is not None and len(points[0]):
        out.append(district_reference(points))
    return [ref for ref in out if not ref.empty]


def best_reference(
    data: pd.DataFrame,
    mapping: ColumnMapping,
    province: str | None = None,
    points: tuple[np.ndarray, np.ndarray] | None = None,
) -> pd.DataFrame:
    """The gazetteer reference more rows join to, by code and name (the broadest on a tie):
    a table of the new communes joins to the new communes, never to the old ones that had the
    same codes, and names repeated across a province's districts join within their own."""
    from atlas.ingest.join import join_communes  # join imports this package's modules

    best, best_score = None, -1
    for ref in _candidates(province, points):
        result = join_communes(data, ref, mapping, structure=ref.attrs["structure"])
        counts = result.counts()
        score = -1 if result.problem else counts["code"] + counts["name"]
        if score > best_score:
            best, best_score = ref, score
    return best if best is not None else _empty("pre2025")


def reference_for(
    inspection: Inspection, mapping: ColumnMapping | None = None, province: str | None = None
) -> pd.DataFrame:
    """`best_reference` for an upload: its features' points (a sample), or `province` for a
    table; the columns are the ones suggested from the values when no `mapping` is given."""
    from atlas.ingest.mapping import suggest_mapping

    data = inspection.data
    if data is None:
        return _empty("pre2025")
    if mapping is None:
        mapping = suggest_mapping(inspection.columns, data, None)
    points = None
    if inspection.frame is not None:
        points = location.sample_points(inspection.frame.geometry)
    return best_reference(data, mapping, province, points)
