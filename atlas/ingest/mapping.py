"""Column mapping suggestions and the commune join (code, then name, then fuzzy name).

Codes from spreadsheets lose their leading zeros ("01234" → 1234) and names come in NFC or
NFD, with or without "Xã"/"Thị trấn": codes go through `normalise_code` and names through
`fold` plus prefix stripping before comparing. A fuzzy match is only a proposal: it joins only
when the user accepts it.
"""

from __future__ import annotations

import difflib
from collections.abc import Sequence

import pandas as pd

from atlas.ingest.model import ColumnMapping, JoinResult
from atlas.spec import Pack
from atlas.text import fold, normalise_code

FUZZY_MIN = 0.8
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
_UNIT_PREFIXES = ("thi tran ", "phuong ", "xa ", "tt. ", "tt ", "p. ", "x. ")
_SKIP = ("geometry",)


def _col_key(name: str) -> str:
    return "_".join(fold(str(name)).replace("-", " ").replace(".", " ").split())


def name_key(value: object) -> str:
    """A commune name for comparison: folded, unit prefix ("Xã", "Thị trấn") removed."""
    key = fold(str(value)) if value is not None else ""
    for prefix in _UNIT_PREFIXES:
        if key.startswith(prefix):
            return key[len(prefix) :].strip()
    return key


def _is_empty(values: pd.Series) -> bool:
    return bool(values.map(lambda v: v is None or str(v).strip() in ("", "nan", "None")).all())


def _code_score(values: pd.Series, ref_codes: set[str]) -> float:
    vals = [normalise_code(v, 5) for v in values.head(500)]
    vals = [v for v in vals if v]
    if not vals:
        return 0.0
    if ref_codes:
        return sum(v in ref_codes for v in vals) / len(vals)
    return sum(v.isdigit() and len(v) == 5 for v in vals) / len(vals) * 0.5


def _name_score(values: pd.Series, ref_names: set[str]) -> float:
    vals = [name_key(v) for v in values.head(500) if isinstance(v, str) and v.strip()]
    if not vals:
        return 0.0
    if ref_names:
        return sum(v in ref_names for v in vals) / len(vals)
    return sum(not v.replace(" ", "").isdigit() for v in vals) / len(vals) * 0.3


def suggest_mapping(
    columns: Sequence[str], data: pd.DataFrame | None = None, communes: pd.DataFrame | None = None
) -> ColumnMapping:
    """Guess the code, name and year columns from their names, and from their values when
    `data` is given (checked against `communes`' `code`/`name` when given too). Every other
    non-empty column is kept as a field."""
    cols = [str(c) for c in columns if str(c) not in _SKIP]
    keys = {c: _col_key(c) for c in cols}
    ref_codes = set(communes["code"].dropna().astype(str)) if communes is not None else set()
    ref_names = {name_key(n) for n in communes["name"].dropna()} if communes is not None else set()

    def by_name(names: tuple[str, ...]) -> str | None:
        for wanted in names:
            for c in cols:
                if keys[c] == wanted:
                    return c
        return None

    code = by_name(_CODE_NAMES)
    name = by_name(_NAME_NAMES)
    if data is not None:
        if code is None or (ref_codes and _code_score(data[code], ref_codes) == 0):
            scored = [(_code_score(data[c], ref_codes), c) for c in cols if c in data.columns]
            best = max(scored, default=(0.0, None))
            if best[0] >= 0.5 or (ref_codes and best[0] > 0):
                code = best[1]
        if name is None or (ref_names and _name_score(data[name], ref_names) == 0):
            scored = [
                (_name_score(data[c], ref_names), c)
                for c in cols
                if c in data.columns and c != code
            ]
            best = max(scored, default=(0.0, None))
            if best[0] > 0.25:
                name = best[1]
    year = by_name(_YEAR_NAMES)
    if year is not None and data is not None:
        years = pd.to_numeric(data[year], errors="coerce")
        if not years.between(1900, 2100).any():
            year = None
    fields = tuple(
        c
        for c in cols
        if c not in (code, name, year)
        and (data is None or c not in data.columns or not _is_empty(data[c]))
    )
    return ColumnMapping(code=code, name=name, fields=fields, year=year)


def commune_reference(
    pack: Pack | None = None, *, district_code: str | None = None
) -> pd.DataFrame:
    """Communes to join against, columns `code`, `name`: a pack's commune layer, or the
    pre-2025 communes of a district from the 2025 crosswalk (empty if it is not generated)."""
    if pack is not None:
        from atlas.kpi import communes

        ref = communes(pack)
        if len(ref):
            return ref[["code", "name"]].astype(object)
        layer = next((la for la in pack.layers if la.code_field), None)
        if layer is not None:
            frame = pack.frames[layer.id]
            names = frame[layer.name_field] if layer.name_field in frame.columns else None
            return pd.DataFrame(
                {
                    "code": frame[layer.code_field].astype(object),
                    "name": (names if names is not None else frame[layer.code_field]).astype(
                        object
                    ),
                }
            ).drop_duplicates("code")
    if district_code:
        from atlas import crosswalk

        try:
            frame = crosswalk._read(str(crosswalk.CROSSWALK_FILE))
        except (crosswalk.CrosswalkMissingError, OSError, ValueError):
            frame = None
        if frame is not None:
            rows = frame[frame["old_district_code"] == str(district_code).zfill(3)]
            out = rows[["old_code", "old_name"]].drop_duplicates("old_code")
            return out.rename(columns={"old_code": "code", "old_name": "name"}).reset_index(
                drop=True
            )
    return pd.DataFrame({"code": pd.Series(dtype=object), "name": pd.Series(dtype=object)})


def join_communes(
    data: pd.DataFrame, communes: pd.DataFrame, mapping: ColumnMapping, *, code_width: int = 5
) -> JoinResult:
    """Match each row to a commune of `communes` (`code`, `name`): by code (leading zeros
    restored to `code_width`), else by name ignoring case, diacritics, Unicode form and the
    unit prefix, else the closest name above 0.8 similarity as "fuzzy" (to confirm)."""
    ref = communes.dropna(subset=["code"])
    codes = {str(c): str(n) for c, n in zip(ref["code"], ref["name"], strict=True)}
    by_name: dict[str, list[str]] = {}
    for c, n in codes.items():
        by_name.setdefault(name_key(n), []).append(c)
    names = list(by_name)
    rows = []
    code_col = mapping.code if mapping.code in data.columns else None
    name_col = mapping.name if mapping.name in data.columns else None
    for i in range(len(data)):
        raw_code = data[code_col].iloc[i] if code_col else None
        raw_name = data[name_col].iloc[i] if name_col else None
        code = normalise_code(raw_code, code_width) if code_col else None
        key = name_key(raw_name) if isinstance(raw_name, str) else ""
        status, match, score = "unmatched", None, 0.0
        if code and code in codes:
            status, match, score = "code", code, 1.0
        elif key and len(by_name.get(key, [])) == 1:
            status, match, score = "name", by_name[key][0], 1.0
        elif key and names:
            scored = [(difflib.SequenceMatcher(None, key, n).ratio(), n) for n in names]
            best, best_name = max(scored)
            if best >= FUZZY_MIN and len(by_name[best_name]) == 1:
                status, match, score = "fuzzy", by_name[best_name][0], round(best, 3)
        rows.append(
            {
                "row": i + 1,
                "input_code": "" if raw_code is None else str(raw_code),
                "input_name": "" if raw_name is None else str(raw_name),
                "status": status,
                "code": match,
                "name": codes.get(match) if match else None,
                "score": score,
            }
        )
    columns = ["row", "input_code", "input_name", "status", "code", "name", "score"]
    return JoinResult(pd.DataFrame(rows, columns=columns))
