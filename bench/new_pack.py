"""Benchmark: `atlas.newpack.create_pack` for every province of both structures.

Run:  .venv/bin/python bench/new_pack.py [--structure post2025|pre2025] [--nation]

Prints, per province, the communes, the seconds to make, write and validate the pack (in a
temp folder), and the pack's size on disk; then the slowest and the total. Also checks, without
failing, that each pack validates and that its communes tile the outline (the relative
difference of the summed cell areas and the union). `--nation` makes the whole country's pack
instead (10,035 communes), then its vector-tile archive (`atlas.tiles`), as the Map page would.
Figures only; tests never time anything.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

import shapely  # noqa: E402

from atlas import gazetteer  # noqa: E402
from atlas.loader import load_pack  # noqa: E402
from atlas.newpack import create_pack  # noqa: E402


def _size_kb(folder: Path) -> float:
    return sum(p.stat().st_size for p in folder.rglob("*") if p.is_file()) / 1024


def nation() -> None:
    """The whole country: make, write and validate, then tile the communes."""
    from layers.vector_tiles import layer_archive

    with tempfile.TemporaryDirectory() as tmp:
        start = time.perf_counter()
        result = create_pack(nation=True, root=Path(tmp))
        made = time.perf_counter() - start
        pack = load_pack(result.path).pack
        loaded = time.perf_counter() - start - made
        assert pack is not None
        start = time.perf_counter()
        archive = layer_archive(pack, "communes", Path(tmp) / "tiles")
        tiled = time.perf_counter() - start
        size = (Path(tmp) / "tiles" / archive.name).stat().st_size / 1e6
        print(
            f"nation: {result.n_communes} communes, made in {made:.1f} s, "
            f"{_size_kb(result.path) / 1024:.1f} MB, loaded in {loaded:.1f} s; "
            f"tiled (z{archive.min_zoom}–{archive.max_zoom}) in {tiled:.1f} s, {size:.1f} MB"
        )


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--structure", choices=("post2025", "pre2025"))
    parser.add_argument("--nation", action="store_true", help="the whole country's pack")
    args = parser.parse_args()
    if args.nation:
        nation()
        return
    structures = (args.structure,) if args.structure else ("post2025", "pre2025")
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        for structure in structures:
            for unit in gazetteer.provinces(structure):
                start = time.perf_counter()
                result = create_pack(unit.code, structure=structure, root=Path(tmp))
                seconds = time.perf_counter() - start
                pack = load_pack(result.path).pack
                cells = pack.frames["communes"].geometry.values if pack else []
                union = shapely.union_all(cells)
                gap = abs(sum(shapely.area(cells)) - union.area) / union.area if pack else 1.0
                rows.append((seconds, structure, unit.name, result.n_communes, gap))
                print(
                    f"{structure}  {unit.name:<28} {result.n_communes:>4} communes  "
                    f"{seconds:6.2f} s  {_size_kb(result.path):7.0f} kB  overlap {gap:.1e}"
                )
    slowest = max(rows)
    print(f"slowest: {slowest[2]} ({slowest[1]}) {slowest[0]:.2f} s")
    print(f"total: {sum(r[0] for r in rows):.1f} s for {len(rows)} packs")


if __name__ == "__main__":
    main()
