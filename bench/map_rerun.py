"""Benchmark: server time of a warm rerun of the map page, and the bytes sent for the map.

Run:  .venv/bin/python bench/map_rerun.py [--runs 10]

For each shipped pack, with every layer switched on, it prints the cold first run (pack
loading, joins, classification and GeoJSON building, all then cached), the median and
worst of warm reruns (what a user waits for after toggling a layer), and the size of the
map component's arguments (the Leaflet script plus the dynamic layer groups) that the server
sends to the browser on each change. Figures only; no assertion — tests never time anything.
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

from atlas.loader import load_pack  # noqa: E402
from atlas.packs import discover_packs  # noqa: E402


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
    return {
        "layers": len(pack.layers),
        "cold_s": cold,
        "warm_median_s": statistics.median(warm),
        "warm_max_s": max(warm),
        "map_bytes": _component_bytes(at),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=10, help="warm reruns per pack")
    args = parser.parse_args()
    warnings.filterwarnings("ignore")
    set_log_level("error")
    shipped = [ref for ref in discover_packs([REPO / "geodata"])]
    print(
        f"{'pack':<10} {'layers':>6} {'cold s':>8} {'warm median s':>14} {'warm max s':>11} "
        f"{'map bytes':>10}"
    )
    for ref in shipped:
        r = bench_pack(ref.id, ref.path, args.runs)
        print(
            f"{ref.id:<10} {r['layers']:>6} {r['cold_s']:>8.3f} {r['warm_median_s']:>14.3f} "
            f"{r['warm_max_s']:>11.3f} {r['map_bytes']:>10,}"
        )


if __name__ == "__main__":
    main()
