"""The 2025 switch in a real browser: "after 2025" draws the new communes, named, offline."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page

from tests.browser.conftest import OUTPUT
from tests.browser.test_map_page import in_map, open_map, settle, wait_map

pytestmark = pytest.mark.browser

NEW_COMMUNES = {"Xã Càng Long", "Xã An Trường", "Xã Tân An", "Xã Bình Phú", "Xã Nhị Long"}
NAMES = (
    "return [...new Set(feats.filter(l => String(l.feature.id).startsWith('communes:'))"
    ".map(l => l.feature.properties._name))];"
)


def test_after_2025_draws_and_names_the_new_communes(
    page: Page, app_server: str, blocked_requests: list[str]
) -> None:
    open_map(page, app_server)
    wait_map(page, "return distinct('communes') === 14;")
    page.get_by_test_id("stSidebar").get_by_text("Sau 1/7/2025 (xã mới)").click()
    wait_map(page, "return distinct('communes') === 5;")
    assert set(in_map(page, NAMES)) == NEW_COMMUNES
    # The tooltip of a new commune names it; its popup lists the old units it absorbed.
    popup = in_map(
        page,
        "const l = feats.find(l => l.feature.properties._name === 'Xã Càng Long');"
        "return l.feature.properties._popup;",
    )
    assert "Thị trấn Càng Long" in popup and "Xã Mỹ Cẩm" in popup
    settle(page)
    OUTPUT.mkdir(exist_ok=True)
    page.screenshot(path=str(OUTPUT / "map_after_2025.png"))
    page.get_by_test_id("stSidebar").get_by_text("Trước 1/7/2025 (xã cũ)").click()
    wait_map(page, "return distinct('communes') === 14;")
    assert blocked_requests == []
