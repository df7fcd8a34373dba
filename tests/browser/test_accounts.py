"""Accounts in Chromium: an editor signs in from the sidebar and saves a view; an admin, in
another browser, finds the save in the audit trail under the editor's name and disables the
account, and the editor's next click signs them out (issue 14)."""

from __future__ import annotations

from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from tests.accounts import ADMIN, EDITOR
from tests.browser.conftest import serve_app
from tests.browser.signin import sign_in
from tests.browser.test_map_page import save_view, settle

pytestmark = pytest.mark.browser


def test_the_trail_names_the_editor_and_a_disabled_editor_is_signed_out(
    page: Page, browser, tmp_path: Path, blocked_requests: list[str]
) -> None:
    url = f"sqlite:///{tmp_path / 'accounts.db'}"
    with serve_app(tmp_path / "server.log", {"ATLAS_DB_URL": url}) as base:
        page.goto(f"{base}/?p=cang_long&l=communes&y=2025")
        settle(page)
        save_view(page, "Của biên tập viên", db_url=url)  # signs the editor in first
        side = page.get_by_test_id("stSidebar")
        expect(side.get_by_text(f"Đăng nhập: {EDITOR.name}")).to_be_visible()

        admin = browser.new_context(viewport={"width": 1366, "height": 768}).new_page()
        admin.goto(f"{base}/")
        settle(admin)
        sign_in(admin, ADMIN, db_url=url)
        admin.get_by_test_id("stSidebarNav").get_by_text("Quản trị").click()
        settle(admin)
        admin.get_by_role("tab", name="Nhật ký thay đổi").click()
        trail = admin.get_by_test_id("stDataFrame").last
        expect(trail).to_contain_text(EDITOR.name, timeout=30_000)
        expect(trail).to_contain_text("Của biên tập viên")
        admin.get_by_role("tab", name="Tài khoản").click()
        main = admin.get_by_test_id("stMain")
        main.get_by_test_id("stSelectbox").filter(has_text="Tên tài khoản").locator("input").fill(
            EDITOR.name
        )
        admin.keyboard.press("Enter")
        settle(admin)
        main.get_by_role("button", name="Khoá tài khoản").click()
        expect(main.get_by_text(f"Đã khoá “{EDITOR.name}”.")).to_be_visible(timeout=30_000)
        admin.context.close()

        page.get_by_test_id("stMain").get_by_text("Tên trên bản đồ", exact=True).click()
        settle(page)  # the editor's next click: the account is read again
        expect(side.get_by_text("Phiên đăng nhập đã kết thúc")).to_be_visible(timeout=30_000)
        expect(side.get_by_text(f"Đăng nhập: {EDITOR.name}")).to_have_count(0)
    assert blocked_requests == []
