"""Geometry repair before preview: empties dropped, invalid repaired, duplicates flagged.

Each change is a warning in the report naming the feature, so a clerk can fix the source file;
duplicates are only flagged (two identical parcels may be a data error or two owners).

Repair is bounded by design: `atlas.ingest.budget` refuses, naming them, geometries too big
or too tangled for `make_valid`, before it runs, and repair stops after `MAX_REPAIR_SECONDS`.

A geometry GEOS cannot even build (an unclosed ring, a one-point line) is refused by
`read_features_one_by_one`, naming the features.
"""

from __future__ import annotations

import time
from pathlib import Path

import geopandas as gpd
import numpy as np
import pyogrio
import shapely
from shapely.errors import GEOSException

from atlas.ingest.budget import within_budget
from atlas.ingest.errors import IngestError
from atlas.ingest.model import RepairSummary
from atlas.loader import feature_label
from atlas.report import Report, first_few
from atlas.spec import Text

MAX_REPAIR_SECONDS = 30.0  # checked between geometries


def _label(frame: gpd.GeoDataFrame, idx: int, name_col: str | None = None) -> Text:
    name_col = name_col or _name_column(frame)
    name = frame[name_col].iloc[idx] if name_col and name_col in frame.columns else None
    return feature_label(idx, name)


def _name_column(frame: gpd.GeoDataFrame) -> str | None:
    for col in frame.columns:
        if str(col).lower() in ("name", "ten", "tên", "ten_xa", "tenxa"):
            return col
    return None


def _dominant_dimension(frame: gpd.GeoDataFrame) -> int:
    dims = shapely.get_dimensions(frame.geometry.values)
    valid = dims[dims >= 0]
    return int(max(set(valid.tolist()), key=valid.tolist().count)) if len(valid) else 2


def repair(
    frame: gpd.GeoDataFrame, report: Report, file: str
) -> tuple[gpd.GeoDataFrame, RepairSummary]:
    """The frame with empty geometries dropped and invalid ones made valid (same index order)."""
    summary = RepairSummary()
    name_col = _name_column(frame)
    frame = frame.reset_index(drop=True)
    empty = frame.geometry.isna() | frame.geometry.is_empty
    for idx in frame.index[empty]:
        where = _label(frame, int(idx), name_col)
        report.warning(
            "đã bỏ đối tượng không có hình học", "empty geometry dropped", file=file, where=where
        )
        summary.details.append(f"{where.en}: empty geometry dropped")
    summary.dropped_empty = int(empty.sum())
    frame = frame[~empty].reset_index(drop=True)
    if frame.empty:
        return frame, summary

    invalid = ~frame.geometry.is_valid
    if invalid.any():
        if not within_budget(frame, invalid, report, file, _label):
            return frame, summary
        if not _make_valid(frame, invalid, report, file, name_col, summary):
            return frame, summary

    keys = frame.geometry.normalize().to_wkb()
    dup = keys.duplicated(keep=False)
    if dup.any():
        for _, idx in keys[dup].groupby(keys[dup]).groups.items():
            labels = [_label(frame, int(i), name_col) for i in idx]
            where = Text(", ".join(x.vi for x in labels), ", ".join(x.en for x in labels))
            report.warning("hình học bị trùng lặp", "duplicate geometry", file=file, where=where)
            summary.details.append(f"{where.en}: duplicate geometry")
        summary.duplicates = int(dup.sum())
    return frame, summary


def _make_valid(
    frame: gpd.GeoDataFrame,
    invalid: object,
    report: Report,
    file: str,
    name_col: str | None,
    summary: RepairSummary,
) -> bool:
    """Repair the invalid geometries in place, one by one, within MAX_REPAIR_SECONDS."""
    wanted = _dominant_dimension(frame)
    start = time.monotonic()
    column = frame.geometry.name
    for idx in frame.index[invalid]:
        where = _label(frame, int(idx), name_col)
        if time.monotonic() - start > MAX_REPAIR_SECONDS:
            report.error(
                f"sửa hình học quá {MAX_REPAIR_SECONDS:g} giây nên đã dừng; hãy sửa các đối tượng "
                "không hợp lệ trong phần mềm GIS rồi nhập lại",
                f"geometry repair took over {MAX_REPAIR_SECONDS:g} s and was stopped; fix the "
                "invalid features in a GIS tool and import again",
                file=file,
                where=where,
            )
            return False
        geom = frame.geometry.iloc[idx]
        reason = shapely.is_valid_reason(geom)
        try:
            fixed = _keep(shapely.make_valid(geom), wanted)
        except GEOSException as exc:  # e.g. NaN or infinite coordinates
            report.error(
                f"hình học không hợp lệ ({reason}) và không sửa được ({exc}); hãy sửa trong "
                "tệp gốc",
                f"invalid geometry ({reason}) that cannot be repaired ({exc}); fix it in the "
                "source file",
                file=file,
                where=where,
            )
            return False
        report.warning(
            f"hình học không hợp lệ đã được sửa bằng make_valid ({reason})",
            f"invalid geometry repaired with make_valid ({reason})",
            file=file,
            where=where,
        )
        summary.details.append(f"{where.en}: repaired ({reason})")
        frame.at[idx, column] = fixed
        summary.repaired += 1
    return True


def read_features_one_by_one(path: Path, layer: str | None) -> gpd.GeoDataFrame:
    """Called when GEOS refused to build some geometry of the file: IngestError naming the
    features whose geometry cannot exist (an unclosed ring, a line of one point)."""
    frame = pyogrio.read_dataframe(path, layer=layer, on_invalid="ignore")
    raw = pyogrio.raw.read(path, layer=layer, columns=[])[2]
    present = np.array([w is not None for w in raw], dtype=bool)
    broken = np.flatnonzero(present & np.asarray(frame.geometry.isna()))
    if not len(broken):
        return frame
    name_col = _name_column(frame)
    where = first_few([_label(frame, int(i), name_col) for i in broken])
    raise IngestError(
        f"{len(broken)} đối tượng có hình học không thể tồn tại (vòng không khép kín, hoặc "
        f"đường chỉ có một điểm): {where.vi}; hãy sửa trong tệp gốc.",
        f"{len(broken)} feature(s) have a geometry that cannot exist (a ring that is not "
        f"closed, or a line with one point): {where.en}; fix them in the source file.",
    )


def _keep(geom: shapely.Geometry, dimension: int) -> shapely.Geometry:
    """make_valid may return a GeometryCollection; keep the parts of the layer's dimension."""
    if geom is None or geom.geom_type != "GeometryCollection":
        return geom
    parts = [g for g in shapely.get_parts(geom) if shapely.get_dimensions(g) == dimension]
    return shapely.union_all(parts) if parts else geom
