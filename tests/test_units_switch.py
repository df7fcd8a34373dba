"""The before / after 2025 switch in AppTest, on the map, scenarios and targets pages: after
2025 the new communes are drawn and named with the old units they absorbed, figures follow,
scenarios are shown read-only, and the choice survives a page switch."""

from __future__ import annotations

import pytest
from streamlit.testing.v1 import AppTest

from atlas import after2025
from tests.accounts import EDITOR
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


def test_a_view_remembers_its_units_in_the_url_and_the_store():
    from atlas import views as vw

    view = vw.View(pack_id="cang_long", layers=("communes",), units=after2025.AFTER)
    query = view.to_query()
    assert query["u"] == "post2025"
    back = vw.from_query(query, "cang_long", ["communes"]).view
    assert back.units == after2025.AFTER
    assert vw.View.from_json(view.to_json()).units == after2025.AFTER
    assert "u" not in vw.View(pack_id="cang_long").to_query()  # before 2025: the default
    assert vw.from_query({"p": "cang_long", "u": "x"}, "cang_long", []).ignored == ("u=x",)


def test_a_shared_link_opens_the_map_after_2025(app_test: AppTest):
    app_test.query_params.update({"p": "chi_lang", "l": "communes", "u": "post2025"})
    at = check(app_test.run())
    assert at.sidebar.radio(key=UNITS).value == after2025.AFTER
    assert len(layer_features(at, "communes")) == 6


def test_a_view_saved_after_2025_is_presented_on_the_new_communes(app_test: AppTest):
    from atlas import views as vw
    from ui.scenario_data import store

    saved = store().save_view(
        vw.View(pack_id="chi_lang", layers=("communes",), title="Xã mới", units=after2025.AFTER),
        by=EDITOR,
    )
    try:
        at = check(app_test.run())
        check(at.sidebar.selectbox(key="pack").set_value("chi_lang").run())
        check(at.switch_page("pages/present.py").run())
        for _ in range(10):
            if at.title and at.title[0].value == "Xã mới":
                break
            check(at.button(key="present-next").click().run())
        assert at.title[0].value == "Xã mới"
        assert len(layer_features(at, "communes")) == 6
    finally:
        store().delete_view(saved.id, by=EDITOR)


def test_a_conversion_that_fails_says_so_and_keeps_the_old_communes(app_test: AppTest, monkeypatch):
    from ui import units

    def broken(pack, structure):
        raise ValueError("bad geometry")

    monkeypatch.setattr(units.after2025, "for_structure", broken)
    units.derived_pack.clear()
    try:
        at = check(app_test.run())
        check(at.sidebar.radio(key=UNITS).set_value(after2025.AFTER).run())
        assert any("bad geometry" in e.value for e in at.sidebar.error)
        assert len(layer_features(at, "communes")) == 14
    finally:
        units.derived_pack.clear()
