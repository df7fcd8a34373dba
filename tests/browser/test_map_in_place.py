"""The map in a real browser: opacity and class scheme change it in place; panning and zooming
do not run the script at all.

In place: a value set on the map iframe's window (`__atlasMarker`) survives only if the iframe
is not reloaded. No run: the test listens to the app's websocket and decodes Streamlit's
messages. A script run is asked for by a `rerun_script` BackMsg from the browser and starts
with a `new_session` ForwardMsg from the server; neither may pass while the map is panned and
zoomed, and both do pass when a widget changes (which shows the listener hears them).
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable
from dataclasses import dataclass, field

import pytest
from playwright.sync_api import Page, WebSocket, expect
from streamlit.proto.BackMsg_pb2 import BackMsg
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

from tests.browser.conftest import OUTPUT
from tests.browser.test_map_page import (
    MAP_IFRAME,
    MARKER,
    in_map,
    layer_title,
    marker,
    open_map,
    settle,
    toggle,
    wait_map,
)

pytestmark = pytest.mark.browser

CHOROPLETH = "internet_hamlets"
OPACITY_SLIDER = f".st-key-map-cang_long-opacity-{CHOROPLETH}"
NATURAL_BREAKS = "Ngắt tự nhiên (Jenks)"
DEBOUNCE_MARGIN_MS = 1_000  # streamlit-folium reports a move after a 250 ms debounce
TIMEOUT_S = 30

# The drawn choropleth paths (`ch`), as JavaScript after the map prelude of `in_map`.
_CHOROPLETH = f"const ch = feats.filter(l => String(l.feature.id).startsWith('{CHOROPLETH}:'));"
# The fill opacity as drawn: an SVG path without fill has fill="none" and no fill-opacity.
DRAWN_FILL_OPACITIES = (
    _CHOROPLETH + "return [...new Set(ch.map(l => l._path.getAttribute('fill') === 'none'"
    "  ? '0' : l._path.getAttribute('fill-opacity')))];"
)
FILL_COLOURS = _CHOROPLETH + "return ch.map(l => l._path.getAttribute('fill'));"
COLOURS_CHANGED = "return JSON.stringify((() => {" + FILL_COLOURS + "})()) !== arg;"
ANY_INTERACTIVE = (
    _CHOROPLETH + "return ch.some(l => l._path.classList.contains('leaflet-interactive'));"
)
# Which choropleth paths the pointer meets at their own centre (elementFromPoint in the map).
HIT_AT_CENTRES = (
    _CHOROPLETH + "return ch.filter(l => {"
    "  const p = w.map.latLngToContainerPoint(l.getBounds().getCenter());"
    "  const box = w.map.getContainer().getBoundingClientRect();"
    "  return w.document.elementFromPoint(box.left + p.x, box.top + p.y) === l._path;"
    "}).map(l => String(l.feature.id));"
)


@dataclass
class RunWatch:
    """Streamlit messages on the app's websocket, decoded: what the browser asked for and
    what the server started and finished. Counters only grow; `clear` empties the logs."""

    sent: list[str] = field(default_factory=list)
    received: list[str] = field(default_factory=list)
    started: int = 0
    finished: int = 0

    def attach(self, ws: WebSocket) -> None:
        if "/_stcore/stream" in ws.url:
            ws.on("framesent", self._sent)
            ws.on("framereceived", self._received)

    def _sent(self, payload: bytes | str) -> None:
        self.sent.append(_kind(BackMsg, payload))

    def _received(self, payload: bytes | str) -> None:
        kind = _kind(ForwardMsg, payload)
        self.received.append(kind)
        self.started += kind == "new_session"
        self.finished += kind == "script_finished"

    def clear(self) -> None:
        self.sent.clear()
        self.received.clear()

    @property
    def reruns_asked(self) -> int:
        return self.sent.count("rerun_script")

    @property
    def runs_started(self) -> int:
        return self.received.count("new_session")

    def idle(self, page: Page, started_after: int = 0) -> None:
        """Wait until more than `started_after` runs have started and every one has finished
        (the page's own "notRunning" flag is still set for a moment after a click)."""
        deadline = time.monotonic() + TIMEOUT_S
        while not (self.started > started_after and self.finished >= self.started):
            assert time.monotonic() < deadline, f"no finished run: {self.received[-20:]}"
            page.wait_for_timeout(50)

    def run(self, page: Page, action: Callable[[], object]) -> None:
        """Do `action`, which changes a widget, and wait for the run it causes to finish."""
        started = self.started
        action()
        self.idle(page, started)
        settle(page)


def _kind(message_type: type, payload: bytes | str) -> str:
    """The message's `type` field (e.g. "rerun_script"), or "?" when it is not protobuf."""
    if isinstance(payload, str):
        return "?"
    message = message_type()
    try:
        message.ParseFromString(payload)
    except Exception:  # noqa: BLE001 — any other frame is simply not one of these
        return "?"
    return message.WhichOneof("type") or "?"


def open_opacity(page: Page) -> None:
    """Open the opacity popover next to the choropleth's toggle (if it is not open).

    A click that lands while Streamlit is still re-rendering the panel after a run can be
    lost (the button is replaced under it); then the button says `aria-expanded="false"`
    and is clicked again, a few times at most.
    """
    slider = page.locator(OPACITY_SLIDER)
    toggle_box = page.locator(f".st-key-map-cang_long-on-{CHOROPLETH}")
    popover = toggle_box.locator('xpath=following::*[@data-testid="stPopover"][1]')
    button = popover.get_by_test_id("stPopoverButton").first
    for _ in range(3):
        if slider.is_visible():
            return
        if button.get_attribute("aria-expanded") != "true":
            button.click()
        try:
            expect(slider).to_be_visible(timeout=3_000)
        except AssertionError:
            continue
        return
    expect(slider).to_be_visible()


def press_on_opacity(page: Page, key: str) -> None:
    """Move the choropleth's opacity slider with the keyboard (Home = 0 %, End = 100 %)."""
    open_opacity(page)
    page.locator(OPACITY_SLIDER).get_by_role("slider").focus()
    page.keyboard.press(key)


DRAWN_FILL_OPACITY_IS = "return (() => {" + DRAWN_FILL_OPACITIES + "})().join() === arg;"


def test_opacity_and_scheme_update_in_place_and_panning_runs_nothing(
    app_server: str, page: Page, blocked_requests: list[str]
) -> None:
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    watch = RunWatch()
    page.on("websocket", watch.attach)
    open_map(page, app_server)
    watch.idle(page)
    settle(page)
    watch.run(page, lambda: toggle(page, layer_title("cang_long", CHOROPLETH)))
    wait_map(page, f"return distinct('{CHOROPLETH}') === 14;")
    in_map(page, "w.__atlasMarker = arg; return true;", MARKER)
    assert in_map(page, DRAWN_FILL_OPACITIES) == ["0.7"]  # the manifest's fill_opacity
    hit = in_map(page, HIT_AT_CENTRES)
    assert hit, "no commune centre where the choropleth is on top"
    assert in_map(page, ANY_INTERACTIVE) is True

    # 0 %: still drawn, but with no fill and out of the pointer's way; the same iframe.
    watch.clear()
    watch.run(page, lambda: press_on_opacity(page, "Home"))
    assert watch.reruns_asked >= 1 and watch.runs_started >= 1  # the listener hears runs
    wait_map(page, DRAWN_FILL_OPACITY_IS, "0")
    assert marker(page) == MARKER
    assert in_map(page, f"return distinct('{CHOROPLETH}');") == 14
    assert in_map(page, HIT_AT_CENTRES) == []
    assert in_map(page, ANY_INTERACTIVE) is False
    page.keyboard.press("Escape")  # close the popover for the screenshot
    expect(page.locator(OPACITY_SLIDER)).to_be_hidden()
    page.locator(MAP_IFRAME).scroll_into_view_if_needed()
    OUTPUT.mkdir(exist_ok=True)
    page.screenshot(path=str(OUTPUT / "map_choropleth_opacity_0.png"))

    # Back to 100 %: filled and under the pointer again, still the same iframe.
    watch.run(page, lambda: press_on_opacity(page, "End"))
    wait_map(page, DRAWN_FILL_OPACITY_IS, "0.7")
    assert sorted(in_map(page, HIT_AT_CENTRES)) == sorted(hit)
    assert in_map(page, ANY_INTERACTIVE) is True
    assert marker(page) == MARKER
    page.keyboard.press("Escape")
    expect(page.locator(OPACITY_SLIDER)).to_be_hidden()

    # Another class scheme: new colours, same iframe.
    colours = json.dumps(in_map(page, FILL_COLOURS), separators=(",", ":"))
    scheme = page.get_by_test_id("stSelectbox").filter(has_text="Cách chia lớp màu")
    scheme.click()
    watch.run(page, lambda: page.get_by_role("option", name=NATURAL_BREAKS).click())
    wait_map(page, COLOURS_CHANGED, colours)
    assert marker(page) == MARKER

    # Pan and zoom through Leaflet: the map moves, and no script run is asked for or started.
    watch.clear()
    view = "const c = w.map.getCenter(); return [c.lat, c.lng, w.map.getZoom()];"
    before = in_map(page, view)
    in_map(page, "w.map.panBy([160, 90], {animate: false}); return true;")
    in_map(page, "w.map.setZoom(w.map.getZoom() + 1, {animate: false}); return true;")
    in_map(page, "w.map.panBy([-60, 40], {animate: false}); return true;")
    page.wait_for_timeout(DEBOUNCE_MARGIN_MS)  # let a debounced report go out, if any would
    after = in_map(page, view)
    assert after[2] == before[2] + 1 and after[:2] != before[:2]
    assert watch.reruns_asked == 0, watch.sent
    assert watch.runs_started == 0, watch.received
    expect(page.get_by_test_id("stApp")).to_have_attribute("data-test-script-state", "notRunning")
    assert marker(page) == MARKER

    assert blocked_requests == [], "requests left localhost"
    assert errors == [], "JavaScript errors"
