"""Uploads in the formats offices exchange, written by GDAL (pyogrio) in the test itself from the
Càng Long communes: MapInfo TAB and MIF/MID, DXF, DGN v7, File Geodatabase, FlatGeobuf."""

from __future__ import annotations

import tempfile
import unicodedata
from pathlib import Path

import geopandas as gpd
import pandas as pd
import pyogrio

from tests.ingest_fixtures import zip_of


def gdal_files(frames: dict[str, gpd.GeoDataFrame], name: str, driver: str, **kw) -> dict:
    """Every file GDAL writes for `name` (one layer per frame), by path relative to the
    folder it was written in ("xa.gdb/a00000009.gdbtable" …)."""
    with tempfile.TemporaryDirectory() as tmp:
        for layer, frame in frames.items():
            pyogrio.write_dataframe(frame, Path(tmp) / name, layer=layer, driver=driver, **kw)
        return {
            p.relative_to(tmp).as_posix(): p.read_bytes()
            for p in sorted(Path(tmp).rglob("*"))
            if p.is_file()
        }


def one_file(frame: gpd.GeoDataFrame, name: str, driver: str, **kw) -> bytes:
    """The single file GDAL writes for a one-file format (FlatGeobuf, DXF, DGN, MIF)."""
    with tempfile.TemporaryDirectory() as tmp:
        pyogrio.write_dataframe(frame, Path(tmp) / name, driver=driver, **kw)
        return (Path(tmp) / name).read_bytes()


def mapinfo_zip(frame: gpd.GeoDataFrame, ext: str = "tab", stem: str = "xa", **kw) -> bytes:
    files = gdal_files({stem: frame}, f"{stem}.{ext}", "MapInfo File", **kw)
    return zip_of(files)


def filegdb_zip(frames: dict[str, gpd.GeoDataFrame], folder: str = "quy_hoach.gdb") -> bytes:
    return zip_of(gdal_files(frames, folder, "OpenFileGDB"))


def cad_drawing(metres: gpd.GeoDataFrame, names: bool = True) -> gpd.GeoDataFrame:
    """What a CAD office draws from the communes: boundaries as areas on layer RANH_XA, their
    outlines as lines on DUONG, each name as a TEXT on TEN_XA (a GDAL LABEL style)."""
    n = len(metres)
    areas = gpd.GeoDataFrame({"Layer": ["RANH_XA"] * n}, geometry=metres.geometry.values)
    lines = gpd.GeoDataFrame({"Layer": ["DUONG"] * n}, geometry=metres.geometry.boundary.values)
    parts = [areas, lines]
    if names:
        labels = gpd.GeoDataFrame(
            {
                "Layer": ["TEN_XA"] * n,
                "OGR_STYLE": [f'LABEL(f:"Arial",t:"{s}",s:10g)' for s in metres["name"]],
            },
            geometry=metres.geometry.representative_point().values,
        )
        parts.append(labels)
    return gpd.GeoDataFrame(pd.concat(parts, ignore_index=True), geometry="geometry")


def dxf(metres: gpd.GeoDataFrame) -> bytes:
    return one_file(cad_drawing(metres), "ban_ve.dxf", "DXF")


def dgn(metres: gpd.GeoDataFrame) -> bytes:
    """DGN v7 through GDAL: geometry only (its writer takes no attribute or level)."""
    shapes = gpd.GeoDataFrame(geometry=metres.geometry.values)
    return one_file(shapes, "ban_ve.dgn", "DGN")


def cp1258(text: str) -> str:
    """`text` as Windows-1258 spells Vietnamese: letters with ă â ê ô ơ ư đ precomposed,
    tone marks as separate combining characters (which NFC then joins back)."""
    tones = {"\u0300", "\u0301", "\u0303", "\u0309", "\u0323"}
    out = []
    for ch in unicodedata.normalize("NFC", text):
        parts = unicodedata.normalize("NFD", ch)
        base = unicodedata.normalize("NFC", "".join(c for c in parts if c not in tones))
        out.append(base + "".join(c for c in parts if c in tones))
    return "".join(out)


def closed_polylines_dxf(metres: gpd.GeoDataFrame) -> bytes:
    """Commune outlines as AutoCAD draws parcels: LWPOLYLINEs with the closed flag (group 70
    = 1), which GDAL's writer leaves open, so the flag is set here."""
    outlines = gpd.GeoDataFrame(
        {"Layer": ["RANH_XA"] * len(metres)}, geometry=metres.geometry.exterior.values
    )
    data = one_file(outlines, "ranh.dxf", "DXF")
    return data.replace(b"AcDbPolyline\n 70\n0\n", b"AcDbPolyline\n 70\n1\n")
