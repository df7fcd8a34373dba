"""Large layers as vector tiles: which layers, their archives, value tables and map elements.

A layer is tiled when its inline GeoJSON would be heavy: more than `TILE_VERTICES` vertices or
`TILE_FEATURES` features (a district pack's layers hold a few hundred vertices and stay inline
GeoJSON, drawn as SVG paths as before; a province's communes hold tens of thousands). Points
are never tiled.

For a tiled layer the browser gets three things, none of them geometry in a websocket message:

* the archive (`atlas.tiles`), built once per geometry content into `static/tiles/` and read
  with range requests from the app's own static server (`/app/static/tiles/…`);
* a value table (`value_table`), per (layer, year, class scheme, language): the palette of the
  layer's distinct Leaflet styles, each row's style index, and each row's name and displayed
  values for tooltips and popups (formatted here, by `layers.features.display`, so numbers
  read as everywhere else: `91,7 %`). It is written as a small JSON file named by its own
  digest, so a year change sends a new URL, the browser fetches ~10 bytes per commune, and a
  rerun that changes nothing sends the same URL again;
* the `TiledLayers` element, in a dynamic feature group: the list of tiled layers to draw, in
  drawing order (`assets/own/atlas-tiles.js` keeps unchanged layers and their tile caches).
"""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
from collections.abc import Sequence
from pathlib import Path

import folium
import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
from branca.element import MacroElement, Template
from folium.elements import JSCSSMixin

from atlas.spec import LayerSpec, Pack, TableSpec
from atlas.tiles import TileArchive, ensure_archive
from layers.classify import Classes
from layers.features import (
    YEAR_LABEL,
    PreparedLayer,
    TiledSource,
    bounds,
    display,
    feature_style,
    field_label,
    field_spec,
    join_layer,
    popup_fields,
    shows_year,
)
from layers.render import KIND_STYLE

TILE_VERTICES = 20_000
TILE_FEATURES = 2_000
STATIC_DIR = Path(__file__).resolve().parent.parent / "static"
TILE_DIR = STATIC_DIR / "tiles"
VALUES_DIR = TILE_DIR / "values"
TILE_URL = "/app/static/tiles"
VENDOR_URL = "/app/static/vendor"


def tile_kind(layer: LayerSpec, frame: gpd.GeoDataFrame) -> str | None:
    """ "polygon" or "line" for a layer that can be tiled; None for points (never tiled)."""
    if layer.kind == "point" or frame.empty:
        return None
    types = set(frame.geometry.geom_type.dropna())
    if types <= {"Polygon", "MultiPolygon"}:
        return "polygon"
    if types <= {"LineString", "MultiLineString"}:
        return "line"
    return None


def wants_tiles(layer: LayerSpec, frame: gpd.GeoDataFrame) -> bool:
    """Whether the layer is heavy enough to draw from tiles (see the module docstring)."""
    if tile_kind(layer, frame) is None:
        return False
    vertices = int(shapely.get_num_coordinates(frame.geometry.values).sum())
    return vertices > TILE_VERTICES or len(frame) > TILE_FEATURES


def layer_archive(pack: Pack, layer_id: str, folder: Path = TILE_DIR) -> TileArchive | None:
    """The layer's tile archive, built if missing; None for a layer drawn inline."""
    layer = pack.manifest.layer(layer_id)
    frame = pack.frames[layer_id]
    if not wants_tiles(layer, frame):
        return None
    kind = tile_kind(layer, frame)
    assert kind is not None  # wants_tiles said so
    return ensure_archive(frame.geometry.values, kind, folder)


def prepare_tiled_layer(
    pack: Pack,
    layer_id: str,
    archive: TileArchive,
    lang: str = "vi",
    year: int | None = None,
    scheme: str | None = None,
    k: int | None = None,
    folder: Path = VALUES_DIR,
    classes: Classes | None = None,
) -> PreparedLayer:
    """`layers.features.prepare_layer` for a tiled layer: legend and classes as there, and a
    value table (written to `folder`) instead of a FeatureCollection.

    `classes`: the layer's classes when the caller keeps them (they span every year, so a
    year change need not classify a nation's values again).
    """
    joined = join_layer(pack, layer_id, lang, year, scheme, k, classes)
    frame = joined.frame
    if len(frame) != len(pack.frames[layer_id]):  # tile feature `i` is a row of the frame
        raise ValueError(f"{layer_id}: the joined frame lost or gained rows")
    values = value_table(
        frame, joined.layer, lang, joined.classes, table=joined.table, year=joined.year
    )
    source = tiled_source(archive, values, len(frame), folder)
    empty = {"type": "FeatureCollection", "features": []}
    return PreparedLayer(
        layer_id, empty, joined.legend, joined.classes, joined.year, bounds(frame), tiled=source
    )


def tiled_source(
    archive: TileArchive, values: dict, rows: int, folder: Path = VALUES_DIR
) -> TiledSource:
    """Where the browser finds a tiled layer: `archive`, and `values` written to `folder`."""
    return TiledSource(
        url=f"{TILE_URL}/{archive.name}",
        max_zoom=archive.max_zoom,
        kind=archive.kind,
        min_zoom=archive.min_zoom,
        dense=rows > TILE_FEATURES,
        values=f"{TILE_URL}/values/{write_json(values, folder)}",
    )


def still_served(source: TiledSource, folder: Path = TILE_DIR) -> bool:
    """Whether the archive and value table a cached layer names are still on disk (someone may
    have cleared `static/tiles/`, which is safe: they are built again)."""
    archive = folder / source.url.rsplit("/", 1)[1]
    values = folder / "values" / source.values.rsplit("/", 1)[1]
    return archive.is_file() and values.is_file()


def value_table(
    frame: gpd.GeoDataFrame,
    layer: LayerSpec,
    lang: str,
    classes=None,
    *,
    table: TableSpec | None = None,
    year: int | None = None,
) -> dict:
    """What the browser needs to style and describe each row of a tiled layer.

    `palette`: the layer's distinct Leaflet styles (`KIND_STYLE` applied, as inline layers);
    `style`: each row's index into it; `cols`: labels of the shown fields; `tip` / `pop`:
    which columns the tooltip / popup shows (an empty `tip` shows the name in bold); `rows`:
    per row its name then every column's displayed value (plain text: the browser sets it
    with textContent); `year`: the popup's year line, or null.
    """
    tip_fields = list(layer.tooltip)
    pop_fields = popup_fields(layer, table, year)
    columns = list(dict.fromkeys([*tip_fields, *pop_fields]))
    palette, styles = _styles(frame, layer, classes)
    names = _displayed_names(frame, layer.name_field)
    shown = [_displayed(frame, field_spec(layer, name, table), lang) for name in columns]
    rows = [list(cells) for cells in zip(names, *shown, strict=True)]
    return {
        "palette": palette,
        "style": styles,
        "cols": [field_label(layer, name, lang, table) for name in columns],
        "tip": [columns.index(f) for f in tip_fields],
        "pop": [columns.index(f) for f in pop_fields],
        "rows": rows,
        "year": [YEAR_LABEL.get(lang), str(int(year))] if shows_year(layer, year) else None,
    }


def _styles(frame: gpd.GeoDataFrame, layer: LayerSpec, classes) -> tuple[list[dict], list[int]]:
    """The distinct drawn styles and each row's index into them.

    A row's style depends only on its value of the style field (its class or category), so
    `feature_style` runs once per distinct value, not once per commune of a nation.
    """
    adjust = KIND_STYLE.get(layer.kind, KIND_STYLE["polygon"])
    field = layer.style.field if layer.style.type != "fixed" else None
    codes, uniques = _factorize(frame, field)
    palette: list[dict] = []
    seen: dict[str, int] = {}
    index = []
    for value in uniques:
        row = pd.Series({field: value}) if field else pd.Series(dtype=object)
        style = adjust(feature_style(row, layer, classes))
        index.append(seen.setdefault(json.dumps(style, sort_keys=True), len(seen)))
        if len(palette) < len(seen):
            palette.append(style)
    return palette, np.asarray(index, dtype=int)[codes].tolist()


def _displayed(frame: gpd.GeoDataFrame, spec, lang: str) -> list[str]:
    """A column as the user reads it (`display`), formatted once per distinct value."""
    codes, uniques = _factorize(frame, spec.name)
    shown = np.asarray([display(spec, value, lang) for value in uniques], dtype=object)
    return shown[codes].tolist()


def _displayed_names(frame: gpd.GeoDataFrame, column: str | None) -> list[str]:
    """The name column as plain text ("" where missing), without a Python call per row."""
    if not column or column not in frame:
        return [""] * len(frame)
    return frame[column].astype("string").fillna("").to_numpy(dtype=object).tolist()


def _factorize(frame: gpd.GeoDataFrame, column: str | None) -> tuple[np.ndarray, list]:
    """Each row's index into the column's distinct values; NA (and a missing column) is one
    more value, None, at the end."""
    if not column or column not in frame:
        return np.zeros(len(frame), dtype=int), [None]
    codes, uniques = pd.factorize(frame[column], use_na_sentinel=True)
    codes = np.where(codes < 0, len(uniques), codes)
    return codes, [*np.asarray(uniques, dtype=object), None]


def write_json(data: dict, folder: Path) -> str:
    """Write `data` once as `<digest>.json` in `folder` (atomic); return the file name."""
    body = json.dumps(data, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
    name = f"{hashlib.sha256(body).hexdigest()[:32]}.json"
    target = folder / name
    if not target.is_file():
        folder.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=folder, prefix=".values-", suffix=".tmp")
        with os.fdopen(fd, "wb") as handle:
            handle.write(body)
        os.replace(tmp, target)
    return name


class TileSupport(JSCSSMixin, MacroElement):
    """On a base map: loads protomaps-leaflet and our tile runtime (from `static/vendor`)."""

    _template = Template("")
    default_js = [
        ("protomaps_leaflet", f"{VENDOR_URL}/protomaps-leaflet/protomaps-leaflet.js"),
        ("atlas_tiles", f"{VENDOR_URL}/atlas-own/atlas-tiles.js"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self._name = "TileSupport"


class TiledLayers(MacroElement):
    """The map's tiled layers, bottom first; an empty list removes those drawn before."""

    _template = Template(
        """
        {% macro script(this, kwargs) %}
        if (window.__atlasTiles) {
            window.__atlasTiles.sync({{ this._parent.get_name() }}, {{ this.specs|tojson }});
        }
        {% endmacro %}
        """
    )

    def __init__(self, specs: Sequence[dict]) -> None:
        super().__init__()
        self._name = "TiledLayers"
        self.specs = list(specs)


def tiled_spec(layer_id: str, source: TiledSource, opacity: float) -> dict:
    """One entry of `TiledLayers`: what `atlas-tiles.js` draws for a layer."""
    return {
        "key": layer_id,
        "url": source.url,
        "max_zoom": source.max_zoom,
        "min_zoom": source.min_zoom,
        "dense": source.dense,
        "kind": source.kind,
        "values": source.values,
        "opacity": min(max(float(opacity), 0.0), 1.0),
    }


def tiled_group(specs: Sequence[dict]) -> folium.FeatureGroup:
    """A FeatureGroup holding only `TiledLayers`, for `st_folium(feature_group_to_add=…)`."""
    group = folium.FeatureGroup(name="tiled", control=False)
    group.add_child(TiledLayers(specs))
    return group
