"""Coordinate reference systems: honour the file's CRS, refuse to guess a projected one.

Vietnamese files are usually in a VN-2000 provincial TM-3 zone (metres). A file that carries no
CRS and holds metres would be drawn in the Gulf of Guinea if taken as longitude/latitude, so the
loader refuses it and says how to fix it instead of guessing.
"""

from __future__ import annotations

from pyproj import CRS
from pyproj.exceptions import CRSError

WGS84 = "EPSG:4326"


def looks_like_lonlat(bounds: tuple[float, float, float, float]) -> bool:
    """True when every coordinate lies inside the longitude/latitude domain."""
    minx, miny, maxx, maxy = bounds
    return -180 <= minx <= maxx <= 180 and -90 <= miny <= maxy <= 90


def looks_like_vn2000_tm3(bounds: tuple[float, float, float, float]) -> bool:
    """Eastings around the 500 km false easting and northings spanning Vietnam's latitudes."""
    minx, miny, maxx, maxy = bounds
    return 200_000 <= minx <= maxx <= 800_000 and 900_000 <= miny <= maxy <= 2_700_000


def parse_crs(text: str) -> CRS | None:
    """A CRS from user text ("EPSG:9210", WKT, PROJ string), or None when pyproj cannot read it."""
    try:
        return CRS.from_user_input(text)
    except CRSError:
        return None


def describe(crs: CRS | None) -> str:
    if crs is None:
        return "none"
    epsg = crs.to_epsg()
    return f"EPSG:{epsg} ({crs.name})" if epsg else crs.name
