"""Signing a browser page in through the sidebar, as a colleague does (the account is made
first in the database the server uses)."""

from __future__ import annotations

from playwright.sync_api import Page, expect

from atlas.roles import Account
from atlas.store import default_url
from tests.accounts import EDITOR, PASSWORD, make_accounts
from tests.browser.conftest import quiet


def sign_in(page: Page, person: Account = EDITOR, db_url: str | None = None) -> None:
    """Open the sidebar's "Đăng nhập" panel, type the name and password, and wait until the
    sidebar names the account. A reload signs out: call it after `page.goto`."""
    make_accounts(db_url or default_url(), person)
    quiet(page)
    side = page.get_by_test_id("stSidebar")
    side.locator("summary").filter(has_text="Đăng nhập").click()
    side.get_by_label("Tên tài khoản").fill(person.name)
    side.get_by_label("Mật khẩu").fill(PASSWORD)
    side.get_by_test_id("stFormSubmitButton").get_by_role("button").click()
    expect(side.get_by_text(f"Đăng nhập: {person.name}")).to_be_visible(timeout=60_000)
    quiet(page)
