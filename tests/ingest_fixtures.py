"""Upload bytes made in the tests from a shipped pack's communes: no binary fixture committed.

VN-2000 fixtures are projected with pyproj's own EPSG:6960 operation ("VN-2000 to WGS 84 (2)"),
picked by name, so the import is checked against EPSG and not against itself.
"""

from __future__ import annotations

import io
import tempfile
import unicodedata
import zipfile
from functools import lru_cache
from pathlib import Path

import geopandas as gpd
import pyogrio
import shapely
from pyproj.transformer import TransformerGroup

from atlas.loader import load_pack
from tests.conftest import REPO_ROOT


@lru_cache(maxsize=1)
def cang_long():
    return load_pack(REPO_ROOT / "geodata" / "cang_long").pack


def communes_wgs84() -> gpd.GeoDataFrame:
    frame = cang_long().frames["communes"]
    return frame[["code", "name", "area_km2", "geometry"]].copy().reset_index(drop=True)


def epsg6960(epsg: int):
    """pyproj's WGS 84 → VN-2000 TM-3 operation that uses EPSG:6960."""
    group = TransformerGroup("EPSG:4326", f"EPSG:{epsg}", always_xy=True)
    return next(t for t in group.transformers if "VN-2000 to WGS 84 (2)" in t.description)


def to_vn2000(frame: gpd.GeoDataFrame, epsg: int) -> gpd.GeoDataFrame:
    tr = epsg6960(epsg)
    geoms = shapely.transform(
        frame.geometry.values, lambda xy: _stack(tr.transform(xy[:, 0], xy[:, 1]))
    )
    return gpd.GeoDataFrame(frame.drop(columns="geometry"), geometry=geoms, crs=f"EPSG:{epsg}")


def _stack(xy):
    import numpy as np

    return np.column_stack(xy)


def messy(frame: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """What planning offices send: NFD names, codes as integers (leading zeros lost)."""
    out = frame.copy()
    out["name"] = out["name"].map(lambda s: unicodedata.normalize("NFD", s))
    out["code"] = out["code"].astype(int)
    return out


def shapefile_zip(frame: gpd.GeoDataFrame, *, prj: bool = True, stem: str = "xa") -> bytes:
    with tempfile.TemporaryDirectory() as tmp:
        pyogrio.write_dataframe(frame, Path(tmp) / f"{stem}.shp", encoding="UTF-8")
        buf = io.BytesIO()
        with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as archive:
            for part in sorted(Path(tmp).iterdir()):
                if part.suffix == ".prj" and not prj:
                    continue
                archive.write(part, part.name)
        return buf.getvalue()


def vector_bytes(frame: gpd.GeoDataFrame, suffix: str, driver: str) -> bytes:
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / f"upload{suffix}"
        pyogrio.write_dataframe(frame, path, driver=driver)
        return path.read_bytes()


def kmz(frame: gpd.GeoDataFrame) -> bytes:
    kml = vector_bytes(frame.to_crs(4326), ".kml", "KML")
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("doc.kml", kml)
    return buf.getvalue()


def xlsx(rows) -> bytes:
    buf = io.BytesIO()
    rows.to_excel(buf, index=False, engine="openpyxl")
    return buf.getvalue()


def zip_of(entries: dict[str, bytes]) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in entries.items():
            archive.writestr(name, data)
    return buf.getvalue()


def max_distance_m(a: gpd.GeoDataFrame, b: gpd.GeoDataFrame) -> float:
    """Largest Hausdorff distance (metres) between matching features of two WGS84 frames."""
    ma = a.to_crs("EPSG:32648").geometry.reset_index(drop=True)
    mb = b.to_crs("EPSG:32648").geometry.reset_index(drop=True)
    return float(ma.hausdorff_distance(mb).max())
