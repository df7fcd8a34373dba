"""A pre-2025 pack seen through the 2025 reorganisation: new communes' geometry and figures.

Geometry: each new commune is the union of the pack's old commune polygons that went into it
whole; an old commune that was divided is split among its new communes by the Voronoi cells
of their reference points (the package's wardLat/wardLon), clipped to the old polygon. A point
outside the pack's area is first moved to the nearest point of the old polygon. The result
tiles the district exactly like the old communes do, and is always marked schematic.

Figures (`carry_over`): counts are apportioned by the crosswalk's `share` (integers kept whole
with largest remainders, so district totals are unchanged) and summed; percentages are
re-weighted by a weight column; booleans become the share (%) of the old communes where true,
flagged approximate; anything else cannot be carried over and is NA with a note.
"""

from __future__ import annotations

from collections.abc import Mapping

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
from shapely.ops import nearest_points

from atlas import crosswalk
from atlas.kpi import target_tables
from atlas.spec import LayerSpec, Pack, TableSpec

METRIC_CRS = "EPSG:32648"  # UTM 48N: the checks and the Voronoi split work in metres
SUM = "sum"


# --- geometry ---------------------------------------------------------------------------------


def commune_layer(pack: Pack) -> LayerSpec:
    """The layer holding the old communes: the target tables' join layer."""
    tables = target_tables(pack) or list(pack.tables)
    if tables:
        return pack.manifest.layer(tables[0].join_layer)
    return next(la for la in pack.layers if la.kind == "choropleth" or la.code_field)


def old_commune_geometry(pack: Pack) -> gpd.GeoDataFrame:
    """`code`, `name`, geometry of the old communes, one row per code, in EPSG:4326."""
    layer = commune_layer(pack)
    frame = pack.frames[layer.id]
    out = gpd.GeoDataFrame(
        {
            "code": frame[layer.code_field].astype(str),
            "name": frame[layer.name_field].astype(str)
            if layer.name_field in frame.columns
            else frame[layer.code_field].astype(str),
        },
        geometry=frame.geometry.values,
        crs=frame.crs,
    )
    return out.dissolve(by="code", as_index=False, aggfunc="first")[["code", "name", "geometry"]]


def _seeds(points: list[shapely.Point], polygon, area) -> list[shapely.Point]:
    """Voronoi seeds: a reference point outside the pack area moves onto the old polygon
    (slightly inside it); coincident seeds are pulled apart towards the polygon's inside."""
    inner = polygon.representative_point()
    out: list[shapely.Point] = []
    for point in points:
        if not area.covers(point):
            edge = nearest_points(polygon, point)[0]
            point = shapely.Point(
                edge.x + 0.01 * (inner.x - edge.x), edge.y + 0.01 * (inner.y - edge.y)
            )
        step = 0.05
        while any(point.distance(p) < 1.0 for p in out):  # metres
            point = shapely.Point(
                point.x + step * (inner.x - point.x), point.y + step * (inner.y - point.y)
            )
            step += 0.05
        out.append(point)
    return out


def split_polygon(polygon, points: list[shapely.Point], area=None) -> list:
    """`polygon` cut into one piece per point (Voronoi cells clipped to it); metric CRS."""
    if len(points) == 1:
        return [polygon]
    seeds = _seeds(points, polygon, area if area is not None else polygon)
    box = shapely.box(*polygon.buffer(1000).bounds)
    cells = shapely.voronoi_polygons(shapely.MultiPoint(seeds), extend_to=box, ordered=True)
    pieces = []
    for cell in shapely.get_parts(cells):
        pieces.append(shapely.make_valid(shapely.intersection(cell, polygon)))
    return pieces


def new_commune_geometry(pack: Pack, path=None) -> gpd.GeoDataFrame:
    """The new communes over the pack's area, in EPSG:4326.

    Columns: code, name, province, old_codes (comma-separated), divided (an old commune was
    split to make it), outside (old communes outside the pack also went into it: the geometry
    is only the pack's part), schematic (always True), geometry.
    """
    old = old_commune_geometry(pack).to_crs(METRIC_CRS)
    rows = crosswalk.for_pack(pack, path)
    info = crosswalk.new_communes(pack, path).set_index("code")
    refs = gpd.GeoSeries(
        gpd.points_from_xy(info["lon"], info["lat"]), index=info.index, crs="EPSG:4326"
    ).to_crs(METRIC_CRS)
    area = shapely.union_all(old.geometry.values)
    pieces: dict[str, list] = {code: [] for code in info.index}
    # New communes per old commune, in crosswalk order, looked up once (a scan per commune
    # cost a nation seconds).
    targets_of = rows.groupby("old_code", sort=False)["new_code"].agg(list).to_dict()
    for code, geom in zip(old["code"], old.geometry, strict=True):
        targets = targets_of.get(code, [])
        if not targets:
            continue
        for new_code, piece in zip(
            targets, split_polygon(geom, [refs[c] for c in targets], area), strict=True
        ):
            if not piece.is_empty:
                pieces[new_code].append(piece)
    out = gpd.GeoDataFrame(
        {
            "code": list(info.index),
            "name": list(info["name"]),
            "province": list(info["province"]),
            "old_codes": list(info["old_codes"]),
            "divided": list(info["divided"]),
            "outside": list(info["outside"]),
            "schematic": True,
        },
        geometry=[
            shapely.union_all(pieces[c]) if pieces[c] else shapely.Polygon() for c in info.index
        ],
        crs=METRIC_CRS,
    )
    return out.to_crs("EPSG:4326")


# --- figures ----------------------------------------------------------------------------------


def default_weights(pack: Pack, table: TableSpec) -> dict[str, str]:
    """How each column is carried over: the column's `carry` in the manifest when declared
    (`none` drops it), else guessed from the targets as follows.

    ratio targets: numerator and denominator are counts (`sum`); mean targets: the column is
    re-weighted by the target's `weight`; a `%` column named after a ratio target's numerator
    (`hamlets_internet_pct` for `hamlets_internet`) is re-weighted by its denominator; other
    int columns are counts. Bool columns are not listed: they are always share-true.
    """
    out: dict[str, str] = {}
    for col in table.columns:
        if col.type == "int":
            out[col.name] = SUM
    for t in pack.targets:
        if t.table != table.id:
            continue
        if t.aggregate == "ratio":
            out[t.column] = SUM
            if t.denominator:
                out[t.denominator] = SUM
        elif t.aggregate == "mean" and t.weight:
            out[t.column] = t.weight
        elif t.aggregate == "sum":
            out[t.column] = SUM
    for col in table.columns:
        if col.name in out or col.type != "float":
            continue
        for t in pack.targets:
            if (
                t.table == table.id
                and t.aggregate == "ratio"
                and t.denominator
                and col.name.startswith(t.column)
                and col.unit == "%"
            ):
                out[col.name] = t.denominator
                break
    for col in table.columns:
        if col.carry == "none":
            out.pop(col.name, None)
        elif col.carry:
            out[col.name] = col.carry
    return out


def _table_spec(pack: Pack, table_frame: pd.DataFrame, table_id: str | None) -> TableSpec:
    if table_id is not None:
        return pack.manifest.table(table_id)
    for table in pack.tables:
        if pack.table_frames.get(table.id) is table_frame:
            return table
    for table in pack.tables:
        if table.key in table_frame.columns and all(
            c.name in table_frame.columns for c in table.columns
        ):
            return table
    raise ValueError("cannot tell which table of the pack this frame is; pass table_id")


def _apportion(value: int, shares: np.ndarray) -> np.ndarray:
    """`value` split by `shares` into integers summing to `value` (largest remainders)."""
    raw = value * shares / shares.sum()
    base = np.floor(raw).astype(np.int64)
    rest = int(value - base.sum())
    if rest:
        order = np.argsort(-(raw - base), kind="stable")
        base[order[:rest]] += 1
    return base


def carry_over(
    pack: Pack,
    table_frame: pd.DataFrame | None = None,
    weights: Mapping[str, str] | None = None,
    *,
    table_id: str | None = None,
    path=None,
) -> pd.DataFrame:
    """The table's figures per new commune (per year when the table has years).

    `weights` maps a column to `"sum"` (a count) or to the weight column it is re-weighted by
    (looked up in the table, else in the commune layer, e.g. `area_km2`); it overrides
    `default_weights`. Result columns: `code`, `name`, [year], the table's columns. How each
    column was carried is in `result.attrs["methods"]` (`sum`, `weighted:<w>`,
    `share_true (approximate)`, `unavailable`) with notes in `result.attrs["notes"]`; old
    codes the crosswalk misses are in `result.attrs["unmapped"]`.
    """
    table = _table_spec(pack, table_frame if table_frame is not None else pd.DataFrame(), table_id)
    frame = pack.table_frames[table.id] if table_frame is None else table_frame
    plan = dict(default_weights(pack, table))
    plan.update(weights or {})
    rows = crosswalk.for_pack(pack, path)[["old_code", "new_code", "share"]]
    names = crosswalk.new_communes(pack, path).set_index("code")["name"]
    data = frame.copy()
    data["_old"] = data[table.key].astype(str)
    year = table.year_column if table.year_column in data.columns else None

    layer = commune_layer(pack)
    layer_frame = pd.DataFrame(pack.frames[layer.id].drop(columns="geometry"))
    layer_frame["_old"] = layer_frame[layer.code_field].astype(str)
    layer_frame = layer_frame.drop_duplicates("_old").set_index("_old")

    unmapped = sorted(set(data["_old"]) - set(rows["old_code"]))
    merged = data.merge(rows, left_on="_old", right_on="old_code", how="inner")
    keys = ["new_code", year] if year else ["new_code"]

    def weight_of(name: str) -> pd.Series | None:
        if name in merged.columns:
            return pd.to_numeric(merged[name], errors="coerce").astype(float)
        if name in layer_frame.columns:
            return pd.to_numeric(merged["_old"].map(layer_frame[name]), errors="coerce")
        return None

    methods: dict[str, str] = {}
    notes: dict[str, str] = {}
    out = merged[keys].drop_duplicates().sort_values(keys, kind="stable").reset_index(drop=True)
    for col in table.columns:
        name = col.name
        if name not in merged.columns:  # e.g. a scenario frame holds only the indicators
            continue
        how = plan.get(name)
        if col.carry == "none":
            out[name] = pd.Series(pd.NA, index=out.index, dtype="Float64")
            methods[name] = "unavailable"
            notes[name] = "the pack declares it cannot be carried over (carry = 'none')"
            continue
        if col.type == "bool":
            known = merged[name].astype("boolean")
            mask = known.notna().to_numpy(bool)
            part = merged.loc[mask, keys].copy()
            part["_w"] = merged.loc[mask, "share"].to_numpy(float)
            part["_t"] = part["_w"] * known[mask].astype(float).to_numpy()
            agg = part.groupby(keys, sort=False)[["_w", "_t"]].sum()
            value = (agg["_t"] / agg["_w"] * 100.0).rename(name)
            methods[name] = "share_true (approximate)"
            notes[name] = (
                "yes/no cannot be carried over exactly: % of the old communes (by share) where "
                "it was true"
            )
        elif how == SUM:
            value = _sum_counts(merged, keys, name, col.type == "int").rename(name)
            methods[name] = SUM
        elif how:
            w = weight_of(how)
            if w is None:
                out[name] = pd.Series(pd.NA, index=out.index, dtype="Float64")
                methods[name] = "unavailable"
                notes[name] = f"weight column {how!r} not found"
                continue
            v = pd.to_numeric(merged[name], errors="coerce").astype(float)
            ww = w.to_numpy(float) * merged["share"].to_numpy(float)
            ok = ~(np.isnan(v.to_numpy(float)) | np.isnan(ww))
            part = merged.loc[ok, keys].copy()
            part["_w"] = ww[ok]
            part["_vw"] = v.to_numpy(float)[ok] * ww[ok]
            agg = part.groupby(keys, sort=False)[["_w", "_vw"]].sum()
            value = (agg["_vw"] / agg["_w"].where(agg["_w"] != 0)).rename(name)
            methods[name] = f"weighted:{how}"
        else:
            out[name] = pd.Series(pd.NA, index=out.index, dtype="Float64")
            methods[name] = "unavailable"
            notes[name] = "no rule to carry this column over (declare a weight or 'sum')"
            continue
        out = out.merge(value.reset_index(), on=keys, how="left")
        if methods[name] == SUM and col.type == "int":
            out[name] = out[name].astype("Int64")
        else:
            out[name] = out[name].astype("Float64")
    out.insert(1, "name", out["new_code"].map(names))
    out = out.rename(columns={"new_code": "code"})
    if year:
        out[year] = out[year].astype("Int64")
    out.attrs["methods"] = methods
    out.attrs["notes"] = notes
    out.attrs["unmapped"] = unmapped
    return out


def _sum_counts(merged: pd.DataFrame, keys: list[str], name: str, integer: bool) -> pd.Series:
    """Σ share × count per new commune; integers are apportioned per old commune row so that
    every old commune's count is handed out whole. NA counts are skipped (no data, not 0)."""
    values = pd.to_numeric(merged[name], errors="coerce").astype(float).to_numpy(float)
    shares = merged["share"].to_numpy(float)
    part = np.where(np.isnan(values), np.nan, values * shares)
    if integer:
        year_key = [k for k in keys if k != "new_code"]
        groups = merged.groupby(["_old", *year_key], sort=False).indices
        for idx in groups.values():
            if len(idx) > 1 and not np.isnan(values[idx[0]]):
                part[idx] = _apportion(int(values[idx[0]]), shares[idx])
    frame = merged[keys].copy()
    frame["_v"] = part
    frame["_n"] = ~np.isnan(part)
    agg = frame.groupby(keys, sort=False).agg(v=("_v", "sum"), n=("_n", "sum"))
    return agg["v"].where(agg["n"] > 0)
