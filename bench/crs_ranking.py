"""Benchmark: what the CRS proposals and the location check cost on a large upload.

Run:  .venv/bin/python bench/crs_ranking.py [--features 20000] [--runs 3]

Prints, as medians over `--runs`, for a zipped shapefile of random points in Trà Vinh (VN-2000
TM-3 105°30′, no .prj):
* `propose`: `inspect_upload` without a CRS (range check, then every candidate system scored
  on a sample of features against the gazetteer);
* `confirmed`: `inspect_upload` with the zone given (reprojection, repair, location check).
Figures only; no assertion — tests never time anything.
"""

from __future__ import annotations

import argparse
import io
import statistics
import sys
import tempfile
import time
import zipfile
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

import geopandas as gpd  # noqa: E402
import numpy as np  # noqa: E402
import pyogrio  # noqa: E402

from atlas.ingest import inspect_upload  # noqa: E402


def _upload(n: int) -> bytes:
    rng = np.random.default_rng(7)
    lon, lat = rng.uniform(106.1, 106.3, n), rng.uniform(9.85, 10.05, n)
    frame = gpd.GeoDataFrame({"id": range(n)}, geometry=gpd.points_from_xy(lon, lat), crs=4326)
    frame = frame.to_crs("EPSG:9209")
    with tempfile.TemporaryDirectory() as tmp:
        pyogrio.write_dataframe(frame, Path(tmp) / "diem.shp")
        buf = io.BytesIO()
        with zipfile.ZipFile(buf, "w") as archive:
            for part in Path(tmp).iterdir():
                if part.suffix != ".prj":
                    archive.write(part, part.name)
        return buf.getvalue()


def _median(fn, runs: int) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--features", type=int, default=20_000)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    data = _upload(args.features)
    propose = _median(lambda: inspect_upload("diem.zip", data), args.runs)
    confirmed = _median(lambda: inspect_upload("diem.zip", data, crs="EPSG:9209"), args.runs)
    print(f"features {args.features}: propose {propose:.2f} s, confirmed {confirmed:.2f} s")


if __name__ == "__main__":
    main()
