"""Benchmark: server time of a warm rerun of the map page, and the bytes sent for the map.

Run:  .venv/bin/python bench/map_rerun.py [--runs 10]

For each shipped pack, with every layer switched on, it prints the cold first run (pack
loading, joins, classification and GeoJSON building, all then cached), the median and
worst of warm reruns (what a user waits for after toggling a layer), and the size of the
map component's arguments (the Leaflet script plus the dynamic layer groups) that the server
sends to the browser on each change. Then it moves the year slider to each year not shown yet,
and the class scheme to each data-driven scheme, once: the median server time of such a first
change and how many layers it had to prepare again (a layer that does not depend on the year
or the scheme should not be). Figures only; no assertion — tests never time anything.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
import warnings
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from streamlit.logger import set_log_level  # noqa: E402
from streamlit.testing.v1 import AppTest  # noqa: E402

import ui.map_data  # noqa: E402
from atlas.loader import load_pack  # noqa: E402
from atlas.packs import discover_packs  # noqa: E402
from atlas.spec import SCHEMES  # noqa: E402

PREPARED: list[str] = []  # layer ids prepared (cache misses) since the last reset


def _count_prepares() -> None:
    """Record every layer the map page prepares again (a miss of its cache)."""
    original = ui.map_data.prepare_layer

    def counting(pack, layer_id, **kwargs):
        PREPARED.append(layer_id)
        return original(pack, layer_id, **kwargs)

    ui.map_data.prepare_layer = counting


def _component_bytes(at: AppTest) -> int:
    """Bytes of the st_folium component's JSON arguments in the last run."""

    def walk(node):
        children = getattr(node, "children", None)
        if isinstance(children, dict):
            for child in children.values():
                yield child
                yield from walk(child)

    sizes = [
        len(el.proto.json_args.encode())
        for el in walk(at._tree)
        if getattr(el, "type", None) == "component_instance"
    ]
    return sum(sizes)


def bench_pack(pack_id: str, path: Path, runs: int) -> dict[str, float]:
    pack = load_pack(path).pack
    at = AppTest.from_file(str(REPO / "app.py"), default_timeout=120)
    at.session_state["pack"] = pack_id
    for layer in pack.layers:
        at.session_state[f"map.{pack_id}.on.{layer.id}"] = True
    t0 = time.perf_counter()
    at.run()
    cold = time.perf_counter() - t0
    if at.exception:
        raise SystemExit(f"{pack_id}: the map page raised {at.exception}")
    warm = []
    for _ in range(runs):
        t0 = time.perf_counter()
        at.run()
        warm.append(time.perf_counter() - t0)
    figures = {
        "layers": len(pack.layers),
        "cold_s": cold,
        "warm_median_s": statistics.median(warm),
        "warm_max_s": max(warm),
        "map_bytes": _component_bytes(at),
    }
    figures.update(_changes(at, pack_id))
    return figures


def _timed_changes(at: AppTest, widget, values: list) -> tuple[float, float]:
    """Median seconds and median layers prepared of setting `widget` to each of `values`."""
    times, prepared = [], []
    for value in values:
        PREPARED.clear()
        t0 = time.perf_counter()
        widget().set_value(value).run()
        times.append(time.perf_counter() - t0)
        prepared.append(len(PREPARED))
        if at.exception:
            raise SystemExit(f"the map page raised {at.exception}")
    if not times:
        return float("nan"), float("nan")
    return statistics.median(times), statistics.median(prepared)


def _changes(at: AppTest, pack_id: str) -> dict[str, float]:
    """First year changes, then first scheme changes (every layer on)."""
    year_key, scheme_key = f"map.{pack_id}.year", f"map.{pack_id}.scheme"
    years = [s for s in at.select_slider if s.key == year_key]
    schemes = [s for s in at.selectbox if s.key == scheme_key]
    year_values = [y for y in years[0].options if str(y) != str(years[0].value)] if years else []
    scheme_values = [s for s in SCHEMES if s != "thresholds"] if schemes else []
    year_s, year_n = _timed_changes(
        at, lambda: at.select_slider(key=year_key), [int(y) for y in year_values]
    )
    scheme_s, scheme_n = _timed_changes(at, lambda: at.selectbox(key=scheme_key), scheme_values)
    return {"year_s": year_s, "year_n": year_n, "scheme_s": scheme_s, "scheme_n": scheme_n}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=10, help="warm reruns per pack")
    args = parser.parse_args()
    warnings.filterwarnings("ignore")
    set_log_level("error")
    _count_prepares()
    shipped = [ref for ref in discover_packs([REPO / "geodata"])]
    print(
        f"{'pack':<10} {'layers':>6} {'cold s':>8} {'warm median s':>14} {'warm max s':>11} "
        f"{'map bytes':>10} {'year chg s':>10} {'rebuilt':>7} {'scheme chg s':>12} "
        f"{'rebuilt':>7}"
    )
    for ref in shipped:
        r = bench_pack(ref.id, ref.path, args.runs)
        print(
            f"{ref.id:<10} {r['layers']:>6} {r['cold_s']:>8.3f} {r['warm_median_s']:>14.3f} "
            f"{r['warm_max_s']:>11.3f} {r['map_bytes']:>10,} {r['year_s']:>10.3f} "
            f"{r['year_n']:>7.0f} {r['scheme_s']:>12.3f} {r['scheme_n']:>7.0f}"
        )


if __name__ == "__main__":
    main()
