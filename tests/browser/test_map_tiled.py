"""A province pack in Chromium: communes drawn from vector tiles, as a user sees them.

The pack is the scale bench's Bến Tre (148 communes, ~300 vertices each), one commune renamed
to a script payload. The test waits until atlas-tiles.js reports the tiles painted with their
value table, checks pixels of the commune colours on the canvas, hovers and clicks a commune
(tooltip and popup with its name and figure, in Vietnamese notation), hovers the renamed one
(its name shown as text, no script run), changes the year (same tiles, new values, the map
not rebuilt), and proves no request left localhost.
"""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page

from atlas import gazetteer
from bench.scale_pack import scale_communes, write_pack
from tests.browser.conftest import quiet, serve_app

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not gazetteer.available(), reason="gazetteer.csv not generated"),
]

MAP_IFRAME = 'iframe[title="streamlit_folium.st_folium"]'
HOSTILE = '<img src=x onerror="window.__pwned=1">'
PACK = "tiled_province"

# Runs in the map iframe: the map, the tiled layer, and a point inside row `row`'s commune.
_HELPERS = """
window.__t = {
  layer: () => (window.map.__atlasTiled || [])[0],
  pointOf: (row) => {
    const t = window.__t.layer();
    const b = window.map.getBounds();
    let best = null;
    for (let gy = 1; gy < 120; gy++) for (let gx = 1; gx < 120; gx++) {
      const lat = b.getSouth() + (b.getNorth() - b.getSouth()) * gy / 120;
      const lng = b.getWest() + (b.getEast() - b.getWest()) * gx / 120;
      const hits = t.layer.queryTileFeaturesDebug(lng, lat, 0).get("") || [];
      if (hits.length === 1 && hits[0].feature.props.i === row) {
        const p = window.map.latLngToContainerPoint([lat, lng]);
        const r = window.map.getContainer().getBoundingClientRect();
        best = {x: p.x + r.left, y: p.y + r.top};  // in the iframe's viewport
        if (gx > 10 && gy > 10 && gx < 110 && gy < 110) return best;
      }
    }
    return best;
  },
};
"""


@pytest.fixture(scope="module")
def tiled_url(tmp_path_factory):
    root = tmp_path_factory.mktemp("tiled-user-data")
    frame = scale_communes("province").copy()
    frame.loc[3, "name"] = HOSTILE
    write_pack(root / PACK, frame, "province")
    log = tmp_path_factory.mktemp("tiled-server") / "server.log"
    with serve_app(log, env={"ATLAS_USER_DATA": str(root), "ATLAS_PACK": PACK}) as url:
        yield url


def map_frame(page: Page):
    page.wait_for_selector(MAP_IFRAME)
    frame = page.frame_locator(MAP_IFRAME)
    handle = page.locator(MAP_IFRAME).element_handle()
    content = handle.content_frame()
    content.wait_for_function("() => window.__atlasTiles && window.__atlasTiles.painted()")
    content.evaluate(_HELPERS)
    return frame, content


def hover_row(page: Page, content, row: int, name: str) -> str:
    """Move the mouse onto commune `row`; the tooltip's text once it names `name`."""
    point = content.evaluate("row => window.__t.pointOf(row)", row)
    assert point is not None, f"row {row} is not on screen"
    box = page.locator(MAP_IFRAME).bounding_box()
    page.mouse.move(box["x"] + point["x"], box["y"] + point["y"])
    content.wait_for_function(
        """name => {
            const tip = document.querySelector('.atlas-tile-tooltip');
            return tip && tip.textContent.includes(name);
        }""",
        arg=name,
    )
    return content.locator(".atlas-tile-tooltip").inner_text()


def test_tiled_communes_paint_hover_click_and_stay_text(
    page: Page, tiled_url: str, blocked_requests: list[str]
) -> None:
    requests: list[str] = []
    page.on("request", lambda r: requests.append(r.url))
    page.goto(tiled_url)
    _frame, content = map_frame(page)
    quiet(page)
    values = content.evaluate("() => window.__t.layer().values")
    names = [row[0] for row in values["rows"]]
    assert len(names) == 148 and names[3] == HOSTILE

    # the canvas shows the communes' class colours
    pixels = content.evaluate("""() => {
        const out = [];
        document.querySelectorAll('canvas.leaflet-tile').forEach(c => {
            const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
            for (let i = 0; i < d.length; i += 4 * 97)
                if (d[i + 3] > 60) out.push([d[i], d[i + 1], d[i + 2]]);
        });
        return out;
    }""")
    fills = [p["fillColor"] for p in values["palette"]]

    def seen(colour: str) -> bool:
        rgb = [int(colour[i : i + 2], 16) for i in (1, 3, 5)]
        return any(max(abs(a - b) for a, b in zip(rgb, px, strict=True)) <= 6 for px in pixels)

    assert sum(seen(c) for c in fills) >= 3, fills

    # hover: the commune's name and its figure, Vietnamese notation
    row = next(i for i, r in enumerate(values["rows"]) if i != 3 and "," not in r[0])
    tip = hover_row(page, content, row, names[row])
    assert names[row] in tip and re.search(r"\d+ %", tip), tip

    # click: the popup with the name, the figure and the year
    page.mouse.down()
    page.mouse.up()
    popup = content.locator(".leaflet-popup-content")
    popup.wait_for(state="visible")
    assert names[row] in popup.inner_text() and "Năm" in popup.inner_text()

    # a name that is a script payload is shown as text, and nothing runs
    content.evaluate("() => window.map.closePopup()")
    # the popup may have panned the map into view: wait until it stands still
    content.wait_for_function("() => !(window.map._panAnim && window.map._panAnim._inProgress)")
    tip = hover_row(page, content, 3, HOSTILE)
    assert HOSTILE in tip
    assert content.locator(".atlas-tile-tooltip img").count() == 0
    assert content.evaluate("() => window.__pwned") is None

    # a year change: same archive, a new value table, the same map object (no remount)
    content.evaluate("() => { window.map.__marker = 42; }")
    archive = content.evaluate("() => window.__t.layer().spec.url")
    before = content.evaluate("() => window.__t.layer().valuesUrl")
    page.get_by_role("slider", name=re.compile("Năm")).focus()
    page.keyboard.press("Home")
    content.wait_for_function(
        "before => window.__t.layer().valuesUrl !== before && window.__atlasTiles.painted()",
        arg=before,
    )
    assert content.evaluate("() => window.map.__marker") == 42
    assert content.evaluate("() => window.__t.layer().spec.url") == archive
    assert content.evaluate("() => window.__t.layer().values.year") == ["Năm", "2021"]

    tile_requests = [u for u in requests if "/app/static/tiles/" in u]
    assert any(u.endswith(".pmtiles") for u in tile_requests)
    assert blocked_requests == []


def test_search_on_tiled_communes_fits_and_outlines_the_hit(
    page: Page, tiled_url: str, blocked_requests: list[str]
) -> None:
    """A commune drawn from tiles is still found by name: the map fits it and outlines it
    in magenta (the outline is the commune's own geometry, sent once, not a tile)."""
    page.goto(tiled_url)
    _frame, content = map_frame(page)
    quiet(page)
    values = content.evaluate("() => window.__t.layer().values")
    name = next(r[0] for i, r in enumerate(values["rows"]) if i > 10 and "," not in r[0])
    start = content.evaluate("() => window.map.getZoom()")
    box = page.get_by_label("Tìm xã, tuyến đường, dự án…")
    box.fill(name)
    box.press("Enter")
    results = page.get_by_test_id("stSelectbox").filter(has_text="Kết quả")
    results.wait_for(state="visible")
    results.click()
    page.get_by_role("option", name=re.compile("^" + re.escape(name) + " · ")).first.click()
    content.wait_for_function(
        """start => {
            const outline = [];
            window.map.eachLayer(l => { if (l.options && l.options.color === '#ff00ff'
                && l.getBounds) outline.push(l); });
            return outline.length > 0 && window.map.getZoom() > start
                && window.map.getBounds().contains(outline[0].getBounds());
        }""",
        arg=start,
        timeout=30_000,
    )
    assert content.evaluate("() => window.__atlasTiles.count()") >= 1  # tiles still drawn
    assert blocked_requests == []
