"""The folium map draws in a real browser that may only talk to localhost.

Self-contained (not the app nor the shared fixtures; only how Chromium starts): the map is
rendered to HTML with ``use_local_assets`` pointing at a tiny ``http.server`` on 127.0.0.1 that
serves the repo's ``static/`` folder, the way Streamlit's static serving does. Debian's Chromium
(``apt-get install -y chromium``) is driven by Playwright; every request whose host is not
loopback is aborted and recorded.
"""

from __future__ import annotations

import functools
import os
import threading
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import ClassVar
from urllib.parse import urlsplit

import folium
import pytest
from folium import plugins

from layers.offline import LOCAL_ASSETS, remote_urls_in, use_local_assets
from tests.browser.server import CHROMIUM, CHROMIUM_ARGS, LOOPBACK

pytestmark = pytest.mark.browser

ROOT = Path(__file__).resolve().parents[2]
VENDOR = ROOT / "static" / "vendor"
OUTPUT = ROOT / "test-output"

PAGE = "/__offline_probe__/map.html"

POLYGONS = [
    [[106.17, 9.96], [106.20, 9.96], [106.20, 9.99], [106.17, 9.99], [106.17, 9.96]],
    [[106.21, 9.98], [106.24, 9.98], [106.24, 10.01], [106.21, 10.01], [106.21, 9.98]],
]
GEOJSON = {
    "type": "FeatureCollection",
    "features": [
        *(
            {
                "type": "Feature",
                "properties": {"ten": f"Khu {i + 1}"},
                "geometry": {"type": "Polygon", "coordinates": [ring]},
            }
            for i, ring in enumerate(POLYGONS)
        ),
        {
            "type": "Feature",
            "properties": {"ten": "Đường tỉnh"},
            "geometry": {"type": "LineString", "coordinates": [[106.15, 9.95], [106.26, 10.03]]},
        },
    ],
}


def _unavailable(reason: str) -> None:
    if os.environ.get("CI"):
        pytest.fail(reason)
    pytest.skip(reason)


class _Handler(SimpleHTTPRequestHandler):
    """Serves the repo's static/ under /static/ and the probe page; logs nothing."""

    pages: ClassVar[dict[str, bytes]] = {}

    def do_GET(self) -> None:
        path = urlsplit(self.path).path
        if path in self.pages:
            body = self.pages[path]
            self.send_response(200)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)
        elif path.startswith("/static/"):
            super().do_GET()
        else:
            self.send_error(404)

    def log_message(self, format: str, *args: object) -> None:
        pass


@pytest.fixture(scope="module")
def offline_server():
    """Base URL (http://127.0.0.1:PORT) of a loopback server for static/ and the probe page."""
    if not (VENDOR.is_dir() and any(VENDOR.iterdir())):
        _unavailable("static/vendor is not prepared: run `python assets/prepare.py`")
    handler = functools.partial(_Handler, directory=str(ROOT))
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)


@pytest.fixture(scope="module")
def offline_browser():
    """Headless Debian Chromium driven by Playwright (no `playwright install`)."""
    if not Path(CHROMIUM).exists():
        _unavailable(f"{CHROMIUM} is missing: apt-get install -y chromium")
    sync_api = pytest.importorskip("playwright.sync_api")
    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS
        )
        try:
            yield browser
        finally:
            browser.close()


@pytest.fixture
def offline_map_html(offline_server):
    """The probe map rendered with its assets on the loopback server."""
    owners = tuple(dict.fromkeys(asset.owner for asset in LOCAL_ASSETS))
    saved = {owner: (owner.default_js, owner.default_css) for owner in owners}
    use_local_assets(base_url=f"{offline_server}/static/vendor")
    try:
        m = folium.Map(location=[9.985, 106.205], zoom_start=13, tiles=None, control_scale=True)
        folium.TileLayer(
            "https://tile.openstreetmap.org/{z}/{x}/{y}.png",
            attr="&copy; OpenStreetMap",
            name="OSM",
            show=False,
        ).add_to(m)
        plugins.Fullscreen().add_to(m)
        plugins.MeasureControl().add_to(m)
        plugins.MousePosition().add_to(m)
        folium.GeoJson(
            GEOJSON,
            name="Quy hoạch",
            style_function=lambda f: {"color": "#b03a2e", "weight": 3, "fillOpacity": 0.3},
            tooltip=folium.GeoJsonTooltip(["ten"]),
        ).add_to(m)
        folium.Marker([9.975, 106.185], icon=folium.Icon(color="green")).add_to(m)
        folium.Marker([9.965, 106.235], tooltip="Leaflet default marker").add_to(m)
        folium.Marker(
            [9.995, 106.225], icon=folium.Icon(color="red", prefix="fa", icon="school", angle=30)
        ).add_to(m)
        folium.LayerControl().add_to(m)
        html = m.get_root().render()
    finally:
        for owner, (js, css) in saved.items():
            owner.default_js, owner.default_css = js, css
    return html


def test_map_draws_with_no_internet(offline_server, offline_browser, offline_map_html):
    assert remote_urls_in(offline_map_html) == []
    _Handler.pages[PAGE] = offline_map_html.encode("utf-8")

    blocked: list[str] = []
    failed: list[str] = []
    errors: list[str] = []

    def route(route):
        host = urlsplit(route.request.url).hostname or ""
        if route.request.url.startswith(("http:", "https:", "ws:", "wss:")) and (
            host not in LOOPBACK
        ):
            blocked.append(route.request.url)
            route.abort()
        else:
            route.continue_()

    context = offline_browser.new_context(viewport={"width": 1000, "height": 700})
    try:
        context.route("**/*", route)
        page = context.new_page()
        page.on("pageerror", lambda exc: errors.append(str(exc)))
        page.on(
            "response",
            lambda r: failed.append(f"{r.status} {r.url}") if r.status >= 400 else None,
        )
        page.goto(offline_server + PAGE, wait_until="load")
        page.wait_for_selector("path.leaflet-interactive", timeout=15_000)
        page.evaluate("document.fonts.ready")

        versions = page.evaluate(
            "() => ({leaflet: window.L && L.version, jquery: window.jQuery && jQuery.fn.jquery,"
            " awesome: !!(window.L && L.AwesomeMarkers),"
            " measure: !!(window.L && L.Control.Measure),"
            " mouse: !!(window.L && L.Control.MousePosition),"
            " fullscreen: !!(window.L && L.Control.FullScreen)})"
        )
        assert versions == {
            "leaflet": "1.9.3",
            "jquery": "3.7.1",
            "awesome": True,
            "measure": True,
            "mouse": True,
            "fullscreen": True,
        }
        assert page.locator(".leaflet-container").is_visible()
        assert page.locator("path.leaflet-interactive").count() == len(GEOJSON["features"])
        assert page.locator(".leaflet-control-zoom-fullscreen").is_visible()
        assert page.locator(".leaflet-control-measure").is_visible()
        assert page.locator(".leaflet-control-scale-line").first.is_visible()
        assert page.locator(".awesome-marker[class*='awesome-marker-icon-']").count() == 2
        assert page.locator(".awesome-marker i.glyphicon-info-sign").count() == 1
        assert page.locator(".awesome-marker i.fa-school").count() == 1

        # Styles really applied: the measure toggle's icon and the marker sprite are local.
        toggle_bg = page.eval_on_selector(
            ".leaflet-control-measure-toggle", "e => getComputedStyle(e).backgroundImage"
        )
        assert f"{offline_server}/static/vendor/leaflet-measure/images/" in toggle_bg
        rotate = page.eval_on_selector(
            ".awesome-marker i.fa-school", "e => getComputedStyle(e).transform"
        )
        assert rotate not in ("none", ""), "awesome-rotate.css not applied"

        # Leaflet's default marker image comes from our images folder and has loaded.
        image_path = page.evaluate("L.Icon.Default.imagePath")
        assert image_path == f"{offline_server}/static/vendor/leaflet/images/"
        default_marker = page.locator("img.leaflet-marker-icon")
        assert default_marker.count() == 1
        assert default_marker.evaluate("img => img.complete && img.naturalWidth > 0")

        # Icon fonts loaded from static/vendor (glyphicons and Font Awesome).
        loaded_fonts = page.evaluate(
            "() => [...document.fonts].filter(f => f.status === 'loaded').map(f => f.family)"
        )
        assert any("Glyphicons Halflings" in family for family in loaded_fonts), loaded_fonts
        assert any("Font Awesome 6 Free" in family for family in loaded_fonts), loaded_fonts

        # The mouse position control follows the pointer.
        box = page.locator(".leaflet-container").bounding_box()
        page.mouse.move(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
        position = page.locator(".leaflet-control-mouseposition").inner_text()
        assert any(ch.isdigit() for ch in position), position

        OUTPUT.mkdir(exist_ok=True)
        page.screenshot(path=str(OUTPUT / "offline_map.png"))

        # The guard itself works: a CDN request is aborted inside the browser and recorded.
        before = list(blocked)
        probe = "https://cdn.jsdelivr.net/npm/leaflet@1.9.3/dist/leaflet.js"
        outcome = page.evaluate("url => fetch(url).then(() => 'loaded', () => 'aborted')", probe)
        assert outcome == "aborted"
        assert blocked == [*before, probe]
        del blocked[len(before) :]
    finally:
        context.close()
        _Handler.pages.pop(PAGE, None)

    assert blocked == [], "requests left localhost"
    assert failed == [], "local assets missing"
    assert errors == [], "JavaScript errors"
