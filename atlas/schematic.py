"""Schematic commune cells for a new pack: one cell per commune, the cells tiling an outline.

Why a method of its own: the shipped packs are drawn by `geodata/build_packs.py` (a generator
that is tuned per pack and must stay byte-identical); a pack made on demand for any province
needs something simple, fast and deterministic instead. Each commune gets the Voronoi cell of
its gazetteer reference point, clipped to a region made of the communes' extent boxes (a box
too small for its commune widened to the median size, gaps of a few km closed, holes filled,
pieces holding no reference point left out). So no two cells overlap, the outline (the union
of the cells) has no gap by construction, and each cell holds its commune's point (but for
communes sharing one point). Nothing here is surveyed: the pack's honesty flags say so.

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
CLOSING_M = 2500.0  # gaps narrower than about twice this between extent boxes are closed


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


def grow_small_boxes(boxes: np.ndarray, x: np.ndarray, y: np.ndarray) -> np.ndarray:
    """Boxes (metres) narrower than the area's median box side widened to that, around
    the commune's point: some gazetteer extents are a few hundred metres across for a commune
    of tens of km², and would otherwise make an island of it."""
    sides = np.sqrt(
        np.maximum(boxes[:, 2] - boxes[:, 0], 1.0) * np.maximum(boxes[:, 3] - boxes[:, 1], 1.0)
    )
    half = 0.5 * float(np.median(sides))  # half the minimum side: the median side
    return np.column_stack(
        [
            np.minimum(boxes[:, 0], x - half),
            np.minimum(boxes[:, 1], y - half),
            np.maximum(boxes[:, 2], x + half),
            np.maximum(boxes[:, 3], y + half),
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


def filled_region(boxes: np.ndarray, seeds, closing_m: float = CLOSING_M):
    """The union of the extent boxes (metres) with the notches and the gaps between nearby
    boxes closed and every hole filled, so the outline has no gap inside; far islands stay
    apart, but a stray piece holding no commune's reference point (`seeds`) is left out. It
    holds every box around a seed (the union with them is taken again after the closing)."""
    union = shapely.union_all(boxes)
    closed = shapely.buffer(shapely.buffer(union, closing_m, quad_segs=4), -closing_m, quad_segs=4)
    parts = shapely.get_parts(_polygonal(shapely.union(closed, union)))
    shells = [shapely.Polygon(p.exterior) for p in parts]
    return shapely.union_all([s for s in shells if shapely.intersects(s, seeds)])


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
    metric = gpd.GeoSeries(shapely.box(*boxes.T), crs=WGS84).to_crs(crs).bounds.to_numpy()
    points = gpd.GeoSeries(gpd.points_from_xy(lon, lat), crs=WGS84).to_crs(crs)
    x, y = separate(points.x.to_numpy(), points.y.to_numpy())
    box_shapes = shapely.box(*grow_small_boxes(metric, x, y).T)
    region = filled_region(box_shapes, shapely.MultiPoint(np.column_stack([x, y])))
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
