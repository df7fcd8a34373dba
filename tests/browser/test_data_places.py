"""The Data page in a real browser, as a clerk of a district no pack ships (Cầu Kè, Trà Vinh):
a VN-2000 file without .prj confirmed with the wrong province is flagged with where it really
lies and not saved; the right zone (proposed first) joins every commune to the GSO list of
Trà Vinh and saves a pack labelled with that province. Screenshots at three window sizes."""

from __future__ import annotations

from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from tests.browser.conftest import OUTPUT, serve_app
from tests.browser.signin import sign_in
from tests.browser.test_map_page import settle
from tests.ingest_fixtures import to_vn2000
from tests.test_data_page_places import district_cells, zipped_shapefile

pytestmark = pytest.mark.browser

TIMEOUT = 60_000
SIZES = ((1366, 768), (1024, 768), (1920, 1080))


def _shots(page: Page, name: str, anchor) -> None:
    """The window at each size, scrolled to `anchor` (Streamlit scrolls its own container,
    so a full-page shot would show only the window)."""
    for width, height in SIZES:
        page.set_viewport_size({"width": width, "height": height})
        settle(page)
        anchor.scroll_into_view_if_needed()
        page.screenshot(path=str(OUTPUT / f"{name}_{width}.png"))
    page.set_viewport_size({"width": 1366, "height": 768})


def _without_prj(data: bytes) -> bytes:
    import io
    import zipfile

    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(out, "w") as dst:
        for info in src.infolist():
            if not info.filename.endswith(".prj"):
                dst.writestr(info.filename, src.read(info))
    return out.getvalue()


def test_a_district_with_no_pack_is_placed_joined_to_gso_and_saved(
    page: Page, tmp_path: Path, blocked_requests: list[str]
) -> None:
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    upload = tmp_path / "cau_ke_vn2000.zip"
    upload.write_bytes(_without_prj(zipped_shapefile(to_vn2000(district_cells("846"), 9209))))
    user_data = tmp_path / "user-packs"
    OUTPUT.mkdir(exist_ok=True)

    with serve_app(tmp_path / "server.log", {"ATLAS_USER_DATA": str(user_data)}) as base_url:
        page.set_viewport_size({"width": 1366, "height": 768})
        page.goto(f"{base_url}/data")
        main = page.get_by_test_id("stMain")
        expect(main.get_by_role("heading", name="Dữ liệu", exact=True)).to_be_visible(
            timeout=TIMEOUT
        )
        sign_in(page)  # saving an import is an editor's
        page.get_by_test_id("stFileUploaderDropzoneInput").set_input_files(upload)
        picker = main.get_by_role("combobox", name="Hệ toạ độ", exact=False)
        expect(picker).to_be_visible(timeout=TIMEOUT)
        expect(main.get_by_text("EPSG:9209 → Trà Vinh", exact=False).first).to_be_visible()

        # The wrong province: Khánh Hòa's zone puts the data elsewhere; the page says where.
        picker.click()
        page.keyboard.type("Khánh Hòa")  # the list is long and drawn lazily: filter it
        page.get_by_role("option").filter(has_text="tỉnh Khánh Hòa").first.click()
        main.get_by_role("button", name="Xác nhận hệ toạ độ").click()
        expect(main.get_by_text("cách tỉnh Khánh Hòa", exact=False).first).to_be_visible(
            timeout=TIMEOUT
        )
        _shots(page, "data_page_wrong_province", main.get_by_text("cách tỉnh Khánh Hòa").first)
        main.get_by_label("Mã gói (a-z, 0-9, _)").fill("cau_ke")
        main.get_by_label("Mã gói (a-z, 0-9, _)").press("Tab")
        settle(page)
        main.get_by_role("button", name="Xác nhận và lưu").click()
        expect(main.get_by_text("Chưa lưu", exact=False).first).to_be_visible(timeout=TIMEOUT)
        assert not (user_data / "cau_ke").exists()

        # The right zone: every commune joins to Trà Vinh's GSO list, and the pack is saved.
        main.get_by_role("button", name="Chọn lại múi chiếu").click()
        expect(picker).to_be_visible(timeout=TIMEOUT)
        settle(page)
        main.get_by_role("button", name="Xác nhận hệ toạ độ").click()
        expect(main.get_by_text("danh mục xã GSO", exact=False).first).to_be_visible(
            timeout=TIMEOUT
        )
        settle(page)  # the page may still be redrawing after the join (a slow run reconnects)
        expect(main.get_by_text("cách tỉnh", exact=False)).to_have_count(0, timeout=TIMEOUT)
        _shots(page, "data_page_gso_join", main.get_by_text("Khớp mã", exact=True).first)
        main.get_by_label("Mã gói (a-z, 0-9, _)").fill("cau_ke")
        main.get_by_label("Mã gói (a-z, 0-9, _)").press("Tab")
        settle(page)
        main.get_by_role("button", name="Xác nhận và lưu").click()
        expect(main.get_by_text("Đã tạo gói “cau_ke”", exact=False)).to_be_visible(timeout=TIMEOUT)
        manifest = (user_data / "cau_ke" / "pack.toml").read_text(encoding="utf-8")
        assert 'province_code = "84"' in manifest and 'district_code = "846"' in manifest

    assert blocked_requests == [], "requests left localhost"
    assert errors == [], "JavaScript errors"
