"""The data of a view's layers as files: GeoJSON, GeoPackage, CSV and XLSX.

Each layer is exported as the app draws it: choropleths joined to their table for the view's
year (`atlas.joins.layer_frame`), coordinates in EPSG:4326, attribute columns as declared.

* GeoJSON: one FeatureCollection; each feature's `layer` property names its layer.
* GeoPackage: one table per layer, named by the layer id.
* CSV (UTF-8 with BOM, so Excel reads the diacritics): a single layer gives one CSV file;
  several layers give a ZIP holding one `<layer id>.csv` per layer (the written path then
  ends in `.zip`). Geometry is dropped; point layers keep `lon`/`lat` columns.
* XLSX: one sheet per layer (named by the layer id), and a last sheet `nguon` with the
  source and the honesty note.
"""

from __future__ import annotations

import io
import json
import zipfile
from pathlib import Path

import geopandas as gpd
import pandas as pd

from atlas import joins
from atlas.export import ExportError, ExportView
from atlas.spec import Pack

DATA_FORMATS: tuple[str, ...] = ("geojson", "gpkg", "csv", "xlsx")
INFO_SHEET = "nguon"


def layer_frames(pack: Pack, view: ExportView) -> dict[str, gpd.GeoDataFrame]:
    """Layer id -> the layer's frame as drawn for the view (EPSG:4326), in drawing order."""
    view.checked(pack)
    frames = {}
    for lid in view.layers:
        frame = joins.layer_frame(pack, lid, joins.resolve_year(pack, lid, view.year))
        frames[lid] = frame.reset_index(drop=True)
    return frames


def attribute_table(frame: gpd.GeoDataFrame) -> pd.DataFrame:
    """Attributes without geometry; points keep their lon/lat."""
    table = pd.DataFrame(frame.drop(columns=frame.geometry.name))
    geom = frame.geometry
    if len(geom) and bool((geom.geom_type == "Point").all()):
        table["lon"] = geom.x.round(6)
        table["lat"] = geom.y.round(6)
    return table


def write_geojson(pack: Pack, view: ExportView, out: Path | str) -> Path:
    out = Path(out)
    features = []
    for lid, frame in layer_frames(pack, view).items():
        fc = json.loads(frame.to_json(na="null", drop_id=True))
        for feature in fc["features"]:
            feature["properties"] = {"layer": lid, **feature["properties"]}
            features.append(feature)
    data = {"type": "FeatureCollection", "name": pack.id, "features": features}
    out.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    return out


def write_gpkg(pack: Pack, view: ExportView, out: Path | str) -> Path:
    import pyogrio

    out = Path(out)
    out.unlink(missing_ok=True)
    for lid, frame in layer_frames(pack, view).items():
        pyogrio.write_dataframe(frame, out, layer=lid, driver="GPKG")
    return out


def write_csv(pack: Pack, view: ExportView, out: Path | str) -> Path:
    """One CSV for one layer; a ZIP of one CSV per layer for several (suffix made .zip)."""
    out = Path(out)
    frames = layer_frames(pack, view)
    if len(frames) == 1:
        (frame,) = frames.values()
        attribute_table(frame).to_csv(out, index=False, encoding="utf-8-sig")
        return out
    if out.suffix.lower() != ".zip":
        out = out.with_suffix(".zip")
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for lid, frame in frames.items():
            buffer = io.StringIO()
            attribute_table(frame).to_csv(buffer, index=False)
            archive.writestr(f"{lid}.csv", buffer.getvalue().encode("utf-8-sig"))
    return out


def write_xlsx(pack: Pack, view: ExportView, out: Path | str) -> Path:
    out = Path(out)
    frames = layer_frames(pack, view)
    with pd.ExcelWriter(out, engine="openpyxl") as writer:
        for lid, frame in frames.items():
            attribute_table(frame).to_excel(writer, sheet_name=lid[:31], index=False)
        info = [view.heading(pack), *view.source_lines(pack)]
        pd.DataFrame({"thong_tin": info}).to_excel(writer, sheet_name=INFO_SHEET, index=False)
    return out


WRITERS = {"geojson": write_geojson, "gpkg": write_gpkg, "csv": write_csv, "xlsx": write_xlsx}


def write_data(pack: Pack, view: ExportView, fmt: str, out: Path | str) -> Path:
    """Write the view's layers in `fmt` (one of DATA_FORMATS); returns the path written."""
    if fmt not in WRITERS:
        raise ExportError(f"Unknown data format {fmt!r}; use one of {', '.join(DATA_FORMATS)}")
    return WRITERS[fmt](pack, view, out)
