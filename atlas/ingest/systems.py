"""The projected systems office files come in, and which to propose for metres without a CRS.

Offices (AutoCAD, MicroStation, MapInfo, ArcGIS) keep layers in VN-2000 TM-3 on the
provincial meridian (Circular 973/2001), in VN-2000 UTM 6° zones 48/49 (EPSG:3405/3406), in the
older HN-72 Gauss–Krüger 6° zones 18/19 with the zone number in front of the easting
(EPSG:2044/2045, eastings 18 500 000…), in WGS 84 UTM 48N/49N (EPSG:32648/32649) or in Indian
1960 UTM 48N/49N (EPSG:3148/3149). A file without a CRS is matched to them in two steps: a range
check of eastings/northings per system, then a ranking by where the data lands with each
(`atlas.ingest.location`): on Vietnam's land, over the named province, in a province of the
zone's own meridian, feature extents that fit commune extents. A fixed list would put Khánh Hòa
first for Trà Vinh data; the landing does not.
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass, replace
from functools import lru_cache

import geopandas as gpd
import numpy as np
import pandas as pd
from pyproj import CRS, Transformer

from atlas import gazetteer
from atlas.ingest import location
from atlas.ingest.datums import datum_of, pin_datum_shift
from atlas.ingest.model import ZoneProposal
from atlas.ingest.names import name_key
from atlas.ingest.vn2000 import PROVINCES, Province, find_province, zone_proj, zone_proposal
from atlas.spec import Text
from atlas.text import normalise_code

NORTHING = (900_000.0, 2_700_000.0)  # Vietnam's latitudes (8–24°N), any of these systems
EASTING = (100_000.0, 900_000.0)  # within ~4° of a 500 km false easting


@dataclass(frozen=True)
class SixDegree:
    """A 6° zone system: family name, EPSG code, central meridian, zone prefix of eastings."""

    system: str
    epsg: int
    central_meridian: float
    prefix: float = 0.0
    prior: int = 1  # tie-break: TM-3 (0) is what provincial offices use most
    zone: str = ""  # the label's zone when it is not a numbered 6° zone ("106 NE")


SIX_DEGREE: tuple[SixDegree, ...] = (
    SixDegree("VN-2000 UTM", 3405, 105.0),
    SixDegree("VN-2000 UTM", 3406, 111.0),
    SixDegree("WGS 84 UTM", 32648, 105.0, prior=2),
    SixDegree("WGS 84 UTM", 32649, 111.0, prior=2),
    SixDegree("HN-72 GK", 2044, 105.0, 18_000_000.0, prior=3),
    SixDegree("HN-72 GK", 2045, 111.0, 19_000_000.0, prior=3),
    # HN-72 maps of the north are often drawn on 106° with no zone number in the eastings.
    SixDegree("HN-72 GK", 2093, 106.0, prior=3, zone="106 NE"),
    SixDegree("Indian 1960 UTM", 3148, 105.0, prior=4),
    SixDegree("Indian 1960 UTM", 3149, 111.0, prior=4),
)


def _fits(bounds: tuple[float, float, float, float], prefix: float = 0.0) -> bool:
    minx, miny, maxx, maxy = bounds
    lo, hi = EASTING[0] + prefix, EASTING[1] + prefix
    return lo <= minx <= maxx <= hi and NORTHING[0] <= miny <= maxy <= NORTHING[1]


def looks_projected(bounds: tuple[float, float, float, float]) -> bool:
    """Whether some office system could hold these metres (the range check only)."""
    return any(_fits(bounds, s.prefix) for s in SIX_DEGREE)


def _six_degree_proposal(s: SixDegree) -> ZoneProposal:
    zone = s.zone or (
        int(s.prefix // 1_000_000) if s.prefix else (48 if s.central_meridian == 105 else 49)
    )
    label = Text(
        f"{s.system} múi {zone} (kinh tuyến trục {s.central_meridian:g}°), EPSG:{s.epsg}",
        f"{s.system} zone {zone} (central meridian {s.central_meridian:g}°), EPSG:{s.epsg}",
    )
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        proj = pin_datum_shift(CRS.from_epsg(s.epsg)).to_proj4()
    return ZoneProposal("", s.central_meridian, s.epsg, proj, label, system=s.system)


def candidates(bounds: tuple[float, float, float, float]) -> list[ZoneProposal]:
    """Every system whose easting/northing range holds the data, unranked: one TM-3 zone per
    central meridian (named after its first province) and the fitting 6° zones."""
    out: list[ZoneProposal] = []
    if _fits(bounds):
        firsts: dict[float, Province] = {}
        for p in PROVINCES:
            firsts.setdefault(p.central_meridian, p)
        out += [zone_proposal(firsts[cm]) for cm in sorted(firsts)]
    out += [_six_degree_proposal(s) for s in SIX_DEGREE if _fits(bounds, s.prefix)]
    return out


@lru_cache(maxsize=64)
def _to_wgs84(crs: str) -> Transformer:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return Transformer.from_crs(CRS.from_user_input(crs), "EPSG:4326", always_xy=True)


@dataclass(frozen=True)
class _Sample:
    """Native coordinates of sample feature points and of their features' extents."""

    x: np.ndarray
    y: np.ndarray
    boxes: np.ndarray  # (n, 4) native extents of the same features
    labels: tuple[frozenset[str], ...] = ()  # per feature: its values as codes and name keys


def sample(frame: gpd.GeoDataFrame, limit: int = location.SAMPLE) -> _Sample:
    """Up to `limit` features of `frame`, once, so every candidate is scored on the same."""
    geoms = location.pick(frame.geometry, limit)
    x, y = location.points_of(geoms)
    return _Sample(x, y, geoms.bounds.to_numpy(float), _labels(frame.loc[geoms.index]))


def _labels(rows: pd.DataFrame) -> tuple[frozenset[str], ...]:
    """Each feature's attribute values read as a GSO commune code and as a name key: a file
    whose codes or names are those of the communes it lands in has the right CRS."""
    columns = [c for c in rows.columns if c != getattr(rows, "_geometry_column_name", None)]
    out = []
    for values in rows[columns].itertuples(index=False):
        found: set[str] = set()
        for value in values:
            if value is None or isinstance(value, float) and not np.isfinite(value):
                continue
            code = normalise_code(value, 5)
            if code:
                found.add(code)
            if isinstance(value, str) and value.strip():
                found.add(name_key(value))
        out.append(frozenset(found))
    return tuple(out)


@dataclass(frozen=True)
class Score:
    """How well data lands with one proposal; compared as a tuple, best first."""

    on_land: float
    named_overlap: float
    agreement: float
    fit: float
    consistency: float
    prior: int
    province_code: str | None
    distance_km: float | None

    def key(self) -> tuple[float, ...]:
        """Best first: on Vietnam's land; over the named province; features whose codes or
        names are those of the communes they land in (a file's own words, when it has any);
        feature extents that fit
        the extents of the communes they land in (the strongest sign, for boundaries); landing
        in provinces of the zone's own meridian; then the prior (TM-3 is what provincial
        offices use). Rounded so that noise does not decide."""
        return (
            -float(self.on_land >= 0.5),
            -round(self.named_overlap, 1),
            -round(self.agreement, 1),
            -round(self.fit, 1),
            -round(self.consistency, 1),
            float(self.prior),
        )


_MERIDIAN = {p.code: p.central_meridian for p in PROVINCES}


def _area(boxes: np.ndarray) -> np.ndarray:
    return (boxes[:, 2] - boxes[:, 0]) * (boxes[:, 3] - boxes[:, 1])


def _iou(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """Intersection over union of paired boxes (0 for points and lines without area)."""
    w = np.minimum(a[:, 2], b[:, 2]) - np.maximum(a[:, 0], b[:, 0])
    h = np.minimum(a[:, 3], b[:, 3]) - np.maximum(a[:, 1], b[:, 1])
    inter = np.clip(w, 0, None) * np.clip(h, 0, None)
    union = _area(a) + _area(b) - inter
    return np.where(union > 0, inter / np.where(union > 0, union, 1), 0.0)


def score(proposal: ZoneProposal, pts: _Sample, named: list[gazetteer.Unit]) -> Score | None:
    """Where the sample lands with `proposal`: None when it does not land on the Earth."""
    tr = _to_wgs84(proposal.proj)
    with np.errstate(all="ignore"):
        lon, lat = (np.asarray(v, float) for v in tr.transform(pts.x, pts.y))
        lo0, la0 = (np.asarray(v, float) for v in tr.transform(pts.boxes[:, 0], pts.boxes[:, 1]))
        lo1, la1 = (np.asarray(v, float) for v in tr.transform(pts.boxes[:, 2], pts.boxes[:, 3]))
    if not (np.isfinite(lon).all() and np.isfinite(lat).all()):
        return None
    box = (float(lon.min()), float(lat.min()), float(lon.max()), float(lat.max()))
    overlap = max((gazetteer.overlap_fraction(box, u.bounds) for u in named), default=0.0)
    distance = min((gazetteer.box_distance_km(box, u.bounds) for u in named), default=None)
    landing = location.land(lon, lat)
    prior = 0 if proposal.system == "VN-2000 TM-3" else _prior(proposal)
    if landing is None:
        inside = float(gazetteer.in_vietnam(box))
        return Score(inside, overlap, 0.0, 0.0, 0.0, prior, None, distance)
    communes = location.communes()
    assert communes is not None
    codes = communes.province[landing.index]
    if proposal.system == "VN-2000 TM-3":
        meridians = np.array([_MERIDIAN.get(c, np.nan) for c in codes])
        consistency = float(np.mean(meridians == proposal.central_meridian))
    else:
        consistency = float(landing.on_land.mean())
    feature_boxes = np.column_stack([lo0, la0, lo1, la1])
    fit = float(np.nan_to_num(np.mean(_iou(feature_boxes, communes.box[landing.index]))))
    agreement = _agreement(pts, communes, landing)
    code, _ = location.majority(codes)
    on_land = float(landing.on_land.mean())
    return Score(on_land, overlap, agreement, fit, consistency, prior, code, distance)


def agreement_of(frame: gpd.GeoDataFrame) -> float | None:
    """For data already in lon/lat: the share of sampled features that land in the commune
    their own codes or names say; None when no feature has a value that could say one."""
    pts = sample(frame)
    if not any(pts.labels):
        return None
    landing = location.land(pts.x, pts.y)
    communes = location.communes()
    if landing is None or communes is None:
        return None
    return _agreement(pts, communes, landing)


def _agreement(pts: _Sample, communes, landing) -> float:
    """The share of sampled features that name (by code or name) the commune they land in."""
    if not pts.labels:
        return 0.0
    hits = [
        bool(labels) and (communes.code[i] in labels or communes.key[i] in labels)
        for labels, i in zip(pts.labels, landing.index, strict=True)
    ]
    return float(np.mean(hits))


def _prior(proposal: ZoneProposal) -> int:
    return next((s.prior for s in SIX_DEGREE if s.epsg == proposal.epsg), 5)


def _named_tm3(proposal: ZoneProposal, landed: str | None, named: str | None) -> ZoneProposal:
    """A TM-3 proposal named after the province the data lands in (when it is one of the
    zone's provinces), else the named province; else its label names no province (its
    `province` stays the zone's first one)."""
    for text in (landed, named):
        p = find_province(text) if text else None
        if p is not None and p.central_meridian == proposal.central_meridian:
            return zone_proposal(p)
    first = find_province(proposal.province)
    return zone_proposal(first, named=False) if first else proposal


def rank(
    proposals: list[ZoneProposal], frame: gpd.GeoDataFrame, province: str | None = None
) -> list[ZoneProposal]:
    """`proposals` ranked by where `frame` (native metres) lands with each; proposals that do
    not land in Vietnam are left out, unless none does (then all come, marked)."""
    pts = sample(frame)
    found = [gazetteer.find_province(province, s) for s in gazetteer.STRUCTURES] if province else []
    named = [u for u in found if u is not None]
    scored: list[tuple[Score, ZoneProposal]] = []
    for proposal in proposals:
        s = score(proposal, pts, named)
        if s is None:
            continue
        unit = gazetteer.get("pre2025", "province", s.province_code) if s.province_code else None
        landed = unit.short_name if unit else None
        if proposal.system == "VN-2000 TM-3":
            proposal = _named_tm3(proposal, landed, province)
        proposal = replace(
            proposal,
            lands_in=landed,
            inside_vietnam=s.on_land >= 0.5,
            distance_km=s.distance_km,
            agreement=s.agreement,
        )
        scored.append((s, proposal))
    scored.sort(key=lambda item: item[0].key())
    scored = _mark_ties(scored)
    inside = [p for _, p in scored if p.inside_vietnam]
    return inside or [p for _, p in scored]


def _mark_ties(scored: list[tuple[Score, ZoneProposal]]) -> list[tuple[Score, ZoneProposal]]:
    """Mark `equally_likely` the proposals that land as well as the best one (only the prior
    orders them): the data alone cannot tell them apart, e.g. points in the Mekong delta fit
    the 104°30′, 105° and 105°30′ zones, each landing in one of its own provinces."""
    if len(scored) < 2:
        return scored
    top = scored[0][0].key()[:-1]
    tied = [s.key()[:-1] == top for s, _ in scored]
    if sum(tied) < 2:
        return scored
    return [(s, replace(p, equally_likely=t)) for (s, p), t in zip(scored, tied, strict=True)]


def _lost_datum(crs: CRS) -> CRS | None:
    """The office system a WGS 84-labelled CRS really is, when its projection is one only an
    office datum uses: a TM-3 zone (k 0.9999) on a provincial meridian is VN-2000, a 6°
    Gauss–Krüger zone with its number in front of the easting (x_0 18 500 000) is HN-72.
    GDAL writes VN-2000 to MapInfo as datum 104 (WGS 84) unless the CRS carries `+towgs84`,
    so such files are common."""
    if not crs.is_projected or datum_of(crs) is not None:
        return None
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        params = crs.to_dict()
    if params.get("proj") != "tmerc" or params.get("datum", params.get("ellps")) != "WGS84":
        return None
    lon_0, k, x_0 = params.get("lon_0"), params.get("k", params.get("k_0")), params.get("x_0")
    if k == 0.9999 and x_0 == 500000 and lon_0 in {p.central_meridian for p in PROVINCES}:
        return CRS.from_proj4(zone_proj(float(lon_0)))
    six = next((s for s in SIX_DEGREE if s.prefix and s.prefix + 500_000 == x_0), None)
    if six is not None and k == 1 and lon_0 == six.central_meridian:
        return pin_datum_shift(CRS.from_epsg(six.epsg))
    return None


def source_crs(crs: CRS) -> tuple[CRS, tuple[str, str] | None]:
    """The CRS to reproject a file's declared `crs` from (its datum's pinned shift applied),
    and a bilingual note when the declared datum was taken to be another one."""
    lost = _lost_datum(crs)
    if lost is None:
        return pin_datum_shift(crs), None
    name = datum_of(lost)
    family = name.name if name else "VN-2000"
    return lost, (
        f"tệp ghi hệ toạ độ WGS 84 nhưng phép chiếu là của hệ {family} (thường gặp ở tệp "
        f"MapInfo); đọc theo {family}",
        f"the file says WGS 84 but its projection is a {family} one (common in MapInfo "
        f"files); read as {family}",
    )
