"""Writing a new pack (`atlas.newpack`): its layers, its manifest, and the atomic save.

Apart from `atlas.newpack` (which unit, which communes) because the two change for different
reasons: what a base pack holds and how it is laid out on disk, versus how a name is found.
The save is the import's (`atlas.ingest.save`): staged under `<data dir>/.staging`, validated
with `load_pack`, then renamed into place, so a failure leaves every existing pack as it was.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

import geopandas as gpd
import pyogrio

from atlas import gazetteer, schematic
from atlas.formats import date_text
from atlas.ingest.errors import IngestError
from atlas.ingest.safety import check_slug
from atlas.ingest.save import staging, swap_in  # the import's staging, shared
from atlas.loader import load_pack
from atlas.manifest import FORMAT_VERSION, MANIFEST_NAME
from atlas.newpack import NATION, NewPackError, PackArea, Progress, default_id, report_progress
from atlas.packs import SHIPPED_PACKS, user_data_dir
from atlas.report import Report
from atlas.toml_write import render_manifest

GROUP = {"id": "hanh_chinh", "title": {"vi": "Hành chính", "en": "Administrative"}}
TABLE_ID = "telecom"
TABLE_COLUMNS = [
    ("fibre_centre", "Cáp quang đến trung tâm xã", "Fibre at commune centre", "bool"),
    ("coverage_5g", "Phủ sóng 5G", "5G coverage", "bool"),
]
_HEADER = [
    "# Atlas Hạ tầng — base data pack (format: geodata/README.md)",
    "# Written by `python -m atlas new-pack` (atlas.newpack): schematic communes from the",
    "# gazetteer, empty tables to fill with `python -m atlas import`. Safe to edit by hand.",
]
_DISTRICT_EN = {"Huyện": "District", "Quận": "Urban District", "Thị xã": "Town"}
_COMMUNE_EN = {"Xã": "Commune", "Phường": "Ward", "Thị trấn": "Township"}


@dataclass(frozen=True)
class NewPackResult:
    """The saved pack: id, folder, how many communes, what it covers, the validation report."""

    pack_id: str
    path: Path
    n_communes: int
    area: PackArea
    report: Report


# --- names --------------------------------------------------------------------------------


def unit_text(unit: gazetteer.Unit) -> dict[str, str]:
    """A unit's name in both languages: "Tỉnh Trà Vinh" / "Trà Vinh Province"."""
    if unit.level == NATION:
        return {"vi": "Việt Nam", "en": "Viet Nam"}
    if unit.level == "province":
        kind = "City" if unit.name.startswith("Thành phố") else "Province"
        return {"vi": unit.name, "en": f"{unit.short_name} {kind}"}
    short = _short(unit.name, unit.type)
    if unit.type == "Thành phố":
        return {"vi": unit.name, "en": f"{short} City"}
    return {"vi": unit.name, "en": f"{short} {_DISTRICT_EN.get(unit.type, 'District')}"}


def _short(name: str, kind: str) -> str:
    return name[len(kind) + 1 :] if kind and name.startswith(kind + " ") else name


def pack_name(area: PackArea, name: str | None = None) -> dict[str, str]:
    if name and name.strip():
        return {"vi": name.strip(), "en": name.strip()}
    text = unit_text(area.unit)
    if area.structure == "post2025":
        return {"vi": f"{text['vi']} (từ 1/7/2025)", "en": f"{text['en']} (since 1 July 2025)"}
    return text


# --- layers -------------------------------------------------------------------------------


def commune_frame(area: PackArea) -> gpd.GeoDataFrame:
    """The communes with their schematic cells and the fields the manifest declares."""
    rows = area.communes
    boxes = rows[["min_lon", "min_lat", "max_lon", "max_lat"]].to_numpy(float)
    cells = schematic.commune_cells(rows["lon"].to_numpy(), rows["lat"].to_numpy(), boxes)
    districts = gazetteer.units("pre2025", "district").set_index("code")["name"]
    frame = gpd.GeoDataFrame(
        {
            "code": rows["code"].astype(str).to_list(),
            "name": rows["name"].to_list(),
            "short_name": [_short(n, k) for n, k in zip(rows["name"], rows["type"], strict=True)],
            "unit_type": rows["type"].to_list(),
            "district_code": rows["district_code"].to_list(),
            "district": rows["district_code"].map(districts).fillna("").to_list(),
            "province_code": rows["province_code"].to_list(),
        },
        geometry=cells.values,
        crs=schematic.WGS84,
    )
    frame["area_km2"] = schematic.area_km2(frame.geometry).round(2)
    return frame


def outline_frame(area: PackArea, communes: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """The unit's outline: exactly the union of its commune cells."""
    unit = area.unit
    frame = gpd.GeoDataFrame(
        {"code": [unit.code], "name": [unit.name], "province": [area.province.name]},
        geometry=[schematic.outline(communes.geometry)],
        crs=schematic.WGS84,
    )
    frame["area_km2"] = schematic.area_km2(frame.geometry).round(2)
    return frame


def district_frame(communes: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """Pre-2025 district outlines (a province pack only): unions of their commune cells."""
    return _dissolved(communes, "district_code", communes["district"])


def province_frame(communes: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """Pre-2025 province outlines (the nation's pack): unions of their commune cells."""
    names = gazetteer.units("pre2025", "province").set_index("code")["name"]
    return _dissolved(communes, "province_code", communes["province_code"].map(names))


def _dissolved(communes: gpd.GeoDataFrame, by: str, names) -> gpd.GeoDataFrame:
    parts = communes[[by, "geometry"]].assign(unit_name=names.fillna("").to_list())
    merged = parts.dissolve(by=by, as_index=False, aggfunc="first", sort=True)
    frame = gpd.GeoDataFrame(
        {"code": merged[by], "name": merged["unit_name"]},
        geometry=merged.geometry.values,
        crs=schematic.WGS84,
    )
    frame["area_km2"] = schematic.area_km2(frame.geometry).round(2)
    return frame


def layer_frames(area: PackArea) -> dict[str, gpd.GeoDataFrame]:
    """Every layer of the pack by id, in drawing order."""
    communes = commune_frame(area)
    frames = {"communes": communes}
    if area.level == "province":
        frames["districts"] = district_frame(communes)
    if area.level == NATION:
        frames["provinces"] = province_frame(communes)
    frames[outline_id(area)] = outline_frame(area, communes)
    return frames


def outline_id(area: PackArea) -> str:
    return {"province": "province", NATION: "nation"}.get(area.level, "district")


# --- manifest -----------------------------------------------------------------------------


def _field(name: str, vi: str, en: str, kind: str | None = None, unit: str | None = None):
    entry: dict[str, Any] = {"name": name, "label": {"vi": vi, "en": en}}
    if unit:
        entry["unit"] = unit
    if kind:
        entry["type"] = kind
    return entry


_AREA_FIELD = _field("area_km2", "Diện tích (sơ đồ)", "Area (schematic)", "float", "km²")


def _boundary(layer_id: str, title: tuple[str, str], width: int, style: dict) -> dict:
    return {
        "id": layer_id,
        "kind": "boundary",
        "file": f"layers/{layer_id}.geojson",
        "group": GROUP["id"],
        "title": {"vi": title[0], "en": title[1]},
        "code_field": "code",
        "name_field": "name",
        "code_width": width,
        "style": style,
        "tooltip": ["name", "area_km2"],
        "popup": ["name", "code", "area_km2"],
        "fields": [
            _field("code", "Mã (GSO)", "Code (GSO)", "code"),
            _field("name", "Tên", "Name"),
            _AREA_FIELD,
        ],
    }


def commune_layer() -> dict[str, Any]:
    layer = _boundary(
        "communes",
        ("Ranh giới xã, phường, thị trấn (sơ đồ)", "Commune boundaries (schematic)"),
        5,
        {"type": "fixed", "color": "#636363", "fill_color": "#fdae6b", "weight": 1,
         "fill_opacity": 0.05},
    )  # fmt: skip
    layer["popup"] = ["name", "code", "unit_type", "district", "area_km2"]
    layer["fields"] = [
        _field("code", "Mã xã (GSO)", "Commune code (GSO)", "code"),
        _field("name", "Xã, phường, thị trấn", "Commune / ward / township"),
        _field("short_name", "Tên ngắn", "Short name"),
        _field("unit_type", "Loại đơn vị", "Unit type"),
        _field("district", "Huyện (trước 2025)", "District (before 2025)"),
        _AREA_FIELD,
    ]
    return layer


# The inner outlines a pack draws between its communes and its own outline, by its level:
# (layer id, title, code width) — a province's pre-2025 districts, the nation's provinces.
_INNER_OUTLINES = {
    "province": ("districts", ("Ranh giới huyện (trước 2025, sơ đồ)",
                               "District outlines (before 2025, schematic)"), 3),
    NATION: ("provinces", ("Ranh giới tỉnh (trước 2025, sơ đồ)",
                           "Province outlines (before 2025, schematic)"), 2),
}  # fmt: skip
_OUTLINE_TITLES = {
    NATION: ("Ranh giới quốc gia (sơ đồ, phần đất liền và đảo có xã)",
             "National outline (schematic: the land and islands with communes)"),
    "province": ("Ranh giới tỉnh (sơ đồ)", "Province outline (schematic)"),
    "district": ("Ranh giới huyện (sơ đồ)", "District outline (schematic)"),
}  # fmt: skip


def layer_entries(area: PackArea) -> list[dict[str, Any]]:
    line = {"type": "fixed", "color": "#252525", "weight": 3, "fill_opacity": 0.0}
    entries = [commune_layer()]
    if area.level in _INNER_OUTLINES:
        layer_id, inner_title, code_width = _INNER_OUTLINES[area.level]
        thin = {"type": "fixed", "color": "#525252", "weight": 2, "fill_opacity": 0.0}
        entries.append(_boundary(layer_id, inner_title, code_width, thin))
    title = _OUTLINE_TITLES.get(area.level, _OUTLINE_TITLES["district"])
    width = 2 if area.level in ("province", NATION) else 3
    entries.append(_boundary(outline_id(area), title, width, line))
    return entries


def table_entry() -> dict[str, Any]:
    return {
        "id": TABLE_ID,
        "file": f"tables/{TABLE_ID}.csv",
        "title": {"vi": "Hạ tầng viễn thông theo xã", "en": "Telecom infrastructure by commune"},
        "key": "code",
        "key_width": 5,
        "join_layer": "communes",
        "year_column": "year",
        "columns": [_field(n, vi, en, kind) for n, vi, en, kind in TABLE_COLUMNS],
    }


def honesty() -> dict[str, Any]:
    return {
        "geometry": "schematic",
        "figures": "illustrative",
        "source": {
            "vi": "Tâm và phạm vi xã: danh mục đơn vị hành chính geodata/crosswalk/gazetteer.csv "
            "(dựng từ gói PyPI vietnamadminunits, giấy phép MIT); ranh giới dựng bằng "
            "`python -m atlas new-pack` ngày " + date_text(date.today()) + ".",
            "en": "Commune reference points and extents: the gazetteer geodata/crosswalk/"
            "gazetteer.csv (made from the PyPI package vietnamadminunits, MIT licence); "
            "boundaries generated by `python -m atlas new-pack` on "
            + date_text(date.today(), "en")
            + ".",
        },
        "note": {
            "vi": "Bản đồ sơ đồ, KHÔNG phải số liệu đo đạc: mỗi xã là vùng gần tâm xã nhất "
            "trong phạm vi các xã (ô Voronoi). Các bảng còn trống: nhập số liệu bằng "
            "`python -m atlas import` hoặc trang Dữ liệu.",
            "en": "Schematic map, NOT survey data: each commune is the area nearest its "
            "reference point within the communes' extents (a Voronoi cell). The tables are "
            "empty: import figures with `python -m atlas import` or the Data page.",
        },
    }


def pack_section(area: PackArea, name: dict[str, str], bounds) -> dict[str, Any]:
    bounds = [float(b) for b in bounds]  # numpy floats would not write as TOML numbers
    year = date.today().year
    span = max(bounds[2] - bounds[0], bounds[3] - bounds[1], 1e-4)
    zoom = int(max(5, min(17, round(math.log2(360 / span)) - 1)))
    district = area.unit.code if area.level == "district" else "000"
    return {
        "name": name,
        "province": unit_text(area.province),
        "province_code": area.province.code,
        "district_code": district,
        "admin_structure": "pre2025",
        "plan_title": {"vi": f"Gói nền: {name['vi']}", "en": f"Base pack: {name['en']}"},
        "period": {"start": year, "end": year},
        "plan_source": {
            "vi": "Chưa có văn bản kế hoạch: gói nền để nhập dữ liệu.",
            "en": "No plan document yet: a base pack to import data into.",
        },
        "default_language": "vi",
        "default_view": {
            "center": [
                round((bounds[1] + bounds[3]) / 2, 5),
                round((bounds[0] + bounds[2]) / 2, 5),
            ],
            "zoom": zoom,
        },
    }


def manifest(area: PackArea, name: dict[str, str], bounds) -> dict[str, Any]:
    return {
        "format_version": FORMAT_VERSION,
        "pack": pack_section(area, name, bounds),
        "honesty": honesty(),
        "groups": [GROUP],
        "layers": layer_entries(area),
        "tables": [table_entry()],
    }


# --- save ---------------------------------------------------------------------------------


def _choose_id(area: PackArea, pack_id: str | None, base: Path) -> str:
    """The id asked for (refused when taken), else the default id made unique."""
    if pack_id:
        wanted = check_slug(pack_id)
        if (SHIPPED_PACKS / wanted / MANIFEST_NAME).is_file() or (base / wanted).exists():
            raise NewPackError(
                f"Mã gói {wanted!r} đã có; hãy chọn mã khác.",
                f"Pack id {wanted!r} is taken; choose another id.",
            )
        return wanted
    wanted, candidate, n = default_id(area), default_id(area), 2
    while (SHIPPED_PACKS / candidate).exists() or (base / candidate).exists():
        candidate, n = f"{wanted}_{n}", n + 1
    return candidate


def write_pack(
    area: PackArea,
    *,
    pack_id: str | None = None,
    name: str | None = None,
    root: Path | None = None,
    progress: Progress | None = None,
) -> NewPackResult:
    """Save the pack of `area` as a new user pack; NewPackError (nothing written) on failure."""
    base = (root or user_data_dir()).expanduser()
    chosen = _choose_id(area, pack_id, base)
    n = len(area.communes)
    report_progress(progress, 0.2, f"Dựng ranh giới {n} xã (sơ đồ)…",
                    f"Drawing {n} schematic communes…")  # fmt: skip
    frames = layer_frames(area)
    try:
        with staging(base) as work:
            report = _stage(area, frames, pack_name(area, name), work / chosen, progress)
            swap_in(work / chosen, base / chosen, work)
    except NewPackError:
        raise
    except IngestError as exc:  # the staging's "nothing was saved"
        raise NewPackError(exc.vi, exc.en) from None
    report.pack = chosen
    report_progress(progress, 1.0, f"Đã tạo gói {chosen}.", f"Pack {chosen} created.")
    return NewPackResult(chosen, base / chosen, n, area, report)


def _stage(
    area: PackArea, frames: dict, name: dict[str, str], staged: Path, progress: Progress | None
) -> Report:
    """Write the pack into `staged` and check it with `load_pack` (errors: NewPackError)."""
    report_progress(progress, 0.6, "Ghi gói…", "Writing the pack…")
    (staged / "layers").mkdir(parents=True)
    (staged / "tables").mkdir()
    for layer_id, frame in frames.items():
        pyogrio.write_dataframe(frame, staged / f"layers/{layer_id}.geojson", driver="GeoJSON")
    header = ",".join(["code", "year", *(c[0] for c in TABLE_COLUMNS)])
    (staged / f"tables/{TABLE_ID}.csv").write_text(header + "\n", encoding="utf-8")
    raw = manifest(area, name, frames["communes"].total_bounds)
    (staged / MANIFEST_NAME).write_text(render_manifest(raw, _HEADER), encoding="utf-8")
    report_progress(progress, 0.8, "Kiểm tra gói…", "Checking the pack…")
    result = load_pack(staged)
    if result.pack is None:
        errors = result.report.errors[:8]
        raise NewPackError(
            "Gói mới không hợp lệ, chưa lưu gì: " + "; ".join(i.describe("vi") for i in errors),
            "The new pack does not validate; nothing was saved: "
            + "; ".join(i.describe("en") for i in errors),
        )
    return result.report
