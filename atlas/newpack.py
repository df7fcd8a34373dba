"""A ready-to-fill pack for any province or district, in one call (`python -m atlas new-pack`,
the Packs page form).

Why: a data clerk outside Càng Long and Chi Lăng needs a map of their own communes before
`atlas import` has anything to join to. The pack holds schematic commune cells
(`atlas.schematic`, from the gazetteer only: no network, no vietnamadminunits at run time), the
unit's outline, empty tables with a header, and honesty flags saying it is all schematic.

The pack is always on the pre-2025 structure (its communes are old communes the crosswalk
knows), so the app's after-2025 switch (`atlas.after2025`) gives the other structure. A
post-2025 province becomes the pack of every old commune that went into it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import pandas as pd

from atlas import crosswalk, gazetteer
from atlas.ingest.errors import IngestError
from atlas.ingest.safety import check_slug, slugify
from atlas.spec import Text
from atlas.text import fold

if TYPE_CHECKING:
    from atlas.newpack_write import NewPackResult

Progress = Callable[[float, Text], None]
_STRUCTURES = ("post2025", "pre2025")  # a name or code is looked up on the new structure first


class NewPackError(IngestError):
    """A pack that cannot be made (unknown unit, id taken, no gazetteer): `vi` and `en` say
    why. A subclass of IngestError, so the pages and the CLI show it the same way."""


NATION = "nation"  # the level of the whole country's "unit"


@dataclass(frozen=True)
class PackArea:
    """What a new pack covers: the unit asked for and the pre-2025 communes making it up."""

    unit: gazetteer.Unit  # the province (either structure), pre-2025 district, or the nation
    province: gazetteer.Unit  # its province (the unit itself for a province or the nation)
    communes: pd.DataFrame  # gazetteer rows (COLUMNS) of the old communes, by code

    @property
    def level(self) -> str:
        return self.unit.level

    @property
    def structure(self) -> str:
        return self.unit.structure


def _no_gazetteer() -> NewPackError:
    return NewPackError(
        "Chưa có danh mục đơn vị hành chính (geodata/crosswalk/gazetteer.csv): chạy "
        "`make prepare`.",
        "The gazetteer (geodata/crosswalk/gazetteer.csv) is missing: run `make prepare`.",
    )


def find_province(text: str, structure: str | None = None) -> gazetteer.Unit:
    """A province by name or code, on `structure` or (unset) post-2025 first, then pre-2025."""
    for struct in (structure,) if structure else _STRUCTURES:
        unit = gazetteer.find_province(text, struct)
        if unit is not None:
            return unit
    raise NewPackError(
        f"Không tìm thấy tỉnh {text!r} (tên hoặc mã của 34 tỉnh, thành từ 1/7/2025 hay của "
        "tỉnh trước 2025).",
        f"No province {text!r} (give the name or code of one of the 34 provinces since "
        "1 July 2025, or of a pre-2025 province).",
    )


def find_district(text: str, province: gazetteer.Unit | None = None) -> gazetteer.Unit:
    """A pre-2025 district by GSO code ("845") or name ("Cầu Kè", "Huyện Cầu Kè"), within
    `province` when given (names repeat across provinces: "Châu Thành")."""
    frame = gazetteer.units("pre2025", "district")
    raw = str(text).strip()
    if raw.isdigit():
        hit = frame[frame["code"] == raw.zfill(3)]
    else:
        key = _name_key(raw)
        hit = frame[(frame["name"].map(_name_key) == key)]
    if province is not None and province.structure == "pre2025":
        hit = hit[hit["province_code"] == province.code]
    elif province is not None:
        hit = hit[hit["code"].isin(set(_old_communes_of(province)["district_code"]))]
    if len(hit) == 1:
        return _district(hit.iloc[0]["code"])
    if len(hit) > 1:
        where = ", ".join(f"{r.name} ({r.code}, tỉnh {r.province_code})" for r in hit.itertuples())
        raise NewPackError(
            f"Có nhiều huyện tên {raw!r}: {where}; hãy ghi mã huyện hoặc thêm --province.",
            f"Several districts are called {raw!r}: {where}; give the district code or "
            "add --province.",
        )
    raise NewPackError(
        f"Không tìm thấy huyện {raw!r} (đơn vị cấp huyện trước 1/7/2025, theo tên hoặc mã GSO).",
        f"No district {raw!r} (a pre-2025 district, by name or GSO code).",
    )


_UNIT_PREFIXES = ("huyen ", "quan ", "thi xa ", "thanh pho ", "tp. ", "tp ", "district ")


def _name_key(name: str) -> str:
    """A district name for comparison: "Huyện Cầu Kè", "cau ke" → "cau ke"."""
    key = " ".join(fold(str(name)).split())
    for prefix in _UNIT_PREFIXES:
        if key.startswith(prefix):
            return key[len(prefix) :]
    return key


def _district(code: str) -> gazetteer.Unit:
    unit = gazetteer.get("pre2025", "district", code)
    assert unit is not None
    return unit


def _old_communes_of(province: gazetteer.Unit) -> pd.DataFrame:
    """The pre-2025 communes making up a province: its own, or (post-2025) every old commune
    the crosswalk sends into it."""
    communes = gazetteer.units("pre2025", "commune")
    if province.structure == "pre2025":
        return communes[communes["province_code"] == province.code]
    try:
        table = crosswalk.load_crosswalk()
    except crosswalk.CrosswalkMissingError:
        raise NewPackError(
            "Chưa có bảng chuyển đổi xã 2025 (geodata/crosswalk/crosswalk_2025.csv): chạy "
            "`make prepare`.",
            "The 2025 commune crosswalk (geodata/crosswalk/crosswalk_2025.csv) is missing: "
            "run `make prepare`.",
        ) from None
    codes = set(table.loc[table["new_province_code"] == province.code, "old_code"])
    return communes[communes["code"].isin(codes)]


def nation_area() -> PackArea:
    """The whole country: every pre-2025 commune (the after-2025 switch gives the 3,321 new
    ones, as for any pack)."""
    if not gazetteer.available():
        raise _no_gazetteer()
    communes = gazetteer.units("pre2025", "commune")
    west, south = communes["min_lon"].min(), communes["min_lat"].min()
    east, north = communes["max_lon"].max(), communes["max_lat"].max()
    unit = gazetteer.Unit(
        structure="pre2025",
        level=NATION,
        code="00",
        name="Việt Nam",
        type="Quốc gia",
        province_code="00",
        district_code="000",
        lat=float(communes["lat"].mean()),
        lon=float(communes["lon"].mean()),
        bounds=(float(west), float(south), float(east), float(north)),
    )
    return PackArea(unit, unit, _sorted(communes, unit))


def find_area(
    province: str | None = None,
    district: str | None = None,
    structure: str | None = None,
    nation: bool = False,
) -> PackArea:
    """The unit a new pack covers: the nation, a district (pre-2025, optionally within
    `province`) or a province (`structure` post2025/pre2025, or unset: post-2025 first)."""
    if not gazetteer.available():
        raise _no_gazetteer()
    if nation:
        if (province and province.strip()) or (district and district.strip()):
            raise NewPackError(
                "Gói cả nước không đi cùng tỉnh hay huyện: bỏ --province/--district.",
                "A pack of the whole country takes no province or district: drop "
                "--province/--district.",
            )
        return nation_area()
    if not (province and province.strip()) and not (district and district.strip()):
        raise NewPackError("Hãy chọn một tỉnh hoặc một huyện.", "Choose a province or a district.")
    prov = find_province(province, structure) if province and province.strip() else None
    if district and district.strip():
        unit = find_district(district, prov)
        old_province = gazetteer.get("pre2025", "province", unit.province_code)
        communes = gazetteer.units("pre2025", "commune")
        rows = communes[communes["district_code"] == unit.code]
        return PackArea(unit, old_province or unit, _sorted(rows, unit))
    assert prov is not None
    return PackArea(prov, prov, _sorted(_old_communes_of(prov), prov))


def _sorted(rows: pd.DataFrame, unit: gazetteer.Unit) -> pd.DataFrame:
    """The communes by code; none (island districts with no communes) is refused."""
    if rows.empty:
        raise NewPackError(
            f"{unit.name}: danh mục không có xã nào (huyện đảo không chia xã), không dựng "
            "được gói.",
            f"{unit.name}: the gazetteer lists no commune in it (an island district with no "
            "communes), so no pack can be made.",
        )
    return rows.sort_values("code", kind="stable").reset_index(drop=True)


def default_id(area: PackArea) -> str:
    """`tinh_tra_vinh`, `huyen_cau_ke_845`, `tinh_vinh_long_2025`: readable and distinct for
    the two structures and for districts of the same name."""
    base = slugify(area.unit.name, "pack")
    if area.level == NATION:
        return "viet_nam"
    if area.level == "district":
        return check_slug(f"{base}_{area.unit.code}")
    return check_slug(f"{base}_2025" if area.structure == "post2025" else base)


def districts_of(province: gazetteer.Unit) -> list[gazetteer.Unit]:
    """The pre-2025 districts inside a province of either structure, by code (for a form)."""
    codes = set(_old_communes_of(province)["district_code"])
    frame = gazetteer.units("pre2025", "district")
    frame = frame[frame["code"].isin(codes)].sort_values("code")
    return [_district(code) for code in frame["code"]]


def report_progress(progress: Progress | None, fraction: float, vi: str, en: str) -> None:
    if progress is not None:
        progress(fraction, Text(vi, en))


def create_pack(
    province: str | None = None,
    district: str | None = None,
    *,
    structure: str | None = None,
    nation: bool = False,
    pack_id: str | None = None,
    name: str | None = None,
    root: Path | None = None,
    progress: Progress | None = None,
) -> NewPackResult:
    """Make and save the pack (see `atlas.newpack_write.write_pack`); the NewPackResult."""
    from atlas.newpack_write import write_pack

    report_progress(progress, 0.0, "Tìm đơn vị hành chính…", "Finding the unit…")
    area = find_area(province, district, structure, nation=nation)
    return write_pack(area, pack_id=pack_id, name=name, root=root, progress=progress)
