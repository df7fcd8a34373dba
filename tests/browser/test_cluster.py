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

from atlas import kpi, pack_db
from atlas.loader import load_pack
from atlas.packs import pack_fingerprint
from atlas.store import Store, make_engine
from deploy.cluster import running
from deploy.postgres import free_port
from tests.accounts import ADMIN, EDITOR, make_accounts
from tests.browser import test_scenarios_page as sc_page
from tests.browser.conftest import quiet
from tests.browser.signin import sign_in
from tests.browser.test_map_page import save_view, settle, wait_map
from tests.conftest import REPO_ROOT
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


def _click_commune(page: Page, code: str) -> None:
    """Click the commune `code` on the scenario map with the real mouse (switches its 5G)."""
    pack = load_pack(REPO_ROOT / "geodata" / "cang_long").pack
    inside = pack.frames["communes"].set_index("code").geometry[code].representative_point()
    sc_page.click_at(page, inside)
    expect(page.get_by_test_id("stMain").get_by_text("1 thay đổi chưa lưu")).to_be_visible(
        timeout=TIMEOUT
    )


def _open_scenario(page: Page, port: int, person, url: str, name: str | None = None) -> None:
    page.goto(f"http://127.0.0.1:{port}/scenarios")
    main = page.get_by_test_id("stMain")
    expect(main.get_by_role("heading", name="Kịch bản phủ sóng")).to_be_visible(timeout=TIMEOUT)
    sc_page.wait_map(page, "return true;")
    sign_in(page, person, db_url=url)
    if name is not None:
        sc_page.pick(page, "Kịch bản", name)
    sc_page.pick(page, "Chỉ tiêu trên bản đồ", sc_page.TARGET)
    page.wait_for_selector(sc_page.MAP_IFRAME, timeout=TIMEOUT)


def test_two_editors_on_two_processes_save_one_scenario_and_the_later_save_loses_nothing(
    two_processes, page: Page, browser
) -> None:
    base, (first, second), url, _ = two_processes
    pack = load_pack(REPO_ROOT / "geodata" / "cang_long").pack
    measured = kpi.measured_frame(pack, 2025)
    lacking = measured.loc[measured["coverage_5g"].eq(False).fillna(False), "code"].astype(str)
    name = f"Chung {uuid.uuid4().hex[:6]}"

    _open_scenario(page, first, EDITOR, url)  # the editor makes the scenario on process 1
    form = page.get_by_test_id("stForm").filter(has=page.get_by_role("button", name="Tạo"))
    form.get_by_label("Tên", exact=True).fill(name)
    form.get_by_role("button", name="Tạo").click()
    main = page.get_by_test_id("stMain")
    expect(main.get_by_text(f"Đã tạo kịch bản “{name}”.")).to_be_visible(timeout=TIMEOUT)

    other = browser.new_context(viewport={"width": 1366, "height": 768}).new_page()
    _open_scenario(other, second, ADMIN, url, name)  # a colleague opens it on process 2

    _click_commune(page, lacking.iloc[0])  # both edit version 1 at the same time …
    _click_commune(other, lacking.iloc[1])
    page.get_by_role("button", name="Lưu", exact=True).click()  # … the editor saves first
    expect(main.get_by_text(f"Đã lưu “{name}” (phiên bản 2).")).to_be_visible(timeout=TIMEOUT)
    other.get_by_role("button", name="Lưu", exact=True).click()
    theirs = other.get_by_test_id("stMain")
    expect(theirs.get_by_text(f"bởi {EDITOR.name}", exact=False)).to_be_visible(timeout=TIMEOUT)
    expect(theirs.get_by_text("Thay đổi của bạn vẫn còn ở đây", exact=False)).to_be_visible()
    expect(theirs.get_by_text("1 thay đổi chưa lưu")).to_be_visible()  # the draft is kept
    other.context.close()

    store = Store.from_url(url)
    saved = next(s for s in store.list_scenarios("cang_long") if s.name == name)
    assert saved.version == 2
    assert [code for code, _ in saved.edits] == [lacking.iloc[0]]  # the first save, whole
