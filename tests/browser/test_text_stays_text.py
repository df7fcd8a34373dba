"""Text from a pack or a user stays text on the Map and Present pages, in Chromium: a layer
or group title, the plan's title and a saved view's title and caption carrying a Markdown
image or markup fetch nothing and run nothing (issue 14: a Markdown image in a view's title
made every visitor's browser fetch a tracking pixel)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from atlas import views as vw
from atlas.store import open_store
from tests.accounts import EDITOR
from tests.browser.conftest import serve_app
from tests.browser.test_map_page import MAP_IFRAME, quiet, settle
from tests.packfactory import MANIFEST, make_pack

pytestmark = pytest.mark.browser

PIXEL = "http://tracker.example/p.png"
IMAGE = f"![t]({PIXEL})"
MARKUP = "<img src=x onerror=alert(1)>"
PACK = "evil_text"


@pytest.fixture(scope="module")
def evil_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    root = tmp_path_factory.mktemp("evil-user-data")
    manifest = (
        MANIFEST.replace('title = { vi = "Xã", en = "Communes" }',
                         f'title = {{ vi = "Xã {IMAGE}", en = "Communes {IMAGE}" }}')
        .replace('title = { vi = "Hành chính", en = "Administrative" }',
                 f'title = {{ vi = "Hành chính {IMAGE}", en = "Administrative" }}')
        .replace('plan_title = { vi = "Kế hoạch thử", en = "Test plan" }',
                 f'plan_title = {{ vi = "Kế hoạch {IMAGE}", en = "Test plan" }}')
    )  # fmt: skip
    assert manifest.count(IMAGE) == 4
    make_pack(root, name=PACK, manifest=manifest)
    url = f"sqlite:///{root / 'views.db'}"
    db = open_store(url)
    db.save_view(vw.View(pack_id=PACK, layers=("communes",), title=f"Góc {IMAGE}",
                         caption=f"{MARKUP} {IMAGE}"), by=EDITOR)  # fmt: skip
    db.close()
    log = tmp_path_factory.mktemp("streamlit-evil") / "server.log"
    env = {"ATLAS_USER_DATA": str(root), "ATLAS_PACK": PACK, "ATLAS_DB_URL": url}
    with serve_app(log, env=env) as base:
        yield base


def _watch(page: Page) -> list[str]:
    dialogs: list[str] = []
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    return dialogs


@pytest.mark.parametrize("path", ["", "present"])
def test_markdown_images_and_markup_from_a_pack_or_a_view_fetch_and_run_nothing(
    evil_server: str, page: Page, blocked_requests: list[str], path: str, tmp_path: Path
) -> None:
    dialogs = _watch(page)
    page.goto(f"{evil_server}/{path}")
    page.wait_for_selector(MAP_IFRAME, timeout=60_000)
    quiet(page)
    settle(page)
    main = page.get_by_test_id("stMain")
    if path == "":
        main.get_by_text("Góc nhìn đã lưu", exact=True).click()
        expect(main.get_by_text(f"Góc {IMAGE}", exact=False).first).to_be_visible()
        expect(main.get_by_text(f"Xã {IMAGE}", exact=True)).to_be_visible()  # a layer's toggle
    else:
        expect(page.locator(".st-key-present-title h1")).to_contain_text(IMAGE)
    page.wait_for_timeout(500)
    assert not any("tracker.example" in u for u in blocked_requests), blocked_requests
    assert page.locator(f"img[src='{PIXEL}']").count() == 0
    assert dialogs == []
