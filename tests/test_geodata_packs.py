"""The shipped packs (geodata/cang_long, geodata/chi_lang) are complete, tile their district,
carry every plan item the plan names, and are exactly what geodata/build_packs.py writes.

Files are read with geopandas/pandas directly, not through `atlas`, so a loader bug cannot
hide a data bug (and the other way round).
"""

from __future__ import annotations

import re
import sqlite3
import subprocess
import sys
import tomllib
import unicodedata
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
import vietnamadminunits

ROOT = Path(__file__).resolve().parents[1]
GEODATA = ROOT / "geodata"
METRIC_CRS = "EPSG:32648"
TOLERANCE = 0.001  # overlaps and gaps: at most 0.1 % of the district's area
PLAN_TEXTS = Path("/work/shared/plans")  # the source documents, when present on this machine

PACKS = {
    "cang_long": {
        "district": "844",
        "province": "84",
        "communes": 14,
        "years": (2021, 2025),
        "plan": "000_5b65549b261b139e.txt",
    },
    "chi_lang": {
        "district": "187",
        "province": "20",
        "communes": 20,
        "years": (2021, 2030),
        "plan": "003_14780334d73dd627.txt",
    },
}

# Every item the plan names must be findable by (a part of) its Vietnamese name.
REQUIRED_NAMES = {
    "cang_long": [
        "Quốc lộ 53",
        "Quốc lộ 60",
        "Bình Phú – cầu Đại Ngãi",
        "thị trấn Càng Long – thành phố Trà Vinh (giai đoạn II)",
        "Hương lộ 39 – Quốc lộ 53 – Hương lộ 37",
        "Đường liên xã",
        "Khu công nghiệp Cổ Chiên",
        "Cụm công nghiệp Bình Phú",
        "Cụm công nghiệp Tân Bình",
        "Thị trấn Càng Long (mở rộng)",
        "Tân An",
        "thoát nước",
        "xử lý nước thải",
    ],
    "chi_lang": [
        "Thị trấn Đồng Mỏ",
        "Thị trấn Chi Lăng",
        "Quốc lộ 1A",
        "Cao tốc Bắc Giang – Lạng Sơn",
        "Đường sắt Hà Nội – Đồng Đăng",
        "Đường tỉnh ĐT.234",
        "Đường tỉnh ĐT.242",
        "Khu công nghiệp Đồng Bành",
        "Trạm xử lý nước thải KCN Đồng Bành",
        "Làng nghề",
        "Khu di tích lịch sử Ải Chi Lăng",
        "Vùng trồng na tập trung",
        "Vùng trồng rừng sản xuất tập trung",
        "Bãi chôn lấp rác thải tập trung",
    ],
}

# (name prefix, field, expected value): the plan's own status or class for the item.
REQUIRED_ATTRIBUTES = {
    "cang_long": [
        ("Quốc lộ 53", "status", "upgrading"),
        ("Quốc lộ 60", "status", "planned"),
        ("Đường kết nối thị trấn Càng Long – thành phố Trà Vinh", "status", "planned"),
        ("Đường kết nối Hương lộ 39 – Quốc lộ 53 – Hương lộ 37", "status", "planned"),
        ("Khu công nghiệp Cổ Chiên", "cluster_type", "KCN"),
        ("Cụm công nghiệp Bình Phú", "cluster_type", "CCN"),
        ("Cụm công nghiệp Tân Bình", "cluster_type", "CCN"),
        ("Thị trấn Càng Long (mở rộng)", "target_class", "IV"),
        ("Đô thị Tân An", "target_class", "V"),
        ("Dự án", "form", "PPP"),
    ],
    "chi_lang": [
        ("Thị trấn Đồng Mỏ", "role", "core"),
        ("Thị trấn Chi Lăng", "role", "satellite"),
        ("Quốc lộ 1A", "status", "existing"),
        ("Cao tốc Bắc Giang – Lạng Sơn", "road_class", "expressway"),
        ("Cao tốc Bắc Giang – Lạng Sơn", "status", "existing"),
        ("Đường sắt Hà Nội – Đồng Đăng", "road_class", "railway"),
        ("Khu công nghiệp Đồng Bành", "cluster_type", "KCN"),
        ("Trạm xử lý nước thải KCN Đồng Bành", "status", "planned"),
    ],
}

# Clusters the plan places in a named commune must lie (mostly) inside that commune.
PLACED_IN_COMMUNE = {
    "cang_long": [
        ("Cụm công nghiệp Bình Phú", "Xã Bình Phú"),
        ("Cụm công nghiệp Tân Bình", "Xã Tân Bình"),
    ],
    "chi_lang": [],
}

# Layers whose items (those named with this prefix; "" = all) are not named in the plan text:
# general knowledge, or invented as illustrations. Each such layer carries its own honesty.
NOT_IN_PLAN_TEXT = {
    "cang_long": {
        "roads": "Đường liên xã",
        "environment_works": "",
        "ppp_projects": "",
    },
    "chi_lang": {
        "roads": "",
        "railway": "",
        "industry": "",
        "environment_works": "",
        "tourism": "",
        "production_zones": "",
        "craft_villages": "",
    },
}

pack_ids = pytest.mark.parametrize("pack_id", sorted(PACKS))


def manifest(pack_id: str) -> dict:
    return tomllib.loads((GEODATA / pack_id / "pack.toml").read_text(encoding="utf-8"))


def read_layer(pack_id: str, file: str) -> gpd.GeoDataFrame:
    return gpd.read_file(GEODATA / pack_id / file)


def layer_files(pack_id: str) -> dict[str, str]:
    """Layer id → file, from the manifest."""
    return {layer["id"]: layer["file"] for layer in manifest(pack_id)["layers"]}


def plan_features(pack_id: str) -> pd.DataFrame:
    """Attributes of every feature of the plan layers (not the communes or the district)."""
    frames = [
        read_layer(pack_id, layer["file"]).drop(columns="geometry").assign(_layer=layer["id"])
        for layer in manifest(pack_id)["layers"]
        if layer["kind"] in ("line", "polygon", "point")
    ]
    return pd.concat(frames, ignore_index=True)


def gso_commune_codes(district_code: str) -> set[str]:
    db = Path(vietnamadminunits.__file__).parent / "data" / "dataset.db"
    con = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    try:
        rows = con.execute(
            "SELECT wardCode FROM admin_units_legacy WHERE districtCode = ?", (district_code,)
        ).fetchall()
    finally:
        con.close()
    return {str(code).zfill(5) for (code,) in rows}


def metric(pack_id: str, layer_id: str) -> gpd.GeoDataFrame:
    return read_layer(pack_id, layer_files(pack_id)[layer_id]).to_crs(METRIC_CRS)


@pack_ids
def test_manifest_parses_with_tomllib_and_declares_format_version_1(pack_id: str) -> None:
    raw = manifest(pack_id)
    assert raw["format_version"] == 1
    expected = PACKS[pack_id]
    assert raw["pack"]["district_code"] == expected["district"]
    assert raw["pack"]["province_code"] == expected["province"]
    assert (raw["pack"]["period"]["start"], raw["pack"]["period"]["end"]) == expected["years"]
    assert raw["honesty"]["geometry"] == "schematic"
    assert raw["honesty"]["figures"] == "illustrative"


@pack_ids
def test_every_file_the_manifest_names_exists_and_nothing_else_is_shipped(pack_id: str) -> None:
    raw = manifest(pack_id)
    named = {layer["file"] for layer in raw["layers"]} | {t["file"] for t in raw["tables"]}
    shipped = {
        p.relative_to(GEODATA / pack_id).as_posix()
        for p in (GEODATA / pack_id).rglob("*")
        if p.is_file() and p.name not in ("pack.toml", "views.toml")
    }
    assert shipped == named


@pack_ids
def test_communes_are_exactly_the_gso_communes_of_the_district(pack_id: str) -> None:
    communes = metric(pack_id, "communes")
    expected = PACKS[pack_id]
    assert len(communes) == expected["communes"]
    assert communes["code"].map(len).eq(5).all()
    assert set(communes["code"]) == gso_commune_codes(expected["district"])
    assert (communes["district_code"] == expected["district"]).all()
    assert (communes["province_code"] == expected["province"]).all()
    assert communes["name"].map(lambda s: unicodedata.is_normalized("NFC", s)).all()
    assert set(communes["unit_type"]) <= {"Xã", "Thị trấn"}


@pack_ids
def test_communes_do_not_overlap(pack_id: str) -> None:
    communes = metric(pack_id, "communes")
    district_area = metric(pack_id, "district").area.sum()
    overlap = communes.area.sum() - communes.union_all().area
    assert overlap <= TOLERANCE * district_area


@pack_ids
def test_communes_cover_the_district_without_gaps(pack_id: str) -> None:
    union = metric(pack_id, "communes").union_all()
    district = metric(pack_id, "district")
    assert len(district) == 1
    gap = district.geometry.iloc[0].symmetric_difference(union).area
    assert gap <= TOLERANCE * district.area.sum()


@pack_ids
def test_each_commune_is_one_polygon_with_its_measured_area(pack_id: str) -> None:
    communes = metric(pack_id, "communes")
    assert (communes.geom_type == "Polygon").all()
    np.testing.assert_allclose(communes["area_km2"], communes.area / 1e6, atol=0.01)


@pack_ids
def test_every_geometry_is_valid_lonlat_with_six_decimals(pack_id: str) -> None:
    for file in sorted(set(layer_files(pack_id).values())):
        frame = read_layer(pack_id, file)
        assert frame.crs is not None and frame.crs.to_epsg() == 4326, file
        assert frame.is_valid.all(), file
        assert not frame.is_empty.any(), file
        coords = frame.get_coordinates().to_numpy()
        assert np.allclose(coords * 1e6, np.round(coords * 1e6), atol=1e-3), file


@pack_ids
def test_plan_features_lie_inside_the_district(pack_id: str) -> None:
    district = metric(pack_id, "district").geometry.iloc[0].buffer(1.0)
    for layer in manifest(pack_id)["layers"]:
        if layer["kind"] in ("line", "polygon", "point"):
            frame = metric(pack_id, layer["id"])
            assert frame.within(district).all(), layer["id"]


@pack_ids
def test_every_item_the_plan_names_is_present_by_name(pack_id: str) -> None:
    names = plan_features(pack_id)["name"].dropna().tolist()
    missing = [part for part in REQUIRED_NAMES[pack_id] if not any(part in n for n in names)]
    assert not missing


@pack_ids
def test_plan_items_carry_the_status_and_class_the_plan_gives(pack_id: str) -> None:
    features = plan_features(pack_id)
    for prefix, field, value in REQUIRED_ATTRIBUTES[pack_id]:
        rows = features[features["name"].str.startswith(prefix, na=False)]
        assert len(rows), prefix
        assert (rows[field] == value).all(), (prefix, field, rows[field].tolist())


@pack_ids
def test_clusters_lie_in_the_commune_the_plan_names(pack_id: str) -> None:
    communes = metric(pack_id, "communes").set_index("name")
    industry = metric(pack_id, "industry").set_index("name")
    for cluster, commune in PLACED_IN_COMMUNE[pack_id]:
        shape = industry.geometry[cluster]
        assert shape.intersection(communes.geometry[commune]).area >= 0.9 * shape.area


@pack_ids
def test_table_rows_are_one_per_commune_and_year_2021_to_2025(pack_id: str) -> None:
    codes = set(metric(pack_id, "communes")["code"])
    for table in manifest(pack_id)["tables"]:
        rows = pd.read_csv(GEODATA / pack_id / table["file"], dtype={table["key"]: str})
        assert set(rows[table["key"]]) == codes, table["id"]
        assert set(rows[table["year_column"]]) == {2021, 2022, 2023, 2024, 2025}
        assert not rows.duplicated([table["key"], table["year_column"]]).any()
        assert len(rows) == len(codes) * 5
        declared = {c["name"] for c in table["columns"]}
        assert set(rows.columns) == declared | {table["key"], table["year_column"]}


def test_telecom_figures_are_consistent() -> None:
    rows = pd.read_csv(GEODATA / "cang_long" / "tables" / "telecom.csv", dtype={"code": str})
    assert rows["hamlets"].between(5, 12).all()
    assert (rows["hamlets_internet"] <= rows["hamlets"]).all()
    assert (rows["agencies_fibre"] <= rows["agencies"]).all()
    pct = (100 * rows["hamlets_internet"] / rows["hamlets"]).round(1)
    np.testing.assert_allclose(rows["hamlets_internet_pct"], pct)
    for column in ("fibre_centre", "coverage_5g"):
        assert rows[column].dtype == bool, column
    last = rows[rows["year"] == 2025]
    reached = last["hamlets_internet"] == last["hamlets"]
    assert 0.5 < reached.mean() < 1.0  # most communes reach the target, not all


def test_environment_figures_are_consistent() -> None:
    rows = pd.read_csv(GEODATA / "chi_lang" / "tables" / "environment.csv", dtype={"code": str})
    for column in ("clean_water_pct", "waste_collected_pct"):
        assert rows[column].between(0, 100).all(), column
    for column in ("landfill", "hygienic_cemetery"):
        assert rows[column].dtype == bool, column
    assert (rows["population"] > 0).all()


@pack_ids
def test_targets_refer_to_table_columns_and_quote_the_plan_verbatim(pack_id: str) -> None:
    raw = manifest(pack_id)
    tables = {t["id"]: {c["name"] for c in t["columns"]} for t in raw["tables"]}
    assert len(raw["targets"]) == 4
    plan = PLAN_TEXTS / PACKS[pack_id]["plan"]
    text = unicodedata.normalize("NFC", plan.read_text(encoding="utf-8")) if plan.exists() else None
    for target in raw["targets"]:
        columns = tables[target["table"]]
        for key in ("column", "denominator", "weight"):
            if key in target:
                assert target[key] in columns, (target["id"], key)
        if target["aggregate"] == "ratio":
            assert "denominator" in target, target["id"]
        if text is not None:
            assert unicodedata.normalize("NFC", target["quote"]) in text, target["id"]


def plan_text(pack_id: str) -> str | None:
    plan = PLAN_TEXTS / PACKS[pack_id]["plan"]
    return unicodedata.normalize("NFC", plan.read_text(encoding="utf-8")) if plan.exists() else None


@pack_ids
def test_items_the_plan_does_not_name_carry_their_layers_own_honest_source(pack_id: str) -> None:
    raw = manifest(pack_id)
    layers = {layer["id"]: layer for layer in raw["layers"]}
    text = plan_text(pack_id)
    for layer_id, prefix in NOT_IN_PLAN_TEXT[pack_id].items():
        layer = layers[layer_id]
        names = read_layer(pack_id, layer["file"])["name"].tolist()
        unnamed = [n for n in names if n.startswith(prefix)]
        assert unnamed, layer_id
        if text is not None:  # the claim itself: the plan names none of them
            assert not [n for n in unnamed if n.casefold() in text.casefold()], layer_id
        honesty = layer.get("honesty")
        assert honesty is not None, layer_id
        assert honesty["source"] != raw["honesty"]["source"], layer_id
        said = (honesty["source"]["vi"] + honesty.get("note", {}).get("vi", "")).casefold()
        assert "minh hoạ" in said or "không lấy từ" in said, layer_id
        said_en = (honesty["source"]["en"] + honesty.get("note", {}).get("en", "")).casefold()
        assert "illustrative" in said_en or "not taken from" in said_en, layer_id


def test_no_feature_note_calls_an_invented_list_official() -> None:
    notes = plan_features("cang_long")["note"].dropna()
    assert not notes.str.contains("công bố công khai").any()


@pack_ids
def test_shipped_view_titles_claim_no_year_beyond_the_data(pack_id: str) -> None:
    views = tomllib.loads((GEODATA / pack_id / "views.toml").read_text(encoding="utf-8"))
    last = PACKS[pack_id]["years"][0] + 4  # the tables stop at 2025
    for view in views["views"]:
        for lang in ("vi", "en"):
            title = re.sub(r"\([^)]*\)", "", view["title"][lang])  # "(mục tiêu 2030)" is fine
            years = [int(y) for y in re.findall(r"\b(?:19|20)\d\d\b", title)]
            assert all(y <= last for y in years), title
        assert view.get("year", last) <= last


@pack_ids
def test_pack_is_small(pack_id: str) -> None:
    size = sum(p.stat().st_size for p in (GEODATA / pack_id).rglob("*") if p.is_file())
    assert size < 1_500_000


def test_generator_reproduces_the_committed_packs_byte_for_byte(tmp_path: Path) -> None:
    subprocess.run(
        [sys.executable, str(GEODATA / "build_packs.py"), "--out", str(tmp_path)],
        check=True,
        capture_output=True,
        cwd=tmp_path,
    )
    for pack_id in PACKS:
        built = {
            p.relative_to(tmp_path / pack_id).as_posix(): p.read_bytes()
            for p in (tmp_path / pack_id).rglob("*")
            if p.is_file()
        }
        committed = {
            p.relative_to(GEODATA / pack_id).as_posix(): p.read_bytes()
            for p in (GEODATA / pack_id).rglob("*")
            if p.is_file()
        }
        assert sorted(built) == sorted(committed), pack_id
        differing = [name for name in built if built[name] != committed[name]]
        assert not differing, (pack_id, differing)
