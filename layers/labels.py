"""Map labels, placed once for the web map (per zoom) and the print sheet (at its scale).

Which features are named and what a label says is `atlas.labels` and the manifest
(`labels`, `label_field`); this module decides where each label goes, with one rule for both
outputs (`place`):

* towns and zones (polygon and point layers) first, beside their shape unless the label fits
  inside it; then road numbers along their longest line, turned to the line; then communes,
  at the point deepest inside (`shapely.polylabel`) or the nearest spot inside that is clearer;
* a label is a box of its estimated text size; it must not cover another label, and should
  not cover lines, points or zones (other than its own feature) — a candidate that does is
  passed over for the next one, nearest first;
* a name already said just beside (a town's zone and its commune) is not said again;
* a label that finds no clear spot is left out at that scale (the web map shows it when
  zoomed in), except a commune's on the print sheet, which takes its least-covered spot: a
  district sheet names every commune.

The web map gets, per label, its spot at each zoom of a small range around the pack's own
zoom (`web_labels`, cached by the caller per pack content); the browser shows the spots of
the current zoom (`LabelLayer`). Labels are text: the browser sets them with `textContent`.
"""

from __future__ import annotations

import functools
import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import folium
import geopandas as gpd
import numpy as np
import shapely
from branca.element import MacroElement, Template
from pyproj import CRS, Transformer
from shapely import affinity
from shapely.geometry import box
from shapely.geometry.base import BaseGeometry
from shapely.ops import polylabel

from atlas.labels import label_text
from atlas.spec import LayerSpec, Pack

CHAR_EM = 0.62  # DejaVu Sans / the browser's sans: mean advance of a label's characters (em)
SIZE_PX = {"area": 12.0, "line": 11.0, "point": 12.0}  # web text sizes; the sheet scales them
MAX_FEATURES = 2_000  # a layer with more features is not labelled (the nation's communes)
WEB_ZOOMS = 8  # zoom levels placed for the web map, from two below the pack's own zoom
EQUATOR_M = 40_075_016.686

# Spots tried around a commune's inner point, nearest first: (dx in label widths, dy in
# label heights).
AREA_OFFSETS: tuple[tuple[float, float], ...] = tuple(
    sorted(
        ((dx, dy) for dx in (0, -0.3, 0.3, -0.6, 0.6) for dy in (0, 1, -1, 2, -2, 3, -3)),
        key=lambda o: (abs(o[0]) * 2) ** 2 + o[1] ** 2,
    )
)
LINE_FRACTIONS = (0.5, 0.4, 0.6, 0.3, 0.7, 0.2, 0.8)


@dataclass(frozen=True)
class LabelItem:
    """One feature's label: its text, how it is placed ("area", "line" or "point"), its
    geometry in a metric CRS and the layer and row it names."""

    text: str
    kind: str
    geom: BaseGeometry
    layer_id: str
    row: int


@dataclass(frozen=True)
class Placement:
    """Where a label's centre goes (metric CRS) and its angle, degrees anticlockwise."""

    x: float
    y: float
    angle: float = 0.0


def placement_kind(layer: LayerSpec) -> str:
    return {"boundary": "area", "choropleth": "area", "line": "line"}.get(layer.kind, "point")


def commune_layer(pack: Pack) -> str | None:
    """The boundary layer with the most features (the communes), the one area layer named;
    of those with at most MAX_FEATURES (the nation's 10,035 communes are not named, its
    provinces are)."""
    candidates = [
        la
        for la in pack.layers
        if la.kind in ("boundary", "choropleth") and len(pack.frames[la.id]) <= MAX_FEATURES
    ]
    if not candidates:
        return None
    best = max(candidates, key=lambda la: len(pack.frames[la.id]))
    return best.id if len(pack.frames[best.id]) > 1 else None


def labelled_layers(pack: Pack) -> list[LayerSpec]:
    """The layers whose features are named, in placing order: towns, zones and points, then
    lines, then the communes (see the module docstring)."""
    communes = commune_layer(pack)
    chosen = []
    for layer in pack.layers:
        wanted = layer.labels
        if wanted is None:
            wanted = layer.id == communes or layer.kind in ("line", "polygon")
        if wanted and 0 < len(pack.frames[layer.id]) <= MAX_FEATURES:
            chosen.append(layer)
    order = {"point": 0, "line": 1, "area": 2}
    return sorted(chosen, key=lambda la: order[placement_kind(la)])


def label_items(pack: Pack, layers: Sequence[LayerSpec], crs: CRS) -> list[LabelItem]:
    """The labels of `layers` with their geometries in `crs`; within a layer, the largest
    features first (they keep their names at the smallest scales)."""
    items: list[LabelItem] = []
    for layer in layers:
        frame = pack.frames[layer.id]
        field = layer.label_field or layer.name_field
        if field not in frame.columns:
            continue
        kind = placement_kind(layer)
        geoms = frame.geometry.to_crs(crs)
        size = geoms.length if kind == "line" else geoms.area
        found = []
        for row, (name, geom) in enumerate(zip(frame[field], geoms, strict=True)):
            text = label_text(name, layer.kind, field_given=layer.label_field is not None)
            if text and geom is not None and not geom.is_empty:
                found.append((-float(size.iloc[row]), row, text, geom))
        items += [LabelItem(t, kind, g, layer.id, r) for _, r, t, g in sorted(found)]
    return items


def label_obstacles(
    pack: Pack, layers: Iterable[tuple[LayerSpec, float]], crs: CRS
) -> list[tuple[BaseGeometry, float, tuple[str, int]]]:
    """What labels should not cover: each drawn line, point and zone outline (a label may sit
    inside a zone, not across its edge) with its half width in points and the (layer, row) it
    is, so its own label may."""
    found = []
    for layer, half in layers:
        if layer.kind not in ("line", "point", "polygon"):
            continue
        for row, geom in enumerate(pack.frames[layer.id].geometry.to_crs(crs)):
            if geom is not None and not geom.is_empty:
                shape = geom.boundary if layer.kind == "polygon" else geom
                found.append((shape, half, (layer.id, row)))
    return found


class _Boxes:
    """The labels placed so far, in a grid of cells, to find those a new one may cover."""

    def __init__(self, cell: float) -> None:
        self.cell = cell
        self.cells: dict[tuple[int, int], list[BaseGeometry]] = {}

    def _keys(self, geom: BaseGeometry) -> Iterable[tuple[int, int]]:
        x0, y0, x1, y1 = geom.bounds
        c = self.cell
        for i in range(math.floor(x0 / c), math.floor(x1 / c) + 1):
            for j in range(math.floor(y0 / c), math.floor(y1 / c) + 1):
                yield (i, j)

    def overlap(self, geom: BaseGeometry) -> float:
        near = {id(g): g for k in self._keys(geom) for g in self.cells.get(k, ())}
        return sum(geom.intersection(g).area for g in near.values())

    def add(self, geom: BaseGeometry) -> None:
        for k in self._keys(geom):
            self.cells.setdefault(k, []).append(geom)


def _rect(x: float, y: float, w: float, h: float, angle: float = 0.0) -> BaseGeometry:
    rect = box(x - w / 2, y - h / 2, x + w / 2, y + h / 2)
    return affinity.rotate(rect, angle, origin=(x, y)) if angle else rect


@functools.lru_cache(maxsize=20_000)
def _inner_point(geom: BaseGeometry) -> shapely.Point:
    """The point deepest inside the largest part (not just any interior point)."""
    part = max(getattr(geom, "geoms", [geom]), key=lambda g: g.area)
    if part.geom_type != "Polygon":
        return geom.representative_point()
    return polylabel(part, tolerance=max(math.sqrt(part.area) / 100, 1e-9))


def _candidates(item: LabelItem, w: float, h: float, gap: float):
    """(x, y, angle, inside_only) spots for the label, nearest first; `inside_only`: the spot
    serves only if the label fits inside the feature (a zone's name within the zone)."""
    geom = item.geom
    if item.kind == "area":
        anchor = _inner_point(geom)
        for dx, dy in AREA_OFFSETS:
            x, y = anchor.x + dx * w, anchor.y + dy * h
            if (dx, dy) == (0, 0) or geom.contains(shapely.Point(x, y)):
                yield x, y, 0.0, False
    elif item.kind == "line":
        parts = list(getattr(geom, "geoms", [geom]))
        line = max(parts, key=lambda g: g.length)
        if line.length < w * 1.2:
            return
        for f in LINE_FRACTIONS:
            d = f * line.length
            if d < w / 2 or d > line.length - w / 2:
                continue
            a, b = line.interpolate(d - w / 2), line.interpolate(d + w / 2)
            angle = math.degrees(math.atan2(b.y - a.y, b.x - a.x))
            if angle > 90:
                angle -= 180
            elif angle <= -90:
                angle += 180
            p = line.interpolate(d)
            yield p.x, p.y, angle, False
    else:
        x0, y0, x1, y1 = geom.bounds
        cx, cy = (x0 + x1) / 2, (y0 + y1) / 2
        if geom.geom_type in ("Polygon", "MultiPolygon"):
            inner = _inner_point(geom)
            yield inner.x, inner.y, 0.0, True
        x0, y0, x1, y1 = x0 - gap, y0 - gap, x1 + gap, y1 + gap
        yield x1 + w / 2, cy, 0.0, False
        yield x0 - w / 2, cy, 0.0, False
        yield cx, y1 + h / 2, 0.0, False
        yield cx, y0 - h / 2, 0.0, False
        yield x1 + w / 2, y1 + h / 2, 0.0, False
        yield x0 - w / 2, y1 + h / 2, 0.0, False
        yield x1 + w / 2, y0 - h / 2, 0.0, False
        yield x0 - w / 2, y0 - h / 2, 0.0, False


def place(
    items: Sequence[LabelItem],
    obstacles: Sequence[tuple[BaseGeometry, float, tuple[str, int]]],
    m_per_pt: float,
    sizes: dict[str, float],
    keep_areas: bool = False,
) -> list[Placement | None]:
    """Where each label goes at `m_per_pt` metres per point (or CSS pixel), in `items`' order
    (see the module docstring); None: left out at this scale. `keep_areas`: a commune label
    that finds no clear spot takes its least-covered one (the print sheet)."""
    margin = 1.0  # points kept clear around a line or point
    shapes = [g.buffer((half + margin) * m_per_pt) for g, half, _ in obstacles]
    owners = [owner for _, _, owner in obstacles]
    tree = shapely.STRtree(shapes) if shapes else None
    placed = _Boxes(cell=40 * m_per_pt * max(sizes.values()) / 10)
    said: dict[str, list[Placement]] = {}
    out: list[Placement | None] = []
    for item in items:
        size = sizes[item.kind]
        w = (len(item.text) * CHAR_EM + 0.4) * size * m_per_pt
        h = 1.3 * size * m_per_pt
        if any(
            item.geom.distance(shapely.Point(p.x, p.y)) < 3 * w for p in said.get(item.text, ())
        ):
            out.append(None)  # the same name just beside it (a town and its commune)
            continue
        if item.kind == "area" and not keep_areas and w * h > 2 * item.geom.area:
            out.append(None)  # far bigger than its commune at this scale
            continue
        best: tuple[float, Placement] | None = None
        chosen: Placement | None = None
        for x, y, angle, inside_only in _candidates(item, w, h, 3 * m_per_pt):
            rect = _rect(x, y, w, h, angle)
            if inside_only and not item.geom.buffer(1e-9).contains(rect):
                continue
            covered = 0.0
            if tree is not None:
                for i in tree.query(rect):
                    if owners[i] != (item.layer_id, item.row):
                        covered += rect.intersection(shapes[i]).area
            share = covered / rect.area
            overlap = placed.overlap(rect) / rect.area
            outside = 0.0
            if item.kind == "area":
                outside = 1 - rect.intersection(item.geom).area / rect.area
            if overlap == 0 and share <= 0.1 and outside <= 0.25:
                chosen = Placement(x, y, angle)
                break
            cost = share + 2 * overlap + 0.2 * outside
            if best is None or cost < best[0]:
                best = (cost, Placement(x, y, angle))
        if chosen is None and keep_areas and item.kind == "area" and best is not None:
            chosen = best[1]
        if chosen is not None:
            placed.add(_rect(chosen.x, chosen.y, w, h, chosen.angle))
            said.setdefault(item.text, []).append(chosen)
        out.append(chosen)
    return out


# ── the web map ──────────────────────────────────────────────────────────────────────────


@dataclass(frozen=True)
class WebLabels:
    """Every label of a pack with its spot per zoom (`zooms[0]` … `zooms[-1]`; the last spot
    also serves the zooms above). `rows`: (layer id, text, kind, angle, spots), a spot being
    [lat, lng] or None where the label is left out."""

    zooms: tuple[int, ...]
    rows: tuple[tuple[str, str, str, float, tuple[tuple[float, float] | None, ...]], ...]

    def shown(self, pack: Pack, drawn: Iterable[LayerSpec]) -> WebLabels:
        """The labels of the drawn layers; the communes' whenever any area layer is drawn (a
        choropleth or a scenario's target layer is drawn on the same communes)."""
        keep = set()
        for layer in drawn:
            keep.add(layer.id)
            if layer.kind in ("boundary", "choropleth"):
                keep.add(commune_layer(pack))
        return WebLabels(self.zooms, tuple(r for r in self.rows if r[0] in keep))

    def payload(self) -> dict:
        """What the browser gets: zooms and, per label, text, kind, angle and spots, a spot
        being [lat, lng], 0 (left out) or 1 (where it was at the zoom before: most labels
        stay put, so a province's labels travel in a third of the bytes)."""
        return {
            "z": list(self.zooms),
            "l": [[t, k, round(a, 1), _compact(spots)] for _, t, k, a, spots in self.rows],
        }


def _compact(spots: Sequence[tuple[float, float] | None]) -> list:
    out: list = []
    for i, spot in enumerate(spots):
        if spot is None:
            out.append(0)
        elif i and spots[i - 1] == spot:
            out.append(1)
        else:
            out.append(list(spot))
    return out


def local_crs(frame: gpd.GeoDataFrame) -> CRS:
    """A transverse Mercator centred on `frame` (true metres and angles across a province)."""
    x0, y0, x1, y1 = frame.total_bounds
    return CRS.from_proj4(
        f"+proj=tmerc +lat_0={(y0 + y1) / 2:.6f} +lon_0={(x0 + x1) / 2:.6f} +k=1 "
        "+x_0=0 +y_0=0 +ellps=WGS84 +units=m +no_defs"
    )


def web_labels(pack: Pack, lang: str = "vi") -> WebLabels:
    """Every label of the pack placed at each zoom of the web map's range."""
    del lang  # names are the data's own; kept in the signature for the cache key
    layers = labelled_layers(pack)
    if not layers:
        return WebLabels((), ())
    frames = [pack.frames[la.id] for la in layers]
    extent = gpd.GeoSeries([shapely.box(*f.total_bounds) for f in frames], crs="EPSG:4326")
    crs = local_crs(gpd.GeoDataFrame(geometry=extent))
    items = label_items(pack, layers, crs)
    drawn = [(la, _half_width(la)) for la in pack.layers]
    obstacles = label_obstacles(pack, drawn, crs)
    lat = float(np.mean([f.total_bounds[[1, 3]].mean() for f in frames]))
    first = max(int(math.floor(pack.meta.default_zoom)) - 2, 1)
    zooms = tuple(range(first, first + WEB_ZOOMS))
    spots: list[list[Placement | None]] = []
    for z in zooms:
        m_per_px = EQUATOR_M * math.cos(math.radians(lat)) / (256 * 2**z)
        spots.append(place(items, obstacles, m_per_px, SIZE_PX))
    back = Transformer.from_crs(crs, "EPSG:4326", always_xy=True)
    rows = []
    for i, item in enumerate(items):
        mine = [s[i] for s in spots]
        angle = next((p.angle for p in mine if p is not None), 0.0)
        latlngs = []
        for p in mine:
            if p is None:
                latlngs.append(None)
                continue
            lon, lat_ = back.transform(p.x, p.y)
            latlngs.append((round(lat_, 5), round(lon, 5)))
        rows.append((item.layer_id, item.text, item.kind, angle, tuple(latlngs)))
    return WebLabels(zooms, tuple(rows))


def _half_width(layer: LayerSpec) -> float:
    """A drawn feature's half width in CSS pixels (what a label keeps clear of)."""
    if layer.kind == "point":
        return float(layer.style.radius)
    return float(getattr(layer.style, "weight", 2) or 2) / 2


class LabelLayer(MacroElement):
    """The labels on a web map: each shown at its spot for the current zoom, none below the
    placed range; set with `textContent` (a name from a file is text, never markup)."""

    _template = Template(
        """
        {% macro script(this, kwargs) %}
        (function() {
            var target = {{ this._parent.get_name() }};
            var data = {{ this.data|tojson }};
            if (!document.getElementById("atlas-label-css")) {
                var css = document.createElement("style");
                css.id = "atlas-label-css";
                css.textContent = {{ this.css|tojson }};
                document.head.appendChild(css);
            }
            var group = L.layerGroup();
            var markers = data.l.map(function(label) {
                var span = document.createElement("span");
                span.textContent = label[0];
                if (label[2]) { span.style.transform =
                    "translate(-50%, -50%) rotate(" + (-label[2]) + "deg)"; }
                var icon = L.divIcon({className: "atlas-label atlas-label-" + label[1],
                                      html: span, iconSize: [0, 0]});
                return L.marker([0, 0], {icon: icon, interactive: false, keyboard: false,
                                         pane: "atlasLabels"});
            });
            function update(map) {
                var z = Math.floor(map.getZoom() + 1e-6), first = data.z[0];
                var i = Math.min(z - first, data.z.length - 1);
                markers.forEach(function(marker, n) {
                    var spots = data.l[n][3], j = i, spot = i >= 0 ? spots[i] : 0;
                    while (spot === 1 && j > 0) { spot = spots[--j]; }  // as the zoom before
                    if (spot) {
                        marker.setLatLng(spot);
                        if (!group.hasLayer(marker)) { group.addLayer(marker); }
                    } else if (group.hasLayer(marker)) { group.removeLayer(marker); }
                });
            }
            function attach(map) {
                if (!map.getPane("atlasLabels")) {
                    var pane = map.createPane("atlasLabels");
                    pane.style.zIndex = 450;
                    pane.style.pointerEvents = "none";
                }
                update(map);
                group.addTo(map);
                var onZoom = function() { update(map); };
                map.on("zoomend", onZoom);
                target.once("remove", function() { map.off("zoomend", onZoom); group.remove(); });
            }
            if (target instanceof L.Map) { attach(target); }
            else {
                target.on("add", function() { attach(target._map); });
                if (target._map) { attach(target._map); }
            }
        })();
        {% endmacro %}
        """
    )

    def __init__(self, labels: WebLabels) -> None:
        super().__init__()
        self._name = "LabelLayer"
        self.data = labels.payload()
        self.css = LABEL_CSS


HALO = ", ".join(f"{x}px {y}px 0 #fff" for x in (-1, 0, 1) for y in (-1, 0, 1) if x or y)
LABEL_CSS = (
    ".atlas-label{pointer-events:none;}"
    ".atlas-label span{position:absolute;left:0;top:0;transform:translate(-50%,-50%);"
    "white-space:nowrap;font-family:'DejaVu Sans',Arial,sans-serif;line-height:1.2;"
    f"text-shadow:{HALO},0 0 3px #fff;color:#333;}}"
    ".atlas-label-area span{font-size:12px;}"
    ".atlas-label-line span{font-size:11px;font-weight:bold;color:#7f2704;}"
    ".atlas-label-point span{font-size:12px;font-style:italic;color:#1a1a1a;}"
)


def label_group(labels: WebLabels) -> folium.FeatureGroup:
    """A FeatureGroup holding only the labels, for `feature_group_to_add` or a map's children."""
    group = folium.FeatureGroup(name="labels", control=False)
    group.add_child(LabelLayer(labels))
    return group
