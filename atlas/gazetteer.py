"""Where Vietnam's administrative units are: codes, names, types and lon/lat extents of the
provinces, districts and communes before 1 July 2025 and of the provinces and communes after.

The data is `geodata/crosswalk/gazetteer.csv`, generated at set-up (`make prepare`) from the
installed PyPI package `vietnamadminunits` by `geodata/build_gazetteer.py`; nothing here touches
the network or the package. Extents are boxes, good for "does this file lie in Trà Vinh?" and
"which province is this point in?", not for drawing.

Every function works without the file too (it is missing only on a machine that skipped the
set-up): then `available()` is False and the lookups find nothing, so callers degrade to
saying less, never to saying something wrong.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import numpy as np
import pandas as pd

from atlas.text import fold

GAZETTEER_FILE = Path(__file__).resolve().parent.parent / "geodata" / "crosswalk" / "gazetteer.csv"
# The file's columns, in order (geodata/build_gazetteer.py writes them from this list).
COLUMNS = [
    "structure",
    "level",
    "code",
    "name",
    "type",
    "province_code",
    "district_code",
    "lat",
    "lon",
    "min_lon",
    "min_lat",
    "max_lon",
    "max_lat",
]
_NUMBERS = ("lat", "lon", "min_lon", "min_lat", "max_lon", "max_lat")
STRUCTURES = ("pre2025", "post2025")
Box = tuple[float, float, float, float]  # min_lon, min_lat, max_lon, max_lat
# Vietnam's mainland and near islands with a margin, for when the gazetteer is missing.
VIETNAM_BOX: Box = (102.0, 8.2, 110.0, 23.5)
_PROVINCE_PREFIXES = ("tinh ", "thanh pho ", "tp. ", "tp ", "province ", "city ")


@dataclass(frozen=True)
class Unit:
    """One administrative unit: `structure` pre2025/post2025, `level` province/district/
    commune, GSO `code`, Vietnamese `name` ("Tỉnh Trà Vinh", "Xã Mỹ Cẩm"), its `type`
    ("Xã", "Phường", "Thị trấn", "Huyện" …), parents' codes, reference point and extent."""

    structure: str
    level: str
    code: str
    name: str
    type: str
    province_code: str
    district_code: str
    lat: float
    lon: float
    bounds: Box

    @property
    def short_name(self) -> str:
        """The name without "Tỉnh"/"Thành phố": "Trà Vinh", "Hồ Chí Minh"."""
        for prefix in ("Tỉnh ", "Thành phố "):
            if self.level == "province" and self.name.startswith(prefix):
                return self.name[len(prefix) :]
        return self.name


@lru_cache(maxsize=2)
def _read(path: str) -> pd.DataFrame:
    if not Path(path).is_file():
        return pd.DataFrame({c: pd.Series(dtype=object) for c in COLUMNS})
    frame = pd.read_csv(
        path,
        comment="#",
        dtype={c: str for c in COLUMNS if c not in _NUMBERS},
        keep_default_na=False,
        encoding="utf-8",
    )
    for col in _NUMBERS:
        frame[col] = pd.to_numeric(frame[col], errors="coerce")
    return frame


def available(path: Path | str | None = None) -> bool:
    return len(_read(str(path or GAZETTEER_FILE))) > 0


def units(
    structure: str | None = None, level: str | None = None, path: Path | str | None = None
) -> pd.DataFrame:
    """The units of one structure and level (both optional), as a frame of `COLUMNS`."""
    frame = _read(str(path or GAZETTEER_FILE))
    mask = np.ones(len(frame), dtype=bool)
    if structure:
        mask &= (frame["structure"] == structure).to_numpy()
    if level:
        mask &= (frame["level"] == level).to_numpy()
    return frame[mask]


def _unit(row: pd.Series) -> Unit:
    return Unit(
        structure=str(row["structure"]),
        level=str(row["level"]),
        code=str(row["code"]),
        name=str(row["name"]),
        type=str(row["type"]),
        province_code=str(row["province_code"]),
        district_code=str(row["district_code"]),
        lat=float(row["lat"]),
        lon=float(row["lon"]),
        bounds=(
            float(row["min_lon"]),
            float(row["min_lat"]),
            float(row["max_lon"]),
            float(row["max_lat"]),
        ),
    )


def get(structure: str, level: str, code: str, path: Path | str | None = None) -> Unit | None:
    frame = units(structure, level, path)
    hit = frame[frame["code"] == str(code)]
    return _unit(hit.iloc[0]) if len(hit) else None


def province_key(text: str) -> str:
    """A province name for comparison: "Tỉnh Trà Vinh", "tra vinh", "TP. HCM" → "tra vinh"."""
    key = fold(str(text)).replace("-", " ").replace("–", " ")
    for prefix in _PROVINCE_PREFIXES:
        if key.startswith(prefix):
            key = key[len(prefix) :]
    key = " ".join(key.replace(" province", "").replace(" city", "").split())
    return {"hcm": "ho chi minh", "tphcm": "ho chi minh", "sai gon": "ho chi minh"}.get(key, key)


def find_province(
    text: str | None, structure: str | None = None, path: Path | str | None = None
) -> Unit | None:
    """A province by GSO code or name, pre-2025 first unless `structure` says which.

    A code names a pre-2025 province when one has it (codes of the 34 provinces are codes of
    the old ones they kept), else a post-2025 one."""
    if not text or not str(text).strip():
        return None
    raw = str(text).strip()
    order = (structure,) if structure else STRUCTURES
    for struct in order:
        frame = units(struct, "province", path)
        if raw.isdigit():
            hit = frame[frame["code"] == raw.zfill(2)]
        else:
            key = province_key(raw)
            hit = frame[frame["name"].map(province_key) == key]
        if len(hit):
            return _unit(hit.iloc[0])
    return None


def provinces(structure: str = "pre2025", path: Path | str | None = None) -> list[Unit]:
    frame = units(structure, "province", path)
    return [_unit(row) for _, row in frame.iterrows()]


def vietnam_bounds(path: Path | str | None = None) -> Box:
    frame = units("pre2025", "province", path)
    if not len(frame):
        return VIETNAM_BOX
    return (
        float(frame["min_lon"].min()),
        float(frame["min_lat"].min()),
        float(frame["max_lon"].max()),
        float(frame["max_lat"].max()),
    )


def haversine_km(lon1: float, lat1: float, lon2: float, lat2: float) -> float:
    r = 6371.0088
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * r * math.asin(min(1.0, math.sqrt(a)))


def box_distance_km(a: Box, b: Box) -> float:
    """0 when the boxes overlap, else the distance between their nearest points."""
    dx_lon = max(b[0] - a[2], a[0] - b[2], 0.0)
    dy_lat = max(b[1] - a[3], a[1] - b[3], 0.0)
    if dx_lon == 0 and dy_lat == 0:
        return 0.0
    lat = (max(a[1], b[1]) + min(a[3], b[3])) / 2
    return haversine_km(0.0, lat, dx_lon, lat + dy_lat)


def overlap_fraction(a: Box, b: Box) -> float:
    """How much of box `a` lies inside box `b` (0…1, by area in degrees; a point: 0 or 1)."""
    w = min(a[2], b[2]) - max(a[0], b[0])
    h = min(a[3], b[3]) - max(a[1], b[1])
    if w < 0 or h < 0:
        return 0.0
    area = (a[2] - a[0]) * (a[3] - a[1])
    if area <= 0:
        return 1.0
    return max(0.0, w) * max(0.0, h) / area


def in_vietnam(bounds: Box, path: Path | str | None = None) -> bool:
    """Whether the box's centre lies within Vietnam's extent (with a 0.5° margin)."""
    vn = vietnam_bounds(path)
    cx, cy = (bounds[0] + bounds[2]) / 2, (bounds[1] + bounds[3]) / 2
    return vn[0] - 0.5 <= cx <= vn[2] + 0.5 and vn[1] - 0.5 <= cy <= vn[3] + 0.5


@lru_cache(maxsize=4)
def _arrays(structure: str, path: str) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Reference points (lon, lat) and extents (n, 4) of one structure's communes, in the
    order of `units(structure, "commune")`."""
    frame = units(structure, "commune", path)
    boxes = frame[["min_lon", "min_lat", "max_lon", "max_lat"]].to_numpy(float)
    return frame["lon"].to_numpy(float), frame["lat"].to_numpy(float), boxes


def place(
    lon: np.ndarray,
    lat: np.ndarray,
    structure: str = "pre2025",
    path: Path | str | None = None,
) -> tuple[np.ndarray, np.ndarray] | None:
    """Which commune each point (lon, lat arrays) most likely lies in, as positions in
    `units(structure, "commune")`, and whether some commune's extent holds it (False: at sea
    or abroad). Among the communes whose extent holds a point, the one whose reference point
    is nearest; when none holds it, the nearest reference point overall. None without the
    gazetteer. Vectorised in blocks, so a few hundred points cost milliseconds."""
    ref_lon, ref_lat, box = _arrays(structure, str(path or GAZETTEER_FILE))
    lon, lat = np.atleast_1d(np.asarray(lon, float)), np.atleast_1d(np.asarray(lat, float))
    if not len(ref_lon) or not len(lon):
        return None
    index = np.empty(len(lon), dtype=int)
    held = np.zeros(len(lon), dtype=bool)
    for start in range(0, len(lon), 64):
        x, y = lon[start : start + 64, None], lat[start : start + 64, None]
        inside = (box[:, 0] <= x) & (x <= box[:, 2]) & (box[:, 1] <= y) & (y <= box[:, 3])
        dx = (ref_lon - x) * np.cos(np.radians(y))  # equirectangular: enough to rank
        d2 = dx * dx + (ref_lat - y) ** 2
        has = inside.any(axis=1)
        d2 = np.where(inside | ~has[:, None], d2, np.inf)
        index[start : start + 64] = np.argmin(d2, axis=1)
        held[start : start + 64] = has
    return index, held


def commune_at(
    lon: float, lat: float, structure: str = "pre2025", path: Path | str | None = None
) -> tuple[Unit, float] | None:
    """The commune a point most likely lies in (`place`), and the distance (km) to its
    reference point (large when the point is off the map)."""
    hit = place(lon, lat, structure, path)
    if hit is None:
        return None
    unit = _unit(units(structure, "commune", path).iloc[int(hit[0][0])])
    return unit, haversine_km(lon, lat, unit.lon, unit.lat)


def on_land(
    lon: float, lat: float, structure: str = "pre2025", path: Path | str | None = None
) -> bool:
    """Whether some commune's extent holds the point (False at sea, abroad, or without the
    gazetteer)."""
    hit = place(lon, lat, structure, path)
    return bool(hit is not None and hit[1][0])


def province_at(
    lon: float, lat: float, structure: str = "pre2025", path: Path | str | None = None
) -> Unit | None:
    """The province of `commune_at` (None without the gazetteer)."""
    hit = commune_at(lon, lat, structure, path)
    if hit is None:
        return None
    return get(structure, "province", hit[0].province_code, path)


def district_at(lon: float, lat: float, path: Path | str | None = None) -> Unit | None:
    """The pre-2025 district of `commune_at`."""
    hit = commune_at(lon, lat, "pre2025", path)
    if hit is None:
        return None
    return get("pre2025", "district", hit[0].district_code, path)
