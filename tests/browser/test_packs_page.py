"""The packs page in a real browser, with no request leaving localhost."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from tests.browser.conftest import OUTPUT

pytestmark = pytest.mark.browser


def test_packs_page_shows_both_districts_and_switches_to_english(
    app_server: str, page: Page, blocked_requests: list[str]
) -> None:
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.goto(f"{app_server}/packs")  # the map is the default page

    main = page.get_by_test_id("stMain")
    expect(main.get_by_role("heading", name="Gói dữ liệu")).to_be_visible(timeout=60_000)
    expect(main.get_by_text("Huyện Càng Long").first).to_be_visible()
    expect(main.get_by_text("Huyện Chi Lăng").first).to_be_visible()
    expect(main.get_by_text("Bản đồ sơ đồ — không dùng để đo đạc.")).to_be_visible()

    page.get_by_test_id("stSidebar").get_by_text("English", exact=True).click()
    expect(main.get_by_role("heading", name="Data packs")).to_be_visible()
    expect(main.get_by_text("Schematic map — not for measurement.")).to_be_visible()
    expect(main.get_by_role("heading", name="Càng Long District")).to_be_visible()
    expect(main.get_by_text("Plan targets (4)")).to_be_visible()

    # Streamlit scrolls inside its main area: a tall window shows the whole page at once.
    page.set_viewport_size({"width": 1440, "height": 2400})
    expect(main.get_by_text("“100% ấp, khóm có đường truyền Internet”")).to_be_visible()
    OUTPUT.mkdir(exist_ok=True)
    page.screenshot(path=str(OUTPUT / "packs_page.png"), full_page=True)

    assert blocked_requests == [], "requests left localhost"
    assert errors == [], "JavaScript errors"
