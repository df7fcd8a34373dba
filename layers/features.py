"""A layer's features as a styled GeoJSON FeatureCollection, ready for Leaflet.

Everything that costs something (joins, classification, per-feature styles, escaped tooltip
and popup HTML) is computed here once per (pack, layer, year, scheme, lang) and baked into
the features' properties, so the result is a plain JSON-serialisable dict the page can cache
and the renderer only has to wrap. Each feature carries:

* `_id` stable id (`<layer id>:<row index>`), also the GeoJSON `id`;
* `_name` the feature's name (plain text), `_code` its code when the layer has one;
* `_style` the Leaflet path options (color, weight, opacity, fillColor, fillOpacity,
  dashArray, radius, fill);
* `_tooltip`, `_popup` HTML in which every label and value has been `html.escape`d, because
  folium inserts them with innerHTML.
"""

from __future__ import annotations

import html
import json
from dataclasses import dataclass
from typing import Any

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from atlas import joins
from atlas.spec import YEAR_LABEL, FieldSpec, LayerSpec, Pack, TableSpec, field_spec
from atlas.tiles import simplify_coverage
from layers.classify import Classes, classify, format_number, to_float
from layers.legend import LegendEntry, legend_entries

COORD_DECIMALS = 6  # ~0.1 m: more is noise, and it halves the size of the embedded data


@dataclass(frozen=True)
class TiledSource:
    """Where the browser finds a tiled layer (`layers.vector_tiles`): its archive's URL and
    deepest zoom, how to draw it ("polygon" or "line") and its value table's URL."""

    url: str
    max_zoom: int
    kind: str
    values: str
    min_zoom: int = 0
    dense: bool = False  # so many features that their lines are thinned when seen whole


@dataclass(frozen=True)
class PreparedLayer:
    """What the page needs to draw one layer; picklable, so `st.cache_data` can keep it.

    A large layer is `tiled` instead: its `fc` then holds no features, the browser reads the
    geometry from the tile archive and styles it from the value table.
    """

    layer_id: str
    fc: dict
    legend: tuple[LegendEntry, ...]
    classes: Classes | None
    year: int | None
    bounds: list[list[float]] | None
    tiled: TiledSource | None = None


def prepare_layer(
    pack: Pack,
    layer_id: str,
    lang: str = "vi",
    year: int | None = None,
    scheme: str | None = None,
    k: int | None = None,
    simplify: float | None = None,
) -> PreparedLayer:
    """Join, classify and build the FeatureCollection and legend of one layer.

    Graduated classes of a choropleth are computed over *all* years of its table, so a colour
    means the same value whichever year the slider shows. `simplify` (degrees) simplifies the
    geometry first, shared borders kept (`atlas.tiles.simplify_coverage`): a large layer in
    a standalone HTML file.
    """
    joined = join_layer(pack, layer_id, lang, year, scheme, k)
    frame = joined.frame
    if simplify:
        frame = frame.set_geometry(simplify_coverage(frame.geometry.values, simplify))
    fc = feature_collection(
        frame, joined.layer, lang, joined.classes, table=joined.table, year=joined.year
    )
    return PreparedLayer(
        layer_id, fc, joined.legend, joined.classes, joined.year, bounds(joined.frame)
    )


@dataclass(frozen=True)
class JoinedLayer:
    """A layer's frame for the year shown, with its table spec, classes and legend: what an
    inline and a tiled layer are both made from (`prepare_layer`, `prepare_tiled_layer`)."""

    layer: LayerSpec
    table: TableSpec | None
    year: int | None
    frame: gpd.GeoDataFrame
    classes: Classes | None
    legend: tuple[LegendEntry, ...]


def join_layer(
    pack: Pack,
    layer_id: str,
    lang: str = "vi",
    year: int | None = None,
    scheme: str | None = None,
    k: int | None = None,
    classes: Classes | None = None,
) -> JoinedLayer:
    """Join the layer's table for `year` (its latest when None), classify (unless `classes`
    are given), and write the legend in `lang`."""
    layer = pack.manifest.layer(layer_id)
    table = pack.manifest.table(layer.table) if layer.table else None
    shown_year = joins.resolve_year(pack, layer_id, year)
    frame = joins.layer_frame(pack, layer_id, shown_year)
    if classes is None:
        classes = layer_classes(pack, layer_id, scheme=scheme, k=k)
    unit = field_spec(layer, layer.style.field, table).unit if layer.style.field else ""
    entries = tuple(legend_entries(layer, lang, classes, unit=unit))
    return JoinedLayer(layer, table, shown_year, frame, classes, entries)


def layer_inputs(
    layer: LayerSpec, year: int | None, scheme: str | None, k: int | None
) -> tuple[int | None, str | None, int | None]:
    """The (year, scheme, k) that `prepare_layer` reads for `layer`; None where it reads none.

    A cache keyed on these keeps one entry for a layer that depends on neither (roads, points,
    boundaries) instead of one per year and scheme, and a year or scheme change prepares again
    only the layers that change: the year only matters to a layer joined to a table, the
    scheme and the number of classes only to a graduated style.
    """
    graduated = layer.style.type == "graduated" and bool(layer.style.field)
    return (
        year if joins.joins_table(layer) else None,
        scheme if graduated else None,
        k if graduated else None,
    )


def layer_classes(
    pack: Pack, layer_id: str, scheme: str | None = None, k: int | None = None
) -> Classes | None:
    """Classes of a graduated layer (over every year of a choropleth's table); else None."""
    layer = pack.manifest.layer(layer_id)
    field = layer.style.field
    if layer.style.type != "graduated" or not field:
        return None
    if layer.kind == "choropleth" and layer.table in pack.table_frames:
        source = pack.table_frames[layer.table]
    else:
        source = pack.frames[layer_id]
    values = source[field] if field in source.columns else pd.Series([], dtype="Float64")
    return classify(list(values), layer.style, scheme=scheme, k=k)


def feature_collection(
    frame: gpd.GeoDataFrame,
    layer: LayerSpec,
    lang: str,
    classes: Classes | None = None,
    *,
    table: TableSpec | None = None,
    year: int | None = None,
) -> dict:
    """GeoJSON FeatureCollection of `frame` with styles and escaped HTML in the properties.

    `table` lends labels and units to joined columns the layer does not declare; `year` is
    shown in a choropleth's popup. A graduated layer without `classes` is classified here.
    """
    if layer.style.type == "graduated" and classes is None and layer.style.field in frame:
        classes = classify(list(frame[layer.style.field]), layer.style)
    geoms = _rounded_geometries(frame)
    shown_in_popup = popup_fields(layer, table, year)
    features = []
    for pos, (idx, row) in enumerate(frame.iterrows()):
        geom = geoms[pos]
        if geom is None:
            continue
        fid = f"{layer.id}:{idx}"
        name = _text(row.get(layer.name_field))
        props: dict[str, Any] = {
            "_id": fid,
            "_name": name,
            "_style": feature_style(row, layer, classes),
            "_tooltip": _tooltip_html(row, layer, lang, table, name),
            "_popup": _popup_html(row, layer, lang, table, name, shown_in_popup, year),
        }
        if layer.code_field:
            props["_code"] = _text(row.get(layer.code_field))
        features.append({"type": "Feature", "id": fid, "properties": props, "geometry": geom})
    return {"type": "FeatureCollection", "features": features}


def feature_style(row: pd.Series, layer: LayerSpec, classes: Classes | None = None) -> dict:
    """Leaflet path options of one feature from the layer's fixed/categorical/graduated style."""
    st = layer.style
    stroke, fill, dash = st.color, st.fill_color or st.color, st.dash
    if st.type == "categorical":
        value = _text(row.get(st.field)) if st.field else ""
        cat = next((c for c in st.categories if c.value == value), None)
        colour = cat.color if cat else st.default_color
        stroke = fill = colour
        dash = cat.dash if cat and cat.dash else st.dash
    elif st.type == "graduated":
        value = row.get(st.field) if st.field else None
        colour = classes.color_for(value) if classes else st.default_color
        fill = colour
        if layer.kind in ("line", "point"):
            stroke = colour
    return {
        "color": stroke,
        "weight": float(st.weight),
        "opacity": float(st.opacity),
        "fill": layer.kind != "line",
        "fillColor": fill,
        "fillOpacity": float(st.fill_opacity),
        "dashArray": dash,
        "radius": float(st.radius),
    }


def bounds(frame: gpd.GeoDataFrame) -> list[list[float]] | None:
    """[[south, west], [north, east]] for `Map.fit_bounds`; None when there is nothing."""
    geo = frame.geometry
    geo = geo[geo.notna() & ~geo.is_empty]
    if geo.empty:
        return None
    west, south, east, north = (round(float(v), COORD_DECIMALS) for v in geo.total_bounds)
    return [[south, west], [north, east]]


def display(spec: FieldSpec, value: object, lang: str) -> str:
    """A cell as the user reads it (plain text): numbers in the language's notation.

    `FieldSpec.display_value` translates coded values and appends the unit; numbers are
    formatted first so Vietnamese gets `91,7 %`, not `91.7 %`.
    """
    value = plain(value)
    if value is None:
        return spec.display_value(None, lang)
    is_number = isinstance(value, (int, float)) and not isinstance(value, bool)
    if is_number and spec.is_year and float(value).is_integer():
        return spec.display_value(str(int(value)), lang)
    if is_number and str(value) not in spec.values and spec.type not in ("str", "code"):
        number = to_float(value)
        if number is not None:
            return spec.display_value(format_number(number, lang), lang)
    return spec.display_value(value, lang)


def plain(value: object) -> object:
    """A cell as a plain Python value: NA → None, numpy scalars → int/float/bool."""
    if value is None:
        return None
    if isinstance(value, np.generic):
        value = value.item()
    try:
        if pd.isna(value):  # type: ignore[arg-type]
            return None
    except (TypeError, ValueError):
        pass  # list-like cell: keep as is
    return value


# --- internals -----------------------------------------------------------------------------


def _text(value: object) -> str:
    value = plain(value)
    return "" if value is None else str(value)


def _rounded_geometries(frame: gpd.GeoDataFrame) -> list[dict | None]:
    """GeoJSON geometry dicts with coordinates rounded to COORD_DECIMALS."""
    arr = np.asarray(frame.geometry.values, dtype=object)
    out: list[dict | None] = []
    rounded = shapely.transform(arr, lambda c: np.round(c, COORD_DECIMALS))
    for geom in rounded:
        if geom is None or shapely.is_empty(geom):
            out.append(None)
        else:
            out.append(json.loads(shapely.to_geojson(geom)))
    return out


def field_label(layer: LayerSpec, name: str, lang: str, table: TableSpec | None) -> str:
    """A field's label as the user reads it (plain text)."""
    return field_spec(layer, name, table).label.get(lang) or name


def popup_fields(layer: LayerSpec, table: TableSpec | None, year: int | None) -> list[str]:
    """The fields a popup lists under the name: the declared ones (a choropleth shows at least
    its value), without the name itself and, when the year is shown apart, the year column."""
    fields = list(layer.popup)
    if not fields and layer.kind == "choropleth" and layer.style.field:
        fields = [layer.style.field]
    skip = {layer.name_field}
    if shows_year(layer, year) and table is not None:
        skip.add(table.year_column)
    return [f for f in fields if f not in skip]


def shows_year(layer: LayerSpec, year: int | None) -> bool:
    """A choropleth's popup says which year its figures are."""
    return layer.kind == "choropleth" and year is not None


def _cells(
    row: pd.Series, fields: list[str], layer: LayerSpec, lang: str, table: TableSpec | None
) -> list[str]:
    cells = []
    for name in fields:
        spec = field_spec(layer, name, table)
        label = html.escape(spec.label.get(lang) or name)
        value = html.escape(display(spec, row.get(name), lang))
        cells.append(f"<tr><th>{label}</th><td>{value}</td></tr>")
    return cells


def _table(cells: list[str]) -> str:
    return f'<table class="atlas-fields">{"".join(cells)}</table>' if cells else ""


def _tooltip_html(
    row: pd.Series, layer: LayerSpec, lang: str, table: TableSpec | None, name: str
) -> str:
    """Declared tooltip fields; with none declared, just the name (so hovering says what)."""
    if layer.tooltip:
        return _table(_cells(row, list(layer.tooltip), layer, lang, table))
    return f"<b>{html.escape(name)}</b>" if name else ""


def _popup_html(
    row: pd.Series,
    layer: LayerSpec,
    lang: str,
    table: TableSpec | None,
    name: str,
    fields: list[str],
    year: int | None,
) -> str:
    """Name as title, then the popup fields (the name not repeated), then a choropleth's year."""
    parts = [f'<div class="atlas-popup-title"><b>{html.escape(name)}</b></div>'] if name else []
    cells = _cells(row, fields, layer, lang, table)
    if shows_year(layer, year):
        cells.append(f"<tr><th>{html.escape(YEAR_LABEL.get(lang))}</th><td>{int(year)}</td></tr>")
    if cells:
        parts.append(_table(cells))
    return f'<div class="atlas-popup">{"".join(parts)}</div>' if parts else ""
