"""Schematic commune cells for a new pack: one cell per commune, the cells tiling an outline.

Why a method of its own: the shipped packs are drawn by `geodata/build_packs.py` (a generator
that is tuned per pack and must stay byte-identical); a pack made on demand for any province
needs something simple, fast and deterministic instead. Each commune gets the Voronoi cell of
its gazetteer reference point, clipped to the union of the communes' extent boxes. So every
cell holds its commune's point, no two cells overlap, and the outline (the union of the cells)
has no gap by construction. Nothing here is surveyed: the pack says so in its honesty flags.

The Voronoi cells are made in metres (UTM 48N or 49N, by the area's centre, through pyproj),
so that a cell's shape follows distances on the ground, not degrees.
"""

from __future__ import annotations

import math

import geopandas as gpd
import numpy as np
import shapely

WGS84 = "EPSG:4326"
_SEPARATION_M = 25.0  # communes sharing one reference point are pulled this far apart
_GOLDEN_ANGLE = math.pi * (3 - math.sqrt(5))


def metric_crs(lon: float) -> str:
    """The UTM zone (north) holding longitude `lon`: 48N west of 108°E, 49N east of it."""
    return "EPSG:32649" if lon >= 108.0 else "EPSG:32648"


def _boxes_holding_points(lon: np.ndarray, lat: np.ndarray, boxes: np.ndarray) -> np.ndarray:
    """Each extent box grown to hold its own reference point (a few gazetteer points lie just
    outside their box), so that no commune's cell can be clipped away."""
    return np.column_stack(
        [
            np.minimum(boxes[:, 0], lon),
            np.minimum(boxes[:, 1], lat),
            np.maximum(boxes[:, 2], lon),
            np.maximum(boxes[:, 3], lat),
        ]
    )


def separate(x: np.ndarray, y: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The points with every repeat moved a few metres away (on a spiral, deterministic), so
    that each commune still gets a Voronoi cell of its own."""
    x, y = x.astype(float).copy(), y.astype(float).copy()
    seen: set[tuple[float, float]] = set()
    for i in range(len(x)):
        k = 0
        while (round(x[i], 3), round(y[i], 3)) in seen:
            k += 1
            angle = k * _GOLDEN_ANGLE
            x[i] += _SEPARATION_M * math.sqrt(k) * math.cos(angle)
            y[i] += _SEPARATION_M * math.sqrt(k) * math.sin(angle)
        seen.add((round(x[i], 3), round(y[i], 3)))
    return x, y


def _polygonal(geom):
    """Only the areal parts of a clip result (an intersection may add stray lines or points)."""
    geom = shapely.make_valid(geom)
    parts = [p for p in shapely.get_parts(geom) if p.geom_type in ("Polygon", "MultiPolygon")]
    if not parts:
        return shapely.Polygon()
    return parts[0] if len(parts) == 1 else shapely.union_all(parts)


def commune_cells(lon: np.ndarray, lat: np.ndarray, boxes: np.ndarray) -> gpd.GeoSeries:
    """One cell per commune (reference points `lon`, `lat`; extent boxes `boxes`, n × 4 of
    min_lon, min_lat, max_lon, max_lat), in input order, in EPSG:4326.

    The cells do not overlap and their union is the area's outline (see `outline`)."""
    lon, lat = np.asarray(lon, float), np.asarray(lat, float)
    boxes = _boxes_holding_points(lon, lat, np.asarray(boxes, float))
    crs = metric_crs(float(np.mean(lon)))
    box_shapes = gpd.GeoSeries(shapely.box(*boxes.T), crs=WGS84).to_crs(crs)
    region = shapely.union_all(box_shapes.values)
    points = gpd.GeoSeries(gpd.points_from_xy(lon, lat), crs=WGS84).to_crs(crs)
    x, y = separate(points.x.to_numpy(), points.y.to_numpy())
    if len(x) == 1:
        cells = [region]
    else:
        frame = shapely.box(*shapely.buffer(region, 1000.0).bounds)
        seeds = shapely.MultiPoint(np.column_stack([x, y]))
        voronoi = shapely.voronoi_polygons(seeds, extend_to=frame, ordered=True)
        cells = [_polygonal(shapely.intersection(c, region)) for c in shapely.get_parts(voronoi)]
    return gpd.GeoSeries(cells, crs=crs).to_crs(WGS84)


def outline(cells: gpd.GeoSeries):
    """The area the cells tile: their union (one polygon, or several for islands)."""
    return _polygonal(shapely.union_all(cells.values))


def area_km2(geoms: gpd.GeoSeries) -> np.ndarray:
    """Areas in km² in the metric CRS of the geometries' centre (schematic, for popups)."""
    centre = float(np.mean(geoms.total_bounds[[0, 2]]))
    return geoms.to_crs(metric_crs(centre)).area.to_numpy() / 1e6
