"""What an upload is, decided by its bytes (magic numbers, zip contents), never by its name.

The name's extension only breaks ties between text formats and is checked against the content:
a `.geojson` holding a zip is read as the zip it is, with a warning.
"""

from __future__ import annotations

import io
import zipfile

from atlas.ingest.errors import IngestError
from atlas.ingest.model import Format
from atlas.ingest.safety import ZIP_ERRORS, check_zip

_ZIP = (b"PK\x03\x04", b"PK\x05\x06")
_SQLITE = b"SQLite format 3\x00"
_EXT_FORMAT = {
    ".geojson": "geojson",
    ".json": "geojson",
    ".zip": "shapefile",
    ".gpkg": "gpkg",
    ".kml": "kml",
    ".kmz": "kmz",
    ".csv": "csv",
    ".xlsx": "xlsx",
}


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
    if any(n.endswith(".kml") for n in names):
        return "kmz"
    if any(n.endswith((".geojson", ".json")) for n in names):
        raise IngestError(
            "Tệp nén chứa GeoJSON: hãy tải lên tệp .geojson trực tiếp.",
            "The zip holds GeoJSON: upload the .geojson file itself.",
        )
    raise IngestError(
        "Tệp nén không chứa Shapefile (.shp), KML hay bảng Excel.",
        "The zip holds no Shapefile (.shp), KML or Excel workbook.",
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


def sniff(name: str, data: bytes) -> Format:
    """The format of `data`; IngestError when it is none of the accepted ones."""
    if data.startswith(_ZIP):
        return _zip_format(data)
    if data.startswith(_SQLITE):
        return "gpkg"
    text = _text_head(data)
    if text is None:
        raise IngestError(
            "Không nhận ra loại tệp (không phải GeoJSON, Shapefile nén, GeoPackage, KML/KMZ, "
            "CSV hay XLSX).",
            "Unrecognised file type (not GeoJSON, zipped Shapefile, GeoPackage, KML/KMZ, CSV "
            "or XLSX).",
        )
    stripped = text.lstrip("\ufeff \t\r\n")
    if stripped.startswith(("{", "[")):
        return "geojson"
    if stripped.startswith("<"):
        if "<kml" in text[:2048].lower():
            return "kml"
        raise IngestError(
            "Tệp XML này không phải KML.", "This XML file is not KML (no <kml> element)."
        )
    if extension_format(name) in ("csv", None) or "," in text or ";" in text or "\t" in text:
        return "csv"
    raise IngestError("Không nhận ra loại tệp.", "Unrecognised file type.")
