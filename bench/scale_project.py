"""The scale bench's project side: the Map page through its own code.

Two ways, each in a fresh process so nothing is cached from another scale:

* `python bench/scale_project.py PACK_DIR` (AppTest, no browser): the cold first run of the
  Map page (pack loading, joins, classification, GeoJSON, the folium map), the median of warm
  reruns, the first change of the year slider, and the bytes of the st_folium component's
  arguments; one JSON line. The pack's default layers are drawn (its choropleth), as the
  peers draw it.
* `serve(pack_dir, log)`: `streamlit run app.py` on a free loopback port with the pack as
  ATLAS_PACK (what Chromium opens); yields the URL and the server's pid, for its peak RSS.
"""

from __future__ import annotations

import json
import os
import statistics
import sys
import tempfile
import time
import warnings
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
if str(REPO) not in sys.path:  # run as a script: the repo's packages importable
    sys.path.insert(0, str(REPO))
from tests.browser.server import run_app  # noqa: E402

WARM_RUNS = 3


def pack_env(pack_dir: Path, db_dir: Path) -> dict[str, str]:
    """The environment that makes the app open this pack (and a throw-away database)."""
    return {
        "ATLAS_USER_DATA": str(pack_dir.parent),
        "ATLAS_PACK": pack_dir.name,
        "ATLAS_DB": str(db_dir / "scale-bench.db"),
    }


def peak_rss_mb(pid: int) -> float:
    """Peak resident set (VmHWM) of process `pid`, in MB."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return float("nan")


@contextmanager
def serve(pack_dir: Path, log_path: Path, timeout_s: float = 60) -> Iterator[tuple[str, int]]:
    """`streamlit run app.py` on loopback with the pack (tests/browser/server.py, as the
    browser tests start it); yields (base URL, server pid)."""
    with (
        tempfile.TemporaryDirectory(prefix="scale-db-") as db,
        run_app(log_path, pack_env(pack_dir, Path(db)), timeout_s) as served,
    ):
        yield served


def _component_bytes(at) -> int:
    """Bytes of the st_folium component's JSON arguments in the last run."""

    def walk(node):
        children = getattr(node, "children", None)
        if isinstance(children, dict):
            for child in children.values():
                yield child
                yield from walk(child)

    return sum(
        len(el.proto.json_args.encode())
        for el in walk(at._tree)
        if getattr(el, "type", None) == "component_instance"
    )


def _timed_run(at) -> float:
    t0 = time.perf_counter()
    at.run()
    if at.exception:
        raise SystemExit(f"the map page raised {at.exception}")
    return time.perf_counter() - t0


def apptest_figures(pack_id: str) -> dict[str, float]:
    """Cold run, warm rerun median, first year change and component bytes of the Map page."""
    from streamlit.logger import set_log_level
    from streamlit.testing.v1 import AppTest

    warnings.filterwarnings("ignore")
    set_log_level("error")
    at = AppTest.from_file(str(REPO / "app.py"), default_timeout=600)
    at.session_state["pack"] = pack_id
    cold = _timed_run(at)
    warm = statistics.median(_timed_run(at) for _ in range(WARM_RUNS))
    figures = {"cold_s": cold, "warm_s": warm, "map_bytes": _component_bytes(at)}
    year_key = f"map.{pack_id}.year"
    sliders = [s for s in at.select_slider if s.key == year_key]
    if sliders:
        first = int(sliders[0].options[0])
        t0 = time.perf_counter()
        at.select_slider(key=year_key).set_value(first).run()
        figures["year_s"] = time.perf_counter() - t0
    return figures


def main(pack_dir: str) -> None:
    pack = Path(pack_dir).resolve()
    with tempfile.TemporaryDirectory(prefix="scale-db-") as db:
        os.environ.update(pack_env(pack, Path(db)))
        sys.path.insert(0, str(REPO))
        print(json.dumps(apptest_figures(pack.name)))


if __name__ == "__main__":
    main(sys.argv[1])
