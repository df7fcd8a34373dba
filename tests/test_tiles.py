"""atlas.tiles: one PMTiles archive per geometry content, simplified per zoom, borders shared."""

from __future__ import annotations

import gzip

import mapbox_vector_tile
import numpy as np
import pytest
import shapely
from pmtiles.reader import MmapSource, Reader, all_tiles

from atlas import tiles


def _grid(n: int = 6, size: float = 0.05, bend: bool = True) -> np.ndarray:
    """n×n communes tiling a square near Trà Vinh, each shared edge bent the same way from
    both sides (a valid coverage with many vertices)."""
    xs = 106.0 + size * np.arange(n + 1)
    ys = 9.8 + size * np.arange(n + 1)

    def edge(a, b, axis_bend):
        steps = np.linspace(0, 1, 40)
        points = a[None, :] + (b - a)[None, :] * steps[:, None]
        if bend:
            points[:, axis_bend] += 0.004 * np.sin(steps * np.pi * 3) * (a[axis_bend] > 0)
        return points

    cells = []
    for i in range(n):
        for j in range(n):
            x0, x1, y0, y1 = xs[i], xs[i + 1], ys[j], ys[j + 1]
            bottom = edge(np.array([x0, y0]), np.array([x1, y0]), 1)
            right = edge(np.array([x1, y0]), np.array([x1, y1]), 0)
            top = edge(np.array([x0, y1]), np.array([x1, y1]), 1)[::-1]
            left = edge(np.array([x0, y0]), np.array([x0, y1]), 0)[::-1]
            if j == 0:
                bottom[:, 1] = y0
            if j == n - 1:
                top[:, 1] = y1
            if i == 0:
                left[:, 0] = x0
            if i == n - 1:
                right[:, 0] = x1
            ring = np.vstack([bottom, right[1:], top[1:], left[1:]])
            cells.append(shapely.Polygon(ring))
    return np.array(cells, dtype=object)


def _read(path) -> tuple[dict, dict[tuple[int, int, int], list[dict]]]:
    with open(path, "rb") as handle:
        reader = Reader(MmapSource(handle))
        header = reader.header()
        decoded = {
            zxy: mapbox_vector_tile.decode(gzip.decompress(data))[tiles.LAYER_NAME]["features"]
            for zxy, data in all_tiles(reader.get_bytes)
        }
    return header, decoded


def test_the_grid_fixture_is_a_valid_coverage():
    assert shapely.coverage_is_valid(_grid())


def test_archive_holds_every_feature_at_every_zoom_by_its_row(tmp_path):
    grid = _grid()
    archive = tiles.ensure_archive(grid, "polygon", tmp_path)
    header, decoded = _read(tmp_path / archive.name)
    assert (header["min_zoom"], header["max_zoom"]) == (archive.min_zoom, archive.max_zoom)
    assert archive.min_zoom < archive.max_zoom <= tiles.MAX_ZOOM_CAP
    for zoom in range(archive.min_zoom, archive.max_zoom + 1):
        at_zoom = [feats for (z, _x, _y), feats in decoded.items() if z == zoom]
        rows = {f["properties"]["i"] for feats in at_zoom for f in feats}
        assert rows == set(range(len(grid))), zoom


def test_simplified_levels_keep_shared_borders_and_the_area(tmp_path):
    grid = _grid()
    merc = tiles._to_mercator(grid)
    present = np.ones(len(grid), dtype=bool)
    area = shapely.union_all(merc).area
    vertices = shapely.get_num_coordinates(merc).sum()
    zooms = range(12, 5, -1)
    levels = list(tiles._simplified_levels(merc, present, "polygon", tiles.zoom_tolerances(6, 12)))
    assert len(levels) == len(zooms)
    for zoom, level in zip(zooms, levels, strict=True):
        assert shapely.coverage_is_valid(level), zoom  # no gap, no overlap between communes
        assert shapely.union_all(level).area == pytest.approx(area, rel=0.02), zoom
    assert shapely.get_num_coordinates(levels[-1]).sum() < vertices / 4  # coarse is light


def test_simplify_coverage_keeps_borders_and_missing_rows():
    geoms = np.append(_grid(), [None])
    simple = tiles.simplify_coverage(geoms, 0.002)
    assert simple[-1] is None
    assert shapely.coverage_is_valid(simple[:-1])
    vertices = shapely.get_num_coordinates
    assert vertices(simple[:-1]).sum() < vertices(geoms[:-1]).sum()


def test_same_geometry_same_archive_built_once_other_geometry_another(tmp_path):
    grid = _grid()
    first = tiles.ensure_archive(grid, "polygon", tmp_path)
    stamp = (tmp_path / first.name).stat().st_mtime_ns
    again = tiles.ensure_archive(grid.copy(), "polygon", tmp_path)
    assert again == first
    assert (tmp_path / first.name).stat().st_mtime_ns == stamp
    other = tiles.ensure_archive(_grid(bend=False), "polygon", tmp_path)
    assert other.name != first.name
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted([first.name, other.name])


def test_an_invalid_ring_is_repaired_not_fatal(tmp_path):
    grid = _grid(n=3)
    bowtie = shapely.Polygon([(106.3, 9.8), (106.35, 9.85), (106.35, 9.8), (106.3, 9.85)])
    geoms = np.append(grid, [bowtie, None])
    archive = tiles.ensure_archive(geoms, "polygon", tmp_path)
    _, decoded = _read(tmp_path / archive.name)
    rows = {f["properties"]["i"] for feats in decoded.values() for f in feats}
    assert rows == set(range(len(grid) + 1))  # the repaired bow-tie is drawn; None is not


def test_lines_are_tiled_too(tmp_path):
    roads = np.array(
        [
            shapely.LineString([(106.0, 9.8), (106.2, 10.0), (106.4, 9.9)]),
            shapely.LineString([(106.1, 9.7), (106.1, 10.1)]),
        ],
        dtype=object,
    )
    archive = tiles.ensure_archive(roads, "line", tmp_path)
    _, decoded = _read(tmp_path / archive.name)
    kinds = {f["geometry"]["type"] for feats in decoded.values() for f in feats}
    assert kinds <= {"LineString", "MultiLineString"}
    assert {f["properties"]["i"] for feats in decoded.values() for f in feats} == {0, 1}


def test_zoom_range_follows_the_extent():
    nation = tiles._to_mercator(np.array([shapely.box(102.1, 8.5, 109.5, 23.4)]))
    district = tiles._to_mercator(np.array([shapely.box(106.1, 9.86, 106.32, 10.08)]))
    assert tiles.zoom_range(shapely.total_bounds(nation)) == (2, 12)
    low, high = tiles.zoom_range(shapely.total_bounds(district))
    assert high == tiles.MAX_ZOOM_CAP and low >= 7
