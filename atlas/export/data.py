"""The data of a view's layers as files: GeoJSON, GeoPackage, CSV and XLSX.

Each layer is exported as the app draws it: choropleths joined to their table for the view's
year (`atlas.joins.layer_frame`), coordinates in EPSG:4326, attribute columns as declared.

A view with a scenario also exports its target layer (`target_<target id>`, in the map's
drawing order): the communes with `target_value` (the commune's value on the target's scale),
`target_met` (yes / no), `target` (the target id) and `scenario` (its title).

Every file says where its data comes from and how far to trust it (`info_lines`: title, plan and
data sources, the pack's honesty note, each layer's own note), where its format has room:

* GeoJSON: one FeatureCollection; each feature's `layer` property names its layer; the
  collection's `description` member holds the info lines.
* GeoPackage: one table per layer, named by the layer id; each table's description
  (gpkg_contents, shown by QGIS) holds the info lines.
* CSV (UTF-8 with BOM, so Excel reads the diacritics; geometry dropped, point layers keep
  `lon`/`lat` columns): exactly the file asked for. A single layer gives its table; several
  layers give one table with a first column `layer` (each layer's own columns, empty where a
  layer has no such column). Asking for a `.zip` gives a ZIP holding one `<layer id>.csv`
  per layer and `nguon.txt` with the info lines instead; a single CSV has no room for them.
* XLSX: one sheet per layer (named by the layer id), and a last sheet `nguon` with the
  info lines.
"""

from __future__ import annotations

import io
import json
import zipfile
from pathlib import Path

import geopandas as gpd
import pandas as pd

from atlas import joins
from atlas import overlay as ov
from atlas.export import ExportError, ExportView, Progress, Steps
from atlas.spec import Pack

DATA_FORMATS: tuple[str, ...] = ("geojson", "gpkg", "csv", "xlsx")
INFO_SHEET = "nguon"
LAYER_COLUMN = "layer"
TARGET_COLUMNS = {ov.VALUE: "target_value", ov.MET: "target_met"}


def overlay_frame(pack: Pack, overlay: ov.TargetOverlay, lang: str) -> gpd.GeoDataFrame:
    """The overlay's communes with plain column names (see the module docstring)."""
    frame = ov.target_frame(pack, overlay.target_id, overlay.values)
    frame = frame.rename(columns=TARGET_COLUMNS)
    frame["target"] = overlay.target_id
    frame["scenario"] = overlay.scenario_title.get(lang)
    return frame


def layer_frames(
    pack: Pack, view: ExportView, steps: Steps | None = None
) -> dict[str, gpd.GeoDataFrame]:
    """Layer id -> the layer's frame as drawn for the view (EPSG:4326), in drawing order,
    the scenario overlay included."""
    view.checked(pack)
    frames = {}
    for lid in ov.drawing_order(pack, view.layers, view.overlay):
        if lid == ov.OVERLAY:
            assert view.overlay is not None
            if steps:
                steps.step("export.step.read", name=view.overlay.title.get(view.lang))
            frames[view.overlay.layer_id] = overlay_frame(pack, view.overlay, view.lang)
            continue
        if steps:
            steps.step("export.step.read", name=pack.manifest.layer(lid).title.get(view.lang))
        frame = joins.layer_frame(pack, lid, joins.resolve_year(pack, lid, view.year))
        frames[lid] = frame.reset_index(drop=True)
    return frames


def info_lines(pack: Pack, view: ExportView) -> list[str]:
    """Title, sources, the honesty note and each drawn layer's own note, in the view's language:
    a schematic map's data must not pass for survey data once it leaves the app."""
    return [view.heading(pack), *view.source_lines(pack), *view.layer_notes(pack)]


def n_layers(pack: Pack, view: ExportView) -> int:
    """Layers the view exports, its overlay included (and the layers it replaces left out)."""
    return len(ov.drawing_order(pack, view.layers, view.overlay))


def attribute_table(frame: gpd.GeoDataFrame) -> pd.DataFrame:
    """Attributes without geometry; points keep their lon/lat."""
    table = pd.DataFrame(frame.drop(columns=frame.geometry.name))
    geom = frame.geometry
    if len(geom) and bool((geom.geom_type == "Point").all()):
        table["lon"] = geom.x.round(6)
        table["lat"] = geom.y.round(6)
    return table


def write_geojson(
    pack: Pack, view: ExportView, out: Path | str, steps: Steps | None = None
) -> Path:
    out = Path(out)
    features = []
    frames = layer_frames(pack, view, steps)
    if steps:
        steps.step("export.step.write", fmt="GeoJSON")
    for lid, frame in frames.items():
        fc = json.loads(frame.to_json(na="null", drop_id=True))
        for feature in fc["features"]:
            feature["properties"] = {"layer": lid, **feature["properties"]}
            features.append(feature)
    data = {
        "type": "FeatureCollection",
        "name": pack.id,
        "description": "\n".join(info_lines(pack, view)),
        "features": features,
    }
    out.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    return out


def write_gpkg(pack: Pack, view: ExportView, out: Path | str, steps: Steps | None = None) -> Path:
    import pyogrio

    out = Path(out)
    frames = layer_frames(pack, view, steps)
    if steps:
        steps.step("export.step.write", fmt="GeoPackage")
    out.unlink(missing_ok=True)
    about = {"DESCRIPTION": "\n".join(info_lines(pack, view))}  # GDAL: gpkg_contents.description
    for lid, frame in frames.items():
        pyogrio.write_dataframe(frame, out, layer=lid, driver="GPKG", layer_metadata=about)
    return out


def write_csv(pack: Pack, view: ExportView, out: Path | str, steps: Steps | None = None) -> Path:
    """Exactly `out`: one CSV (several layers: a `layer` column first), or a ZIP of one CSV
    per layer when `out` ends in `.zip`."""
    out = Path(out)
    frames = layer_frames(pack, view, steps)
    if steps:
        steps.step("export.step.write", fmt="CSV")
    if out.suffix.lower() == ".zip":
        with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as archive:
            for lid, frame in frames.items():
                buffer = io.StringIO()
                attribute_table(frame).to_csv(buffer, index=False)
                archive.writestr(f"{lid}.csv", buffer.getvalue().encode("utf-8-sig"))
            archive.writestr(f"{INFO_SHEET}.txt", "\n".join(info_lines(pack, view)) + "\n")
        return out
    if len(frames) == 1:
        (table,) = (attribute_table(frame) for frame in frames.values())
    else:
        table = pd.concat(
            [attribute_table(frame).assign(**{LAYER_COLUMN: lid}) for lid, frame in frames.items()],
            ignore_index=True,
        )
        table = table[[LAYER_COLUMN, *(c for c in table.columns if c != LAYER_COLUMN)]]
    table.to_csv(out, index=False, encoding="utf-8-sig")
    return out


def write_xlsx(pack: Pack, view: ExportView, out: Path | str, steps: Steps | None = None) -> Path:
    out = Path(out)
    frames = layer_frames(pack, view, steps)
    if steps:
        steps.step("export.step.write", fmt="Excel")
    with pd.ExcelWriter(out, engine="openpyxl") as writer:
        for lid, frame in frames.items():
            attribute_table(frame).to_excel(writer, sheet_name=lid[:31], index=False)
        info = info_lines(pack, view)
        pd.DataFrame({"thong_tin": info}).to_excel(writer, sheet_name=INFO_SHEET, index=False)
    return out


WRITERS = {"geojson": write_geojson, "gpkg": write_gpkg, "csv": write_csv, "xlsx": write_xlsx}


def write_data(
    pack: Pack, view: ExportView, fmt: str, out: Path | str, progress: Progress | None = None
) -> Path:
    """Write the view's layers in `fmt` (one of DATA_FORMATS); returns the path written.

    `progress` hears one step per layer read and one for writing the file, then 1.0."""
    if fmt not in WRITERS:
        raise ExportError(f"Unknown data format {fmt!r}; use one of {', '.join(DATA_FORMATS)}")
    steps = Steps(progress, n_layers(pack, view) + 1, view.lang)
    written = WRITERS[fmt](pack, view, out, steps)
    steps.done()
    return written
