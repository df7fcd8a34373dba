"""The Data page in a real browser: a zipped VN-2000 shapefile without .prj is uploaded, its
zone confirmed, previewed, saved as a new pack, and that pack is then in the district picker.
Offline: no request leaves localhost."""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from tests.browser.conftest import OUTPUT, serve_app
from tests.browser.signin import sign_in
from tests.browser.test_map_page import MAP_IFRAME, in_map, settle, wait_map
from tests.test_data_page import shapefile_zip_without_prj

pytestmark = pytest.mark.browser

TIMEOUT = 60_000


def test_a_vn2000_shapefile_is_confirmed_previewed_saved_and_picked_in_the_sidebar(
    page: Page, tmp_path: Path, blocked_requests: list[str]
) -> None:
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    upload = tmp_path / "xa_vn2000.zip"
    upload.write_bytes(shapefile_zip_without_prj())
    user_data = tmp_path / "user-packs"
    OUTPUT.mkdir(exist_ok=True)

    with serve_app(tmp_path / "server.log", {"ATLAS_USER_DATA": str(user_data)}) as base_url:
        page.goto(f"{base_url}/data")
        main = page.get_by_test_id("stMain")
        expect(main.get_by_role("heading", name="Dữ liệu", exact=True)).to_be_visible(
            timeout=TIMEOUT
        )
        sign_in(page)  # saving an import is an editor's
        expect(main.get_by_text("Tối đa 50 MB một tệp", exact=False)).to_be_visible()
        # Streamlit's uploader says ours, in the UI language, not "Upload · 200MB per file".
        page.wait_for_selector('[data-testid="stFileUploaderDropzone"] button p')
        said = page.evaluate(
            """() => {
                const zone = document.querySelector('[data-testid="stFileUploaderDropzone"]');
                const after = el => getComputedStyle(el, '::after').content;
                const line = '[data-testid="stFileUploaderDropzoneInstructions"] span';
                return [after(zone.querySelector('button p')), after(zone.querySelector(line))];
            }"""
        )
        assert said == ['"Chọn tệp"', '"hoặc kéo thả tệp vào đây"'], said

        page.get_by_test_id("stFileUploaderDropzoneInput").set_input_files(upload)

        # No .prj: the page proposes Trà Vinh's zone and draws no map until it is confirmed.
        expect(main.get_by_text("không khai báo hệ toạ độ", exact=False)).to_be_visible(
            timeout=TIMEOUT
        )
        expect(main.get_by_text("105°30′ (tỉnh Trà Vinh)", exact=False).first).to_be_visible()
        assert page.locator(MAP_IFRAME).count() == 0
        main.get_by_role("button", name="Xác nhận hệ toạ độ").click()

        wait_map(page, "return distinct('preview') === 14;", timeout=TIMEOUT)
        expect(main.get_by_text("do bạn xác nhận", exact=False)).to_be_visible()
        lat, lon = in_map(page, "const c = w.map.getCenter(); return [c.lat, c.lng];")
        assert 9.85 < lat < 10.1 and 106.1 < lon < 106.35, (lat, lon)  # Càng Long, not Africa
        expect(main.get_by_text("Khớp mã").first).to_be_visible()
        settle(page)
        page.locator(MAP_IFRAME).scroll_into_view_if_needed()
        page.screenshot(path=str(OUTPUT / "data_page_preview.png"))

        assert not user_data.exists() or not any(user_data.iterdir()), "written before confirm"
        main.get_by_label("Mã gói (a-z, 0-9, _)").fill("xa_tra_vinh")
        main.get_by_label("Tên gói (tiếng Việt)").fill("Xã Trà Vinh (nhập)")
        main.get_by_label("Tên gói (tiếng Anh)").fill("Trà Vinh communes (imported)")
        main.get_by_label("Tên gói (tiếng Anh)").press("Tab")
        settle(page)
        main.get_by_role("button", name="Xác nhận và lưu").click()

        expect(main.get_by_text("Đã tạo gói “xa_tra_vinh”", exact=False)).to_be_visible(
            timeout=TIMEOUT
        )
        assert (user_data / "xa_tra_vinh" / "pack.toml").is_file()
        picker = page.get_by_test_id("stSidebar").get_by_role(
            "combobox", name="Địa bàn (gói dữ liệu)"
        )
        expect(picker).to_have_value("Xã Trà Vinh (nhập)")  # listed, and picked
        picker.click()
        options = page.get_by_role("option")
        expect(options.filter(has_text="Xã Trà Vinh (nhập)")).to_have_count(1)
        expect(options.filter(has_text="Huyện Càng Long")).to_have_count(1)
        page.keyboard.press("Escape")
        settle(page)
        page.screenshot(path=str(OUTPUT / "data_page_saved.png"))

        # The saved pack downloads as a zip from the Packs page.
        page.get_by_test_id("stSidebarNav").get_by_text("Gói dữ liệu", exact=True).click()
        button = main.get_by_role("button", name="Tải xa_tra_vinh.zip")
        expect(button).to_be_visible(timeout=TIMEOUT)
        settle(page)  # a click while the page still runs can be lost with the rerun
        with page.expect_download(timeout=TIMEOUT) as download:
            button.click()
        with zipfile.ZipFile(download.value.path()) as archive:
            assert any(name.endswith("pack.toml") for name in archive.namelist())

        # The new pack opens on the map page like a shipped one.
        page.get_by_test_id("stSidebarNav").get_by_text("Bản đồ", exact=True).click()
        expect(main.get_by_role("heading", name="Xã Trà Vinh (nhập)")).to_be_visible(
            timeout=TIMEOUT
        )
        page.wait_for_selector(MAP_IFRAME, timeout=TIMEOUT)
        wait_map(page, "return feats.length >= 14;", timeout=TIMEOUT)
        settle(page)
        page.screenshot(path=str(OUTPUT / "data_page_new_pack_map.png"))

    assert blocked_requests == [], "requests left localhost"
    assert errors == [], "JavaScript errors"
