"""Where reprojected data lies: in Vietnam or not, in which province and district, and how far
from the province the user named.

A wrong CRS does not fail: it puts the data somewhere else (a VN-2000 file confirmed with the
wrong province's zone landed 192 km away, in the sea). So after every reprojection the landing
is checked against the gazetteer (atlas/gazetteer.py, extents of every pre-2025 commune and
province), from a sample of feature points rather than the data's centre, and the same check
ranks the candidate CRSs of a file that has none.

Without the gazetteer (a machine that skipped the set-up) nothing is claimed: `locate` says
only whether the data is inside Vietnam's box.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from functools import lru_cache

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from atlas import gazetteer
from atlas.ingest.model import Location
from atlas.ingest.names import name_key
from atlas.spec import Text

Box = gazetteer.Box

SAMPLE = 200  # feature points looked up; enough for a majority, cheap for 20+ candidates
ON_LAND_KM = 1.0  # a landing box this far from a named province's box is a problem
SAME_DISTRICT = 0.9  # share of points in one district for the pack to name it


@dataclass(frozen=True)
class _Communes:
    """The pre-2025 communes as arrays, for looking many points up at once."""

    lon: np.ndarray
    lat: np.ndarray
    box: np.ndarray  # (n, 4) min_lon, min_lat, max_lon, max_lat
    province: np.ndarray
    district: np.ndarray
    code: np.ndarray  # GSO commune codes
    key: np.ndarray  # name keys without the unit type (atlas.ingest.names.name_key)


@lru_cache(maxsize=2)
def communes(structure: str = "pre2025") -> _Communes | None:
    """The gazetteer's communes of one structure as arrays (None without the gazetteer)."""
    frame = gazetteer.units(structure, "commune")  # the order `gazetteer.place` indexes
    if not len(frame):
        return None
    return _Communes(
        lon=frame["lon"].to_numpy(float),
        lat=frame["lat"].to_numpy(float),
        box=frame[["min_lon", "min_lat", "max_lon", "max_lat"]].to_numpy(float),
        province=frame["province_code"].astype(str).to_numpy(),
        district=frame["district_code"].astype(str).to_numpy(),
        code=frame["code"].astype(str).to_numpy(),
        key=frame["name"].map(name_key).to_numpy(),
    )


@dataclass(frozen=True)
class Landing:
    """Per point: the commune index it falls in (or nearest), and whether a commune box holds
    it (False: off the map, e.g. in the sea)."""

    index: np.ndarray
    on_land: np.ndarray


def land(lon: np.ndarray, lat: np.ndarray, structure: str = "pre2025") -> Landing | None:
    """`gazetteer.place` for many points; `Landing.index` indexes `communes(structure)`."""
    hit = gazetteer.place(lon, lat, structure)
    return Landing(*hit) if hit is not None else None


def pick(geoms: gpd.GeoSeries, limit: int = SAMPLE) -> gpd.GeoSeries:
    """Up to `limit` evenly picked non-empty geometries."""
    valid = geoms[~(geoms.isna() | geoms.is_empty)]
    if len(valid) > limit:
        valid = valid.iloc[np.linspace(0, len(valid) - 1, limit).astype(int)]
    return valid


def points_of(geoms: gpd.GeoSeries) -> tuple[np.ndarray, np.ndarray]:
    """x, y of one point per geometry: its representative point (inside a polygon), or its
    extent's centre when GEOS cannot compute one (a broken, unrepaired geometry)."""
    try:
        points = geoms.representative_point()
        return points.x.to_numpy(float), points.y.to_numpy(float)
    except shapely.errors.GEOSException:
        b = geoms.bounds.to_numpy(float)
        return (b[:, 0] + b[:, 2]) / 2, (b[:, 1] + b[:, 3]) / 2


def sample_points(geoms: gpd.GeoSeries, limit: int = SAMPLE) -> tuple[np.ndarray, np.ndarray]:
    """x, y of up to `limit` evenly picked feature points."""
    return points_of(pick(geoms, limit))


def majority(values: np.ndarray) -> tuple[str, float]:
    counts = pd.Series(values).value_counts()
    return str(counts.index[0]), float(counts.iloc[0]) / len(values)


def _named(province: str | None, bounds: Box) -> gazetteer.Unit | None:
    """The named province, before or after 2025, whichever lies nearer the data ("Vĩnh Long"
    is a pre-2025 province and the 2025 one that took in Trà Vinh and Bến Tre)."""
    if not province:
        return None
    found = [gazetteer.find_province(province, s) for s in gazetteer.STRUCTURES]
    units = [u for u in found if u is not None]
    if not units:
        return None
    return min(units, key=lambda u: gazetteer.box_distance_km(bounds, u.bounds))


def locate(
    lon: np.ndarray,
    lat: np.ndarray,
    bounds: Box,
    province: str | None = None,
) -> Location:
    """Where the points (lon/lat, WGS 84) of data with lon/lat `bounds` lie, and how far from
    the named `province` (old or 2025 name, or GSO code), with a warning when that is off."""
    loc = _locate(lon, lat, bounds, province)
    text = problem_text(loc)
    return replace(loc, warning=Text(*text)) if text else loc


def _locate(
    lon: np.ndarray,
    lat: np.ndarray,
    bounds: Box,
    province: str | None,
) -> Location:
    named = _named(province, bounds)
    distance = gazetteer.box_distance_km(bounds, named.bounds) if named else None
    overlap = gazetteer.overlap_fraction(bounds, named.bounds) if named else None
    landing = land(lon, lat)
    if landing is None:
        inside = gazetteer.in_vietnam(bounds)
        return Location(inside, named_province=province, distance_km=distance, overlap=overlap)
    table = communes()
    assert table is not None
    code, _ = majority(table.province[landing.index])
    unit = gazetteer.get("pre2025", "province", code)
    district, share = majority(table.district[landing.index])
    dist_unit = gazetteer.get("pre2025", "district", district) if share >= SAME_DISTRICT else None
    nearest = [
        gazetteer.haversine_km(x, y, table.lon[i], table.lat[i])
        for x, y, i in zip(lon, lat, landing.index, strict=True)
    ]
    return Location(
        inside_vietnam=bool(landing.on_land.mean() >= 0.5),
        nearest_km=float(np.median(nearest)),
        province=unit.short_name if unit else None,
        province_code=code if unit else None,
        district=dist_unit.name if dist_unit else None,
        district_code=district if dist_unit else None,
        named_province=named.short_name if named else province,
        distance_km=distance,
        overlap=overlap,
    )


def problem_text(loc: Location) -> tuple[str, str] | None:
    """The bilingual warning for a landing that is off (outside Vietnam, or away from the named
    province), naming where the data does lie; None when the landing is fine."""
    where_vi = where_en = ""
    if loc.province:
        where_vi = f"; dữ liệu nằm ở tỉnh {loc.province}"
        where_en = f"; the data lies in {loc.province} province"
        if loc.district:
            where_vi += f" ({loc.district})"
            where_en += f" ({loc.district})"
    if not loc.inside_vietnam:
        near_vi = near_en = ""
        if loc.province and loc.nearest_km is not None:
            near_vi = f", cách tỉnh {loc.province} khoảng {loc.nearest_km:.0f} km"
            near_en = f", about {loc.nearest_km:.0f} km off {loc.province} province"
        if loc.named_province and loc.distance_km is not None:
            near_vi += f", cách tỉnh {loc.named_province} {loc.distance_km:.0f} km"
            near_en += f", {loc.distance_km:.0f} km from {loc.named_province} province"
        return (
            f"dữ liệu không nằm trên đất liền Việt Nam (có thể ở ngoài biển){near_vi}; hãy "
            "kiểm tra hệ toạ độ",
            f"the data does not lie on Vietnam's land (perhaps at sea){near_en}; check the CRS",
        )
    if loc.distance_km is not None and loc.distance_km > ON_LAND_KM:
        return (
            f"dữ liệu cách tỉnh {loc.named_province} {loc.distance_km:.0f} km{where_vi}; hãy "
            "kiểm tra hệ toạ độ và tỉnh đã chọn",
            f"the data lies {loc.distance_km:.0f} km from {loc.named_province} province"
            f"{where_en}; check the CRS and the province chosen",
        )
    return None
