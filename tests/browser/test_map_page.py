"""The map page in a real browser: layers drawn, changed in place (no iframe reload), offline.

streamlit-folium draws the map in a same-origin component iframe and keeps its Leaflet map in
`window.map`; the tests read the drawn features (`layer.feature.id`, e.g. "roads:3") from
there. A value set on the iframe's window (`__atlasMarker`) survives only if the iframe is
not reloaded, so it proves a panel change updated the map in place.
"""

from __future__ import annotations

import json
import re
import tomllib
from collections.abc import Iterator

import pytest
from playwright.sync_api import Page, expect

from tests.browser.conftest import OUTPUT, quiet, serve_app
from tests.browser.signin import sign_in
from tests.conftest import REPO_ROOT
from tests.packfactory import features, make_pack

pytestmark = pytest.mark.browser

MAP_IFRAME = 'iframe[title="streamlit_folium.st_folium"]'
SEARCH_LABEL = "Tìm xã, tuyến đường, dự án…"
MARKER = 42
TIMEOUT = 30_000
CANG_LONG = [[9.866806, 106.121062], [10.07977, 106.315529]]  # the district layer's bounds

# JavaScript prelude run in the Streamlit page: `w` is the map iframe's window, `feats` the
# Leaflet layers that carry a GeoJSON feature. The functions return null until the map exists.
_PRELUDE = (
    f"const f = document.querySelector({json.dumps(MAP_IFRAME)});"
    "const w = f && f.contentWindow;"
    "if (!w || !w.map) return null;"
    "const layers = Object.values(w.map._layers);"
    "const feats = layers.filter(l => l.feature && l.feature.id);"
    "const ids = prefix => feats.map(l => String(l.feature.id))"
    "  .filter(id => id.startsWith(prefix + ':'));"
    "const distinct = prefix => new Set(ids(prefix)).size;"
)


def in_map(page: Page, body: str, arg: object = None):
    """Evaluate `body` (a function body using `w`, `feats`, `ids`, `distinct`, `arg`)."""
    return page.evaluate(f"arg => {{ {_PRELUDE} {body} }}", arg)


def wait_map(page: Page, body: str, arg: object = None, timeout: float = TIMEOUT) -> None:
    """Wait until `body` (as for `in_map`) returns something truthy."""
    page.wait_for_function(f"arg => {{ {_PRELUDE} {body} }}", arg=arg, timeout=timeout)


def layer_title(pack: str, layer_id: str, lang: str = "vi") -> str:
    manifest = tomllib.loads((REPO_ROOT / "geodata" / pack / "pack.toml").read_text("utf-8"))
    return next(la["title"][lang] for la in manifest["layers"] if la["id"] == layer_id)


def toggle(page: Page, title: str) -> None:
    """Click a layer's toggle in the panel (its label is the layer title)."""
    page.get_by_test_id("stCheckbox").filter(has=page.get_by_text(title, exact=True)).click()


def settle(page: Page) -> None:
    """Wait until Streamlit has finished the current run (before a screenshot)."""
    expect(page.get_by_test_id("stApp")).to_have_attribute(
        "data-test-script-state", "notRunning", timeout=TIMEOUT
    )


def save_view(
    page: Page, title: str, caption: str | None = None, db_url: str | None = None
) -> None:
    """Save the map page's current view from its "Góc nhìn đã lưu" panel, as a user does
    (an editor signed in first), and wait for the confirmation."""
    sign_in(page, db_url=db_url)
    main = page.get_by_test_id("stMain")
    main.get_by_text("Góc nhìn đã lưu", exact=True).click()
    main.get_by_label("Tiêu đề góc nhìn").fill(title)
    last = main.get_by_label("Tiêu đề góc nhìn")
    if caption is not None:
        main.get_by_label("Chú thích").fill(caption)
        last = main.get_by_label("Chú thích")
    last.press("Enter")
    settle(page)
    main.get_by_role("button", name="Lưu góc nhìn").click()
    saved = main.get_by_text(f"Đã lưu góc nhìn “{title}”.")
    try:
        expect(saved).to_be_visible(timeout=30_000)
    except AssertionError:
        # Once on a loaded 2-core CI machine the page's websocket dropped right after the
        # click (Streamlit showed "Connecting"), which loses the click: after the
        # reconnection the form still holds the title, so click once more.
        settle(page)
        expect(main.get_by_label("Tiêu đề góc nhìn")).to_have_value(title, timeout=60_000)
        main.get_by_role("button", name="Lưu góc nhìn").click()
        expect(saved).to_be_visible(timeout=30_000)


def marker(page: Page) -> object:
    return in_map(page, "return w.__atlasMarker === undefined ? 'reloaded' : w.__atlasMarker;")


def wait_viewport(page: Page, timeout: float = TIMEOUT) -> None:
    """Wait until the map has fitted or restored its view (`layers.viewport`)."""
    wait_map(page, "return !!(w.__atlasViewport && w.__atlasViewport.ready);", timeout=timeout)


def open_map(page: Page, base_url: str) -> None:
    page.goto(base_url)
    page.wait_for_selector(MAP_IFRAME, timeout=60_000)
    wait_map(page, "return distinct('communes') > 0;", timeout=60_000)
    quiet(page)  # the runs a fresh page still has to come would undo a quick first click


def test_layers_change_in_place_and_the_district_switches_offline(
    app_server: str, page: Page, blocked_requests: list[str]
) -> None:
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    open_map(page, app_server)

    # Everything the manifest shows by default is drawn: 14 communes, roads, 3 industry areas.
    wait_map(page, "return distinct('communes') === 14 && distinct('industry') === 3;")
    assert in_map(page, "return distinct('roads');") >= 1
    industry = in_map(
        page,
        "return feats.filter(l => String(l.feature.id).startsWith('industry:'))"
        ".map(l => l.feature.properties._name);",
    )
    assert len(industry) == 3
    for place in ("Cổ Chiên", "Bình Phú", "Tân Bình"):
        assert sum(place in name for name in industry) == 1, (place, industry)
    frame = page.frame_locator(MAP_IFRAME)
    expect(frame.locator("path.leaflet-interactive").first).to_be_attached()
    assert frame.locator("path.leaflet-interactive").count() >= 14

    settle(page)
    page.locator(MAP_IFRAME).scroll_into_view_if_needed()
    OUTPUT.mkdir(exist_ok=True)
    page.screenshot(path=str(OUTPUT / "map_cang_long.png"))

    # Roads off and on again: the features go and come back, the iframe stays.
    in_map(page, "w.__atlasMarker = arg; return true;", MARKER)
    roads = layer_title("cang_long", "roads")
    toggle(page, roads)
    wait_map(page, "return distinct('roads') === 0;")
    assert in_map(page, "return distinct('communes');") == 14
    assert marker(page) == MARKER
    toggle(page, roads)
    wait_map(page, "return distinct('roads') > 0;")
    assert marker(page) == MARKER

    # The choropleth on, then the year one step back: popups follow, still no reload.
    toggle(page, layer_title("cang_long", "internet_hamlets"))
    wait_map(page, "return distinct('internet_hamlets') === 14;")
    popup_years = (
        "return feats.filter(l => String(l.feature.id).startsWith('internet_hamlets:'))"
        ".every(l => l.feature.properties._popup.includes('<td>' + arg + '</td>'));"
    )
    assert in_map(page, popup_years, 2025)
    year = page.get_by_test_id("stSlider").filter(has_text="Năm số liệu").get_by_role("slider")
    year.focus()
    page.keyboard.press("ArrowLeft")
    wait_map(page, popup_years, 2024)
    assert marker(page) == MARKER

    # Another district: Chi Lăng's 20 communes (a new map; the marker does not apply), and
    # its layer list starts at the top, whatever was scrolled in Càng Long's.
    panel = page.locator(".st-key-map-panel-cang_long")
    panel.evaluate("box => { box.scrollTop = box.scrollHeight; }")
    assert panel.evaluate("box => box.scrollTop") > 0
    page.get_by_test_id("stSidebar").get_by_test_id("stSelectbox").filter(
        has_text="Địa bàn (gói dữ liệu)"
    ).click()
    page.get_by_role("option", name="Huyện Chi Lăng").click()
    expect(page.get_by_role("heading", name="Huyện Chi Lăng")).to_be_visible(timeout=TIMEOUT)
    wait_map(page, "return distinct('communes') === 20 && distinct('roads') > 0;")
    assert in_map(page, "return ids('communes').length;") == 20
    settle(page)
    assert page.locator(".st-key-map-panel-chi_lang").evaluate("box => box.scrollTop") == 0
    page.locator(MAP_IFRAME).scroll_into_view_if_needed()
    page.screenshot(path=str(OUTPUT / "map_chi_lang.png"))

    assert blocked_requests == [], "requests left localhost"
    assert errors == [], "JavaScript errors"


def test_search_moves_the_map_and_highlights_without_reload(
    app_server: str, page: Page, blocked_requests: list[str]
) -> None:
    open_map(page, app_server)
    wait_viewport(page)
    start = in_map(page, "w.__atlasMarker = arg; return w.map.getZoom();", MARKER)
    # The map opens fitted to the district (its whole outline in view), not on a fixed zoom.
    assert in_map(page, "return w.map.getBounds().contains(w.L.latLngBounds(arg));", CANG_LONG)
    assert in_map(page, "return layers.filter(l => l.options.color === '#ff00ff').length;") == 0

    box = page.get_by_label(SEARCH_LABEL)
    box.fill("tan an")
    box.press("Enter")
    results = page.get_by_test_id("stSelectbox").filter(has_text="Kết quả")
    expect(results).to_be_visible(timeout=TIMEOUT)
    results.click()
    page.get_by_role("option", name=re.compile("^Xã Tân An · ")).click()
    expect(results.get_by_role("combobox")).to_have_value(re.compile("^Xã Tân An · "))

    # The commune Tân An (centroid ≈ 9.892 N, 106.156 E) is fitted in view, outlined in magenta,
    # clear of the legend, closer than the district view.
    wait_map(
        page,
        "return layers.some(l => l.options.color === '#ff00ff') && w.map.getZoom() > arg;",
        start,
    )
    hit = in_map(
        page,
        "const l = layers.find(l => l.options.color === '#ff00ff');"
        "const r = l.getBounds(), box = w.map.getContainer().getBoundingClientRect();"
        "const legend = w.document.querySelector('.atlas-legend').getBoundingClientRect();"
        "const sw = w.map.latLngToContainerPoint(r.getSouthWest());"
        "const ne = w.map.latLngToContainerPoint(r.getNorthEast());"
        "return {inside: w.map.getBounds().contains(r), right: ne.x + box.left,"
        "        bottom: sw.y + box.top, legendLeft: legend.left, legendTop: legend.top,"
        "        zoom: w.map.getZoom(), c: r.getCenter()};",
    )
    assert hit["inside"], hit
    assert hit["right"] < hit["legendLeft"] or hit["bottom"] < hit["legendTop"], hit
    assert hit["zoom"] > 12
    assert hit["c"]["lat"] == pytest.approx(9.892, abs=0.01)
    assert hit["c"]["lng"] == pytest.approx(106.156, abs=0.01)
    assert marker(page) == MARKER
    assert blocked_requests == [], "requests left localhost"


# --- a pack whose commune name is HTML ---------------------------------------------------

XSS_NAME = "<img src=x onerror=alert(1)>"
XSS_PACK = "xss_pack"


@pytest.fixture(scope="module")
def xss_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A separate server whose user data holds one pack, opened first, with an HTML name."""
    root = tmp_path_factory.mktemp("xss-user-data")
    feats = features()
    feats[0]["properties"]["name"] = XSS_NAME
    make_pack(root, name=XSS_PACK, feats=feats)
    log = tmp_path_factory.mktemp("streamlit-xss") / "server.log"
    with serve_app(log, env={"ATLAS_USER_DATA": str(root), "ATLAS_PACK": XSS_PACK}) as url:
        yield url


def test_a_commune_named_with_html_shows_as_text(
    xss_server: str, page: Page, blocked_requests: list[str]
) -> None:
    dialogs: list[str] = []

    def on_dialog(dialog) -> None:
        dialogs.append(dialog.message)
        dialog.dismiss()

    page.on("dialog", on_dialog)
    open_map(page, xss_server)
    expect(page.get_by_role("heading", name="Huyện Thử")).to_be_visible()
    wait_map(page, "return ids('communes').length === 2;")
    assert in_map(page, "return feats.map(l => l.feature.properties._name);").count(XSS_NAME) >= 1

    # Hover the commune (its tooltip), then click it (its popup), with the real mouse.
    page.locator(MAP_IFRAME).scroll_into_view_if_needed()
    x, y = in_map(
        page,
        "const l = feats.find(l => l.feature.properties._name === arg"
        "  && String(l.feature.id).startsWith('communes:'));"
        "const p = w.map.latLngToContainerPoint(l.getBounds().getCenter());"
        "const frame = f.getBoundingClientRect();"
        "const box = w.map.getContainer().getBoundingClientRect();"
        "return [frame.left + box.left + p.x, frame.top + box.top + p.y];",
        XSS_NAME,
    )
    frame = page.frame_locator(MAP_IFRAME)
    page.mouse.move(x - 5, y - 5)
    page.mouse.move(x, y, steps=5)
    tooltip = frame.locator(".leaflet-tooltip")
    expect(tooltip).to_contain_text(XSS_NAME)
    page.mouse.click(x, y)
    popup = frame.locator(".leaflet-popup-content")
    expect(popup).to_contain_text(XSS_NAME)
    wait_map(  # Leaflet fades the popup in
        page,
        "const p = w.document.querySelector('.leaflet-popup');"
        "return p && getComputedStyle(p).opacity === '1';",
    )
    OUTPUT.mkdir(exist_ok=True)
    page.screenshot(path=str(OUTPUT / "map_xss_popup.png"))

    assert frame.locator('img[src="x"]').count() == 0
    assert page.locator('img[src="x"]').count() == 0
    assert dialogs == [], "a name in the data ran as HTML"
    assert blocked_requests == [], "requests left localhost"


@pytest.mark.parametrize("size", [(1366, 768), (1024, 768), (1920, 1080)])
def test_the_map_fills_the_window_below_the_header_and_the_district_is_in_view(
    app_server: str, page: Page, size: tuple[int, int]
) -> None:
    """Map first: the map starts high (slim header, one-line honesty note), ends at the
    window's bottom edge whatever the window, and the whole district is fitted in it."""
    page.set_viewport_size({"width": size[0], "height": size[1]})
    open_map(page, app_server)
    wait_viewport(page)
    page.wait_for_function(
        f"""() => {{
            const f = document.querySelector({json.dumps(MAP_IFRAME)});
            const r = f.getBoundingClientRect();
            return Math.abs(r.bottom - (window.innerHeight - 16)) < 4;
        }}""",
        timeout=TIMEOUT,
    )
    box = page.locator(MAP_IFRAME).bounding_box()
    assert box["y"] < 300, box  # the header, the note and the search box take < 300 px
    assert box["height"] >= size[1] - 300 - 16, box
    wait_map(page, "return w.map.getSize().y > arg;", box["height"] - 4)
    assert in_map(page, "return w.map.getBounds().contains(w.L.latLngBounds(arg));", CANG_LONG)


def test_a_popup_opens_clear_of_the_buttons_hides_the_tooltip_and_coordinates_read_vietnamese(
    app_server: str, page: Page
) -> None:
    page.set_viewport_size({"width": 1366, "height": 768})
    open_map(page, app_server)
    wait_viewport(page)
    box = page.locator(MAP_IFRAME).bounding_box()
    x, y = box["x"] + 120, box["y"] + 200  # a commune beside the zoom and tool buttons
    page.mouse.move(x, y)
    page.mouse.click(x, y)
    wait_map(page, "return !!w.document.querySelector('.leaflet-popup');")
    wait_map(page, "return !(w.map._panAnim && w.map._panAnim._inProgress);")
    page.wait_for_timeout(400)  # the popup's pan away from the buttons
    rects = in_map(
        page,
        "const r = e => { const b = w.document.querySelector(e).getBoundingClientRect();"
        " return {l: b.left, r: b.right, t: b.top, b: b.bottom}; };"
        "return {popup: r('.leaflet-popup-content-wrapper'), zoom: r('.leaflet-control-zoom'),"
        " tips: w.getComputedStyle(w.document.querySelector('.leaflet-tooltip-pane')).display,"
        " focus: w.getComputedStyle(w.document.querySelector('path.leaflet-interactive'))"
        ".outlineStyle, where: w.document.querySelector('.leaflet-control-mouseposition')"
        ".textContent};",
    )
    popup, zoom = rects["popup"], rects["zoom"]
    assert popup["l"] >= zoom["r"] or popup["t"] >= zoom["b"], rects  # not under the buttons
    assert rects["tips"] == "none"  # no tooltip over the open popup
    assert rects["focus"] == "none"
    assert re.search(r"\d+,\d{5}° B · \d+,\d{5}° Đ", rects["where"]), rects["where"]


def test_the_whole_area_button_brings_back_the_whole_district(app_server: str, page: Page) -> None:
    open_map(page, app_server)
    wait_viewport(page)
    in_map(page, "w.map.setView([9.95, 106.2], 15, {animate: false}); return true;")
    assert not in_map(page, "return w.map.getBounds().contains(w.L.latLngBounds(arg));", CANG_LONG)
    button = page.frame_locator(MAP_IFRAME).locator(".atlas-whole a")
    assert button.get_attribute("title") == "Xem toàn bộ địa bàn"
    button.click()
    wait_map(page, "return w.map.getBounds().contains(w.L.latLngBounds(arg));", CANG_LONG)
