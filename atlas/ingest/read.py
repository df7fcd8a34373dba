"""Reading each accepted format from bytes into a frame, in a private temp dir.

Upload names are never paths: files are written under fixed names ("upload.gpkg",
"layer.shp" …) in a fresh temp dir that is deleted before returning, and only whitelisted
members of a zip are extracted, after `safety.check_zip` has accepted the whole archive.
Tables (CSV, XLSX) are read with bounded work by `atlas.ingest.table`.
"""

from __future__ import annotations

import json
import tempfile
import warnings
import zipfile
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

import geopandas as gpd
import pandas as pd
import pyogrio
from pyogrio.errors import DataLayerError, DataSourceError, FieldError, GeometryError
from shapely.errors import GEOSException

from atlas.ingest.errors import IngestError
from atlas.ingest.errors import failure as _fail
from atlas.ingest.errors import pick as _pick
from atlas.ingest.model import Format
from atlas.ingest.repair import read_features_one_by_one
from atlas.ingest.safety import check_zip, open_zip, read_member
from atlas.ingest.table import read_csv_table, read_xlsx_table

GDAL_FORMATS = ("mapinfo", "dxf", "dgn", "filegdb", "flatgeobuf")  # read in read_gdal.py
_SHAPE_PARTS = (".shp", ".shx", ".dbf", ".prj", ".cpg")
_OGR_ERRORS = (
    DataSourceError,
    DataLayerError,
    FieldError,
    GeometryError,
    OSError,
    ValueError,
    RuntimeError,
    TypeError,
    KeyError,
    IndexError,
)


@dataclass
class Raw:
    """What a reader got: a frame in the file's CRS (maybe none), or a table."""

    layers: list[str] = field(default_factory=list)
    layer: str | None = None
    frame: gpd.GeoDataFrame | None = None
    table: pd.DataFrame | None = None
    declares_crs: bool = False
    notes: list[tuple[str, str]] = field(default_factory=list)  # (vi, en) warnings


def _read_vector(path: Path, layer: str | None) -> gpd.GeoDataFrame:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            frame = pyogrio.read_dataframe(path, layer=layer)
        except GEOSException:  # an unclosed ring or a one-point line: name the features
            frame = read_features_one_by_one(path, layer)
    if not isinstance(frame, gpd.GeoDataFrame) or frame.geometry is None:
        raise _fail("Tệp không có hình học.", "The file has no geometry.")
    return frame


LAYER_PROPERTY = "layer"  # our own GeoJSON/CSV exports name each feature's layer so


def _split_layers(frame: gpd.GeoDataFrame, layer: str | None) -> Raw:
    """A GeoJSON whose every feature has a text `layer` property (our own export writes one)
    is offered as those layers, in file order; the chosen one loses that column and the
    columns only other layers have. Any other GeoJSON is one layer."""
    values = frame[LAYER_PROPERTY] if LAYER_PROPERTY in frame.columns else None
    if values is None or values.isna().any() or not values.map(type).eq(str).all():
        return Raw(frame=frame)
    layers = [str(v) for v in dict.fromkeys(values) if str(v).strip()]
    if len(layers) != values.nunique():
        return Raw(frame=frame)
    chosen = _pick(layers, layer, ("lớp bản đồ", "map layer"))
    picked = frame[values == chosen].drop(columns=LAYER_PROPERTY)
    attributes = [c for c in picked.columns if c != picked.geometry.name]
    empty = [c for c in attributes if picked[c].isna().all()]
    return Raw(layers=layers, layer=chosen, frame=picked.drop(columns=empty).reset_index(drop=True))


def read_geojson(data: bytes, layer: str | None = None) -> Raw:
    try:
        doc = json.loads(data.decode("utf-8-sig"))
    except (UnicodeDecodeError, json.JSONDecodeError, RecursionError) as exc:
        raise _fail("GeoJSON không đọc được.", "GeoJSON is not valid JSON.", exc) from None
    if not isinstance(doc, dict) or doc.get("type") not in (
        "FeatureCollection",
        "Feature",
        "Point",
        "MultiPoint",
        "LineString",
        "MultiLineString",
        "Polygon",
        "MultiPolygon",
        "GeometryCollection",
    ):
        raise _fail(
            'JSON này không phải GeoJSON (thiếu "type": "FeatureCollection").',
            'This JSON is not GeoJSON (no "type": "FeatureCollection").',
        )
    with tempfile.TemporaryDirectory(prefix="atlas-read-") as tmp:
        path = Path(tmp) / "upload.geojson"
        path.write_bytes(data)
        try:
            frame = _read_vector(path, None)
        except IngestError:
            raise
        except _OGR_ERRORS as exc:
            raise _fail("GeoJSON không đọc được.", "Cannot read the GeoJSON.", exc) from None
    # GDAL calls every GeoJSON EPSG:4326 (RFC 7946); only a legacy "crs" member is a real claim.
    raw = _split_layers(frame, layer)
    raw.declares_crs = "crs" in doc
    return raw


def read_gpkg(data: bytes, layer: str | None) -> Raw:
    with tempfile.TemporaryDirectory(prefix="atlas-read-") as tmp:
        path = Path(tmp) / "upload.gpkg"
        path.write_bytes(data)
        try:
            listed = pyogrio.list_layers(path)
            layers = [str(n) for n, geom in listed if geom is not None]
            chosen = _pick(layers, layer, ("lớp bản đồ", "map layer"))
            frame = _read_vector(path, chosen)
        except IngestError:
            raise
        except _OGR_ERRORS as exc:
            raise _fail("GeoPackage không đọc được.", "Cannot read the GeoPackage.", exc) from None
    return Raw(layers=layers, layer=chosen, frame=frame, declares_crs=frame.crs is not None)


def _read_kml_file(path: Path, layer: str | None) -> Raw:
    try:
        listed = pyogrio.list_layers(path)
        layers = [str(n) for n, _ in listed]
        chosen = _pick(layers, layer, ("lớp (thư mục) KML", "KML layer (folder)"))
        frame = _read_vector(path, chosen)
    except IngestError:
        raise
    except _OGR_ERRORS as exc:
        raise _fail("KML không đọc được.", "Cannot read the KML.", exc) from None
    # KML is longitude/latitude on WGS 84 by definition (OGC KML 2.2).
    return Raw(layers=layers, layer=chosen, frame=frame, declares_crs=True)


def read_kml(data: bytes, layer: str | None) -> Raw:
    with tempfile.TemporaryDirectory(prefix="atlas-read-") as tmp:
        path = Path(tmp) / "upload.kml"
        path.write_bytes(data)
        return _read_kml_file(path, layer)


def _open_zip(data: bytes) -> zipfile.ZipFile:
    return open_zip(data)


def read_kmz(data: bytes, layer: str | None) -> Raw:
    with _open_zip(data) as archive:
        infos = check_zip(archive)
        docs = sorted(
            (i for i in infos if i.filename.lower().endswith(".kml")),
            key=lambda i: (PurePosixPath(i.filename).name.lower() != "doc.kml", i.filename),
        )
        if not docs:
            raise _fail("KMZ không chứa tệp .kml.", "The KMZ holds no .kml file.")
        content = read_member(archive, docs[0])
    return read_kml(content, layer)


def read_shapefile_zip(data: bytes, layer: str | None) -> Raw:
    """A zipped Shapefile; several .shp in one zip are offered as layers (by base name)."""
    with _open_zip(data) as archive:
        infos = check_zip(archive)
        groups: dict[str, dict[str, zipfile.ZipInfo]] = {}
        for info in infos:
            p = PurePosixPath(info.filename.replace("\\", "/"))
            if p.name.startswith(("._", ".")) or "__MACOSX" in p.parts:
                continue
            ext = p.suffix.lower()
            if ext in _SHAPE_PARTS:
                stem = str(p.with_suffix(""))
                groups.setdefault(stem, {})[ext] = info
        layers = sorted(stem for stem, parts in groups.items() if ".shp" in parts)
        chosen = _pick(layers, layer, ("Shapefile", "Shapefile"))
        parts = groups[chosen]
        raw = Raw(layers=layers, layer=chosen)
        for needed in (".shx", ".dbf"):
            if needed not in parts:
                raw.notes.append(
                    (
                        f"thiếu tệp {needed} của Shapefile {chosen!r}",
                        f"the Shapefile {chosen!r} has no {needed} file",
                    )
                )
        with tempfile.TemporaryDirectory(prefix="atlas-read-") as tmp:
            for ext, info in parts.items():
                (Path(tmp) / f"layer{ext}").write_bytes(read_member(archive, info))
            try:
                with pyogrio_config({"SHAPE_RESTORE_SHX": "YES"}):
                    raw.frame = _read_vector(Path(tmp) / "layer.shp", None)
            except IngestError:
                raise
            except _OGR_ERRORS as exc:
                raise _fail(
                    "Shapefile không đọc được.", "Cannot read the Shapefile.", exc
                ) from None
    raw.declares_crs = ".prj" in parts and raw.frame.crs is not None
    return raw


class pyogrio_config:  # noqa: N801 - used like a function
    """Set GDAL config options for the duration of a `with` block."""

    def __init__(self, options: dict[str, str]) -> None:
        self.options = options

    def __enter__(self) -> None:
        pyogrio.set_gdal_config_options(self.options)

    def __exit__(self, *exc: object) -> None:
        pyogrio.set_gdal_config_options({k: None for k in self.options})


def read_csv(data: bytes) -> Raw:
    table, legacy = read_csv_table(data)
    raw = Raw(table=_clean_columns(table))
    if legacy:
        raw.notes.append(
            (f"CSV không phải UTF-8; đã đọc theo {legacy}", f"CSV is not UTF-8; read as {legacy}")
        )
    return raw


def read_xlsx(data: bytes, sheet: str | None) -> Raw:
    with _open_zip(data) as archive:
        check_zip(archive)
    sheets, chosen, table = read_xlsx_table(data, sheet)
    return Raw(layers=sheets, layer=chosen, table=_clean_columns(table))


def _clean_columns(table: pd.DataFrame) -> pd.DataFrame:
    """Header cells as stripped text; empty or repeated headers get a position-based name."""
    names: list[str] = []
    for i, col in enumerate(table.columns):
        name = str(col).replace("\x00", "").strip()[:200]
        if not name or name.startswith("Unnamed:") or name in names:
            name = f"column_{i + 1}"
        names.append(name)
    table.columns = names
    return table.reset_index(drop=True)


def read(fmt: Format, data: bytes, layer: str | None) -> Raw:
    """Dispatch on the sniffed format; raises IngestError with the reason."""
    if fmt in GDAL_FORMATS:
        from atlas.ingest.read_gdal import read_gdal  # it imports Raw & co. from this module

        return read_gdal(fmt, data, layer)
    if fmt == "geojson":
        return read_geojson(data, layer)
    if fmt == "gpkg":
        return read_gpkg(data, layer)
    if fmt == "kml":
        return read_kml(data, layer)
    if fmt == "kmz":
        return read_kmz(data, layer)
    if fmt == "shapefile":
        return read_shapefile_zip(data, layer)
    if fmt == "csv":
        return read_csv(data)
    return read_xlsx(data, layer)
