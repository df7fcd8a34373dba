"""CAD drawings (DXF, DGN v7) as map layers: one layer per (CAD layer, geometry type).

GDAL reads a whole drawing as one table of entities whose `Layer` (DXF) or `Level` (DGN)
column says where each entity was drawn, mixing lines, hatches and labels. A planning office
draws one thing per CAD layer ("DUONG" roads, "RANH_XA" boundaries, "TEN_XA" labels), so the
drawing is offered as layers named like "DUONG (line)", "RANH_XA (polygon)", "TEN_XA (text)".

Labels: text entities (TEXT/MTEXT in DXF, text elements in DGN) are points with a `Text`.
They name what they sit on, which is how a drawing says what a shape is: a polygon takes the
first text (in file order) inside it, a point the nearest text within 1/200 of the drawing's
width (the first in file order when several are as near). Lines are not named: a road's label
sits beside the road, not on it. The chosen layer's features get a `name` column; a text
layer's `name` is its text.
"""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

TEXT = "Text"
NAME = "name"
_FAMILIES = ("polygon", "line", "point", "text")
_POINT_TOLERANCE = 1 / 200  # of the drawing's width, for naming points by a nearby text


def _text(values: pd.Series) -> pd.Series:
    """A label's text on one line: MTEXT paragraphs (GDAL turns \\P into a line break) and
    runs of spaces become single spaces."""
    return values.fillna("").astype(str).str.split().str.join(" ")


def _families(frame: gpd.GeoDataFrame) -> pd.Series:
    """polygon / line / point / text per feature (a point with a non-empty Text is a text)."""
    dims = shapely.get_dimensions(frame.geometry.values)
    family = np.select([dims == 2, dims == 1], ["polygon", "line"], "point")
    if TEXT in frame.columns:
        text = _text(frame[TEXT])
        family = np.where((family == "point") & (text != ""), "text", family)
    return pd.Series(family, index=frame.index)


def drawable(frame: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """Entities with a geometry; collections (exploded blocks) split into their parts."""
    geoms = frame.geometry
    frame = frame[~(geoms.isna() | geoms.is_empty)]
    collections = frame.geom_type == "GeometryCollection"
    if collections.any():
        frame = pd.concat([frame[~collections], frame[collections].explode(index_parts=False)])
        frame = frame.sort_index(kind="stable")
    return frame.reset_index(drop=True)


def layer_names(frame: gpd.GeoDataFrame, key: str, prefix: str = "") -> pd.Series:
    """Per feature, the layer it is offered in: "<prefix><CAD layer> (<family>)"."""
    cad = frame[key].astype("string").fillna("0") if key in frame.columns else "0"
    return prefix + pd.Series(cad, index=frame.index).astype(str) + " (" + _families(frame) + ")"


def split(frame: gpd.GeoDataFrame, key: str, prefix: str = "") -> tuple[list[str], pd.Series]:
    """The drawing's layers (sorted: CAD layer, then polygon/line/point/text) and, per
    feature, which one it is in."""
    names = layer_names(frame, key, prefix)
    order = {f: i for i, f in enumerate(_FAMILIES)}

    def sort_key(name: str) -> tuple[str, int]:
        base, _, fam = name.rpartition(" (")
        return base, order.get(fam.rstrip(")"), 9)

    return sorted(set(names), key=sort_key), names


def cad_layer(frame: gpd.GeoDataFrame, key: str, chosen: str, names: pd.Series):
    """The chosen layer's features with `key` and `name` columns only (CAD bookkeeping such as
    entity handles, colours and line weights is dropped)."""
    families = _families(frame)
    picked = frame[names == chosen]
    texts = frame[families == "text"]
    family = chosen.rpartition(" (")[2].rstrip(")")
    out = gpd.GeoDataFrame(
        {key: picked[key].astype(str).to_numpy() if key in picked.columns else ["0"] * len(picked)},
        geometry=picked.geometry.values,
        crs=frame.crs,
    )
    if family == "text":
        out[NAME] = _text(picked[TEXT]).to_numpy()
    elif family in ("polygon", "point") and len(texts):
        out[NAME] = _names_from_texts(out, texts, family, frame)
    return out.reset_index(drop=True)


def _names_from_texts(
    features: gpd.GeoDataFrame, texts: gpd.GeoDataFrame, family: str, drawing: gpd.GeoDataFrame
) -> list[str | None]:
    labels = gpd.GeoDataFrame(
        {"label": _text(texts[TEXT]).to_numpy(), "order": range(len(texts))},
        geometry=texts.geometry.values,
        crs=features.crs,
    )
    target = features[[features.geometry.name]].reset_index(drop=True)
    if family == "polygon":
        target = target.set_geometry(shapely.make_valid(target.geometry.values))  # drawn by hand
        hits = gpd.sjoin(labels, target, predicate="within", how="inner")
        hits = hits.rename(columns={"index_right": "feature"})
    else:
        bounds = drawing.total_bounds
        reach = float(bounds[2] - bounds[0]) * _POINT_TOLERANCE
        hits = gpd.sjoin_nearest(target, labels, how="inner", max_distance=reach or None)
        hits = hits.rename_axis("feature").reset_index()
    first = hits.sort_values("order", kind="stable").drop_duplicates("feature")
    by_feature = dict(zip(first["feature"], first["label"], strict=True))
    return [by_feature.get(i) for i in range(len(target))]
