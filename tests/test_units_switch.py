"""The before / after 2025 switch in AppTest, on the map, scenarios and targets pages: after
2025 the new communes are drawn and named with the old units they absorbed, figures follow,
scenarios are shown read-only, and the choice survives a page switch."""

from __future__ import annotations

import pytest
from streamlit.testing.v1 import AppTest

from atlas import after2025
from tests.test_map_page import check, layer_features

UNITS = "map.units"


def after_2025(app_test: AppTest, pack_id: str = "cang_long") -> AppTest:
    at = check(app_test.run())
    if pack_id != "cang_long":
        check(at.sidebar.selectbox(key="pack").set_value(pack_id).run())
    return check(at.sidebar.radio(key=UNITS).set_value(after2025.AFTER).run())


def test_the_switch_offers_both_structures_and_starts_before_2025(app_test: AppTest):
    at = check(app_test.run())
    radio = at.sidebar.radio(key=UNITS)
    assert radio.value == after2025.BEFORE
    assert radio.options == ["Trước 1/7/2025 (xã cũ)", "Sau 1/7/2025 (xã mới)"]
    communes = layer_features(at, "communes")
    assert len(communes) == 14
    assert any("Từ 1/7/2025 thuộc" in p["_popup"] for p in communes.values())


@pytest.mark.parametrize(("pack_id", "n"), [("cang_long", 5), ("chi_lang", 6)])
def test_after_2025_the_map_draws_the_new_communes(app_test: AppTest, pack_id: str, n: int):
    at = after_2025(app_test, pack_id)
    communes = layer_features(at, "communes")
    assert len(communes) == n
    assert all(p["_name"].startswith("Xã ") for p in communes.values())
    assert all("Gồm các đơn vị cũ" in p["_popup"] for p in communes.values())
    assert any("sau 1/7/2025: " in i.value for i in at.info)


def test_after_2025_search_finds_an_old_name(app_test: AppTest):
    at = after_2025(app_test)
    check(at.text_input(key="map.cang_long.search").set_value("Mỹ Cẩm").run())
    pick = at.selectbox(key="map.cang_long.search_pick")
    assert pick.options[0].startswith("Xã Càng Long ← Xã Mỹ Cẩm")


def test_after_2025_targets_page_lists_new_communes_short(app_test: AppTest):
    at = after_2025(app_test)
    check(at.switch_page("pages/targets.py").run())
    assert at.sidebar.radio(key=UNITS).value == after2025.AFTER
    text = " ".join(str(df.value.to_dict()) for df in at.dataframe)
    assert "Xã An Trường" in text and "Xã An Trường A" not in text
    source = at.selectbox(key="targets.cang_long.source")
    check(source.set_value(source.options[-1]).run())  # a scenario, carried over


def test_after_2025_scenarios_are_shown_read_only(app_test: AppTest):
    at = after_2025(app_test)
    check(at.switch_page("pages/scenarios.py").run())
    assert any("Chuyển về “Trước 1/7/2025” để sửa" in i.value for i in at.info)
    assert not at.get("data_editor") and not at.get("arrow_data_frame_editor")
    check(at.sidebar.radio(key=UNITS).set_value(after2025.BEFORE).run())
    assert at.get("arrow_data_frame") or at.get("data_editor") or at.dataframe
