"""Two app processes behind nginx on one PostgreSQL (issue 15, `make cluster`): nginx keeps a
browser on one process and spreads browsers over both; a view saved and a pack imported
through one process are seen by the other on its next rerun. As in `make cluster`, packs are
kept in the database and each process has a user data folder of its own, as two machines
would: the imported pack reaches the other process through the database, not a shared disk."""

from __future__ import annotations

import urllib.request
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from atlas import pack_db
from atlas.packs import pack_fingerprint
from atlas.store import make_engine
from deploy.cluster import running
from deploy.postgres import free_port
from tests.accounts import EDITOR, make_accounts
from tests.browser.conftest import quiet
from tests.browser.signin import sign_in
from tests.browser.test_map_page import save_view, settle, wait_map
from tests.ingest_fixtures import communes_wgs84, vector_bytes
from tests.pg import fresh_database

pytestmark = pytest.mark.browser
TIMEOUT = 90_000


@pytest.fixture(scope="module")
def two_processes(postgresql_cluster, tmp_path_factory) -> Iterator[tuple[str, list[int], str]]:
    folder = tmp_path_factory.mktemp("cluster")
    with fresh_database(postgresql_cluster) as url:
        make_accounts(url, EDITOR)
        env = {"ATLAS_PACK_STORE": "database", "ATLAS_PACK": "cang_long"}
        with running(2, free_port(), url, folder, env, own_folders=True) as (base, ports):
            yield base, ports, url, folder


def _upstream(base: str, cookie: str) -> str:
    request = urllib.request.Request(f"{base}/", headers={"Cookie": f"atlas_node={cookie}"})
    with urllib.request.urlopen(request, timeout=30) as answer:
        return answer.headers["X-Atlas-Upstream"]


def test_nginx_keeps_a_browser_on_one_process_and_spreads_browsers(two_processes) -> None:
    base, ports, _, _ = two_processes
    assert len({_upstream(base, "same") for _ in range(5)}) == 1
    seen = {_upstream(base, uuid.uuid4().hex) for _ in range(24)}
    assert seen == {f"127.0.0.1:{port}" for port in ports}
    with urllib.request.urlopen(f"{base}/", timeout=30) as first:  # no cookie yet: one is set
        assert "atlas_node=" in first.headers["Set-Cookie"]


def _rerun(page: Page) -> None:
    """Any click that reruns the page (the names toggle), as a colleague's next click."""
    page.get_by_test_id("stMain").get_by_text("Tên trên bản đồ", exact=True).click()
    settle(page)


def test_a_view_and_an_import_through_one_process_are_seen_through_the_other(
    two_processes, page: Page, browser, tmp_path: Path, blocked_requests: list[str]
) -> None:
    base, (first, second), url, folder = two_processes
    other = browser.new_context(viewport={"width": 1366, "height": 768}).new_page()
    other.goto(f"http://127.0.0.1:{second}/?p=cang_long")
    wait_map(other, "return distinct('communes') > 0;", timeout=TIMEOUT)
    quiet(other)

    page.goto(f"http://127.0.0.1:{first}/?p=cang_long")
    wait_map(page, "return distinct('communes') > 0;", timeout=TIMEOUT)
    save_view(page, "Lưu qua tiến trình 1", db_url=url)

    _rerun(other)
    main = other.get_by_test_id("stMain")
    main.get_by_text("Góc nhìn đã lưu", exact=True).click()
    expect(main.get_by_text("Lưu qua tiến trình 1")).to_be_visible(timeout=TIMEOUT)

    upload = tmp_path / "xa_cum.geojson"
    upload.write_bytes(vector_bytes(communes_wgs84(), ".geojson", "GeoJSON"))
    page.get_by_test_id("stSidebarNav").get_by_text("Dữ liệu", exact=True).click()
    settle(page)
    page.get_by_test_id("stFileUploaderDropzoneInput").set_input_files(upload)
    data = page.get_by_test_id("stMain")
    save = data.get_by_role("button", name="Xác nhận và lưu")
    expect(save).to_be_enabled(timeout=TIMEOUT)
    data.get_by_label("Tên gói (tiếng Việt)").fill("Gói nhập qua tiến trình 1")
    data.get_by_label("Tên gói (tiếng Việt)").press("Tab")
    settle(page)
    save.click()
    expect(data.get_by_text("Đã tạo gói", exact=False)).to_be_visible(timeout=TIMEOUT)

    _rerun(other)
    picker = other.get_by_test_id("stSidebar").get_by_role("combobox", name="Địa bàn (gói dữ liệu)")
    picker.click()
    options = other.get_by_role("option")
    expect(options.filter(has_text="Gói nhập qua tiến trình 1")).to_have_count(1)
    options.filter(has_text="Gói nhập qua tiến trình 1").click()  # and it draws there
    wait_map(other, "return distinct('xa_cum') > 0;", timeout=TIMEOUT)
    other.context.close()
    assert blocked_requests == []
    (pack_id,) = pack_db.listing(make_engine(url))
    copies = [folder / f"node-{n}" / "packs" / pack_id for n in (1, 2)]
    assert pack_fingerprint(copies[0]) == pack_fingerprint(copies[1])  # byte for byte


def test_the_app_draws_through_nginx(two_processes, page: Page) -> None:
    base, _, url, _ = two_processes
    page.goto(f"{base}/?p=cang_long")
    wait_map(page, "return distinct('communes') > 0;", timeout=TIMEOUT)  # the websocket works
    sign_in(page, db_url=url)  # and a session stays on its process: the sign-in holds over reruns
    _rerun(page)
    expect(
        page.get_by_test_id("stSidebar").get_by_text(f"Đăng nhập: {EDITOR.name}")
    ).to_be_visible()
