"""What a map label says: the one rule that shortens a feature's name for a label.

Shared by the web map and the print sheet (`layers.labels` places what this names). A map
label must be short or it cannot be placed: a commune reads "Tân An" (its unit is what the
boundary shows), a town "TT. Càng Long", a road only its route number ("QL53", "ĐT911"; a
road without one is not labelled: "Đường liên xã Mỹ Cẩm – An Trường A" along a 3 km line
hides the map), an industrial park "KCN Cổ Chiên". A pack can name another field for its
labels (`label_field`) or turn a layer's labels off (`labels = false`).
"""

from __future__ import annotations

import re

# Route classes of Vietnamese roads, in the abbreviations printed on Vietnamese maps and road
# signs (TCVN 4054, Circular 06/2016/TT-BGTVT numbering).
ROUTE_PREFIXES: tuple[tuple[str, str], ...] = (
    ("cao tốc", "CT"),
    ("quốc lộ", "QL"),
    ("đường tỉnh", "ĐT"),
    ("tỉnh lộ", "ĐT"),
    ("đường huyện", "ĐH"),
    ("huyện lộ", "ĐH"),
    ("hương lộ", "HL"),
    ("đường xã", "ĐX"),
    ("ql", "QL"),
    ("đt", "ĐT"),
    ("tl", "ĐT"),
    ("đh", "ĐH"),
    ("hl", "HL"),
    ("ct", "CT"),
)
_ROUTE = re.compile(
    r"^\s*(?:tuyến\s+)?("
    + "|".join(re.escape(p) for p, _ in ROUTE_PREFIXES)
    + r")\s*\.?\s*(\d+[A-Za-z]?)(?![\w])",
    re.IGNORECASE,
)
# Unit and zone words shortened the way Vietnamese maps print them; "Xã" and "Tỉnh" are left
# out altogether (most units of a commune or province layer are communes or provinces).
NAME_PREFIXES: tuple[tuple[str, str], ...] = (
    ("xã ", ""),
    ("tỉnh ", ""),
    ("thị trấn ", "TT. "),
    ("phường ", "P. "),
    ("đặc khu ", "ĐK. "),
    ("thành phố ", "TP. "),
    ("thị xã ", "TX. "),
    ("khu công nghiệp ", "KCN "),
    ("cụm công nghiệp ", "CCN "),
    ("khu kinh tế ", "KKT "),
    ("đô thị ", ""),
)
MAX_CHARS = 32  # longer than this, a name is no label


def route_number(name: str) -> str | None:
    """The route number a road's name starts with ("Quốc lộ 53 (đoạn …)" → "QL53"), or None:
    "Đường kết nối Hương lộ 39 – Quốc lộ 53" is a road of its own, not HL39."""
    match = _ROUTE.match(name or "")
    if match is None:
        return None
    prefix = match.group(1).lower()
    short = next(s for p, s in ROUTE_PREFIXES if p == prefix)
    return f"{short}{match.group(2).upper()}"


def short_name(name: str) -> str | None:
    """A place or zone name as a label: no bracketed remark, the unit word abbreviated;
    None when nothing (or too much) is left."""
    text = re.sub(r"\s*\([^)]*\)", "", str(name or "")).strip()
    text = " ".join(text.split())
    lowered = text.lower()
    for prefix, short in NAME_PREFIXES:
        if lowered.startswith(prefix) and len(text) > len(prefix):
            text = short + text[len(prefix) :]
            break
    if not text or len(text) > MAX_CHARS:
        return None
    return text


def label_text(name: object, kind: str, field_given: bool = False) -> str | None:
    """The label of a feature of a layer of `kind` whose label source reads `name`.

    A field the pack named for labels (`field_given`) is used as it is (only trimmed); a
    line's label is its route number; anything else its short name."""
    if name is None or (isinstance(name, float) and name != name):
        return None
    text = " ".join(str(name).split())
    if not text:
        return None
    if field_given:
        return text[:MAX_CHARS]
    if kind == "line":
        return route_number(text)
    return short_name(text)
