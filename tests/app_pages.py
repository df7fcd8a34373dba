"""Opening one page of the app in an AppTest the way a user does: run the app, pick the
district and the language in the sidebar, then switch to the page."""

from __future__ import annotations

from streamlit.testing.v1 import AppTest


def open_app_page(at: AppTest, page: str, pack: str = "cang_long", lang: str = "vi") -> AppTest:
    at.run()
    if pack != "cang_long":
        at.sidebar.selectbox(key="pack").set_value(pack).run()
    if lang != "vi":
        at.sidebar.radio(key="lang").set_value(lang).run()
    at.switch_page(page).run()
    assert not at.exception, at.exception
    return at
