"""Does a file of codes and names describe the pack's communes, or those of the other
administrative structure (before / after 1 July 2025)?

GSO codes were reused by the 2025 reorganisation: the new "Xã Chi Lăng" (Lạng Sơn) has code
06463, which before was "Thị trấn Đồng Mỏ". A table of new communes joined "by code" to a
pre-2025 pack lands on the wrong communes without a single unmatched row, so before a code
join is trusted the names are checked against both structures (the gazetteer).
"""

from __future__ import annotations

from collections import Counter
from functools import lru_cache

import pandas as pd

from atlas import gazetteer
from atlas.ingest.names import agree

_LABEL = {
    "pre2025": ("trước 1/7/2025", "pre-2025", "các xã cũ", "the old communes"),
    "post2025": ("sau 1/7/2025", "post-2025", "các xã mới", "the new communes"),
}


def other(structure: str | None) -> str:
    return "pre2025" if structure == "post2025" else "post2025"


@lru_cache(maxsize=2)
def _communes(structure: str) -> dict[str, tuple[str, str]]:
    """code → (name, province code) of one structure's communes (empty without gazetteer)."""
    units = gazetteer.units(structure, "commune")
    return dict(zip(units["code"], zip(units["name"], units["province_code"], strict=True),
                    strict=True))  # fmt: skip


def fit(pairs: pd.DataFrame, structure: str) -> tuple[int, Counter]:
    """How many rows (`pairs`: distinct `code`, `name`, `count`) are communes of `structure`
    by code *and* name, and the provinces they are in."""
    lookup = _communes(structure)
    provinces: Counter = Counter()
    total = 0
    for code, name, count in zip(pairs["code"], pairs["name"], pairs["count"], strict=True):
        hit = lookup.get(code)
        if hit is not None and agree(hit[0], name):
            total += int(count)
            provinces[hit[1]] += int(count)
    return total, provinces


def mismatch(
    pairs: pd.DataFrame, pack_fit: int, rows: int, structure: str | None
) -> tuple[str, str] | None:
    """(vi, en) when the rows fit the other structure's communes better than the pack's (and
    better than any communes of the pack's structure): the file must not be joined as it is.
    None when the pack fits at least as well (or there is no gazetteer to tell)."""
    pack_structure = "post2025" if structure == "post2025" else "pre2025"
    theirs = other(pack_structure)
    count, provinces = fit(pairs, theirs)
    if count <= pack_fit or not provinces:
        return None
    if count <= fit(pairs, pack_structure)[0]:
        return None  # communes of the pack's structure, elsewhere: a wrong pack, not a reform
    unit = gazetteer.get(theirs, "province", provinces.most_common(1)[0][0])
    where = unit.name if unit is not None else "?"
    t_vi, t_en, new_vi, new_en = _LABEL[theirs]
    p_vi, p_en = _LABEL[pack_structure][:2]
    return (
        f"{count} trên {rows} dòng là xã {t_vi} của {where}; gói này có các xã {p_vi} "
        f"(chỉ {pack_fit} dòng khớp cả mã và tên): hãy nhập vào một gói theo {new_vi}, "
        "hoặc chuyển đổi bằng bảng chuyển đổi xã 2025.",
        f"{count} of {rows} rows are {t_en} communes of {where}; this pack has {p_en} "
        f"communes, and only {pack_fit} of the rows fit those by code and name: import into a "
        f"pack on {new_en}, or convert with the crosswalk.",
    )
