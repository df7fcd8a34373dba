"""Limits on what an upload may be: size, zip shape, names. Nothing from an upload is trusted.

A zip is refused before anything is extracted when it has absolute paths, `..`, symlinks, too
many entries, too much uncompressed data or a suspicious compression ratio (a zip bomb); an
entry that cannot be inflated (corrupt deflate data, an unsupported method or zip version, a
password) is a bilingual error, never a zlib/zipfile exception. Names from an upload are never
used as paths: files are extracted under generated names into a private temp dir, and pack/layer
ids are slugs short enough to be file names.

Work is bounded too: tables stop at `MAX_TABLE_ROWS` rows and `MAX_TABLE_COLUMNS` columns (a
refusal, not a truncation, so nothing is silently lost), and geometry repair has the budgets in
`atlas.ingest.repair`.
"""

from __future__ import annotations

import io
import re
import stat
import zipfile
import zlib
from pathlib import PurePosixPath

from atlas.ingest.errors import IngestError
from atlas.settings import settings
from atlas.text import fold

ACCEPTED_EXTENSIONS: tuple[str, ...] = (
    ".geojson",
    ".json",
    ".zip",
    ".gpkg",
    ".kml",
    ".kmz",
    ".csv",
    ".xlsx",
    ".mif",
    ".dxf",
    ".dgn",
    ".fgb",
)
MAX_ZIP_ENTRIES = 200
MAX_ZIP_RATIO = 200  # uncompressed / compressed, per entry and in total
_SLUG = re.compile(r"^[a-z0-9_]+$")
# Ids become folder and file names (`<id>/`, `layers/<id>.geojson`, `<id>_map_2`): 64 leaves
# room for suffixes well inside the 255 bytes a file name can hold on every common filesystem.
MAX_ID_LENGTH = 64
# A table larger than this is refused before it is mapped: a commune table has hundreds of rows;
# 250k rows keeps reading and joining within seconds and a few hundred MB.
MAX_TABLE_ROWS = 250_000
_ID_NAMES_VI = {"pack id": "mã gói", "layer id": "mã lớp"}
MAX_TABLE_COLUMNS = 500
# What reading a zip entry can raise besides BadZipFile: corrupt deflate data (zlib.error),
# an unsupported method or zip version (NotImplementedError), a truncated stream (EOFError),
# a password (RuntimeError).
ZIP_ERRORS: tuple[type[BaseException], ...] = (
    zipfile.BadZipFile,
    zlib.error,
    NotImplementedError,
    EOFError,
    RuntimeError,
    OSError,
    ValueError,
    OverflowError,
)


def max_upload_bytes() -> int:
    """ATLAS_MAX_UPLOAD_MB (default 50) in bytes (`atlas.settings`: a bad value falls back
    to the default)."""
    return int(settings().max_upload_mb * 1024 * 1024)


def max_unpacked_bytes() -> int:
    """What a zip may expand to: four times the upload limit."""
    return 4 * max_upload_bytes()


def check_size(data: bytes) -> None:
    limit = max_upload_bytes()
    if len(data) > limit:
        mb = limit / 1024 / 1024
        raise IngestError(
            f"Tệp quá lớn ({len(data) / 1024 / 1024:.1f} MB, tối đa {mb:g} MB; "
            "đổi bằng ATLAS_MAX_UPLOAD_MB).",
            f"File too large ({len(data) / 1024 / 1024:.1f} MB, limit {mb:g} MB; "
            "set ATLAS_MAX_UPLOAD_MB).",
            refused=True,
        )
    if not data:
        raise IngestError("Tệp rỗng.", "The file is empty.")


def _refuse(vi: str, en: str) -> IngestError:
    return IngestError(f"Tệp nén bị từ chối: {vi}", f"Zip refused: {en}", refused=True)


def check_zip(archive: zipfile.ZipFile) -> list[zipfile.ZipInfo]:
    """The archive's file entries when it is safe to extract; raises IngestError otherwise."""
    infos = archive.infolist()
    if len(infos) > MAX_ZIP_ENTRIES:
        raise _refuse(
            f"quá nhiều mục ({len(infos)} > {MAX_ZIP_ENTRIES}).",
            f"too many entries ({len(infos)} > {MAX_ZIP_ENTRIES}).",
        )
    total = 0
    files: list[zipfile.ZipInfo] = []
    for info in infos:
        name = info.filename.replace("\\", "/")
        path = PurePosixPath(name)
        if not name:  # a damaged central directory; zipfile itself cannot handle it
            raise _refuse("một mục không có tên.", "an entry has no name.")
        if name.startswith("/") or re.match(r"^[A-Za-z]:", name) or ".." in path.parts:
            raise _refuse(
                f"đường dẫn không an toàn {name!r}.", f"unsafe path {name!r} (absolute or '..')."
            )
        mode = info.external_attr >> 16
        if stat.S_ISLNK(mode):
            raise _refuse(f"liên kết tượng trưng {name!r}.", f"symbolic link {name!r}.")
        if info.is_dir():
            continue
        total += info.file_size
        ratio = info.file_size / max(info.compress_size, 1)
        if info.file_size > 1024 * 1024 and ratio > MAX_ZIP_RATIO:
            raise _refuse(
                f"tỉ lệ nén bất thường ({ratio:.0f}:1) ở {name!r}.",
                f"suspicious compression ratio ({ratio:.0f}:1) in {name!r}.",
            )
        files.append(info)
    if total > max_unpacked_bytes():
        raise _refuse(
            f"giải nén ra quá lớn ({total / 1024 / 1024:.0f} MB).",
            f"too large once extracted ({total / 1024 / 1024:.0f} MB).",
        )
    return files


def open_zip(data: bytes) -> zipfile.ZipFile:
    """The archive, or IngestError when its directory cannot be read (truncated, a zip
    version Python cannot extract, nonsense offsets)."""
    try:
        return zipfile.ZipFile(io.BytesIO(data))
    except ZIP_ERRORS as exc:
        raise IngestError(
            f"Tệp nén hỏng hoặc không đầy đủ ({str(exc)[:200]}).",
            f"Broken or truncated zip ({str(exc)[:200]}).",
        ) from None


def read_member(archive: zipfile.ZipFile, info: zipfile.ZipInfo) -> bytes:
    """An entry's bytes, reading no more than it declared (a lying header cannot inflate).

    A corrupt or unsupported entry is an IngestError naming it, whatever zipfile/zlib raised."""
    try:
        with archive.open(info) as handle:
            data = handle.read(info.file_size + 1)
    except ZIP_ERRORS as exc:
        name = display_name(info.filename)
        raise IngestError(
            f"Không giải nén được {name!r} trong tệp nén ({str(exc)[:200]}).",
            f"Cannot extract {name!r} from the zip ({str(exc)[:200]}).",
        ) from None
    if len(data) > info.file_size:
        raise _refuse(
            f"kích thước khai báo sai ở {info.filename!r}.",
            f"entry {info.filename!r} is larger than declared.",
        )
    return data


def slugify(text: str, fallback: str = "import") -> str:
    """An id `[a-z0-9_]+` from any text: 'Xã Đồng Mỏ.shp' → 'xa_dong_mo_shp'."""
    slug = re.sub(r"[^a-z0-9]+", "_", fold(str(text))).strip("_")
    slug = slug[:48].strip("_")
    return slug or fallback


def check_slug(value: str, what: str = "pack id") -> str:
    """`value` when it is a usable id: `[a-z0-9_]+`, at most MAX_ID_LENGTH characters."""
    value = value if isinstance(value, str) else ""
    what_vi = _ID_NAMES_VI.get(what, what)
    if len(value) > MAX_ID_LENGTH:
        raise IngestError(
            f"{what_vi} dài {len(value)} ký tự, tối đa {MAX_ID_LENGTH}: hãy đặt mã ngắn hơn.",
            f"{what} is {len(value)} characters long, at most {MAX_ID_LENGTH}: "
            "choose a shorter id.",
        )
    if not _SLUG.match(value):
        shown = value[:40]
        raise IngestError(
            f"{what_vi} {shown!r} không hợp lệ: chỉ dùng a-z, 0-9 và _.",
            f"invalid {what} {shown!r}: use only a-z, 0-9 and _.",
        )
    return value


def display_name(name: str) -> str:
    """The upload's base name, for messages and the honesty source only (never a path)."""
    base = str(name).replace("\\", "/").rsplit("/", 1)[-1]
    base = "".join(c for c in base if c.isprintable())
    return base[:120] or "upload"
