"""The datums of Vietnamese office files and the one datum shift to WGS 84 pinned for each.

Offices keep layers in VN-2000 (the national datum since 2001), in the older HN-72 (Hanoi
1972, Krassovsky ellipsoid) or in Indian 1960 (Everest 1830, southern maps before 1975). pyproj
would pick a datum shift by itself from the area of use of each EPSG operation, and for HN-72
and Indian 1960 those areas are small (Vũng Tàu; 14–18°N): elsewhere in Vietnam it silently
falls back to a "ballpark" shift that is hundreds of metres off. So every file in one of these
datums is rebuilt with one explicit shift, the same everywhere in the country:

- VN-2000: EPSG:6960 "VN-2000 to WGS 84 (2)" (7 parameters, coordinate frame; `+towgs84` is
  position vector, so the rotations change sign),
- HN-72: EPSG:1544 "Hanoi 1972 to WGS 84 (1)" (3 translations, 5 m),
- Indian 1960: EPSG:1542 "Indian 1960 to WGS 84 (2)" (3 translations, 44 m; the onshore one).

A datum is recognised from its name in any spelling (EPSG, ESRI `.prj` "D_Vietnam_2000",
"GCS_Hanoi_1972", GDAL's MapInfo "MIF 9999,…") or, when the name says nothing, from the
`+towgs84` translations a MapInfo CoordSys or a PROJ string carries.
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass

from pyproj import CRS
from pyproj.exceptions import CRSError

# EPSG:6960, coordinate frame: tx, ty, tz (m), rx, ry, rz (arc-seconds), ds (ppm).
EPSG_6960_CF = (
    -191.90441429,
    -39.30318279,
    -111.45032835,
    -0.00928836,
    0.01975479,
    -0.00427372,
    0.252906278,
)


def towgs84_position_vector(cf: tuple[float, ...] = EPSG_6960_CF) -> str:
    """`+towgs84=` parameters: the coordinate-frame rotations with their signs flipped."""
    tx, ty, tz, rx, ry, rz, ds = cf
    return ",".join(f"{v:.12g}" for v in (tx, ty, tz, -rx, -ry, -rz, ds))


TOWGS84 = towgs84_position_vector()


@dataclass(frozen=True)
class Datum:
    """A datum offices use: PROJ ellipsoid, the pinned `+towgs84` and the EPSG operation it is."""

    key: str
    name: str
    ellps: str
    towgs84: str
    operation: int
    spellings: tuple[str, ...]

    @property
    def translations(self) -> tuple[float, float, float]:
        tx, ty, tz = (float(v) for v in self.towgs84.split(",")[:3])
        return tx, ty, tz

    @property
    def shift_text(self) -> str:
        return f"EPSG:{self.operation} datum shift"


VN2000 = Datum(
    "vn2000", "VN-2000", "WGS84", TOWGS84, 6960,
    ("vn2000", "vietnam2000", "vn-2000"),
)  # fmt: skip
HN72 = Datum(
    "hn72", "HN-72", "krass", "-17.51,-108.32,-62.39,0,0,0,0", 1544,
    ("hanoi1972", "hn72", "hn-72"),
)  # fmt: skip
INDIAN1960 = Datum(
    "indian1960", "Indian 1960", "evrst30", "198,881,317,0,0,0,0", 1542, ("indian1960",)
)
DATUMS: tuple[Datum, ...] = (VN2000, HN72, INDIAN1960)
_DROP = {"datum", "ellps", "towgs84", "nadgrids", "a", "b", "rf", "f", "R", "type", "no_defs"}


def _params(crs: CRS) -> dict | None:
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            return crs.to_dict()
    except CRSError:
        return None


def _by_name(crs: CRS) -> Datum | None:
    names = [crs.name]
    if crs.datum is not None:
        names.append(crs.datum.name)
    if crs.source_crs is not None and crs.source_crs.datum is not None:
        names.append(crs.source_crs.datum.name)
    text = " ".join(names).lower().replace("_", "").replace(" ", "").replace("d-", "")
    return next((d for d in DATUMS if any(s in text for s in d.spellings)), None)


def _by_towgs84(crs: CRS) -> Datum | None:
    params = _params(crs) or {}
    raw = params.get("towgs84")
    if not raw:
        return None
    values = [float(v) for v in str(raw).split(",")] if isinstance(raw, str) else list(raw)
    if len(values) < 3:
        return None
    for datum in DATUMS:
        if all(abs(a - b) < 1.0 for a, b in zip(values[:3], datum.translations, strict=True)):
            return datum
    return None


def datum_of(crs: CRS) -> Datum | None:
    """The office datum of `crs` (VN-2000, HN-72, Indian 1960), or None (WGS 84 and others)."""
    return _by_name(crs) or _by_towgs84(crs)


def pin_datum_shift(crs: CRS) -> CRS:
    """`crs` rebuilt as a PROJ CRS with its datum's pinned shift, so a file lands in the same
    place whatever operation pyproj would have chosen; other CRSs are returned unchanged (and so
    are projections PROJ cannot write as a PROJ string)."""
    datum = datum_of(crs)
    if datum is None:
        return crs
    params = _params(crs)
    if not params or "proj" not in params:
        return crs
    parts = [f"+proj={params['proj']}"]
    for key, value in params.items():
        if key in _DROP or key == "proj":
            continue
        parts.append(f"+{key}" if value is None else f"+{key}={value}")
    parts += [f"+ellps={datum.ellps}", f"+towgs84={datum.towgs84}", "+no_defs", "+type=crs"]
    try:
        return CRS.from_proj4(" ".join(parts))
    except CRSError:
        return crs


def shift_of(crs: CRS) -> Datum | None:
    """The datum whose pinned shift `crs` carries (after `pin_datum_shift`), if any."""
    if not crs.is_bound:
        return None
    datum = _by_towgs84(crs)
    if datum is None:
        return None
    params = _params(crs) or {}
    raw = params.get("towgs84")
    text = raw if isinstance(raw, str) else ",".join(f"{v:.12g}" for v in raw or [])
    same = [float(v) for v in text.split(",")] == [float(v) for v in datum.towgs84.split(",")]
    return datum if same else None
