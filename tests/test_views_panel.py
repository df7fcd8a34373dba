"""The map page's views panel in AppTest: the viewport and basemap in saved views and links,
the requests sent to the map, and reordering, renaming and deleting saved views.

AppTest runs no custom component, so the browser's viewport reader is replaced by the
`browser_viewport` fixture (tests/conftest.py); the map's requests are read back from the
st_folium arguments.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from atlas import views as vw
from atlas.store import open_store
from tests.accounts import EDITOR, make_accounts, sign_in_apptest
from tests.conftest import APP, BROWSER_VIEWPORT
from tests.test_map_page import check, map_args, map_command, open_map, shown_tiles


@pytest.fixture
def db_url(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    """A database of this test's own (the store is cached per URL, so this one is fresh)."""
    url = f"sqlite:///{tmp_path / 'views.db'}"
    monkeypatch.setenv("ATLAS_DB_URL", url)
    return url


def open_signed_in(app_test: AppTest, db_url: str) -> AppTest:
    """The map page with an editor signed in through the sidebar (views are an editor's)."""
    make_accounts(db_url, EDITOR)
    at = open_map(app_test)
    return check(sign_in_apptest(at, EDITOR))


def query(at: AppTest, name: str) -> str | None:
    value = at.query_params.get(name)
    return value[0] if isinstance(value, list) else value


# --- the viewport and basemap in saved views and links ------------------------------------------


def test_a_save_waits_for_the_browser_and_stores_its_viewport_and_basemap(
    app_test: AppTest, db_url, browser_viewport
) -> None:
    browser_viewport["answer"] = None  # the browser has not answered yet
    at = open_signed_in(app_test, db_url)
    at.text_input(key="views.cang_long.title").input("Gần hơn")
    check(at.button(key="views.cang_long.save").click().run())
    assert open_store(db_url).list_views("cang_long") == []
    assert any("Đang đọc" in c.value for c in at.caption)
    assert browser_viewport["asked"] == ["atlas.viewport.map.cang_long"]
    browser_viewport["answer"] = dict(BROWSER_VIEWPORT)  # its answer reruns the page
    check(at.run())
    (saved,) = open_store(db_url).list_views("cang_long")
    assert (saved.title, saved.center, saved.zoom, saved.basemap) == (
        "Gần hơn",
        (9.95, 106.2),
        13.5,
        "light",
    )
    assert at.text_input(key="views.cang_long.title").value == ""
    # The address holds that viewport now, and the reader is not asked again.
    assert (query(at, "b"), query(at, "z"), query(at, "c")) == (
        "light",
        "13.5",
        "9.95000,106.20000",
    )
    check(at.run())
    assert len(browser_viewport["asked"]) == 2


def test_a_save_without_a_title_asks_for_one_and_does_not_read(
    app_test: AppTest, db_url, browser_viewport
) -> None:
    at = open_signed_in(app_test, db_url)
    check(at.button(key="views.cang_long.save").click().run())
    assert any("tiêu đề" in w.value for w in at.warning)
    assert browser_viewport["asked"] == [] and open_store(db_url).list_views("cang_long") == []


def test_a_link_to_this_view_puts_the_browser_viewport_in_the_url(
    app_test: AppTest, db_url, browser_viewport
) -> None:
    at = open_map(app_test)
    assert query(at, "c") is None and query(at, "b") is None  # not known yet
    check(at.button(key="views.cang_long.link_button").click().run())
    link = " ".join(c.value for c in at.code)
    assert "c=9.95000%2C106.20000" in link and "z=13.5" in link and "b=light" in link
    assert query(at, "c") == "9.95000,106.20000"
    assert open_store(db_url).list_views("cang_long") == []  # a link saves nothing


def test_a_url_with_a_basemap_and_a_centre_asks_the_map_once(app_test: AppTest, db_url) -> None:
    app_test.query_params["p"] = "cang_long"
    app_test.query_params["b"] = "satellite"
    app_test.query_params["c"] = "9.9,106.2"
    app_test.query_params["z"] = "14"
    at = check(app_test.run())
    command = map_command(at)
    assert command["basemap"] == "satellite" and command["center"] == [9.9, 106.2]
    assert command["zoom"] == 14 and "bounds" not in command
    assert shown_tiles(map_args(at)["script"]) == []  # the base map itself stays the same
    check(at.toggle(key="map.cang_long.on.roads").set_value(False).run())
    assert map_command(at)["token"] == command["token"]  # sent again, carried out once
    assert query(at, "b") == "satellite"


def test_a_tile_url_in_a_link_is_never_loaded_and_the_user_is_told(
    app_test: AppTest, db_url
) -> None:
    """Issue 14: `?b=custom&bu=http://host/{z}/{x}/{y}.png` loaded tiles from any server."""
    app_test.query_params["p"] = "cang_long"
    app_test.query_params["b"] = "custom"
    app_test.query_params["bu"] = "http://host.example/{z}/{x}/{y}.png"
    at = check(app_test.run())
    assert "host.example" not in map_args(at)["script"]
    assert any("bu=http://host.example/{z}/{x}/{y}.png" in w.value for w in at.warning)
    assert query(at, "bu") is None
    old = AppTest.from_file(str(APP), default_timeout=60)
    old.query_params["p"] = "cang_long"
    old.query_params["b"] = "http://tiles.local/{z}/{x}/{y}.png"  # a link made before ids
    old = check(old.run())
    assert "tiles.local" not in map_args(old)["script"]


def test_a_junk_basemap_in_a_url_is_ignored_with_a_warning(app_test: AppTest, db_url) -> None:
    app_test.query_params["p"] = "cang_long"
    app_test.query_params["b"] = "<script>"
    at = check(app_test.run())
    assert any("b=<script>" in w.value for w in at.warning)
    assert map_command(at) is None


def test_applying_a_saved_view_asks_for_its_viewport_and_basemap(app_test: AppTest, db_url) -> None:
    db = open_store(db_url)
    near = db.save_view(
        vw.View(pack_id="cang_long", layers=("communes",), title="Gần", center=(9.9, 106.2),
                zoom=14, basemap="osm"), by=EDITOR
    )  # fmt: skip
    whole = db.save_view(
        vw.View(pack_id="cang_long", layers=("communes",), title="Cả huyện"), by=EDITOR
    )
    at = open_map(app_test)
    check(at.button(key=f"views.apply.{near.id}").click().run())
    command = map_command(at)
    assert (command["center"], command["zoom"], command["basemap"]) == ([9.9, 106.2], 14, "osm")
    check(at.button(key=f"views.apply.{whole.id}").click().run())
    fitted = map_command(at)
    assert fitted["bounds"] and fitted["basemap"] == "none" and "zoom" not in fitted
    assert fitted["token"] != command["token"]
    # The same view applied again is a new request (the user may have moved since).
    check(at.button(key=f"views.apply.{whole.id}").click().run())
    assert map_command(at)["token"] != fitted["token"]


# --- the panel: reorder, rename, delete --------------------------------------------------------


def _titles(db_url: str) -> list[str]:
    return [v.title for v in open_store(db_url).list_views("cang_long")]


def test_saved_views_are_reordered_from_the_panel(app_test: AppTest, db_url) -> None:
    db = open_store(db_url)
    a = db.save_view(vw.View(pack_id="cang_long", title="A"), by=EDITOR)
    b = db.save_view(vw.View(pack_id="cang_long", title="B"), by=EDITOR)
    at = open_signed_in(app_test, db_url)
    check(at.button(key=f"views.up.{b.id}").click().run())
    assert _titles(db_url) == ["B", "A"]
    check(at.button(key=f"views.down.{b.id}").click().run())
    assert _titles(db_url) == ["A", "B"]
    check(at.button(key=f"views.up.{a.id}").click().run())  # already first: stays
    assert _titles(db_url) == ["A", "B"]


def test_a_saved_view_is_renamed_with_its_caption(app_test: AppTest, db_url) -> None:
    saved = open_store(db_url).save_view(
        vw.View(pack_id="cang_long", title="Cũ", caption="x"), by=EDITOR
    )
    at = open_signed_in(app_test, db_url)
    assert at.text_input(key=f"views.cang_long.recaption.{saved.id}").value == "x"
    at.text_input(key=f"views.cang_long.rename.{saved.id}").input("Mới")
    at.text_input(key=f"views.cang_long.recaption.{saved.id}").input("Chú thích mới")
    check(at.button(key=f"views.rename.{saved.id}").click().run())
    (renamed,) = open_store(db_url).list_views("cang_long")
    assert (renamed.title, renamed.caption) == ("Mới", "Chú thích mới")
    assert any("**Mới** — Chú thích mới" in md.value for md in at.markdown)


def test_deleting_a_saved_view_asks_first(app_test: AppTest, db_url) -> None:
    saved = open_store(db_url).save_view(vw.View(pack_id="cang_long", title="Xoá tôi"), by=EDITOR)
    at = open_signed_in(app_test, db_url)
    check(at.button(key=f"views.delete.{saved.id}").click().run())
    assert _titles(db_url) == ["Xoá tôi"]  # only asked
    assert any("Xoá tôi" in w.value for w in at.warning)
    check(at.button(key=f"views.delete_no.{saved.id}").click().run())
    assert _titles(db_url) == ["Xoá tôi"]
    assert not any("Xoá tôi" in w.value for w in at.warning)
    check(at.button(key=f"views.delete.{saved.id}").click().run())
    check(at.button(key=f"views.delete_yes.{saved.id}").click().run())
    assert _titles(db_url) == []
    assert any("Xoá tôi" in s.value for s in at.success)


def test_a_viewer_sees_the_views_but_cannot_change_them(app_test: AppTest, db_url) -> None:
    saved = open_store(db_url).save_view(vw.View(pack_id="cang_long", title="Chung"), by=EDITOR)
    at = open_map(app_test)  # nobody signed in: a viewer
    assert at.button(key=f"views.apply.{saved.id}").disabled is False  # applying is reading
    for key in ("views.cang_long.save", f"views.up.{saved.id}", f"views.delete.{saved.id}"):
        assert at.button(key=key).disabled, key
    assert any("Đăng nhập với vai trò Biên tập" in c.value for c in at.caption)
