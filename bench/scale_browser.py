"""What Chromium sees of a map: bytes received until painted, time to painted, JS heap.

Debian's Chromium (/usr/bin/chromium) through Playwright, headless, one fresh context (empty
cache) per measurement; every request whose host is not loopback is aborted (no network).
Bytes are Chrome's own count, over the DevTools protocol: `encodedDataLength` of every
finished response plus the payload of every websocket frame received (Streamlit's protobuf
messages), summed from navigation until the map is painted. They are also split: *map data*
is every websocket frame, every fetch/XHR response (tiles, value tables) and every HTML
document that is not a fixed shell (the peers' page, which holds their GeoJSON), i.e.
everything but the fixed JavaScript, CSS, fonts and images of Streamlit and Leaflet and the
empty shells of Streamlit's page and the map component. "Painted" is the first poll
(every 100 ms) at which the Leaflet map's overlay pane holds an SVG path per feature, or its
vector-tile layers report every visible tile painted with its styles (atlas-tiles.js); the
heap is `Runtime.getHeapUsage` of the page at that moment (for the project, Streamlit's own
React app is in it too).

The peers' saved HTML links Leaflet and friends from CDNs; `offline_html` points those
links at the same local copies the project serves (static/vendor), so each peer is measured
as it would run offline, fetching the same files.
"""

from __future__ import annotations

import base64
import functools
import http.server
import sys
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import urlsplit

REPO = Path(__file__).resolve().parent.parent
if str(REPO) not in sys.path:  # run as a script: the repo's packages importable
    sys.path.insert(0, str(REPO))
from tests.browser.server import CHROMIUM, CHROMIUM_ARGS, LOOPBACK  # noqa: E402

MAP_IFRAME = 'iframe[title="streamlit_folium.st_folium"]'
# Returns the number of SVG paths in the Leaflet overlay pane of the map's document (the page
# itself, or the iframe named by `frame`), or -1 while that document does not exist yet.
PAINTED_JS = """frame => {
    let doc = document;
    if (frame) {
        const f = document.querySelector(frame);
        doc = f && f.contentDocument;
        if (!doc) return -1;
    }
    const tiles = doc.defaultView && doc.defaultView.__atlasTiles;
    if (tiles && tiles.painted()) return Number.MAX_SAFE_INTEGER;
    return doc.querySelectorAll('.leaflet-overlay-pane path').length;
}"""
FIXED_TYPES = frozenset({"Script", "Stylesheet", "Font", "Image", "Manifest", "Other"})
# Documents that are fixed shells, not map data: Streamlit's page and the map component's.
SHELL_PATHS = ("/", "/index.html")
SHELL_MARKERS = ("/component/",)


def offline_html(html: str, vendor_url: str) -> str:
    """The saved HTML with every CDN link that has a local copy pointed at `vendor_url`."""
    from layers.offline import local_asset_urls

    for cdn, local in local_asset_urls(vendor_url).items():
        if "://" in cdn:
            html = html.replace(cdn, local)
    return html


@contextmanager
def serve_folder(folder: Path) -> Iterator[str]:
    """A loopback HTTP server of `folder` (and /vendor of static/vendor); yields its URL."""
    link = folder / "vendor"
    if not link.exists():
        link.symlink_to(REPO / "static" / "vendor")

    class Quiet(http.server.SimpleHTTPRequestHandler):
        def log_message(self, *args) -> None:
            pass

    handler = functools.partial(Quiet, directory=str(folder))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


class ByteCounter:
    """Bytes Chrome received over the DevTools protocol, and the requests it was refused."""

    def __init__(self, cdp, shell_document: bool) -> None:
        self.total = 0
        self.data = 0  # map data only (see the module docstring)
        self.shell_document = shell_document  # the top document is a fixed shell (Streamlit)
        self._requests: dict[str, tuple[str, str]] = {}
        cdp.on("Network.requestWillBeSent", self._sent)
        cdp.on("Network.loadingFinished", self._finished)
        cdp.on("Network.webSocketFrameReceived", self._frame)
        cdp.send("Network.enable")

    def _sent(self, event: dict) -> None:
        self._requests[event["requestId"]] = (event.get("type", ""), event["request"]["url"])

    def _is_data(self, request_id: str) -> bool:
        kind, url = self._requests.get(request_id, ("", ""))
        if kind in FIXED_TYPES:
            return False
        if kind == "Document":
            path = urlsplit(url).path
            shell = path in SHELL_PATHS or any(m in path for m in SHELL_MARKERS)
            return not (self.shell_document and shell)
        return True

    def _finished(self, event: dict) -> None:
        size = int(event.get("encodedDataLength", 0))
        self.total += size
        if self._is_data(event["requestId"]):
            self.data += size

    def _frame(self, event: dict) -> None:
        response = event.get("response", {})
        data = response.get("payloadData", "")
        binary = response.get("opcode") == 2  # binary frames come base64-encoded
        size = len(base64.b64decode(data)) if binary else len(data.encode())
        self.total += size
        self.data += size


def _guard(route) -> None:
    parts = urlsplit(route.request.url)
    if parts.scheme in ("http", "https", "ws", "wss") and parts.hostname not in LOOPBACK:
        route.abort()
    else:
        route.continue_()


def measure(browser, url: str, features: int, timeout_s: float, frame: str | None = None):
    """Open `url` in a fresh context; wait until `features` paths are painted.

    Returns {"painted_s", "bytes", "data_bytes", "heap_mb"}; painted_s is None on timeout
    (bytes and heap are then what had arrived by the deadline).
    """
    from playwright.sync_api import TimeoutError as PlaywrightTimeout

    context = browser.new_context(viewport={"width": 1440, "height": 1000})
    try:
        context.route("**/*", _guard)
        page = context.new_page()
        cdp = context.new_cdp_session(page)
        counter = ByteCounter(cdp, shell_document=frame is not None)
        t0 = time.perf_counter()
        painted_s = None
        try:
            page.goto(url, wait_until="commit", timeout=timeout_s * 1000)
            left_ms = max(1.0, (t0 + timeout_s - time.perf_counter()) * 1000)
            page.wait_for_function(
                f"([frame, n]) => ({PAINTED_JS})(frame) >= n",
                arg=[frame, features],
                polling=100,
                timeout=left_ms,
            )
            painted_s = time.perf_counter() - t0
        except PlaywrightTimeout:
            pass
        heap = cdp.send("Runtime.getHeapUsage")
        return {
            "painted_s": painted_s,
            "bytes": counter.total,
            "data_bytes": counter.data,
            "heap_mb": heap["usedSize"] / 2**20,
        }
    finally:
        context.close()


@contextmanager
def chromium() -> Iterator[object]:
    """Headless Debian Chromium (never a downloaded browser)."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS
        )
        try:
            yield browser
        finally:
            browser.close()
