"""Vector tiles of a layer's geometry: MVT in one PMTiles archive, built once per content.

Why tiles: a province or the nation drawn as one inline GeoJSON sends every vertex of every
commune to the browser, again for each layer that shares the geometry, and Leaflet keeps one
SVG path per feature. An archive holds, per zoom, only what a screen can show: polygons are
simplified to about one screen pixel of that zoom with `shapely.coverage_simplify`, so
neighbouring communes keep exactly one shared border (no slivers, no gaps), then clipped to
each tile and encoded as Mapbox Vector Tiles (`mapbox_vector_tile`), gzipped, and written
into one PMTiles file (`pmtiles`): the browser reads the tiles it needs with HTTP range
requests from the app's static server.

Tiles carry geometry and one property, `i`, the feature's row in the layer's frame. Styles,
names and values travel separately (see `layers.vector_tiles`), so a year, class scheme or
scenario change sends a small value table, never geometry again.

The archive's name is the digest of its geometry and of this module's `TILER_VERSION`: two
layers drawing the same communes share one archive, and an unchanged pack is never tiled again
(not even by another process: the file is the cache).
"""

from __future__ import annotations

import gzip
import hashlib
import math
import os
import tempfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import mapbox_vector_tile
import numpy as np
import pyproj
import shapely
from pmtiles.tile import Compression, TileType, zxy_to_tileid
from pmtiles.writer import Writer

TILER_VERSION = "2"
LAYER_NAME = "f"  # the one MVT layer of every archive
EXTENT = 4096  # MVT units per tile side
DATA_TILE_PX = 512  # the browser draws a data tile of zoom z over 2×2 screen tiles of z + 1
BUFFER_PX = 8  # clipped edges lie this far outside the tile, beyond any stroke
MAX_ZOOM_CAP = 13
MIN_SPAN_ZOOMS = 8  # tiles from the zoom that shows the whole layer to this many deeper
HALF_WORLD = math.pi * 6378137.0  # EPSG:3857 half width, metres
_TO_MERCATOR = pyproj.Transformer.from_crs(4326, 3857, always_xy=True)

Progress = Callable[[int, int], None]  # (zoom levels done, zoom levels in all)


@dataclass(frozen=True)
class TileArchive:
    """One archive in the tile folder: its file name, the zooms it holds and its kind."""

    name: str
    min_zoom: int
    max_zoom: int
    kind: str = "polygon"


def geometry_digest(geoms: np.ndarray, kind: str) -> str:
    """Digest of the geometries (WKB) and how they are tiled: the archive's name."""
    digest = hashlib.sha256(f"{TILER_VERSION}:{kind}".encode())
    for wkb in shapely.to_wkb(np.asarray(geoms, dtype=object)):
        digest.update(b"" if wkb is None else wkb)
    return digest.hexdigest()[:32]


def zoom_range(bounds_3857: np.ndarray) -> tuple[int, int]:
    """From two zooms above the one whose data tile holds the whole extent, to 8 below it
    (at most 13; deeper zooms reuse the last one, as the browser overzooms)."""
    minx, miny, maxx, maxy = bounds_3857
    span = max(maxx - minx, maxy - miny, 1.0)
    fit = int(math.floor(math.log2(2 * HALF_WORLD / span)))
    fit = min(max(fit, 0), MAX_ZOOM_CAP)
    return max(0, fit - 2), min(MAX_ZOOM_CAP, fit + MIN_SPAN_ZOOMS)


def ensure_archive(
    geoms: np.ndarray, kind: str, folder: Path, progress: Progress | None = None
) -> TileArchive:
    """The archive of `geoms` (EPSG:4326; None or empty allowed) in `folder`, built if missing.

    `kind` is "polygon" (simplified as a coverage when it is one) or "line". Written to a
    temporary file and renamed into place, so a reader never sees half an archive.
    """
    geoms = np.asarray(geoms, dtype=object)
    name = f"{geometry_digest(geoms, kind)}.pmtiles"
    merc = _to_mercator(geoms)
    present = ~(shapely.is_missing(merc) | shapely.is_empty(merc))
    bounds = shapely.total_bounds(merc[present]) if present.any() else np.zeros(4)
    min_zoom, max_zoom = zoom_range(bounds)
    archive = TileArchive(name, min_zoom, max_zoom, kind)
    target = folder / name
    if target.is_file():
        return archive
    folder.mkdir(parents=True, exist_ok=True)
    tiles = sorted(_all_tiles(merc, present, kind, min_zoom, max_zoom, progress))
    fd, tmp = tempfile.mkstemp(dir=folder, prefix=".tiles-", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as handle:
            writer = Writer(handle)
            for tile_id, data in tiles:
                writer.write_tile(tile_id, data)
            writer.finalize(_header(geoms, present, min_zoom, max_zoom), _metadata(kind))
        os.replace(tmp, target)
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)
    return archive


# --- internals -----------------------------------------------------------------------------


def _to_mercator(geoms: np.ndarray) -> np.ndarray:
    """EPSG:3857 metres, latitudes clamped to Web Mercator's ±85.05°."""

    def project(coords: np.ndarray) -> np.ndarray:
        lon, lat = coords[:, 0], np.clip(coords[:, 1], -85.05, 85.05)
        x, y = _TO_MERCATOR.transform(lon, lat)
        return np.column_stack([x, y])

    return shapely.transform(geoms, project)


def simplify_coverage(geoms: np.ndarray, tolerance: float) -> np.ndarray:
    """`geoms` simplified by `tolerance` (their own units), shared borders kept when the
    polygons form a valid coverage (else each polygon alone, topology kept); None and empty
    geometries stay as they are. For a one-off simplification (the HTML export)."""
    geoms = np.asarray(geoms, dtype=object).copy()
    present = ~(shapely.is_missing(geoms) | shapely.is_empty(geoms))
    polygonal = np.isin(shapely.get_type_id(geoms[present]), (3, 6)).all()
    levels = _simplified_levels(geoms, present, "polygon" if polygonal else "line", [tolerance])
    return next(levels)


def zoom_tolerances(min_zoom: int, max_zoom: int) -> list[float]:
    """About one screen pixel of each zoom, in EPSG:3857 metres, deepest zoom first."""
    return [2 * HALF_WORLD / 2**z / DATA_TILE_PX for z in range(max_zoom, min_zoom - 1, -1)]


def _simplified_levels(
    merc: np.ndarray, present: np.ndarray, kind: str, tolerances: list[float]
) -> Iterator[np.ndarray]:
    """The geometries simplified by each of `tolerances` (increasing), in that order.

    Each level is simplified from the one before it (fewer vertices each time). Polygons that
    form a valid coverage keep their shared borders (`coverage_simplify`); others, and lines,
    are simplified one by one, topology kept per feature.
    """
    level = merc.copy()
    polygons = kind == "polygon"
    if polygons:
        invalid = present & ~shapely.is_valid(level)
        if invalid.any():  # one bad ring would make coverage_simplify fail for all
            level[invalid] = shapely.make_valid(
                level[invalid], method="structure", keep_collapsed=False
            )
    coverage = polygons and bool(shapely.coverage_is_valid(level[present]))
    for tolerance in tolerances:
        if coverage:
            try:
                level[present] = shapely.coverage_simplify(level[present], tolerance)
            except shapely.errors.GEOSException:
                coverage = False
        if not coverage:
            level[present] = shapely.simplify(level[present], tolerance, preserve_topology=True)
        yield level.copy()


def _all_tiles(
    merc: np.ndarray,
    present: np.ndarray,
    kind: str,
    min_zoom: int,
    max_zoom: int,
    progress: Progress | None,
) -> Iterator[tuple[int, bytes]]:
    count = max_zoom - min_zoom + 1
    zooms = range(max_zoom, min_zoom - 1, -1)
    levels = _simplified_levels(merc, present, kind, zoom_tolerances(min_zoom, max_zoom))
    for done, (zoom, level) in enumerate(zip(zooms, levels, strict=True), start=1):
        yield from _zoom_tiles(level, present, zoom)
        if progress:
            progress(done, count)


def _zoom_tiles(level: np.ndarray, present: np.ndarray, zoom: int) -> Iterator[tuple[int, bytes]]:
    """Every non-empty tile of one zoom: (PMTiles tile id, gzipped MVT)."""
    rows = np.flatnonzero(present)
    geoms = level[rows]
    tree = shapely.STRtree(geoms)
    width = 2 * HALF_WORLD / 2**zoom
    buffer = width * BUFFER_PX / DATA_TILE_PX
    minx, miny, maxx, maxy = shapely.total_bounds(geoms)
    last = 2**zoom - 1
    x0, x1 = (min(max(int((v + HALF_WORLD) // width), 0), last) for v in (minx, maxx))
    y0, y1 = (min(max(int((HALF_WORLD - v) // width), 0), last) for v in (maxy, miny))
    for x in range(x0, x1 + 1):
        for y in range(y0, y1 + 1):
            west, north = -HALF_WORLD + x * width, HALF_WORLD - y * width
            box = (west - buffer, north - width - buffer, west + width + buffer, north + buffer)
            hits = tree.query(shapely.box(*box), predicate="intersects")
            if not len(hits):
                continue
            clipped = _to_tile(shapely.clip_by_rect(geoms[hits], *box), west, north, width)
            features = [
                {"geometry": geom, "properties": {"i": int(rows[hit])}}
                for hit, geom in zip(hits, clipped, strict=True)
                if not geom.is_empty
            ]
            if features:
                data = mapbox_vector_tile.encode(
                    [{"name": LAYER_NAME, "features": features}],
                    default_options={"y_coord_down": True, "extents": EXTENT},
                )
                yield zxy_to_tileid(zoom, x, y), gzip.compress(data, 6, mtime=0)


def _to_tile(geoms: np.ndarray, west: float, north: float, width: float) -> np.ndarray:
    """Mercator metres to the tile's own units (0…EXTENT, y down), all at once: the encoder's
    own per-geometry transform is the slowest part of tiling a nation."""
    scale = EXTENT / width

    def to_units(coords: np.ndarray) -> np.ndarray:
        return np.column_stack([(coords[:, 0] - west) * scale, (north - coords[:, 1]) * scale])

    return shapely.transform(geoms, to_units)


def _header(geoms: np.ndarray, present: np.ndarray, min_zoom: int, max_zoom: int) -> dict:
    if present.any():
        west, south, east, north = shapely.total_bounds(geoms[present])
    else:
        west = south = east = north = 0.0

    def e7(value: float) -> int:
        return int(round(value * 1e7))

    return {
        "tile_type": TileType.MVT,
        "tile_compression": Compression.GZIP,
        "min_zoom": min_zoom,
        "max_zoom": max_zoom,
        "min_lon_e7": e7(west),
        "min_lat_e7": e7(south),
        "max_lon_e7": e7(east),
        "max_lat_e7": e7(north),
        "center_zoom": min_zoom + 2,
        "center_lon_e7": e7((west + east) / 2),
        "center_lat_e7": e7((south + north) / 2),
    }


def _metadata(kind: str) -> dict:
    return {
        "vector_layers": [{"id": LAYER_NAME, "fields": {"i": "Number"}}],
        "generator": f"atlas.tiles {TILER_VERSION} ({kind})",
    }
