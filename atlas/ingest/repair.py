"""Geometry repair before preview: empties dropped, invalid repaired, duplicates flagged.

Each change is a warning in the report naming the feature, so a clerk can fix the source file;
duplicates are only flagged (two identical parcels may be a data error or two owners).
"""

from __future__ import annotations

import geopandas as gpd
import shapely

from atlas.ingest.model import RepairSummary
from atlas.loader import feature_label
from atlas.report import Report
from atlas.spec import Text


def _label(frame: gpd.GeoDataFrame, idx: int, name_col: str | None) -> Text:
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
        wanted = _dominant_dimension(frame)
        for idx in frame.index[invalid]:
            where = _label(frame, int(idx), name_col)
            reason = shapely.is_valid_reason(frame.geometry.iloc[idx])
            report.warning(
                f"hình học không hợp lệ đã được sửa bằng make_valid ({reason})",
                f"invalid geometry repaired with make_valid ({reason})",
                file=file,
                where=where,
            )
            summary.details.append(f"{where.en}: repaired ({reason})")
        fixed = shapely.make_valid(frame.geometry[invalid].values)
        frame.loc[invalid, frame.geometry.name] = [_keep(g, wanted) for g in fixed]
        summary.repaired = int(invalid.sum())

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


def _keep(geom: shapely.Geometry, dimension: int) -> shapely.Geometry:
    """make_valid may return a GeometryCollection; keep the parts of the layer's dimension."""
    if geom is None or geom.geom_type != "GeometryCollection":
        return geom
    parts = [g for g in shapely.get_parts(geom) if shapely.get_dimensions(g) == dimension]
    return shapely.union_all(parts) if parts else geom
