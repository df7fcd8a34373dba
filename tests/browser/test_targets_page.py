"""The targets page in a real browser: charts drawn, no request leaving localhost."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from tests.browser.conftest import OUTPUT

pytestmark = pytest.mark.browser


def test_targets_page_draws_its_charts_offline(
    app_server: str, page: Page, blocked_requests: list[str]
) -> None:
    """The progress charts are Vega-Lite, which Streamlit bundles: no CDN is asked for it."""
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.goto(f"{app_server}/targets")

    main = page.get_by_test_id("stMain")
    expect(main.get_by_role("heading", name="Chỉ tiêu kế hoạch")).to_be_visible(timeout=60_000)
    expect(
        main.get_by_text("“Hạ tầng mạng băng rộng cáp quang phủ đến 100% xã, thị trấn”")
    ).to_be_visible()
    charts = main.locator(".vega-embed")
    expect(charts).to_have_count(4, timeout=60_000)
    for i in range(4):
        expect(charts.nth(i).locator("canvas, svg").first).to_be_visible()
    # The tables are drawn on a canvas; their cells are kept in the DOM for screen readers.
    expect(main.locator("td", has_text="Xã Đức Mỹ").first).to_be_attached()
    expect(main.get_by_role("button", name="Xã chưa đạt (CSV)")).to_be_visible()
    expect(main.get_by_role("button", name="Tổng hợp (Excel)")).to_be_visible()

    OUTPUT.mkdir(exist_ok=True)
    page.set_viewport_size({"width": 1440, "height": 2600})
    page.wait_for_timeout(500)
    page.screenshot(path=str(OUTPUT / "targets_page.png"), full_page=True)

    assert blocked_requests == [], "requests left localhost"
    assert errors == [], "JavaScript errors"
