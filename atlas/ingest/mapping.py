"""Column mapping suggestions, the reference communes, and (re-exported) the commune join.

The decisions live in small modules: `names` (unit type and name apart), `columns` (which
column is the code or the name, by evidence), `reference` (lookups), `join` (row decisions)
and `structure` (pre- or post-2025 communes). This module is the engine's front for them.
"""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd

from atlas.ingest.columns import col_key, pick_code, pick_name
from atlas.ingest.join import join_communes
from atlas.ingest.model import ColumnMapping
from atlas.ingest.names import name_key
from atlas.ingest.reference import FUZZY_MIN, CommuneIndex
from atlas.spec import Pack

__all__ = ["FUZZY_MIN", "commune_reference", "join_communes", "name_key", "suggest_mapping"]
_CODE_NAMES = (
    "code",
    "ma",
    "ma_xa",
    "maxa",
    "ma_dvhc",
    "madvhc",
    "ma_gso",
    "gso",
    "commune_code",
    "ward_code",
    "xa_code",
    "ma_don_vi",
)
_NAME_NAMES = (
    "name",
    "ten",
    "ten_xa",
    "tenxa",
    "ten_dvhc",
    "commune",
    "commune_name",
    "ward_name",
    "xa",
    "name_vi",
    "ten_don_vi",
)
_YEAR_NAMES = ("year", "nam")
_SKIP = ("geometry",)


def _is_empty(values: pd.Series) -> bool:
    return bool(values.map(lambda v: v is None or str(v).strip() in ("", "nan", "None")).all())


def _year(data: pd.DataFrame | None, cols: list[str], taken: tuple[str | None, ...]) -> str | None:
    year = next((c for w in _YEAR_NAMES for c in cols if col_key(c) == w and c not in taken), None)
    if year is not None and data is not None:
        years = pd.to_numeric(data[year], errors="coerce")
        if not years.between(1900, 2100).any():
            year = None
    return year


def suggest_mapping(
    columns: Sequence[str],
    data: pd.DataFrame | None = None,
    communes: pd.DataFrame | None = None,
    *,
    code_width: int = 5,
) -> ColumnMapping:
    """Guess the code, name and year columns, and whether the rows are commune data.

    With `data`, columns are chosen by evidence (`atlas.ingest.columns`): the share of values
    that are codes or names of `communes` (or, without them, GSO codes of the gazetteer whose
    names or places agree); headers only break ties. `join` is False when nothing looks like
    commune data: no code column is guessed then. Every other non-empty column is a field."""
    cols = [str(c) for c in columns if str(c) not in _SKIP]
    if data is None:
        keys = {c: col_key(c) for c in cols}
        code = next((c for w in _CODE_NAMES for c in cols if keys[c] == w), None)
        name = next((c for w in _NAME_NAMES for c in cols if keys[c] == w and c != code), None)
        year = _year(None, cols, (code, name))
        rest = tuple(c for c in cols if c not in (code, name, year))
        return ColumnMapping(code=code, name=name, fields=rest, year=year)
    present = [c for c in cols if c in data.columns]
    index = CommuneIndex(communes, code_width)
    name, named = pick_name(data, present, index, _NAME_NAMES)
    code = pick_code(data, present, index, name, _CODE_NAMES, code_width)
    year = _year(data, present, (code, name))
    fields = tuple(
        c
        for c in cols
        if c not in (code, name, year) and (c not in data.columns or not _is_empty(data[c]))
    )
    return ColumnMapping(code=code, name=name, fields=fields, year=year, join=bool(code or named))


def commune_reference(
    pack: Pack | None = None, *, district_code: str | None = None
) -> pd.DataFrame:
    """Communes to join against, columns `code`, `name`: a pack's commune layer, or the
    pre-2025 communes of a district from the 2025 crosswalk (empty if it is not generated).
    `attrs["structure"]` says whose communes they are ("pre2025"/"post2025"), for the join's
    structure check."""
    if pack is not None:
        ref = _pack_communes(pack)
        ref.attrs["structure"] = pack.meta.admin_structure or "pre2025"
        return ref
    ref = _district_communes(district_code) if district_code else None
    if ref is None:
        ref = pd.DataFrame({"code": pd.Series(dtype=object), "name": pd.Series(dtype=object)})
    ref.attrs["structure"] = "pre2025"
    return ref


def _pack_communes(pack: Pack) -> pd.DataFrame:
    from atlas.kpi import communes

    ref = communes(pack)
    if len(ref):
        return ref[["code", "name"]].astype(object).reset_index(drop=True)
    layer = next((la for la in pack.layers if la.code_field), None)
    if layer is None:
        return pd.DataFrame({"code": pd.Series(dtype=object), "name": pd.Series(dtype=object)})
    frame = pack.frames[layer.id]
    names = frame[layer.name_field] if layer.name_field in frame.columns else None
    return pd.DataFrame(
        {
            "code": frame[layer.code_field].astype(object),
            "name": (names if names is not None else frame[layer.code_field]).astype(object),
        }
    ).drop_duplicates("code")


def _district_communes(district_code: str) -> pd.DataFrame | None:
    from atlas import crosswalk

    try:
        frame = crosswalk._read(str(crosswalk.CROSSWALK_FILE))
    except (crosswalk.CrosswalkMissingError, OSError, ValueError):
        return None
    rows = frame[frame["old_district_code"] == str(district_code).zfill(3)]
    out = rows[["old_code", "old_name"]].drop_duplicates("old_code")
    return out.rename(columns={"old_code": "code", "old_name": "name"}).reset_index(drop=True)
