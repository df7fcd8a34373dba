"""Bounded work for geometry repair: what `make_valid` would cost, counted before it runs.

`make_valid` costs grow with the vertices and, much faster, with the self-crossings of a ring
(measured: a 300-vertex scribble with 25k crossings takes 15 s, 100k vertices with one bow-tie
0.4 s). So each invalid geometry's vertices are counted (free) and its crossings counted with
work bounded by the limit, and a geometry or a file beyond the budgets is refused with an error
naming it, for the clerk to fix in a GIS tool where it can be seen.
"""

from __future__ import annotations

from collections.abc import Callable

import geopandas as gpd
import numpy as np
import shapely

from atlas.report import Report
from atlas.spec import Text

Labeller = Callable[[gpd.GeoDataFrame, int], Text]

MAX_REPAIR_VERTICES = 50_000  # per invalid geometry
MAX_REPAIR_CROSSINGS = 2_000  # self-crossings per invalid geometry (make_valid is ~quadratic)
MAX_TOTAL_VERTICES = 500_000  # over every invalid geometry of the file
MAX_TOTAL_CROSSINGS = 20_000
_CHUNK = 64  # segments per bounded crossing query


def within_budget(
    frame: gpd.GeoDataFrame, invalid: object, report: Report, file: str, label: Labeller
) -> bool:
    """False (with an error per geometry, or for the file) when repair would cost too much."""
    positions = np.flatnonzero(np.asarray(invalid))
    geoms = frame.geometry.values[positions]
    vertices = shapely.get_num_coordinates(geoms)
    over = [(int(p), int(n)) for p, n in zip(positions, vertices, strict=True)]
    over = [(p, n) for p, n in over if n > MAX_REPAIR_VERTICES]
    for pos, n in over[:10]:
        report.error(
            f"hình học không hợp lệ có {n:,} đỉnh, quá "
            f"{MAX_REPAIR_VERTICES:,} đỉnh để sửa tự động; hãy sửa trong phần mềm GIS",
            f"invalid geometry with {n:,} vertices, more "
            f"than the {MAX_REPAIR_VERTICES:,} that can be repaired automatically; fix it in a "
            "GIS tool",
            file=file,
            where=label(frame, pos),
        )
    if over:
        return False
    if int(vertices.sum()) > MAX_TOTAL_VERTICES:
        return _refuse_total(
            report, file, f"{int(vertices.sum()):,} đỉnh", f"{int(vertices.sum()):,} vertices"
        )
    total = 0
    for pos, geom in zip(positions, geoms, strict=True):
        crossings = count_crossings(geom, MAX_REPAIR_CROSSINGS)
        if crossings > MAX_REPAIR_CROSSINGS:
            report.error(
                f"hình học tự cắt hơn {MAX_REPAIR_CROSSINGS:,} lần, quá phức tạp để sửa tự "
                "động; hãy sửa trong phần mềm GIS",
                f"the geometry crosses itself more than {MAX_REPAIR_CROSSINGS:,} times, too "
                "tangled to repair automatically; fix it in a GIS tool",
                file=file,
                where=label(frame, int(pos)),
            )
            return False
        total += crossings
        if total > MAX_TOTAL_CROSSINGS:
            return _refuse_total(
                report, file, f"{total:,} điểm tự cắt", f"{total:,} self-crossings"
            )
    return True


def _refuse_total(report: Report, file: str, vi: str, en: str) -> bool:
    report.error(
        f"các hình học không hợp lệ quá nhiều để sửa tự động ({vi}); hãy sửa trong phần mềm GIS",
        f"too much invalid geometry to repair automatically ({en}); fix it in a GIS tool",
        file=file,
    )
    return False


def _segments(geom: shapely.Geometry) -> tuple[np.ndarray, np.ndarray]:
    """Every segment of the geometry's rings/lines as (start xy, end xy), and each segment's
    ring number (so neighbours on a ring are not counted as crossings)."""
    starts, ends, rings = [], [], []
    lines = shapely.boundary(geom) if shapely.get_dimensions(geom) == 2 else geom
    for line in shapely.get_parts(lines):
        for part in shapely.get_parts(line):
            xy = shapely.get_coordinates(part)
            if len(xy) < 2:
                continue
            starts.append(xy[:-1])
            ends.append(xy[1:])
            rings.append(np.full(len(xy) - 1, len(rings)))
    if not starts:
        return np.empty((0, 2, 2)), np.empty(0, dtype=int)
    seg = np.stack([np.concatenate(starts), np.concatenate(ends)], axis=1)
    return seg, np.concatenate(rings)


def count_crossings(geom: shapely.Geometry, limit: int) -> int:
    """How many pairs of non-adjacent segments of `geom` touch, counting stops past `limit`.

    Queried in chunks of `_CHUNK` segments so the work (and memory) is bounded by the limit,
    not by the crossings a scribbled ring may have (millions)."""
    seg, ring = _segments(geom)
    if len(seg) < 4:
        return 0
    lines = shapely.linestrings(seg)
    tree = shapely.STRtree(lines)
    index = np.arange(len(seg))
    ring_start = np.zeros(len(seg), dtype=int)
    ring_end = np.zeros(len(seg), dtype=int)
    for r in np.unique(ring):
        members = index[ring == r]
        ring_start[members], ring_end[members] = members[0], members[-1]
    found = 0
    for lo in range(0, len(seg), _CHUNK):
        chunk = index[lo : lo + _CHUNK]
        a, b = tree.query(lines[chunk], predicate="intersects")
        a = chunk[a]
        later = b > a
        near = (ring[a] == ring[b]) & ((b - a == 1) | ((a == ring_start[a]) & (b == ring_end[a])))
        found += int((later & ~near).sum())
        if found > limit:
            return found
    return found
