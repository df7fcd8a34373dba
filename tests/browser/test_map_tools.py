"""What planners reach for on the Map page, in Chromium: labels that do not collide on screen
(more of them zoomed in, out of the pointer's way, hidden in place by their toggle), the year
player, and the attribute table whose row zooms the map to its feature."""

from __future__ import annotations

import itertools

import pytest
from playwright.sync_api import Page, expect

from tests.browser.conftest import OUTPUT
from tests.browser.test_map_page import (
    MAP_IFRAME,
    TIMEOUT,
    in_map,
    marker,
    open_map,
    settle,
    wait_map,
    wait_viewport,
)

pytestmark = pytest.mark.browser

# The labels drawn now, with their text boxes on screen (the rotated ones as their bounds).
_LABELS = (
    "return Array.from(w.document.querySelectorAll('.atlas-label span')).map(s => {"
    " const b = s.getBoundingClientRect();"
    " return {text: s.textContent, l: b.left, r: b.right, t: b.top, b: b.bottom,"
    "  rotated: s.style.transform.includes('rotate'),"
    "  events: w.getComputedStyle(s).pointerEvents}; });"
)


def _overlap(a: dict, b: dict) -> float:
    dx = min(a["r"], b["r"]) - max(a["l"], b["l"])
    dy = min(a["b"], b["b"]) - max(a["t"], b["t"])
    return max(dx, 0) * max(dy, 0)


def test_labels_name_the_map_without_colliding_and_more_show_when_zoomed_in(
    app_server: str, page: Page
) -> None:
    page.set_viewport_size({"width": 1366, "height": 768})
    open_map(page, app_server)
    wait_viewport(page)
    wait_map(page, "return w.document.querySelectorAll('.atlas-label span').length > 5;")
    labels = in_map(page, _LABELS)
    texts = {label["text"] for label in labels}
    assert {"QL53", "KCN Cổ Chiên"} <= texts, texts
    assert all(label["events"] == "none" for label in labels)  # clicks reach the features
    flat = [label for label in labels if not label["rotated"]]
    for a, b in itertools.combinations(flat, 2):  # the browser's own text widths
        assert _overlap(a, b) < 4, (a, b)
    OUTPUT.mkdir(exist_ok=True)
    page.screenshot(path=str(OUTPUT / "map_labels_1366.png"))

    in_map(page, "w.map.setZoom(w.map.getZoom() + 2, {animate: false}); return true;")
    wait_map(
        page, "return w.document.querySelectorAll('.atlas-label span').length > arg;", len(labels)
    )
    zoomed = {label["text"] for label in in_map(page, _LABELS)}
    assert {"Nhị Long Phú", "An Trường A"} & zoomed


def test_the_names_toggle_hides_the_labels_in_place(app_server: str, page: Page) -> None:
    open_map(page, app_server)
    wait_map(page, "return w.document.querySelectorAll('.atlas-label').length > 0;")
    in_map(page, "w.__atlasMarker = 42; return true;")
    page.get_by_test_id("stCheckbox").filter(
        has=page.get_by_text("Tên trên bản đồ", exact=True)
    ).click()
    settle(page)
    wait_map(page, "return w.document.querySelectorAll('.atlas-label').length === 0;")
    assert marker(page) == 42  # the map was not reloaded
    expect(page.get_by_test_id("stCheckbox").filter(has_text="Tên trên bản đồ")).to_be_visible(
        timeout=TIMEOUT
    )
    assert page.locator(MAP_IFRAME).count() == 1
    # A layer's switch is named as written for a screen reader (no Markdown escapes in it).
    switch = page.get_by_role("switch", name="Ranh giới xã, thị trấn (sơ đồ)", exact=True)
    expect(switch).to_be_visible()


def test_the_play_button_steps_the_map_through_the_years(app_server: str, page: Page) -> None:
    open_map(page, app_server)
    slider = page.get_by_test_id("stSliderThumbValue").first
    expect(slider).to_have_text("2025")
    page.get_by_role("button").filter(has=page.get_by_text("play_arrow")).first.click()
    expect(slider).to_have_text("2021", timeout=TIMEOUT)
    expect(slider).not_to_have_text("2021", timeout=TIMEOUT)  # the next year, on the timer
    page.get_by_role("button").filter(has=page.get_by_text("pause")).first.click()
    settle(page)
    wait_map(page, "return w.document.querySelectorAll('.atlas-label').length > 0;")


def test_a_row_of_the_attribute_table_zooms_the_map_to_its_feature(
    app_server: str, page: Page
) -> None:
    page.set_viewport_size({"width": 1366, "height": 768})
    open_map(page, app_server)
    wait_viewport(page)
    zoom = in_map(page, "return w.map.getZoom();")
    main = page.get_by_test_id("stMain")
    main.get_by_text("Bảng thuộc tính", exact=True).click()
    table = main.get_by_test_id("stDataFrame")
    expect(table).to_be_visible(timeout=TIMEOUT)
    expect(main.get_by_text("14 đối tượng", exact=False)).to_be_visible()
    table.scroll_into_view_if_needed()
    box = table.bounding_box()
    row_h = 35  # the grid's row height; the header is one row
    page.mouse.click(box["x"] + 16, box["y"] + row_h * 3 + row_h / 2)  # the third commune
    settle(page)
    wait_map(page, "return w.map.getZoom() > arg;", zoom + 1)
    bounds = in_map(
        page,
        "const l = feats.find(l => String(l.feature.id) === 'communes:2');"
        "const b = l.getBounds();"
        "return [[b.getSouth(), b.getWest()], [b.getNorth(), b.getEast()]];",
    )
    wait_map(page, "return w.map.getBounds().contains(w.L.latLngBounds(arg));", bounds)
    expect(main.get_by_role("button", name="Tải bảng (CSV để đọc)")).to_be_visible()
