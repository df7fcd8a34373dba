"""Builds small, valid data packs in a temp folder so each test breaks exactly one thing."""

from __future__ import annotations

import json
from pathlib import Path

MANIFEST = """\
format_version = 1

[pack]
name = { vi = "Huyện Thử", en = "Test District" }
province = { vi = "Tỉnh Thử", en = "Test Province" }
province_code = "20"
district_code = "187"
admin_structure = "pre2025"
plan_title = { vi = "Kế hoạch thử", en = "Test plan" }
period = { start = 2021, end = 2025 }
plan_source = { vi = "Tài liệu thử", en = "Test document" }
default_view = { center = [21.65, 106.6], zoom = 11 }

[honesty]
geometry = "schematic"
figures = "illustrative"
source = { vi = "Tạo cho kiểm thử", en = "Made for tests" }
note = { vi = "Sơ đồ", en = "Schematic" }

[[groups]]
id = "hanh_chinh"
title = { vi = "Hành chính", en = "Administrative" }

[[layers]]
id = "communes"
kind = "boundary"
file = "layers/communes.geojson"
group = "hanh_chinh"
title = { vi = "Xã", en = "Communes" }
code_field = "code"
code_width = 5
tooltip = ["name"]
popup = ["name", "code"]
style = { type = "fixed", color = "#333333" }

[[layers.fields]]
name = "name"
label = { vi = "Tên", en = "Name" }

[[layers]]
id = "water"
kind = "choropleth"
file = "layers/communes.geojson"
group = "hanh_chinh"
title = { vi = "Nước sạch", en = "Clean water" }
code_field = "code"
code_width = 5
table = "env"
style = { type = "graduated", field = "water_pct", scheme = "thresholds", bins = [50, 100] }

[[tables]]
id = "env"
file = "tables/env.csv"
title = { vi = "Môi trường", en = "Environment" }
key = "code"
key_width = 5
join_layer = "communes"
year_column = "year"

[[tables.columns]]
name = "water_pct"
label = { vi = "Nước sạch", en = "Clean water" }
unit = "%"
type = "float"

[[tables.columns]]
name = "landfill"
label = { vi = "Bãi rác", en = "Landfill" }
type = "bool"

[[targets]]
id = "water"
label = { vi = "Nước sạch", en = "Clean water" }
value = 100
unit = "%"
year = 2030
table = "env"
column = "water_pct"
aggregate = "mean"
quote = "100% người dân được sử dụng nước sạch"
"""

COMMUNES = [
    ("06463", "Thị trấn Đồng Mỏ", (106.50, 21.60)),
    ("06466", "Thị trấn Chi Lăng", (106.60, 21.60)),
]
TABLE = "code,year,water_pct,landfill\n06463,2021,80.5,true\n06466,2021,60,false\n"


def square(x: float, y: float, size: float = 0.1) -> list[list[list[float]]]:
    return [[[x, y], [x + size, y], [x + size, y + size], [x, y + size], [x, y]]]


def features(communes=COMMUNES, transform=None) -> list[dict]:
    out = []
    for code, name, (x, y) in communes:
        ring = square(x, y)
        if transform is not None:
            ring = [[list(transform(px, py)) for px, py in ring[0]]]
        out.append(
            {
                "type": "Feature",
                "properties": {"code": code, "name": name},
                "geometry": {"type": "Polygon", "coordinates": ring},
            }
        )
    return out


def write_geojson(path: Path, feats: list[dict], crs: str | None = None) -> None:
    doc: dict = {"type": "FeatureCollection", "features": feats}
    if crs:
        doc["crs"] = {"type": "name", "properties": {"name": crs}}
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")


def make_pack(
    root: Path,
    name: str = "test_pack",
    manifest: str = MANIFEST,
    feats: list[dict] | None = None,
    table: str = TABLE,
) -> Path:
    pack = root / name
    (pack / "tables").mkdir(parents=True, exist_ok=True)
    (pack / "pack.toml").write_text(manifest, encoding="utf-8")
    write_geojson(pack / "layers" / "communes.geojson", feats if feats is not None else features())
    (pack / "tables" / "env.csv").write_text(table, encoding="utf-8")
    return pack
