"""The compare page in a real browser: two synchronised maps, no request leaving localhost."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect
from playwright.sync_api import TimeoutError as PlaywrightTimeoutError

from tests.browser.conftest import OUTPUT

pytestmark = pytest.mark.browser

FOLIUM_IFRAME = 'iframe[title="streamlit_folium.st_folium"]'


def _view(frame) -> list:
    return frame.evaluate(
        "() => [map_div.getZoom(), map_div2.getZoom(),"
        " map_div.getCenter().lat, map_div.getCenter().lng,"
        " map_div2.getCenter().lat, map_div2.getCenter().lng]"
    )


def _move_and_wait(frame, div: str, center: list[float], zoom: int) -> None:
    """Set one map's view, then wait until both maps show it. The page may still be settling
    (a late rerun redraws the maps at the district view), so the move is retried."""
    other = "map_div2" if div == "map_div" else "map_div"
    synced = (
        f"() => {div}.getZoom() === {zoom} && {other}.getZoom() === {zoom}"
        f" && Math.abs({other}.getCenter().lat - {center[0]}) < 1e-6"
    )
    for _ in range(5):
        frame.evaluate(f"() => {div}.setView({center}, {zoom}, {{animate: false}})")
        try:
            frame.wait_for_function(synced, timeout=3000)
            return
        except PlaywrightTimeoutError:
            continue
    raise AssertionError(f"moving {div} did not move {other}")


def test_compare_page_draws_two_synchronised_maps_offline(
    app_server: str, page: Page, blocked_requests: list[str]
) -> None:
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.goto(f"{app_server}/compare")

    main = page.get_by_test_id("stMain")
    expect(main.get_by_role("heading", name="So sánh kịch bản")).to_be_visible(timeout=60_000)
    expect(main.get_by_text("A · Hiện trạng 2021")).to_be_visible()
    expect(main.get_by_text("B · Kế hoạch 2025")).to_be_visible()

    maps = page.frame_locator(FOLIUM_IFRAME)
    for div in ("#map_div", "#map_div2"):
        # Every commune of the target layer is drawn on both maps.
        expect(maps.locator(f"{div} .leaflet-overlay-pane path")).to_have_count(14, timeout=60_000)
        expect(maps.locator(f"{div} .atlas-legend")).to_be_visible()
    left = maps.locator("#map_div").bounding_box()
    right = maps.locator("#map_div2").bounding_box()
    assert left and right and right["x"] >= left["x"] + left["width"] - 1, "side by side"
    assert abs(left["width"] - right["width"]) < 2

    # KPI deltas (numbers written as on the rest of the page) and the table of communes
    # that differ are below the maps.
    expect(main.get_by_text("Chỉ tiêu: B so với A")).to_be_visible()
    expect(main.get_by_text("+71,4 điểm %")).to_be_visible()
    expect(
        main.get_by_role("heading", name="Các xã có số liệu khác nhau (52 ô, 14 xã)")
    ).to_be_visible()

    # The screenshot shows the page as it opens: both maps on the district.
    OUTPUT.mkdir(exist_ok=True)
    page.set_viewport_size({"width": 1440, "height": 2200})
    page.wait_for_timeout(500)
    page.screenshot(path=str(OUTPUT / "compare_page.png"), full_page=True)

    frame = next(f for f in page.frames if "streamlit_folium" in (f.url or ""))
    zoom_a, zoom_b, *centres = _view(frame)
    assert zoom_a == zoom_b
    assert centres[:2] == pytest.approx(centres[2:], abs=1e-6)
    # Moving the left map moves the right one (Leaflet.Sync), and the other way round.
    _move_and_wait(frame, "map_div", [10.0, 106.25], 14)
    assert _view(frame) == pytest.approx([14, 14, 10.0, 106.25, 10.0, 106.25], abs=1e-6)
    _move_and_wait(frame, "map_div2", [9.95, 106.2], 13)
    assert _view(frame) == pytest.approx([13, 13, 9.95, 106.2, 9.95, 106.2], abs=1e-6)

    assert blocked_requests == [], "requests left localhost"
    assert errors == [], "JavaScript errors"
