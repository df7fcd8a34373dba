"""The Data page in AppTest: an upload is previewed, its CRS confirmed, joined and saved.

AppTest has no file uploader, so the tests put the file where the uploader's callback puts it
(`ui.data_state.UPLOAD`, a `(name, bytes)` pair); everything after that is the page's own code.
"""

from __future__ import annotations

import io
import json
import tempfile
import unicodedata
import zipfile
from pathlib import Path

import geopandas as gpd
import pandas as pd
import pyogrio
import pytest
from streamlit.testing.v1 import AppTest

from atlas.ingest import JoinResult, province_zone
from tests.accounts import signed_in_app
from tests.conftest import REPO_ROOT
from ui import data_state as ds

DATA_PAGE = "pages/data.py"
COMMUNES = REPO_ROOT / "geodata" / "cang_long" / "layers" / "communes.geojson"


# --- files a planning office might have ---------------------------------------------------


def shapefile_zip_without_prj(province: str = "Trà Vinh") -> bytes:
    """Càng Long's communes in the province's VN-2000 TM-3 zone, zipped with no .prj."""
    frame = gpd.read_file(COMMUNES)[["code", "name", "geometry"]]
    frame = frame.to_crs(province_zone(province).crs)
    with tempfile.TemporaryDirectory() as tmp:
        shp = Path(tmp) / "xa_vn2000.shp"
        pyogrio.write_dataframe(frame, shp)
        shp.with_suffix(".prj").unlink()
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
            for file in sorted(Path(tmp).iterdir()):
                archive.write(file, file.name)
    return buffer.getvalue()


def geojson_with(names: list[str]) -> bytes:
    """Points in Càng Long (lon/lat, no CRS member) with the given names, codes as numbers."""
    features = [
        {
            "type": "Feature",
            "geometry": {"type": "Point", "coordinates": [106.2 + i * 0.01, 9.97]},
            "properties": {"ten": name, "so_lieu": i},
        }
        for i, name in enumerate(names)
    ]
    return json.dumps({"type": "FeatureCollection", "features": features}).encode()


# --- driving the page ---------------------------------------------------------------------


def open_data_page(app_test: AppTest) -> AppTest:
    """The Data page with an editor signed in (imports are an editor's)."""
    at = signed_in_app(app_test)
    at.switch_page(DATA_PAGE).run()
    assert not at.exception, at.exception
    return at


def upload(at: AppTest, name: str, data: bytes) -> AppTest:
    at.session_state[ds.UPLOAD] = (name, data)
    at.run()
    assert not at.exception, at.exception
    return at


def preview_maps(at: AppTest) -> list[dict]:
    return [
        json.loads(el.proto.json_args)
        for el in at.get("component_instance")
        if "streamlit_folium" in el.proto.component_name
    ]


def texts(at: AppTest) -> str:
    parts = [el.value for kind in ("markdown", "caption", "info", "warning", "error", "success")
             for el in at.get(kind)]  # fmt: skip
    return "\n".join(str(p) for p in parts).replace("\\", "")  # markdown escapes off


def frame_with(at: AppTest, column: str) -> pd.DataFrame:
    for frame in at.dataframe:
        if column in frame.value.columns:
            return frame.value
    raise AssertionError(f"no dataframe with a column {column!r}")


def confirm_zone(at: AppTest) -> AppTest:
    at.button(key="data.crs_confirm").click().run()
    assert not at.exception, at.exception
    return at


@pytest.fixture
def user_data(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A user data folder of this test's own (a saved pack must not leak into other tests)."""
    folder = tmp_path / "packs"
    monkeypatch.setenv("ATLAS_USER_DATA", str(folder))
    return folder


# --- tests --------------------------------------------------------------------------------


def test_the_data_page_is_in_the_navigation_and_states_the_size_limit(app_test: AppTest) -> None:
    at = open_data_page(app_test)
    assert [title.value for title in at.title] == ["Dữ liệu"]
    assert "Tối đa 50 MB một tệp" in texts(at)
    assert "Hãy chọn một tệp để bắt đầu." in texts(at)
    # Any pack, shipped ones too, can be downloaded as a zip.
    assert at.selectbox(key=ds.DOWNLOAD_PACK).options[:2] == ["Huyện Càng Long", "Huyện Chi Lăng"]
    assert len(at.get("download_button")) == 1


def test_a_shapefile_without_prj_waits_for_the_zone_before_the_map_is_drawn(
    app_test: AppTest,
) -> None:
    at = upload(open_data_page(app_test), "xa_vn2000.zip", shapefile_zip_without_prj())
    assert "không khai báo hệ toạ độ" in texts(at)
    zone = at.selectbox(key=ds.ZONE)
    # Trà Vinh, the province of the pack in the sidebar, is proposed first.
    assert zone.value == "EPSG:9209|Trà Vinh"  # ranked first by where the data lands
    assert "105°30′" in zone.options[0] and "đề xuất" in zone.options[0]
    assert len(zone.options) > 50  # every province can be picked
    assert preview_maps(at) == []
    assert all(button.key != ds.SAVE for button in at.button)

    confirm_zone(at)
    maps = preview_maps(at)
    assert len(maps) == 1
    assert maps[0]["script"].count('"preview:') == 14
    assert "EPSG:9209" in texts(at) and "do bạn xác nhận" in texts(at)
    # The communes land where Càng Long is (lon 106.1–106.4, lat 9.8–10.1).
    bounds = json.loads(maps[0]["script"].split(".fitBounds(")[1].split(",\n")[0].split(")")[0])
    (south, west), (north, east) = bounds
    assert 9.8 < south < north < 10.1 and 106.1 < west < east < 106.4


def test_columns_are_suggested_and_the_join_report_counts_code_matches(app_test: AppTest) -> None:
    at = confirm_zone(upload(open_data_page(app_test), "xa.zip", shapefile_zip_without_prj()))
    assert at.selectbox(key=ds.COL_CODE).value == "code"
    assert at.selectbox(key=ds.COL_NAME).value == "name"
    metrics = {m.label: m.value for m in at.metric}
    assert metrics == {"Khớp mã": "14", "Khớp tên": "0", "Gần đúng": "0", "Không khớp": "0"}
    table = frame_with(at, "Mã trong tệp")
    assert len(table) == 14 and set(table["Kết quả"]) == {"Khớp mã"}


def test_nothing_is_written_until_confirm_then_the_pack_is_in_the_district_picker(
    app_test: AppTest, user_data: Path
) -> None:
    at = confirm_zone(upload(open_data_page(app_test), "xa.zip", shapefile_zip_without_prj()))
    at.text_input(key=ds.PACK_ID).set_value("xa_tra_vinh")
    at.text_input(key=ds.NAME_VI).set_value("Xã Trà Vinh (nhập)")
    at.text_input(key=ds.NAME_EN).set_value("Trà Vinh communes (imported)").run()
    assert not at.exception, at.exception
    assert not (user_data / "xa_tra_vinh").exists()

    at.button(key=ds.SAVE).click().run()
    assert not at.exception, at.exception
    assert (user_data / "xa_tra_vinh" / "pack.toml").is_file()
    assert "Đã tạo gói “xa_tra_vinh”" in texts(at)
    picker = at.sidebar.selectbox(key="pack")
    assert "Xã Trà Vinh (nhập)" in picker.options
    assert picker.value == "xa_tra_vinh"


def test_a_fuzzy_name_is_joined_only_when_the_user_accepts_it(app_test: AppTest) -> None:
    # "Xa My Cam" lost its diacritics and a letter: a fuzzy match for Xã Mỹ Cẩm.
    data = geojson_with(["Xã An Trường", "Xa My Cm"])
    at = upload(open_data_page(app_test), "diem.geojson", data)
    assert "kinh độ/vĩ độ" in texts(at)
    at.selectbox(key=ds.COL_NAME).set_value("ten").run()
    metrics = {m.label: m.value for m in at.metric}
    assert metrics["Gần đúng"] == "1", metrics
    fuzzy = [box for box in at.checkbox if box.key.startswith(ds.FUZZY)]
    assert len(fuzzy) == 1 and not fuzzy[0].value
    assert "Xã Mỹ Cẩm" in fuzzy[0].label

    join = at.session_state[ds.CURRENT].join
    assert ds.confirmed_join(join, set()).codes() == [join.rows["code"][0], None]
    fuzzy[0].check().run()
    assert ds.accepted_fuzzy(at.session_state, join) == {int(fuzzy[0].key.rsplit(".", 1)[1])}
    at.checkbox(key=ds.ACCEPT_ALL).check().run()
    assert at.checkbox(key=fuzzy[0].key).disabled


def test_confirmed_join_turns_rejected_fuzzy_rows_into_unmatched() -> None:
    rows = pd.DataFrame(
        {
            "row": [1, 2, 3],
            "input_code": ["29266", None, None],
            "input_name": ["", "Xa My Cm", "Xa An Truong A"],
            "status": ["code", "fuzzy", "fuzzy"],
            "code": ["29266", "29269", "29272"],
            "name": ["Thị trấn Càng Long", "Xã Mỹ Cẩm", "Xã An Trường A"],
            "score": [1.0, 0.8, 0.9],
        }
    )
    join = ds.confirmed_join(JoinResult(rows), accepted={3})
    assert list(join.rows["status"]) == ["code", "unmatched", "fuzzy"]
    assert join.codes(accept_fuzzy=True) == ["29266", None, "29272"]


def test_a_broken_file_is_refused_without_a_crash_and_nothing_is_written(
    app_test: AppTest, user_data: Path
) -> None:
    at = upload(open_data_page(app_test), "hong.zip", b"PK\x03\x04 not really a zip")
    assert at.error, "the problem is shown"
    assert all(button.key != ds.SAVE for button in at.button)
    assert not user_data.exists() or not any(user_data.iterdir())


def test_attribute_values_are_shown_as_text_never_as_html(app_test: AppTest) -> None:
    evil = '<img src=x onerror="alert(1)">**đậm**'
    at = upload(open_data_page(app_test), "xss.geojson", geojson_with([evil]))
    table = frame_with(at, "ten")
    assert list(table["ten"]) == [evil]
    assert list(table["so_lieu"]) == ["0"]  # numbers too are text in the preview
    assert "<img" not in texts(at)
    script = preview_maps(at)[0]["script"]
    assert "onerror" not in script  # the map carries geometry only


def test_the_page_speaks_english(app_test: AppTest) -> None:
    at = open_data_page(app_test)
    at.sidebar.radio(key="lang").set_value("en").run()
    at = upload(at, "xa.zip", shapefile_zip_without_prj())
    assert [title.value for title in at.title] == ["Data"]
    assert "declares no coordinate system" in texts(at)
    assert at.button(key="data.crs_confirm").label == "Confirm coordinate system"


def two_layer_geopackage(tmp_path: Path) -> bytes:
    communes = gpd.read_file(COMMUNES)[["code", "name", "geometry"]]
    path = tmp_path / "ho_so.gpkg"
    pyogrio.write_dataframe(communes, path, layer="ranh_gioi_xa")
    points = communes.copy()
    points["geometry"] = communes.geometry.representative_point()
    pyogrio.write_dataframe(points.head(3), path, layer="tram_y_te", append=True)
    return path.read_bytes()


def test_a_geopackage_layer_is_picked_from_a_list(app_test: AppTest, tmp_path: Path) -> None:
    at = upload(open_data_page(app_test), "ho_so.gpkg", two_layer_geopackage(tmp_path))
    picker = at.selectbox(key=ds.LAYER)
    assert picker.options == ["ranh_gioi_xa", "tram_y_te"]
    assert preview_maps(at)[0]["script"].count('"preview:') == 14
    picker.set_value("tram_y_te").run()
    assert not at.exception, at.exception
    assert preview_maps(at)[0]["script"].count('"preview:') == 3
    assert "hình học: Point" in texts(at)


def test_codes_that_lost_their_leading_zero_still_match(app_test: AppTest) -> None:
    # Excel turned Chi Lăng's commune codes 06463, 06466 into numbers.
    csv = "ma_xa,ten_xa,so_km\n6463,Thị trấn Đồng Mỏ,3.5\n6466,TT Chi Lăng,1\n"
    at = upload(open_data_page(app_test), "duong.csv", csv.encode("utf-8"))
    at.sidebar.selectbox(key="pack").set_value("chi_lang").run()  # the join follows the sidebar
    assert not at.exception, at.exception
    assert at.selectbox(key=ds.COL_CODE).value == "ma_xa"
    assert {m.label: m.value for m in at.metric}["Khớp mã"] == "2"
    table = frame_with(at, "Mã xã")
    assert list(table["Mã xã"]) == ["06463", "06466"]


def test_a_table_with_decomposed_unicode_names_is_added_to_a_user_pack(
    app_test: AppTest, user_data: Path
) -> None:
    at = confirm_zone(upload(open_data_page(app_test), "xa.zip", shapefile_zip_without_prj()))
    at.text_input(key=ds.PACK_ID).set_value("xa_nhap").run()
    at.button(key=ds.SAVE).click().run()
    assert (user_data / "xa_nhap" / "pack.toml").is_file()

    # Names typed on a Mac arrive decomposed (NFD).
    csv = "ma_xa,ten_xa,nam,so_km\n29266,Thị trấn Càng Long,2024,3.5\n29269,Xã Mỹ Cẩm,2024,1\n"
    at.button(key="data.restart").click().run()
    at = upload(at, "duong.csv", unicodedata.normalize("NFD", csv).encode("utf-8"))
    assert "Bảng 2 dòng" in texts(at)
    assert at.selectbox(key=ds.COL_CODE).value == "ma_xa"
    assert {m.label: m.value for m in at.metric}["Khớp mã"] == "2"
    at.radio(key=ds.TARGET).set_value(ds.TARGET_EXISTING).run()
    assert at.selectbox(key=ds.USER_PACK).value == "xa_nhap"
    at.button(key=ds.SAVE).click().run()
    assert not at.exception, at.exception
    assert "vào gói “xa_nhap”" in texts(at), texts(at)
    assert any((user_data / "xa_nhap" / "tables").glob("*"))


def test_the_packs_page_offers_the_selected_pack_as_a_zip(app_test: AppTest) -> None:
    at = app_test.run()
    at.switch_page("pages/packs.py").run()
    assert not at.exception, at.exception
    buttons = at.get("download_button")
    assert [b.proto.label for b in buttons] == ["Tải cang_long.zip"]


def test_saving_over_an_existing_pack_is_refused_and_leaves_it_unchanged(
    app_test: AppTest, user_data: Path
) -> None:
    data = shapefile_zip_without_prj()
    at = confirm_zone(upload(open_data_page(app_test), "xa.zip", data))
    at.text_input(key=ds.PACK_ID).set_value("xa_cu").run()
    at.button(key=ds.SAVE).click().run()
    manifest = (user_data / "xa_cu" / "pack.toml").read_bytes()

    at.button(key="data.restart").click().run()
    at = confirm_zone(upload(at, "xa_lan_hai.zip", data))
    at.text_input(key=ds.PACK_ID).set_value("xa_cu").run()
    at.button(key=ds.SAVE).click().run()
    assert not at.exception, at.exception
    assert "Không lưu được" in texts(at)
    assert (user_data / "xa_cu" / "pack.toml").read_bytes() == manifest
    assert sorted(p.name for p in user_data.iterdir() if not p.name.startswith(".")) == ["xa_cu"]


# --- the join follows the sidebar, says why, and can be left out -------------------------


def test_the_join_reference_follows_the_pack_chosen_in_the_sidebar(app_test: AppTest) -> None:
    csv = "ma_xa,ten_xa,so_km\n6463,Thị trấn Đồng Mỏ,3.5\n6466,Thị trấn Chi Lăng,1\n"
    at = upload(open_data_page(app_test), "duong.csv", csv.encode("utf-8"))
    assert "Huyện Càng Long" in " ".join(at.radio(key=ds.REF_SOURCE).options)
    assert {m.label: m.value for m in at.metric}["Khớp mã"] == "0"
    at.selectbox(key=ds.COL_CODE).set_value(None).run()  # a choice made for Càng Long …
    at.sidebar.selectbox(key="pack").set_value("chi_lang").run()
    assert not at.exception, at.exception
    assert "Huyện Chi Lăng" in " ".join(at.radio(key=ds.REF_SOURCE).options)
    assert at.selectbox(key=ds.COL_CODE).value == "ma_xa"  # … starts again for Chi Lăng
    metrics = {m.label: m.value for m in at.metric}
    assert metrics["Khớp mã"] == "2" and metrics["Gần đúng"] == "0"
    assert not [box for box in at.checkbox if box.key.startswith(ds.FUZZY)]


def test_dropping_every_row_is_a_clear_message_not_a_crash(
    app_test: AppTest, user_data: Path
) -> None:
    at = upload(open_data_page(app_test), "diem.geojson", geojson_with(["Nowhere", "Nothing"]))
    assert at.checkbox(key=ds.NO_JOIN).value  # no column looks like commune data
    at.checkbox(key=ds.NO_JOIN).uncheck().run()
    at.selectbox(key=ds.COL_NAME).set_value("ten").run()
    assert {m.label: m.value for m in at.metric}["Không khớp"] == "2"
    assert not [box for box in at.checkbox if box.key.startswith(ds.FUZZY)]
    assert "Không có xã nào tên “Nowhere” trong gói." in list(frame_with(at, "Lý do")["Lý do"])
    at.checkbox(key=ds.DROP_UNMATCHED).check().run()
    at.button(key=ds.SAVE).click().run()
    assert not at.exception, at.exception
    shown = texts(at)
    assert "Không còn dòng nào" in shown and "Lỗi không mong đợi" not in shown
    assert "gần đúng" not in shown.split("Không lưu được")[-1]  # no fuzzy advice: none exist
    assert not user_data.exists() or not any(p for p in user_data.iterdir() if p.name != ".staging")


def test_a_roads_layer_is_saved_with_no_join_by_default(app_test: AppTest, user_data: Path) -> None:
    features = [
        {
            "type": "Feature",
            "geometry": {"type": "LineString", "coordinates": [[106.2, 9.95], [106.25, 10.0]]},
            "properties": {"ma": "HA13", "ten": "Đường huyện 13", "nam": 2022},
        }
    ]
    data = json.dumps({"type": "FeatureCollection", "features": features}).encode()
    at = upload(open_data_page(app_test), "duong.geojson", data)
    assert at.selectbox(key=ds.COL_CODE).value is None
    assert at.checkbox(key=ds.NO_JOIN).value and not at.metric
    at.text_input(key=ds.PACK_ID).set_value("duong").run()
    at.button(key=ds.SAVE).click().run()
    assert not at.exception, at.exception
    assert "Đã tạo gói “duong”" in texts(at), texts(at)


def test_a_table_of_post_2025_communes_is_refused_with_both_fits_named(app_test: AppTest) -> None:
    from atlas import gazetteer

    if not gazetteer.available():
        pytest.skip("gazetteer not generated (make prepare)")
    csv = (
        "ma_xa,ten_xa,dan_so\n6463,Xã Chi Lăng,1\n6481,Xã Chiến Thắng,2\n6475,Xã Bằng Mạc,3\n"
        "6496,Xã Nhân Lý,4\n6505,Xã Vạn Linh,5\n6517,Xã Quan Sơn,6\n"
    )
    at = signed_in_app(app_test)
    at.sidebar.selectbox(key="pack").set_value("chi_lang").run()
    at.switch_page(DATA_PAGE).run()
    at = upload(at, "xa_moi.csv", csv.encode("utf-8"))
    shown = texts(at)
    assert "6 trên 6 dòng là xã sau 1/7/2025 của Tỉnh Lạng Sơn" in shown, shown
    assert {m.label: m.value for m in at.metric}["Mã trùng, tên khác"] == "2"
    assert all(box.key != ds.DROP_UNMATCHED for box in at.checkbox)
    at.text_input(key=ds.PACK_ID).set_value("moi").run()
    at.button(key=ds.SAVE).click().run()
    assert not at.exception, at.exception
    assert "Không lưu được" in texts(at) and texts(at).count("6 trên 6 dòng là xã sau") == 2
