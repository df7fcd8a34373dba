"""The map's viewport and basemap in a real browser: fitted to the district, remembered across
page and language switches, saved in views and shown by the Present page; controls in Vietnamese.

The map keeps its viewport in the tab's sessionStorage (`layers.viewport`); the tests move the
map with Leaflet's own API on the iframe's `window.map` and pick basemaps in the layer control.
Tiles are blocked offline, so a basemap is checked by the active base layer, not by its tiles.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from atlas.store import open_store
from tests.browser.conftest import OUTPUT, serve_app
from tests.browser.test_map_page import (
    MAP_IFRAME,
    TIMEOUT,
    in_map,
    open_map,
    save_view,
    settle,
    toggle,
    wait_map,
    wait_viewport,
)

pytestmark = pytest.mark.browser

LIGHT = "Nền sáng (CARTO)"
LIGHT_TILES = "basemaps.cartocdn.com/light_all"

# Each commune's drawn outline and the legend, in the map iframe's pixels.
_COMMUNE_BOXES = (
    "const box = w.map.getContainer().getBoundingClientRect();"
    "const legend = w.document.querySelector('.atlas-legend').getBoundingClientRect();"
    "const rect = r => ({left: r.left, top: r.top, right: r.right, bottom: r.bottom});"
    "const communes = feats.filter(l => String(l.feature.id).startsWith('communes:'))"
    "  .map(l => rect(l._path.getBoundingClientRect()));"
    "return {map: rect(box), legend: rect(legend), communes: communes};"
)


def _view(page: Page) -> dict:
    return in_map(
        page,
        "const c = w.map.getCenter();"
        "const tiles = Object.values(w.map._layers).filter(l => l._url).map(l => l._url);"
        "return {lat: c.lat, lng: c.lng, zoom: w.map.getZoom(), tiles: tiles};",
    )


def _assert_communes_in_view(page: Page, expected: int) -> None:
    """Every commune is inside the map container, and none reaches under the legend."""
    boxes = in_map(page, _COMMUNE_BOXES)
    assert len(boxes["communes"]) == expected
    area, legend = boxes["map"], boxes["legend"]
    for c in boxes["communes"]:
        assert area["left"] <= c["left"] and c["right"] <= area["right"], (c, area)
        assert area["top"] <= c["top"] and c["bottom"] <= area["bottom"], (c, area)
        overlap = (
            c["left"] < legend["right"]
            and legend["left"] < c["right"]
            and c["top"] < legend["bottom"]
            and legend["top"] < c["bottom"]
        )
        assert not overlap, (c, legend)


def test_both_districts_fit_a_projector_screen_clear_of_the_legend(
    app_server: str, page: Page, blocked_requests: list[str]
) -> None:
    page.set_viewport_size({"width": 1024, "height": 768})
    open_map(page, app_server)
    wait_viewport(page)
    wait_map(page, "return distinct('communes') === 14;")
    _assert_communes_in_view(page, 14)
    settle(page)
    page.locator(MAP_IFRAME).scroll_into_view_if_needed()
    OUTPUT.mkdir(exist_ok=True)
    page.screenshot(path=str(OUTPUT / "viewport_cang_long_1024.png"))

    page.get_by_test_id("stSidebar").get_by_test_id("stSelectbox").filter(
        has_text="Địa bàn (gói dữ liệu)"
    ).click()
    page.get_by_role("option", name="Huyện Chi Lăng").click()
    expect(page.get_by_role("heading", name="Huyện Chi Lăng")).to_be_visible(timeout=TIMEOUT)
    wait_map(page, "return distinct('communes') === 20;")
    wait_viewport(page)
    _assert_communes_in_view(page, 20)
    settle(page)
    page.locator(MAP_IFRAME).scroll_into_view_if_needed()
    page.screenshot(path=str(OUTPUT / "viewport_chi_lang_1024.png"))
    assert blocked_requests == [], "requests left localhost"


def test_the_viewport_survives_a_page_switch_and_a_language_switch(
    app_server: str, page: Page, blocked_requests: list[str]
) -> None:
    open_map(page, app_server)
    wait_viewport(page)
    in_map(page, "w.map.setView([9.95, 106.2], 13.25, {animate: false}); return true;")
    moved = _view(page)

    # The legend folded by the user stays folded when a toggle re-creates it.
    frame = page.frame_locator(MAP_IFRAME)
    frame.locator(".atlas-legend summary").click()
    expect(frame.locator(".atlas-legend details")).not_to_have_attribute("open", "")
    toggle(page, "Giao thông: hiện có và quy hoạch")
    wait_map(page, "return distinct('roads') === 0;")
    assert in_map(page, "return w.document.querySelector('.atlas-legend details').open;") is False
    assert _view(page)["zoom"] == 13.25  # a rerun does not move the map

    sidebar = page.get_by_test_id("stSidebar")
    sidebar.get_by_role("link", name="Gói dữ liệu").click()
    expect(page.get_by_role("heading", name="Gói dữ liệu")).to_be_visible(timeout=TIMEOUT)
    sidebar.get_by_role("link", name="Bản đồ").click()
    wait_viewport(page)
    back = _view(page)
    # Within a pixel (at zoom 13 one pixel is ~15 m, 1e-4° ~11 m): under load the restored
    # centre was seen a quarter pixel off (4e-5°), which no one can see on the map.
    assert back["zoom"] == moved["zoom"]
    assert back["lat"] == pytest.approx(moved["lat"], abs=1e-4)
    assert back["lng"] == pytest.approx(moved["lng"], abs=1e-4)

    sidebar.get_by_text("English", exact=True).click()
    wait_map(
        page, "return w.document.querySelector('.leaflet-control-zoom-in').title == arg;", "Zoom in"
    )
    wait_viewport(page)
    english = _view(page)
    assert english["zoom"] == moved["zoom"]
    assert english["lat"] == pytest.approx(moved["lat"], abs=1e-4)
    assert blocked_requests == [], "requests left localhost"


def test_the_map_controls_speak_vietnamese(
    app_server: str, page: Page, blocked_requests: list[str]
) -> None:
    open_map(page, app_server)
    wait_viewport(page)
    frame = page.frame_locator(MAP_IFRAME)
    toggle_link = frame.locator(".leaflet-control-measure-toggle")
    expect(toggle_link).to_have_attribute("title", "Đo khoảng cách và diện tích")
    expect(frame.locator(".leaflet-control-zoom-in")).to_have_attribute("title", "Phóng to")
    expect(frame.locator(".leaflet-control-zoom-out")).to_have_attribute("title", "Thu nhỏ")
    expect(frame.locator(".leaflet-control-zoom-fullscreen")).to_have_attribute(
        "title", "Toàn màn hình"
    )
    scale = frame.locator(".leaflet-control-scale-line")
    expect(scale).to_have_count(1)  # metric only
    expect(scale).to_have_text(re.compile(r"^\d+ k?m$"))
    # The measuring panel, opened: its texts are Vietnamese too.
    frame.locator(".leaflet-control-measure").hover()
    panel = frame.locator(".leaflet-control-measure .leaflet-control-measure-interaction")
    expect(panel).to_contain_text("Đo khoảng cách và diện tích")
    expect(panel).to_contain_text("Đo mới")
    assert "Measure" not in panel.inner_text()
    assert blocked_requests == [], "requests left localhost"


def test_a_saved_view_keeps_its_basemap_and_zoom_and_the_present_page_shows_them(
    page: Page, tmp_path: Path, blocked_requests: list[str]
) -> None:
    url = f"sqlite:///{tmp_path / 'viewport.db'}"
    with serve_app(tmp_path / "server.log", {"ATLAS_DB_URL": url}) as base_url:
        page.goto(f"{base_url}/?p=cang_long&l=communes,district,industry&y=2025")
        settle(page)
        wait_map(page, "return distinct('industry') === 3;", timeout=60_000)
        wait_viewport(page)
        in_map(page, "w.map.setView([9.99, 106.22], 13, {animate: false}); return true;")
        frame = page.frame_locator(MAP_IFRAME)
        frame.locator(".leaflet-control-layers").hover()
        frame.get_by_text(LIGHT).click()
        wait_map(page, "return Object.values(w.map._layers).some(l => l._url);")

        save_view(page, "Nền sáng, gần hơn", db_url=url)
        store = open_store(url)
        (saved,) = store.list_views("cang_long")
        store.close()
        assert saved.basemap == "light" and saved.zoom == 13
        # Within a pixel at zoom 13 (~19 m): a resize of the filled map may round the centre.
        assert saved.center == pytest.approx((9.99, 106.22), abs=2e-4)
        # ... and in the page's link (written at the end of the same run: wait for it)
        expect(page).to_have_url(re.compile(r"b=light.*z=13|z=13.*b=light"), timeout=30_000)

        page.goto(f"{base_url}/present")
        settle(page)
        title = page.locator(".st-key-present-title h1")
        expect(title).to_have_text("Giao thông 2021–2025", timeout=60_000)
        wait_viewport(page, timeout=60_000)
        assert _view(page)["tiles"] == []  # shipped views: no basemap
        next_button = page.locator(".st-key-present-next button")
        for expected in (
            "Khu, cụm công nghiệp và đô thị",
            "Internet đến ấp, khóm 2025",
            "Nền sáng, gần hơn",
        ):
            next_button.click()
            expect(title).to_have_text(expected, timeout=30_000)
            settle(page)
        wait_viewport(page)
        wait_map(page, "return w.map.getZoom() === 13;")
        shown = _view(page)
        assert len(shown["tiles"]) == 1 and LIGHT_TILES in shown["tiles"][0]
        assert shown["lat"] == pytest.approx(9.99, abs=1e-4)
        # A map to look at: no measuring, coordinates or basemap switcher; a larger legend.
        present = page.frame_locator(MAP_IFRAME)
        expect(present.locator(".leaflet-control-measure")).to_have_count(0)
        expect(present.locator(".leaflet-control-layers")).to_have_count(0)
        expect(present.locator(".leaflet-control-mouseposition")).to_have_count(0)
        assert "17px" in present.locator(".atlas-legend-body").get_attribute("style")
        page.screenshot(path=str(OUTPUT / "present_saved_basemap.png"))
    # Offline the light basemap's tiles are all the page asked for outside localhost.
    assert blocked_requests and all(LIGHT_TILES in u for u in blocked_requests), blocked_requests
