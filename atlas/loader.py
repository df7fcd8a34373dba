"""Load a data pack: manifest → validated specs → frames in EPSG:4326, clean and joinable.

Everything that can go wrong with real files is turned into a located Issue in the Report:
errors stop the load (the caller gets `pack=None`), warnings describe repairs already made.
Nothing here writes to disk.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import geopandas as gpd
import pandas as pd
import pyogrio
import shapely
from pyogrio.errors import DataSourceError

from atlas import crs as crs_mod
from atlas.manifest import read_manifest, validate_manifest
from atlas.report import Report, first_few
from atlas.spec import LayerSpec, Manifest, Pack, TableSpec, Text
from atlas.text import is_nfc, nfc, normalise_code, parse_bool
from atlas.views_file import check_views_file

# Names a row or feature by its 0-based position in the frame, for a message.
Labeller = Callable[[int], Text]

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
        report.error(
            f"không tìm thấy thư mục gói: {pack_dir}", f"pack folder not found: {pack_dir}"
        )
        return LoadResult(None, report)
    raw = read_manifest(pack_dir, report)
    manifest = validate_manifest(raw, report) if raw is not None else None
    if manifest is None:
        if raw is not None:  # said with the manifest's errors: the files it names are missing
            _check_named_files(pack_dir, raw, report)
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
    check_views_file(pack_dir, manifest, tables, report)

    if not report.ok:
        return LoadResult(None, report)
    pack = Pack(
        id=pack_dir.name, path=pack_dir, manifest=manifest, frames=frames, table_frames=tables
    )
    return LoadResult(pack, report)


def _check_named_files(pack_dir: Path, raw: dict, report: Report) -> None:
    """With a manifest that does not validate, the data cannot be read against it; the files
    it names are still looked for, so one run lists the missing ones with the manifest's
    errors rather than after they are fixed."""
    seen: set[str] = set()
    for what, key in (("layer", "layers"), ("table", "tables")):
        entries = raw.get(key)
        for entry in entries if isinstance(entries, list) else ():
            rel = entry.get("file") if isinstance(entry, dict) else None
            if isinstance(rel, str) and rel and rel not in seen:
                seen.add(rel)
                _resolve_path(pack_dir, rel, report, what)


# --- vector layers -------------------------------------------------------------------------


_WHAT = {"layer": Text("lớp", "layer"), "table": Text("bảng", "table")}


def _resolve_path(pack_dir: Path, rel: str, report: Report, what: str) -> Path | None:
    """The file inside the pack; refuses paths that climb out of the pack folder."""
    name = _WHAT[what]
    target = (pack_dir / rel).resolve()
    if not target.is_relative_to(pack_dir.resolve()):
        report.error(
            f"đường dẫn tệp {name.vi} đi ra ngoài thư mục gói",
            f"{name.en} path leaves the pack folder",
            file=rel,
        )
        return None
    if not target.is_file():
        report.error(f"không tìm thấy tệp {name.vi}", f"{name.en} file not found", file=rel)
        return None
    return target


def _read_vector(pack_dir: Path, layer: LayerSpec, report: Report) -> gpd.GeoDataFrame | None:
    path = _resolve_path(pack_dir, layer.file, report, "layer")
    if path is None:
        return None
    try:
        frame = pyogrio.read_dataframe(path)
    except (DataSourceError, OSError, ValueError, RuntimeError) as exc:
        report.error(f"không đọc được tệp: {exc}", f"cannot read the file: {exc}", file=layer.file)
        return None
    if not isinstance(frame, gpd.GeoDataFrame) or frame.geometry is None:
        report.error(
            "tệp không có hình học (geometry)", "the file has no geometry", file=layer.file
        )
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
                    f"hệ toạ độ {layer.crs!r} khai báo trong pack.toml không phải là hệ toạ độ "
                    'mà pyproj nhận ra (ví dụ hợp lệ: "EPSG:9210")',
                    f"the manifest's crs {layer.crs!r} is not a CRS pyproj knows "
                    '(e.g. "EPSG:9210")',
                    file=layer.file,
                    field="crs",
                )
                return None
            frame = frame.set_crs(declared, allow_override=True)
        elif crs_mod.looks_like_lonlat(bounds):
            frame = frame.set_crs(crs_mod.WGS84, allow_override=True)
            if not layer.file.lower().endswith((".geojson", ".json")):
                report.warning(
                    "tệp không khai báo hệ toạ độ; toạ độ trông như kinh độ/vĩ độ nên được "
                    "coi là EPSG:4326 (WGS 84)",
                    "the file declares no CRS; its coordinates look like "
                    "longitude/latitude, so EPSG:4326 is assumed",
                    file=layer.file,
                )
        else:
            vn2000 = crs_mod.looks_like_vn2000_tm3(bounds)
            span = f"x {bounds[0]:.0f}…{bounds[2]:.0f}, y {bounds[1]:.0f}…{bounds[3]:.0f}"
            report.error(
                "tệp không khai báo hệ toạ độ và toạ độ không phải kinh độ/vĩ độ "
                f"({span})."
                + (" Toạ độ giống hệ VN-2000 múi 3° (mét)." if vn2000 else "")
                + " Hãy thêm tệp .prj / hệ toạ độ cho tệp, hoặc khai báo `crs` (ví dụ "
                '"EPSG:9210") cho lớp trong pack.toml.',
                "the file declares no CRS and its coordinates are not longitude/latitude "
                f"({span})."
                + (" They look like a VN-2000 TM-3 zone (metres)." if vn2000 else "")
                + ' Add a .prj / CRS to the file or set `crs` (e.g. "EPSG:9210") on the '
                "layer in pack.toml.",
                file=layer.file,
            )
            return None
    if frame.crs.to_epsg() != 4326:
        try:
            frame = frame.to_crs(crs_mod.WGS84)
        except Exception as exc:  # noqa: BLE001 - pyproj raises many types; all mean the same
            source = crs_mod.describe(frame.crs)
            report.error(
                f"không chuyển được từ hệ toạ độ {source} sang EPSG:4326: {exc}",
                f"cannot reproject from {source}: {exc}",
                file=layer.file,
            )
            return None
    return frame


def feature_label(idx: int, name: object = None) -> Text:
    """`đối tượng 3 (Xã Tân An)`: features count from 1 in file order, named when they can be."""
    suffix = f" ({name})" if isinstance(name, str) and name else ""
    return Text(f"đối tượng {idx + 1}{suffix}", f"feature {idx + 1}{suffix}")


def row_label(idx: int) -> Text:
    """`dòng 5`: the line of a CSV row as a spreadsheet or text editor numbers it."""
    return Text(f"dòng {idx + 2}", f"row {idx + 2}")  # the header is line 1


def _feature_label(frame: gpd.GeoDataFrame, idx: int, layer: LayerSpec) -> Text:
    name = frame[layer.name_field].iloc[idx] if layer.name_field in frame.columns else None
    return feature_label(idx, name)


def _prepare_layer(
    frame: gpd.GeoDataFrame, layer: LayerSpec, report: Report
) -> gpd.GeoDataFrame | None:
    frame = frame.reset_index(drop=True)
    frame = _normalise_text(frame, report, layer.file, lambda i: _feature_label(frame, i, layer))
    empty = frame.geometry.isna() | frame.geometry.is_empty
    for idx in frame.index[empty]:
        report.warning(
            "đã bỏ đối tượng không có hình học",
            "empty geometry dropped",
            file=layer.file,
            where=_feature_label(frame, idx, layer),
        )
    frame = frame[~empty].reset_index(drop=True)
    if frame.empty:
        report.error(
            "lớp không có đối tượng nào có hình học",
            "the layer has no features with geometry",
            file=layer.file,
        )
        return None

    wgs = _to_wgs84(frame, layer, report)
    if wgs is None:
        return None
    frame = wgs

    invalid = ~frame.geometry.is_valid
    for idx in frame.index[invalid]:
        reason = shapely.is_valid_reason(frame.geometry.iloc[idx])
        report.warning(
            f"hình học không hợp lệ đã được sửa bằng make_valid ({reason})",
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
                "không có trường mã (code_field) này trong tệp",
                "code field not found in the file",
                file=layer.file,
                field=layer.code_field,
            )
            return None
        frame[layer.code_field] = _normalise_codes(
            frame[layer.code_field],
            layer.code_width,
            report,
            layer.file,
            lambda i: _feature_label(frame, i, layer),
            layer.code_field,
            width_key="code_width",
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
    expected = ", ".join(sorted(allowed))
    for idx in frame.index[wrong]:
        label = _feature_label(frame, idx, layer)
        geom = frame.geom_type.iloc[idx]
        report.error(
            f"hình học {geom} trong lớp kiểu {layer.kind} (cần: {expected})",
            f"{geom} geometry in a {layer.kind} layer (expected {expected})",
            file=layer.file,
            where=Text(f"lớp {layer.id}, {label.vi}", f"layer {layer.id}, {label.en}"),
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


def _numbered(i: int) -> Text:
    return Text(f"dòng/đối tượng thứ {i + 1}", f"row/feature no. {i + 1}")


def _normalise_text(
    frame: pd.DataFrame, report: Report, file: str, label: Labeller = _numbered
) -> pd.DataFrame:
    """NFC every text cell; one warning per column naming the first values that were NFD."""
    for col in frame.columns:
        if col == "geometry" or not (
            pd.api.types.is_object_dtype(frame[col]) or pd.api.types.is_string_dtype(frame[col])
        ):
            continue
        values = frame[col]
        # Booleans, also for a header-only table (an empty map() result keeps the str dtype).
        is_text = values.map(lambda v: isinstance(v, str)).astype(bool)
        in_nfc = values.map(lambda v: is_nfc(v) if isinstance(v, str) else True).astype(bool)
        not_nfc = is_text & ~in_nfc
        if not_nfc.any():
            positions = not_nfc.to_numpy().nonzero()[0]
            where = first_few([label(int(i)) for i in positions])
            report.warning(
                f"{len(positions)} giá trị không ở dạng Unicode NFC (dấu tiếng Việt tách rời) "
                "đã được chuẩn hoá sang NFC",
                f"{len(positions)} value(s) not in Unicode NFC (decomposed diacritics) "
                "normalised to NFC",
                file=file,
                where=where,
                field=str(col),
            )
            frame[col] = values.map(lambda v: nfc(v) if isinstance(v, str) else v)
    renamed = {c: nfc(c) for c in frame.columns if isinstance(c, str) and not is_nfc(c)}
    if renamed:
        names = ", ".join(map(repr, renamed.values()))
        report.warning(
            f"tên cột không ở dạng Unicode NFC đã được chuẩn hoá: {names}",
            f"column names not in Unicode NFC were normalised: {names}",
            file=file,
        )
        frame = frame.rename(columns=renamed)
    return frame


def _normalise_codes(
    values: pd.Series,
    width: int | None,
    report: Report,
    file: str,
    label: Labeller,
    field: str,
    width_key: str = "code_width",
) -> pd.Series:
    """Codes as text, zero-padded to `width` when the manifest declares one.

    Without a declared width nothing can be restored, but two signs that zeros were lost are
    reported (naming the first rows or features): a column stored as numbers in the file, and
    integer-like codes of different lengths (06463 next to 6466).
    """
    out: list[str | None] = []
    restored: list[int] = []
    for i, raw in enumerate(values):
        code = normalise_code(raw, width)
        if code is None:
            report.error("thiếu mã", "missing code", file=file, where=label(i), field=field)
        elif width and len(code) != width:
            report.error(
                f"mã {code!r} không có độ dài {width} ký tự như đã khai báo ({width_key})",
                f"code {code!r} does not have the declared width {width} ({width_key})",
                file=file,
                where=label(i),
                field=field,
            )
        if width and code is not None and normalise_code(raw) != code:
            restored.append(i)
        out.append(code)
    if restored:
        where = first_few([label(i) for i in restored])
        report.warning(
            f"{len(restored)} mã không phải chuỗi {width} ký tự (ví dụ số đã mất số 0 ở đầu) "
            "và đã được khôi phục",
            f"{len(restored)} code(s) were not text of width {width} (e.g. a number that "
            "lost its leading zeros) and were restored",
            file=file,
            where=where,
            field=field,
        )
    if width is None:
        _warn_undeclared_width(values, out, report, file, label, field, width_key)
    return pd.Series(out, index=values.index, dtype="object")


def _warn_undeclared_width(
    values: pd.Series,
    codes: list[str | None],
    report: Report,
    file: str,
    label: Labeller,
    field: str,
    width_key: str,
) -> None:
    """No width declared: say when the codes look like numbers that may have lost zeros."""
    digits = [(i, c) for i, c in enumerate(codes) if c is not None and c.isdigit()]
    if not digits:
        return
    longest = max(len(c) for _, c in digits)
    if pd.api.types.is_numeric_dtype(values):
        where = first_few([label(i) for i, _ in digits])
        report.warning(
            "cột mã được lưu dạng số trong tệp nên mã có số 0 ở đầu (như 06463) sẽ bị mất; "
            f"hãy lưu mã dạng chuỗi hoặc khai báo {width_key} (số chữ số của một mã đầy đủ, "
            "ví dụ 5 với mã xã GSO) trong pack.toml",
            "the code column is stored as numbers in the file, so codes with leading zeros "
            f"(like 06463) lose them; store the codes as text or declare {width_key} (the "
            "digits of a full code, e.g. 5 for GSO commune codes) in pack.toml",
            file=file,
            where=where,
            field=field,
        )
        return
    lengths = sorted({len(c) for _, c in digits})
    if len(lengths) > 1:
        short = [i for i, c in digits if len(c) < longest]
        where = first_few([label(i) for i in short])
        sizes = Text(" và ".join(map(str, lengths)), " and ".join(map(str, lengths)))
        report.warning(
            f"các mã dạng số có độ dài khác nhau ({sizes.vi} chữ số): mã ngắn có thể đã mất số 0 ở "
            f"đầu; nếu mã có độ dài cố định, hãy khai báo {width_key} = {longest} trong pack.toml",
            f"integer-like codes have different lengths ({sizes.en} digits): the shorter ones may "
            f"have lost their leading zeros; if the codes have a fixed width, declare "
            f"{width_key} = {longest} in pack.toml",
            file=file,
            where=where,
            field=field,
        )


def _report_duplicate_codes(
    codes: pd.Series, report: Report, file: str, field: str, label: Labeller
) -> None:
    dup = codes[codes.notna() & codes.duplicated(keep=False)]
    for code, idx in dup.groupby(dup).groups.items():
        labels = [label(int(i)) for i in idx]
        where = Text(", ".join(x.vi for x in labels), ", ".join(x.en for x in labels))
        report.error(
            f"mã {code!r} bị trùng", f"duplicate code {code!r}", file=file, where=where, field=field
        )


# --- tables --------------------------------------------------------------------------------


def _read_table(pack_dir: Path, table: TableSpec, report: Report) -> pd.DataFrame | None:
    path = _resolve_path(pack_dir, table.file, report, "table")
    if path is None:
        return None
    try:
        frame = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8-sig")
    except (UnicodeDecodeError, pd.errors.ParserError, pd.errors.EmptyDataError) as exc:
        report.error(
            f"không đọc được tệp CSV: {exc}", f"cannot read the CSV: {exc}", file=table.file
        )
        return None
    frame.columns = [str(c).strip() for c in frame.columns]
    frame = _normalise_text(frame, report, table.file, row_label)
    needed = [table.key] + ([table.year_column] if table.year_column else [])
    needed += [c.name for c in table.columns]
    missing = [c for c in needed if c not in frame.columns]
    for col in missing:
        report.error(
            "cột đã khai báo trong pack.toml không có trong tệp",
            "column declared in pack.toml is missing from the file",
            file=table.file,
            field=col,
        )
    if missing:
        return None

    row = row_label
    ok = True
    frame[table.key] = _normalise_codes(
        frame[table.key], table.key_width, report, table.file, row, table.key, "key_width"
    )
    if table.year_column:
        years = pd.to_numeric(frame[table.year_column], errors="coerce")
        for i in frame.index[years.isna()]:
            report.error(
                f"năm {frame[table.year_column][i]!r} không phải là số",
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
            kind = _TYPE_WORDS.get(col.type, Text(col.type, col.type))
            report.error(
                f"{frame[col.name][i]!r} không phải là {kind.vi} hợp lệ",
                f"{frame[col.name][i]!r} is not a valid {kind.en}",
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
        labels = [row(i) for i in rows.index]
        report.error(
            f"dòng trùng lặp cho {what}",
            f"duplicate row for {what}",
            file=table.file,
            where=Text(", ".join(x.vi for x in labels), ", ".join(x.en for x in labels)),
            field=table.key,
        )
        ok = False
    return frame if ok else None


_TYPE_WORDS = {
    "int": Text("số nguyên", "whole number (int)"),
    "float": Text("số thực", "number (float)"),
    "bool": Text("giá trị có/không", "yes/no value (bool)"),
}


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
                    f"{key} nêu trường {name!r}, nhưng tệp không có trường này",
                    f"{key} names {name!r}, which is not a field of the file",
                    file=layer.file,
                    where=Text(f"lớp {layer.id}", f"layer {layer.id}"),
                    field=name,
                )
        st = layer.style
        if st.type == "categorical" and st.field in frame.columns:
            known = {c.value for c in st.categories}
            seen = set(frame[st.field].dropna().astype(str))
            for value in sorted(seen - known):
                report.warning(
                    f"giá trị {value!r} không có trong các hạng mục của kiểu hiển thị; "
                    "được vẽ bằng màu mặc định",
                    f"value {value!r} has no category in the style; it is drawn in "
                    "the default colour",
                    file=layer.file,
                    where=Text(f"lớp {layer.id}", f"layer {layer.id}"),
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
                f"mã {code!r} không khớp đối tượng nào của lớp {layer.id!r}; dòng này "
                "không được dùng trên bản đồ",
                f"code {code!r} matches no feature of layer {layer.id!r}; the row is "
                "ignored on the map",
                file=table.file,
                where=row_label(i),
                field=table.key,
            )
        missing = sorted(codes - set(frame[table.key].dropna()))
        if missing:
            listed = ", ".join(missing[:10]) + (" …" if len(missing) > 10 else "")
            report.warning(
                f"{len(missing)} đối tượng của lớp {layer.id!r} không có dòng số liệu: {listed}",
                f"{len(missing)} feature(s) of layer {layer.id!r} have no row: {listed}",
                file=table.file,
                field=table.key,
            )
