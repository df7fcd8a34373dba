"""What an upload is, decided by its bytes (magic numbers, zip contents), never by its name.

The name's extension only breaks ties between text formats and is checked against the content:
a `.geojson` holding a zip is read as the zip it is, with a warning.
"""

from __future__ import annotations

import io
import re
import zipfile

from atlas.ingest.errors import IngestError
from atlas.ingest.model import Format
from atlas.ingest.safety import ZIP_ERRORS, check_zip

_ZIP = (b"PK\x03\x04", b"PK\x05\x06")
_SQLITE = b"SQLite format 3\x00"
_FLATGEOBUF = b"fgb\x03"
_BINARY_DXF = b"AutoCAD Binary DXF\r\n\x1a\x00"
_OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # DGN v8 (and old .xls/.mdb) are OLE files
_DWG = re.compile(rb"AC10[0-9]{2}")  # AutoCAD DWG R13 and later
_EXT_FORMAT = {
    ".geojson": "geojson",
    ".json": "geojson",
    ".zip": "shapefile",
    ".gpkg": "gpkg",
    ".kml": "kml",
    ".kmz": "kmz",
    ".csv": "csv",
    ".xlsx": "xlsx",
    ".mif": "mapinfo",
    ".tab": "mapinfo",
    ".dxf": "dxf",
    ".dgn": "dgn",
    ".fgb": "flatgeobuf",
}
_MAPINFO_PARTS = (".tab", ".mif")
# Files that are read as they are, not from inside a zip.
_UPLOAD_ITSELF = (".geojson", ".json", ".gpkg", ".dxf", ".dgn", ".fgb")
# What a ".zip" may hold besides a Shapefile: its name says "shapefile", which is no conflict.
ZIPPED_FORMATS: tuple[str, ...] = ("kmz", "xlsx", "mapinfo", "filegdb")


def extension_format(name: str) -> str | None:
    lower = name.lower()
    return next((fmt for ext, fmt in _EXT_FORMAT.items() if lower.endswith(ext)), None)


def _zip_format(data: bytes) -> Format:
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except ZIP_ERRORS as exc:  # also an unsupported zip version (NotImplementedError)
        raise IngestError(
            f"Tệp nén hỏng hoặc không đầy đủ ({exc}).", f"Broken or truncated zip ({exc})."
        ) from None
    with archive:
        names = [i.filename.lower() for i in check_zip(archive)]
    if "[content_types].xml" in names and any(n.startswith("xl/") for n in names):
        return "xlsx"
    if any(n.endswith(".shp") for n in names):
        return "shapefile"
    if any(".gdb/" in n and n.endswith(".gdbtable") for n in names):
        return "filegdb"
    if any(n.endswith(_MAPINFO_PARTS) for n in names):
        return "mapinfo"
    if any(n.endswith(".kml") for n in names):
        return "kmz"
    single = next((e for e in _UPLOAD_ITSELF if any(n.endswith(e) for n in names)), None)
    if single:
        raise IngestError(
            f"Tệp nén chứa tệp {single}: hãy tải lên tệp {single} trực tiếp.",
            f"The zip holds a {single} file: upload the {single} file itself.",
        )
    raise IngestError(
        "Tệp nén không chứa Shapefile (.shp), MapInfo (.tab, .mif), File Geodatabase (.gdb), "
        "KML hay bảng Excel.",
        "The zip holds no Shapefile (.shp), MapInfo (.tab, .mif), File Geodatabase (.gdb), "
        "KML or Excel workbook.",
    )


def _text_head(data: bytes) -> str | None:
    """The first 4 KiB as text (UTF-8, UTF-16 with BOM, or Windows-1258), None for binary."""
    head = data[:4096]
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return head[: len(head) // 2 * 2].decode("utf-16", errors="replace")
        except UnicodeDecodeError:
            return None
    try:
        text = head.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        if exc.start < len(head) - 3:  # not just a character cut at 4 KiB
            try:
                text = head.decode("cp1258")
            except UnicodeDecodeError:
                return None
        else:
            text = head[: exc.start].decode("utf-8-sig")
    if any(ord(c) < 32 and c not in "\t\r\n\f" for c in text):
        return None
    return text


def _binary_format(data: bytes) -> Format | None:
    """Formats known by their first bytes; IngestError for CAD files GDAL cannot read."""
    if data.startswith(_SQLITE):
        return "gpkg"
    if data.startswith(_FLATGEOBUF):
        return "flatgeobuf"
    if data.startswith(_BINARY_DXF):
        return "dxf"
    # DGN v7 (ISETS): a type-9 (TCB) element first, 2D 0x08 or 3D 0xC8 (as GDAL's DGN driver).
    if len(data) >= 4 and data[0] in (0x08, 0xC8) and data[1:4] == b"\x09\xfe\x02":
        return "dgn"
    if _DWG.match(data[:6]):
        raise IngestError(
            "Tệp DWG của AutoCAD chưa đọc được: hãy lưu thành DXF (Save As → DXF).",
            "AutoCAD DWG cannot be read: save it as DXF (Save As → DXF).",
        )
    return None


def _text_format(text: str) -> Format | None:
    """Text formats known by how they start: GeoJSON, KML, DXF, MapInfo MIF."""
    stripped = text.lstrip("\ufeff \t\r\n")
    if stripped.startswith(("{", "[")):
        return "geojson"
    if stripped.startswith("<"):
        if "<kml" in text[:2048].lower():
            return "kml"
        raise IngestError(
            "Tệp XML này không phải KML.", "This XML file is not KML (no <kml> element)."
        )
    if re.match(r"(?i)!table\s", stripped):
        raise IngestError(
            "Tệp .tab của MapInfo cần các tệp đi kèm: nén .tab, .dat, .map, .id vào một .zip.",
            "A MapInfo .tab needs its companions: zip the .tab, .dat, .map and .id together.",
        )
    lines = [line.strip() for line in stripped.splitlines()[:6]]
    # DXF: group-code / value pairs, the first a SECTION (maybe after a 999 comment).
    if lines[:2] == ["0", "SECTION"] or (lines[:1] == ["999"] and "SECTION" in lines):
        return "dxf"
    if re.match(r"(?i)version\s+\d+", stripped) and re.search(r"(?im)^\s*columns\s+\d", text):
        return "mapinfo"
    return None


def sniff(name: str, data: bytes) -> Format:
    """The format of `data`; IngestError when it is none of the accepted ones."""
    if data.startswith(_ZIP):
        return _zip_format(data)
    binary = _binary_format(data)
    if binary:
        return binary
    if data.startswith(_OLE):
        raise IngestError(
            "Tệp OLE (có thể là DGN v8 hay Excel .xls cũ) chưa đọc được: hãy lưu DGN thành v7 "
            "hoặc DXF, bảng Excel thành .xlsx.",
            "An OLE file (maybe DGN v8 or an old .xls) cannot be read: save a DGN as v7 or DXF, "
            "a workbook as .xlsx.",
        )
    text = _text_head(data)
    if text is None:
        raise IngestError(
            "Không nhận ra loại tệp (không phải GeoJSON, Shapefile nén, GeoPackage, KML/KMZ, "
            "MapInfo, DXF, DGN v7, File Geodatabase nén, FlatGeobuf, CSV hay XLSX).",
            "Unrecognised file type (not GeoJSON, zipped Shapefile, GeoPackage, KML/KMZ, "
            "MapInfo, DXF, DGN v7, zipped File Geodatabase, FlatGeobuf, CSV or XLSX).",
        )
    found = _text_format(text)
    if found:
        return found
    if extension_format(name) in ("csv", None) or "," in text or ";" in text or "\t" in text:
        return "csv"
    raise IngestError("Không nhận ra loại tệp.", "Unrecognised file type.")
