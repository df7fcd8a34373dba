"""Join a choropleth layer to its attribute table, one year at a time.

A choropleth is a commune layer coloured by a table column. The join keeps every feature
(a commune with no row for the year is drawn as "no data", never silently dropped) and never
mutates the pack's frames, which are shared between layers and cached by the app.
"""

from __future__ import annotations

import geopandas as gpd
import pandas as pd

from atlas.spec import LayerSpec, Pack, TableSpec


def years(pack: Pack, table_id: str) -> list[int]:
    """The years a table has data for, ascending; empty when it has no year column."""
    table = _table_spec(pack, table_id)
    frame = pack.table_frames.get(table_id)
    if table is None or frame is None or not table.year_column:
        return []
    if table.year_column not in frame.columns:
        return []
    # Distinct values first: a nation's table has 50,000 rows and a handful of years.
    return sorted({int(y) for y in pd.unique(frame[table.year_column].dropna())})


def joins_table(layer: LayerSpec) -> bool:
    """Whether the layer is joined to a table (and so may change with the year)."""
    return layer.kind == "choropleth" and bool(layer.table)


def layer_years(pack: Pack, layer_id: str) -> list[int]:
    """The years a layer can be shown for: its table's years, or empty (not year-dependent)."""
    layer = pack.manifest.layer(layer_id)
    if not joins_table(layer):
        return []
    return years(pack, layer.table)


def resolve_year(pack: Pack, layer_id: str, year: int | None = None) -> int | None:
    """The year actually shown: the one asked for, else the latest; None if not by year."""
    available = layer_years(pack, layer_id)
    if not available:
        return None
    return int(year) if year is not None else available[-1]


def layer_frame(pack: Pack, layer_id: str, year: int | None = None) -> gpd.GeoDataFrame:
    """The layer's features, with its table joined for a choropleth.

    Non-choropleth layers: a copy of the frame. Choropleth: a left join of the table on
    `code_field` = table `key`, restricted to `year` (latest when None) if the table is by
    year. Every feature is kept, in the frame's order and with the frame's index; features
    with no row get NA. Where a table column has the same name as a layer column, the
    table's value wins (the choropleth is about the table).
    """
    layer = pack.manifest.layer(layer_id)
    frame: gpd.GeoDataFrame = pack.frames[layer_id]
    if layer.kind != "choropleth" or not layer.table or layer.table not in pack.table_frames:
        return frame.copy()
    table = pack.manifest.table(layer.table)
    return join_table(frame, layer, table, pack.table_frames[layer.table], year)


def join_table(
    frame: gpd.GeoDataFrame,
    layer: LayerSpec,
    table: TableSpec,
    rows: pd.DataFrame,
    year: int | None = None,
) -> gpd.GeoDataFrame:
    """Left-join `rows` (the table's frame) onto `frame`; pure, so it is testable by hand."""
    if not layer.code_field or layer.code_field not in frame.columns:
        return frame.copy()
    if table.year_column and table.year_column in rows.columns:
        if year is None:
            known = rows[table.year_column].dropna()
            year = int(known.max()) if len(known) else None
        if year is None:
            rows = rows.iloc[0:0]
        else:
            rows = rows[(rows[table.year_column] == year).fillna(False).astype(bool)]
    rows = rows.drop_duplicates(subset=[table.key], keep="first")
    # The join key and the geometry stay the layer's; any other shared name is the table's.
    keep_layer = {layer.code_field, frame.geometry.name}
    rows = rows.drop(columns=[c for c in rows.columns if c in keep_layer and c != table.key])
    rows = rows.rename(columns={table.key: "__atlas_key__"})
    clashing = [c for c in rows.columns if c in frame.columns and c not in keep_layer]
    left = frame.drop(columns=clashing)
    merged = left.merge(rows, how="left", left_on=layer.code_field, right_on="__atlas_key__")
    merged = merged.drop(columns="__atlas_key__")
    merged.index = frame.index
    out = gpd.GeoDataFrame(merged, geometry=frame.geometry.name, crs=frame.crs)
    return out[[c for c in out.columns if c != out.geometry.name] + [out.geometry.name]]


def _table_spec(pack: Pack, table_id: str) -> TableSpec | None:
    return next((t for t in pack.tables if t.id == table_id), None)
