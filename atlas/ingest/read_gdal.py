"""Readers for the formats planning offices exchange, all through GDAL (pyogrio): MapInfo
TAB and MIF/MID, AutoCAD DXF, MicroStation DGN v7, ArcGIS File Geodatabase, FlatGeobuf.

Like every reader, each works in a private temp dir under generated names ("upload.dxf",
"layer.tab", "upload.gdb/a00000009.gdbtable" …): an upload's own names never become paths.
Zips are read only after `safety.check_zip` accepted them, and only whitelisted members are
written. A CAD drawing is split into layers by `atlas.ingest.cad`.
"""

from __future__ import annotations

import re
import tempfile
import warnings
import zipfile
import zlib
from pathlib import Path, PurePosixPath

import geopandas as gpd
import pyogrio
from shapely.errors import ShapelyError

from atlas.ingest import cad
from atlas.ingest.errors import IngestError
from atlas.ingest.read import _OGR_ERRORS, Raw, _fail, _open_zip, _pick
from atlas.ingest.safety import check_zip, read_member

_MAPINFO = ("Tệp MapInfo", "MapInfo file")
_TAB_PARTS = (".tab", ".dat", ".map", ".id", ".ind", ".cpg")
_MIF_PARTS = (".mif", ".mid", ".cpg")
_MAPINFO_PARTS = (*_TAB_PARTS, ".mif", ".mid")
_TAB_NEEDS = (".dat", ".map")
_MIF_NEEDS = (".mid",)
# A File Geodatabase folder holds only these names (GDAL's OpenFileGDB reads them by name).
_GDB_MEMBER = re.compile(r"^(a[0-9a-f]{8}\.[a-z]{2,12}|gdb|timestamps)$", re.IGNORECASE)
_ZIP_ERRORS = (zipfile.BadZipFile, zlib.error, OSError, EOFError, ValueError, RuntimeError)
_DXF_OPTIONS = {"CLOSED_LINE_AS_POLYGON": "YES"}  # a closed polyline is an area (parcel, zone)


def _gdal_frame(path: Path, layer: str | None, what: tuple[str, str], **options: str):
    """The layer as a GeoDataFrame; any GDAL failure becomes IngestError `what` can't be read."""
    frame, _ = _gdal_frame_decoded(path, layer, what, **options)
    return frame


def _gdal_frame_decoded(path: Path, layer: str | None, what: tuple[str, str], **options: str):
    """(frame, True when its text was not UTF-8 and was read as Windows-1258).

    MapInfo tables from Vietnamese offices hold Windows-1258 text, declared "WindowsVietnamese"
    or not declared at all ("Neutral"), and GDAL hands the bytes on undecoded: when they are
    not UTF-8 they are read again as Windows-1258 (the names are put in NFC later)."""
    try:
        return _read_frame(path, layer, what, options), False
    except UnicodeDecodeError:
        return _read_frame(path, layer, what, {**options, "encoding": "cp1258"}), True


def _read_frame(path: Path, layer: str | None, what: tuple[str, str], options: dict):
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            frame = pyogrio.read_dataframe(path, layer=layer, **options)
    except UnicodeDecodeError:
        if "encoding" not in options:
            raise
        raise _fail(f"{what[0]} không đọc được.", f"Cannot read the {what[1]}.") from None
    except (*_OGR_ERRORS, ShapelyError) as exc:  # shapely: a damaged geometry GDAL passed on
        raise _fail(f"{what[0]} không đọc được.", f"Cannot read the {what[1]}.", exc) from None
    if not isinstance(frame, gpd.GeoDataFrame) or frame.geometry is None:
        raise _fail("Tệp không có hình học.", "The file has no geometry.")
    return frame


_CP1258_NOTE = (
    "chữ trong tệp không phải UTF-8; đã đọc theo Windows-1258",
    "the file's text is not UTF-8; read as Windows-1258",
)


def _with_claim(raw: Raw) -> Raw:
    """`declares_crs` only for a real Earth CRS: MapInfo "NonEarth" and CAD units are not one,
    so they go through the CRS step (VN-2000 zones proposed) instead of being trusted."""
    crs = raw.frame.crs if raw.frame is not None else None
    if crs is not None and not (crs.is_geographic or crs.is_projected):
        raw.frame = raw.frame.set_crs(None, allow_override=True)
        crs = None
    raw.declares_crs = crs is not None
    return raw


def _layers(path: Path, what: tuple[str, str]) -> list[str]:
    try:
        return [str(n) for n, geom in pyogrio.list_layers(path) if geom is not None]
    except _OGR_ERRORS as exc:
        raise _fail(f"{what[0]} không đọc được.", f"Cannot read the {what[1]}.", exc) from None


def _extract(archive: zipfile.ZipFile, members: dict[str, zipfile.ZipInfo], folder: Path) -> None:
    """Write each member under its generated name (the dict key) into `folder`."""
    folder.mkdir(parents=True, exist_ok=True)
    for target, info in members.items():
        try:
            (folder / target).write_bytes(read_member(archive, info))
        except _ZIP_ERRORS as exc:
            raise _fail("Tệp nén hỏng.", "Broken zip.", exc) from None


def _members(archive: zipfile.ZipFile) -> list[tuple[PurePosixPath, zipfile.ZipInfo]]:
    """The archive's files as paths, without macOS resource forks and hidden files."""
    out = []
    for info in check_zip(archive):
        p = PurePosixPath(info.filename.replace("\\", "/"))
        if not p.name.startswith(".") and "__MACOSX" not in p.parts:
            out.append((p, info))
    return out


def read_flatgeobuf(data: bytes) -> Raw:
    what = ("FlatGeobuf", "FlatGeobuf file")
    with tempfile.TemporaryDirectory(prefix="atlas-read-") as tmp:
        path = Path(tmp) / "upload.fgb"
        path.write_bytes(data)
        frame = _gdal_frame(path, None, what)
    return _with_claim(Raw(frame=frame))


def _read_cad(data: bytes, layer: str | None, spec: tuple[str, str, str, str, str]) -> Raw:
    """DXF or DGN: one GDAL table of entities, offered as (CAD layer, geometry type) layers."""
    suffix, key, prefix, vi, en = spec
    options = _DXF_OPTIONS if suffix == ".dxf" else {}
    with tempfile.TemporaryDirectory(prefix="atlas-read-") as tmp:
        path = Path(tmp) / f"upload{suffix}"
        path.write_bytes(data)
        drawing = cad.drawable(_gdal_frame(path, None, (vi, en), **options))
    layers, names = cad.split(drawing, key, prefix)
    chosen = _pick(layers, layer, ("lớp bản vẽ", "drawing layer"))
    frame = cad.cad_layer(drawing, key, chosen, names)
    # A drawing's units are whatever the draughtsman used: never a declared CRS.
    return Raw(layers=layers, layer=chosen, frame=frame.set_crs(None, allow_override=True))


def read_dxf(data: bytes, layer: str | None) -> Raw:
    return _read_cad(data, layer, (".dxf", "Layer", "", "Bản vẽ DXF", "DXF drawing"))


def read_dgn(data: bytes, layer: str | None) -> Raw:
    return _read_cad(data, layer, (".dgn", "Level", "level ", "Bản vẽ DGN", "DGN drawing"))


def read_mapinfo(data: bytes, layer: str | None) -> Raw:
    """A zipped TAB (.tab/.dat/.map/.id) or MIF/MID, several tables offered as layers by base
    name; or a MIF alone (its attributes are then missing: they live in the .mid)."""
    if data.startswith(b"PK"):
        return _with_claim(_read_mapinfo_zip(data, layer))
    with tempfile.TemporaryDirectory(prefix="atlas-read-") as tmp:
        path = Path(tmp) / "layer.mif"
        path.write_bytes(data)
        frame, legacy = _gdal_frame_decoded(path, None, _MAPINFO)
    raw = Raw(frame=frame, notes=[_CP1258_NOTE] if legacy else [])
    raw.notes.append(
        (
            "tệp MIF không kèm .mid: các đối tượng không có thuộc tính",
            "a MIF without its .mid: the features have no attributes",
        )
    )
    return _with_claim(raw)


def _mapinfo_tables(archive: zipfile.ZipFile) -> dict[str, dict[str, zipfile.ZipInfo]]:
    """Base name -> its MapInfo parts by extension, for every .tab or .mif in the zip."""
    groups: dict[str, dict[str, zipfile.ZipInfo]] = {}
    for p, info in _members(archive):
        if p.suffix.lower() in _MAPINFO_PARTS:
            groups.setdefault(str(p.with_suffix("")), {})[p.suffix.lower()] = info
    return {stem: parts for stem, parts in groups.items() if {".tab", ".mif"} & set(parts)}


def _read_mapinfo_zip(data: bytes, layer: str | None) -> Raw:
    with _open_zip(data) as archive:
        tables = _mapinfo_tables(archive)
        layers = sorted(tables)
        chosen = _pick(layers, layer, ("bảng MapInfo", "MapInfo table"))
        parts = tables[chosen]
        main = ".tab" if ".tab" in parts else ".mif"
        wanted, needed = (_TAB_PARTS, _TAB_NEEDS) if main == ".tab" else (_MIF_PARTS, _MIF_NEEDS)
        keep = {f"layer{e}": i for e, i in parts.items() if e in wanted}
        with tempfile.TemporaryDirectory(prefix="atlas-read-") as tmp:
            _extract(archive, keep, Path(tmp))
            frame, legacy = _gdal_frame_decoded(Path(tmp) / f"layer{main}", None, _MAPINFO)
    raw = Raw(layers=layers, layer=chosen, frame=frame, notes=[_CP1258_NOTE] if legacy else [])
    for part in needed:
        if part not in parts:
            raw.notes.append(
                (
                    f"thiếu tệp {part} của bảng MapInfo {chosen!r}",
                    f"the MapInfo table {chosen!r} has no {part} file",
                )
            )
    return raw


def _gdb_folders(archive: zipfile.ZipFile) -> dict[str, dict[str, zipfile.ZipInfo]]:
    """`*.gdb` folder in the zip -> its whitelisted members by (lower-case) file name."""
    folders: dict[str, dict[str, zipfile.ZipInfo]] = {}
    for p, info in _members(archive):
        parent = p.parent
        if parent.name.lower().endswith(".gdb") and _GDB_MEMBER.match(p.name):
            folders.setdefault(str(parent), {})[p.name.lower()] = info
    return {k: v for k, v in folders.items() if any(n.endswith(".gdbtable") for n in v)}


def read_filegdb(data: bytes, layer: str | None) -> Raw:
    """A zipped ArcGIS File Geodatabase folder; its feature classes are the layers (the first
    `.gdb` folder when the zip holds several)."""
    what = ("File Geodatabase", "File Geodatabase")
    with _open_zip(data) as archive:
        folders = _gdb_folders(archive)
        if not folders:
            raise _fail("Tệp nén không chứa thư mục .gdb.", "The zip holds no .gdb folder.")
        first = sorted(folders)[0]
        with tempfile.TemporaryDirectory(prefix="atlas-read-") as tmp:
            path = Path(tmp) / "upload.gdb"
            _extract(archive, folders[first], path)
            layers = _layers(path, what)
            chosen = _pick(layers, layer, ("lớp bản đồ", "feature class"))
            raw = Raw(layers=layers, layer=chosen, frame=_gdal_frame(path, chosen, what))
    if len(folders) > 1:
        raw.notes.append(
            (
                f"tệp nén có {len(folders)} thư mục .gdb; chỉ đọc {first!r}",
                f"the zip holds {len(folders)} .gdb folders; only {first!r} is read",
            )
        )
    return _with_claim(raw)


def read_gdal(fmt: str, data: bytes, layer: str | None) -> Raw:
    """Dispatch for the formats of this module; IngestError for anything else."""
    if fmt == "flatgeobuf":
        return read_flatgeobuf(data)
    if fmt == "dxf":
        return read_dxf(data, layer)
    if fmt == "dgn":
        return read_dgn(data, layer)
    if fmt == "mapinfo":
        return read_mapinfo(data, layer)
    if fmt == "filegdb":
        return read_filegdb(data, layer)
    raise IngestError(f"Không có trình đọc cho {fmt!r}.", f"No reader for {fmt!r}.")
