"""Saved views in a real browser: a shared URL restores the map; the present page steps with
the arrow keys; both offline (no request leaves localhost)."""

from __future__ import annotations

from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from atlas import views as vw
from atlas.store import open_store
from tests.browser.conftest import OUTPUT, serve_app
from tests.browser.test_map_page import in_map, settle, wait_map

pytestmark = pytest.mark.browser


def test_a_map_url_restores_pack_layers_and_year(
    page: Page, app_server: str, blocked_requests: list[str]
) -> None:
    page.goto(f"{app_server}/?p=chi_lang&l=communes,district&y=2023&z=12")
    settle(page)
    wait_map(page, "return distinct('communes') === 20;", timeout=60_000)
    assert in_map(page, "return distinct('roads');") == 0
    assert in_map(page, "return distinct('district');") > 0
    expect(page.get_by_role("slider").first).to_have_attribute("aria-valuetext", "2023")
    # The page keeps the state in the URL as it goes.
    assert "p=chi_lang" in page.url and "roads" not in page.url
    assert blocked_requests == []


def test_the_present_page_steps_with_the_arrow_keys_offline(
    page: Page, tmp_path: Path, blocked_requests: list[str]
) -> None:
    """Steps through Càng Long's shipped views, then one saved in the database."""
    url = f"sqlite:///{tmp_path / 'views.db'}"
    db = open_store(url)
    db.save_view(
        vw.View(pack_id="cang_long", layers=("communes",), title="Ranh giới xã", caption="14 xã")
    )
    db.close()
    with serve_app(tmp_path / "server.log", {"ATLAS_DB_URL": url}) as base_url:
        page.goto(f"{base_url}/present")
        settle(page)
        title = page.locator(".st-key-present-title h1")
        expect(title).to_have_text("Giao thông 2021–2025", timeout=60_000)
        wait_map(
            page, "return distinct('communes') === 14 && distinct('roads') > 0;", timeout=60_000
        )
        assert in_map(page, "return distinct('industry');") == 0
        title.click()  # focus on the page, not in the map
        page.keyboard.press("ArrowRight")
        expect(title).to_have_text("Khu, cụm công nghiệp và đô thị")
        wait_map(page, "return distinct('industry') === 3;")
        settle(page)
        OUTPUT.mkdir(exist_ok=True)
        page.screenshot(path=str(OUTPUT / "present_page.png"))
        page.keyboard.press("ArrowLeft")
        expect(title).to_have_text("Giao thông 2021–2025")
        # Saved views follow the shipped ones (one key press per rerun).
        for expected in ("Khu, cụm công nghiệp và đô thị", "Internet đến ấp, khóm 2025"):
            page.keyboard.press("ArrowRight")
            expect(title).to_have_text(expected)
            settle(page)
        page.keyboard.press("ArrowRight")
        expect(title).to_have_text("Ranh giới xã")
    assert blocked_requests == []
