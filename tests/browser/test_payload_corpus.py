"""A corpus of script, Markdown and URL payloads placed in every text a pack, a file or a user
can set — pack and plan names, group, layer and field titles, commune names, a target and its
quote, the honesty note, a saved view's title and caption, a scenario's name and description,
and the names of the accounts that wrote them — then every page opened in Chromium with a
dialog handler and a request guard (tests/browser/conftest.py aborts any request off
localhost), and the standalone export opened from disk: nothing runs, nothing is fetched,
and no payload becomes an element (issue 14)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from playwright.sync_api import Page, expect

from atlas import scenarios as sc
from atlas import views as vw
from atlas.export import ExportView
from atlas.loader import load_pack
from atlas.roles import Account
from atlas.store import open_store
from layers import export_html
from tests.accounts import make_accounts
from tests.browser.conftest import serve_app
from tests.browser.signin import sign_in
from tests.browser.test_export_html import opened_offline
from tests.browser.test_map_page import quiet, settle
from tests.packfactory import COMMUNES, MANIFEST, features, make_pack

pytestmark = pytest.mark.browser

HOST = "tracker.example"
CORPUS = {
    "markup": "<img src=x onerror=alert('m')>",
    "script": "<script>alert('s')</script>",
    "image": f"![t](http://{HOST}/p.png)",
    "link": "[bấm](javascript:alert('l'))",
    "autolink": f"<http://{HOST}/a>",
    "svg": "<svg onload=alert('v')>",
    "style": f"<style>@import 'http://{HOST}/c.css'</style>",
    "css_url": f'<div style="background:url(http://{HOST}/b.png)">',
    "latex": "$\\href{javascript:alert('x')}{x}$",
}
ALL = " ".join(CORPUS.values())
SHORT = f"{CORPUS['markup']} {CORPUS['image']}"  # where the field is short (64 characters)
PACK = "corpus"
PAGES = ["", "scenarios", "targets", "present", "compare", "packs", "data", "admin"]
WRITER = Account("<img src=x onerror=alert('w')>", "editor")
ADMIN = Account("![a](http://tracker.example/a.png)", "admin")


def _manifest() -> str:
    swaps = [
        ('name = { vi = "Huyện Thử", en = "Test District" }', "name"),
        ('plan_title = { vi = "Kế hoạch thử", en = "Test plan" }', "plan_title"),
        ('title = { vi = "Hành chính", en = "Administrative" }', "title"),
        ('title = { vi = "Xã", en = "Communes" }', "title"),
        ('label = { vi = "Tên", en = "Name" }', "label"),
        ('note = { vi = "Sơ đồ", en = "Schematic" }', "note"),
        ('source = { vi = "Tạo cho kiểm thử", en = "Made for tests" }', "source"),
    ]
    text = MANIFEST
    for old, key in swaps:
        assert old in text, old
        text = text.replace(old, f"{key} = {{ vi = {_toml(ALL)}, en = {_toml(ALL)} }}", 1)
    return text.replace('quote = "100% người dân được sử dụng nước sạch"', f"quote = {_toml(ALL)}")


def _toml(value: str) -> str:
    return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'


@pytest.fixture(scope="module")
def corpus_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, str]]:
    root = tmp_path_factory.mktemp("corpus-data")
    communes = [(code, f"{name} {ALL}", xy) for code, name, xy in COMMUNES]
    pack_dir = make_pack(root, name=PACK, manifest=_manifest(), feats=features(communes))
    pack = load_pack(pack_dir).pack
    assert pack is not None
    url = f"sqlite:///{root / 'corpus.db'}"
    make_accounts(url, WRITER, ADMIN)
    db = open_store(url)
    db.save_view(vw.View(pack_id=PACK, layers=("communes", "water"), title=ALL, caption=ALL),
                 by=WRITER)  # fmt: skip
    scenario = sc.new_scenario(pack, SHORT, year=2021)
    db.save(sc.describe(scenario, ALL), 0, WRITER)
    db.close()
    env = {"ATLAS_USER_DATA": str(root), "ATLAS_PACK": PACK, "ATLAS_DB_URL": url}
    with serve_app(tmp_path_factory.mktemp("corpus-log") / "server.log", env=env) as base:
        yield base, url


def _planted(page: Page) -> int:
    """Elements a payload would have made, in the page and in every frame (the map's)."""
    found = 0
    for frame in page.frames:
        found += frame.locator(
            "img[src='x'], svg[onload], a[href^='javascript'], [style*='tracker.example'], "
            f"img[src*='{HOST}'], link[href*='{HOST}']"
        ).count()
    return found


@pytest.mark.parametrize("path", PAGES)
def test_no_payload_runs_or_fetches_on_any_page(
    corpus_server: tuple[str, str], page: Page, blocked_requests: list[str], path: str
) -> None:
    base, url = corpus_server
    dialogs: list[str] = []
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    page.goto(f"{base}/")
    settle(page)
    quiet(page)
    if path == "admin":
        sign_in(page, ADMIN, db_url=url)  # the admin page lists the accounts and the trail
        page.get_by_test_id("stSidebarNav").get_by_text("Quản trị").click()
        settle(page)
        page.get_by_role("tab", name="Nhật ký thay đổi").click()
    elif path:
        page.goto(f"{base}/{path}")
        settle(page)
        quiet(page)
    main = page.get_by_test_id("stMain")
    if path != "data":  # the Data page shows no pack text until a file is chosen
        expect(main).to_contain_text(HOST, timeout=60_000)  # shown as the text it is
    for expander in main.locator("summary").all()[:6]:  # panels that draw on opening
        expander.click()
    page.wait_for_timeout(1500)
    settle(page)
    assert dialogs == [], dialogs
    assert not any(HOST in u or u.startswith("javascript") for u in blocked_requests), (
        blocked_requests
    )
    assert _planted(page) == 0


def test_no_payload_runs_or_fetches_in_the_standalone_export(tmp_path) -> None:
    pack_root = tmp_path / "p"
    communes = [(code, f"{name} {ALL}", xy) for code, name, xy in COMMUNES]
    pack = load_pack(make_pack(pack_root, PACK, _manifest(), features(communes))).pack
    view = ExportView(PACK, ("communes", "water"), title=ALL, caption=ALL)
    out = tmp_path / "corpus.html"
    export_html.write_html(pack, view, out)
    with opened_offline(out) as (page, blocked, dialogs):
        page.goto(out.as_uri())
        page.wait_for_selector(".leaflet-interactive", timeout=15_000)
        page.locator(".leaflet-control-layers").hover()
        page.locator(".leaflet-interactive").last.click()  # a popup with the commune's name
        page.wait_for_timeout(800)
        planted = _planted(page)
        caption = page.locator("#atlas-export-caption").inner_text()
    assert dialogs == [] and blocked == [] and planted == 0
    assert CORPUS["markup"] in caption
