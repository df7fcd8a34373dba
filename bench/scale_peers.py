"""The scale bench's peers: the same choropleth as a naive folium map and as `explore()`.

Run as a child process by bench/scale.py (one fresh process per peer and scale, so its peak
RSS is its own):  python bench/scale_peers.py folium|explore PACK_DIR OUT.html
It prints one JSON line: seconds from reading the pack's files to the HTML saved, the HTML's
size and the process's peak RSS. Both peers draw the choropleth layer of the pack's last year
(what the project's map shows first), with a tooltip of name and value; no legend for
`explore()` (its colour bar needs d3 from a CDN, which the offline browser cannot load).
"""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path

import geopandas as gpd
import pandas as pd

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from bench.scale_pack import LAYER_FILE, TABLE_FILE  # noqa: E402

BINS = [50, 80, 99.9, 100]
COLOURS = ["#ffffcc", "#c2e699", "#78c679", "#31a354", "#006837"]  # YlGn, 5 classes
FIELDS = ["name", "internet_pct"]


def read_layer(pack_dir: Path) -> gpd.GeoDataFrame:
    """The commune layer joined to the table's last year, as a user of geopandas would."""
    communes = gpd.read_file(pack_dir / LAYER_FILE)
    table = pd.read_csv(pack_dir / TABLE_FILE, dtype={"code": str})
    last = table[table["year"] == table["year"].max()]
    return communes.merge(last[["code", "internet_pct"]], on="code", how="left")


def colour(value: float | None) -> str:
    if value is None or value != value:
        return "#cccccc"
    return COLOURS[sum(value > b for b in BINS)]


def naive_folium(frame: gpd.GeoDataFrame):
    """One folium.GeoJson with a per-feature style function and a GeoJsonTooltip."""
    import folium

    minx, miny, maxx, maxy = frame.total_bounds
    fmap = folium.Map(location=[(miny + maxy) / 2, (minx + maxx) / 2], zoom_start=9)
    folium.GeoJson(
        frame,
        style_function=lambda f: {
            "fillColor": colour(f["properties"]["internet_pct"]),
            "color": "#636363",
            "weight": 1,
            "fillOpacity": 0.7,
        },
        tooltip=folium.GeoJsonTooltip(fields=FIELDS),
    ).add_to(fmap)
    fmap.fit_bounds([[miny, minx], [maxy, maxx]])
    return fmap


def explore(frame: gpd.GeoDataFrame):
    """`GeoDataFrame.explore()` of the value, same classes and palette, no legend."""
    return frame.explore(
        column="internet_pct",
        cmap="YlGn",
        scheme="UserDefined",
        classification_kwds={"bins": BINS},
        tooltip=FIELDS,
        legend=False,
        style_kwds={"color": "#636363", "weight": 1, "fillOpacity": 0.7},
    )


def peak_rss_mb() -> float:
    """This process's peak resident set (VmHWM), in MB."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def main(peer: str, pack_dir: str, out: str) -> None:
    t0 = time.perf_counter()
    frame = read_layer(Path(pack_dir))
    fmap = naive_folium(frame) if peer == "folium" else explore(frame)
    fmap.save(out)
    build_s = time.perf_counter() - t0
    size = Path(out).stat().st_size
    print(json.dumps({"build_s": build_s, "html_bytes": size, "rss_mb": peak_rss_mb()}))


if __name__ == "__main__":
    main(*sys.argv[1:4])
