"""VN-2000: provincial TM-3 zones, the datum shift to WGS 84, and resolving what users type.

Central meridians: Circular 973/2001/TT-TCĐC (appendix of provincial central meridians), for
the 63 pre-2025 provinces, keyed by their GSO code. Every meridian of that list has an EPSG
projected CRS (5897–5899, 9205–9218), so a zone is always "EPSG:xxxx" plus our explicit datum
shift: pyproj would otherwise pick a VN-2000 → WGS 84 operation by itself, which may differ
between PROJ versions and grids.

Datum shift: EPSG:6960 "VN-2000 to WGS 84 (2)", a 7-parameter Helmert in the *coordinate
frame* convention. PROJ's `+towgs84` is *position vector*, so the three rotations change sign
(translations and scale do not). `tests/test_ingest_vn2000.py` checks the result against
pyproj's own EPSG:6960 pipeline. The shift and those of HN-72 and Indian 1960 live in
atlas/ingest/datums.py; the other office systems, and ranking candidates for metres without a
CRS by where the data lands, in atlas/ingest/systems.py.
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass

from pyproj import CRS
from pyproj.exceptions import CRSError

from atlas.ingest.datums import (
    EPSG_6960_CF,
    TOWGS84,
    datum_of,
    pin_datum_shift,
    shift_of,
    towgs84_position_vector,
)
from atlas.ingest.model import ZoneProposal
from atlas.spec import Text
from atlas.text import fold

__all__ = ["EPSG_6960_CF", "TOWGS84", "towgs84_position_vector"]

# Central meridian (degrees) → EPSG code of "VN-2000 / TM-3 …".
ZONE_EPSG: dict[float, int] = {
    102.0: 5896,
    103.0: 9205,
    104.0: 9206,
    104.5: 9207,
    104.75: 9208,
    105.0: 5897,
    105.5: 9209,
    105.75: 9210,
    106.0: 9211,
    106.25: 9212,
    106.5: 9213,
    107.0: 9214,
    107.25: 9215,
    107.5: 9216,
    107.75: 5899,
    108.0: 5898,
    108.25: 9217,
    108.5: 9218,
}


@dataclass(frozen=True)
class Province:
    """A pre-2025 province: GSO code, Vietnamese name, VN-2000 central meridian (degrees)."""

    code: str
    name: str
    central_meridian: float

    @property
    def meridian_text(self) -> str:
        deg = int(self.central_meridian)
        minutes = round((self.central_meridian - deg) * 60)
        return f"{deg}°{minutes:02d}′"


_P = Province
# Circular 973/2001/TT-TCĐC, by GSO province code (pre-2025).
PROVINCES: tuple[Province, ...] = (
    _P("01", "Hà Nội", 105.0),
    _P("02", "Hà Giang", 105.5),
    _P("04", "Cao Bằng", 105.75),
    _P("06", "Bắc Kạn", 106.5),
    _P("08", "Tuyên Quang", 106.0),
    _P("10", "Lào Cai", 104.75),
    _P("11", "Điện Biên", 103.0),
    _P("12", "Lai Châu", 103.0),
    _P("14", "Sơn La", 104.0),
    _P("15", "Yên Bái", 104.75),
    _P("17", "Hòa Bình", 106.0),
    _P("19", "Thái Nguyên", 106.5),
    _P("20", "Lạng Sơn", 107.25),
    _P("22", "Quảng Ninh", 107.75),
    _P("24", "Bắc Giang", 107.0),
    _P("25", "Phú Thọ", 104.75),
    _P("26", "Vĩnh Phúc", 105.0),
    _P("27", "Bắc Ninh", 105.5),
    _P("30", "Hải Dương", 105.5),
    _P("31", "Hải Phòng", 105.75),
    _P("33", "Hưng Yên", 105.5),
    _P("34", "Thái Bình", 105.5),
    _P("35", "Hà Nam", 105.0),
    _P("36", "Nam Định", 105.5),
    _P("37", "Ninh Bình", 105.0),
    _P("38", "Thanh Hóa", 105.0),
    _P("40", "Nghệ An", 104.75),
    _P("42", "Hà Tĩnh", 105.5),
    _P("44", "Quảng Bình", 106.0),
    _P("45", "Quảng Trị", 106.25),
    _P("46", "Thừa Thiên Huế", 107.0),
    _P("48", "Đà Nẵng", 107.75),
    _P("49", "Quảng Nam", 107.75),
    _P("51", "Quảng Ngãi", 108.0),
    _P("52", "Bình Định", 108.25),
    _P("54", "Phú Yên", 108.5),
    _P("56", "Khánh Hòa", 108.25),
    _P("58", "Ninh Thuận", 108.25),
    _P("60", "Bình Thuận", 108.5),
    _P("62", "Kon Tum", 107.5),
    _P("64", "Gia Lai", 108.5),
    _P("66", "Đắk Lắk", 108.5),
    _P("67", "Đắk Nông", 108.5),
    _P("68", "Lâm Đồng", 107.75),
    _P("70", "Bình Phước", 106.25),
    _P("72", "Tây Ninh", 105.5),
    _P("74", "Bình Dương", 105.75),
    _P("75", "Đồng Nai", 107.75),
    _P("77", "Bà Rịa - Vũng Tàu", 107.75),
    _P("79", "Hồ Chí Minh", 105.75),
    _P("80", "Long An", 105.75),
    _P("82", "Tiền Giang", 105.75),
    _P("83", "Bến Tre", 105.75),
    _P("84", "Trà Vinh", 105.5),
    _P("86", "Vĩnh Long", 105.5),
    _P("87", "Đồng Tháp", 105.0),
    _P("89", "An Giang", 104.75),
    _P("91", "Kiên Giang", 104.5),
    _P("92", "Cần Thơ", 105.0),
    _P("93", "Hậu Giang", 105.0),
    _P("94", "Sóc Trăng", 105.5),
    _P("95", "Bạc Liêu", 105.0),
    _P("96", "Cà Mau", 104.5),
)
_BY_CODE = {p.code: p for p in PROVINCES}
_PREFIXES = ("tinh ", "thanh pho ", "tp. ", "tp ", "province ", "city ")


def _key(name: str) -> str:
    key = fold(name).replace("-", " ").replace("–", " ")
    for prefix in _PREFIXES:
        if key.startswith(prefix):
            key = key[len(prefix) :]
    key = " ".join(key.replace(" province", "").replace(" city", "").split())
    return {"ho chi minh": "ho chi minh", "hcm": "ho chi minh", "tphcm": "ho chi minh"}.get(
        key, key
    )


def find_province(text: str | None) -> Province | None:
    """A pre-2025 province from its GSO code ("84") or its name in any case/diacritics form."""
    if not text or not str(text).strip():
        return None
    raw = str(text).strip()
    if raw.isdigit():
        return _BY_CODE.get(raw.zfill(2))
    key = _key(raw)
    return next((p for p in PROVINCES if _key(p.name) == key), None)


def zone_proj(central_meridian: float) -> str:
    """The PROJ string of a TM-3 zone with the EPSG:6960 datum shift."""
    return (
        f"+proj=tmerc +lat_0=0 +lon_0={central_meridian:g} +k=0.9999 +x_0=500000 +y_0=0 "
        f"+ellps=WGS84 +towgs84={TOWGS84} +units=m +no_defs +type=crs"
    )


def zone_proposal(province: Province, named: bool = True) -> ZoneProposal:
    """The TM-3 zone of `province`; `named` False leaves the province out of the label (for a
    zone proposed because of where the data lands, not because of that province)."""
    cm = province.central_meridian
    epsg = ZONE_EPSG.get(cm)
    suffix = f", EPSG:{epsg}" if epsg else ""
    of_vi = f" (tỉnh {province.name})" if named else ""
    of_en = f" ({province.name} province)" if named else ""
    label = Text(
        f"VN-2000 TM-3 kinh tuyến trục {province.meridian_text}{of_vi}{suffix}",
        f"VN-2000 TM-3 central meridian {province.meridian_text}{of_en}{suffix}",
    )
    return ZoneProposal(province.name, cm, epsg, zone_proj(cm), label)


def province_zone(province: str) -> ZoneProposal | None:
    """The zone of a province given by GSO code or name; post-2025 names are not handled here
    (see `propose_zones`, which maps them through the 2025 crosswalk)."""
    found = find_province(province)
    return zone_proposal(found) if found else None


def with_datum_shift(crs: CRS) -> CRS:
    """A CRS in an office datum (VN-2000, HN-72, Indian 1960; EPSG code, .prj WKT, MapInfo
    CoordSys, PROJ) rebuilt with that datum's pinned shift (atlas.ingest.datums), so every
    file lands in the same place whatever operation pyproj would have chosen. Other CRSs are
    returned unchanged."""
    return pin_datum_shift(crs)


def _unnamed(source: CRS) -> str:
    """A name for a CRS built from a PROJ string: "EPSG:9209 (VN-2000 TM-3 105.5°)"."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            params = source.to_dict()
    except CRSError:
        return source.name
    datum = datum_of(source)
    family = datum.name if datum else "WGS 84"
    lon_0 = params.get("lon_0")
    if params.get("proj") == "tmerc" and lon_0 is not None and params.get("k") == 0.9999:
        cm = ZONE_EPSG.get(float(lon_0))
        return f"EPSG:{cm} ({family} TM-3 {lon_0:g}°)" if cm else f"{family} TM-3 {lon_0:g}°"
    if params.get("proj") == "utm":
        return f"{family} UTM {params.get('zone')}N"
    if params.get("proj") == "tmerc" and lon_0 is not None:
        return f"{family} TM {lon_0:g}° (x_0 {params.get('x_0', 0):g})"
    return family


def describe(source: CRS, original: CRS | None = None) -> str:
    """`EPSG:9209 (VN-2000 / TM-3 105-30) + EPSG:6960 datum shift`: the CRS as the user knows
    it, and which pinned datum shift was applied."""
    base = original if original is not None else source
    epsg = base.to_epsg()
    text = f"EPSG:{epsg} ({base.name})" if epsg else base.name
    if text in ("unknown", "unnamed", ""):
        text = _unnamed(source)
    shift = shift_of(source)
    if shift is not None:
        text += f" + {shift.shift_text}"
    return text


def resolve_crs(text: str) -> CRS | None:
    """User input ("EPSG:9210", "9210", a province name, a PROJ string, WKT) → CRS, with the
    datum shift of VN-2000 / HN-72 / Indian 1960 made explicit; None when nothing matches."""
    raw = str(text).strip()
    if not raw:
        return None
    if raw.isdigit() and len(raw) >= 4:
        raw = f"EPSG:{raw}"
    province = find_province(raw) if not raw.upper().startswith(("EPSG", "+", "PROJCS")) else None
    if province is not None:
        return CRS.from_proj4(zone_proj(province.central_meridian))
    try:
        crs = CRS.from_user_input(raw)
    except CRSError:
        return None
    return with_datum_shift(crs)


def propose_zones(
    bounds: tuple[float, float, float, float],
    province: str | None = None,
    frame=None,
) -> list[ZoneProposal]:
    """CRSs to offer for metres without one, most likely first: every office system whose
    easting/northing range holds `bounds`, ranked by where the data (`frame` in native metres,
    or just its extent) lands with each (atlas.ingest.systems.rank); the named `province`
    (old or 2025 name, or GSO code) counts as where the data should land."""
    import geopandas as gpd
    from shapely.geometry import box

    from atlas.ingest import systems

    if frame is None:
        frame = gpd.GeoDataFrame(geometry=[box(*bounds)])
    return systems.rank(systems.candidates(bounds), frame, province)
