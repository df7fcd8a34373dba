"""Saved views in a real browser: a shared URL restores the map; the present page shows no
editing chrome and steps with the arrow keys, also while the map has the focus; both offline
(no request leaves localhost).

Screenshots: test-output/present_page.png (projector look), present_page_sidebar.png.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from atlas import views as vw
from atlas.store import open_store
from tests.accounts import EDITOR
from tests.browser.conftest import OUTPUT, serve_app
from tests.browser.test_map_page import MAP_IFRAME, in_map, save_view, settle, wait_map
from tests.browser.test_viewport import _assert_communes_in_view

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
        vw.View(pack_id="cang_long", layers=("communes",), title="Ranh giới xã", caption="14 xã"),
        by=EDITOR,
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
        page.wait_for_function("() => !!document.__atlasPresentKeys")  # the key script ran
        # No editing chrome on the projector: no sidebar, no toolbar or main menu.
        expect(page.get_by_test_id("stSidebar")).to_be_hidden()
        expect(page.get_by_test_id("stToolbar")).to_be_hidden()
        expect(page.get_by_test_id("stMainMenu")).to_be_hidden()
        title.click()  # focus on the page, not in the map
        page.keyboard.press("ArrowRight")
        expect(title).to_have_text("Khu, cụm công nghiệp và đô thị")
        wait_map(page, "return distinct('industry') === 3;")
        settle(page)
        OUTPUT.mkdir(exist_ok=True)
        page.screenshot(path=str(OUTPUT / "present_page.png"))
        # With the focus inside the map, the arrow keys step the views instead of panning.
        page.wait_for_function(
            "sel => { const f = document.querySelector(sel);"
            " return f && f.contentWindow && !!f.contentWindow.__atlasPresentKeys; }",
            arg=MAP_IFRAME,
        )
        centre = in_map(page, "const c = w.map.getCenter(); return [c.lat, c.lng];")
        page.frame_locator(MAP_IFRAME).locator(".leaflet-container").focus()
        page.keyboard.press("ArrowLeft")
        expect(title).to_have_text("Giao thông 2021–2025")
        settle(page)
        assert in_map(page, "const c = w.map.getCenter(); return [c.lat, c.lng];") == centre
        title.click()
        # Saved views follow the shipped ones (one key press per rerun).
        for expected in ("Khu, cụm công nghiệp và đô thị", "Internet đến ấp, khóm 2025"):
            page.keyboard.press("ArrowRight")
            expect(title).to_have_text(expected)
            settle(page)
        page.keyboard.press("ArrowRight")
        expect(title).to_have_text("Ranh giới xã")
        # One toggle brings the sidebar (district, language) back, the map staying as it is
        # (a mark left on its window survives: its iframe was not loaded again).
        wait_map(page, "return distinct('communes') === 14 && distinct('roads') === 0;")
        in_map(page, "w.__atlasMarker = 7; return 7;")
        page.get_by_text("Hiện thanh bên", exact=True).click()
        expect(page.get_by_test_id("stSidebar")).to_be_visible()
        settle(page)
        wait_map(page, "return w.__atlasMarker === 7 && distinct('communes') === 14;")
        page.screenshot(path=str(OUTPUT / "present_page_sidebar.png"))
    assert blocked_requests == []


def test_a_view_saved_on_the_map_page_is_stored_and_presented(
    page: Page, tmp_path: Path, blocked_requests: list[str]
) -> None:
    url = f"sqlite:///{tmp_path / 'saved.db'}"
    with serve_app(tmp_path / "server.log", {"ATLAS_DB_URL": url}) as base_url:
        page.goto(f"{base_url}/?p=cang_long&l=communes,district,industry&y=2025")
        settle(page)
        wait_map(page, "return distinct('industry') === 3 && distinct('roads') === 0;", 60_000)
        save_view(page, "Chỉ khu công nghiệp", caption="Ba khu, cụm", db_url=url)
        store = open_store(url)
        (saved,) = store.list_views("cang_long")
        store.close()
        assert saved.title == "Chỉ khu công nghiệp"
        assert "industry" in saved.layers and "roads" not in saved.layers

        page.goto(f"{base_url}/present")
        settle(page)
        title = page.locator(".st-key-present-title h1")
        expect(title).to_have_text("Giao thông 2021–2025", timeout=60_000)
        next_button = page.locator(".st-key-present-next button")
        # The pack's three shipped views come first; one click per rerun.
        for expected in (
            "Khu, cụm công nghiệp và đô thị",
            "Internet đến ấp, khóm 2025",
            "Chỉ khu công nghiệp",
        ):
            next_button.click()
            expect(title).to_have_text(expected, timeout=30_000)
            settle(page)
        wait_map(page, "return distinct('industry') === 3 && distinct('roads') === 0;")
    assert blocked_requests == []


@pytest.mark.parametrize("size", [(1024, 768), (1920, 1080)])
def test_the_present_legend_is_never_cut_off_in_any_shipped_view(
    app_server: str, page: Page, size: tuple[int, int]
) -> None:
    """Each shipped view's legend is whole on the projector: it shrinks to fit the map's
    height (down to 11 px text) rather than scroll, and stays inside the map."""
    page.set_viewport_size({"width": size[0], "height": size[1]})
    page.goto(f"{app_server}/present")
    settle(page)
    title = page.locator(".st-key-present-title h1")
    shipped = (
        "Giao thông 2021–2025",
        "Khu, cụm công nghiệp và đô thị",
        "Internet đến ấp, khóm 2025",
    )
    for expected in shipped:
        expect(title).to_have_text(expected, timeout=60_000)
        wait_map(page, "return !!w.document.querySelector('.atlas-legend-body');")
        page.wait_for_timeout(300)  # the legend fits itself once the map has its size
        fit = in_map(
            page,
            "const b = w.document.querySelector('.atlas-legend-body');"
            "const m = w.map.getContainer().getBoundingClientRect();"
            "const r = b.getBoundingClientRect();"
            "return {scroll: b.scrollHeight - b.clientHeight, top: r.top - m.top,"
            " bottom: m.bottom - r.bottom, zoom: Number(b.style.zoom || 1)};",
        )
        assert fit["scroll"] <= 1, fit  # nothing hidden behind a scroll bar
        assert fit["top"] >= 0 and fit["bottom"] >= 0, fit
        assert fit["zoom"] * 17 >= 11, fit
        if expected == shipped[0]:  # the whole district, clear of the fitted legend
            _assert_communes_in_view(page, 14)
        title.click()
        page.keyboard.press("ArrowRight")
        settle(page)
