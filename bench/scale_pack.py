"""Write a synthetic data pack of many communes: what the scale bench loads.

A real pack (pack.toml, layers/communes.geojson, a per-commune table with a year column, a
commune boundary layer and a choropleth of the table), so the project's own loader, joins,
classification and map code run on it exactly as on a shipped pack. The communes are the
gazetteer's pre-2025 communes of the chosen provinces (codes and names are real), their
polygons are synthetic (bench/scale_geometry.py), their figures deterministic noise.
"""

from __future__ import annotations

import json
import zlib
from pathlib import Path

import numpy as np
import pandas as pd
import pyproj
import shapely
from shapely.geometry import mapping

from atlas import gazetteer
from bench.scale_geometry import clip_area, communes, distinct

# Bến Tre (148 communes); the Mekong Delta's 13 provinces (~1,570); every province (10,035).
SCALES: dict[str, list[str] | None] = {
    "province": ["83"],
    "region": ["80", "82", "83", "84", "86", "87", "89", "91", "92", "93", "94", "95", "96"],
    "nation": None,
}
YEARS = range(2021, 2026)
LAYER_FILE = "layers/communes.geojson"
TABLE_FILE = "tables/internet.csv"

MANIFEST = """\
format_version = 1

[pack]
name = {{ vi = "Thử tải {label}", en = "Scale bench {label}" }}
province = {{ vi = "Nhiều tỉnh (thử tải)", en = "Several provinces (scale bench)" }}
province_code = "{province_code}"
district_code = "{district_code}"
admin_structure = "pre2025"
plan_title = {{ vi = "Gói thử tải, không phải kế hoạch", en = "Scale-bench pack, not a plan" }}
period = {{ start = {start}, end = {end} }}
plan_source = {{ vi = "Dựng bằng bench/scale_pack.py", en = "Built by bench/scale_pack.py" }}
default_language = "vi"
default_view = {{ center = [{lat:.5f}, {lon:.5f}], zoom = {zoom} }}

[honesty]
geometry = "schematic"
figures = "illustrative"
source = {{ vi = "Mã, tên xã: gazetteer; ranh giới và số liệu tổng hợp", en = "Codes, names: \
gazetteer; boundaries and figures synthetic" }}
note = {{ vi = "Chỉ để đo hiệu năng", en = "For performance measurement only" }}

[[groups]]
id = "hanh_chinh"
title = {{ vi = "Hành chính", en = "Administrative" }}

[[groups]]
id = "vien_thong"
title = {{ vi = "Viễn thông", en = "Telecom" }}

[[layers]]
id = "communes"
kind = "boundary"
file = "{layer_file}"
group = "hanh_chinh"
visible = false
title = {{ vi = "Ranh giới xã (tổng hợp)", en = "Commune boundaries (synthetic)" }}
code_field = "code"
code_width = 5
style = {{ type = "fixed", color = "#636363", fill_color = "#fdae6b", weight = 1, \
fill_opacity = 0.05 }}
tooltip = ["name", "area_km2"]
popup = ["name", "code", "unit_type", "area_km2"]

[[layers.fields]]
name = "code"
label = {{ vi = "Mã xã (GSO)", en = "Commune code (GSO)" }}
type = "code"

[[layers.fields]]
name = "name"
label = {{ vi = "Xã, phường, thị trấn", en = "Commune" }}

[[layers.fields]]
name = "unit_type"
label = {{ vi = "Loại đơn vị", en = "Unit type" }}

[[layers.fields]]
name = "area_km2"
label = {{ vi = "Diện tích (tổng hợp)", en = "Area (synthetic)" }}
unit = "km²"
type = "float"

[[layers]]
id = "internet"
kind = "choropleth"
file = "{layer_file}"
group = "vien_thong"
title = {{ vi = "Tỷ lệ thôn, ấp có Internet", en = "Hamlets with Internet access" }}
code_field = "code"
code_width = 5
table = "internet"
style = {{ type = "graduated", field = "internet_pct", scheme = "thresholds", \
bins = [50, 80, 99.9, 100], palette = "YlGn", fill_opacity = 0.7, weight = 1, color = "#636363" }}
tooltip = ["name", "internet_pct"]

[[layers.fields]]
name = "name"
label = {{ vi = "Xã, phường, thị trấn", en = "Commune" }}

[[tables]]
id = "internet"
file = "{table_file}"
title = {{ vi = "Internet theo xã (tổng hợp)", en = "Internet by commune (synthetic)" }}
key = "code"
key_width = 5
join_layer = "communes"
year_column = "year"

[[tables.columns]]
name = "internet_pct"
label = {{ vi = "Tỷ lệ thôn, ấp có Internet", en = "Hamlets with Internet" }}
unit = "%"
type = "float"
"""


def scale_communes(scale: str) -> pd.DataFrame:
    """The gazetteer's pre-2025 communes of a scale, in code order."""
    frame = gazetteer.units("pre2025", "commune")
    provinces = SCALES[scale]
    if provinces is not None:
        frame = frame[frame["province_code"].isin(provinces)]
    return frame.sort_values("code").reset_index(drop=True)


def commune_polygons(frame: pd.DataFrame) -> list:
    """Synthetic tiling polygons of the communes (same order), ~300 vertices each."""
    points = distinct(frame[["lon", "lat"]].to_numpy(dtype=float))
    boxes = list(
        frame[["min_lon", "min_lat", "max_lon", "max_lat"]].itertuples(index=False, name=None)
    )
    cells = communes(points, clip_area(boxes, points))
    return [shapely.transform(cell, lambda xy: np.round(xy, 6)) for cell in cells]


def internet_table(codes: list[str]) -> pd.DataFrame:
    """A deterministic share per commune and year, rising over the years (some reach 100)."""
    rows = []
    for code in codes:
        start = zlib.crc32(code.encode()) % 70 + 20
        for i, year in enumerate(YEARS):
            rows.append((code, year, float(min(100, start + 6 * i))))
    return pd.DataFrame(rows, columns=["code", "year", "internet_pct"])


def _features(frame: pd.DataFrame, polygons: list) -> list[dict]:
    geod = pyproj.Geod(ellps="WGS84")
    feats = []
    for row, geom in zip(frame.itertuples(index=False), polygons, strict=True):
        area, _ = geod.geometry_area_perimeter(geom)
        props = {
            "code": row.code,
            "name": row.name,
            "unit_type": row.type,
            "area_km2": round(abs(area) / 1e6, 2),
        }
        feats.append({"type": "Feature", "properties": props, "geometry": mapping(geom)})
    return feats


def _manifest(frame: pd.DataFrame, label: str) -> str:
    lon0, lat0, lon1, lat1 = (
        frame["min_lon"].min(),
        frame["min_lat"].min(),
        frame["max_lon"].max(),
        frame["max_lat"].max(),
    )
    span = max(lon1 - lon0, lat1 - lat0, 1e-3)
    zoom = int(np.clip(np.floor(np.log2(360 / span)) - 1, 5, 12))
    return MANIFEST.format(
        label=label,
        province_code=frame["province_code"].iloc[0],
        district_code=frame["district_code"].iloc[0],
        start=YEARS[0],
        end=YEARS[-1],
        lat=(lat0 + lat1) / 2,
        lon=(lon0 + lon1) / 2,
        zoom=zoom,
        layer_file=LAYER_FILE,
        table_file=TABLE_FILE,
    )


def write_pack(folder: Path, frame: pd.DataFrame, label: str) -> Path:
    """Write the pack of `frame`'s communes to `folder` (created); returns `folder`."""
    polygons = commune_polygons(frame)
    (folder / "layers").mkdir(parents=True, exist_ok=True)
    (folder / "tables").mkdir(parents=True, exist_ok=True)
    doc = {"type": "FeatureCollection", "features": _features(frame, polygons)}
    (folder / LAYER_FILE).write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")
    internet_table(list(frame["code"])).to_csv(folder / TABLE_FILE, index=False)
    (folder / "pack.toml").write_text(_manifest(frame, label), encoding="utf-8")
    return folder


def build_scale_pack(root: Path, scale: str) -> Path:
    """The pack of one scale (`province`, `region`, `nation`) under `root`/scale_<scale>."""
    return write_pack(root / f"scale_{scale}", scale_communes(scale), scale)
