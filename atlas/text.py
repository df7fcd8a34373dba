"""Text and code hygiene for Vietnamese data.

Files from different tools mix Unicode forms (NFD from macOS, NFC elsewhere) and spreadsheets
turn commune codes like "06463" into the number 6463. Both break joins and search silently, so
every text goes through `nfc` and every code through `normalise_code` before it is compared.
"""

from __future__ import annotations

import math
import re
import unicodedata
from typing import Any

_INT_LIKE = re.compile(r"^[+-]?\d+(\.0+)?$")


def nfc(value: str) -> str:
    return unicodedata.normalize("NFC", value)


def is_nfc(value: str) -> bool:
    return unicodedata.is_normalized("NFC", value)


TreePath = tuple[str | int, ...]


def nfc_tree(value: Any, path: TreePath = ()) -> tuple[Any, list[TreePath]]:
    """`value` (parsed TOML/JSON: dicts, lists, scalars) with every string and key in NFC,
    and the paths of what changed, so the caller can say where the NFD text was."""
    if isinstance(value, str):
        return (value, []) if is_nfc(value) else (nfc(value), [path])
    if isinstance(value, list):
        out, changed = [], []
        for i, item in enumerate(value):
            new, sub = nfc_tree(item, (*path, i))
            out.append(new)
            changed += sub
        return out, changed
    if isinstance(value, dict):
        result: dict[Any, Any] = {}
        changed = []
        for k, item in value.items():
            key = k
            if isinstance(k, str) and not is_nfc(k):
                key = nfc(k)
                changed.append((*path, key))
            new, sub = nfc_tree(item, (*path, key))
            result[key] = new
            changed += sub
        return result, changed
    return value, []


def fold(value: str) -> str:
    """Case-, diacritics- and Unicode-form-insensitive key: 'Đồng Mỏ' → 'dong mo'."""
    decomposed = unicodedata.normalize("NFD", value.replace("Đ", "D").replace("đ", "d"))
    stripped = "".join(c for c in decomposed if not unicodedata.combining(c))
    return " ".join(stripped.casefold().split())


def normalise_code(value: object, width: int | None = None) -> str | None:
    """A code as text: `6463`, `6463.0`, `" 06463 "` → `"06463"` with width 5.

    Returns None for a missing value. Non-numeric codes are kept as they are (stripped).
    """
    if value is None:
        return None
    if isinstance(value, float):
        if math.isnan(value):
            return None
        if value.is_integer():
            value = int(value)
    text = str(value).strip()
    if not text:
        return None
    if _INT_LIKE.match(text):
        text = text.split(".")[0].lstrip("+")
        if width and len(text) < width:
            text = text.zfill(width)
    return text


_TRUE = {"true", "1", "yes", "y", "x", "có", "co", "đúng", "dung", "t"}
_FALSE = {"false", "0", "no", "n", "", "không", "khong", "sai", "f"}


def parse_bool(value: object) -> bool | None:
    """Booleans as spreadsheets write them (true/1/x/có …); None when it is not one."""
    if isinstance(value, bool):
        return value
    text = fold(str(value)) if value is not None else ""
    if text in _TRUE:
        return True
    if text in _FALSE:
        return False
    return None
