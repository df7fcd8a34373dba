"""The 2025 commune crosswalk: which post-2025 commune each pre-2025 commune went into.

The data is `geodata/crosswalk/crosswalk_2025.csv`, generated at set-up (`make prepare`) from
the installed PyPI package `vietnamadminunits` by `geodata/build_crosswalk.py`; nothing here
touches the network or the package. One row per (old commune, new commune) pair; `share` is
the fraction of the old commune that went to the new one (1.0 when whole, an equal split when
divided).
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

import pandas as pd

from atlas.kpi import CODE, communes
from atlas.spec import Pack

CROSSWALK_FILE = (
    Path(__file__).resolve().parent.parent / "geodata" / "crosswalk" / "crosswalk_2025.csv"
)
# The file's columns, in order (geodata/build_crosswalk.py writes them from this list).
COLUMNS = [
    "old_code",
    "old_name",
    "old_district_code",
    "old_district",
    "old_province_code",
    "new_code",
    "new_name",
    "new_province_code",
    "new_province",
    "share",
    "method",
    "new_lat",
    "new_lon",
    "new_area_km2",
]
_NUMBERS = ("share", "new_lat", "new_lon", "new_area_km2")
_TEXT = [c for c in COLUMNS if c not in _NUMBERS]
# Columns of `for_pack`, in order.
PACK_COLUMNS = [
    "old_code",
    "old_name",
    "new_code",
    "new_name",
    "new_province_code",
    "new_province",
    "share",
    "method",
    "new_lat",
    "new_lon",
]


class CrosswalkMissingError(FileNotFoundError):
    """The crosswalk file has not been generated on this machine yet."""


@lru_cache(maxsize=4)
def _read(path: str) -> pd.DataFrame:
    if not Path(path).is_file():
        raise CrosswalkMissingError(
            f"{path} is missing: it is derived from the installed vietnamadminunits package by "
            "`make prepare` (or `python geodata/build_crosswalk.py`) / Chưa có tệp đối chiếu "
            "đơn vị hành chính 2025: chạy `make prepare`."
        )
    frame = pd.read_csv(
        path, comment="#", dtype={c: str for c in _TEXT}, keep_default_na=False, encoding="utf-8"
    )
    for col in _NUMBERS:
        frame[col] = pd.to_numeric(frame[col], errors="coerce")
    return frame


def load_crosswalk(path: Path | str | None = None) -> pd.DataFrame:
    """The whole crosswalk (cached; a copy is returned, so callers may modify it)."""
    return _read(str(path or CROSSWALK_FILE)).copy()


def pack_codes(pack: Pack) -> list[str]:
    """The pack's old commune codes, in layer order."""
    return [str(c) for c in communes(pack)[CODE]]


def for_pack(pack: Pack, path: Path | str | None = None) -> pd.DataFrame:
    """Old -> new rows for the pack's communes, in the pack's commune order.

    `old_name` is the pack's own name of the commune. Pre-2025 packs only: a post-2025 pack
    has nothing to convert and gets an empty frame.
    """
    table = load_crosswalk(path)
    if pack.meta.admin_structure != "pre2025":
        return table.iloc[0:0][PACK_COLUMNS].reset_index(drop=True)
    names = communes(pack).astype({CODE: str}).set_index(CODE)["name"]
    order = {code: i for i, code in enumerate(names.index)}
    rows = table[table["old_code"].isin(order)].copy()
    rows["old_name"] = rows["old_code"].map(names).astype(str)
    rows["_order"] = rows["old_code"].map(order)
    rows = rows.sort_values(["_order", "new_code"], kind="stable")
    return rows[PACK_COLUMNS].reset_index(drop=True)


def unmapped(pack: Pack, path: Path | str | None = None) -> list[str]:
    """The pack's old commune codes that the crosswalk does not know (expected: none)."""
    known = set(for_pack(pack, path)["old_code"])
    return [c for c in pack_codes(pack) if c not in known]


def new_communes(pack: Pack, path: Path | str | None = None) -> pd.DataFrame:
    """One row per new commune touching the pack: code, name, province, reference point, the
    pack's old codes in it (`old_codes`, comma-separated), and `outside`: how many old
    communes *outside* the pack also went into it (then the pack covers only part of it)."""
    rows = for_pack(pack, path)
    whole = load_crosswalk(path)
    # Old communes outside the pack, per new commune: one pass over the crosswalk (a per-group
    # scan made a nation's 3,321 new communes cost minutes).
    elsewhere = ~whole["old_code"].isin(set(pack_codes(pack)))
    outside_of = elsewhere.groupby(whole["new_code"]).sum()
    out = []
    for new_code, group in rows.groupby("new_code", sort=False):
        first = group.iloc[0]
        out.append(
            {
                "code": new_code,
                "name": first["new_name"],
                "province_code": first["new_province_code"],
                "province": first["new_province"],
                "lat": float(first["new_lat"]),
                "lon": float(first["new_lon"]),
                "old_codes": ",".join(group["old_code"]),
                "divided": bool((group["method"] != "whole").any()),
                "outside": int(outside_of.get(new_code, 0)),
            }
        )
    return pd.DataFrame(
        out,
        columns=[
            "code",
            "name",
            "province_code",
            "province",
            "lat",
            "lon",
            "old_codes",
            "divided",
            "outside",
        ],
    )


def format_rows(rows: pd.DataFrame, as_csv: bool = False) -> str:
    """`for_pack` rows as text (old code, old name → new code, new name, share) or as CSV."""
    if as_csv:
        out = rows[["old_code", "old_name", "new_code", "new_name", "new_province", "share"]]
        return out.to_csv(index=False, lineterminator="\n")
    lines = []
    for r in rows.itertuples(index=False):
        how = "" if r.method == "whole" else f" ({r.method})"
        share = f"  share {r.share:.3g}{how}"
        lines.append(
            f"{r.old_code} {r.old_name} → {r.new_code} {r.new_name} ({r.new_province}){share}"
        )
    return "\n".join(lines)
