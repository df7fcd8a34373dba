"""Saved views in AppTest: save from the map page, apply, restore from a URL, present them."""

from __future__ import annotations

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from atlas import views as vw
from atlas.store import open_store
from tests.accounts import EDITOR, signed_in_app
from tests.packfactory import make_pack
from tests.test_map_page import (
    check,
    layer_features,
    map_args,
    map_command,
    map_legend_html,
    open_map,
    shown_tiles,
)

PRESENT = "pages/present.py"
ROADS = "map.cang_long.on.roads"


@pytest.fixture
def db_url(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    """A database of this test's own (the store is cached per URL, so this one is fresh)."""
    url = f"sqlite:///{tmp_path / 'views.db'}"
    monkeypatch.setenv("ATLAS_DB_URL", url)
    return url


def test_a_view_saved_on_the_map_page_is_listed_and_applied(
    app_test: AppTest, db_url, browser_viewport
) -> None:
    at = check(signed_in_app(app_test))
    assert layer_features(at, "roads")
    check(at.toggle(key=ROADS).set_value(False).run())
    at.text_input(key="views.cang_long.title").input("Không có đường")
    at.text_input(key="views.cang_long.caption").input("Chỉ ranh giới")
    check(at.button(key="views.cang_long.save").click().run())
    saved = open_store(db_url).list_views("cang_long")
    assert [(v.title, v.caption) for v in saved] == [("Không có đường", "Chỉ ranh giới")]
    assert "roads" not in saved[0].layers and "communes" in saved[0].layers
    assert any("Không có đường" in md.value for md in at.markdown)
    # Roads back on, then the saved view takes them away again.
    check(at.toggle(key=ROADS).set_value(True).run())
    assert layer_features(at, "roads")
    check(at.button(key=f"views.apply.{saved[0].id}").click().run())
    assert at.toggle(key=ROADS).value is False
    assert not layer_features(at, "roads")


def test_the_map_page_writes_its_state_into_the_url(app_test: AppTest, db_url) -> None:
    at = open_map(app_test)
    check(at.toggle(key=ROADS).set_value(False).run())
    assert at.query_params["p"] == ["cang_long"] or at.query_params["p"] == "cang_long"
    layers = at.query_params["l"]
    layers = layers[0] if isinstance(layers, list) else layers
    assert "roads" not in layers.split(",") and "communes" in layers.split(",")


def test_a_url_restores_pack_layers_and_year(app_test: AppTest, db_url) -> None:
    app_test.query_params["p"] = "chi_lang"
    app_test.query_params["l"] = "communes,district"
    app_test.query_params["y"] = "2023"
    app_test.query_params["z"] = "13"
    at = check(app_test.run())
    assert at.sidebar.selectbox(key="pack").value == "chi_lang"
    assert at.toggle(key="map.chi_lang.on.roads").value is False
    assert at.toggle(key="map.chi_lang.on.communes").value is True
    assert not layer_features(at, "roads") and layer_features(at, "communes")
    assert map_command(at)["zoom"] == 13 and "center" not in map_command(at)  # what it says
    assert at.select_slider(key="map.chi_lang.year").value == 2023
    assert not any("bỏ qua" in w.value for w in at.warning)  # nothing in the URL ignored


def test_junk_in_a_url_is_ignored_with_a_warning(app_test: AppTest, db_url) -> None:
    app_test.query_params["p"] = "cang_long"
    app_test.query_params["l"] = "roads,no_such_layer"
    at = check(app_test.run())
    assert any("no_such_layer" in w.value for w in at.warning)
    assert layer_features(at, "roads") and not layer_features(at, "communes")


@pytest.fixture
def viewless_pack(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> str:
    """A user pack that ships no views.toml (the shipped packs do ship views)."""
    make_pack(tmp_path / "packs")
    monkeypatch.setenv("ATLAS_USER_DATA", str(tmp_path / "packs"))
    monkeypatch.setenv("ATLAS_PACK", "test_pack")
    return "test_pack"


def test_the_present_page_steps_through_the_views(
    app_test: AppTest, db_url, viewless_pack: str
) -> None:
    db = open_store(db_url)
    db.save_view(
        vw.View(pack_id=viewless_pack, layers=("communes",), title="Một", caption="A"), by=EDITOR
    )
    db.save_view(
        vw.View(pack_id=viewless_pack, layers=("water",), title="Hai", caption="B"), by=EDITOR
    )
    at = check(app_test.run())
    at.switch_page(PRESENT)
    at = check(at.run())
    assert [t.value for t in at.title] == ["Một"]
    assert layer_features(at, "communes") and not layer_features(at, "water")
    assert at.button(key="present-prev").disabled
    check(at.button(key="present-next").click().run())
    assert [t.value for t in at.title] == ["Hai"]
    assert layer_features(at, "water") and not layer_features(at, "communes")
    assert at.button(key="present-next").disabled
    check(at.button(key="present-prev").click().run())
    assert [t.value for t in at.title] == ["Một"]


def test_the_present_page_without_views_says_so(
    app_test: AppTest, db_url, viewless_pack: str
) -> None:
    at = check(app_test.run())
    at.switch_page(PRESENT)
    at = check(at.run())
    assert at.info


def test_shipped_packs_present_their_default_views(app_test: AppTest, db_url) -> None:
    at = check(app_test.run())
    at.switch_page(PRESENT)
    at = check(at.run())
    assert [t.value for t in at.title] == ["Giao thông 2021–2025"]
    assert layer_features(at, "roads")


def test_a_pack_s_shipped_views_come_first_and_apply_on_the_map_page(
    app_test: AppTest, db_url, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    pack = make_pack(tmp_path / "packs")
    (pack / "views.toml").write_text(
        '[[views]]\ntitle = { vi = "Nước sạch", en = "Clean water" }\nlayers = ["water"]\n',
        "utf-8",
    )
    monkeypatch.setenv("ATLAS_USER_DATA", str(tmp_path / "packs"))
    monkeypatch.setenv("ATLAS_PACK", "test_pack")
    open_store(db_url).save_view(
        vw.View(pack_id="test_pack", layers=("communes",), title="Xã"), by=EDITOR
    )
    at = check(app_test.run())
    assert at.sidebar.selectbox(key="pack").value == "test_pack"
    check(at.button(key="views.apply.default:1").click().run())
    assert at.toggle(key="map.test_pack.on.water").value is True
    assert at.toggle(key="map.test_pack.on.communes").value is False
    at.switch_page(PRESENT)
    at = check(at.run())
    assert [t.value for t in at.title] == ["Nước sạch"]
    check(at.button(key="present-next").click().run())
    assert [t.value for t in at.title] == ["Xã"]


def test_the_present_page_says_the_map_is_schematic(app_test: AppTest, db_url) -> None:
    at = check(app_test.run())
    at.switch_page(PRESENT)
    at = check(at.run())
    assert any("sơ đồ" in c.value.lower() for c in at.caption)


def test_the_present_map_has_no_editing_tools_and_a_larger_legend(
    app_test: AppTest, db_url
) -> None:
    at = check(app_test.run())
    at.switch_page(PRESENT)
    at = check(at.run())
    script = map_args(at)["script"]
    assert "L.Control.Measure" not in script and "MousePosition" not in script
    assert "L.control.layers" not in script  # no basemap switcher
    assert "L.control.zoom" in script and "L.control.fullscreen" in script
    assert "font:17px" in map_legend_html(at)


def test_each_present_step_asks_the_map_for_its_view_once(
    app_test: AppTest, db_url, viewless_pack: str
) -> None:
    db = open_store(db_url)
    db.save_view(vw.View(pack_id=viewless_pack, layers=("communes",), title="Cả huyện"), by=EDITOR)
    db.save_view(
        vw.View(pack_id=viewless_pack, layers=("water",), title="Gần", center=(10.5, 106.5),
                zoom=13, basemap="osm"), by=EDITOR
    )  # fmt: skip
    at = check(app_test.run())
    at.switch_page(PRESENT)
    at = check(at.run())
    first = map_command(at)
    assert first["bounds"] and first["basemap"] == "none"  # no centre: the whole district
    assert shown_tiles(map_args(at)["script"]) == []
    check(at.run())
    assert map_command(at)["token"] == first["token"]  # a rerun: the same request
    check(at.button(key="present-next").click().run())
    second = map_command(at)
    assert (second["center"], second["zoom"], second["basemap"]) == ([10.5, 106.5], 13, "osm")
    assert shown_tiles(map_args(at)["script"]) == ["https://tile.openstreetmap.org/{z}/{x}/{y}.png"]
    check(at.button(key="present-prev").click().run())
    assert map_command(at)["token"] not in (first["token"], second["token"])  # shown again
