"""The scenarios page in a real browser: copy a scenario, switch a commune's 5G on the map,
see its colour and the KPI change, save, and find the scenario again after a reload.

The server is the session's (`app_server`), whose ATLAS_DB is the session's temporary database
(tests/conftest.py sets it before the server starts), never the user's. The map's features are
read from the Leaflet map in the streamlit-folium iframe (`window.map._layers`).
"""

from __future__ import annotations

import json
import uuid

import pytest
from playwright.sync_api import Page, expect

from atlas import kpi
from atlas.loader import load_pack
from tests.browser.conftest import OUTPUT, quiet
from tests.browser.signin import sign_in
from tests.conftest import REPO_ROOT

pytestmark = pytest.mark.browser

MAP_IFRAME = 'iframe[title="streamlit_folium.st_folium"]'
TIMEOUT = 30_000
TARGET = "Phổ cập 5G"
ROW = 35  # px, the table's row height

# `w` is the map iframe's window, `feats` the Leaflet layers drawn from a GeoJSON feature.
_PRELUDE = (
    f"const f = document.querySelector({json.dumps(MAP_IFRAME)});"
    "const w = f && f.contentWindow;"
    "if (!w || !w.map) return null;"
    "const feats = Object.values(w.map._layers).filter(l => l.feature && l.feature.properties);"
    "const byCode = code => feats.find(l => l.feature.properties._code === code);"
)

# Conditions for `wait_map` with arg = [commune code, …].
SHOWS_TARGET = (
    "const l = byCode(arg[0]); return l && l.feature.properties._tooltip.includes(arg[1]);"
)
HAS_FILL = "const l = byCode(arg[0]); return l && l.options.fillColor === arg[1];"


def in_map(page: Page, body: str, arg: object = None):
    return page.evaluate(f"arg => {{ {_PRELUDE} {body} }}", arg)


def wait_map(page: Page, body: str, arg: object = None) -> None:
    page.wait_for_function(f"arg => {{ {_PRELUDE} {body} }}", arg=arg, timeout=TIMEOUT)


def fill_of(page: Page, code: str) -> str | None:
    return in_map(page, "const l = byCode(arg); return l ? l.options.fillColor : null;", code)


def settle(page: Page) -> None:
    expect(page.get_by_test_id("stApp")).to_have_attribute(
        "data-test-script-state", "notRunning", timeout=TIMEOUT
    )


def selectbox(page: Page, label: str):
    main = page.get_by_test_id("stMain")
    return main.get_by_test_id("stSelectbox").filter(has=page.get_by_text(label, exact=True))


def pick(page: Page, label: str, option: str) -> None:
    """Choose `option` in the select box labelled `label`."""
    box = selectbox(page, label)
    box.click()
    page.get_by_role("option", name=option, exact=True).click()
    expect(box.get_by_role("combobox")).to_have_value(option)


def click_at(page: Page, point) -> None:
    """Click the map at `point` (a shapely Point, lon/lat) with the real mouse."""
    page.locator(MAP_IFRAME).scroll_into_view_if_needed()
    settle(page)
    x, y = in_map(
        page,
        "const p = w.map.latLngToContainerPoint([arg[0], arg[1]]);"
        "const frame = f.getBoundingClientRect();"
        "const box = w.map.getContainer().getBoundingClientRect();"
        "return [frame.left + box.left + p.x, frame.top + box.top + p.y];",
        [point.y, point.x],
    )
    page.mouse.click(x, y)


def kpi_value(page: Page, label: str):
    card = page.get_by_test_id("stMetric").filter(has_text=label)
    return card.get_by_test_id("stMetricValue")


def test_copy_click_a_commune_save_and_reload(
    app_server: str, page: Page, blocked_requests: list[str]
) -> None:
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    pack = load_pack(REPO_ROOT / "geodata" / "cang_long").pack
    measured = kpi.measured_frame(pack, 2025)
    lacking = str(measured.loc[measured["coverage_5g"].eq(False).fillna(False), "code"].iloc[0])
    covered = str(measured.loc[measured["coverage_5g"].eq(True).fillna(False), "code"].iloc[0])
    inside = pack.frames["communes"].set_index("code").geometry[lacking].representative_point()
    name = f"Phủ sóng 5G {uuid.uuid4().hex[:6]}"

    page.goto(f"{app_server}/scenarios")
    main = page.get_by_test_id("stMain")
    expect(main.get_by_role("heading", name="Kịch bản phủ sóng")).to_be_visible(timeout=60_000)
    expect(kpi_value(page, TARGET)).to_have_text("85,7 %")

    # Copy the built-in "Hiện trạng 2025" (the form is open while a built-in is shown).
    wait_map(page, "return true;")
    quiet(page)
    sign_in(page)
    form = page.get_by_test_id("stForm").filter(has=page.get_by_role("button", name="Tạo"))
    form.get_by_label("Tên", exact=True).fill(name)
    form.get_by_label("Mô tả", exact=True).fill("Mọi xã có 5G")
    form.get_by_role("button", name="Tạo").click()
    expect(main.get_by_text(f"Đã tạo kịch bản “{name}”.")).to_be_visible(timeout=TIMEOUT)
    expect(selectbox(page, "Kịch bản").get_by_role("combobox")).to_have_value(name)

    # The map shows 5G; the commune without it has another colour than a covered one.
    pick(page, "Chỉ tiêu trên bản đồ", TARGET)
    page.wait_for_selector(MAP_IFRAME, timeout=60_000)
    wait_map(page, SHOWS_TARGET, [lacking, TARGET])
    met_colour = fill_of(page, covered)
    assert fill_of(page, lacking) != met_colour
    # A value on the iframe's window survives only if the map is updated in place, not reloaded.
    in_map(page, "w.__atlasMarker = 42; return true;")

    # Click the commune with the real mouse: its 5G switches on.
    click_at(page, inside)
    wait_map(page, HAS_FILL, [lacking, met_colour])
    expect(kpi_value(page, TARGET)).to_have_text("92,9 %")
    expect(main.get_by_text("1 thay đổi chưa lưu")).to_be_visible()

    # Table edits and their validation are covered by AppTest (tests/test_scenarios_page.py):
    # typing into st.data_editor's canvas grid from a browser proved flaky under load.

    page.get_by_role("button", name="Lưu", exact=True).click()
    expect(main.get_by_text(f"Đã lưu “{name}” (phiên bản 2).")).to_be_visible(timeout=TIMEOUT)
    settle(page)
    assert (
        in_map(page, "return w.__atlasMarker === undefined ? 'reloaded' : w.__atlasMarker;") == 42
    )

    # A new session: the saved scenario is in the picker, with the commune still covered.
    page.reload()
    expect(main.get_by_role("heading", name="Kịch bản phủ sóng")).to_be_visible(timeout=60_000)
    pick(page, "Kịch bản", name)
    expect(kpi_value(page, TARGET)).to_have_text("92,9 %")
    pick(page, "Chỉ tiêu trên bản đồ", TARGET)
    wait_map(page, HAS_FILL, [lacking, met_colour])
    history = main.get_by_text("Lịch sử sửa", exact=True)
    history.click()
    expect(main.get_by_test_id("stDataFrame").first).to_be_visible()

    settle(page)
    page.set_viewport_size({"width": 1440, "height": 2600})
    settle(page)
    main.evaluate("el => el.scrollTo(0, 0)")
    OUTPUT.mkdir(exist_ok=True)
    page.screenshot(path=str(OUTPUT / "scenarios_page.png"), full_page=True)

    assert blocked_requests == [], "requests left localhost"
    assert errors == [], "JavaScript errors"


def test_the_map_and_the_kpi_cards_are_in_view_together_on_a_laptop(
    app_server: str, page: Page
) -> None:
    page.set_viewport_size({"width": 1366, "height": 768})
    page.goto(f"{app_server}/scenarios")
    page.wait_for_selector(MAP_IFRAME, timeout=60_000)
    quiet(page)
    frame = page.locator(MAP_IFRAME).bounding_box()
    cards = page.locator("[class*='st-key-scen-kpi-']")
    expect(cards.first).to_be_visible(timeout=TIMEOUT)
    first = cards.first.bounding_box()
    assert frame["y"] < 420 and frame["y"] + frame["height"] <= 768 + 1, frame
    assert frame["height"] >= 300, frame  # the map fills the window below its top
    assert first["y"] + first["height"] <= 768, first  # a whole card beside the map
    assert first["x"] > frame["x"] + frame["width"], (first, frame)
