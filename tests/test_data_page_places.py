"""The Data page knows where an upload lies: a zone confirmed with the wrong province is not
saved without the user's tick, a district nobody made a pack for joins to the GSO list of its
province, and a file of several layers can go into one pack at once."""

from __future__ import annotations

import io
import tempfile
import unicodedata
import zipfile
from pathlib import Path

import geopandas as gpd
import numpy as np
import pyogrio
import pytest
import shapely
from streamlit.testing.v1 import AppTest

from atlas import gazetteer
from atlas.loader import load_pack
from tests.test_data_page import (
    confirm_zone,
    open_data_page,
    shapefile_zip_without_prj,
    texts,
    upload,
)
from ui import data_state as ds


@pytest.fixture
def user_data(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A user data folder of this test's own."""
    folder = tmp_path / "packs"
    monkeypatch.setenv("ATLAS_USER_DATA", str(folder))
    return folder


def district_cells(district_code: str) -> gpd.GeoDataFrame:
    """Schematic communes of a pre-2025 district no pack ships: Voronoi cells of the GSO
    communes' reference points within the district's extent, codes as integers, NFD names
    (as an office's file often has them)."""
    communes = gazetteer.units("pre2025", "commune")
    communes = communes[communes["district_code"] == district_code]
    box = shapely.box(*gazetteer.get("pre2025", "district", district_code).bounds)
    points = shapely.points(np.column_stack([communes["lon"], communes["lat"]]))
    cells = shapely.get_parts(shapely.voronoi_polygons(shapely.multipoints(points), extend_to=box))
    geoms = [next(c for c in cells if c.contains(p)).intersection(box) for p in points]
    return gpd.GeoDataFrame(
        {
            "ma_xa": communes["code"].astype(int).to_numpy(),
            "ten_xa": [unicodedata.normalize("NFD", n) for n in communes["name"]],
        },
        geometry=geoms,
        crs="EPSG:4326",
    )


def zipped_shapefile(frame: gpd.GeoDataFrame) -> bytes:
    with tempfile.TemporaryDirectory() as tmp:
        pyogrio.write_dataframe(frame, Path(tmp) / "xa.shp")
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w") as archive:
            for file in sorted(Path(tmp).iterdir()):
                archive.write(file, file.name)
    return buffer.getvalue()


def test_a_zone_confirmed_with_the_wrong_province_warns_and_waits_for_the_tick(
    app_test: AppTest, user_data: Path
) -> None:
    at = upload(open_data_page(app_test), "xa.zip", shapefile_zip_without_prj())
    zone = at.selectbox(key=ds.ZONE)
    wrong = next(k for k in zone.options if "Khánh Hòa" in k)
    zone.set_value(next(o for o in zone.options if o == wrong)).run()
    at = confirm_zone(at)
    shown = texts(at)
    assert "Khánh Hòa" in shown and "km" in shown, shown
    at.button(key=ds.SAVE).click().run()
    assert "Chưa lưu" in texts(at)
    assert not user_data.exists() or not any(p for p in user_data.iterdir() if p.name != ".staging")
    at.checkbox(key=ds.CONFIRM_LOCATION).check().run()
    at.button(key=ds.SAVE).click().run()
    assert not at.exception, at.exception
    assert at.session_state[ds.SAVED].created


def test_a_district_without_a_pack_joins_to_the_gso_communes_of_its_province(
    app_test: AppTest, user_data: Path
) -> None:
    frame = district_cells("846")  # Cầu Kè, Trà Vinh: no pack ships it
    at = upload(open_data_page(app_test), "cau_ke.zip", zipped_shapefile(frame))
    assert at.radio(key=ds.REF_SOURCE).value == ds.SOURCE_GSO
    assert "Trà Vinh" in " ".join(at.radio(key=ds.REF_SOURCE).options)
    metrics = {m.label: m.value for m in at.metric}
    assert metrics["Khớp mã"] == str(len(frame)), metrics
    at.text_input(key=ds.PACK_ID).input("cau_ke").run()
    at.button(key=ds.SAVE).click().run()
    assert not at.exception, at.exception
    pack = load_pack(user_data / "cau_ke").pack
    assert pack.meta.province.vi == "Tỉnh Trà Vinh"
    assert pack.meta.district_code == "846"
    assert pack.meta.admin_structure == "pre2025"


def test_every_layer_of_a_geopackage_can_be_saved_into_one_pack(
    app_test: AppTest, user_data: Path, tmp_path: Path
) -> None:
    communes = district_cells("846")
    path = tmp_path / "hai_lop.gpkg"
    pyogrio.write_dataframe(communes, path, layer="xa")
    roads = gpd.GeoDataFrame(
        {"ten": ["Đường huyện 1"]},
        geometry=[shapely.LineString(communes.geometry.iloc[0].exterior.coords[:3])],
        crs="EPSG:4326",
    )
    pyogrio.write_dataframe(roads, path, layer="duong", append=True)
    at = upload(open_data_page(app_test), "hai_lop.gpkg", path.read_bytes())
    at.checkbox(key=ds.ALL_LAYERS).check().run()
    at.text_input(key=ds.PACK_ID).input("hai_lop").run()
    at.button(key=ds.SAVE).click().run()
    assert not at.exception, at.exception
    pack = load_pack(user_data / "hai_lop").pack
    assert {layer.id for layer in pack.layers} >= {"xa", "duong"}
