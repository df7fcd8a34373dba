"""Reading CSV and XLSX tables with bounded work, whatever the file claims.

A spreadsheet's declared used range (`<dimension ref="A1:XFD1048576">`) is ignored: the sheet
is streamed row by row (openpyxl read-only mode) and only real cells are kept, so a 5 KB
workbook cannot ask for gigabytes. Both readers refuse, with a bilingual message, a table of
more than `MAX_TABLE_ROWS` rows or `MAX_TABLE_COLUMNS` columns rather than cut it silently.
Every cell comes back as text (like `dtype=str`): codes keep their leading zeros.
"""

from __future__ import annotations

import csv
import io
import warnings
from collections.abc import Iterable
from datetime import datetime
from typing import Any

import pandas as pd

from atlas.ingest.errors import IngestError, pick
from atlas.ingest.errors import failure as _fail
from atlas.ingest.safety import MAX_TABLE_COLUMNS, MAX_TABLE_ROWS


def too_many_rows() -> IngestError:
    return IngestError(
        f"Bảng có hơn {MAX_TABLE_ROWS:,} dòng: hãy chia thành nhiều tệp nhỏ hơn.",
        f"The table has more than {MAX_TABLE_ROWS:,} rows: split it into smaller files.",
        refused=True,
    )


def too_many_columns(count: int, where_vi: str = "", where_en: str = "") -> IngestError:
    return IngestError(
        f"Bảng có {count:,} cột{where_vi}, tối đa {MAX_TABLE_COLUMNS}: hãy xoá các cột thừa.",
        f"The table has {count:,} columns{where_en}, at most {MAX_TABLE_COLUMNS}: "
        "delete the extra columns.",
        refused=True,
    )


# --- CSV ------------------------------------------------------------------------------------


def decode_text(data: bytes) -> tuple[str, str | None]:
    """The text and, when it was not UTF-8/UTF-16, the legacy encoding it was read as."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return data.decode("utf-16"), None
        except UnicodeDecodeError:
            pass
    try:
        return data.decode("utf-8-sig"), None
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("cp1258"), "Windows-1258"
    except UnicodeDecodeError as exc:
        raise _fail("CSV không phải văn bản UTF-8.", "The CSV is not UTF-8 text.", exc) from None


def _delimiter(text: str) -> str:
    try:
        return csv.Sniffer().sniff(text[:4096], delimiters=",;\t|").delimiter
    except csv.Error:
        return ","


def read_csv_table(data: bytes) -> tuple[pd.DataFrame, str | None]:
    """The CSV as a text table, and the legacy encoding used (None for UTF-8/UTF-16)."""
    text, legacy = decode_text(data)
    if "\x00" in text:
        raise IngestError(
            "CSV chứa ký tự NUL: có thể là tệp nhị phân hoặc UTF-16 không có BOM; hãy lưu lại "
            "dưới dạng CSV UTF-8.",
            "The CSV holds NUL characters: it may be binary or UTF-16 without a BOM; save it "
            "again as UTF-8 CSV.",
        )
    sep = _delimiter(text)
    header = text.lstrip("\ufeff").split("\n", 1)[0]
    if header.count(sep) + 1 > MAX_TABLE_COLUMNS:
        raise too_many_columns(header.count(sep) + 1)
    try:
        table = pd.read_csv(
            io.StringIO(text),
            sep=sep,
            dtype=str,
            keep_default_na=False,
            engine="c",
            nrows=MAX_TABLE_ROWS + 1,
        )
    except (
        pd.errors.ParserError,
        pd.errors.EmptyDataError,
        csv.Error,
        ValueError,
        OverflowError,
    ) as exc:
        raise _fail("CSV không đọc được.", "Cannot read the CSV.", exc) from None
    if len(table) > MAX_TABLE_ROWS:
        raise too_many_rows()
    return table, legacy


# --- XLSX -----------------------------------------------------------------------------------


def _cell_text(value: Any) -> str:
    """A cell as the text pandas' `dtype=str` would give (29266.0 → "29266")."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime):
        return str(pd.Timestamp(value))
    return str(value)


def _trimmed(row: tuple[Any, ...]) -> tuple[Any, ...]:
    end = len(row)
    while end and (row[end - 1] is None or row[end - 1] == ""):
        end -= 1
    return row[:end]


def _column_letter(index: int) -> str:
    """1 → A, 16384 → XFD: the column as the spreadsheet names it."""
    letters = ""
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def collect_rows(rows: Iterable[tuple[Any, ...]]) -> list[list[str]]:
    """The non-empty rows as text, trailing empty cells dropped; refuses past the caps.

    Empty rows cost nothing to keep out, so a stray cell at row 1,048,576 is only one row."""
    out: list[list[str]] = []
    for number, row in enumerate(rows, start=1):
        cells = _trimmed(row)
        if not cells:
            continue
        if len(cells) > MAX_TABLE_COLUMNS:
            cell = f"{_column_letter(len(cells))}{number}"
            raise too_many_columns(
                len(cells), f" (ô {cell} có dữ liệu)", f" (cell {cell} has data)"
            )
        if len(out) > MAX_TABLE_ROWS:  # the header is one of them
            raise too_many_rows()
        out.append([_cell_text(v) for v in cells])
    return out


def rows_to_table(rows: list[list[str]]) -> pd.DataFrame:
    """The first row as header, the rest as data, every row padded to the widest."""
    if not rows:
        return pd.DataFrame()
    width = max(len(r) for r in rows)
    padded = [r + [""] * (width - len(r)) for r in rows]
    return pd.DataFrame(padded[1:], columns=padded[0], dtype=object)


def read_xlsx_table(data: bytes, sheet: str | None) -> tuple[list[str], str, pd.DataFrame]:
    """(sheet names, the sheet read, its table): only real cells, streamed."""
    import openpyxl

    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            book = openpyxl.load_workbook(
                io.BytesIO(data), read_only=True, data_only=True, keep_links=False
            )
            try:
                sheets = [str(s) for s in book.sheetnames]
                chosen = pick(sheets, sheet, ("trang tính", "sheet"))
                ws = book[chosen]
                ws.reset_dimensions()  # ignore the declared used range
                rows = collect_rows(ws.iter_rows(values_only=True))
            finally:
                book.close()
    except IngestError:
        raise
    except Exception as exc:  # noqa: BLE001 - openpyxl raises many types for a broken workbook
        raise _fail("Tệp Excel không đọc được.", "Cannot read the Excel workbook.", exc) from None
    return sheets, chosen, rows_to_table(rows)
