"""Communes to join an upload against when no pack is given: the gazetteer's communes of the
province the data lies in (or is said to be in), on either unit structure.

A clerk importing a district nobody here made has no pack to join to; the GSO list of the
province's communes is the right reference then, and it is the same list whichever office
made the file. With geometry, the provinces are those the features lie in (a feature's centre
in a commune's extent); a table has no geometry, so its province must be named.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence

import pandas as pd

from atlas import gazetteer

COLUMNS = ["code", "name"]
MAX_POINTS = 200  # features sampled to find the provinces: enough for a share, bounded work
MIN_SHARE = 0.05  # a province holding fewer of the sampled features is a neighbour's edge


def _empty() -> pd.DataFrame:
    return pd.DataFrame({c: pd.Series(dtype=object) for c in COLUMNS})


def _sample(points: Sequence[tuple[float, float]]) -> list[tuple[float, float]]:
    step = max(1, len(points) // MAX_POINTS)
    return list(points[::step])[:MAX_POINTS]


def provinces_of(
    points: Sequence[tuple[float, float]], structure: str = "pre2025"
) -> list[gazetteer.Unit]:
    """The provinces of `structure` that hold the points (lon, lat), most points first; a
    point at sea or abroad counts for none."""
    counts: Counter[str] = Counter()
    sample = _sample(points)
    for lon, lat in sample:
        if not gazetteer.on_land(lon, lat, structure):
            continue
        hit = gazetteer.commune_at(lon, lat, structure)
        if hit is not None:
            counts[hit[0].province_code] += 1
    total = max(1, len(sample))
    out = []
    for code, n in counts.most_common():
        unit = gazetteer.get(structure, "province", code)
        if unit is not None and n / total >= MIN_SHARE:
            out.append(unit)
    return out


def reference_provinces(
    province: str | None = None,
    points: Sequence[tuple[float, float]] | None = None,
    structure: str = "pre2025",
) -> list[gazetteer.Unit]:
    """Where the data lies when it has geometry, else the province named (an old name on the
    new structure gives the new province it went into, a new name on the old structure every
    old province merged into it)."""
    if points:
        found = provinces_of(points, structure)
        if found:
            return found
    named = gazetteer.find_province(province, structure) if province else None
    if named is not None:
        return [named]
    other = gazetteer.find_province(province) if province else None
    if other is None:
        return []
    communes = gazetteer.units(other.structure, "commune")
    own = communes[communes["province_code"] == other.code]
    return provinces_of(list(zip(own["lon"], own["lat"], strict=True)), structure)


def gazetteer_reference(
    province: str | None = None,
    points: Sequence[tuple[float, float]] | None = None,
    structure: str = "pre2025",
) -> pd.DataFrame:
    """`code`, `name` of the communes of `reference_provinces(...)`: empty when the province
    is unknown, the data lies nowhere in Vietnam, or the gazetteer is not generated."""
    units = reference_provinces(province, points, structure)
    if not units:
        return _empty()
    communes = gazetteer.units(structure, "commune")
    rows = communes[communes["province_code"].isin([u.code for u in units])]
    return rows[COLUMNS].astype(object).reset_index(drop=True)
