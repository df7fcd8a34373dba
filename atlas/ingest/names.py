"""Commune names as keys: the unit type ("Xã", "Phường", "Thị trấn") and the name, apart.

Clerks write "Thị trấn Chi Lăng", "TT. Chi Lăng", "thi tran chi lang" or just "Chi Lăng", and
a district can hold "Thị trấn Chi Lăng" and "Xã Chi Lăng" side by side, so the type must not
be thrown away. Folding alone is not enough either: "Phường" and "Phương" both fold to
"phuong", and "Xã Phương Thạnh" is a commune whose *name* starts with "Phương". So the prefix
test looks at the diacritics when the text has them, and an ASCII text ("Phuong Thanh") gets
both readings, for the reference to settle.
"""

from __future__ import annotations

import re
import unicodedata
from difflib import SequenceMatcher
from functools import lru_cache
from typing import NamedTuple

from atlas.text import fold

THI_TRAN, XA, PHUONG = "thi_tran", "xa", "phuong"
TYPE_LABELS = {THI_TRAN: "Thị trấn", XA: "Xã", PHUONG: "Phường"}

# Written prefixes, lower case NFC. With diacritics (or an abbreviation with a dot) they are
# certain; their ASCII spellings are only one of two readings.
_SURE = (
    ("thị trấn", THI_TRAN),
    ("phường", PHUONG),
    ("xã", XA),
    ("tt.", THI_TRAN),
    ("tt", THI_TRAN),
    ("p.", PHUONG),
    ("x.", XA),
)
_ASCII = (("thi tran", THI_TRAN), ("phuong", PHUONG), ("xa", XA))
# Legacy fonts (TCVN3/VNI converted badly) put the Icelandic Eth where Đ belongs.
_ETH = str.maketrans({"\u00d0": "Đ", "\u00f0": "đ", "\u0110": "Đ", "\u0111": "đ"})
_NUMBER = re.compile(r"\b0+(\d)")


class Reading(NamedTuple):
    """One way to read a written name: the unit type (None: not written) and the name key."""

    type: str | None
    name: str


def clean(value: object) -> str:
    """NFC, Eth as Đ, single spaces, lower case: the text the prefix test reads."""
    if value is None:
        return ""
    text = unicodedata.normalize("NFC", str(value)).translate(_ETH)
    return " ".join(text.replace("\u00a0", " ").split()).lower()


def _key(text: str) -> str:
    """The name part as a key: folded, "Phường 01" and "Phường 1" alike."""
    return _NUMBER.sub(r"\1", fold(text.replace("-", " ")))


def _strip(text: str, prefix: str) -> str | None:
    """The rest after `prefix` when it is a whole word at the start, else None."""
    if not text.startswith(prefix):
        return None
    rest = text[len(prefix) :]
    if prefix.endswith("."):
        return rest.strip() or None
    return rest[1:].strip() or None if rest.startswith(" ") else None


def readings(value: object) -> tuple[Reading, ...]:
    """Every plausible (type, name) reading of a written commune name, the likeliest first.

    "Phường Thạnh" → (phuong, "thanh"); "Phương Thạnh" → (None, "phuong thanh");
    "Phuong Thanh" → both; "Phường 01" → (phuong, "1"); "" → ().
    """
    return _readings(clean(value))


@lru_cache(maxsize=65536)
def _readings(text: str) -> tuple[Reading, ...]:
    if not text:
        return ()
    for prefix, unit in _SURE:
        rest = _strip(text, prefix)
        if rest is not None:
            return (Reading(unit, _key(rest)),)
    for prefix, unit in _ASCII:
        rest = _strip(text, prefix)
        if rest is not None:
            return (Reading(unit, _key(rest)), Reading(None, _key(text)))
    return (Reading(None, _key(text)),)


def name_key(value: object) -> str:
    """The likeliest name key without the type: "Xã Mỹ Cẩm" → "my cam"."""
    found = readings(value)
    return found[0].name if found else ""


def has_diacritics(value: object) -> bool:
    """Whether a text carries Vietnamese diacritics (or đ): it says more than its ASCII twin."""
    text = clean(value)
    return bool(text) and fold(text) != text


def agree(a: object, b: object, similarity: float = 1.0) -> bool:
    """Whether two written names can be the same unit: the same type where both say one, and
    the same name key (or, with `similarity` < 1, keys at least that alike: a typo)."""
    for ra in readings(a):
        for rb in readings(b):
            if ra.type is not None and rb.type is not None and ra.type != rb.type:
                continue
            if ra.name == rb.name:
                return True
            if similarity < 1 and SequenceMatcher(None, ra.name, rb.name).ratio() >= similarity:
                return True
    return False
