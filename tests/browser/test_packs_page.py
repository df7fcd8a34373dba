"""The packs page in a real browser, with no request leaving localhost."""

from __future__ import annotations

import unicodedata
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from tests.browser.conftest import OUTPUT, serve_app
from tests.packfactory import COMMUNES, MANIFEST, TABLE, features, make_pack

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


def test_a_broken_user_pack_lists_its_problems_in_vietnamese_then_english(
    page: Page, blocked_requests: list[str], tmp_path: Path
) -> None:
    """A clerk's pack with a bad figure, numeric codes, NFD names and a stray row: the Packs
    page shows each problem with file, row or feature and field, in the UI language."""
    feats = features(
        [(code, unicodedata.normalize("NFD", name), xy) for code, name, xy in COMMUNES]
    )
    for feat in feats:
        feat["properties"]["code"] = int(feat["properties"]["code"])
    manifest = MANIFEST.replace("code_width = 5\n", "").replace("key_width = 5\n", "")
    table = TABLE.replace("80.5", "tám mươi").replace("06466", "6466") + "99999,2021,10,true\n"
    make_pack(tmp_path / "data", "ho_so_loi", manifest=manifest, feats=feats, table=table)
    env = {"ATLAS_USER_DATA": str(tmp_path / "data"), "ATLAS_PACK": "ho_so_loi"}
    with serve_app(tmp_path / "server.log", env) as base_url:
        page.goto(f"{base_url}/packs")
        main = page.get_by_test_id("stMain")
        expect(main.get_by_text("ho_so_loi").first).to_be_visible(timeout=60_000)
        table_el = main.get_by_test_id("stTable").last
        expect(table_el.get_by_text("'tám mươi' không phải là số thực hợp lệ")).to_be_visible()
        expect(table_el.get_by_text("dòng 2", exact=True)).to_be_visible()
        page.set_viewport_size({"width": 1440, "height": 1400})
        OUTPUT.mkdir(exist_ok=True)
        page.screenshot(path=str(OUTPUT / "packs_page_broken_vi.png"), full_page=True)

        page.get_by_test_id("stSidebar").get_by_text("English", exact=True).click()
        expect(main.get_by_role("heading", name="Data packs")).to_be_visible()
        expect(table_el.get_by_text("'tám mươi' is not a valid number (float)")).to_be_visible()
        expect(table_el.get_by_text("row 2", exact=True)).to_be_visible()
        page.screenshot(path=str(OUTPUT / "packs_page_broken_en.png"), full_page=True)
    assert blocked_requests == [], "requests left localhost"
