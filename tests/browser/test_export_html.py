"""The exported HTML opened from disk (file://) in Chromium with every network request
aborted: Leaflet loads, the view's features (its scenario layer included) are drawn, and
neither the caption nor the legend hides part of the district.

Screenshot: test-output/export_html.png.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import replace
from pathlib import Path

import pytest

from atlas import scenarios as sc
from atlas.export import ExportView
from atlas.loader import load_pack
from atlas.packs import SHIPPED_PACKS
from layers import export_html
from tests.browser.conftest import CHROMIUM, CHROMIUM_ARGS, OUTPUT

pytestmark = pytest.mark.browser


@contextmanager
def opened_offline(path: Path) -> Iterator[tuple]:
    """A Chromium page for the file at `path` that lets only file: and data: requests through:
    (page, the URLs it refused, the dialogs that opened)."""
    if not CHROMIUM.exists():
        pytest.fail(f"{CHROMIUM} is missing: apt-get install -y chromium")
    from playwright.sync_api import sync_playwright

    blocked: list[str] = []
    dialogs: list[str] = []

    def guard(route) -> None:
        if route.request.url.startswith(("file:", "data:")):
            route.continue_()
        else:
            blocked.append(route.request.url)
            route.abort()

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS
        )
        try:
            context = browser.new_context(viewport={"width": 1400, "height": 900})
            context.route("**/*", guard)
            page = context.new_page()
            page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
            yield page, blocked, dialogs
            context.close()
        finally:
            browser.close()


@pytest.fixture(scope="module")
def exported(tmp_path_factory):
    if not (export_html.VENDOR / "leaflet" / "leaflet.js").is_file():
        pytest.fail("static/vendor is not prepared: run `python assets/prepare.py`")
    pack = load_pack(SHIPPED_PACKS / "cang_long").pack
    view = replace(ExportView.default(pack), scenario="measured-2021", target="hamlets_internet")
    view = view.with_overlay(pack, pack, sc.registry(pack))
    out = tmp_path_factory.mktemp("export") / "ban_do.html"
    export_html.write_html(pack, view, out)
    n_features = sum(int(pack.frames[lid].geometry.notna().sum()) for lid in view.layers)
    n_features += len(pack.frames["communes"])  # the scenario's target layer
    return out, n_features


def test_exported_html_draws_offline(exported):
    path, n_features = exported
    with opened_offline(path) as (page, blocked, _dialogs):
        errors: list[str] = []
        page.on("pageerror", lambda exc: errors.append(str(exc)))
        page.goto(path.as_uri())
        page.wait_for_function("() => window.L && L.version", timeout=15_000)
        page.wait_for_selector(".leaflet-interactive", timeout=15_000)
        page.wait_for_timeout(500)
        drawn = page.locator("path.leaflet-interactive").count()
        legend = page.locator(".atlas-legend").inner_text()
        caption = page.locator("#atlas-export-caption").inner_text()
        boxes = page.evaluate(BOXES_JS)
        OUTPUT.mkdir(exist_ok=True)
        page.screenshot(path=str(OUTPUT / "export_html.png"))
    assert errors == []
    assert blocked == []  # nothing but the file itself (and data: URIs) was requested
    assert drawn >= n_features
    assert "Chú giải" in legend
    overlay = "100% ấp, khóm có Internet · Hiện trạng 2021"  # the scenario layer's section
    assert overlay in legend
    assert "Huyện Càng Long" in caption
    assert "minh hoạ" in caption.lower()  # the honesty note is shown, not folded away
    drawn, top, legend_box = boxes["drawn"], boxes["caption"], boxes["legend"]
    assert drawn["top"] >= top["bottom"]  # the caption hides nothing in the north
    assert drawn["bottom"] <= boxes["height"] and drawn["left"] >= 0
    clear_of_legend = drawn["right"] <= legend_box["left"] or drawn["bottom"] <= legend_box["top"]
    assert clear_of_legend


# The union of the drawn features' boxes, the caption's and the legend's, in page pixels.
BOXES_JS = """() => {
  const rect = (el) => el.getBoundingClientRect();
  const paths = [...document.querySelectorAll("path.leaflet-interactive")].map(rect);
  const drawn = {
    top: Math.min(...paths.map((r) => r.top)), bottom: Math.max(...paths.map((r) => r.bottom)),
    left: Math.min(...paths.map((r) => r.left)), right: Math.max(...paths.map((r) => r.right)),
  };
  const c = rect(document.getElementById("atlas-export-caption"));
  const l = rect(document.querySelector(".atlas-legend"));
  return {drawn, caption: {bottom: c.bottom}, legend: {left: l.left, top: l.top},
          height: window.innerHeight};
}"""


EVIL = "<img src=x onerror=alert(1)>"
MD_IMAGE = "![t](http://tracker.example/p.png)"


def test_text_from_a_pack_or_a_view_stays_text_in_the_exported_file(tmp_path):
    """A layer title, a commune's name and the view's title and caption carrying markup or a
    Markdown image: the file opened from disk runs nothing and fetches nothing, and shows the
    text as written (Leaflet's layer control sets names with innerHTML)."""
    from dataclasses import replace as dc_replace

    from atlas.spec import Text

    pack = load_pack(SHIPPED_PACKS / "cang_long").pack
    layers = tuple(
        dc_replace(la, title=Text(EVIL, EVIL)) if la.id == "roads" else la
        for la in pack.manifest.layers
    )
    frames = dict(pack.frames)
    communes = frames["communes"].copy()
    communes.loc[0, "name"] = f"Xã {EVIL}"
    frames["communes"] = communes
    pack = dc_replace(pack, manifest=dc_replace(pack.manifest, layers=layers), frames=frames)
    view = ExportView(pack.id, ("communes", "roads"), title=f"{EVIL} {MD_IMAGE}", caption=EVIL)
    out = tmp_path / "evil.html"
    export_html.write_html(pack, view, out)
    with opened_offline(out) as (page, blocked, dialogs):
        page.goto(out.as_uri())
        page.wait_for_selector(".leaflet-interactive", timeout=15_000)
        page.locator(".leaflet-control-layers").hover()
        page.wait_for_timeout(800)
        control = page.locator(".leaflet-control-layers").inner_text()
        images = page.locator("img[src='x']").count()
        caption = page.locator("#atlas-export-caption").inner_text()
    assert dialogs == [] and images == 0
    assert blocked == []
    assert EVIL in control  # shown as the text it is
    assert EVIL in caption and MD_IMAGE in caption
