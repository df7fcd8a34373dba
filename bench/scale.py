"""Benchmark: the map at province, region and national scale, against naive folium and explore().

Run:  .venv/bin/python bench/scale.py [--scales province,region] [--nation] [--timeout 180]

For each scale it writes a synthetic pack (bench/scale_pack.py: the gazetteer's pre-2025
communes of Bến Tre (148), of the Mekong Delta (~1,570) or of the whole country (10,035),
~300 vertices each, shared borders, deterministic) in a temp folder, then measures the same
choropleth three ways, each in a fresh process:

* naive folium: one `folium.GeoJson` with a style function and a `GeoJsonTooltip`, saved HTML;
* `GeoDataFrame.explore()` of the same column, saved HTML;
* the project: the Map page through its own code (AppTest for the server figures,
  `streamlit run` for the browser figures).

Rows: server build time (peers: read the pack's files, build, save the HTML; project: the
Map page's cold first run in AppTest), the map payload (the HTML file; the st_folium
component's arguments), bytes Chromium received until the map was painted, Chromium's time
to painted, the same on a second visit in a new context (the project's server then warm),
the JS heap when painted, the server's peak RSS (peers: the building process; project: the
streamlit server once the map is painted), and the project's warm rerun and first year
change (AppTest). Ratios are to naive folium. Loopback only; every measurement is bounded
by --timeout and printed as "timeout" rather than hanging. Figures only: tests never time.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from bench.scale_browser import MAP_IFRAME, chromium, measure, offline_html, serve_folder  # noqa: E402
from bench.scale_pack import build_scale_pack  # noqa: E402
from bench.scale_project import peak_rss_mb, serve  # noqa: E402

PEERS = ("folium", "explore", "project")
HEADS = {"folium": "naive folium", "explore": "explore()", "project": "project"}
ROWS = [  # key, label, format
    ("build_s", "server build s", "{:.2f}"),
    ("payload_mb", "map HTML/JSON MB", "{:.1f}"),
    ("browser_mb", "bytes to browser MB", "{:.1f}"),
    ("data_mb", "map data to browser MB", "{:.3f}"),
    ("painted_s", "Chromium to painted s", "{:.2f}"),
    ("again_s", "2nd visit painted s", "{:.2f}"),
    ("heap_mb", "JS heap MB", "{:.0f}"),
    ("rss_mb", "server peak RSS MB", "{:.0f}"),
    ("warm_s", "warm rerun s", "{:.2f}"),
    ("year_s", "first year change s", "{:.2f}"),
]


def _child(args: list[str], timeout_s: float) -> dict | str:
    """Run a bench child process; its JSON line, or "timeout" / "failed"."""
    try:
        done = subprocess.run(
            [sys.executable, *args], cwd=REPO, capture_output=True, text=True, timeout=timeout_s
        )
    except subprocess.TimeoutExpired:
        return "timeout"
    if done.returncode != 0:
        sys.stderr.write(done.stderr[-2000:])
        return "failed"
    return json.loads(done.stdout.strip().splitlines()[-1])


def _browser(browser, url: str, features: int, timeout_s: float, frame=None) -> dict:
    """A first visit (bytes, time, heap), then a second visit in a new context (time)."""
    first = measure(browser, url, features, timeout_s, frame)
    second = measure(browser, url, features, timeout_s, frame)
    return {
        "browser_mb": first["bytes"] / 1e6,
        "data_mb": first["data_bytes"] / 1e6,
        "painted_s": _or_timeout(first["painted_s"]),
        "again_s": _or_timeout(second["painted_s"]),
        "heap_mb": first["heap_mb"],
    }


def _or_timeout(seconds: float | None) -> float | str:
    return "timeout" if seconds is None else seconds


def warm_up(browser) -> None:
    """One throw-away page, so the first measurement does not pay Chromium's start-up."""
    context = browser.new_context()
    context.new_page().set_content("<p>warm-up</p>")
    context.close()


def bench_peer(browser, peer: str, pack: Path, work: Path, n: int, timeout_s: float) -> dict:
    """A peer's HTML built in a child process, then opened offline in Chromium."""
    raw = work / f"{peer}_cdn.html"
    built = _child(["bench/scale_peers.py", peer, str(pack), str(raw)], timeout_s)
    if isinstance(built, str):
        return {"build_s": built}
    served = work / "site"
    served.mkdir(exist_ok=True)
    with serve_folder(served) as url:
        html = offline_html(raw.read_text(encoding="utf-8"), f"{url}/vendor")
        (served / f"{peer}.html").write_text(html, encoding="utf-8")
        seen = _browser(browser, f"{url}/{peer}.html", n, timeout_s)
    return {
        "build_s": built["build_s"],
        "payload_mb": built["html_bytes"] / 1e6,
        "rss_mb": built["rss_mb"],
        **seen,
    }


def bench_project(browser, pack: Path, work: Path, n: int, timeout_s: float) -> dict:
    """AppTest figures in a child process, then the served app in Chromium."""
    # cold run, 3 warm reruns and a year change: up to ~5 measurements in one child
    figures = _child(["bench/scale_project.py", str(pack)], 3 * timeout_s)
    if isinstance(figures, str):
        out: dict = {"build_s": figures}
    else:
        out = {
            "build_s": figures["cold_s"],
            "payload_mb": figures["map_bytes"] / 1e6,
            "warm_s": figures["warm_s"],
            "year_s": figures.get("year_s"),
        }
    try:
        with serve(pack, work / "streamlit.log") as (url, pid):
            out.update(_browser(browser, url, n, timeout_s, frame=MAP_IFRAME))
            out["rss_mb"] = peak_rss_mb(pid)
    except RuntimeError:  # the server did not start within its bound
        out["painted_s"] = "failed"
    return out


def bench_scale(browser, scale: str, root: Path, timeout_s: float) -> tuple[int, dict]:
    t0 = time.perf_counter()
    pack = build_scale_pack(root / scale, scale)
    n = len(json.loads((pack / "layers" / "communes.geojson").read_bytes())["features"])
    took = time.perf_counter() - t0
    print(f"# {scale}: {n:,} communes, pack written in {took:.1f} s", flush=True)
    work = root / scale / "work"
    work.mkdir()
    results = {p: bench_peer(browser, p, pack, work, n, timeout_s) for p in PEERS[:2]}
    results["project"] = bench_project(browser, pack, work, n, timeout_s)
    return n, results


def _cell(value, fmt: str) -> str:
    if value is None:
        return "—"
    return value if isinstance(value, str) else fmt.format(value)


def _ratio(value, base) -> str:
    if isinstance(value, (int, float)) and isinstance(base, (int, float)) and base:
        return f"{value / base:.2f}×"
    return "—"


def print_table(all_results: dict[str, tuple[int, dict]]) -> None:
    """One table: per scale and figure, the three peers side by side and ratios to folium."""
    head = f"{'scale':<16} {'figure':<22}" + "".join(f"{HEADS[p]:>14}" for p in PEERS)
    print(head + f"{'explore/folium':>16}{'project/folium':>16}")
    for scale, (n, results) in all_results.items():
        for key, label, fmt in ROWS:
            values = [results[p].get(key) for p in PEERS]
            cells = "".join(f"{_cell(v, fmt):>14}" for v in values)
            ratios = f"{_ratio(values[1], values[0]):>16}{_ratio(values[2], values[0]):>16}"
            print(f"{scale + f' ({n})':<16} {label:<22}{cells}{ratios}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scales", default="province,region", help="comma-separated scales")
    parser.add_argument("--nation", action="store_true", help="add the nation (minutes)")
    parser.add_argument("--timeout", type=float, default=180.0, help="seconds per measurement")
    args = parser.parse_args()
    scales = [s for s in args.scales.split(",") if s]
    if args.nation and "nation" not in scales:
        scales.append("nation")
    all_results = {}
    with tempfile.TemporaryDirectory(prefix="atlas-scale-") as tmp, chromium() as browser:
        warm_up(browser)
        for scale in scales:
            all_results[scale] = bench_scale(browser, scale, Path(tmp), args.timeout)
    print_table(all_results)


if __name__ == "__main__":
    main()
