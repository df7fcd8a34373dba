"""Synthetic commune polygons that tile their area: what the scale bench draws.

Real commune boundaries are not shipped, but a fair map benchmark needs polygons with the
weight of real ones: a few hundred vertices each and borders shared with the neighbours (so a
simplifier or a topology-aware encoder meets the same input it would in production). The
cells here are the Voronoi cells of the gazetteer's reference points, clipped to the union of
the communes' extent boxes, with every edge bent once by a deterministic noise: both
neighbours get the very same vertices, so the cells keep tiling (no gaps, no overlaps).
A cell the clip cuts in pieces keeps them all (a MultiPolygon, ~2 % of the nation's).
"""

from __future__ import annotations

import zlib

import numpy as np
import shapely
from shapely.geometry import LineString, MultiPoint, MultiPolygon, Polygon, box
from shapely.ops import polygonize, unary_union

POINTS_PER_EDGE = 48  # a Voronoi cell has ~6 edges: ~300 vertices per commune
BEND = 0.04  # largest sideways offset of an edge, as a fraction of its length
HARMONICS = 5


def clip_area(boxes: list[tuple[float, float, float, float]], points: np.ndarray, margin=0.01):
    """The union of the communes' extent boxes and reference points, grown by `margin`
    degrees to close the cracks between them: the land the cells may cover (roughly Vietnam,
    islands included; a point outside its own box still gets a cell)."""
    shapes = [box(*b) for b in boxes] + list(shapely.points(points))
    return unary_union(shapes).buffer(margin, join_style="mitre")


def voronoi_regions(points: np.ndarray, area) -> list[Polygon]:
    """The unclipped Voronoi region of each point, in the points' order."""
    regions = shapely.voronoi_polygons(MultiPoint(points), extend_to=area.envelope.buffer(1.0))
    tree = shapely.STRtree(shapely.points(points))
    by_point: dict[int, Polygon] = {}
    for region in regions.geoms:
        for index in tree.query(region, predicate="contains"):
            by_point[int(index)] = region
    return [by_point[i] for i in range(len(points))]


def _segments(lines) -> list[LineString]:
    """Every straight piece of the noded border lines (one per pair of consecutive vertices)."""
    out = []
    for part in shapely.get_parts(lines):
        coords = np.asarray(part.coords)
        out += [LineString(coords[i : i + 2]) for i in range(len(coords) - 1)]
    return out


def _edge_key(coords: np.ndarray) -> int:
    """A seed that depends on the edge, not on which neighbour walks it first."""
    ends = sorted([tuple(np.round(coords[0], 7)), tuple(np.round(coords[-1], 7))])
    return zlib.crc32(repr(ends).encode())


def bend_edge(line: LineString, cap: float = np.inf) -> LineString:
    """The edge resampled to `POINTS_PER_EDGE` points and bent sideways by a smooth noise
    that is zero at both ends (so edges still meet at the same corners), by at most `cap`."""
    coords = np.asarray(line.coords)
    if coords.shape[0] < 2 or line.length == 0:
        return line
    forward = tuple(coords[0]) <= tuple(coords[-1])
    if not forward:
        coords = coords[::-1]
    rng = np.random.default_rng(_edge_key(coords))
    start, end = coords[0], coords[-1]
    t = np.linspace(0.0, 1.0, POINTS_PER_EDGE)
    base = start + np.outer(t, end - start)
    chord = end - start
    length = float(np.hypot(*chord))
    if length == 0:
        return line
    normal = np.array([-chord[1], chord[0]]) / length
    k = np.arange(1, HARMONICS + 1)
    weights = rng.uniform(-1, 1, HARMONICS) / k
    phases = rng.uniform(0, 2 * np.pi, HARMONICS)
    wave = (weights * np.sin(np.outer(t, k) * np.pi + phases)).sum(axis=1)
    envelope = np.sin(np.pi * t)
    offset = min(BEND * length, cap) * envelope * wave / max(np.abs(weights).sum(), 1e-12)
    bent = base + np.outer(offset, normal)
    bent[0], bent[-1] = start, end
    return LineString(bent if forward else bent[::-1])


def communes(points: np.ndarray, area) -> list[Polygon | MultiPolygon]:
    """One bent cell per point: the Voronoi borders inside `area` and the border of `area`
    noded together, every straight edge bent once, the faces polygonized and shared out by
    `_owners` (the area's holes stay holes)."""
    regions = voronoi_regions(points, area)
    inner = unary_union([region.exterior for region in regions]).intersection(area)
    noded = unary_union([inner, area.boundary])
    segments = _segments(noded)
    faces = list(polygonize(unary_union([bend_edge(e, c) for e, c in _caps(segments, points)])))
    return [_joined(faces) for faces in _owners(faces, regions, points, area)]


def _owners(faces: list[Polygon], regions: list[Polygon], points: np.ndarray, area):
    """The faces of each point: the face holding the point, and each face holding no point
    goes to the point whose Voronoi region holds it (faces in the area's holes to none)."""
    owned: list[list[Polygon]] = [[] for _ in range(len(points))]
    point_idx, face_idx = shapely.STRtree(faces).query(shapely.points(points), predicate="within")
    taken = set()
    for p, f in zip(point_idx, face_idx, strict=True):
        if f not in taken:
            owned[int(p)].append(faces[f])
            taken.add(f)
    tree = shapely.STRtree(regions)
    for f, face in enumerate(faces):
        inside = face.point_on_surface()
        if f in taken or not area.contains(inside):
            continue
        hits = tree.query(inside, predicate="within")
        if len(hits):
            owned[int(hits[0])].append(face)
    return owned


def _caps(segments: list[LineString], points: np.ndarray):
    """Each segment with how far it may bend: a third of its distance to the nearest point,
    so a bend never reaches a point (two close points make a thin cell)."""
    (seg_idx, _), distance = shapely.STRtree(shapely.points(points)).query_nearest(
        segments, return_distance=True, all_matches=False
    )
    caps = np.empty(len(segments))
    caps[seg_idx] = distance / 3
    return zip(segments, caps, strict=True)


def _joined(faces: list[Polygon]) -> Polygon | MultiPolygon:
    if not faces:
        return Polygon()
    return faces[0] if len(faces) == 1 else unary_union(faces)


def distinct(points: np.ndarray, step: float = 1e-4) -> np.ndarray:
    """The points with repeats moved apart (the gazetteer gives some communes the same
    reference point): the k-th repeat moves k·`step` degrees east, so each gets a cell."""
    out = np.array(points, dtype=float)
    seen: dict[tuple[float, float], int] = {}
    for i, (x, y) in enumerate(out):
        k = seen.get((x, y), 0)
        seen[(x, y)] = k + 1
        out[i, 0] += k * step
    return out
