"""The floor under the Map page's time to painted: a Streamlit page holding one empty
streamlit-folium map (no layer, no basemap), served with the app's own offline assets.

Why: issue 12 asks the project's national map to paint in at most 1/5 of naive folium's
time (5.2 s measured, so ~1 s). Any Streamlit page must first load its own JavaScript, open
its websocket, run the script and load the map component's frame and Leaflet; this script
measures that part alone, in the same Chromium, so the figure says what no layer work can
win back. It prints each visit (the first one warms the server) and the median of the rest.

    .venv/bin/python bench/shell_floor.py [--visits 5]
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))
from tests.browser.server import CHROMIUM, CHROMIUM_ARGS, free_port, healthy, stop  # noqa: E402

MAP_IFRAME = 'iframe[title="streamlit_folium.st_folium"]'
SHELL = """
import folium
import streamlit as st
from streamlit_folium import st_folium

from layers.offline import use_local_assets

use_local_assets()  # Leaflet from the app's static/vendor, as the Map page does
st.set_page_config(layout="wide")
st_folium(folium.Map(location=[16, 106], zoom_start=5, tiles=None), height=600,
          use_container_width=True, returned_objects=[])
"""


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--visits", type=int, default=5)
    args = parser.parse_args(argv)
    from playwright.sync_api import sync_playwright

    with tempfile.TemporaryDirectory() as tmp:
        app = Path(tmp) / "shell.py"
        app.write_text(SHELL, encoding="utf-8")
        (Path(tmp) / "static").symlink_to(REPO / "static")  # served as the app serves it
        port = free_port()
        env = {**os.environ, "PYTHONPATH": str(REPO)}
        cmd = [sys.executable, "-m", "streamlit", "run", str(app), "--server.port", str(port),
               "--server.headless", "true", "--server.enableStaticServing", "true",
               "--browser.gatherUsageStats", "false"]  # fmt: skip
        server = subprocess.Popen(cmd, env=env, cwd=tmp, stdout=subprocess.DEVNULL,
                                  stderr=subprocess.DEVNULL)  # fmt: skip
        try:
            url = f"http://127.0.0.1:{port}/"
            deadline = time.monotonic() + 60
            while not healthy(url.rstrip("/")) and time.monotonic() < deadline:
                time.sleep(0.2)
            times = []
            with sync_playwright() as p:
                browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
                for _ in range(args.visits):
                    context = browser.new_context(viewport={"width": 1366, "height": 768})
                    page = context.new_page()
                    start = time.perf_counter()
                    page.goto(url)
                    page.frame_locator(MAP_IFRAME).locator(".leaflet-container").wait_for()
                    times.append(time.perf_counter() - start)
                    context.close()
                browser.close()
        finally:
            stop(server)
    shown = ", ".join(f"{x:.2f}" for x in times)
    print(f"empty Streamlit page + empty st_folium map, painted (s): {shown}")
    print(f"median after the first visit: {statistics.median(times[1:]):.2f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
