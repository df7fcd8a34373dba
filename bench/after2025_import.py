"""Benchmark: the one-off costs of the 2025 view and of an import, per shipped pack.

Run:  .venv/bin/python bench/after2025_import.py [--runs 5] [--nation]

Prints, as medians over `--runs`:
* `after_2025`: building the pack on the new communes (geometry, carried tables) — paid once
  per pack content when a user first switches to "after 2025", then cached by the app;
* `carry`: carrying one scenario frame (a year of indicators) over to the new communes;
* `inspect` / `save`: reading a zipped VN-2000 shapefile of the pack's communes without a
  .prj (zone confirmed) and saving it as a user pack in a temp folder.
`--nation` also times `after_2025` once for the whole country's base pack (`new-pack
--nation`: 10,035 old communes into 3,321 new ones).
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

import pyogrio  # noqa: E402

from atlas import after2025, kpi  # noqa: E402
from atlas.ingest import ImportPlan, inspect_upload, save_import, suggest_mapping  # noqa: E402
from atlas.loader import load_pack  # noqa: E402
from atlas.packs import SHIPPED_PACKS  # noqa: E402

ZONE = "EPSG:9209"  # VN-2000 TM-3 105°30′; any zone will do for timing


def _median(fn, runs: int) -> tuple[float, object]:
    times, out = [], None
    for _ in range(runs):
        start = time.perf_counter()
        out = fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times), out


def _shapefile_zip(pack) -> bytes:
    frame = pack.frames["communes"][["code", "name", "geometry"]].to_crs(ZONE)
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "xa.shp"
        pyogrio.write_dataframe(frame, path, encoding="UTF-8")
        buf = io.BytesIO()
        with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
            for part in Path(tmp).iterdir():
                if part.suffix != ".prj":  # the usual case: no .prj, the zone is confirmed
                    zf.write(part, part.name)
        return buf.getvalue()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--nation", action="store_true", help="also the whole country, once")
    args = parser.parse_args()
    print(f"{'pack':<10} {'after_2025':>11} {'carry':>8} {'inspect':>8} {'save':>8}")
    for pack_id in ("cang_long", "chi_lang"):
        pack = load_pack(SHIPPED_PACKS / pack_id).pack
        t_after, _ = _median(lambda p=pack: after2025.after_2025(p), args.runs)
        frame = kpi.measured_frame(pack)
        t_carry, _ = _median(lambda p=pack, f=frame: after2025.carry_commune_frame(p, f), args.runs)
        data = _shapefile_zip(pack)
        t_insp, insp = _median(lambda d=data: inspect_upload("xa.zip", d, crs=ZONE), args.runs)
        mapping = suggest_mapping(insp.columns, insp.data)

        def save(insp=insp, mapping=mapping) -> object:
            with tempfile.TemporaryDirectory() as root:
                return save_import(insp, ImportPlan("bench_xa", mapping), root=Path(root))

        t_save, _ = _median(save, args.runs)
        print(
            f"{pack_id:<10} {t_after * 1000:>9.0f}ms {t_carry * 1000:>6.0f}ms "
            f"{t_insp * 1000:>6.0f}ms {t_save * 1000:>6.0f}ms"
        )
    if args.nation:
        from atlas.newpack import create_pack

        with tempfile.TemporaryDirectory() as root:
            pack = load_pack(create_pack(nation=True, root=Path(root)).path).pack
            t_after, after = _median(lambda: after2025.after_2025(pack), 1)
        n = len(after.frames["communes"])
        print(f"{'nation':<10} {t_after * 1000:>9.0f}ms  ({n:,} new communes)")


if __name__ == "__main__":
    main()
