"""Load a data pack: manifest → validated specs → frames in EPSG:4326, clean and joinable.

Everything that can go wrong with real files is turned into a located Issue in the Report:
errors stop the load (the caller gets `pack=None`), warnings describe repairs already made.
Nothing here writes to disk.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import geopandas as gpd
import pandas as pd
import pyogrio
import shapely
from pyogrio.errors import DataSourceError

from atlas import crs as crs_mod
from atlas.manifest import read_manifest, validate_manifest
from atlas.report import Report
from atlas.spec import LayerSpec, Manifest, Pack, TableSpec
from atlas.text import is_nfc, nfc, normalise_code, parse_bool

_GEOM_TYPES = {
    "line": {"LineString", "MultiLineString"},
    "point": {"Point", "MultiPoint"},
    "polygon": {"Polygon", "MultiPolygon"},
    "boundary": {"Polygon", "MultiPolygon", "LineString", "MultiLineString"},
    "choropleth": {"Polygon", "MultiPolygon"},
}


@dataclass
class LoadResult:
    pack: Pack | None
    report: Report


def load_pack(path: Path | str) -> LoadResult:
    """Read and validate the pack in `path`; never raises for bad data."""
    pack_dir = Path(path)
    report = Report(pack=pack_dir.name)
    if not pack_dir.is_dir():
        report.error(f"pack folder not found: {pack_dir}")
        return LoadResult(None, report)
    raw = read_manifest(pack_dir, report)
    manifest = validate_manifest(raw, report) if raw is not None else None
    if manifest is None:
        return LoadResult(None, report)

    # Layers that share a file and its reading options share one prepared frame: a commune
    # file drawn as outline and as choropleth is read, reprojected and repaired once.
    prepared: dict[tuple, gpd.GeoDataFrame | None] = {}
    frames: dict[str, gpd.GeoDataFrame] = {}
    for layer in manifest.layers:
        key = (layer.file, layer.code_field, layer.code_width, layer.crs, layer.name_field)
        if key not in prepared:
            source = _read_vector(pack_dir, layer, report)
            prepared[key] = _prepare_layer(source, layer, report) if source is not None else None
        frame = prepared[key]
        if frame is not None and _check_kind(frame, layer, report):
            frames[layer.id] = frame

    tables: dict[str, pd.DataFrame] = {}
    for table in manifest.tables:
        frame = _read_table(pack_dir, table, report)
        if frame is not None:
            tables[table.id] = frame
    _check_layer_fields(manifest, frames, tables, report)
    _check_joins(manifest, frames, tables, report)

    if not report.ok:
        return LoadResult(None, report)
    pack = Pack(
        id=pack_dir.name, path=pack_dir, manifest=manifest, frames=frames, table_frames=tables
    )
    return LoadResult(pack, report)


# --- vector layers -------------------------------------------------------------------------


def _resolve_path(pack_dir: Path, rel: str, report: Report, what: str) -> Path | None:
    """The file inside the pack; refuses paths that climb out of the pack folder."""
    target = (pack_dir / rel).resolve()
    if not target.is_relative_to(pack_dir.resolve()):
        report.error(f"{what} path leaves the pack folder", file=rel)
        return None
    if not target.is_file():
        report.error(f"{what} file not found", file=rel)
        return None
    return target


def _read_vector(pack_dir: Path, layer: LayerSpec, report: Report) -> gpd.GeoDataFrame | None:
    path = _resolve_path(pack_dir, layer.file, report, "layer")
    if path is None:
        return None
    try:
        frame = pyogrio.read_dataframe(path)
    except (DataSourceError, OSError, ValueError, RuntimeError) as exc:
        report.error(f"cannot read the file: {exc}", file=layer.file)
        return None
    if not isinstance(frame, gpd.GeoDataFrame) or frame.geometry is None:
        report.error("the file has no geometry", file=layer.file)
        return None
    return frame


def _to_wgs84(frame: gpd.GeoDataFrame, layer: LayerSpec, report: Report) -> gpd.GeoDataFrame | None:
    """Honour the file's CRS; fall back to the manifest's `crs`; refuse to guess metres."""
    valid = frame[~frame.geometry.is_empty & frame.geometry.notna()]
    bounds = tuple(valid.total_bounds) if len(valid) else (0.0, 0.0, 0.0, 0.0)
    file_crs = frame.crs
    if file_crs is not None and file_crs.is_geographic and not crs_mod.looks_like_lonlat(bounds):
        # GDAL reads every GeoJSON as EPSG:4326 (RFC 7946); metres in it mean "no CRS given".
        file_crs = None
    if file_crs is None:
        if layer.crs:
            declared = crs_mod.parse_crs(layer.crs)
            if declared is None:
                report.error(
                    f"the manifest's crs {layer.crs!r} is not a CRS pyproj knows",
                    file=layer.file,
                    field="crs",
                )
                return None
            frame = frame.set_crs(declared, allow_override=True)
        elif crs_mod.looks_like_lonlat(bounds):
            frame = frame.set_crs(crs_mod.WGS84, allow_override=True)
            if not layer.file.lower().endswith((".geojson", ".json")):
                report.warning(
                    "the file declares no CRS; its coordinates look like "
                    "longitude/latitude, so EPSG:4326 is assumed",
                    file=layer.file,
                )
        else:
            hint = (
                " They look like a VN-2000 TM-3 zone (metres)."
                if crs_mod.looks_like_vn2000_tm3(bounds)
                else ""
            )
            report.error(
                "the file declares no CRS and its coordinates are not longitude/latitude "
                f"(x {bounds[0]:.0f}…{bounds[2]:.0f}, y {bounds[1]:.0f}…{bounds[3]:.0f})."
                f'{hint} Add a .prj / CRS to the file or set `crs` (e.g. "EPSG:9210") on the '
                "layer in pack.toml.",
                file=layer.file,
            )
            return None
    if frame.crs.to_epsg() != 4326:
        try:
            frame = frame.to_crs(crs_mod.WGS84)
        except Exception as exc:  # noqa: BLE001 - pyproj raises many types; all mean the same
            report.error(
                f"cannot reproject from {crs_mod.describe(frame.crs)}: {exc}", file=layer.file
            )
            return None
    return frame


def _feature_label(frame: gpd.GeoDataFrame, idx: int, layer: LayerSpec) -> str:
    name = frame[layer.name_field].iloc[idx] if layer.name_field in frame.columns else None
    return f"feature {idx + 1}" + (f" ({name})" if isinstance(name, str) and name else "")


def _prepare_layer(
    frame: gpd.GeoDataFrame, layer: LayerSpec, report: Report
) -> gpd.GeoDataFrame | None:
    frame = _normalise_text(frame, report, layer.file)
    frame = frame.reset_index(drop=True)
    empty = frame.geometry.isna() | frame.geometry.is_empty
    for idx in frame.index[empty]:
        report.warning(
            "empty geometry dropped", file=layer.file, where=_feature_label(frame, idx, layer)
        )
    frame = frame[~empty].reset_index(drop=True)
    if frame.empty:
        report.error("the layer has no features with geometry", file=layer.file)
        return None

    wgs = _to_wgs84(frame, layer, report)
    if wgs is None:
        return None
    frame = wgs

    invalid = ~frame.geometry.is_valid
    for idx in frame.index[invalid]:
        reason = shapely.is_valid_reason(frame.geometry.iloc[idx])
        report.warning(
            f"invalid geometry repaired with make_valid ({reason})",
            file=layer.file,
            where=_feature_label(frame, idx, layer),
        )
    if invalid.any():
        frame.loc[invalid, "geometry"] = shapely.make_valid(frame.geometry[invalid].values)
        frame = _keep_kind_parts(frame, layer)

    if layer.code_field:
        if layer.code_field not in frame.columns:
            report.error(
                "code field not found in the file", file=layer.file, field=layer.code_field
            )
            return None
        frame[layer.code_field] = _normalise_codes(
            frame[layer.code_field],
            layer.code_width,
            report,
            layer.file,
            lambda i: _feature_label(frame, i, layer),
            layer.code_field,
        )
        _report_duplicate_codes(
            frame[layer.code_field],
            report,
            layer.file,
            layer.code_field,
            lambda i: _feature_label(frame, i, layer),
        )
    return frame


def _check_kind(frame: gpd.GeoDataFrame, layer: LayerSpec, report: Report) -> bool:
    """Every geometry fits the layer's kind (no points in a line layer)."""
    allowed = _GEOM_TYPES[layer.kind]
    wrong = ~frame.geom_type.isin(allowed)
    for idx in frame.index[wrong]:
        report.error(
            f"{frame.geom_type.iloc[idx]} geometry in a {layer.kind} layer "
            f"(expected {', '.join(sorted(allowed))})",
            file=layer.file,
            where=f"layer {layer.id}, " + _feature_label(frame, idx, layer),
        )
    return not wrong.any()


def _keep_kind_parts(frame: gpd.GeoDataFrame, layer: LayerSpec) -> gpd.GeoDataFrame:
    """make_valid may return a GeometryCollection; keep the parts of the layer's kind."""
    wanted = {"line": 1, "point": 0}.get(layer.kind, 2)

    def pick(geom: shapely.Geometry) -> shapely.Geometry:
        if geom.geom_type != "GeometryCollection":
            return geom
        parts = [g for g in shapely.get_parts(geom) if shapely.get_dimensions(g) == wanted]
        return shapely.union_all(parts) if parts else geom

    frame["geometry"] = frame.geometry.apply(pick)
    return frame


def _normalise_text(frame: pd.DataFrame, report: Report, file: str) -> pd.DataFrame:
    """NFC every text cell; one warning per column saying how many were NFD."""
    for col in frame.columns:
        if col == "geometry" or not (
            pd.api.types.is_object_dtype(frame[col]) or pd.api.types.is_string_dtype(frame[col])
        ):
            continue
        values = frame[col]
        is_text = values.map(lambda v: isinstance(v, str))
        not_nfc = is_text & ~values.map(lambda v: is_nfc(v) if isinstance(v, str) else True)
        if not_nfc.any():
            first = int(not_nfc.to_numpy().nonzero()[0][0])
            report.warning(
                f"{int(not_nfc.sum())} value(s) not in Unicode NFC (e.g. decomposed "
                "diacritics) normalised to NFC",
                file=file,
                where=f"row/feature {first + 1}",
                field=str(col),
            )
            frame[col] = values.map(lambda v: nfc(v) if isinstance(v, str) else v)
    renamed = {c: nfc(c) for c in frame.columns if isinstance(c, str) and not is_nfc(c)}
    if renamed:
        frame = frame.rename(columns=renamed)
    return frame


def _normalise_codes(
    values: pd.Series, width: int | None, report: Report, file: str, label, field: str
) -> pd.Series:
    out: list[str | None] = []
    restored = 0
    for i, raw in enumerate(values):
        code = normalise_code(raw, width)
        if code is None:
            report.error("missing code", file=file, where=label(i), field=field)
        elif width and len(code) != width:
            report.error(
                f"code {code!r} does not have the declared width {width}",
                file=file,
                where=label(i),
                field=field,
            )
        if code is not None and str(raw).strip() != code:
            restored += 1
        out.append(code)
    if restored:
        report.warning(
            f"{restored} code(s) were not text of width {width} (e.g. a number that "
            "lost its leading zeros) and were restored",
            file=file,
            field=field,
        )
    return pd.Series(out, index=values.index, dtype="object")


def _report_duplicate_codes(codes: pd.Series, report: Report, file: str, field: str, label) -> None:
    dup = codes[codes.notna() & codes.duplicated(keep=False)]
    for code, idx in dup.groupby(dup).groups.items():
        where = ", ".join(label(int(i)) for i in idx)
        report.error(f"duplicate code {code!r}", file=file, where=where, field=field)


# --- tables --------------------------------------------------------------------------------


def _read_table(pack_dir: Path, table: TableSpec, report: Report) -> pd.DataFrame | None:
    path = _resolve_path(pack_dir, table.file, report, "table")
    if path is None:
        return None
    try:
        frame = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8-sig")
    except (UnicodeDecodeError, pd.errors.ParserError, pd.errors.EmptyDataError) as exc:
        report.error(f"cannot read the CSV: {exc}", file=table.file)
        return None
    frame.columns = [nfc(str(c)).strip() for c in frame.columns]
    frame = _normalise_text(frame, report, table.file)
    needed = [table.key] + ([table.year_column] if table.year_column else [])
    needed += [c.name for c in table.columns]
    missing = [c for c in needed if c not in frame.columns]
    for col in missing:
        report.error(
            "column declared in pack.toml is missing from the file", file=table.file, field=col
        )
    if missing:
        return None

    def row(i: int) -> str:
        return f"row {i + 2}"  # header is line 1

    ok = True
    frame[table.key] = _normalise_codes(
        frame[table.key], table.key_width, report, table.file, row, table.key
    )
    if table.year_column:
        years = pd.to_numeric(frame[table.year_column], errors="coerce")
        for i in frame.index[years.isna()]:
            report.error(
                f"year {frame[table.year_column][i]!r} is not a number",
                file=table.file,
                where=row(i),
                field=table.year_column,
            )
            ok = False
        frame[table.year_column] = years.astype("Int64")
    for col in table.columns:
        converted = _convert_column(frame[col.name], col.type)
        if converted is None:
            continue
        bad = converted.isna() & (frame[col.name].str.strip() != "")
        for i in frame.index[bad]:
            report.error(
                f"{frame[col.name][i]!r} is not a valid {col.type}",
                file=table.file,
                where=row(i),
                field=col.name,
            )
            ok = False
        frame[col.name] = converted
    keys = [table.key] + ([table.year_column] if table.year_column else [])
    dup = frame[frame.duplicated(subset=keys, keep=False)]
    for _, rows in dup.groupby(keys, dropna=False):
        what = " / ".join(str(rows[k].iloc[0]) for k in keys)
        report.error(
            f"duplicate row for {what}",
            file=table.file,
            where=", ".join(row(i) for i in rows.index),
            field=table.key,
        )
        ok = False
    return frame if ok else None


def _convert_column(values: pd.Series, kind: str) -> pd.Series | None:
    """Typed column, with NA where a value does not parse; None when no conversion applies."""
    stripped = values.str.strip().str.replace(",", ".", regex=False)
    if kind == "int":
        num = pd.to_numeric(stripped, errors="coerce")
        return num.where(num.isna() | (num % 1 == 0)).astype("Int64")
    if kind == "float":
        return pd.to_numeric(stripped, errors="coerce").astype("Float64")
    if kind == "bool":
        # object dtype first: pandas 3 refuses None in a column it has inferred as bool.
        parsed = values.map(parse_bool).astype(object)
        parsed[values.str.strip() == ""] = None
        return parsed.astype("boolean")
    return None


# --- cross-file checks ---------------------------------------------------------------------


def _check_layer_fields(
    manifest: Manifest,
    frames: dict[str, gpd.GeoDataFrame],
    tables: dict[str, pd.DataFrame],
    report: Report,
) -> None:
    """Every field the manifest names for a layer exists in its file (or its joined table)."""
    for layer in manifest.layers:
        frame = frames.get(layer.id)
        if frame is None or (layer.table and layer.table not in tables):
            continue  # already reported; checking its fields would only repeat the cause
        available = set(frame.columns)
        if layer.table and layer.table in tables:
            available |= set(tables[layer.table].columns)
        named = {("tooltip", f) for f in layer.tooltip} | {("popup", f) for f in layer.popup}
        if layer.style.field:
            named.add(("style.field", layer.style.field))
        if layer.name_field != "name" or "name" in frame.columns:
            named.add(("name_field", layer.name_field))
        for key, name in sorted(named):
            if name not in available:
                report.error(
                    f"{key} names {name!r}, which is not a field of the file",
                    file=layer.file,
                    where=f"layer {layer.id}",
                    field=name,
                )
        st = layer.style
        if st.type == "categorical" and st.field in frame.columns:
            known = {c.value for c in st.categories}
            seen = set(frame[st.field].dropna().astype(str))
            for value in sorted(seen - known):
                report.warning(
                    f"value {value!r} has no category in the style; it is drawn in "
                    "the default colour",
                    file=layer.file,
                    where=f"layer {layer.id}",
                    field=st.field,
                )


def _check_joins(
    manifest: Manifest,
    frames: dict[str, gpd.GeoDataFrame],
    tables: dict[str, pd.DataFrame],
    report: Report,
) -> None:
    """Table rows whose code matches no feature are reported; so are features with no row."""
    for table in manifest.tables:
        frame = tables.get(table.id)
        layer = manifest.layer(table.join_layer)
        target = frames.get(layer.id)
        if frame is None or target is None or layer.code_field is None:
            continue
        codes = set(target[layer.code_field].dropna())
        unknown = frame[~frame[table.key].isin(codes)]
        for i, code in unknown[table.key].items():
            report.warning(
                f"code {code!r} matches no feature of layer {layer.id!r}; the row is "
                "ignored on the map",
                file=table.file,
                where=f"row {i + 2}",
                field=table.key,
            )
        missing = sorted(codes - set(frame[table.key].dropna()))
        if missing:
            report.warning(
                f"{len(missing)} feature(s) of layer {layer.id!r} have no row: "
                f"{', '.join(missing[:10])}",
                file=table.file,
                field=table.key,
            )
